/* fsutil.c - folders and atomic files (see fsutil.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <unistd.h>
#include "kdx/fsutil.h"

int kdx_mkdirs(const char *path, mode_t mode)
{
	char *t = kdx_strdup(path);
	for (char *p = t + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(t, mode) != 0 && errno != EEXIST) {
			free(t);
			return -1;
		}
		*p = '/';
	}
	int rc = mkdir(t, mode);
	free(t);
	return (rc == 0 || errno == EEXIST) ? 0 : -1;
}

kdx_status kdx_write_via_tmp(const char *path, kdx_writer_fn fn, void *ctx, kdx_error **err)
{
	char *tmp = kdx_strdup_printf("%s.tmp%ld", path, (long)getpid());
	kdx_status st = fn(ctx, tmp, err);
	if (st == KDX_OK && rename(tmp, path) != 0)
		st = kdx_fail(err, KDX_EIO, "could not rename \"%s\" to \"%s\": %s", tmp, path, strerror(errno));
	if (st != KDX_OK)
		unlink(tmp);
	free(tmp);
	return st;
}

struct bytes {
	const void *data;
	size_t n;
};

static kdx_status write_bytes(void *ctx, const char *tmp, kdx_error **err)
{
	const struct bytes *b = ctx;
	FILE *fp = fopen(tmp, "wb");
	if (!fp)
		return kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", tmp, strerror(errno));
	size_t w = fwrite(b->data, 1, b->n, fp);
	if (fclose(fp) != 0 || w != b->n)
		return kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", tmp, strerror(errno));
	return KDX_OK;
}

kdx_status kdx_write_file_atomic(const char *path, const void *data, size_t n, kdx_error **err)
{
	struct bytes b = { data, n };
	return kdx_write_via_tmp(path, write_bytes, &b, err);
}

kdx_status kdx_sync_path(const char *path, kdx_error **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kdx_fail(err, KDX_EIO, "could not open \"%s\": %s", path, strerror(errno));
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	if (rc != 0)
		return kdx_fail(err, KDX_EIO, "could not flush \"%s\" to disk: %s", path, strerror(e));
	return KDX_OK;
}

static bool writable_dir(const char *p)
{
	struct stat st;
	return p && p[0] == '/' && stat(p, &st) == 0 && S_ISDIR(st.st_mode) && access(p, W_OK | X_OK) == 0;
}

static const char *choose_scratch(void)
{
	const char *t = getenv("TMPDIR");
	if (t && t[0])
		return writable_dir(t) ? t : NULL;
	struct statfs fs;
	struct statvfs vfs;
	if (writable_dir("/dev/shm") && statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
	    statvfs("/dev/shm", &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize >= KDX_SCRATCH_MIN_FREE)
		return "/dev/shm";
	return NULL;
}

const char *kdx_scratch_dir(void)
{
	static bool chosen;
	static const char *dir;
	if (!chosen) {
		dir = choose_scratch();
		chosen = true;
	}
	return dir;
}
