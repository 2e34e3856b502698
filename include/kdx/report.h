/*
 * report.h - the council report and the municipal feedback reports (PDF).
 */
#ifndef KDX_REPORT_H
#define KDX_REPORT_H

#include "kdx/repdata.h"

/* "令和9年度末（2028-03-31）" style text for a deadline. */
void kdx_deadline_text(const char *iso, char *buf, size_t n);

kdx_status kdx_report_council_pdf(const kdx_report_data *d, const char *path, kdx_error **err);
/* mi: the municipality's row index in the goal tables. */
kdx_status kdx_report_muni_pdf(const kdx_report_data *d, int mi, const char *path, kdx_error **err);

#endif
