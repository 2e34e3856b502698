/* dumps.c - the warehouse rows a snapshot archives, out and back in (see dumps.h). */
#include <stdio.h>
#include <stdlib.h>
#include "kdx/buf.h"
#include "kdx/dumps.h"
#include "kdx/mem.h"

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

kdx_status kdx_dumps_write(kdx_db *db, const char *iso, kdx_tar *payload, kdx_error **err)
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

static kdx_status copy_in(kdx_db *db, const char *table, const kdx_tar_entry *e, kdx_error **err)
{
	char sql[256];
	snprintf(sql, sizeof sql, "COPY %s FROM STDIN (FORMAT csv, HEADER)", table);
	return kdx_db_copy_buffer(db, sql, (const char *)e->data, e->size, NULL, err);
}

kdx_status kdx_dumps_load(kdx_db *rdb, const kdx_tar *t, const char *root, kdx_error **err)
{
	kdx_status st = KDX_OK;
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
