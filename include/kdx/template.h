/*
 * template.h - the input workbook for a municipality (sheets 手続電子化,
 * 基盤導入, 産後ケア, 設定, 記入方法), pre-filled with its answers as of asof.
 */
#ifndef KDX_TEMPLATE_H
#define KDX_TEMPLATE_H

#include "kdx/db.h"
#include "kdx/jdate.h"

/* One workbook per municipality of the council (or only codes[0..ncodes), each of
 * which must be the council's) in dir, as <code>_<name>_提出用.xlsx, written atomically.
 * The answers are read from db once; jobs > 1 writes the workbooks in that many
 * worker processes, which need no connection. */
kdx_status kdx_templates_write(kdx_db *db, const char *const *codes, int ncodes, kdx_date asof,
                               kdx_date survey, const char *dir, int jobs, int *written, kdx_error **err);
/* The same in two halves: start reads the answers and leaves the workbooks
 * to jobs worker processes (at least one), so this process can go on with
 * other work (the monthly job's snapshot); finish waits for them and frees j. */
typedef struct kdx_templates_job kdx_templates_job;
kdx_status kdx_templates_start(kdx_db *db, const char *const *codes, int ncodes, kdx_date asof, kdx_date survey,
                               const char *dir, int jobs, kdx_templates_job **j, kdx_error **err);
kdx_status kdx_templates_finish(kdx_templates_job *j, int *written, kdx_error **err);

#endif
