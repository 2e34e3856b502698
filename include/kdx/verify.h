/*
 * verify.h - the auditor's side of the archive (SPEC §6): a bag against its
 * manifests and Payload-Oxum, against what the warehouse recorded, against a
 * chain head published elsewhere, and against the council's public key.
 *
 * It reads bags through bagit.h and tar.h only, never through the writer
 * (bag.h), so that an auditor can read and trust it on its own.  Without a
 * warehouse, kdx_snapshot_verify, kdx_snapshot_read, kdx_snapshot_check_chain
 * and kdx_snapshot_check_signature are all there is.
 */
#ifndef KDX_VERIFY_H
#define KDX_VERIFY_H

#include <stdbool.h>
#include "kdx/db.h"
#include "kdx/error.h"
#include "kdx/tar.h"

/* Verification collects every problem; returns KDX_EDATA when there is any.
 * The caller owns the result: zeroed before the first use, it may gather the
 * problems of several bags, and kdx_verify_result_free releases them. */
typedef struct kdx_verify_result {
	char **problems;
	int nproblems;
	int checked;
	/* what the last bag verified says of itself */
	char bag[128];          /* its folder, "kdx-2026-11-30-1" */
	char tagsha[65];        /* its tagmanifest's SHA-256 */
	char prev[65];          /* Previous-Snapshot-SHA256, "" for none */
	/* a bag whose files are at the top of the archive (no base directory):
	 * refused as a matter of packaging; its KDX-As-Of, tagsha as above */
	bool unfoldered;
	char asof[16];
	/* of the problems, those that say a bag is the archive of a snapshot
	 * that did not finish (中断): no tampering, no link of the chain */
	int interrupted;
	/* what is worth saying but is no problem (kdx verify --all: the archives
	 * of interrupted snapshots) */
	char **notes;
	int nnotes;
} kdx_verify_result;
/* Release r's problems and notes and zero it; NULL does nothing. */
void kdx_verify_result_free(kdx_verify_result *r);
/* Add a problem to r (formatted, copied). */
void kdx_verify_problem(kdx_verify_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Verify one bag (a .tar.gz, a re-packed .tar or an extracted folder); its
 * tagmanifest SHA-256 and Previous-Snapshot-SHA256 into tagsha and prev when
 * not NULL.  KDX_EDATA with the problems in r; another status, with *err,
 * when the bag could not be read at all. */
kdx_status kdx_snapshot_verify(const char *archive, kdx_verify_result *r, char tagsha[65], char prev[65], kdx_error **err);
/* kdx_snapshot_verify, keeping the bag in *out (when not NULL; the caller
 * frees it with kdx_tar_free): its tag files and the payload files under the
 * bag's folders listed in keep ("data/warehouse/"), whole; the others as
 * digests only.  *out is filled whenever the bag could be read, valid or not.
 * A bag with no base directory (its files at the top of the archive) is
 * KDX_EDATA with *err: a matter of packaging, whose hint re-packs it. */
kdx_status kdx_snapshot_read(const char *archive, const char *const *keep, kdx_verify_result *r, char tagsha[65],
                             char prev[65], kdx_tar *out, kdx_error **err);
/* What kdx verify ARCHIVE checks: the bag (kdx_snapshot_read, with out
 * as there) and, with db (NULL where there is no warehouse), what the
 * warehouse recorded (kdx_snapshot_check_recorded, *claim as there). */
kdx_status kdx_snapshot_check(const char *archive, kdx_db *db, kdx_verify_result *r, char **claim, kdx_tar *out,
                              kdx_error **err);
/* The bag r last verified against what the warehouse recorded for the
 * snapshot it claims to be (its folder's as-of and sequence): the same
 * tagmanifest, the same link to the one before.  *claim (caller frees) says
 * which recorded snapshot that is, or NULL when none.  A bag whose tag
 * manifest the warehouse holds as pending (kdx.snapshot_pending) is the
 * archive of a snapshot that did not finish: a problem that says so (中断),
 * counted in r->interrupted. */
kdx_status kdx_snapshot_check_recorded(kdx_db *db, kdx_verify_result *r, char **claim, kdx_error **err);
/* The bag's detached signature of its tag manifest (tagmanifest-sha256.txt.sig,
 * written when KDX_SIGNING_KEY was set) against the Ed25519 public key in
 * pubkey (PEM): a missing or wrong signature is a problem in r. */
kdx_status kdx_snapshot_check_signature(const char *archive, const char *pubkey, kdx_verify_result *r, kdx_error **err);
/* Archives (each verified with kdx_snapshot_verify into results[i]) against a
 * chain head published elsewhere: the head is one of them, and each of the
 * others is reached from it through the Previous-Snapshot links. */
void kdx_snapshot_check_chain(const char *head, char **archives, kdx_verify_result *results, int n, kdx_verify_result *r);
/* What to do about the problems in r: keep the archive as evidence and
 * report it, or (when every problem says the snapshot did not finish) that it
 * is no link of the chain and the snapshot is made again; a sentence. */
const char *kdx_verify_advice(const kdx_verify_result *r);
/* The error for an archive that failed verification (r): "…; outcome", its
 * problems as the detail, and kdx_verify_advice and instead as the hint. */
kdx_status kdx_snapshot_refuse(const char *archive, const kdx_verify_result *r, const char *outcome, const char *instead,
                               kdx_error **err);
/* Every recorded snapshot and the chain; with archive_root, also every
 * archive (*.tar.gz) under it that the warehouse never recorded: a problem,
 * unless it is, byte for byte, the archive of a snapshot that did not finish
 * (pending, at that path), which is a note in r (中断). */
kdx_status kdx_snapshot_verify_all(kdx_db *db, const char *archive_root, kdx_verify_result *r, kdx_error **err);

#endif
