/* cmd_table.c - kdx table GOAL|summary --as-of D [--format text|csv|json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/cli.h"
#include "kdx/jdate.h"
#include "kdx/tables.h"

const char kdx_usage_table[] =
	"usage: kdx table GOAL [--as-of DATE] [--format text|csv|json]\n"
	"       kdx table summary [--as-of DATE] [--format text|csv|json]\n"
	"\n"
	"Print a goal's adoption table as of DATE (default: today): the 全体 row\n"
	"first (Σ numerator ÷ Σ denominator), then each municipality in code order.\n"
	"GOAL is one of procedures, nursery, platforms, clubs, postpartum, pmh.\n"
	"\n"
	"  csv    code,name,denominator,numerator,rate,display,target,deadline,status\n"
	"         (rate: the exact fraction to 4 places; display: integer percent\n"
	"         rounded half up, or -)\n"
	"  text   the same, aligned, with what is left, rank, survey date and change\n"
	"  json   an array of objects with every field\n"
	"\n"
	"summary prints the municipalities x goals matrix (display and status).\n";

static const char *const goals[] = { "procedures", "nursery", "platforms", "clubs", "postpartum", "pmh", NULL };

int kdx_cmd_table(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_date asof = kdx_date_today();
	kdx_format fmt = KDX_FMT_TEXT;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = kdx_cli_as_of("table", optarg, &asof)) != 0)
				return rc;
			break;
		case 'f':
			if ((rc = kdx_cli_format("table", optarg, &fmt)) != 0)
				return rc;
			break;
		default:
			if ((rc = kdx_cli_common(c, "table", env)) >= 0)
				return rc;
		}
	}
	if (env->json)
		fmt = KDX_FMT_JSON;
	if (optind >= argc)
		return kdx_cli_usage_error("table", "missing GOAL (procedures, nursery, platforms, clubs, postpartum, pmh or summary)");
	const char *goal = argv[optind];
	if (optind + 1 < argc)
		return kdx_cli_usage_error("table", "unexpected argument \"%s\"", argv[optind + 1]);
	bool summary = !strcmp(goal, "summary");
	bool known = summary;
	for (int i = 0; goals[i]; i++)
		known |= !strcmp(goal, goals[i]);
	if (!known) {
		static const char *const all[] = { "procedures", "nursery", "platforms", "clubs", "postpartum", "pmh", "summary", NULL };
		const char *near = kdx_cli_closest(goal, all);
		return kdx_cli_usage_error("table", "unknown goal \"%s\"%s%s%s: give procedures, nursery, platforms, clubs, postpartum,"
		                           " pmh or summary", goal, near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
	}

	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_report_data *rd = NULL;
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st == KDX_OK)
		st = kdx_report_data_load(db, asof, &rd, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	kdx_present *p = kdx_present_new(rd);
	if (summary)
		kdx_table_summary(stdout, fmt, p);
	else if (kdx_table_goal_index(p, goal) >= 0)
		kdx_table_goal(stdout, fmt, p, kdx_table_goal_index(p, goal));
	else
		st = kdx_fail(&err, KDX_EUNAVAILABLE, "goal \"%s\" is not in the warehouse's master data", goal);
	kdx_present_free(p);
	kdx_report_data_free(rd);
	return kdx_cli_fail(st, err);
}
