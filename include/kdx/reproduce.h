/*
 * reproduce.h - kdx verify --reproduce (SPEC §6): the archived warehouse rows
 * loaded into a temporary database beside the warehouse, the reports made
 * again from them, and each compared byte for byte with the archived copy.
 * The bag is restored (restore.h), and so verified, first.
 */
#ifndef KDX_REPRODUCE_H
#define KDX_REPRODUCE_H

#include "kdx/db.h"
#include "kdx/verify.h"

/* Regenerate the reports from the archived data in a temporary database and
 * compare byte for byte: a report that differs, is missing or is extra is a
 * problem in r.  The temporary folder (under env->home/var/tmp) and database
 * are removed afterwards. */
kdx_status kdx_snapshot_reproduce(const kdx_env *env, kdx_db *db, const char *archive, kdx_verify_result *r, kdx_error **err);

#endif
