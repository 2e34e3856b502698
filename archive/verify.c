/* verify.c - the auditor's side: a bag against its manifests, the warehouse's record, a chain head and a signature (see verify.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "kdx/bagit.h"
#include "kdx/buf.h"
#include "kdx/digest.h"
#include "kdx/fsutil.h"
#include "kdx/mem.h"
#include "kdx/strset.h"
#include "kdx/tar.h"
#include "kdx/verify.h"

void kdx_verify_problem(kdx_verify_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->problems = kdx_xrealloc(r->problems, (size_t)(r->nproblems + 1) * sizeof *r->problems);
	r->problems[r->nproblems++] = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void kdx_verify_result_free(kdx_verify_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	for (int i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof *r);
}

/* Check one manifest against the payload; marks listed files in seen[]. */
static void check_manifest(kdx_verify_result *r, const kdx_tar *t, const char *root, const char *mname, bool sha512,
                           bool *seen, bool payload)
{
	size_t hexlen = sha512 ? 128 : 64;
	char *mp = kdx_strdup_printf("%s/%s", root, mname);
	const kdx_tar_entry *m = kdx_tar_find(t, mp);
	free(mp);
	if (!m) {
		kdx_verify_problem(r, "%s is missing", mname);
		return;
	}
	char *text = kdx_strdup((const char *)m->data);
	int lineno = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		lineno++;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[l - 1] = '\0';
		char *sp = strpbrk(line, " \t");
		if (!sp || (size_t)(sp - line) != hexlen) {
			kdx_verify_problem(r, "%s line %d is malformed", mname, lineno);
			continue;
		}
		*sp = '\0';
		char *fp = sp + 1;
		while (*fp == ' ' || *fp == '\t')
			fp++;
		char *rel = kdx_bagit_path_decode(fp);
		char *shown = kdx_shown_name(rel);
		if (payload && strncmp(rel, "data/", 5) != 0)
			kdx_verify_problem(r, "%s lists \"%s\", which is outside data/", mname, shown);
		char *full = kdx_strdup_printf("%s/%s", root, rel);
		int idx = -1;
		for (int i = 0; i < t->n; i++)
			if (!strcmp(t->e[i].path, full))
				idx = i;
		if (idx < 0) {
			kdx_verify_problem(r, "missing file: %s (listed in %s)", shown, mname);
		} else {
			seen[idx] = true;
			char h[129];
			const kdx_tar_entry *e = &t->e[idx];
			if (e->data && sha512)
				kdx_sha512_hex(e->data, e->size, h);
			else if (e->data)
				kdx_sha256_hex(e->data, e->size, h);
			else /* streamed by kdx_tar_read_digests */
				snprintf(h, sizeof h, "%s", sha512 ? e->sha512 : e->sha256);
			if (strcasecmp(h, line) != 0)
				kdx_verify_problem(r, "changed file: %s (%s does not match %s)", shown, mname, sha512 ? "SHA-512" : "SHA-256");
		}
		free(full);
		free(shown);
		free(rel);
	}
	free(text);
}

/* The bag read into t against its manifests; problems into r. */
static kdx_status verify_tree(const char *archive, const kdx_tar *tp, kdx_verify_result *r, char tagsha[65], char prev[65])
{
	kdx_tar t = *tp;  /* the caller's: not freed here */
	r->checked++;
	r->bag[0] = r->tagsha[0] = r->prev[0] = '\0';
	char *root = kdx_bagit_root(&t);
	if (root)
		snprintf(r->bag, sizeof r->bag, "%s", root);
	if (!root) {
		kdx_verify_problem(r, "%s: not a bag (no top-level folder)", archive);
		return KDX_EDATA;
	}
	int before = r->nproblems;
	char *p = kdx_strdup_printf("%s/bagit.txt", root);
	const kdx_tar_entry *bagit = kdx_tar_find(&t, p);
	free(p);
	if (!bagit)
		kdx_verify_problem(r, "bagit.txt is missing");
	else if (!strstr((const char *)bagit->data, "BagIt-Version: 1.0"))
		kdx_verify_problem(r, "bagit.txt does not declare BagIt-Version 1.0");
	bool *seen = kdx_xcalloc((size_t)t.n + 1, sizeof *seen);
	check_manifest(r, &t, root, "manifest-sha256.txt", false, seen, true);
	bool *seen512 = kdx_xcalloc((size_t)t.n + 1, sizeof *seen512);
	check_manifest(r, &t, root, "manifest-sha512.txt", true, seen512, true);
	/* every payload file must be listed, and nothing lies beside the bag's folder */
	size_t rl = strlen(root);
	long long bytes = 0;
	int files = 0;
	for (int i = 0; i < t.n; i++) {
		bool in_bag = !strncmp(t.e[i].path, root, rl) && t.e[i].path[rl] == '/';
		const char *rel = in_bag ? t.e[i].path + rl + 1 : t.e[i].path;
		if (in_bag && strncmp(rel, "data/", 5) != 0)
			continue;  /* a tag file */
		char *shown = kdx_shown_name(rel);
		if (!in_bag) {
			char *sroot = kdx_shown_name(root);
			kdx_verify_problem(r, "extra file: %s (beside the bag's folder %s)", shown, sroot);
			free(sroot);
		} else {
			files++;
			bytes += (long long)t.e[i].size;
			if (!seen[i])
				kdx_verify_problem(r, "extra file: %s (not in manifest-sha256.txt)", shown);
			if (!seen512[i])
				kdx_verify_problem(r, "extra file: %s (not in manifest-sha512.txt)", shown);
		}
		free(shown);
	}
	bool *tseen = kdx_xcalloc((size_t)t.n + 1, sizeof *tseen);
	check_manifest(r, &t, root, "tagmanifest-sha256.txt", false, tseen, false);
	p = kdx_strdup_printf("%s/tagmanifest-sha256.txt", root);
	const kdx_tar_entry *tm = kdx_tar_find(&t, p);
	free(p);
	if (tm)
		kdx_sha256_hex(tm->data, tm->size, r->tagsha);
	if (tm && tagsha)
		memcpy(tagsha, r->tagsha, 65);
	p = kdx_strdup_printf("%s/bag-info.txt", root);
	const kdx_tar_entry *info = kdx_tar_find(&t, p);
	free(p);
	if (!info) {
		kdx_verify_problem(r, "bag-info.txt is missing");
	} else {
		char buf[256];
		if (!kdx_bagit_info_field((const char *)info->data, "Payload-Oxum", buf, sizeof buf)) {
			kdx_verify_problem(r, "bag-info.txt has no Payload-Oxum");
		} else {
			char want[64];
			snprintf(want, sizeof want, "%lld.%d", bytes, files);
			if (strcmp(buf, want))
				kdx_verify_problem(r, "Payload-Oxum is %s but the payload is %s (octets.files)", buf, want);
		}
		if (kdx_bagit_info_field((const char *)info->data, "Previous-Snapshot-SHA256", buf, sizeof buf))
			snprintf(r->prev, sizeof r->prev, "%.64s", strcmp(buf, "none") ? buf : "");
		if (prev)
			memcpy(prev, r->prev, 65);
	}
	free(seen);
	free(seen512);
	free(tseen);
	free(root);
	return r->nproblems > before ? KDX_EDATA : KDX_OK;
}

kdx_status kdx_snapshot_verify(const char *archive, kdx_verify_result *r, char tagsha[65], char prev[65], kdx_error **err)
{
	return kdx_snapshot_read(archive, NULL, r, tagsha, prev, NULL, err);
}

/* archive as a shell word, for a command to copy: quoted when it holds more
 * than letters, digits and ./_-+,:=@% (control characters as $'\xNN'). */
static void shell_word(kdx_buf *b, const char *s)
{
	bool plain = *s != '\0', ctl = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (!(isalnum(*p) || strchr("./_-+,:=@%", *p) || *p >= 0x80))
			plain = false;
		if (*p < 0x20 || *p == 0x7f)
			ctl = true;
	}
	if (plain) {
		kdx_buf_adds(b, s);
		return;
	}
	kdx_buf_adds(b, ctl ? "$'" : "'");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (ctl && (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '\''))
			kdx_buf_printf(b, "\\x%02x", *p);
		else if (!ctl && *p == '\'')
			kdx_buf_adds(b, "'\\''");
		else
			kdx_buf_addc(b, (char)*p);
	}
	kdx_buf_addc(b, '\'');
}

/* The hint for a bag with no base directory: the commands that put it in a
 * folder named after the bag and pack that folder. */
static void repack_hint(kdx_error *e, const char *archive, const char *bag, bool exact)
{
	size_t n = strlen(archive);
	bool zip = n >= 4 && !strcasecmp(archive + n - 4, ".zip");
	kdx_buf cmd = { 0 };
	kdx_buf_printf(&cmd, "mkdir %s && %s ", bag, zip ? "unzip -q" : "tar -xf");
	shell_word(&cmd, archive);
	kdx_buf_printf(&cmd, " %s %s && tar -czf %s.tar.gz %s", zip ? "-d" : "-C", bag, bag, bag);
	kdx_error_hint(e, "Re-pack it from the folder above the bag's, so that the bag's folder is its one top-level entry: %s%s", cmd.data,
	               exact ? "" : " (N is the snapshot's number: the start of the archive's own file name, or what kdx snapshots lists"
	                            " for this as-of).");
	kdx_buf_free(&cmd);
}

/* A bag whose files are at the top of the archive, as tar writes them when
 * it is run inside the bag's folder: its as-of and tag manifest into r. */
static kdx_status unfoldered(const char *archive, const kdx_tar *t, kdx_verify_result *r, kdx_error **err)
{
	const kdx_tar_entry *tm = kdx_tar_find(t, "tagmanifest-sha256.txt"), *info = kdx_tar_find(t, "bag-info.txt");
	if (tm)
		kdx_sha256_hex(tm->data, tm->size, r->tagsha);
	char asof[16] = "";
	if (info && !kdx_bagit_info_field((const char *)info->data, "KDX-As-Of", asof, sizeof asof))
		asof[0] = '\0';
	snprintf(r->asof, sizeof r->asof, "%s", asof);
	r->unfoldered = true;
	kdx_fail(err, KDX_EDATA, "archive \"%s\" has no base directory", archive);
	kdx_error_detail(*err, "Its bagit.txt, manifests and data/ are at the top of the archive, as tar writes them when it is run"
	                 " inside the bag's folder; a serialized bag holds one folder, the bag's, named after it (RFC 8493 section"
	                 " 4.2).  This is a matter of packaging: the bag's content was not checked.");
	char *bag = kdx_strdup_printf("kdx-%s-N", asof[0] ? asof : "<as-of>");
	repack_hint(*err, archive, bag, false);
	free(bag);
	return KDX_EDATA;
}

kdx_status kdx_snapshot_read(const char *archive, const char *const *keep, kdx_verify_result *r, char tagsha[65],
                             char prev[65], kdx_tar *out, kdx_error **err)
{
	kdx_tar t = { 0 };
	if (tagsha)
		tagsha[0] = '\0';
	if (prev)
		prev[0] = '\0';
	r->unfoldered = false;
	kdx_status st = kdx_bagit_read(archive, keep, &t, err);
	if (st != KDX_OK)
		return st;
	if (kdx_tar_find(&t, "bagit.txt")) {
		st = unfoldered(archive, &t, r, err);
		kdx_tar_free(&t);
		return st;
	}
	st = verify_tree(archive, &t, r, tagsha, prev);
	if (out)
		*out = t;
	else
		kdx_tar_free(&t);
	return st;
}

kdx_status kdx_snapshot_check(const char *archive, kdx_db *db, kdx_verify_result *r, char **claim, kdx_tar *out, kdx_error **err)
{
	*claim = NULL;
	kdx_status st = kdx_snapshot_read(archive, NULL, r, NULL, NULL, out, err);
	if (st == KDX_EDATA && *err && r->unfoldered && db && r->tagsha[0]) {
		/* the warehouse knows the bag's folder by its tag manifest */
		PGresult *q = kdx_db_query(db, "SELECT as_of, seq FROM kdx.snapshot WHERE tagmanifest_sha256 = $1", 1,
		                           (const char *const[]){ r->tagsha }, NULL);
		if (q && PQntuples(q) == 1) {
			char *bag = kdx_strdup_printf("kdx-%s-%s", PQgetvalue(q, 0, 0), PQgetvalue(q, 0, 1));
			repack_hint(*err, archive, bag, true);
			free(bag);
		}
		PQclear(q);
	}
	if ((st == KDX_OK || (st == KDX_EDATA && !*err)) && db && r->bag[0]) {
		kdx_status rst = kdx_snapshot_check_recorded(db, r, claim, err);
		if (rst != KDX_OK && rst != KDX_EDATA) {
			if (out)
				kdx_tar_free(out);
			return rst;
		}
		if (rst == KDX_EDATA)
			st = KDX_EDATA;
	}
	return st;
}

/* The pending rows, the columns interrupted_words reads. */
#define PENDING_ROWS "SELECT path, archive_sha256, as_of, seq, to_char(started_at, 'YYYY-MM-DD HH24:MI') FROM kdx.snapshot_pending"

/* An interrupted snapshot's archive, as kdx.snapshot_pending describes it. */
typedef struct pending {
	kdx_strset at;   /* its path (resolved) -> row + 1 */
	PGresult *rows;  /* path, archive_sha256, as_of, seq, started_at */
} pending;

/* The words for an interrupted snapshot's archive (row i of rows). */
static char *interrupted_words(PGresult *rows, int i)
{
	return kdx_strdup_printf("中断 (interrupted): snapshot number %s of %s, begun %s, was written but kdx stopped before the"
	                         " warehouse recorded it; it is no link of the chain", PQgetvalue(rows, i, 3), PQgetvalue(rows, i, 2),
	                         PQgetvalue(rows, i, 4));
}

/* Every archive under dir that the warehouse has no record of: a problem,
 * or a note when it is an interrupted snapshot's, byte for byte. */
static void unrecorded(const char *dir, kdx_strset *recorded, pending *pend, kdx_verify_result *r)
{
	int n;
	char **names = kdx_dir_names(dir, &n);
	if (!names)
		return;
	for (int i = 0; i < n; i++) {
		char *p = kdx_strdup_printf("%s/%s", dir, names[i]);
		struct stat sb;
		size_t l = strlen(names[i]);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			unrecorded(p, recorded, pend, r);
		} else if (l > 7 && !strcmp(names[i] + l - 7, ".tar.gz")) {
			char *real = realpath(p, NULL);
			if (real && strlen(real) < KDX_STRSET_KEY_MAX && kdx_strset_put(recorded, real, 1) == 0) {
				long row = kdx_strset_put(&pend->at, real, -1);
				char sha[65] = "";
				bool same = row > 0 && kdx_file_sha256(p, sha) == 0 && !strcmp(sha, PQgetvalue(pend->rows, (int)row - 1, 1));
				char *shown = kdx_shown_name(p);  /* anyone who may write there named it */
				if (same) {
					char *words = interrupted_words(pend->rows, (int)row - 1);
					r->notes = kdx_xrealloc(r->notes, (size_t)(r->nnotes + 1) * sizeof *r->notes);
					r->notes[r->nnotes++] = kdx_strdup_printf("%s: %s", shown, words);
					free(words);
				} else {
					kdx_verify_problem(r, "%s: an archive the warehouse has no record of (it is not a link of the chain%s)", shown,
					                   row > 0 ? "; an interrupted snapshot left an archive by this name, but not these bytes" : "");
				}
				free(shown);
			}
			free(real);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

kdx_status kdx_snapshot_verify_all(kdx_db *db, const char *archive_root, kdx_verify_result *r, kdx_error **err)
{
	PGresult *q = kdx_db_query(db, "SELECT id, as_of, path, tagmanifest_sha256, coalesce(previous_sha256, '') FROM kdx.snapshot ORDER BY id",
	                           0, NULL, err);
	if (!q)
		return KDX_EINTERNAL;
	char last[65] = "";
	bool have_last = false;
	for (int i = 0; i < PQntuples(q); i++) {
		const char *path = PQgetvalue(q, i, 2);
		const char *recorded = PQgetvalue(q, i, 3);
		struct stat sb;
		if (stat(path, &sb) != 0) {
			kdx_verify_problem(r, "snapshot %s (as of %s) is missing: %s", PQgetvalue(q, i, 0), PQgetvalue(q, i, 1), path);
			/* the next link is checked against what the warehouse recorded */
			snprintf(last, sizeof last, "%s", recorded);
			have_last = true;
			continue;
		}
		char tagsha[65], prev[65];
		int before = r->nproblems;
		kdx_error *e = NULL;
		kdx_status st = kdx_snapshot_verify(path, r, tagsha, prev, &e);
		if (e || (st != KDX_OK && st != KDX_EDATA)) {  /* unreadable, or not packaged as a bag */
			kdx_verify_problem(r, "%s: %s", path, e ? e->primary : "unreadable");
			kdx_error_free(e);
			continue;
		}
		kdx_error_free(e);
		for (int k = before; k < r->nproblems; k++) {
			char *msg = kdx_strdup_printf("%s: %s", path, r->problems[k]);
			free(r->problems[k]);
			r->problems[k] = msg;
		}
		if (tagsha[0] && strcmp(tagsha, recorded))
			kdx_verify_problem(r, "%s: its tagmanifest SHA-256 %s is not the %s the warehouse recorded", path, tagsha, recorded);
		const char *want = have_last ? last : "";
		if (strcmp(prev, want))
			kdx_verify_problem(r, "broken chain at %s: Previous-Snapshot-SHA256 is %s, but the previous snapshot's is %s", path,
			        prev[0] ? prev : "none", want[0] ? want : "none");
		snprintf(last, sizeof last, "%s", tagsha[0] ? tagsha : recorded);
		have_last = true;
	}
	if (archive_root) {
		kdx_strset seen = { 0 };
		for (int i = 0; i < PQntuples(q); i++) {
			char *real = realpath(PQgetvalue(q, i, 2), NULL);
			if (real && strlen(real) < KDX_STRSET_KEY_MAX)
				kdx_strset_put(&seen, real, 1);
			free(real);
		}
		pending pend = { 0 };
		pend.rows = kdx_db_query(db, PENDING_ROWS " ORDER BY started_at", 0, NULL, err);
		if (!pend.rows) {
			kdx_strset_free(&seen);
			PQclear(q);
			return KDX_EINTERNAL;
		}
		for (int i = 0; i < PQntuples(pend.rows); i++) {
			char *real = realpath(PQgetvalue(pend.rows, i, 0), NULL);
			if (real && strlen(real) < KDX_STRSET_KEY_MAX)
				kdx_strset_put(&pend.at, real, i + 1);
			free(real);
		}
		unrecorded(archive_root, &seen, &pend, r);
		kdx_strset_free(&pend.at);
		PQclear(pend.rows);
		kdx_strset_free(&seen);
	}
	PQclear(q);
	return r->nproblems ? KDX_EDATA : KDX_OK;
}

kdx_status kdx_snapshot_check_recorded(kdx_db *db, kdx_verify_result *r, char **claim, kdx_error **err)
{
	*claim = NULL;
	char iso[16];
	int seq = 0;
	if (sscanf(r->bag, "kdx-%10[0-9-]-%d", iso, &seq) != 2) {
		kdx_verify_problem(r, "%s: not the folder name of a kdx snapshot (kdx-<as-of>-<seq>)", r->bag[0] ? r->bag : "(no folder)");
		return KDX_EDATA;
	}
	char sq[16];
	snprintf(sq, sizeof sq, "%d", seq);
	/* an interrupted snapshot's bag: its number may have gone to the next one */
	PGresult *pq = kdx_db_query(db, PENDING_ROWS " WHERE tagmanifest_sha256 = $1", 1, (const char *const[]){ r->tagsha }, err);
	if (!pq)
		return KDX_EINTERNAL;
	if (PQntuples(pq) == 1) {
		char *words = interrupted_words(pq, 0);
		kdx_verify_problem(r, "%s: %s", r->bag, words);
		r->interrupted++;
		free(words);
		PQclear(pq);
		return KDX_EDATA;
	}
	PQclear(pq);
	PGresult *q = kdx_db_query(db,
		"SELECT id, to_char(created_at, 'YYYY-MM-DD HH24:MI'), tagmanifest_sha256, coalesce(previous_sha256, ''),"
		" coalesce((SELECT p.tagmanifest_sha256 FROM kdx.snapshot p WHERE p.id < s.id ORDER BY p.id DESC LIMIT 1), '')"
		" FROM kdx.snapshot s WHERE as_of = $1::date AND seq = $2::integer", 2, (const char *const[]){ iso, sq }, err);
	if (!q)
		return KDX_EINTERNAL;
	int before = r->nproblems;
	if (PQntuples(q) == 0) {
		kdx_verify_problem(r, "%s: the warehouse has no record of this snapshot (as of %s, number %d)", r->bag, iso, seq);
	} else {
		*claim = kdx_strdup_printf("snapshot %s (as of %s, number %d), recorded %s", PQgetvalue(q, 0, 0), iso, seq,
		                           PQgetvalue(q, 0, 1));
		const char *rec = PQgetvalue(q, 0, 2), *rprev = PQgetvalue(q, 0, 3), *before_it = PQgetvalue(q, 0, 4);
		if (strcmp(r->tagsha, rec))
			kdx_verify_problem(r, "%s: its tagmanifest SHA-256 %s is not the %s the warehouse recorded for snapshot %s", r->bag,
			        r->tagsha[0] ? r->tagsha : "(none)", rec, PQgetvalue(q, 0, 0));
		if (strcmp(r->prev, rprev) || strcmp(r->prev, before_it))
			kdx_verify_problem(r, "%s: its link to the previous snapshot (%s) is not the chain the warehouse recorded (%s)", r->bag,
			        r->prev[0] ? r->prev : "none", before_it[0] ? before_it : "none");
	}
	PQclear(q);
	return r->nproblems > before ? KDX_EDATA : KDX_OK;
}

void kdx_snapshot_check_chain(const char *head, char **archives, kdx_verify_result *results, int n, kdx_verify_result *r)
{
	bool *on = kdx_xcalloc((size_t)n + 1, sizeof *on);
	size_t hl = strlen(head);
	int at = -1;
	for (int i = 0; i < n && at < 0; i++)
		if (hl >= 8 && !strncasecmp(results[i].tagsha, head, hl))
			at = i;
	if (at < 0) {
		kdx_verify_problem(r, "no archive given has the chain head %s as its tagmanifest SHA-256", head);
	} else {
		/* from the head, back through the links, as far as the archives given go */
		for (int steps = 0; at >= 0 && steps <= n; steps++) {
			on[at] = true;
			const char *prev = results[at].prev;
			int next = -1;
			for (int i = 0; prev[0] && i < n && next < 0; i++)
				if (!on[i] && !strcmp(results[i].tagsha, prev))
					next = i;
			at = next;
		}
		for (int i = 0; i < n; i++)
			if (!on[i])
				kdx_verify_problem(r, "%s is not linked to the chain head %s through the archives given", archives[i], head);
	}
	free(on);
}

kdx_status kdx_snapshot_check_signature(const char *archive, const char *pubkey, kdx_verify_result *r, kdx_error **err)
{
	kdx_tar t = { 0 };
	kdx_status st = kdx_bagit_read(archive, NULL, &t, err);
	if (st != KDX_OK)
		return st;
	char *root = kdx_bagit_root(&t);
	char *pt = kdx_strdup_printf("%s/tagmanifest-sha256.txt", root ? root : "");
	char *ps = kdx_strdup_printf("%s/tagmanifest-sha256.txt.sig", root ? root : "");
	const kdx_tar_entry *tm = kdx_tar_find(&t, pt), *sig = kdx_tar_find(&t, ps);
	int before = r->nproblems;
	if (!tm || !sig || !sig->data) {
		kdx_verify_problem(r, "%s: %s", archive, !tm ? "the tag manifest is missing" : "the bag is not signed (no tagmanifest-sha256.txt.sig)");
	} else {
		const char *why = NULL;
		int ok = kdx_ed25519_verify(pubkey, tm->data, tm->size, (const char *)sig->data, &why);
		if (ok < 0 && why && strstr(why, "key")) {
			st = kdx_fail(err, KDX_EUSAGE, "cannot use \"%s\" to check signatures: %s", pubkey, why);
			kdx_error_hint(*err, "Give the council's Ed25519 public key in PEM (openssl pkey -pubout).");
		} else if (ok != 1) {
			kdx_verify_problem(r, "%s: the signature does not match the tag manifest with this key (%s)", archive,
			        ok < 0 ? why : "another key signed it, or the bag changed since");
		}
	}
	free(pt);
	free(ps);
	free(root);
	kdx_tar_free(&t);
	if (st != KDX_OK)
		return st;
	return r->nproblems > before ? KDX_EDATA : KDX_OK;
}

#define KEEP_AS_EVIDENCE "Keep the archive as it is, as evidence, and report it to the council secretariat"

const char *kdx_verify_advice(const kdx_verify_result *r)
{
	if (r->interrupted > 0 && r->interrupted == r->nproblems)
		return "This is the archive of a snapshot that did not finish: kdx stopped (killed, or its machine lost) after writing it"
		       " and before the warehouse recorded it.  It was never a link of the chain and nothing was tampered with; remove it"
		       " or keep it aside, and make the snapshot again with kdx snapshot --as-of DATE if it has none.";
	return KEEP_AS_EVIDENCE ".";
}

kdx_status kdx_snapshot_refuse(const char *archive, const kdx_verify_result *r, const char *outcome, const char *instead,
                               kdx_error **err)
{
	kdx_fail(err, KDX_EDATA, "archive \"%s\" fails verification (%d problem%s); %s", archive, r->nproblems,
	         r->nproblems == 1 ? "" : "s", outcome);
	kdx_buf b = { 0 };
	for (int i = 0; i < r->nproblems && i < 20; i++)
		kdx_buf_printf(&b, "%s%s", i ? "\n" : "", r->problems[i]);
	kdx_error_detail(*err, "%s", b.data ? b.data : "");
	kdx_buf_free(&b);
	if (r->interrupted > 0 && r->interrupted == r->nproblems)
		kdx_error_hint(*err, "%s", kdx_verify_advice(r));
	else
		kdx_error_hint(*err, KEEP_AS_EVIDENCE "; %s.", instead);
	return KDX_EDATA;
}
