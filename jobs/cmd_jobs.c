/* cmd_jobs.c - kdx jobs: the recorded job runs. */
#include <stdlib.h>
#include <stdio.h>
#include "kdx/cli.h"

const char kdx_usage_jobs[] =
	"usage: kdx jobs [--limit N]\n"
	"\n"
	"List recorded job runs, newest first: job, as-of, start, end, status, counts, message.\n";

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
	long n;
	if ((rc = kdx_cli_number("jobs", "--limit", limit, 1, 1000000, &n)) != 0)
		return rc;
	static const kdx_field f[] = { { "id", "id", KDX_FIELD_NUMBER }, { "job", "job", KDX_FIELD_TEXT }, { "as_of", "as_of", KDX_FIELD_TEXT },
	                               { "started", "started", KDX_FIELD_TEXT }, { "finished", "finished", KDX_FIELD_TEXT }, { "status", "status", KDX_FIELD_TEXT },
	                               { "loaded", "loaded", KDX_FIELD_NUMBER }, { "already", "already", KDX_FIELD_NUMBER }, { "rejected", "rejected", KDX_FIELD_NUMBER },
	                               { "rows", "rows", KDX_FIELD_NUMBER }, { "reports", "reports", KDX_FIELD_NUMBER }, { "templates", "templates", KDX_FIELD_NUMBER },
	                               { "message", "message", KDX_FIELD_TEXT } };
	return kdx_cli_list(env,
		"SELECT id, job, as_of, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(to_char(finished_at, 'HH24:MI:SS'), ''),"
		" status, files_loaded, files_already, files_rejected, rows_loaded, reports, templates, coalesce(message, '')"
		" FROM kdx.job_run ORDER BY id DESC LIMIT $1::int", 1, (const char *const[]){ limit }, f, 13);
}
