/* cmd_run.c - kdx run nightly|monthly, and kdx jobs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kdx/cli.h"
#include "kdx/inbox.h"
#include "kdx/render.h"
#include "kdx/fsutil.h"
#include "kdx/snapshot.h"
#include "kdx/template.h"
#include "kdx/tabout.h"

const char kdx_usage_run[] =
	"usage: kdx run nightly [--as-of DATE] [--inbox DIR]\n"
	"       kdx run monthly [--as-of DATE] [--inbox DIR] [-j N]\n"
	"\n"
	"nightly: ingest every file of the inbox (default $KDX_HOME/inbox) and check the\n"
	"tables.  monthly: the nightly work, then the reports for the as-of (default:\n"
	"today) under $KDX_HOME/out/<as-of>/, the input templates for the next round and\n"
	"a snapshot.  Every run is recorded (kdx jobs).  A second run while one holds\n"
	"the lock exits at once with status 75.  Reruns are idempotent.\n"
	"Progress goes to stderr on a terminal; --quiet silences it, --json summarises.\n";

const char kdx_usage_jobs[] =
	"usage: kdx jobs [--limit N]\n"
	"\n"
	"List recorded job runs, newest first: job, as-of, start, end, status, counts, message.\n";

#define RUN_LOCK "4454890003"

static bool progress;
static struct timespec started;

/* a progress line, with the seconds since the job started */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	if (!progress)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "kdx run: [%6.1fs] ", (double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void on_file(void *ctx, const char *name, kdx_status st, const kdx_ingest_result *res, const kdx_error *err)
{
	(void)ctx;
	if (st == KDX_OK)
		say("%s %s", res->outcome == KDX_INGEST_LOADED ? "loaded" : "already loaded", name);
	else
		kdx_error_print(stderr, "kdx", err);
}

int kdx_cmd_run(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "inbox", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_date asof = kdx_date_today();
	const char *inbox_arg = NULL;
	int jobs = 1, c, rc;
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = kdx_cli_as_of("run", optarg, &asof)) != 0)
				return rc;
			break;
		case 'i': inbox_arg = optarg; break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 64)
				return kdx_cli_usage_error("run", "-j takes a number from 1 to 64");
			break;
		default:
			if ((rc = kdx_cli_common(c, "run", env)) >= 0)
				return rc;
		}
	}
	if (optind + 1 != argc || (strcmp(argv[optind], "nightly") && strcmp(argv[optind], "monthly")))
		return kdx_cli_usage_error("run", "give the job: nightly or monthly");
	const char *job = argv[optind];
	bool monthly = !strcmp(job, "monthly");
	/* progress on a terminal, or wherever KDX_PROGRESS=1 asks for it (a log) */
	const char *kp = getenv("KDX_PROGRESS");
	progress = !env->quiet && !env->json && (isatty(2) || (kp && !strcmp(kp, "1")));
	clock_gettime(CLOCK_MONOTONIC, &started);

	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_db_open(env, true, &db, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	/* one run at a time, across machines sharing the warehouse */
	PGresult *r = kdx_db_query(db, "SELECT pg_try_advisory_lock(" RUN_LOCK ")", 0, NULL, &err);
	if (!r) {
		kdx_db_close(db);
		return kdx_cli_fail(KDX_EINTERNAL, err);
	}
	bool locked = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!locked) {
		err = kdx_error_new(KDX_ELOCKED, "another kdx run holds the lock");
		r = kdx_db_query(db, "SELECT job, as_of, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') FROM kdx.job_run"
		                     " WHERE status = 'running' ORDER BY id DESC LIMIT 1", 0, NULL, NULL);
		if (r && PQntuples(r) == 1)
			kdx_error_detail(err, "The %s job for %s started at %s is still running.", PQgetvalue(r, 0, 0),
			                 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
		PQclear(r);
		kdx_error_hint(err, "Wait for it to finish; this run did nothing.");
		kdx_db_close(db);
		return kdx_cli_fail(KDX_ELOCKED, err);
	}
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	r = kdx_db_query(db, "INSERT INTO kdx.job_run (job, as_of) VALUES ($1, $2) RETURNING id", 2,
	                 (const char *const[]){ job, iso }, &err);
	if (!r) {
		kdx_db_close(db);
		return kdx_cli_fail(KDX_EINTERNAL, err);
	}
	char run_id[32];
	snprintf(run_id, sizeof run_id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	say("%s job %s for %s", job, run_id, iso);

	/* nightly: the inbox */
	char *inbox = inbox_arg ? kdx_strdup(inbox_arg) : kdx_strdup_printf("%s/inbox", env->home);
	kdx_mkdirs(inbox, 0750);
	char **paths = NULL;
	int n = 0;
	kdx_ingest_counts counts = { 0 };
	int reports = 0, templates = 0;
	kdx_snapshot_info snap = { 0 };
	char *outdir = NULL;
	st = kdx_inbox_files(inbox, &paths, &n, &err);
	if (st == KDX_OK) {
		char *rejects = kdx_strdup_printf("%s/rejects", env->home);
		kdx_ingest_opts o = { .encoding = KDX_ENC_AUTO, .rejects_dir = rejects };
		st = kdx_ingest_files(db, &o, inbox, paths, n, on_file, NULL, &counts, &err);
		free(rejects);
		say("inbox: %d loaded, %d already loaded, %d rejected", counts.loaded, counts.already, counts.rejected);
	}
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	kdx_status data_st = st == KDX_EDATA ? KDX_EDATA : KDX_OK;
	if (st == KDX_EDATA)
		st = KDX_OK;
	/* the tables are computed in the warehouse; refresh its statistics and
	 * check that every goal computes for the as-of */
	if (st == KDX_OK)
		st = kdx_db_exec(db, "ANALYZE kdx.submission, kdx.load_batch, kdx.nursery_fact, kdx.club_fact,"
		                     " kdx.procedure_fact, kdx.platform_fact, kdx.postpartum_fact, kdx.setting_fact, kdx.prefecture,"
		                     " kdx.municipality, kdx.procedure, kdx.goal, kdx.goal_item, kdx.council", &err);
	say("statistics refreshed");
	/* nightly: check that every goal computes for the as-of (the monthly job's
	 * report data computes every goal table anyway) */
	if (st == KDX_OK && !monthly) {
		r = kdx_db_query(db, "SELECT count(*) FROM kdx.goal_summary($1)", 1, (const char *const[]){ iso }, &err);
		if (!r)
			st = KDX_EINTERNAL;
		PQclear(r);
	}
	if (st == KDX_OK && monthly) {
		kdx_report_data *rd = NULL;
		outdir = kdx_strdup_printf("%s/out/%s", env->home, iso);
		say("reports into %s", outdir);
		st = kdx_report_data_load(db, asof, &rd, &err);
		say("report data loaded");
		if (st == KDX_OK)
			st = kdx_render_reports(rd, outdir, NULL, true, jobs, &reports, &err);
		say("%d reports written", reports);
		/* the templates for the next round, pre-filled as of now: their
		 * workers need no connection, so the snapshot (one process, which
		 * does not archive them) is made while they run */
		kdx_templates_job *tj = NULL;
		if (st == KDX_OK) {
			char *tdir = kdx_strdup_printf("%s/templates", outdir);
			st = kdx_templates_start(db, NULL, 0, asof, asof, tdir, jobs, &tj, &err);
			free(tdir);
		}
		if (st == KDX_OK) {
			say("snapshot");
			st = kdx_snapshot_create(env, db, asof, outdir, rd, &snap, &err);
			say("snapshot done");
		}
		if (tj) {
			kdx_error *terr = NULL;
			kdx_status ts = kdx_templates_finish(tj, &templates, &terr);
			if (ts != KDX_OK && st == KDX_OK) {
				st = ts;
				err = terr;
			} else {
				kdx_error_free(terr);
			}
			say("%d templates written", templates);
		}
		kdx_report_data_free(rd);
	}
	/* record the run */
	const char *status = st != KDX_OK ? "failed" : data_st == KDX_EDATA ? "rejected-files" : "ok";
	char c1[16], c2[16], c3[16], c4[32], c5[16], c6[16], c7[32];
	snprintf(c1, sizeof c1, "%d", counts.loaded);
	snprintf(c2, sizeof c2, "%d", counts.already);
	snprintf(c3, sizeof c3, "%d", counts.rejected);
	snprintf(c4, sizeof c4, "%ld", counts.rows);
	snprintf(c5, sizeof c5, "%d", reports);
	snprintf(c6, sizeof c6, "%d", templates);
	snprintf(c7, sizeof c7, "%ld", snap.id);
	char *message = st != KDX_OK && err ? kdx_strdup(err->primary)
	              : monthly ? kdx_strdup_printf("reports in %s; snapshot %s", outdir ? outdir : "", snap.path)
	                        : kdx_strdup_printf("%d files loaded", counts.loaded);
	const char *p[] = { run_id, status, c1, c2, c3, c4, c5, c6, snap.id ? c7 : NULL, message };
	kdx_error *rerr = NULL;
	r = kdx_db_query(db, "UPDATE kdx.job_run SET finished_at = clock_timestamp(), status = $2, files_loaded = $3,"
	                     " files_already = $4, files_rejected = $5, rows_loaded = $6, reports = $7, templates = $8,"
	                     " snapshot_id = $9, message = $10 WHERE id = $1", 10, p, &rerr);
	PQclear(r);
	kdx_error_free(rerr);
	if (env->json)
		printf("{\"run\":%s,\"job\":\"%s\",\"as_of\":\"%s\",\"status\":\"%s\",\"loaded\":%d,\"already_loaded\":%d,"
		       "\"rejected\":%d,\"rows\":%ld,\"reports\":%d,\"templates\":%d,\"snapshot\":\"%s\"}\n",
		       run_id, job, iso, status, counts.loaded, counts.already, counts.rejected, counts.rows, reports, templates,
		       snap.path);
	else if (!env->quiet && st == KDX_OK) {
		printf("%s job for %s: %d files loaded, %d already loaded, %d rejected\n", job, iso, counts.loaded, counts.already,
		       counts.rejected);
		if (monthly)
			printf("reports: %s\ntemplates: %s/templates\nsnapshot: %s%s\n", outdir, outdir, snap.path,
			       snap.reused ? " (unchanged)" : "");
	}
	free(message);
	free(outdir);
	free(inbox);
	kdx_db_close(db);  /* ends the session, which releases the lock */
	if (st == KDX_OK)
		st = data_st;
	if (st == KDX_EDATA && !err)
		return kdx_status_exit(st);
	return kdx_cli_fail(st, err);
}

int kdx_cmd_jobs(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { { "limit", required_argument, NULL, 'l' }, KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	const char *limit = "50";
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'l')
			limit = optarg;
		else if ((rc = kdx_cli_common(c, "jobs", env)) >= 0)
			return rc;
	}
	if (atoi(limit) < 1)
		return kdx_cli_usage_error("jobs", "--limit takes a positive number");
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_db_open(env, true, &db, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	PGresult *r = kdx_db_query(db,
		"SELECT id, job, as_of, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(to_char(finished_at, 'HH24:MI:SS'), ''),"
		" status, files_loaded, files_already, files_rejected, rows_loaded, reports, templates, coalesce(message, '')"
		" FROM kdx.job_run ORDER BY id DESC LIMIT $1::int", 1, (const char *const[]){ limit }, &err);
	if (r) {
		static const char *const h[] = { "id", "job", "as_of", "started", "finished", "status", "loaded", "already",
		                                 "rejected", "rows", "reports", "templates", "message" };
		kdx_tabout(stdout, env->json ? KDX_FMT_JSON : KDX_FMT_TEXT, r, h, 13, 1UL | (0x3FUL << 6));
		PQclear(r);
	} else {
		st = KDX_EINTERNAL;
	}
	kdx_db_close(db);
	return kdx_cli_fail(st, err);
}
