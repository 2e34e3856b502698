/*
 * xlsxout.c - the council and feedback workbooks with libxlsxwriter.
 *
 * Counts are integers, rates are fractions in a 0% format, and the 全体 row is
 * a formula over the municipal rows written with its computed value, so that
 * readers that do not recalculate still show the number.  Text is always
 * written as a string, never as a formula.  The creation date is the as-of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include "kdx/xlsxout.h"
#include "kdx/datasets.h"
#include "kdx/fsutil.h"
#include "kdx/text.h"
#include "kdx/buf.h"

struct fmts {
	lxw_format *bold_plain, *title, *head, *pct, *intf, *text, *wrap, *date, *bold_pct, *bold_int, *bold_text, *rate, *bold_rate, *shown;
	lxw_format *st[KDX_NROLES];
};

/* Okabe-Ito tints, as in the PDFs, by role (kdx_role_words) */
static const lxw_color_t status_fill[KDX_NROLES] = { 0xCFE3F2, 0xFBE8C2, 0xF6D0BA, 0xEEEEEE, 0xFFFFFF };

static void make_formats(lxw_workbook *wb, struct fmts *f)
{
	f->bold_plain = workbook_add_format(wb);
	format_set_bold(f->bold_plain);
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDCE3EE);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0%");
	format_set_border(f->pct, LXW_BORDER_THIN);
	f->intf = workbook_add_format(wb);
	format_set_num_format(f->intf, "0");
	format_set_border(f->intf, LXW_BORDER_THIN);
	f->text = workbook_add_format(wb);
	format_set_border(f->text, LXW_BORDER_THIN);
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	/* 率 is the exact fraction (one decimal), 表示 the rounded percent the reports print, centred apart from it */
	f->rate = workbook_add_format(wb);
	format_set_num_format(f->rate, "0.0%");
	format_set_border(f->rate, LXW_BORDER_THIN);
	f->bold_rate = workbook_add_format(wb);
	format_set_num_format(f->bold_rate, "0.0%");
	format_set_bold(f->bold_rate);
	format_set_border(f->bold_rate, LXW_BORDER_THIN);
	f->shown = workbook_add_format(wb);
	format_set_border(f->shown, LXW_BORDER_THIN);
	format_set_align(f->shown, LXW_ALIGN_CENTER);
	f->date = workbook_add_format(wb);
	format_set_border(f->date, LXW_BORDER_THIN);
	format_set_align(f->date, LXW_ALIGN_CENTER);
	format_set_num_format(f->date, "[$-411]ggge\"年\"m\"月\"d\"日\"");  /* a date, shown in 和暦 */
	f->bold_pct = workbook_add_format(wb);
	format_set_num_format(f->bold_pct, "0%");
	format_set_bold(f->bold_pct);
	format_set_border(f->bold_pct, LXW_BORDER_THIN);
	f->bold_int = workbook_add_format(wb);
	format_set_bold(f->bold_int);
	format_set_border(f->bold_int, LXW_BORDER_THIN);
	f->bold_text = workbook_add_format(wb);
	format_set_bold(f->bold_text);
	format_set_border(f->bold_text, LXW_BORDER_THIN);
	for (int i = 0; i < KDX_NROLES; i++) {
		f->st[i] = workbook_add_format(wb);
		format_set_bg_color(f->st[i], status_fill[i]);
	}
}

/* Column widths that fit Japanese text: an East Asian wide character counts 2. */
struct widths {
	double w[64];
};

static void track(struct widths *w, int col, const char *s)
{
	if (col < 0 || col >= 64 || !s)
		return;
	double x = kdx_text_width(s) + 2;
	if (x > 60)
		x = 60;
	if (x > w->w[col])
		w->w[col] = x;
}

static void apply_widths(lxw_worksheet *ws, const struct widths *w, int ncols)
{
	for (int c = 0; c < ncols && c < 64; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w->w[c] < 6 ? 6 : w->w[c], NULL);
}

static void put_str(lxw_worksheet *ws, struct widths *w, int r, int c, const char *s, lxw_format *f)
{
	/* a string cell, whatever it starts with: no formula is ever made from data */
	worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s ? s : "", f);
	track(w, c, s);
}

/* A date as a date cell (ISO text in; anything else stays text). */
static void put_date(lxw_worksheet *ws, struct widths *w, int r, int c, const char *iso, lxw_format *f)
{
	kdx_date d;
	if (!iso || !*iso || kdx_date_parse(iso, &d) != KDX_DATE_OK) {
		worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, iso ? iso : "", f);
		track(w, c, iso);
		return;
	}
	lxw_datetime dt = { d.y, d.m, d.d, 0, 0, 0 };
	worksheet_write_datetime(ws, (lxw_row_t)r, (lxw_col_t)c, &dt, f);
	track(w, c, "令和10年10月10日");
}

/* A deadline as the PDF says it: the fiscal year's end (「令和9年度末」, which a
 * date such as 令和10年3月31日 would make read as 令和10年度), and why when
 * 特別な事情 moved it. */
static void put_deadline(lxw_worksheet *ws, struct widths *w, int r, int c, const kdx_pcell *cell, lxw_format *f)
{
	char buf[96];
	snprintf(buf, sizeof buf, "%s%s", cell->deadline, cell->moved ? "（特別な事情）" : "");
	worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, buf, f);
	track(w, c, buf);
}

static void put_num(lxw_worksheet *ws, struct widths *w, int r, int c, double v, lxw_format *f)
{
	worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, f);
	track(w, c, "000000");
}

static void page_setup(lxw_worksheet *ws, const char *header)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);  /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	/* Excel takes a header of up to 255 characters: a longer one is cut at a
	 * character boundary, never inside a UTF-8 sequence */
	char h[256];
	if ((size_t)snprintf(h, sizeof h, "&C%s", header) >= sizeof h) {
		size_t n = sizeof h - 1;
		while (n > 0 && ((unsigned char)h[n] & 0xC0) == 0x80)
			n--;
		h[n] = '\0';
	}
	worksheet_set_header(ws, h);
	worksheet_set_footer(ws, "&C&P / &N");
	worksheet_repeat_rows(ws, 0, 0);  /* the header row on every printed page */
}

static void status_formatting(lxw_worksheet *ws, int first_row, int last_row, int col, const struct fmts *f)
{
	for (int i = 0; i < KDX_NROLES; i++) {
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_TYPE_TEXT;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING;
		cf.value_string = (char *)kdx_role_words[i];
		cf.format = f->st[i];
		worksheet_conditional_format_range(ws, (lxw_row_t)first_row, (lxw_col_t)col, (lxw_row_t)last_row, (lxw_col_t)col, &cf);
	}
}

static void set_props(lxw_workbook *wb, const kdx_present *pr, const char *title)
{
	const kdx_report_data *d = pr->rd;
	lxw_doc_properties p;
	memset(&p, 0, sizeof p);
	p.title = (char *)title;
	p.author = "kdx";
	p.company = (char *)d->pref_name;
	struct tm tm = { 0 };
	tm.tm_year = d->asof.y - 1900;
	tm.tm_mon = d->asof.m - 1;
	tm.tm_mday = d->asof.d;
	p.created = timegm(&tm) - 9 * 3600;  /* the as-of date, 00:00 JST */
	p.subject = (char *)pr->edition;
	workbook_set_properties(wb, &p);
}

static void goal_sheet_name(const kdx_goal_table *g, const char *prefix, char *buf, size_t n)
{
	snprintf(buf, n, "%s%d_%s", prefix, g->ord, g->short_title);
}

/* A goal's target in its table: a rate, or a checklist goal's rule (never 100%, SPEC §2). */
static void put_target(lxw_worksheet *ws, struct widths *w, int r, const kdx_goal_table *g, lxw_format *text,
                       lxw_format *pct)
{
	if (kdx_goal_is_checklist(g))
		put_str(ws, w, r, 7, g->target_label, text);
	else
		put_num(ws, w, r, 7, g->target, pct);
}

/* One goal's table: header row, 全体 (formulas), municipalities; returns the last row. */
static int goal_table_rows(lxw_worksheet *ws, struct widths *w, const struct fmts *f, const kdx_pgoal *pg,
                           int first_muni, int last_muni, bool with_total)
{
	const kdx_goal_table *g = pg->g;
	static const char *const head[] = { "コード", "団体", "調査基準日", "分母", "分子", "率", "表示", "目標", "期限", "状況",
	                                    "残り", "順位", "前回比(pt)", "達成見込み", "要注意", "独自目標 分母", "独自目標 分子",
	                                    "独自目標で未導入の施設" };
	/* a checklist goal counts its items and is judged by its rule, not a rate against 100% (SPEC §2) */
	static const char *const list_head[18] = { [3] = "対象の項目数", [4] = "済の項目数", [5] = "（参考）済の割合",
	                                         [6] = "（参考）表示", [7] = "目標（判定の規則）", [10] = "残り（項目）",
	                                         [12] = "前回の済の項目数", [14] = "要注意" };
	bool list = kdx_goal_is_checklist(g);
	const int nh = 18;
	for (int c = 0; c < nh; c++)
		put_str(ws, w, 0, c, list && list_head[c] ? list_head[c] : head[c], f->head);
	int r = 1;
	int mrow0 = with_total ? 2 : 1;
	int mrow1 = mrow0 + (last_muni - first_muni);
	if (with_total) {
		const kdx_goal_row *t = &g->rows[0];
		char fs[96];
		put_str(ws, w, r, 0, t->code, f->bold_text);
		put_str(ws, w, r, 1, "全体", f->bold_text);
		put_str(ws, w, r, 2, "", f->bold_text);
		snprintf(fs, sizeof fs, "=SUM(D%d:D%d)", mrow0 + 1, mrow1 + 1);
		worksheet_write_formula_num(ws, (lxw_row_t)r, 3, fs, f->bold_int, t->den);
		snprintf(fs, sizeof fs, "=SUM(E%d:E%d)", mrow0 + 1, mrow1 + 1);
		worksheet_write_formula_num(ws, (lxw_row_t)r, 4, fs, f->bold_int, t->num);
		worksheet_write_formula_num(ws, (lxw_row_t)r, 5, "=IF(D2>0,E2/D2,\"\")", f->bold_rate, t->den > 0 ? (double)t->num / t->den : 0);
		put_str(ws, w, r, 6, t->display, f->bold_text);
		put_target(ws, w, r, g, f->bold_text, f->bold_pct);
		put_str(ws, w, r, 8, pg->cells[0].deadline, f->bold_text);  /* 令和9年度末, as the PDF says */
		put_str(ws, w, r, 9, t->status, f->bold_text);
		if (t->remaining > 0)
			put_num(ws, w, r, 10, t->remaining, f->bold_int);
		if (list && pg->cells[0].has_change)  /* the council's own previous round, in items (SPEC §2) */
			put_str(ws, w, r, 12, pg->cells[0].prev_count, f->bold_text);
		else if (t->has_change)
			put_num(ws, w, r, 12, t->change_pt, f->bold_int);
		r++;
	}
	for (int i = first_muni; i <= last_muni; i++, r++) {
		const kdx_pcell *c = &pg->cells[i];
		const kdx_goal_row *m = c->row;
		put_str(ws, w, r, 0, m->code, f->text);
		put_str(ws, w, r, 1, m->name, f->text);
		put_date(ws, w, r, 2, m->survey_date, f->date);
		if (m->submitted) {
			put_num(ws, w, r, 3, m->den, f->intf);
			put_num(ws, w, r, 4, m->num, f->intf);
			char fs[64];
			snprintf(fs, sizeof fs, "=IF(D%d>0,E%d/D%d,\"\")", r + 1, r + 1, r + 1);
			if (m->den > 0)
				worksheet_write_formula_num(ws, (lxw_row_t)r, 5, fs, f->rate, (double)m->num / m->den);
			else
				worksheet_write_formula_str(ws, (lxw_row_t)r, 5, fs, f->pct, "");
		}
		put_str(ws, w, r, 6, m->display, f->shown);
		put_target(ws, w, r, g, f->text, f->pct);
		put_deadline(ws, w, r, 8, c, f->text);
		put_str(ws, w, r, 9, m->status, f->text);
		if (m->remaining > 0)
			put_num(ws, w, r, 10, m->remaining, f->intf);
		if (m->rank > 0)
			put_num(ws, w, r, 11, m->rank, f->intf);
		if (list && c->has_change)
			put_str(ws, w, r, 12, c->prev_count, f->shown);
		else if (c->has_change)
			put_num(ws, w, r, 12, m->change_pt, f->intf);
		if (m->projected[0])
			put_date(ws, w, r, 13, m->projected, f->date);
		if (c->caution)
			put_str(ws, w, r, 14, c->outlook, f->text);
		if (m->has_own) {
			put_num(ws, w, r, 15, m->own_den, f->intf);
			put_num(ws, w, r, 16, m->own_num, f->intf);
			put_str(ws, w, r, 17, c->own_missing, f->text);
		}
	}
	apply_widths(ws, w, nh);
	worksheet_freeze_panes(ws, with_total ? 2 : 1, 2);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r - 1), nh - 1);
	status_formatting(ws, 1, r - 1, 9, f);
	return r - 1;
}

/*
 * A rate goal's chart, native to Excel and LibreOffice alike.  It draws from a
 * block of plain numbers under the table (グラフのデータ: each municipality's
 * rate, the target and 全体), not from the table's formulas, so the chart's
 * cached values are the real ones for any reader that does not recalculate.
 * The target (dashed) and 全体 (solid) are lines across the bars: the linear
 * trend lines of two series with neither fill nor outline, each named in the
 * legend for what it is (libxlsxwriter 1.1.4 cannot combine a line chart into
 * a column chart).  Returns the row after the block and chart.
 */
static int goal_chart(lxw_workbook *wb, lxw_worksheet *ws, struct widths *w, const struct fmts *f, const char *sheet,
                      const kdx_goal_table *g, int at_row)
{
	int n = g->nrows - 1, r0 = at_row + 1;
	worksheet_write_string(ws, (lxw_row_t)at_row, 0, "グラフのデータ（率は上の表の分子÷分母。目標と全体はグラフでは線で示す）", f->bold_plain);
	static const char *const head[] = { "団体", "率", "目標", "全体" };
	for (int c = 0; c < 4; c++)
		put_str(ws, w, r0, 1 + c, head[c], f->head);
	for (int i = 1; i <= n; i++) {
		const kdx_goal_row *m = &g->rows[i];
		put_str(ws, w, r0 + i, 1, m->short_name, f->text);
		if (m->den > 0)
			put_num(ws, w, r0 + i, 2, (double)m->num / m->den, f->rate);
		put_num(ws, w, r0 + i, 3, g->target, f->pct);
		if (g->rows[0].den > 0)
			put_num(ws, w, r0 + i, 4, (double)g->rows[0].num / g->rows[0].den, f->rate);
	}
	lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(s, sheet, (lxw_row_t)(r0 + 1), 1, (lxw_row_t)(r0 + n), 1);
	chart_series_set_values(s, sheet, (lxw_row_t)(r0 + 1), 2, (lxw_row_t)(r0 + n), 2);
	chart_series_set_name(s, "導入率");
	lxw_chart_fill fill = { .color = 0x0072B2 };
	chart_series_set_fill(s, &fill);
	char name[2][96];
	snprintf(name[0], sizeof name[0], "目標 %s", g->target_label);
	snprintf(name[1], sizeof name[1], "全体 %s", g->rows[0].display);
	lxw_chart_line lines[2] = { { .color = 0x1A1A1A, .dash_type = LXW_CHART_LINE_DASH_DASH, .width = 1.5 },
	                            { .color = 0x009E73, .width = 1.75 } };
	for (int k = 0; k < 2; k++) {
		if (k == 1 && g->rows[0].den == 0)
			break;
		lxw_chart_series *t = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(t, sheet, (lxw_row_t)(r0 + 1), 1, (lxw_row_t)(r0 + n), 1);
		chart_series_set_values(t, sheet, (lxw_row_t)(r0 + 1), 3 + k, (lxw_row_t)(r0 + n), 3 + k);
		chart_series_set_name(t, k == 0 ? "目標" : "全体");
		lxw_chart_fill nofill = { .none = LXW_TRUE };
		lxw_chart_line noline = { .none = LXW_TRUE };
		chart_series_set_fill(t, &nofill);
		chart_series_set_line(t, &noline);
		chart_series_set_trendline(t, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
		chart_series_set_trendline_name(t, name[k]);
		chart_series_set_trendline_line(t, &lines[k]);
	}
	int16_t hidden[] = { 1, 2, -1 };  /* the two carriers; their lines are in the legend by name */
	chart_legend_delete_series(ch, hidden);
	chart_set_series_overlap(ch, 100);
	char title[256];
	snprintf(title, sizeof title, "%s（破線: %s　緑の線: %s）", g->title, name[0], name[1]);
	chart_title_set_name(ch, g->rows[0].den > 0 ? title : g->title);
	chart_axis_set_num_format(ch->y_axis, "0%");
	chart_axis_set_max(ch->y_axis, 1);
	chart_axis_set_min(ch->y_axis, 0);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options opt = { .x_scale = 2.0, .y_scale = 1.3 };
	worksheet_insert_chart_opt(ws, (lxw_row_t)(r0 + n + 2), 1, ch, &opt);
	return r0 + n + 24;
}

/* A checklist goal's grid (SPEC §2) on a sheet of its own after the goal's
 * table: items down, the municipalities across (or counts of them), 済 and 未
 * by colour and word, each municipality's status by the rule under them. */
static void goal_checklist(lxw_workbook *wb, const struct fmts *f, const kdx_present *p, int gi)
{
	const kdx_report_data *d = p->rd;
	char name[32];
	goal_sheet_name(&d->goals[gi], "", name, sizeof name);
	snprintf(name + strlen(name), sizeof name - strlen(name), "_項目");
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	struct widths ww = { { 0 } }, *w = &ww;
	int at_row = 0;
	kdx_chart_grid_data grid;
	kdx_checklist_grid(p, gi, 64 - 2, &grid);
	lxw_format *done = workbook_add_format(wb), *open = workbook_add_format(wb);
	format_set_bg_color(done, 0xCCE6F7);
	format_set_bg_color(open, 0xFCE3BF);
	lxw_format *fill[2] = { done, open };
	for (int k = 0; k < 2; k++) {
		format_set_border(fill[k], LXW_BORDER_THIN);
		format_set_align(fill[k], LXW_ALIGN_CENTER);
	}
	worksheet_write_string(ws, (lxw_row_t)at_row, 0, "チェックリスト（済: 実施・導入済　未: まだ　特例: 目標の対象外　-: 未提出）",
	                       f->bold_plain);
	put_str(ws, w, at_row + 1, 1, "項目", f->head);
	for (int c = 0; c < grid.ncols; c++)
		put_str(ws, w, at_row + 1, 2 + c, grid.cols[c], f->head);
	for (int r = 0; r < grid.nrows; r++) {
		put_str(ws, w, at_row + 2 + r, 1, grid.rows[r], r >= grid.nitems ? f->bold_text : f->text);
		for (int c = 0; c < grid.ncols; c++) {
			const char *word = grid.cells[r * grid.ncols + c];
			lxw_format *fmt = !strcmp(word, "済") ? done : !strcmp(word, "未") ? open : f->shown;
			put_str(ws, w, at_row + 2 + r, 2 + c, word, fmt);
		}
	}
	for (int c = 0; c < grid.ncols; c++)
		status_formatting(ws, at_row + 2 + grid.nitems, at_row + 1 + grid.nrows, 2 + c, f);
	worksheet_write_string(ws, (lxw_row_t)(at_row + 2 + grid.nrows), 1, grid.note, NULL);
	apply_widths(ws, w, 2 + grid.ncols);
	worksheet_freeze_panes(ws, 2, 2);
	char hd[256];
	snprintf(hd, sizeof hd, "%s の項目（%s時点）", d->goals[gi].title, d->asof_wareki);
	page_setup(ws, hd);
	worksheet_repeat_rows(ws, 0, 1);
	kdx_checklist_grid_free(&grid);
}

static void detail_sheet(lxw_workbook *wb, const struct fmts *f, const kdx_report_data *d, const kdx_goal_table *g,
                         const char *only_code)
{
	char name[32];
	goal_sheet_name(g, "根拠", name, sizeof name);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	struct widths w = { { 0 } };
	static const char *const head[] = { "団体コード", "団体", "番号", "名称", "種別・状況", "共同目標の対象", "独自目標の対象",
	                                    "実施・導入", "備考" };
	for (int c = 0; c < 9; c++)
		put_str(ws, &w, 0, c, head[c], f->head);
	int r = 1;
	int nd = 0;
	const kdx_detail_row *xs = kdx_report_details(d, (int)(g - d->goals), only_code, &nd);
	for (int i = 0; i < nd; i++) {
		const kdx_detail_row *x = &xs[i];
		const char *mname = "";
		int mi = kdx_report_muni_index(d, x->muni_code);
		if (mi > 0)
			mname = d->goals[0].rows[mi].name;
		put_str(ws, &w, r, 0, x->muni_code, f->text);
		put_str(ws, &w, r, 1, mname, f->text);
		put_str(ws, &w, r, 2, x->key, f->text);
		put_str(ws, &w, r, 3, x->name, f->text);
		put_str(ws, &w, r, 4, x->kind, f->text);
		put_str(ws, &w, r, 5, x->in_scope ? "○" : "", f->text);
		put_str(ws, &w, r, 6, x->in_own_scope ? "○" : "", f->text);
		put_str(ws, &w, r, 7, x->done ? "○" : "×", f->text);
		put_str(ws, &w, r, 8, x->note, f->text);
		r++;
	}
	apply_widths(ws, &w, 9);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r > 1 ? r - 1 : 1), 8);
	char hd[256];
	snprintf(hd, sizeof hd, "%s の根拠（%s時点）", g->title, d->asof_wareki);
	page_setup(ws, hd);
}

static void changes_sheet(lxw_workbook *wb, const struct fmts *f, const kdx_report_data *d, const char *only_code)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "前回からの変化");
	struct widths w = { { 0 } };
	static const char *const head[] = { "団体コード", "団体", "データ", "前回の調査基準日", "今回の調査基準日", "対象", "前回", "今回" };
	for (int c = 0; c < 8; c++)
		put_str(ws, &w, 0, c, head[c], f->head);
	int r = 1;
	for (int i = 0; i < d->nchanges; i++) {
		const kdx_change_row *c = &d->changes[i];
		if (only_code && strcmp(c->code, only_code))
			continue;
		put_str(ws, &w, r, 0, c->code, f->text);
		put_str(ws, &w, r, 1, c->name, f->text);
		put_str(ws, &w, r, 2, kdx_dataset_title(c->dataset), f->text);
		put_date(ws, &w, r, 3, c->prev_survey_date, f->date);
		put_date(ws, &w, r, 4, c->survey_date, f->date);
		put_str(ws, &w, r, 5, c->item, f->text);
		put_str(ws, &w, r, 6, c->before, f->text);
		put_str(ws, &w, r, 7, c->after, f->text);
		r++;
	}
	apply_widths(ws, &w, 8);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r > 1 ? r - 1 : 1), 7);
	page_setup(ws, "前回の提出からの変化");
}

static kdx_status finish(lxw_workbook *wb, const char *path, kdx_error **err)
{
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return kdx_fail(err, KDX_EIO, "could not write workbook \"%s\": %s", path, lxw_strerror(e));
	return KDX_OK;
}

lxw_workbook *kdx_xlsx_workbook(const char *path)
{
	lxw_workbook_options o = { .constant_memory = LXW_FALSE, .tmpdir = (char *)kdx_scratch_dir(), .use_zip64 = LXW_FALSE };
	return workbook_new_opt(path, &o);
}

/* 提出状況: the submission table of the PDF's data-quality annex, each
 * municipality's 調査基準日 per dataset as a date (older than six months:
 * marked), 未提出 where there is none. */
static void submissions_sheet(lxw_workbook *wb, const struct fmts *f, const kdx_report_data *d)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "提出状況");
	struct widths w = { { 0 } };
	lxw_format *stale = workbook_add_format(wb);
	format_set_border(stale, LXW_BORDER_THIN);
	format_set_align(stale, LXW_ALIGN_CENTER);
	format_set_bg_color(stale, 0xFBE3C2);
	format_set_num_format(stale, "[$-411]ggge\"年\"m\"月\"d\"日\"\"※\"");
	put_str(ws, &w, 0, 0, "団体コード", f->head);
	put_str(ws, &w, 0, 1, "団体", f->head);
	for (int c = 0; c < KDX_DS_COUNT; c++)
		put_str(ws, &w, 0, 2 + c, kdx_datasets[c].title, f->head);
	int nm = d->goals[0].nrows - 1;
	for (int i = 0; i < nm; i++) {
		const kdx_goal_row *m = &d->goals[0].rows[i + 1];
		put_str(ws, &w, 1 + i, 0, m->code, f->text);
		put_str(ws, &w, 1 + i, 1, m->name, f->text);
		int nl = 0;
		const kdx_ledger_row *l = kdx_report_ledger(d, m->code, &nl);
		for (int c = 0; c < KDX_DS_COUNT; c++) {
			const kdx_ledger_row *hit = NULL;
			for (int k = 0; k < nl; k++)
				if (!strcmp(l[k].dataset, kdx_datasets[c].id) && l[k].survey_date[0])
					hit = &l[k];
			if (hit)
				put_date(ws, &w, 1 + i, 2 + c, hit->survey_date, !strcmp(hit->state, "古い") ? stale : f->date);
			else
				put_str(ws, &w, 1 + i, 2 + c, "未提出", f->shown);
		}
	}
	worksheet_write_string(ws, (lxw_row_t)(nm + 2), 0, "※ と色付きのセルは、調査基準日が6か月より前のデータ。", NULL);
	apply_widths(ws, &w, 2 + KDX_DS_COUNT);
	worksheet_freeze_panes(ws, 1, 2);
	page_setup(ws, "提出状況");
}

kdx_status kdx_xlsx_council(const kdx_present *p, const char *path, kdx_error **err)
{
	const kdx_report_data *d = p->rd;
	lxw_workbook *wb = kdx_xlsx_workbook(path);
	if (!wb)
		return kdx_fail(err, KDX_EIO, "could not create workbook \"%s\"", path);
	char title[256];
	snprintf(title, sizeof title, "こども政策DX 共同目標 進捗状況（%s時点）", p->asof);
	set_props(wb, p, title);
	struct fmts f;
	make_formats(wb, &f);

	/* summary */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "概要");
	struct widths w = { { 0 } };
	worksheet_write_string(ws, 0, 0, title, f.title);
	char line[256];
	snprintf(line, sizeof line, "%s　集計に用いたデータの SHA-256: %s", d->pref_name, d->data_hash);
	worksheet_write_string(ws, 1, 0, line, NULL);
	put_str(ws, &w, 3, 0, "コード", f.head);
	put_str(ws, &w, 3, 1, "団体", f.head);
	for (int gi = 0; gi < 6; gi++) {
		char h[64];
		snprintf(h, sizeof h, kdx_goal_is_checklist(&d->goals[gi]) ? "%s 済/対象" : "%s 率", d->goals[gi].short_title);
		put_str(ws, &w, 3, 2 + gi * 2, h, f.head);
		snprintf(h, sizeof h, "%s 状況", d->goals[gi].short_title);
		put_str(ws, &w, 3, 3 + gi * 2, h, f.head);
	}
	int n = d->goals[0].nrows;
	for (int i = 0; i < n; i++) {
		int r = 4 + i;
		put_str(ws, &w, r, 0, d->goals[0].rows[i].code, i ? f.text : f.bold_text);
		put_str(ws, &w, r, 1, d->goals[0].rows[i].name, i ? f.text : f.bold_text);
		for (int gi = 0; gi < KDX_NGOALS; gi++) {
			const kdx_pcell *c = &p->goals[gi].cells[i];
			const kdx_goal_row *m = c->row;
			if (c->measured && kdx_goal_is_checklist(&d->goals[gi]))  /* items counted, never a rate (SPEC §2) */
				put_str(ws, &w, r, 2 + gi * 2, c->value, i ? f.shown : f.bold_text);
			else if (m->den > 0)
				put_num(ws, &w, r, 2 + gi * 2, m->rate, i ? f.pct : f.bold_pct);
			else
				put_str(ws, &w, r, 2 + gi * 2, "-", f.text);
			put_str(ws, &w, r, 3 + gi * 2, m->status, f.text);
		}
	}
	for (int gi = 0; gi < 6; gi++)
		status_formatting(ws, 4, 3 + n, 3 + gi * 2, &f);
	apply_widths(ws, &w, 14);
	worksheet_set_column(ws, 0, 0, 9, NULL);
	worksheet_freeze_panes(ws, 4, 2);
	worksheet_autofilter(ws, 3, 0, (lxw_row_t)(3 + n), 13);
	page_setup(ws, title);
	worksheet_repeat_rows(ws, 0, 3);  /* the title and the header rows */

	/* one sheet per goal, with its chart */
	for (int gi = 0; gi < 6; gi++) {
		const kdx_goal_table *g = &d->goals[gi];
		char name[32];
		goal_sheet_name(g, "", name, sizeof name);
		lxw_worksheet *gs = workbook_add_worksheet(wb, name);
		struct widths gw = { { 0 } };
		int last = goal_table_rows(gs, &gw, &f, &p->goals[gi], 1, g->nrows - 1, true);
		if (!kdx_goal_is_checklist(g))
			goal_chart(wb, gs, &gw, &f, name, g, last + 2);
		apply_widths(gs, &gw, 18);
		char hd[256];
		snprintf(hd, sizeof hd, "%s（%s時点）", g->title, d->asof_wareki);
		page_setup(gs, hd);
		if (kdx_goal_is_checklist(g))
			goal_checklist(wb, &f, p, gi);
	}
	/* procedures matrix */
	lxw_worksheet *pm = workbook_add_worksheet(wb, "手続マトリクス");
	struct widths pw = { { 0 } };
	put_str(pm, &pw, 0, 0, "手続番号", f.head);
	put_str(pm, &pw, 0, 1, "手続", f.head);
	for (int j = 1; j < n; j++)
		put_str(pm, &pw, 0, 1 + j, d->goals[0].rows[j].short_name, f.head);
	for (int i = 0; i < d->nprocs; i++) {
		put_str(pm, &pw, 1 + i, 0, d->proc_ids[i], f.text);
		put_str(pm, &pw, 1 + i, 1, d->proc_names[i], f.text);
		for (int j = 1; j < n; j++)
			put_str(pm, &pw, 1 + i, 1 + j, d->proc_cells[i][j - 1][0] ? d->proc_cells[i][j - 1] : "-", f.text);
	}
	apply_widths(pm, &pw, n + 1);
	worksheet_freeze_panes(pm, 1, 2);
	page_setup(pm, "手続の電子化状況");
	/* traceability */
	for (int gi = 0; gi < 6; gi++)
		detail_sheet(wb, &f, d, &d->goals[gi], NULL);
	changes_sheet(wb, &f, d, NULL);
	submissions_sheet(wb, &f, d);
	/* data quality */
	lxw_worksheet *qs = workbook_add_worksheet(wb, "データ品質");
	struct widths qw = { { 0 } };
	static const char *const qh[] = { "団体コード", "団体", "データ", "区分", "内容" };
	for (int c = 0; c < 5; c++)
		put_str(qs, &qw, 0, c, qh[c], f.head);
	for (int i = 0; i < d->nquality; i++) {
		put_str(qs, &qw, 1 + i, 0, d->quality[i].code, f.text);
		put_str(qs, &qw, 1 + i, 1, d->quality[i].name, f.text);
		put_str(qs, &qw, 1 + i, 2, kdx_dataset_title(d->quality[i].dataset), f.text);
		put_str(qs, &qw, 1 + i, 3, d->quality[i].kind, f.text);
		put_str(qs, &qw, 1 + i, 4, d->quality[i].message, f.text);
	}
	apply_widths(qs, &qw, 5);
	worksheet_freeze_panes(qs, 1, 0);
	worksheet_autofilter(qs, 0, 0, (lxw_row_t)(d->nquality > 0 ? d->nquality : 1), 4);
	page_setup(qs, "データ品質");
	return finish(wb, path, err);
}

/* 推移: the municipality's rate on each of its survey dates, goal by goal,
 * with the target (the feedback PDF's trend charts, as figures). */
static void history_sheet(lxw_workbook *wb, const struct fmts *f, const kdx_report_data *d, const kdx_goal_row *me)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "推移");
	struct widths w = { { 0 } };
	static const char *const head[] = { "目標", "調査基準日", "分子/分母（チェックリストの目標は済/対象の項目数）", "率", "状況",
	                                    "目標値" };
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], f->head);
	int r = 1;
	for (int gi = 0; gi < 6; gi++) {
		kdx_history h;
		kdx_history_get(d, gi, me->code, &h);
		bool list = kdx_goal_is_checklist(&d->goals[gi]);
		for (int k = 0; k < h.n; k++, r++) {
			put_str(ws, &w, r, 0, d->goals[gi].title, f->text);
			put_date(ws, &w, r, 1, h.dates[k], f->date);
			char frac[32];
			snprintf(frac, sizeof frac, "%d/%d", h.nums[k], h.dens[k]);
			put_str(ws, &w, r, 2, h.valid[k] ? frac : "対象なし", f->shown);
			if (h.valid[k] && !list)  /* a checklist goal's items are never read as a rate (SPEC §2) */
				put_num(ws, &w, r, 3, h.rates[k], f->rate);
			else
				put_str(ws, &w, r, 3, "", f->text);
			put_str(ws, &w, r, 4, h.statuses[k], f->text);
			if (list)
				put_str(ws, &w, r, 5, d->goals[gi].target_label, f->shown);
			else
				put_num(ws, &w, r, 5, d->goals[gi].target, f->pct);
		}
		kdx_history_free(&h);
	}
	apply_widths(ws, &w, 6);
	worksheet_set_column(ws, 2, 2, 22, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	status_formatting(ws, 1, r > 1 ? r - 1 : 1, 4, f);
	page_setup(ws, "推移");
}

kdx_status kdx_xlsx_muni(const kdx_present *p, int mi, const char *path, kdx_error **err)
{
	const kdx_report_data *d = p->rd;
	const kdx_goal_row *me = &d->goals[0].rows[mi];
	lxw_workbook *wb = kdx_xlsx_workbook(path);
	if (!wb)
		return kdx_fail(err, KDX_EIO, "could not create workbook \"%s\"", path);
	char title[256];
	snprintf(title, sizeof title, "%s こども政策DX 共同目標 フィードバック（%s時点）", me->name, p->asof);
	set_props(wb, p, title);
	struct fmts f;
	make_formats(wb, &f);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "概要");
	struct widths w = { { 0 } };
	worksheet_write_string(ws, 0, 0, title, f.title);
	/* headers wrap in their cells and goal titles wrap in theirs, so the sheet
	 * prints on A4 landscape at full size rather than shrunk to fit */
	static const char *const head[] = { "目標", "分母", "分子", "率", "全体の率", "目標", "期限", "状況", "順位", "対象団体数",
	                                    "残り", "前回比(pt)", "独自目標の率" };
	worksheet_set_row(ws, 2, 30, NULL);
	for (int c = 0; c < 13; c++)
		worksheet_write_string(ws, 2, (lxw_col_t)c, head[c], f.head);
	bool any_list = false;
	for (int gi = 0; gi < 6; gi++) {
		const kdx_goal_table *g = &d->goals[gi];
		const kdx_goal_row *m = &g->rows[mi];
		/* a checklist goal: its items counted and its rule, never a rate (SPEC §2) */
		bool list = kdx_goal_is_checklist(g);
		any_list |= list;
		int r = 3 + gi;
		worksheet_set_row(ws, (lxw_row_t)r, 30, NULL);  /* two lines: the wrapped title or target */
		worksheet_write_string(ws, (lxw_row_t)r, 0, g->title, f.wrap);
		if (m->submitted) {
			put_num(ws, &w, r, 1, m->den, f.intf);
			put_num(ws, &w, r, 2, m->num, f.intf);
			char fs[64];
			snprintf(fs, sizeof fs, "=IF(B%d>0,C%d/B%d,\"\")", r + 1, r + 1, r + 1);
			if (list)
				put_str(ws, &w, r, 3, "", f.text);
			else if (m->den > 0)
				worksheet_write_formula_num(ws, (lxw_row_t)r, 3, fs, f.pct, (double)m->num / m->den);
			else
				worksheet_write_formula_str(ws, (lxw_row_t)r, 3, fs, f.pct, "");
		}
		const kdx_pcell *c = &p->goals[gi].cells[mi];
		if (list) {
			worksheet_write_string(ws, (lxw_row_t)r, 4, p->goals[gi].achieved, f.wrap);
			worksheet_write_string(ws, (lxw_row_t)r, 5, g->target_label, f.wrap);
		} else {
			if (g->rows[0].den > 0)
				put_num(ws, &w, r, 4, g->rows[0].rate, f.pct);
			put_num(ws, &w, r, 5, g->target, f.pct);
		}
		put_deadline(ws, &w, r, 6, c, f.text);
		put_str(ws, &w, r, 7, m->status, f.text);
		if (m->rank > 0)
			put_num(ws, &w, r, 8, m->rank, f.intf);
		put_num(ws, &w, r, 9, g->in_scope_count, f.intf);
		if (m->remaining > 0)
			put_num(ws, &w, r, 10, m->remaining, f.intf);
		if (c->has_change && list)  /* items, never points (SPEC §2) */
			put_str(ws, &w, r, 11, c->change_from, f.shown);
		else if (c->has_change)
			put_num(ws, &w, r, 11, m->change_pt, f.intf);
		if (m->has_own && m->own_den > 0)
			put_num(ws, &w, r, 12, (double)m->own_num / m->own_den, f.pct);
	}
	status_formatting(ws, 3, 8, 7, &f);
	apply_widths(ws, &w, 13);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 4, 5, 12, NULL);
	int row = 10;
	if (any_list) {
		kdx_buf b = { 0 };
		for (int gi = 0; gi < 6; gi++)
			if (kdx_goal_is_checklist(&d->goals[gi]))
				kdx_buf_printf(&b, "%s%s", b.len ? "・" : "", d->goals[gi].short_title);
		kdx_buf_adds(&b, "は、分子・分母が項目の数で、状況は各目標の規則で判定する（率では判定しない）。");
		worksheet_write_string(ws, (lxw_row_t)row++, 0, b.data, NULL);
		kdx_buf_free(&b);
	}
	/* each own target (独自目標), with the facilities behind what it still lacks */
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pcell *c = &p->goals[gi].cells[mi];
		if (!c->own[0])
			continue;
		char *t = kdx_strdup_printf("%s　%s", d->goals[gi].title, c->own);
		worksheet_write_string(ws, (lxw_row_t)row++, 0, t, NULL);
		free(t);
	}
	worksheet_freeze_panes(ws, 3, 1);
	page_setup(ws, title);
	worksheet_repeat_rows(ws, 0, 2);  /* the title and the header row */

	/* what is left, by name */
	lxw_worksheet *ls = workbook_add_worksheet(wb, "残っている取組");
	struct widths lw = { { 0 } };
	static const char *const lh[] = { "目標", "番号", "名称", "種別・状況", "備考" };
	for (int c = 0; c < 5; c++)
		put_str(ls, &lw, 0, c, lh[c], f.head);
	int r = 1;
	for (int gi = 0; gi < 6; gi++) {
		int nd = 0;
		const kdx_detail_row *xs = kdx_report_details(d, gi, me->code, &nd);
		for (int i = 0; i < nd; i++) {
			const kdx_detail_row *x = &xs[i];
			if (x->done || !(x->in_scope || x->in_own_scope))
				continue;
			char own[160];
			snprintf(own, sizeof own, "%s（独自目標のみ）", d->goals[gi].title);
			const char *gt = x->in_scope ? d->goals[gi].title : own;
			put_str(ls, &lw, r, 0, gt, f.text);
			put_str(ls, &lw, r, 1, x->key, f.text);
			put_str(ls, &lw, r, 2, x->name, f.text);
			put_str(ls, &lw, r, 3, x->kind, f.text);
			put_str(ls, &lw, r, 4, x->note, f.text);
			r++;
		}
	}
	apply_widths(ls, &lw, 5);
	worksheet_freeze_panes(ls, 1, 0);
	worksheet_autofilter(ls, 0, 0, (lxw_row_t)(r > 1 ? r - 1 : 1), 4);
	history_sheet(wb, &f, d, me);
	page_setup(ls, "残っている取組");
	for (int gi = 0; gi < 6; gi++)
		detail_sheet(wb, &f, d, &d->goals[gi], me->code);
	changes_sheet(wb, &f, d, me->code);
	return finish(wb, path, err);
}
