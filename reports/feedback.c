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

static void left_list(kdx_doc *d, const kdx_report_data *rd, const kdx_goal_table *g, const kdx_goal_row *r)
{
	kdx_buf b = { 0 };
	char dl[64];
	kdx_deadline_text(r->deadline, dl, sizeof dl);
	if (kdx_goal_is_checklist(g) && r->submitted && r->den > 0)  /* items counted, never a rate (SPEC §2) */
		kdx_buf_printf(&b, "%d. %s　済 %d/%d%s（%s）", g->ord, g->title, r->num, r->den, g->unit, r->status);
	else
		kdx_buf_printf(&b, "%d. %s　%s（%s）", g->ord, g->title, r->display, r->status);
	kdx_doc_heading(d, b.data, 10.5);
	kdx_buf_reset(&b);
	if (!strcmp(r->status, "未提出")) {
		kdx_doc_para(d, "この時点までの提出がありません。記入用テンプレートで提出してください。", 8.5);
		kdx_buf_free(&b);
		return;
	}
	if (!strcmp(r->status, "対象外")) {
		kdx_doc_para(d, "対象となる施設・項目がないため、この目標は対象外です。", 8.5);
		kdx_buf_free(&b);
		return;
	}
	bool facility = !strcmp(g->id, "nursery") || !strcmp(g->id, "clubs");
	if (!strcmp(r->status, "達成"))
		kdx_buf_printf(&b, "目標を達成しています（期限 %s）。", dl);
	else if (facility)
		kdx_buf_printf(&b, "目標（%s）まで あと%d%s。期限 %s。", g->target_label, r->remaining, g->unit, dl);
	else if (!strcmp(g->id, "postpartum"))
		kdx_buf_printf(&b, "達成には「オンライン申請」と、承認通知の電子化・利用実績のシステム管理・集計・請求の自動化のいずれか1つが必要です（あと%d項目）。期限 %s。",
		               r->remaining, dl);
	else
		kdx_buf_printf(&b, "あと%d%s。期限 %s。", r->remaining, g->unit, dl);
	kdx_doc_para(d, b.data, 8.5);
	kdx_buf_reset(&b);
	int listed = 0;
	int nd = 0;
	const kdx_detail_row *xs = kdx_report_details(rd, (int)(g - rd->goals), r->code, &nd);
	for (int i = 0; i < nd; i++) {
		const kdx_detail_row *x = &xs[i];
		if (!x->in_scope || x->done)
			continue;
		if (facility)
			kdx_buf_printf(&b, "・%s（%s、番号 %s）ICT未導入\n", x->name, x->kind, x->key);
		else if (!strcmp(g->id, "procedures"))
			kdx_buf_printf(&b, "・%s %s（%s%s%s）\n", x->key, x->name, x->kind, x->note[0] ? "、" : "", x->note);
		else
			kdx_buf_printf(&b, "・%s（%s%s%s）\n", x->name, x->kind, x->note[0] ? "、" : "", x->note);
		listed++;
	}
	/* a checklist goal: what its rule still needs, as the warehouse judges it (SPEC §2) */
	if (kdx_goal_is_checklist(g) && r->needed[0]) {
		char *t = kdx_strdup_printf("目標の達成に必要: %s", r->needed);
		kdx_doc_para(d, t, 9);
		free(t);
		if (listed)
			kdx_doc_para(d, "未実施の項目:", 9);
	}
	if (listed) {
		if (facility && !strcmp(g->id, "clubs") && listed > r->remaining && r->remaining > 0)
			kdx_doc_para(d, "ICT未導入のクラブ（このうち目標までに必要なのは上記の数）:", 8);
		kdx_doc_para(d, b.data, 8);
	}
	if (r->has_own) {
		/* the own target, and the facilities behind what it still lacks, by name */
		char *missing = kdx_own_missing(rd, (int)(g - rd->goals), r->code);
		char *t = kdx_strdup_printf("独自目標（%sを含む）: %s（%d/%d）%s%s", !strcmp(g->id, "nursery") ? "民間の保育所等" : "民立のクラブ",
		                            r->own_display, r->own_num, r->own_den, missing[0] ? "　未導入: " : "　すべて導入済", missing);
		kdx_doc_para(d, t, KDX_MIN_BODY);
		free(t);
		free(missing);
	}
	kdx_buf_free(&b);
}

kdx_status kdx_report_muni_pdf(const kdx_report_data *rd, int mi, const char *path, kdx_error **err)
{
	const kdx_goal_row *me = &rd->goals[0].rows[mi];
	kdx_doc *d = NULL;
	char title[256];
	snprintf(title, sizeof title, "%s こども政策DX 共同目標 フィードバック（%s時点）", me->name, rd->asof_wareki);
	kdx_status st = kdx_doc_new(path, title, rd->asof_iso, &d, err);
	if (st != KDX_OK)
		return st;
	char edition[96];
	kdx_edition_text(rd, edition, sizeof edition);
	kdx_doc_subject(d, edition);
	kdx_doc_header(d, title, rd->pref_name);
	kdx_doc_page(d);
	char buf[512];
	snprintf(buf, sizeof buf, "%s　こども政策DX 共同目標の進捗", me->name);
	kdx_doc_heading(d, buf, 16);
	snprintf(buf, sizeof buf, "%s時点　%s 市町村DX推進会議　%s", rd->asof_wareki, rd->pref_name, edition);
	kdx_doc_para(d, buf, 9.5);

	/* the six figures */
	const int nc = 9;
	const char *cells[7 * 9];
	kdx_rgb bg[7 * 9];
	char *owned[7 * 9] = { 0 };
	static const char *const head[] = { "目標", "自団体", "全体", "目標値", "期限", "状況", "順位", "残り", "前回比" };
	/* Each figure stays on one line at 9 pt (2 pt padding either side):
	 * "(999/999)", "済 3/6項目", "令和10年度末", "1741位/1741" in the national
	 * view, "あと999クラブ", "2/6→3/6"; a rate's change takes a second line
	 * ("100%→100%" / "+0pt").  Only the goal's title and the longest target
	 * label wrap, between words (オンライン申請 / ＋1項目). */
	static const double widths[] = { 164, 72, 66, 100, 70, 44, 72, 84, 76 };
	static const int align[] = { 0, 2, 2, 1, 1, 1, 1, 2, 2 };
	for (int c = 0; c < nc; c++) {
		cells[c] = head[c];
		bg[c] = none;
	}
	for (int gi = 0; gi < 6; gi++) {
		const kdx_goal_table *g = &rd->goals[gi];
		const kdx_goal_row *r = &g->rows[mi];
		int k = (gi + 1) * nc;
		for (int c = 0; c < nc; c++)
			bg[k + c] = none;
		cells[k] = g->title;
		/* a checklist goal: the items done as a count, 全体 as the municipalities that reached it (SPEC §2) */
		bool list = kdx_goal_is_checklist(g);
		if (list)
			owned[k + 1] = r->den > 0 ? kdx_strdup_printf("済 %d/%d%s", r->num, r->den, g->unit) : kdx_strdup(r->display);
		else
			owned[k + 1] = r->den > 0 ? kdx_strdup_printf("%s\n(%d/%d)", r->display, r->num, r->den) : kdx_strdup(r->display);
		cells[k + 1] = owned[k + 1];
		if (list) {
			owned[k + 2] = kdx_strdup_printf("達成\n%d/%d団体", g->achieved_count, g->in_scope_count);
			cells[k + 2] = owned[k + 2];
		} else {
			cells[k + 2] = g->rows[0].display;
		}
		cells[k + 3] = g->target_label;
		/* its own deadline, in 和暦; ※ where 特別な事情 moves it */
		char fy[40];
		kdx_fy_end_text(r->deadline, fy, sizeof fy);
		owned[k + 4] = kdx_strdup_printf("%s%s", fy, strcmp(r->deadline, g->deadline) ? "\n※特別な事情" : "");
		cells[k + 4] = owned[k + 4];
		cells[k + 5] = r->status;
		bg[k + 5] = kdx_status_tint(r->status);
		owned[k + 6] = r->rank > 0 ? kdx_strdup_printf("%d位/%d", r->rank, g->in_scope_count) : kdx_strdup("-");
		cells[k + 6] = owned[k + 6];
		owned[k + 7] = r->remaining > 0 ? kdx_strdup_printf("あと%d%s", r->remaining, g->unit) : kdx_strdup("");
		cells[k + 7] = owned[k + 7];
		if (list)
			owned[k + 8] = r->has_prev ? kdx_strdup_printf("%d/%d→%d/%d", r->prev_num, r->prev_den, r->num, r->den)
			                           : kdx_strdup(r->den > 0 ? "前回調査なし" : "");
		else
			owned[k + 8] = r->has_change ? kdx_strdup_printf("%s→%s\n%+dpt", r->prev_display, r->display, r->change_pt)
			                             : kdx_strdup(r->submitted && r->den > 0 ? "前回調査なし" : "");
		cells[k + 8] = owned[k + 8];
	}
	kdx_table tab = { 7, nc, cells, widths, align, bg, KDX_MIN_BODY };
	kdx_doc_table(d, &tab);
	for (int i = 0; i < 7 * 9; i++)
		free(owned[i]);
	/* the national view compares every municipality in the country */
	bool national = rd->ncouncils > 0;
	snprintf(buf, sizeof buf, "全体は%s全団体の合計（分子の合計÷分母の合計）。順位は%s率の高い順で、同率は同順位。"
	         "対象外・未提出の団体は順位に含めない。", national ? "全国の" : "県内", national ? "全国での" : "");
	kdx_doc_para(d, buf, 7);

	/* trend charts, two rows of three */
	kdx_doc_heading(d, "推移（調査基準日ごとの率と目標。チェックリストの目標は済の項目数と判定）", 11);
	double cw = (d->w - d->ml - d->mr) / 3, chh = 120;
	kdx_doc_need(d, chh * 2 + 10);
	for (int gi = 0; gi < 6; gi++) {
		kdx_history h;
		kdx_history_get(rd, gi, me->code, &h);
		for (int i = 0; i < h.n; i++) {  /* dates in 和暦 */
			char w[40];
			kdx_wareki_text(h.dates[i], "", w, sizeof w);
			free(h.dates[i]);
			h.dates[i] = kdx_strdup(w);
		}
		double x = d->ml + cw * (gi % 3), y = d->y + (chh + 6) * (gi / 3);
		if (kdx_goal_is_checklist(&rd->goals[gi])) {
			/* the items done at each survey, never a rate against 100% (SPEC §2) */
			kdx_chart_counts counts = { h.n, h.dates, h.nums, h.dens, h.statuses };
			kdx_chart_count_trend(d->cr, d->pc, rd->goals[gi].short_title, &counts, x, y, cw - 8, chh);
		} else {
			kdx_chart_series series = { h.n, h.dates, h.rates, h.valid };
			kdx_chart_trend(d->cr, d->pc, rd->goals[gi].short_title, &series, rd->goals[gi].target, x, y, cw - 8, chh);
		}
		kdx_history_free(&h);
	}
	d->y += chh * 2 + 16;

	/* what is left */
	kdx_doc_page(d);
	kdx_doc_heading(d, "残っている取組", 14);
	/* lists of short lines: two columns on the landscape page, half the paper */
	kdx_doc_columns(d, 2);
	for (int gi = 0; gi < 6; gi++)
		left_list(d, rd, &rd->goals[gi], &rd->goals[gi].rows[mi]);

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
