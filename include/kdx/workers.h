/*
 * workers.h - a pool of forked worker processes drawing task numbers from a
 * shared counter (reports, templates).
 */
#ifndef KDX_WORKERS_H
#define KDX_WORKERS_H

#include "kdx/error.h"

/* Process the tasks whose numbers it draws with kdx_workers_next until none is
 * left; ctx is the caller's (shared copy-on-write with the workers). */
typedef kdx_status (*kdx_worker_fn)(void *ctx, int *next, kdx_error **err);

/* The next task number (0, 1, 2 …) from the shared counter. */
int kdx_workers_next(int *next);

/*
 * Run fn in jobs worker processes (in this process when jobs <= 1).  Workers
 * print their own errors and exit with kdx's exit status; the first failure
 * becomes the result ("a <what> worker failed").  A worker must not use this
 * process's database connection.
 */
kdx_status kdx_workers_run(int jobs, kdx_worker_fn fn, void *ctx, const char *what, kdx_error **err);

/* The same in two halves, so that this process can do other work while the
 * workers run (in at least one forked process).  kdx_workers_wait frees w. */
typedef struct kdx_workers kdx_workers;
kdx_status kdx_workers_start(int jobs, kdx_worker_fn fn, void *ctx, const char *what, kdx_workers **w, kdx_error **err);
kdx_status kdx_workers_wait(kdx_workers *w, kdx_error **err);

#endif
