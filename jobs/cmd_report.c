/* cmd_report.c - kdx report: council and municipal reports, charts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/layout.h"
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/render.h"

const char kdx_usage_report[] =
	"usage: kdx report [--as-of DATE] [--muni CODE]... [--out DIR] [-j N]\n"
	"                  [--shard I/N] [--council-only]\n"
	"\n"
	"Write the reports for an as-of date (default: today) under DIR (default\n"
	"$KDX_HOME/out/<as-of>/):\n"
	"  council/<as-of>_こども政策DX進捗.pdf and .xlsx   the council's meeting materials\n"
	"  municipalities/<code>_<name>.pdf and .xlsx      one feedback report per municipality\n"
	"  charts/<goal>.png and .svg                      the goal charts, for slides\n"
	"\n"
	"  --muni CODE   only these municipalities' feedback reports (repeatable)\n"
	"  --shard I/N   this machine's share when N machines share one warehouse: the\n"
	"                municipalities whose position in code order is I modulo N\n"
	"                (1-based); shard 1 also writes the council report and charts\n"
	"  --council-only  the council report and charts, no feedback reports\n"
	"  -j, --jobs N  render in N worker processes\n"
	"The same data and as-of give byte-identical files.\n";

int kdx_cmd_report(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "muni", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, 's' },
		{ "council-only", no_argument, NULL, 'C' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_date asof = kdx_date_today();
	const char *out = NULL;
	char **munis = NULL;
	int nmunis = 0, jobs = 1, shard = 1, nshards = 1, c, rc;
	bool council_only = false;
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = kdx_cli_as_of("report", optarg, &asof)) != 0)
				goto usage_out;
			break;
		case 'm':
			munis = kdx_xrealloc(munis, (size_t)(nmunis + 1) * sizeof *munis);
			munis[nmunis++] = optarg;
			break;
		case 'o': out = optarg; break;
		case 'C': council_only = true; break;
		case 's':
			if (sscanf(optarg, "%d/%d", &shard, &nshards) != 2 || nshards < 1 || shard < 1 || shard > nshards) {
				rc = kdx_cli_usage_error("report", "--shard takes I/N with 1 <= I <= N, e.g. 2/4");
				goto usage_out;
			}
			break;
		case 'j':
		{
			long v;
			if ((rc = kdx_cli_number("report", "-j", optarg, 1, 64, &v)) != 0)
				goto usage_out;
			jobs = (int)v;
			break;
		}
		default:
			if ((rc = kdx_cli_common(c, "report", env)) >= 0)
				goto usage_out;
		}
	}
	if (optind < argc) {
		rc = kdx_cli_usage_error("report", "unexpected argument \"%s\"", argv[optind]);
		goto usage_out;
	}
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_report_result res = { 0 };
	kdx_report_request rq = { asof, env->home, out, (const char *const *)munis, nmunis, shard, nshards, council_only, jobs };
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st == KDX_OK)
		st = kdx_reports_write(db, &rq, &res, &err);
	if (st == KDX_OK && env->json) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_str(&j, "as_of", res.asof_iso);
		kdx_json_str(&j, "out", res.outdir);
		kdx_json_bool(&j, "council", res.council);
		kdx_json_int(&j, "municipalities", res.written);
		kdx_json_str(&j, "data_sha256", res.data_hash);
		kdx_json_end(&j);
	} else if (st == KDX_OK && !env->quiet) {
		printf("reports for %s written to %s: %s%d municipal feedback reports (PDF and Excel)\n", res.asof_iso, res.outdir,
		       res.council ? "council report (PDF and Excel), 6 charts (PNG and SVG), " : "", res.written);
		if (res.ncouncils > 0)
			printf("and the council reports of %d prefectures in %s/" KDX_OUT_COUNCILS "\n", res.ncouncils, res.outdir);
	}
	kdx_report_result_free(&res);
	free(munis);
	return kdx_cli_fail(st, err);
usage_out:
	free(munis);
	return rc;
}
