/* cmd_restore.c - kdx restore: extract a snapshot safely. */
#include <stdio.h>
#include <stdlib.h>
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/restore.h"

const char kdx_usage_restore[] =
	"usage: kdx restore ARCHIVE --out DIR\n"
	"\n"
	"Extract a snapshot into DIR (new or empty), after the checks kdx verify\n"
	"makes: the bag against its manifests and, where there is a warehouse, against\n"
	"what it recorded for the snapshot the bag claims to be.  A bag that fails is\n"
	"not extracted at all.  ARCHIVE is a tar (plain, gzip, bzip2, xz or zstd) or a\n"
	"zip.  Absolute paths, \"..\", links and devices are refused; each file is\n"
	"written under a temporary name and renamed when whole, and a restore that\n"
	"fails (a full disk) removes what it wrote.\n";

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
	char *claim = NULL;
	kdx_db *db = kdx_cli_db_if_any(env, "the bag was checked on its own");
	kdx_status st = kdx_snapshot_restore(argv[optind], db, out, &files, &claim, &err);
	if (claim && !env->quiet && !env->json)
		printf("%s\n", claim);
	free(claim);
	if (st == KDX_OK && env->json) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_str(&j, "archive", argv[optind]);
		kdx_json_str(&j, "out", out);
		kdx_json_int(&j, "files", files);
		kdx_json_end(&j);
	} else if (st == KDX_OK && !env->quiet) {
		printf("restored %d files into %s\n", files, out);
	}
	return kdx_cli_fail(st, err);
}
