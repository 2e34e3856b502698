/* db.c - warehouse connection, parameterised queries, COPY and migrations. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include "kdx/db.h"
#include "kdx/cluster.h"
#include "kdx/layout.h"
#include "kdx/lock.h"
#include "kdx/embedded.h"
#include "kdx/digest.h"
#include "kdx/version.h"
#include "kdx/buf.h"
#include "kdx/mem.h"

bool kdx_db_is_private(const kdx_env *env)
{
	static const char *vars[] = { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", NULL };
	if (env->db_url && *env->db_url)
		return false;
	for (int i = 0; vars[i]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return false;
	}
	return true;
}

static void set_server_error(kdx_error **err, kdx_status st, const char *what, PGconn *conn, PGresult *res)
{
	if (!err)
		return;
	const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	kdx_fail(err, st, "%s", prim ? prim : what);
	if (state)
		snprintf((*err)->sqlstate, sizeof (*err)->sqlstate, "%s", state);
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	if (detail)
		kdx_error_detail(*err, "%s", detail);
	else if (!prim && conn) {
		char *m = kdx_strdup(PQerrorMessage(conn));
		size_t n = strlen(m);
		while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		if (*m)
			kdx_error_detail(*err, "%s", m);
		free(m);
	}
	if (hint)
		kdx_error_hint(*err, "%s", hint);
}

kdx_status kdx_db_result_error(kdx_db *db, PGresult *res, kdx_error **err)
{
	/* A lost connection, or a server shutting down under the query (SQLSTATE
	 * class 08, 57P01-57P03), is the warehouse being unavailable, not a bug. */
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	bool gone = PQstatus(db->conn) != CONNECTION_OK || !res ||
	            (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
	                       !strcmp(state, "57P03")));
	if (!gone) {
		set_server_error(err, KDX_EINTERNAL, "query failed", db->conn, res);
		return KDX_EINTERNAL;
	}
	if (err) {
		const char *said = res && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?
		                   PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(db->conn);
		/* the first line, without libpq's "FATAL:  " (the rest is the query's context) */
		if (!strncmp(said, "FATAL:  ", 8) || !strncmp(said, "ERROR:  ", 8))
			said += 8;
		char *m = kdx_strdup(said);
		m[strcspn(m, "\n")] = '\0';
		size_t n = strlen(m);
		while (n && m[n - 1] == ' ')
			m[--n] = '\0';
		kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse at %s stopped answering", db->where);
		if (state)
			snprintf((*err)->sqlstate, sizeof (*err)->sqlstate, "%s", state);
		if (*m)
			kdx_error_detail(*err, "The server said: %s", m);
		kdx_error_hint(*err, "Start the warehouse again (\"kdx db start\" for the private one) and run the command again;"
		                     " files are written whole or not at all.");
		free(m);
	}
	return KDX_EUNAVAILABLE;
}

/* Every kdx session's settings. */
static void session_setup(PGconn *conn)
{
	PQsetClientEncoding(conn, "UTF8");
	PGresult *r = PQexec(conn, "SET client_min_messages = warning; SET datestyle = 'ISO, YMD';"
	                           /* kdx's queries run in milliseconds; JIT compiling them took seconds */
	                           " SET jit = off");
	PQclear(r);
	/* times in the council's zone, which main made the process's (TZ) */
	const char *tz = getenv("TZ");
	const char *p[] = { tz && *tz ? tz : "Asia/Tokyo" };
	r = PQexecParams(conn, "SELECT set_config('TimeZone', $1, false)", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		r = PQexec(conn, "SET TIME ZONE 'Asia/Tokyo'");
	}
	PQclear(r);
}

/* Connect to the configured warehouse, starting the private cluster when needed. */
static kdx_status connect_configured(const kdx_env *env, kdx_db *db, kdx_error **err)
{
	char *conninfo = NULL;
	kdx_status st;
	kdx_cluster *c = NULL;
	if (kdx_db_is_private(env)) {
		if ((st = kdx_cluster_new(env->home, &c, err)) != KDX_OK)
			return st;
		if (!env->may_create && !kdx_cluster_exists(c)) {
			st = kdx_cluster_missing(c, err);
			kdx_cluster_free(c);
			return st;
		}
		/* also for commands that only read: the warehouse is in KDX_HOME */
		if ((st = kdx_home_check(c->home, err)) != KDX_OK || (st = kdx_cluster_ensure(c, err)) != KDX_OK) {
			kdx_cluster_free(c);
			return st;
		}
		conninfo = kdx_cluster_conninfo(c, "kdx");
		db->where = kdx_strdup_printf("socket \"%s\"", c->sockdir);
		db->private_cluster = true;
	} else {
		conninfo = kdx_strdup(env->db_url ? env->db_url : "");
	}
	/* kdx's name in pg_stat_activity unless the connection names itself, and a
	 * bounded wait for a server that does not answer, unless configured: the
	 * given connection string comes after the defaults and overrides them */
	const char *pgct = getenv("PGCONNECT_TIMEOUT");
	const char *kw[] = { "fallback_application_name", "connect_timeout", "dbname", NULL };
	const char *val[] = { "kdx", pgct && *pgct ? pgct : "10", conninfo, NULL };
	db->conn = PQconnectdbParams(kw, val, 1);
	free(conninfo);
	if (!db->where) {
		const char *host = PQhost(db->conn);
		const char *port = PQport(db->conn);
		const char *dbname = PQdb(db->conn);
		db->where = kdx_strdup_printf("%s \"%s\"%s%s, database \"%s\"",
		                              host && host[0] == '/' ? "socket" : "host",
		                              host && *host ? host : "(default)",
		                              port && *port ? " port " : "", port ? port : "",
		                              dbname ? dbname : "?");
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		kdx_fail(err, KDX_EUNAVAILABLE, "could not connect to the warehouse at %s", db->where);
		char *m = kdx_strdup(PQerrorMessage(db->conn));
		size_t n = strlen(m);
		while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		kdx_error_detail(*err, "%s", m);
		free(m);
		kdx_error_hint(*err, "Check KDX_DATABASE_URL, --db or the PG* variables; unset them all to use kdx's private warehouse.");
		kdx_cluster_free(c);
		return KDX_EUNAVAILABLE;
	}
	/* the connection kdx works through reaches the warehouse's own server */
	st = c ? kdx_cluster_verify(c, db->conn, err) : KDX_OK;
	kdx_cluster_free(c);
	if (st != KDX_OK)
		return st;
	session_setup(db->conn);
	return KDX_OK;
}

kdx_status kdx_db_use_council(kdx_db *db, const char *code, kdx_error **err)
{
	const char *p[] = { code ? code : "" };
	PGresult *r = kdx_db_query(db, "SELECT set_config('kdx.council', $1, false)", 1, p, err);
	if (!r)
		return KDX_EINTERNAL;
	PQclear(r);
	snprintf(db->council, sizeof db->council, "%s", p[0]);
	return KDX_OK;
}

/* --council / KDX_COUNCIL, checked once against the master data. */
static kdx_status choose_council(kdx_db *db, const char *code, kdx_error **err)
{
	const char *p[] = { code };
	PGresult *r = kdx_db_query(db, "SELECT EXISTS (SELECT 1 FROM kdx.prefecture WHERE code = $1)", 1, p, err);
	if (!r)
		return KDX_EINTERNAL;
	bool known = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!known) {
		kdx_fail(err, KDX_EUSAGE, "council \"%s\" is not a prefecture in the master data", code);
		kdx_error_hint(*err, "Give a prefecture code such as 440001, or 000000 for the national view.");
		return KDX_EUSAGE;
	}
	return kdx_db_use_council(db, code, err);
}

kdx_status kdx_db_open(const kdx_env *env, kdx_db_schema schema, kdx_db **out, int *applied, kdx_error **err)
{
	kdx_db *db = kdx_xcalloc(1, sizeof *db);
	int n = 0;
	kdx_status st = connect_configured(env, db, err);
	if (st == KDX_OK && schema == KDX_SCHEMA_MIGRATE)
		st = kdx_db_migrate(db, &n, err);
	else if (st == KDX_OK && schema == KDX_SCHEMA_CURRENT)
		st = kdx_db_check_schema(db, err);
	if (st == KDX_OK && schema != KDX_SCHEMA_ANY && env->council && *env->council)
		st = choose_council(db, env->council, err);
	if (st != KDX_OK) {
		kdx_db_close(db);
		return st;
	}
	if (applied)
		*applied = n;
	*out = db;
	return KDX_OK;
}

kdx_status kdx_db_sibling(kdx_db *db, const char *dbname, kdx_db **out, kdx_error **err)
{
	*out = NULL;
	PQconninfoOption *opts = PQconninfo(db->conn);
	if (!opts)
		return kdx_fail(err, KDX_EINTERNAL, "could not read the connection's parameters");
	int n = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		n++;
	const char **kw = kdx_xcalloc((size_t)n + 2, sizeof *kw);
	const char **val = kdx_xcalloc((size_t)n + 2, sizeof *val);
	int k = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (o->val && *o->val && !(dbname && !strcmp(o->keyword, "dbname"))) {
			kw[k] = o->keyword;
			val[k++] = o->val;
		}
	if (dbname) {
		kw[k] = "dbname";
		val[k++] = dbname;
	}
	kdx_db *t = kdx_xcalloc(1, sizeof *t);
	t->conn = PQconnectdbParams(kw, val, 0);
	t->where = dbname ? kdx_strdup_printf("database \"%s\" beside %s", dbname, db->where) : kdx_strdup(db->where);
	t->private_cluster = db->private_cluster;
	free(kw);
	free(val);
	PQconninfoFree(opts);
	if (PQstatus(t->conn) != CONNECTION_OK) {
		kdx_fail(err, KDX_EUNAVAILABLE, "could not open another connection to the warehouse at %s", t->where);
		kdx_db_close(t);
		return KDX_EUNAVAILABLE;
	}
	session_setup(t->conn);
	*out = t;
	return KDX_OK;
}

kdx_status kdx_db_twin(kdx_db *db, kdx_db **out, kdx_error **err)
{
	kdx_status st = kdx_db_sibling(db, NULL, out, err);
	if (st == KDX_OK && db->council[0] && (st = kdx_db_use_council(*out, db->council, err)) != KDX_OK) {
		kdx_db_close(*out);
		*out = NULL;
	}
	return st;
}

void kdx_db_close(kdx_db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db->where);
	free(db);
}

kdx_status kdx_db_exec(kdx_db *db, const char *sql, kdx_error **err)
{
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	kdx_status st = KDX_OK;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		st = kdx_db_result_error(db, r, err);
	PQclear(r);
	return st;
}

PGresult *kdx_db_query(kdx_db *db, const char *sql, int nparams,
                       const char *const *params, kdx_error **err)
{
	PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		kdx_db_result_error(db, r, err);
		PQclear(r);
		return NULL;
	}
	return r;
}

kdx_status kdx_db_begin(kdx_db *db, kdx_error **err)
{
	return kdx_db_exec(db, "BEGIN", err);
}

kdx_status kdx_db_commit(kdx_db *db, kdx_error **err)
{
	return kdx_db_exec(db, "COMMIT", err);
}

void kdx_db_rollback(kdx_db *db)
{
	PGresult *r = PQexec(db->conn, "ROLLBACK");
	PQclear(r);
}

kdx_status kdx_db_copy_begin(kdx_db *db, const char *sql, kdx_error **err)
{
	PGresult *r = PQexec(db->conn, sql);
	kdx_status st = KDX_OK;
	if (PQresultStatus(r) != PGRES_COPY_IN)
		st = kdx_db_result_error(db, r, err);
	PQclear(r);
	return st;
}

kdx_status kdx_db_copy_put(kdx_db *db, const char *data, size_t len, kdx_error **err)
{
	while (len > 0) {
		int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
		if (PQputCopyData(db->conn, data, chunk) != 1) {
			set_server_error(err, KDX_EUNAVAILABLE, "could not send COPY data", db->conn, NULL);
			return KDX_EUNAVAILABLE;
		}
		data += chunk;
		len -= (size_t)chunk;
	}
	return KDX_OK;
}

kdx_status kdx_db_copy_end_rows(kdx_db *db, long *rows, kdx_error **err)
{
	if (PQputCopyEnd(db->conn, NULL) != 1) {
		set_server_error(err, KDX_EUNAVAILABLE, "could not end COPY", db->conn, NULL);
		return KDX_EUNAVAILABLE;
	}
	kdx_status st = KDX_OK;
	PGresult *r;
	while ((r = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && st == KDX_OK)
			st = kdx_db_result_error(db, r, err);
		else if (rows && PQresultStatus(r) == PGRES_COMMAND_OK)
			*rows = atol(PQcmdTuples(r));
		PQclear(r);
	}
	return st;
}

kdx_status kdx_db_copy_end(kdx_db *db, kdx_error **err)
{
	return kdx_db_copy_end_rows(db, NULL, err);
}

kdx_status kdx_db_copy_buffer(kdx_db *db, const char *sql, const char *data, size_t len, long *rows, kdx_error **err)
{
	kdx_status st = kdx_db_copy_begin(db, sql, err);
	if (st == KDX_OK)
		st = kdx_db_copy_put(db, data, len, err);
	if (st == KDX_OK)
		st = kdx_db_copy_end_rows(db, rows, err);
	return st;
}

/* The schema comes in two kinds of embedded file (docs/ARCHITECTURE.md):
 *
 *   sql/NNN_name.sql        numbered migrations: tables, types, data changes;
 *                           each applied once, in order, in its own
 *                           transaction, recorded in kdx.schema_version;
 *   sql/functions/T.sql     every function, view, policy and trigger of one
 *                           topic, written to be run again (CREATE OR
 *                           REPLACE; DROP ... IF EXISTS first where a
 *                           function's result columns change); re-applied
 *                           whenever its SHA-256 differs from the one
 *                           recorded in kdx.schema_definition.
 *
 * Both run under kdx's "migrate" lock (lock.h), so concurrent migrators take
 * turns, and no reader of the warehouse can hold them up. */

/* What every migration needs first: the schema, the records of what was
 * applied, and kdx's locks.  Two first inits at once may both try to create
 * them: the loser finds them made and goes on. */
static kdx_status bootstrap(kdx_db *db, kdx_error **err)
{
	static const char sql[] =
		"CREATE SCHEMA IF NOT EXISTS kdx;"
		"CREATE TABLE IF NOT EXISTS kdx.schema_version ("
		" version integer PRIMARY KEY, name text NOT NULL,"
		" applied_at timestamptz NOT NULL DEFAULT now());"
		"CREATE TABLE IF NOT EXISTS kdx.schema_definition ("
		" file text PRIMARY KEY, sha256 char(64) NOT NULL,"
		" applied_at timestamptz NOT NULL DEFAULT now());"
		/* which kdx applied each: a later kdx's schema is never undone by an
		 * earlier one sharing the warehouse (refuse_newer) */
		"ALTER TABLE kdx.schema_version ADD COLUMN IF NOT EXISTS kdx_version text;"
		"ALTER TABLE kdx.schema_definition ADD COLUMN IF NOT EXISTS kdx_version text;"
		/* FOR UPDATE on a row needs UPDATE on the table, which only kdx's owner
		 * (and the secretariat, which runs kdx) has */
		"CREATE TABLE IF NOT EXISTS kdx.lock (name text PRIMARY KEY, purpose text NOT NULL);"
		"REVOKE ALL ON kdx.lock FROM PUBLIC;"
		"INSERT INTO kdx.lock VALUES ('migrate', 'schema changes and master data'),"
		" ('run', 'one nightly or monthly job at a time'), ('snapshot', 'one link of the snapshot chain at a time')"
		" ON CONFLICT DO NOTHING";
	for (int attempt = 0;; attempt++) {
		PGresult *r = kdx_db_query(db, "SELECT to_regclass('kdx.lock') IS NOT NULL AND (SELECT count(*) = 2 FROM pg_attribute"
		                               " WHERE attrelid IN (to_regclass('kdx.schema_version'), to_regclass('kdx.schema_definition'))"
		                               " AND attname = 'kdx_version' AND NOT attisdropped)",
		                           0, NULL, err);
		if (!r)
			return KDX_EINTERNAL;
		bool present = PQgetvalue(r, 0, 0)[0] == 't';
		PQclear(r);
		if (present)
			return KDX_OK;
		kdx_error *e = NULL;
		kdx_status st = kdx_db_begin(db, err);
		if (st == KDX_OK && (st = kdx_db_exec(db, sql, &e)) == KDX_OK && (st = kdx_db_commit(db, &e)) == KDX_OK)
			return KDX_OK;
		kdx_db_rollback(db);
		/* another migrator made them first: unique_violation, duplicate_schema, duplicate_table */
		if (e && attempt == 0 && (!strcmp(e->sqlstate, "23505") || !strcmp(e->sqlstate, "42P06") ||
		                          !strcmp(e->sqlstate, "42P07"))) {
			kdx_error_free(e);
			continue;
		}
		if (err)
			*err = e;
		else
			kdx_error_free(e);
		return st;
	}
}

static bool is_migration(const kdx_embedded *e)
{
	return strncmp(e->path, "sql/", 4) == 0 && e->path[4] >= '0' && e->path[4] <= '9';
}

static bool is_definition(const kdx_embedded *e)
{
	return strncmp(e->path, "sql/functions/", 14) == 0;
}

static char *embedded_text(const kdx_embedded *e)
{
	char *sql = kdx_xmalloc(e->len + 1);
	memcpy(sql, e->data, e->len);
	sql[e->len] = '\0';
	return sql;
}

/* The highest numbered migration this kdx carries. */
static int own_schema_version(void)
{
	int v = 0;
	for (const kdx_embedded *e = kdx_embedded_files; e->path; e++)
		if (is_migration(e) && atoi(e->path + 4) > v)
			v = atoi(e->path + 4);
	return v;
}

/* Dotted versions compared number by number: 0.10.0 is after 0.9.1. */
static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (ea == a || eb == b) {
			int c = strcmp(a, b);
			return (c > 0) - (c < 0);
		}
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

/*
 * A warehouse a newer kdx upgraded (a numbered migration this kdx does not
 * carry, or definitions a later kdx version recorded) is refused: this kdx's
 * queries may not fit it, and its older definitions must never be written
 * over the newer ones of the machines that share the warehouse.  The
 * kdx_version columns may be missing (a warehouse no migrator of this kdx
 * touched yet): to_jsonb reads them when they are there.
 */
static kdx_status refuse_newer(kdx_db *db, kdx_error **err)
{
	PGresult *r = kdx_db_query(db, "SELECT v.version, to_jsonb(v) ->> 'kdx_version', v.name FROM kdx.schema_version v"
	                               " UNION ALL SELECT NULL, to_jsonb(d) ->> 'kdx_version', d.file FROM kdx.schema_definition d",
	                           0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	int mine = own_schema_version(), theirs = 0;
	const char *by = NULL, *what = NULL;
	for (int i = 0; i < PQntuples(r); i++) {
		int v = PQgetisnull(r, i, 0) ? 0 : atoi(PQgetvalue(r, i, 0));
		const char *kv = PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1);
		bool later = kv && version_cmp(kv, KDX_VERSION) > 0;
		if (v > mine || later) {
			if (v > theirs)
				theirs = v;
			if (!what)
				what = PQgetvalue(r, i, 2);
			if (kv && (!by || version_cmp(kv, by) > 0))
				by = kv;
		}
	}
	kdx_status st = KDX_OK;
	if (what) {
		if (by)
			kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse was upgraded by kdx %s; this kdx is %s", by, KDX_VERSION);
		else
			kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse was upgraded by a newer kdx; this kdx is %s", KDX_VERSION);
		char *found = theirs ? kdx_strdup_printf("has schema version %d; this kdx knows versions up to %d", theirs, mine)
		                     : kdx_strdup_printf("holds %s as a later kdx defined it", what);
		kdx_error_detail(*err, "The warehouse at %s %s. This kdx's older definitions would undo the upgrade for every"
		                 " machine that shares the warehouse.", db->where, found);
		free(found);
		if (by)
			kdx_error_hint(*err, "Install kdx %s or later on this machine; machines that share a warehouse run the same kdx.", by);
		else
			kdx_error_hint(*err, "Install the kdx that upgraded the warehouse, or a later one, on this machine; machines that"
			                     " share a warehouse run the same kdx.");
		st = KDX_EUNAVAILABLE;
	}
	PQclear(r);
	return st;
}

/* One numbered migration, unless it is recorded already; *ran says whether it ran. */
static kdx_status apply_migration(kdx_db *db, const kdx_embedded *e, bool *ran, kdx_error **err)
{
	const char *name = e->path + 4;
	char ver[16];
	snprintf(ver, sizeof ver, "%d", atoi(name));
	*ran = false;
	kdx_status st = kdx_db_begin(db, err);
	if (st != KDX_OK)
		return st;
	if ((st = kdx_lock_in_transaction(db, "migrate", KDX_MIGRATE_WAIT, err)) != KDX_OK)
		goto fail;
	const char *p1[] = { ver };
	PGresult *r = kdx_db_query(db, "SELECT 1 FROM kdx.schema_version WHERE version = $1", 1, p1, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
	int done = PQntuples(r);
	PQclear(r);
	if (done) {
		kdx_db_rollback(db);
		return KDX_OK;
	}
	char *sql = embedded_text(e);
	st = kdx_db_exec(db, sql, err);
	free(sql);
	if (st != KDX_OK) {
		if (err && *err)
			kdx_error_hint(*err, "Migration %s failed; the warehouse is unchanged by it.", name);
		goto fail;
	}
	const char *p2[] = { ver, name, KDX_VERSION };
	r = kdx_db_query(db, "INSERT INTO kdx.schema_version (version, name, kdx_version) VALUES ($1, $2, $3)", 3, p2, err);
	if (!r) {
		st = KDX_EINTERNAL;
		goto fail;
	}
	PQclear(r);
	if ((st = kdx_db_commit(db, err)) == KDX_OK)
		*ran = true;
	return st;
fail:
	kdx_db_rollback(db);
	return st;
}

/* Every definition file whose content changed, in one transaction.  Function
 * bodies are checked when they run rather than when they are created, so the
 * files may call each other's functions in any order. */
static kdx_status apply_definitions(kdx_db *db, int *applied, kdx_error **err)
{
	kdx_status st = kdx_db_begin(db, err);
	if (st != KDX_OK)
		return st;
	/* under the lock: a newer kdx may have upgraded the warehouse since this one looked */
	if ((st = kdx_lock_in_transaction(db, "migrate", KDX_MIGRATE_WAIT, err)) != KDX_OK ||
	    (st = refuse_newer(db, err)) != KDX_OK ||
	    (st = kdx_db_exec(db, "SET LOCAL check_function_bodies = off", err)) != KDX_OK)
		goto fail;
	for (const kdx_embedded *e = kdx_embedded_files; e->path; e++) {
		if (!is_definition(e))
			continue;
		const char *name = e->path + 4;
		char sha[65];
		kdx_sha256_hex(e->data, e->len, sha);
		const char *p[] = { name, sha, KDX_VERSION };
		PGresult *r = kdx_db_query(db, "SELECT 1 FROM kdx.schema_definition WHERE file = $1 AND sha256 = $2", 2, p, err);
		if (!r) {
			st = KDX_EINTERNAL;
			goto fail;
		}
		int same = PQntuples(r);
		PQclear(r);
		if (same)
			continue;
		char *sql = embedded_text(e);
		st = kdx_db_exec(db, sql, err);
		free(sql);
		if (st != KDX_OK) {
			if (err && *err)
				kdx_error_hint(*err, "Definitions %s failed; the warehouse is unchanged by them.", name);
			goto fail;
		}
		r = kdx_db_query(db, "INSERT INTO kdx.schema_definition (file, sha256, kdx_version) VALUES ($1, $2, $3)"
		                     " ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256, kdx_version = excluded.kdx_version,"
		                     " applied_at = now()", 3, p, err);
		if (!r) {
			st = KDX_EINTERNAL;
			goto fail;
		}
		PQclear(r);
		(*applied)++;
	}
	return kdx_db_commit(db, err);
fail:
	kdx_db_rollback(db);
	return st;
}

kdx_status kdx_db_migrate(kdx_db *db, int *applied, kdx_error **err)
{
	kdx_status st;
	*applied = 0;
	if ((st = bootstrap(db, err)) != KDX_OK || (st = refuse_newer(db, err)) != KDX_OK)
		return st;
	for (const kdx_embedded *e = kdx_embedded_files; e->path; e++) {
		bool ran;
		if (!is_migration(e))
			continue;
		if ((st = apply_migration(db, e, &ran, err)) != KDX_OK)
			return st;
		*applied += ran;
	}
	return apply_definitions(db, applied, err);
}

kdx_status kdx_db_check_schema(kdx_db *db, kdx_error **err)
{
	PGresult *r = kdx_db_query(db, "SELECT to_regclass('kdx.schema_version') IS NOT NULL"
	                               " AND to_regclass('kdx.schema_definition') IS NOT NULL", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	bool present = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!present) {
		kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse at %s has no kdx schema", db->where);
		kdx_error_hint(*err, "Run \"kdx init\" to create it.");
		return KDX_EUNAVAILABLE;
	}
	kdx_status st = refuse_newer(db, err);
	if (st != KDX_OK)
		return st;
	r = kdx_db_query(db, "SELECT 'v' || version FROM kdx.schema_version UNION ALL"
	                     " SELECT file || ' ' || sha256 FROM kdx.schema_definition", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	int missing = 0;
	for (const kdx_embedded *e = kdx_embedded_files; e->path; e++) {
		char want[128];
		if (is_migration(e)) {
			snprintf(want, sizeof want, "v%d", atoi(e->path + 4));
		} else if (is_definition(e)) {
			char sha[65];
			kdx_sha256_hex(e->data, e->len, sha);
			snprintf(want, sizeof want, "%s %s", e->path + 4, sha);
		} else {
			continue;
		}
		bool found = false;
		for (int i = 0; i < PQntuples(r) && !found; i++)
			found = !strcmp(PQgetvalue(r, i, 0), want);
		missing += !found;
	}
	PQclear(r);
	if (missing) {
		kdx_fail(err, KDX_EUNAVAILABLE, "the warehouse schema at %s is not this kdx's", db->where);
		kdx_error_detail(*err, "%d schema file%s of kdx %s %s not applied.", missing, missing == 1 ? "" : "s", KDX_VERSION,
		                 missing == 1 ? "is" : "are");
		kdx_error_hint(*err, "Run \"kdx init\" to upgrade it; commands that only read never change the schema.");
		return KDX_EUNAVAILABLE;
	}
	return KDX_OK;
}


kdx_status kdx_db_create_roles(kdx_db *db, int *created, int *total, kdx_error **err)
{
	/* counted in a statement of its own: a sub-select of the creating
	 * statement sees the roles as they were when it began */
	PGresult *r = kdx_db_query(db, "SELECT kdx.create_roles()", 0, NULL, err);
	if (!r)
		return KDX_EINTERNAL;
	*created = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!(r = kdx_db_query(db, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'kdx\\_%'", 0, NULL, err)))
		return KDX_EINTERNAL;
	*total = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return KDX_OK;
}
