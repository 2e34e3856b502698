/* cmd_ingest.c - kdx ingest FILE... | --inbox [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/layout.h"
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/inbox.h"
#include "kdx/grid.h"

const char kdx_usage_ingest[] =
	"usage: kdx ingest [--encoding ENC] FILE...\n"
	"       kdx ingest [--encoding ENC] --inbox [DIR]\n"
	"\n"
	"Load survey exports (CSV, .xlsx) and municipal workbooks.  The dataset is\n"
	"recognised from the header row or sheet name.  A file is loaded whole or not\n"
	"at all: any problem rejects it, and a reject report in Japanese (text and CSV)\n"
	"is written to $KDX_HOME/rejects/.  The same content again changes nothing.\n"
	"\n"
	"  --inbox [DIR]   take every file in DIR (default $KDX_HOME/inbox) in order of\n"
	"                  modification time, then name; move accepted files to DIR/done/\n"
	"                  and rejected ones, with their report, to DIR/rejected/\n"
	"  --encoding ENC  CSV encoding: auto (default), utf-8 or cp932\n"
	"\n"
	"A file that cannot be read is reported and the others are still loaded.\n"
	"Exit status 65 when any file was rejected, 74 when any could not be read.\n";

struct out_ctx {
	const kdx_env *env;
	kdx_json j;
};

static void report(void *ud, const char *name, kdx_status st, const kdx_ingest_result *res, const kdx_error *err)
{
	struct out_ctx *o = ud;
	if (o->env->json) {
		const char *outcome = st == KDX_EDATA ? "rejected" : st == KDX_EIO ? "unreadable" : st != KDX_OK ? "error"
		                    : res->outcome == KDX_INGEST_LOADED ? "loaded" : "already-loaded";
		kdx_json_object(&o->j, NULL);
		kdx_json_str(&o->j, "file", name);
		kdx_json_str(&o->j, "outcome", outcome);
		if (res->batch_id)
			kdx_json_int(&o->j, "batch", res->batch_id);
		else
			kdx_json_str(&o->j, "batch", NULL);
		kdx_json_int(&o->j, "rows", res->rows);
		kdx_json_int(&o->j, "problems", res->problems);
		kdx_json_str(&o->j, "sha256", res->sha256);
		kdx_json_str(&o->j, "report", res->report_txt);
		kdx_json_close(&o->j, '}');
	} else if (st == KDX_OK && !o->env->quiet) {
		if (res->outcome == KDX_INGEST_LOADED)
			printf("loaded %s: batch %ld, %ld rows (%s)\n", name, res->batch_id, res->rows, res->summary);
		else
			printf("skipped %s: %s\n", name, res->summary);
	}
	if (st != KDX_OK)
		kdx_error_print(stderr, "kdx", err);
}

int kdx_cmd_ingest(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "inbox", no_argument, NULL, 'i' },
		{ "encoding", required_argument, NULL, 'e' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_ingest_opts o = { 0 };
	bool inbox = false;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': inbox = true; break;
		case 'e':
			if (!kdx_encoding_parse(optarg, &o.encoding))
				return kdx_cli_usage_error("ingest", "unknown encoding \"%s\" (use utf-8 or cp932)", optarg);
			break;
		default:
			if ((rc = kdx_cli_common(c, "ingest", env)) >= 0)
				return rc;
		}
	}
	if (!inbox && optind >= argc)
		return kdx_cli_usage_error("ingest", "no input file given");
	if (inbox && argc - optind > 1)
		return kdx_cli_usage_error("ingest", "--inbox takes at most one folder");

	kdx_error *err = NULL;
	char **paths = NULL;
	int n = 0;
	char *inbox_dir = NULL;
	kdx_status st = KDX_OK;
	if (inbox) {
		inbox_dir = optind < argc ? kdx_strdup(argv[optind]) : kdx_home_path(env->home, KDX_PLACE_INBOX, NULL);
		if ((st = kdx_inbox_files(inbox_dir, &paths, &n, &err)) != KDX_OK) {
			free(inbox_dir);
			return kdx_cli_fail(st, err);
		}
	} else {
		n = argc - optind;
		paths = kdx_xcalloc((size_t)n + 1, sizeof *paths);
		for (int i = 0; i < n; i++)
			paths[i] = kdx_strdup(argv[optind + i]);
	}
	kdx_db *db = NULL;
	st = kdx_cli_db(env, &db, NULL, &err);
	if (st == KDX_OK) {
		char *rejects = kdx_home_path(env->home, KDX_PLACE_REJECTS, NULL);
		o.rejects_dir = rejects;
		struct out_ctx oc = { .env = env };
		kdx_ingest_counts counts;
		if (env->json) {
			kdx_json_begin(&oc.j, stdout);
			kdx_json_array(&oc.j, "files");
		}
		st = kdx_ingest_files(db, &o, inbox_dir, paths, n, report, &oc, &counts, &err);
		if (env->json) {
			kdx_json_close(&oc.j, ']');
			kdx_json_int(&oc.j, "loaded", counts.loaded);
			kdx_json_int(&oc.j, "already_loaded", counts.already);
			kdx_json_int(&oc.j, "rejected", counts.rejected);
			kdx_json_int(&oc.j, "unreadable", counts.failed);
			kdx_json_end(&oc.j);
		}
		else if (!env->quiet && (inbox || n > 1)) {
			printf("%d loaded, %d already loaded, %d rejected", counts.loaded, counts.already, counts.rejected);
			if (counts.failed)
				printf(", %d could not be read", counts.failed);
			printf("\n");
		}
		free(rejects);
	}
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(inbox_dir);
	if ((st == KDX_EDATA || st == KDX_EIO) && !err) /* each file's outcome was already reported */
		return kdx_status_exit(st);
	return kdx_cli_fail(st, err);
}
