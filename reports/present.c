/* present.c - what every figure shows, decided once (see present.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/present.h"

const char *const kdx_role_words[KDX_NROLES] = { "達成", "未達", "期限超過", "対象外", "未提出" };

kdx_role kdx_role_of(const char *status)
{
	for (int i = 0; i < KDX_NROLES; i++)
		if (!strcmp(status, kdx_role_words[i]))
			return (kdx_role)i;
	return KDX_ROLE_MISSING;
}

/* ---- dates ----------------------------------------------------------------- */

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

void kdx_deadline_text(const char *iso, char *buf, size_t n)
{
	kdx_date d;
	if (!iso || kdx_date_parse(iso, &d) != KDX_DATE_OK) {
		snprintf(buf, n, "%s", iso ? iso : "");
		return;
	}
	char fy[40];
	kdx_fy_end_text(iso, fy, sizeof fy);
	snprintf(buf, n, "%s（%s）", fy, iso);
}

/* The council's previous round (SPEC §2): its date when the municipalities
 * compared share it, with their count when not every municipality submitted
 * has one (「前回（令和7年10月1日、17団体）」). */
static char *prev_round_label(const char *iso, const kdx_goal_row *total)
{
	kdx_date d;
	if (!iso || !*iso || kdx_date_parse(iso, &d) != KDX_DATE_OK)
		return kdx_strdup("前回調査（団体により異なる）");
	char w[40];
	kdx_date_wareki(d, w, sizeof w);
	if (total && total->has_prev && total->prev_count < total->submitted_count)
		return kdx_strdup_printf("前回（%s、%d団体）", w, total->prev_count);
	return kdx_strdup_printf("前回（%s）", w);
}

/* The municipalities submitted that have no previous round, when some do:
 * 「前回調査なし: 別府市」; "" otherwise. */
static char *without_prev(const kdx_goal_table *g)
{
	const kdx_goal_row *t = &g->rows[0];
	if (!t->has_prev || t->prev_count >= t->submitted_count)
		return kdx_strdup("");
	kdx_buf b = { 0 };
	for (int i = 1; i < g->nrows; i++) {
		const kdx_goal_row *r = &g->rows[i];
		if (!r->submitted || !strcmp(r->status, "未提出") || r->prev_count > 0)
			continue;
		kdx_buf_adds(&b, b.len ? "、" : "前回調査なし: ");
		kdx_buf_adds(&b, r->name);
	}
	kdx_buf_reserve(&b, 0);
	return kdx_buf_steal(&b);
}

/* ---- one cell ---------------------------------------------------------------- */

static bool open_status(const kdx_goal_row *r)
{
	kdx_role k = kdx_role_of(r->status);
	return k == KDX_ROLE_OPEN || k == KDX_ROLE_OVERDUE;
}

/*
 * 見通し (SPEC §2): for a facility goal the straight line through the previous
 * and current rounds (要注意 as the warehouse judges it: after the deadline,
 * never, or on or before the as-of while the goal is still not reached, where
 * a date in the past is never shown as a promise).  For the goals with plan
 * years, what the plans say.
 */
static char *outlook_text(const kdx_report_data *rd, const kdx_goal_table *g, const kdx_goal_row *r)
{
	if (!open_status(r))
		return kdx_strdup("");
	if (g->kind != KDX_GOAL_FACILITY_RATE) {
		if (r->caution)
			return kdx_strdup_printf("要注意：%s", r->outlook_items);
		return kdx_strdup("予定どおりなら期限内に達成");
	}
	kdx_date when;
	bool dated = r->projected[0] && kdx_date_parse(r->projected, &when) == KDX_DATE_OK;
	char w[40] = "";
	if (dated)
		kdx_date_wareki(when, w, sizeof w);
	if (r->caution && dated && kdx_date_cmp(when, rd->asof) <= 0)
		return kdx_strdup("要注意（見込みより遅れ）");
	if (r->caution && dated)
		return kdx_strdup_printf("要注意（達成見込み %s）", w);
	if (r->caution)
		return kdx_strdup("要注意（改善なし）");
	if (dated)
		return kdx_strdup_printf("達成見込み %s", w);
	return kdx_strdup("");
}

/* The facilities of a municipality's own target (独自目標) not yet done, by
 * name with why they count (私立, 民立), "、"-joined. */
static char *own_missing(const kdx_report_data *d, int gi, const char *code)
{
	kdx_buf b = { 0 };
	int nd = 0;
	const kdx_detail_row *det = kdx_report_details(d, gi, code, &nd);
	for (int i = 0; i < nd; i++)
		if (det[i].in_own_scope && !det[i].done)
			kdx_buf_printf(&b, "%s%s（%s）", b.len ? "、" : "", det[i].name, det[i].note[0] ? det[i].note : det[i].kind);
	kdx_buf_reserve(&b, 0);
	return kdx_buf_steal(&b);
}

static void cell_make(kdx_present *p, kdx_pgoal *pg, int i)
{
	const kdx_report_data *rd = p->rd;
	const kdx_goal_table *g = pg->g;
	const kdx_goal_row *r = &g->rows[i];
	kdx_pcell *c = &pg->cells[i];
	bool list = g->kind == KDX_GOAL_CHECKLIST;
	c->row = r;
	c->status = r->status;
	c->role = kdx_role_of(r->status);
	c->measured = r->submitted && r->den > 0;
	c->count = c->measured ? kdx_strdup_printf("%d/%d", r->num, r->den) : kdx_strdup("-");
	/* a checklist goal's figure is its items counted, its 全体 the municipalities that reached it (SPEC §2) */
	if (list && c->measured)
		c->value = i == 0 ? kdx_strdup(pg->achieved) : kdx_strdup_printf("%d/%d%s", r->num, r->den, g->unit);
	else
		c->value = kdx_strdup(r->display);
	if (!r->submitted)
		c->figure = kdx_strdup("未提出");
	else if (r->den == 0)
		c->figure = kdx_strdup("対象なし");
	else if (list)
		c->figure = kdx_strdup_printf("%d/%d%s", r->num, r->den, g->unit);
	else
		c->figure = kdx_strdup_printf("%s（%d/%d%s）", r->display, r->num, r->den, g->unit);
	char buf[64];
	kdx_fy_end_text(r->deadline, buf, sizeof buf);
	c->deadline = kdx_strdup(buf);
	c->moved = i > 0 && strcmp(r->deadline, g->deadline) != 0;
	c->stale = r->stale;
	kdx_wareki_text(r->survey_date, "", buf, sizeof buf);
	c->survey = kdx_strdup(buf);
	int nexempt = 0;
	if (i > 0) {
		int nd = 0;
		const kdx_detail_row *det = kdx_report_details(rd, pg->gi, r->code, &nd);
		for (int k = 0; k < nd; k++)
			nexempt += det[k].exempt;
	}
	c->exempt = nexempt > 0;
	/* a municipality with an item exempt must reach the rest, not the goal's count */
	if (c->exempt && c->measured)
		c->target = kdx_strdup_printf("%d%s導入（特例の%d%sを除く）", r->den, g->unit, nexempt, g->unit);
	else
		c->target = kdx_strdup(g->target_label);
	c->left = c->measured && r->remaining > 0 ? kdx_strdup_printf("あと%d%s", r->remaining, g->unit) : kdx_strdup("");
	c->needed = kdx_strdup(list && open_status(r) ? r->needed : "");
	c->rank = r->rank > 0 ? kdx_strdup_printf("%d位/%d", r->rank, g->in_scope_count) : kdx_strdup("");
	/* the change: a checklist's items, never points (SPEC §2) */
	c->has_change = list ? r->has_prev : r->has_change;
	c->prev_count = r->has_prev ? kdx_strdup_printf("%d/%d", r->prev_num, r->prev_den) : kdx_strdup("");
	/* against the same municipalities now (for 全体, those with a previous round) */
	if (list && c->has_change)
		c->change_from = kdx_strdup_printf("%d/%d→%d/%d", r->prev_num, r->prev_den, r->cmp_num, r->cmp_den);
	else if (c->has_change)
		c->change_from = kdx_strdup_printf("%s→%s", r->prev_display, r->cmp_display);
	else
		c->change_from = kdx_strdup("");
	if (list && c->has_change)
		c->change = kdx_strdup(c->change_from);
	else if (c->has_change)
		c->change = kdx_strdup_printf("%+dpt", r->change_pt);
	else  /* a rate whose previous round had nothing in scope has no change, and had a round */
		c->change = kdx_strdup(c->measured && (list || !r->prev_display[0]) ? "前回調査なし" : "");
	kdx_wareki_text(r->prev_survey_date, "", buf, sizeof buf);
	c->prev_date = kdx_strdup(i > 0 ? buf : "");
	c->outlook = i > 0 ? outlook_text(rd, g, r) : kdx_strdup("");
	c->caution = i > 0 && open_status(r) && r->caution;
	if (i > 0 && r->has_own) {
		char *missing = own_missing(rd, pg->gi, r->code);
		c->own = kdx_strdup_printf("独自目標（%sを含む）: %s（%d/%d）%s%s", g->own_scope, r->own_display, r->own_num,
		                           r->own_den, missing[0] ? "　未導入: " : "　すべて導入済", missing);
		c->own_missing = missing;
	} else {
		c->own = kdx_strdup("");
		c->own_missing = kdx_strdup("");
	}
	pg->any_moved |= c->moved;
	pg->any_exempt |= c->exempt;
	pg->any_stale |= c->stale && i > 0;
}

static void cell_free(kdx_pcell *c)
{
	free(c->value);
	free(c->count);
	free(c->figure);
	free(c->target);
	free(c->deadline);
	free(c->survey);
	free(c->left);
	free(c->needed);
	free(c->rank);
	free(c->change);
	free(c->change_from);
	free(c->prev_count);
	free(c->prev_date);
	free(c->outlook);
	free(c->own);
	free(c->own_missing);
}

/* ---- one goal ---------------------------------------------------------------- */

/* The items of a checklist goal in its rule, or exempt somewhere, in the
 * master's order (an item that is only for reference, 目標外, is not). */
static void goal_items(const kdx_report_data *rd, kdx_pgoal *pg)
{
	const kdx_goal_table *g = pg->g;
	int nd = 0;
	const kdx_detail_row *det = kdx_report_details(rd, pg->gi, NULL, &nd);
	for (int k = 0; k < g->nitems && pg->nitems < KDX_PRESENT_MAX_ITEMS; k++) {
		bool used = false;
		for (int i = 0; i < nd && !used; i++)
			used = !strcmp(det[i].key, g->items[k].code) && (det[i].in_scope || det[i].exempt);
		if (used) {
			pg->item_keys[pg->nitems] = g->items[k].code;
			pg->item_names[pg->nitems++] = g->items[k].name;
		}
	}
}

static void goal_make(kdx_present *p, int gi)
{
	kdx_pgoal *pg = &p->goals[gi];
	const kdx_goal_table *g = &p->rd->goals[gi];
	bool list = g->kind == KDX_GOAL_CHECKLIST;
	pg->g = g;
	pg->gi = gi;
	char dl[96], ext[96];
	kdx_deadline_text(g->deadline, dl, sizeof dl);
	pg->deadline = kdx_strdup(dl);
	if (g->extended_deadline[0]) {
		kdx_deadline_text(g->extended_deadline, ext, sizeof ext);
		pg->target = kdx_strdup_printf("%sまでに %s（%sがある団体は%s）", dl, g->target_label,
		                               g->special_reason[0] ? g->special_reason : "特別な事情", ext);
	} else {
		pg->target = kdx_strdup_printf("%sまでに %s", dl, g->target_label);
	}
	pg->achieved = kdx_strdup_printf("達成 %d/%d団体", g->achieved_count, g->in_scope_count);
	pg->prev_label = prev_round_label(g->prev_asof, g->nrows > 0 ? &g->rows[0] : NULL);
	pg->without_prev = g->nrows > 0 ? without_prev(g) : kdx_strdup("");
	if (list)
		goal_items(p->rd, pg);
	pg->ncells = g->nrows;
	pg->cells = kdx_xcalloc((size_t)g->nrows + 1, sizeof *pg->cells);
	for (int i = 0; i < g->nrows; i++)
		cell_make(p, pg, i);

	/* the headline: a checklist goal's municipalities that reached it first,
	 * the items done only after (SPEC §2); its change in items, never points */
	const kdx_goal_row *t = &g->rows[0];
	const kdx_pcell *tc = &pg->cells[0];
	kdx_buf b = { 0 }, m = { 0 };
	if (list)
		kdx_buf_printf(&b, "%s　（参考）済の%s %d/%d（%s）", pg->achieved, g->unit, t->num, t->den, t->display);
	else
		kdx_buf_printf(&b, "全体 %s（%d/%d%s）", t->display, t->num, t->den, g->unit);
	kdx_buf_printf(&m, "%d団体中%d団体が達成。全体 %s", g->in_scope_count, g->achieved_count, tc->figure);
	/* like with like: the previous round against the same municipalities now */
	if (g->has_prev_total && t->den > 0) {
		if (list && t->has_prev) {
			kdx_buf_printf(&b, "　%s 済の%s %d/%d → %d/%d", pg->prev_label, g->unit, t->prev_num, t->prev_den, t->cmp_num,
			               t->cmp_den);
			kdx_buf_printf(&m, "、%s 済 %d/%d から %d/%d", pg->prev_label, t->prev_num, t->prev_den, t->cmp_num, t->cmp_den);
		} else {
			kdx_buf_printf(&b, "　%s %s → %s（%+dpt）", pg->prev_label, g->prev_total_display, t->cmp_display, t->change_pt);
			kdx_buf_printf(&m, "、%s%s から %+dpt", pg->prev_label, g->prev_total_display, t->change_pt);
		}
		if (pg->without_prev[0]) {
			kdx_buf_printf(&b, "（%s）", pg->without_prev);
			kdx_buf_printf(&m, "（%s）", pg->without_prev);
		}
	} else if (t->den > 0) {
		kdx_buf_adds(&b, "　前回調査なし");
		kdx_buf_adds(&m, "、前回調査なし");
	}
	if (!list)
		kdx_buf_printf(&b, "　%s", pg->achieved);
	kdx_buf_adds(&m, "。");
	pg->headline = kdx_buf_steal(&b);
	pg->message = kdx_buf_steal(&m);

	/* a checklist's grid: its words, 特例 where an item can be exempt, and its rule */
	kdx_buf n = { 0 };
	if (list)
		kdx_buf_printf(&n, "%s%s　-: 未提出。%s", g->legend, g->exempt_reason[0] ? "　特例: 特別な事情により目標の対象外" : "",
		               g->done);
	kdx_buf_reserve(&n, 0);
	pg->grid_note = kdx_buf_steal(&n);
}

static void goal_free(kdx_pgoal *pg)
{
	for (int i = 0; i < pg->ncells; i++)
		cell_free(&pg->cells[i]);
	free(pg->cells);
	free(pg->deadline);
	free(pg->target);
	free(pg->achieved);
	free(pg->prev_label);
	free(pg->without_prev);
	free(pg->headline);
	free(pg->message);
	free(pg->grid_note);
}

void kdx_present_notes(const kdx_pgoal *pg, kdx_buf *b)
{
	const kdx_goal_table *g = pg->g;
	if (pg->any_stale)
		kdx_buf_adds(b, "※ 調査基準日が6か月より前のデータ。");
	if (g->kind == KDX_GOAL_CHECKLIST)
		kdx_buf_adds(b, "済/対象・前回の済は項目の数（率ではない）。");
	else
		kdx_buf_adds(b, "表示は整数%（四捨五入）、達成の判定は端数を含む実数で行う。");
	if (pg->any_moved) {
		char fy[40];
		kdx_fy_end_text(g->extended_deadline, fy, sizeof fy);
		kdx_buf_printf(b, "期限の「※特別な事情」は、%sがあり、目標年度を%sとした団体。",
		               g->special_reason[0] ? g->special_reason : "特別な事情", fy);
	}
	if (pg->any_exempt)
		kdx_buf_printf(b, "「（特例）」は、%s団体（分母から除く）。", g->exempt_reason);
	kdx_buf_adds(b, g->kind == KDX_GOAL_FACILITY_RATE
	                ? "見通しは前回と今回の調査から直線で延ばした達成日。各団体の期限より後になる団体を要注意とする（前回調査がない団体は判断しない）。"
	                : "見通しは各団体が回答した予定年度による（必要な項目に予定年度がない・未定・期限より後のものがあれば要注意）。");
}

kdx_present *kdx_present_new(const kdx_report_data *rd)
{
	kdx_present *p = kdx_xcalloc(1, sizeof *p);
	p->rd = rd;
	snprintf(p->asof, sizeof p->asof, "%s", rd->asof_wareki);
	snprintf(p->edition, sizeof p->edition, "第%d版（データ %.12s）", rd->edition, rd->data_hash ? rd->data_hash : "");
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		goal_make(p, gi);
	return p;
}

void kdx_present_free(kdx_present *p)
{
	if (!p)
		return;
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		goal_free(&p->goals[gi]);
	free(p);
}

/* ---- checklists ------------------------------------------------------------- */

const char *kdx_present_item_word(const kdx_present *p, int gi, int mi, const char *key)
{
	const kdx_goal_row *r = &p->rd->goals[gi].rows[mi];
	if (!r->submitted)
		return "-";
	int nd = 0;
	const kdx_detail_row *det = kdx_report_details(p->rd, gi, r->code, &nd);
	for (int x = 0; x < nd; x++)
		if (!strcmp(det[x].key, key))
			return det[x].in_scope ? (det[x].done ? "済" : "未") : det[x].exempt ? "特例" : "－";
	return "－";
}

void kdx_checklist_grid(const kdx_present *p, int gi, int max_cols, kdx_chart_grid_data *out)
{
	const kdx_pgoal *pg = &p->goals[gi];
	const kdx_goal_table *g = pg->g;
	int ni = pg->nitems, nm = g->nrows - 1;
	bool each = nm <= max_cols;
	int nc = each ? nm : 4, nr = each ? ni + 2 : ni;
	const char **rows = kdx_xcalloc((size_t)nr + 1, sizeof *rows), **cols = kdx_xcalloc((size_t)nc + 1, sizeof *cols);
	char **cells = kdx_xcalloc((size_t)nr * nc + 1, sizeof *cells);
	for (int k = 0; k < ni; k++)
		rows[k] = pg->item_names[k];
	if (each) {
		rows[ni] = "済/対象（項目数）";
		rows[ni + 1] = "状況（目標の判定）";
		for (int j = 0; j < nm; j++) {
			const kdx_pcell *c = &pg->cells[j + 1];
			cols[j] = c->row->short_name;
			for (int k = 0; k < ni; k++)
				cells[k * nc + j] = kdx_strdup(kdx_present_item_word(p, gi, j + 1, pg->item_keys[k]));
			cells[ni * nc + j] = kdx_strdup(c->count);
			cells[(ni + 1) * nc + j] = kdx_strdup(c->status);
		}
	} else {
		/* each item's number of municipalities that have done it, not yet, are exempt, or sent nothing */
		static const char *const head[4] = { "済の団体", "未の団体", "特例の団体", "未提出の団体" };
		static const char *const words[4] = { "済", "未", "特例", "-" };
		for (int c = 0; c < 4; c++)
			cols[c] = head[c];
		for (int k = 0; k < ni; k++) {
			int n[4] = { 0 };
			for (int j = 1; j <= nm; j++) {
				const char *w = kdx_present_item_word(p, gi, j, pg->item_keys[k]);
				for (int c = 0; c < 4; c++)
					n[c] += !strcmp(w, words[c]);
			}
			for (int c = 0; c < 4; c++)
				cells[k * nc + c] = kdx_strdup_printf("%d", n[c]);
		}
	}
	*out = (kdx_chart_grid_data){ g->title, nr, ni, nc, rows, cols, (const char *const *)cells, pg->grid_note };
}

void kdx_checklist_grid_free(kdx_chart_grid_data *g)
{
	for (int i = 0; i < g->nrows * g->ncols; i++)
		free((char *)g->cells[i]);
	free((void *)g->cells);
	free((void *)g->rows);
	free((void *)g->cols);
}
