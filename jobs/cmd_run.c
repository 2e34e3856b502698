/* cmd_run.c - kdx run nightly|monthly: the scheduled jobs. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kdx/layout.h"
#include <errno.h>
#include <sys/wait.h>
#include "kdx/buf.h"
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/lock.h"
#include "kdx/inbox.h"
#include "kdx/render.h"
#include "kdx/fsutil.h"
#include "kdx/bag.h"
#include "kdx/template.h"
#include "kdx/grid.h"

const char kdx_usage_run[] =
	"usage: kdx run nightly [--as-of DATE] [--inbox DIR]\n"
	"       kdx run monthly [--as-of DATE] [--inbox DIR] [-j N]\n"
	"\n"
	"nightly: ingest every file of the inbox (default $KDX_HOME/inbox) and check the\n"
	"tables.  monthly: the nightly work, then the reports for the as-of (default:\n"
	"the 1st of this month) under $KDX_HOME/out/<as-of>/, the input templates for\n"
	"the next round and a snapshot.  \"Today\" is the council's (KDX_TZ, default\n"
	"Asia/Tokyo), whatever the host's time zone.  Every run is recorded (kdx jobs);\n"
	"one stopped by SIGTERM, SIGINT or SIGHUP as interrupted.\n"
	"A second run while one holds the lock exits at once with status 75.  Reruns are\n"
	"idempotent.\n"
	"\n"
	"  --as-of DATE    the as-of (see above)\n"
	"  --inbox DIR     the inbox to take files from\n"
	"  -j, --jobs N    render the monthly reports in N worker processes\n"
	"Progress goes to stderr on a terminal; --quiet silences it, --json summarises.\n";


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
	char *msg = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	kdx_emitf(stderr, KDX_LOG_INFO, "kdx run: [%6.1fs] %s\n",
	          (double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9, msg);
	free(msg);
}

/* A signal that ends the run (SIGTERM from systemctl stop or a shutdown,
 * SIGINT, SIGHUP) is noted here, and the run's query in flight cancelled, so
 * that the run ends at once and is recorded interrupted on the way out. */
static volatile sig_atomic_t stop_signal;
static PGcancel *volatile run_cancel;
static pid_t run_pid;

static void on_stop(int sig)
{
	if (getpid() != run_pid) {
		/* a worker the run forked: end as the signal says */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
	PGcancel *c = run_cancel;
	char why[256];
	if (c)
		PQcancel(c, why, sizeof why);  /* made for signal handlers (libpq's documentation) */
}

static const char *const stop_signals[] = { [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGTERM] = "SIGTERM" };

static void stop_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		if (stop_signals[i])
			sigaddset(set, (int)i);
}

/* From the record of the run on, the signals above end it through on_stop;
 * the caller blocked them while the record was made (hold_stops), so that
 * one sent meanwhile is taken by on_stop too. */
static void catch_stops(kdx_db *db, const sigset_t *before)
{
	run_pid = getpid();
	run_cancel = PQgetCancel(db->conn);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	stop_set(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		if (stop_signals[i])
			sigaction((int)i, &sa, NULL);
	sigprocmask(SIG_SETMASK, before, NULL);
}

static void hold_stops(sigset_t *before)
{
	sigset_t set;
	stop_set(&set);
	sigprocmask(SIG_BLOCK, &set, before);
}

/* No more cancelling: what follows records the run. */
static void disarm_stops(void)
{
	PGcancel *c = run_cancel;
	run_cancel = NULL;
	PQfreeCancel(c);
}

static void on_file(void *ctx, const char *name, kdx_status st, const kdx_ingest_result *res, const kdx_error *err)
{
	kdx_buf *rejected = ctx;
	if (st == KDX_EDATA) {
		char *report = kdx_shown_name(res->report_txt ? res->report_txt : "-");
		kdx_buf_printf(rejected, "- %s: %d 件の問題（報告: %s）\n", name, res->problems, report);
		free(report);
	}
	if (st == KDX_OK)
		say("%s %s", res->outcome == KDX_INGEST_LOADED ? "loaded" : "already loaded", name);
	else if (!stop_signal)  /* else the file the signal cut short: the run says so */
		kdx_error_print(stderr, "kdx", err);
}

/* One job run: what it was asked, and what it did. */
struct run {
	kdx_env *env;
	kdx_db *db;
	const char *job;
	bool monthly;
	kdx_date asof;
	char iso[16];
	char run_id[32];
	const char *inbox_arg;
	int jobs;
	kdx_ingest_counts counts;
	kdx_status data_st;      /* KDX_EDATA when a file was rejected */
	int reports, templates;
	kdx_snapshot_info snap;
	char *outdir;
	kdx_lock *lock;
	kdx_buf rejected;        /* a line per rejected file, for KDX_NOTIFY_COMMAND */
	int stopped;             /* the signal that ended the run's work, or 0 */
};

/* One run at a time, across machines sharing the warehouse (lock.h).  With
 * the lock in hand, a run still recorded as running is one whose process
 * died (killed, or its machine lost): it is marked interrupted. */
static kdx_status take_lock(struct run *j, kdx_error **err)
{
	kdx_status st = kdx_lock_take(j->db, "run", 0, &j->lock, err);
	if (st == KDX_ELOCKED) {
		kdx_error *e = kdx_error_new(KDX_ELOCKED, "another kdx run holds the lock");
		PGresult *r = kdx_db_query(j->db, "SELECT job, as_of, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') FROM kdx.job_run"
		                                  " WHERE status = 'running' ORDER BY id DESC LIMIT 1", 0, NULL, NULL);
		if (r && PQntuples(r) == 1)
			kdx_error_detail(e, "The %s job for %s started at %s is still running. %s", PQgetvalue(r, 0, 0),
			                 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), (*err)->detail ? (*err)->detail : "");
		else if ((*err)->detail)
			kdx_error_detail(e, "%s", (*err)->detail);
		PQclear(r);
		kdx_error_hint(e, "Wait for it to finish; this run did nothing.");
		kdx_error_free(*err);
		*err = e;
		return KDX_ELOCKED;
	}
	if (st != KDX_OK)
		return st;
	PGresult *r = kdx_db_query(j->db, "UPDATE kdx.job_run SET status = 'interrupted', finished_at = clock_timestamp(),"
	                                  " message = '中断（実行中のプロセスが終了し、記録が途中のまま残っていました）'"
	                                  " WHERE status = 'running' RETURNING id", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	for (int i = 0; i < PQntuples(r); i++)
		kdx_log_warning("job run %s had been interrupted: its process ended before it finished", PQgetvalue(r, i, 0));
	PQclear(r);
	return KDX_OK;
}

static kdx_status record_start(struct run *j, kdx_error **err)
{
	PGresult *r = kdx_db_query(j->db, "INSERT INTO kdx.job_run (job, as_of) VALUES ($1, $2) RETURNING id", 2,
	                           (const char *const[]){ j->job, j->iso }, err);
	if (!r)
		return KDX_EINTERNAL;
	snprintf(j->run_id, sizeof j->run_id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return KDX_OK;
}

/* Every file of the inbox; rejected files are not a failure of the run. */
static kdx_status ingest_inbox(struct run *j, kdx_error **err)
{
	char *inbox = j->inbox_arg ? kdx_strdup(j->inbox_arg) : kdx_home_path(j->env->home, KDX_PLACE_INBOX, NULL);
	kdx_mkdirs(inbox, 0750);
	char **paths = NULL;
	int n = 0;
	kdx_status st = kdx_inbox_files(inbox, &paths, &n, err);
	if (st == KDX_OK) {
		char *rejects = kdx_home_path(j->env->home, KDX_PLACE_REJECTS, NULL);
		kdx_ingest_opts o = { .encoding = KDX_ENC_AUTO, .rejects_dir = rejects, .stop = &stop_signal };
		st = kdx_ingest_files(j->db, &o, inbox, paths, n, on_file, &j->rejected, &j->counts, err);
		free(rejects);
		say("inbox: %d loaded, %d already loaded, %d rejected", j->counts.loaded, j->counts.already, j->counts.rejected);
		if (st == KDX_EIO && !*err) {
			kdx_fail(err, KDX_EIO, "%d inbox file%s could not be read", j->counts.failed, j->counts.failed == 1 ? "" : "s");
			kdx_error_hint(*err, "The other files were loaded; the messages above say what went wrong with each.");
		}
	}
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(inbox);
	j->data_st = st == KDX_EDATA ? KDX_EDATA : KDX_OK;
	return st == KDX_EDATA ? KDX_OK : st;
}

/* The tables are computed in the warehouse: refresh its statistics, and (the
 * nightly job) check that every goal computes for the as-of; the monthly job's
 * report data computes every goal table anyway. */
static kdx_status check_tables(struct run *j, kdx_error **err)
{
	kdx_status st = kdx_db_exec(j->db, "ANALYZE kdx.submission, kdx.load_batch, kdx.nursery_fact, kdx.club_fact,"
	                            " kdx.procedure_fact, kdx.platform_fact, kdx.postpartum_fact, kdx.setting_fact, kdx.prefecture,"
	                            " kdx.municipality, kdx.procedure, kdx.goal, kdx.goal_item, kdx.council", err);
	say("statistics refreshed");
	if (st != KDX_OK || j->monthly)
		return st;
	PGresult *r = kdx_db_query(j->db, "SELECT count(*) FROM kdx.goal_summary($1)", 1, (const char *const[]){ j->iso }, err);
	if (!r)
		return KDX_EINTERNAL;
	PQclear(r);
	return KDX_OK;
}

/* The reports, then the templates for the next round, pre-filled as of now:
 * their workers need no connection, so the snapshot (one process, which does
 * not archive them) is made while they run. */
static kdx_status monthly_outputs(struct run *j, kdx_error **err)
{
	kdx_report_data *rd = NULL;
	j->outdir = kdx_home_path(j->env->home, KDX_PLACE_OUT, j->iso);
	say("reports into %s", j->outdir);
	kdx_status st = kdx_report_data_load(j->db, j->asof, &rd, err);
	say("report data loaded");
	if (st == KDX_OK && !stop_signal)
		st = kdx_render_reports(rd, j->outdir, NULL, true, j->jobs, &j->reports, err);
	say("%d reports written", j->reports);
	kdx_templates_job *tj = NULL;
	if (st == KDX_OK && !stop_signal) {
		char *tdir = kdx_home_path(j->env->home, KDX_PLACE_TEMPLATES, j->iso);
		st = kdx_templates_start(j->db, NULL, 0, j->asof, j->asof, tdir, j->jobs, &tj, err);
		free(tdir);
	}
	if (st == KDX_OK && !stop_signal) {
		say("snapshot");
		st = kdx_snapshot_create(j->env, j->db, j->asof, j->outdir, rd, &j->snap, err);
		say("snapshot done");
	}
	if (tj) {
		kdx_error *terr = NULL;
		kdx_status ts = kdx_templates_finish(tj, &j->templates, &terr);
		if (ts != KDX_OK && st == KDX_OK) {
			st = ts;
			*err = terr;
		} else {
			kdx_error_free(terr);
		}
		say("%d templates written", j->templates);
	}
	kdx_report_data_free(rd);
	return st;
}

/* The run's status word, in kdx.job_run and --json. */
static const char *run_status(const struct run *j, kdx_status st)
{
	return j->stopped ? "interrupted" : st != KDX_OK ? "failed" : j->data_st == KDX_EDATA ? "rejected-files" : "ok";
}

/* After a stop, the connection as the cut left it (a COPY under way, a
 * transaction in error) is made ready for the record. */
static void settle(kdx_db *db)
{
	PGresult *r;
	if (PQtransactionStatus(db->conn) == PQTRANS_ACTIVE) {
		PQputCopyEnd(db->conn, "interrupted");
		while ((r = PQgetResult(db->conn)) != NULL)
			PQclear(r);
	}
	PGTransactionStatusType ts = PQtransactionStatus(db->conn);
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		kdx_db_rollback(db);
}

/* The run's outcome in kdx.job_run (kdx jobs). */
static void record_end(struct run *j, kdx_status st, const kdx_error *err)
{
	const char *status = run_status(j, st);
	char c1[16], c2[16], c3[16], c4[32], c5[16], c6[16], c7[32];
	snprintf(c1, sizeof c1, "%d", j->counts.loaded);
	snprintf(c2, sizeof c2, "%d", j->counts.already);
	snprintf(c3, sizeof c3, "%d", j->counts.rejected);
	snprintf(c4, sizeof c4, "%ld", j->counts.rows);
	snprintf(c5, sizeof c5, "%d", j->reports);
	snprintf(c6, sizeof c6, "%d", j->templates);
	snprintf(c7, sizeof c7, "%ld", j->snap.id);
	char *raw = j->stopped ? kdx_strdup_printf("中断（%s を受けて途中で終了しました）", stop_signals[j->stopped])
	          : st != KDX_OK && err ? kdx_strdup(err->primary)
	          : j->monthly ? kdx_strdup_printf("reports in %s; snapshot %s", j->outdir ? j->outdir : "", j->snap.path)
	                       : kdx_strdup_printf("%d files loaded", j->counts.loaded);
	/* escaped as kdx shows it: a name in it (a file's, KDX_HOME's) may hold any byte */
	char *message = kdx_shown(raw);
	free(raw);
	const char *p[] = { j->run_id, status, c1, c2, c3, c4, c5, c6, j->snap.id ? c7 : NULL, message };
	if (j->stopped)
		settle(j->db);
	/* a cancel the signal sent may reach the server only now: then again */
	for (int attempt = 0; attempt < 3; attempt++) {
		kdx_error *rerr = NULL;
		PGresult *r = kdx_db_query(j->db, "UPDATE kdx.job_run SET finished_at = clock_timestamp(), status = $2, files_loaded = $3,"
		                                  " files_already = $4, files_rejected = $5, rows_loaded = $6, reports = $7, templates = $8,"
		                                  " snapshot_id = $9, message = $10 WHERE id = $1", 10, p, &rerr);
		PQclear(r);
		bool again = !r && rerr && !strcmp(rerr->sqlstate, "57014");
		kdx_error_free(rerr);
		if (!again)
			break;
	}
	free(message);
}

static void print_outcome(const struct run *j, kdx_status st)
{
	const char *status = run_status(j, st);
	if (j->env->json) {
		kdx_json w;
		kdx_json_begin(&w, stdout);
		kdx_json_num(&w, "run", j->run_id);
		kdx_json_str(&w, "job", j->job);
		kdx_json_str(&w, "as_of", j->iso);
		kdx_json_str(&w, "status", status);
		kdx_json_int(&w, "loaded", j->counts.loaded);
		kdx_json_int(&w, "already_loaded", j->counts.already);
		kdx_json_int(&w, "rejected", j->counts.rejected);
		kdx_json_int(&w, "rows", j->counts.rows);
		kdx_json_int(&w, "reports", j->reports);
		kdx_json_int(&w, "templates", j->templates);
		kdx_json_str(&w, "out", j->monthly ? j->outdir : NULL);
		kdx_json_str(&w, "snapshot", j->snap.path[0] ? j->snap.path : NULL);
		kdx_json_end(&w);
	} else if (!j->env->quiet && st == KDX_OK) {
		printf("%s job for %s: %d files loaded, %d already loaded, %d rejected\n", j->job, j->iso, j->counts.loaded,
		       j->counts.already, j->counts.rejected);
		if (j->monthly)
			printf("reports: %s\ntemplates: %s/templates\nsnapshot: %s%s\n", j->outdir, j->outdir, j->snap.path,
			       j->snap.reused ? " (unchanged)" : "");
	}
}

/* kdx run's options into j; returns -1 to go on, else the exit code. */
static int parse_run(int argc, char **argv, struct run *j)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "inbox", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;
	bool given = false;
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = kdx_cli_as_of("run", optarg, &j->asof)) != 0)
				return rc;
			given = true;
			break;
		case 'i': j->inbox_arg = optarg; break;
		case 'j': {
			long v;
			if ((rc = kdx_cli_number("run", "-j", optarg, 1, 64, &v)) != 0)
				return rc;
			j->jobs = (int)v;
			break;
		}
		default:
			if ((rc = kdx_cli_common(c, "run", j->env)) >= 0)
				return rc;
		}
	}
	if (optind + 1 != argc || (strcmp(argv[optind], "nightly") && strcmp(argv[optind], "monthly")))
		return kdx_cli_usage_error("run", "give the job: nightly or monthly");
	j->job = argv[optind];
	j->monthly = !strcmp(j->job, "monthly");
	/* the monthly job reports as of the 1st of the month in the council's zone,
	 * however late a missed timer catches it up */
	if (j->monthly && !given)
		j->asof.d = 1;
	kdx_date_iso(j->asof, j->iso, sizeof j->iso);
	return -1;
}

/* Rejected files are not a failure of the job, but the operator hears of them
 * through the same command as of a failure (KDX_NOTIFY_COMMAND), the summary
 * on its standard input. */
static void notify_rejections(struct run *j)
{
	const char *cmd = getenv("KDX_NOTIFY_COMMAND");
	if (!cmd || !*cmd || j->counts.rejected == 0)
		return;
	char subject[160];
	snprintf(subject, sizeof subject, "kdx: %s job for %s rejected %d file%s", j->job, j->iso, j->counts.rejected,
	         j->counts.rejected == 1 ? "" : "s");
	setenv("KDX_NOTIFY_SUBJECT", subject, 1);
	fflush(NULL);
	FILE *p = popen(cmd, "w");
	if (!p) {
		kdx_log_warning("could not run KDX_NOTIFY_COMMAND: %s", strerror(errno));
		return;
	}
	fprintf(p, "%s\n\n取り込めなかったファイル（提出者への報告を添えて inbox/rejected/ にあります）:\n%s", subject,
	        j->rejected.len ? j->rejected.data : "");
	int rc = pclose(p);
	if (rc != 0)
		kdx_log_warning("KDX_NOTIFY_COMMAND exited with status %d", WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

/* The run was stopped by a signal and recorded so: say it, then end by that
 * signal, as whoever sent it expects. */
static int stopped(const struct run *j, kdx_error *err)
{
	kdx_error_free(err);  /* what the cancel made of the step under way */
	int sig = j->stopped;
	kdx_error *e = kdx_error_new(KDX_EINTERNAL, "job run %s was interrupted by %s", j->run_id, stop_signals[sig]);
	kdx_error_detail(e, "It stopped before it finished and is recorded as interrupted (kdx jobs); the files it loaded"
	                    " before the signal stay loaded%s.", j->monthly && !j->snap.id ? ", and it made no snapshot" : "");
	kdx_error_hint(e, "Run it again: a rerun takes up where this one stopped.");
	kdx_error_print(stderr, "kdx", e);
	kdx_error_free(e);
	fflush(NULL);
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;  /* were the signal blocked after all */
}

int kdx_cmd_run(int argc, char **argv, kdx_env *env)
{
	struct run j = { .env = env, .asof = kdx_date_today(), .jobs = 1 };
	int rc = parse_run(argc, argv, &j);
	if (rc >= 0)
		return rc;
	/* progress on a terminal, or wherever KDX_PROGRESS=1 asks for it (a log) */
	const char *kp = getenv("KDX_PROGRESS");
	progress = !env->quiet && !env->json && (isatty(2) || (kp && !strcmp(kp, "1")));
	clock_gettime(CLOCK_MONOTONIC, &started);

	kdx_error *err = NULL;
	/* the monthly job's snapshot is signed: a key that cannot sign is refused
	 * before the run loads or writes anything */
	kdx_status st = j.monthly ? kdx_signing_key_check(&err) : KDX_OK;
	if (st == KDX_OK)
		st = kdx_cli_db(env, &j.db, NULL, &err);
	if (st == KDX_OK)
		st = take_lock(&j, &err);
	sigset_t before;
	hold_stops(&before);
	if (st == KDX_OK)
		st = record_start(&j, &err);
	if (st != KDX_OK) {
		sigprocmask(SIG_SETMASK, &before, NULL);
		kdx_lock_release(j.lock);
		return kdx_cli_fail(st, err);
	}
	catch_stops(j.db, &before);
	say("%s job %s for %s", j.job, j.run_id, j.iso);
	st = ingest_inbox(&j, &err);
	if (st == KDX_OK && !stop_signal)
		st = check_tables(&j, &err);
	if (st == KDX_OK && j.monthly && !stop_signal)
		st = monthly_outputs(&j, &err);
	j.stopped = stop_signal;
	disarm_stops();
	record_end(&j, st, err);
	kdx_lock_release(j.lock);
	print_outcome(&j, st);
	notify_rejections(&j);
	kdx_buf_free(&j.rejected);
	free(j.outdir);
	if (j.stopped)
		return stopped(&j, err);
	if (st == KDX_OK)
		st = j.data_st;
	if (st == KDX_EDATA && !err)
		return kdx_status_exit(st);
	return kdx_cli_fail(st, err);
}
