/* bag.c - writing a snapshot: the warehouse rows and the reports of an as-of as a BagIt bag, chained and recorded (see bag.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/stat.h>
#include "kdx/bag.h"
#include "kdx/bagit.h"
#include "kdx/buf.h"
#include "kdx/digest.h"
#include "kdx/dumps.h"
#include "kdx/figures.h"
#include "kdx/fsutil.h"
#include "kdx/layout.h"
#include "kdx/lock.h"
#include "kdx/mem.h"
#include "kdx/render.h"
#include "kdx/repdata.h"
#include "kdx/tar.h"
#include "kdx/version.h"

/* Both digests of an entry, reading a file entry in chunks. */
static void entry_digests(const kdx_tar_entry *e, char h256[65], char h512[129])
{
	kdx_sums sums;
	kdx_sums_init(&sums, true);
	if (!e->src) {
		kdx_sums_update(&sums, e->data, e->size);
	} else {
		FILE *fp = fopen(e->src, "rb");
		if (fp) {
			unsigned char chunk[65536];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
				kdx_sums_update(&sums, chunk, n);
			fclose(fp);
		}
	}
	kdx_sums_final(&sums, h256, h512);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const kdx_tar_entry *)a)->path, ((const kdx_tar_entry *)b)->path);
}

/* Build the bag's tag files around the payload in t (paths under "data/"). */
static void make_bag(kdx_tar *payload, const char *bagname, const char *info_extra, kdx_tar *bag, char tagsha[65],
                     char mansha[65], int *files, long long *bytes)
{
	qsort(payload->e, (size_t)payload->n, sizeof *payload->e, cmp_entry);
	kdx_buf m256 = { 0 }, m512 = { 0 }, info = { 0 }, tag = { 0 };
	*files = payload->n;
	*bytes = 0;
	for (int i = 0; i < payload->n; i++) {
		char h256[65], h512[129];
		entry_digests(&payload->e[i], h256, h512);
		kdx_buf_printf(&m256, "%s  ", h256);
		kdx_bagit_path_encode(&m256, payload->e[i].path);
		kdx_buf_addc(&m256, '\n');
		kdx_buf_printf(&m512, "%s  ", h512);
		kdx_bagit_path_encode(&m512, payload->e[i].path);
		kdx_buf_addc(&m512, '\n');
		*bytes += (long long)payload->e[i].size;
	}
	kdx_sha256_hex(m256.data ? m256.data : "", m256.len, mansha);
	const char *bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	kdx_buf_printf(&info, "%sPayload-Oxum: %lld.%d\n", info_extra, *bytes, *files);
	const char *names[4] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt" };
	const kdx_buf *bufs[4] = { NULL, &info, &m256, &m512 };
	for (int i = 0; i < 4; i++) {
		char h[65];
		const char *data = i == 0 ? bagit : bufs[i]->data;
		size_t len = i == 0 ? strlen(bagit) : bufs[i]->len;
		kdx_sha256_hex(data, len, h);
		kdx_buf_printf(&tag, "%s  %s\n", h, names[i]);
		char *p = kdx_strdup_printf("%s/%s", bagname, names[i]);
		kdx_tar_add(bag, p, data, len);
		free(p);
	}
	char *p = kdx_strdup_printf("%s/tagmanifest-sha256.txt", bagname);
	kdx_tar_add(bag, p, tag.data, tag.len);
	free(p);
	kdx_sha256_hex(tag.data, tag.len, tagsha);
	for (int i = 0; i < payload->n; i++) {
		p = kdx_strdup_printf("%s/%s", bagname, payload->e[i].path);
		kdx_tar_move(bag, p, &payload->e[i]);
		free(p);
	}
	kdx_buf_free(&m256);
	kdx_buf_free(&m512);
	kdx_buf_free(&info);
	kdx_buf_free(&tag);
}

/* The reports in from (council/, municipalities/, charts/, web/ and, in the
 * national view only, councils/) into the payload's data/reports/. */
static kdx_status add_reports(kdx_tar *payload, const char *from, bool councils, kdx_error **err)
{
	static const char *const parts[] = { KDX_OUT_COUNCIL, KDX_OUT_MUNIS, KDX_OUT_CHARTS, KDX_OUT_WEB, KDX_OUT_COUNCILS };
	kdx_status st = KDX_OK;
	for (int i = 0; i < 5 && st == KDX_OK; i++) {
		char *src = kdx_strdup_printf("%s/%s", from, parts[i]);
		char *dst = kdx_strdup_printf("data/reports/%s", parts[i]);
		if (i < 4 || councils)
			st = kdx_tar_add_tree(payload, src, dst, err);
		free(src);
		free(dst);
	}
	return st;
}

/* The chain's head (prev, "" for the first snapshot) and the next sequence number of iso. */
static kdx_status chain_head(kdx_db *db, const char *iso, char prev[65], int *seq, kdx_error **err)
{
	PGresult *r = kdx_db_query(db,
		"SELECT tagmanifest_sha256, (SELECT coalesce(max(seq), 0) + 1 FROM kdx.snapshot WHERE as_of = $1)"
		" FROM (SELECT 1) one LEFT JOIN (SELECT tagmanifest_sha256 FROM kdx.snapshot ORDER BY id DESC LIMIT 1) s ON true",
		1, (const char *const[]){ iso }, err);
	if (!r)
		return KDX_EINTERNAL;
	prev[0] = '\0';
	if (!PQgetisnull(r, 0, 0))
		snprintf(prev, 65, "%s", PQgetvalue(r, 0, 0));
	*seq = atoi(PQgetvalue(r, 0, 1));
	PQclear(r);
	return KDX_OK;
}

/* bag-info.txt's fields beyond the ones make_bag writes. */
static char *bag_info(const kdx_report_data *use, const char *iso, const char *prev)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char created[40], today[16];
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%S%z", &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return kdx_strdup_printf(
		"Source-Organization: %s\nBagging-Date: %s\nBag-Software-Agent: kdx %s\n"
		"External-Description: こども政策DX 共同目標 %s時点の集計データと報告書\n"
		"KDX-As-Of: %s\nKDX-Council: %s\nKDX-Created: %s\nKDX-Version: %s\nKDX-Data-SHA256: %s\n"
		"Previous-Snapshot-SHA256: %s\n",
		use->pref_name, today, KDX_VERSION, use->asof_wareki, iso, use->pref_code, created, KDX_VERSION, use->data_hash,
		prev[0] ? prev : "none");
}

static kdx_status unusable_key(const char *key, const char *why, kdx_error **err)
{
	kdx_fail(err, KDX_EUSAGE, "cannot sign the snapshot with KDX_SIGNING_KEY \"%s\": %s", key, why);
	kdx_error_hint(*err, "Make the key with: openssl genpkey -algorithm ed25519 -out kdx-signing.pem");
	return KDX_EUSAGE;
}

static kdx_status refuse_key(const char *key, const struct stat *st, kdx_error **err, const char *why, const char *hint)
{
	kdx_fail(err, KDX_ECONFIG, "refusing signing key \"%s\": %s", key, why);
	if (st) {
		char *d = kdx_describe_mode(st);
		kdx_error_detail(*err, "%s A signing key others could read, or change, signs nothing in the council's name.", d);
		free(d);
	}
	kdx_error_hint(*err, "%s", hint);
	return KDX_ECONFIG;
}

kdx_status kdx_signing_key_check(kdx_error **err)
{
	const char *key = getenv("KDX_SIGNING_KEY");
	if (!key || !*key)
		return KDX_OK;
	static const char fix[] = "Make the key readable by its owner only (chmod 0600), or by the kdx group too"
	                          " (chown root:kdx and chmod 0640), and make a new key if anyone else may have copied it.";
	struct stat st;
	if (lstat(key, &st) != 0) {
		return unusable_key(key, strerror(errno), err);
	}
	if (S_ISLNK(st.st_mode))
		return refuse_key(key, NULL, err, "it is a symbolic link",
		                  "Set KDX_SIGNING_KEY to the key file itself: kdx follows no link where a file is expected.");
	if (!S_ISREG(st.st_mode))
		return refuse_key(key, &st, err, "it is not a regular file", "Set KDX_SIGNING_KEY to the key file itself.");
	if (!kdx_owner_trusted(st.st_uid)) {
		char *who = kdx_user_name(st.st_uid);
		char *why = kdx_strdup_printf("it belongs to user \"%s\"", who);
		kdx_status s = refuse_key(key, &st, err, why, "Give the key to root (chown root:kdx), or keep it in a folder of kdx's own.");
		free(why);
		free(who);
		return s;
	}
	struct group *gr = getgrnam("kdx");
	bool kdx_group = gr && gr->gr_gid == st.st_gid;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return refuse_key(key, &st, err, "others may write it", fix);
	if ((st.st_mode & S_IRWXO) || ((st.st_mode & S_IRWXG) && !(kdx_group && (st.st_mode & S_IRWXG) == S_IRGRP)))
		return refuse_key(key, &st, err, "others may read it", fix);
	const char *why = NULL;
	char *sig = kdx_ed25519_sign(key, "", 0, &why);
	if (sig) {
		free(sig);
		return KDX_OK;
	}
	if (!strcmp(why, KDX_KEY_ENCRYPTED)) {
		kdx_fail(err, KDX_ECONFIG, "refusing signing key \"%s\": it is encrypted with a pass phrase", key);
		kdx_error_detail(*err, "kdx runs unattended and never asks for a pass phrase.");
		kdx_error_hint(*err, "Keep the key unencrypted and readable by kdx only (openssl pkey -in KEY -out NEW writes an"
		                     " unencrypted copy; give it mode 0600, or root:kdx and 0640).");
		return KDX_ECONFIG;
	}
	return unusable_key(key, why, err);
}

/* With KDX_SIGNING_KEY (an Ed25519 private key in PEM), a detached signature
 * of the tag manifest, base64 on one line, beside it in the bag. */
static kdx_status sign_bag(kdx_tar *bag, const char *bagname, kdx_error **err)
{
	const char *key = getenv("KDX_SIGNING_KEY");
	if (!key || !*key)
		return KDX_OK;
	kdx_status st = kdx_signing_key_check(err);
	if (st != KDX_OK)
		return st;
	char *p = kdx_strdup_printf("%s/tagmanifest-sha256.txt", bagname);
	const kdx_tar_entry *tm = kdx_tar_find(bag, p);
	free(p);
	if (!tm)
		return kdx_fail(err, KDX_EINTERNAL, "the bag has no tag manifest to sign");
	const char *why = NULL;
	char *sig = kdx_ed25519_sign(key, tm->data, tm->size, &why);
	if (!sig)
		return unusable_key(key, why, err);
	char *line = kdx_strdup_printf("%s\n", sig);
	free(sig);
	p = kdx_strdup_printf("%s/tagmanifest-sha256.txt.sig", bagname);
	kdx_tar_add(bag, p, line, strlen(line));
	free(p);
	free(line);
	return KDX_OK;
}

/* The same payload for the same as-of already archived: *found, and info filled. */
static kdx_status find_same(kdx_db *db, const char *iso, const char *mansha, kdx_snapshot_info *info, bool *found,
                            kdx_error **err)
{
	PGresult *r = kdx_db_query(db, "SELECT id, path, tagmanifest_sha256 FROM kdx.snapshot WHERE as_of = $1 AND manifest_sha256 = $2"
	                               " ORDER BY id DESC LIMIT 1", 2, (const char *const[]){ iso, mansha }, err);
	if (!r)
		return KDX_EINTERNAL;
	*found = PQntuples(r) == 1;
	if (*found) {
		info->id = atol(PQgetvalue(r, 0, 0));
		snprintf(info->path, sizeof info->path, "%s", PQgetvalue(r, 0, 1));
		snprintf(info->tagmanifest_sha256, sizeof info->tagmanifest_sha256, "%s", PQgetvalue(r, 0, 2));
		info->reused = true;
	}
	PQclear(r);
	return KDX_OK;
}

/* The bag written whole beside path (*tmppath, caller frees) and flushed,
 * its own SHA-256 into asha: what is put in place under path once the
 * warehouse holds it as pending (the chain must not point at a file that a
 * power loss emptied). */
static kdx_status write_archive(const kdx_tar *bag, kdx_date asof, const char *dir, const char *path, char **tmppath,
                                char asha[65], kdx_error **err)
{
	*tmppath = NULL;
	if (kdx_mkdirs(dir, 0750) != 0)
		return kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dir, strerror(errno));
	kdx_remove_stale_tmp(dir);  /* an archive whose writer was killed */
	*tmppath = kdx_strdup_printf("%s.tmp%ld", path, (long)getpid());
	struct tm am = { 0 };
	am.tm_year = asof.y - 1900;
	am.tm_mon = asof.m - 1;
	am.tm_mday = asof.d;
	kdx_status st = kdx_tar_write(bag, *tmppath, timegm(&am) - 9 * 3600, err);
	if (st == KDX_OK && kdx_file_sha256(*tmppath, asha) != 0)
		st = kdx_fail(err, KDX_EIO, "could not read \"%s\": %s", *tmppath, strerror(errno));
	if (st == KDX_OK)
		st = kdx_sync_path(*tmppath, err);
	return st;
}

/* Before the archive takes its name: a snapshot that stops between that
 * rename and its record (kdx killed) leaves this row, by which verify knows
 * the archive for an interrupted snapshot (中断) rather than a stranger. */
static kdx_status record_pending(kdx_db *db, const char *iso, int seq, const char *path, const char *tagsha, const char *prev,
                                 const char *asha, kdx_error **err)
{
	char sseq[16];
	snprintf(sseq, sizeof sseq, "%d", seq);
	const char *p[] = { iso, sseq, path, tagsha, prev[0] ? prev : NULL, asha };
	PGresult *r = kdx_db_query(db, "INSERT INTO kdx.snapshot_pending (as_of, seq, path, tagmanifest_sha256, previous_sha256,"
	                               " archive_sha256) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tagmanifest_sha256) DO UPDATE"
	                               " SET path = excluded.path, archive_sha256 = excluded.archive_sha256, started_at = clock_timestamp()",
	                           6, p, err);
	if (!r)
		return KDX_EINTERNAL;
	PQclear(r);
	return KDX_OK;
}

/* The archive under its name, and the folder's entry on disk. */
static kdx_status put_in_place(const char *tmppath, const char *path, const char *dir, kdx_error **err)
{
	if (rename(tmppath, path) != 0)
		return kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", path, strerror(errno));
	return kdx_sync_path(dir, err);
}

static kdx_status record_snapshot(kdx_db *db, const char *iso, int seq, const char *path, const char *prev,
                                  const char *asha, const char *data_hash, const char *mansha, kdx_snapshot_info *info,
                                  kdx_error **err)
{
	char sseq[16], sfiles[16], sbytes[32];
	snprintf(sseq, sizeof sseq, "%d", seq);
	snprintf(sfiles, sizeof sfiles, "%d", info->files);
	snprintf(sbytes, sizeof sbytes, "%lld", info->bytes);
	const char *p[] = { iso, sseq, path, info->tagmanifest_sha256, prev[0] ? prev : NULL, asha, data_hash, sfiles, sbytes, mansha };
	/* recorded, so no longer pending: one statement, one transaction */
	PGresult *r = kdx_db_query(db, "WITH done AS (DELETE FROM kdx.snapshot_pending WHERE tagmanifest_sha256 = $4)"
	                               " INSERT INTO kdx.snapshot (as_of, seq, path, tagmanifest_sha256, previous_sha256, archive_sha256,"
	                               " data_sha256, payload_files, payload_bytes, manifest_sha256)"
	                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", 10, p, err);
	if (!r)
		return KDX_EINTERNAL;
	info->id = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	snprintf(info->path, sizeof info->path, "%s", path);
	return KDX_OK;
}

/* The payload, its bag and, unless the same is archived already, the archive
 * and its record; under the snapshot lock. */
static kdx_status snapshot_locked(const kdx_env *env, kdx_db *db, kdx_date asof, const char *iso, const char *reports_dir,
                                  const kdx_report_data *use, kdx_snapshot_info *info, kdx_error **err)
{
	kdx_tar payload = { 0 }, bag = { 0 };
	char *tmp = NULL, *dir = NULL, *path = NULL, *extra = NULL;
	kdx_status st = kdx_dumps_write(db, iso, &payload, err);
	/* the reports of the as-of, generated afresh (byte-identical to kdx report),
	 * unless the caller has just written them from data it loaded */
	const char *from = reports_dir;
	if (st == KDX_OK && !from) {
		int written = 0;
		if (!(tmp = kdx_tmpdir_new(env->home)))
			st = kdx_fail(err, KDX_EIO, "could not create a temporary folder under %s/var/tmp", env->home);
		else
			st = kdx_render_reports(use, tmp, NULL, true, 1, &written, err);
		from = tmp;
	}
	if (st == KDX_OK)
		st = add_reports(&payload, from, use->ncouncils > 0, err);
	if (st == KDX_OK) {
		kdx_buf fig = { 0 };
		kdx_figures_csv(use, false, &fig);
		kdx_tar_add(&payload, "data/figures.csv", fig.data, fig.len);
		kdx_buf_free(&fig);
	}
	char prev[65] = "", mansha[65] = "", asha[65] = "";
	int seq = 0;
	if (st == KDX_OK)
		st = chain_head(db, iso, prev, &seq, err);
	bool same = false;
	if (st == KDX_OK) {
		char bagname[64];
		snprintf(bagname, sizeof bagname, "kdx-%s-%d", iso, seq);
		extra = bag_info(use, iso, prev);
		make_bag(&payload, bagname, extra, &bag, info->tagmanifest_sha256, mansha, &info->files, &info->bytes);
		st = sign_bag(&bag, bagname, err);
		/* the same payload for the same as-of is already archived: a rerun changes nothing */
		if (st == KDX_OK)
			st = find_same(db, iso, mansha, info, &same, err);
	}
	if (st == KDX_OK && !same) {
		dir = kdx_home_path(env->home, KDX_PLACE_ARCHIVE, iso);
		path = kdx_strdup_printf("%s/%d_%.12s.tar.gz", dir, seq, info->tagmanifest_sha256);
		char *tmppath = NULL;
		st = write_archive(&bag, asof, dir, path, &tmppath, asha, err);
		if (st == KDX_OK)
			st = record_pending(db, iso, seq, path, info->tagmanifest_sha256, prev, asha, err);
		if (st == KDX_OK)
			st = put_in_place(tmppath, path, dir, err);
		if (st == KDX_OK)
			st = record_snapshot(db, iso, seq, path, prev, asha, use->data_hash, mansha, info, err);
		if (tmppath)
			unlink(tmppath);
		free(tmppath);
	}
	kdx_tmpdir_free(tmp);
	free(dir);
	free(path);
	free(extra);
	kdx_tar_free(&payload);
	kdx_tar_free(&bag);
	return st;
}

#define SNAPSHOT_WAIT 600  /* seconds another snapshot may take before this one gives up */

kdx_status kdx_snapshot_create(const kdx_env *env, kdx_db *db, kdx_date asof, const char *reports_dir,
                               const kdx_report_data *given, kdx_snapshot_info *info, kdx_error **err)
{
	char iso[16];
	kdx_date_iso(asof, iso, sizeof iso);
	kdx_report_data *rd = NULL;
	memset(info, 0, sizeof *info);
	/* one snapshot at a time: the chain must not fork */
	kdx_lock *lock = NULL;
	kdx_status st = kdx_lock_take(db, "snapshot", SNAPSHOT_WAIT, &lock, err);
	if (st != KDX_OK)
		return st;
	const kdx_report_data *use = given;
	if (!use && (st = kdx_report_data_load(db, asof, &rd, err)) == KDX_OK)
		use = rd;
	if (st == KDX_OK)
		st = snapshot_locked(env, db, asof, iso, reports_dir, use, info, err);
	kdx_lock_release(lock);
	kdx_report_data_free(rd);
	return st;
}
