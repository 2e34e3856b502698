/*
 * restore.h - kdx restore (SPEC §6): a bag extracted only after it passes the
 * verification kdx verify makes (verify.h), and never an absolute path, "..",
 * a link or an entry named twice.
 */
#ifndef KDX_RESTORE_H
#define KDX_RESTORE_H

#include "kdx/db.h"
#include "kdx/error.h"

/* Extract safely into dir (which must not exist or be empty); *files counts
 * the files written.  The bag is verified as kdx_snapshot_check does, against
 * the warehouse's record too when db is not NULL (*claim, caller frees, as
 * there); one that fails is refused (KDX_EDATA, its problems named) with
 * nothing written.  Each file is written under a temporary name beside its
 * own and renamed when it is whole and the same as the bag verified; when one
 * cannot be, what this restore wrote is removed again (dir too, if it made
 * it). */
kdx_status kdx_snapshot_restore(const char *archive, kdx_db *db, const char *dir, int *files, char **claim,
                                kdx_error **err);

#endif
