/*
 * cluster.h - kdx's private PostgreSQL 15 cluster under $KDX_HOME/var/pg.
 *
 * The server listens on a Unix socket only (listen_addresses='').  When kdx
 * runs as root the server runs as the "postgres" user through runuser(1),
 * because PostgreSQL refuses to run as root; kdx then gives that user search
 * permission (a POSIX ACL entry, "x" only) on any ancestor of the data
 * directory it could not otherwise traverse, such as /root or a mktemp -d
 * folder.  Nothing else about those folders changes.
 */
#ifndef KDX_CLUSTER_H
#define KDX_CLUSTER_H

#include <stdbool.h>
#include <sys/types.h>
#include <libpq-fe.h>
#include "kdx/error.h"

typedef struct kdx_cluster {
	char *home;     /* absolute KDX_HOME */
	char *datadir;  /* $KDX_HOME/var/pg */
	char *sockdir;  /* a short folder holding the socket, mode 0700 */
	char *bindir;   /* PostgreSQL binaries */
	char *lockfile; /* serialises start/stop between kdx processes */
	bool as_root;   /* run the server as the postgres user (kdx runs as root) */
	uid_t uid;      /* the server's user */
	gid_t gid;
} kdx_cluster;

kdx_status kdx_cluster_new(const char *home, kdx_cluster **out, kdx_error **err);
void kdx_cluster_free(kdx_cluster *c);
/* libpq conninfo for the cluster's "kdx" database (caller frees). */
char *kdx_cluster_conninfo(const kdx_cluster *c, const char *dbname);
/* Is a server answering on the socket? */
bool kdx_cluster_running(const kdx_cluster *c);
/* initdb when needed, then start when not running; safe against concurrent kdx processes. */
kdx_status kdx_cluster_ensure(kdx_cluster *c, kdx_error **err);
/* True when $KDX_HOME/var/pg holds a cluster (initdb has run). */
bool kdx_cluster_exists(const kdx_cluster *c);
/* The error of a command that may not create a warehouse, run where there is none (SPEC §7). */
kdx_status kdx_cluster_missing(const kdx_cluster *c, kdx_error **err);
kdx_status kdx_cluster_stop(kdx_cluster *c, kdx_error **err);
/* That conn (to the cluster's socket) reaches the cluster's own server: its
 * postmaster, as the kernel names the socket's peer, runs as the data
 * directory's owner with the pid of postmaster.pid, which names this socket
 * folder, and its data_directory is the cluster's.  KDX_EUNAVAILABLE with the
 * server's pid, user and data directory otherwise. */
kdx_status kdx_cluster_verify(const kdx_cluster *c, PGconn *conn, kdx_error **err);
/* PID of the postmaster from postmaster.pid, or 0. */
long kdx_cluster_pid(const kdx_cluster *c);

#endif
