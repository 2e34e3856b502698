/* snapshot.c - BagIt snapshots: create, verify, reproduce, restore (see snapshot.h). */
#include <dirent.h>
#include <stdarg.h>
#include <strings.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "kdx/layout.h"
#include "kdx/snapshot.h"
#include "kdx/lock.h"
#include "kdx/strset.h"
#include "kdx/tar.h"
#include "kdx/buf.h"
#include "kdx/digest.h"
#include "kdx/repdata.h"
#include "kdx/render.h"
#include "kdx/figures.h"
#include "kdx/master.h"
#include "kdx/fsutil.h"
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

/* RFC 8493 §2.1.3: in manifests, %, CR and LF in paths are percent-encoded. */
static void add_path(kdx_buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == '%')
			kdx_buf_adds(b, "%25");
		else if (*p == '\r')
			kdx_buf_adds(b, "%0D");
		else if (*p == '\n')
			kdx_buf_adds(b, "%0A");
		else
			kdx_buf_addc(b, *p);
	}
}

static char *decode_path(const char *p)
{
	kdx_buf b = { 0 };
	for (; *p; p++) {
		if (p[0] == '%' && p[1] && p[2]) {
			if (!strncmp(p, "%25", 3)) { kdx_buf_addc(&b, '%'); p += 2; continue; }
			if (!strncasecmp(p, "%0D", 3)) { kdx_buf_addc(&b, '\r'); p += 2; continue; }
			if (!strncasecmp(p, "%0A", 3)) { kdx_buf_addc(&b, '\n'); p += 2; continue; }
		}
		kdx_buf_addc(&b, *p);
	}
	kdx_buf_reserve(&b, 0);
	return kdx_buf_steal(&b);
}

/* ---- dumps -------------------------------------------------------------- */

static kdx_status copy_out(kdx_db *db, const char *sql, kdx_buf *out, kdx_error **err)
{
	PGresult *r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		kdx_status st = kdx_db_result_error(db, r, err);
		PQclear(r);
		return st;
	}
	PQclear(r);
	char *buf;
	int n;
	while ((n = PQgetCopyData(db->conn, &buf, 0)) > 0) {
		kdx_buf_add(out, buf, (size_t)n);
		PQfreemem(buf);
	}
	kdx_status st = KDX_OK;
	while ((r = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && st == KDX_OK)
			st = kdx_db_result_error(db, r, err);
		PQclear(r);
	}
	return st;
}

/* The warehouse rows a report of the as-of can use: every submission, batch
 * and fact with 調査基準日 on or before it (the history feeds trends and
 * changes), and the master data.  The as-of is a validated ISO date. */
static const struct dump {
	const char *file;
	const char *sql;
	const char *table;  /* for reproduce: COPY target */
} dumps[] = {
	{ "master/prefectures.csv", "COPY (SELECT * FROM kdx.prefecture ORDER BY code) TO STDOUT (FORMAT csv, HEADER)", NULL },
	{ "master/municipalities.csv", "COPY (SELECT * FROM kdx.municipality ORDER BY code) TO STDOUT (FORMAT csv, HEADER)", NULL },
	{ "master/procedures.csv", "COPY (SELECT * FROM kdx.procedure ORDER BY id) TO STDOUT (FORMAT csv, HEADER)", NULL },
	{ "master/goals.csv", "COPY (SELECT * FROM kdx.goal ORDER BY id) TO STDOUT (FORMAT csv, HEADER)", NULL },
	{ "master/goal_items.csv", "COPY (SELECT * FROM kdx.goal_item ORDER BY goal, code) TO STDOUT (FORMAT csv, HEADER)", NULL },
	{ "council.csv", "COPY (SELECT pref_code FROM kdx.council) TO STDOUT (FORMAT csv, HEADER)", "kdx.council (pref_code)" },
	{ "load_batch.csv", "COPY (SELECT * FROM kdx.load_batch WHERE id IN (SELECT batch_id FROM kdx.submission WHERE survey_date <= '%s') ORDER BY id) TO STDOUT (FORMAT csv, HEADER)", "kdx.load_batch" },
	{ "submission.csv", "COPY (SELECT * FROM kdx.submission WHERE survey_date <= '%s' ORDER BY batch_id, dataset, muni_code, survey_date) TO STDOUT (FORMAT csv, HEADER)", "kdx.submission" },
	{ "nursery_fact.csv", "COPY (SELECT * FROM kdx.nursery_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code, facility_no) TO STDOUT (FORMAT csv, HEADER)", "kdx.nursery_fact" },
	{ "club_fact.csv", "COPY (SELECT * FROM kdx.club_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code, club_no) TO STDOUT (FORMAT csv, HEADER)", "kdx.club_fact" },
	{ "procedure_fact.csv", "COPY (SELECT * FROM kdx.procedure_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code, proc_id) TO STDOUT (FORMAT csv, HEADER)", "kdx.procedure_fact" },
	{ "platform_fact.csv", "COPY (SELECT * FROM kdx.platform_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code, platform) TO STDOUT (FORMAT csv, HEADER)", "kdx.platform_fact" },
	{ "postpartum_fact.csv", "COPY (SELECT * FROM kdx.postpartum_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code, item) TO STDOUT (FORMAT csv, HEADER)", "kdx.postpartum_fact" },
	{ "setting_fact.csv", "COPY (SELECT * FROM kdx.setting_fact WHERE survey_date <= '%s' ORDER BY batch_id, muni_code) TO STDOUT (FORMAT csv, HEADER)", "kdx.setting_fact" },
	/* which submission each figure used (for kdx diff; reproduce derives it again) */
	{ "in_force.csv", "COPY (SELECT s.dataset, s.muni_code, s.survey_date, s.batch_id, b.file_name, b.sha256"
	                  " FROM kdx.submission_asof('%s') s JOIN kdx.load_batch b ON b.id = s.batch_id"
	                  " ORDER BY s.dataset, s.muni_code) TO STDOUT (FORMAT csv, HEADER)", NULL },
};
#define NDUMPS (int)(sizeof dumps / sizeof dumps[0])

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const kdx_tar_entry *)a)->path, ((const kdx_tar_entry *)b)->path);
}

/* Read every file under dir into t with the given path prefix. */
static kdx_status add_tree(kdx_tar *t, const char *dir, const char *prefix, kdx_error **err)
{
	DIR *d = opendir(dir);
	if (!d)
		return kdx_fail(err, KDX_EIO, "could not read folder \"%s\": %s", dir, strerror(errno));
	struct dirent *de;
	kdx_status st = KDX_OK;
	while (st == KDX_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *p = kdx_strdup_printf("%s/%s", dir, de->d_name);
		char *q = kdx_strdup_printf("%s/%s", prefix, de->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			st = add_tree(t, p, q, err);
		} else if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			/* the content stays on disk until it is hashed and archived */
			kdx_tar_add_file(t, q, p, (size_t)sb.st_size);
		}
		free(p);
		free(q);
	}
	closedir(d);
	return st;
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = kdx_strdup_printf("%s/%s", dir, de->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
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
		add_path(&m256, payload->e[i].path);
		kdx_buf_addc(&m256, '\n');
		kdx_buf_printf(&m512, "%s  ", h512);
		add_path(&m512, payload->e[i].path);
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

static char *make_tmpdir(const kdx_env *env)
{
	char *base = kdx_strdup_printf("%s/var/tmp", env->home);
	kdx_mkdirs(base, 0750);
	char *tmpl = kdx_strdup_printf("%s/kdx.XXXXXX", base);
	free(base);
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

/* The warehouse rows the reports of iso used, as CSV, into the payload. */
static kdx_status dump_warehouse(kdx_db *db, const char *iso, kdx_tar *payload, kdx_error **err)
{
	kdx_status st = KDX_OK;
	for (int i = 0; i < NDUMPS && st == KDX_OK; i++) {
		char sql[1024];
		snprintf(sql, sizeof sql, dumps[i].sql, iso);
		kdx_buf b = { 0 };
		st = copy_out(db, sql, &b, err);
		char *p = kdx_strdup_printf("data/warehouse/%s", dumps[i].file);
		kdx_tar_add(payload, p, b.data ? b.data : "", b.len);
		free(p);
		kdx_buf_free(&b);
	}
	return st;
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
			st = add_tree(payload, src, dst, err);
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

/* With KDX_SIGNING_KEY (an Ed25519 private key in PEM), a detached signature
 * of the tag manifest, base64 on one line, beside it in the bag. */
static kdx_status sign_bag(kdx_tar *bag, const char *bagname, kdx_error **err)
{
	const char *key = getenv("KDX_SIGNING_KEY");
	if (!key || !*key)
		return KDX_OK;
	char *p = kdx_strdup_printf("%s/tagmanifest-sha256.txt", bagname);
	const kdx_tar_entry *tm = kdx_tar_find(bag, p);
	free(p);
	if (!tm)
		return kdx_fail(err, KDX_EINTERNAL, "the bag has no tag manifest to sign");
	const char *why = NULL;
	char *sig = kdx_ed25519_sign(key, tm->data, tm->size, &why);
	if (!sig) {
		kdx_fail(err, KDX_EUSAGE, "cannot sign the snapshot with KDX_SIGNING_KEY \"%s\": %s", key, why);
		kdx_error_hint(*err, "Make the key with: openssl genpkey -algorithm ed25519 -out kdx-signing.pem");
		return KDX_EUSAGE;
	}
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

/* SHA-256 of a file, read in pieces (an archive can be hundreds of megabytes). */
static kdx_status file_sha256(const char *path, char out[65], kdx_error **err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return kdx_fail(err, KDX_EIO, "could not read \"%s\": %s", path, strerror(errno));
	kdx_sums sums;
	kdx_sums_init(&sums, false);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		kdx_sums_update(&sums, chunk, n);
	fclose(fp);
	kdx_sums_final(&sums, out, NULL);
	return KDX_OK;
}

/* The bag as dir/<seq>_<hash>.tar.gz, on disk before the warehouse records it
 * (the chain must not point at a file that a power loss emptied); its own
 * SHA-256 into asha. */
static kdx_status write_archive(const kdx_tar *bag, kdx_date asof, const char *dir, const char *path, char asha[65],
                                kdx_error **err)
{
	if (kdx_mkdirs(dir, 0750) != 0)
		return kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dir, strerror(errno));
	kdx_remove_stale_tmp(dir);  /* an archive whose writer was killed */
	char *tmppath = kdx_strdup_printf("%s.tmp%ld", path, (long)getpid());
	struct tm am = { 0 };
	am.tm_year = asof.y - 1900;
	am.tm_mon = asof.m - 1;
	am.tm_mday = asof.d;
	kdx_status st = kdx_tar_write(bag, tmppath, timegm(&am) - 9 * 3600, err);
	if (st == KDX_OK)
		st = file_sha256(tmppath, asha, err);
	if (st == KDX_OK)
		st = kdx_sync_path(tmppath, err);
	if (st == KDX_OK && rename(tmppath, path) != 0)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", path, strerror(errno));
	if (st == KDX_OK)
		st = kdx_sync_path(dir, err);
	unlink(tmppath);
	free(tmppath);
	return st;
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
	PGresult *r = kdx_db_query(db, "INSERT INTO kdx.snapshot (as_of, seq, path, tagmanifest_sha256, previous_sha256, archive_sha256,"
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
	kdx_status st = dump_warehouse(db, iso, &payload, err);
	/* the reports of the as-of, generated afresh (byte-identical to kdx report),
	 * unless the caller has just written them from data it loaded */
	const char *from = reports_dir;
	if (st == KDX_OK && !from) {
		int written = 0;
		if (!(tmp = make_tmpdir(env)))
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
		st = write_archive(&bag, asof, dir, path, asha, err);
		if (st == KDX_OK)
			st = record_snapshot(db, iso, seq, path, prev, asha, use->data_hash, mansha, info, err);
	}
	if (tmp)
		rm_tree(tmp);
	free(tmp);
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

/* ---- verification ---------------------------------------------------------- */

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
	for (int i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof *r);
}

/* The bag's folder: the single top-level folder of the archive. */
static char *bag_root(const kdx_tar *t)
{
	if (t->n == 0)
		return NULL;
	const char *s = strchr(t->e[0].path, '/');
	if (!s)
		return NULL;
	return kdx_strdup_printf("%.*s", (int)(s - t->e[0].path), t->e[0].path);
}

static const char *info_field(const char *info, const char *key, char *buf, size_t n)
{
	size_t kl = strlen(key);
	for (const char *p = info; p && *p;) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(buf, n, "%.*s", (int)len, v);
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
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
		char *rel = decode_path(fp);
		if (payload && strncmp(rel, "data/", 5) != 0)
			kdx_verify_problem(r, "%s lists \"%s\", which is outside data/", mname, rel);
		char *full = kdx_strdup_printf("%s/%s", root, rel);
		int idx = -1;
		for (int i = 0; i < t->n; i++)
			if (!strcmp(t->e[i].path, full))
				idx = i;
		if (idx < 0) {
			kdx_verify_problem(r, "missing file: %s (listed in %s)", rel, mname);
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
				kdx_verify_problem(r, "changed file: %s (%s does not match %s)", rel, mname, sha512 ? "SHA-512" : "SHA-256");
		}
		free(full);
		free(rel);
	}
	free(text);
}

/* An archive or an extracted bag folder: the payload is hashed as it streams
 * by; the tag files and the files under keep are kept whole. */
static kdx_status read_bag(const char *archive, const char *const *keep, kdx_tar *t, kdx_error **err)
{
	struct stat asb;
	return stat(archive, &asb) == 0 && S_ISDIR(asb.st_mode) ? kdx_tar_read_dir_digests(archive, keep, t, err)
	                                                        : kdx_tar_read_digests(archive, keep, t, err);
}

/* The bag read into t against its manifests; problems into r. */
static kdx_status verify_tree(const char *archive, const kdx_tar *tp, kdx_verify_result *r, char tagsha[65], char prev[65])
{
	kdx_tar t = *tp;  /* the caller's: not freed here */
	r->checked++;
	r->bag[0] = r->tagsha[0] = r->prev[0] = '\0';
	char *root = bag_root(&t);
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
	/* every payload file must be listed */
	size_t rl = strlen(root);
	long long bytes = 0;
	int files = 0;
	for (int i = 0; i < t.n; i++) {
		const char *rel = t.e[i].path + rl + 1;
		if (strncmp(rel, "data/", 5) != 0)
			continue;
		files++;
		bytes += (long long)t.e[i].size;
		if (!seen[i])
			kdx_verify_problem(r, "extra file: %s (not in manifest-sha256.txt)", rel);
		if (!seen512[i])
			kdx_verify_problem(r, "extra file: %s (not in manifest-sha512.txt)", rel);
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
		if (!info_field((const char *)info->data, "Payload-Oxum", buf, sizeof buf)) {
			kdx_verify_problem(r, "bag-info.txt has no Payload-Oxum");
		} else {
			char want[64];
			snprintf(want, sizeof want, "%lld.%d", bytes, files);
			if (strcmp(buf, want))
				kdx_verify_problem(r, "Payload-Oxum is %s but the payload is %s (octets.files)", buf, want);
		}
		if (info_field((const char *)info->data, "Previous-Snapshot-SHA256", buf, sizeof buf))
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

kdx_status kdx_snapshot_read(const char *archive, const char *const *keep, kdx_verify_result *r, char tagsha[65],
                             char prev[65], kdx_tar *out, kdx_error **err)
{
	kdx_tar t = { 0 };
	if (tagsha)
		tagsha[0] = '\0';
	if (prev)
		prev[0] = '\0';
	kdx_status st = read_bag(archive, keep, &t, err);
	if (st != KDX_OK)
		return st;
	st = verify_tree(archive, &t, r, tagsha, prev);
	if (out)
		*out = t;
	else
		kdx_tar_free(&t);
	return st;
}

/* Every archive under dir that the warehouse has no record of. */
static void unrecorded(const char *dir, kdx_strset *recorded, kdx_verify_result *r)
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
			unrecorded(p, recorded, r);
		} else if (l > 7 && !strcmp(names[i] + l - 7, ".tar.gz")) {
			char *real = realpath(p, NULL);
			if (real && strlen(real) < KDX_STRSET_KEY_MAX && kdx_strset_put(recorded, real, 1) == 0)
				kdx_verify_problem(r, "%s: an archive the warehouse has no record of (it is not a link of the chain)", p);
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
		if (st != KDX_OK && st != KDX_EDATA) {
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
		unrecorded(archive_root, &seen, r);
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
	kdx_status st = read_bag(archive, NULL, &t, err);
	if (st != KDX_OK)
		return st;
	char *root = bag_root(&t);
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

/* ---- restore and reproduce -------------------------------------------------- */

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
	kdx_error_hint(*err, "Keep the archive as it is, as evidence, and report it to the council secretariat; %s.", instead);
	return KDX_EDATA;
}

/* Two entries of one path, or a file where another entry needs a folder, would
 * leave a half-restored bag: refused before anything is written. */
static kdx_status check_entries(const kdx_tar *t, const char *archive, kdx_error **err)
{
	kdx_strset files = { 0 }, dirs = { 0 };
	kdx_status st = KDX_OK;
	for (int i = 0; i < t->n && st == KDX_OK; i++) {
		const char *path = t->e[i].path;
		if (strlen(path) >= KDX_STRSET_KEY_MAX) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" has an entry name too long to restore", archive);
			break;
		}
		if (kdx_strset_put(&files, path, i + 1) != 0 || kdx_strset_put(&dirs, path, -1) > 0) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" twice (or as a file and a folder)", archive, path);
			break;
		}
		char *p = kdx_strdup(path);
		for (char *sl = strchr(p, '/'); sl && st == KDX_OK; sl = strchr(sl + 1, '/')) {
			*sl = '\0';
			if (kdx_strset_put(&dirs, p, 1) < 0 || kdx_strset_put(&files, p, -1) > 0)
				st = kdx_fail(err, KDX_EDATA, "archive \"%s\" holds \"%s\" as a file and as a folder", archive, p);
			*sl = '/';
		}
		free(p);
	}
	kdx_strset_free(&files);
	kdx_strset_free(&dirs);
	if (st != KDX_OK)
		kdx_error_hint(*err, "Nothing was written.  A bag kdx wrote never has this: keep the archive and report it.");
	return st;
}

kdx_status kdx_snapshot_restore(const char *archive, const char *dir, int *files, kdx_error **err)
{
	/* the names (and the tag files) only: the payload streams by */
	kdx_tar t = { 0 };
	kdx_status st = kdx_tar_read_digests(archive, NULL, &t, err);
	if (st != KDX_OK)
		return st;
	if ((st = check_entries(&t, archive, err)) != KDX_OK) {
		kdx_tar_free(&t);
		return st;
	}
	/* a bag that fails verification is evidence, not something to extract */
	kdx_verify_result vr = { 0 };
	kdx_error *ve = NULL;
	kdx_status vst = kdx_snapshot_verify(archive, &vr, NULL, NULL, &ve);
	if (vst != KDX_OK) {
		kdx_tar_free(&t);
		if (ve) {
			*err = ve;
			kdx_verify_result_free(&vr);
			return vst;
		}
		kdx_snapshot_refuse(archive, &vr, "nothing was restored", "restore from a backup copy that kdx verify accepts", err);
		kdx_verify_result_free(&vr);
		return KDX_EDATA;
	}
	kdx_verify_result_free(&vr);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		bool empty = true;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = false;
		closedir(d);
		if (!empty) {
			kdx_tar_free(&t);
			return kdx_fail(err, KDX_EUSAGE, "destination \"%s\" is not empty", dir);
		}
	}
	if (kdx_mkdirs(dir, 0750) != 0) {
		kdx_tar_free(&t);
		return kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", dir, strerror(errno));
	}
	kdx_tar_free(&t);
	/* written as the archive streams by, never held in memory */
	return kdx_tar_extract(archive, dir, files, err);
}

static kdx_status copy_in(kdx_db *db, const char *table, const kdx_tar_entry *e, kdx_error **err)
{
	char sql[256];
	snprintf(sql, sizeof sql, "COPY %s FROM STDIN (FORMAT csv, HEADER)", table);
	return kdx_db_copy_buffer(db, sql, (const char *)e->data, e->size, NULL, err);
}

/* Does entry e (in memory or on disk) hold exactly the e->size bytes at want? */
static bool same_content(const kdx_tar_entry *e, const unsigned char *want)
{
	if (!e->src)
		return memcmp(e->data, want, e->size) == 0;
	FILE *fp = fopen(e->src, "rb");
	if (!fp)
		return false;
	unsigned char chunk[65536];
	size_t n, off = 0;
	bool same = true;
	while (same && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		same = off + n <= e->size && memcmp(chunk, want + off, n) == 0;
		off += n;
	}
	fclose(fp);
	return same && off == e->size;
}

/* The archived warehouse into rdb: its schema, master data and every dump. */
static kdx_status load_archived(kdx_db *rdb, const kdx_tar *t, const char *root, const char *bagdir, kdx_error **err)
{
	int applied;
	kdx_status st = kdx_db_migrate(rdb, &applied, err);
	if (st != KDX_OK)
		return st;
	char *master = kdx_strdup_printf("%s/%s/data/warehouse/master", bagdir, root);
	st = kdx_master_load(rdb, master, err);
	free(master);
	for (int i = 0; i < NDUMPS && st == KDX_OK; i++) {
		if (!dumps[i].table)
			continue;
		char *p = kdx_strdup_printf("%s/data/warehouse/%s", root, dumps[i].file);
		const kdx_tar_entry *e = kdx_tar_find(t, p);
		free(p);
		if (!e)
			st = kdx_fail(err, KDX_EDATA, "the snapshot has no %s", dumps[i].file);
		else
			st = copy_in(rdb, dumps[i].table, e, err);
	}
	return st;
}

/* The regenerated reports in outdir against the archived ones, both ways. */
static kdx_status compare_reports(const kdx_tar *t, const char *root, const char *outdir, kdx_verify_result *r,
                                  kdx_error **err)
{
	kdx_tar mine = { 0 };
	kdx_status st = add_tree(&mine, outdir, "data/reports", err);
	if (st != KDX_OK) {
		kdx_tar_free(&mine);
		return st;
	}
	int archived = 0;
	for (int i = 0; i < t->n; i++) {
		const char *rel = t->e[i].path + strlen(root) + 1;
		if (strncmp(rel, "data/reports/", 13))
			continue;
		archived++;
		const kdx_tar_entry *m = kdx_tar_find(&mine, rel);
		r->checked++;
		if (!m)
			kdx_verify_problem(r, "not regenerated: %s", rel);
		else if (m->size != t->e[i].size || !same_content(m, t->e[i].data))
			kdx_verify_problem(r, "differs from the archived copy: %s", rel);
	}
	for (int i = 0; i < mine.n; i++) {
		char *full = kdx_strdup_printf("%s/%s", root, mine.e[i].path);
		if (!kdx_tar_find(t, full))
			kdx_verify_problem(r, "regenerated but not in the archive: %s", mine.e[i].path);
		free(full);
	}
	if (archived == 0)
		kdx_verify_problem(r, "the snapshot holds no reports");
	kdx_tar_free(&mine);
	return r->nproblems ? KDX_EDATA : KDX_OK;
}

/* In a temporary database beside db: the archived data, the reports from it,
 * and their comparison with the archived reports. */
static kdx_status reproduce_in(kdx_db *db, const char *dbname, const char *archive, const kdx_tar *t, const char *root,
                               const char *bagdir, const char *outdir, kdx_verify_result *r, kdx_error **err)
{
	char *ip = kdx_strdup_printf("%s/bag-info.txt", root);
	const kdx_tar_entry *info = kdx_tar_find(t, ip);
	free(ip);
	char buf[64], council[16] = "";
	kdx_date asof;
	if (!info || !info_field((const char *)info->data, "KDX-As-Of", buf, sizeof buf) || kdx_date_parse(buf, &asof) != KDX_DATE_OK)
		return kdx_fail(err, KDX_EDATA, "\"%s\" has no KDX-As-Of in bag-info.txt", archive);
	kdx_db *rdb = NULL;
	kdx_report_data *rd = NULL;
	int written = 0;
	kdx_status st = kdx_db_sibling(db, dbname, &rdb, err);
	/* the council the snapshot was taken for */
	if (st == KDX_OK && info_field((const char *)info->data, "KDX-Council", council, sizeof council))
		st = kdx_db_use_council(rdb, council, err);
	if (st == KDX_OK)
		st = load_archived(rdb, t, root, bagdir, err);
	if (st == KDX_OK)
		st = kdx_report_data_load(rdb, asof, &rd, err);
	/* the edition the reports printed: the bag's number (kdx-<as-of>-<seq>) */
	const char *dash = strrchr(root, '-');
	if (st == KDX_OK && dash && atoi(dash + 1) > 0)
		kdx_report_set_edition(rd, atoi(dash + 1));
	if (st == KDX_OK)
		st = kdx_render_reports(rd, outdir, NULL, true, 1, &written, err);
	if (st == KDX_OK)
		st = compare_reports(t, root, outdir, r, err);
	kdx_report_data_free(rd);
	kdx_db_close(rdb);
	return st;
}

kdx_status kdx_snapshot_reproduce(const kdx_env *env, kdx_db *db, const char *archive, kdx_verify_result *r, kdx_error **err)
{
	char *tmp = make_tmpdir(env);
	if (!tmp)
		return kdx_fail(err, KDX_EIO, "could not create a temporary folder under %s/var/tmp", env->home);
	char *bagdir = kdx_strdup_printf("%s/bag", tmp);
	char *outdir = kdx_strdup_printf("%s/reproduced", tmp);
	char *root = NULL;
	char dbname[64], sql[128];
	snprintf(dbname, sizeof dbname, "kdx_reproduce_%ld", (long)getpid());  /* a name kdx made, not input */
	kdx_tar t = { 0 };
	int files = 0;
	kdx_status st = kdx_snapshot_restore(archive, bagdir, &files, err);
	if (st == KDX_OK)
		st = kdx_tar_read(archive, &t, err);
	if (st == KDX_OK && !(root = bag_root(&t)))
		st = kdx_fail(err, KDX_EDATA, "\"%s\" is not a bag", archive);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
	if (st == KDX_OK && (st = kdx_db_exec(db, sql, err)) == KDX_OK) {
		st = reproduce_in(db, dbname, archive, &t, root, bagdir, outdir, r, err);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", dbname);
		kdx_db_exec(db, sql, NULL);
	}
	free(root);
	kdx_tar_free(&t);
	rm_tree(tmp);
	free(tmp);
	free(bagdir);
	free(outdir);
	return st;
}
