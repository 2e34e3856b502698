/*
 * template.c - the input workbook kdx generates for a municipality: the four
 * municipal datasets as sheets, pre-filled with its last known answers,
 * dropdowns on every coded column, headers and codes locked, and a sheet of
 * instructions.  It ingests back through kdx ingest as it is.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include "kdx/template.h"
#include "kdx/buf.h"
#include "kdx/datasets.h"
#include "kdx/text.h"
#include "kdx/fsutil.h"
#include "kdx/workers.h"
#include "kdx/xlsxout.h"

struct tfmt {
	lxw_format *head, *locked, *input, *date_locked;
};

static void formats(lxw_workbook *wb, struct tfmt *f)
{
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDCE3EE);
	format_set_border(f->head, LXW_BORDER_THIN);
	f->locked = workbook_add_format(wb);
	format_set_bg_color(f->locked, 0xF2F2F2);
	format_set_border(f->locked, LXW_BORDER_THIN);
	f->input = workbook_add_format(wb);
	format_set_unlocked(f->input);
	format_set_border(f->input, LXW_BORDER_THIN);
	format_set_bg_color(f->input, 0xFFFFE0);
	f->date_locked = workbook_add_format(wb);
	format_set_num_format(f->date_locked, "yyyy-mm-dd");
	format_set_bg_color(f->date_locked, 0xF2F2F2);
	format_set_border(f->date_locked, LXW_BORDER_THIN);
}

static void dropdown(lxw_worksheet *ws, int first, int last, int col, const char **values, const char *what)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof v);
	v.validate = LXW_VALIDATION_TYPE_LIST;
	v.value_list = (char **)values;
	v.show_error = LXW_VALIDATION_ON;
	v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	v.error_title = "入力できない値です";
	char msg[256];
	snprintf(msg, sizeof msg, "%sは一覧から選んでください。", what);
	v.error_message = msg;
	v.ignore_blank = LXW_VALIDATION_ON;
	worksheet_data_validation_range(ws, (lxw_row_t)first, (lxw_col_t)col, (lxw_row_t)last, (lxw_col_t)col, &v);
}

/* Protect a finished sheet (headers and codes locked) and set it to print on
 * A4 landscape, as wide as the page, with its header row on every page. */
static void protect(lxw_worksheet *ws)
{
	lxw_protection p;
	memset(&p, 0, sizeof p);
	p.format_columns = 1;  /* let the municipality widen columns */
	worksheet_protect(ws, NULL, &p);
	worksheet_set_paper(ws, 9);  /* A4 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

static void write_date(lxw_worksheet *ws, int r, int c, kdx_date d, lxw_format *f)
{
	lxw_datetime dt = { d.y, d.m, d.d, 0, 0, 0 };
	worksheet_write_datetime(ws, (lxw_row_t)r, (lxw_col_t)c, &dt, f);
}

static void input(lxw_worksheet *ws, int r, int c, const char *v, const struct tfmt *f)
{
	if (v && *v)
		worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, f->input);
	else
		worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, f->input);
}

/*
 * Every municipality's last known answers as of a date, fetched once for all
 * the templates (workers share them copy-on-write) instead of a query per
 * sheet and template.  A sheet is one of the municipal datasets (those with a
 * sheet name); its rows are the items the municipality answers, and its
 * columns those of the dataset's column table (etl/datasets.c) that are in
 * the workbook: each result row is the municipality's code, then one value per
 * workbook column (NULL where kdx writes the value itself), ordered by code.
 */

/* The items a sheet has a row for: key, label, the value a row takes when it
 * was never answered, whether the row is always there (or only when it was
 * answered before), and their order.  $2 is the dataset. */
static const char *const items_sql[KDX_DS_COUNT] = {
	/* every procedure; the 15 digitised everywhere are listed for confirmation, as done */
	[KDX_DS_PROCEDURES] = "SELECT p.id AS key, p.category || ' ' || p.name AS label,"
	                      " CASE WHEN p.kind = 'K' THEN '電子化済' END AS dflt, true AS always, 0 AS o1, p.ord AS o2"
	                      " FROM kdx.procedure p",
	/* the items of the goals counted from the dataset; one outside the target only once answered */
	[KDX_DS_PLATFORMS] = "SELECT gi.code, gi.name, NULL::text, gi.in_target, g.ord, gi.ord"
	                     " FROM kdx.goal_item gi JOIN kdx.goal g ON g.id = gi.goal WHERE g.dataset = $2",
	[KDX_DS_POSTPARTUM] = "SELECT gi.code, gi.name, NULL::text, gi.in_target, g.ord, gi.ord"
	                      " FROM kdx.goal_item gi JOIN kdx.goal g ON g.id = gi.goal WHERE g.dataset = $2",
	/* one row: the municipality's settings */
	[KDX_DS_SETTINGS] = "SELECT NULL::text, NULL::text, NULL::text, true, 0, 0",
};

/* The key column of a dataset's sheet (手続番号, 基盤, 項目), or NULL. */
static const kdx_col_def *key_column(const kdx_dataset *ds)
{
	for (int c = 0; c < ds->ncols; c++) {
		const kdx_col_def *cd = &ds->cols[c];
		if ((cd->flags & KDX_COL_LOCKED) && cd->wcol && cd->kind != KDX_COL_DATE && cd->kind != KDX_COL_MUNI_CODE)
			return cd;
	}
	return NULL;
}

/* The answers query of a dataset's sheet, from its column table. */
static char *answers_query(const kdx_dataset *ds)
{
	const kdx_col_def *key = key_column(ds);
	kdx_buf b = { 0 };
	kdx_buf_adds(&b, "WITH m AS (SELECT code FROM kdx.council_municipalities()),"
	                 " s AS (SELECT DISTINCT ON (e.muni_code) e.batch_id, e.muni_code, e.survey_date FROM kdx.submission e"
	                 "   WHERE e.dataset = $2 AND e.muni_code IN (SELECT code FROM m) AND e.survey_date <= $1::date"
	                 "   ORDER BY e.muni_code, e.survey_date DESC, e.batch_id DESC),"
	                 " i (key, label, dflt, always, o1, o2) AS (");
	kdx_buf_adds(&b, items_sql[ds - kdx_datasets]);
	kdx_buf_adds(&b, ") SELECT m.code");
	for (int c = 0; c < ds->ncols; c++) {
		const kdx_col_def *cd = &ds->cols[c];
		if (cd->flags & KDX_COL_NO_TEMPLATE)
			continue;
		if (cd == key)
			kdx_buf_adds(&b, ", i.key");
		else if (cd->kind == KDX_COL_PROC_NAME)
			kdx_buf_adds(&b, ", i.label");
		else if ((cd->flags & KDX_COL_LOCKED) || !cd->wcol)
			kdx_buf_adds(&b, ", NULL");
		else if (cd->kind == KDX_COL_FY)  /* as the dropdown offers it: R8 */
			kdx_buf_printf(&b, ", CASE WHEN f.%s IS NOT NULL THEN 'R' || (f.%s - 2018) END", cd->wcol, cd->wcol);
		else if (cd->kind == KDX_COL_SETTING)
			kdx_buf_printf(&b, ", CASE f.%s WHEN true THEN '有' ELSE '無' END", cd->wcol);
		else if (cd->kind == KDX_COL_ENUM && !strcmp(cd->wcol, "status"))
			kdx_buf_printf(&b, ", coalesce(f.%s, i.dflt)", cd->wcol);
		else
			kdx_buf_printf(&b, ", f.%s", cd->wcol);
	}
	kdx_buf_printf(&b, " FROM m CROSS JOIN i LEFT JOIN s ON s.muni_code = m.code"
	                   " LEFT JOIN %s f ON f.batch_id = s.batch_id AND f.muni_code = s.muni_code AND f.survey_date = s.survey_date",
	               ds->table);
	if (key)
		kdx_buf_printf(&b, " AND f.%s = i.key WHERE i.always OR f.%s IS NOT NULL", key->wcol, key->wcol);
	kdx_buf_adds(&b, " ORDER BY m.code, i.o1, i.o2");
	return kdx_buf_steal(&b);
}

struct answers {
	PGresult *r[KDX_DS_COUNT];  /* NULL for a dataset without a sheet */
	const char **fy;            /* the plan years a dropdown offers, NULL-terminated */
	char *fy_text;
};

static void answers_free(struct answers *a)
{
	for (int k = 0; k < KDX_DS_COUNT; k++)
		PQclear(a->r[k]);
	free(a->fy);
	free(a->fy_text);
}

/*
 * The fiscal years a plan may name: from the one the round is in to two
 * after the latest deadline of any goal (a plan after its deadline is 要注意,
 * and must still be sayable).
 */
static kdx_status plan_years(kdx_db *db, kdx_date survey, struct answers *a, kdx_error **err)
{
	PGresult *r = kdx_db_query(db, "SELECT max(coalesce(extended_deadline, deadline))::text FROM kdx.goal", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	kdx_date last = survey;
	if (!PQgetisnull(r, 0, 0))
		kdx_date_parse(PQgetvalue(r, 0, 0), &last);
	PQclear(r);
	int from = kdx_fiscal_year(survey), to = kdx_fiscal_year(last) + 2;
	if (to < from)
		to = from;
	kdx_buf b = { 0 };
	for (int fy = from; fy <= to; fy++)
		kdx_buf_printf(&b, "R%d%c", kdx_fy_reiwa(fy), '\0');
	a->fy_text = kdx_buf_steal(&b);
	a->fy = kdx_xcalloc((size_t)(to - from + 2), sizeof *a->fy);
	const char *p = a->fy_text;
	for (int k = 0; k <= to - from; k++, p += strlen(p) + 1)
		a->fy[k] = p;
	return KDX_OK;
}

static kdx_status answers_load(kdx_db *db, kdx_date asof, kdx_date survey, struct answers *a, kdx_error **err)
{
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	memset(a, 0, sizeof *a);
	kdx_status st = plan_years(db, survey, a, err);
	for (int k = 0; k < KDX_DS_COUNT && st == KDX_OK; k++) {
		if (!kdx_datasets[k].sheet)
			continue;
		const char *p[] = { iso, kdx_datasets[k].id };
		char *sql = answers_query(&kdx_datasets[k]);
		if (!(a->r[k] = kdx_db_query(db, sql, 2, p, err)))
			st = KDX_EINTERNAL;
		free(sql);
	}
	if (st != KDX_OK)
		answers_free(a);
	return st;
}

/* The rows [*lo, *lo + return) of result r that are code's. */
static int rows_of(const PGresult *r, const char *code, int *lo)
{
	int a = 0, b = PQntuples(r);
	while (a < b) {
		int mid = a + (b - a) / 2;
		if (strcmp(PQgetvalue(r, mid, 0), code) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	int n = 0;
	while (a + n < PQntuples(r) && !strcmp(PQgetvalue(r, a + n, 0), code))
		n++;
	*lo = a;
	return n;
}

/* What every sheet of a template is written from. */
struct sheet_ctx {
	lxw_workbook *wb;
	const struct answers *a;  /* the last answers of every municipality */
	const char *code, *mname; /* the municipality */
	kdx_date survey;          /* the next round's 調査基準日 */
	struct tfmt f;
};

/* One dataset's sheet: its workbook columns, a row per item with the
 * municipality's last answer, kdx's columns locked, a dropdown on every coded
 * column, free text open down the sheet. */
static void sheet_dataset(const struct sheet_ctx *t, int k)
{
	const kdx_dataset *ds = &kdx_datasets[k];
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, ds->sheet);
	const PGresult *r = t->a->r[k];
	int lo, n = rows_of(r, t->code, &lo), ncol = 0, locked = 0;
	const kdx_col_def *cols[32];
	for (int c = 0; c < ds->ncols && ncol < 32; c++)
		if (!(ds->cols[c].flags & KDX_COL_NO_TEMPLATE))
			cols[ncol++] = &ds->cols[c];
	for (int col = 0; col < ncol; col++)
		worksheet_write_string(ws, 0, (lxw_col_t)col, cols[col]->name, t->f.head);
	/* row by row, as people read it */
	for (int i = 0; i < n; i++)
		for (int col = 0; col < ncol; col++) {
			const kdx_col_def *cd = cols[col];
			lxw_row_t row = (lxw_row_t)(i + 1);
			const char *v = PQgetisnull(r, lo + i, col + 1) ? NULL : PQgetvalue(r, lo + i, col + 1);
			if (cd->kind == KDX_COL_DATE)
				write_date(ws, i + 1, col, t->survey, t->f.date_locked);
			else if (cd->kind == KDX_COL_MUNI_CODE)
				worksheet_write_string(ws, row, (lxw_col_t)col, t->code, t->f.locked);
			else if (cd->flags & KDX_COL_LOCKED)
				worksheet_write_string(ws, row, (lxw_col_t)col, v ? v : "", t->f.locked);
			else
				input(ws, i + 1, col, v, &t->f);
		}
	for (int col = 0; col < ncol; col++) {
		const kdx_col_def *cd = cols[col];
		const char *const *list = cd->kind == KDX_COL_FY ? t->a->fy : cd->kind == KDX_COL_SETTING ? kdx_setting_values
		                        : cd->kind == KDX_COL_ENUM ? cd->values : NULL;
		if (list && n > 0)
			dropdown(ws, 1, n, col, (const char **)list, cd->name);
		int w = kdx_text_width(cd->name) + 2;
		/* free text stays open down the sheet */
		worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, cd->width ? cd->width : w < 12 ? 12 : w,
		                     cd->kind == KDX_COL_TEXT ? t->f.input : NULL);
		if (cd->flags & KDX_COL_LOCKED)
			locked = col + 1;
	}
	if (key_column(ds))  /* the item's key and name stay in view */
		worksheet_freeze_panes(ws, 1, (lxw_col_t)locked);
	protect(ws);
}

/* 記入方法: how to fill the workbook in */
static void sheet_howto(const struct sheet_ctx *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, "記入方法");
	char date[40];
	kdx_date_wareki(t->survey, date, sizeof date);
	char line0[256];
	snprintf(line0, sizeof line0, "%s　こども政策DX 共同目標　提出用ブック（調査基準日 %s）", t->mname, date);
	const char *lines[] = {
		line0,
		"",
		"1. 黄色のセルに入力してください。灰色のセル（調査基準日・市町村コード・番号・名称）と見出し行は変更できません。",
		"2. 前回までの回答を入力済みです。変わったところだけ直してください。",
		"3. 状況・予定年度・処分通知などは、セルを選ぶと表示される一覧から選んでください。",
		"4. 手続電子化: N01〜N18 のすべての行に状況を入力してください。所掌していない手続は「所掌外」を選びます。K01〜K15 は確認用です。",
		"5. 基盤導入: 類似システムを導入済みの場合は「類似システム導入済」（導入済みとして扱います）。特例対象外は PMH の行だけに使えます。",
		"   PMH母子保健は目標の対象外（参考）です。前回回答した団体には行があり、状況を更新してください（目標の判定には使いません）。",
		"6. 産後ケア: 6 項目すべての状況を入力してください。",
		"7. 設定: 保育所の目標年度を令和9年度とする特別な事情がある場合や、民間保育所・民立クラブを独自目標に含める場合は「有」。",
		"8. 行や列の追加・削除、シート名の変更はしないでください。保存した .xlsx をそのまま提出してください。",
		"9. 内容に誤りがあると、ファイル全体が取り込まれず、どのセルをどう直すかを記した報告が返されます。",
	};
	lxw_format *wrap = workbook_add_format(t->wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		worksheet_write_string(ws, (lxw_row_t)i, 0, lines[i], i == 0 ? t->f.head : wrap);
	worksheet_set_column(ws, 0, 0, 100, NULL);
	protect(ws);
	worksheet_activate(ws);  /* the instructions open first */
}

static kdx_status template_write(const struct answers *a, const char *code, const char *mname, kdx_date asof, kdx_date survey,
                                 const char *path, kdx_error **err)
{
	lxw_workbook *wb = kdx_xlsx_workbook(path);
	if (!wb)
		return kdx_fail(err, KDX_EIO, "could not create workbook \"%s\"", path);
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	char title[200];
	snprintf(title, sizeof title, "%s こども政策DX 共同目標 提出用ブック", mname);
	props.title = title;
	props.author = "kdx";
	struct tm tm = { 0 };
	tm.tm_year = asof.y - 1900;
	tm.tm_mon = asof.m - 1;
	tm.tm_mday = asof.d;
	props.created = timegm(&tm) - 9 * 3600;
	workbook_set_properties(wb, &props);
	struct sheet_ctx t = { .wb = wb, .a = a, .code = code, .mname = mname, .survey = survey };
	formats(wb, &t.f);
	sheet_howto(&t);  /* 記入方法 first: read before filling in */
	for (int k = 0; k < KDX_DS_COUNT; k++)
		if (kdx_datasets[k].sheet)
			sheet_dataset(&t, k);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return kdx_fail(err, KDX_EIO, "could not write workbook \"%s\": %s", path, lxw_strerror(e));
	return KDX_OK;
}

/* The templates to write; workers need no connection of their own. */
struct batch {
	const struct answers *a;
	char **codes, **names, **paths;
	int n;
	kdx_date asof, survey;
	int k;  /* the one being written */
};

static kdx_status write_one(void *ctx, const char *tmp, kdx_error **err)
{
	const struct batch *bt = ctx;
	return template_write(bt->a, bt->codes[bt->k], bt->names[bt->k], bt->asof, bt->survey, tmp, err);
}

static kdx_status write_drawn(void *ctx, int *next, kdx_error **err)
{
	struct batch bt = *(const struct batch *)ctx;
	kdx_status st = KDX_OK;
	while (st == KDX_OK && (bt.k = kdx_workers_next(next)) < bt.n)
		st = kdx_write_via_tmp(bt.paths[bt.k], write_one, &bt, err);
	return st;
}

struct kdx_templates_job {
	PGresult *munis;
	struct answers a;
	struct batch bt;     /* the workbooks to write; codes and names point into munis */
	kdx_workers *w;
};

static void job_free(kdx_templates_job *j)
{
	answers_free(&j->a);
	for (int i = 0; i < j->bt.n; i++)
		free(j->bt.paths[i]);
	free(j->bt.paths);
	free(j->bt.names);
	free(j->bt.codes);
	PQclear(j->munis);
	free(j);
}

/* The council's municipalities (or those of codes), their paths in dir and
 * their answers: everything the workers need. */
static kdx_status prepare(kdx_db *db, const char *const *codes, int ncodes, kdx_date asof, kdx_date survey,
                          const char *dir, kdx_templates_job **out, kdx_error **err)
{
	*out = NULL;
	if (kdx_mkdirs(dir, 0750) != 0)
		return kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dir, strerror(errno));
	kdx_remove_stale_tmp(dir);
	PGresult *r = kdx_db_query(db, "SELECT code, name FROM kdx.council_municipalities() ORDER BY code", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	kdx_templates_job *j = kdx_xcalloc(1, sizeof *j);
	j->munis = r;
	struct batch *bt = &j->bt;
	*bt = (struct batch){ &j->a, NULL, NULL, NULL, 0, asof, survey, 0 };
	kdx_status st = KDX_OK;
	for (int k = 0; k < ncodes && st == KDX_OK; k++) {
		bool found = false;
		for (int i = 0; i < PQntuples(r); i++)
			found |= !strcmp(PQgetvalue(r, i, 0), codes[k]);
		if (!found)
			st = kdx_fail(err, KDX_EUSAGE, "municipality \"%s\" is not in this council", codes[k]);
	}
	bt->codes = kdx_xcalloc((size_t)PQntuples(r) + 1, sizeof *bt->codes);
	bt->names = kdx_xcalloc((size_t)PQntuples(r) + 1, sizeof *bt->names);
	bt->paths = kdx_xcalloc((size_t)PQntuples(r) + 1, sizeof *bt->paths);
	for (int i = 0; i < PQntuples(r) && st == KDX_OK; i++) {
		bool want = ncodes == 0;
		for (int k = 0; k < ncodes; k++)
			want |= !strcmp(codes[k], PQgetvalue(r, i, 0));
		if (!want)
			continue;
		bt->codes[bt->n] = PQgetvalue(r, i, 0);
		bt->names[bt->n] = PQgetvalue(r, i, 1);
		bt->paths[bt->n++] = kdx_strdup_printf("%s/%s_%s_提出用.xlsx", dir, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	}
	if (st == KDX_OK && bt->n > 0)
		st = answers_load(db, asof, survey, &j->a, err);
	if (st != KDX_OK) {
		job_free(j);
		return st;
	}
	*out = j;
	return KDX_OK;
}

kdx_status kdx_templates_start(kdx_db *db, const char *const *codes, int ncodes, kdx_date asof, kdx_date survey,
                               const char *dir, int jobs, kdx_templates_job **out, kdx_error **err)
{
	kdx_status st = prepare(db, codes, ncodes, asof, survey, dir, out, err);
	kdx_templates_job *j = *out;
	if (st == KDX_OK && j->bt.n > 0 &&
	    (st = kdx_workers_start(jobs < j->bt.n ? jobs : j->bt.n, write_drawn, &j->bt, "template", &j->w, err)) != KDX_OK) {
		job_free(j);
		*out = NULL;
	}
	return st;
}

kdx_status kdx_templates_finish(kdx_templates_job *j, int *written, kdx_error **err)
{
	kdx_status st = j->w ? kdx_workers_wait(j->w, err) : KDX_OK;
	*written = st == KDX_OK ? j->bt.n : 0;
	job_free(j);
	return st;
}

kdx_status kdx_templates_write(kdx_db *db, const char *const *codes, int ncodes, kdx_date asof, kdx_date survey,
                               const char *dir, int jobs, int *written, kdx_error **err)
{
	kdx_templates_job *j = NULL;
	*written = 0;
	kdx_status st = prepare(db, codes, ncodes, asof, survey, dir, &j, err);
	if (st != KDX_OK)
		return st;
	/* in this process when jobs <= 1 */
	if (j->bt.n > 0)
		st = kdx_workers_run(jobs < j->bt.n ? jobs : j->bt.n, write_drawn, &j->bt, "template", err);
	if (st == KDX_OK)
		*written = j->bt.n;
	job_free(j);
	return st;
}
