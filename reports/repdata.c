/* repdata.c - load report data from the warehouse's goal functions. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "kdx/repdata.h"
#include "kdx/buf.h"

static char *dupv(PGresult *r, int i, int c)
{
	return kdx_strdup(PQgetisnull(r, i, c) ? "" : PQgetvalue(r, i, c));
}

static int intv(PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? 0 : atoi(PQgetvalue(r, i, c));
}

static bool boolv(PGresult *r, int i, int c)
{
	return !PQgetisnull(r, i, c) && PQgetvalue(r, i, c)[0] == 't';
}

/* first index in [lo, hi) whose key is >= code, keys sorted ascending */
#define LOWER_BOUND(lo, hi, KEY, code)                 \
	do {                                               \
		while ((lo) < (hi)) {                          \
			int mid_ = (lo) + ((hi) - (lo)) / 2;       \
			if (strcmp((KEY(mid_)), (code)) < 0)       \
				(lo) = mid_ + 1;                       \
			else                                       \
				(hi) = mid_;                           \
		}                                              \
	} while (0)

/* A municipality's points in a goal's history (which is in code order): the
 * first index, and their number in *n. */
static int hist_run(const kdx_goal_table *g, const char *code, int *n)
{
	int first = 0, hi = g->nhist;
#define HKEY(i) g->hist[i].code
	LOWER_BOUND(first, hi, HKEY, code);
#undef HKEY
	*n = 0;
	while (first + *n < g->nhist && !strcmp(g->hist[first + *n].code, code))
		(*n)++;
	return first;
}

/* One row of goal_table_councils (column 0 is the council). */
static void parse_goal_row(PGresult *r, int i, kdx_goal_row *w)
{
	snprintf(w->code, sizeof w->code, "%s", PQgetvalue(r, i, 1));
	w->name = dupv(r, i, 2);
	w->short_name = dupv(r, i, 3);
	w->submitted = !PQgetisnull(r, i, 4);
	w->den = intv(r, i, 4);
	w->num = intv(r, i, 5);
	w->rate = atof(PQgetvalue(r, i, 6));
	w->display = dupv(r, i, 7);
	w->status = dupv(r, i, 8);
	w->remaining = intv(r, i, 9);
	w->rank = intv(r, i, 10);
	w->survey_date = dupv(r, i, 11);
	w->stale = boolv(r, i, 12);
	w->has_change = boolv(r, i, 13);
	w->change_pt = intv(r, i, 14);
	w->prev_display = dupv(r, i, 15);
	w->projected = dupv(r, i, 16);
	w->caution = boolv(r, i, 17);
	w->has_own = boolv(r, i, 18);
	w->own_den = intv(r, i, 19);
	w->own_num = intv(r, i, 20);
	w->own_display = dupv(r, i, 21);
	w->deadline = dupv(r, i, 24);
	w->prev_survey_date = dupv(r, i, 25);
	w->outlook_items = dupv(r, i, 26);
	w->needed = dupv(r, i, 27);
	w->has_prev = !PQgetisnull(r, i, 29) && intv(r, i, 29) > 0;
	w->prev_num = intv(r, i, 28);
	w->prev_den = intv(r, i, 29);
	w->prev_count = intv(r, i, 30);
	w->submitted_count = intv(r, i, 31);
	w->cmp_num = intv(r, i, 32);
	w->cmp_den = intv(r, i, 33);
	w->cmp_display = dupv(r, i, 34);
}

static void copy_goal_row(kdx_goal_row *w, const kdx_goal_row *s)
{
	*w = *s;
	w->name = kdx_strdup(s->name);
	w->short_name = kdx_strdup(s->short_name);
	w->display = kdx_strdup(s->display);
	w->status = kdx_strdup(s->status);
	w->deadline = kdx_strdup(s->deadline);
	w->survey_date = kdx_strdup(s->survey_date);
	w->prev_display = kdx_strdup(s->prev_display);
	w->cmp_display = kdx_strdup(s->cmp_display);
	w->prev_survey_date = kdx_strdup(s->prev_survey_date);
	w->outlook_items = kdx_strdup(s->outlook_items);
	w->needed = kdx_strdup(s->needed);
	w->projected = kdx_strdup(s->projected);
	w->own_display = kdx_strdup(s->own_display);
}

static void free_goal_rows(kdx_goal_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		kdx_goal_row *w = &rows[i];
		free(w->name);
		free(w->short_name);
		free(w->display);
		free(w->status);
		free(w->deadline);
		free(w->survey_date);
		free(w->prev_display);
		free(w->cmp_display);
		free(w->prev_survey_date);
		free(w->outlook_items);
		free(w->needed);
		free(w->projected);
		free(w->own_display);
	}
	free(rows);
}

static kdx_council_part *council_part(kdx_report_data *d, const char *code)
{
	for (int i = 0; i < d->ncouncils; i++)
		if (!strcmp(d->councils[i].code, code))
			return &d->councils[i];
	d->councils = kdx_xrealloc(d->councils, (size_t)(d->ncouncils + 1) * sizeof *d->councils);
	kdx_council_part *c = &d->councils[d->ncouncils++];
	memset(c, 0, sizeof *c);
	snprintf(c->code, sizeof c->code, "%s", code);
	return c;
}

/* A council's previous round, as its 全体 row of goal_table_councils gives it. */
static void prev_total(const kdx_goal_row *total, char **asof, char **display, bool *has)
{
	*has = total->prev_display[0] != '\0';
	*asof = kdx_strdup(total->prev_survey_date);
	*display = kdx_strdup(total->prev_display);
}

static kdx_goal_kind kind_of(const char *s)
{
	return !strcmp(s, "checklist") ? KDX_GOAL_CHECKLIST : !strcmp(s, "facility_rate") ? KDX_GOAL_FACILITY_RATE
	                                                       : KDX_GOAL_PLAN_RATE;
}

static kdx_item_need need_of(const char *s)
{
	return !strcmp(s, "one_of") ? KDX_NEED_ONE_OF : !strcmp(s, "none") ? KDX_NEED_NONE : KDX_NEED_REQUIRED;
}

/* The goals as the master data has them, in their order, with their items. */
static kdx_status load_goal_master(kdx_db *db, kdx_report_data *d, kdx_error **err)
{
	PGresult *r = kdx_db_query(db,
		"SELECT id, title, short_title, unit, target_label, coalesce(target, 1), deadline, ord, kind, dataset, scope, done,"
		" total, legend, special_reason, exempt_reason, own_scope, coalesce(extended_deadline::text, ''), target IS NOT NULL"
		" FROM kdx.goal ORDER BY ord", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	if (PQntuples(r) != KDX_NGOALS) {
		int n = PQntuples(r);
		PQclear(r);
		return kdx_fail(err, KDX_EUNAVAILABLE, "the master data has %d goals, not %d; run \"kdx init\"", n, KDX_NGOALS);
	}
	for (int i = 0; i < KDX_NGOALS; i++) {
		kdx_goal_table *g = &d->goals[i];
		if (PQgetisnull(r, i, 8)) {
			PQclear(r);
			return kdx_fail(err, KDX_EUNAVAILABLE, "goal \"%s\" has no kind in the master data; run \"kdx init\"",
			                PQgetvalue(r, i, 0));
		}
		g->id = dupv(r, i, 0);
		g->title = dupv(r, i, 1);
		g->short_title = dupv(r, i, 2);
		g->unit = dupv(r, i, 3);
		g->target_label = dupv(r, i, 4);
		g->target = atof(PQgetvalue(r, i, 5));
		g->deadline = dupv(r, i, 6);
		g->ord = intv(r, i, 7);
		g->kind = kind_of(PQgetvalue(r, i, 8));
		g->dataset = dupv(r, i, 9);
		g->scope = dupv(r, i, 10);
		g->done = dupv(r, i, 11);
		g->total = dupv(r, i, 12);
		g->legend = dupv(r, i, 13);
		g->special_reason = dupv(r, i, 14);
		g->exempt_reason = dupv(r, i, 15);
		g->own_scope = dupv(r, i, 16);
		g->extended_deadline = dupv(r, i, 17);
		g->has_target = boolv(r, i, 18);
	}
	PQclear(r);
	r = kdx_db_query(db, "SELECT i.goal, i.code, i.name, i.in_target, coalesce(i.need, 'required')"
	                     " FROM kdx.goal_item i JOIN kdx.goal g ON g.id = i.goal ORDER BY g.ord, i.ord, i.code",
	                 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	for (int i = 0, gi = 0; i < PQntuples(r); i++) {
		while (gi < KDX_NGOALS && strcmp(d->goals[gi].id, PQgetvalue(r, i, 0)))
			gi++;
		if (gi == KDX_NGOALS)
			break;
		kdx_goal_table *g = &d->goals[gi];
		g->items = kdx_xrealloc(g->items, (size_t)(g->nitems + 1) * sizeof *g->items);
		kdx_goal_item *it = &g->items[g->nitems++];
		it->code = dupv(r, i, 1);
		it->name = dupv(r, i, 2);
		it->in_target = boolv(r, i, 3);
		it->need = need_of(PQgetvalue(r, i, 4));
	}
	PQclear(r);
	return KDX_OK;
}

/* Goal g's table for the session's council and, in the national view, every
 * prefecture's, and its history. */
static kdx_status load_goal(kdx_db *db, kdx_report_data *d, kdx_goal_table *g, kdx_error **err)
{
	const char *p[] = { g->id, d->asof_iso };
	PGresult *r;
	int gi = (int)(g - d->goals);
	/* the session's council, and in the national view every prefecture's, in one pass */
	r = kdx_db_query(db,
		"SELECT council, code, name, short_name, denominator, numerator, coalesce(rate, 0), display, status,"
		" coalesce(remaining, 0), coalesce(rank, 0), coalesce(survey_date::text, ''), coalesce(stale, false),"
		" change_pt IS NOT NULL, coalesce(change_pt, 0), coalesce(prev_display, ''), coalesce(projected_date::text, ''),"
		" coalesce(caution, false), own_denominator IS NOT NULL, coalesce(own_denominator, 0), coalesce(own_numerator, 0),"
		" coalesce(own_display, ''), coalesce(achieved_count, 0), coalesce(in_scope_count, 0), deadline,"
		" coalesce(prev_survey_date::text, ''), coalesce(outlook_items, ''), coalesce(needed, ''),"
		" coalesce(prev_numerator, 0), prev_denominator, prev_count, submitted_count, coalesce(compared_numerator, 0),"
		" coalesce(compared_denominator, 0), coalesce(compared_display, '')"
		" FROM kdx.goal_table_councils($1, $2)", 2, p, err);
	if (!r)
		return KDX_EINTERNAL;
	int n = PQntuples(r);
	for (int i = 0; i < n;) {
		const char *cc = PQgetvalue(r, i, 0);
		int j = i;
		while (j < n && !strcmp(PQgetvalue(r, j, 0), cc))
			j++;
		kdx_goal_row *rows = kdx_xcalloc((size_t)(j - i), sizeof *rows);
		for (int k = i; k < j; k++)
			parse_goal_row(r, k, &rows[k - i]);
		if (!strcmp(cc, d->pref_code)) {
			g->rows = rows;
			g->nrows = j - i;
			g->achieved_count = intv(r, i, 22);
			g->in_scope_count = intv(r, i, 23);
			prev_total(&rows[0], &g->prev_asof, &g->prev_total_display, &g->has_prev_total);
		} else {
			kdx_council_part *cp = council_part(d, cc);
			cp->rows[gi] = rows;
			cp->nrows[gi] = j - i;
			cp->achieved_count[gi] = intv(r, i, 22);
			cp->in_scope_count[gi] = intv(r, i, 23);
			prev_total(&rows[0], &cp->prev_asof[gi], &cp->prev_total_display[gi], &cp->has_prev_total[gi]);
		}
		i = j;
	}
	PQclear(r);
	if (!g->rows)
		return kdx_fail(err, KDX_EINTERNAL, "goal_table_councils gave no rows for council %s", d->pref_code);
	PGresult *h = kdx_db_query(db, "SELECT code, survey_date::text, coalesce(rate, 0), valid, numerator, denominator, status"
		                             " FROM kdx.goal_history($1, $2)", 2, p, err);
	if (!h)
		return KDX_EINTERNAL;
	g->nhist = PQntuples(h);
	g->hist = kdx_xcalloc((size_t)g->nhist + 1, sizeof *g->hist);
	for (int i = 0; i < g->nhist; i++) {
		snprintf(g->hist[i].code, sizeof g->hist[i].code, "%s", PQgetvalue(h, i, 0));
		snprintf(g->hist[i].date, sizeof g->hist[i].date, "%s", PQgetvalue(h, i, 1));
		g->hist[i].rate = atof(PQgetvalue(h, i, 2));
		g->hist[i].valid = boolv(h, i, 3);
		g->hist[i].num = intv(h, i, 4);
		g->hist[i].den = intv(h, i, 5);
		snprintf(g->hist[i].status, sizeof g->hist[i].status, "%s", PQgetvalue(h, i, 6));
	}
	PQclear(h);
	return KDX_OK;
}

/*
 * The queries that do not need the goal tables (procedures, details, findings,
 * ledger, changes, the data's fingerprint) run on a second connection, in a
 * thread of their own, while the first connection computes the goal tables:
 * the warehouse works on both at once.  Without a second connection they run
 * after the goals on the first.  Their results are read in this order below.
 */
enum { Q_PROCS, Q_DETAILS, Q_QUALITY, Q_LEDGER, Q_CHANGES, Q_HASH, NSIDE };
static const char *const side_sql[NSIDE] = {
	[Q_PROCS] =
		"SELECT p.id, p.category || ' ' || p.name, m.code,"
		" CASE WHEN d.done THEN '済' WHEN d.item_kind = '所掌外' THEN '所掌外' WHEN d.muni_code IS NULL THEN ''"
		" WHEN d.item_kind = '準備中' THEN '準備中' ELSE '未着手' END"
		" FROM kdx.procedure p CROSS JOIN kdx.council_municipalities() m"
		" LEFT JOIN kdx.goal_detail((SELECT id FROM kdx.goal WHERE kind = 'plan_rate' ORDER BY ord LIMIT 1), $1) d"
		" ON d.muni_code = m.code AND d.item_key = p.id"
		" WHERE p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year($1) ORDER BY p.ord, m.code",
	[Q_DETAILS] =
		"SELECT g.id, d.muni_code, d.item_key, d.item_name, d.item_kind, coalesce(d.note, ''), d.in_scope, d.in_own_scope, d.done,"
		" d.exempt, coalesce(d.item_need, 'required')"
		" FROM kdx.goal g CROSS JOIN LATERAL kdx.goal_detail(g.id, $1) d"
		/* a checklist's items in the master's order (the seed's), the rest by key */
		" LEFT JOIN kdx.goal_item gi ON gi.goal = g.id AND gi.code = d.item_key"
		" ORDER BY g.ord, d.muni_code, gi.ord NULLS FIRST, d.item_key",
	[Q_QUALITY] = "SELECT code, name, dataset, kind, message FROM kdx.quality_findings($1)",
	[Q_LEDGER] =
		"SELECT code, name, dataset, coalesce(survey_date::text, ''), coalesce(file_name, ''), state"
		" FROM kdx.ledger($1) ORDER BY code, dataset_ord",
	[Q_CHANGES] =
		"SELECT code, name, dataset, prev_survey_date, survey_date, item, before, after FROM kdx.changes_asof($1)",
	/* the data's fingerprint: the source files of the submissions in use, per
	 * council (the grand total is the national view's) */
	[Q_HASH] =
		"SELECT m.pref_code, encode(sha256(convert_to(coalesce(string_agg(s.dataset || ':' || s.muni_code || ':' || s.survey_date || ':' || b.sha256, E'\\n'"
		" ORDER BY s.dataset, s.muni_code), ''), 'UTF8')), 'hex')"
		" FROM kdx.submission_asof($1) s JOIN kdx.load_batch b ON b.id = s.batch_id"
		" JOIN kdx.municipality m ON m.code = s.muni_code GROUP BY ROLLUP (m.pref_code)",
};

struct side {
	kdx_db *db;
	const char *asof_iso;
	PGresult *r[NSIDE];
	kdx_status st;
	kdx_error *err;
};

/* A result of the side, which the caller now owns. */
static PGresult *side_take(struct side *s, int q)
{
	PGresult *r = s->r[q];
	s->r[q] = NULL;
	return r;
}

static void *side_run(void *arg)
{
	struct side *s = arg;
	const char *p[] = { s->asof_iso };
	for (int i = 0; i < NSIDE && s->st == KDX_OK; i++)
		if (!(s->r[i] = kdx_db_query(s->db, side_sql[i], 1, p, &s->err)))
			s->st = KDX_EINTERNAL;
	return NULL;
}

/* The procedures matrix: a row per procedure, a cell per municipality. */
static void take_procedures(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_PROCS);
	int nm = d->goals[0].nrows - 1;
	d->nprocs = nm > 0 ? PQntuples(r) / nm : 0;
	d->proc_ids = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_ids);
	d->proc_names = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_names);
	d->proc_cells = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_cells);
	for (int i = 0; i < d->nprocs; i++) {
		d->proc_ids[i] = dupv(r, i * nm, 0);
		d->proc_names[i] = dupv(r, i * nm, 1);
		d->proc_cells[i] = kdx_xcalloc((size_t)nm, sizeof **d->proc_cells);
		for (int j = 0; j < nm; j++)
			d->proc_cells[i][j] = dupv(r, i * nm + j, 3);
	}
	PQclear(r);
}

/* The rows behind every goal's figures, and each goal's block of them. */
static void take_details(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_DETAILS);
	d->ndetails = PQntuples(r);
	d->details = kdx_xcalloc((size_t)d->ndetails + 1, sizeof *d->details);
	for (int i = 0; i < d->ndetails; i++) {
		kdx_detail_row *x = &d->details[i];
		x->goal = dupv(r, i, 0);
		x->muni_code = dupv(r, i, 1);
		x->key = dupv(r, i, 2);
		x->name = dupv(r, i, 3);
		x->kind = dupv(r, i, 4);
		x->note = dupv(r, i, 5);
		x->in_scope = boolv(r, i, 6);
		x->in_own_scope = boolv(r, i, 7);
		x->done = boolv(r, i, 8);
		x->exempt = boolv(r, i, 9);
		x->need = need_of(PQgetvalue(r, i, 10));
	}
	PQclear(r);
	/* each goal's block (the rows come in goal order) */
	for (int gi = 0, i = 0; gi < KDX_NGOALS; gi++) {
		d->detail_start[gi] = i;
		while (i < d->ndetails && !strcmp(d->details[i].goal, d->goals[gi].id))
			i++;
		d->detail_end[gi] = i;
	}
}

/* Data-quality findings. */
static void take_quality(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_QUALITY);
	d->nquality = PQntuples(r);
	d->quality = kdx_xcalloc((size_t)d->nquality + 1, sizeof *d->quality);
	for (int i = 0; i < d->nquality; i++) {
		d->quality[i].code = dupv(r, i, 0);
		d->quality[i].name = dupv(r, i, 1);
		d->quality[i].dataset = dupv(r, i, 2);
		d->quality[i].kind = dupv(r, i, 3);
		d->quality[i].message = dupv(r, i, 4);
	}
	PQclear(r);
}

/* The submission ledger. */
static void take_ledger(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_LEDGER);
	d->nledger = PQntuples(r);
	d->ledger = kdx_xcalloc((size_t)d->nledger + 1, sizeof *d->ledger);
	for (int i = 0; i < d->nledger; i++) {
		d->ledger[i].code = dupv(r, i, 0);
		d->ledger[i].name = dupv(r, i, 1);
		d->ledger[i].dataset = dupv(r, i, 2);
		d->ledger[i].survey_date = dupv(r, i, 3);
		d->ledger[i].file = dupv(r, i, 4);
		d->ledger[i].state = dupv(r, i, 5);
	}
	PQclear(r);
}

/* The rows that changed against each municipality's previous submission. */
static void take_changes(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_CHANGES);
	d->nchanges = PQntuples(r);
	d->changes = kdx_xcalloc((size_t)d->nchanges + 1, sizeof *d->changes);
	for (int i = 0; i < d->nchanges; i++) {
		kdx_change_row *c = &d->changes[i];
		c->code = dupv(r, i, 0);
		c->name = dupv(r, i, 1);
		c->dataset = dupv(r, i, 2);
		c->prev_survey_date = dupv(r, i, 3);
		c->survey_date = dupv(r, i, 4);
		c->item = dupv(r, i, 5);
		c->before = dupv(r, i, 6);
		c->after = dupv(r, i, 7);
	}
	PQclear(r);
}

/* The data's fingerprint, per council; the hash of nothing where there is no submission. */
static void take_hashes(kdx_report_data *d, struct side *side)
{
	PGresult *r;
	r = side_take(side, Q_HASH);
	bool national = !strcmp(d->pref_code, "000000");
	for (int i = 0; i < PQntuples(r); i++) {
		bool total = PQgetisnull(r, i, 0);
		if ((national && total) || (!national && !total && !strcmp(PQgetvalue(r, i, 0), d->pref_code)))
			d->data_hash = dupv(r, i, 1);
		for (int c = 0; c < d->ncouncils && !total; c++)
			if (!strcmp(PQgetvalue(r, i, 0), d->councils[c].code))
				d->councils[c].data_hash = dupv(r, i, 1);
	}
	PQclear(r);
	/* no submission at all: the hash of nothing */
	static const char empty_sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	if (!d->data_hash)
		d->data_hash = kdx_strdup(empty_sha);
	for (int c = 0; c < d->ncouncils; c++)
		if (!d->councils[c].data_hash)
			d->councils[c].data_hash = kdx_strdup(empty_sha);
}

/* The edition of the council's data; in the national view each prefecture's
 * council report is part of the same snapshot, and carries its number. */
static kdx_status load_editions(kdx_db *db, kdx_report_data *d, kdx_error **err)
{
	const char *p[] = { d->asof_iso, d->data_hash };
	PGresult *r = kdx_db_query(db, "SELECT kdx.edition($1, $2)", 2, p, err);
	if (!r)
		return KDX_EINTERNAL;
	kdx_report_set_edition(d, atoi(PQgetvalue(r, 0, 0)));
	PQclear(r);
	return KDX_OK;
}

void kdx_report_set_edition(kdx_report_data *d, int edition)
{
	d->edition = edition;
	for (int c = 0; c < d->ncouncils; c++)
		d->councils[c].edition = edition;
}

kdx_status kdx_report_data_load(kdx_db *db, kdx_date asof, kdx_report_data **out, kdx_error **err)
{
	kdx_report_data *d = kdx_xcalloc(1, sizeof *d);
	kdx_status st = KDX_OK;
	d->asof = asof;
	kdx_date_iso(asof, d->asof_iso, sizeof d->asof_iso);
	kdx_date_wareki(asof, d->asof_wareki, sizeof d->asof_wareki);
	struct side side = { .db = db, .asof_iso = d->asof_iso, .st = KDX_OK };
	kdx_db *twin = NULL;
	pthread_t thread;
	bool threaded = false;
	kdx_error *twin_err = NULL;
	if (kdx_db_twin(db, &twin, &twin_err) == KDX_OK) {
		side.db = twin;
		threaded = pthread_create(&thread, NULL, side_run, &side) == 0;
	}
	kdx_error_free(twin_err);  /* no second connection: the first does it all */
	PGresult *r = kdx_db_query(db, "SELECT p.code, p.name FROM kdx.prefecture p WHERE p.code = kdx.council_code()",
	                           0, NULL, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		st = kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse has no council; run \"kdx init\"");
		goto fail;
	}
	d->pref_code = dupv(r, 0, 0);
	d->pref_name = dupv(r, 0, 1);
	PQclear(r);
	if ((st = load_goal_master(db, d, err)) != KDX_OK)
		goto fail;
	for (int i = 0; i < KDX_NGOALS; i++)
		if ((st = load_goal(db, d, &d->goals[i], err)) != KDX_OK)
			goto fail;
	if (d->ncouncils > 0) {
		/* the prefectures' names */
		r = kdx_db_query(db, "SELECT code, name FROM kdx.prefecture", 0, NULL, err);
		if (!r) {
			st = KDX_EINTERNAL;
			goto fail;
		}
		for (int c = 0; c < d->ncouncils; c++)
			for (int i = 0; i < PQntuples(r); i++)
				if (!strcmp(PQgetvalue(r, i, 0), d->councils[c].code))
					d->councils[c].name = dupv(r, i, 1);
		PQclear(r);
		for (int c = 0; c < d->ncouncils; c++)
			if (!d->councils[c].name)
				d->councils[c].name = kdx_strdup(d->councils[c].code);
	}

	/* the side's results */
	if (threaded) {
		pthread_join(thread, NULL);
		threaded = false;
	} else {
		side.db = db;
		side_run(&side);
	}
	if (side.st != KDX_OK) {
		st = side.st;
		if (err) {
			*err = side.err;
			side.err = NULL;
		}
		goto fail;
	}

	take_procedures(d, &side);
	take_details(d, &side);
	take_quality(d, &side);
	take_ledger(d, &side);
	take_changes(d, &side);
	take_hashes(d, &side);
	if ((st = load_editions(db, d, err)) != KDX_OK)
		goto fail;
	*out = d;
	kdx_db_close(twin);
	return KDX_OK;
fail:
	if (threaded)
		pthread_join(thread, NULL);
	for (int i = 0; i < NSIDE; i++)
		PQclear(side.r[i]);
	kdx_error_free(side.err);
	kdx_db_close(twin);
	kdx_report_data_free(d);
	return st;
}

static void free_goal(kdx_goal_table *g)
{
	for (int i = 0; i < g->nitems; i++) {
		free(g->items[i].code);
		free(g->items[i].name);
	}
	free(g->items);
	free(g->dataset);
	free(g->scope);
	free(g->done);
	free(g->total);
	free(g->legend);
	free(g->special_reason);
	free(g->exempt_reason);
	free(g->own_scope);
	free(g->extended_deadline);
	free(g->id);
	free(g->title);
	free(g->short_title);
	free(g->unit);
	free(g->target_label);
	free(g->deadline);
	free(g->prev_asof);
	free(g->prev_total_display);
	free_goal_rows(g->rows, g->nrows);
	free(g->hist);
}

void kdx_report_data_free(kdx_report_data *d)
{
	if (!d)
		return;
	for (int i = 0; i < KDX_NGOALS; i++)
		free_goal(&d->goals[i]);
	int nm = d->goals[0].nrows > 0 ? d->goals[0].nrows - 1 : 0;
	for (int i = 0; i < d->nprocs; i++) {
		free(d->proc_ids[i]);
		free(d->proc_names[i]);
		for (int j = 0; j < nm; j++)
			free(d->proc_cells[i][j]);
		free(d->proc_cells[i]);
	}
	free(d->proc_ids);
	free(d->proc_names);
	free(d->proc_cells);
	for (int i = 0; i < d->ndetails; i++) {
		kdx_detail_row *x = &d->details[i];
		free(x->goal);
		free(x->muni_code);
		free(x->key);
		free(x->name);
		free(x->kind);
		free(x->note);
	}
	free(d->details);
	for (int i = 0; i < d->nquality; i++) {
		free(d->quality[i].code);
		free(d->quality[i].name);
		free(d->quality[i].dataset);
		free(d->quality[i].kind);
		free(d->quality[i].message);
	}
	free(d->quality);
	for (int i = 0; i < d->nledger; i++) {
		free(d->ledger[i].code);
		free(d->ledger[i].name);
		free(d->ledger[i].dataset);
		free(d->ledger[i].survey_date);
		free(d->ledger[i].file);
		free(d->ledger[i].state);
	}
	free(d->ledger);
	for (int i = 0; i < d->nchanges; i++) {
		kdx_change_row *c = &d->changes[i];
		free(c->code);
		free(c->name);
		free(c->dataset);
		free(c->prev_survey_date);
		free(c->survey_date);
		free(c->item);
		free(c->before);
		free(c->after);
	}
	free(d->changes);
	free(d->pref_code);
	free(d->pref_name);
	free(d->data_hash);
	for (int c = 0; c < d->ncouncils; c++) {
		kdx_council_part *cp = &d->councils[c];
		for (int gi = 0; gi < KDX_NGOALS; gi++) {
			free_goal_rows(cp->rows[gi], cp->nrows[gi]);
			free(cp->prev_asof[gi]);
			free(cp->prev_total_display[gi]);
		}
		free(cp->name);
		free(cp->data_hash);
	}
	free(d->councils);
	free(d);
}

/* The council's goal tables: its own rows, totals and members' history. */
static void council_goals(kdx_report_data *d, const kdx_report_data *nat, const kdx_council_part *cp)
{
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		const kdx_goal_table *ng = &nat->goals[gi];
		kdx_goal_table *g = &d->goals[gi];
		g->id = kdx_strdup(ng->id);
		g->kind = ng->kind;
		g->dataset = kdx_strdup(ng->dataset);
		g->scope = kdx_strdup(ng->scope);
		g->done = kdx_strdup(ng->done);
		g->total = kdx_strdup(ng->total);
		g->legend = kdx_strdup(ng->legend);
		g->special_reason = kdx_strdup(ng->special_reason);
		g->exempt_reason = kdx_strdup(ng->exempt_reason);
		g->own_scope = kdx_strdup(ng->own_scope);
		g->extended_deadline = kdx_strdup(ng->extended_deadline);
		g->nitems = ng->nitems;
		g->items = kdx_xcalloc((size_t)ng->nitems + 1, sizeof *g->items);
		for (int k = 0; k < ng->nitems; k++) {
			g->items[k] = ng->items[k];
			g->items[k].code = kdx_strdup(ng->items[k].code);
			g->items[k].name = kdx_strdup(ng->items[k].name);
		}
		g->title = kdx_strdup(ng->title);
		g->short_title = kdx_strdup(ng->short_title);
		g->unit = kdx_strdup(ng->unit);
		g->target_label = kdx_strdup(ng->target_label);
		g->target = ng->target;
		g->has_target = ng->has_target;
		g->deadline = kdx_strdup(ng->deadline);
		g->ord = ng->ord;
		g->nrows = cp->nrows[gi];
		g->rows = kdx_xcalloc((size_t)g->nrows + 1, sizeof *g->rows);
		for (int i = 0; i < g->nrows; i++)
			copy_goal_row(&g->rows[i], &cp->rows[gi][i]);
		g->achieved_count = cp->achieved_count[gi];
		g->in_scope_count = cp->in_scope_count[gi];
		g->prev_asof = kdx_strdup(cp->prev_asof[gi]);
		g->prev_total_display = kdx_strdup(cp->prev_total_display[gi]);
		g->has_prev_total = cp->has_prev_total[gi];
		/* each member's history, in code order as the national history is */
		g->hist = kdx_xcalloc((size_t)ng->nhist + 1, sizeof *g->hist);
		for (int i = 1; i < g->nrows; i++) {
			int k = 0;
			int first = hist_run(ng, g->rows[i].code, &k);
			memcpy(g->hist + g->nhist, ng->hist + first, (size_t)k * sizeof *g->hist);
			g->nhist += k;
		}
	}
}

/* The procedures matrix of the members: col[j] is member j's column in nat's. */
static void council_procedures(kdx_report_data *d, const kdx_report_data *nat, const int *col, int nm)
{
	d->nprocs = nat->nprocs;
	d->proc_ids = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_ids);
	d->proc_names = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_names);
	d->proc_cells = kdx_xcalloc((size_t)d->nprocs + 1, sizeof *d->proc_cells);
	for (int i = 0; i < d->nprocs; i++) {
		d->proc_ids[i] = kdx_strdup(nat->proc_ids[i]);
		d->proc_names[i] = kdx_strdup(nat->proc_names[i]);
		d->proc_cells[i] = kdx_xcalloc((size_t)nm + 1, sizeof **d->proc_cells);
		for (int j = 0; j < nm; j++)
			d->proc_cells[i][j] = kdx_strdup(col[j] >= 0 ? nat->proc_cells[i][col[j]] : "");
	}
}

/* Details: goal by goal, member by member (the national order). */
static void council_details(kdx_report_data *d, const kdx_report_data *nat, int nm)
{
	int cap = 0;
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		for (int j = 0; j < nm; j++) {
			int n = 0;
			kdx_report_details(nat, gi, d->goals[0].rows[j + 1].code, &n);
			cap += n;
		}
	d->details = kdx_xcalloc((size_t)cap + 1, sizeof *d->details);
	for (int gi = 0; gi < KDX_NGOALS; gi++) {
		d->detail_start[gi] = d->ndetails;
		for (int j = 0; j < nm; j++) {
			int n = 0;
			const kdx_detail_row *xs = kdx_report_details(nat, gi, d->goals[0].rows[j + 1].code, &n);
			for (int k = 0; k < n; k++) {
				kdx_detail_row *x = &d->details[d->ndetails++];
				*x = xs[k];
				x->goal = kdx_strdup(xs[k].goal);
				x->muni_code = kdx_strdup(xs[k].muni_code);
				x->key = kdx_strdup(xs[k].key);
				x->name = kdx_strdup(xs[k].name);
				x->kind = kdx_strdup(xs[k].kind);
				x->note = kdx_strdup(xs[k].note);
			}
		}
		d->detail_end[gi] = d->ndetails;
	}
}

/* Findings, ledger and changes of the members, in their national order. */
static void council_member_rows(kdx_report_data *d, const kdx_report_data *nat)
{
	d->quality = kdx_xcalloc((size_t)nat->nquality + 1, sizeof *d->quality);
	for (int i = 0; i < nat->nquality; i++) {
		const kdx_quality_row *q = &nat->quality[i];
		if (kdx_report_muni_index(d, q->code) < 0)
			continue;
		kdx_quality_row *w = &d->quality[d->nquality++];
		w->code = kdx_strdup(q->code);
		w->name = kdx_strdup(q->name);
		w->dataset = kdx_strdup(q->dataset);
		w->kind = kdx_strdup(q->kind);
		w->message = kdx_strdup(q->message);
	}
	d->ledger = kdx_xcalloc((size_t)nat->nledger + 1, sizeof *d->ledger);
	for (int i = 0; i < nat->nledger; i++) {
		const kdx_ledger_row *l = &nat->ledger[i];
		if (kdx_report_muni_index(d, l->code) < 0)
			continue;
		kdx_ledger_row *w = &d->ledger[d->nledger++];
		w->code = kdx_strdup(l->code);
		w->name = kdx_strdup(l->name);
		w->dataset = kdx_strdup(l->dataset);
		w->survey_date = kdx_strdup(l->survey_date);
		w->file = kdx_strdup(l->file);
		w->state = kdx_strdup(l->state);
	}
	d->changes = kdx_xcalloc((size_t)nat->nchanges + 1, sizeof *d->changes);
	for (int i = 0; i < nat->nchanges; i++) {
		const kdx_change_row *c = &nat->changes[i];
		if (kdx_report_muni_index(d, c->code) < 0)
			continue;
		kdx_change_row *w = &d->changes[d->nchanges++];
		w->code = kdx_strdup(c->code);
		w->name = kdx_strdup(c->name);
		w->dataset = kdx_strdup(c->dataset);
		w->prev_survey_date = kdx_strdup(c->prev_survey_date);
		w->survey_date = kdx_strdup(c->survey_date);
		w->item = kdx_strdup(c->item);
		w->before = kdx_strdup(c->before);
		w->after = kdx_strdup(c->after);
	}
}

kdx_report_data *kdx_report_data_council(const kdx_report_data *nat, int ci)
{
	const kdx_council_part *cp = &nat->councils[ci];
	kdx_report_data *d = kdx_xcalloc(1, sizeof *d);
	d->asof = nat->asof;
	memcpy(d->asof_iso, nat->asof_iso, sizeof d->asof_iso);
	memcpy(d->asof_wareki, nat->asof_wareki, sizeof d->asof_wareki);
	d->pref_code = kdx_strdup(cp->code);
	d->pref_name = kdx_strdup(cp->name);
	d->data_hash = kdx_strdup(cp->data_hash);
	d->edition = cp->edition;
	council_goals(d, nat, cp);
	/* the members: rows 1.. of any goal, in code order; their columns in the national data */
	int nm = d->goals[0].nrows - 1;
	int *col = kdx_xcalloc((size_t)nm + 1, sizeof *col);
	for (int j = 0; j < nm; j++)
		col[j] = kdx_report_muni_index(nat, d->goals[0].rows[j + 1].code) - 1;
	council_procedures(d, nat, col, nm);
	council_details(d, nat, nm);
	free(col);
	council_member_rows(d, nat);
	return d;
}

/* Rows after the 全体 row are in code order (goal_table's ORDER BY). */
int kdx_report_muni_index(const kdx_report_data *d, const char *code)
{
	int lo = 1, hi = d->goals[0].nrows - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int c = strcmp(d->goals[0].rows[mid].code, code);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}


const kdx_detail_row *kdx_report_details(const kdx_report_data *d, int gi, const char *code, int *n)
{
	int start = d->detail_start[gi], end = d->detail_end[gi];
	if (code) {
#define DKEY(i) d->details[i].muni_code
		int lo = start, hi = end;
		LOWER_BOUND(lo, hi, DKEY, code);
		int first = lo;
		int last = first;
		while (last < end && !strcmp(d->details[last].muni_code, code))
			last++;
#undef DKEY
		start = first;
		end = last;
	}
	*n = end - start;
	return d->details + start;
}

/* The ledger comes in code order (kdx.ledger ORDER BY code, dataset_ord). */
const kdx_ledger_row *kdx_report_ledger(const kdx_report_data *d, const char *code, int *n)
{
#define LKEY(i) d->ledger[i].code
	int lo = 0, hi = d->nledger;
	LOWER_BOUND(lo, hi, LKEY, code);
#undef LKEY
	int end = lo;
	while (end < d->nledger && !strcmp(d->ledger[end].code, code))
		end++;
	*n = end - lo;
	return d->ledger + lo;
}

void kdx_history_get(const kdx_report_data *d, int gi, const char *code, kdx_history *h)
{
	const kdx_goal_table *g = &d->goals[gi];
	memset(h, 0, sizeof *h);
	int n = 0;
	int first = hist_run(g, code, &n);
	h->n = n;
	h->dates = kdx_xcalloc((size_t)n + 1, sizeof *h->dates);
	h->rates = kdx_xcalloc((size_t)n + 1, sizeof *h->rates);
	h->valid = kdx_xcalloc((size_t)n + 1, sizeof *h->valid);
	h->nums = kdx_xcalloc((size_t)n + 1, sizeof *h->nums);
	h->dens = kdx_xcalloc((size_t)n + 1, sizeof *h->dens);
	h->statuses = kdx_xcalloc((size_t)n + 1, sizeof *h->statuses);
	for (int i = 0; i < n; i++) {
		const kdx_hist_point *p = &g->hist[first + i];
		h->dates[i] = kdx_strdup(p->date);
		h->rates[i] = p->rate;
		h->valid[i] = p->valid;
		h->nums[i] = p->num;
		h->dens[i] = p->den;
		h->statuses[i] = kdx_strdup(p->status);
	}
}

void kdx_history_free(kdx_history *h)
{
	for (int i = 0; i < h->n; i++) {
		free(h->dates[i]);
		free(h->statuses[i]);
	}
	free(h->dates);
	free(h->rates);
	free(h->valid);
	free(h->nums);
	free(h->dens);
	free(h->statuses);
	memset(h, 0, sizeof *h);
}

void kdx_goal_chart(const kdx_goal_table *g, kdx_chart_goal_data *out)
{
	kdx_chart_bar *bars = kdx_xcalloc((size_t)(g->nrows > 1 ? g->nrows - 1 : 1), sizeof *bars);
	for (int i = 0; i < g->nrows; i++) {
		const kdx_goal_row *r = &g->rows[i];
		kdx_chart_bar b = { r->short_name, r->display, r->rate, r->den > 0, r->status };
		if (i == 0)
			out->overall = b;
		else
			bars[i - 1] = b;
	}
	out->title = g->title;
	out->target = g->target;
	out->target_label = g->target_label;
	out->bars = bars;
	out->nbars = g->nrows > 0 ? g->nrows - 1 : 0;
}

void kdx_goal_chart_free(kdx_chart_goal_data *c)
{
	free((void *)c->bars);
	c->bars = NULL;
	c->nbars = 0;
}

bool kdx_goal_is_checklist(const kdx_goal_table *g)
{
	return g->kind == KDX_GOAL_CHECKLIST;
}

int kdx_report_plan_goal(const kdx_report_data *d)
{
	for (int gi = 0; gi < KDX_NGOALS; gi++)
		if (d->goals[gi].kind == KDX_GOAL_PLAN_RATE)
			return gi;
	return -1;
}
