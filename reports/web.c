/* web.c - the web edition: static, accessible HTML and open-data CSV (see web.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/fsutil.h"
#include "kdx/jdate.h"
#include "kdx/layout.h"
#include "kdx/present.h"
#include "kdx/datasets.h"
#include "kdx/version.h"
#include "kdx/web.h"

/* ---- small writers ------------------------------------------------------- */

static void esc(kdx_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': kdx_buf_adds(b, "&amp;"); break;
		case '<': kdx_buf_adds(b, "&lt;"); break;
		case '>': kdx_buf_adds(b, "&gt;"); break;
		case '"': kdx_buf_adds(b, "&quot;"); break;
		case '\'': kdx_buf_adds(b, "&#39;"); break;
		default: kdx_buf_addc(b, *s);
		}
	}
}

/* "令和8年11月30日（2026年11月30日）"; the text as given when it is not a date. */
static void date_text(kdx_buf *b, const char *iso)
{
	kdx_date d;
	char w[40];
	kdx_wareki_text(iso, "－", w, sizeof w);
	esc(b, w);
	if (iso && kdx_date_parse(iso, &d) == KDX_DATE_OK)
		kdx_buf_printf(b, "（%d年%d月%d日）", d.y, d.m, d.d);
}

static const char *status_class(const char *st)
{
	static const char *const cls[KDX_NROLES] = { "s-ok", "s-ng", "s-late", "s-na", "s-none" };
	return cls[kdx_role_of(st)];
}

static void status_cell(kdx_buf *b, const char *st)
{
	kdx_buf_printf(b, "<span class=\"st %s\">", status_class(st));
	esc(b, st);
	kdx_buf_adds(b, "</span>");
}

static kdx_status put(const char *dir, const char *rel, const kdx_buf *b, kdx_error **err)
{
	char *path = kdx_strdup_printf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	kdx_status st = KDX_OK;
	if (kdx_mkdirs(path, 0750) != 0)
		st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", path, strerror(errno));
	*slash = '/';
	if (st == KDX_OK)
		st = kdx_write_file_atomic(path, b->data ? b->data : "", b->len, err);
	free(path);
	return st;
}

static const char *licence(void)
{
	const char *l = getenv("KDX_WEB_LICENSE");
	return l && *l ? l : "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）";
}

/* ---- page frame ---------------------------------------------------------- */

static void page_begin(kdx_buf *b, const kdx_report_data *d, const char *title, const char *root)
{
	kdx_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(b, title);
	kdx_buf_adds(b, "｜");
	esc(b, d->pref_name);
	kdx_buf_adds(b, " こども政策DX 共同目標の進捗</title>\n");
	kdx_buf_printf(b, "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n", root);
	kdx_buf_adds(b, "<a class=\"skip\" href=\"#main\">本文へ移動</a>\n<header>\n<p class=\"site\">");
	kdx_buf_printf(b, "<a href=\"%sindex.html\">", root);
	esc(b, d->pref_name);
	kdx_buf_adds(b, " こども政策DX 共同目標の進捗</a>（");
	date_text(b, d->asof_iso);
	kdx_buf_adds(b, "時点）</p>\n</header>\n<main id=\"main\">\n");
}

static void page_end(kdx_buf *b, const kdx_report_data *d, const char *root)
{
	kdx_buf_adds(b, "</main>\n<footer>\n<p>出典: ");
	esc(b, d->pref_name);
	kdx_buf_adds(b, "「こども政策DX 共同目標」の進捗調査（各市町村からの提出による）。");
	date_text(b, d->asof_iso);
	kdx_buf_adds(b, "時点。</p>\n<p>ライセンス: ");
	esc(b, licence());
	kdx_buf_printf(b, "</p>\n<p>第%d版。データの版（SHA-256）: <code>", d->edition);
	esc(b, d->data_hash);
	kdx_buf_printf(b, "</code></p>\n<p><a href=\"%sdata/README.csv\">データの説明（README.csv）</a></p>\n</footer>\n"
	                  "</body>\n</html>\n", root);
}

/* A table in a region that scrolls sideways on a narrow screen (and can be
 * reached by keyboard to do so). */
static void table_begin(kdx_buf *b, const char *caption)
{
	kdx_buf_adds(b, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
	esc(b, caption);
	kdx_buf_adds(b, "\">\n<table>\n<caption>");
	esc(b, caption);
	kdx_buf_adds(b, "</caption>\n");
}

static void table_end(kdx_buf *b)
{
	kdx_buf_adds(b, "</tbody>\n</table>\n</div>\n");
}

static void th_cols(kdx_buf *b, const char *const *heads, int n)
{
	kdx_buf_adds(b, "<thead><tr>");
	for (int i = 0; i < n; i++) {
		kdx_buf_adds(b, "<th scope=\"col\">");
		esc(b, heads[i]);
		kdx_buf_adds(b, "</th>");
	}
	kdx_buf_adds(b, "</tr></thead>\n");
}

/* A table with its caption and header row, open at its body (table_end closes both). */
static void table_open(kdx_buf *b, const char *caption, const char *const *heads, int n)
{
	table_begin(b, caption);
	th_cols(b, heads, n);
	kdx_buf_adds(b, "<tbody>\n");
}

/* ---- the chart, inline SVG ----------------------------------------------- */

#define VW  560.0   /* the chart's width */
#define PX0 110.0   /* the plot's left edge: names to the left of it */
#define PW  260.0   /* the plot's width: 0-100% */
#define VX  386.0   /* the values, in their own column right of the plot */
#define ROW 26.0

static void svg_text(kdx_buf *b, double x, double y, const char *anchor, const char *cls, const char *s)
{
	kdx_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
	esc(b, s);
	kdx_buf_adds(b, "</text>\n");
}

static const char *const circled[KDX_PRESENT_MAX_ITEMS] = { "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧" };

/* The checklist as a grid: municipalities down, items across, each cell a word
 * (済, 未, 特例) as well as a colour; the status in its own column. */
static void checklist_grid(kdx_buf *b, const kdx_present *p, const kdx_pgoal *pg, double top)
{
	int nitems = pg->nitems;
	for (int k = 0; k < nitems; k++)
		svg_text(b, PX0 + 32 + k * 56, top - 10, "middle", "axis", circled[k]);
	double sx = PX0 + nitems * 56 + 12;
	svg_text(b, sx, top - 10, "start", "axis", "状況");
	for (int i = 1; i < pg->ncells; i++) {
		const kdx_goal_row *w = pg->cells[i].row;
		double y = top + (i - 1) * ROW;
		svg_text(b, PX0 - 8, y + 19, "end", "name", w->name);
		for (int k = 0; k < nitems && w->submitted; k++) {
			const char *word = kdx_present_item_word(p, pg->gi, i, pg->item_keys[k]);
			const char *cls = !strcmp(word, "済") ? "s-ok" : !strcmp(word, "未") ? "s-ng" : "s-na";
			kdx_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"52\" height=\"22\" class=\"cell %s\"/>\n",
			               PX0 + 6 + k * 56, y + 2, cls);
			svg_text(b, PX0 + 32 + k * 56, y + 19, "middle", "mark", word);
		}
		svg_text(b, w->submitted ? sx : PX0 + 6, y + 19, "start", "value", w->status);
	}
}

static void chart(kdx_buf *b, const kdx_present *p, const kdx_pgoal *pg)
{
	const kdx_goal_table *g = pg->g;
	int n = g->nrows - 1;
	bool list = g->kind == KDX_GOAL_CHECKLIST;
	double top = 36, height = top + n * ROW + (list ? 8 : 36);
	double width = list ? PX0 + pg->nitems * 56 + 100 : VW;
	kdx_buf_printf(b, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"c-title c-desc\""
	                  " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"c-title\">", width, height);
	esc(b, g->title);
	kdx_buf_printf(b, "（%s時点）", p->asof);
	kdx_buf_adds(b, "</title>\n<desc id=\"c-desc\">");
	esc(b, pg->message);
	if (list)
		kdx_buf_adds(b, "団体ごとに、各項目が済・未・特例のどれかを示す。項目の名前は図の後にある。");
	else
		kdx_buf_adds(b, "団体ごとの率を横棒で、目標と全体を縦線で示す。数値は図の後の表にある。");
	kdx_buf_adds(b, "</desc>\n<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" class=\"bg\"/>\n");
	char buf[128];
	if (list) {
		checklist_grid(b, p, pg, top);
	} else {
		for (int i = 1; i < g->nrows; i++) {
			const kdx_pcell *c = &pg->cells[i];
			const kdx_goal_row *w = c->row;
			double y = top + (i - 1) * ROW;
			svg_text(b, PX0 - 8, y + 19, "end", "name", w->name);
			if (c->measured)
				kdx_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" class=\"bar\"/>\n", PX0, y + 6,
				               PW * w->rate);
			if (!c->measured)
				snprintf(buf, sizeof buf, "%s", w->status);
			else
				snprintf(buf, sizeof buf, "%s %s", w->display, w->status);
			svg_text(b, VX, y + 19, "start", "value", buf);
		}
		double bottom = top + n * ROW;
		/* the target above the plot, 全体 below it: their labels never meet */
		double tx = PX0 + PW * g->target;
		kdx_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"target\"/>\n", tx, top - 4, tx, bottom);
		snprintf(buf, sizeof buf, "目標 %s", g->target_label);
		svg_text(b, tx, top - 10, "middle", "axis", buf);
		const kdx_goal_row *t = &g->rows[0];
		if (t->den > 0) {
			double ax = PX0 + PW * t->rate;
			kdx_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"total\"/>\n", ax, top, ax,
			               bottom + 6);
			snprintf(buf, sizeof buf, "全体 %s", t->display);
			svg_text(b, ax, bottom + 22, "middle", "axis", buf);
		}
	}
	kdx_buf_adds(b, "</svg>\n<figcaption>");
	esc(b, pg->message);
	if (list) {
		kdx_buf_adds(b, "<br>項目: ");
		for (int k = 0; k < pg->nitems; k++) {
			kdx_buf_printf(b, "%s%s", k ? "、" : "", circled[k]);
			esc(b, pg->item_names[k]);
		}
		kdx_buf_adds(b, "。済＝実施・導入済、未＝未了、特例＝特別な事情で対象外、－＝回答なし。");
	}
	kdx_buf_adds(b, "</figcaption>\n</figure>\n");
}

/* ---- pages --------------------------------------------------------------- */

/* A cell's own deadline, with 特別な事情 where it moved. */
static void deadline_cell(kdx_buf *b, const kdx_pcell *c)
{
	esc(b, c->deadline);
	if (c->moved)
		kdx_buf_adds(b, "（特別な事情）");
}

/* What is left for one municipality and goal: the items a checklist's rule
 * still needs, the names of procedures; for facilities and clubs, counts only
 * (their names are never published). */
static void left_for(kdx_buf *b, const kdx_present *p, const kdx_pgoal *pg, int mi)
{
	const kdx_goal_table *g = pg->g;
	const kdx_pcell *c = &pg->cells[mi];
	if (!c->measured) {
		kdx_buf_adds(b, "－");
		return;
	}
	int n = 0, undone = 0;
	const kdx_detail_row *det = kdx_report_details(p->rd, pg->gi, c->row->code, &n);
	bool names = g->kind != KDX_GOAL_FACILITY_RATE;
	kdx_buf listed = { 0 };
	for (int i = 0; i < n; i++) {
		if (!det[i].in_scope || det[i].done)
			continue;
		undone++;
		if (names) {
			if (listed.len)
				kdx_buf_adds(&listed, "、");
			esc(&listed, det[i].name);
		}
	}
	if (undone == 0) {
		kdx_buf_adds(b, "すべて済");
	} else if (g->kind == KDX_GOAL_CHECKLIST) {
		/* the items the goal's rule still needs, as the warehouse judges them (SPEC §2) */
		if (c->needed[0])
			esc(b, c->needed);
		else
			kdx_buf_adds(b, "目標の項目は済");
	} else if (names) {
		kdx_buf_printf(b, "未了 %d", undone);
		esc(b, g->unit);
		kdx_buf_adds(b, "（");
		kdx_buf_add(b, listed.data, listed.len);
		kdx_buf_adds(b, "）");
	} else {
		kdx_buf_printf(b, "未導入 %d", undone);
		esc(b, g->unit);
		if (c->left[0]) {
			kdx_buf_adds(b, "（目標まで");
			esc(b, c->left);
			kdx_buf_adds(b, "）");
		}
	}
	kdx_buf_free(&listed);
}

/* The goal's table: 全体 first, then each municipality. */
static void goal_table(kdx_buf *b, const kdx_pgoal *pg, const char *root)
{
	const kdx_goal_table *g = pg->g;
	char cap[256];
	snprintf(cap, sizeof cap, "%sの団体別の状況", g->title);
	static const char *const heads[] = { "団体", "現状", "状況", "期限", "目標まで", "前回から", "調査基準日" };
	table_open(b, cap, heads, 7);
	for (int i = 0; i < pg->ncells; i++) {
		const kdx_pcell *c = &pg->cells[i];
		const kdx_goal_row *w = c->row;
		kdx_buf_adds(b, i == 0 ? "<tr class=\"total\"><th scope=\"row\">全体" : "<tr><th scope=\"row\">");
		if (i > 0) {
			kdx_buf_printf(b, "<a href=\"%smuni/%s.html\">", root, w->code);
			esc(b, w->name);
			kdx_buf_adds(b, "</a>");
		}
		kdx_buf_adds(b, "</th><td>");
		esc(b, c->figure);
		kdx_buf_adds(b, "</td><td>");
		if (i > 0)
			status_cell(b, c->status);
		else
			esc(b, pg->achieved);
		kdx_buf_adds(b, "</td><td>");
		deadline_cell(b, c);
		kdx_buf_adds(b, "</td><td>");
		if (i > 0 && c->left[0])
			esc(b, c->left);
		else
			kdx_buf_adds(b, "－");
		kdx_buf_adds(b, "</td><td>");
		esc(b, c->change[0] ? c->change : "－");
		if (c->has_change && c->prev_date[0]) {
			kdx_buf_adds(b, "（前回 ");
			date_text(b, w->prev_survey_date);
			kdx_buf_adds(b, "）");
		}
		kdx_buf_adds(b, "</td><td>");
		if (i > 0)
			date_text(b, w->survey_date);
		else
			kdx_buf_adds(b, "－");
		kdx_buf_adds(b, "</td></tr>\n");
	}
	table_end(b);
}

static void goal_page(kdx_buf *b, const kdx_present *p, int gi)
{
	const kdx_report_data *d = p->rd;
	const kdx_pgoal *pg = &p->goals[gi];
	const kdx_goal_table *g = pg->g;
	page_begin(b, d, g->title, "../");
	kdx_buf_adds(b, "<h1>");
	esc(b, g->title);
	kdx_buf_adds(b, "</h1>\n<h2>目標の定義</h2>\n<dl class=\"def\">\n<dt>目標</dt><dd>");
	esc(b, pg->target);
	kdx_buf_adds(b, "</dd>\n<dt>対象</dt><dd>");
	esc(b, g->scope);
	kdx_buf_adds(b, "</dd>\n<dt>達成とみなすもの</dt><dd>");
	esc(b, g->done);
	kdx_buf_adds(b, "</dd>\n<dt>全体の数え方</dt><dd>");
	esc(b, g->total);
	kdx_buf_adds(b, "</dd>\n</dl>\n<h2>現在の状況</h2>\n");
	chart(b, p, pg);
	goal_table(b, pg, "../");
	kdx_buf_adds(b, "<h2>目標までに残っているもの</h2>\n<ul>\n");
	int left = 0;
	for (int i = 1; i < pg->ncells; i++) {
		const kdx_pcell *c = &pg->cells[i];
		if (!c->left[0])
			continue;
		left++;
		kdx_buf_printf(b, "<li><a href=\"../muni/%s.html\">", c->row->code);
		esc(b, c->row->name);
		kdx_buf_adds(b, "</a>: ");
		esc(b, c->left);
		/* which items, where they may be named (never a facility's name) */
		if (g->kind != KDX_GOAL_FACILITY_RATE) {
			kdx_buf_adds(b, "（");
			left_for(b, p, pg, i);
			kdx_buf_adds(b, "）");
		}
		kdx_buf_adds(b, "</li>\n");
	}
	if (!left)
		kdx_buf_adds(b, "<li>目標に届いていない団体はありません。</li>\n");
	kdx_buf_adds(b, "</ul>\n<p>");
	kdx_buf_printf(b, "<a href=\"../data/%s.csv\">この目標の数値（CSV）</a></p>\n", g->id);
	page_end(b, d, "../");
}

static void muni_page(kdx_buf *b, const kdx_present *p, int mi)
{
	const kdx_report_data *d = p->rd;
	const kdx_goal_row *m = &d->goals[0].rows[mi];
	char title[256];
	snprintf(title, sizeof title, "%sの進捗", m->name);
	page_begin(b, d, title, "../");
	kdx_buf_adds(b, "<h1>");
	esc(b, title);
	kdx_buf_adds(b, "</h1>\n<h2>6つの目標の状況</h2>\n");
	char cap[256];
	snprintf(cap, sizeof cap, "%sの目標ごとの状況と全体", m->name);
	static const char *const heads[] = { "目標", "現状", "状況", "目標値", "期限", "全体", "残っているもの" };
	table_open(b, cap, heads, 7);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pgoal *pg = &p->goals[gi];
		const kdx_pcell *c = &pg->cells[mi];
		kdx_buf_printf(b, "<tr><th scope=\"row\"><a href=\"../goal/%s.html\">", pg->g->id);
		esc(b, pg->g->title);
		kdx_buf_adds(b, "</a></th><td>");
		esc(b, c->figure);
		kdx_buf_adds(b, "</td><td>");
		status_cell(b, c->status);
		kdx_buf_adds(b, "</td><td>");
		esc(b, c->target);
		kdx_buf_adds(b, "</td><td>");
		deadline_cell(b, c);
		kdx_buf_adds(b, "</td><td>");
		esc(b, pg->cells[0].figure);
		kdx_buf_adds(b, "</td><td class=\"left\">");
		left_for(b, p, pg, mi);
		kdx_buf_adds(b, "</td></tr>\n");
	}
	table_end(b);
	/* its history, as the warehouse has it */
	kdx_buf_adds(b, "<h2>これまでの推移</h2>\n");
	snprintf(cap, sizeof cap, "%sの調査ごとの率（チェックリストの目標は済の項目数と判定）", m->name);
	static const char *const hh[] = { "目標", "調査基準日", "率・済の項目数" };
	table_open(b, cap, hh, 3);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_goal_table *g = &d->goals[gi];
		kdx_history h;
		kdx_history_get(d, gi, m->code, &h);
		for (int k = 0; k < h.n; k++) {
			kdx_buf_adds(b, "<tr><th scope=\"row\">");
			esc(b, g->title);
			kdx_buf_adds(b, "</th><td>");
			date_text(b, h.dates[k]);
			kdx_buf_adds(b, "</td><td>");
			if (!h.valid[k])
				kdx_buf_adds(b, "対象なし");
			else if (g->kind == KDX_GOAL_CHECKLIST)  /* items counted, never a rate (SPEC §2) */
				kdx_buf_printf(b, "済 %d/%d%s（%s）", h.nums[k], h.dens[k], g->unit, h.statuses[k]);
			else
				kdx_buf_printf(b, "%d%%", (int)(h.rates[k] * 100 + 0.5));
			kdx_buf_adds(b, "</td></tr>\n");
		}
		kdx_history_free(&h);
	}
	table_end(b);
	page_end(b, d, "../");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void index_page(kdx_buf *b, const kdx_present *p)
{
	const kdx_report_data *d = p->rd;
	page_begin(b, d, "概要", "");
	kdx_buf_adds(b, "<h1>");
	esc(b, d->pref_name);
	kdx_buf_adds(b, " こども政策DX 共同目標の進捗</h1>\n<p>");
	date_text(b, d->asof_iso);
	kdx_buf_adds(b, "時点の状況です。県内の各市町村は、こども関係手続の電子化など6つの共同目標に取り組んでいます。</p>\n");
	/* the survey dates behind the figures */
	int n = 0;
	char **dates = kdx_xcalloc((size_t)(KDX_NGOALS * d->goals[0].nrows) + 1, sizeof *dates);
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		for (int i = 1; i < d->goals[gi].nrows; i++) {
			const char *s = d->goals[gi].rows[i].survey_date;
			if (s && *s)
				dates[n++] = (char *)s;
		}
	qsort(dates, (size_t)n, sizeof *dates, cmp_str);
	kdx_buf_adds(b, "<p>調査基準日: ");
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && !strcmp(dates[i], dates[i - 1]))
			continue;
		if (shown++)
			kdx_buf_adds(b, "、");
		date_text(b, dates[i]);
	}
	free(dates);
	if (!shown)
		kdx_buf_adds(b, "提出なし");
	kdx_buf_printf(b, "</p>\n<p>第%d版。データの版（SHA-256）: <code>", d->edition);
	esc(b, d->data_hash);
	kdx_buf_adds(b, "</code></p>\n<h2>目標ごとの全体の状況</h2>\n<ul class=\"goals\">\n");
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pgoal *pg = &p->goals[gi];
		kdx_buf_printf(b, "<li><a href=\"goal/%s.html\">", pg->g->id);
		esc(b, pg->g->title);
		kdx_buf_adds(b, "</a>: ");
		esc(b, pg->message);
		kdx_buf_adds(b, "（期限 ");
		esc(b, pg->cells[0].deadline);
		kdx_buf_adds(b, "）</li>\n");
	}
	kdx_buf_adds(b, "</ul>\n<h2>市町村別の状況</h2>\n");
	table_begin(b, "市町村別・目標別の状況（上段: 現状、下段: 状況）");
	kdx_buf_adds(b, "<thead><tr><th scope=\"col\">団体</th>");
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		kdx_buf_printf(b, "<th scope=\"col\"><a href=\"goal/%s.html\">", d->goals[gi].id);
		esc(b, d->goals[gi].short_title);
		kdx_buf_adds(b, "</a></th>");
	}
	kdx_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < d->goals[0].nrows; i++) {
		const kdx_goal_row *m = &d->goals[0].rows[i];
		if (i == 0) {
			kdx_buf_adds(b, "<tr class=\"total\"><th scope=\"row\">全体</th>");
		} else {
			kdx_buf_printf(b, "<tr><th scope=\"row\"><a href=\"muni/%s.html\">", m->code);
			esc(b, m->name);
			kdx_buf_adds(b, "</a></th>");
		}
		for (int gi = 0; gi < KDX_NGOALS; gi++) {
			const kdx_pcell *c = &p->goals[gi].cells[i];
			kdx_buf_adds(b, "<td>");
			esc(b, c->figure);
			kdx_buf_adds(b, "<br>");
			if (i == 0)
				esc(b, p->goals[gi].achieved);
			else
				status_cell(b, c->status);
			kdx_buf_adds(b, "</td>");
		}
		kdx_buf_adds(b, "</tr>\n");
	}
	table_end(b);
	kdx_buf_adds(b, "<h2>オープンデータ</h2>\n<ul>\n<li><a href=\"data/all.csv\">6つの目標のすべての数値（CSV）</a></li>\n");
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		kdx_buf_printf(b, "<li><a href=\"data/%s.csv\">", d->goals[gi].id);
		esc(b, d->goals[gi].title);
		kdx_buf_adds(b, "（CSV）</a></li>\n");
	}
	kdx_buf_adds(b, "<li><a href=\"data/history.csv\">これまでの調査ごとの数値（CSV）</a></li>\n"
	                "<li><a href=\"data/README.csv\">各列の定義・出典・ライセンス（README.csv）</a></li>\n</ul>\n"
	                "<p>CSVは文字コードUTF-8（BOM付き）で、Excelでそのまま開けます。</p>\n");
	page_end(b, d, "");
}

/* ---- open data --------------------------------------------------------------- */

static void cell(kdx_buf *b, const char *s, bool last)
{
	kdx_buf_csv_cell(b, s ? s : "");
	kdx_buf_adds(b, last ? "\r\n" : ",");
}

static void cell_int(kdx_buf *b, bool have, int v, bool last)
{
	char t[16] = "";
	if (have)
		snprintf(t, sizeof t, "%d", v);
	cell(b, t, last);
}

/*
 * The open data (SPEC §5): one file per goal and all.csv with the same
 * columns, named as the Digital Agency's 自治体標準オープンデータセット names
 * them, the as-of on every row.  A checklist goal holds no percentage
 * anywhere, 全体 included: its items counted, its municipalities that reached
 * it, what its rule still needs.
 */
static const char *const open_cols[][2] = {
	{ "全国地方公共団体コード", "6桁の団体コード。全体の行は都道府県のコード" },
	{ "都道府県名", "都道府県の名前" },
	{ "地方公共団体名", "市町村の名前。全体の行は都道府県の名前" },
	{ "集計の単位", "「団体」はその団体の数値、「全体」は県内の全団体の合計（分子の合計÷分母の合計）" },
	{ "時点", "この数値の時点（YYYY-MM-DD）" },
	{ "目標", "6つの共同目標のどれか" },
	{ "調査基準日", "その団体の数値のもとになった調査の基準日（YYYY-MM-DD）" },
	{ "単位", "分母・分子が数えるもの（手続、施設、基盤、クラブ、項目、分野）" },
	{ "分母", "目標の対象となるものの数。空欄は未提出" },
	{ "分子", "分母のうち、電子化済・ICT導入済・導入済・実施済のものの数" },
	{ "率", "分子÷分母（小数4桁）。率で測る目標のみ。チェックリストで判定する目標（保育PF・産後ケアDX・PMH）は空欄" },
	{ "表示", "率を百分率の整数に四捨五入したもの。率で測る目標のみ" },
	{ "状況", "達成、未達、期限超過、対象外（対象がない）、未提出のいずれか。チェックリストで判定する目標は各目標の規則による" },
	{ "目標値", "その団体の目標の水準（100%、80%、2基盤導入など。特例の分野がある団体はそれを除いた数）" },
	{ "期限", "その団体の期限（年度末の日付、YYYY-MM-DD）。特別な事情がある団体は、その団体の期限" },
	{ "特別な事情", "期限が特別な事情により後になっている団体は「有」" },
	{ "目標までの残り", "目標を達成するのに、あといくつ必要か（単位の数）。全体の行は各団体の残りの合計" },
	{ "目標の達成に必要な項目", "チェックリストで判定する目標で、規則がまだ求めている項目" },
	{ "達成団体数", "全体の行のみ: 目標を達成した団体の数" },
	{ "対象団体数", "全体の行のみ: 対象外・未提出を除く団体の数" },
	{ "前回の調査基準日", "前回の調査の基準日（YYYY-MM-DD）。前回調査がない団体は空欄" },
	{ "前回の分子", "前回の調査での分子" },
	{ "前回の分母", "前回の調査での分母" },
	{ "前回比（ポイント）", "表示の前回からの差（率で測る目標のみ）" },
	{ "独自目標の分母", "民間の保育所等・民立のクラブを独自目標に加えた団体のみ: 独自目標の対象の数" },
	{ "独自目標の分子", "独自目標の対象のうち、ICTを導入しているものの数" },
	{ "独自目標の表示", "独自目標の率を百分率の整数に四捨五入したもの" },
};
#define NOPEN (int)(sizeof open_cols / sizeof open_cols[0])

static void open_header(kdx_buf *b)
{
	for (int c = 0; c < NOPEN; c++)
		cell(b, open_cols[c][0], c == NOPEN - 1);
}

/* The prefecture of a municipality code: in the national view its council's, else the council's own. */
static const char *pref_of(const kdx_report_data *d, const char *code)
{
	for (int c = 0; c < d->ncouncils; c++)
		if (!strncmp(d->councils[c].code, code, 2))
			return d->councils[c].name;
	return d->pref_name;
}

static void open_rows(kdx_buf *b, const kdx_present *p, const kdx_pgoal *pg)
{
	const kdx_report_data *d = p->rd;
	const kdx_goal_table *g = pg->g;
	bool list = g->kind == KDX_GOAL_CHECKLIST;
	int left_total = 0;
	for (int i = 1; i < pg->ncells; i++)
		left_total += pg->cells[i].measured ? pg->cells[i].row->remaining : 0;
	for (int i = 0; i < pg->ncells; i++) {
		const kdx_pcell *c = &pg->cells[i];
		const kdx_goal_row *w = c->row;
		char rate[16] = "";
		if (!list && c->measured)
			snprintf(rate, sizeof rate, "%.4f", w->rate);
		cell(b, w->code, false);
		cell(b, i == 0 ? d->pref_name : pref_of(d, w->code), false);
		cell(b, i == 0 ? d->pref_name : w->name, false);
		cell(b, i == 0 ? "全体" : "団体", false);
		cell(b, d->asof_iso, false);
		cell(b, g->title, false);
		cell(b, w->survey_date, false);
		cell(b, g->unit, false);
		cell_int(b, w->submitted, w->den, false);
		cell_int(b, w->submitted, w->num, false);
		cell(b, rate, false);
		cell(b, list ? "" : w->display, false);
		cell(b, c->status, false);
		cell(b, c->target, false);
		cell(b, w->deadline, false);
		cell(b, c->moved ? "有" : "", false);
		cell_int(b, c->measured, i == 0 && list ? left_total : w->remaining, false);
		cell(b, c->needed, false);
		cell_int(b, i == 0, g->achieved_count, false);
		cell_int(b, i == 0, g->in_scope_count, false);
		cell(b, c->has_change ? w->prev_survey_date : "", false);
		cell_int(b, w->has_prev, w->prev_num, false);
		cell_int(b, w->has_prev, w->prev_den, false);
		cell_int(b, !list && w->has_change, w->change_pt, false);
		cell_int(b, w->has_own, w->own_den, false);
		cell_int(b, w->has_own, w->own_num, false);
		cell(b, w->has_own ? w->own_display : "", true);
	}
}

/* Each municipality's figure at each of its surveys. */
static void history_csv(kdx_buf *b, const kdx_present *p)
{
	const kdx_report_data *d = p->rd;
	static const char *const cols[] = { "全国地方公共団体コード", "都道府県名", "地方公共団体名", "時点", "目標", "調査基準日",
	                                    "単位", "分母", "分子", "率", "状況" };
	int nc = (int)(sizeof cols / sizeof cols[0]);
	kdx_buf_adds(b, "\xEF\xBB\xBF");
	for (int c = 0; c < nc; c++)
		cell(b, cols[c], c == nc - 1);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_goal_table *g = &d->goals[gi];
		for (int i = 1; i < g->nrows; i++) {
			kdx_history h;
			kdx_history_get(d, gi, g->rows[i].code, &h);
			for (int k = 0; k < h.n; k++) {
				char rate[16] = "";
				if (h.valid[k] && g->kind != KDX_GOAL_CHECKLIST)
					snprintf(rate, sizeof rate, "%.4f", h.rates[k]);
				cell(b, g->rows[i].code, false);
				cell(b, pref_of(d, g->rows[i].code), false);
				cell(b, g->rows[i].name, false);
				cell(b, d->asof_iso, false);
				cell(b, g->title, false);
				cell(b, h.dates[k], false);
				cell(b, g->unit, false);
				cell_int(b, true, h.dens[k], false);
				cell_int(b, true, h.nums[k], false);
				cell(b, rate, false);
				cell(b, h.statuses[k], true);
			}
			kdx_history_free(&h);
		}
	}
}

static void readme_csv(kdx_buf *b, const kdx_present *p)
{
	const kdx_report_data *d = p->rd;
	kdx_buf_adds(b, "\xEF\xBB\xBF" "区分,名前,説明\r\n");
	kdx_buf t = { 0 };
	kdx_buf_printf(&t, "%s こども政策DX 共同目標の進捗", d->pref_name);
	cell(b, "データセット", false); cell(b, "名称", false); cell(b, t.data, true);
	kdx_buf_reset(&t);
	date_text(&t, d->asof_iso);
	cell(b, "データセット", false); cell(b, "時点", false); cell(b, t.data, true);
	kdx_buf_reset(&t);
	kdx_buf_printf(&t, "%s「こども政策DX 共同目標」の進捗調査。各市町村が提出した", d->pref_name);
	for (int k = 0; k < KDX_DS_COUNT; k++)
		kdx_buf_printf(&t, "%s%s", k ? "、" : "", kdx_datasets[k].title);
	kdx_buf_adds(&t, "による。各団体の調査基準日は各ファイルの「調査基準日」列のとおり。");
	cell(b, "データセット", false); cell(b, "出典", false); cell(b, t.data, true);
	char ed[16];
	snprintf(ed, sizeof ed, "第%d版", d->edition);
	cell(b, "データセット", false); cell(b, "版", false); cell(b, ed, true);
	cell(b, "データセット", false); cell(b, "データのSHA-256", false); cell(b, d->data_hash, true);
	cell(b, "データセット", false); cell(b, "ライセンス", false); cell(b, licence(), true);
	cell(b, "データセット", false); cell(b, "文字コード", false); cell(b, "UTF-8（BOM付き）、区切りはカンマ、改行はCRLF", true);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pgoal *pg = &p->goals[gi];
		const kdx_goal_table *g = pg->g;
		char *file = kdx_strdup_printf("%s.csv", g->id);
		kdx_buf_reset(&t);
		kdx_buf_printf(&t, "%s。目標: %s。対象: %s 達成とみなすもの: %s 全体: %s", g->title, pg->target, g->scope, g->done, g->total);
		cell(b, "ファイル", false); cell(b, file, false); cell(b, t.data, true);
		free(file);
	}
	cell(b, "ファイル", false); cell(b, "all.csv", false);
	cell(b, "6目標のすべての数値を1つにまとめたもの（列は目標ごとのファイルと同じ）", true);
	cell(b, "ファイル", false); cell(b, "history.csv", false);
	cell(b, "各団体の、これまでの調査ごとの分母・分子・状況（チェックリストで判定する目標の率は空欄）", true);
	for (int i = 0; i < NOPEN; i++) {
		cell(b, "列", false);
		cell(b, open_cols[i][0], false);
		cell(b, open_cols[i][1], true);
	}
	kdx_buf_free(&t);
}

static const char stylesheet[] =
	":root { color-scheme: light; }\n"
	"body { margin: 0; font-family: \"Hiragino Sans\", \"Hiragino Kaku Gothic ProN\", \"Yu Gothic UI\", \"Meiryo\","
	" \"Noto Sans CJK JP\", \"IPAexGothic\", sans-serif; font-size: 100%; line-height: 1.7; color: #1a1a1a; background: #fff; }\n"
	"header, main, footer { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }\n"
	"header { border-bottom: 1px solid #767676; }\n"
	".site { margin: .5rem 0; }\n"
	"h1 { font-size: 1.6rem; line-height: 1.4; margin: 1.5rem 0 1rem; }\n"
	"h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-left: .3rem solid #1d4f91; padding-left: .5rem; }\n"
	"a { color: #1d4f91; text-underline-offset: .15em; }\n"
	"a:visited { color: #5a2d82; }\n"
	":focus-visible { outline: 3px solid #b34700; outline-offset: 2px; }\n"
	".skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }\n"
	".skip:focus { left: .5rem; }\n"
	".scroll { overflow-x: auto; margin: 1rem 0; }\n"
	"table { border-collapse: collapse; min-width: 100%; font-size: .95rem; }\n"
	"caption { text-align: left; font-weight: bold; padding: .25rem 0; }\n"
	"th, td { border: 1px solid #767676; padding: .35rem .5rem; text-align: left; vertical-align: top; min-width: 5em; }\n"
	"th[scope=row] { min-width: 7em; }\n"
	"td.left { min-width: 14em; }\n"
	"thead th { background: #e8eef6; }\n"
	"tr.total th, tr.total td { background: #f3f3f3; font-weight: bold; }\n"
	".st { display: inline-block; padding: 0 .4em; border-radius: .2em; font-weight: bold; }\n"
	".st.s-ok { background: #e3f1e6; color: #0b5a24; }\n"
	".st.s-ng { background: #fdeaea; color: #8c1c13; }\n"
	".st.s-late { background: #8c1c13; color: #fff; }\n"
	".st.s-na, .st.s-none { background: #eee; color: #333; }\n"
	"dl.def dt { font-weight: bold; margin-top: .5rem; }\n"
	"dl.def dd { margin-left: 1rem; }\n"
	"figure { margin: 1rem 0; }\n"
	"figcaption { font-size: .95rem; }\n"
	"svg.chart { width: 100%; height: auto; max-width: 40rem; }\n"
	"svg .bg { fill: #fff; }\n"
	"svg text { font-size: 16px; fill: #1a1a1a; }\n"
	"svg .bar { fill: #1d4f91; }\n"
	"svg .cell.s-ok { fill: #e3f1e6; } svg .cell.s-ng { fill: #fdeaea; } svg .cell.s-na { fill: #eee; }\n"
	"svg .mark { font-weight: bold; }\n"
	"svg .target { stroke: #b3261e; stroke-width: 2; stroke-dasharray: 6 4; }\n"
	"svg .total { stroke: #1a1a1a; stroke-width: 2; }\n"
	"footer { border-top: 1px solid #767676; margin-top: 2rem; font-size: .9rem; }\n"
	"code { word-break: break-all; }\n"
	"@media (max-width: 30rem) { h1 { font-size: 1.35rem; } table { font-size: .9rem; } }\n"
	"@media print { .skip { display: none; } a { color: #000; text-decoration: none; } .scroll { overflow: visible; }"
	" h2 { break-after: avoid; } tr { break-inside: avoid; } }\n";

kdx_status kdx_web_write(const kdx_present *p, const char *dir, kdx_error **err)
{
	const kdx_report_data *d = p->rd;
	char *web = kdx_strdup_printf("%s/" KDX_OUT_WEB, dir);
	kdx_buf b = { 0 }, all = { 0 };
	kdx_buf_adds(&b, stylesheet);
	kdx_status st = put(web, "style.css", &b, err);
	if (st == KDX_OK) {
		kdx_buf_reset(&b);
		index_page(&b, p);
		st = put(web, "index.html", &b, err);
	}
	kdx_buf_adds(&all, "\xEF\xBB\xBF");
	open_header(&all);
	for (int gi = 0; gi < KDX_NGOALS && st == KDX_OK; gi++) {
		char rel[64];
		kdx_buf_reset(&b);
		goal_page(&b, p, gi);
		snprintf(rel, sizeof rel, "goal/%s.html", d->goals[gi].id);
		st = put(web, rel, &b, err);
		if (st == KDX_OK) {
			kdx_buf_reset(&b);
			kdx_buf_adds(&b, "\xEF\xBB\xBF");
			open_header(&b);
			open_rows(&b, p, &p->goals[gi]);
			open_rows(&all, p, &p->goals[gi]);
			snprintf(rel, sizeof rel, "data/%s.csv", d->goals[gi].id);
			st = put(web, rel, &b, err);
		}
	}
	for (int i = 1; i < d->goals[0].nrows && st == KDX_OK; i++) {
		char rel[64];
		kdx_buf_reset(&b);
		muni_page(&b, p, i);
		snprintf(rel, sizeof rel, "muni/%s.html", d->goals[0].rows[i].code);
		st = put(web, rel, &b, err);
	}
	if (st == KDX_OK)
		st = put(web, "data/all.csv", &all, err);
	if (st == KDX_OK) {
		kdx_buf_reset(&b);
		history_csv(&b, p);
		st = put(web, "data/history.csv", &b, err);
	}
	if (st == KDX_OK) {
		kdx_buf_reset(&b);
		readme_csv(&b, p);
		st = put(web, "data/README.csv", &b, err);
	}
	kdx_buf_free(&b);
	kdx_buf_free(&all);
	free(web);
	return st;
}
