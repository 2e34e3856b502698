/* cmd_diff.c - kdx diff A B: what changed between two snapshots, from the archives alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kdx/buf.h"
#include "kdx/cli.h"
#include "kdx/diff.h"
#include "kdx/json.h"

const char kdx_usage_diff[] =
	"usage: kdx diff [--format text|csv|json] A B\n"
	"\n"
	"Say, in Japanese, what changed from snapshot A to snapshot B: the submissions\n"
	"added, superseded (差し替え), replaced by a new survey round or withdrawn, with\n"
	"their files, 調査基準日 and SHA-256; the rows of those submissions that changed\n"
	"(a facility that gained 保護者連絡, a procedure 未着手 → 電子化済, a facility\n"
	"that went); and every figure of the goal tables that moved, 全体 included.\n"
	"A and B are archives (.tar.gz, a re-packed .tar or an extracted bag folder);\n"
	"with a warehouse, also snapshot numbers or the first hex digits of the data\n"
	"or tagmanifest SHA-256 (as kdx snapshots lists them).  Both bags are verified\n"
	"first; one that fails is refused.  No warehouse is needed for archives.\n"
	"\n"
	"  --format F  text (default), csv (one change per row, a header row in\n"
	"              Japanese) or json\n";

/* An archive path as given, or the file of a recorded snapshot by number or hash prefix. */
static kdx_status resolve(kdx_env *env, const char *arg, char **path, kdx_error **err)
{
	struct stat sb;
	if (stat(arg, &sb) == 0) {
		*path = kdx_strdup(arg);
		return KDX_OK;
	}
	bool digits = *arg && strspn(arg, "0123456789") == strlen(arg);
	bool hex = strlen(arg) >= 6 && strlen(arg) <= 64 && strspn(arg, "0123456789abcdefABCDEF") == strlen(arg);
	if (!digits && !hex) {
		kdx_fail(err, KDX_EUSAGE, "no archive \"%s\"", arg);
		kdx_error_hint(*err, "Give an archive file or bag folder, a snapshot number or at least 6 hex digits of a hash"
		                     " (kdx snapshots lists them).");
		return KDX_EUSAGE;
	}
	kdx_db *db = NULL;
	kdx_error *e = NULL;
	if (kdx_cli_db(env, &db, NULL, &e) != KDX_OK) {
		kdx_fail(err, KDX_EUSAGE, "no archive \"%s\", and no warehouse to look up snapshot %s in", arg, arg);
		kdx_error_detail(*err, "%s", e ? e->primary : "none configured");
		kdx_error_hint(*err, "Without a warehouse, give the archive files (or extracted bag folders) themselves.");
		kdx_error_free(e);
		return KDX_EUSAGE;
	}
	PGresult *r = kdx_db_query(db,
		"SELECT id, path FROM kdx.snapshot WHERE ($2 AND id::text = $1)"
		" OR (NOT $2 AND (data_sha256 LIKE lower($1) || '%' OR tagmanifest_sha256 LIKE lower($1) || '%')) ORDER BY id",
		2, (const char *const[]){ arg, digits ? "true" : "false" }, err);
	if (!r)
		return KDX_EINTERNAL;
	kdx_status st = KDX_OK;
	if (PQntuples(r) == 1) {
		*path = kdx_strdup(PQgetvalue(r, 0, 1));
	} else if (PQntuples(r) == 0) {
		st = kdx_fail(err, KDX_EUSAGE, "no snapshot %s \"%s\"", digits ? "numbered" : "whose hash starts with", arg);
		kdx_error_hint(*err, "kdx snapshots lists the snapshots with their numbers and hashes.");
	} else {
		st = kdx_fail(err, KDX_EUSAGE, "\"%s\" starts the hashes of %d snapshots", arg, PQntuples(r));
		kdx_buf b = { 0 };
		for (int i = 0; i < PQntuples(r); i++)
			kdx_buf_printf(&b, "%s%s: %s", i ? "\n" : "", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
		kdx_error_detail(*err, "%s", b.data);
		kdx_buf_free(&b);
		kdx_error_hint(*err, "Give more hex digits, or the snapshot number.");
	}
	PQclear(r);
	return st;
}

static const char *or_none(const char *s)
{
	return *s ? s : "（なし）";
}

static void print_text(const kdx_diff *d)
{
	printf("比較: %s（%s時点、データ SHA-256 %s）\n", d->a.bag, d->a.as_of, d->a.data_sha256);
	printf("  → %s（%s時点、データ SHA-256 %s）\n", d->b.bag, d->b.as_of, d->b.data_sha256);
	if (d->n == 0) {
		printf("\n変化はありません（提出、行、数値とも同じです）。\n");
		return;
	}
	static const char *const heads[3] = { "提出の変化", "行の変化", "数値の変化" };
	for (int sec = 0; sec < 3; sec++) {
		printf("\n■ %s（%d件）\n", heads[sec], d->count[sec]);
		if (d->count[sec] == 0)
			printf("  なし\n");
		for (int i = 0; i < d->n; i++) {
			const kdx_diff_row *r = &d->rows[i];
			if ((int)r->section != sec)
				continue;
			if (sec == KDX_DIFF_SUBMISSION) {
				printf("  %s  %s %s  %s\n", r->change, r->name, r->code, r->subject);
				if (*r->sha_before)
					printf("    前: %s（調査基準日 %s、SHA-256 %s）\n", r->before, r->date_before, r->sha_before);
				if (*r->sha_after)
					printf("    後: %s（調査基準日 %s、SHA-256 %s）\n", r->after, r->date_after, r->sha_after);
			} else if (sec == KDX_DIFF_ROW) {
				printf("  %s %s  %s  %s", r->name, r->code, r->subject, r->item);
				if (*r->field)
					printf("  %s: %s → %s\n", r->field, r->before, r->after);
				else
					printf("  %s\n", !strcmp(r->change, "追加") ? "追加" : "なくなった");
			} else {
				printf("  %s  %s%s%s  %s → %s\n", r->subject, r->name, strcmp(r->name, "全体") ? " " : "",
				       strcmp(r->name, "全体") ? r->code : "", r->before, r->after);
			}
		}
	}
}

static void print_csv(const kdx_diff *d)
{
	kdx_buf b = { 0 };
	kdx_buf_adds(&b, "区分,変化,データまたは目標,団体コード,団体名,対象,項目,変更前,変更後,"
	                 "変更前の調査基準日,変更後の調査基準日,変更前のSHA-256,変更後のSHA-256\r\n");
	for (int i = 0; i < d->n; i++) {
		const kdx_diff_row *r = &d->rows[i];
		const char *cells[] = { kdx_diff_section_name(r->section), r->change, r->subject, r->code, r->name, r->item,
		                        r->field, r->before, r->after, r->date_before, r->date_after, r->sha_before, r->sha_after };
		for (int c = 0; c < 13; c++) {
			if (c)
				kdx_buf_addc(&b, ',');
			kdx_buf_csv_cell(&b, cells[c]);
		}
		kdx_buf_adds(&b, "\r\n");
	}
	fwrite(b.data, 1, b.len, stdout);
	kdx_buf_free(&b);
}

static void json_side(kdx_json *j, const char *key, const kdx_diff_side *s)
{
	kdx_json_object(j, key);
	kdx_json_str(j, "bag", s->bag);
	kdx_json_str(j, "as_of", s->as_of);
	kdx_json_str(j, "council", s->council);
	kdx_json_str(j, "data_sha256", s->data_sha256);
	kdx_json_str(j, "tagmanifest_sha256", s->tagmanifest_sha256);
	kdx_json_close(j, '}');
}

static void print_json(const kdx_diff *d)
{
	kdx_json j;
	kdx_json_begin(&j, stdout);
	json_side(&j, "a", &d->a);
	json_side(&j, "b", &d->b);
	static const char *const keys[3] = { "submissions", "rows", "figures" };
	for (int sec = 0; sec < 3; sec++) {
		kdx_json_array(&j, keys[sec]);
		for (int i = 0; i < d->n; i++) {
			const kdx_diff_row *r = &d->rows[i];
			if ((int)r->section != sec)
				continue;
			kdx_json_object(&j, NULL);
			kdx_json_str(&j, "change", r->change);
			kdx_json_str(&j, "subject", r->subject);
			kdx_json_str(&j, "code", r->code);
			kdx_json_str(&j, "name", r->name);
			if (sec != KDX_DIFF_FIGURE)
				kdx_json_str(&j, "item", r->item);
			if (sec == KDX_DIFF_ROW)
				kdx_json_str(&j, "field", r->field);
			kdx_json_str(&j, "before", or_none(r->before));
			kdx_json_str(&j, "after", or_none(r->after));
			if (sec == KDX_DIFF_SUBMISSION) {
				kdx_json_str(&j, "survey_date_before", *r->date_before ? r->date_before : NULL);
				kdx_json_str(&j, "survey_date_after", *r->date_after ? r->date_after : NULL);
				kdx_json_str(&j, "sha256_before", *r->sha_before ? r->sha_before : NULL);
				kdx_json_str(&j, "sha256_after", *r->sha_after ? r->sha_after : NULL);
			}
			kdx_json_close(&j, '}');
		}
		kdx_json_close(&j, ']');
	}
	kdx_json_end(&j);
}

int kdx_cmd_diff(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	kdx_format fmt = KDX_FMT_TEXT;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'f') {
			if ((rc = kdx_cli_format("diff", optarg, &fmt)) != 0)
				return rc;
		} else if ((rc = kdx_cli_common(c, "diff", env)) >= 0) {
			return rc;
		}
	}
	if (env->json)
		fmt = KDX_FMT_JSON;
	if (argc - optind != 2)
		return kdx_cli_usage_error("diff", "give two snapshots, A and B");
	char *pa = NULL, *pb = NULL;
	kdx_error *err = NULL;
	kdx_diff d;
	kdx_status st = resolve(env, argv[optind], &pa, &err);
	if (st == KDX_OK)
		st = resolve(env, argv[optind + 1], &pb, &err);
	if (st == KDX_OK)
		st = kdx_diff_archives(pa, pb, &d, &err);
	free(pa);
	free(pb);
	if (st != KDX_OK)
		return kdx_cli_fail(st, err);
	if (fmt == KDX_FMT_CSV)
		print_csv(&d);
	else if (fmt == KDX_FMT_JSON)
		print_json(&d);
	else
		print_text(&d);
	kdx_diff_free(&d);
	return 0;
}
