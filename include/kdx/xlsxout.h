/*
 * xlsxout.h - Excel workbooks: the council's, each municipality's feedback,
 * and the input templates.
 */
#ifndef KDX_XLSXOUT_H
#define KDX_XLSXOUT_H

#include "kdx/present.h"

struct lxw_workbook;
/* A new workbook at path, its parts written through kdx_scratch_dir(); NULL
 * on failure. */
struct lxw_workbook *kdx_xlsx_workbook(const char *path);

kdx_status kdx_xlsx_council(const kdx_present *p, const char *path, kdx_error **err);
kdx_status kdx_xlsx_muni(const kdx_present *p, int mi, const char *path, kdx_error **err);

#endif
