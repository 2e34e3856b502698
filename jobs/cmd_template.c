/* cmd_template.c - kdx template: input workbooks for municipalities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/layout.h"
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/template.h"

const char kdx_usage_template[] =
	"usage: kdx template [--muni CODE]... [--as-of DATE] [--survey-date DATE] [--out DIR]\n"
	"\n"
	"Write one input workbook per municipality (default: all of the council's)\n"
	"with the sheets 手続電子化, 基盤導入, 産後ケア, 設定 and 記入方法, pre-filled with\n"
	"its answers as of DATE (default: today), every coded column a dropdown,\n"
	"headers and codes locked.  A filled workbook ingests back with kdx ingest.\n"
	"\n"
	"  --survey-date DATE  the 調査基準日 of the round (default: the as-of date)\n"
	"  --out DIR           default $KDX_HOME/out/<as-of>/templates\n";

int kdx_cmd_template(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "muni", required_argument, NULL, 'm' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "survey-date", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_date asof = kdx_date_today(), survey = { 0, 0, 0 };
	const char *out = NULL;
	const char **codes = NULL;  /* argv strings */
	int ncodes = 0, c, rc = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			codes = kdx_xrealloc(codes, (size_t)(ncodes + 1) * sizeof *codes);
			codes[ncodes++] = optarg;
			break;
		case 'a':
			if ((rc = kdx_cli_as_of("template", optarg, &asof)) != 0)
				goto done;
			break;
		case 's':
			if (kdx_date_parse(optarg, &survey) != KDX_DATE_OK) {
				rc = kdx_cli_usage_error("template", "invalid --survey-date \"%s\"", optarg);
				goto done;
			}
			break;
		case 'o': out = optarg; break;
		default:
			if ((rc = kdx_cli_common(c, "template", env)) >= 0)
				goto done;
			rc = 0;
		}
	}
	if (optind < argc) {
		rc = kdx_cli_usage_error("template", "unexpected argument \"%s\"", argv[optind]);
		goto done;
	}
	if (!survey.y)
		survey = asof;
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st != KDX_OK) {
		free(codes);
		return kdx_cli_fail(st, err);
	}
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	char *dir = out ? kdx_strdup(out) : kdx_home_path(env->home, KDX_PLACE_TEMPLATES, iso);
	int written = 0;
	st = kdx_templates_write(db, codes, ncodes, asof, survey, dir, 1, &written, &err);
	if (st == KDX_OK && env->json) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_str(&j, "as_of", iso);
		kdx_json_int(&j, "workbooks", written);
		kdx_json_str(&j, "out", dir);
		kdx_json_end(&j);
	} else if (st == KDX_OK && !env->quiet) {
		printf("%d input workbook%s written to %s\n", written, written == 1 ? "" : "s", dir);
	}
	free(dir);
	free(codes);
	return kdx_cli_fail(st, err);
done:
	free(codes);
	return rc;
}
