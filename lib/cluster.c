/* cluster.c - the private PostgreSQL cluster (see cluster.h for the contract). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <openssl/sha.h>
#include "kdx/cluster.h"
#include "kdx/buf.h"
#include "kdx/fsutil.h"
#include "kdx/mem.h"

#define PG_DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"
#define SOCKET_NAME_LEN 16 /* "/.s.PGSQL.5432" plus slack */
#define SOCKET_PATH_MAX 100

static char *abs_path(const char *p)
{
	char *r = realpath(p, NULL);
	if (r)
		return r;
	if (p[0] == '/')
		return kdx_strdup(p);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return kdx_strdup(p);
	return kdx_strdup_printf("%s/%s", cwd, p);
}

/* The user the warehouse's server runs as: the owner of its data directory
 * (PostgreSQL requires it), or, before initdb, the one kdx will run it as. */
static uid_t server_user(const kdx_cluster *c)
{
	struct stat st;
	return stat(c->datadir, &st) == 0 ? st.st_uid : c->uid;
}

/*
 * A folder of the private warehouse's (its socket folder, its data
 * directory) as lstat found it: a folder, not a link, of the server's user
 * (or of the user kdx runs as, who made it and gives it to the server's),
 * that no one else may use: mode 0700, or 0750 for a group that may reach
 * the socket (the staff group, with a read-only role) but nothing wider.
 * The socket folder may be in /tmp, under a name anyone can compute: a link
 * planted there would hand its target to the server's user, and a server a
 * stranger started there would be taken for the warehouse.
 */
static kdx_status check_private_dir(const kdx_cluster *c, const char *dir, const char *what, const struct stat *st,
                                    kdx_error **err)
{
	const char *why = NULL;
	char *owned = NULL;
	if (S_ISLNK(st->st_mode))
		why = "it is a symbolic link";
	else if (!S_ISDIR(st->st_mode))
		why = "it is not a folder";
	else if (st->st_uid != server_user(c) && st->st_uid != geteuid()) {
		char *who = kdx_user_name(st->st_uid);
		why = owned = kdx_strdup_printf("it belongs to user \"%s\"", who);
		free(who);
	} else if (st->st_mode & 027)
		why = "others may use it";
	if (!why)
		return KDX_OK;
	kdx_fail(err, KDX_ECONFIG, "refusing %s \"%s\": %s", what, dir, why);
	char *d = kdx_describe_mode(st);
	char *server = kdx_user_name(server_user(c));
	kdx_error_detail(*err, "%s It must be a folder of %s, the warehouse's server user, that no one else may use (mode 0700,"
	                 " or 0750 for a group that may reach the socket): whoever else has it could put another server"
	                 " in the warehouse's place.", d, server);
	free(server);
	free(d);
	if (strncmp(dir, "/tmp/", 5) == 0)
		kdx_error_hint(*err, "Find out who made it, remove it, and run the command again; or set KDX_HOME to a shorter path,"
		                     " which keeps the socket in KDX_HOME/var/run.");
	else
		kdx_error_hint(*err, "Find out who changed it, remove it (kdx makes it again), and run the command again.");
	free(owned);
	return KDX_ECONFIG;
}

kdx_status kdx_cluster_new(const char *home, kdx_cluster **out, kdx_error **err)
{
	kdx_cluster *c = kdx_xcalloc(1, sizeof *c);
	if (kdx_mkdirs(home, 0755) != 0) {
		kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", home, strerror(errno));
		free(c);
		return KDX_EIO;
	}
	c->home = abs_path(home);
	c->datadir = kdx_strdup_printf("%s/var/pg", c->home);
	c->lockfile = kdx_strdup_printf("%s/var/pg.lock", c->home);
	const char *bindir = getenv("KDX_PG_BINDIR");
	c->bindir = kdx_strdup(bindir && *bindir ? bindir : PG_DEFAULT_BINDIR);
	c->as_root = geteuid() == 0;
	if (c->as_root) {
		struct passwd *pw = getpwnam("postgres");
		if (!pw) {
			kdx_fail(err, KDX_EUNAVAILABLE, "cannot run the private warehouse as root without a \"postgres\" user");
			kdx_error_detail(*err, "PostgreSQL refuses to run as root, so kdx runs it as the user \"postgres\", which does not exist here.");
			kdx_error_hint(*err, "Install the postgresql-15 package (make deps does), or set KDX_DATABASE_URL to an existing server.");
			kdx_cluster_free(c);
			return KDX_EUNAVAILABLE;
		}
		c->uid = pw->pw_uid;
		c->gid = pw->pw_gid;
	} else {
		c->uid = geteuid();
		c->gid = getegid();
	}
	/* The socket path must stay under 107 bytes; use var/run when it fits,
	 * else a folder in /tmp named by a hash of the data directory. */
	char *local = kdx_strdup_printf("%s/var/run", c->home);
	if (strlen(local) + SOCKET_NAME_LEN < SOCKET_PATH_MAX) {
		c->sockdir = local;
	} else {
		unsigned char md[SHA256_DIGEST_LENGTH];
		SHA256((const unsigned char *)c->datadir, strlen(c->datadir), md);
		free(local);
		c->sockdir = kdx_strdup_printf("/tmp/kdx-%u-%02x%02x%02x%02x%02x%02x",
		                               (unsigned)c->uid, md[0], md[1], md[2], md[3], md[4], md[5]);
	}
	if (strpbrk(c->sockdir, "'\"\\ ")) {
		kdx_fail(err, KDX_EUNAVAILABLE, "cannot place the warehouse socket in \"%s\"", c->sockdir);
		kdx_error_detail(*err, "The path contains a quote, a backslash or a space.");
		kdx_error_hint(*err, "Set KDX_HOME to a path without such characters.");
		kdx_cluster_free(c);
		return KDX_EUNAVAILABLE;
	}
	/* before anything is asked of a server answering there */
	struct stat st;
	kdx_status st2 = KDX_OK;
	if (lstat(c->sockdir, &st) == 0)
		st2 = check_private_dir(c, c->sockdir, "socket folder", &st, err);
	if (st2 != KDX_OK) {
		kdx_cluster_free(c);
		return st2;
	}
	*out = c;
	return KDX_OK;
}

void kdx_cluster_free(kdx_cluster *c)
{
	if (!c)
		return;
	free(c->home);
	free(c->datadir);
	free(c->sockdir);
	free(c->bindir);
	free(c->lockfile);
	free(c);
}

char *kdx_cluster_conninfo(const kdx_cluster *c, const char *dbname)
{
	return kdx_strdup_printf("host=%s port=5432 dbname=%s user=postgres connect_timeout=10",
	                         c->sockdir, dbname);
}

bool kdx_cluster_running(const kdx_cluster *c)
{
	char *ci = kdx_cluster_conninfo(c, "postgres");
	PGPing p = PQping(ci);
	free(ci);
	return p == PQPING_OK;
}

long kdx_cluster_pid(const kdx_cluster *c)
{
	char *path = kdx_strdup_printf("%s/postmaster.pid", c->datadir);
	FILE *fp = fopen(path, "r");
	free(path);
	if (!fp)
		return 0;
	long pid = 0;
	if (fscanf(fp, "%ld", &pid) != 1)
		pid = 0;
	fclose(fp);
	return pid;
}

/* In the child, as root: become the server's user, as runuser would, without
 * needing runuser on PATH (cron's PATH has no /usr/sbin). */
static int drop_to_server_user(const kdx_cluster *c)
{
	struct passwd *pw = getpwuid(c->uid);
	if (!pw || initgroups(pw->pw_name, c->gid) != 0 || setgid(c->gid) != 0 || setuid(c->uid) != 0)
		return -1;
	if (setuid(0) == 0)  /* the drop must stick */
		return -1;
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	return 0;
}

/*
 * Run a PostgreSQL program as the server user, with stdout/stderr appended to
 * logpath (or inherited when NULL).  Returns the exit status, -1 on failure.
 */
static int run_pg(const kdx_cluster *c, const char *logpath, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0) {
			dup2(devnull, 0);
			close(devnull);
		}
		if (logpath) {
			int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
		}
		if (c->as_root && drop_to_server_user(c) != 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* POSIX ACL xattr layout (linux/posix_acl_xattr.h). */
#define ACL_XATTR "system.posix_acl_access"
#define ACL_VERSION 2
enum { TAG_USER_OBJ = 0x01, TAG_USER = 0x02, TAG_GROUP_OBJ = 0x04, TAG_GROUP = 0x08,
       TAG_MASK = 0x10, TAG_OTHER = 0x20 };
struct acl_entry {
	uint16_t tag, perm;
	uint32_t id;
};

static int acl_cmp(const void *a, const void *b)
{
	const struct acl_entry *x = a, *y = b;
	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Give uid search ("x") permission on dir, keeping every other entry. */
static int acl_grant_search(const char *dir, uid_t uid)
{
	struct stat st;
	struct acl_entry e[64];
	size_t n = 0;
	unsigned char raw[4 + 64 * 8];
	if (stat(dir, &st) != 0)
		return -1;
	ssize_t len = getxattr(dir, ACL_XATTR, raw, sizeof raw);
	if (len >= 4 && (len - 4) % 8 == 0) {
		for (ssize_t off = 4; off < len && n < 60; off += 8) {
			memcpy(&e[n].tag, raw + off, 2);
			memcpy(&e[n].perm, raw + off + 2, 2);
			memcpy(&e[n].id, raw + off + 4, 4);
			n++;
		}
	} else {
		e[n++] = (struct acl_entry){ TAG_USER_OBJ, (st.st_mode >> 6) & 7, UINT32_MAX };
		e[n++] = (struct acl_entry){ TAG_GROUP_OBJ, (st.st_mode >> 3) & 7, UINT32_MAX };
		e[n++] = (struct acl_entry){ TAG_OTHER, st.st_mode & 7, UINT32_MAX };
	}
	bool have_user = false, have_mask = false;
	uint16_t group_class = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].tag == TAG_USER && e[i].id == uid) {
			e[i].perm |= 1;
			have_user = true;
		}
	}
	if (!have_user)
		e[n++] = (struct acl_entry){ TAG_USER, 1, (uint32_t)uid };
	for (size_t i = 0; i < n; i++)
		if (e[i].tag == TAG_USER || e[i].tag == TAG_GROUP_OBJ || e[i].tag == TAG_GROUP)
			group_class |= e[i].perm;
	for (size_t i = 0; i < n; i++) {
		if (e[i].tag == TAG_MASK) {
			e[i].perm |= 1;
			have_mask = true;
		}
	}
	if (!have_mask)
		e[n++] = (struct acl_entry){ TAG_MASK, group_class, UINT32_MAX };
	qsort(e, n, sizeof e[0], acl_cmp);
	uint32_t ver = ACL_VERSION;
	memcpy(raw, &ver, 4);
	for (size_t i = 0; i < n; i++) {
		memcpy(raw + 4 + i * 8, &e[i].tag, 2);
		memcpy(raw + 4 + i * 8 + 2, &e[i].perm, 2);
		memcpy(raw + 4 + i * 8 + 4, &e[i].id, 4);
	}
	return setxattr(dir, ACL_XATTR, raw, 4 + n * 8, 0);
}

/*
 * Find the ancestors of path that the server user cannot search, by asking
 * a child that has become that user (this honours existing ACLs and groups).
 * Returns a newline-separated list (caller frees) or NULL on failure.
 */
static char *unsearchable_ancestors(const kdx_cluster *c, const char *path)
{
	int fds[2];
	if (pipe(fds) != 0)
		return NULL;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		if (setgroups(0, NULL) != 0 || setgid(c->gid) != 0 || setuid(c->uid) != 0)
			_exit(1);
		char *tmp = kdx_strdup(path);
		for (char *p = tmp + 1;; p++) {
			if (*p == '/' || *p == '\0') {
				char save = *p;
				*p = '\0';
				if (access(tmp, X_OK) != 0 && errno == EACCES) {
					if (write(fds[1], tmp, strlen(tmp)) < 0 || write(fds[1], "\n", 1) < 0)
						_exit(1);
				}
				*p = save;
				if (save == '\0')
					break;
			}
		}
		_exit(0);
	}
	close(fds[1]);
	kdx_buf out = { 0 };
	char chunk[512];
	ssize_t r;
	while ((r = read(fds[0], chunk, sizeof chunk)) > 0)
		kdx_buf_add(&out, chunk, (size_t)r);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		kdx_buf_free(&out);
		return NULL;
	}
	return kdx_buf_steal(&out);
}

static kdx_status make_reachable(const kdx_cluster *c, const char *path, kdx_error **err)
{
	if (!c->as_root)
		return KDX_OK;
	/* Fix the shallowest unreachable folder, then look again: deeper ones
	 * usually failed only because of it, and need nothing. */
	for (int round = 0; round < 64; round++) {
		char *list = unsearchable_ancestors(c, path);
		if (!list)
			return kdx_fail(err, KDX_EUNAVAILABLE, "could not check access to \"%s\" for user \"postgres\"", path);
		char *nl = strchr(list, '\n');
		if (nl)
			*nl = '\0';
		if (!*list) {
			free(list);
			return KDX_OK;
		}
		if (acl_grant_search(list, c->uid) != 0) {
			kdx_fail(err, KDX_EUNAVAILABLE, "could not let user \"postgres\" search folder \"%s\": %s",
			         list, strerror(errno));
			kdx_error_detail(*err, "The private warehouse runs as \"postgres\", which must be able to reach %s.", c->datadir);
			kdx_error_hint(*err, "Run \"chmod o+x %s\", or set KDX_HOME to a folder that user can reach, or set KDX_DATABASE_URL.", list);
			free(list);
			return KDX_EUNAVAILABLE;
		}
		kdx_log_info("granted user \"postgres\" search permission on \"%s\" (ACL)", list);
		free(list);
	}
	return kdx_fail(err, KDX_EUNAVAILABLE, "could not make \"%s\" reachable for user \"postgres\"", path);
}

/* Make dir (mode 0700) when missing, check it (check_private_dir) with lstat
 * after making it, and give it to the server's user through a descriptor
 * that follows no link: what is checked is what is changed. */
static kdx_status prepare_dir(const kdx_cluster *c, const char *dir, const char *what, kdx_error **err)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dir, strerror(errno));
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ELOOP && errno != ENOTDIR)
		return kdx_fail(err, KDX_EIO, "could not open folder \"%s\": %s", dir, strerror(errno));
	if (fd < 0 ? lstat(dir, &st) != 0 : fstat(fd, &st) != 0) {
		kdx_status s = kdx_fail(err, KDX_EIO, "could not examine folder \"%s\": %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return s;
	}
	kdx_status s = check_private_dir(c, dir, what, &st, err);
	if (s == KDX_OK && c->as_root && st.st_uid != c->uid && fchown(fd, c->uid, c->gid) != 0)
		s = kdx_fail(err, KDX_EIO, "could not change owner of \"%s\": %s", dir, strerror(errno));
	/* 0750 is kept: the staff group's way to the socket */
	if (s == KDX_OK && (st.st_mode & 07777) != 0700 && (st.st_mode & 07777) != 0750 && fchmod(fd, 0700) != 0)
		s = kdx_fail(err, KDX_EIO, "could not set mode of \"%s\": %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return s;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A postmaster.pid whose process is gone (or is no postgres) is left by a crash. */
static void clear_stale_pid(const kdx_cluster *c)
{
	long pid = kdx_cluster_pid(c);
	if (pid <= 0)
		return;
	bool alive = kill((pid_t)pid, 0) == 0 || errno == EPERM;
	if (alive) {
		char path[64], comm[64] = "";
		snprintf(path, sizeof path, "/proc/%ld/comm", pid);
		FILE *fp = fopen(path, "r");
		if (fp) {
			if (!fgets(comm, sizeof comm, fp))
				comm[0] = '\0';
			fclose(fp);
		}
		if (strncmp(comm, "postgres", 8) == 0)
			return;
	}
	char *f = kdx_strdup_printf("%s/postmaster.pid", c->datadir);
	unlink(f);
	free(f);
	kdx_log_info("removed stale postmaster.pid (process %ld is gone)", pid);
}

static kdx_status do_initdb(kdx_cluster *c, kdx_error **err)
{
	char *initdb = kdx_strdup_printf("%s/initdb", c->bindir);
	char *log = kdx_strdup_printf("%s/var/initdb.log", c->home);
	/* lc_collate C: UTF-8 byte order is code point order, which is also how
	 * C.UTF-8 sorts, so nothing orders differently, but text comparisons in
	 * indexes no longer go through strcoll (about a third of a bulk load). */
	char *argv[] = { initdb, "-D", c->datadir, "-U", "postgres", "--auth=trust", "-E", "UTF8",
	                 "--locale=C.UTF-8", "--lc-collate=C", NULL };
	kdx_log_info("initialising the private warehouse in %s", c->datadir);
	int rc = run_pg(c, log, argv);
	kdx_status st = KDX_OK;
	if (rc != 0) {
		st = kdx_fail(err, KDX_EUNAVAILABLE, "could not initialise the private warehouse in \"%s\"", c->datadir);
		kdx_error_detail(*err, "initdb exited with status %d; its output is in %s.", rc, log);
		kdx_error_hint(*err, "Check that postgresql-15 is installed (make deps), or set KDX_DATABASE_URL.");
	} else {
		/* Unix socket only, even if someone starts the server by hand. */
		char *conf = kdx_strdup_printf("%s/postgresql.auto.conf", c->datadir);
		FILE *fp = fopen(conf, "a");
		if (fp) {
			fputs("listen_addresses = ''\n", fp);
			/* sized for bulk loads of a million rows: the heap and index being
			 * filled stay in shared buffers, and WAL is not flushed page by page */
			fputs("shared_buffers = '512MB'\nwal_buffers = '64MB'\nmax_wal_size = '2GB'\n", fp);
			if (getenv("KDX_PG_FAST")) /* throwaway test clusters only */
				fputs("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n", fp);
			fclose(fp);
		}
		free(conf);
	}
	free(initdb);
	free(log);
	return st;
}

static kdx_status do_start(kdx_cluster *c, kdx_error **err)
{
	char *pgctl = kdx_strdup_printf("%s/pg_ctl", c->bindir);
	char *log = kdx_strdup_printf("%s/server.log", c->datadir);
	char *opts = kdx_strdup_printf("-k '%s' -c listen_addresses=''", c->sockdir);
	char *argv[] = { pgctl, "-D", c->datadir, "-l", log, "-w", "-t", "60", "-o", opts, "start", NULL };
	kdx_log_info("starting the private warehouse (socket in %s)", c->sockdir);
	char *ctl_log = kdx_strdup_printf("%s/var/pg_ctl.log", c->home);
	int rc = run_pg(c, ctl_log, argv);
	kdx_status st = KDX_OK;
	if (rc != 0) {
		st = kdx_fail(err, KDX_EUNAVAILABLE, "could not start the private warehouse in \"%s\"", c->datadir);
		kdx_error_detail(*err, "pg_ctl exited with status %d; the server log is %s.", rc, log);
		kdx_error_hint(*err, "Read the server log; \"kdx db stop\" then \"kdx db start\" retries.");
	}
	free(ctl_log);
	free(pgctl);
	free(log);
	free(opts);
	return st;
}

/* The major version of the PostgreSQL binaries in c->bindir ("15"), from
 * "postgres --version"; "" when it cannot be told. */
static void binaries_major(const kdx_cluster *c, char *buf, size_t n)
{
	buf[0] = '\0';
	int fds[2];
	if (pipe(fds) != 0)
		return;
	char *postgres = kdx_strdup_printf("%s/postgres", c->bindir);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
			close(devnull);
		}
		char *argv[] = { postgres, "--version", NULL };
		execv(postgres, argv);
		_exit(127);
	}
	close(fds[1]);
	char out[256];
	size_t len = 0;
	ssize_t r;
	while (pid > 0 && len < sizeof out - 1 && (r = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(fds[0]);
	free(postgres);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	/* "postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)" */
	const char *v = strstr(out, ") ");
	if (!v)
		return;
	v += 2;
	size_t k = strspn(v, "0123456789");
	if (k > 0 && k < n) {
		memcpy(buf, v, k);
		buf[k] = '\0';
	}
}

/* The data directory was made by the PostgreSQL major version the binaries
 * are (PG_VERSION), else KDX_EUNAVAILABLE with the way forward: PostgreSQL's
 * server refuses another major version's files with a line in its log only. */
static kdx_status check_version(const kdx_cluster *c, kdx_error **err)
{
	char *path = kdx_strdup_printf("%s/PG_VERSION", c->datadir);
	char data[32] = "";
	FILE *fp = fopen(path, "r");
	if (fp) {
		if (!fgets(data, sizeof data, fp))
			data[0] = '\0';
		fclose(fp);
	}
	data[strcspn(data, "\r\n")] = '\0';
	char bins[32];
	binaries_major(c, bins, sizeof bins);
	kdx_status st = KDX_OK;
	if (data[0] && bins[0] && strcmp(data, bins) != 0) {
		char *shown = kdx_shown(data);
		st = kdx_fail(err, KDX_EUNAVAILABLE,
		              "the private warehouse in \"%s\" was made by PostgreSQL %s; the server here is PostgreSQL %s",
		              c->datadir, shown, bins);
		kdx_error_detail(*err, "%s says %s; the binaries in %s are version %s, which cannot open another major version's files.",
		                 path, shown, c->bindir, bins);
		kdx_error_hint(*err, "Nothing was changed.  To use it as it is, point KDX_PG_BINDIR at PostgreSQL %s's binaries (Debian: "
		               "postgresql-%s); to move it to PostgreSQL %s, run pg_upgrade with both installed (README: \"Upgrading "
		               "PostgreSQL\").", shown, shown, bins);
		free(shown);
	}
	free(path);
	return st;
}

static int lock_open(const kdx_cluster *c)
{
	char *var = kdx_strdup_printf("%s/var", c->home);
	kdx_mkdirs(var, 0755);
	free(var);
	int fd = open(c->lockfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		flock(fd, LOCK_EX);
	return fd;
}

static void lock_close(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

/* Line n (from 1) of postmaster.pid, without its newline; "" when there is none. */
static void postmaster_line(const kdx_cluster *c, int n, char *buf, size_t size)
{
	char *path = kdx_strdup_printf("%s/postmaster.pid", c->datadir);
	FILE *fp = fopen(path, "r");
	free(path);
	buf[0] = '\0';
	for (int i = 0; fp && i < n; i++)
		if (!fgets(buf, (int)size, fp)) {
			buf[0] = '\0';
			break;
		}
	if (fp)
		fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
}

kdx_status kdx_cluster_verify(const kdx_cluster *c, PGconn *conn, kdx_error **err)
{
	/* the peer of a Unix socket is the process that listens on it: the
	 * postmaster, its user and its pid as the kernel knows them */
	struct ucred cr;
	socklen_t len = sizeof cr;
	if (PQsocket(conn) < 0 || getsockopt(PQsocket(conn), SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
		kdx_fail(err, KDX_EUNAVAILABLE, "could not tell which server answers on socket \"%s\": %s", c->sockdir,
		         strerror(errno));
		return KDX_EUNAVAILABLE;
	}
	char pidline[64], sockline[PATH_MAX + 2], datadir[PATH_MAX] = "";
	postmaster_line(c, 1, pidline, sizeof pidline);
	postmaster_line(c, 5, sockline, sizeof sockline);
	PGresult *r = PQexec(conn, "SHOW data_directory");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		snprintf(datadir, sizeof datadir, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	char *theirs = datadir[0] ? realpath(datadir, NULL) : NULL;
	char *ours = realpath(c->datadir, NULL);
	bool same = cr.uid == server_user(c) && atol(pidline) == (long)cr.pid && !strcmp(sockline, c->sockdir) &&
	            (!datadir[0] || (theirs && ours && !strcmp(theirs, ours)));
	if (!same) {
		char *who = kdx_user_name(cr.uid);
		kdx_fail(err, KDX_EUNAVAILABLE, "the server on socket \"%s\" is not the private warehouse of KDX_HOME \"%s\"",
		         c->sockdir, c->home);
		kdx_error_detail(*err, "It is process %ld of user %s, with data directory %s; the warehouse is %s, whose"
		                 " postmaster.pid names %s%s. kdx neither writes its schema into another server nor reads"
		                 " its data from one.", (long)cr.pid, who, datadir[0] ? datadir : "(not shown)", c->datadir,
		                 pidline[0] ? "process " : "no running server", pidline);
		kdx_error_hint(*err, "Find out who started that server and stop it, then run the command again.");
		free(who);
	}
	free(theirs);
	free(ours);
	return same ? KDX_OK : KDX_EUNAVAILABLE;
}

static kdx_status ensure_db(const kdx_cluster *c, kdx_error **err)
{
	char *ci = kdx_cluster_conninfo(c, "postgres");
	PGconn *conn = PQconnectdb(ci);
	free(ci);
	kdx_status st = KDX_OK;
	if (PQstatus(conn) != CONNECTION_OK) {
		st = kdx_fail(err, KDX_EUNAVAILABLE, "could not connect to the private warehouse on socket \"%s\"", c->sockdir);
		kdx_error_detail(*err, "%s", PQerrorMessage(conn));
		PQfinish(conn);
		return st;
	}
	if ((st = kdx_cluster_verify(c, conn, err)) != KDX_OK) {
		PQfinish(conn);
		return st;
	}
	PGresult *r = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'kdx'");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0) {
		PQclear(r);
		r = PQexec(conn, "CREATE DATABASE kdx");
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			st = kdx_fail(err, KDX_EUNAVAILABLE, "could not create database \"kdx\"");
			kdx_error_detail(*err, "%s", PQerrorMessage(conn));
		}
	}
	PQclear(r);
	PQfinish(conn);
	return st;
}

bool kdx_cluster_exists(const kdx_cluster *c)
{
	char *pgver = kdx_strdup_printf("%s/PG_VERSION", c->datadir);
	bool yes = file_exists(pgver);
	free(pgver);
	return yes;
}

kdx_status kdx_cluster_missing(const kdx_cluster *c, kdx_error **err)
{
	kdx_fail(err, KDX_EUNAVAILABLE, "there is no kdx warehouse in KDX_HOME \"%s\"", c->home);
	kdx_error_detail(*err, "No private warehouse was found at %s, and no connection is configured. Only \"kdx init\" and \"kdx run\" create one.",
	                 c->datadir);
	kdx_error_hint(*err, "Run the command in the folder that holds var/ (or set KDX_HOME to it), set KDX_DATABASE_URL for a shared warehouse, or run \"kdx init\" here to start a new one.");
	return KDX_EUNAVAILABLE;
}

kdx_status kdx_cluster_ensure(kdx_cluster *c, kdx_error **err)
{
	if (kdx_cluster_running(c))
		return ensure_db(c, err);
	int lock = lock_open(c);
	kdx_status st = KDX_OK;
	if (kdx_cluster_running(c))  /* another kdx started it while we waited */
		goto done;
	char *var = kdx_strdup_printf("%s/var", c->home);
	kdx_mkdirs(var, 0755);
	chmod(var, 0755);
	free(var);
	if ((st = make_reachable(c, c->home, err)) != KDX_OK)
		goto done;
	if ((st = prepare_dir(c, c->sockdir, "socket folder", err)) != KDX_OK)
		goto done;
	if ((st = make_reachable(c, c->sockdir, err)) != KDX_OK)
		goto done;
	char *pgver = kdx_strdup_printf("%s/PG_VERSION", c->datadir);
	bool initialised = file_exists(pgver);
	free(pgver);
	if (!initialised) {
		if ((st = prepare_dir(c, c->datadir, "data directory", err)) != KDX_OK)
			goto done;
		if ((st = do_initdb(c, err)) != KDX_OK)
			goto done;
	}
	if ((st = check_version(c, err)) != KDX_OK)
		goto done;
	clear_stale_pid(c);
	if ((st = do_start(c, err)) != KDX_OK)
		goto done;
	st = ensure_db(c, err);
done:
	lock_close(lock);
	return st;
}

kdx_status kdx_cluster_stop(kdx_cluster *c, kdx_error **err)
{
	char *pgver = kdx_strdup_printf("%s/PG_VERSION", c->datadir);
	bool initialised = file_exists(pgver);
	free(pgver);
	if (!initialised || !kdx_cluster_pid(c))
		return KDX_OK;
	int lock = lock_open(c);
	char *pgctl = kdx_strdup_printf("%s/pg_ctl", c->bindir);
	char *argv[] = { pgctl, "-D", c->datadir, "-m", "fast", "-w", "-t", "60", "stop", NULL };
	char *ctl_log = kdx_strdup_printf("%s/var/pg_ctl.log", c->home);
	int rc = run_pg(c, ctl_log, argv);
	kdx_status st = KDX_OK;
	if (rc != 0 && kdx_cluster_pid(c)) {
		st = kdx_fail(err, KDX_EUNAVAILABLE, "could not stop the private warehouse in \"%s\"", c->datadir);
		kdx_error_detail(*err, "pg_ctl exited with status %d; see %s.", rc, ctl_log);
	}
	free(ctl_log);
	free(pgctl);
	lock_close(lock);
	return st;
}
