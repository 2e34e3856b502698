/* cmd_snapshots.c - kdx snapshots: the archived snapshots and their chain. */
#include <stdio.h>
#include "kdx/cli.h"

const char kdx_usage_snapshots[] =
	"usage: kdx snapshots\n"
	"\n"
	"List the archived snapshots: as-of, created, tagmanifest SHA-256, file and\n"
	"whether each links to the one before it.\n";

int kdx_cmd_snapshots(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if ((rc = kdx_cli_common(c, "snapshots", env)) >= 0)
			return rc;
	static const char *const h[] = { "id", "as_of", "created", "tagmanifest_sha256", "chain", "files", "path" };
	return kdx_cli_list(env,
		"SELECT id, as_of, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), tagmanifest_sha256,"
		" CASE WHEN previous_sha256 IS NOT DISTINCT FROM lag(tagmanifest_sha256) OVER (ORDER BY id) THEN 'linked'"
		" ELSE 'BROKEN' END, payload_files, path FROM kdx.snapshot ORDER BY id", 0, NULL, h, 7, 1UL | (1UL << 5));
}
