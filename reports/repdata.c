/* repdata.c - load report data from the warehouse's goal functions. */
#include <stdlib.h>
#include <string.h>
#include "kdx/repdata.h"

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

static const char *const goal_ids[6] = { "procedures", "nursery", "platforms", "clubs", "postpartum", "pmh" };

static kdx_status load_goal(kdx_db *db, const char *iso, const char *id, kdx_goal_table *g, kdx_error **err)
{
	const char *p[] = { id, iso };
	PGresult *r = kdx_db_query(db,
		"SELECT id, title, short_title, unit, target_label, coalesce(target, 1), deadline, ord FROM kdx.goal WHERE id = $1",
		1, p, err);
	if (!r)
		return KDX_EINTERNAL;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return kdx_fail(err, KDX_EUNAVAILABLE, "goal \"%s\" is not in the master data; run \"kdx init\"", id);
	}
	g->id = dupv(r, 0, 0);
	g->title = dupv(r, 0, 1);
	g->short_title = dupv(r, 0, 2);
	g->unit = dupv(r, 0, 3);
	g->target_label = dupv(r, 0, 4);
	g->target = atof(PQgetvalue(r, 0, 5));
	g->deadline = dupv(r, 0, 6);
	g->ord = intv(r, 0, 7);
	PQclear(r);
	r = kdx_db_query(db,
		"SELECT code, name, short_name, denominator, numerator, coalesce(rate, 0), display, status, coalesce(remaining, 0),"
		" coalesce(rank, 0), coalesce(survey_date::text, ''), coalesce(stale, false), change_pt IS NOT NULL,"
		" coalesce(change_pt, 0), coalesce(prev_display, ''), coalesce(projected_date::text, ''), coalesce(caution, false),"
		" own_denominator IS NOT NULL, coalesce(own_denominator, 0), coalesce(own_numerator, 0), coalesce(own_display, ''),"
		" coalesce(achieved_count, 0), coalesce(in_scope_count, 0), deadline"
		" FROM kdx.goal_table($1, $2)", 2, p, err);
	if (!r)
		return KDX_EINTERNAL;
	g->nrows = PQntuples(r);
	g->rows = kdx_xcalloc((size_t)g->nrows, sizeof *g->rows);
	for (int i = 0; i < g->nrows; i++) {
		kdx_goal_row *w = &g->rows[i];
		snprintf(w->code, sizeof w->code, "%s", PQgetvalue(r, i, 0));
		w->name = dupv(r, i, 1);
		w->short_name = dupv(r, i, 2);
		w->submitted = !PQgetisnull(r, i, 3);
		w->den = intv(r, i, 3);
		w->num = intv(r, i, 4);
		w->rate = atof(PQgetvalue(r, i, 5));
		w->display = dupv(r, i, 6);
		w->status = dupv(r, i, 7);
		w->remaining = intv(r, i, 8);
		w->rank = intv(r, i, 9);
		w->survey_date = dupv(r, i, 10);
		w->stale = boolv(r, i, 11);
		w->has_change = boolv(r, i, 12);
		w->change_pt = intv(r, i, 13);
		w->prev_display = dupv(r, i, 14);
		w->projected = dupv(r, i, 15);
		w->caution = boolv(r, i, 16);
		w->has_own = boolv(r, i, 17);
		w->own_den = intv(r, i, 18);
		w->own_num = intv(r, i, 19);
		w->own_display = dupv(r, i, 20);
		w->deadline = dupv(r, i, 23);
		if (i == 0) {
			g->achieved_count = intv(r, i, 21);
			g->in_scope_count = intv(r, i, 22);
		}
	}
	PQclear(r);
	/* the previous round: the day before the latest survey date in use (from the
	 * rows just loaded); its 全体 is the same sum goal_table makes, over goal_rows */
	char latest[11] = "";
	for (int i = 1; i < g->nrows; i++)
		if (strcmp(g->rows[i].survey_date, latest) > 0)
			snprintf(latest, sizeof latest, "%s", g->rows[i].survey_date);
	const char *pp[] = { id, latest[0] ? latest : NULL };
	r = kdx_db_query(db,
		"SELECT ($2::date - 1)::text, kdx.pct_display(sum(numerator)::int, sum(denominator)::int),"
		" coalesce(sum(numerator)::numeric / nullif(sum(denominator), 0), 0), coalesce(sum(denominator), 0) > 0"
		" FROM kdx.goal_rows($1, $2::date - 1) WHERE $2 IS NOT NULL AND status <> '未提出'",
		2, pp, err);
	if (!r)
		return KDX_EINTERNAL;
	g->prev_asof = kdx_strdup("");
	g->prev_total_display = kdx_strdup("");
	if (PQntuples(r) == 1 && boolv(r, 0, 3)) {
		free(g->prev_asof);
		free(g->prev_total_display);
		g->prev_asof = dupv(r, 0, 0);
		g->prev_total_display = dupv(r, 0, 1);
		g->prev_total_rate = atof(PQgetvalue(r, 0, 2));
		g->has_prev_total = true;
	}
	PQclear(r);
	PGresult *h = kdx_db_query(db, "SELECT code, survey_date::text, coalesce(rate, 0), valid FROM kdx.goal_history($1, $2)", 2, p, err);
	if (!h)
		return KDX_EINTERNAL;
	g->nhist = PQntuples(h);
	g->hist = kdx_xcalloc((size_t)g->nhist + 1, sizeof *g->hist);
	for (int i = 0; i < g->nhist; i++) {
		snprintf(g->hist[i].code, sizeof g->hist[i].code, "%s", PQgetvalue(h, i, 0));
		snprintf(g->hist[i].date, sizeof g->hist[i].date, "%s", PQgetvalue(h, i, 1));
		g->hist[i].rate = atof(PQgetvalue(h, i, 2));
		g->hist[i].valid = boolv(h, i, 3);
	}
	PQclear(h);
	return KDX_OK;
}

kdx_status kdx_report_data_load(kdx_db *db, kdx_date asof, kdx_report_data **out, kdx_error **err)
{
	kdx_report_data *d = kdx_xcalloc(1, sizeof *d);
	kdx_status st = KDX_OK;
	d->asof = asof;
	kdx_date_iso(asof, d->asof_iso, sizeof d->asof_iso);
	kdx_date_wareki(asof, d->asof_wareki, sizeof d->asof_wareki);
	const char *p[] = { d->asof_iso };
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
	for (int i = 0; i < 6; i++)
		if ((st = load_goal(db, d->asof_iso, goal_ids[i], &d->goals[i], err)) != KDX_OK)
			goto fail;

	/* procedures matrix */
	r = kdx_db_query(db,
		"SELECT p.id, p.category || ' ' || p.name, m.code,"
		" CASE WHEN d.done THEN '済' WHEN d.item_kind = '所掌外' THEN '所掌外' WHEN d.muni_code IS NULL THEN '' ELSE '未' END"
		" FROM kdx.procedure p CROSS JOIN kdx.council_municipalities() m"
		" LEFT JOIN kdx.goal_detail('procedures', $1) d ON d.muni_code = m.code AND d.item_key = p.id"
		" WHERE p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year($1) ORDER BY p.ord, m.code", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
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

	/* details for every goal */
	r = kdx_db_query(db,
		"SELECT g.id, d.muni_code, d.item_key, d.item_name, d.item_kind, coalesce(d.note, ''), d.in_scope, d.in_own_scope, d.done"
		" FROM kdx.goal g CROSS JOIN LATERAL kdx.goal_detail(g.id, $1) d"
		" ORDER BY g.ord, d.muni_code, d.item_key", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
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
	}
	PQclear(r);
	/* each goal's block (the rows come in goal order) */
	for (int gi = 0, i = 0; gi < 6; gi++) {
		d->detail_start[gi] = i;
		while (i < d->ndetails && !strcmp(d->details[i].goal, d->goals[gi].id))
			i++;
		d->detail_end[gi] = i;
	}

	r = kdx_db_query(db, "SELECT code, name, dataset, kind, message FROM kdx.quality_findings($1)", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
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

	r = kdx_db_query(db, "SELECT code, name, dataset, coalesce(survey_date::text, ''), coalesce(file_name, ''), state"
	                     " FROM kdx.ledger($1) ORDER BY code, dataset_ord", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
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

	r = kdx_db_query(db, "SELECT code, name, dataset, prev_survey_date, survey_date, item, before, after"
	                     " FROM kdx.changes_asof($1)", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
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

	/* the data's fingerprint: the source files of every submission in use */
	r = kdx_db_query(db,
		"SELECT encode(sha256(convert_to(coalesce(string_agg(s.dataset || ':' || s.muni_code || ':' || s.survey_date || ':' || b.sha256, E'\\n'"
		" ORDER BY s.dataset, s.muni_code), ''), 'UTF8')), 'hex')"
		" FROM kdx.submission_asof($1) s JOIN kdx.load_batch b ON b.id = s.batch_id", 1, p, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
	d->data_hash = dupv(r, 0, 0);
	PQclear(r);
	*out = d;
	return KDX_OK;
fail:
	kdx_report_data_free(d);
	return st;
}

static void free_goal(kdx_goal_table *g)
{
	free(g->id);
	free(g->title);
	free(g->short_title);
	free(g->unit);
	free(g->target_label);
	free(g->deadline);
	free(g->prev_asof);
	free(g->prev_total_display);
	for (int i = 0; i < g->nrows; i++) {
		kdx_goal_row *w = &g->rows[i];
		free(w->name);
		free(w->short_name);
		free(w->display);
		free(w->status);
		free(w->deadline);
		free(w->survey_date);
		free(w->prev_display);
		free(w->projected);
		free(w->own_display);
	}
	free(g->rows);
	free(g->hist);
}

void kdx_report_data_free(kdx_report_data *d)
{
	if (!d)
		return;
	for (int i = 0; i < 6; i++)
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
	free(d);
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

void kdx_history_get(const kdx_report_data *d, int gi, const char *code, kdx_history *h)
{
	const kdx_goal_table *g = &d->goals[gi];
	memset(h, 0, sizeof *h);
	/* the history is in code order */
	int first = 0, hi = g->nhist, n = 0;
#define HKEY(i) g->hist[i].code
	LOWER_BOUND(first, hi, HKEY, code);
#undef HKEY
	while (first + n < g->nhist && !strcmp(g->hist[first + n].code, code))
		n++;
	h->n = n;
	h->dates = kdx_xcalloc((size_t)n + 1, sizeof *h->dates);
	h->rates = kdx_xcalloc((size_t)n + 1, sizeof *h->rates);
	h->valid = kdx_xcalloc((size_t)n + 1, sizeof *h->valid);
	for (int i = 0; i < n; i++) {
		h->dates[i] = kdx_strdup(g->hist[first + i].date);
		h->rates[i] = g->hist[first + i].rate;
		h->valid[i] = g->hist[first + i].valid;
	}
}

void kdx_history_free(kdx_history *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->dates[i]);
	free(h->dates);
	free(h->rates);
	free(h->valid);
	memset(h, 0, sizeof *h);
}
