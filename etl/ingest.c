/*
 * ingest.c - validate a file against the data contract and load it whole.
 *
 * One transaction per file.  Rows stream into COPY while the file is clean;
 * at the first problem kdx stops sending but keeps validating, so that the
 * reject report lists every problem, and the transaction is rolled back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "kdx/ingest.h"
#include "kdx/datasets.h"
#include "kdx/reader.h"
#include "kdx/jdate.h"
#include "kdx/muni.h"
#include "kdx/buf.h"
#include "kdx/digest.h"
#include "kdx/fsutil.h"

#define COPY_FLUSH (64u << 10)
#define HEADER_SCAN_ROWS 10
#define MAX_COLS 256

struct muni {
	char code[7];
	char *name, *short_name, *name_key, *short_key;
};

static int muni_cmp(const void *a, const void *b)
{
	return strcmp(((const struct muni *)a)->code, ((const struct muni *)b)->code);
}

struct proc {
	char id[4];
	char *name_key, *cat_key, *catname_key;
	bool is_new;
	int goal_fy;
};

struct item {
	char *code, *name_key, *code_key;
};

struct problem {
	char *sheet;
	long row;
	char *column;
	char *cell;
	char *value;
	char *msg;
	char *fix;
};

/* A string set: open addressing over 16-byte slots (hash, value, key); the
 * keys live in 64 KiB arena blocks.  A probe touches one slot unless the
 * hashes agree. */
struct slot {
	char *key;
	unsigned hash;
	int val;
};

struct strset {
	struct slot *slots;
	size_t cap, n;
	char **blocks;
	size_t nblocks, left;
};

#define ARENA_BLOCK 65536

/* keys are short (data_row cuts them to its 300-byte buffer) */
static char *strset_keep(struct strset *s, const char *key, size_t n)
{
	if (n > s->left) {
		s->blocks = kdx_xrealloc(s->blocks, (s->nblocks + 1) * sizeof *s->blocks);
		s->blocks[s->nblocks++] = kdx_xmalloc(ARENA_BLOCK);
		s->left = ARENA_BLOCK;
	}
	char *p = s->blocks[s->nblocks - 1] + (ARENA_BLOCK - s->left);
	memcpy(p, key, n);
	s->left -= n;
	return p;
}

static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

/* Insert key; returns the earlier value when present (and inserts nothing), else 0. */
static long strset_put(struct strset *s, const char *key, long val)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		struct slot *ns = kdx_xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i].key)
				continue;
			size_t j = s->slots[i].hash & (ncap - 1);
			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = s->slots[i];
		}
		free(s->slots);
		s->slots = ns;
		s->cap = ncap;
	}
	unsigned h = (unsigned)(hash_str(key) >> 16);
	size_t j = h & (s->cap - 1);
	while (s->slots[j].key) {
		if (s->slots[j].hash == h && !strcmp(s->slots[j].key, key))
			return s->slots[j].val;
		j = (j + 1) & (s->cap - 1);
	}
	s->slots[j].key = strset_keep(s, key, strlen(key) + 1);
	s->slots[j].hash = h;
	s->slots[j].val = (int)val;
	s->n++;
	return 0;
}

static void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->slots);
	memset(s, 0, sizeof *s);
}

/* What one (dataset, municipality, survey date) delivered, for the ledger and completeness. */
struct sub {
	kdx_ds ds;
	char muni[7];
	kdx_date date;
	char *sheet;
	long rows;
	long first_row;
	unsigned long long have;  /* bit per procedure / platform / item present */
};

struct ingest {
	kdx_db *db;
	const char *path;
	const char *fname;
	bool is_xlsx;
	/* master data */
	struct muni *munis;
	int nmunis;
	char pref[7];
	char *pref_name;
	struct proc *procs;
	int nprocs;
	struct item *items;
	int nitems;
	/* problems and warnings */
	struct problem *probs;
	int nprobs, capprobs;
	char **warns;
	int nwarns;
	/* the batch */
	long batch_id;
	long rows_total;
	struct sub *subs;
	int nsubs;
	bool seen_dataset[KDX_DS_COUNT];
	/* the sheet being read */
	const char *sheet;       /* NULL for CSV */
	const char *sheet_hint;  /* dataset implied by the sheet name */
	int forced_ds;           /* -1, or the dataset the sheet name implies */
	int ds;                  /* -1 until the header is found */
	int colmap[MAX_COLS];    /* header column -> col_def index, -1 */
	char *colname[MAX_COLS]; /* header text as written */
	int ncolmap;
	int defcol[64];          /* col_def index -> header column, -1 */
	long header_row;
	int rows_seen;
	bool copying;
	kdx_buf copy;
	long copy_rows;          /* rows in the current COPY */
	bool have_date;
	kdx_date first_date;
	long first_date_row;
	struct strset keys;
	/* per-row scratch: the normalised cells, reset for every row */
	kdx_buf rowmem;
	/* per-row caches: most rows repeat the previous row's date, and a survey
	 * names its municipalities and facility types again and again */
	char last_date_text[32];
	kdx_date last_date;
	char last_date_iso[16];
	struct { char text[24]; const struct muni *m; } muni_cache[64];
	struct { char text[64]; const char *group; } type_cache[16];
	int ntype_cache;
	int *muni_sub;           /* per municipality (index in munis): its last sub + 1, or 0 */
	/* the best header candidate seen so far, for "matches no dataset" */
	long scanned;
};

/* ---- problems ----------------------------------------------------------- */

static void add_problem(struct ingest *g, long row, int col, const char *value, const char *fix,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add_problem(struct ingest *g, long row, int col, const char *value, const char *fix,
                        const char *fmt, ...)
{
	if (g->nprobs == g->capprobs) {
		g->capprobs = g->capprobs ? g->capprobs * 2 : 16;
		g->probs = kdx_xrealloc(g->probs, (size_t)g->capprobs * sizeof *g->probs);
	}
	struct problem *p = &g->probs[g->nprobs++];
	memset(p, 0, sizeof *p);
	va_list ap;
	va_start(ap, fmt);
	p->msg = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->sheet = kdx_strdup(g->sheet);
	p->row = row;
	if (col >= 0) {
		p->column = kdx_strdup(col < g->ncolmap && g->colname[col] ? g->colname[col] : "");
		if (g->is_xlsx && row > 0) {
			char ref[16];
			kdx_cell_ref(col, row, ref, sizeof ref);
			p->cell = kdx_strdup_printf("%s!%s", g->sheet ? g->sheet : "", ref);
		}
	}
	p->value = value ? kdx_strdup(value) : NULL;
	p->fix = kdx_strdup(fix);
	if (g->copying) {
		/* stop feeding the server; the transaction will be rolled back */
		PQputCopyEnd(g->db->conn, "rejected");
		PGresult *r;
		while ((r = PQgetResult(g->db->conn)) != NULL)
			PQclear(r);
		g->copying = false;
	}
}

static void add_warning(struct ingest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(struct ingest *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g->warns = kdx_xrealloc(g->warns, (size_t)(g->nwarns + 1) * sizeof *g->warns);
	g->warns[g->nwarns++] = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Where, as the submitter sees it: "12行目「状況」列" or "手続電子化!D7". */
static char *where_text(const struct ingest *g, const struct problem *p)
{
	if (p->cell)
		return kdx_strdup(p->cell);
	kdx_buf b = { 0 };
	if (p->sheet)
		kdx_buf_printf(&b, "シート「%s」", p->sheet);
	if (p->row > 0)
		kdx_buf_printf(&b, "%s%ld行目", b.len ? " " : "", p->row);
	if (p->column && *p->column)
		kdx_buf_printf(&b, "%s「%s」列", (b.len && p->row <= 0) ? " " : "", p->column);
	if (!b.len)
		kdx_buf_adds(&b, "ファイル全体");
	(void)g;
	return kdx_buf_steal(&b);
}

/* ---- master data ------------------------------------------------------ */

static kdx_status load_master(struct ingest *g, kdx_error **err)
{
	PGresult *r = kdx_db_query(g->db,
		"SELECT m.code, m.name, m.short_name, p.code, p.name FROM kdx.council_municipalities() m"
		" JOIN kdx.prefecture p ON p.code = kdx.council_code()", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	if (PQntuples(r) == 0) {
		PQclear(r);
		kdx_status st = kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse has no master data");
		kdx_error_hint(*err, "Run \"kdx init\" first.");
		return st;
	}
	g->nmunis = PQntuples(r);
	g->munis = kdx_xcalloc((size_t)g->nmunis, sizeof *g->munis);
	for (int i = 0; i < g->nmunis; i++) {
		snprintf(g->munis[i].code, 7, "%s", PQgetvalue(r, i, 0));
		g->munis[i].name = kdx_strdup(PQgetvalue(r, i, 1));
		g->munis[i].short_name = kdx_strdup(PQgetvalue(r, i, 2));
		g->munis[i].name_key = kdx_text_key(PQgetvalue(r, i, 1));
		g->munis[i].short_key = kdx_text_key(PQgetvalue(r, i, 2));
	}
	qsort(g->munis, (size_t)g->nmunis, sizeof *g->munis, muni_cmp);
	g->muni_sub = kdx_xcalloc((size_t)g->nmunis, sizeof *g->muni_sub);
	snprintf(g->pref, sizeof g->pref, "%s", PQgetvalue(r, 0, 3));
	g->pref_name = kdx_strdup(PQgetvalue(r, 0, 4));
	PQclear(r);

	r = kdx_db_query(g->db, "SELECT id, name, category, kind = 'N', coalesce(goal_fy, 0) FROM kdx.procedure ORDER BY ord",
	                 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	g->nprocs = PQntuples(r);
	g->procs = kdx_xcalloc((size_t)g->nprocs, sizeof *g->procs);
	for (int i = 0; i < g->nprocs; i++) {
		struct proc *p = &g->procs[i];
		snprintf(p->id, sizeof p->id, "%s", PQgetvalue(r, i, 0));
		p->name_key = kdx_text_key(PQgetvalue(r, i, 1));
		p->cat_key = kdx_text_key(PQgetvalue(r, i, 2));
		p->catname_key = kdx_strdup_printf("%s%s", p->cat_key, p->name_key);
		p->is_new = PQgetvalue(r, i, 3)[0] == 't';
		p->goal_fy = atoi(PQgetvalue(r, i, 4));
	}
	PQclear(r);

	r = kdx_db_query(g->db, "SELECT code, name FROM kdx.goal_item WHERE goal = 'postpartum' ORDER BY ord", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	g->nitems = PQntuples(r);
	g->items = kdx_xcalloc((size_t)g->nitems, sizeof *g->items);
	for (int i = 0; i < g->nitems; i++) {
		g->items[i].code = kdx_strdup(PQgetvalue(r, i, 0));
		g->items[i].code_key = kdx_text_key(PQgetvalue(r, i, 0));
		g->items[i].name_key = kdx_text_key(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return KDX_OK;
}

/* g->munis is sorted by code */
static const struct muni *muni_by_code(const struct ingest *g, const char *code)
{
	struct muni key;
	size_t n = strnlen(code, sizeof key.code - 1);
	memcpy(key.code, code, n);
	key.code[n] = '\0';
	return bsearch(&key, g->munis, (size_t)g->nmunis, sizeof *g->munis, muni_cmp);
}

/* ---- header recognition -------------------------------------------------- */

static void clear_header(struct ingest *g)
{
	for (int i = 0; i < g->ncolmap; i++) {
		free(g->colname[i]);
		g->colname[i] = NULL;
	}
	g->ncolmap = 0;
}

/* Score a row as the header of dataset ds: the number of dataset-specific columns it names. */
static int header_score(const kdx_row *row, kdx_ds ds)
{
	int score = 0;
	for (int c = 0; c < row->ncells && c < MAX_COLS; c++) {
		if (!row->cells[c])
			continue;
		char *k = kdx_header_key(row->cells[c]);
		int i = kdx_col_match(&kdx_datasets[ds], k);
		free(k);
		if (i >= 0 && (kdx_datasets[ds].cols[i].flags & KDX_COL_SPECIFIC))
			score++;
	}
	return score;
}

static bool try_header(struct ingest *g, const kdx_row *row)
{
	int best = -1, best_score = 0;
	if (g->forced_ds >= 0) {
		best = g->forced_ds;
		best_score = header_score(row, (kdx_ds)best);
		/* a sheet name alone is enough only when the row names the common columns */
		if (best_score == 0) {
			int common = 0;
			for (int c = 0; c < row->ncells; c++) {
				if (!row->cells[c])
					continue;
				char *k = kdx_header_key(row->cells[c]);
				int i = kdx_col_match(&kdx_datasets[best], k);
				free(k);
				if (i >= 0)
					common++;
			}
			if (common < 2)
				return false;
			best_score = 1;
		}
	} else {
		for (int d = 0; d < KDX_DS_COUNT; d++) {
			int s = header_score(row, (kdx_ds)d);
			if (s > best_score) {
				best = d;
				best_score = s;
			}
		}
	}
	if (best < 0 || best_score == 0)
		return false;

	const kdx_dataset *ds = &kdx_datasets[best];
	g->ds = best;
	g->header_row = row->rowno;
	clear_header(g);
	for (int i = 0; i < 64; i++)
		g->defcol[i] = -1;
	g->ncolmap = row->ncells < MAX_COLS ? row->ncells : MAX_COLS;
	for (int c = 0; c < g->ncolmap; c++) {
		g->colmap[c] = -1;
		g->colname[c] = row->cells[c] ? kdx_text_norm(row->cells[c]) : NULL;
		if (!row->cells[c] || !g->colname[c][0])
			continue;
		char *k = kdx_header_key(row->cells[c]);
		int i = kdx_col_match(ds, k);
		free(k);
		if (i < 0) {
			add_warning(g, "%s%s%s列「%s」は %s の列ではないため無視しました",
			            g->sheet ? "シート「" : "", g->sheet ? g->sheet : "", g->sheet ? "」の" : "",
			            g->colname[c], ds->title);
			continue;
		}
		if (g->defcol[i] >= 0) {
			add_problem(g, row->rowno, c, row->cells[c], "同じ列は 1 つだけにしてください。",
			            "列「%s」が 2 回あります（%d 列目と %d 列目）。", ds->cols[i].name, g->defcol[i] + 1, c + 1);
			continue;
		}
		g->colmap[c] = i;
		g->defcol[i] = c;
	}
	/* required columns */
	for (int i = 0; i < ds->ncols; i++) {
		if ((ds->cols[i].flags & KDX_COL_REQUIRED) && g->defcol[i] < 0)
			add_problem(g, row->rowno, -1, NULL, "見出し行に必須の列を追加してください（列の順番は自由です）。",
			            "必須の列「%s」がありません。", ds->cols[i].name);
		if ((ds->cols[i].flags & KDX_COL_FUNCTION) && g->defcol[i] < 0)
			add_warning(g, "%s の機能列「%s」がないため、全施設で「なし」として扱いました", ds->title, ds->cols[i].name);
	}
	/* municipality: code and/or name; procedures: 手続番号 or 手続名 */
	int ci_code = -1, ci_name = -1, ci_pid = -1, ci_pname = -1;
	for (int i = 0; i < ds->ncols; i++) {
		if (ds->cols[i].kind == KDX_COL_MUNI_CODE) ci_code = i;
		if (ds->cols[i].kind == KDX_COL_MUNI_NAME) ci_name = i;
		if (ds->cols[i].kind == KDX_COL_PROC_ID) ci_pid = i;
		if (ds->cols[i].kind == KDX_COL_PROC_NAME) ci_pname = i;
	}
	if (ci_code >= 0 && !(ds->cols[ci_code].flags & KDX_COL_REQUIRED) && g->defcol[ci_code] < 0 && g->defcol[ci_name] < 0)
		add_problem(g, row->rowno, -1, NULL, "「市町村コード」列か「市町村名」列（または両方）を追加してください。",
		            "市町村を示す列がありません。");
	if (ci_pid >= 0 && g->defcol[ci_pid] < 0 && g->defcol[ci_pname] < 0)
		add_problem(g, row->rowno, -1, NULL, "「手続番号」列（K01〜N18）を追加してください。",
		            "手続を示す列（手続番号または手続名）がありません。");
	return true;
}

/* ---- value parsing --------------------------------------------------------- */

static const char *cell(const kdx_row *row, int c)
{
	return (c >= 0 && c < row->ncells) ? row->cells[c] : NULL;
}

static bool parse_ym(const char *v, char out[8])
{
	kdx_date d;
	char buf[64];
	if (kdx_date_parse(v, &d) == KDX_DATE_OK) {
		snprintf(out, 8, "%04d-%02d", d.y, d.m);
		return true;
	}
	/* "2025-04", "2025/4", "2025年4月", "R7.4", "令和7年4月": add a day and parse */
	size_t n = strlen(v);
	if (n > 40)
		return false;
	const char *suffix;
	if (n >= 3 && !strcmp(v + n - 3, "月"))
		suffix = "1日";
	else if (strchr(v, '/'))
		suffix = "/1";
	else if (strchr(v, '.'))
		suffix = ".1";
	else
		suffix = "-1";
	snprintf(buf, sizeof buf, "%s%s", v, suffix);
	if (kdx_date_parse(buf, &d) != KDX_DATE_OK)
		return false;
	snprintf(out, 8, "%04d-%02d", d.y, d.m);
	return true;
}

static bool is_number(const char *v)
{
	if (!*v)
		return false;
	char *end;
	strtod(v, &end);
	return *end == '\0';
}

static void enum_fix(kdx_buf *b, const char *const *values)
{
	for (int i = 0; values[i]; i++)
		kdx_buf_printf(b, "%s%s", i ? "、" : "", values[i]);
}

static bool sub_is(const struct sub *s, kdx_ds ds, const char *muni, kdx_date d)
{
	return s->ds == ds && !strcmp(s->muni, muni) && !kdx_date_cmp(s->date, d);
}

static struct sub *find_sub(struct ingest *g, kdx_ds ds, const struct muni *mu, kdx_date d)
{
	const char *muni = mu->code;
	int *last = &g->muni_sub[mu - g->munis];
	if (*last && sub_is(&g->subs[*last - 1], ds, muni, d))
		return &g->subs[*last - 1];
	for (int i = 0; i < g->nsubs; i++)
		if (sub_is(&g->subs[i], ds, muni, d)) {
			*last = i + 1;
			return &g->subs[i];
		}
	*last = g->nsubs + 1;
	g->subs = kdx_xrealloc(g->subs, (size_t)(g->nsubs + 1) * sizeof *g->subs);
	struct sub *s = &g->subs[g->nsubs++];
	memset(s, 0, sizeof *s);
	s->ds = ds;
	snprintf(s->muni, sizeof s->muni, "%s", muni);
	s->date = d;
	s->sheet = kdx_strdup(g->sheet);
	return s;
}

/* ---- PostgreSQL's binary COPY format: no escaping, and nothing for the
 * server to parse (its text input functions were a quarter of a load) ---- */

static inline void put_be(unsigned char *q, unsigned long long v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		q[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
}

/* n more bytes at the end of b, with one check for room; the caller fills them. */
static inline unsigned char *bin_room(kdx_buf *b, size_t n)
{
	kdx_buf_reserve(b, n);
	unsigned char *q = (unsigned char *)b->data + b->len;
	b->len += n;
	b->data[b->len] = '\0';
	return q;
}

/* A field's length word and its bytes (data, n) or, when data is NULL, the
 * integer v in vbytes big-endian bytes. */
static inline void bin_field(kdx_buf *b, const void *data, size_t n, unsigned long long v, int vbytes)
{
	size_t len = data ? n : (size_t)vbytes;
	unsigned char *q = bin_room(b, 4 + len);
	put_be(q, len, 4);
	if (data)
		memcpy(q + 4, data, n);
	else
		put_be(q + 4, v, vbytes);
}

static void bin_i16(kdx_buf *b, int v)
{
	put_be(bin_room(b, 2), (unsigned short)v, 2);
}

static void bin_null(kdx_buf *b)
{
	put_be(bin_room(b, 4), 0xFFFFFFFFu, 4);  /* length -1 */
}

static void bin_i32(kdx_buf *b, long v)
{
	bin_field(b, NULL, 0, (unsigned long long)(unsigned int)(int)v, 4);
}

static void bin_i64(kdx_buf *b, long v)
{
	bin_field(b, NULL, 0, (unsigned long long)v, 8);
}

static void bin_bool(kdx_buf *b, bool v)
{
	bin_field(b, NULL, 0, v ? 1 : 0, 1);
}

/* a date is its day count from 2000-01-01 */
static void bin_date(kdx_buf *b, kdx_date d)
{
	static long y2k = -1;
	if (y2k < 0)
		y2k = kdx_date_to_days((kdx_date){ 2000, 1, 1 });
	bin_i32(b, kdx_date_to_days(d) - y2k);
}

static void bin_text(kdx_buf *b, const char *s)
{
	if (!s)
		bin_null(b);
	else
		bin_field(b, s, strlen(s), 0, 0);
}

static kdx_status flush_copy(struct ingest *g, bool final, kdx_error **err)
{
	if (g->nprobs > 0)
		return KDX_OK;
	if (!g->copying && g->copy.len == 0)
		return KDX_OK;
	kdx_status st;
	if (!g->copying) {
		char sql[512];
		snprintf(sql, sizeof sql, "COPY %s FROM STDIN (FORMAT binary)", kdx_datasets[g->ds].copy_target);
		if ((st = kdx_db_copy_begin(g->db, sql, err)) != KDX_OK)
			return st;
		g->copying = true;
		/* the signature, no flags, no header extension */
		static const char head[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
		if ((st = kdx_db_copy_put(g->db, head, sizeof head, err)) != KDX_OK)
			return st;
	}
	if (final)
		bin_i16(&g->copy, -1);  /* the trailer */
	if (g->copy.len && (st = kdx_db_copy_put(g->db, g->copy.data, g->copy.len, err)) != KDX_OK)
		return st;
	kdx_buf_reset(&g->copy);
	if (final) {
		g->copying = false;
		long took = -1;
		if ((st = kdx_db_copy_end_rows(g->db, &took, err)) != KDX_OK)
			return st;
		/* the fact tables have no per-row foreign keys: the count must agree */
		if (took != g->copy_rows) {
			st = kdx_fail(err, KDX_EINTERNAL, "the warehouse took %ld rows of %s where kdx sent %ld", took,
			              kdx_datasets[g->ds].copy_target, g->copy_rows);
			return st;
		}
		g->copy_rows = 0;
	}
	return KDX_OK;
}

/* The ledger: one kdx.submission row per (dataset, municipality, survey date)
 * the batch delivered.  A national survey export delivers thousands; one COPY
 * instead of an INSERT each took 1.2 s off a national ingest. */
static kdx_status copy_submissions(const struct ingest *g, kdx_error **err)
{
	if (g->nsubs == 0)
		return KDX_OK;
	kdx_buf b = { 0 };
	for (int i = 0; i < g->nsubs; i++) {
		const struct sub *s = &g->subs[i];
		char iso[16];
		kdx_date_iso(s->date, iso, sizeof iso);
		kdx_buf_add_long(&b, g->batch_id);
		kdx_buf_addc(&b, '\t');
		kdx_buf_copy_field(&b, kdx_datasets[s->ds].id);
		kdx_buf_addc(&b, '\t');
		kdx_buf_copy_field(&b, s->muni);
		kdx_buf_addc(&b, '\t');
		kdx_buf_adds(&b, iso);
		kdx_buf_addc(&b, '\t');
		kdx_buf_copy_field(&b, s->sheet);
		kdx_buf_addc(&b, '\t');
		kdx_buf_add_long(&b, s->rows);
		kdx_buf_addc(&b, '\n');
	}
	long took = -1;
	kdx_status st = kdx_db_copy_buffer(g->db, "COPY kdx.submission (batch_id, dataset, muni_code, survey_date, sheet, row_count)"
	                                   " FROM STDIN", b.data, b.len, &took, err);
	kdx_buf_free(&b);
	if (st == KDX_OK && took != g->nsubs)
		st = kdx_fail(err, KDX_EINTERNAL, "the warehouse took %ld submissions where kdx sent %d", took, g->nsubs);
	return st;
}

/* Validate one data row; when the file is still clean, append it to the COPY stream. */
static void data_row(struct ingest *g, const kdx_row *row)
{
	const kdx_dataset *ds = &kdx_datasets[g->ds];
	const char *norm[64] = { 0 };
	const char *orig[64] = { 0 };
	size_t at[64];
	bool empty = true;
	int nbefore = g->nprobs;
	/* the normalised cells go one after another into the row's scratch */
	kdx_buf_reset(&g->rowmem);
	for (int i = 0; i < ds->ncols; i++) {
		orig[i] = cell(row, g->defcol[i]);
		at[i] = orig[i] ? kdx_text_norm_to(&g->rowmem, orig[i]) : (size_t)-1;
	}
	for (int i = 0; i < ds->ncols; i++) {
		if (at[i] != (size_t)-1 && g->rowmem.data[at[i]]) {
			norm[i] = g->rowmem.data + at[i];
			empty = false;
		}
	}
	/* a row with nothing in the known columns: skipped only when it is blank everywhere */
	if (empty) {
		for (int c = 0; c < row->ncells; c++) {
			char *t = row->cells[c] ? kdx_text_norm(row->cells[c]) : NULL;
			if (t && *t) {
				add_problem(g, row->rowno, c, row->cells[c], "必要な列に値を入力するか、この行を削除してください。",
				            "この行には必須の列の値がありません。");
				free(t);
				break;
			}
			free(t);
		}
		return;
	}
	g->rows_seen++;

	kdx_date date = { 0, 0, 0 };
	const struct muni *m = NULL;
	const char *vals[64] = { 0 };   /* parsed values per col_def, for COPY */
	char scratch[64][32];
	kdx_buf fix = { 0 };

	for (int i = 0; i < ds->ncols; i++) {
		const kdx_col_def *cd = &ds->cols[i];
		int c = g->defcol[i];
		const char *v = norm[i];
		if (c < 0)
			continue;
		if (!v) {
			if ((cd->flags & KDX_COL_REQUIRED) && cd->kind != KDX_COL_MUNI_CODE)
				add_problem(g, row->rowno, c, NULL, "値を入力してください。", "「%s」が空欄です。", cd->name);
			continue;
		}
		if (orig[i][0] == '#' && !strncmp(orig[i], "#ERR:", 5)) {
			add_problem(g, row->rowno, c, orig[i] + 5, "数式のエラーを解消し、値を入力してください。",
			            "セルがエラー値（%s）になっています。", orig[i] + 5);
			continue;
		}
		switch (cd->kind) {
		case KDX_COL_DATE: {
			if (g->last_date_text[0] && !strcmp(v, g->last_date_text)) {
				date = g->last_date;
				vals[i] = g->last_date_iso;
				break;
			}
			kdx_date_result r = kdx_date_parse(v, &date);
			if (r == KDX_DATE_NONEXISTENT)
				add_problem(g, row->rowno, c, orig[i], "正しい日付（例: 2025-04-01 または 令和7年4月1日）を入力してください。",
				            "存在しない日付です。");
			else if (r == KDX_DATE_ERA_RANGE)
				add_problem(g, row->rowno, c, orig[i], "元号と年の組み合わせを確認してください（平成31年4月30日の翌日が令和元年5月1日）。",
				            "元号の範囲外の日付です。");
			else if (r != KDX_DATE_OK)
				add_problem(g, row->rowno, c, orig[i], "2025-04-01、2025/4/1、令和7年4月1日、R7.4.1 のいずれかの形で入力してください。",
				            "日付として読めません。");
			if (r == KDX_DATE_OK) {
				kdx_date_iso(date, scratch[i], sizeof scratch[i]);
				vals[i] = scratch[i];
				if (strlen(v) < sizeof g->last_date_text) {
					strcpy(g->last_date_text, v);
					g->last_date = date;
					strcpy(g->last_date_iso, scratch[i]);
				}
			} else {
				date.y = 0;
			}
			break;
		}
		case KDX_COL_MUNI_CODE: {
			unsigned slot = (unsigned)hash_str(v) & 63;
			if (g->muni_cache[slot].m && !strcmp(v, g->muni_cache[slot].text)) {
				m = g->muni_cache[slot].m;
				break;
			}
			char code[7];
			char *k = kdx_text_key(v);
			kdx_muni_code_result r = kdx_muni_code_normalise(k, code);
			/* 4 or 5 digits may be a code whose leading zero a spreadsheet dropped
			 * (北海道 012017 typed as a number is 12017): that reading is taken when
			 * it names one of the council's municipalities */
			const struct muni *direct = r == KDX_MUNI_OK ? muni_by_code(g, code) : NULL;
			const struct muni *padded = NULL;
			size_t kl = strlen(k);
			char zk[8], zcode[7];
			if ((kl == 4 || kl == 5) && strspn(k, "0123456789") == kl) {
				snprintf(zk, sizeof zk, "0%s", k);
				if (kdx_muni_code_normalise(zk, zcode) == KDX_MUNI_OK)
					padded = muni_by_code(g, zcode);
			}
			if (direct && padded) {
				add_problem(g, row->rowno, c, orig[i], "市町村コードを 6 桁（検査数字を含む）で入力してください。",
				            "市町村コード「%s」は %s（%s）とも %s（%s）とも読めます。", k, direct->code, direct->name,
				            padded->code, padded->name);
				free(k);
				break;
			}
			if (!direct && padded) {
				r = KDX_MUNI_OK;
				memcpy(code, zcode, sizeof code);
			}
			if (r == KDX_MUNI_SYNTAX)
				add_problem(g, row->rowno, c, orig[i], "6 桁（または 5 桁）の全国地方公共団体コードを入力してください（例: 442011）。",
				            "市町村コードの形式が正しくありません。");
			else if (r == KDX_MUNI_CHECKDIGIT)
				add_problem(g, row->rowno, c, orig[i], "6 桁目（検査数字）を確認してください。",
				            "市町村コードの検査数字が一致しません（正しくは %.5s%d）。", k, kdx_muni_check_digit((char[6]){ k[0], k[1], k[2], k[3], k[4], 0 }));
			else if (!(m = muni_by_code(g, code)))
				add_problem(g, row->rowno, c, orig[i], "この協議会の市町村のコードを入力してください。",
				            "市町村コード %s は%sの市町村ではありません。", code, g->pref_name);
			else if (strlen(v) < sizeof g->muni_cache[slot].text) {
				strcpy(g->muni_cache[slot].text, v);
				g->muni_cache[slot].m = m;
			}
			free(k);
			break;
		}
		default:
			break;
		}
	}

	/* municipality by name (alone, or checked against the code) */
	int ci_name = -1, ci_code = -1;
	for (int i = 0; i < ds->ncols; i++) {
		if (ds->cols[i].kind == KDX_COL_MUNI_NAME) ci_name = i;
		if (ds->cols[i].kind == KDX_COL_MUNI_CODE) ci_code = i;
	}
	if (ci_name >= 0 && norm[ci_name]) {
		char *k = kdx_text_key(norm[ci_name]);
		const struct muni *byname = NULL;
		int hits = 0;
		for (int j = 0; j < g->nmunis; j++) {
			if (!strcmp(g->munis[j].name_key, k) || !strcmp(g->munis[j].short_key, k)) {
				if (byname != &g->munis[j])
					hits++;
				byname = &g->munis[j];
			}
		}
		int c = g->defcol[ci_name];
		if (hits == 0)
			add_problem(g, row->rowno, c, orig[ci_name], "正式な市町村名（例: 大分市）を入力するか、市町村コードを入力してください。",
			            "市町村名「%s」は%sの市町村にありません。", norm[ci_name], g->pref_name);
		else if (hits > 1)
			add_problem(g, row->rowno, c, orig[ci_name], "市町村コードを入力してください。",
			            "市町村名「%s」は%s内で複数の市町村に当てはまります。", norm[ci_name], g->pref_name);
		else if (m && m != byname)
			add_problem(g, row->rowno, c, orig[ci_name], "市町村コードと市町村名のどちらが正しいか確認してください。",
			            "市町村名「%s」が市町村コード %s（%s）と一致しません。", norm[ci_name], m->code, m->name);
		else if (!m && (ci_code < 0 || !norm[ci_code]))
			m = byname;
		free(k);
	} else if (ci_code >= 0 && !norm[ci_code] && g->defcol[ci_code] >= 0) {
		add_problem(g, row->rowno, g->defcol[ci_code], NULL, "市町村コードを入力してください。", "「市町村コード」が空欄です。");
	} else if (ci_code >= 0 && g->defcol[ci_code] < 0 && ci_name >= 0 && g->defcol[ci_name] >= 0 && !norm[ci_name]) {
		add_problem(g, row->rowno, g->defcol[ci_name], NULL, "市町村名を入力してください。", "「市町村名」が空欄です。");
	}

	/* mixed 調査基準日 within one sheet */
	if (date.y) {
		if (!g->have_date) {
			g->have_date = true;
			g->first_date = date;
			g->first_date_row = row->rowno;
		} else if (kdx_date_cmp(date, g->first_date) != 0) {
			char a[16];
			kdx_date_iso(g->first_date, a, sizeof a);
			add_problem(g, row->rowno, g->defcol[0], orig[0], "1 つのファイル（シート）の調査基準日はすべて同じ日付にしてください。",
			            "調査基準日が %ld 行目の %s と異なります。", g->first_date_row, a);
		}
	}

	/* the dataset's own columns */
	const char *key = NULL;
	char keybuf[300];
	unsigned long long bit = 0;
	const char *facility_group = NULL;
	for (int i = 0; i < ds->ncols; i++) {
		const kdx_col_def *cd = &ds->cols[i];
		int c = g->defcol[i];
		const char *v = norm[i];
		if (c < 0 || !v || (orig[i][0] == '#' && !strncmp(orig[i], "#ERR:", 5)))
			continue;
		kdx_buf_reset(&fix);
		switch (cd->kind) {
		case KDX_COL_ID:
			vals[i] = v;
			key = v;
			break;
		case KDX_COL_NAME:
			if (is_number(v))
				add_problem(g, row->rowno, c, orig[i], "名称を文字で入力してください（番号は番号の列へ）。",
				            "「%s」が数値になっています。", cd->name);
			vals[i] = v;
			break;
		case KDX_COL_TEXT:
			vals[i] = orig[i];
			break;
		case KDX_COL_ENUM: {
			const char *e = kdx_parse_enum(v, cd->values);
			if (!e) {
				kdx_buf_adds(&fix, "次のいずれかを入力してください: ");
				enum_fix(&fix, cd->values);
				kdx_buf_adds(&fix, "。");
				add_problem(g, row->rowno, c, orig[i], fix.data, "「%s」の値が正しくありません。", cd->name);
			}
			vals[i] = e;
			break;
		}
		case KDX_COL_FLAG:
		case KDX_COL_SETTING:
		case KDX_COL_CLOSING: {
			kdx_flag f = cd->kind == KDX_COL_CLOSING ? kdx_parse_closing(v) : kdx_parse_flag(v);
			if (f == KDX_FLAG_INVALID)
				add_problem(g, row->rowno, c, orig[i],
				            cd->kind == KDX_COL_SETTING ? "有 または 無 を入力してください。"
				            : cd->kind == KDX_COL_CLOSING ? "統廃合の予定がある場合は「予定」、ない場合は空欄にしてください。"
				            : kdx_flag_hint(),
				            "「%s」の値が正しくありません。", cd->name);
			vals[i] = f == KDX_FLAG_YES ? "t" : "f";
			break;
		}
		case KDX_COL_FY: {
			int fy;
			if (!kdx_fy_parse(v, &fy)) {
				add_problem(g, row->rowno, c, orig[i], "年度を 2027、R9 または 令和9年度 の形で入力してください。",
				            "「%s」を年度として読めません。", cd->name);
			} else {
				snprintf(scratch[i], sizeof scratch[i], "%d", fy);
				vals[i] = scratch[i];
			}
			break;
		}
		case KDX_COL_YM:
			if (!parse_ym(v, scratch[i]))
				add_problem(g, row->rowno, c, orig[i], "年月を 2025-04 または 令和7年4月 の形で入力してください。",
				            "「%s」を年月として読めません。", cd->name);
			else
				vals[i] = scratch[i];
			break;
		case KDX_COL_FACILITY_TYPE: {
			/* a survey uses a handful of types: look them up once */
			int t;
			for (t = 0; t < g->ntype_cache; t++)
				if (!strcmp(v, g->type_cache[t].text))
					break;
			if (t < g->ntype_cache) {
				facility_group = g->type_cache[t].group;
				vals[i] = v;
				break;
			}
			char *k = kdx_text_key(v);
			facility_group = kdx_facility_group(k);
			free(k);
			if (facility_group && g->ntype_cache < 16 && strlen(v) < sizeof g->type_cache[0].text) {
				strcpy(g->type_cache[g->ntype_cache].text, v);
				g->type_cache[g->ntype_cache++].group = facility_group;
			}
			if (!facility_group) {
				kdx_buf_printf(&fix, "次のいずれかを入力してください: %s。", kdx_facility_types_hint());
				add_problem(g, row->rowno, c, orig[i], fix.data, "施設種別「%s」は対象の種別にありません。", v);
			}
			vals[i] = v;
			break;
		}
		case KDX_COL_PROC_ID: {
			char id[8] = "";
			char *k = kdx_text_key(v);
			if (strlen(k) < sizeof id) {
				for (size_t j = 0; k[j]; j++)
					id[j] = (k[j] >= 'a' && k[j] <= 'z') ? (char)(k[j] - 32) : k[j];
				id[strlen(k)] = '\0';
			}
			free(k);
			int found = -1;
			for (int j = 0; j < g->nprocs; j++)
				if (!strcmp(g->procs[j].id, id))
					found = j;
			if (found < 0) {
				add_problem(g, row->rowno, c, orig[i], "K01〜K15 または N01〜N18 の手続番号を入力してください。",
				            "手続番号「%s」はありません。", v);
			} else {
				vals[i] = g->procs[found].id;
				key = g->procs[found].id;
				bit = 1ULL << found;
			}
			break;
		}
		case KDX_COL_PROC_NAME: {
			char *k = kdx_text_key(v);
			int found = -1, hits = 0;
			for (int j = 0; j < g->nprocs; j++) {
				struct proc *p = &g->procs[j];
				if (!strcmp(p->catname_key, k) || !strcmp(p->name_key, k)) {
					hits++;
					found = j;
				}
			}
			free(k);
			int ci_pid = -1;
			for (int j = 0; j < ds->ncols; j++)
				if (ds->cols[j].kind == KDX_COL_PROC_ID)
					ci_pid = j;
			bool have_id = g->defcol[ci_pid] >= 0 && norm[ci_pid];
			if (have_id) {
				/* the ID decides; a name that names another procedure is a mistake */
				if (vals[ci_pid] && hits == 1 && strcmp(g->procs[found].id, vals[ci_pid]) != 0)
					add_problem(g, row->rowno, c, orig[i], "手続番号と手続名のどちらが正しいか確認してください。",
					            "手続名「%s」が手続番号 %s と一致しません（%s の名称です）。", v, vals[ci_pid], g->procs[found].id);
			} else if (hits == 0) {
				add_problem(g, row->rowno, c, orig[i], "手続番号（K01〜N18）を入力してください。", "手続名「%s」は対象の手続にありません。", v);
			} else if (hits > 1) {
				add_problem(g, row->rowno, c, orig[i], "分類を付けた名称（例: 児童扶養手当 現況届）か手続番号を入力してください。",
				            "手続名「%s」は複数の手続に当てはまります。", v);
			} else {
				vals[ci_pid] = g->procs[found].id;
				key = g->procs[found].id;
				bit = 1ULL << found;
			}
			break;
		}
		case KDX_COL_PLATFORM: {
			const char *pf = kdx_parse_platform(v);
			if (!pf) {
				kdx_buf_adds(&fix, "次のいずれかを入力してください: ");
				enum_fix(&fix, cd->values);
				kdx_buf_adds(&fix, "。");
				add_problem(g, row->rowno, c, orig[i], fix.data, "基盤「%s」は対象の基盤にありません。", v);
			} else {
				for (int j = 0; cd->values[j]; j++)
					if (!strcmp(cd->values[j], pf))
						bit = 1ULL << j;
			}
			vals[i] = pf;
			key = pf;
			break;
		}
		case KDX_COL_ITEM: {
			char *k = kdx_text_key(v);
			int found = -1;
			for (int j = 0; j < g->nitems; j++)
				if (!strcmp(g->items[j].code_key, k) || !strcmp(g->items[j].name_key, k))
					found = j;
			free(k);
			if (found < 0) {
				kdx_buf_adds(&fix, "次のいずれかを入力してください: ");
				for (int j = 0; j < g->nitems; j++)
					kdx_buf_printf(&fix, "%s%s", j ? "、" : "", g->items[j].code);
				kdx_buf_adds(&fix, "。");
				add_problem(g, row->rowno, c, orig[i], fix.data, "項目「%s」は産後ケアDXの項目にありません。", v);
			} else {
				vals[i] = g->items[found].code;
				key = g->items[found].code;
				bit = 1ULL << found;
			}
			break;
		}
		default:
			break;
		}
	}

	/* 特例対象外 only on PMH rows */
	if (g->ds == KDX_DS_PLATFORMS && vals[3] && vals[4] && !strcmp(vals[4], "特例対象外") && !kdx_platform_is_pmh(vals[3]))
		add_problem(g, row->rowno, g->defcol[4], orig[4], "特例対象外は PMH の行にだけ使えます。導入済、類似システム導入済、導入予定、未定 のいずれかを入力してください。",
		            "「%s」に特例対象外は指定できません。", vals[3]);

	/* duplicate keys within the file */
	if (m) {
		if (g->ds == KDX_DS_SETTINGS)
			key = "";
		if (key) {
			/* "<dataset>|<code>|<key>", the key cut to fit */
			size_t kl = strlen(key);
			if (kl > sizeof keybuf - 12)
				kl = sizeof keybuf - 12;
			keybuf[0] = (char)('0' + g->ds);
			keybuf[1] = '|';
			memcpy(keybuf + 2, m->code, 6);
			keybuf[8] = '|';
			memcpy(keybuf + 9, key, kl);
			keybuf[9 + kl] = '\0';
			long prev = strset_put(&g->keys, keybuf, row->rowno);
			if (prev) {
				int kc = -1;
				for (int i = 0; i < ds->ncols; i++)
					if (ds->cols[i].kind == KDX_COL_ID || ds->cols[i].kind == KDX_COL_PROC_ID ||
					    ds->cols[i].kind == KDX_COL_PLATFORM || ds->cols[i].kind == KDX_COL_ITEM)
						if (g->defcol[i] >= 0 && kc < 0)
							kc = g->defcol[i];
				if (kc < 0)
					kc = g->defcol[1] >= 0 ? g->defcol[1] : g->defcol[2];
				if (g->ds == KDX_DS_SETTINGS)
					add_problem(g, row->rowno, kc, m->code, "市町村ごとに 1 行にしてください。",
					            "%s の設定が %ld 行目にもあります。", m->name, prev);
				else
					add_problem(g, row->rowno, kc, key, "重複している行の一方を削除するか、番号を直してください。",
					            "%s の「%s」が %ld 行目と重複しています。", m->name, key, prev);
			}
		}
	}

	/* the row's key counts as present even when another of its cells is wrong,
	 * so that a bad value is not also reported as a missing row */
	if (m && bit && !date.y && g->have_date)
		find_sub(g, (kdx_ds)g->ds, m, g->first_date)->have |= bit;
	if (m && date.y && g->nprobs != nbefore)
		find_sub(g, (kdx_ds)g->ds, m, date)->have |= bit;
	if (g->nprobs == nbefore && m && date.y) {
		struct sub *s = find_sub(g, (kdx_ds)g->ds, m, date);
		s->rows++;
		s->have |= bit;
		if (!s->first_row)
			s->first_row = row->rowno;
		g->rows_total++;
		if (g->nprobs == 0) {
			g->copy_rows++;
			/* COPY binary: batch_id, muni_code, survey_date, src_sheet, src_row, then per dataset */
			kdx_buf *b = &g->copy;
			static const int nfields[KDX_DS_COUNT] = {
				[KDX_DS_NURSERY] = 17, [KDX_DS_CLUBS] = 15, [KDX_DS_PROCEDURES] = 10,
				[KDX_DS_PLATFORMS] = 9, [KDX_DS_POSTPARTUM] = 8, [KDX_DS_SETTINGS] = 8,
			};
			bin_i16(b, nfields[g->ds]);
			bin_i64(b, g->batch_id);
			bin_text(b, m->code);
			bin_date(b, date);
			bin_text(b, g->sheet);
			bin_i32(b, row->rowno);
#define F(i) bin_text(b, vals[i])
#define FB(i) bin_bool(b, vals[i] && vals[i][0] == 't')
#define FI(i) (vals[i] ? bin_i32(b, atol(vals[i])) : bin_null(b))
			switch (g->ds) {
			case KDX_DS_NURSERY:
				F(3); F(4); F(5);
				bin_text(b, facility_group);
				F(6); FB(7); FB(8); FB(9); FB(10); FB(11); FB(12); F(13);
				break;
			case KDX_DS_CLUBS:
				F(3); F(4); F(5); FB(6); FB(7); FB(8); FB(9); FB(10); FB(11); F(12);
				break;
			case KDX_DS_PROCEDURES:
				F(3); F(5); F(6); FI(7); F(8);
				break;
			case KDX_DS_PLATFORMS:
				F(3); F(4); FI(5); F(6);
				break;
			case KDX_DS_POSTPARTUM:
				F(3); F(4); FI(5);
				break;
			case KDX_DS_SETTINGS:
				FB(3); FB(4); FB(5);
				break;
			default:
				break;
			}
#undef F
#undef FB
#undef FI
		}
	}
	kdx_buf_free(&fix);
}

struct row_ctx {
	struct ingest *g;
	kdx_status st;
	kdx_error **err;
};

static int on_row(void *ud, const kdx_row *row)
{
	struct row_ctx *rc = ud;
	struct ingest *g = rc->g;
	if (g->ds < 0) {
		bool blank = true;
		for (int c = 0; c < row->ncells; c++)
			if (row->cells[c] && *row->cells[c])
				blank = false;
		if (blank)
			return 0;
		if (try_header(g, row))
			return 0;
		/* the header is looked for in the first rows only */
		return ++g->scanned >= HEADER_SCAN_ROWS;
	}
	data_row(g, row);
	if (g->copy.len >= COPY_FLUSH) {
		rc->st = flush_copy(g, false, rc->err);
		if (rc->st != KDX_OK)
			return 1;
	}
	return 0;
}

/* After a sheet: completeness of municipal submissions (SPEC §2, settled rules). */
static void check_complete(struct ingest *g, kdx_ds ds)
{
	for (int i = 0; i < g->nsubs; i++) {
		struct sub *s = &g->subs[i];
		if (s->ds != ds)
			continue;
		const struct muni *m = muni_by_code(g, s->muni);
		if (ds == KDX_DS_PROCEDURES) {
			int fy = kdx_fiscal_year(s->date);
			for (int j = 0; j < g->nprocs; j++) {
				struct proc *p = &g->procs[j];
				if (p->is_new && p->goal_fy <= fy && !(s->have & (1ULL << j)))
					add_problem(g, s->first_row ? s->first_row : g->header_row, -1, NULL, "この手続の行を追加し、状況（電子化済、準備中、未着手、所掌外）を入力してください。",
					            "%s の手続 %s（%s）の行がありません。", m ? m->name : s->muni, p->id, p->name_key);
			}
		} else if (ds == KDX_DS_PLATFORMS) {
			static const char *const need[] = { "保育業務施設管理PF", "保活情報連携基盤", "PMH医療費助成", "PMH予防接種" };
			for (int j = 0; j < 4; j++)
				if (!(s->have & (1ULL << j)))
					add_problem(g, s->first_row ? s->first_row : g->header_row, -1, NULL, "この基盤の行を追加し、状況を入力してください。",
					            "%s の基盤「%s」の行がありません。", m ? m->name : s->muni, need[j]);
		} else if (ds == KDX_DS_POSTPARTUM) {
			for (int j = 0; j < g->nitems; j++)
				if (!(s->have & (1ULL << j)))
					add_problem(g, s->first_row ? s->first_row : g->header_row, -1, NULL, "この項目の行を追加し、状況（実施済、準備中、未実施）を入力してください。",
					            "%s の産後ケアDX項目「%s」の行がありません。", m ? m->name : s->muni, g->items[j].code);
		}
	}
}

static void reset_sheet(struct ingest *g, const char *sheet)
{
	g->sheet = sheet;
	g->ds = -1;
	g->forced_ds = -1;
	g->header_row = 0;
	g->rows_seen = 0;
	g->scanned = 0;
	g->have_date = false;
	clear_header(g);
	if (sheet) {
		char *k = kdx_text_key(sheet);
		for (int d = 0; d < KDX_DS_COUNT; d++)
			if ((kdx_datasets[d].sheet && !strcmp(k, kdx_datasets[d].sheet)) || !strcmp(k, kdx_datasets[d].title))
				g->forced_ds = d;
		free(k);
	}
}

/* Read one table (a CSV file or an xlsx sheet) and stream it. */
static kdx_status finish_sheet(struct ingest *g, kdx_error **err)
{
	if (g->ds < 0)
		return KDX_OK;
	if (g->seen_dataset[g->ds] && g->nprobs == 0) {
		/* two sheets of one dataset would need two COPYs into one key space */
		add_problem(g, g->header_row, -1, NULL, "1 つのファイルには各データセットを 1 シートだけにしてください。",
		            "%s のシートが 2 つあります。", kdx_datasets[g->ds].title);
	}
	g->seen_dataset[g->ds] = true;
	if (g->rows_seen == 0)
		add_problem(g, g->header_row, -1, NULL, "見出し行の下にデータを入力してください。",
		            "%s の見出し行の後にデータ行がありません。", kdx_datasets[g->ds].title);
	check_complete(g, (kdx_ds)g->ds);
	return flush_copy(g, true, err);
}

/* ---- reports ------------------------------------------------------------- */

static char *report_base(const char *dir, const char *fname)
{
	return kdx_strdup_printf("%s/%s.reject", dir, fname);
}

static kdx_status write_reports(struct ingest *g, const char *sha, const kdx_ingest_opts *o, kdx_ingest_result *res,
                                kdx_error **err)
{
	kdx_buf t = { 0 }, c = { 0 };
	kdx_buf_printf(&t, "取込エラー報告（kdx %s）\n\n", "reject report");
	kdx_buf_printf(&t, "ファイル: %s\nSHA-256: %s\n", g->fname, sha);
	kdx_buf_printf(&t, "結果: 取り込みませんでした（問題 %d 件）。このファイルの内容は 1 行も登録されていません。\n", g->nprobs);
	kdx_buf_adds(&t, "対応: 下の問題をすべて直して、ファイル全体をもう一度提出してください。\n\n");
	kdx_buf_adds(&c, "番号,ファイル,シート,行,列,セル,値,問題,修正方法\r\n");
	for (int i = 0; i < g->nprobs; i++) {
		struct problem *p = &g->probs[i];
		char *w = where_text(g, p);
		kdx_buf_printf(&t, "%d. %s", i + 1, w);
		if (p->value)
			kdx_buf_printf(&t, "  値「%s」", p->value);
		kdx_buf_printf(&t, "\n   問題: %s\n   修正方法: %s\n\n", p->msg, p->fix);
		char num[32];
		kdx_buf_printf(&c, "%d,", i + 1);
		kdx_buf_csv_field(&c, g->fname);
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->sheet);
		kdx_buf_addc(&c, ',');
		if (p->row > 0) {
			snprintf(num, sizeof num, "%ld", p->row);
			kdx_buf_adds(&c, num);
		}
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->column);
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->cell);
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->value);
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->msg);
		kdx_buf_addc(&c, ',');
		kdx_buf_csv_field(&c, p->fix);
		kdx_buf_adds(&c, "\r\n");
		free(w);
	}
	if (g->nwarns) {
		kdx_buf_adds(&t, "参考（取込を妨げない注意）:\n");
		for (int i = 0; i < g->nwarns; i++)
			kdx_buf_printf(&t, "- %s\n", g->warns[i]);
	}
	kdx_status st = KDX_OK;
	const char *dirs[2] = { o->rejects_dir, o->beside_dir };
	for (int d = 0; d < 2; d++) {
		if (!dirs[d])
			continue;
		if (kdx_mkdirs(dirs[d], 0750) != 0) {
			st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dirs[d], strerror(errno));
			break;
		}
		char *base = report_base(dirs[d], g->fname);
		char *txt = kdx_strdup_printf("%s.txt", base);
		char *csv = kdx_strdup_printf("%s.csv", base);
		/* the CSV carries a BOM so that Excel opens it as UTF-8 */
		kdx_buf cb = { 0 };
		kdx_buf_add(&cb, "\xEF\xBB\xBF", 3);
		kdx_buf_add(&cb, c.data, c.len);
		st = kdx_write_file_atomic(txt, t.data, t.len, err);
		if (st == KDX_OK)
			st = kdx_write_file_atomic(csv, cb.data, cb.len, err);
		kdx_buf_free(&cb);
		if (d == 0) {
			res->report_txt = txt;
			res->report_csv = csv;
		} else {
			free(txt);
			free(csv);
		}
		free(base);
		if (st != KDX_OK)
			break;
	}
	kdx_buf_free(&t);
	kdx_buf_free(&c);
	return st;
}

/* ---- the file --------------------------------------------------------------- */

static void free_ingest(struct ingest *g)
{
	for (int i = 0; i < g->nmunis; i++) {
		free(g->munis[i].name);
		free(g->munis[i].short_name);
		free(g->munis[i].name_key);
		free(g->munis[i].short_key);
	}
	free(g->munis);
	free(g->muni_sub);
	free(g->pref_name);
	for (int i = 0; i < g->nprocs; i++) {
		free(g->procs[i].name_key);
		free(g->procs[i].cat_key);
		free(g->procs[i].catname_key);
	}
	free(g->procs);
	for (int i = 0; i < g->nitems; i++) {
		free(g->items[i].code);
		free(g->items[i].code_key);
		free(g->items[i].name_key);
	}
	free(g->items);
	for (int i = 0; i < g->nprobs; i++) {
		struct problem *p = &g->probs[i];
		free(p->sheet);
		free(p->column);
		free(p->cell);
		free(p->value);
		free(p->msg);
		free(p->fix);
	}
	free(g->probs);
	for (int i = 0; i < g->nwarns; i++)
		free(g->warns[i]);
	free(g->warns);
	for (int i = 0; i < g->nsubs; i++)
		free(g->subs[i].sheet);
	free(g->subs);
	clear_header(g);
	kdx_buf_free(&g->copy);
	kdx_buf_free(&g->rowmem);
	strset_free(&g->keys);
}

void kdx_ingest_result_clear(kdx_ingest_result *res)
{
	free(res->sha256);
	free(res->summary);
	free(res->report_txt);
	free(res->report_csv);
	memset(res, 0, sizeof *res);
}

/* A problem that concerns the whole file (unreadable, no dataset). */
static void file_problem(struct ingest *g, const kdx_error *e)
{
	kdx_buf fix = { 0 };
	add_problem(g, e->row, -1, NULL, e->hint ? e->hint : "ファイルを確認して提出し直してください。", "%s",
	            e->detail ? e->detail : e->primary);
	if (e->offset >= 0) {
		g->probs[g->nprobs - 1].value = kdx_strdup_printf("%ld バイト目", e->offset);
	}
	kdx_buf_free(&fix);
}

struct csv_feed {
	kdx_csv *csv;
	kdx_status st;
	kdx_error *fe;
};

static int feed_csv(void *ud, const char *text, size_t len)
{
	struct csv_feed *cf = ud;
	cf->st = kdx_csv_feed(cf->csv, text, len, &cf->fe);
	return cf->st != KDX_OK || kdx_csv_stopped(cf->csv);
}

static kdx_status read_tables(struct ingest *g, kdx_input *in, const kdx_ingest_opts *o, char **encoding,
                              kdx_error **err)
{
	kdx_status st = KDX_OK;
	struct row_ctx rc = { g, KDX_OK, err };
	if (g->is_xlsx) {
		kdx_xlsx *x = NULL;
		kdx_error *fe = NULL;
		if (kdx_xlsx_open(g->path, NULL, &x, &fe) != KDX_OK) {
			if (fe->status != KDX_EDATA) {
				*err = fe;
				return fe->status;
			}
			file_problem(g, fe);
			kdx_error_free(fe);
			return KDX_OK;
		}
		for (int i = 0; i < kdx_xlsx_sheet_count(x) && st == KDX_OK; i++) {
			reset_sheet(g, kdx_xlsx_sheet_name(x, i));
			st = kdx_xlsx_read_sheet(x, i, on_row, &rc, &fe);
			if (st == KDX_EDATA) {
				file_problem(g, fe);
				kdx_error_free(fe);
				fe = NULL;
				st = KDX_OK;
			} else if (st != KDX_OK) {
				*err = fe;
				break;
			}
			if (rc.st != KDX_OK) {
				st = rc.st;
				break;
			}
			if (g->ds < 0 && g->forced_ds >= 0)
				add_problem(g, 0, -1, NULL, "記入用テンプレートの見出し行を消さずに入力してください。",
				            "シート「%s」に %s の見出し行が見つかりません。", g->sheet, kdx_datasets[g->forced_ds].title);
			else if (g->ds < 0 && strcmp(g->sheet, "記入方法") != 0)
				add_warning(g, "シート「%s」はデータセットではないため読み飛ばしました", g->sheet);
			if (st == KDX_OK)
				st = finish_sheet(g, err);
		}
		kdx_xlsx_free(x);
		*encoding = kdx_strdup("xlsx");
		/* minizip read the file by name: it must still be what was hashed */
		if (st == KDX_OK && kdx_input_changed(in)) {
			st = kdx_fail(err, KDX_EIO, "file \"%s\" changed while it was being read", g->fname);
			kdx_error_hint(*err, "Load it again once whatever writes it has finished.");
		}
		return st;
	}
	/* decode and parse as the COPY goes: no decoded copy of the file is held */
	kdx_encoding used = KDX_ENC_AUTO;
	struct csv_feed cf = { kdx_csv_new(on_row, &rc), KDX_OK, NULL };
	if (!cf.csv)
		return kdx_fail(err, KDX_ENOMEM, "could not initialise the CSV parser");
	reset_sheet(g, NULL);
	kdx_error *fe = NULL;
	kdx_status dst = kdx_decode_stream(in, o->encoding, &used, feed_csv, &cf, &fe);
	*encoding = kdx_strdup(kdx_encoding_name(used));
	if (cf.st == KDX_OK && dst == KDX_OK && !kdx_csv_stopped(cf.csv))
		cf.st = kdx_csv_finish(cf.csv, &cf.fe);
	kdx_csv_free(cf.csv);
	if (rc.st != KDX_OK) {
		kdx_error_free(fe);
		kdx_error_free(cf.fe);
		return rc.st;
	}
	/* the rest of the file cannot be read: no completeness checks on a fragment */
	if (dst == KDX_EDATA || cf.st == KDX_EDATA) {
		file_problem(g, dst == KDX_EDATA ? fe : cf.fe);
		kdx_error_free(fe);
		kdx_error_free(cf.fe);
		return KDX_OK;
	}
	if (dst != KDX_OK || cf.st != KDX_OK) {
		*err = dst != KDX_OK ? fe : cf.fe;
		if (dst != KDX_OK)
			kdx_error_free(cf.fe);
		else
			kdx_error_free(fe);
		return dst != KDX_OK ? dst : cf.st;
	}
	return finish_sheet(g, err);
}

kdx_status kdx_ingest_file(kdx_db *db, const char *path, const kdx_ingest_opts *o,
                           kdx_ingest_result *res, kdx_error **err)
{
	struct ingest g;
	memset(&g, 0, sizeof g);
	memset(res, 0, sizeof *res);
	g.db = db;
	g.path = path;
	g.ds = -1;
	const char *slash = strrchr(path, '/');
	g.fname = slash ? slash + 1 : path;
	/* read in pieces, never whole: a first pass finds the digest and the encoding */
	kdx_input in;
	kdx_status st = kdx_input_open(&in, path, err);
	if (st != KDX_OK)
		return st;
	char *encoding = NULL;
	res->sha256 = kdx_strdup(in.sha256);
	char magic[4];
	g.is_xlsx = kdx_input_read(&in, 0, magic, 4) == 4 && !memcmp(magic, "PK\x03\x04", 4);

	/* the same content again is a no-op */
	const char *p1[] = { res->sha256 };
	PGresult *r = kdx_db_query(db, "SELECT id, file_name FROM kdx.load_batch WHERE sha256 = $1", 1, p1, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto out;
	}
	if (PQntuples(r) > 0) {
		res->outcome = KDX_INGEST_ALREADY;
		res->batch_id = atol(PQgetvalue(r, 0, 0));
		res->summary = kdx_strdup_printf("already loaded as batch %ld (%s); nothing changed", res->batch_id, PQgetvalue(r, 0, 1));
		PQclear(r);
		st = KDX_OK;
		goto out;
	}
	PQclear(r);
	if ((st = load_master(&g, err)) != KDX_OK)
		goto out;
	if (in.size == 0) {
		add_problem(&g, 0, -1, NULL, "データを入力したファイルを提出してください。", "ファイルが空です。");
		goto rejected;
	}

	char mtime[64] = "";
	if (!in.copy) {  /* a pipe has no modification time of its own */
		time_t secs = (time_t)(in.mtime_ns / 1000000000LL);
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(mtime, sizeof mtime, "%Y-%m-%d %H:%M:%S+00", &tm);
	}
	if ((st = kdx_db_begin(db, err)) != KDX_OK)
		goto out;
	const char *p2[] = { g.fname, path, res->sha256, g.is_xlsx ? "xlsx" : "csv", mtime[0] ? mtime : NULL };
	r = kdx_db_query(db, "INSERT INTO kdx.load_batch (file_name, file_path, sha256, format, file_mtime)"
	                     " VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, p2, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto rollback;
	}
	g.batch_id = atol(PQgetvalue(r, 0, 0));
	PQclear(r);

	if ((st = read_tables(&g, &in, o, &encoding, err)) != KDX_OK)
		goto rollback;
	bool any = false;
	for (int d = 0; d < KDX_DS_COUNT; d++)
		any |= g.seen_dataset[d];
	if (!any && g.nprobs == 0)
		add_problem(&g, 1, -1, NULL, "kdx の記入用テンプレートか、仕様の見出し（例: 調査基準日, 市町村コード, 施設番号, 施設名, 施設種別, 設置主体 …）を付けたファイルを提出してください。",
		            "見出し行がどのデータセットにも当てはまりません。");
	if (g.nprobs > 0) {
		if (g.copying)
			PQputCopyEnd(db->conn, "rejected");
		kdx_db_rollback(db);
		goto rejected;
	}

	/* the ledger: what this batch delivered */
	if ((st = copy_submissions(&g, err)) != KDX_OK)
		goto rollback;
	kdx_buf summary = { 0 };
	{
		char bid[32], rows[32];
		snprintf(bid, sizeof bid, "%ld", g.batch_id);
		snprintf(rows, sizeof rows, "%ld", g.rows_total);
		const char *p4[] = { bid, rows, encoding };
		r = kdx_db_query(db, "UPDATE kdx.load_batch SET row_count = $2, encoding = $3 WHERE id = $1", 3, p4, err);
		if (!r) {
			kdx_buf_free(&summary);
			st = KDX_EINTERNAL;
			goto rollback;
		}
		PQclear(r);
		/* which earlier batches this one supersedes */
		r = kdx_db_query(db,
			"SELECT s.dataset, count(DISTINCT s.muni_code), min(s.survey_date), max(s.survey_date),"
			" (SELECT count(*) FROM kdx.submission o WHERE o.batch_id < s.batch_id AND o.dataset = s.dataset"
			"   AND (o.muni_code, o.survey_date) IN (SELECT muni_code, survey_date FROM kdx.submission x"
			"     WHERE x.batch_id = s.batch_id AND x.dataset = s.dataset))"
			" FROM kdx.submission s WHERE s.batch_id = $1 GROUP BY s.batch_id, s.dataset ORDER BY s.dataset", 1, p4, err);
		if (!r) {
			kdx_buf_free(&summary);
			st = KDX_EINTERNAL;
			goto rollback;
		}
		for (int i = 0; i < PQntuples(r); i++) {
			kdx_buf_printf(&summary, "%s%s: %s municipalit%s, 調査基準日 %s", i ? "; " : "", PQgetvalue(r, i, 0),
			               PQgetvalue(r, i, 1), atoi(PQgetvalue(r, i, 1)) == 1 ? "y" : "ies", PQgetvalue(r, i, 2));
			if (strcmp(PQgetvalue(r, i, 2), PQgetvalue(r, i, 3)))
				kdx_buf_printf(&summary, "..%s", PQgetvalue(r, i, 3));
			if (atoi(PQgetvalue(r, i, 4)) > 0)
				kdx_buf_printf(&summary, ", supersedes %s earlier submission%s", PQgetvalue(r, i, 4),
				               atoi(PQgetvalue(r, i, 4)) == 1 ? "" : "s");
		}
		PQclear(r);
	}
	if ((st = kdx_db_commit(db, err)) != KDX_OK) {
		kdx_buf_free(&summary);
		goto out;
	}
	res->outcome = KDX_INGEST_LOADED;
	res->batch_id = g.batch_id;
	res->rows = g.rows_total;
	res->warnings = g.nwarns;
	res->summary = kdx_buf_steal(&summary);
	for (int i = 0; i < g.nwarns; i++)
		kdx_log_warning("%s: %s", g.fname, g.warns[i]);
	goto out;

rejected:
	res->outcome = KDX_INGEST_REJECTED;
	res->problems = g.nprobs;
	if ((st = write_reports(&g, res->sha256, o, res, err)) != KDX_OK)
		goto out;
	{
		char np[16];
		snprintf(np, sizeof np, "%d", g.nprobs);
		const char *p5[] = { g.fname, res->sha256, np, res->report_txt };
		r = kdx_db_query(db, "INSERT INTO kdx.rejection (file_name, sha256, problems, report_path) VALUES ($1, $2, $3, $4)",
		                 4, p5, NULL);
		PQclear(r);
	}
	{
		kdx_error *e = kdx_error_new(KDX_EDATA, "file \"%s\" rejected: %d problem%s, nothing loaded", g.fname, g.nprobs,
		                             g.nprobs == 1 ? "" : "s");
		kdx_buf d = { 0 };
		int shown = g.nprobs < 20 ? g.nprobs : 20;
		for (int i = 0; i < shown; i++) {
			struct problem *p = &g.probs[i];
			char *w = where_text(&g, p);
			kdx_buf_printf(&d, "%s%s: %s", i ? "\n" : "", g.fname, w);
			if (p->value)
				kdx_buf_printf(&d, " 値「%s」", p->value);
			kdx_buf_printf(&d, ": %s", p->msg);
			free(w);
		}
		if (g.nprobs > shown)
			kdx_buf_printf(&d, "\n... and %d more", g.nprobs - shown);
		e->detail = kdx_buf_steal(&d);
		e->hint = kdx_strdup_printf("The reject report for the submitter is %s (and .csv).", res->report_txt);
		kdx_error_free(*err);
		*err = e;
	}
	st = KDX_EDATA;
	goto out;

rollback:
	if (g.copying)
		PQputCopyEnd(db->conn, "error");
	kdx_db_rollback(db);
out:
	free(encoding);
	kdx_input_close(&in);
	free_ingest(&g);
	return st;
}
