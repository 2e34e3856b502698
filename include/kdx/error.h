/*
 * error.h - kdx's one status enum and its rich error value.
 *
 * Every fallible function returns a kdx_status.  When it has more to say it
 * fills a kdx_error (owned by the caller, released with kdx_error_free()).
 * The error prints in PostgreSQL's frontend form:
 *
 *     kdx: error: primary message
 *     detail: A full sentence.
 *     hint: How to fix it.
 */
#ifndef KDX_ERROR_H
#define KDX_ERROR_H

#include <stdarg.h>
#include <stdio.h>
/* mem.h: the allocation helpers lived in this module, and nearly every caller
 * of the error API builds its messages with kdx_strdup_printf; mem depends on
 * nothing of kdx.  problem.h: an error may carry a located problem. */
#include "kdx/mem.h"
#include "kdx/problem.h"

typedef enum kdx_status {
	KDX_OK = 0,
	KDX_EUSAGE,       /* bad command line                    -> 64 */
	KDX_EDATA,        /* input data rejected                 -> 65 */
	KDX_EUNAVAILABLE, /* warehouse unavailable               -> 69 */
	KDX_EINTERNAL,    /* a bug or an unexpected server reply -> 70 */
	KDX_EIO,          /* file system error                   -> 74 */
	KDX_ELOCKED,      /* another run holds the lock          -> 75 */
	KDX_ENOMEM,       /* out of memory                       -> 70 */
	KDX_ECONFIG,      /* a configuration others could have
	                     changed, or that cannot be right, is
	                     refused (SPEC §7)                   -> 78 */
	KDX_STATUS_COUNT
} kdx_status;

/* Short English name of a status; never NULL. */
const char *kdx_status_str(kdx_status st);
/* The process exit code for a status (sysexits.h values). */
int kdx_status_exit(kdx_status st);

typedef struct kdx_error {
	kdx_status status;
	char *primary;  /* short, lower case, no final period */
	char *detail;   /* full sentence(s) or NULL */
	char *hint;     /* full sentence(s) or NULL */
	char sqlstate[6]; /* the server's SQLSTATE for a warehouse error, else "" */
	/* For a data error (KDX_EDATA) found by a reader or decoder: what the
	 * submitter is told, in Japanese, with its place (problem.h); owned. */
	kdx_problem *problem;
} kdx_error;

/* A new error with a formatted primary message; never returns NULL (aborts
 * on out-of-memory, which the caller could not report anyway). */
kdx_error *kdx_error_new(kdx_status st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kdx_error_detail(kdx_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kdx_error_hint(kdx_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kdx_error_free(kdx_error *e);

/* Convenience: set *err (when err is non-NULL) and return st. */
kdx_status kdx_fail(kdx_error **err, kdx_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Attach a new problem to *err (a reader's data error), unless err or *err is
 * NULL; returns it (or NULL) for the caller to place (row, offset). */
kdx_problem *kdx_error_attach(kdx_error **err, kdx_problem_code code, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The operator's view of a rejected file: "file "F" rejected: N problems,
 * nothing loaded", the first 20 problems as detail lines, and a hint naming
 * the submitter's report. */
kdx_error *kdx_problems_error(const kdx_problems *ps, const char *fname, const char *report_path);

/* Print in PostgreSQL's frontend style: "prog: error: ...". */
void kdx_error_print(FILE *fp, const char *prog, const kdx_error *e);

/* Text (lines ending in a newline) for stderr; when stderr is the journal's
 * stream (JOURNAL_STREAM), each line starts with its syslog priority: 3
 * error, 4 warning, 6 information. */
void kdx_emit(FILE *fp, int level, const char *text);
void kdx_emitf(FILE *fp, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define KDX_LOG_ERR 3
#define KDX_LOG_WARNING 4
#define KDX_LOG_INFO 6

/* Shared diagnostics for the command line. */
void kdx_log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kdx_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int kdx_quiet;

#endif
