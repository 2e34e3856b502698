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

/* want: per goal-table row (index 1..), whether to write that municipality;
 * NULL for all.  council: also write the council report and charts, and in
 * the national view each prefecture's under councils/<code>_<name>/.
 * jobs > 1 renders in that many worker processes. */
kdx_status kdx_render_reports(const kdx_report_data *rd, const char *outdir, const bool *want, bool council, int jobs,
                              int *written, kdx_error **err);

#endif
