/*
 * render.h - write every report of an as-of date into a folder:
 * council/ (PDF, xlsx), municipalities/ (PDF, xlsx), charts/ (PNG, SVG), and in
 * the national view councils/<code>_<name>/{council,charts}/ per prefecture.
 * Files are written through temporary names and renamed, folders are 0750.
 */
#ifndef KDX_RENDER_H
#define KDX_RENDER_H

#include <stdbool.h>
#include "kdx/repdata.h"
#include "kdx/jdate.h"

/* want: per goal-table row (index 1..), whether to write that municipality;
 * NULL for all.  council: also write the council report and charts, and in
 * the national view each prefecture's under councils/<code>_<name>/.
 * jobs > 1 renders in that many worker processes. */
kdx_status kdx_render_reports(const kdx_report_data *rd, const char *outdir, const bool *want, bool council, int jobs,
                              int *written, kdx_error **err);

/* What `kdx report` asks for: an as-of, the folder (NULL: out/<as-of> under
 * home), the municipalities (none: all, or the shard's), or the council report
 * only. */
typedef struct kdx_report_request {
	kdx_date asof;
	const char *home, *out;
	const char *const *munis;
	int nmunis;
	int shard, nshards;       /* 1/1: all */
	bool council_only;
	int jobs;
} kdx_report_request;

typedef struct kdx_report_result {
	char asof_iso[16];
	char *outdir;             /* owned; free with kdx_report_result_free */
	char *data_hash;          /* owned */
	bool council;             /* the council report was written */
	int written;              /* municipal feedback reports */
	int ncouncils;            /* prefectures' council reports (the national view) */
} kdx_report_result;

/* Load the report data of rq->asof and write what rq asks for.  A municipality
 * not in the council is KDX_EUSAGE. */
kdx_status kdx_reports_write(kdx_db *db, const kdx_report_request *rq, kdx_report_result *res, kdx_error **err);
void kdx_report_result_free(kdx_report_result *res);

#endif
