/*
 * db.h - the warehouse connection.
 *
 * kdx_db_open() decides where the warehouse is: --db / KDX_DATABASE_URL, or
 * the standard libpq environment (PGHOST, PGDATABASE, PGSERVICE, ...), or, when
 * none is configured, the private cluster under $KDX_HOME/var/pg which it
 * starts on demand.  Every query is parameterised; bulk data goes by COPY.
 */
#ifndef KDX_DB_H
#define KDX_DB_H

#include <stdbool.h>
#include <libpq-fe.h>
#include "kdx/error.h"

typedef struct kdx_env {
	const char *home;    /* KDX_HOME, default "." */
	const char *db_url;  /* --db or KDX_DATABASE_URL; NULL for none */
	const char *council; /* --council or KDX_COUNCIL: the prefecture (000000: national); NULL for the default */
	bool quiet;
	bool json;
	bool may_create;     /* the command may create a private warehouse (init, run: SPEC §7) */
} kdx_env;

typedef struct kdx_db {
	PGconn *conn;
	bool private_cluster;
	char *where;     /* socket dir or host, for messages; never a password */
	char council[7]; /* the council this session reports on ("" for the warehouse's
	                  * default); its one owner: set by kdx_db_open or kdx_db_use_council */
} kdx_db;

/* What kdx_db_open does with the schema once connected. */
typedef enum kdx_db_schema {
	KDX_SCHEMA_ANY,      /* nothing: the connection only (kdx db status) */
	KDX_SCHEMA_MIGRATE,  /* bring it up to date (commands that write) */
	KDX_SCHEMA_CURRENT   /* refuse a schema that is not this kdx's (commands that only read) */
} kdx_db_schema;

/* True when no connection is configured and kdx should use its private cluster. */
bool kdx_db_is_private(const kdx_env *env);
/* Connect (starting the private cluster when needed), see to the schema as
 * asked, then choose the council of --council / KDX_COUNCIL, checked once
 * against the master data.  *applied (may be NULL) receives how many
 * migration files ran.  On failure returns KDX_EUNAVAILABLE with a message
 * that names the socket or host. */
kdx_status kdx_db_open(const kdx_env *env, kdx_db_schema schema, kdx_db **out, int *applied, kdx_error **err);
void kdx_db_close(kdx_db *db);
/* A second connection to the same warehouse, with the same session settings
 * and council, for queries that can run beside the first connection's. */
kdx_status kdx_db_twin(kdx_db *db, kdx_db **out, kdx_error **err);
/* A connection to another database (dbname) on db's server, with kdx's
 * session settings and no council chosen (a snapshot's reproduction). */
kdx_status kdx_db_sibling(kdx_db *db, const char *dbname, kdx_db **out, kdx_error **err);
/* Report on council code (000000: national; "" the warehouse's default),
 * unchecked: the caller knows it is one. */
kdx_status kdx_db_use_council(kdx_db *db, const char *code, kdx_error **err);

/* Run one statement without parameters (constant SQL only). */
kdx_status kdx_db_exec(kdx_db *db, const char *sql, kdx_error **err);
/* Run a parameterised statement; returns the result (caller PQclear()s) or NULL with *err set. */
PGresult *kdx_db_query(kdx_db *db, const char *sql, int nparams,
                       const char *const *params, kdx_error **err);
kdx_status kdx_db_begin(kdx_db *db, kdx_error **err);
kdx_status kdx_db_commit(kdx_db *db, kdx_error **err);
void kdx_db_rollback(kdx_db *db);

/* COPY ... FROM STDIN: begin, put chunks, end (end reports server errors). */
kdx_status kdx_db_copy_begin(kdx_db *db, const char *sql, kdx_error **err);
kdx_status kdx_db_copy_put(kdx_db *db, const char *data, size_t len, kdx_error **err);
kdx_status kdx_db_copy_end(kdx_db *db, kdx_error **err);
/* As kdx_db_copy_end; *rows receives the number of rows the server took. */
kdx_status kdx_db_copy_end_rows(kdx_db *db, long *rows, kdx_error **err);
/* All three for data held whole in memory; rows may be NULL. */
kdx_status kdx_db_copy_buffer(kdx_db *db, const char *sql, const char *data, size_t len, long *rows, kdx_error **err);

/* Turn a failed PGresult into a kdx_error (primary/detail/hint from the server). */
kdx_status kdx_db_result_error(kdx_db *db, PGresult *res, kdx_error **err);

/* How long a migrator (or a master data loader) waits for another one. */
#define KDX_MIGRATE_WAIT 300  /* seconds */

/* Apply numbered migrations and changed definition files (idempotent).
 * *applied receives how many files ran. */
kdx_status kdx_db_migrate(kdx_db *db, int *applied, kdx_error **err);
/* KDX_OK when every migration and definition file of this kdx is applied;
 * else KDX_EUNAVAILABLE, with a hint to run kdx init. */
kdx_status kdx_db_check_schema(kdx_db *db, kdx_error **err);

/* Create kdx's roles: kdx_secretariat, kdx_auditor (read-only) and one
 * kdx_muni_<code> per municipality; *created says how many were new, *total
 * how many kdx roles there are. */
kdx_status kdx_db_create_roles(kdx_db *db, int *created, int *total, kdx_error **err);

#endif
