/*
 * validate.c - the master data, and one validator per column kind (see
 * validate.h).  The messages are what the submitter reads in the reject
 * report; tests/bad/cases.tsv and tests/unit/test_validate.c hold them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/validate.h"
#include "kdx/muni.h"
#include "kdx/text.h"
#include "kdx/buf.h"

/* ---- master data ---------------------------------------------------------- */

void kdx_master_add_muni(kdx_master *m, const char *code, const char *name, const char *short_name)
{
	m->munis = kdx_xrealloc(m->munis, (size_t)(m->nmunis + 1) * sizeof *m->munis);
	kdx_master_muni *u = &m->munis[m->nmunis++];
	snprintf(u->code, sizeof u->code, "%s", code);
	u->name = kdx_strdup(name);
	u->short_name = kdx_strdup(short_name);
	u->name_key = kdx_text_key(name);
	u->short_key = kdx_text_key(short_name);
}

void kdx_master_add_proc(kdx_master *m, const char *id, const char *category, const char *name, bool is_new, int goal_fy)
{
	m->procs = kdx_xrealloc(m->procs, (size_t)(m->nprocs + 1) * sizeof *m->procs);
	kdx_master_proc *p = &m->procs[m->nprocs++];
	snprintf(p->id, sizeof p->id, "%s", id);
	p->name_key = kdx_text_key(name);
	p->cat_key = kdx_text_key(category);
	p->catname_key = kdx_strdup_printf("%s%s", p->cat_key, p->name_key);
	p->is_new = is_new;
	p->goal_fy = goal_fy;
}

void kdx_master_add_item(kdx_master *m, const char *code, const char *name)
{
	m->items = kdx_xrealloc(m->items, (size_t)(m->nitems + 1) * sizeof *m->items);
	kdx_master_item *it = &m->items[m->nitems++];
	it->code = kdx_strdup(code);
	it->code_key = kdx_text_key(code);
	it->name_key = kdx_text_key(name);
}

static int muni_cmp(const void *a, const void *b)
{
	return strcmp(((const kdx_master_muni *)a)->code, ((const kdx_master_muni *)b)->code);
}

void kdx_master_done(kdx_master *m)
{
	if (m->nmunis)
		qsort(m->munis, (size_t)m->nmunis, sizeof *m->munis, muni_cmp);
}

const kdx_master_muni *kdx_master_muni_by_code(const kdx_master *m, const char *code)
{
	kdx_master_muni key;
	size_t n = strnlen(code, sizeof key.code - 1);
	memcpy(key.code, code, n);
	key.code[n] = '\0';
	if (!m->nmunis)
		return NULL;
	return bsearch(&key, m->munis, (size_t)m->nmunis, sizeof *m->munis, muni_cmp);
}

void kdx_master_free(kdx_master *m)
{
	for (int i = 0; i < m->nmunis; i++) {
		free(m->munis[i].name);
		free(m->munis[i].short_name);
		free(m->munis[i].name_key);
		free(m->munis[i].short_key);
	}
	free(m->munis);
	free(m->pref_name);
	for (int i = 0; i < m->nprocs; i++) {
		free(m->procs[i].name_key);
		free(m->procs[i].cat_key);
		free(m->procs[i].catname_key);
	}
	free(m->procs);
	for (int i = 0; i < m->nitems; i++) {
		free(m->items[i].code);
		free(m->items[i].code_key);
		free(m->items[i].name_key);
	}
	free(m->items);
	memset(m, 0, sizeof *m);
}

/* ---- problems --------------------------------------------------------------- */

void kdx_cell_problem_clear(kdx_cell_problem *why)
{
	free(why->msg);
	free(why->fix);
	memset(why, 0, sizeof *why);
}

static kdx_problem_code bad(kdx_cell_problem *why, kdx_problem_code code, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static kdx_problem_code bad(kdx_cell_problem *why, kdx_problem_code code, const char *fix, const char *fmt, ...)
{
	va_list ap;
	kdx_cell_problem_clear(why);
	why->code = code;
	why->fix = kdx_strdup(fix);
	va_start(ap, fmt);
	why->msg = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	return code;
}

/* "次のいずれかを入力してください: A、B、C。" */
static char *one_of(const char *const *values)
{
	kdx_buf b = { 0 };
	kdx_buf_adds(&b, "次のいずれかを入力してください: ");
	for (int i = 0; values[i]; i++)
		kdx_buf_printf(&b, "%s%s", i ? "、" : "", values[i]);
	kdx_buf_adds(&b, "。");
	return kdx_buf_steal(&b);
}

/* The value a near miss most likely meant: the one allowed value that holds
 * v or is held by it (済 -> 電子化済, 電子化済み -> 電子化済), the closest in
 * length when several do; NULL when none or a tie. */
static const char *likely(const char *v, const char *const *values)
{
	const char *best = NULL;
	size_t vl = strlen(v), bestd = (size_t)-1;
	bool tie = false;
	for (int i = 0; v[0] && values[i]; i++) {
		if (!strstr(values[i], v) && !strstr(v, values[i]))
			continue;
		size_t l = strlen(values[i]), d = l > vl ? l - vl : vl - l;
		if (d < bestd) {
			best = values[i];
			bestd = d;
			tie = false;
		} else if (d == bestd) {
			tie = true;
		}
	}
	return tie ? NULL : best;
}

static kdx_problem_code bad_enum(kdx_cell_problem *why, kdx_problem_code code, const char *const *values,
                                 const char *v, const char *fmt, const char *arg)
{
	char *list = one_of(values);
	const char *guess = likely(v, values);
	char *fix = guess ? kdx_strdup_printf("「%s」のことであれば、そのとおりに入力してください。%s", guess, list) : kdx_strdup(list);
	bad(why, code, fix, fmt, arg);
	free(fix);
	free(list);
	return code;
}

/* ---- one validator per column kind ------------------------------------------ */

static kdx_problem_code v_date(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	if (vc->last_date_text[0] && !strcmp(v, vc->last_date_text)) {
		out->date = vc->last_date;
		out->text = vc->last_date_iso;
		return KDX_P_NONE;
	}
	switch (kdx_date_parse(v, &out->date)) {
	case KDX_DATE_OK:
		break;
	case KDX_DATE_NONEXISTENT:
		return bad(why, KDX_P_DATE_NONEXISTENT, "正しい日付（例: 2025-04-01 または 令和7年4月1日）を入力してください。",
		           "存在しない日付です。");
	case KDX_DATE_ERA_RANGE:
		return bad(why, KDX_P_DATE_ERA_RANGE, "元号と年の組み合わせを確認してください（平成31年4月30日の翌日が令和元年5月1日）。",
		           "元号の範囲外の日付です。");
	default:
		return bad(why, KDX_P_DATE_INVALID, "2025-04-01、2025/4/1、令和7年4月1日、R7.4.1 のいずれかの形で入力してください。",
		           "日付として読めません。");
	}
	kdx_date_iso(out->date, out->buf, sizeof out->buf);
	out->text = out->buf;
	if (strlen(v) < sizeof vc->last_date_text) {
		strcpy(vc->last_date_text, v);
		vc->last_date = out->date;
		strcpy(vc->last_date_iso, out->buf);
	}
	return KDX_P_NONE;
}

static unsigned cache_slot(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return (unsigned)(h >> 16) & 63;
}

/* 4 or 5 digits may be a code whose leading zero a spreadsheet dropped
 * (北海道 012017 typed as a number is 12017): that reading is taken when it
 * names one of the council's municipalities. */
static kdx_problem_code muni_code(kdx_validator_ctx *vc, const char *k, kdx_cell_value *out, kdx_cell_problem *why)
{
	const kdx_master *ms = vc->master;
	char code[7];
	kdx_muni_code_result r = kdx_muni_code_normalise(k, code);
	const kdx_master_muni *direct = r == KDX_MUNI_OK ? kdx_master_muni_by_code(ms, code) : NULL;
	const kdx_master_muni *padded = NULL;
	size_t kl = strlen(k);
	char zk[8], zcode[7];
	if ((kl == 4 || kl == 5) && strspn(k, "0123456789") == kl) {
		snprintf(zk, sizeof zk, "0%s", k);
		if (kdx_muni_code_normalise(zk, zcode) == KDX_MUNI_OK)
			padded = kdx_master_muni_by_code(ms, zcode);
	}
	if (direct && padded) {
		out->muni = direct;
		out->alt = padded;
		return bad(why, KDX_P_MUNI_CODE_AMBIGUOUS, "市町村コードを 6 桁（検査数字を含む）で入力してください。",
		           "市町村コード「%s」は %s（%s）とも %s（%s）とも読めます。", k, direct->code, direct->name,
		           padded->code, padded->name);
	}
	if (!direct && padded) {
		r = KDX_MUNI_OK;
		memcpy(code, zcode, sizeof code);
	}
	if (r == KDX_MUNI_SYNTAX)
		return bad(why, KDX_P_MUNI_CODE_SYNTAX, "6 桁（または 5 桁）の全国地方公共団体コードを入力してください（例: 442011）。",
		           "市町村コードの形式が正しくありません。");
	if (r == KDX_MUNI_CHECKDIGIT)
		return bad(why, KDX_P_MUNI_CHECK_DIGIT, "6 桁目（検査数字）を確認してください。",
		           "市町村コードの検査数字が一致しません（正しくは %.5s%d）。", k,
		           kdx_muni_check_digit((char[6]){ k[0], k[1], k[2], k[3], k[4], 0 }));
	if (!(out->muni = kdx_master_muni_by_code(ms, code)))
		return bad(why, KDX_P_MUNI_NOT_IN_COUNCIL, "この協議会の市町村のコードを入力してください。",
		           "市町村コード %s は%sの市町村ではありません。", code, ms->pref_name);
	return KDX_P_NONE;
}

static kdx_problem_code v_muni_code(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                    kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	unsigned slot = cache_slot(v);
	if (vc->muni_cache[slot].m && !strcmp(v, vc->muni_cache[slot].text)) {
		out->muni = vc->muni_cache[slot].m;
		return KDX_P_NONE;
	}
	char *k = kdx_text_key(v);
	kdx_problem_code pc = muni_code(vc, k, out, why);
	free(k);
	if (pc == KDX_P_NONE && strlen(v) < sizeof vc->muni_cache[slot].text) {
		strcpy(vc->muni_cache[slot].text, v);
		vc->muni_cache[slot].m = out->muni;
	}
	return pc;
}

static kdx_problem_code v_muni_name(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                    kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	const kdx_master *ms = vc->master;
	char *k = kdx_text_key(v);
	const kdx_master_muni *byname = NULL;
	int hits = 0;
	for (int j = 0; j < ms->nmunis; j++)
		if (!strcmp(ms->munis[j].name_key, k) || !strcmp(ms->munis[j].short_key, k)) {
			if (byname != &ms->munis[j])
				hits++;
			byname = &ms->munis[j];
		}
	free(k);
	if (hits == 0)
		return bad(why, KDX_P_MUNI_NAME_UNKNOWN, "正式な市町村名（例: 大分市）を入力するか、市町村コードを入力してください。",
		           "市町村名「%s」は%sの市町村にありません。", v, ms->pref_name);
	if (hits > 1)
		return bad(why, KDX_P_MUNI_NAME_AMBIGUOUS, "市町村コードを入力してください。",
		           "市町村名「%s」は%s内で複数の市町村に当てはまります。", v, ms->pref_name);
	out->muni = byname;
	return KDX_P_NONE;
}

static kdx_problem_code v_id(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                             kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)cd;
	(void)orig;
	(void)why;
	out->text = v;
	return KDX_P_NONE;
}

static bool is_number(const char *v)
{
	if (!*v)
		return false;
	char *end;
	strtod(v, &end);
	return *end == '\0';
}

static kdx_problem_code v_name(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	out->text = v;
	if (is_number(v))
		return bad(why, KDX_P_NAME_NUMERIC, "名称を文字で入力してください（番号は番号の列へ）。",
		           "「%s」が数値になっています。", cd->name);
	return KDX_P_NONE;
}

/* free text is loaded as written */
static kdx_problem_code v_text(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)cd;
	(void)v;
	(void)why;
	out->text = orig;
	return KDX_P_NONE;
}

static kdx_problem_code v_enum(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	if (!(out->text = kdx_parse_enum(v, cd->values)))
		return bad_enum(why, KDX_P_ENUM_INVALID, cd->values, v, "「%s」の値が正しくありません。", cd->name);
	return KDX_P_NONE;
}

static kdx_problem_code v_flag(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	kdx_flag f = cd->kind == KDX_COL_CLOSING ? kdx_parse_closing(v) : kdx_parse_flag(v);
	out->text = f == KDX_FLAG_YES ? "t" : "f";
	if (f != KDX_FLAG_INVALID)
		return KDX_P_NONE;
	const char *fix = cd->kind == KDX_COL_SETTING ? "有 または 無 を入力してください。"
	                  : cd->kind == KDX_COL_CLOSING ? "統廃合の予定がある場合は「予定」、ない場合は空欄にしてください。"
	                  : kdx_flag_hint();
	return bad(why, KDX_P_FLAG_INVALID, fix, "「%s」の値が正しくありません。", cd->name);
}

static kdx_problem_code v_fy(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                             kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	int fy;
	if (!kdx_fy_parse(v, &fy))
		return bad(why, KDX_P_FY_INVALID, "年度を 2027、R9 または 令和9年度 の形で入力してください。",
		           "「%s」を年度として読めません。", cd->name);
	snprintf(out->buf, sizeof out->buf, "%d", fy);
	out->text = out->buf;
	return KDX_P_NONE;
}

/* "2025-04", "2025/4", "2025年4月", "R7.4", "令和7年4月" or a whole date */
static bool parse_ym(const char *v, char out[8])
{
	kdx_date d;
	char buf[64];
	if (kdx_date_parse(v, &d) == KDX_DATE_OK) {
		snprintf(out, 8, "%04d-%02d", d.y, d.m);
		return true;
	}
	/* add a day and parse */
	size_t n = strlen(v);
	if (n > 40)
		return false;
	const char *suffix;
	if (n >= 3 && !strcmp(v + n - 3, "月"))
		suffix = "1日";
	else if (strchr(v, '/'))
		suffix = "/1";
	else if (strchr(v, '.'))
		suffix = ".1";
	else
		suffix = "-1";
	snprintf(buf, sizeof buf, "%s%s", v, suffix);
	if (kdx_date_parse(buf, &d) != KDX_DATE_OK)
		return false;
	snprintf(out, 8, "%04d-%02d", d.y, d.m);
	return true;
}

static kdx_problem_code v_ym(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                             kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	if (!parse_ym(v, out->buf))
		return bad(why, KDX_P_YM_INVALID, "年月を 2025-04 または 令和7年4月 の形で入力してください。",
		           "「%s」を年月として読めません。", cd->name);
	out->text = out->buf;
	return KDX_P_NONE;
}

static kdx_problem_code v_facility_type(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                        kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	out->text = v;
	/* a survey uses a handful of types: look them up once */
	for (int t = 0; t < vc->ntype_cache; t++)
		if (!strcmp(v, vc->type_cache[t].text)) {
			out->group = vc->type_cache[t].group;
			return KDX_P_NONE;
		}
	char *k = kdx_text_key(v);
	out->group = kdx_facility_group(k);
	free(k);
	if (!out->group) {
		char *fix = kdx_strdup_printf("次のいずれかを入力してください: %s。", kdx_facility_types_hint());
		bad(why, KDX_P_FACILITY_TYPE_UNKNOWN, fix, "施設種別「%s」は対象の種別にありません。", v);
		free(fix);
		return why->code;
	}
	if (vc->ntype_cache < 16 && strlen(v) < sizeof vc->type_cache[0].text) {
		strcpy(vc->type_cache[vc->ntype_cache].text, v);
		vc->type_cache[vc->ntype_cache++].group = out->group;
	}
	return KDX_P_NONE;
}

static kdx_problem_code v_proc_id(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                  kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	const kdx_master *ms = vc->master;
	char id[8] = "";
	char *k = kdx_text_key(v);
	size_t kl = strlen(k);
	if (kl < sizeof id) {
		for (size_t j = 0; j < kl; j++)
			id[j] = (k[j] >= 'a' && k[j] <= 'z') ? (char)(k[j] - 32) : k[j];
		id[kl] = '\0';
	}
	free(k);
	for (int j = 0; j < ms->nprocs; j++)
		if (!strcmp(ms->procs[j].id, id)) {
			out->text = ms->procs[j].id;
			out->index = j;
			return KDX_P_NONE;
		}
	return bad(why, KDX_P_PROC_UNKNOWN, "K01〜K15 または N01〜N18 の手続番号を入力してください。",
	           "手続番号「%s」はありません。", v);
}

/* A name alone names a procedure when it matches one only; with a 手続番号 on
 * the row the number decides (the row rule in ingest.c). */
static kdx_problem_code v_proc_name(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                    kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	const kdx_master *ms = vc->master;
	char *k = kdx_text_key(v);
	int found = -1, hits = 0;
	for (int j = 0; j < ms->nprocs; j++)
		if (!strcmp(ms->procs[j].catname_key, k) || !strcmp(ms->procs[j].name_key, k)) {
			hits++;
			found = j;
		}
	free(k);
	if (hits == 0)
		return bad(why, KDX_P_PROC_NAME_UNKNOWN, "手続番号（K01〜N18）を入力してください。", "手続名「%s」は対象の手続にありません。", v);
	if (hits > 1)
		return bad(why, KDX_P_PROC_NAME_AMBIGUOUS, "分類を付けた名称（例: 児童扶養手当 現況届）か手続番号を入力してください。",
		           "手続名「%s」は複数の手続に当てはまります。", v);
	out->text = ms->procs[found].id;
	out->index = found;
	return KDX_P_NONE;
}

static kdx_problem_code v_platform(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                                   kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)vc;
	(void)orig;
	if (!(out->text = kdx_parse_platform(v)))
		return bad_enum(why, KDX_P_PLATFORM_UNKNOWN, cd->values, v, "基盤「%s」は対象の基盤にありません。", v);
	for (int j = 0; cd->values[j]; j++)
		if (!strcmp(cd->values[j], out->text))
			out->index = j;
	return KDX_P_NONE;
}

static kdx_problem_code v_item(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *v, const char *orig,
                               kdx_cell_value *out, kdx_cell_problem *why)
{
	(void)cd;
	(void)orig;
	const kdx_master *ms = vc->master;
	char *k = kdx_text_key(v);
	int found = -1;
	for (int j = 0; j < ms->nitems; j++)
		if (!strcmp(ms->items[j].code_key, k) || !strcmp(ms->items[j].name_key, k))
			found = j;
	free(k);
	if (found < 0) {
		kdx_buf fix = { 0 };
		kdx_buf_adds(&fix, "次のいずれかを入力してください: ");
		for (int j = 0; j < ms->nitems; j++)
			kdx_buf_printf(&fix, "%s%s", j ? "、" : "", ms->items[j].code);
		kdx_buf_adds(&fix, "。");
		bad(why, KDX_P_ITEM_UNKNOWN, fix.data, "項目「%s」は産後ケアDXの項目にありません。", v);
		kdx_buf_free(&fix);
		return why->code;
	}
	out->text = ms->items[found].code;
	out->index = found;
	return KDX_P_NONE;
}

const kdx_validator_fn kdx_validators[KDX_COL_KIND_COUNT] = {
	[KDX_COL_DATE] = v_date,
	[KDX_COL_MUNI_CODE] = v_muni_code,
	[KDX_COL_MUNI_NAME] = v_muni_name,
	[KDX_COL_ID] = v_id,
	[KDX_COL_NAME] = v_name,
	[KDX_COL_TEXT] = v_text,
	[KDX_COL_ENUM] = v_enum,
	[KDX_COL_FLAG] = v_flag,
	[KDX_COL_CLOSING] = v_flag,
	[KDX_COL_SETTING] = v_flag,
	[KDX_COL_FY] = v_fy,
	[KDX_COL_YM] = v_ym,
	[KDX_COL_FACILITY_TYPE] = v_facility_type,
	[KDX_COL_PROC_ID] = v_proc_id,
	[KDX_COL_PROC_NAME] = v_proc_name,
	[KDX_COL_PLATFORM] = v_platform,
	[KDX_COL_ITEM] = v_item,
};

kdx_problem_code kdx_validate_cell(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *norm, const char *orig,
                                   kdx_cell_value *out, kdx_cell_problem *why)
{
	out->text = NULL;
	out->muni = NULL;
	out->group = NULL;
	out->index = -1;
	return kdx_validators[cd->kind](vc, cd, norm, orig, out, why);
}
