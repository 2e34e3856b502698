/*
 * bag.h - writing a snapshot (SPEC §6): the writer's side of the archive.
 *
 * A snapshot is a BagIt 1.0 bag (RFC 8493) in a .tar.gz:
 *   <bag>/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
 *   tagmanifest-sha256.txt, data/warehouse/... (CSV dumps, in_force.csv: the
 *   submission each figure used), data/figures.csv (every figure), data/reports/...
 * bag-info.txt names the previous snapshot's tagmanifest SHA-256, so the
 * snapshots form a hash chain, which the warehouse also records.
 *
 * Only the writer needs a warehouse that may be written and the reports; the
 * auditor's side (verify.h, restore.h) reads bags without this module.
 */
#ifndef KDX_BAG_H
#define KDX_BAG_H

#include <stdbool.h>
#include "kdx/db.h"
#include "kdx/repdata.h"
#include "kdx/jdate.h"

typedef struct kdx_snapshot_info {
	long id;
	char path[4096];
	char tagmanifest_sha256[65];
	int files;
	long long bytes;
	bool reused;  /* the payload was already archived for this as-of */
} kdx_snapshot_info;

/* KDX_SIGNING_KEY, when set, checked before anything is written (SPEC §7):
 * the key file itself (not a link), owned by root, by kdx's user or by the
 * user who runs kdx, that no one else may write, and that only its owner may
 * read, or also its group when that is "kdx" and may only read it; not
 * encrypted (kdx runs unattended and never asks for a pass phrase); an
 * Ed25519 private key in PEM.  KDX_ECONFIG for a key others could read or
 * change, a link or an encrypted key; KDX_EUSAGE for one that cannot be read
 * or is no such key.  kdx_snapshot_create checks it again before signing. */
kdx_status kdx_signing_key_check(kdx_error **err);

/* reports_dir: the reports of this as-of already written by kdx report (its
 * council/, municipalities/, charts/ and councils/ are archived); NULL to
 * render them afresh.  rd: the data those reports were written from, or NULL
 * to load it. */
kdx_status kdx_snapshot_create(const kdx_env *env, kdx_db *db, kdx_date asof, const char *reports_dir,
                               const kdx_report_data *rd, kdx_snapshot_info *info, kdx_error **err);

#endif
