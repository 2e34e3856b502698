/*
 * web.h - the web edition of a council's report (SPEC §5): static HTML and
 * CSV under <dir>/web/, readable from disk with no server and no script.
 *
 *   index.html            the round at a glance: the goals x municipalities table
 *   goal/<goal>.html      a goal: its definition, chart (inline SVG), table, what is left
 *   muni/<code>.html      a municipality: its six goals, own deadlines, what is left, history
 *   data/<goal>.csv       each goal's figures (UTF-8 with BOM, the columns named as the
 *                         自治体標準オープンデータセット names them, the as-of on every row)
 *   data/all.csv          every goal's rows in one file, with the same columns
 *   data/history.csv      each municipality's figures at each of its past surveys
 *   data/README.csv       each column's 定義, the 出典, as-of, edition and licence
 *   style.css             the one stylesheet
 *
 * Only counts and the names of procedures, platforms and checklist items are
 * published: never a facility's or a club's name.  The licence is
 * KDX_WEB_LICENSE (default CC BY 4.0).
 */
#ifndef KDX_WEB_H
#define KDX_WEB_H

#include "kdx/present.h"

kdx_status kdx_web_write(const kdx_present *p, const char *dir, kdx_error **err);

#endif
