/* fsutil.c - folders and atomic files (see fsutil.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <unistd.h>
#include "kdx/fsutil.h"
#include "kdx/mem.h"

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

/* True when the file system that holds path has no room left: the reason a
 * write failed, though the library that wrote (cairo, libxlsxwriter) said
 * only "error while writing". */
static bool no_room(const char *path)
{
	char *dir = kdx_strdup(path);
	char *sl = strrchr(dir, '/');
	if (sl)
		*sl = '\0';
	struct statvfs v;
	bool full = statvfs(sl ? (*dir ? dir : "/") : ".", &v) == 0 &&
	            ((unsigned long long)v.f_bavail * v.f_frsize < (256ULL << 10) || (v.f_files && v.f_favail == 0));
	free(dir);
	return full;
}

kdx_status kdx_write_via_tmp(const char *path, kdx_writer_fn fn, void *ctx, kdx_error **err)
{
	char *tmp = kdx_strdup_printf("%s.tmp%ld", path, (long)getpid());
	kdx_status st = fn(ctx, tmp, err);
	if (st == KDX_OK && rename(tmp, path) != 0)
		st = kdx_fail(err, KDX_EIO, "could not rename \"%s\" to \"%s\": %s", tmp, path, strerror(errno));
	/* looked at before the unfinished file goes, which frees its space */
	bool full = (st == KDX_EIO || st == KDX_EINTERNAL) && err && no_room(path);
	if (st != KDX_OK)
		unlink(tmp);
	if (full) {
		kdx_error *e = kdx_error_new(KDX_EIO, "could not write \"%s\": %s", path, strerror(ENOSPC));
		if (*err) {
			/* what the writer said, without the names of unfinished files */
			char *said = kdx_strdup((*err)->primary);
			for (char *t; (t = strstr(said, ".tmp")) && t[4] >= '0' && t[4] <= '9';) {
				char *end = t + 4;
				while (*end >= '0' && *end <= '9')
					end++;
				memmove(t, end, strlen(end) + 1);
			}
			kdx_error_detail(e, "%s.", said);
			free(said);
		}
		kdx_error_hint(e, "Free some space on the disk that holds it and run the command again; the unfinished file was removed.");
		kdx_error_free(*err);
		*err = e;
	}
	free(tmp);
	return st;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **kdx_dir_names(const char *dir, int *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = kdx_xcalloc(1, sizeof *names);
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			names = kdx_xrealloc(names, (size_t)(*n + 2) * sizeof *names);
			names[(*n)++] = kdx_strdup(de->d_name);
			names[*n] = NULL;
		}
	closedir(d);
	if (*n > 1)
		qsort(names, (size_t)*n, sizeof *names, cmp_names);
	return names;
}

void kdx_dir_names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* "name.tmp1234": a file kdx_write_via_tmp was writing for process 1234. */
static long tmp_owner(const char *name)
{
	const char *t = strstr(name, ".tmp");
	if (!t)
		return 0;
	for (const char *n; (n = strstr(t + 1, ".tmp")) != NULL;)
		t = n;
	char *end;
	long pid = strtol(t + 4, &end, 10);
	return (t[4] >= '0' && t[4] <= '9' && *end == '\0') ? pid : 0;
}

int kdx_remove_stale_tmp(const char *dir)
{
	int n, removed = 0;
	char **names = kdx_dir_names(dir, &n);
	if (!names)
		return 0;
	for (int i = 0; i < n; i++) {
		char *p = kdx_strdup_printf("%s/%s", dir, names[i]);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			removed += kdx_remove_stale_tmp(p);
		} else if (S_ISREG(sb.st_mode)) {
			long pid = tmp_owner(names[i]);
			/* a writer that no longer runs (kill -9, a lost machine): its file is litter */
			if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH && unlink(p) == 0)
				removed++;
		}
		free(p);
	}
	kdx_dir_names_free(names, n);
	return removed;
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

/* rm -r of a scratch folder kdx made: lstat, so that a link is removed, never followed. */
static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = kdx_strdup_printf("%s/%s", dir, de->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

char *kdx_tmpdir_new(const char *home)
{
	char *base = kdx_strdup_printf("%s/var/tmp", home);
	kdx_mkdirs(base, 0750);
	char *tmpl = kdx_strdup_printf("%s/kdx.XXXXXX", base);
	free(base);
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

static bool uid_from(const char *s, uid_t *out)
{
	char *end;
	if (!s || !*s)
		return false;
	unsigned long v = strtoul(s, &end, 10);
	if (*end && *end != '\n')
		return false;
	if (v >= (uid_t)-1)  /* loginuid's "unset" is 4294967295 */
		return false;
	*out = (uid_t)v;
	return true;
}

bool kdx_owner_trusted(uid_t uid)
{
	uid_t u;
	if (uid == 0 || uid == geteuid() || uid == getuid())
		return true;
	if (getuid() == 0) {
		/* the invoking user of a root kdx: sudo's, or the one who logged in and used su */
		if (uid_from(getenv("SUDO_UID"), &u) && u == uid)
			return true;
		char line[32] = "";
		FILE *fp = fopen("/proc/self/loginuid", "r");
		if (fp) {
			if (!fgets(line, sizeof line, fp))
				line[0] = '\0';
			fclose(fp);
		}
		if (uid_from(line, &u) && u == uid)
			return true;
	}
	struct passwd *pw = getpwnam("kdx");
	return pw && pw->pw_uid == uid;
}

/* The owner is the one member of group gid: its primary group is no one
 * else's, and it lists no one else (or only the owner). */
static bool group_of_owner_alone(gid_t gid, uid_t owner)
{
	struct group *gr = getgrgid(gid);
	struct passwd *pw = getpwuid(owner);
	if (!gr || !pw)
		return false;
	char *name = kdx_strdup(pw->pw_name);
	bool alone = !gr->gr_mem[0] || (!strcmp(gr->gr_mem[0], name) && !gr->gr_mem[1]);
	bool member = gr->gr_mem[0] != NULL || pw->pw_gid == gid;
	setpwent();
	struct passwd *p;
	while (alone && (p = getpwent()) != NULL)
		if (p->pw_gid == gid && p->pw_uid != owner)
			alone = false;
	endpwent();
	free(name);
	return alone && member;
}

bool kdx_others_may_write(const struct stat *st)
{
	if (st->st_mode & S_IWOTH)
		return true;
	return (st->st_mode & S_IWGRP) && !group_of_owner_alone(st->st_gid, st->st_uid);
}

char *kdx_user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	return pw ? kdx_strdup(pw->pw_name) : kdx_strdup_printf("uid %u", (unsigned)uid);
}

char *kdx_group_name(gid_t gid)
{
	struct group *gr = getgrgid(gid);
	return gr ? kdx_strdup(gr->gr_name) : kdx_strdup_printf("gid %u", (unsigned)gid);
}

char *kdx_describe_mode(const struct stat *st)
{
	mode_t m = st->st_mode;
	char s[11];
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : '-';
	static const char rwx[] = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = '\0';
	char *user = kdx_user_name(st->st_uid), *group = kdx_group_name(st->st_gid);
	char *d = kdx_strdup_printf("Its mode is %04o (%s), its owner %s and its group %s.", (unsigned)(m & 07777), s, user,
	                            group);
	free(user);
	free(group);
	return d;
}

void kdx_tmpdir_free(char *dir)
{
	if (!dir)
		return;
	rm_tree(dir);
	free(dir);
}
