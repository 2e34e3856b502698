/* cmd_snapshot.c - kdx snapshot: archive the data and reports of an as-of date as a BagIt bag. */
#include <stdio.h>
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/bag.h"

const char kdx_usage_snapshot[] =
	"usage: kdx snapshot [--as-of DATE]\n"
	"\n"
	"Archive what the reports of DATE (default: today) used: CSV dumps of the\n"
	"warehouse rows, the load batches with their files' SHA-256, the master data\n"
	"and the reports, as a BagIt bag in $KDX_HOME/archive/<as-of>/<seq>_<hash>.tar.gz.\n"
	"bag-info.txt names the previous snapshot's tagmanifest SHA-256 (a hash chain).\n"
	"The same payload again for the same as-of reuses the existing snapshot.\n";

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
	/* a key that cannot sign is refused before anything is made */
	kdx_status st = kdx_signing_key_check(&err);
	if (st == KDX_OK)
		st = kdx_cli_db(env, &db, NULL, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	kdx_snapshot_info info;
	st = kdx_snapshot_create(env, db, asof, NULL, NULL, &info, &err);
	if (st == KDX_OK) {
		if (env->json) {
			kdx_json j;
			kdx_json_begin(&j, stdout);
			kdx_json_int(&j, "id", info.id);
			kdx_json_str(&j, "path", info.path);
			kdx_json_str(&j, "tagmanifest_sha256", info.tagmanifest_sha256);
			kdx_json_bool(&j, "reused", info.reused);
			kdx_json_end(&j);
		} else if (!env->quiet)
			printf("%s %s (tagmanifest SHA-256 %s)\n", info.reused ? "unchanged, snapshot is" : "snapshot written to",
			       info.path, info.tagmanifest_sha256);
	}
	return kdx_cli_fail(st, err);
}
