/*
 * datasets.c - the input data contract of SPEC §4: the six datasets, their
 * columns and synonyms, and how each coded value is read.
 */
#include <stdlib.h>
#include <string.h>
#include "kdx/datasets.h"
#include "kdx/text.h"

static const char *const flag_yes[] = { "○", "◯", "〇", "1", "有", "はい", "導入済", "あり", "有り", "TRUE", "true", NULL };
static const char *const flag_no[] = { "×", "✕", "✗", "0", "無", "いいえ", "未導入", "なし", "無し", "FALSE", "false", NULL };
static const char *const closing_yes[] = { "予定", "予定あり", "有", "あり", "○", "◯", "〇", "1", "はい", NULL };

static const char *const v_owner[] = { "公立", "私立", NULL };
static const char *const v_operation[] = { "公営", "民営", "民立", NULL };
static const char *const v_proc_status[] = { "電子化済", "準備中", "未着手", "所掌外", NULL };
static const char *const v_notice[] = { "済", "未", "該当なし", NULL };
static const char *const v_pf_status[] = { "導入済", "類似システム導入済", "導入予定", "未定", "特例対象外", NULL };
static const char *const v_pp_status[] = { "実施済", "準備中", "未実施", NULL };
static const char *const v_platforms[] = { "保育業務施設管理PF", "保活情報連携基盤", "PMH医療費助成", "PMH予防接種", "PMH母子保健", NULL };

const char *const kdx_setting_values[] = { "有", "無", NULL };

#define S(...) { __VA_ARGS__, NULL }

static const kdx_col_def nursery_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード", "市町村番号"), KDX_COL_MUNI_CODE, 0, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名", "市町村"), KDX_COL_MUNI_NAME, 0, NULL, NULL, 0 },
	{ "施設番号", S("施設No", "施設NO", "施設ID", "施設コード"), KDX_COL_ID, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, NULL, "facility_no", 0 },
	{ "施設名", S("施設名称", "保育所名"), KDX_COL_NAME, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, NULL, "facility_name", 0 },
	{ "施設種別", S("施設の種別", "施設類型", "種別"), KDX_COL_FACILITY_TYPE, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, NULL, "facility_type", 0 },
	{ "設置主体", S("公立私立", "公私", "公立・私立", "設置者区分"), KDX_COL_ENUM, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, v_owner, "owner", 0 },
	{ "統廃合予定", S("統廃合", "統廃合の予定"), KDX_COL_CLOSING, 0, NULL, "closing", 0 },
	{ "保護者連絡", { NULL }, KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_contact", 0 },
	{ "登降園管理", S("登園・降園の管理", "登降園の管理", "登園降園管理"), KDX_COL_FLAG, KDX_COL_FUNCTION | KDX_COL_SPECIFIC, NULL, "f_attendance", 0 },
	{ "計画・記録", S("保育に関する計画・記録", "計画記録"), KDX_COL_FLAG, KDX_COL_FUNCTION | KDX_COL_SPECIFIC, NULL, "f_records", 0 },
	{ "キャッシュレス決済", S("実費徴収等のキャッシュレス決済"), KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_cashless", 0 },
	{ "その他", S("その他の機能"), KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_other", 0 },
	{ "その他の内容", S("その他内容", "その他(内容)"), KDX_COL_TEXT, 0, NULL, "other_text", 0 },
};

static const kdx_col_def club_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード", "市町村番号"), KDX_COL_MUNI_CODE, 0, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名", "市町村"), KDX_COL_MUNI_NAME, 0, NULL, NULL, 0 },
	{ "クラブ番号", S("クラブNo", "クラブNO", "クラブID", "クラブコード"), KDX_COL_ID, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, NULL, "club_no", 0 },
	{ "クラブ名", S("クラブ名称", "放課後児童クラブ名"), KDX_COL_NAME, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, NULL, "club_name", 0 },
	{ "運営形態", S("運営主体", "設置運営形態"), KDX_COL_ENUM, KDX_COL_REQUIRED | KDX_COL_SPECIFIC, v_operation, "operation", 0 },
	{ "統廃合予定", S("統廃合・配置見直し予定", "統廃合", "配置見直し予定"), KDX_COL_CLOSING, 0, NULL, "closing", 0 },
	{ "保護者連絡", { NULL }, KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_contact", 0 },
	{ "入退室管理", S("入退室の管理・記録", "入退室の管理"), KDX_COL_FLAG, KDX_COL_FUNCTION | KDX_COL_SPECIFIC, NULL, "f_entry", 0 },
	{ "勤怠管理", S("職員の勤怠管理"), KDX_COL_FLAG, KDX_COL_FUNCTION | KDX_COL_SPECIFIC, NULL, "f_attendance", 0 },
	{ "キャッシュレス決済", S("実費徴収等のキャッシュレス決済"), KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_cashless", 0 },
	{ "その他", S("その他の機能"), KDX_COL_FLAG, KDX_COL_FUNCTION, NULL, "f_other", 0 },
	{ "その他の内容", S("その他内容", "その他(内容)"), KDX_COL_TEXT, 0, NULL, "other_text", 0 },
};

static const kdx_col_def procedure_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード"), KDX_COL_MUNI_CODE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名"), KDX_COL_MUNI_NAME, KDX_COL_NO_TEMPLATE, NULL, NULL, 0 },
	{ "手続番号", S("手続ID", "手続コード", "手続No"), KDX_COL_PROC_ID, KDX_COL_SPECIFIC | KDX_COL_LOCKED, NULL, "proc_id", 0 },
	{ "手続名", S("手続名称", "手続"), KDX_COL_PROC_NAME, KDX_COL_SPECIFIC | KDX_COL_LOCKED, NULL, NULL, 44 },
	{ "状況", S("電子化状況", "状態"), KDX_COL_ENUM, KDX_COL_REQUIRED, v_proc_status, "status", 0 },
	{ "電子化年月", S("電子化した年月", "電子化時期"), KDX_COL_YM, 0, NULL, "digitised_ym", 0 },
	{ "予定年度", S("電子化予定年度", "導入予定年度"), KDX_COL_FY, 0, NULL, "planned_fy", 0 },
	{ "処分通知", S("処分通知の電子化", "処分通知電子化"), KDX_COL_ENUM, 0, v_notice, "notice", 0 },
};

static const kdx_col_def platform_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード"), KDX_COL_MUNI_CODE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名"), KDX_COL_MUNI_NAME, KDX_COL_NO_TEMPLATE, NULL, NULL, 0 },
	{ "基盤", S("基盤名", "システム", "プラットフォーム"), KDX_COL_PLATFORM, KDX_COL_REQUIRED | KDX_COL_SPECIFIC | KDX_COL_LOCKED, v_platforms, "platform", 22 },
	{ "状況", S("導入状況", "状態"), KDX_COL_ENUM, KDX_COL_REQUIRED, v_pf_status, "status", 0 },
	{ "予定年度", S("導入予定年度"), KDX_COL_FY, 0, NULL, "planned_fy", 0 },
	{ "備考", S("特記事項"), KDX_COL_TEXT, 0, NULL, "note", 30 },
};

static const kdx_col_def postpartum_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード"), KDX_COL_MUNI_CODE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名"), KDX_COL_MUNI_NAME, KDX_COL_NO_TEMPLATE, NULL, NULL, 0 },
	{ "項目", S("チェック項目", "取組項目"), KDX_COL_ITEM, KDX_COL_REQUIRED | KDX_COL_SPECIFIC | KDX_COL_LOCKED, NULL, "item", 26 },
	{ "状況", S("実施状況", "状態"), KDX_COL_ENUM, KDX_COL_REQUIRED, v_pp_status, "status", 0 },
	{ "予定年度", S("実施予定年度"), KDX_COL_FY, 0, NULL, "planned_fy", 0 },
};

static const kdx_col_def setting_cols[] = {
	{ "調査基準日", S("基準日", "調査日"), KDX_COL_DATE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "survey_date", 0 },
	{ "市町村コード", S("市区町村コード", "団体コード", "地方公共団体コード"), KDX_COL_MUNI_CODE, KDX_COL_REQUIRED | KDX_COL_LOCKED, NULL, "muni_code", 0 },
	{ "市町村名", S("市区町村名", "団体名"), KDX_COL_MUNI_NAME, KDX_COL_NO_TEMPLATE, NULL, NULL, 0 },
	{ "保育所特別な事情", S("保育所の特別な事情", "特別な事情"), KDX_COL_SETTING, KDX_COL_SPECIFIC, NULL, "special_nursery", 0 },
	{ "民間保育所を独自目標に含める", S("民間保育所を独自目標に追加"), KDX_COL_SETTING, KDX_COL_SPECIFIC, NULL, "own_private_nursery", 0 },
	{ "民立クラブを独自目標に含める", S("民立クラブを独自目標に追加"), KDX_COL_SETTING, KDX_COL_SPECIFIC, NULL, "own_minritsu_club", 0 },
};

#define N(a) (int)(sizeof a / sizeof a[0])

const kdx_dataset kdx_datasets[KDX_DS_COUNT] = {
	[KDX_DS_NURSERY] = { "nursery", "保育所等ICT調査", NULL, nursery_cols, N(nursery_cols), "kdx.nursery_fact",
	                     "kdx.nursery_fact (batch_id, muni_code, survey_date, src_sheet, src_row, facility_no, facility_name, facility_type, type_group, owner, closing, f_contact, f_attendance, f_records, f_cashless, f_other, other_text)" },
	[KDX_DS_CLUBS] = { "clubs", "放課後児童クラブICT調査", NULL, club_cols, N(club_cols), "kdx.club_fact",
	                   "kdx.club_fact (batch_id, muni_code, survey_date, src_sheet, src_row, club_no, club_name, operation, closing, f_contact, f_entry, f_attendance, f_cashless, f_other, other_text)" },
	[KDX_DS_PROCEDURES] = { "procedures", "手続電子化状況", "手続電子化", procedure_cols, N(procedure_cols), "kdx.procedure_fact",
	                        "kdx.procedure_fact (batch_id, muni_code, survey_date, src_sheet, src_row, proc_id, status, digitised_ym, planned_fy, notice)" },
	[KDX_DS_PLATFORMS] = { "platforms", "基盤導入状況", "基盤導入", platform_cols, N(platform_cols), "kdx.platform_fact",
	                       "kdx.platform_fact (batch_id, muni_code, survey_date, src_sheet, src_row, platform, status, planned_fy, note)" },
	[KDX_DS_POSTPARTUM] = { "postpartum", "産後ケアDX状況", "産後ケア", postpartum_cols, N(postpartum_cols), "kdx.postpartum_fact",
	                        "kdx.postpartum_fact (batch_id, muni_code, survey_date, src_sheet, src_row, item, status, planned_fy)" },
	[KDX_DS_SETTINGS] = { "settings", "市町村設定", "設定", setting_cols, N(setting_cols), "kdx.setting_fact",
	                      "kdx.setting_fact (batch_id, muni_code, survey_date, src_sheet, src_row, special_nursery, own_private_nursery, own_minritsu_club)" },
};

const kdx_dataset *kdx_dataset_find(const char *id)
{
	for (int i = 0; i < KDX_DS_COUNT; i++)
		if (!strcmp(kdx_datasets[i].id, id))
			return &kdx_datasets[i];
	return NULL;
}

const char *kdx_dataset_title(const char *id)
{
	const kdx_dataset *ds = kdx_dataset_find(id);
	return ds ? ds->title : id;
}

const kdx_col_def *kdx_dataset_column(const kdx_dataset *ds, const char *wcol)
{
	for (int i = 0; i < ds->ncols; i++)
		if (ds->cols[i].wcol && !strcmp(ds->cols[i].wcol, wcol))
			return &ds->cols[i];
	return NULL;
}

static bool in_list(const char *v, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

/* Header cells are compared as NFKC keys with spaces, "※" notes and a
 * trailing "(必須)" removed. */
char *kdx_header_key(const char *s)
{
	char *k = kdx_text_key(s);
	if (!k)
		return NULL;
	char *p;
	if ((p = strstr(k, "(必須)")) != NULL)
		*p = '\0';
	if ((p = strstr(k, "※")) != NULL)
		*p = '\0';
	if ((p = strstr(k, "*")) != NULL && p[1] == '\0')
		*p = '\0';
	return k;
}

int kdx_col_match(const kdx_dataset *ds, const char *key)
{
	for (int i = 0; i < ds->ncols; i++) {
		if (strcmp(ds->cols[i].name, key) == 0)
			return i;
		for (int j = 0; ds->cols[i].synonyms[j]; j++)
			if (strcmp(ds->cols[i].synonyms[j], key) == 0)
				return i;
	}
	return -1;
}

kdx_flag kdx_parse_flag(const char *v)
{
	if (!v || !*v)
		return KDX_FLAG_NO;
	if (in_list(v, flag_yes))
		return KDX_FLAG_YES;
	if (in_list(v, flag_no))
		return KDX_FLAG_NO;
	return KDX_FLAG_INVALID;
}

kdx_flag kdx_parse_closing(const char *v)
{
	if (!v || !*v)
		return KDX_FLAG_NO;
	if (in_list(v, closing_yes))
		return KDX_FLAG_YES;
	if (in_list(v, flag_no))
		return KDX_FLAG_NO;
	return KDX_FLAG_INVALID;
}

/* An enum value, accepting a trailing 「み」 (電子化済み → 電子化済). */
const char *kdx_parse_enum(const char *v, const char *const *values)
{
	if (!v)
		return NULL;
	for (int i = 0; values[i]; i++) {
		size_t n = strlen(values[i]);
		if (strcmp(v, values[i]) == 0 || (strncmp(v, values[i], n) == 0 && strcmp(v + n, "み") == 0))
			return values[i];
	}
	return NULL;
}

const char *kdx_parse_platform(const char *v)
{
	/* drop brackets and middle dots, upper-case ASCII: PMH（医療費助成） -> PMH医療費助成 */
	char buf[256];
	size_t w = 0;
	for (const char *p = v; *p && w + 4 < sizeof buf; p++) {
		if (*p == '(' || *p == ')' || *p == '-' || *p == '_')
			continue;
		if (!strncmp(p, "・", 3)) {
			p += 2;
			continue;
		}
		buf[w++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	}
	buf[w] = '\0';
	if (!strcmp(buf, "保育業務施設管理プラットフォーム"))
		return "保育業務施設管理PF";
	if (!strcmp(buf, "保活情報連携プラットフォーム"))
		return "保活情報連携基盤";
	for (int i = 0; v_platforms[i]; i++)
		if (!strcmp(buf, v_platforms[i]))
			return v_platforms[i];
	return NULL;
}

bool kdx_platform_is_pmh(const char *platform)
{
	return strncmp(platform, "PMH", 3) == 0;
}

/* key == a followed by b (no formatting: this runs for every nursery row) */
static bool cat_eq(const char *key, const char *a, const char *b)
{
	size_t n = strlen(a);
	return strncmp(key, a, n) == 0 && strcmp(key + n, b) == 0;
}

/* 施設種別 (SPEC §2, settled rules). */
const char *kdx_facility_group(const char *key)
{
	static const char *const kodomoen_types[] = { "幼保連携型", "保育所型", "幼稚園型", "地方裁量型", NULL };
	static const char *const chiiki[] = { "地域型保育事業", "小規模保育事業", "家庭的保育事業", "事業所内保育事業",
	                                      "居宅訪問型保育事業", NULL };
	static const char *const outside[] = { "認可外保育施設", "企業主導型保育事業", "企業主導型保育施設", "幼稚園", NULL };
	if (!strcmp(key, "保育所"))
		return "保育所";
	if (!strcmp(key, "認定こども園"))
		return "認定こども園";
	for (int i = 0; kodomoen_types[i]; i++) {
		const char *t = kodomoen_types[i];
		if (!strcmp(key, t) || cat_eq(key, t, "認定こども園"))
			return "認定こども園";
		if (!strncmp(key, "認定こども園(", strlen("認定こども園(")) && cat_eq(key + strlen("認定こども園("), t, ")"))
			return "認定こども園";
	}
	for (int i = 0; chiiki[i]; i++) {
		const char *t = chiiki[i];
		if (!strcmp(key, t) || cat_eq(key, t, "所"))
			return "地域型保育事業";
		if (!strncmp(key, "地域型保育事業所(", strlen("地域型保育事業所(")) && cat_eq(key + strlen("地域型保育事業所("), t, ")"))
			return "地域型保育事業";
	}
	for (int i = 0; outside[i]; i++) {
		const char *t = outside[i];
		if (!strcmp(key, t) || cat_eq(key, t, "所"))
			return "対象外施設";
	}
	return NULL;
}

const char *kdx_facility_types_hint(void)
{
	return "保育所、認定こども園（幼保連携型・保育所型・幼稚園型・地方裁量型）、地域型保育事業所（小規模保育事業所・家庭的保育事業所・事業所内保育事業所・居宅訪問型保育事業所）、"
	       "または対象外の 認可外保育施設・企業主導型保育事業・幼稚園";
}

const char *kdx_flag_hint(void)
{
	return "導入している場合は ○（または 1、有、はい、導入済）、していない場合は ×（または 0、無、いいえ、未導入）か空欄";
}
