/*
 * report.h - the council report and the municipal feedback reports (PDF),
 * laid out from the presentation (present.h).
 */
#ifndef KDX_REPORT_H
#define KDX_REPORT_H

#include "kdx/present.h"

kdx_status kdx_report_council_pdf(const kdx_present *p, const char *path, kdx_error **err);
/* mi: the municipality's row index in the goal tables. */
kdx_status kdx_report_muni_pdf(const kdx_present *p, int mi, const char *path, kdx_error **err);

#endif
