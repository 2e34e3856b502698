/* cmd_db.c - kdx db start|stop|status|url: the private warehouse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/cluster.h"

const char kdx_usage_db[] =
	"usage: kdx db start|stop|status|url|roles\n"
	"\n"
	"  start    start the private warehouse under $KDX_HOME/var/pg (initialising it)\n"
	"  stop     stop it\n"
	"  status   say where the warehouse is and whether it answers\n"
	"  url      print the libpq connection string kdx uses\n"
	"  roles    create the roles kdx_secretariat, kdx_auditor (read-only) and one\n"
	"           kdx_muni_<code> per municipality, which reads only its own rows\n"
	"\n"
	"With KDX_DATABASE_URL, --db or PG* variables set, kdx uses that server and\n"
	"never starts one; start and stop then refuse.  The private server listens on\n"
	"a Unix socket only.\n";

int kdx_cmd_db(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if ((rc = kdx_cli_common(c, "db", env)) >= 0)
			return rc;
	if (optind >= argc)
		return kdx_cli_usage_error("db", "missing action (start, stop, status or url)");
	const char *action = argv[optind];
	if (optind + 1 < argc)
		return kdx_cli_usage_error("db", "unexpected argument \"%s\"", argv[optind + 1]);
	if (strcmp(action, "start") && strcmp(action, "stop") && strcmp(action, "status") && strcmp(action, "url") &&
	    strcmp(action, "roles"))
		return kdx_cli_usage_error("db", "unknown action \"%s\"", action);

	kdx_error *err = NULL;
	kdx_status st = KDX_OK;
	if (!strcmp(action, "roles")) {
		kdx_db *db = NULL;
		int created = 0, total = 0;
		if ((st = kdx_cli_db(env, &db, NULL, &err)) == KDX_OK)
			st = kdx_db_create_roles(db, &created, &total, &err);
		if (st == KDX_OK && env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_int(&j, "created", created);
			kdx_json_int(&j, "roles", total);
			kdx_json_end(&j);
		} else if (st == KDX_OK && !env->quiet) {
			printf("%d roles created; %d kdx roles in all (kdx_secretariat, kdx_auditor, kdx_muni_<code>)\n", created, total);
		}
		return kdx_cli_fail(st, err);
	}

	bool private_db = kdx_db_is_private(env);
	if (!private_db) {
		if (!strcmp(action, "start") || !strcmp(action, "stop")) {
			st = kdx_fail(&err, KDX_EUSAGE, "cannot %s an external warehouse", action);
			kdx_error_detail(err, "A connection is configured (KDX_DATABASE_URL, --db or PG* variables), so kdx does not manage the server.");
			kdx_error_hint(err, "Unset them to use kdx's private warehouse.");
			return kdx_cli_fail(st, err);
		}
		if (!strcmp(action, "url")) {
			if (env->json) {
				kdx_json j;
				kdx_json_begin(&j, stdout);
				kdx_json_str(&j, "conninfo", env->db_url);
				kdx_json_end(&j);
			} else {
				printf("%s\n", env->db_url ? env->db_url : "(libpq environment)");
			}
			return 0;
		}
		/* connect only, to see that it answers: the schema is not touched */
		kdx_db *db = NULL;
		st = kdx_db_open(env, KDX_SCHEMA_ANY, &db, NULL, &err);
		if (st != KDX_OK)
			return kdx_cli_fail(st, err);
		if (env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_str(&j, "warehouse", "external");
			kdx_json_str(&j, "where", db->where);
			kdx_json_bool(&j, "running", true);
			kdx_json_int(&j, "server_version", PQserverVersion(db->conn));
			kdx_json_end(&j);
		} else {
			printf("warehouse: external, %s\nstatus: answering (server %d)\n", db->where, PQserverVersion(db->conn));
		}
		kdx_db_close(db);
		return 0;
	}

	kdx_cluster *cl = NULL;
	if ((st = kdx_cluster_new(env->home, &cl, &err)) != KDX_OK)
		return kdx_cli_fail(st, err);
	if (!strcmp(action, "start")) {
		st = kdx_cluster_exists(cl) ? kdx_cluster_ensure(cl, &err) : kdx_cluster_missing(cl, &err);
		if (st == KDX_OK && env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_bool(&j, "running", true);
			kdx_json_int(&j, "pid", kdx_cluster_pid(cl));
			kdx_json_str(&j, "socket_dir", cl->sockdir);
			kdx_json_end(&j);
		} else if (st == KDX_OK && !env->quiet) {
			printf("private warehouse running (pid %ld), socket in %s\n", kdx_cluster_pid(cl), cl->sockdir);
		}
	} else if (!strcmp(action, "stop")) {
		st = kdx_cluster_stop(cl, &err);
		if (st == KDX_OK && env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_bool(&j, "running", false);
			kdx_json_end(&j);
		} else if (st == KDX_OK && !env->quiet)
			printf("private warehouse stopped\n");
	} else if (!strcmp(action, "url")) {
		char *ci = kdx_cluster_conninfo(cl, "kdx");
		if (env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_str(&j, "conninfo", ci);
			kdx_json_end(&j);
		} else {
			printf("%s\n", ci);
		}
		free(ci);
	} else {
		bool up = kdx_cluster_running(cl);
		if (env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_str(&j, "warehouse", "private");
			kdx_json_str(&j, "datadir", cl->datadir);
			kdx_json_str(&j, "socket_dir", cl->sockdir);
			kdx_json_bool(&j, "running", up);
			if (up)
				kdx_json_int(&j, "pid", kdx_cluster_pid(cl));
			else
				kdx_json_str(&j, "pid", NULL);
			kdx_json_end(&j);
		} else
			printf("warehouse: private\ndata directory: %s\nsocket directory: %s (Unix socket only, no TCP)\nstatus: %s\n",
			       cl->datadir, cl->sockdir, up ? "running" : "stopped");
		if (up && !env->json)
			printf("pid: %ld\n", kdx_cluster_pid(cl));
		if (!up)
			st = KDX_EUNAVAILABLE; /* like pg_ctl status: non-zero when not running */
	}
	kdx_cluster_free(cl);
	if (st == KDX_EUNAVAILABLE && !err)
		return kdx_status_exit(st);
	return kdx_cli_fail(st, err);
}
