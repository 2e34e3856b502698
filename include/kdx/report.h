/*
 * report.h - the council report and the municipal feedback reports (PDF).
 */
#ifndef KDX_REPORT_H
#define KDX_REPORT_H

#include "kdx/repdata.h"

/* An ISO date in 和暦 ("令和8年10月1日"); none when iso is empty; other text as it is. */
void kdx_wareki_text(const char *iso, const char *none, char *buf, size_t n);
/* The fiscal year a deadline ends, "令和8年度末"; "－" when iso is not a date. */
void kdx_fy_end_text(const char *iso, char *buf, size_t n);
/* "第2版（データ 1f464c5e1274）": the report's edition and the short data hash. */
void kdx_edition_text(const kdx_report_data *rd, char *buf, size_t n);
/* The 見通し of a municipality's row (caller frees): for the facility goals the
 * straight-line projection, for the others what its plan years say (SPEC §2). */
char *kdx_outlook_text(const kdx_goal_table *g, const kdx_goal_row *r);
/* "前回（令和7年10月1日）" for a council's previous round of that 調査基準日, or
 * "前回調査（団体により異なる）" when iso is "" (its municipalities' differ). */
void kdx_prev_round_label(const char *iso, char *buf, size_t n);
/* "令和9年度末（2028-03-31）" style text for a deadline. */
void kdx_deadline_text(const char *iso, char *buf, size_t n);

/* A checklist goal's grid (SPEC §2), for the council report and the slides:
 * its items × the council's municipalities, or, for more than max_cols of
 * them, items × the numbers of municipalities that have done each, not yet,
 * are exempt or sent nothing.  Free with kdx_checklist_grid_free. */
void kdx_checklist_grid(const kdx_report_data *rd, int gi, int max_cols, kdx_chart_grid_data *g);
void kdx_checklist_grid_free(kdx_chart_grid_data *g);

kdx_status kdx_report_council_pdf(const kdx_report_data *d, const char *path, kdx_error **err);
/* mi: the municipality's row index in the goal tables. */
kdx_status kdx_report_muni_pdf(const kdx_report_data *d, int mi, const char *path, kdx_error **err);

#endif
