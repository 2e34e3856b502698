/*
 * snapshot.h - archived, verifiable snapshots (SPEC §6).
 *
 * A snapshot is a BagIt 1.0 bag (RFC 8493) in a .tar.gz:
 *   <bag>/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
 *   tagmanifest-sha256.txt, data/warehouse/... (CSV dumps, in_force.csv: the
 *   submission each figure used), data/figures.csv (every figure), data/reports/...
 * bag-info.txt names the previous snapshot's tagmanifest SHA-256, so the
 * snapshots form a hash chain, which the warehouse also records.
 */
#ifndef KDX_SNAPSHOT_H
#define KDX_SNAPSHOT_H

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

/* reports_dir: the reports of this as-of already written by kdx report (its
 * council/, municipalities/, charts/ and councils/ are archived); NULL to
 * render them afresh.  rd: the data those reports were written from, or NULL
 * to load it. */
kdx_status kdx_snapshot_create(const kdx_env *env, kdx_db *db, kdx_date asof, const char *reports_dir,
                               const kdx_report_data *rd, kdx_snapshot_info *info, kdx_error **err);

/* Verification collects every problem; returns KDX_EDATA when there is any. */
typedef struct kdx_verify_result {
	char **problems;
	int nproblems;
	int checked;
	/* what the last bag verified says of itself */
	char bag[128];          /* its folder, "kdx-2026-11-30-1" */
	char tagsha[65];        /* its tagmanifest's SHA-256 */
	char prev[65];          /* Previous-Snapshot-SHA256, "" for none */
} kdx_verify_result;
void kdx_verify_result_free(kdx_verify_result *r);
/* Add a problem to r. */
void kdx_verify_problem(kdx_verify_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
kdx_status kdx_snapshot_verify(const char *archive, kdx_verify_result *r, char tagsha[65], char prev[65], kdx_error **err);
/* kdx_snapshot_verify, keeping the bag in *out (when not NULL; the caller
 * frees it with kdx_tar_free): its tag files and the payload files under the
 * bag's folders listed in keep ("data/warehouse/"), whole; the others as
 * digests only.  *out is filled whenever the bag could be read, valid or not. */
struct kdx_tar;
kdx_status kdx_snapshot_read(const char *archive, const char *const *keep, kdx_verify_result *r, char tagsha[65],
                             char prev[65], struct kdx_tar *out, kdx_error **err);
/* The bag r last verified against what the warehouse recorded for the
 * snapshot it claims to be (its folder's as-of and sequence): the same
 * tagmanifest, the same link to the one before.  *claim (caller frees) says
 * which recorded snapshot that is, or NULL when none. */
kdx_status kdx_snapshot_check_recorded(kdx_db *db, kdx_verify_result *r, char **claim, kdx_error **err);
/* The bag's detached signature of its tag manifest (tagmanifest-sha256.txt.sig,
 * written when KDX_SIGNING_KEY was set) against the Ed25519 public key in
 * pubkey (PEM): a missing or wrong signature is a problem in r. */
kdx_status kdx_snapshot_check_signature(const char *archive, const char *pubkey, kdx_verify_result *r, kdx_error **err);
/* Archives (each verified with kdx_snapshot_verify into results[i]) against a
 * chain head published elsewhere: the head is one of them, and each of the
 * others is reached from it through the Previous-Snapshot links. */
void kdx_snapshot_check_chain(const char *head, char **archives, kdx_verify_result *results, int n, kdx_verify_result *r);
/* The error for an archive that failed verification (r): "…; outcome", its
 * problems as the detail, and a hint to keep it as evidence and do instead. */
kdx_status kdx_snapshot_refuse(const char *archive, const kdx_verify_result *r, const char *outcome, const char *instead,
                               kdx_error **err);
/* Every recorded snapshot and the chain; with archive_root, also every
 * archive (*.tar.gz) under it that the warehouse never recorded. */
kdx_status kdx_snapshot_verify_all(kdx_db *db, const char *archive_root, kdx_verify_result *r, kdx_error **err);
/* Regenerate the reports from the archived data in a temporary database and compare byte for byte. */
kdx_status kdx_snapshot_reproduce(const kdx_env *env, kdx_db *db, const char *archive, kdx_verify_result *r, kdx_error **err);
/* Extract safely into dir (which must not exist or be empty). */
kdx_status kdx_snapshot_restore(const char *archive, const char *dir, int *files, kdx_error **err);

#endif
