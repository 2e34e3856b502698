/* cmd_snapshot.c - kdx snapshot, snapshots, verify, restore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/cli.h"
#include "kdx/snapshot.h"
#include "kdx/tabout.h"

const char kdx_usage_snapshot[] =
	"usage: kdx snapshot [--as-of DATE]\n"
	"\n"
	"Archive what the reports of DATE (default: today) used: CSV dumps of the\n"
	"warehouse rows, the load batches with their files' SHA-256, the master data\n"
	"and the reports, as a BagIt bag in $KDX_HOME/archive/<as-of>/<seq>_<hash>.tar.gz.\n"
	"bag-info.txt names the previous snapshot's tagmanifest SHA-256 (a hash chain).\n"
	"The same payload again for the same as-of reuses the existing snapshot.\n";

const char kdx_usage_snapshots[] =
	"usage: kdx snapshots\n"
	"\n"
	"List the archived snapshots: as-of, created, tagmanifest SHA-256, file and\n"
	"whether each links to the one before it.\n";

const char kdx_usage_verify[] =
	"usage: kdx verify ARCHIVE\n"
	"       kdx verify --all\n"
	"       kdx verify --reproduce ARCHIVE\n"
	"\n"
	"Check a snapshot against RFC 8493 (every manifest entry present and matching,\n"
	"no extra payload file, tag manifest, Payload-Oxum), or every recorded\n"
	"snapshot and the chain between them.  --reproduce also regenerates the\n"
	"reports from the archived data in a temporary database and compares them\n"
	"byte for byte.  Every problem is named; exit status 65 when there is any.\n";

const char kdx_usage_restore[] =
	"usage: kdx restore ARCHIVE --out DIR\n"
	"\n"
	"Extract a snapshot into DIR (new or empty).  Absolute paths, \"..\", links\n"
	"and devices are refused.\n";

static int print_problems(const kdx_verify_result *r, const char *what)
{
	if (r->nproblems == 0)
		return 0;
	fprintf(stderr, "kdx: error: %s failed: %d problem%s\n", what, r->nproblems, r->nproblems == 1 ? "" : "s");
	for (int i = 0; i < r->nproblems; i++)
		fprintf(stderr, "detail: %s\n", r->problems[i]);
	fprintf(stderr, "hint: Restore the named files from a good copy of the archive, or take a new snapshot.\n");
	return 65;
}

int kdx_cmd_snapshot(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { { "as-of", required_argument, NULL, 'a' }, KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	kdx_date asof = kdx_date_today();
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'a') {
			if ((rc = kdx_cli_as_of("snapshot", optarg, &asof)) != 0)
				return rc;
		} else if ((rc = kdx_cli_common(c, "snapshot", env)) >= 0) {
			return rc;
		}
	}
	if (optind < argc)
		return kdx_cli_usage_error("snapshot", "unexpected argument \"%s\"", argv[optind]);
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_db_open(env, true, &db, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	kdx_snapshot_info info;
	st = kdx_snapshot_create(env, db, asof, NULL, NULL, &info, &err);
	if (st == KDX_OK) {
		if (env->json)
			printf("{\"id\":%ld,\"path\":\"%s\",\"tagmanifest_sha256\":\"%s\",\"reused\":%s}\n", info.id, info.path,
			       info.tagmanifest_sha256, info.reused ? "true" : "false");
		else if (!env->quiet)
			printf("%s %s (tagmanifest SHA-256 %s)\n", info.reused ? "unchanged, snapshot is" : "snapshot written to",
			       info.path, info.tagmanifest_sha256);
	}
	kdx_db_close(db);
	return kdx_cli_fail(st, err);
}

int kdx_cmd_snapshots(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if ((rc = kdx_cli_common(c, "snapshots", env)) >= 0)
			return rc;
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_db_open(env, true, &db, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	PGresult *r = kdx_db_query(db,
		"SELECT id, as_of, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), tagmanifest_sha256,"
		" CASE WHEN previous_sha256 IS NOT DISTINCT FROM lag(tagmanifest_sha256) OVER (ORDER BY id) THEN 'linked'"
		" ELSE 'BROKEN' END, payload_files, path FROM kdx.snapshot ORDER BY id", 0, NULL, &err);
	if (r) {
		static const char *const h[] = { "id", "as_of", "created", "tagmanifest_sha256", "chain", "files", "path" };
		kdx_tabout(stdout, env->json ? KDX_FMT_JSON : KDX_FMT_TEXT, r, h, 7, 1UL | (1UL << 5));
		PQclear(r);
	} else {
		st = KDX_EINTERNAL;
	}
	kdx_db_close(db);
	return kdx_cli_fail(st, err);
}

int kdx_cmd_verify(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "reproduce", no_argument, NULL, 'r' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	bool all = false, reproduce = false;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else if (c == 'r')
			reproduce = true;
		else if ((rc = kdx_cli_common(c, "verify", env)) >= 0)
			return rc;
	}
	if (all == (optind < argc))
		return kdx_cli_usage_error("verify", "give an ARCHIVE or --all");
	kdx_verify_result res = { 0 };
	kdx_error *err = NULL;
	kdx_status st;
	if (!all && !reproduce) {
		st = kdx_snapshot_verify(argv[optind], &res, NULL, NULL, &err);
		if (st == KDX_OK && !env->quiet)
			printf("%s: valid bag\n", argv[optind]);
	} else {
		kdx_db *db = NULL;
		st = kdx_db_open(env, true, &db, &err);
		if (st == KDX_OK && all) {
			st = kdx_snapshot_verify_all(db, &res, &err);
			if (st == KDX_OK && !env->quiet)
				printf("%d snapshot%s valid, chain intact\n", res.checked, res.checked == 1 ? "" : "s");
		} else if (st == KDX_OK) {
			st = kdx_snapshot_verify(argv[optind], &res, NULL, NULL, &err);
			if (st == KDX_OK) {
				res.checked = 0;
				st = kdx_snapshot_reproduce(env, db, argv[optind], &res, &err);
				if (st == KDX_OK && !env->quiet)
					printf("%s: %d reports regenerated byte for byte\n", argv[optind], res.checked);
			}
		}
		kdx_db_close(db);
	}
	if (st == KDX_EDATA && !err) {
		rc = print_problems(&res, all ? "verification of the snapshot chain" : reproduce ? "reproduction" : "verification");
		kdx_verify_result_free(&res);
		return rc;
	}
	kdx_verify_result_free(&res);
	return kdx_cli_fail(st, err);
}

int kdx_cmd_restore(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { { "out", required_argument, NULL, 'o' }, KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	const char *out = NULL;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if ((rc = kdx_cli_common(c, "restore", env)) >= 0)
			return rc;
	}
	if (optind + 1 != argc || !out)
		return kdx_cli_usage_error("restore", "give one ARCHIVE and --out DIR");
	kdx_error *err = NULL;
	int files = 0;
	kdx_status st = kdx_snapshot_restore(argv[optind], out, &files, &err);
	if (st == KDX_OK && !env->quiet)
		printf("restored %d files into %s\n", files, out);
	return kdx_cli_fail(st, err);
}
