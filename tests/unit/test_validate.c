/*
 * test_validate.c - one validator per column kind: the values each accepts,
 * every way it rejects one, and the message and fix the submitter reads.
 * The master data is built here by hand from SPEC §2/§4's examples.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/validate.h"
#include "kdx/mem.h"
#include "kdx/muni.h"

static kdx_master oita;
static kdx_master wide;  /* a national warehouse: codes that read two ways, names shared */

static int setup(void **state)
{
	(void)state;
	kdx_master_add_muni(&oita, "442020", "別府市", "別府");
	kdx_master_add_muni(&oita, "442011", "大分市", "大分");
	kdx_master_done(&oita);
	snprintf(oita.pref, sizeof oita.pref, "440001");
	oita.pref_name = kdx_strdup("大分県");
	kdx_master_add_proc(&oita, "K11", "児童手当", "現況届", false, 0);
	kdx_master_add_proc(&oita, "K12", "児童扶養手当", "現況届", false, 0);
	kdx_master_add_proc(&oita, "N08", "母子保健", "産後ケア事業の申請", true, 2025);
	const char *items[][2] = { { "オンライン申請", "オンライン申請" }, { "承認通知の電子化", "承認通知の電子化" },
	                           { "利用実績のシステム管理", "利用実績のシステム管理（7回上限の管理を含む）" } };
	for (int i = 0; i < 3; i++)
		kdx_master_add_item(&oita, items[i][0], items[i][1]);

	kdx_master_add_muni(&wide, "122033", "田宮市", "田宮");
	kdx_master_add_muni(&wide, "012203", "峰田市", "峰田");
	kdx_master_add_muni(&wide, "132063", "府中市", "府中");
	kdx_master_add_muni(&wide, "342076", "府中市", "府中");
	kdx_master_done(&wide);
	wide.pref_name = kdx_strdup("全国");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kdx_master_free(&oita);
	kdx_master_free(&wide);
	return 0;
}

static const kdx_col_def *col(kdx_ds ds, const char *name)
{
	for (int i = 0; i < kdx_datasets[ds].ncols; i++)
		if (!strcmp(kdx_datasets[ds].cols[i].name, name))
			return &kdx_datasets[ds].cols[i];
	fail_msg("no column %s", name);
	return NULL;
}

struct check {
	kdx_validator_ctx vc;
	kdx_cell_value out;
	kdx_cell_problem why;
};

/* Validate v in column cd of master m; returns the code (why filled on failure). */
static kdx_problem_code run(struct check *c, const kdx_master *m, const kdx_col_def *cd, const char *v)
{
	kdx_cell_problem_clear(&c->why);
	c->vc.master = m;
	return kdx_validate_cell(&c->vc, cd, v, v, &c->out, &c->why);
}

static void ok(struct check *c, const kdx_master *m, const kdx_col_def *cd, const char *v, const char *want)
{
	kdx_problem_code pc = run(c, m, cd, v);
	if (pc != KDX_P_NONE)
		fail_msg("%s: \"%s\" rejected: %s", cd->name, v, c->why.msg);
	if (want)
		assert_string_equal(c->out.text, want);
}

static void rejects(struct check *c, const kdx_master *m, const kdx_col_def *cd, const char *v, kdx_problem_code code,
                    const char *msg, const char *fix)
{
	kdx_problem_code pc = run(c, m, cd, v);
	if (pc != code)
		fail_msg("%s: \"%s\" gave %s, want %s", cd->name, v, kdx_problem_code_name(pc), kdx_problem_code_name(code));
	assert_int_equal(c->why.code, code);
	assert_string_equal(c->why.msg, msg);
	if (fix)
		assert_string_equal(c->why.fix, fix);
}

static void done(struct check *c)
{
	kdx_cell_problem_clear(&c->why);
}

static void every_kind_has_a_validator(void **state)
{
	(void)state;
	for (int k = 0; k < KDX_COL_KIND_COUNT; k++)
		assert_non_null(kdx_validators[k]);
}

static void dates(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *cd = col(KDX_DS_NURSERY, "調査基準日");
	ok(&c, &oita, cd, "2025-04-01", "2025-04-01");
	ok(&c, &oita, cd, "2025-04-01", "2025-04-01");  /* the second time from the cache */
	assert_int_equal(c.out.date.y, 2025);
	ok(&c, &oita, cd, "令和7年4月1日", "2025-04-01");
	ok(&c, &oita, cd, "R7.10.1", "2025-10-01");
	ok(&c, &oita, cd, "2025/4/1", "2025-04-01");
	rejects(&c, &oita, cd, "2025-02-30", KDX_P_DATE_NONEXISTENT, "存在しない日付です。",
	        "正しい日付（例: 2025-04-01 または 令和7年4月1日）を入力してください。");
	rejects(&c, &oita, cd, "H31.5.1", KDX_P_DATE_ERA_RANGE, "元号の範囲外の日付です。",
	        "元号と年の組み合わせを確認してください（平成31年4月30日の翌日が令和元年5月1日）。");
	rejects(&c, &oita, cd, "来月", KDX_P_DATE_INVALID, "日付として読めません。",
	        "2025-04-01、2025/4/1、令和7年4月1日、R7.4.1 のいずれかの形で入力してください。");
	done(&c);
}

static void municipality_codes(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *cd = col(KDX_DS_NURSERY, "市町村コード");
	ok(&c, &oita, cd, "442011", NULL);
	assert_string_equal(c.out.muni->name, "大分市");
	ok(&c, &oita, cd, "442011", NULL);  /* cached */
	assert_string_equal(c.out.muni->code, "442011");
	ok(&c, &oita, cd, "44202", NULL);   /* without its check digit */
	assert_string_equal(c.out.muni->name, "別府市");
	rejects(&c, &oita, cd, "442012", KDX_P_MUNI_CHECK_DIGIT, "市町村コードの検査数字が一致しません（正しくは 442011）。",
	        "6 桁目（検査数字）を確認してください。");
	rejects(&c, &oita, cd, "44-2011", KDX_P_MUNI_CODE_SYNTAX, "市町村コードの形式が正しくありません。",
	        "6 桁（または 5 桁）の全国地方公共団体コードを入力してください（例: 442011）。");
	rejects(&c, &oita, cd, "131016", KDX_P_MUNI_NOT_IN_COUNCIL, "市町村コード 131016 は大分県の市町村ではありません。",
	        "この協議会の市町村のコードを入力してください。");
	/* 12203: 122033 without its check digit, or 012203 without its leading zero */
	assert_int_equal(kdx_muni_check_digit("12203"), 3);
	rejects(&c, &wide, cd, "12203", KDX_P_MUNI_CODE_AMBIGUOUS,
	        "市町村コード「12203」は 122033（田宮市）とも 012203（峰田市）とも読めます。",
	        "市町村コードを 6 桁（検査数字を含む）で入力してください。");
	done(&c);
}

static void padded_code_alone_is_taken(void **state)
{
	(void)state;
	kdx_master m = { 0 };
	kdx_master_add_muni(&m, "012203", "峰田市", "峰田");
	kdx_master_done(&m);
	m.pref_name = kdx_strdup("北海道");
	struct check c = { 0 };
	ok(&c, &m, col(KDX_DS_NURSERY, "市町村コード"), "12203", NULL);
	assert_string_equal(c.out.muni->code, "012203");
	done(&c);
	kdx_master_free(&m);
}

static void municipality_names(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *cd = col(KDX_DS_NURSERY, "市町村名");
	ok(&c, &oita, cd, "大分市", NULL);
	assert_string_equal(c.out.muni->code, "442011");
	ok(&c, &oita, cd, "別府", NULL);
	assert_string_equal(c.out.muni->code, "442020");
	rejects(&c, &oita, cd, "東京市", KDX_P_MUNI_NAME_UNKNOWN, "市町村名「東京市」は大分県の市町村にありません。",
	        "正式な市町村名（例: 大分市）を入力するか、市町村コードを入力してください。");
	rejects(&c, &wide, cd, "府中市", KDX_P_MUNI_NAME_AMBIGUOUS, "市町村名「府中市」は全国内で複数の市町村に当てはまります。",
	        "市町村コードを入力してください。");
	done(&c);
}

static void ids_names_and_text(void **state)
{
	(void)state;
	struct check c = { 0 };
	ok(&c, &oita, col(KDX_DS_NURSERY, "施設番号"), "44201-001", "44201-001");
	ok(&c, &oita, col(KDX_DS_NURSERY, "施設名"), "大分中央保育所", "大分中央保育所");
	rejects(&c, &oita, col(KDX_DS_NURSERY, "施設名"), "12", KDX_P_NAME_NUMERIC, "「施設名」が数値になっています。",
	        "名称を文字で入力してください（番号は番号の列へ）。");
	rejects(&c, &oita, col(KDX_DS_CLUBS, "クラブ名"), "3.5", KDX_P_NAME_NUMERIC, "「クラブ名」が数値になっています。", NULL);
	/* free text is loaded as written, not normalised */
	kdx_cell_value out;
	kdx_cell_problem why = { 0 };
	kdx_validator_ctx vc = { .master = &oita };
	assert_int_equal(kdx_validate_cell(&vc, col(KDX_DS_NURSERY, "その他の内容"), "ABC", "ＡＢＣ", &out, &why), KDX_P_NONE);
	assert_string_equal(out.text, "ＡＢＣ");
	done(&c);
}

static void enumerations(void **state)
{
	(void)state;
	struct check c = { 0 };
	ok(&c, &oita, col(KDX_DS_NURSERY, "設置主体"), "公立", "公立");
	rejects(&c, &oita, col(KDX_DS_NURSERY, "設置主体"), "国立", KDX_P_ENUM_INVALID, "「設置主体」の値が正しくありません。",
	        "次のいずれかを入力してください: 公立、私立。");
	ok(&c, &oita, col(KDX_DS_PROCEDURES, "状況"), "電子化済", "電子化済");
	rejects(&c, &oita, col(KDX_DS_PROCEDURES, "状況"), "完了", KDX_P_ENUM_INVALID, "「状況」の値が正しくありません。",
	        "次のいずれかを入力してください: 電子化済、準備中、未着手、所掌外。");
	/* a near miss gets the value it most likely meant */
	rejects(&c, &oita, col(KDX_DS_PROCEDURES, "状況"), "済", KDX_P_ENUM_INVALID, "「状況」の値が正しくありません。",
	        "「電子化済」のことであれば、そのとおりに入力してください。次のいずれかを入力してください: 電子化済、準備中、未着手、所掌外。");
	rejects(&c, &oita, col(KDX_DS_PROCEDURES, "状況"), "準備", KDX_P_ENUM_INVALID, "「状況」の値が正しくありません。",
	        "「準備中」のことであれば、そのとおりに入力してください。次のいずれかを入力してください: 電子化済、準備中、未着手、所掌外。");
	ok(&c, &oita, col(KDX_DS_CLUBS, "運営形態"), "民立", "民立");
	done(&c);
}

static void flags(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *f = col(KDX_DS_NURSERY, "保護者連絡");
	ok(&c, &oita, f, "○", "t");
	ok(&c, &oita, f, "×", "f");
	ok(&c, &oita, f, "有", "t");
	rejects(&c, &oita, f, "maybe", KDX_P_FLAG_INVALID, "「保護者連絡」の値が正しくありません。", kdx_flag_hint());
	const kdx_col_def *closing = col(KDX_DS_NURSERY, "統廃合予定");
	ok(&c, &oita, closing, "予定", "t");
	rejects(&c, &oita, closing, "未定", KDX_P_FLAG_INVALID, "「統廃合予定」の値が正しくありません。",
	        "統廃合の予定がある場合は「予定」、ない場合は空欄にしてください。");
	const kdx_col_def *setting = col(KDX_DS_SETTINGS, "保育所特別な事情");
	ok(&c, &oita, setting, "有", "t");
	ok(&c, &oita, setting, "無", "f");
	rejects(&c, &oita, setting, "たぶん", KDX_P_FLAG_INVALID, "「保育所特別な事情」の値が正しくありません。",
	        "有 または 無 を入力してください。");
	done(&c);
}

static void fiscal_years_and_months(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *fy = col(KDX_DS_PROCEDURES, "予定年度");
	ok(&c, &oita, fy, "2027", "2027");
	ok(&c, &oita, fy, "R9", "2027");
	ok(&c, &oita, fy, "令和9年度", "2027");
	rejects(&c, &oita, fy, "来年", KDX_P_FY_INVALID, "「予定年度」を年度として読めません。",
	        "年度を 2027、R9 または 令和9年度 の形で入力してください。");
	const kdx_col_def *ym = col(KDX_DS_PROCEDURES, "電子化年月");
	ok(&c, &oita, ym, "2025-04", "2025-04");
	ok(&c, &oita, ym, "2025/4", "2025-04");
	ok(&c, &oita, ym, "令和7年4月", "2025-04");
	ok(&c, &oita, ym, "R7.4", "2025-04");
	ok(&c, &oita, ym, "2025-04-15", "2025-04");
	rejects(&c, &oita, ym, "そのうち", KDX_P_YM_INVALID, "「電子化年月」を年月として読めません。",
	        "年月を 2025-04 または 令和7年4月 の形で入力してください。");
	done(&c);
}

static void facility_types(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *t = col(KDX_DS_NURSERY, "施設種別");
	ok(&c, &oita, t, "保育所", "保育所");
	assert_string_equal(c.out.group, "保育所");
	ok(&c, &oita, t, "保育所", "保育所");  /* cached */
	assert_string_equal(c.out.group, "保育所");
	ok(&c, &oita, t, "小規模保育事業所", "小規模保育事業所");
	assert_string_equal(c.out.group, "地域型保育事業");
	ok(&c, &oita, t, "企業主導型保育事業", NULL);
	assert_string_equal(c.out.group, "対象外施設");
	rejects(&c, &oita, t, "保育園X", KDX_P_FACILITY_TYPE_UNKNOWN, "施設種別「保育園X」は対象の種別にありません。", NULL);
	assert_non_null(strstr(c.why.fix, "次のいずれかを入力してください: "));
	done(&c);
}

static void procedures(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *id = col(KDX_DS_PROCEDURES, "手続番号");
	ok(&c, &oita, id, "N08", "N08");
	assert_int_equal(c.out.index, 2);
	ok(&c, &oita, id, "n08", "N08");
	rejects(&c, &oita, id, "N19", KDX_P_PROC_UNKNOWN, "手続番号「N19」はありません。",
	        "K01〜K15 または N01〜N18 の手続番号を入力してください。");
	const kdx_col_def *name = col(KDX_DS_PROCEDURES, "手続名");
	ok(&c, &oita, name, "産後ケア事業の申請", "N08");
	ok(&c, &oita, name, "児童扶養手当現況届", "K12");
	rejects(&c, &oita, name, "現況届", KDX_P_PROC_NAME_AMBIGUOUS, "手続名「現況届」は複数の手続に当てはまります。",
	        "分類を付けた名称（例: 児童扶養手当 現況届）か手続番号を入力してください。");
	rejects(&c, &oita, name, "転入届", KDX_P_PROC_NAME_UNKNOWN, "手続名「転入届」は対象の手続にありません。",
	        "手続番号（K01〜N18）を入力してください。");
	done(&c);
}

static void platforms_and_items(void **state)
{
	(void)state;
	struct check c = { 0 };
	const kdx_col_def *pf = col(KDX_DS_PLATFORMS, "基盤");
	ok(&c, &oita, pf, "PMH医療費助成", "PMH医療費助成");
	assert_int_equal(c.out.index, 2);
	rejects(&c, &oita, pf, "電子申請PF", KDX_P_PLATFORM_UNKNOWN, "基盤「電子申請PF」は対象の基盤にありません。",
	        "次のいずれかを入力してください: 保育業務施設管理PF、保活情報連携基盤、PMH医療費助成、PMH予防接種、PMH母子保健。");
	const kdx_col_def *item = col(KDX_DS_POSTPARTUM, "項目");
	ok(&c, &oita, item, "オンライン申請", "オンライン申請");
	assert_int_equal(c.out.index, 0);
	ok(&c, &oita, item, "利用実績のシステム管理（7回上限の管理を含む）", "利用実績のシステム管理");
	assert_int_equal(c.out.index, 2);
	rejects(&c, &oita, item, "里帰り支援", KDX_P_ITEM_UNKNOWN, "項目「里帰り支援」は産後ケアDXの項目にありません。",
	        "次のいずれかを入力してください: オンライン申請、承認通知の電子化、利用実績のシステム管理。");
	done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_has_a_validator),
		cmocka_unit_test(dates),
		cmocka_unit_test(municipality_codes),
		cmocka_unit_test(padded_code_alone_is_taken),
		cmocka_unit_test(municipality_names),
		cmocka_unit_test(ids_names_and_text),
		cmocka_unit_test(enumerations),
		cmocka_unit_test(flags),
		cmocka_unit_test(fiscal_years_and_months),
		cmocka_unit_test(facility_types),
		cmocka_unit_test(procedures),
		cmocka_unit_test(platforms_and_items),
	};
	return cmocka_run_group_tests_name("validate", tests, setup, teardown);
}
