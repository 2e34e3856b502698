/* main.c - kdx: the command table and the shared setup every command gets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <locale.h>
#include <malloc.h>
#include <errno.h>
#include <unistd.h>
#include "kdx/buf.h"
#include "kdx/cli.h"
#include "kdx/jdate.h"
#include "kdx/layout.h"
#include "kdx/master.h"

#define DB_READ  KDX_CMD_NEEDS_DB
#define DB_WRITE (KDX_CMD_NEEDS_DB | KDX_CMD_MIGRATES | KDX_CMD_WRITES)

const kdx_cmd kdx_commands[] = {
	{ "init", kdx_cmd_init, DB_WRITE | KDX_CMD_CREATES, "create or upgrade the warehouse schema and load master data", kdx_usage_init },
	{ "ingest", kdx_cmd_ingest, DB_WRITE, "load survey exports and municipal workbooks (whole file or nothing)", kdx_usage_ingest },
	{ "status", kdx_cmd_status, DB_READ, "submission ledger: who sent what, what is missing, late or changed", kdx_usage_status },
	{ "table", kdx_cmd_table, DB_READ, "print a goal's adoption table (text, csv or json)", kdx_usage_table },
	{ "report", kdx_cmd_report, DB_WRITE, "write the council and municipal reports (PDF, Excel, charts)", kdx_usage_report },
	{ "template", kdx_cmd_template, DB_WRITE, "write pre-filled input workbooks for municipalities", kdx_usage_template },
	{ "snapshot", kdx_cmd_snapshot, DB_WRITE, "archive the data and reports of an as-of date as a BagIt bag", kdx_usage_snapshot },
	{ "snapshots", kdx_cmd_snapshots, DB_READ, "list archived snapshots and their chain", kdx_usage_snapshots },
	{ "verify", kdx_cmd_verify, DB_READ, "check a snapshot or the whole chain", kdx_usage_verify },
	{ "diff", kdx_cmd_diff, DB_READ, "what changed between two snapshots: submissions, rows and figures", kdx_usage_diff },
	{ "restore", kdx_cmd_restore, DB_READ, "extract a snapshot safely", kdx_usage_restore },
	{ "run", kdx_cmd_run, DB_WRITE | KDX_CMD_CREATES, "run the nightly or monthly job", kdx_usage_run },
	{ "jobs", kdx_cmd_jobs, DB_READ, "list recorded job runs", kdx_usage_jobs },
	{ "db", kdx_cmd_db, DB_WRITE, "start, stop or show the private warehouse", kdx_usage_db },
	{ NULL, NULL, 0, NULL, NULL }
};

/* The running command and its warehouse connection (kdx_cli_db). */
static const kdx_cmd *running;
static kdx_db *running_db;

kdx_status kdx_cli_db(kdx_env *env, kdx_db **db, int *applied, kdx_error **err)
{
	if (applied)
		*applied = 0;
	if (!running || !(running->needs & KDX_CMD_NEEDS_DB))
		return kdx_fail(err, KDX_EINTERNAL, "command \"%s\" is not declared to use the warehouse",
		                running ? running->name : "?");
	if (!running_db) {
		kdx_db_schema schema = (running->needs & KDX_CMD_MIGRATES) ? KDX_SCHEMA_MIGRATE : KDX_SCHEMA_CURRENT;
		int ran = 0;
		kdx_status st = kdx_db_open(env, schema, &running_db, &ran, err);
		/* master columns a migration added are filled from the shipped master data */
		if (st == KDX_OK && ran > 0)
			st = kdx_master_complete(running_db, err);
		if (st != KDX_OK)
			return st;
		if (applied)
			*applied = ran;
	}
	*db = running_db;
	return KDX_OK;
}

kdx_db *kdx_cli_db_if_any(kdx_env *env, const char *then)
{
	kdx_db *db = NULL;
	kdx_error *e = NULL;
	if (kdx_cli_db(env, &db, NULL, &e) == KDX_OK)
		return db;
	if (!env->quiet)
		kdx_log_info("no warehouse to compare with (%s): %s", e ? e->primary : "none configured", then);
	kdx_error_free(e);
	return NULL;
}

const kdx_cmd *kdx_cmd_find(const char *name)
{
	for (const kdx_cmd *c = kdx_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int kdx_cli_list(kdx_env *env, const char *sql, int nparams, const char *const *params, const kdx_field *fields,
                 int nfields)
{
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	PGresult *r = kdx_db_query(db, sql, nparams, params, &err);
	if (!r)
		return kdx_cli_fail(KDX_EINTERNAL, err);
	kdx_grid_print_result(stdout, env->json ? KDX_FMT_JSON : KDX_FMT_TEXT, r, fields, nfields);
	PQclear(r);
	return 0;
}

static void main_usage(FILE *fp)
{
	fprintf(fp,
		"kdx - progress tracking for the こども政策DX 共同目標\n"
		"\n"
		"usage: kdx [--db CONNINFO] [--council CODE] [-q|--quiet] [--json] COMMAND [ARGS]\n"
		"       (these options, --help and --version also after the command)\n"
		"\n"
		"commands:\n");
	for (const kdx_cmd *c = kdx_commands; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp,
		"\n"
		"Run \"kdx COMMAND --help\" for a command's options.\n"
		"Environment: KDX_HOME (working folder, default .), KDX_DATABASE_URL or the\n"
		"PG* variables (an existing server; otherwise kdx runs a private one),\n"
		"KDX_COUNCIL or --council CODE (the prefecture to report on; 000000 = national),\n"
		"KDX_TZ (the council's time zone, default Asia/Tokyo).  See kdx(1).\n"
		"Exit codes: 0 ok, 64 usage, 65 data rejected, 69 warehouse unavailable,\n"
		"74 I/O error, 75 locked by another run, 78 configuration refused.\n");
}

int kdx_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *msg = kdx_shown(raw);  /* one line, whatever an argument in it holds */
	free(raw);
	kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: %s\nhint: Try \"kdx%s%s --help\" for more information.\n", msg,
	          cmd ? " " : "", cmd ? cmd : "");
	free(msg);
	return 64;
}

/* The command's words, for the messages of options getopt did not accept. */
static char **cmd_argv;

static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *kdx_cli_closest(const char *bad, const char *const *words)
{
	const char *best = NULL;
	int bestd = 3;
	for (int i = 0; words[i]; i++) {
		int d = distance(bad, words[i]);
		if (d < bestd) {
			bestd = d;
			best = words[i];
		}
	}
	return best;
}

/* The options a command's usage names ("--as-of", ...), comma-separated into
 * buf, and the one closest to bad (or NULL when none is close). */
static const char *closest_option(const char *usage, const char *bad, char *buf, size_t n)
{
	static char best[48];
	int bestd = 3;
	const char *found = NULL;
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = usage; (p = strstr(p, "--")) != NULL;) {
		size_t k = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		if (k > 2 && k < sizeof best) {
			char opt[48];
			memcpy(opt, p, k);
			opt[k] = '\0';
			if (!strstr(buf, opt) && used + k + 3 < n)
				used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", opt);
			int d = distance(bad, opt);
			if (d < bestd) {
				bestd = d;
				memcpy(best, opt, k + 1);
				found = best;
			}
		}
		p += k;
	}
	return found;
}

int kdx_cli_number(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < lo || v > hi)
		return kdx_cli_usage_error(cmd, "%s takes a whole number from %ld to %ld, not \"%s\"", opt, lo, hi, arg);
	*out = v;
	return 0;
}

int kdx_cli_common(int opt, const char *cmd, kdx_env *env)
{
	const kdx_cmd *c;
	switch (opt) {
	case KDX_OPT_COUNCIL:
		env->council = optarg;
		return -1;
	case KDX_OPT_VERSION:
		printf("kdx %s\n", KDX_VERSION);
		return 0;
	case KDX_OPT_DB:
		env->db_url = optarg;
		return -1;
	case KDX_OPT_QUIET:
		env->quiet = true;
		kdx_quiet = 1;
		return -1;
	case KDX_OPT_JSON:
		env->json = true;
		return -1;
	case KDX_OPT_HELP:
		c = kdx_cmd_find(cmd);
		fputs(c ? c->usage : "", stdout);
		return 0;
	default: {
		/* what getopt did not accept (it prints nothing: opterr is 0) */
		c = kdx_cmd_find(cmd);
		const char *word = cmd_argv && optind > 0 ? cmd_argv[optind - 1] : "?";
		char bad[64], list[512];
		snprintf(bad, sizeof bad, "%.*s", (int)strcspn(word, "=\n"), word);
		const char *near = c ? closest_option(c->usage, bad, list, sizeof list) : NULL;
		if (optopt && strncmp(word, "--", 2) == 0 && (!near || !strcmp(near, bad)))
			kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: option \"%s\" needs a value\n", bad);
		else if (optopt && optopt < 256 && word[0] == '-' && word[1] != '-')
			kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: option \"-%c\" is unknown or needs a value\n", optopt);
		else
			kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: unknown option \"%s\"%s%s%s\n", bad, near ? " (did you mean " : "",
			          near ? near : "", near ? "?)" : "");
		if (c && list[0])
			kdx_emitf(stderr, KDX_LOG_ERR, "detail: kdx %s takes %s, and --council, --db, --quiet, --json, --help, --version.\n",
			          cmd, list);
		kdx_emitf(stderr, KDX_LOG_ERR, "hint: Try \"kdx %s --help\" for more information.\n", cmd);
		return 64;
	}
	}
}

int kdx_cli_fail(kdx_status st, kdx_error *e)
{
	/* a warehouse that went away is 69 whichever step met it (many return a
	 * failed query as KDX_EINTERNAL) */
	if (e && e->status == KDX_EUNAVAILABLE && st != KDX_OK)
		st = KDX_EUNAVAILABLE;
	if (e) {
		kdx_error_print(stderr, "kdx", e);
		kdx_error_free(e);
	} else if (st != KDX_OK) {
		kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: %s\n", kdx_status_str(st));
	}
	fflush(stdout);
	return kdx_status_exit(st);
}

int kdx_cli_format(const char *cmd, const char *arg, kdx_format *fmt)
{
	static const char *const names[] = { "text", "csv", "json" };  /* the order of kdx_format */
	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, names[i])) {
			*fmt = (kdx_format)i;
			return 0;
		}
	return kdx_cli_usage_error(cmd, "unknown format \"%s\" (use text, csv or json)", arg);
}

int kdx_cli_as_of(const char *cmd, const char *arg, kdx_date *out)
{
	if (kdx_date_parse(arg, out) != KDX_DATE_OK)
		return kdx_cli_usage_error(cmd, "invalid --as-of date \"%s\" (write it as 2026-12-01, 2026/12/1, 令和8年12月1日 or R8.12.1)",
		                           arg);
	if (!kdx_date_nameable(*out))
		return kdx_cli_usage_error(cmd, "--as-of %s is outside the dates kdx can name (%s to %s)", arg,
		                           KDX_DATE_NAMEABLE_FIRST, KDX_DATE_NAMEABLE_LAST);
	return 0;
}

int main(int argc, char **argv)
{
	kdx_env env = { 0 };
	setlocale(LC_CTYPE, "C.UTF-8");
	const char *zone = kdx_council_tz_init();
	/* Keep freed memory for the next document instead of returning it to the
	 * kernel at once: writing thousands of PDFs and workbooks one after the
	 * other, glibc's defaults shrank and regrew the heap (brk) and mapped and
	 * unmapped every block over 128 KiB for each of them, and the page
	 * faults that followed cost as much system time as the files' own
	 * writes.  These mostly defer the release: the national run's peak RSS
	 * stayed at 196-201 MB; a million-row ingest's rose from 72 to 80 MB. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	/* one arena: the report data's second connection runs in a thread whose
	 * results the main thread frees; in an arena of their own that memory
	 * stayed mapped in every forked worker (national peak RSS 205 -> 235 MB) */
	mallopt(M_ARENA_MAX, 1);
	env.home = getenv("KDX_HOME");
	if (!env.home || !*env.home)
		env.home = ".";
	env.council = getenv("KDX_COUNCIL");
	env.db_url = getenv("KDX_DATABASE_URL");
	if (env.db_url && !*env.db_url)
		env.db_url = NULL;

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			main_usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("kdx %s\n", KDX_VERSION);
			return 0;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			env.quiet = true;
			kdx_quiet = 1;
		} else if (strcmp(a, "--json") == 0) {
			env.json = true;
		} else if (strcmp(a, "--council") == 0 && i + 1 < argc) {
			env.council = argv[++i];
		} else if (strncmp(a, "--council=", 10) == 0) {
			env.council = a + 10;
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			env.db_url = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			env.db_url = a + 5;
		} else {
			return kdx_cli_usage_error(NULL, "unknown option \"%s\"", a);
		}
	}
	if (i >= argc) {
		main_usage(stderr);
		return 64;
	}
	const kdx_cmd *cmd = kdx_cmd_find(argv[i]);
	if (!cmd)
		return kdx_cli_usage_error(NULL, "unknown command \"%s\"", argv[i]);
	if (!zone) {
		/* "today" a day off at month ends, silently: glibc's UTC for a zone it cannot find */
		kdx_error *e = kdx_error_new(KDX_ECONFIG, "refusing KDX_TZ \"%s\": no such time zone", getenv("KDX_TZ"));
		kdx_error_detail(e, "It names no zone of the time zone database and is no POSIX rule such as JST-9; the C"
		                    " library would take it for UTC, and the council's day would be wrong near midnight.");
		kdx_error_hint(e, "Set KDX_TZ to a zone such as Asia/Tokyo (timedatectl list-timezones lists them), or unset it"
		                  " for Asia/Tokyo.");
		return kdx_cli_fail(KDX_ECONFIG, e);
	}
	optind = 1;
	opterr = 0;  /* kdx_cli_common says what was wrong, in kdx's words */
	/* -q, --quiet and --version anywhere on the line, as before the command */
	int nargs = argc - i, k = 1;
	for (int a = 1; a < nargs; a++) {
		const char *w = argv[i + a];
		if (!strcmp(w, "--")) {
			while (a < nargs)
				argv[i + k++] = argv[i + a++];
			break;
		}
		if (!strcmp(w, "-q")) {
			env.quiet = true;
			kdx_quiet = 1;
			continue;
		}
		argv[i + k++] = argv[i + a];
	}
	argv[i + k] = NULL;
	nargs = k;
	cmd_argv = argv + i;
	/* absolute, so that recorded paths (snapshots, batches) mean the same later */
	char *abs_home = realpath(env.home, NULL);
	if (abs_home)
		env.home = abs_home;
	/* a command that writes in KDX_HOME first makes sure it is kdx's (SPEC §7) */
	if (cmd->needs & KDX_CMD_WRITES) {
		kdx_error *e = NULL;
		if (kdx_home_check(env.home, &e) != KDX_OK) {
			free(abs_home);
			return kdx_cli_fail(KDX_ECONFIG, e);
		}
	}
	/* a command that writes finds out now, not half-way, that it cannot */
	if ((cmd->needs & KDX_CMD_WRITES) && access(env.home, W_OK | X_OK) != 0 && errno != ENOENT) {
		kdx_error *e = kdx_error_new(KDX_EIO, "cannot write in KDX_HOME \"%s\": %s", env.home, strerror(errno));
		kdx_error_hint(e, "Set KDX_HOME to a folder this user may write to.");
		free(abs_home);
		return kdx_cli_fail(KDX_EIO, e);
	}
	env.may_create = (cmd->needs & KDX_CMD_CREATES) != 0;
	running = cmd;
	int rc = cmd->fn(nargs, argv + i, &env);
	kdx_db_close(running_db);  /* ends the session, which releases any lock it held */
	running_db = NULL;
	free(abs_home);
	/* As git does: a write error on stdout is an I/O failure, not success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: could not write to standard output\n");
		if (rc == 0)
			rc = 74;
	}
	return rc;
}
