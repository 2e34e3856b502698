/*
 * ingest.c - validate a file against the data contract and load it whole.
 *
 * One transaction per file.  Rows stream into COPY while the file is clean;
 * at the first problem kdx stops sending but keeps validating, so that the
 * reject report lists every problem, and the transaction is rolled back.
 *
 * The parts live beside this file: the header row (header.c), one validator
 * per column kind (validate.c), the binary COPY encoding (copybin.c) and the
 * reject report (reject.c).  Here are the rules across cells of a row and
 * across rows, and the order of things: one table (a CSV file or a workbook
 * sheet) after another, row by row, then the ledger.
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
#include "kdx/copybin.h"
#include "kdx/datasets.h"
#include "kdx/header.h"
#include "kdx/reader.h"
#include "kdx/reject.h"
#include "kdx/strset.h"
#include "kdx/validate.h"
#include "kdx/jdate.h"
#include "kdx/buf.h"
#include "kdx/fsutil.h"

#define COPY_FLUSH (64u << 10)
#define HEADER_SCAN_ROWS 10

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
	const char *path;        /* as given: for reading */
	char *shown_path;        /* as shown and stored (kdx_shown_name): valid UTF-8, no control character */
	const char *fname;       /* its last part */
	bool is_xlsx;
	kdx_master master;
	kdx_validator_ctx vc;
	kdx_problems probs;
	/* the batch */
	long batch_id;
	long rows_total;
	struct sub *subs;
	int nsubs;
	int *muni_sub;           /* per municipality (index in master.munis): its last sub + 1, or 0 */
	bool seen_dataset[KDX_DS_COUNT];
	/* the table being read */
	const char *sheet;       /* NULL for CSV */
	int forced_ds;           /* -1, or the dataset the sheet name implies */
	kdx_header h;
	int width;               /* CSV: fields up to the header's last named column */
	int hfields;             /* CSV: the header's fields, with any empty ones after them */
	int rows_seen;
	long scanned;            /* rows looked at for a header */
	bool copying;
	kdx_buf copy;
	long copy_rows;          /* rows in the current COPY */
	bool have_date;          /* the table's first 調査基準日, which every row must share */
	kdx_date first_date;
	long first_date_row;
	kdx_date today;          /* in the council's time zone: no survey date may be after it */
	kdx_strset keys;         /* "<dataset>|<code>|<key>" of every row so far */
	kdx_buf rowmem;          /* the row's normalised cells, reset for every row */
};

/* One data row as it is checked. */
struct row {
	const kdx_row *in;
	const char *norm[KDX_HEADER_MAX_DEFS];  /* per column of the dataset: normalised, NULL when blank */
	const char *orig[KDX_HEADER_MAX_DEFS];  /* as written */
	kdx_cell_value val[KDX_HEADER_MAX_DEFS];
	bool good[KDX_HEADER_MAX_DEFS];         /* its validator accepted it */
	kdx_cell_problem name_why;              /* 手続名's verdict, which the row decides on */
	kdx_cell_problem code_why;              /* a 市町村コード that reads two ways, for 市町村名 to decide */
	const kdx_master_muni *muni;
	kdx_date date;                          /* .y == 0 when not known */
	const char *key;                        /* what must be unique per municipality */
	unsigned long long bit;                 /* the procedure, platform or item, for completeness */
};

/* ---- the COPY stream ------------------------------------------------------ */

/* Stop feeding the server; the transaction will be rolled back. */
static void abort_copy(struct ingest *g)
{
	if (!g->copying)
		return;
	PQputCopyEnd(g->db->conn, "rejected");
	PGresult *r;
	while ((r = PQgetResult(g->db->conn)) != NULL)
		PQclear(r);
	g->copying = false;
}

static kdx_status flush_copy(struct ingest *g, bool final, kdx_error **err)
{
	if (g->probs.n > 0) {
		abort_copy(g);
		return KDX_OK;
	}
	if (!g->copying && g->copy.len == 0)
		return KDX_OK;
	kdx_status st;
	if (!g->copying) {
		char sql[512];
		snprintf(sql, sizeof sql, "COPY %s FROM STDIN (FORMAT binary)", kdx_datasets[g->h.ds].copy_target);
		if ((st = kdx_db_copy_begin(g->db, sql, err)) != KDX_OK)
			return st;
		g->copying = true;
		if ((st = kdx_db_copy_put(g->db, KDX_COPYBIN_HEAD, KDX_COPYBIN_HEAD_LEN, err)) != KDX_OK)
			return st;
	}
	if (final)
		kdx_copybin_trailer(&g->copy);
	if (g->copy.len && (st = kdx_db_copy_put(g->db, g->copy.data, g->copy.len, err)) != KDX_OK)
		return st;
	kdx_buf_reset(&g->copy);
	if (!final)
		return KDX_OK;
	g->copying = false;
	long took = -1;
	if ((st = kdx_db_copy_end_rows(g->db, &took, err)) != KDX_OK)
		return st;
	/* the fact tables have no per-row foreign keys: the count must agree */
	if (took != g->copy_rows)
		return kdx_fail(err, KDX_EINTERNAL, "the warehouse took %ld rows of %s where kdx sent %ld", took,
		                kdx_datasets[g->h.ds].copy_target, g->copy_rows);
	g->copy_rows = 0;
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

/* ---- master data ------------------------------------------------------ */

static kdx_status load_master(struct ingest *g, kdx_error **err)
{
	kdx_master *ms = &g->master;
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
	for (int i = 0; i < PQntuples(r); i++)
		kdx_master_add_muni(ms, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
	kdx_master_done(ms);
	snprintf(ms->pref, sizeof ms->pref, "%s", PQgetvalue(r, 0, 3));
	ms->pref_name = kdx_strdup(PQgetvalue(r, 0, 4));
	PQclear(r);

	r = kdx_db_query(g->db, "SELECT id, name, category, kind = 'N', coalesce(goal_fy, 0) FROM kdx.procedure ORDER BY ord",
	                 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	for (int i = 0; i < PQntuples(r); i++)
		kdx_master_add_proc(ms, PQgetvalue(r, i, 0), PQgetvalue(r, i, 2), PQgetvalue(r, i, 1),
		                    PQgetvalue(r, i, 3)[0] == 't', atoi(PQgetvalue(r, i, 4)));
	PQclear(r);

	r = kdx_db_query(g->db, "SELECT code, name FROM kdx.goal_item WHERE goal = 'postpartum' ORDER BY ord", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	for (int i = 0; i < PQntuples(r); i++)
		kdx_master_add_item(ms, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	g->muni_sub = kdx_xcalloc((size_t)ms->nmunis, sizeof *g->muni_sub);
	g->vc.master = ms;
	return KDX_OK;
}

/* ---- submissions ------------------------------------------------------------ */

static bool sub_is(const struct sub *s, kdx_ds ds, const char *muni, kdx_date d)
{
	return s->ds == ds && !strcmp(s->muni, muni) && !kdx_date_cmp(s->date, d);
}

static struct sub *find_sub(struct ingest *g, kdx_ds ds, const kdx_master_muni *mu, kdx_date d)
{
	const char *muni = mu->code;
	int *last = &g->muni_sub[mu - g->master.munis];
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

/* ---- one row: its cells ---------------------------------------------------- */

static int col_of_kind(const kdx_dataset *ds, kdx_col_kind kind)
{
	for (int i = 0; i < ds->ncols; i++)
		if (ds->cols[i].kind == kind)
			return i;
	return -1;
}

/* Normalise the row's cells into g->rowmem.  False for a row with nothing in
 * the dataset's columns: skipped when it is blank everywhere, a problem when
 * it has values in columns kdx does not read. */
static bool normalise_row(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	const kdx_row *in = r->in;
	size_t at[KDX_HEADER_MAX_DEFS];
	bool empty = true;
	kdx_buf_reset(&g->rowmem);
	for (int i = 0; i < ds->ncols; i++) {
		int c = g->h.defcol[i];
		r->orig[i] = (c >= 0 && c < in->ncells) ? in->cells[c] : NULL;
		at[i] = r->orig[i] ? kdx_text_norm_to(&g->rowmem, r->orig[i]) : (size_t)-1;
	}
	/* the scratch may have moved while it grew: point into it only now */
	for (int i = 0; i < ds->ncols; i++) {
		r->norm[i] = NULL;
		if (at[i] != (size_t)-1 && g->rowmem.data[at[i]]) {
			r->norm[i] = g->rowmem.data + at[i];
			empty = false;
		}
	}
	if (!empty)
		return true;
	for (int c = 0; c < in->ncells; c++) {
		char *t = in->cells[c] ? kdx_text_norm(in->cells[c]) : NULL;
		bool some = t && *t;
		free(t);
		if (some) {
			kdx_problems_at(&g->probs, KDX_P_ROW_NO_KNOWN_VALUE, in->rowno, c, in->cells[c],
			                "この行には必須の列の値がありません。", "必要な列に値を入力するか、この行を削除してください。");
			break;
		}
	}
	return false;
}

/* Each cell through its column kind's validator.  手続名's verdict waits for
 * the row (a 手続番号 beside it decides). */
static void check_cells(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	long rowno = r->in->rowno;
	for (int i = 0; i < ds->ncols; i++) {
		const kdx_col_def *cd = &ds->cols[i];
		int c = g->h.defcol[i];
		r->good[i] = false;
		if (c < 0)
			continue;
		if (!r->norm[i]) {
			if ((cd->flags & KDX_COL_REQUIRED) && cd->kind != KDX_COL_MUNI_CODE)
				kdx_problems_atf(&g->probs, KDX_P_VALUE_BLANK, rowno, c, NULL, "値を入力してください。", "「%s」が空欄です。", cd->name);
			continue;
		}
		if (r->orig[i][0] == '#' && !strncmp(r->orig[i], "#ERR:", 5)) {
			kdx_problems_atf(&g->probs, KDX_P_CELL_ERROR, rowno, c, r->orig[i] + 5, "数式のエラーを解消し、値を入力してください。",
			                 "セルがエラー値（%s）になっています。", r->orig[i] + 5);
			continue;
		}
		if (r->orig[i][0] == '#' && !strncmp(r->orig[i], "#NOVALUE:", 9)) {
			kdx_problems_atf(&g->probs, KDX_P_FORMULA_NO_VALUE, rowno, c, r->orig[i] + 9,
			                 "ブックを Excel または LibreOffice で開き、計算させてから保存し直して提出してください。",
			                 "数式（%s）の計算結果がブックに保存されていません。", r->orig[i] + 9);
			continue;
		}
		kdx_cell_problem why = { 0 };
		if (kdx_validate_cell(&g->vc, cd, r->norm[i], r->orig[i], &r->val[i], &why) == KDX_P_NONE) {
			r->good[i] = true;
		} else if (cd->kind == KDX_COL_PROC_NAME) {
			r->name_why = why;
			continue;
		} else if (why.code == KDX_P_MUNI_CODE_AMBIGUOUS) {
			r->code_why = why;
			continue;
		} else {
			kdx_problems_at(&g->probs, why.code, rowno, c, r->orig[i], why.msg, why.fix);
		}
		kdx_cell_problem_clear(&why);
	}
}

/* ---- one row: rules across its cells ---------------------------------------- */

/* The municipality: by its code, by its name, or both when they agree. */
static void resolve_muni(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	int code = col_of_kind(ds, KDX_COL_MUNI_CODE), name = col_of_kind(ds, KDX_COL_MUNI_NAME);
	long rowno = r->in->rowno;
	if (r->code_why.code) {
		/* 12203: 122033 without its check digit or 012203 without its leading
		 * zero; the row's 市町村名 says which */
		const kdx_master_muni *byname = name >= 0 && r->good[name] ? r->val[name].muni : NULL;
		if (byname && (byname == r->val[code].muni || byname == r->val[code].alt)) {
			r->val[code].muni = byname;
			r->good[code] = true;
		} else if (name >= 0 && r->norm[name] && byname) {
			kdx_problems_atf(&g->probs, KDX_P_MUNI_CODE_AMBIGUOUS, rowno, g->h.defcol[code], r->orig[code], r->code_why.fix,
			                 "%s市町村名「%s」はそのどちらでもありません。", r->code_why.msg, r->norm[name]);
		} else if (!(name >= 0 && r->norm[name])) {
			/* with a 市町村名 column, its name would settle it */
			bool has_name_col = name >= 0 && g->h.defcol[name] >= 0;
			kdx_problems_at(&g->probs, KDX_P_MUNI_CODE_AMBIGUOUS, rowno, g->h.defcol[code], r->orig[code], r->code_why.msg,
			                has_name_col ? "市町村コードを 6 桁（検査数字を含む）で入力するか、市町村名の列に市町村名を入力してください。"
			                             : r->code_why.fix);
		}
		/* else: the name itself is wrong, and its validator said so */
		kdx_cell_problem_clear(&r->code_why);
	}
	if (code >= 0 && r->good[code])
		r->muni = r->val[code].muni;
	if (name >= 0 && r->norm[name]) {
		const kdx_master_muni *byname = r->good[name] ? r->val[name].muni : NULL;
		if (!byname)
			return;  /* the validator said why */
		if (r->muni && r->muni != byname)
			kdx_problems_atf(&g->probs, KDX_P_MUNI_MISMATCH, rowno, g->h.defcol[name], r->orig[name],
			                 "市町村コードと市町村名のどちらが正しいか確認してください。",
			                 "市町村名「%s」が市町村コード %s（%s）と一致しません。", r->norm[name], r->muni->code, r->muni->name);
		else if (!r->muni && (code < 0 || !r->norm[code]))
			r->muni = byname;
	} else if (code >= 0 && !r->norm[code] && g->h.defcol[code] >= 0) {
		kdx_problems_at(&g->probs, KDX_P_VALUE_BLANK, rowno, g->h.defcol[code], NULL, "「市町村コード」が空欄です。",
		                "市町村コードを入力してください。");
	} else if (code >= 0 && g->h.defcol[code] < 0 && name >= 0 && g->h.defcol[name] >= 0 && !r->norm[name]) {
		kdx_problems_at(&g->probs, KDX_P_VALUE_BLANK, rowno, g->h.defcol[name], NULL, "「市町村名」が空欄です。",
		                "市町村名を入力してください。");
	}
}

/* 手続番号 decides; a 手続名 that names another procedure is a mistake, and a
 * 手続名 alone must name exactly one procedure. */
static void resolve_procedure(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	int pid = col_of_kind(ds, KDX_COL_PROC_ID), pname = col_of_kind(ds, KDX_COL_PROC_NAME);
	if (pid < 0 || pname < 0 || g->h.defcol[pname] < 0 || !r->norm[pname])
		return;
	int c = g->h.defcol[pname];
	const char *v = r->norm[pname];
	if (g->h.defcol[pid] >= 0 && r->norm[pid]) {
		if (r->good[pid] && r->good[pname] && strcmp(r->val[pname].text, r->val[pid].text) != 0)
			kdx_problems_atf(&g->probs, KDX_P_PROC_MISMATCH, r->in->rowno, c, r->orig[pname],
			                 "手続番号と手続名のどちらが正しいか確認してください。",
			                 "手続名「%s」が手続番号 %s と一致しません（%s の名称です）。", v, r->val[pid].text, r->val[pname].text);
	} else if (!r->good[pname]) {
		kdx_problems_at(&g->probs, r->name_why.code, r->in->rowno, c, r->orig[pname], r->name_why.msg, r->name_why.fix);
	} else {
		r->val[pid] = r->val[pname];
		r->good[pid] = true;
	}
}

/* 特例対象外 only on PMH rows. */
static void check_tokurei(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	int pf = col_of_kind(ds, KDX_COL_PLATFORM), st = pf + 1;
	if (pf < 0 || !r->good[pf] || !r->good[st] || strcmp(r->val[st].text, "特例対象外") != 0 ||
	    kdx_platform_is_pmh(r->val[pf].text))
		return;
	kdx_problems_atf(&g->probs, KDX_P_TOKUREI_NOT_PMH, r->in->rowno, g->h.defcol[st], r->orig[st],
	                 "特例対象外は PMH の行にだけ使えます。導入済、類似システム導入済、導入予定、未定 のいずれかを入力してください。",
	                 "「%s」に特例対象外は指定できません。", r->val[pf].text);
}

/* The row's 調査基準日, key and completeness bit from its good cells. */
static void row_facts(struct ingest *g, struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	r->date.y = 0;
	for (int i = 0; i < ds->ncols; i++) {
		if (!r->good[i])
			continue;
		switch (ds->cols[i].kind) {
		case KDX_COL_DATE:
			r->date = r->val[i].date;
			break;
		case KDX_COL_ID:
		case KDX_COL_PROC_ID:
		case KDX_COL_PLATFORM:
		case KDX_COL_ITEM:
			r->key = r->val[i].text;
			if (r->val[i].index >= 0)
				r->bit = 1ULL << r->val[i].index;
			break;
		default:
			break;
		}
	}
	if (g->h.ds == KDX_DS_SETTINGS)
		r->key = "";  /* one row per municipality */
}

/* ---- rules across rows ---------------------------------------------------------- */

/* One 調査基準日 in a table. */
static void check_survey_date(struct ingest *g, const struct row *r)
{
	if (!r->date.y)
		return;
	if (kdx_date_cmp(r->date, g->today) > 0) {
		char t[32];
		kdx_date_wareki(g->today, t, sizeof t);
		kdx_problems_atf(&g->probs, KDX_P_DATE_FUTURE, r->in->rowno, g->h.defcol[0], r->orig[0],
		                 "調査基準日には調査の基準となった日（今日以前の日付）を入力してください。",
		                 "調査基準日が今日（%s）より後の日付です。", t);
		return;
	}
	if (!g->have_date) {
		g->have_date = true;
		g->first_date = r->date;
		g->first_date_row = r->in->rowno;
	} else if (kdx_date_cmp(r->date, g->first_date) != 0) {
		char a[16];
		kdx_date_iso(g->first_date, a, sizeof a);
		kdx_problems_atf(&g->probs, KDX_P_DATE_MIXED, r->in->rowno, g->h.defcol[0], r->orig[0],
		                 "1 つのファイル（シート）の調査基準日はすべて同じ日付にしてください。",
		                 "調査基準日が %ld 行目の %s と異なります。", g->first_date_row, a);
	}
}

/* A facility, club, procedure, platform or item once per municipality. */
static void check_duplicate_key(struct ingest *g, const struct row *r)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	if (!r->muni || !r->key)
		return;
	/* "<dataset>|<code>|<key>", the key cut to fit */
	char keybuf[300];
	size_t kl = strlen(r->key);
	if (kl > sizeof keybuf - 12)
		kl = sizeof keybuf - 12;
	keybuf[0] = (char)('0' + g->h.ds);
	keybuf[1] = '|';
	memcpy(keybuf + 2, r->muni->code, 6);
	keybuf[8] = '|';
	memcpy(keybuf + 9, r->key, kl);
	keybuf[9 + kl] = '\0';
	long prev = kdx_strset_put(&g->keys, keybuf, r->in->rowno);
	if (!prev)
		return;
	int kc = -1;
	for (int i = 0; i < ds->ncols && kc < 0; i++) {
		kdx_col_kind k = ds->cols[i].kind;
		if ((k == KDX_COL_ID || k == KDX_COL_PROC_ID || k == KDX_COL_PLATFORM || k == KDX_COL_ITEM) && g->h.defcol[i] >= 0)
			kc = g->h.defcol[i];
	}
	if (kc < 0)
		kc = g->h.defcol[1] >= 0 ? g->h.defcol[1] : g->h.defcol[2];
	if (g->h.ds == KDX_DS_SETTINGS)
		kdx_problems_atf(&g->probs, KDX_P_SETTINGS_DUPLICATE, r->in->rowno, kc, r->muni->code, "市町村ごとに 1 行にしてください。",
		                 "%s の設定が %ld 行目にもあります。", r->muni->name, prev);
	else
		kdx_problems_atf(&g->probs, KDX_P_KEY_DUPLICATE, r->in->rowno, kc, r->key,
		                 "重複している行の一方を削除するか、番号を直してください。",
		                 "%s の「%s」が %ld 行目と重複しています。", r->muni->name, r->key, prev);
}

/* After a table: every procedure, platform and item a municipality must report
 * (SPEC §2, settled rules). */
static void check_complete(struct ingest *g, kdx_ds ds)
{
	static const char *const need[] = { "保育業務施設管理PF", "保活情報連携基盤", "PMH医療費助成", "PMH予防接種" };
	const kdx_master *ms = &g->master;
	for (int i = 0; i < g->nsubs; i++) {
		struct sub *s = &g->subs[i];
		if (s->ds != ds)
			continue;
		const kdx_master_muni *m = kdx_master_muni_by_code(ms, s->muni);
		const char *who = m ? m->name : s->muni;
		long at = s->first_row ? s->first_row : g->h.row;
		if (ds == KDX_DS_PROCEDURES) {
			int fy = kdx_fiscal_year(s->date);
			for (int j = 0; j < ms->nprocs; j++) {
				const kdx_master_proc *p = &ms->procs[j];
				if (p->is_new && p->goal_fy <= fy && !(s->have & (1ULL << j)))
					kdx_problems_atf(&g->probs, KDX_P_PROC_ROW_MISSING, at, -1, NULL,
					                 "この手続の行を追加し、状況（電子化済、準備中、未着手、所掌外）を入力してください。",
					                 "%s の手続 %s（%s）の行がありません。", who, p->id, p->name_key);
			}
		} else if (ds == KDX_DS_PLATFORMS) {
			for (int j = 0; j < 4; j++)
				if (!(s->have & (1ULL << j)))
					kdx_problems_atf(&g->probs, KDX_P_PLATFORM_ROW_MISSING, at, -1, NULL, "この基盤の行を追加し、状況を入力してください。",
					                 "%s の基盤「%s」の行がありません。", who, need[j]);
		} else if (ds == KDX_DS_POSTPARTUM) {
			for (int j = 0; j < ms->nitems; j++)
				if (!(s->have & (1ULL << j)))
					kdx_problems_atf(&g->probs, KDX_P_ITEM_ROW_MISSING, at, -1, NULL,
					                 "この項目の行を追加し、状況（実施済、準備中、未実施）を入力してください。",
					                 "%s の産後ケアDX項目「%s」の行がありません。", who, ms->items[j].code);
		}
	}
}

/* ---- one row: record it --------------------------------------------------------- */

/* Count the row in its submission and, while the file is clean, send it. */
static void record_row(struct ingest *g, const struct row *r, bool clean_row)
{
	const kdx_dataset *ds = &kdx_datasets[g->h.ds];
	kdx_ds d = (kdx_ds)g->h.ds;
	/* the row's key counts as present even when another of its cells is wrong,
	 * so that a bad value is not also reported as a missing row */
	if (r->muni && r->bit && !r->date.y && g->have_date)
		find_sub(g, d, r->muni, g->first_date)->have |= r->bit;
	if (!r->muni || !r->date.y)
		return;
	struct sub *s = find_sub(g, d, r->muni, r->date);
	s->have |= r->bit;
	if (!clean_row)
		return;
	s->rows++;
	if (!s->first_row)
		s->first_row = r->in->rowno;
	g->rows_total++;
	if (g->probs.n > 0)
		return;
	const char *vals[KDX_HEADER_MAX_DEFS];
	const char *group = NULL;
	for (int i = 0; i < ds->ncols; i++) {
		vals[i] = r->good[i] ? r->val[i].text : NULL;
		if (r->good[i] && ds->cols[i].kind == KDX_COL_FACILITY_TYPE)
			group = r->val[i].group;
	}
	kdx_fact_origin o = { g->batch_id, r->muni->code, r->date, g->sheet, r->in->rowno };
	kdx_copybin_fact(&g->copy, d, &o, vals, group);
	g->copy_rows++;
}

/* A CSV row has as many fields as its header: a field too many or too few
 * means the values have slid into other columns.  Excel writes every line of
 * a sheet as wide as its widest, the header too: a row as wide as the header
 * line is fine, though its last fields are empty.  True when the row is out. */
static bool check_width(struct ingest *g, const kdx_row *in)
{
	if (g->sheet)
		return false;  /* a workbook's cells are placed by their names */
	if (in->ncells < g->width) {
		kdx_problems_atf(&g->probs, KDX_P_ROW_TOO_FEW_FIELDS, in->rowno, -1, NULL,
		                 "値の抜けた列がないか確認し、空欄の列もカンマで区切って、見出し行と同じ数の列にしてください。",
		                 "この行の値は %d 個で、見出し行の %d 列より少なくなっています。", in->ncells, g->width);
		return true;
	}
	if (in->ncells > g->hfields) {
		int c = g->hfields;
		while (c < in->ncells - 1 && !(in->cells[c] && *in->cells[c]))
			c++;
		kdx_problems_atf(&g->probs, KDX_P_ROW_TOO_MANY_FIELDS, in->rowno, -1, in->cells[c],
		                 "カンマを含む値は \" で囲み、余分な値やカンマを削除して、見出し行と同じ数の列にしてください。",
		                 "この行の値は %d 個あり、見出し行の %d 列より多くなっています。", in->ncells, g->hfields);
		return true;
	}
	return false;
}

/* Validate one data row; when the file is still clean, append it to the COPY stream. */
static void data_row(struct ingest *g, const kdx_row *in)
{
	struct row r;
	r.in = in;
	if (!normalise_row(g, &r))
		return;
	g->rows_seen++;
	int before = g->probs.n;
	bool ragged = check_width(g, in);
	r.muni = NULL;
	r.key = NULL;
	r.bit = 0;
	memset(&r.name_why, 0, sizeof r.name_why);
	memset(&r.code_why, 0, sizeof r.code_why);
	check_cells(g, &r);
	resolve_muni(g, &r);
	resolve_procedure(g, &r);
	check_tokurei(g, &r);
	row_facts(g, &r);
	check_survey_date(g, &r);
	check_duplicate_key(g, &r);
	if (ragged)  /* the values are in the wrong columns: what they say is no news */
		kdx_problems_truncate(&g->probs, before + 1);
	record_row(g, &r, g->probs.n == before);
	kdx_cell_problem_clear(&r.name_why);
}

/* ---- tables ------------------------------------------------------------------- */

struct row_ctx {
	struct ingest *g;
	kdx_status st;
	kdx_error **err;
};

static int on_row(void *ud, const kdx_row *row)
{
	struct row_ctx *rc = ud;
	struct ingest *g = rc->g;
	if (g->h.ds < 0) {
		bool blank = true;
		for (int c = 0; c < row->ncells; c++)
			if (row->cells[c] && *row->cells[c])
				blank = false;
		if (blank)
			return 0;
		if (kdx_header_try(&g->h, row, g->forced_ds, &g->probs)) {
			g->width = g->hfields = row->ncells;
			while (g->width > 0 && !(row->cells[g->width - 1] && *row->cells[g->width - 1]))
				g->width--;
			return 0;
		}
		/* the header is looked for in the first rows only */
		return ++g->scanned >= HEADER_SCAN_ROWS;
	}
	data_row(g, row);
	if (g->probs.n > 0)
		abort_copy(g);
	else if (g->copy.len >= COPY_FLUSH && (rc->st = flush_copy(g, false, rc->err)) != KDX_OK)
		return 1;
	return 0;
}

static void reset_table(struct ingest *g, const char *sheet)
{
	g->sheet = sheet;
	g->forced_ds = kdx_header_sheet_dataset(sheet);
	kdx_header_clear(&g->h);
	g->rows_seen = 0;
	g->scanned = 0;
	g->have_date = false;
	g->probs.sheet = sheet;
	g->probs.cells = sheet != NULL;
	g->probs.colnames = NULL;
	g->probs.ncolnames = 0;
}

/* After a table: its cross-row checks, and the end of its COPY. */
static kdx_status finish_table(struct ingest *g, kdx_error **err)
{
	if (g->h.ds < 0)
		return KDX_OK;
	const char *title = kdx_datasets[g->h.ds].title;
	if (g->seen_dataset[g->h.ds] && g->probs.n == 0)
		/* two sheets of one dataset would need two COPYs into one key space */
		kdx_problems_atf(&g->probs, KDX_P_SHEET_TWICE, g->h.row, -1, NULL, "1 つのファイルには各データセットを 1 シートだけにしてください。",
		                 "%s のシートが 2 つあります。", title);
	g->seen_dataset[g->h.ds] = true;
	if (g->rows_seen == 0)
		kdx_problems_atf(&g->probs, KDX_P_NO_DATA_ROWS, g->h.row, -1, NULL, "見出し行の下にデータを入力してください。",
		                 "%s の見出し行の後にデータ行がありません。", title);
	check_complete(g, (kdx_ds)g->h.ds);
	return flush_copy(g, true, err);
}

/* A reader's or decoder's data error: its problem concerns the file as a whole
 * or the place the reader names. */
static void reader_problem(struct ingest *g, kdx_error *e)
{
	if (e->problem) {
		kdx_problems_take(&g->probs, e->problem);
		return;
	}
	kdx_problems_at(&g->probs, KDX_P_XLSX_UNREADABLE, 0, -1, NULL, e->detail ? e->detail : e->primary,
	                "ファイルを確認して提出し直してください。");
}

static kdx_status read_workbook(struct ingest *g, kdx_input *in, char **encoding, kdx_error **err)
{
	kdx_status st = KDX_OK;
	struct row_ctx rc = { g, KDX_OK, err };
	kdx_xlsx *x = NULL;
	kdx_error *fe = NULL;
	*encoding = kdx_strdup("xlsx");
	/* minizip opens by name: through the descriptor that was read and hashed,
	 * it opens that very file, whatever was put at the name since (a link) */
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", in->fd);
	const char *open_path = in->fd >= 0 && access(fdpath, R_OK) == 0 ? fdpath : g->path;
	kdx_status ost = kdx_xlsx_open_as(open_path, g->path, NULL, &x, &fe);
	if (ost != KDX_OK) {
		if (fe->status != KDX_EDATA) {
			*err = fe;
			return fe->status;
		}
		reader_problem(g, fe);
		kdx_error_free(fe);
		return KDX_OK;
	}
	for (int i = 0; i < kdx_xlsx_sheet_count(x) && st == KDX_OK; i++) {
		reset_table(g, kdx_xlsx_sheet_name(x, i));
		st = kdx_xlsx_read_sheet(x, i, on_row, &rc, &fe);
		bool cut = st == KDX_EDATA;
		if (cut) {
			reader_problem(g, fe);
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
		if (cut) {
			/* the rest of the sheet cannot be read: no completeness checks on a fragment */
			if (g->h.ds >= 0)
				g->seen_dataset[g->h.ds] = true;
			st = flush_copy(g, true, err);
			continue;
		}
		if (g->h.ds < 0 && g->forced_ds >= 0)
			kdx_problems_atf(&g->probs, KDX_P_SHEET_NO_HEADER, 0, -1, NULL, "記入用テンプレートの見出し行を消さずに入力してください。",
			                 "シート「%s」に %s の見出し行が見つかりません。", g->sheet, kdx_datasets[g->forced_ds].title);
		else if (g->h.ds < 0 && strcmp(g->sheet, "記入方法") != 0)
			kdx_problems_note(&g->probs, "シート「%s」はデータセットではないため読み飛ばしました", g->sheet);
		st = finish_table(g, err);
	}
	kdx_xlsx_free(x);
	/* minizip read the file by name: it must still be what was hashed */
	if (st == KDX_OK && kdx_input_changed(in)) {
		st = kdx_fail(err, KDX_EIO, "file \"%s\" changed while it was being read", g->fname);
		kdx_error_hint(*err, "Load it again once whatever writes it has finished.");
	}
	return st;
}

struct csv_feed {
	kdx_csv *csv;
	kdx_status st;
	kdx_error *fe;
	bool started;
};

static int feed_csv(void *ud, const char *text, size_t len)
{
	struct csv_feed *cf = ud;
	if (!cf->started) {
		/* comma or tab, as the header line says */
		kdx_csv_set_delim(cf->csv, kdx_csv_guess_delim(text, len));
		cf->started = true;
	}
	cf->st = kdx_csv_feed(cf->csv, text, len, &cf->fe);
	return cf->st != KDX_OK || kdx_csv_stopped(cf->csv);
}

/* Decode and parse as the COPY goes: no decoded copy of the file is held. */
static kdx_status read_csv(struct ingest *g, kdx_input *in, const kdx_ingest_opts *o, char **encoding, kdx_error **err)
{
	struct row_ctx rc = { g, KDX_OK, err };
	kdx_encoding used = KDX_ENC_AUTO;
	struct csv_feed cf = { kdx_csv_new(on_row, &rc), KDX_OK, NULL, false };
	if (!cf.csv)
		return kdx_fail(err, KDX_ENOMEM, "could not initialise the CSV parser");
	reset_table(g, NULL);
	kdx_error *fe = NULL;
	kdx_status dst = kdx_decode_stream(in, o->encoding, &used, feed_csv, &cf, &fe);
	*encoding = kdx_strdup(kdx_encoding_name(used));
	if (cf.st == KDX_OK && dst == KDX_OK && !kdx_csv_stopped(cf.csv))
		cf.st = kdx_csv_finish(cf.csv, &cf.fe);
	kdx_csv_free(cf.csv);
	kdx_status st = KDX_OK;
	if (rc.st != KDX_OK) {
		st = rc.st;
	} else if (dst == KDX_EDATA || cf.st == KDX_EDATA) {
		/* the rest of the file cannot be read: no completeness checks on a fragment */
		reader_problem(g, dst == KDX_EDATA ? fe : cf.fe);
	} else if (dst != KDX_OK || cf.st != KDX_OK) {
		st = dst != KDX_OK ? dst : cf.st;
		*err = dst != KDX_OK ? fe : cf.fe;
		if (dst != KDX_OK)
			fe = NULL;
		else
			cf.fe = NULL;
	} else {
		st = finish_table(g, err);
	}
	kdx_error_free(fe);
	kdx_error_free(cf.fe);
	return st;
}

/* ---- the file --------------------------------------------------------------- */

static void free_ingest(struct ingest *g)
{
	kdx_master_free(&g->master);
	free(g->muni_sub);
	kdx_problems_free(&g->probs);
	for (int i = 0; i < g->nsubs; i++)
		free(g->subs[i].sheet);
	free(g->subs);
	kdx_header_clear(&g->h);
	kdx_buf_free(&g->copy);
	kdx_buf_free(&g->rowmem);
	kdx_strset_free(&g->keys);
	free(g->shown_path);
}

void kdx_ingest_result_clear(kdx_ingest_result *res)
{
	free(res->sha256);
	free(res->summary);
	free(res->report_txt);
	free(res->report_csv);
	memset(res, 0, sizeof *res);
}

/* The same content again is a no-op: *already is set when it was loaded. */
static kdx_status find_loaded(struct ingest *g, kdx_ingest_result *res, bool *already, kdx_error **err)
{
	const char *p[] = { res->sha256 };
	PGresult *r = kdx_db_query(g->db, "SELECT id, file_name FROM kdx.load_batch WHERE sha256 = $1", 1, p, err);
	if (!r)
		return KDX_EINTERNAL;
	*already = PQntuples(r) > 0;
	if (*already) {
		res->outcome = KDX_INGEST_ALREADY;
		res->batch_id = atol(PQgetvalue(r, 0, 0));
		res->summary = kdx_strdup_printf("already loaded as batch %ld (%s); nothing changed", res->batch_id, PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return KDX_OK;
}

/* The batch row, inside the file's transaction. */
static kdx_status begin_batch(struct ingest *g, const kdx_input *in, const char *sha, kdx_error **err)
{
	char mtime[64] = "";
	if (!in->copy) {  /* a pipe has no modification time of its own */
		time_t secs = (time_t)(in->mtime_ns / 1000000000LL);
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(mtime, sizeof mtime, "%Y-%m-%d %H:%M:%S+00", &tm);
	}
	kdx_status st = kdx_db_begin(g->db, err);
	if (st != KDX_OK)
		return st;
	const char *p[] = { g->fname, g->shown_path, sha, g->is_xlsx ? "xlsx" : "csv", mtime[0] ? mtime : NULL };
	PGresult *r = kdx_db_query(g->db, "INSERT INTO kdx.load_batch (file_name, file_path, sha256, format, file_mtime)"
	                                  " VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, p, err);
	if (!r)
		return KDX_EINTERNAL;
	g->batch_id = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return KDX_OK;
}

/* The ledger, the batch's counts, and one line saying what it delivered and superseded. */
static kdx_status finish_batch(struct ingest *g, const char *encoding, char **summary, kdx_error **err)
{
	kdx_status st = copy_submissions(g, err);
	if (st != KDX_OK)
		return st;
	char bid[32], rows[32];
	snprintf(bid, sizeof bid, "%ld", g->batch_id);
	snprintf(rows, sizeof rows, "%ld", g->rows_total);
	const char *p[] = { bid, rows, encoding };
	PGresult *r = kdx_db_query(g->db, "UPDATE kdx.load_batch SET row_count = $2, encoding = $3 WHERE id = $1", 3, p, err);
	if (!r)
		return KDX_EINTERNAL;
	PQclear(r);
	r = kdx_db_query(g->db,
		"SELECT s.dataset, count(DISTINCT s.muni_code), min(s.survey_date), max(s.survey_date),"
		" (SELECT count(*) FROM kdx.submission o WHERE o.batch_id < s.batch_id AND o.dataset = s.dataset"
		"   AND (o.muni_code, o.survey_date) IN (SELECT muni_code, survey_date FROM kdx.submission x"
		"     WHERE x.batch_id = s.batch_id AND x.dataset = s.dataset))"
		" FROM kdx.submission s WHERE s.batch_id = $1 GROUP BY s.batch_id, s.dataset ORDER BY s.dataset", 1, p, err);
	if (!r)
		return KDX_EINTERNAL;
	kdx_buf b = { 0 };
	for (int i = 0; i < PQntuples(r); i++) {
		int munis = atoi(PQgetvalue(r, i, 1)), superseded = atoi(PQgetvalue(r, i, 4));
		kdx_buf_printf(&b, "%s%s: %d municipalit%s, 調査基準日 %s", i ? "; " : "", PQgetvalue(r, i, 0), munis,
		               munis == 1 ? "y" : "ies", PQgetvalue(r, i, 2));
		if (strcmp(PQgetvalue(r, i, 2), PQgetvalue(r, i, 3)))
			kdx_buf_printf(&b, "..%s", PQgetvalue(r, i, 3));
		if (superseded > 0)
			kdx_buf_printf(&b, ", supersedes %d earlier submission%s", superseded, superseded == 1 ? "" : "s");
	}
	PQclear(r);
	*summary = kdx_buf_steal(&b);
	return KDX_OK;
}

/* Nothing loaded: the reports for the submitter, the rejection recorded, and
 * the operator's error. */
static kdx_status reject_file(struct ingest *g, const kdx_ingest_opts *o, kdx_ingest_result *res, kdx_error **err)
{
	res->outcome = KDX_INGEST_REJECTED;
	res->problems = g->probs.n;
	const char *dirs[2] = { o->rejects_dir, o->beside_dir };
	for (int d = 0; d < 2; d++) {
		if (!dirs[d])
			continue;
		kdx_status st = kdx_reject_write(&g->probs, g->fname, res->sha256, dirs[d], d == 0 ? &res->report_txt : NULL,
		                                 d == 0 ? &res->report_csv : NULL, err);
		if (st != KDX_OK)
			return st;
	}
	char np[16];
	snprintf(np, sizeof np, "%d", g->probs.n);
	char *report = kdx_shown_name(res->report_txt);  /* under a KDX_HOME whose name may be anything */
	const char *p[] = { g->fname, res->sha256, np, report };
	PQclear(kdx_db_query(g->db, "INSERT INTO kdx.rejection (file_name, sha256, problems, report_path) VALUES ($1, $2, $3, $4)",
	                     4, p, NULL));
	free(report);
	kdx_error_free(*err);
	*err = kdx_problems_error(&g->probs, g->fname, res->report_txt);
	return KDX_EDATA;
}

/* Read every table of the file in the batch's transaction; commit when clean. */
static kdx_status load_file(struct ingest *g, kdx_input *in, const kdx_ingest_opts *o, kdx_ingest_result *res,
                            kdx_error **err)
{
	char *encoding = NULL;
	kdx_status st = begin_batch(g, in, res->sha256, err);
	if (st == KDX_EINTERNAL && *err && !strcmp((*err)->sqlstate, "23505")) {
		/* the same file, loaded by another kdx at the same time: its INSERT
		 * waited for that load to commit, and then met its batch */
		kdx_db_rollback(g->db);
		kdx_error_free(*err);
		*err = NULL;
		bool already = false;
		if ((st = find_loaded(g, res, &already, err)) == KDX_OK && !already)
			st = kdx_fail(err, KDX_EINTERNAL, "file \"%s\" was loaded and removed again by another kdx meanwhile", g->fname);
		return st;
	}
	if (st == KDX_OK)
		st = g->is_xlsx ? read_workbook(g, in, &encoding, err) : read_csv(g, in, o, &encoding, err);
	if (st == KDX_OK) {
		bool any = false;
		for (int d = 0; d < KDX_DS_COUNT; d++)
			any |= g->seen_dataset[d];
		if (!any && g->probs.n == 0)
			kdx_problems_at(&g->probs, KDX_P_NO_DATASET, 1, -1, NULL, "見出し行がどのデータセットにも当てはまりません。",
			                "kdx の記入用テンプレートか、仕様の見出し（例: 調査基準日, 市町村コード, 施設番号, 施設名, 施設種別, 設置主体 …）を付けたファイルを提出してください。");
	}
	if (st == KDX_OK && g->probs.n > 0) {
		abort_copy(g);
		kdx_db_rollback(g->db);
		free(encoding);
		return reject_file(g, o, res, err);
	}
	if (st == KDX_OK)
		st = finish_batch(g, encoding, &res->summary, err);
	free(encoding);
	if (st != KDX_OK) {
		if (g->copying)
			PQputCopyEnd(g->db->conn, "error");
		kdx_db_rollback(g->db);
		return st;
	}
	if ((st = kdx_db_commit(g->db, err)) != KDX_OK)
		return st;
	res->outcome = KDX_INGEST_LOADED;
	res->batch_id = g->batch_id;
	res->rows = g->rows_total;
	res->warnings = g->probs.nnotes;
	for (int i = 0; i < g->probs.nnotes; i++)
		kdx_log_warning("%s: %s", g->fname, g->probs.notes[i]);
	return KDX_OK;
}

/* A file that is neither text nor an .xlsx zip, but what Excel writes in its place. */
static void container_problem(struct ingest *g, const kdx_input *in)
{
	if (kdx_cfb_is_encrypted(in))
		kdx_problems_at(&g->probs, KDX_P_XLSX_ENCRYPTED, 0, -1, NULL,
		                "パスワードで保護された（暗号化された）ブックです。kdx はパスワード付きのブックを読みません。",
		                "Excel でブックを開き、「ファイル」→「情報」→「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消して保存し、提出し直してください。");
	else
		kdx_problems_at(&g->probs, KDX_P_XLS_FORMAT, 0, -1, NULL,
		                "古い Excel 97-2003 形式（.xls）のブックです。kdx は Excel ブック（.xlsx）と CSV を読みます。",
		                "Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し、提出し直してください。");
}

kdx_status kdx_ingest_file(kdx_db *db, const char *path, const kdx_ingest_opts *o,
                           kdx_ingest_result *res, kdx_error **err)
{
	struct ingest g;
	memset(&g, 0, sizeof g);
	memset(res, 0, sizeof *res);
	g.db = db;
	g.path = path;
	g.h.ds = -1;
	g.today = kdx_date_today();
	/* a name is anything a file system takes (a newline, bytes that are not
	 * UTF-8): what is stored and shown is its escaped form, which no message
	 * line and no text column of the warehouse refuses */
	g.shown_path = kdx_shown_name(path);
	const char *slash = strrchr(g.shown_path, '/');
	g.fname = slash ? slash + 1 : g.shown_path;
	/* read in pieces, never whole: a first pass finds the digest and the encoding */
	kdx_input in;
	kdx_status st = o->regular_only ? kdx_input_open_regular(&in, path, err) : kdx_input_open(&in, path, err);
	if (st != KDX_OK) {
		free(g.shown_path);
		return st;
	}
	res->sha256 = kdx_strdup(in.sha256);
	char magic[4];
	g.is_xlsx = kdx_input_read(&in, 0, magic, 4) == 4 && !memcmp(magic, "PK\x03\x04", 4);
	bool already = false;
	if ((st = find_loaded(&g, res, &already, err)) != KDX_OK || already)
		goto out;
	if ((st = load_master(&g, err)) != KDX_OK)
		goto out;
	if (in.size == 0 || kdx_is_cfb(&in)) {
		if (in.size == 0)
			kdx_problems_at(&g.probs, KDX_P_FILE_EMPTY, 0, -1, NULL, "ファイルが空です。", "データを入力したファイルを提出してください。");
		else
			container_problem(&g, &in);
		st = reject_file(&g, o, res, err);
		goto out;
	}
	st = load_file(&g, &in, o, res, err);
out:
	kdx_input_close(&in);
	free_ingest(&g);
	return st;
}
