/* cmd_table.c - kdx table GOAL|summary --as-of D [--format text|csv|json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/cli.h"
#include "kdx/jdate.h"
#include "kdx/tabout.h"

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
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	PGresult *r;
	if (summary) {
		const char *p[] = { iso };
		r = kdx_db_query(db,
			"SELECT code, max(name),"
			" max(display) FILTER (WHERE goal = 'procedures'), max(status) FILTER (WHERE goal = 'procedures'),"
			" max(display) FILTER (WHERE goal = 'nursery'), max(status) FILTER (WHERE goal = 'nursery'),"
			" max(display) FILTER (WHERE goal = 'platforms'), max(status) FILTER (WHERE goal = 'platforms'),"
			" max(display) FILTER (WHERE goal = 'clubs'), max(status) FILTER (WHERE goal = 'clubs'),"
			" max(display) FILTER (WHERE goal = 'postpartum'), max(status) FILTER (WHERE goal = 'postpartum'),"
			" max(display) FILTER (WHERE goal = 'pmh'), max(status) FILTER (WHERE goal = 'pmh')"
			" FROM kdx.goal_summary($1) GROUP BY code"
			" ORDER BY code = (SELECT kdx.council_code()) DESC, code", 1, p, &err);
		if (r) {
			/* text for people: Japanese headings (the goals' short titles, in the columns' order) */
			static const char *const h[] = { "コード", "団体", "手続電子化", "状況", "保育所ICT", "状況",
			                                 "保育PF", "状況", "児童クラブICT", "状況", "産後ケアDX", "状況",
			                                 "PMH", "状況" };
			static const char *const hj[] = { "code", "name", "procedures", "procedures_status", "nursery",
			                                  "nursery_status", "platforms", "platforms_status", "clubs",
			                                  "clubs_status", "postpartum", "postpartum_status", "pmh", "pmh_status" };
			if (fmt == KDX_FMT_TEXT)
				printf("こども政策DX 共同目標 進捗一覧（%s 時点）\n", iso);
			kdx_tabout(stdout, fmt, r, fmt == KDX_FMT_TEXT ? h : hj, 14, 0x1554);
		}
	} else {
		const char *p[] = { goal, iso };
		/* people read 古い where the data is stale; JSON keeps the boolean (kdx's own SQL text, no input) */
		char sql[1024];
		snprintf(sql, sizeof sql,
			"SELECT code, name, denominator, numerator, to_char(rate, 'FM0.0000'), display,"
			" coalesce(to_char(target, 'FM0.00'), (SELECT target_label FROM kdx.goal WHERE id = $1)),"
			" deadline, status, remaining, rank, survey_date, %s,"
			" CASE WHEN change_pt IS NULL THEN NULL WHEN change_pt >= 0 THEN '+' || change_pt || 'pt' ELSE change_pt || 'pt' END,"
			" prev_display, projected_date, caution, own_denominator, own_numerator, own_display,"
			" achieved_count, in_scope_count"
			" FROM kdx.goal_table($1, $2)", fmt == KDX_FMT_TEXT ? "CASE WHEN stale THEN '古い' ELSE '' END" : "stale");
		r = kdx_db_query(db, sql, 2, p, &err);
		if (r) {
			static const char *const hcsv[] = { "code", "name", "denominator", "numerator", "rate", "display",
			                                    "target", "deadline", "status" };
			static const char *const hjson[] = { "code", "name", "denominator", "numerator", "rate", "display",
			                                     "target", "deadline", "status", "remaining", "rank",
			                                     "survey_date", "stale", "change", "previous_display",
			                                     "projected_date", "caution", "own_denominator",
			                                     "own_numerator", "own_display", "achieved_count",
			                                     "in_scope_count" };
			if (fmt == KDX_FMT_CSV) {
				kdx_tabout(stdout, fmt, r, hcsv, 9, 0);
			} else if (fmt == KDX_FMT_JSON) {
				kdx_tabout(stdout, fmt, r, hjson, 22, (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 9) |
				           (1UL << 10) | (1UL << 17) | (1UL << 18) | (1UL << 20) | (1UL << 21));
			} else {
				static const char *const ht[] = { "コード", "団体", "分母", "分子", "率", "表示", "目標",
				                                  "期限", "状況", "残り", "順位", "調査基準日", "6か月超", "前回比" };
				PGresult *t = kdx_db_query(db, "SELECT title FROM kdx.goal WHERE id = $1", 1, p, &err);
				printf("%s（%s 時点）\n", t && PQntuples(t) ? PQgetvalue(t, 0, 0) : goal, iso);
				PQclear(t);
				kdx_tabout(stdout, fmt, r, ht, 14, (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 5) |
				           (1UL << 9) | (1UL << 10) | (1UL << 13));
			}
		}
	}
	if (!r)
		st = KDX_EINTERNAL;
	PQclear(r);
	return kdx_cli_fail(st, err);
}
