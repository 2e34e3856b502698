/*
 * lock.h - kdx's own locks: one run at a time, one snapshot at a time, one
 * migrator at a time.
 *
 * A lock is a row of kdx.lock held FOR UPDATE by a transaction kept open on a
 * connection of its own, so it lasts as long as the process (a killed process
 * drops its connection and with it the lock) and spans the work's own
 * transactions.  Locking a row FOR UPDATE needs the UPDATE privilege on
 * kdx.lock, which no municipality or auditor role has: unlike PostgreSQL's
 * advisory locks, which any role may take with kdx's keys, no reader of the
 * warehouse can block or delay a job.
 */
#ifndef KDX_LOCK_H
#define KDX_LOCK_H

#include "kdx/db.h"

typedef struct kdx_lock kdx_lock;

/* Take lock name ("run", "snapshot") on a new connection beside db.  With
 * wait_seconds 0 fail at once when another holds it, else wait at most that
 * long.  Fails with KDX_ELOCKED and a detail that says which kdx process
 * holds it, on which machine, since when. */
kdx_status kdx_lock_take(kdx_db *db, const char *name, int wait_seconds, kdx_lock **out, kdx_error **err);
/* Release it (NULL is fine). */
void kdx_lock_release(kdx_lock *l);

/* Inside db's open transaction: wait (at most wait_seconds) for lock name,
 * held until that transaction ends (the migrator's). */
kdx_status kdx_lock_in_transaction(kdx_db *db, const char *name, int wait_seconds, kdx_error **err);

#endif
