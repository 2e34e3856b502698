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

static void widths(lxw_worksheet *ws, const char *const *head, int n)
{
	for (int c = 0; c < n; c++) {
		int w = kdx_text_width(head[c]) + 2;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w < 12 ? 12 : w, NULL);
	}
}

static void write_date(lxw_worksheet *ws, int r, int c, kdx_date d, lxw_format *f)
{
	lxw_datetime dt = { d.y, d.m, d.d, 0, 0, 0 };
	worksheet_write_datetime(ws, (lxw_row_t)r, (lxw_col_t)c, &dt, f);
}

static const char *val(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
}

static void input(lxw_worksheet *ws, int r, int c, const char *v, const struct tfmt *f)
{
	if (v && *v)
		worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, f->input);
	else
		worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, f->input);
}

static const char *fy_values[] = { "R8", "R9", "R10", "R11", "R12", NULL };

/* The header row of a sheet. */
static void head_row(lxw_worksheet *ws, const char *const *head, int n, const struct tfmt *f)
{
	for (int c = 0; c < n; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], f->head);
}

/* The locked start of a data row: 調査基準日, 市町村コード and (when given) the item's key. */
static void locked_prefix(lxw_worksheet *ws, int row, kdx_date survey, const char *code, const char *key, const struct tfmt *f)
{
	write_date(ws, row, 0, survey, f->date_locked);
	worksheet_write_string(ws, (lxw_row_t)row, 1, code, f->locked);
	if (key)
		worksheet_write_string(ws, (lxw_row_t)row, 2, key, f->locked);
}

/*
 * Every municipality's last known answers as of a date, fetched once for all
 * the templates (workers share them copy-on-write) instead of four queries a
 * template: procedures, platforms, postpartum items and settings, each
 * ordered by municipality code.  Column 0 is the code.
 */
enum { A_PROCS, A_PLATFORMS, A_POSTPARTUM, A_SETTINGS, A_N };

/* the latest submission of a dataset for each of the council's municipalities */
#define LATEST(ds) \
	"WITH m AS (SELECT code FROM kdx.council_municipalities())," \
	" s AS (SELECT DISTINCT ON (e.muni_code) e.batch_id, e.muni_code, e.survey_date FROM kdx.submission e" \
	"   WHERE e.dataset = '" ds "' AND e.muni_code IN (SELECT code FROM m) AND e.survey_date <= $1::date" \
	"   ORDER BY e.muni_code, e.survey_date DESC, e.batch_id DESC) "

static const char *const answers_sql[A_N] = {
	LATEST("procedures")
	"SELECT m.code, p.id, p.category || ' ' || p.name, f.status, f.digitised_ym,"
	" CASE WHEN f.planned_fy IS NOT NULL THEN 'R' || (f.planned_fy - 2018) END, f.notice, p.kind"
	" FROM m CROSS JOIN kdx.procedure p LEFT JOIN s ON s.muni_code = m.code"
	" LEFT JOIN kdx.procedure_fact f ON f.batch_id = s.batch_id AND f.muni_code = s.muni_code"
	"   AND f.survey_date = s.survey_date AND f.proc_id = p.id"
	" ORDER BY m.code, p.ord",
	LATEST("platforms")
	"SELECT m.code, gi.code, f.status, CASE WHEN f.planned_fy IS NOT NULL THEN 'R' || (f.planned_fy - 2018) END, f.note"
	" FROM m CROSS JOIN kdx.goal_item gi LEFT JOIN s ON s.muni_code = m.code"
	" LEFT JOIN kdx.platform_fact f ON f.batch_id = s.batch_id AND f.muni_code = s.muni_code"
	"   AND f.survey_date = s.survey_date AND f.platform = gi.code"
	" WHERE gi.goal IN ('platforms', 'pmh') AND (gi.in_target OR f.status IS NOT NULL)"
	" ORDER BY m.code, gi.goal = 'pmh', gi.ord",
	LATEST("postpartum")
	"SELECT m.code, gi.code, f.status, CASE WHEN f.planned_fy IS NOT NULL THEN 'R' || (f.planned_fy - 2018) END"
	" FROM m CROSS JOIN kdx.goal_item gi LEFT JOIN s ON s.muni_code = m.code"
	" LEFT JOIN kdx.postpartum_fact f ON f.batch_id = s.batch_id AND f.muni_code = s.muni_code"
	"   AND f.survey_date = s.survey_date AND f.item = gi.code"
	" WHERE gi.goal = 'postpartum' ORDER BY m.code, gi.ord",
	LATEST("settings")
	"SELECT s.muni_code, CASE special_nursery WHEN true THEN '有' ELSE '無' END,"
	" CASE own_private_nursery WHEN true THEN '有' ELSE '無' END,"
	" CASE own_minritsu_club WHEN true THEN '有' ELSE '無' END"
	" FROM kdx.setting_fact f JOIN s USING (batch_id, muni_code, survey_date) ORDER BY s.muni_code",
};

struct answers {
	PGresult *r[A_N];
};

static void answers_free(struct answers *a)
{
	for (int k = 0; k < A_N; k++)
		PQclear(a->r[k]);
}

static kdx_status answers_load(kdx_db *db, kdx_date asof, struct answers *a, kdx_error **err)
{
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	const char *p[] = { iso };
	memset(a, 0, sizeof *a);
	for (int k = 0; k < A_N; k++)
		if (!(a->r[k] = kdx_db_query(db, answers_sql[k], 1, p, err))) {
			answers_free(a);
			return KDX_EINTERNAL;
		}
	return KDX_OK;
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

/* 手続電子化: every procedure, with its last known answer */
static void sheet_procedures(const struct sheet_ctx *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, "手続電子化");
	static const char *const head[] = { "調査基準日", "市町村コード", "手続番号", "手続名", "状況", "電子化年月", "予定年度", "処分通知" };
	head_row(ws, head, 8, &t->f);
	const PGresult *r = t->a->r[A_PROCS];
	int lo, n = rows_of(r, t->code, &lo);
	for (int i = 0; i < n; i++) {
		int row = i + 1;
		locked_prefix(ws, row, t->survey, t->code, PQgetvalue(r, lo + i, 1), &t->f);
		worksheet_write_string(ws, (lxw_row_t)row, 3, PQgetvalue(r, lo + i, 2), t->f.locked);
		/* the 15 procedures digitised everywhere are listed for confirmation */
		const char *status = val(r, lo + i, 3);
		if (!status && PQgetvalue(r, lo + i, 7)[0] == 'K')
			status = "電子化済";
		input(ws, row, 4, status, &t->f);
		input(ws, row, 5, val(r, lo + i, 4), &t->f);
		input(ws, row, 6, val(r, lo + i, 5), &t->f);
		input(ws, row, 7, val(r, lo + i, 6), &t->f);
	}
	static const char *st_values[] = { "電子化済", "準備中", "未着手", "所掌外", NULL };
	static const char *notice_values[] = { "済", "未", "該当なし", NULL };
	dropdown(ws, 1, n, 4, st_values, "状況");
	dropdown(ws, 1, n, 6, fy_values, "予定年度");
	dropdown(ws, 1, n, 7, notice_values, "処分通知");
	widths(ws, head, 8);
	worksheet_set_column(ws, 3, 3, 44, NULL);
	worksheet_freeze_panes(ws, 1, 4);
	protect(ws);
}

/* 基盤導入: the four target rows, and 母子保健 when it was answered before */
static void sheet_platforms(const struct sheet_ctx *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, "基盤導入");
	static const char *const head[] = { "調査基準日", "市町村コード", "基盤", "状況", "予定年度", "備考" };
	head_row(ws, head, 6, &t->f);
	const PGresult *r = t->a->r[A_PLATFORMS];
	int lo, n = rows_of(r, t->code, &lo);
	for (int i = 0; i < n; i++) {
		locked_prefix(ws, i + 1, t->survey, t->code, PQgetvalue(r, lo + i, 1), &t->f);
		input(ws, i + 1, 3, val(r, lo + i, 2), &t->f);
		input(ws, i + 1, 4, val(r, lo + i, 3), &t->f);
		input(ws, i + 1, 5, val(r, lo + i, 4), &t->f);
	}
	static const char *pf_values[] = { "導入済", "類似システム導入済", "導入予定", "未定", "特例対象外", NULL };
	dropdown(ws, 1, n, 3, pf_values, "状況");
	dropdown(ws, 1, n, 4, fy_values, "予定年度");
	widths(ws, head, 6);
	worksheet_set_column(ws, 2, 2, 22, NULL);
	worksheet_set_column(ws, 5, 5, 30, t->f.input);
	worksheet_freeze_panes(ws, 1, 3);
	protect(ws);
}

/* 産後ケア: the six checklist items */
static void sheet_postpartum(const struct sheet_ctx *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, "産後ケア");
	static const char *const head[] = { "調査基準日", "市町村コード", "項目", "状況", "予定年度" };
	head_row(ws, head, 5, &t->f);
	const PGresult *r = t->a->r[A_POSTPARTUM];
	int lo, n = rows_of(r, t->code, &lo);
	for (int i = 0; i < n; i++) {
		locked_prefix(ws, i + 1, t->survey, t->code, PQgetvalue(r, lo + i, 1), &t->f);
		input(ws, i + 1, 3, val(r, lo + i, 2), &t->f);
		input(ws, i + 1, 4, val(r, lo + i, 3), &t->f);
	}
	static const char *pp_values[] = { "実施済", "準備中", "未実施", NULL };
	dropdown(ws, 1, n, 3, pp_values, "状況");
	dropdown(ws, 1, n, 4, fy_values, "予定年度");
	widths(ws, head, 5);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_freeze_panes(ws, 1, 3);
	protect(ws);
}

/* 設定: the municipality's settings */
static void sheet_settings(const struct sheet_ctx *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(t->wb, "設定");
	static const char *const head[] = { "調査基準日", "市町村コード", "保育所特別な事情", "民間保育所を独自目標に含める",
	                                    "民立クラブを独自目標に含める" };
	head_row(ws, head, 5, &t->f);
	const PGresult *r = t->a->r[A_SETTINGS];
	int lo, n = rows_of(r, t->code, &lo);
	locked_prefix(ws, 1, t->survey, t->code, NULL, &t->f);
	for (int c = 0; c < 3; c++)
		input(ws, 1, 2 + c, n ? PQgetvalue(r, lo, c + 1) : "無", &t->f);
	static const char *yn[] = { "有", "無", NULL };
	for (int c = 2; c < 5; c++)
		dropdown(ws, 1, 1, c, yn, head[c]);
	widths(ws, head, 5);
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
	sheet_procedures(&t);
	sheet_platforms(&t);
	sheet_postpartum(&t);
	sheet_settings(&t);
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
		st = answers_load(db, asof, &j->a, err);
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
