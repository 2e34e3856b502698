/* inbox.c - ingest a list of files or an inbox folder (see inbox.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* A name as it can be printed: control characters and bytes that are not
 * text written as \xNN (a name is whatever its maker chose).  Caller frees. */
static char *shown_name(const char *name)
{
	kdx_buf b = { 0 };
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '"')
			kdx_buf_printf(&b, "\\x%02x", *p);
		else
			kdx_buf_add(&b, (const char *)p, 1);
	}
	return b.data ? kdx_buf_steal(&b) : kdx_strdup("");
}

/* What an entry of the inbox that is not a file to load is, or NULL for a
 * regular file with no other name. */
static const char *not_a_submission(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return "it is a symbolic link";
	if (S_ISFIFO(st->st_mode))
		return "it is a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "it is a socket";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "it is a device";
	if (S_ISREG(st->st_mode) && st->st_nlink != 1)
		return "it is a hard link, another name of a file elsewhere";
	return S_ISREG(st->st_mode) ? NULL : "it is not a regular file";
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
		/* lstat: as root, a link (to /etc/shadow, to a file of root's) would be
		 * read, and its content reach stderr and the reject reports */
		const char *what = lstat(p, &st) != 0 || S_ISDIR(st.st_mode) ? "" : not_a_submission(&st);
		if (what) {
			if (*what) {
				char *shown = shown_name(de->d_name);
				kdx_log_warning("skipped \"%s\" in the inbox: %s; kdx reads only regular files there, and never"
				                " follows a link", shown, what);
				free(shown);
			}
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

/*
 * done/ or rejected/ of the inbox, made when missing, opened as a folder of
 * kdx's: others may write the inbox (the staff group), and one of these that
 * is a link or another user's folder would take the files, and the reject
 * reports kdx writes (as root), wherever its maker chose.  Opened once and
 * used through the descriptor, so that what was checked is what is used.
 */
static kdx_status inbox_folder(int inbox, const char *inbox_dir, const char *name, int *fd, kdx_error **err)
{
	char *path = kdx_strdup_printf("%s/%s", inbox_dir, name);
	kdx_status st = KDX_OK;
	struct stat sb = { 0 };
	const char *why = NULL;
	char *owner = NULL;
	if (mkdirat(inbox, name, 0750) != 0 && errno != EEXIST) {
		st = kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", path, strerror(errno));
		goto out;
	}
	*fd = openat(inbox, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		if (errno != ELOOP && errno != ENOTDIR) {
			st = kdx_fail(err, KDX_EIO, "could not open folder \"%s\": %s", path, strerror(errno));
			goto out;
		}
		why = fstatat(inbox, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode) ? "it is a symbolic link"
		                                                                                 : "it is not a folder";
	} else if (fstat(*fd, &sb) != 0) {
		st = kdx_fail(err, KDX_EIO, "could not examine folder \"%s\": %s", path, strerror(errno));
		goto out;
	} else if (!kdx_owner_trusted(sb.st_uid)) {
		char *who = kdx_user_name(sb.st_uid);
		why = owner = kdx_strdup_printf("it belongs to user \"%s\"", who);
		free(who);
	} else if (kdx_others_may_write(&sb)) {
		why = "others may write in it";
	}
	if (why) {
		st = kdx_fail(err, KDX_ECONFIG, "refusing inbox folder \"%s\": %s", path, why);
		char *d = S_ISDIR(sb.st_mode) ? kdx_describe_mode(&sb) : kdx_strdup("");
		kdx_error_detail(*err, "%s%skdx moves the inbox's files into it and writes the reject reports there; it must be kdx's"
		                 " own folder, which only kdx may write.", d, *d ? " " : "");
		free(d);
		kdx_error_hint(*err, "Remove it (kdx makes it again), or make it a folder of kdx's user with mode 0750.");
	}
out:
	if (st != KDX_OK && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	free(owner);
	free(path);
	return st;
}

static int move_to(int inbox, const char *path, int dir)
{
	const char *sl = strrchr(path, '/');
	const char *name = sl ? sl + 1 : path;
	return renameat(inbox, name, dir, name);
}

kdx_status kdx_ingest_files(kdx_db *db, const kdx_ingest_opts *o, const char *inbox_dir, char **paths, int n,
                            kdx_ingest_cb cb, void *ctx, kdx_ingest_counts *counts, kdx_error **err)
{
	kdx_ingest_opts opts = *o;
	int inbox = -1, done = -1, rejected = -1;
	char beside[64];
	memset(counts, 0, sizeof *counts);
	kdx_status worst = KDX_OK;
	if (inbox_dir) {
		/* before anything is loaded or moved */
		inbox = open(inbox_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (inbox < 0) {
			worst = kdx_fail(err, KDX_EIO, "could not open inbox \"%s\": %s", inbox_dir, strerror(errno));
			n = 0;
		} else if ((worst = inbox_folder(inbox, inbox_dir, "done", &done, err)) != KDX_OK ||
		           (worst = inbox_folder(inbox, inbox_dir, "rejected", &rejected, err)) != KDX_OK) {
			n = 0;
		} else {
			/* the reports beside the rejected file go through the folder checked */
			snprintf(beside, sizeof beside, "/proc/self/fd/%d", rejected);
			opts.beside_dir = access(beside, W_OK) == 0 ? beside : NULL;
			opts.regular_only = true;
		}
	}
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
		    move_to(inbox, paths[i], st == KDX_OK ? done : rejected) != 0 && errno != ENOENT)  /* ENOENT: moved by another kdx */
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
	if (inbox >= 0)
		close(inbox);
	if (done >= 0)
		close(done);
	if (rejected >= 0)
		close(rejected);
	return worst;
}
