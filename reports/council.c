/* council.c - the council's meeting materials (PDF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/report.h"
#include "kdx/present.h"
#include "kdx/draw.h"
#include "kdx/chart.h"
#include "kdx/buf.h"
#include "kdx/datasets.h"

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

static void seed_table(kdx_doc *d, const kdx_pgoal *pg)
{
	const kdx_goal_table *g = pg->g;
	int n = g->nrows;
	const double label = 50, avail = d->w - d->ml - d->mr - label;
	double *need = kdx_xcalloc((size_t)n, sizeof *need);
	int *band = kdx_xcalloc((size_t)n + 1, sizeof *band);  /* first column of each band */
	int nb = 0;
	double used = 0;
	for (int i = 0; i < n; i++) {
		const kdx_pcell *c = &pg->cells[i];
		double wd = 0;
		const char *texts[] = { c->value, c->count, c->row->short_name, c->status };
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
		w[0] = label;
		cells[0] = "";
		cells[cols] = "導入率";
		cells[2 * cols] = "分子/分母";
		cells[3 * cols] = "状況";
		for (int i = 0; i < cols * 4; i++)
			bg[i] = none;
		for (int c = 1; c < cols; c++) {
			const kdx_pcell *pc = &pg->cells[first + c - 1];
			w[c] = need[first + c - 1] + extra;
			al[c] = KDX_ALIGN_CENTER;
			cells[c] = pc->row->short_name;
			cells[cols + c] = pc->value;
			cells[2 * cols + c] = pc->count;
			cells[3 * cols + c] = pc->status;
			bg[cols + c] = kdx_status_tint(pc->status);
			bg[3 * cols + c] = kdx_status_tint(pc->status);
		}
		kdx_table tab = { 4, cols, cells, w, al, bg, KDX_SEED_SIZE, NULL };
		kdx_doc_table(d, &tab);
		free(cells);
		free(bg);
		free(w);
		free(al);
	}
	free(need);
	free(band);
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
static void checklist_table(kdx_doc *d, const kdx_present *p, const kdx_pgoal *pg)
{
	kdx_chart_grid_data grid;
	kdx_checklist_grid(p, pg->gi, grid_columns(d), &grid);
	int nc = grid.ncols + 1, nr = grid.nrows + 1;
	bool each = grid_fits(d, pg->ncells - 1);
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
	kdx_table tab = { nr, nc, cells, w, al, bg, KDX_MIN_BODY, NULL };
	kdx_doc_table(d, &tab);
	for (int c = 0; c < grid.ncols; c++)
		free(split[c]);
	free(split);
	free(cells);
	free(bg);
	free(w);
	free(al);
	if (!each) {
		char *t = kdx_strdup_printf("%d団体のため、項目ごとの団体数を示す。各団体の状況は下の表に示す。", pg->ncells - 1);
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
};

static const char *keep(struct detail *t, char *s)
{
	t->owned[t->nowned++] = s;
	return s;
}

static void detail_build(struct detail *t, const kdx_pgoal *pg)
{
	static const char *const rate_head[] = { "団体", "調査基準日", "分母", "分子", "表示", "状況", "期限", "残り", "順位", "前回比", "見通し" };
	static const double rate_w[] = { 88, 88, 34, 34, 38, 50, 118, 34, 34, 62, 178 };
	static const int rate_al[] = { 0, 1, 2, 2, 2, 1, 1, 2, 2, 2, 0 };
	static const char *const list_head[] = { "団体", "調査基準日", "済/対象", "状況", "期限", "目標の達成に必要な項目", "前回の済", "見通し" };
	static const double list_w[] = { 88, 80, 48, 48, 70, 176, 62, 186 };
	static const int list_al[] = { 0, 1, 1, 1, 1, 0, 1, 0 };
	bool list = pg->g->kind == KDX_GOAL_CHECKLIST;
	int nc = list ? 8 : 11, n = pg->ncells;
	memset(t, 0, sizeof *t);
	t->cells = kdx_xcalloc((size_t)nc * n, sizeof *t->cells);
	t->bg = kdx_xcalloc((size_t)nc * n, sizeof *t->bg);
	t->owned = kdx_xcalloc((size_t)n * nc, sizeof *t->owned);
	for (int i = 0; i < nc * n; i++)
		t->bg[i] = none;
	for (int c = 0; c < nc; c++)
		t->cells[c] = list ? list_head[c] : rate_head[c];
	for (int i = 1; i < n; i++) {
		const kdx_pcell *pc = &pg->cells[i];
		const kdx_goal_row *r = pc->row;
		const char **row = t->cells + i * nc;
		int c = 0;
		/* a PMH area exempt by 特例 is marked where the municipality is named */
		row[c++] = keep(t, kdx_strdup_printf("%s%s", r->name, pc->exempt ? "（特例）" : ""));
		row[c++] = keep(t, kdx_strdup_printf("%s%s", pc->survey[0] ? pc->survey : "－", pc->stale ? "※" : ""));
		if (list) {
			row[c++] = pc->count;
		} else {
			row[c++] = keep(t, r->submitted ? kdx_strdup_printf("%d", r->den) : kdx_strdup("-"));
			row[c++] = keep(t, r->submitted ? kdx_strdup_printf("%d", r->num) : kdx_strdup("-"));
			row[c++] = pc->value;
		}
		t->bg[i * nc + c] = kdx_status_tint(pc->status);
		row[c++] = pc->status;
		/* the municipality's own deadline, in 和暦; ※ where 特別な事情 moves it */
		row[c++] = keep(t, kdx_strdup_printf("%s%s", pc->deadline, pc->moved ? "※特別な事情" : ""));
		if (list) {
			row[c++] = pc->needed;
			row[c++] = pc->has_change ? pc->prev_count : pc->change;
		} else {
			row[c++] = keep(t, r->remaining > 0 ? kdx_strdup_printf("%d", r->remaining) : kdx_strdup(""));
			row[c++] = keep(t, r->rank > 0 ? kdx_strdup_printf("%d", r->rank) : kdx_strdup(""));
			row[c++] = pc->change;
		}
		row[c++] = pc->outlook;
	}
	t->tab = (kdx_table){ n, nc, t->cells, list ? list_w : rate_w, list ? list_al : rate_al, t->bg, KDX_MIN_BODY, NULL };
}

static void detail_free(struct detail *t)
{
	for (int i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->cells);
	free(t->bg);
}

/* the bar chart's height: as tall as it may be while its goal's table still
 * fits on the same page, never below what its labels need; when the table
 * cannot share the page, as tall as the page allows */
#define KDX_BARS_H 180
#define KDX_BARS_MIN_H 140
#define KDX_BARS_MAX_H 330

static void goal_section(kdx_doc *d, const kdx_present *p, const kdx_pgoal *pg)
{
	const kdx_goal_table *g = pg->g;
	char buf[512];
	kdx_doc_page(d);
	snprintf(buf, sizeof buf, "%d. %s", g->ord, g->title);
	kdx_doc_heading(d, buf, 14);
	snprintf(buf, sizeof buf, "目標: %s", pg->target);
	kdx_doc_para(d, buf, 9.5);
	kdx_doc_para(d, pg->headline, 9.5);

	struct detail det;
	detail_build(&det, pg);
	/* a page the table starts or goes on at the top of names the goal */
	char caption[512];
	snprintf(caption, sizeof caption, "%d. %s（続き）", g->ord, g->title);
	det.tab.caption = caption;
	kdx_buf note = { 0 };
	kdx_present_notes(pg, &note);
	double below = kdx_doc_table_height(d, &det.tab) + kdx_doc_para_height(d, note.data, KDX_MIN_BODY);

	/* the chart: the checklist itself for the checklist goals (its grid has the
	 * seed table's rows); bars against the target for the rate goals */
	if (g->kind == KDX_GOAL_CHECKLIST) {
		checklist_table(d, p, pg);  /* (for a large council: the counts, and a line saying so) */
	} else {
		seed_table(d, pg);
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
	kdx_doc_para(d, note.data, KDX_MIN_BODY);
	kdx_buf_free(&note);
	detail_free(&det);
}

/* The page deputy mayors read: each municipality's figure and status for the
 * six goals; each goal's deadline over its column, and in a cell where a
 * municipality's own deadline is later (特別な事情) or an item is exempt (特例). */
static void summary_page(kdx_doc *d, const kdx_present *p)
{
	const kdx_report_data *rd = p->rd;
	kdx_doc_page(d);
	kdx_doc_heading(d, "進捗一覧（6つの共同目標 × 市町村）", 14);
	int n = rd->goals[0].nrows;
	const int nc = KDX_NGOALS + 1;
	const char **cells = kdx_xcalloc((size_t)nc * (n + 1), sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * (n + 1), sizeof *bg);
	char **owned = kdx_xcalloc((size_t)KDX_NGOALS * (n + 2), sizeof *owned);
	/* the figure and its status on one line: the page holds every municipality with its legend */
	static const double widths[] = { 90, 112, 112, 112, 112, 112, 112 };
	static const int align[] = { 0, 1, 1, 1, 1, 1, 1 };
	cells[0] = "団体";
	bg[0] = none;
	bool moved = false, exempt = false;
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pgoal *pg = &p->goals[gi];
		owned[(size_t)KDX_NGOALS * (n + 1) + gi] = kdx_strdup_printf("%s\n期限 %s", pg->g->short_title, pg->cells[0].deadline);
		cells[gi + 1] = owned[(size_t)KDX_NGOALS * (n + 1) + gi];
		bg[gi + 1] = none;
	}
	for (int i = 0; i < n; i++) {
		cells[(i + 1) * nc] = rd->goals[0].rows[i].name;
		bg[(i + 1) * nc] = none;
		for (int gi = 0; gi < KDX_NGOALS; gi++) {
			const kdx_pcell *c = &p->goals[gi].cells[i];
			owned[i * KDX_NGOALS + gi] = kdx_strdup_printf("%s　%s%s%s%s%s", c->value, c->status, c->moved ? "\n期限 " : "",
			                                               c->moved ? c->deadline : "", c->moved ? "※" : "",
			                                               c->exempt ? "\n特例あり" : "");
			moved |= c->moved;
			exempt |= c->exempt;
			cells[(i + 1) * nc + gi + 1] = owned[i * KDX_NGOALS + gi];
			bg[(i + 1) * nc + gi + 1] = kdx_status_tint(c->status);
		}
	}
	kdx_table tab = { n + 1, nc, cells, widths, align, bg, 9, NULL };
	kdx_doc_table(d, &tab);
	for (int i = 0; i < KDX_NGOALS * (n + 2); i++)
		free(owned[i]);
	free(owned);
	free(cells);
	free(bg);
	/* legend */
	double x = d->ml;
	kdx_doc_need(d, 20);
	for (int i = 0; i < KDX_NROLES; i++) {
		kdx_set_rgb(d->cr, kdx_status_tint(kdx_role_words[i]));
		cairo_rectangle(d->cr, x, d->y, 12, 10);
		cairo_fill_preserve(d->cr);
		cairo_set_source_rgb(d->cr, 0.5, 0.5, 0.5);
		cairo_set_line_width(d->cr, 0.4);
		cairo_stroke(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		kdx_text(d->cr, d->pc, x + 15, d->y, 60, kdx_role_words[i], KDX_MIN_BODY, 0);
		x += 75;
	}
	d->y += 16;
	kdx_buf b = { 0 };
	kdx_buf_adds(&b, "達成: 目標を満たす　未達: 期限前で未達成　期限超過: 期限後で未達成　対象外: 対象施設・手続がない　"
	                 "未提出: 時点までに提出がない（全体の計算から除く）。期限は各目標の年度末。");
	if (moved)
		kdx_buf_adds(&b, "セルの「期限 …※」は、特別な事情により期限が後になっている団体の期限。");
	if (exempt)
		kdx_buf_adds(&b, "特例ありは、特別な事情により一部の分野を目標の対象外とした団体。");
	kdx_doc_para(d, b.data, KDX_MIN_BODY);
	kdx_buf_free(&b);
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
	kdx_table tab = { nr, NC, cells, widths, align, NULL, KDX_MIN_BODY, "手続の電子化状況（対象手続ごとの団体数）（続き）" };
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
	kdx_table tab = { nr, nc, cells, w, al, bg, 5.8, "手続の電子化状況（対象手続 × 市町村）（続き）" };
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
	int nm = rd->goals[0].nrows - 1;
	const int nc = KDX_DS_COUNT + 1;
	const char **cells = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *cells);
	kdx_rgb *bg = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *bg);
	char **owned = kdx_xcalloc((size_t)nc * (nm + 1), sizeof *owned);
	static const double widths[] = { 81, 71, 71, 71, 71, 71, 71 };
	static const int align[] = { 0, 1, 1, 1, 1, 1, 1 };
	cells[0] = "団体";
	for (int c = 0; c < KDX_DS_COUNT; c++)
		cells[c + 1] = kdx_datasets[c].title;
	for (int i = 0; i < nc * (nm + 1); i++)
		bg[i] = none;
	for (int i = 0; i < nm; i++) {
		cells[(i + 1) * nc] = rd->goals[0].rows[i + 1].name;
		int nl = 0;
		const kdx_ledger_row *ls = kdx_report_ledger(rd, rd->goals[0].rows[i + 1].code, &nl);
		for (int c = 0; c < KDX_DS_COUNT; c++) {
			const kdx_ledger_row *l = NULL;
			for (int k = 0; k < nl; k++)
				if (!strcmp(ls[k].dataset, kdx_datasets[c].id))
					l = &ls[k];
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
	kdx_table tab = { nm + 1, nc, cells, widths, align, bg, 7, "データ品質（提出状況）（続き）" };
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

kdx_status kdx_report_council_pdf(const kdx_present *p, const char *path, kdx_error **err)
{
	const kdx_report_data *rd = p->rd;
	kdx_doc *d = NULL;
	char title[256];
	snprintf(title, sizeof title, "こども政策DX 共同目標 進捗状況（%s時点）", p->asof);
	kdx_status st = kdx_doc_new(path, title, rd->asof_iso, &d, err);
	if (st != KDX_OK)
		return st;
	kdx_doc_subject(d, p->edition);
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
	snprintf(buf, sizeof buf, "%s時点", p->asof);
	kdx_text(cr, d->pc, d->ml, 225, cw, buf, 15, KDX_ALIGN_CENTER);
	snprintf(buf, sizeof buf, "%s　市町村DX推進会議 資料", rd->pref_name);
	kdx_text(cr, d->pc, d->ml, 255, cw, buf, 12, KDX_ALIGN_CENTER);
	kdx_text(cr, d->pc, d->ml, 285, cw, p->edition, 12, KDX_ALIGN_CENTER);
	kdx_text(cr, d->pc, d->ml + 120, 360, cw - 240,
	         "各市町村の最新の提出（調査基準日がこの時点以前のもの）から集計しています。全体は各団体の分子の合計÷分母の合計です"
	         "（率の平均ではありません）。未提出の団体は全体に含めず、データ品質の章に示します。", 9, 0);
	/* the data's short hash (in the edition) serves the reader; a command and 64 digits do not */
	kdx_text(cr, d->pc, d->ml + 120, 430, cw - 240,
	         "版の「データ」の後の12文字は、集計に用いたデータの SHA-256 の先頭です。事務局はこの記号で、この資料を作った"
	         "データの保存版を照合できます。", KDX_MIN_BODY, 0);
	summary_page(d, p);
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		goal_section(d, p, &p->goals[gi]);
	procedures_matrix(d, rd);
	quality_annex(d, rd);
	return kdx_doc_close(d, err);
}
