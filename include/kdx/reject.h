/*
 * reject.h - the reject report, the submitter's view of a rejected file.
 *
 * Two files beside each other, in Japanese: <file>.reject.txt, to read, and
 * <file>.reject.csv (UTF-8 with a BOM, so that Excel opens it), one row per
 * problem with its stable code.  The text ends with the count of problems by
 * code.
 */
#ifndef KDX_REJECT_H
#define KDX_REJECT_H

#include "kdx/buf.h"
#include "kdx/error.h"
#include "kdx/problem.h"

/* The text report and the CSV report into t and c (appended). */
void kdx_reject_text(kdx_buf *t, const kdx_problems *ps, const char *fname, const char *sha256);
void kdx_reject_csv(kdx_buf *c, const kdx_problems *ps, const char *fname);

/* Write both into dir (created 0750 when missing), atomically; *txt and *csv
 * receive their paths when non-NULL (caller frees). */
kdx_status kdx_reject_write(const kdx_problems *ps, const char *fname, const char *sha256, const char *dir,
                            char **txt, char **csv, kdx_error **err);

#endif
