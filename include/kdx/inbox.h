/*
 * inbox.h - ingest a list of files, or every file of an inbox folder in order
 * of modification time then name, moving each to done/ or rejected/.
 */
#ifndef KDX_INBOX_H
#define KDX_INBOX_H

#include "kdx/ingest.h"

typedef struct kdx_ingest_counts {
	int loaded, already, rejected;
	int failed;  /* could not be read (KDX_EIO): reported, the others still loaded */
	long rows;
} kdx_ingest_counts;

/* Called after each file with its outcome (st KDX_OK, KDX_EDATA or a failure);
 * name is the file's as kdx shows and stores it (kdx_shown_name). */
typedef void (*kdx_ingest_cb)(void *ctx, const char *name, kdx_status st, const kdx_ingest_result *res,
                              const kdx_error *err);

/* The files of an inbox, oldest first (then by name); caller frees each and the array. */
kdx_status kdx_inbox_files(const char *dir, char ***paths, int *n, kdx_error **err);

/* Ingest paths in order.  With inbox_dir, accepted files move to inbox_dir/done,
 * rejected ones (with their reports) to inbox_dir/rejected.  Data problems do
 * not stop the run; a failure of the warehouse or of I/O does, and is returned,
 * and so does o->stop (no file after it is taken). */
kdx_status kdx_ingest_files(kdx_db *db, const kdx_ingest_opts *o, const char *inbox_dir, char **paths, int n,
                            kdx_ingest_cb cb, void *ctx, kdx_ingest_counts *counts, kdx_error **err);

#endif
