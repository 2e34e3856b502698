/*
 * master.c - the master data files, read by their headers' column names
 * (see master.h).
 *
 * Each file is parsed whole (they are small), every row checked, and sent to
 * its staging table as COPY text in the table's own column order; a server
 * function merges it (functions/master.sql).  Columns that a file written for
 * an earlier kdx lacks come from the shipped file's row with the same key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/embedded.h"
#include "kdx/lock.h"
#include "kdx/master.h"
#include "kdx/text.h"
#include "kdx/reader.h"

enum {
	MC_HEADER = 1,  /* the file must have this column */
	MC_KEY = 2,     /* part of the row's key (the shipped row is found by it) */
	MC_VALUE = 4,   /* an empty value is refused */
	MC_TEXT = 8,    /* empty is the empty text, not NULL */
	MC_NAME = 16,   /* a name that becomes part of file names: no control characters, "/", "\" or ".." */
};

struct mcol {
	const char *name;
	unsigned flags;
	const char *fallback;  /* when neither the file nor the shipped row has a value */
};

struct mfile {
	const char *file;
	const char *staging;
	const char *merge;
	const struct mcol *cols;
	int ncols;
};

#define N(a) (int)(sizeof a / sizeof a[0])
#define HV (MC_HEADER | MC_VALUE)

static const struct mcol prefecture_cols[] = {
	{ "code", HV | MC_KEY, NULL }, { "name", HV | MC_NAME, NULL },
};
static const struct mcol municipality_cols[] = {
	{ "code", HV | MC_KEY, NULL }, { "pref_code", HV, NULL }, { "name", HV | MC_NAME, NULL },
	{ "short_name", HV | MC_NAME, NULL }, { "kana", HV, NULL }, { "ord", HV, NULL },
};
static const struct mcol procedure_cols[] = {
	{ "id", HV | MC_KEY, NULL }, { "kind", HV, NULL }, { "category", HV, NULL }, { "name", HV, NULL },
	{ "goal_fy", MC_HEADER, NULL }, { "ord", HV, NULL },
};
/* the columns after seed_section came with kdx 0.12's goal kinds (012_goal_kinds.sql) */
static const struct mcol goal_cols[] = {
	{ "id", HV | MC_KEY, NULL }, { "ord", HV, NULL }, { "title", HV, NULL }, { "short_title", HV, NULL },
	{ "unit", HV, NULL }, { "target", MC_HEADER, NULL }, { "target_label", HV, NULL }, { "deadline", HV, NULL },
	{ "extended_deadline", MC_HEADER, NULL }, { "seed_section", HV, NULL },
	{ "kind", MC_VALUE, NULL }, { "dataset", MC_VALUE, NULL }, { "scope", MC_TEXT, "" }, { "done", MC_TEXT, "" },
	{ "total", MC_TEXT, "" }, { "legend", MC_TEXT, "" }, { "special_reason", MC_TEXT, "" },
	{ "exempt_reason", MC_TEXT, "" }, { "own_scope", MC_TEXT, "" },
};
static const struct mcol goal_item_cols[] = {
	{ "goal", HV | MC_KEY, NULL }, { "code", HV | MC_KEY, NULL }, { "name", HV, NULL },
	{ "in_target", HV, NULL }, { "ord", HV, NULL }, { "need", MC_VALUE, "required" },
};

static const struct mfile master_files[] = {
	{ "prefectures.csv", "kdx.m_prefecture", "SELECT kdx.merge_master_prefecture()", prefecture_cols, N(prefecture_cols) },
	{ "municipalities.csv", "kdx.m_municipality", "SELECT kdx.merge_master_municipality()", municipality_cols,
	  N(municipality_cols) },
	{ "procedures.csv", "kdx.m_procedure", "SELECT kdx.merge_master_procedure()", procedure_cols, N(procedure_cols) },
	{ "goals.csv", "kdx.m_goal", "SELECT kdx.merge_master_goal()", goal_cols, N(goal_cols) },
	{ "goal_items.csv", "kdx.m_goal_item", "SELECT kdx.merge_master_goal_item()", goal_item_cols, N(goal_item_cols) },
};

/* A parsed master file: its rows' cells in the file's column order (NULL:
 * empty), and for each of the file's columns the master column it is. */
struct mtable {
	const struct mfile *mf;
	const char *source;  /* the file as named to the user */
	int ncols;
	int *col;            /* file column -> index in mf->cols */
	int *pos;            /* mf->cols index -> file column, or -1 */
	int nrows;
	char ***rows;
	long *lines;
	kdx_status st;
	kdx_error **err;
};

static void mtable_free(struct mtable *t)
{
	for (int i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++)
			free(t->rows[i][c]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->lines);
	free(t->col);
	free(t->pos);
	memset(t, 0, sizeof *t);
}

static int header_row(struct mtable *t, const kdx_row *row)
{
	const struct mfile *mf = t->mf;
	t->ncols = row->ncells;
	t->col = kdx_xcalloc((size_t)row->ncells + 1, sizeof *t->col);
	t->pos = kdx_xcalloc((size_t)mf->ncols, sizeof *t->pos);
	for (int k = 0; k < mf->ncols; k++)
		t->pos[k] = -1;
	for (int c = 0; c < row->ncells; c++) {
		const char *name = row->cells[c] ? row->cells[c] : "";
		int k = 0;
		while (k < mf->ncols && strcmp(mf->cols[k].name, name))
			k++;
		if (k == mf->ncols) {
			t->st = kdx_fail(t->err, KDX_EDATA, "master data file \"%s\" has an unknown column \"%s\"", t->source, name);
			kdx_buf cols = { 0 };
			for (int j = 0; j < mf->ncols; j++)
				kdx_buf_printf(&cols, "%s%s", j ? ", " : "", mf->cols[j].name);
			kdx_error_detail(*t->err, "The columns of %s are %s.", mf->file, cols.data);
			kdx_buf_free(&cols);
			return 1;
		}
		if (t->pos[k] >= 0) {
			t->st = kdx_fail(t->err, KDX_EDATA, "master data file \"%s\" names column \"%s\" twice", t->source, name);
			return 1;
		}
		t->pos[k] = c;
		t->col[c] = k;
	}
	for (int k = 0; k < mf->ncols; k++)
		if ((mf->cols[k].flags & MC_HEADER) && t->pos[k] < 0) {
			t->st = kdx_fail(t->err, KDX_EDATA, "master data file \"%s\" has no column \"%s\"", t->source,
			                 mf->cols[k].name);
			kdx_error_hint(*t->err, "The first line of %s names its columns.", mf->file);
			return 1;
		}
	return 0;
}

/* The reason a name cannot be part of a file name, or NULL. */
static const char *unsafe_name(const char *s)
{
	if (strstr(s, ".."))
		return "contains \"..\"";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '/' || *p == '\\')
			return "contains a slash";
		if (*p < 0x20 || *p == 0x7F)
			return "contains a control character";
		int n = kdx_utf8_len((const char *)p);
		if (n == 0)
			return "is not UTF-8 text";
		if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)
			return "contains a control character";
		p += n - 1;
	}
	return NULL;
}

static int data_row(struct mtable *t, const kdx_row *row)
{
	const struct mfile *mf = t->mf;
	bool blank = true;
	for (int c = 0; c < row->ncells; c++)
		blank &= !row->cells[c] || !row->cells[c][0];
	if (blank)
		return 0;
	if (row->ncells != t->ncols) {
		t->st = kdx_fail(t->err, KDX_EDATA, "master data file \"%s\", line %ld: %d fields, the header has %d", t->source,
		                 row->rowno, row->ncells, t->ncols);
		return 1;
	}
	for (int c = 0; c < row->ncells; c++) {
		const struct mcol *mc = &mf->cols[t->col[c]];
		const char *v = row->cells[c];
		const char *why = NULL;
		if ((mc->flags & MC_VALUE) && (!v || !*v))
			why = "is empty";
		else if ((mc->flags & MC_NAME) && v)
			why = unsafe_name(v);
		if (why) {
			t->st = kdx_fail(t->err, KDX_EDATA, "master data file \"%s\", line %ld: column \"%s\" %s", t->source,
			                 row->rowno, mc->name, why);
			if ((mc->flags & MC_NAME) && v && *v) {
				char *shown = kdx_shown_name(v);
				kdx_error_detail(*t->err, "The value is \"%s\". kdx names report files after the column \"%s\", so it may"
				                 " hold no \"/\", \"\\\", \"..\" or control character, and must be UTF-8 text.", shown, mc->name);
				free(shown);
			}
			kdx_error_hint(*t->err, "Correct line %ld of %s and run kdx init --master again; the warehouse's master data is"
			               " as it was.",
			               row->rowno, t->source);
			return 1;
		}
	}
	t->rows = kdx_xrealloc(t->rows, (size_t)(t->nrows + 1) * sizeof *t->rows);
	t->lines = kdx_xrealloc(t->lines, (size_t)(t->nrows + 1) * sizeof *t->lines);
	char **cells = kdx_xcalloc((size_t)t->ncols + 1, sizeof *cells);
	for (int c = 0; c < row->ncells; c++)
		cells[c] = row->cells[c] && row->cells[c][0] ? kdx_strdup(row->cells[c]) : NULL;
	t->rows[t->nrows] = cells;
	t->lines[t->nrows++] = row->rowno;
	return 0;
}

static int on_row(void *ctx, const kdx_row *row)
{
	struct mtable *t = ctx;
	return t->col ? data_row(t, row) : header_row(t, row);
}

static kdx_status mtable_parse(struct mtable *t, const struct mfile *mf, const char *source, const char *data,
                               size_t len, kdx_error **err)
{
	memset(t, 0, sizeof *t);
	t->mf = mf;
	t->source = source;
	t->err = err;
	t->st = KDX_OK;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {  /* Excel's UTF-8 mark */
		data += 3;
		len -= 3;
	}
	kdx_status st = kdx_csv_read(data, len, on_row, t, err);
	if (st == KDX_OK)
		st = t->st;
	if (st == KDX_OK && !t->col)
		st = kdx_fail(err, KDX_EDATA, "master data file \"%s\" is empty", source);
	return st;
}

/* Cell k (a master column) of row i, or NULL. */
static const char *mtable_cell(const struct mtable *t, int i, int k)
{
	return t->pos[k] >= 0 ? t->rows[i][t->pos[k]] : NULL;
}

/* The shipped row with the same key as row i of t, or -1. */
static int shipped_row(const struct mtable *shipped, const struct mtable *t, int i)
{
	const struct mfile *mf = t->mf;
	for (int j = 0; j < shipped->nrows; j++) {
		bool same = true;
		for (int k = 0; k < mf->ncols && same; k++)
			if (mf->cols[k].flags & MC_KEY) {
				const char *a = mtable_cell(t, i, k), *b = mtable_cell(shipped, j, k);
				same = a && b && !strcmp(a, b);
			}
		if (same)
			return j;
	}
	return -1;
}

/* The rows of t as COPY text in the staging table's column order. */
static kdx_status mtable_copy_text(const struct mtable *t, const struct mtable *shipped, kdx_buf *out, kdx_error **err)
{
	const struct mfile *mf = t->mf;
	for (int i = 0; i < t->nrows; i++) {
		int j = -2;  /* the shipped row, looked up once it is needed */
		for (int k = 0; k < mf->ncols; k++) {
			const struct mcol *mc = &mf->cols[k];
			const char *v = mtable_cell(t, i, k);
			if (t->pos[k] < 0) {
				if (j == -2)
					j = shipped && shipped != t ? shipped_row(shipped, t, i) : -1;
				v = j >= 0 ? mtable_cell(shipped, j, k) : NULL;
				if (!v)
					v = mc->fallback;
				if (!v && (mc->flags & MC_VALUE)) {
					kdx_fail(err, KDX_EDATA, "master data file \"%s\", line %ld: no column \"%s\", and kdx ships no value for"
					         " this row", t->source, t->lines[i], mc->name);
					kdx_error_hint(*err, "Add the column \"%s\" to %s.", mc->name, mf->file);
					return KDX_EDATA;
				}
			}
			if (k)
				kdx_buf_addc(out, '\t');
			kdx_buf_copy_field(out, v ? v : (mc->flags & MC_TEXT) ? "" : NULL);
		}
		kdx_buf_addc(out, '\n');
	}
	return KDX_OK;
}

/* A master file is a few hundred rows: more than this is not one. */
#define MASTER_FILE_MAX (16u << 20)

/* A master data file whole, read as ingest reads its files (kdx_input_open:
 * a regular file or a pipe, never a device); caller frees *data. */
static kdx_status read_file(const char *path, char **data, size_t *len, kdx_error **err)
{
	kdx_input in;
	kdx_status st = kdx_input_open(&in, path, err);
	if (st != KDX_OK)
		return st;
	if (in.size > MASTER_FILE_MAX) {
		kdx_input_close(&in);
		st = kdx_fail(err, KDX_EDATA, "master data file \"%s\" is %llu bytes, more than a master file holds (%u)", path,
		              in.size, MASTER_FILE_MAX);
		kdx_error_hint(*err, "Give the folder of the master data files (prefectures.csv, municipalities.csv, ...).");
		return st;
	}
	char *buf = kdx_xmalloc((size_t)in.size + 1);
	size_t got = 0;
	long n = 0;
	while (got < in.size && (n = kdx_input_read(&in, got, buf + got, (size_t)in.size - got)) > 0)
		got += (size_t)n;
	int e = errno;
	kdx_input_close(&in);
	if (got < in.size) {
		free(buf);
		return kdx_fail(err, KDX_EIO, "could not read master data file \"%s\": %s", path, n < 0 ? strerror(e) : "it became shorter");
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return KDX_OK;
}

static kdx_status parse_shipped(const struct mfile *mf, struct mtable *t, kdx_error **err)
{
	char key[128];
	snprintf(key, sizeof key, "master/%s", mf->file);
	const kdx_embedded *e = kdx_embedded_find(key);
	if (!e)
		return kdx_fail(err, KDX_EINTERNAL, "master data \"%s\" is not built into kdx", key);
	return mtable_parse(t, mf, key, (const char *)e->data, e->len, err);
}

/* Send t to its staging table (emptied first). */
static kdx_status stage(kdx_db *db, const struct mtable *t, const struct mtable *shipped, kdx_error **err)
{
	const struct mfile *mf = t->mf;
	kdx_buf text = { 0 }, sql = { 0 };
	kdx_status st = mtable_copy_text(t, shipped, &text, err);
	if (st != KDX_OK)
		goto out;
	kdx_buf_printf(&sql, "TRUNCATE %s", mf->staging);
	if ((st = kdx_db_exec(db, sql.data, err)) != KDX_OK)
		goto out;
	kdx_buf_reset(&sql);
	kdx_buf_printf(&sql, "COPY %s (", mf->staging);
	for (int k = 0; k < mf->ncols; k++)
		kdx_buf_printf(&sql, "%s%s", k ? ", " : "", mf->cols[k].name);
	kdx_buf_adds(&sql, ") FROM STDIN");
	if ((st = kdx_db_copy_buffer(db, sql.data, text.data ? text.data : "", text.len, NULL, err)) != KDX_OK && err && *err)
		kdx_error_hint(*err, "Check the master data file %s.", t->source);
out:
	kdx_buf_free(&text);
	kdx_buf_free(&sql);
	return st;
}

/* A transaction that may use the staging tables: they are shared, so one
 * loader (or migrator) at a time. */
static kdx_status begin_staging(kdx_db *db, kdx_error **err)
{
	kdx_status st = kdx_db_begin(db, err);
	if (st == KDX_OK && (st = kdx_lock_in_transaction(db, "migrate", KDX_MIGRATE_WAIT, err)) != KDX_OK)
		kdx_db_rollback(db);
	return st;
}

kdx_status kdx_master_load(kdx_db *db, const char *dir, kdx_error **err)
{
	kdx_status st;
	if ((st = begin_staging(db, err)) != KDX_OK)
		return st;
	for (size_t i = 0; i < sizeof master_files / sizeof master_files[0]; i++) {
		const struct mfile *mf = &master_files[i];
		struct mtable shipped, given;
		memset(&given, 0, sizeof given);
		if ((st = parse_shipped(mf, &shipped, err)) != KDX_OK)
			goto fail;
		if (dir) {
			char *path = kdx_strdup_printf("%s/%s", dir, mf->file);
			size_t len = 0;
			char *data = NULL;
			st = read_file(path, &data, &len, err);
			if (st == KDX_OK)
				st = mtable_parse(&given, mf, path, data, len, err);
			if (st == KDX_OK)
				st = stage(db, &given, &shipped, err);
			free(data);
			free(path);
		} else {
			st = stage(db, &shipped, NULL, err);
		}
		mtable_free(&given);
		mtable_free(&shipped);
		if (st == KDX_OK)
			st = kdx_db_exec(db, mf->merge, err);
		if (st != KDX_OK)
			goto fail;
	}
	if ((st = kdx_db_commit(db, err)) != KDX_OK)
		return st;
	/* statistics for the planner: without them the 33 procedures look like 580
	 * rows and per-municipality lookups turn into scans of whole fact tables */
	return kdx_db_exec(db, "ANALYZE kdx.prefecture, kdx.municipality, kdx.procedure, kdx.goal, kdx.goal_item, kdx.council", err);
fail:
	kdx_db_rollback(db);
	return st;
}

kdx_status kdx_master_complete(kdx_db *db, kdx_error **err)
{
	PGresult *r = kdx_db_query(db, "SELECT EXISTS (SELECT 1 FROM kdx.goal WHERE kind IS NULL)"
	                               " OR EXISTS (SELECT 1 FROM kdx.goal_item WHERE need IS NULL)", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	bool missing = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!missing)
		return KDX_OK;
	kdx_status st;
	if ((st = begin_staging(db, err)) != KDX_OK)
		return st;
	for (size_t i = 0; i < sizeof master_files / sizeof master_files[0]; i++) {
		const struct mfile *mf = &master_files[i];
		if (strcmp(mf->staging, "kdx.m_goal") && strcmp(mf->staging, "kdx.m_goal_item"))
			continue;
		struct mtable shipped;
		if ((st = parse_shipped(mf, &shipped, err)) == KDX_OK)
			st = stage(db, &shipped, NULL, err);
		mtable_free(&shipped);
		if (st != KDX_OK)
			goto fail;
	}
	/* only what an earlier kdx left empty; a goal kdx does not ship keeps NULL
	 * and is refused by the goal functions until its master data says more */
	st = kdx_db_exec(db,
		"UPDATE kdx.goal g SET (kind, dataset, scope, done, total, legend, special_reason, exempt_reason, own_scope) ="
		" (m.kind, m.dataset, m.scope, m.done, m.total, m.legend, m.special_reason, m.exempt_reason, m.own_scope)"
		" FROM kdx.m_goal m WHERE m.id = g.id AND g.kind IS NULL;"
		"UPDATE kdx.goal_item g SET need = m.need FROM kdx.m_goal_item m"
		" WHERE m.goal = g.goal AND m.code = g.code AND g.need IS NULL", err);
	if (st != KDX_OK)
		goto fail;
	return kdx_db_commit(db, err);
fail:
	kdx_db_rollback(db);
	return st;
}
