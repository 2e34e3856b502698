/* workers.c - forked workers sharing a task counter (see workers.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kdx/workers.h"

int kdx_workers_next(int *next)
{
	return __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
}

kdx_status kdx_workers_run(int jobs, kdx_worker_fn fn, void *ctx, const char *what, kdx_error **err)
{
	if (jobs <= 1) {
		int next = 0;
		return fn(ctx, &next, err);
	}
	int *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (next == MAP_FAILED)
		return kdx_fail(err, KDX_EINTERNAL, "could not share the task counter: %s", strerror(errno));
	*next = 0;
	fflush(NULL);
	pid_t *pids = kdx_xcalloc((size_t)jobs, sizeof *pids);
	for (int w = 0; w < jobs; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			kdx_error *werr = NULL;
			kdx_status ws = fn(ctx, next, &werr);
			if (ws != KDX_OK)
				kdx_error_print(stderr, "kdx", werr);
			kdx_error_free(werr);
			fflush(NULL);
			_exit(kdx_status_exit(ws));
		}
	}
	int worst = 0;
	for (int w = 0; w < jobs; w++) {
		int status = 0;
		if (pids[w] > 0 && waitpid(pids[w], &status, 0) > 0) {
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 70;
			if (code && !worst)
				worst = code;
		} else if (!worst) {
			worst = 70;
		}
	}
	free(pids);
	munmap(next, sizeof *next);
	if (!worst)
		return KDX_OK;
	kdx_status st = worst == 69 ? KDX_EUNAVAILABLE : worst == 74 ? KDX_EIO : KDX_EINTERNAL;
	return kdx_fail(err, st, "a %s worker failed (exit status %d)", what, worst);
}
