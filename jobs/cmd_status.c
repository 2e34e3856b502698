/* cmd_status.c - kdx status: the submission ledger. */
#include <stdio.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/cli.h"
#include "kdx/datasets.h"
#include "kdx/jdate.h"
#include "kdx/grid.h"

const char kdx_usage_status[] =
	"usage: kdx status [--as-of DATE] [--missing] [--format text|csv|json]\n"
	"\n"
	"The submission ledger as of DATE (default: today): for every municipality\n"
	"and dataset, the latest 調査基準日 received, the file, its state (受領,\n"
	"古い: older than six months, 未提出: none), how many submissions were\n"
	"superseded, and what changed against the previous submission (facilities\n"
	"that gained or lost ICT, procedures whose status moved).\n"
	"\n"
	"  --missing   only what is missing or stale\n";

int kdx_cmd_status(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "missing", no_argument, NULL, 'm' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_date asof = kdx_date_today();
	kdx_format fmt = KDX_FMT_TEXT;
	bool missing = false;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = kdx_cli_as_of("status", optarg, &asof)) != 0)
				return rc;
			break;
		case 'm': missing = true; break;
		case 'f':
			if ((rc = kdx_cli_format("status", optarg, &fmt)) != 0)
				return rc;
			break;
		default:
			if ((rc = kdx_cli_common(c, "status", env)) >= 0)
				return rc;
		}
	}
	if (optind < argc)
		return kdx_cli_usage_error("status", "unexpected argument \"%s\"", argv[optind]);
	if (env->json)
		fmt = KDX_FMT_JSON;
	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_cli_db(env, &db, NULL, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	/* people read the dataset's Japanese title; --json keeps its id */
	kdx_buf ids = { 0 }, titles = { 0 };
	for (int i = 0; i < KDX_DS_COUNT; i++) {
		kdx_buf_printf(&ids, "%s%s", i ? "," : "{", kdx_datasets[i].id);
		kdx_buf_printf(&titles, "%s%s", i ? "," : "{", kdx_datasets[i].title);
	}
	kdx_buf_adds(&ids, "}");
	kdx_buf_adds(&titles, "}");
	const char *p[] = { iso, missing ? "t" : "f", fmt == KDX_FMT_JSON ? "{}" : ids.data, fmt == KDX_FMT_JSON ? "{}" : titles.data };
	PGresult *r = kdx_db_query(db,
		"SELECT code, name, coalesce((SELECT u.t FROM unnest($3::text[], $4::text[]) u(i, t) WHERE u.i = dataset), dataset),"
		" coalesce(survey_date::text, ''), coalesce(file_name, ''),"
		" coalesce(to_char(loaded_at, 'YYYY-MM-DD HH24:MI'), ''), state, superseded, coalesce(changes, '')"
		" FROM kdx.ledger($1) WHERE NOT $2::boolean OR state <> '受領' ORDER BY code, dataset_ord", 4, p, &err);
	kdx_buf_free(&ids);
	kdx_buf_free(&titles);
	if (r) {
		static const kdx_field f[] = { { "コード", "code", KDX_FIELD_TEXT }, { "団体", "name", KDX_FIELD_TEXT }, { "データ", "dataset", KDX_FIELD_TEXT },
		                               { "調査基準日", "survey_date", KDX_FIELD_TEXT }, { "ファイル", "file", KDX_FIELD_TEXT }, { "取込日時", "loaded_at", KDX_FIELD_TEXT },
		                               { "状態", "state", KDX_FIELD_TEXT }, { "差替", "superseded", KDX_FIELD_NUMBER }, { "前回からの変化", "changes", KDX_FIELD_TEXT } };
		if (fmt == KDX_FMT_TEXT)
			printf("提出状況（%s 時点）\n", iso);
		kdx_grid_print_result(stdout, fmt, r, f, 9);
		PQclear(r);
	} else {
		st = KDX_EINTERNAL;
	}
	return kdx_cli_fail(st, err);
}
