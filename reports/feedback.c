/* feedback.c - one municipality's feedback report (PDF): its figures against
 * the target and the prefecture, rank, trend, and exactly what is left.
 * Other municipalities appear only as aggregates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/report.h"
#include "kdx/draw.h"
#include "kdx/chart.h"
#include "kdx/buf.h"
#include "kdx/datasets.h"

static const kdx_rgb none = { -1, -1, -1 };

static void left_list(kdx_doc *d, const kdx_present *p, const kdx_pgoal *pg, int mi)
{
	const kdx_goal_table *g = pg->g;
	const kdx_pcell *c = &pg->cells[mi];
	const kdx_goal_row *r = c->row;
	bool list = g->kind == KDX_GOAL_CHECKLIST;
	kdx_buf b = { 0 };
	char dl[64];
	kdx_deadline_text(r->deadline, dl, sizeof dl);
	/* a checklist goal's items are counted, never a rate (SPEC §2) */
	kdx_buf_printf(&b, "%d. %s　%s%s（%s）", g->ord, g->title, list && c->measured ? "済 " : "", c->value, c->status);
	kdx_doc_heading(d, b.data, 10.5);
	kdx_buf_reset(&b);
	if (c->role == KDX_ROLE_MISSING) {
		kdx_doc_para(d, "この時点までの提出がありません。記入用テンプレートで提出してください。", 8.5);
		kdx_buf_free(&b);
		return;
	}
	if (c->role == KDX_ROLE_NONE) {
		kdx_doc_para(d, "対象となる施設・項目がないため、この目標は対象外です。", 8.5);
		kdx_buf_free(&b);
		return;
	}
	if (c->role == KDX_ROLE_ACHIEVED)
		kdx_buf_printf(&b, "目標を達成しています（期限 %s）。", dl);
	else if (g->kind == KDX_GOAL_FACILITY_RATE)
		kdx_buf_printf(&b, "目標（%s）まで %s。期限 %s。", g->target_label, c->left, dl);
	else
		kdx_buf_printf(&b, "%s。期限 %s。", c->left, dl);
	/* every warning the council's handout gives is here too, with its date */
	if (c->outlook[0])
		kdx_buf_printf(&b, "\n見通し: %s", c->outlook);
	if (c->has_change)
		kdx_buf_printf(&b, "\n前回（%s）からの変化: %s%s%s%s", c->prev_date, c->change_from, list ? "" : "（", list ? "" : c->change,
		               list ? "" : "）");
	kdx_doc_para(d, b.data, 8.5);
	kdx_buf_reset(&b);
	int listed = 0;
	int nd = 0;
	const kdx_detail_row *xs = kdx_report_details(p->rd, pg->gi, r->code, &nd);
	for (int i = 0; i < nd; i++) {
		const kdx_detail_row *x = &xs[i];
		if (!x->in_scope || x->done)
			continue;
		if (g->kind == KDX_GOAL_FACILITY_RATE)
			kdx_buf_printf(&b, "・%s（%s、番号 %s）ICT未導入\n", x->name, x->kind, x->key);
		else if (g->kind == KDX_GOAL_PLAN_RATE)
			kdx_buf_printf(&b, "・%s %s（%s%s%s）\n", x->key, x->name, x->kind, x->note[0] ? "、" : "", x->note);
		else
			kdx_buf_printf(&b, "・%s（%s%s%s）\n", x->name, x->kind, x->note[0] ? "、" : "", x->note);
		listed++;
	}
	/* a checklist goal: what its rule still needs, as the warehouse judges it, and the rule (SPEC §2) */
	if (list && c->needed[0]) {
		char *t = kdx_strdup_printf("目標の達成に必要: %s\n達成の条件: %s", c->needed, g->done);
		kdx_doc_para(d, t, 9);
		free(t);
		if (listed)
			kdx_doc_para(d, "未実施の項目:", 9);
	}
	if (listed) {
		/* a target short of every facility: which of those listed are needed is a count */
		if (g->kind == KDX_GOAL_FACILITY_RATE && listed > r->remaining && r->remaining > 0) {
			char *t = kdx_strdup_printf("ICT未導入の%s（このうち目標までに必要なのは上記の数）:", g->unit);
			kdx_doc_para(d, t, 8);
			free(t);
		}
		kdx_doc_para(d, b.data, 8);
	}
	if (c->own[0])
		kdx_doc_para(d, c->own, KDX_MIN_BODY);
	kdx_buf_free(&b);
}

kdx_status kdx_report_muni_pdf(const kdx_present *p, int mi, const char *path, kdx_error **err)
{
	const kdx_report_data *rd = p->rd;
	const kdx_goal_row *me = &rd->goals[0].rows[mi];
	kdx_doc *d = NULL;
	char title[256];
	snprintf(title, sizeof title, "%s こども政策DX 共同目標 フィードバック（%s時点）", me->name, p->asof);
	kdx_status st = kdx_doc_new(path, title, rd->asof_iso, &d, err);
	if (st != KDX_OK)
		return st;
	kdx_doc_subject(d, p->edition);
	kdx_doc_header(d, title, rd->pref_name);
	kdx_doc_page(d);
	char buf[512];
	snprintf(buf, sizeof buf, "%s　こども政策DX 共同目標の進捗", me->name);
	kdx_doc_heading(d, buf, 16);
	snprintf(buf, sizeof buf, "%s時点　%s 市町村DX推進会議　%s", p->asof, rd->pref_name, p->edition);
	kdx_doc_para(d, buf, 9.5);

	/* the six figures */
	enum { NC = 9, NR = KDX_NGOALS + 1 };
	const char *cells[NR * NC];
	kdx_rgb bg[NR * NC];
	char *owned[NR * NC] = { 0 };
	static const char *const head[] = { "目標", "自団体", "全体", "目標値", "期限", "状況", "順位", "残り", "前回比" };
	/* Each figure stays on one line at 9 pt (2 pt padding either side):
	 * "(999/999)", "済 3/6項目", "令和10年度末", "1741位/1741" in the national
	 * view, "あと999クラブ", "2/6→3/6"; a rate's change takes a second line
	 * ("100%→100%" / "+0pt").  Only the goal's title and the longest target
	 * label wrap, between words (オンライン申請 / ＋1項目). */
	static const double widths[] = { 164, 72, 66, 100, 70, 44, 72, 84, 76 };
	static const int align[] = { 0, 2, 2, 1, 1, 1, 1, 2, 2 };
	for (int c = 0; c < NC; c++) {
		cells[c] = head[c];
		bg[c] = none;
	}
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_pgoal *pg = &p->goals[gi];
		const kdx_goal_table *g = pg->g;
		const kdx_pcell *c = &pg->cells[mi];
		bool list = g->kind == KDX_GOAL_CHECKLIST;
		int k = (gi + 1) * NC;
		for (int x = 0; x < NC; x++)
			bg[k + x] = none;
		cells[k] = g->title;
		/* a checklist goal: the items done as a count, 全体 as the municipalities that reached it (SPEC §2) */
		if (list)
			owned[k + 1] = c->measured ? kdx_strdup_printf("済 %s", c->value) : kdx_strdup(c->value);
		else
			owned[k + 1] = c->measured ? kdx_strdup_printf("%s\n(%s)", c->value, c->count) : kdx_strdup(c->value);
		cells[k + 1] = owned[k + 1];
		cells[k + 2] = owned[k + 2] = list ? kdx_strdup_printf("達成\n%d/%d団体", g->achieved_count, g->in_scope_count)
		                                   : kdx_strdup(pg->cells[0].value);
		cells[k + 3] = c->target;
		/* its own deadline, in 和暦; ※ where 特別な事情 moves it */
		cells[k + 4] = owned[k + 4] = kdx_strdup_printf("%s%s", c->deadline, c->moved ? "\n※特別な事情" : "");
		cells[k + 5] = c->status;
		bg[k + 5] = kdx_status_tint(c->status);
		cells[k + 6] = c->rank[0] ? c->rank : "-";
		cells[k + 7] = c->left;
		if (c->has_change && !list)
			cells[k + 8] = owned[k + 8] = kdx_strdup_printf("%s\n%s", c->change_from, c->change);
		else
			cells[k + 8] = c->change;
	}
	kdx_table tab = { NR, NC, cells, widths, align, bg, KDX_MIN_BODY, NULL };
	kdx_doc_table(d, &tab);
	for (int i = 0; i < NR * NC; i++)
		free(owned[i]);
	/* the national view compares every municipality in the country */
	bool national = rd->ncouncils > 0;
	snprintf(buf, sizeof buf, "全体は%s全団体の合計（分子の合計÷分母の合計）。順位は%s率の高い順で、同率は同順位。"
	         "対象外・未提出の団体は順位に含めない。前回比の日付は各目標の「残っている取組」に示す。",
	         national ? "全国の" : "県内", national ? "全国での" : "");
	kdx_doc_para(d, buf, 7);

	/* trend charts, two rows of three */
	kdx_doc_heading(d, "推移（調査基準日ごとの率と目標。チェックリストの目標は済の項目数と判定）", 11);
	double cw = (d->w - d->ml - d->mr) / 3, chh = 120;
	kdx_doc_need(d, chh * 2 + 10);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_goal_table *g = &rd->goals[gi];
		kdx_history h;
		kdx_history_get(rd, gi, me->code, &h);
		for (int i = 0; i < h.n; i++) {  /* dates in 和暦 */
			char w[40];
			kdx_wareki_text(h.dates[i], "", w, sizeof w);
			free(h.dates[i]);
			h.dates[i] = kdx_strdup(w);
		}
		double x = d->ml + cw * (gi % 3), y = d->y + (chh + 6) * (gi / 3);
		if (g->kind == KDX_GOAL_CHECKLIST) {
			/* the items done at each survey, never a rate against 100% (SPEC §2) */
			kdx_chart_counts counts = { h.n, h.dates, h.nums, h.dens, h.statuses };
			kdx_chart_count_trend(d->cr, d->pc, g->short_title, &counts, x, y, cw - 8, chh);
		} else {
			kdx_chart_series series = { h.n, h.dates, h.rates, h.valid };
			kdx_chart_trend(d->cr, d->pc, g->short_title, &series, g->target, x, y, cw - 8, chh);
		}
		kdx_history_free(&h);
	}
	d->y += chh * 2 + 16;

	/* what is left */
	kdx_doc_page(d);
	kdx_doc_heading(d, "残っている取組", 14);
	/* lists of short lines: two columns on the landscape page, half the paper */
	kdx_doc_columns(d, 2);
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		left_list(d, p, &p->goals[gi], mi);

	/* this municipality's data */
	kdx_doc_heading(d, "提出データ", 12);
	kdx_buf b = { 0 };
	int nl = 0;
	const kdx_ledger_row *ls = kdx_report_ledger(rd, me->code, &nl);
	for (int i = 0; i < nl; i++) {
		const kdx_ledger_row *l = &ls[i];
		char w[40];
		kdx_wareki_text(l->survey_date, "", w, sizeof w);
		kdx_buf_printf(&b, "・%s: %s%s%s\n", kdx_dataset_title(l->dataset), l->state, w[0] ? "　調査基準日 " : "", w);
	}
	for (int i = 0; i < rd->nquality; i++) {
		const kdx_quality_row *q = &rd->quality[i];
		if (!strcmp(q->code, me->code) && !strcmp(q->kind, "整合性"))
			kdx_buf_printf(&b, "・確認してください: %s\n", q->message);
	}
	kdx_buf_reserve(&b, 0);
	kdx_doc_para(d, b.data, 8);
	kdx_buf_free(&b);
	return kdx_doc_close(d, err);
}
