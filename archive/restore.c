/* restore.c - a verified bag extracted safely (see restore.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kdx/buf.h"
#include "kdx/digest.h"
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
			char *shown = kdx_shown_name(path);
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" twice (or as a file and a folder)", archive, shown);
			free(shown);
			break;
		}
		char *p = kdx_strdup(path);
		for (char *sl = strchr(p, '/'); sl && st == KDX_OK; sl = strchr(sl + 1, '/')) {
			*sl = '\0';
			if (kdx_strset_put(&dirs, p, 1) < 0 || kdx_strset_put(&files, p, -1) > 0) {
				char *shown = kdx_shown_name(p);
				st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" as a file and as a folder", archive, shown);
				free(shown);
			}
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

/* What one restore made under its destination, in order, so that a failed
 * one can take it all back: files, and the folders it created. */
typedef struct made {
	char **rel;   /* relative to the destination */
	bool *dir;
	int n, cap;
} made;

static void made_add(made *m, const char *rel, bool dir)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->rel = kdx_xrealloc(m->rel, (size_t)m->cap * sizeof *m->rel);
		m->dir = kdx_xrealloc(m->dir, (size_t)m->cap * sizeof *m->dir);
	}
	m->rel[m->n] = kdx_strdup(rel);
	m->dir[m->n++] = dir;
}

/* Remove what was made, last first (a folder after what it holds); with
 * undo false only forget it. */
static void made_free(made *m, int root, bool undo)
{
	for (int i = m->n - 1; i >= 0; i--) {
		if (undo)
			unlinkat(root, m->rel[i], m->dir[i] ? AT_REMOVEDIR : 0);
		free(m->rel[i]);
	}
	free(m->rel);
	free(m->dir);
	memset(m, 0, sizeof *m);
}

/* The folder that holds rel (its components but the last) under root, made
 * where missing (recorded in m), never through a link: an fd, or -1. */
static int open_parent(int root, const char *rel, made *m)
{
	int fd = dup(root);
	char *p = kdx_strdup(rel);
	for (char *s = p, *sl; fd >= 0 && (sl = strchr(s, '/')) != NULL; s = sl + 1) {
		*sl = '\0';
		if (mkdirat(fd, s, 0750) == 0)
			made_add(m, p, true);
		else if (errno != EEXIST)
			goto fail;
		int next = openat(fd, s, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			goto fail;
		close(fd);
		fd = next;
		*sl = '/';
	}
	free(p);
	return fd;
fail:;
	int e = errno;
	close(fd);
	free(p);
	errno = e;
	return -1;
}

/* Put tmp in place as name in folder fd, never over an entry already there. */
static int rename_new(int fd, const char *tmp, const char *name)
{
	if (renameat2(fd, tmp, fd, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: a link fails where name exists */
	if (linkat(fd, tmp, fd, name, 0) != 0)
		return -1;
	unlinkat(fd, tmp, 0);
	return 0;
}

/* The SHA-256 the verified bag holds for entry e. */
static void expected_sha256(const kdx_tar_entry *e, char out[65])
{
	if (e->data)
		kdx_sha256_hex(e->data, e->size, out);
	else
		memcpy(out, e->sha256, 65);
}

/* One file of the archive, as it streams by, into root/rel: written under a
 * temporary name beside it and renamed only when whole and the same as the
 * bag verified (want).  *werr is the errno of a failed write. */
static kdx_status write_one(kdx_tar_reader *r, int root, const char *rel, const kdx_tar_entry *want, made *m, int *werr,
                            const char *archive, kdx_error **err)
{
	int pfd = open_parent(root, rel, m);
	if (pfd < 0) {
		*werr = errno;
		return KDX_EIO;
	}
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	char *tmp = kdx_strdup_printf("%s.tmp%ld", base, (long)getpid());
	int fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	kdx_status st = KDX_OK;
	if (fd < 0) {
		*werr = errno;
		st = KDX_EIO;
	}
	kdx_sums sums;
	kdx_sums_init(&sums, false);
	size_t size = 0, got;
	unsigned char chunk[65536];
	while (st == KDX_OK && (st = kdx_tar_reader_read(r, chunk, sizeof chunk, &got, err)) == KDX_OK && got > 0) {
		kdx_sums_update(&sums, chunk, got);
		size += got;
		for (size_t off = 0; off < got;) {
			ssize_t w = write(fd, chunk + off, got - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				*werr = w < 0 ? errno : EIO;
				st = KDX_EIO;
				break;
			}
			off += (size_t)w;
		}
	}
	char h[65], wh[65];
	kdx_sums_final(&sums, h, NULL);
	if (fd >= 0 && close(fd) != 0 && st == KDX_OK) {
		*werr = errno;
		st = KDX_EIO;
	}
	if (st == KDX_OK) {
		expected_sha256(want, wh);
		if (size != want->size || strcmp(h, wh)) {
			char *shown = kdx_shown_name(rel);
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" changed while it was restored: \"%s\" is not the file verified", archive, shown);
			free(shown);
			kdx_error_detail(*err, "Its content differs from what kdx verify read a moment before.");
		}
	}
	if (st == KDX_OK && rename_new(pfd, tmp, base) != 0) {
		*werr = errno;
		st = KDX_EIO;
	}
	if (st == KDX_OK)
		made_add(m, rel, false);
	else
		unlinkat(pfd, tmp, 0);
	free(tmp);
	close(pfd);
	return st;
}

/* Every file of the verified bag (expect) from the archive into dir. */
static kdx_status extract(const char *archive, const char *dir, const kdx_tar *expect, int *files, kdx_error **err)
{
	*files = 0;
	kdx_strset index = { 0 };
	for (int i = 0; i < expect->n; i++)
		kdx_strset_put(&index, expect->e[i].path, i + 1);  /* check_entries: each once, and short enough */
	bool *done = kdx_xcalloc((size_t)expect->n + 1, sizeof *done);
	made m = { 0 };
	int root = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	kdx_tar_reader *r = NULL;
	kdx_status st = root < 0 ? kdx_fail(err, KDX_EIO, "could not open \"%s\": %s", dir, strerror(errno))
	                         : kdx_tar_reader_open(archive, &r, err);
	const char *name = NULL;
	char *failed = NULL;
	int werr = 0;
	while (st == KDX_OK && (st = kdx_tar_reader_next(r, &name, err)) == KDX_OK && name) {
		long i = strlen(name) < KDX_STRSET_KEY_MAX ? kdx_strset_put(&index, name, -1) : 0;
		if (i <= 0 || done[i - 1]) {
			char *shown = kdx_shown_name(name);
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" changed while it was restored: \"%s\" is not a file verified", archive, shown);
			free(shown);
			break;
		}
		done[i - 1] = true;
		st = write_one(r, root, name, &expect->e[i - 1], &m, &werr, archive, err);
		if (st == KDX_EIO && werr)
			failed = kdx_shown_name(name);
		else if (st == KDX_OK)
			(*files)++;
	}
	for (int i = 0; st == KDX_OK && i < expect->n; i++)
		if (!done[i]) {
			char *shown = kdx_shown_name(expect->e[i].path);
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" changed while it was restored: \"%s\" is missing", archive, shown);
			free(shown);
		}
	if (failed)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s/%s\": %s", dir, failed, strerror(werr));
	if (st != KDX_OK) {
		kdx_error_detail(*err, "The restore stopped there, and nothing of it was left: the %d file%s and the folders it had written were removed.",
		                 *files, *files == 1 ? "" : "s");
		if (failed)
			kdx_error_hint(*err, "Make room under \"%s\", or restore into another folder.", dir);
		*files = 0;
	}
	made_free(&m, root, st != KDX_OK);
	kdx_tar_reader_free(r);
	if (root >= 0)
		close(root);
	free(failed);
	free(done);
	kdx_strset_free(&index);
	return st;
}

/* dir is new or an empty folder: *created says whether this restore makes it. */
static kdx_status prepare_dir(const char *dir, bool *created, kdx_error **err)
{
	*created = false;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		bool empty = true;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = false;
		closedir(d);
		return empty ? KDX_OK : kdx_fail(err, KDX_EUSAGE, "destination \"%s\" is not empty", dir);
	}
	if (mkdir(dir, 0750) != 0)
		return kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", dir, strerror(errno));
	*created = true;
	return KDX_OK;
}

kdx_status kdx_snapshot_restore(const char *archive, kdx_db *db, const char *dir, int *files, char **claim, kdx_error **err)
{
	*files = 0;
	*claim = NULL;
	/* verify's checks, the warehouse's record included; the names (and the
	 * tag files) kept, the payload as digests that the extraction matches */
	kdx_tar t = { 0 };
	kdx_verify_result vr = { 0 };
	kdx_status st = kdx_snapshot_check(archive, db, &vr, claim, &t, err);
	if (*claim) {
		char *says = kdx_strdup_printf("%s claims to be %s", vr.bag, *claim);
		free(*claim);
		*claim = says;
	}
	if (st == KDX_OK || (st == KDX_EDATA && !*err)) {
		/* an entry twice is named as such, whatever else is wrong */
		kdx_status est = check_entries(&t, archive, err);
		if (est != KDX_OK)
			st = est;
		else if (st == KDX_EDATA)  /* a bag that fails is evidence, not something to extract */
			kdx_snapshot_refuse(archive, &vr, "nothing was restored", "restore from a backup copy that kdx verify accepts", err);
	}
	kdx_verify_result_free(&vr);
	bool created = false;
	if (st == KDX_OK)
		st = prepare_dir(dir, &created, err);
	/* written as the archive streams by, never held in memory */
	if (st == KDX_OK && (st = extract(archive, dir, &t, files, err)) != KDX_OK && created)
		rmdir(dir);
	kdx_tar_free(&t);
	return st;
}
