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
		/* one line each, whatever the value, the sheet or the name hold */
		const kdx_problem *p = &ps->v[i];
		char *w = kdx_problem_where(p);
		char *v = kdx_problem_shown_value(p);
		char *line = v ? kdx_strdup_printf("%s: %s 値「%s」: %s", fname, w, v, p->msg)
		               : kdx_strdup_printf("%s: %s: %s", fname, w, p->msg);
		if (i)
			kdx_buf_addc(&d, '\n');
		kdx_buf_add_shown(&d, line, 0);
		free(line);
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
 * it goes to the journal.  Whatever is in the text besides its line ends is
 * escaped (kdx_buf_add_shown): no byte of it can start a line of its own, or
 * pass for another priority. */
void kdx_emit(FILE *fp, int level, const char *text)
{
	kdx_buf shown = { 0 };
	kdx_buf_add_shown(&shown, text, KDX_SHOWN_LINES);
	text = shown.data ? shown.data : "";
	if (!to_journal(fp)) {
		fputs(text, fp);
	} else {
		for (const char *p = text; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
			fprintf(fp, "<%d>%.*s", level, (int)n, p);
			p += n;
		}
	}
	kdx_buf_free(&shown);
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

/* One line: prefix, then msg with its newlines escaped too. */
static void vemit(FILE *fp, int level, const char *prefix, const char *fmt, va_list ap)
{
	char *msg = kdx_strdup_vprintf(fmt, ap);
	kdx_buf line = { 0 };
	kdx_buf_adds(&line, prefix);
	kdx_buf_add_shown(&line, msg, 0);
	kdx_buf_addc(&line, '\n');
	kdx_emit(fp, level, line.data);
	kdx_buf_free(&line);
	free(msg);
}

/* The primary message and the hint are one line each, whatever a name in them
 * holds; the detail may have lines of its own (a rejected file's problems),
 * each made by kdx, and their parts from outside were escaped when it was
 * made (kdx_problems_error). */
void kdx_error_print(FILE *fp, const char *prog, const kdx_error *e)
{
	if (!e)
		return;
	kdx_buf t = { 0 };
	kdx_buf_printf(&t, "%s: error: ", prog ? prog : "kdx");
	kdx_buf_add_shown(&t, e->primary ? e->primary : kdx_status_str(e->status), 0);
	kdx_buf_addc(&t, '\n');
	if (e->detail) {
		kdx_buf_adds(&t, "detail: ");
		kdx_buf_add_shown(&t, e->detail, KDX_SHOWN_LINES);
		kdx_buf_addc(&t, '\n');
	} else if (e->problem) {
		/* a reader's data error on its own: the submitter's words as detail */
		char *w = kdx_problem_where(e->problem);
		char *d = kdx_strdup_printf("%s: %s", w, e->problem->msg);
		kdx_buf_adds(&t, "detail: ");
		kdx_buf_add_shown(&t, d, 0);
		kdx_buf_addc(&t, '\n');
		free(d);
		free(w);
	}
	const char *hint = e->hint ? e->hint : e->problem ? e->problem->fix : NULL;
	if (hint) {
		kdx_buf_adds(&t, "hint: ");
		kdx_buf_add_shown(&t, hint, 0);
		kdx_buf_addc(&t, '\n');
	}
	kdx_emit(fp, KDX_LOG_ERR, t.data);
	kdx_buf_free(&t);
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
