/* figures.c - the goal tables as one long CSV (see figures.h). */
#include "kdx/figures.h"

void kdx_figures_csv(const kdx_report_data *d, bool bom, kdx_buf *out)
{
	if (bom)
		kdx_buf_adds(out, "\xEF\xBB\xBF");
	kdx_buf_adds(out, KDX_FIGURES_HEADER "\r\n");
	for (int gi = 0; gi < 6; gi++) {
		const kdx_goal_table *g = &d->goals[gi];
		for (int i = 0; i < g->nrows; i++) {
			const kdx_goal_row *w = &g->rows[i];
			kdx_buf_csv_cell(out, g->title);
			kdx_buf_addc(out, ',');
			kdx_buf_csv_cell(out, w->code);
			kdx_buf_addc(out, ',');
			kdx_buf_csv_cell(out, i == 0 ? "全体" : w->name);
			if (w->submitted)
				kdx_buf_printf(out, ",%d,%d,", w->den, w->num);
			else
				kdx_buf_adds(out, ",,,");
			kdx_buf_csv_cell(out, w->display);
			kdx_buf_addc(out, ',');
			kdx_buf_csv_cell(out, w->status);
			kdx_buf_printf(out, ",%d,", w->remaining);
			kdx_buf_csv_cell(out, w->survey_date ? w->survey_date : "");
			if (w->has_own) {
				kdx_buf_printf(out, ",%d,%d,", w->own_den, w->own_num);
				kdx_buf_csv_cell(out, w->own_display);
			} else {
				kdx_buf_adds(out, ",,,");
			}
			kdx_buf_adds(out, "\r\n");
		}
	}
}
