/* cmd_init.c - kdx init: migrations and master data. */
#include <stdio.h>
#include <stdlib.h>
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/master.h"

const char kdx_usage_init[] =
	"usage: kdx init [--master DIR] [--pref CODE]\n"
	"\n"
	"Create or upgrade the warehouse schema (numbered migrations, each in one\n"
	"transaction, recorded in kdx.schema_version) and load the master data:\n"
	"prefectures, municipalities, procedures, goals and their items.  Running\n"
	"it again changes nothing.\n"
	"\n"
	"  --master DIR   load master data CSVs from DIR instead of the built-in copy\n"
	"                 (another prefecture's council is a data change)\n"
	"  --pref CODE    the prefecture whose council this warehouse serves by default\n"
	"                 (default: the first prefecture with municipalities; 000000\n"
	"                 is the national view over every municipality)\n";

int kdx_cmd_init(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "master", required_argument, NULL, 'm' },
		{ "pref", required_argument, NULL, 'p' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *master = NULL, *pref = NULL;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': master = optarg; break;
		case 'p': pref = optarg; break;
		default:
			if ((rc = kdx_cli_common(c, "init", env)) >= 0)
				return rc;
		}
	}
	if (optind < argc)
		return kdx_cli_usage_error("init", "unexpected argument \"%s\"", argv[optind]);

	kdx_error *err = NULL;
	kdx_db *db = NULL;
	int applied = 0;
	kdx_status st = kdx_cli_db(env, &db, &applied, &err);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	if ((st = kdx_master_load(db, master, &err)) != KDX_OK)
		goto out;
	const char *params[] = { pref };
	PGresult *r = kdx_db_query(db,
		"WITH p AS (SELECT coalesce($1::char(6), (SELECT min(pref_code) FROM kdx.municipality)) AS code)"
		" INSERT INTO kdx.council (pref_code) SELECT code FROM p"
		" WHERE EXISTS (SELECT 1 FROM kdx.prefecture f WHERE f.code = p.code)"
		" ON CONFLICT (singleton) DO UPDATE SET pref_code = excluded.pref_code"
		" RETURNING pref_code", 1, params, &err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto out;
	}
	if (PQntuples(r) == 0) {
		PQclear(r);
		st = kdx_fail(&err, KDX_EUSAGE, "prefecture \"%s\" is not in the master data", pref ? pref : "");
		kdx_error_hint(err, "Give --pref one of the codes in prefectures.csv.");
		goto out;
	}
	PQclear(r);
	r = kdx_db_query(db,
		"SELECT (SELECT count(*) FROM kdx.council_municipalities()),"
		" (SELECT count(*) FROM kdx.procedure), (SELECT count(*) FROM kdx.goal),"
		" (SELECT max(version) FROM kdx.schema_version), (SELECT pref_code FROM kdx.council)",
		0, NULL, &err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto out;
	}
	if (env->json) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_int(&j, "migrations_applied", applied);
		kdx_json_num(&j, "schema_version", PQgetvalue(r, 0, 3));
		kdx_json_str(&j, "council", PQgetvalue(r, 0, 4));
		kdx_json_num(&j, "municipalities", PQgetvalue(r, 0, 0));
		kdx_json_num(&j, "procedures", PQgetvalue(r, 0, 1));
		kdx_json_num(&j, "goals", PQgetvalue(r, 0, 2));
		kdx_json_end(&j);
	} else if (!env->quiet)
		printf("warehouse ready at %s: schema version %s (%d migration%s applied); council %s with %s municipalities, %s procedures, %s goals\n",
		       db->where, PQgetvalue(r, 0, 3), applied, applied == 1 ? "" : "s", PQgetvalue(r, 0, 4),
		       PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
	PQclear(r);
out:
	return kdx_cli_fail(st, err);
}
