/* cmd_snapshots.c - kdx snapshots [--find PREFIX]: the archived snapshots and their chain. */
#include <stdio.h>
#include <string.h>
#include "kdx/cli.h"

const char kdx_usage_snapshots[] =
	"usage: kdx snapshots [--find PREFIX]\n"
	"\n"
	"List the archived snapshots: as-of, created, the data SHA-256 that the\n"
	"reports print on their cover, the tagmanifest SHA-256, whether each links to\n"
	"the one before it, and the file.\n"
	"\n"
	"  --find PREFIX  only the snapshots whose data or tagmanifest SHA-256 starts\n"
	"                 with PREFIX (as printed on a report or in the minutes)\n";

int kdx_cmd_snapshots(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "find", required_argument, NULL, 'f' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *find = "";
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'f')
			find = optarg;
		else if ((rc = kdx_cli_common(c, "snapshots", env)) >= 0)
			return rc;
	}
	if (optind < argc)
		return kdx_cli_usage_error("snapshots", "unexpected argument \"%s\"", argv[optind]);
	if (strspn(find, "0123456789abcdefABCDEF") != strlen(find))
		return kdx_cli_usage_error("snapshots", "--find takes the first hex digits of a SHA-256, not \"%s\"", find);
	static const kdx_field f[] = { { "id", "id", KDX_FIELD_NUMBER }, { "as_of", "as_of", KDX_FIELD_TEXT }, { "created", "created", KDX_FIELD_TEXT },
	                               { "data_sha256", "data_sha256", KDX_FIELD_TEXT }, { "tagmanifest_sha256", "tagmanifest_sha256", KDX_FIELD_TEXT },
	                               { "chain", "chain", KDX_FIELD_TEXT }, { "files", "files", KDX_FIELD_NUMBER }, { "path", "path", KDX_FIELD_TEXT } };
	const char *p[] = { find };
	/* the chain is judged over every snapshot, then filtered */
	return kdx_cli_list(env,
		"SELECT * FROM (SELECT id, as_of, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), data_sha256, tagmanifest_sha256,"
		" CASE WHEN previous_sha256 IS NOT DISTINCT FROM lag(tagmanifest_sha256) OVER (ORDER BY id) THEN 'linked'"
		" ELSE 'BROKEN' END, payload_files, path FROM kdx.snapshot) s"
		" WHERE $1 = '' OR data_sha256 LIKE lower($1) || '%' OR tagmanifest_sha256 LIKE lower($1) || '%' ORDER BY id",
		1, p, f, 8);
}
