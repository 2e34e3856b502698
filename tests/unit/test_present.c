/* test_present.c - what every output shows of a figure (present.h), for each
 * kind of goal and situation.  The expected words come from SPEC §2 and §5
 * (和暦 dates, 年度末 deadlines, items counted for a checklist goal), worked
 * out by hand for the figures each case sets up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/buf.h"
#include "kdx/present.h"

/* ---- a council of three municipalities and six goals, built by hand ---- */

enum { NM = 3 };
static const char *const codes[NM + 1] = { "440001", "442011", "442020", "442038" };
static const char *const names[NM + 1] = { "全体", "大分市", "別府市", "中津市" };

static void goal(kdx_goal_table *g, const char *id, kdx_goal_kind kind, const char *unit, double target,
                 const char *label, const char *deadline)
{
	g->id = kdx_strdup(id);
	g->title = kdx_strdup_printf("%sの目標", id);
	g->short_title = kdx_strdup(id);
	g->unit = kdx_strdup(unit);
	g->target_label = kdx_strdup(label);
	g->kind = kind;
	g->dataset = kdx_strdup(id);
	g->scope = kdx_strdup("");
	g->done = kdx_strdup(kind == KDX_GOAL_CHECKLIST ? "対象の項目をすべて導入した団体が達成。" : "");
	g->total = kdx_strdup("");
	g->legend = kdx_strdup(kind == KDX_GOAL_CHECKLIST ? "済: 導入済　未: 導入予定・未定" : "");
	g->special_reason = kdx_strdup("");
	g->exempt_reason = kdx_strdup("");
	g->own_scope = kdx_strdup("");
	g->extended_deadline = kdx_strdup("");
	g->target = target;
	g->has_target = true;
	g->deadline = kdx_strdup(deadline);
	g->prev_asof = kdx_strdup("");
	g->prev_total_display = kdx_strdup("");
	g->nrows = NM + 1;
	g->rows = kdx_xcalloc(NM + 1, sizeof *g->rows);
	for (int i = 0; i <= NM; i++) {
		kdx_goal_row *r = &g->rows[i];
		snprintf(r->code, sizeof r->code, "%s", codes[i]);
		r->name = kdx_strdup(names[i]);
		r->short_name = kdx_strdup(names[i]);
		r->display = kdx_strdup("-");
		r->status = kdx_strdup("未提出");
		r->deadline = kdx_strdup(deadline);
		r->survey_date = kdx_strdup("");
		r->prev_display = kdx_strdup("");
		r->cmp_display = kdx_strdup("");
		r->prev_survey_date = kdx_strdup("");
		r->projected = kdx_strdup("");
		r->outlook_items = kdx_strdup("");
		r->needed = kdx_strdup("");
		r->own_display = kdx_strdup("");
	}
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = kdx_strdup(v);
}

/* Row i of g as submitted on 2026-10-01 with num of den done. */
static void measured(kdx_goal_table *g, int i, int den, int num, const char *display, const char *status)
{
	kdx_goal_row *r = &g->rows[i];
	r->submitted = true;
	r->den = den;
	r->num = num;
	r->rate = den ? (double)num / den : 0;
	set(&r->display, display);
	set(&r->status, status);
	set(&r->survey_date, i ? "2026-10-01" : "");
	/* compared with a previous round, if it has one, as it is: every municipality submitted */
	r->submitted_count = i ? 1 : NM;
	r->cmp_num = num;
	r->cmp_den = den;
	set(&r->cmp_display, display);
}

static void item(kdx_goal_table *g, const char *code, const char *name, kdx_item_need need)
{
	g->items = kdx_xrealloc(g->items, (size_t)(g->nitems + 1) * sizeof *g->items);
	g->items[g->nitems++] = (kdx_goal_item){ kdx_strdup(code), kdx_strdup(name), true, need };
}

/* The details of every goal, added in goal and municipality order. */
static void detail(kdx_report_data *d, int gi, int mi, const char *key, const char *name, bool in_scope, bool done,
                   bool exempt)
{
	d->details = kdx_xrealloc(d->details, (size_t)(d->ndetails + 1) * sizeof *d->details);
	d->details[d->ndetails++] = (kdx_detail_row){ kdx_strdup(d->goals[gi].id), kdx_strdup(codes[mi]), kdx_strdup(key),
	                                              kdx_strdup(name), kdx_strdup(exempt ? "特例対象外" : done ? "導入済" : "未定"),
	                                              kdx_strdup(""), in_scope, in_scope, done, exempt, KDX_NEED_REQUIRED };
	for (int k = 0; k < KDX_NGOALS; k++) {
		int first = d->ndetails, last = 0;
		for (int x = 0; x < d->ndetails; x++)
			if (!strcmp(d->details[x].goal, d->goals[k].id)) {
				first = x < first ? x : first;
				last = x + 1;
			}
		d->detail_start[k] = first < last ? first : 0;
		d->detail_end[k] = first < last ? last : 0;
	}
}

static kdx_report_data *council(void)
{
	kdx_report_data *d = kdx_xcalloc(1, sizeof *d);
	d->asof = (kdx_date){ 2026, 11, 30 };
	snprintf(d->asof_iso, sizeof d->asof_iso, "2026-11-30");
	snprintf(d->asof_wareki, sizeof d->asof_wareki, "令和8年11月30日");
	d->pref_code = kdx_strdup("440001");
	d->pref_name = kdx_strdup("大分県");
	d->data_hash = kdx_strdup("1f464c5e1274aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	d->edition = 2;
	goal(&d->goals[0], "g_plan", KDX_GOAL_PLAN_RATE, "手続", 1.0, "100%", "2028-03-31");
	goal(&d->goals[1], "g_fac", KDX_GOAL_FACILITY_RATE, "施設", 1.0, "100%", "2027-03-31");
	goal(&d->goals[2], "g_list", KDX_GOAL_CHECKLIST, "基盤", 1.0, "2基盤導入", "2029-03-31");
	goal(&d->goals[3], "g_fac80", KDX_GOAL_FACILITY_RATE, "クラブ", 0.8, "80%", "2028-03-31");
	goal(&d->goals[4], "g_rule", KDX_GOAL_CHECKLIST, "項目", 1.0, "A＋1項目", "2028-03-31");
	goal(&d->goals[5], "g_exempt", KDX_GOAL_CHECKLIST, "分野", 1.0, "2分野導入", "2029-03-31");
	kdx_goal_table *f = &d->goals[1];
	set(&f->extended_deadline, "2028-03-31");
	set(&f->special_reason, "園のあり方を検討するなど特別な事情");
	item(&d->goals[2], "P1", "基盤その1", KDX_NEED_REQUIRED);
	item(&d->goals[2], "P2", "基盤その2", KDX_NEED_REQUIRED);
	item(&d->goals[5], "A1", "分野その1", KDX_NEED_REQUIRED);
	item(&d->goals[5], "A2", "分野その2", KDX_NEED_REQUIRED);
	set(&d->goals[5].exempt_reason, "特別な事情があり、その分野を目標の対象外とした");
	return d;
}

static const kdx_pcell *cell(const kdx_present *p, int gi, int i)
{
	return &p->goals[gi].cells[i];
}

/* ---- the cases ----------------------------------------------------------- */

/* A rate goal reached, with a previous round: its change in points, dated. */
static void rate_goal_achieved_with_a_previous_round(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[0];
	measured(g, 1, 18, 18, "100%", "達成");
	kdx_goal_row *r = &g->rows[1];
	r->has_change = true;
	r->change_pt = 11;
	r->has_prev = true;
	r->prev_count = 1;
	r->prev_num = 16;
	r->prev_den = 18;
	set(&r->prev_display, "89%");
	set(&r->prev_survey_date, "2025-10-01");
	r->rank = 1;
	g->in_scope_count = 2;
	kdx_present *p = kdx_present_new(d);
	const kdx_pcell *c = cell(p, 0, 1);
	assert_int_equal(c->role, KDX_ROLE_ACHIEVED);
	assert_true(c->measured);
	assert_string_equal(c->value, "100%");
	assert_string_equal(c->count, "18/18");
	assert_string_equal(c->figure, "100%（18/18手続）");
	assert_string_equal(c->deadline, "令和9年度末");
	assert_false(c->moved);
	assert_true(c->has_change);
	assert_string_equal(c->change, "+11pt");
	assert_string_equal(c->change_from, "89%→100%");
	assert_string_equal(c->prev_date, "令和7年10月1日");
	assert_string_equal(c->left, "");
	assert_string_equal(c->rank, "1位/2");
	assert_string_equal(c->outlook, "");   /* achieved: no outlook (SPEC §2) */
	assert_string_equal(c->survey, "令和8年10月1日");
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* No previous round: the change says so, and nothing is flagged by a trend. */
static void no_previous_round_says_so(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	measured(&d->goals[1], 2, 4, 3, "75%", "未達");
	d->goals[1].rows[2].remaining = 1;
	kdx_present *p = kdx_present_new(d);
	const kdx_pcell *c = cell(p, 1, 2);
	assert_false(c->has_change);
	assert_string_equal(c->change, "前回調査なし");
	assert_string_equal(c->change_from, "");
	assert_string_equal(c->prev_date, "");
	assert_false(c->caution);
	assert_string_equal(c->outlook, "");   /* no previous round, no line, no flag */
	assert_string_equal(c->left, "あと1施設");
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* 未提出 and 対象外: no figure, no change, no outlook. */
static void missing_and_out_of_scope(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	measured(&d->goals[1], 3, 0, 0, "-", "対象外");
	kdx_present *p = kdx_present_new(d);
	const kdx_pcell *miss = cell(p, 1, 1), *none = cell(p, 1, 3);
	assert_int_equal(miss->role, KDX_ROLE_MISSING);
	assert_false(miss->measured);
	assert_string_equal(miss->figure, "未提出");
	assert_string_equal(miss->value, "-");
	assert_string_equal(miss->count, "-");
	assert_string_equal(miss->change, "");
	assert_string_equal(miss->left, "");
	assert_int_equal(none->role, KDX_ROLE_NONE);
	assert_string_equal(none->figure, "対象なし");
	assert_string_equal(none->change, "");
	assert_string_equal(none->outlook, "");
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* 特別な事情 moves a municipality's deadline a year: its own deadline, marked,
 * and the goal's target and notes say why. */
static void special_circumstances_move_the_deadline(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[1];
	measured(g, 1, 4, 3, "75%", "未達");
	set(&g->rows[1].deadline, "2028-03-31");
	measured(g, 2, 2, 1, "50%", "期限超過");
	g->rows[2].remaining = 1;
	kdx_present *p = kdx_present_new(d);
	const kdx_pgoal *pg = &p->goals[1];
	assert_true(cell(p, 1, 1)->moved);
	assert_string_equal(cell(p, 1, 1)->deadline, "令和9年度末");
	assert_false(cell(p, 1, 2)->moved);
	assert_string_equal(cell(p, 1, 2)->deadline, "令和8年度末");
	assert_int_equal(cell(p, 1, 2)->role, KDX_ROLE_OVERDUE);
	assert_string_equal(cell(p, 1, 2)->left, "あと1施設");
	assert_true(pg->any_moved);
	assert_string_equal(pg->target, "令和8年度末（2027-03-31）までに 100%"
	                                "（園のあり方を検討するなど特別な事情がある団体は令和9年度末（2028-03-31））");
	kdx_buf b = { 0 };
	kdx_present_notes(pg, &b);
	assert_non_null(strstr(b.data, "期限の「※特別な事情」は、園のあり方を検討するなど特別な事情があり、目標年度を令和9年度末とした団体。"));
	assert_non_null(strstr(b.data, "直線で延ばした達成日"));
	kdx_buf_free(&b);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* A facility goal's straight line: a date after the as-of is a promise, one on
 * or before it (the goal still not reached) is 要注意, never a promise. */
static void outlook_of_a_facility_goal(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[3];
	for (int i = 1; i <= NM; i++)
		measured(g, i, 10, 6, "60%", "未達");
	set(&g->rows[1].projected, "2027-04-03");                            /* in time */
	set(&g->rows[2].projected, "2026-11-07");                            /* before the as-of */
	g->rows[2].caution = true;
	set(&g->rows[3].projected, "2029-01-10");                            /* after the deadline */
	g->rows[3].caution = true;
	kdx_present *p = kdx_present_new(d);
	assert_string_equal(cell(p, 3, 1)->outlook, "達成見込み 令和9年4月3日");
	assert_false(cell(p, 3, 1)->caution);
	assert_string_equal(cell(p, 3, 2)->outlook, "要注意（見込みより遅れ）");
	assert_true(cell(p, 3, 2)->caution);
	assert_string_equal(cell(p, 3, 3)->outlook, "要注意（達成見込み 令和11年1月10日）");
	kdx_present_free(p);
	set(&g->rows[3].projected, "");
	p = kdx_present_new(d);
	assert_string_equal(cell(p, 3, 3)->outlook, "要注意（改善なし）");
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* A goal with plan years: its outlook is what the plans say. */
static void outlook_from_plan_years(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[0];
	measured(g, 1, 18, 12, "67%", "未達");
	measured(g, 2, 18, 12, "67%", "未達");
	g->rows[2].caution = true;
	set(&g->rows[2].outlook_items, "予定年度なし（N04・N05）");
	kdx_present *p = kdx_present_new(d);
	assert_string_equal(cell(p, 0, 1)->outlook, "予定どおりなら期限内に達成");
	assert_string_equal(cell(p, 0, 2)->outlook, "要注意：予定年度なし（N04・N05）");
	assert_true(cell(p, 0, 2)->caution);
	kdx_buf b = { 0 };
	kdx_present_notes(&p->goals[0], &b);
	assert_non_null(strstr(b.data, "予定年度による"));
	kdx_buf_free(&b);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* A checklist goal: items counted, never a rate; 全体 the municipalities that
 * reached it; its change in items; what its rule still needs; no rank. */
static void checklist_goal_counts_items(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[2];
	measured(g, 0, 6, 3, "50%", "未達");
	measured(g, 1, 2, 2, "100%", "達成");
	measured(g, 2, 2, 1, "50%", "未達");
	measured(g, 3, 2, 0, "0%", "未達");
	g->achieved_count = 1;
	g->in_scope_count = 3;
	g->rows[2].remaining = 1;
	set(&g->rows[2].needed, "基盤その2");
	g->rows[2].has_prev = true;
	g->rows[2].prev_count = 1;
	g->rows[2].prev_num = 0;
	g->rows[2].prev_den = 2;
	g->rows[2].has_change = true;  /* the warehouse's points, never shown for a checklist */
	g->rows[2].change_pt = 50;
	detail(d, 2, 2, "P1", "基盤その1", true, true, false);
	detail(d, 2, 2, "P2", "基盤その2", true, false, false);
	kdx_present *p = kdx_present_new(d);
	const kdx_pgoal *pg = &p->goals[2];
	const kdx_pcell *c = cell(p, 2, 2);
	assert_string_equal(c->value, "1/2基盤");
	assert_string_equal(c->figure, "1/2基盤");
	assert_null(strchr(c->value, '%'));
	assert_string_equal(cell(p, 2, 0)->value, "達成 1/3団体");
	assert_string_equal(pg->achieved, "達成 1/3団体");
	assert_true(c->has_change);
	assert_string_equal(c->change, "0/2→1/2");
	assert_string_equal(c->prev_count, "0/2");
	assert_null(strstr(c->change, "pt"));
	assert_string_equal(c->needed, "基盤その2");
	assert_string_equal(c->left, "あと1基盤");
	assert_string_equal(c->rank, "");
	assert_string_equal(cell(p, 2, 1)->needed, "");  /* reached: nothing needed */
	assert_string_equal(kdx_present_item_word(p, 2, 2, "P1"), "済");
	assert_string_equal(kdx_present_item_word(p, 2, 2, "P2"), "未");
	assert_string_equal(kdx_present_item_word(p, 2, 1, "P2"), "－");  /* submitted, item not reported */
	assert_int_equal(pg->nitems, 2);
	assert_string_equal(pg->grid_note, "済: 導入済　未: 導入予定・未定　-: 未提出。対象の項目をすべて導入した団体が達成。");
	kdx_buf b = { 0 };
	kdx_present_notes(pg, &b);
	assert_non_null(strstr(b.data, "項目の数（率ではない）"));
	kdx_buf_free(&b);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* An item exempt by 特例: marked, out of the count the municipality must reach. */
static void exempt_item(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[5];
	measured(g, 1, 1, 0, "0%", "未達");
	measured(g, 2, 2, 2, "100%", "達成");
	detail(d, 5, 1, "A1", "分野その1", false, false, true);
	detail(d, 5, 1, "A2", "分野その2", true, false, false);
	detail(d, 5, 2, "A1", "分野その1", true, true, false);
	detail(d, 5, 2, "A2", "分野その2", true, true, false);
	kdx_present *p = kdx_present_new(d);
	const kdx_pcell *c = cell(p, 5, 1);
	assert_true(c->exempt);
	assert_string_equal(c->target, "1分野導入（特例の1分野を除く）");
	assert_false(cell(p, 5, 2)->exempt);
	assert_string_equal(cell(p, 5, 2)->target, "2分野導入");
	assert_string_equal(kdx_present_item_word(p, 5, 1, "A1"), "特例");
	assert_string_equal(kdx_present_item_word(p, 5, 3, "A1"), "-");  /* nothing submitted */
	assert_non_null(strstr(p->goals[5].grid_note, "特例: 特別な事情により目標の対象外"));
	kdx_buf b = { 0 };
	kdx_present_notes(&p->goals[5], &b);
	assert_non_null(strstr(b.data, "「（特例）」は、特別な事情があり、その分野を目標の対象外とした団体（分母から除く）。"));
	kdx_buf_free(&b);
	/* the grid of a council too large for a column each counts municipalities by word */
	kdx_chart_grid_data grid;
	kdx_checklist_grid(p, 5, 2, &grid);
	assert_int_equal(grid.ncols, 4);
	assert_string_equal(grid.cols[2], "特例の団体");
	assert_string_equal(grid.cells[0 * 4 + 0], "1");  /* A1: 済 by 別府市 */
	assert_string_equal(grid.cells[0 * 4 + 2], "1");  /* A1: 特例 for 大分市 */
	assert_string_equal(grid.cells[0 * 4 + 3], "1");  /* A1: 中津市 sent nothing */
	kdx_checklist_grid_free(&grid);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* The council's previous round: dated when the municipalities share it, said
 * to differ when not; a checklist's in items. */
static void council_previous_round(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[0];
	measured(g, 0, 36, 24, "67%", "未達");
	g->has_prev_total = true;
	set(&g->prev_asof, "2025-10-01");
	set(&g->prev_total_display, "50%");
	g->rows[0].change_pt = 17;
	g->rows[0].has_prev = true;
	g->rows[0].prev_count = NM;
	g->achieved_count = 0;
	g->in_scope_count = 2;
	kdx_goal_table *l = &d->goals[4];
	measured(l, 0, 12, 5, "42%", "未達");
	l->has_prev_total = true;
	set(&l->prev_asof, "");
	set(&l->prev_total_display, "25%");
	l->rows[0].has_prev = true;
	l->rows[0].prev_count = NM;
	l->rows[0].prev_num = 3;
	l->rows[0].prev_den = 12;
	l->achieved_count = 1;
	l->in_scope_count = 2;
	kdx_present *p = kdx_present_new(d);
	assert_string_equal(p->goals[0].prev_label, "前回（令和7年10月1日）");
	assert_string_equal(p->goals[0].headline,
	                    "全体 67%（24/36手続）　前回（令和7年10月1日） 50% → 67%（+17pt）　達成 0/2団体");
	assert_string_equal(p->goals[0].message, "2団体中0団体が達成。全体 67%（24/36手続）、前回（令和7年10月1日）50% から +17pt。");
	assert_string_equal(p->goals[4].prev_label, "前回調査（団体により異なる）");
	assert_string_equal(p->goals[4].headline,
	                    "達成 1/2団体　（参考）済の項目 5/12（42%）　前回調査（団体により異なる） 済の項目 3/12 → 5/12");
	/* a goal with no previous round for its council says so */
	assert_non_null(strstr(p->goals[2].headline, "達成 0/0団体"));
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* A previous round for some municipalities only: the council's change is over
 * those (like with like), labelled with their count, and the others are named
 * (SPEC §2: 「前回（令和7年10月1日、17団体）」). */
static void council_previous_round_for_some(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[0];
	/* 大分市 18/18 now, 16/18 before; 別府市 6/18 now, no previous round */
	measured(g, 0, 36, 24, "67%", "未達");
	measured(g, 1, 18, 18, "100%", "達成");
	measured(g, 2, 18, 6, "33%", "未達");
	g->rows[1].has_prev = true;
	g->rows[1].prev_count = 1;
	g->rows[1].prev_num = 16;
	g->rows[1].prev_den = 18;
	g->rows[1].has_change = true;
	g->rows[1].change_pt = 11;
	set(&g->rows[1].prev_display, "89%");
	kdx_goal_row *t = &g->rows[0];
	t->submitted_count = 2;
	t->has_prev = true;
	t->prev_count = 1;
	t->prev_num = 16;
	t->prev_den = 18;
	t->has_change = true;
	t->change_pt = 11;
	t->cmp_num = 18;
	t->cmp_den = 18;
	set(&t->cmp_display, "100%");
	set(&t->prev_display, "89%");
	g->has_prev_total = true;
	set(&g->prev_asof, "2025-10-01");
	set(&g->prev_total_display, "89%");
	g->achieved_count = 1;
	g->in_scope_count = 2;
	kdx_present *p = kdx_present_new(d);
	const kdx_pgoal *pg = &p->goals[0];
	assert_string_equal(pg->prev_label, "前回（令和7年10月1日、1団体）");
	assert_string_equal(pg->without_prev, "前回調査なし: 別府市");
	assert_string_equal(pg->headline, "全体 67%（24/36手続）　前回（令和7年10月1日、1団体） 89% → 100%（+11pt）"
	                                  "（前回調査なし: 別府市）　達成 1/2団体");
	/* the 全体 cell: the same municipalities before and now, never 89% against all of them now */
	assert_string_equal(cell(p, 0, 0)->change, "+11pt");
	assert_string_equal(cell(p, 0, 0)->change_from, "89%→100%");
	assert_string_equal(cell(p, 0, 2)->change, "前回調査なし");
	/* every municipality with a previous round: no count, nobody named */
	t->prev_count = 2;
	kdx_present *q = kdx_present_new(d);
	assert_string_equal(q->goals[0].prev_label, "前回（令和7年10月1日）");
	assert_string_equal(q->goals[0].without_prev, "");
	kdx_present_free(q);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

/* An own target (独自目標): what it adds and which facilities it still lacks. */
static void own_target(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_goal_table *g = &d->goals[1];
	set(&g->own_scope, "民間の保育所等");
	measured(g, 1, 2, 2, "100%", "達成");
	g->rows[1].has_own = true;
	g->rows[1].own_den = 3;
	g->rows[1].own_num = 2;
	set(&g->rows[1].own_display, "67%");
	d->details = kdx_xcalloc(1, sizeof *d->details);
	d->details[0] = (kdx_detail_row){ kdx_strdup("g_fac"), kdx_strdup("442011"), kdx_strdup("N1"), kdx_strdup("A保育所"),
	                                  kdx_strdup("保育所"), kdx_strdup("私立"), false, true, false, false, KDX_NEED_REQUIRED };
	d->ndetails = 1;
	d->detail_start[1] = 0;
	d->detail_end[1] = 1;
	kdx_present *p = kdx_present_new(d);
	assert_string_equal(cell(p, 1, 1)->own, "独自目標（民間の保育所等を含む）: 67%（2/3）　未導入: A保育所（私立）");
	assert_string_equal(cell(p, 1, 1)->own_missing, "A保育所（私立）");
	assert_string_equal(cell(p, 1, 2)->own, "");
	kdx_present_free(p);
	kdx_report_data_free(d);
}

static void edition_and_dates(void **state)
{
	(void)state;
	kdx_report_data *d = council();
	kdx_present *p = kdx_present_new(d);
	assert_string_equal(p->edition, "第2版（データ 1f464c5e1274）");
	assert_string_equal(p->asof, "令和8年11月30日");
	char buf[64];
	kdx_fy_end_text("2027-03-31", buf, sizeof buf);
	assert_string_equal(buf, "令和8年度末");
	kdx_fy_end_text("2027-04-01", buf, sizeof buf);
	assert_string_equal(buf, "令和9年度末");
	kdx_fy_end_text("", buf, sizeof buf);
	assert_string_equal(buf, "－");
	kdx_deadline_text("2029-03-31", buf, sizeof buf);
	assert_string_equal(buf, "令和10年度末（2029-03-31）");
	kdx_wareki_text("2019-05-01", "", buf, sizeof buf);
	assert_string_equal(buf, "令和元年5月1日");
	kdx_wareki_text("", "－", buf, sizeof buf);
	assert_string_equal(buf, "－");
	assert_int_equal(kdx_role_of("期限超過"), KDX_ROLE_OVERDUE);
	kdx_present_free(p);
	kdx_report_data_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rate_goal_achieved_with_a_previous_round),
		cmocka_unit_test(no_previous_round_says_so),
		cmocka_unit_test(missing_and_out_of_scope),
		cmocka_unit_test(special_circumstances_move_the_deadline),
		cmocka_unit_test(outlook_of_a_facility_goal),
		cmocka_unit_test(outlook_from_plan_years),
		cmocka_unit_test(checklist_goal_counts_items),
		cmocka_unit_test(exempt_item),
		cmocka_unit_test(council_previous_round),
		cmocka_unit_test(council_previous_round_for_some),
		cmocka_unit_test(own_target),
		cmocka_unit_test(edition_and_dates),
	};
	return cmocka_run_group_tests_name("present", tests, NULL, NULL);
}
