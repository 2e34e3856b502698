/* workers.c - forked workers sharing a task counter (see workers.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kdx/workers.h"
#include "kdx/mem.h"

int kdx_workers_next(int *next)
{
	return __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
}

struct kdx_workers {
	pid_t *pids;
	int n;
	int *next;
	char *what;
};

kdx_status kdx_workers_start(int jobs, kdx_worker_fn fn, void *ctx, const char *what, kdx_workers **out, kdx_error **err)
{
	*out = NULL;
	int *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (next == MAP_FAILED)
		return kdx_fail(err, KDX_EINTERNAL, "could not share the task counter: %s", strerror(errno));
	*next = 0;
	kdx_workers *w = kdx_xcalloc(1, sizeof *w);
	w->n = jobs > 1 ? jobs : 1;
	w->next = next;
	w->what = kdx_strdup(what);
	w->pids = kdx_xcalloc((size_t)w->n, sizeof *w->pids);
	fflush(NULL);
	for (int i = 0; i < w->n; i++) {
		w->pids[i] = fork();
		if (w->pids[i] == 0) {
			kdx_error *werr = NULL;
			kdx_status ws = fn(ctx, next, &werr);
			if (ws != KDX_OK)
				kdx_error_print(stderr, "kdx", werr);
			kdx_error_free(werr);
			fflush(NULL);
			_exit(kdx_status_exit(ws));
		}
	}
	*out = w;
	return KDX_OK;
}

kdx_status kdx_workers_wait(kdx_workers *w, kdx_error **err)
{
	int worst = 0;
	for (int i = 0; i < w->n; i++) {
		int status = 0;
		if (w->pids[i] > 0 && waitpid(w->pids[i], &status, 0) > 0) {
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 70;
			if (code && !worst)
				worst = code;
		} else if (!worst) {
			worst = 70;
		}
	}
	kdx_status st = KDX_OK;
	if (worst)
		st = kdx_fail(err, worst == 69 ? KDX_EUNAVAILABLE : worst == 74 ? KDX_EIO : KDX_EINTERNAL,
		              "a %s worker failed (exit status %d)", w->what, worst);
	munmap(w->next, sizeof *w->next);
	free(w->pids);
	free(w->what);
	free(w);
	return st;
}

kdx_status kdx_workers_run(int jobs, kdx_worker_fn fn, void *ctx, const char *what, kdx_error **err)
{
	if (jobs <= 1) {
		int next = 0;
		return fn(ctx, &next, err);
	}
	kdx_workers *w = NULL;
	kdx_status st = kdx_workers_start(jobs, fn, ctx, what, &w, err);
	return st == KDX_OK ? kdx_workers_wait(w, err) : st;
}
