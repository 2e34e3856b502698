/* cmd_ingest.c - kdx ingest FILE... | --inbox [DIR] */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kdx/cli.h"
#include "kdx/ingest.h"
#include "kdx/buf.h"

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
	"Exit status 65 when any file was rejected.\n";

struct inbox_file {
	char *path;
	char *name;
	struct timespec mtime;
};

static int cmp_inbox(const void *a, const void *b)
{
	const struct inbox_file *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int move_to(const char *path, const char *dir, const char *name)
{
	mkdir(dir, 0750);
	char *dst = kdx_strdup_printf("%s/%s", dir, name);
	int rc = rename(path, dst);
	free(dst);
	return rc;
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

	char *rejects = kdx_strdup_printf("%s/rejects", env->home);
	o.rejects_dir = rejects;
	struct inbox_file *files = NULL;
	size_t nfiles = 0;
	char *inbox_dir = NULL;
	if (inbox) {
		inbox_dir = optind < argc ? kdx_strdup(argv[optind]) : kdx_strdup_printf("%s/inbox", env->home);
		DIR *d = opendir(inbox_dir);
		if (!d) {
			kdx_error *e = kdx_error_new(KDX_EIO, "could not open inbox \"%s\": %s", inbox_dir, strerror(errno));
			free(inbox_dir);
			free(rejects);
			return kdx_cli_fail(KDX_EIO, e);
		}
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || strstr(de->d_name, ".reject."))
				continue;
			char *p = kdx_strdup_printf("%s/%s", inbox_dir, de->d_name);
			struct stat st;
			if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(p);
				continue;
			}
			files = kdx_xrealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles].path = p;
			files[nfiles].name = kdx_strdup(de->d_name);
			files[nfiles].mtime = st.st_mtim;
			nfiles++;
		}
		closedir(d);
		if (nfiles)
			qsort(files, nfiles, sizeof *files, cmp_inbox);
	} else {
		for (int i = optind; i < argc; i++) {
			files = kdx_xrealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles].path = kdx_strdup(argv[i]);
			const char *sl = strrchr(argv[i], '/');
			files[nfiles].name = kdx_strdup(sl ? sl + 1 : argv[i]);
			nfiles++;
		}
	}

	kdx_error *err = NULL;
	kdx_db *db = NULL;
	kdx_status st = kdx_db_open(env, true, &db, &err);
	int loaded = 0, already = 0, rejected = 0;
	kdx_status worst = KDX_OK;
	if (st != KDX_OK) {
		worst = st;
		kdx_error_print(stderr, "kdx", err);
		kdx_error_free(err);
		err = NULL;
		nfiles = nfiles; /* nothing processed */
	}
	char *done_dir = inbox ? kdx_strdup_printf("%s/done", inbox_dir) : NULL;
	char *rej_dir = inbox ? kdx_strdup_printf("%s/rejected", inbox_dir) : NULL;
	o.beside_dir = rej_dir;
	if (env->json)
		printf("{\"files\":[");
	for (size_t i = 0; db && i < nfiles; i++) {
		kdx_ingest_result res;
		st = kdx_ingest_file(db, files[i].path, &o, &res, &err);
		const char *outcome = "error";
		if (st == KDX_OK && res.outcome == KDX_INGEST_LOADED) {
			loaded++;
			outcome = "loaded";
			if (!env->json && !env->quiet)
				printf("loaded %s: batch %ld, %ld rows (%s)\n", files[i].name, res.batch_id, res.rows, res.summary);
		} else if (st == KDX_OK) {
			already++;
			outcome = "already-loaded";
			if (!env->json && !env->quiet)
				printf("skipped %s: %s\n", files[i].name, res.summary);
		} else if (st == KDX_EDATA) {
			rejected++;
			outcome = "rejected";
			kdx_error_print(stderr, "kdx", err);
		} else {
			kdx_error_print(stderr, "kdx", err);
		}
		if (st != KDX_OK && (worst == KDX_OK || worst == KDX_EDATA))
			worst = st;
		if (inbox && (st == KDX_OK || st == KDX_EDATA)) {
			if (move_to(files[i].path, st == KDX_OK ? done_dir : rej_dir, files[i].name) != 0)
				kdx_log_warning("could not move \"%s\": %s", files[i].path, strerror(errno));
		}
		if (env->json) {
			printf("%s{\"file\":", i ? "," : "");
			json_str(files[i].name);
			printf(",\"outcome\":\"%s\",\"batch\":%ld,\"rows\":%ld,\"problems\":%d,\"sha256\":", outcome,
			       res.batch_id, res.rows, res.problems);
			json_str(res.sha256);
			printf(",\"report\":");
			if (res.report_txt)
				json_str(res.report_txt);
			else
				printf("null");
			printf("}");
		}
		kdx_error_free(err);
		err = NULL;
		kdx_ingest_result_clear(&res);
		/* a lost warehouse ends the run; data problems do not */
		if (st != KDX_OK && st != KDX_EDATA)
			break;
	}
	if (env->json)
		printf("],\"loaded\":%d,\"already_loaded\":%d,\"rejected\":%d}\n", loaded, already, rejected);
	else if (!env->quiet && (inbox || nfiles > 1))
		printf("%d loaded, %d already loaded, %d rejected\n", loaded, already, rejected);
	kdx_db_close(db);
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].name);
	}
	free(files);
	free(inbox_dir);
	free(done_dir);
	free(rej_dir);
	free(rejects);
	return kdx_status_exit(worst);
}
