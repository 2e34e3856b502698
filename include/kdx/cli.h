/*
 * cli.h - the kdx command table and what every command shares.
 *
 * Each command lives in jobs/cmd_<name>.c with its usage text beside it.
 * Common options, accepted by every command: --db CONNINFO, --quiet, --json,
 * --help.  Exit codes follow SPEC §7 (see kdx_status_exit()).
 */
#ifndef KDX_CLI_H
#define KDX_CLI_H

#include <getopt.h>
#include "kdx/db.h"
#include "kdx/grid.h"
#include "kdx/version.h"

/* What a command needs; main() does the setup once, the same for every command. */
enum {
	KDX_CMD_NEEDS_DB = 1,  /* may connect to the warehouse (kdx_cli_db) */
	KDX_CMD_MIGRATES = 2,  /* brings the schema up to date when it connects; without it
	                        * the command only reads, and a warehouse whose schema is not
	                        * this kdx's is refused with a hint to run kdx init */
	KDX_CMD_WRITES = 4,    /* writes under KDX_HOME, which must then be a folder it may write to */
	KDX_CMD_CREATES = 8    /* may create the private warehouse where there is none (init, run) */
};

typedef struct kdx_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, kdx_env *env);
	unsigned needs;      /* KDX_CMD_* */
	const char *summary; /* one line for kdx --help */
	const char *usage;   /* full text for kdx CMD --help */
} kdx_cmd;

extern const kdx_cmd kdx_commands[];
/* Of words (NULL-terminated), the one a typo bad most likely meant, or NULL. */
const char *kdx_cli_closest(const char *bad, const char *const *words);

/* Parse a whole number of option opt from lo to hi (strtol: "2x" is an
 * error); 0 when *out is set, else the usage error's exit code. */
int kdx_cli_number(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out);
const kdx_cmd *kdx_cmd_find(const char *name);

/* The long options every command accepts; splice with KDX_COMMON_LONGOPTS. */
#define KDX_OPT_DB    1001
#define KDX_OPT_QUIET 1002
#define KDX_OPT_JSON  1003
#define KDX_OPT_HELP  1004
#define KDX_OPT_COUNCIL 1005
#define KDX_OPT_VERSION 1006
#define KDX_COMMON_LONGOPTS \
	{ "db", required_argument, NULL, KDX_OPT_DB }, \
	{ "quiet", no_argument, NULL, KDX_OPT_QUIET }, \
	{ "json", no_argument, NULL, KDX_OPT_JSON }, \
	{ "help", no_argument, NULL, KDX_OPT_HELP }, \
	{ "council", required_argument, NULL, KDX_OPT_COUNCIL }, \
	{ "version", no_argument, NULL, KDX_OPT_VERSION }

/*
 * Handle a common option or an unknown one.  Returns -1 when the option was
 * consumed and parsing goes on; otherwise the exit code to return now
 * (0 after --help, 64 for an unknown option).
 */
int kdx_cli_common(int opt, const char *cmd, kdx_env *env);
/* The warehouse connection of this command, opened on first use as the command
 * table says (migrating or not) and closed by main() after the command; the
 * command must not close it.  *applied (may be NULL) receives the number of
 * migration files the opening applied. */
kdx_status kdx_cli_db(kdx_env *env, kdx_db **db, int *applied, kdx_error **err);
/* The same for a command that works without a warehouse too (verify and
 * restore on an auditor's machine): NULL where there is none or it cannot be
 * reached, saying so on stderr ("no warehouse to compare with (why): then"). */
kdx_db *kdx_cli_db_if_any(kdx_env *env, const char *then);

/* Run a listing query on the command's connection and print its first
 * nfields columns as text, or JSON with --json; returns the exit code. */
int kdx_cli_list(kdx_env *env, const char *sql, int nparams, const char *const *params, const kdx_field *fields,
                 int nfields);

/* Print "kdx: error: MSG" and the usage hint; returns 64. */
int kdx_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print e (PostgreSQL style), free it and return the exit code of st. */
int kdx_cli_fail(kdx_status st, kdx_error *e);
/* Parse --format text|csv|json; returns 0 or 64. */
int kdx_cli_format(const char *cmd, const char *arg, kdx_format *fmt);
/* Parse --as-of (ISO or any form kdx_date_parse accepts); returns 0 or 64. */
struct kdx_date;
int kdx_cli_as_of(const char *cmd, const char *arg, struct kdx_date *out);

/* Commands. */
int kdx_cmd_init(int argc, char **argv, kdx_env *env);
int kdx_cmd_db(int argc, char **argv, kdx_env *env);
int kdx_cmd_ingest(int argc, char **argv, kdx_env *env);
int kdx_cmd_status(int argc, char **argv, kdx_env *env);
int kdx_cmd_table(int argc, char **argv, kdx_env *env);
int kdx_cmd_report(int argc, char **argv, kdx_env *env);
int kdx_cmd_template(int argc, char **argv, kdx_env *env);
int kdx_cmd_snapshot(int argc, char **argv, kdx_env *env);
int kdx_cmd_snapshots(int argc, char **argv, kdx_env *env);
int kdx_cmd_verify(int argc, char **argv, kdx_env *env);
int kdx_cmd_diff(int argc, char **argv, kdx_env *env);
int kdx_cmd_restore(int argc, char **argv, kdx_env *env);
int kdx_cmd_run(int argc, char **argv, kdx_env *env);
int kdx_cmd_jobs(int argc, char **argv, kdx_env *env);

extern const char kdx_usage_init[], kdx_usage_db[], kdx_usage_ingest[], kdx_usage_status[],
	kdx_usage_table[], kdx_usage_report[], kdx_usage_template[], kdx_usage_snapshot[],
	kdx_usage_snapshots[], kdx_usage_verify[], kdx_usage_diff[], kdx_usage_restore[], kdx_usage_run[],
	kdx_usage_jobs[];

#endif
