/* render.c - write every report of an as-of date (see render.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kdx/layout.h"
#include "kdx/render.h"
#include "kdx/web.h"
#include "kdx/fsutil.h"
#include "kdx/report.h"
#include "kdx/chart.h"
#include "kdx/xlsxout.h"
#include "kdx/workers.h"

/* the municipalities a slide's checklist has a column each for (a larger
 * council's slide counts them by item) */
#define KDX_SLIDE_GRID_COLUMNS 24

struct job {
	const kdx_present *p;
	int mi;
	int gi;
	const char *png;
};

static kdx_status w_council_pdf(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_report_council_pdf(j->p, tmp, err);
}

static kdx_status w_council_xlsx(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_xlsx_council(j->p, tmp, err);
}

static kdx_status w_muni_pdf(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_report_muni_pdf(j->p, j->mi, tmp, err);
}

static kdx_status w_muni_xlsx(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_xlsx_muni(j->p, j->mi, tmp, err);
}

static kdx_status w_chart_svg(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	char *png_tmp = kdx_strdup_printf("%s.tmp%ld", j->png, (long)getpid());
	kdx_status st;
	if (kdx_goal_is_checklist(&j->p->rd->goals[j->gi])) {
		/* a checklist goal's slide is its checklist, never bars of n/k (SPEC §2) */
		kdx_chart_grid_data grid;
		kdx_checklist_grid(j->p, j->gi, KDX_SLIDE_GRID_COLUMNS, &grid);
		st = kdx_chart_grid_files(&grid, png_tmp, tmp, err);
		kdx_checklist_grid_free(&grid);
	} else {
		kdx_chart_goal_data chart;
		kdx_goal_chart(&j->p->rd->goals[j->gi], &chart);
		st = kdx_chart_goal_files(&chart, png_tmp, tmp, err);
		kdx_goal_chart_free(&chart);
	}
	if (st == KDX_OK && rename(png_tmp, j->png) != 0)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", j->png, strerror(errno));
	if (st != KDX_OK)
		unlink(png_tmp);
	free(png_tmp);
	return st;
}

/* The council report of p into dir/council and its charts into dir/charts. */
static kdx_status render_council(const kdx_present *p, const char *dir, kdx_error **err)
{
	const kdx_report_data *rd = p->rd;
	kdx_status st = KDX_OK;
	char *dirs[2] = { kdx_strdup_printf("%s/" KDX_OUT_COUNCIL, dir), kdx_strdup_printf("%s/" KDX_OUT_CHARTS, dir) };
	for (int i = 0; i < 2; i++)
		if (kdx_mkdirs(dirs[i], 0750) != 0 && st == KDX_OK)
			st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dirs[i], strerror(errno));
	free(dirs[0]);
	free(dirs[1]);
	if (st != KDX_OK)
		return st;
	struct job j = { p, 0, 0, NULL };
	char *pdf = kdx_strdup_printf("%s/" KDX_OUT_COUNCIL "/%s_こども政策DX進捗.pdf", dir, rd->asof_iso);
	char *xlsx = kdx_strdup_printf("%s/" KDX_OUT_COUNCIL "/%s_こども政策DX進捗.xlsx", dir, rd->asof_iso);
	st = kdx_write_via_tmp(pdf, w_council_pdf, &j, err);
	if (st == KDX_OK)
		st = kdx_write_via_tmp(xlsx, w_council_xlsx, &j, err);
	free(pdf);
	free(xlsx);
	for (int gi = 0; gi < 6 && st == KDX_OK; gi++) {
		char *png = kdx_strdup_printf("%s/" KDX_OUT_CHARTS "/%s.png", dir, rd->goals[gi].id);
		char *svg = kdx_strdup_printf("%s/" KDX_OUT_CHARTS "/%s.svg", dir, rd->goals[gi].id);
		j.gi = gi;
		j.png = png;
		st = kdx_write_via_tmp(svg, w_chart_svg, &j, err);
		free(png);
		free(svg);
	}
	return st;
}

/*
 * The work, as a list of tasks: the council report first (the largest), then
 * each prefecture's council report in the national view, then the wanted
 * municipalities.  Workers take the next task from a shared counter, so a
 * long council report does not leave the other workers idle.
 */
struct tasks {
	const kdx_present *p;
	const char *outdir;
	bool council;
	int ncouncils;
	int *munis;
	int nmunis;
};

static int ntasks(const struct tasks *t)
{
	return (t->council ? 2 + t->ncouncils : 0) + t->nmunis;
}

static kdx_status run_task(const struct tasks *t, int k, kdx_error **err)
{
	const kdx_report_data *rd = t->p->rd;
	if (t->council) {
		if (k == 0)
			return render_council(t->p, t->outdir, err);
		if (k == 1)  /* the web edition: a task of its own beside the council report */
			return kdx_web_write(t->p, t->outdir, err);
		if (k <= 1 + t->ncouncils) {
			const kdx_council_part *cp = &rd->councils[k - 2];
			kdx_report_data *cd = kdx_report_data_council(rd, k - 2);
			kdx_present *cpres = kdx_present_new(cd);
			char *dir = kdx_strdup_printf("%s/" KDX_OUT_COUNCILS "/%s_%s", t->outdir, cp->code, cp->name);
			kdx_status st = render_council(cpres, dir, err);
			if (st == KDX_OK)
				st = kdx_web_write(cpres, dir, err);
			free(dir);
			kdx_present_free(cpres);
			kdx_report_data_free(cd);
			return st;
		}
		k -= 2 + t->ncouncils;
	}
	int mi = t->munis[k];
	const kdx_goal_row *r = &rd->goals[0].rows[mi];
	struct job j = { t->p, mi, 0, NULL };
	char *pdf = kdx_strdup_printf("%s/" KDX_OUT_MUNIS "/%s_%s.pdf", t->outdir, r->code, r->name);
	char *xlsx = kdx_strdup_printf("%s/" KDX_OUT_MUNIS "/%s_%s.xlsx", t->outdir, r->code, r->name);
	kdx_status st = kdx_write_via_tmp(pdf, w_muni_pdf, &j, err);
	if (st == KDX_OK)
		st = kdx_write_via_tmp(xlsx, w_muni_xlsx, &j, err);
	free(pdf);
	free(xlsx);
	return st;
}

static kdx_status run_tasks(void *ctx, int *next, kdx_error **err)
{
	const struct tasks *t = ctx;
	kdx_status st = KDX_OK;
	int n = ntasks(t);
	for (;;) {
		int k = kdx_workers_next(next);
		if (k >= n || (st = run_task(t, k, err)) != KDX_OK)
			break;
	}
	return st;
}

/*
 * Editions (SPEC §5): outdir/.edition names the edition whose reports are in
 * outdir.  Reports of other figures never replace them silently: the earlier
 * edition's folders move to outdir/第<n>版_<hash>/ and kdx says so.
 */
#define EDITION_MARK ".edition"
static kdx_status keep_earlier_edition(const kdx_report_data *rd, const char *outdir, kdx_error **err)
{
	char *mark = kdx_strdup_printf("%s/" EDITION_MARK, outdir);
	FILE *fp = fopen(mark, "r");
	int seq = 0;
	char hash[65] = "";
	if (fp) {
		if (fscanf(fp, "%d %64s", &seq, hash) != 2)
			hash[0] = '\0';
		fclose(fp);
	}
	kdx_status st = KDX_OK;
	if (hash[0] && strcmp(hash, rd->data_hash)) {
		static const char *const parts[] = { KDX_OUT_COUNCIL, KDX_OUT_MUNIS, KDX_OUT_CHARTS, KDX_OUT_WEB, KDX_OUT_COUNCILS };
		char *keep = NULL;
		struct stat sb;
		for (int k = 1; !keep || stat(keep, &sb) == 0; k++) {
			free(keep);
			keep = k == 1 ? kdx_strdup_printf("%s/第%d版_%.12s", outdir, seq, hash)
			              : kdx_strdup_printf("%s/第%d版_%.12s_%d", outdir, seq, hash, k);
		}
		if (kdx_mkdirs(keep, 0750) != 0)
			st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", keep, strerror(errno));
		for (int i = 0; i < 5 && st == KDX_OK; i++) {
			char *from = kdx_strdup_printf("%s/%s", outdir, parts[i]);
			char *to = kdx_strdup_printf("%s/%s", keep, parts[i]);
			if (stat(from, &sb) == 0 && rename(from, to) != 0)
				st = kdx_fail(err, KDX_EIO, "could not keep \"%s\" as \"%s\": %s", from, to, strerror(errno));
			free(from);
			free(to);
		}
		if (st == KDX_OK)
			kdx_log_warning("%s held the reports of another edition (第%d版, data %.12s); they are kept in %s,"
			                " and this edition (第%d版, data %.12s) is written beside them",
			                outdir, seq, hash, keep, rd->edition, rd->data_hash);
		free(keep);
	}
	if (st == KDX_OK) {
		char *text = kdx_strdup_printf("%d %s\n", rd->edition, rd->data_hash);
		st = kdx_write_file_atomic(mark, text, strlen(text), err);
		free(text);
	}
	free(mark);
	return st;
}

kdx_status kdx_render_reports(const kdx_report_data *rd, const char *outdir, const bool *want_in, bool council, int jobs,
                              int *written, kdx_error **err)
{
	kdx_status st = KDX_OK;
	int n = rd->goals[0].nrows;
	/* what every figure shows, made once before the workers share it */
	kdx_present *p = kdx_present_new(rd);
	struct tasks t = { p, outdir, council, rd->ncouncils, kdx_xcalloc((size_t)n + 1, sizeof *t.munis), 0 };
	for (int i = 1; i < n; i++)
		if (want_in ? want_in[i] : true)
			t.munis[t.nmunis++] = i;
	*written = 0;
	if (council && kdx_mkdirs(outdir, 0750) == 0 && (st = keep_earlier_edition(rd, outdir, err)) != KDX_OK)
		goto out;
	char *dirs[3] = { kdx_strdup_printf("%s/" KDX_OUT_COUNCIL, outdir), kdx_strdup_printf("%s/" KDX_OUT_MUNIS, outdir),
	                  kdx_strdup_printf("%s/" KDX_OUT_CHARTS, outdir) };
	for (int i = 0; i < 3; i++)
		if (kdx_mkdirs(dirs[i], 0750) != 0 && st == KDX_OK)
			st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dirs[i], strerror(errno));
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	if (st != KDX_OK)
		goto out;
	int stale = kdx_remove_stale_tmp(outdir);
	if (stale)
		kdx_log_info("removed %d unfinished file%s left by an earlier run that was stopped", stale, stale == 1 ? "" : "s");
	if (jobs > ntasks(&t))
		jobs = ntasks(&t) > 0 ? ntasks(&t) : 1;
	/* workers share the loaded data (copy-on-write); they need no connection */
	st = kdx_workers_run(jobs, run_tasks, &t, "report", err);
	if (st == KDX_OK)
		*written = t.nmunis;
out:
	free(t.munis);
	kdx_present_free(p);
	return st;
}

kdx_status kdx_reports_write(kdx_db *db, const kdx_report_request *rq, kdx_report_result *res, kdx_error **err)
{
	memset(res, 0, sizeof *res);
	kdx_report_data *rd = NULL;
	kdx_status st = kdx_report_data_load(db, rq->asof, &rd, err);
	if (st != KDX_OK)
		return st;
	snprintf(res->asof_iso, sizeof res->asof_iso, "%s", rd->asof_iso);
	res->outdir = rq->out ? kdx_strdup(rq->out) : kdx_home_path(rq->home, KDX_PLACE_OUT, rd->asof_iso);
	res->data_hash = kdx_strdup(rd->data_hash);
	int n = rd->goals[0].nrows;
	bool *want = kdx_xcalloc((size_t)n, sizeof *want);
	for (int i = 1; i < n; i++)
		want[i] = rq->nmunis == 0 && !rq->council_only && (i - 1) % rq->nshards == rq->shard - 1;
	for (int k = 0; k < rq->nmunis && st == KDX_OK; k++) {
		int mi = kdx_report_muni_index(rd, rq->munis[k]);
		if (mi < 0) {
			st = kdx_fail(err, KDX_EUSAGE, "municipality \"%s\" is not in this council", rq->munis[k]);
			kdx_error_hint(*err, "Give a 6-digit code from kdx table summary.");
		} else {
			want[mi] = true;
		}
	}
	res->council = rq->nmunis == 0 && rq->shard == 1;
	res->ncouncils = res->council ? rd->ncouncils : 0;
	if (st == KDX_OK)
		st = kdx_render_reports(rd, res->outdir, want, res->council, rq->jobs, &res->written, err);
	free(want);
	kdx_report_data_free(rd);
	return st;
}

void kdx_report_result_free(kdx_report_result *res)
{
	free(res->outdir);
	free(res->data_hash);
	memset(res, 0, sizeof *res);
}
