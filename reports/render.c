/* render.c - write every report of an as-of date (see render.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kdx/render.h"
#include "kdx/fsutil.h"
#include "kdx/report.h"
#include "kdx/chart.h"
#include "kdx/xlsxout.h"

struct job {
	const kdx_report_data *rd;
	int mi;
	int gi;
	const char *png;
};

static kdx_status w_council_pdf(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_report_council_pdf(j->rd, tmp, err);
}

static kdx_status w_council_xlsx(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_xlsx_council(j->rd, tmp, err);
}

static kdx_status w_muni_pdf(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_report_muni_pdf(j->rd, j->mi, tmp, err);
}

static kdx_status w_muni_xlsx(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	return kdx_xlsx_muni(j->rd, j->mi, tmp, err);
}

static kdx_status w_chart_svg(void *c, const char *tmp, kdx_error **err)
{
	struct job *j = c;
	char *png_tmp = kdx_strdup_printf("%s.tmp%ld", j->png, (long)getpid());
	kdx_status st = kdx_chart_goal_files(&j->rd->goals[j->gi], png_tmp, tmp, err);
	if (st == KDX_OK && rename(png_tmp, j->png) != 0)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", j->png, strerror(errno));
	if (st != KDX_OK)
		unlink(png_tmp);
	free(png_tmp);
	return st;
}

/* Render the wanted municipalities whose turn k satisfies k % nworkers == w. */
static kdx_status render_munis(const kdx_report_data *rd, const char *outdir, const bool *want, int w, int nworkers,
                               int *count, kdx_error **err)
{
	kdx_status st = KDX_OK;
	int n = rd->goals[0].nrows;
	int k = 0;
	for (int mi = 1; mi < n && st == KDX_OK; mi++) {
		if (!want[mi])
			continue;
		if (k++ % nworkers != w)
			continue;
		const kdx_goal_row *r = &rd->goals[0].rows[mi];
		struct job j = { rd, mi, 0, NULL };
		char *pdf = kdx_strdup_printf("%s/municipalities/%s_%s.pdf", outdir, r->code, r->name);
		char *xlsx = kdx_strdup_printf("%s/municipalities/%s_%s.xlsx", outdir, r->code, r->name);
		st = kdx_write_via_tmp(pdf, w_muni_pdf, &j, err);
		if (st == KDX_OK)
			st = kdx_write_via_tmp(xlsx, w_muni_xlsx, &j, err);
		free(pdf);
		free(xlsx);
		(*count)++;
	}
	return st;
}

kdx_status kdx_render_reports(const kdx_report_data *rd, const char *outdir, const bool *want_in, bool council, int jobs,
                              int *written, kdx_error **err)
{
	kdx_status st = KDX_OK;
	int n = rd->goals[0].nrows;
	bool *want = kdx_xcalloc((size_t)n, sizeof *want);
	for (int i = 1; i < n; i++)
		want[i] = want_in ? want_in[i] : true;
	*written = 0;
	char *dirs[3] = { kdx_strdup_printf("%s/council", outdir), kdx_strdup_printf("%s/municipalities", outdir),
	                  kdx_strdup_printf("%s/charts", outdir) };
	for (int i = 0; i < 3; i++)
		if (kdx_mkdirs(dirs[i], 0750) != 0 && st == KDX_OK)
			st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dirs[i], strerror(errno));
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	if (st != KDX_OK)
		goto out;
	if (council) {
		struct job j = { rd, 0, 0, NULL };
		char *pdf = kdx_strdup_printf("%s/council/%s_こども政策DX進捗.pdf", outdir, rd->asof_iso);
		char *xlsx = kdx_strdup_printf("%s/council/%s_こども政策DX進捗.xlsx", outdir, rd->asof_iso);
		st = kdx_write_via_tmp(pdf, w_council_pdf, &j, err);
		if (st == KDX_OK)
			st = kdx_write_via_tmp(xlsx, w_council_xlsx, &j, err);
		free(pdf);
		free(xlsx);
		for (int gi = 0; gi < 6 && st == KDX_OK; gi++) {
			char *png = kdx_strdup_printf("%s/charts/%s.png", outdir, rd->goals[gi].id);
			char *svg = kdx_strdup_printf("%s/charts/%s.svg", outdir, rd->goals[gi].id);
			j.gi = gi;
			j.png = png;
			st = kdx_write_via_tmp(svg, w_chart_svg, &j, err);
			free(png);
			free(svg);
		}
		if (st != KDX_OK)
			goto out;
	}
	if (jobs <= 1) {
		st = render_munis(rd, outdir, want, 0, 1, written, err);
		goto out;
	}
	/* workers share the loaded data (copy-on-write); they need no connection */
	fflush(NULL);
	pid_t *pids = kdx_xcalloc((size_t)jobs, sizeof *pids);
	for (int w = 0; w < jobs; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			kdx_error *werr = NULL;
			int cnt = 0;
			kdx_status ws = render_munis(rd, outdir, want, w, jobs, &cnt, &werr);
			if (ws != KDX_OK)
				kdx_error_print(stderr, "kdx", werr);
			kdx_error_free(werr);
			fflush(NULL);
			_exit(kdx_status_exit(ws));
		}
	}
	int worst = 0;
	for (int w = 0; w < jobs; w++) {
		int status = 0;
		if (pids[w] > 0 && waitpid(pids[w], &status, 0) > 0) {
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 70;
			if (code && !worst)
				worst = code;
		} else if (!worst) {
			worst = 70;
		}
	}
	free(pids);
	for (int i = 1; i < n; i++)
		*written += want[i];
	if (worst) {
		st = worst == 69 ? KDX_EUNAVAILABLE : worst == 74 ? KDX_EIO : KDX_EINTERNAL;
		kdx_fail(err, st, "a report worker failed (exit status %d)", worst);
	}
out:
	free(want);
	return st;
}
