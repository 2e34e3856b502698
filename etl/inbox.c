/* inbox.c - ingest a list of files or an inbox folder (see inbox.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kdx/inbox.h"
#include "kdx/buf.h"
#include "kdx/fsutil.h"

struct entry {
	char *path;
	char *name;
	struct timespec mtime;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

kdx_status kdx_inbox_files(const char *dir, char ***paths, int *n, kdx_error **err)
{
	DIR *d = opendir(dir);
	*paths = NULL;
	*n = 0;
	if (!d) {
		kdx_fail(err, KDX_EIO, "could not open inbox \"%s\": %s", dir, strerror(errno));
		kdx_error_hint(*err, "Create the folder, or give another with --inbox DIR.");
		return KDX_EIO;
	}
	struct entry *e = NULL;
	int cnt = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strstr(de->d_name, ".reject.") || strstr(de->d_name, ".tmp"))
			continue;
		char *p = kdx_strdup_printf("%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		e = kdx_xrealloc(e, (size_t)(cnt + 1) * sizeof *e);
		e[cnt].path = p;
		e[cnt].name = kdx_strdup(de->d_name);
		e[cnt].mtime = st.st_mtim;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(e, (size_t)cnt, sizeof *e, cmp_entry);
	*paths = kdx_xcalloc((size_t)cnt + 1, sizeof **paths);
	for (int i = 0; i < cnt; i++) {
		(*paths)[i] = e[i].path;
		free(e[i].name);
	}
	free(e);
	*n = cnt;
	return KDX_OK;
}

static int move_to(const char *path, const char *dir)
{
	kdx_mkdirs(dir, 0750);
	const char *sl = strrchr(path, '/');
	char *dst = kdx_strdup_printf("%s/%s", dir, sl ? sl + 1 : path);
	int rc = rename(path, dst);
	free(dst);
	return rc;
}

kdx_status kdx_ingest_files(kdx_db *db, const kdx_ingest_opts *o, const char *inbox_dir, char **paths, int n,
                            kdx_ingest_cb cb, void *ctx, kdx_ingest_counts *counts, kdx_error **err)
{
	kdx_ingest_opts opts = *o;
	char *done = inbox_dir ? kdx_strdup_printf("%s/done", inbox_dir) : NULL;
	char *rejected = inbox_dir ? kdx_strdup_printf("%s/rejected", inbox_dir) : NULL;
	if (rejected)
		opts.beside_dir = rejected;
	memset(counts, 0, sizeof *counts);
	kdx_status worst = KDX_OK;
	for (int i = 0; i < n && !(opts.stop && *opts.stop); i++) {
		kdx_ingest_result res;
		kdx_error *fe = NULL;
		kdx_status st = kdx_ingest_file(db, paths[i], &opts, &res, &fe);
		const char *sl = strrchr(paths[i], '/');
		char *name = kdx_shown_name(sl ? sl + 1 : paths[i]);  /* as the ingest stored it */
		if (inbox_dir && st == KDX_EIO && access(paths[i], F_OK) != 0 && errno == ENOENT) {
			/* another kdx working on the same inbox took it between the listing and now */
			kdx_error_free(fe);
			kdx_ingest_result_clear(&res);
			free(name);
			continue;
		}
		if (st == KDX_OK && res.outcome == KDX_INGEST_LOADED) {
			counts->loaded++;
			counts->rows += res.rows;
		} else if (st == KDX_OK) {
			counts->already++;
		} else if (st == KDX_EDATA) {
			counts->rejected++;
		} else if (st == KDX_EIO) {
			counts->failed++;
		}
		if (cb)
			cb(ctx, name, st, &res, fe);
		free(name);
		if (inbox_dir && (st == KDX_OK || st == KDX_EDATA) &&
		    move_to(paths[i], st == KDX_OK ? done : rejected) != 0 && errno != ENOENT)  /* ENOENT: moved by another kdx */
			kdx_log_warning("could not move \"%s\": %s", paths[i], strerror(errno));
		kdx_ingest_result_clear(&res);
		if (st == KDX_EIO) {
			/* a file that cannot be read (gone, unreadable) is reported, and the
			 * others are still loaded */
			kdx_error_free(fe);
			worst = KDX_EIO;
			continue;
		}
		if (st != KDX_OK && st != KDX_EDATA) {
			/* a lost warehouse or a failure of kdx itself ends the run */
			if (err) {
				kdx_error_free(*err);
				*err = fe;
				fe = NULL;
			}
			kdx_error_free(fe);
			worst = st;
			break;
		}
		kdx_error_free(fe);
		if (st == KDX_EDATA && worst == KDX_OK)
			worst = KDX_EDATA;
	}
	free(done);
	free(rejected);
	return worst;
}
