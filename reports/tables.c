/* tables.c - kdx table, laid out from the presentation (see tables.h). */
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/tables.h"


/* Every field of a goal's row.  CSV takes the first nine (SPEC §5); text the
 * ones marked for people. */
enum {
	F_CODE, F_NAME, F_DEN, F_NUM, F_RATE, F_DISPLAY, F_TARGET, F_DEADLINE, F_STATUS, F_REMAINING, F_RANK,
	F_SURVEY, F_STALE, F_CHANGE, F_PREV, F_PROJECTED, F_CAUTION, F_OWN_DEN, F_OWN_NUM, F_OWN_DISPLAY, F_ACHIEVED,
	F_IN_SCOPE, NF
};
static const kdx_field goal_fields[NF] = {
	{ "コード", "code", KDX_FIELD_TEXT }, { "団体", "name", KDX_FIELD_TEXT }, { "分母", "denominator", KDX_FIELD_NUMBER }, { "分子", "numerator", KDX_FIELD_NUMBER },
	{ "率", "rate", KDX_FIELD_NUMBER }, { "表示", "display", KDX_FIELD_TEXT }, { "目標", "target", KDX_FIELD_TEXT }, { "期限", "deadline", KDX_FIELD_TEXT },
	{ "状況", "status", KDX_FIELD_TEXT }, { "残り", "remaining", KDX_FIELD_NUMBER }, { "順位", "rank", KDX_FIELD_NUMBER }, { "調査基準日", "survey_date", KDX_FIELD_TEXT },
	{ "6か月超", "stale", KDX_FIELD_BOOL }, { "前回比", "change", KDX_FIELD_TEXT }, { "前回", "previous_display", KDX_FIELD_TEXT },
	{ "達成見込み", "projected_date", KDX_FIELD_TEXT }, { "要注意", "caution", KDX_FIELD_BOOL }, { "独自目標 分母", "own_denominator", KDX_FIELD_NUMBER },
	{ "独自目標 分子", "own_numerator", KDX_FIELD_NUMBER }, { "独自目標 表示", "own_display", KDX_FIELD_TEXT }, { "達成団体数", "achieved_count", KDX_FIELD_NUMBER },
	{ "対象団体数", "in_scope_count", KDX_FIELD_NUMBER },
};
/* what people read, in this order */
static const int text_fields[] = { F_CODE, F_NAME, F_DEN, F_NUM, F_RATE, F_DISPLAY, F_TARGET, F_DEADLINE, F_STATUS,
	                                 F_REMAINING, F_RANK, F_SURVEY, F_STALE, F_CHANGE };
#define NTEXT (int)(sizeof text_fields / sizeof text_fields[0])

/* Strings made for the table, freed together. */
struct owned {
	char **s;
	int n, cap;
};

static const char *own(struct owned *o, char *s)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->s = kdx_xrealloc(o->s, (size_t)o->cap * sizeof *o->s);
	}
	return o->s[o->n++] = s;
}

static const char *num(struct owned *o, bool have, int v)
{
	return have ? own(o, kdx_strdup_printf("%d", v)) : NULL;
}

static void owned_free(struct owned *o)
{
	for (int i = 0; i < o->n; i++)
		free(o->s[i]);
	free(o->s);
}

static void goal_row(const kdx_pgoal *pg, int i, bool text, struct owned *o, const char **cells)
{
	const kdx_goal_table *g = pg->g;
	const kdx_pcell *c = &pg->cells[i];
	const kdx_goal_row *w = c->row;
	bool total = i == 0, list = g->kind == KDX_GOAL_CHECKLIST;
	cells[F_CODE] = w->code;
	cells[F_NAME] = w->name;
	cells[F_DEN] = num(o, w->submitted, w->den);
	cells[F_NUM] = num(o, w->submitted, w->num);
	cells[F_RATE] = w->submitted && w->den > 0 ? own(o, kdx_strdup_printf("%.4f", w->rate)) : NULL;
	cells[F_DISPLAY] = w->display;
	cells[F_TARGET] = g->has_target ? own(o, kdx_strdup_printf("%.2f", g->target)) : g->target_label;
	cells[F_DEADLINE] = w->deadline;
	cells[F_STATUS] = c->status;
	/* a checklist's 全体 has no count left: its municipalities' needs are named each */
	cells[F_REMAINING] = num(o, !(total && (list || w->den == 0)), w->remaining);
	cells[F_RANK] = num(o, w->rank > 0, w->rank);
	cells[F_SURVEY] = w->survey_date[0] ? w->survey_date : NULL;
	cells[F_STALE] = total ? NULL : text ? (c->stale ? "古い" : "") : c->stale ? "t" : "f";
	cells[F_CHANGE] = c->has_change || text ? c->change : NULL;
	cells[F_PREV] = w->prev_display[0] ? w->prev_display : NULL;
	cells[F_PROJECTED] = w->projected[0] ? w->projected : NULL;
	cells[F_CAUTION] = total ? NULL : c->caution ? "t" : "f";
	cells[F_OWN_DEN] = num(o, w->has_own, w->own_den);
	cells[F_OWN_NUM] = num(o, w->has_own, w->own_num);
	cells[F_OWN_DISPLAY] = w->has_own ? w->own_display : NULL;
	cells[F_ACHIEVED] = num(o, total, g->achieved_count);
	cells[F_IN_SCOPE] = num(o, total, g->in_scope_count);
}

void kdx_table_goal(FILE *fp, kdx_format fmt, const kdx_present *p, int gi)
{
	const kdx_pgoal *pg = &p->goals[gi];
	bool text = fmt == KDX_FMT_TEXT;
	int nf = text ? NTEXT : fmt == KDX_FMT_CSV ? F_STATUS + 1 : NF;
	kdx_field fields[NF];
	for (int k = 0; k < nf; k++)
		fields[k] = goal_fields[text ? text_fields[k] : k];
	const char **cells = kdx_xcalloc((size_t)pg->ncells * nf + 1, sizeof *cells);
	struct owned o = { 0 };
	for (int i = 0; i < pg->ncells; i++) {
		const char *all[NF];
		goal_row(pg, i, text, &o, all);
		for (int k = 0; k < nf; k++)
			cells[(size_t)i * nf + k] = all[text ? text_fields[k] : k];
	}
	if (text)
		fprintf(fp, "%s（%s 時点）\n", pg->g->title, p->rd->asof_iso);
	kdx_grid g = { fields, nf, pg->ncells, cells };
	kdx_grid_print(fp, fmt, &g);
	owned_free(&o);
	free(cells);
}

void kdx_table_summary(FILE *fp, kdx_format fmt, const kdx_present *p)
{
	enum { NS = 2 + 2 * KDX_NGOALS };
	kdx_field fields[NS] = { { "コード", "code", KDX_FIELD_TEXT }, { "団体", "name", KDX_FIELD_TEXT } };
	struct owned o = { 0 };
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_goal_table *g = p->goals[gi].g;
		fields[2 + 2 * gi] = (kdx_field){ g->short_title, g->id, KDX_FIELD_FIGURE };
		fields[3 + 2 * gi] = (kdx_field){ "状況", own(&o, kdx_strdup_printf("%s_status", g->id)), KDX_FIELD_TEXT };
	}
	int n = p->goals[0].ncells;
	const char **cells = kdx_xcalloc((size_t)n * NS + 1, sizeof *cells);
	for (int i = 0; i < n; i++) {
		const char **row = cells + (size_t)i * NS;
		row[0] = p->goals[0].cells[i].row->code;
		row[1] = p->goals[0].cells[i].row->name;
		for (int gi = 0; gi < KDX_NGOALS; gi++) {
			row[2 + 2 * gi] = p->goals[gi].cells[i].value;
			row[3 + 2 * gi] = p->goals[gi].cells[i].status;
		}
	}
	if (fmt == KDX_FMT_TEXT)
		fprintf(fp, "こども政策DX 共同目標 進捗一覧（%s 時点）\n", p->rd->asof_iso);
	kdx_grid g = { fields, NS, n, cells };
	kdx_grid_print(fp, fmt, &g);
	owned_free(&o);
	free(cells);
}

int kdx_table_goal_index(const kdx_present *p, const char *id)
{
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		if (!strcmp(p->goals[gi].g->id, id))
			return gi;
	return -1;
}
