/* error.c - the status table and PostgreSQL-style error printing. */
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "kdx/error.h"
#include "kdx/problem.h"

int kdx_quiet = 0;

static const struct {
	const char *name;
	int exit_code;
} status_table[KDX_STATUS_COUNT] = {
	[KDX_OK]           = { "ok", 0 },
	[KDX_EUSAGE]       = { "usage error", 64 },
	[KDX_EDATA]        = { "data rejected", 65 },
	[KDX_EUNAVAILABLE] = { "warehouse unavailable", 69 },
	[KDX_EINTERNAL]    = { "internal error", 70 },
	[KDX_EIO]          = { "input/output error", 74 },
	[KDX_ELOCKED]      = { "locked by another run", 75 },
	[KDX_ENOMEM]       = { "out of memory", 70 },
};

const char *kdx_status_str(kdx_status st)
{
	if ((unsigned)st >= KDX_STATUS_COUNT || !status_table[st].name)
		return "unknown status";
	return status_table[st].name;
}

int kdx_status_exit(kdx_status st)
{
	if ((unsigned)st >= KDX_STATUS_COUNT)
		return 70;
	return status_table[st].exit_code;
}

void *kdx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("kdx: fatal: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *kdx_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p) {
		fputs("kdx: fatal: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *kdx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("kdx: fatal: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *kdx_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = kdx_xmalloc(n);
	memcpy(d, s, n);
	return d;
}

char *kdx_strdup_vprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	char *s = kdx_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *kdx_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

kdx_error *kdx_error_new(kdx_status st, const char *fmt, ...)
{
	kdx_error *e = kdx_xcalloc(1, sizeof *e);
	va_list ap;
	e->status = st;
	va_start(ap, fmt);
	e->primary = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	return e;
}

void kdx_error_detail(kdx_error *e, const char *fmt, ...)
{
	va_list ap;
	free(e->detail);
	va_start(ap, fmt);
	e->detail = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void kdx_error_hint(kdx_error *e, const char *fmt, ...)
{
	va_list ap;
	free(e->hint);
	va_start(ap, fmt);
	e->hint = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void kdx_error_free(kdx_error *e)
{
	if (!e)
		return;
	free(e->primary);
	free(e->detail);
	free(e->hint);
	kdx_problem_free(e->problem);
	free(e);
}

kdx_status kdx_fail(kdx_error **err, kdx_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		kdx_error *e = kdx_xcalloc(1, sizeof *e);
		e->status = st;
			va_start(ap, fmt);
		e->primary = kdx_strdup_vprintf(fmt, ap);
		va_end(ap);
		kdx_error_free(*err);
		*err = e;
	}
	return st;
}

void kdx_error_print(FILE *fp, const char *prog, const kdx_error *e)
{
	if (!e)
		return;
	fprintf(fp, "%s: error: ", prog ? prog : "kdx");
	fprintf(fp, "%s\n", e->primary ? e->primary : kdx_status_str(e->status));
	if (e->detail) {
		fprintf(fp, "detail: %s\n", e->detail);
	} else if (e->problem) {
		/* a reader's data error on its own: the submitter's words as detail */
		char *w = kdx_problem_where(e->problem);
		fprintf(fp, "detail: %s: %s\n", w, e->problem->msg);
		free(w);
	}
	if (e->hint)
		fprintf(fp, "hint: %s\n", e->hint);
	else if (e->problem && e->problem->fix)
		fprintf(fp, "hint: %s\n", e->problem->fix);
}

void kdx_log_warning(const char *fmt, ...)
{
	va_list ap;
	fputs("kdx: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kdx_log_info(const char *fmt, ...)
{
	if (kdx_quiet)
		return;
	va_list ap;
	fputs("kdx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
