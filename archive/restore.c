/* restore.c - a verified bag extracted safely (see restore.h). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/fsutil.h"
#include "kdx/mem.h"
#include "kdx/restore.h"
#include "kdx/strset.h"
#include "kdx/tar.h"
#include "kdx/verify.h"

/* Two entries of one path, or a file where another entry needs a folder, would
 * leave a half-restored bag: refused before anything is written. */
static kdx_status check_entries(const kdx_tar *t, const char *archive, kdx_error **err)
{
	kdx_strset files = { 0 }, dirs = { 0 };
	kdx_status st = KDX_OK;
	for (int i = 0; i < t->n && st == KDX_OK; i++) {
		const char *path = t->e[i].path;
		if (strlen(path) >= KDX_STRSET_KEY_MAX) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" has an entry name too long to restore", archive);
			break;
		}
		if (kdx_strset_put(&files, path, i + 1) != 0 || kdx_strset_put(&dirs, path, -1) > 0) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" twice (or as a file and a folder)", archive, path);
			break;
		}
		char *p = kdx_strdup(path);
		for (char *sl = strchr(p, '/'); sl && st == KDX_OK; sl = strchr(sl + 1, '/')) {
			*sl = '\0';
			if (kdx_strset_put(&dirs, p, 1) < 0 || kdx_strset_put(&files, p, -1) > 0)
				st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" as a file and as a folder", archive, p);
			*sl = '/';
		}
		free(p);
	}
	kdx_strset_free(&files);
	kdx_strset_free(&dirs);
	if (st != KDX_OK)
		kdx_error_hint(*err, "Nothing was written.  A bag kdx wrote never has this: keep the archive and report it.");
	return st;
}

kdx_status kdx_snapshot_restore(const char *archive, const char *dir, int *files, kdx_error **err)
{
	/* the names (and the tag files) only: the payload streams by */
	kdx_tar t = { 0 };
	kdx_status st = kdx_tar_read_digests(archive, NULL, &t, err);
	if (st != KDX_OK)
		return st;
	if ((st = check_entries(&t, archive, err)) != KDX_OK) {
		kdx_tar_free(&t);
		return st;
	}
	/* a bag that fails verification is evidence, not something to extract */
	kdx_verify_result vr = { 0 };
	kdx_error *ve = NULL;
	kdx_status vst = kdx_snapshot_verify(archive, &vr, NULL, NULL, &ve);
	if (vst != KDX_OK) {
		kdx_tar_free(&t);
		if (ve) {
			*err = ve;
			kdx_verify_result_free(&vr);
			return vst;
		}
		kdx_snapshot_refuse(archive, &vr, "nothing was restored", "restore from a backup copy that kdx verify accepts", err);
		kdx_verify_result_free(&vr);
		return KDX_EDATA;
	}
	kdx_verify_result_free(&vr);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		bool empty = true;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = false;
		closedir(d);
		if (!empty) {
			kdx_tar_free(&t);
			return kdx_fail(err, KDX_EUSAGE, "destination \"%s\" is not empty", dir);
		}
	}
	if (kdx_mkdirs(dir, 0750) != 0) {
		kdx_tar_free(&t);
		return kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", dir, strerror(errno));
	}
	kdx_tar_free(&t);
	/* written as the archive streams by, never held in memory */
	return kdx_tar_extract(archive, dir, files, err);
}
