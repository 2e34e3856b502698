/* council.c - the council's meeting materials (PDF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/report.h"
#include "kdx/draw.h"
#include "kdx/chart.h"
#include "kdx/buf.h"
#include "kdx/datasets.h"

char *kdx_outlook_text(const kdx_goal_table *g, const kdx_goal_row *r)
{
	bool trend = !strcmp(g->id, "nursery") || !strcmp(g->id, "clubs");
	bool open = !strcmp(r->status, "未達") || !strcmp(r->status, "期限超過");
	if (!open)
		return kdx_strdup("");
	if (!trend) {
		if (r->caution)
			return kdx_strdup_printf("要注意：%s", r->outlook_items);
		return kdx_strdup("予定どおりなら期限内に達成");
	}
	char when[40];
	kdx_wareki_text(r->projected, "", when, sizeof when);
	if (r->caution && when[0])
		return kdx_strdup_printf("要注意（達成見込み %s）", when);
	if (r->caution)
		return kdx_strdup("要注意（改善なし）");
	if (when[0])
		return kdx_strdup_printf("達成見込み %s", when);
	return kdx_strdup("");
}

void kdx_wareki_text(const char *iso, const char *none, char *buf, size_t n)
{
	kdx_date d;
	if (!iso || !*iso)
		snprintf(buf, n, "%s", none);
	else if (kdx_date_parse(iso, &d) == KDX_DATE_OK)
		kdx_date_wareki(d, buf, n);
	else
		snprintf(buf, n, "%s", iso);
}

void kdx_fy_end_text(const char *iso, char *buf, size_t n)
{
	kdx_date d;
	char fy[32];
	if (!iso || kdx_date_parse(iso, &d) != KDX_DATE_OK) {
		snprintf(buf, n, "－");
		return;
	}
	kdx_fy_wareki(kdx_fiscal_year(d), fy, sizeof fy);
	snprintf(buf, n, "%s末", fy);
}

void kdx_edition_text(const kdx_report_data *rd, char *buf, size_t n)
{
	snprintf(buf, n, "第%d版（データ %.12s）", rd->edition, rd->data_hash);
}

void kdx_prev_round_label(const char *iso, char *buf, size_t n)
{
	kdx_date d;
	if (!iso || !*iso || kdx_date_parse(iso, &d) != KDX_DATE_OK) {
		snprintf(buf, n, "前回調査（団体により異なる）");
		return;
	}
	char w[40];
	kdx_wareki_text(iso, "", w, sizeof w);
	snprintf(buf, n, "前回（%s）", w);
}

void kdx_deadline_text(const char *iso, char *buf, size_t n)
{
	kdx_date d;
	if (kdx_date_parse(iso, &d) != KDX_DATE_OK) {
		snprintf(buf, n, "%s", iso);
		return;
	}
	char fy[40];
	kdx_fy_end_text(iso, fy, sizeof fy);
	snprintf(buf, n, "%s（%s）", fy, iso);
}

static const kdx_rgb none = { -1, -1, -1 };

/*
 * The seed-style table: 全体 and the municipalities across, with 導入率,
 * 分子/分母 and 状況 below each.  Each column is as wide as its widest text
 * needs, so nothing wraps, in bands as wide as the page, one under another.
 * A council too large for KDX_SEED_BANDS_MAX bands gets a line instead: the
 * table after the chart has the same figures.
 */
#define KDX_SEED_BANDS_MAX 4
#define KDX_SEED_SIZE KDX_MIN_BODY

static void seed_table(kdx_doc *d, const kdx_goal_table *g)
{
	int n = g->nrows;
	const double label = 50, avail = d->w - d->ml - d->mr - label;
	char **frac = kdx_xcalloc((size_t)n, sizeof *frac);
	double *need = kdx_xcalloc((size_t)n, sizeof *need);
	int *band = kdx_xcalloc((size_t)n + 1, sizeof *band);  /* first column of each band */
	int nb = 0;
	double used = 0;
	for (int i = 0; i < n; i++) {
		const kdx_goal_row *r = &g->rows[i];
		frac[i] = r->den > 0 ? kdx_strdup_printf("%d/%d", r->num, r->den) : kdx_strdup("-");
		double wd = 0;
		const char *texts[] = { r->display, frac[i], r->short_name, r->status };
		for (int k = 0; k < 4; k++) {
			double x = kdx_text_line_width(d->cr, d->pc, texts[k], KDX_SEED_SIZE, k == 2 ? KDX_BOLD : 0);
			wd = x > wd ? x : wd;
		}
		need[i] = wd + 4.5;  /* 2 pt of padding either side */
		if (need[i] > avail)
			need[i] = avail;
		if (i == 0 || used + need[i] > avail) {
			band[nb++] = i;
			used = 0;
		}
		used += need[i];
	}
	band[nb] = n;
	if (nb > KDX_SEED_BANDS_MAX) {
		char *t = kdx_strdup_printf("団体別の導入率・分子/分母・状況は、%d団体のため下の表に示す。", n - 1);
		kdx_doc_para(d, t, 8);
		free(t);
		nb = 0;
	}
	for (int k = 0; k < nb; k++) {
		int first = band[k], cols = 1 + band[k + 1] - first;
		const char **cells = kdx_xcalloc((size_t)cols * 4, sizeof *cells);
		kdx_rgb *bg = kdx_xcalloc((size_t)cols * 4, sizeof *bg);
		double *w = kdx_xcalloc((size_t)cols, sizeof *w);
		int *al = kdx_xcalloc((size_t)cols, sizeof *al);
		double sum = 0;
		for (int i = first; i < band[k + 1]; i++)
			sum += need[i];
		/* the room left is shared out, up to 8 pt a column */
		double extra = (avail - sum) / (cols - 1);
		if (extra > 8)
			extra = 8;
		/* a checklist goal's items are counted, never read as a rate (SPEC §2) */
		bool list = kdx_goal_is_checklist(g);
		char **left = kdx_xcalloc((size_t)cols, sizeof *left);
		w[0] = label;
		cells[0] = "";
		cells[cols] = list ? "済/対象" : "導入率";
		cells[2 * cols] = list ? "残り" : "分子/分母";
		cells[3 * cols] = "状況";
		for (int i = 0; i < cols * 4; i++)
			bg[i] = none;
		for (int c = 1; c < cols; c++) {
			int i = first + c - 1;
			const kdx_goal_row *r = &g->rows[i];
			w[c] = need[i] + extra;
			al[c] = KDX_ALIGN_CENTER;
			cells[c] = r->short_name;
			cells[cols + c] = list ? frac[i] : r->display;
			if (list) {
				left[c] = i > 0 && r->remaining > 0 ? kdx_strdup_printf("あと%d", r->remaining) : kdx_strdup("－");
				cells[2 * cols + c] = left[c];
			} else {
				cells[2 * cols + c] = frac[i];
			}
			cells[3 * cols + c] = r->status;
			bg[cols + c] = kdx_status_tint(r->status);
			bg[3 * cols + c] = kdx_status_tint(r->status);
		}
		kdx_table tab = { 4, cols, cells, w, al, bg, KDX_SEED_SIZE };
		kdx_doc_table(d, &tab);
		for (int c = 0; c < cols; c++)
			free(left[c]);
		free(left);
		free(cells);
		free(bg);
		free(w);
		free(al);
	}
	for (int i = 0; i < n; i++)
		free(frac[i]);
	free(frac);
	free(need);
	free(band);
}

static const char *checklist_rule(const kdx_goal_table *g)
{
	return !strcmp(g->id, "postpartum")
	       ? "済: 実施済　未: 準備中・未実施　-: 未提出。達成: オンライン申請と、承認通知の電子化・利用実績のシステム管理・"
	         "集計・請求の自動化のいずれか1項目を実施済（空き状況のWeb確認とオンライン予約は判定に含めない）。"
	       : "済: 導入済（類似システム導入済を含む）　未: 導入予定・未定　特例: 特別な事情により目標の対象外　-: 未提出。"
	         "達成: 対象の項目をすべて導入済。";
}

void kdx_checklist_grid(const kdx_report_data *rd, int gi, int max_cols, kdx_chart_grid_data *out)
{
	const kdx_goal_table *g = &rd->goals[gi];
	const char *keys[8], *names[8];
	int ni = kdx_report_checklist_items(rd, gi, keys, names, 8), nm = g->nrows - 1;
	bool each = nm <= max_cols;
	int nc = each ? nm : 4, nr = each ? ni + 2 : ni;
	const char **rows = kdx_xcalloc((size_t)nr, sizeof *rows), **cols = kdx_xcalloc((size_t)nc + 1, sizeof *cols);
	char **cells = kdx_xcalloc((size_t)nr * nc + 1, sizeof *cells);
	for (int k = 0; k < ni; k++)
		rows[k] = names[k];
	if (each) {
		rows[ni] = "済/対象（項目数）";
		rows[ni + 1] = "状況（目標の判定）";
		for (int j = 0; j < nm; j++) {
			const kdx_goal_row *r = &g->rows[j + 1];
			cols[j] = r->short_name;
			int nd = 0;
			const kdx_detail_row *det = kdx_report_details(rd, gi, r->code, &nd);
			for (int k = 0; k < ni; k++) {
				const char *word = r->submitted ? "－" : "-";
				for (int x = 0; x < nd; x++)
					if (!strcmp(det[x].key, keys[k]))
						word = det[x].in_scope ? (det[x].done ? "済" : "未") : !strcmp(det[x].kind, "特例対象外") ? "特例" : word;
				cells[k * nc + j] = kdx_strdup(word);
			}
			cells[ni * nc + j] = r->submitted && r->den > 0 ? kdx_strdup_printf("%d/%d", r->num, r->den) : kdx_strdup("-");
			cells[(ni + 1) * nc + j] = kdx_strdup(r->status);
		}
	} else {
		/* each item's number of municipalities that have done it, not yet, are exempt, or sent nothing */
		static const char *const head[4] = { "済の団体", "未の団体", "特例の団体", "未提出の団体" };
		for (int c = 0; c < 4; c++)
			cols[c] = head[c];
		for (int k = 0; k < ni; k++) {
			int n[4] = { 0 };
			for (int j = 1; j <= nm; j++) {
				const kdx_goal_row *r = &g->rows[j];
				if (!r->submitted) {
					n[3]++;
					continue;
				}
				int nd = 0;
				const kdx_detail_row *det = kdx_report_details(rd, gi, r->code, &nd);
				for (int x = 0; x < nd; x++)
					if (!strcmp(det[x].key, keys[k]))
						n[det[x].in_scope ? (det[x].done ? 0 : 1) : 2] += det[x].in_scope || !strcmp(det[x].kind, "特例対象外");
			}
			for (int c = 0; c < 4; c++)
				cells[k * nc + c] = kdx_strdup_printf("%d", n[c]);
		}
	}
	*out = (kdx_chart_grid_data){ g->title, nr, ni, nc, rows, cols, (const char *const *)cells, checklist_rule(g) };
}

void kdx_checklist_grid_free(kdx_chart_grid_data *g)
{
	for (int i = 0; i < g->nrows * g->ncols; i++)
		free((char *)g->cells[i]);
	free((void *)g->cells);
	free((void *)g->rows);
	free((void *)g->cols);
}

#define KDX_GRID_LABEL 200
#define KDX_GRID_MIN_COL 26

/* How many municipalities fit as columns of a grid at 9 pt. */
static int grid_columns(const kdx_doc *d)
{
	return (int)((d->w - d->ml - d->mr - KDX_GRID_LABEL) / KDX_GRID_MIN_COL);
}

static bool grid_fits(const kdx_doc *d, int nm)
{
	return nm <= grid_columns(d);
}

/* A checklist goal's chart (SPEC §2): its items down, the municipalities
 * across, each cell 済, 未 or 特例 in words as well as colour, and each
 * municipality's status by the goal's own rule; no line at 100%, no rank.
 * A council too large for a column each gets the counts of municipalities. */
static void checklist_table(kdx_doc *d, const kdx_report_data *rd, const kdx_goal_table *g)
{
	kdx_chart_grid_data grid;
	kdx_checklist_grid(rd, (int)(g - rd->goals), grid_columns(d), &grid);
	int nc = grid.ncols + 1, nr = grid.nrows + 1;
	bool each = grid_fits(d, g->nrows - 1);
	const char **cells = kdx_xcalloc((size_t)nc * nr, sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * nr, sizeof *bg);
	double *w = kdx_xcalloc((size_t)nc, sizeof *w);
	int *al = kdx_xcalloc((size_t)nc, sizeof *al);
	w[0] = each ? KDX_GRID_LABEL : 250;
	cells[0] = "項目";
	for (int i = 0; i < nr * nc; i++)
		bg[i] = none;
	char **split = kdx_xcalloc((size_t)grid.ncols + 1, sizeof *split);
	for (int c = 0; c < grid.ncols; c++) {
		w[c + 1] = each ? (d->w - d->ml - d->mr - w[0]) / grid.ncols : 100;
		al[c + 1] = each ? KDX_ALIGN_CENTER : KDX_ALIGN_RIGHT;
		/* a name too long for its column is broken in the middle (豊後 / 高田), never before its last character */
		const char *name = grid.cols[c];
		size_t len = strlen(name), half = 0, chars = 0;
		for (size_t i = 0; i < len; i++)
			chars += ((unsigned char)name[i] & 0xC0) != 0x80;
		for (size_t i = 0, k = 0; i < len; i++)
			if (((unsigned char)name[i] & 0xC0) != 0x80 && k++ == (chars + 1) / 2)
				half = i;
		bool wraps = kdx_text_height(d->cr, d->pc, w[c + 1] - 4, name, KDX_MIN_BODY, KDX_BOLD)
		             > kdx_text_height(d->cr, d->pc, w[c + 1] - 4, "大分", KDX_MIN_BODY, KDX_BOLD) * 1.5;
		if (wraps && half > 0)
			split[c] = kdx_strdup_printf("%.*s\n%s", (int)half, name, name + half);
		cells[c + 1] = split[c] ? split[c] : name;
	}
	for (int r = 0; r < grid.nrows; r++) {
		cells[(r + 1) * nc] = grid.rows[r];
		for (int c = 0; c < grid.ncols; c++) {
			const char *word = grid.cells[r * grid.ncols + c];
			cells[(r + 1) * nc + c + 1] = word;
			kdx_chart_grid_fill(word, &bg[(r + 1) * nc + c + 1]);
		}
	}
	kdx_table tab = { nr, nc, cells, w, al, bg, KDX_MIN_BODY };
	kdx_doc_table(d, &tab);
	for (int c = 0; c < grid.ncols; c++)
		free(split[c]);
	free(split);
	free(cells);
	free(bg);
	free(w);
	free(al);
	if (!each) {
		char *t = kdx_strdup_printf("%d団体のため、項目ごとの団体数を示す。各団体の状況は下の表に示す。", g->nrows - 1);
		kdx_doc_para(d, t, KDX_MIN_BODY);
		free(t);
	}
	kdx_doc_para(d, grid.note, KDX_MIN_BODY);
	kdx_checklist_grid_free(&grid);
}

/*
 * The table of every municipality of a goal, each with its own deadline.  A
 * rate goal's row gives its rate, rank and change in points; a checklist
 * goal's (SPEC §2) the items done as a count, what its rule still needs, and
 * the count done in the previous round: no rate, no rank.
 */
struct detail {
	kdx_table tab;
	const char **cells;
	kdx_rgb *bg;
	char **owned;
	int nowned;
	bool special, exempt, stale;
};

static const char *keep(struct detail *t, char *s)
{
	t->owned[t->nowned++] = s;
	return s;
}

static void detail_build(struct detail *t, const kdx_report_data *rd, const kdx_goal_table *g)
{
	static const char *const rate_head[] = { "団体", "調査基準日", "分母", "分子", "表示", "状況", "期限", "残り", "順位", "前回比", "見通し" };
	static const double rate_w[] = { 88, 88, 34, 34, 38, 50, 118, 34, 34, 62, 178 };
	static const int rate_al[] = { 0, 1, 2, 2, 2, 1, 1, 2, 2, 2, 0 };
	static const char *const list_head[] = { "団体", "調査基準日", "済/対象", "状況", "期限", "目標の達成に必要な項目", "前回の済", "見通し" };
	static const double list_w[] = { 88, 80, 48, 48, 70, 176, 62, 186 };
	static const int list_al[] = { 0, 1, 1, 1, 1, 0, 1, 0 };
	bool list = kdx_goal_is_checklist(g);
	int nc = list ? 8 : 11, n = g->nrows;
	memset(t, 0, sizeof *t);
	t->cells = kdx_xcalloc((size_t)nc * n, sizeof *t->cells);
	t->bg = kdx_xcalloc((size_t)nc * n, sizeof *t->bg);
	t->owned = kdx_xcalloc((size_t)n * nc, sizeof *t->owned);
	for (int i = 0; i < nc * n; i++)
		t->bg[i] = none;
	for (int c = 0; c < nc; c++)
		t->cells[c] = list ? list_head[c] : rate_head[c];
	for (int i = 1; i < n; i++) {
		const kdx_goal_row *r = &g->rows[i];
		const char **row = t->cells + i * nc;
		/* a PMH area exempt by 特例 is marked where the municipality is named */
		int nd = 0;
		bool ex = false;
		const kdx_detail_row *det = kdx_report_details(rd, (int)(g - rd->goals), r->code, &nd);
		for (int k = 0; k < nd; k++)
			ex |= !strcmp(g->id, "pmh") && !strcmp(det[k].kind, "特例対象外");
		t->exempt |= ex;
		char w[40], fy[40];
		kdx_wareki_text(r->survey_date, "－", w, sizeof w);
		/* the municipality's own deadline, in 和暦; ※ where 特別な事情 moves it */
		kdx_fy_end_text(r->deadline, fy, sizeof fy);
		bool moved = strcmp(r->deadline, g->deadline) != 0;
		t->special |= moved;
		t->stale |= r->stale;
		int c = 0;
		row[c++] = keep(t, kdx_strdup_printf("%s%s", r->name, ex ? "（特例）" : ""));
		row[c++] = keep(t, kdx_strdup_printf("%s%s", w, r->stale ? "※" : ""));
		if (list) {
			row[c++] = keep(t, r->submitted && r->den > 0 ? kdx_strdup_printf("%d/%d", r->num, r->den) : kdx_strdup("-"));
		} else {
			row[c++] = keep(t, r->submitted ? kdx_strdup_printf("%d", r->den) : kdx_strdup("-"));
			row[c++] = keep(t, r->submitted ? kdx_strdup_printf("%d", r->num) : kdx_strdup("-"));
			row[c++] = r->display;
		}
		t->bg[i * nc + c] = kdx_status_tint(r->status);
		row[c++] = r->status;
		row[c++] = keep(t, kdx_strdup_printf("%s%s", fy, moved ? "※特別な事情" : ""));
		bool open = !strcmp(r->status, "未達") || !strcmp(r->status, "期限超過");
		if (list) {
			row[c++] = open ? r->needed : "";
			row[c++] = keep(t, r->has_prev ? kdx_strdup_printf("%d/%d", r->prev_num, r->prev_den)
			                               : kdx_strdup(r->submitted && r->den > 0 ? "前回調査なし" : ""));
		} else {
			row[c++] = keep(t, r->remaining > 0 ? kdx_strdup_printf("%d", r->remaining) : kdx_strdup(""));
			row[c++] = keep(t, r->rank > 0 ? kdx_strdup_printf("%d", r->rank) : kdx_strdup(""));
			row[c++] = keep(t, r->has_change ? kdx_strdup_printf("%+dpt", r->change_pt)
			                                 : kdx_strdup(r->submitted && r->den > 0 && !r->prev_display[0] ? "前回調査なし" : ""));
		}
		row[c++] = keep(t, kdx_outlook_text(g, r));
	}
	t->tab = (kdx_table){ n, nc, t->cells, list ? list_w : rate_w, list ? list_al : rate_al, t->bg, KDX_MIN_BODY };
}

static void detail_free(struct detail *t)
{
	for (int i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->cells);
	free(t->bg);
}

static char *detail_note(const kdx_goal_table *g, const struct detail *t)
{
	kdx_buf note = { 0 };
	if (t->stale)
		kdx_buf_adds(&note, "※ 調査基準日が6か月より前のデータ。");
	if (kdx_goal_is_checklist(g))
		kdx_buf_adds(&note, "済/対象・前回の済は項目の数（率ではない）。");
	else
		kdx_buf_adds(&note, "表示は整数%（四捨五入）、達成の判定は端数を含む実数で行う。");
	if (t->special)
		kdx_buf_adds(&note, "期限の「※特別な事情」は、園のあり方を検討するなど特別な事情があり、目標年度を令和9年度末とした団体。");
	if (t->exempt)
		kdx_buf_adds(&note, "「（特例）」は、対象の業務システムが特定移行困難システムに指定されるなど特別な事情があり、PMHのその分野を目標の対象外とした団体"
		                    "（分母から除く）。");
	kdx_buf_adds(&note, !strcmp(g->id, "nursery") || !strcmp(g->id, "clubs")
	                    ? "見通しは前回と今回の調査から直線で延ばした達成日。各団体の期限より後になる団体を要注意とする（前回調査がない団体は判断しない）。"
	                    : "見通しは各団体が回答した予定年度による（必要な項目に予定年度がない・未定・期限より後のものがあれば要注意）。");
	return note.data;
}

/* the bar chart's height: as tall as it may be while its goal's table still
 * fits on the same page, never below what its labels need; when the table
 * cannot share the page, as tall as the page allows */
#define KDX_BARS_H 180
#define KDX_BARS_MIN_H 140
#define KDX_BARS_MAX_H 330

static void goal_section(kdx_doc *d, const kdx_report_data *rd, const kdx_goal_table *g)
{
	char buf[512], dl[64];
	kdx_doc_page(d);
	snprintf(buf, sizeof buf, "%d. %s", g->ord, g->title);
	kdx_doc_heading(d, buf, 14);
	kdx_deadline_text(g->deadline, dl, sizeof dl);
	snprintf(buf, sizeof buf, "目標: %sまでに %s%s", dl, g->target_label,
	         !strcmp(g->id, "nursery") ? "（特別な事情がある団体は令和9年度末（2028-03-31））" : "");
	kdx_doc_para(d, buf, 9.5);
	const kdx_goal_row *t = &g->rows[0];
	kdx_buf b = { 0 };
	bool list = kdx_goal_is_checklist(g);
	/* a checklist goal: the municipalities that reached it first, the items done only after (SPEC §2) */
	if (list)
		kdx_buf_printf(&b, "達成 %d/%d団体　（参考）済の%s %d/%d（%s）", g->achieved_count, g->in_scope_count, g->unit,
		               t->num, t->den, t->display);
	else
		kdx_buf_printf(&b, "全体 %s（%d/%d%s）", t->display, t->num, t->den, g->unit);
	if (g->has_prev_total && t->den > 0) {
		char when[64];
		kdx_prev_round_label(g->prev_asof, when, sizeof when);
		if (list && t->has_prev)  /* items counted, never a change in points (SPEC §2) */
			kdx_buf_printf(&b, "　%s 済の%s %d/%d → %d/%d", when, g->unit, t->prev_num, t->prev_den, t->num, t->den);
		else
			kdx_buf_printf(&b, "　%s %s → %s（%+dpt）", when, g->prev_total_display, t->display, t->change_pt);
	} else if (t->den > 0) {
		kdx_buf_adds(&b, "　前回調査なし");
	}
	if (!list)
		kdx_buf_printf(&b, "　達成 %d/%d団体", g->achieved_count, g->in_scope_count);
	kdx_doc_para(d, b.data, 9.5);
	kdx_buf_free(&b);

	struct detail det;
	detail_build(&det, rd, g);
	char *note = detail_note(g, &det);
	double below = kdx_doc_table_height(d, &det.tab) + kdx_doc_para_height(d, note, KDX_MIN_BODY);

	/* the chart: the checklist itself for the checklist goals (its grid has the
	 * seed table's rows); bars against the target for the rate goals */
	if (list) {
		checklist_table(d, rd, g);  /* (for a large council: the counts, and a line saying so) */
	} else {
		seed_table(d, g);
		/* with its table when both fit; else the chart fills its page and the table has the next */
		double room = d->h - d->mb - d->y - below - 10, page = d->h - d->mb - d->y - 10;
		double ch = room >= KDX_BARS_H ? KDX_BARS_H : room >= KDX_BARS_MIN_H ? room
		          : page > KDX_BARS_MAX_H ? KDX_BARS_MAX_H : page > KDX_BARS_H ? page : KDX_BARS_H;
		kdx_doc_need(d, ch + 10);
		kdx_chart_goal_data chart;
		kdx_goal_chart(g, &chart);
		kdx_chart_goal(d->cr, d->pc, &chart, d->ml, d->y, d->w - d->ml - d->mr, ch);
		kdx_goal_chart_free(&chart);
		d->y += ch + 10;
	}
	/* the table whole on a page of its own rather than a few rows carried over */
	if (below < d->h - d->mt - d->mb)
		kdx_doc_need(d, below);
	kdx_doc_table(d, &det.tab);
	kdx_doc_para(d, note, KDX_MIN_BODY);
	free(note);
	detail_free(&det);
}

static void summary_page(kdx_doc *d, const kdx_report_data *rd)
{
	kdx_doc_page(d);
	kdx_doc_heading(d, "進捗一覧（6つの共同目標 × 市町村）", 14);
	int n = rd->goals[0].nrows;
	const int nc = 7;
	const char **cells = kdx_xcalloc((size_t)nc * (n + 1), sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * (n + 1), sizeof *bg);
	char **owned = kdx_xcalloc((size_t)6 * (n + 1), sizeof *owned);
	static const double widths[] = { 81, 71, 71, 71, 71, 71, 71 };
	static const int align[] = { 0, 1, 1, 1, 1, 1, 1 };
	cells[0] = "団体";
	bg[0] = none;
	for (int gi = 0; gi < 6; gi++) {
		cells[gi + 1] = rd->goals[gi].short_title;
		bg[gi + 1] = none;
	}
	for (int i = 0; i < n; i++) {
		cells[(i + 1) * nc] = rd->goals[0].rows[i].name;
		bg[(i + 1) * nc] = none;
		for (int gi = 0; gi < 6; gi++) {
			const kdx_goal_table *g = &rd->goals[gi];
			const kdx_goal_row *r = &g->rows[i];
			/* a checklist goal's figure is its items counted, 全体 the municipalities that reached it (SPEC §2) */
			if (!kdx_goal_is_checklist(g) || !r->submitted || r->den == 0)
				owned[i * 6 + gi] = kdx_strdup_printf("%s\n%s", r->display, r->status);
			else if (i == 0)
				owned[i * 6 + gi] = kdx_strdup_printf("達成 %d/%d団体\n%s", g->achieved_count, g->in_scope_count, r->status);
			else
				owned[i * 6 + gi] = kdx_strdup_printf("%d/%d%s\n%s", r->num, r->den, g->unit, r->status);
			cells[(i + 1) * nc + gi + 1] = owned[i * 6 + gi];
			bg[(i + 1) * nc + gi + 1] = kdx_status_tint(r->status);
		}
	}
	kdx_table tab = { n + 1, nc, cells, widths, align, bg, 7.5 };
	kdx_doc_table(d, &tab);
	for (int i = 0; i < 6 * n; i++)
		free(owned[i]);
	free(owned);
	free(cells);
	free(bg);
	/* legend */
	static const char *const st[] = { "達成", "未達", "期限超過", "対象外", "未提出" };
	double x = d->ml;
	kdx_doc_need(d, 20);
	for (int i = 0; i < 5; i++) {
		kdx_set_rgb(d->cr, kdx_status_tint(st[i]));
		cairo_rectangle(d->cr, x, d->y, 12, 10);
		cairo_fill_preserve(d->cr);
		cairo_set_source_rgb(d->cr, 0.5, 0.5, 0.5);
		cairo_set_line_width(d->cr, 0.4);
		cairo_stroke(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		kdx_text(d->cr, d->pc, x + 15, d->y, 60, st[i], KDX_MIN_BODY, 0);
		x += 75;
	}
	d->y += 16;
	kdx_doc_para(d, "達成: 目標を満たす　未達: 期限前で未達成　期限超過: 期限後で未達成　対象外: 対象施設・手続がない　"
	                "未提出: 時点までに提出がない（全体の計算から除く）。", 7.5);
}

/* A council too large for a column per municipality: for each procedure the
 * number of municipalities in each state. */
static void procedures_counts(kdx_doc *d, const kdx_report_data *rd, int nm)
{
	kdx_doc_heading(d, "手続の電子化状況（対象手続ごとの団体数）", 14);
	enum { NC = 6 };
	static const char *const head[NC] = { "手続", "済", "準備中", "未着手", "所掌外", "未提出" };
	static const double widths[NC] = { 330, 80, 80, 80, 80, 80 };
	static const int align[NC] = { 0, 2, 2, 2, 2, 2 };
	int nr = rd->nprocs + 1;
	const char **cells = kdx_xcalloc((size_t)NC * nr, sizeof *cells);
	char **owned = kdx_xcalloc((size_t)NC * nr, sizeof *owned);
	for (int c = 0; c < NC; c++)
		cells[c] = head[c];
	for (int i = 0; i < rd->nprocs; i++) {
		int n[NC] = { 0 };
		for (int j = 0; j < nm; j++) {
			const char *v = rd->proc_cells[i][j];
			int k = !v[0] ? 5 : 0;
			for (int c = 1; c < 5 && !k; c++)
				if (!strcmp(v, head[c]))
					k = c;
			n[k]++;
		}
		cells[(i + 1) * NC] = owned[(i + 1) * NC] = kdx_strdup_printf("%s %s", rd->proc_ids[i], rd->proc_names[i]);
		for (int c = 1; c < NC; c++)
			cells[(i + 1) * NC + c] = owned[(i + 1) * NC + c] = kdx_strdup_printf("%d", n[c]);
	}
	kdx_table tab = { nr, NC, cells, widths, align, NULL, KDX_MIN_BODY };
	kdx_doc_table(d, &tab);
	char *t = kdx_strdup_printf("%d団体のため、手続ごとの団体数を示す。済: 電子化済　準備中: 電子化の準備中　未着手: 未着手　"
	                            "所掌外: その団体が所掌していない手続（対象外）　未提出: 時点までに提出がない。", nm);
	kdx_doc_para(d, t, KDX_MIN_BODY);
	free(t);
	for (int i = 0; i < NC * nr; i++)
		free(owned[i]);
	free(owned);
	free(cells);
}

static void procedures_matrix(kdx_doc *d, const kdx_report_data *rd)
{
	kdx_doc_page(d);
	int nm = rd->goals[0].nrows - 1;
	if (!grid_fits(d, nm)) {
		procedures_counts(d, rd, nm);
		return;
	}
	kdx_doc_heading(d, "手続の電子化状況（対象手続 × 市町村）", 14);
	int nc = nm + 1, nr = rd->nprocs + 1;
	const char **cells = kdx_xcalloc((size_t)nc * nr, sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * nr, sizeof *bg);
	double *w = kdx_xcalloc((size_t)nc, sizeof *w);
	int *al = kdx_xcalloc((size_t)nc, sizeof *al);
	char **names = kdx_xcalloc((size_t)nr, sizeof *names);
	w[0] = 150;
	cells[0] = "手続";
	for (int j = 0; j < nm; j++) {
		w[j + 1] = (d->w - d->ml - d->mr - 150) / nm;
		al[j + 1] = KDX_ALIGN_CENTER;
		cells[j + 1] = rd->goals[0].rows[j + 1].short_name;
	}
	for (int i = 0; i < nc * nr; i++)
		bg[i] = none;
	for (int i = 0; i < rd->nprocs; i++) {
		names[i] = kdx_strdup_printf("%s %s", rd->proc_ids[i], rd->proc_names[i]);
		cells[(i + 1) * nc] = names[i];
		for (int j = 0; j < nm; j++) {
			const char *v = rd->proc_cells[i][j];
			cells[(i + 1) * nc + j + 1] = v[0] ? v : "-";
			static const kdx_rgb preparing = { 0.996, 0.965, 0.863 };
			bg[(i + 1) * nc + j + 1] = !strcmp(v, "済") ? kdx_status_tint("達成") : !strcmp(v, "未着手") ? kdx_status_tint("未達")
			                           : !strcmp(v, "準備中") ? preparing : !strcmp(v, "所掌外") ? kdx_status_tint("対象外") : none;
		}
	}
	kdx_table tab = { nr, nc, cells, w, al, bg, 5.8 };
	kdx_doc_table(d, &tab);
	kdx_doc_para(d, "済: 電子化済　準備中: 電子化の準備中　未着手: 未着手　所掌外: その団体が所掌していない手続（対象外）　-: 未提出", 7.5);
	for (int i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	free(cells);
	free(bg);
	free(w);
	free(al);
}

static void quality_annex(kdx_doc *d, const kdx_report_data *rd)
{
	kdx_doc_page(d);
	kdx_doc_heading(d, "データ品質（提出状況と注意事項）", 14);
	kdx_doc_para(d, "各団体・各データの、この時点で使った調査基準日。※は6か月より前のデータ、未提出は時点までに提出がないもの。", 8);
	int nm = d ? rd->goals[0].nrows - 1 : 0;
	const int nc = 7;
	const char **cells = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *bg);
	char **owned = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *owned);
	static const double widths[] = { 81, 71, 71, 71, 71, 71, 71 };
	static const int align[] = { 0, 1, 1, 1, 1, 1, 1 };
	static const char *const ds[] = { "nursery", "clubs", "procedures", "platforms", "postpartum", "settings" };
	cells[0] = "団体";
	for (int c = 0; c < 6; c++)
		cells[c + 1] = kdx_dataset_title(ds[c]);
	for (int i = 0; i < nc * (nm + 1); i++)
		bg[i] = none;
	for (int i = 0; i < nm; i++) {
		cells[(i + 1) * nc] = rd->goals[0].rows[i + 1].name;
		for (int c = 0; c < 6; c++) {
			const kdx_ledger_row *l = NULL;
			for (int k = 0; k < rd->nledger; k++)
				if (!strcmp(rd->ledger[k].code, rd->goals[0].rows[i + 1].code) && !strcmp(rd->ledger[k].dataset, ds[c]))
					l = &rd->ledger[k];
			int idx = (i + 1) * nc + c + 1;
			if (!l || !strcmp(l->state, "未提出")) {
				owned[idx] = kdx_strdup("未提出");
				bg[idx] = kdx_status_tint("期限超過");
			} else {
				char w[40];
				kdx_wareki_text(l->survey_date, "", w, sizeof w);
				owned[idx] = kdx_strdup_printf("%s%s", w, !strcmp(l->state, "古い") ? "※" : "");
				if (!strcmp(l->state, "古い"))
					bg[idx] = kdx_status_tint("未達");
			}
			cells[idx] = owned[idx];
		}
	}
	kdx_table tab = { nm + 1, nc, cells, widths, align, bg, 7 };
	kdx_doc_table(d, &tab);
	for (int i = 0; i < nc * (nm + 1); i++)
		free(owned[i]);
	free(owned);
	free(cells);
	free(bg);
	kdx_doc_heading(d, "注意事項", 11);
	int shown = 0;
	for (int i = 0; i < rd->nquality; i++) {
		const kdx_quality_row *q = &rd->quality[i];
		if (!strcmp(q->kind, "未提出") || !strcmp(q->kind, "古いデータ"))
			continue;
		char *t = kdx_strdup_printf("・%s（%s）: %s", q->name, q->kind, q->message);
		kdx_doc_para(d, t, 8);
		free(t);
		shown++;
	}
	if (!shown)
		kdx_doc_para(d, "・整合性の注意事項はありません。", 8);
}

kdx_status kdx_report_council_pdf(const kdx_report_data *rd, const char *path, kdx_error **err)
{
	kdx_doc *d = NULL;
	char title[256];
	snprintf(title, sizeof title, "こども政策DX 共同目標 進捗状況（%s時点）", rd->asof_wareki);
	kdx_status st = kdx_doc_new(path, title, rd->asof_iso, &d, err);
	if (st != KDX_OK)
		return st;
	char edition[96];
	kdx_edition_text(rd, edition, sizeof edition);
	kdx_doc_subject(d, edition);
	kdx_doc_header(d, title, rd->pref_name);
	/* cover */
	kdx_doc_page(d);
	kdx_doc_bookmark(d, "表紙");
	cairo_t *cr = d->cr;
	double cw = d->w - d->ml - d->mr;
	cairo_set_source_rgb(cr, 0.05, 0.2, 0.4);
	kdx_text(cr, d->pc, d->ml, 120, cw, "こども政策DX 共同目標", 26, KDX_ALIGN_CENTER | KDX_BOLD);
	kdx_text(cr, d->pc, d->ml, 162, cw, "進捗状況", 26, KDX_ALIGN_CENTER | KDX_BOLD);
	cairo_set_source_rgb(cr, 0, 0, 0);
	char buf[512];
	snprintf(buf, sizeof buf, "%s時点", rd->asof_wareki);
	kdx_text(cr, d->pc, d->ml, 225, cw, buf, 15, KDX_ALIGN_CENTER);
	snprintf(buf, sizeof buf, "%s　市町村DX推進会議 資料", rd->pref_name);
	kdx_text(cr, d->pc, d->ml, 255, cw, buf, 12, KDX_ALIGN_CENTER);
	kdx_text(cr, d->pc, d->ml, 285, cw, edition, 12, KDX_ALIGN_CENTER);
	kdx_text(cr, d->pc, d->ml + 120, 360, cw - 240,
	         "各市町村の最新の提出（調査基準日がこの時点以前のもの）から集計しています。全体は各団体の分子の合計÷分母の合計です"
	         "（率の平均ではありません）。未提出の団体は全体に含めず、データ品質の章に示します。", 9, 0);
	snprintf(buf, sizeof buf, "集計に用いたデータの SHA-256（kdx snapshots --find で保存版を検索できます）:\n%s", rd->data_hash);
	kdx_text(cr, d->pc, d->ml + 120, 430, cw - 240, buf, KDX_MIN_BODY, 0);
	summary_page(d, rd);
	for (int i = 0; i < 6; i++)
		goal_section(d, rd, &rd->goals[i]);
	procedures_matrix(d, rd);
	quality_annex(d, rd);
	return kdx_doc_close(d, err);
}
