/* reproduce.c - the reports regenerated from a bag's archived data and compared byte for byte (see reproduce.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kdx/bagit.h"
#include "kdx/dumps.h"
#include "kdx/fsutil.h"
#include "kdx/master.h"
#include "kdx/mem.h"
#include "kdx/render.h"
#include "kdx/repdata.h"
#include "kdx/reproduce.h"
#include "kdx/restore.h"
#include "kdx/tar.h"

/* Does entry e (in memory or on disk) hold exactly the e->size bytes at want? */
static bool same_content(const kdx_tar_entry *e, const unsigned char *want)
{
	if (!e->src)
		return memcmp(e->data, want, e->size) == 0;
	FILE *fp = fopen(e->src, "rb");
	if (!fp)
		return false;
	unsigned char chunk[65536];
	size_t n, off = 0;
	bool same = true;
	while (same && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		same = off + n <= e->size && memcmp(chunk, want + off, n) == 0;
		off += n;
	}
	fclose(fp);
	return same && off == e->size;
}

/* The archived warehouse into rdb: its schema, master data and every dump. */
static kdx_status load_archived(kdx_db *rdb, const kdx_tar *t, const char *root, const char *bagdir, kdx_error **err)
{
	int applied;
	kdx_status st = kdx_db_migrate(rdb, &applied, err);
	if (st != KDX_OK)
		return st;
	char *master = kdx_strdup_printf("%s/%s/data/warehouse/master", bagdir, root);
	st = kdx_master_load(rdb, master, err);
	free(master);
	if (st == KDX_OK)
		st = kdx_dumps_load(rdb, t, root, err);
	return st;
}

/* The regenerated reports in outdir against the archived ones, both ways. */
static kdx_status compare_reports(const kdx_tar *t, const char *root, const char *outdir, kdx_verify_result *r,
                                  kdx_error **err)
{
	kdx_tar mine = { 0 };
	kdx_status st = kdx_tar_add_tree(&mine, outdir, "data/reports", err);
	if (st != KDX_OK) {
		kdx_tar_free(&mine);
		return st;
	}
	int archived = 0;
	for (int i = 0; i < t->n; i++) {
		const char *rel = t->e[i].path + strlen(root) + 1;
		if (strncmp(rel, "data/reports/", 13))
			continue;
		archived++;
		const kdx_tar_entry *m = kdx_tar_find(&mine, rel);
		r->checked++;
		if (!m)
			kdx_verify_problem(r, "not regenerated: %s", rel);
		else if (m->size != t->e[i].size || !same_content(m, t->e[i].data))
			kdx_verify_problem(r, "differs from the archived copy: %s", rel);
	}
	for (int i = 0; i < mine.n; i++) {
		char *full = kdx_strdup_printf("%s/%s", root, mine.e[i].path);
		if (!kdx_tar_find(t, full))
			kdx_verify_problem(r, "regenerated but not in the archive: %s", mine.e[i].path);
		free(full);
	}
	if (archived == 0)
		kdx_verify_problem(r, "the snapshot holds no reports");
	kdx_tar_free(&mine);
	return r->nproblems ? KDX_EDATA : KDX_OK;
}

/* In a temporary database beside db: the archived data, the reports from it,
 * and their comparison with the archived reports. */
static kdx_status reproduce_in(kdx_db *db, const char *dbname, const char *archive, const kdx_tar *t, const char *root,
                               const char *bagdir, const char *outdir, kdx_verify_result *r, kdx_error **err)
{
	char *ip = kdx_strdup_printf("%s/bag-info.txt", root);
	const kdx_tar_entry *info = kdx_tar_find(t, ip);
	free(ip);
	char buf[64], council[16] = "";
	kdx_date asof;
	if (!info || !kdx_bagit_info_field((const char *)info->data, "KDX-As-Of", buf, sizeof buf) || kdx_date_parse(buf, &asof) != KDX_DATE_OK)
		return kdx_fail(err, KDX_EDATA, "\"%s\" has no KDX-As-Of in bag-info.txt", archive);
	kdx_db *rdb = NULL;
	kdx_report_data *rd = NULL;
	int written = 0;
	kdx_status st = kdx_db_sibling(db, dbname, &rdb, err);
	/* the council the snapshot was taken for */
	if (st == KDX_OK && kdx_bagit_info_field((const char *)info->data, "KDX-Council", council, sizeof council))
		st = kdx_db_use_council(rdb, council, err);
	if (st == KDX_OK)
		st = load_archived(rdb, t, root, bagdir, err);
	if (st == KDX_OK)
		st = kdx_report_data_load(rdb, asof, &rd, err);
	/* the edition the reports printed: the bag's number (kdx-<as-of>-<seq>) */
	const char *dash = strrchr(root, '-');
	if (st == KDX_OK && dash && atoi(dash + 1) > 0)
		kdx_report_set_edition(rd, atoi(dash + 1));
	if (st == KDX_OK)
		st = kdx_render_reports(rd, outdir, NULL, true, 1, &written, err);
	if (st == KDX_OK)
		st = compare_reports(t, root, outdir, r, err);
	kdx_report_data_free(rd);
	kdx_db_close(rdb);
	return st;
}

kdx_status kdx_snapshot_reproduce(const kdx_env *env, kdx_db *db, const char *archive, kdx_verify_result *r, kdx_error **err)
{
	char *tmp = kdx_tmpdir_new(env->home);
	if (!tmp)
		return kdx_fail(err, KDX_EIO, "could not create a temporary folder under %s/var/tmp", env->home);
	char *bagdir = kdx_strdup_printf("%s/bag", tmp);
	char *outdir = kdx_strdup_printf("%s/reproduced", tmp);
	char *root = NULL;
	char dbname[64], sql[128];
	snprintf(dbname, sizeof dbname, "kdx_reproduce_%ld", (long)getpid());  /* a name kdx made, not input */
	kdx_tar t = { 0 };
	int files = 0;
	char *claim = NULL;
	/* the bag alone: kdx verify --reproduce checked it already */
	kdx_status st = kdx_snapshot_restore(archive, NULL, bagdir, &files, &claim, err);
	free(claim);
	if (st == KDX_OK)
		st = kdx_tar_read(archive, &t, err);
	if (st == KDX_OK && !(root = kdx_bagit_root(&t)))
		st = kdx_fail(err, KDX_EDATA, "\"%s\" is not a bag", archive);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
	if (st == KDX_OK && (st = kdx_db_exec(db, sql, err)) == KDX_OK) {
		st = reproduce_in(db, dbname, archive, &t, root, bagdir, outdir, r, err);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", dbname);
		kdx_db_exec(db, sql, NULL);
	}
	free(root);
	kdx_tar_free(&t);
	kdx_tmpdir_free(tmp);
	free(bagdir);
	free(outdir);
	return st;
}
