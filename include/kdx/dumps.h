/*
 * dumps.h - the warehouse in a snapshot: the rows the reports of an as-of
 * used, as CSV under data/warehouse/ (master/, council.csv, load_batch.csv,
 * submission.csv, the fact tables, in_force.csv).  The writer (bag.c) dumps
 * them and the reproducer (reproduce.c) loads them back, from one list, so
 * that what is archived and what is reloaded cannot drift apart.
 */
#ifndef KDX_DUMPS_H
#define KDX_DUMPS_H

#include "kdx/db.h"
#include "kdx/tar.h"

/* Every dump of the as-of iso (a validated YYYY-MM-DD) into payload as
 * "data/warehouse/<file>" (copied in; payload owns them). */
kdx_status kdx_dumps_write(kdx_db *db, const char *iso, kdx_tar *payload, kdx_error **err);
/* The dumps of the bag root in t into rdb, a warehouse whose schema and
 * master data are in place; KDX_EDATA when the bag lacks one. */
kdx_status kdx_dumps_load(kdx_db *rdb, const kdx_tar *t, const char *root, kdx_error **err);

#endif
