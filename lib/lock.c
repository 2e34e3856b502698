/* lock.c - kdx's own locks, rows of kdx.lock (see lock.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kdx/lock.h"
#include "kdx/mem.h"

struct kdx_lock {
	kdx_db *conn;
};

/* "kdx lock run: pid 1234 on host-a", the connection's application_name: what
 * another kdx reads in pg_stat_activity to say who holds the lock. */
static void holder_name(const char *name, char *buf, size_t n)
{
	char host[64] = "?";
	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = '\0';
	snprintf(buf, n, "kdx lock %s: pid %ld on %s", name, (long)getpid(), host);
}

/* The detail of a lock that could not be had: its holder, as far as the
 * server lets this role see. */
static void say_holder(kdx_db *db, const char *name, kdx_error *e)
{
	char like[80];
	snprintf(like, sizeof like, "kdx lock %s: %%", name);
	const char *p[] = { like };
	PGresult *r = kdx_db_query(db, "SELECT application_name, to_char(xact_start, 'YYYY-MM-DD HH24:MI:SS TZ')"
	                               " FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()"
	                               " ORDER BY xact_start LIMIT 1", 1, p, NULL);
	if (r && PQntuples(r) == 1)
		kdx_error_detail(e, "It is held by %s, since %s.", PQgetvalue(r, 0, 0) + strlen(like) - 1, PQgetvalue(r, 0, 1));
	else
		kdx_error_detail(e, "It is held by another kdx session of the warehouse.");
	PQclear(r);
}

/* SELECT ... FOR UPDATE on the lock's row, waiting at most wait_seconds. */
static kdx_status lock_row(kdx_db *db, const char *name, int wait_seconds, kdx_error **err)
{
	char timeout[32];
	snprintf(timeout, sizeof timeout, "%dms", wait_seconds > 0 ? wait_seconds * 1000 : 1);
	const char *pt[] = { timeout };
	PGresult *r = kdx_db_query(db, "SELECT set_config('lock_timeout', $1, true)", 1, pt, err);
	if (!r)
		return KDX_EINTERNAL;
	PQclear(r);
	const char *p[] = { name };
	kdx_error *e = NULL;
	r = kdx_db_query(db, "SELECT 1 FROM kdx.lock WHERE name = $1 FOR UPDATE", 1, p, &e);
	if (r) {
		bool have = PQntuples(r) == 1;
		PQclear(r);
		if (!have)
			return kdx_fail(err, KDX_EINTERNAL, "the warehouse has no lock named \"%s\"", name);
		return kdx_db_exec(db, "SET LOCAL lock_timeout = 0", err);
	}
	if (strcmp(e->sqlstate, "55P03") != 0) {  /* not lock_not_available */
		kdx_status st = e->status;
		if (err)
			*err = e;
		else
			kdx_error_free(e);
		return st;
	}
	kdx_error_free(e);
	if (!err)
		return KDX_ELOCKED;
	if (wait_seconds > 0)
		*err = kdx_error_new(KDX_ELOCKED, "waited %d s for kdx's \"%s\" lock in vain", wait_seconds, name);
	else
		*err = kdx_error_new(KDX_ELOCKED, "another kdx process holds the \"%s\" lock", name);
	return KDX_ELOCKED;
}

kdx_status kdx_lock_in_transaction(kdx_db *db, const char *name, int wait_seconds, kdx_error **err)
{
	kdx_status st = lock_row(db, name, wait_seconds, err);
	if (st == KDX_ELOCKED && err && *err) {
		/* the transaction is aborted: look up the holder on another connection */
		kdx_db *t = NULL;
		if (kdx_db_twin(db, &t, NULL) == KDX_OK)
			say_holder(t, name, *err);
		kdx_db_close(t);
	}
	return st;
}

kdx_status kdx_lock_take(kdx_db *db, const char *name, int wait_seconds, kdx_lock **out, kdx_error **err)
{
	*out = NULL;
	kdx_db *c = NULL;
	kdx_status st = kdx_db_twin(db, &c, err);
	if (st != KDX_OK)
		return st;
	char app[160];
	holder_name(name, app, sizeof app);
	const char *p[] = { app };
	PGresult *r = kdx_db_query(c, "SELECT set_config('application_name', $1, false),"
	                              /* the transaction stays open while the work goes on */
	                              " set_config('idle_in_transaction_session_timeout', '0', false)", 1, p, err);
	if (!r) {
		kdx_db_close(c);
		return KDX_EINTERNAL;
	}
	PQclear(r);
	if ((st = kdx_db_begin(c, err)) == KDX_OK && (st = lock_row(c, name, wait_seconds, err)) == KDX_OK) {
		*out = kdx_xcalloc(1, sizeof **out);
		(*out)->conn = c;
		return KDX_OK;
	}
	if (st == KDX_ELOCKED && err && *err) {
		kdx_db_rollback(c);
		say_holder(c, name, *err);
	}
	kdx_db_close(c);
	return st;
}

void kdx_lock_release(kdx_lock *l)
{
	if (!l)
		return;
	kdx_db_rollback(l->conn);
	kdx_db_close(l->conn);
	free(l);
}
