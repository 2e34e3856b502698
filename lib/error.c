/* error.c - the status table, the error value (and the operator's view of a rejected file), PostgreSQL-style printing. */
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include "kdx/error.h"
#include "kdx/buf.h"
#include "kdx/mem.h"
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
	[KDX_ECONFIG]      = { "configuration refused", 78 },
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

kdx_problem *kdx_error_attach(kdx_error **err, kdx_problem_code code, const char *fix, const char *fmt, ...)
{
	if (!err || !*err)
		return NULL;
	kdx_problem *p = kdx_xcalloc(1, sizeof *p);
	va_list ap;
	p->code = code;
	p->offset = -1;
	va_start(ap, fmt);
	p->msg = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->fix = kdx_strdup(fix);
	kdx_problem_free((*err)->problem);
	(*err)->problem = p;
	return p;
}

kdx_error *kdx_problems_error(const kdx_problems *ps, const char *fname, const char *report_path)
{
	kdx_error *e = kdx_error_new(KDX_EDATA, "file \"%s\" rejected: %d problem%s, nothing loaded", fname, ps->n,
	                             ps->n == 1 ? "" : "s");
	kdx_buf d = { 0 };
	int shown = ps->n < 20 ? ps->n : 20;
	for (int i = 0; i < shown; i++) {
		const kdx_problem *p = &ps->v[i];
		char *w = kdx_problem_where(p);
		char *v = kdx_problem_shown_value(p);
		kdx_buf_printf(&d, "%s%s: %s", i ? "\n" : "", fname, w);
		if (v)
			kdx_buf_printf(&d, " 値「%s」", v);
		kdx_buf_printf(&d, ": %s", p->msg);
		free(w);
		free(v);
	}
	if (ps->n > shown)
		kdx_buf_printf(&d, "\n... and %d more", ps->n - shown);
	e->detail = kdx_buf_steal(&d);
	if (report_path)
		e->hint = kdx_strdup_printf("The reject report for the submitter is %s (and .csv).", report_path);
	return e;
}

/* True when stderr is the journal's stream (systemd sets JOURNAL_STREAM to
 * its "device:inode"): each line then starts with its syslog priority, so
 * that `journalctl -p err` finds kdx's errors. */
static bool to_journal(FILE *fp)
{
	static int known = -1;
	if (fp != stderr)
		return false;
	if (known < 0) {
		const char *js = getenv("JOURNAL_STREAM");
		unsigned long long dev, ino;
		struct stat sb;
		known = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(fileno(stderr), &sb) == 0 &&
		        (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
	}
	return known == 1;
}

/* Write text (lines ending in \n) to fp, each line with <level> first when
 * it goes to the journal. */
void kdx_emit(FILE *fp, int level, const char *text)
{
	if (!to_journal(fp)) {
		fputs(text, fp);
		return;
	}
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		fprintf(fp, "<%d>%.*s", level, (int)n, p);
		p += n;
	}
}

void kdx_emitf(FILE *fp, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	kdx_emit(fp, level, text);
	free(text);
}

static void vemit(FILE *fp, int level, const char *prefix, const char *fmt, va_list ap)
{
	char *msg = kdx_strdup_vprintf(fmt, ap);
	char *line = kdx_strdup_printf("%s%s\n", prefix, msg);
	kdx_emit(fp, level, line);
	free(line);
	free(msg);
}

void kdx_error_print(FILE *fp, const char *prog, const kdx_error *e)
{
	if (!e)
		return;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	fprintf(m, "%s: error: ", prog ? prog : "kdx");
	fprintf(m, "%s\n", e->primary ? e->primary : kdx_status_str(e->status));
	if (e->detail) {
		fprintf(m, "detail: %s\n", e->detail);
	} else if (e->problem) {
		/* a reader's data error on its own: the submitter's words as detail */
		char *w = kdx_problem_where(e->problem);
		fprintf(m, "detail: %s: %s\n", w, e->problem->msg);
		free(w);
	}
	if (e->hint)
		fprintf(m, "hint: %s\n", e->hint);
	else if (e->problem && e->problem->fix)
		fprintf(m, "hint: %s\n", e->problem->fix);
	fclose(m);
	kdx_emit(fp, 3, text);
	free(text);
}

void kdx_log_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(stderr, 4, "kdx: warning: ", fmt, ap);
	va_end(ap);
}

void kdx_log_info(const char *fmt, ...)
{
	if (kdx_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vemit(stderr, 6, "kdx: ", fmt, ap);
	va_end(ap);
}
