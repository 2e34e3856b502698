/* test_problem.c - the located-problem model: codes, places, values, and both renderers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/problem.h"
#include "kdx/reject.h"

/* Every code has a distinct E_ name: the table stays in step with the enum. */
static void every_code_has_a_distinct_name(void **state)
{
	(void)state;
	for (int i = 0; i < KDX_P_CODE_COUNT; i++) {
		const char *n = kdx_problem_code_name((kdx_problem_code)i);
		assert_non_null(n);
		assert_string_not_equal(n, "E_UNKNOWN");
		assert_int_equal(strncmp(n, "E_", 2), 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, kdx_problem_code_name((kdx_problem_code)j));
	}
	assert_string_equal(kdx_problem_code_name(KDX_P_DATE_INVALID), "E_DATE_INVALID");
	assert_string_equal(kdx_problem_code_name((kdx_problem_code)9999), "E_UNKNOWN");
}

/* Where, as the submitter sees it: a CSV line and column, a workbook cell, a sheet, the file. */
static void places_as_the_submitter_sees_them(void **state)
{
	(void)state;
	kdx_problems ps = { 0 };
	char *names[] = { "調査基準日", "状況" };
	ps.colnames = names;
	ps.ncolnames = 2;
	kdx_problems_at(&ps, KDX_P_ENUM_INVALID, 12, 1, "完了", "「状況」の値が正しくありません。", "直してください。");
	kdx_problems_at(&ps, KDX_P_COLUMN_MISSING, 1, -1, NULL, "必須の列がありません。", "追加してください。");
	kdx_problems_at(&ps, KDX_P_FILE_EMPTY, 0, -1, NULL, "ファイルが空です。", "提出してください。");
	ps.sheet = "手続電子化";
	ps.cells = true;
	kdx_problems_at(&ps, KDX_P_ENUM_INVALID, 7, 3, "x", "m", "f");
	kdx_problems_at(&ps, KDX_P_SHEET_NO_HEADER, 0, -1, NULL, "m", "f");
	const char *want[] = { "12行目「状況」列", "1行目", "ファイル全体", "手続電子化!D7", "シート「手続電子化」" };
	assert_int_equal(ps.n, 5);
	for (int i = 0; i < ps.n; i++) {
		char *w = kdx_problem_where(&ps.v[i]);
		assert_string_equal(w, want[i]);
		free(w);
	}
	assert_string_equal(ps.v[3].sheet, "手続電子化");
	assert_null(ps.v[0].sheet);
	kdx_problems_free(&ps);
}

/* Values are cut at about 100 bytes on a character boundary; a byte offset shows as the value. */
static void values_are_cut_on_a_character_boundary(void **state)
{
	(void)state;
	char big[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(big, "あ"); /* 180 bytes */
	kdx_problems ps = { 0 };
	kdx_problem *p = kdx_problems_at(&ps, KDX_P_NAME_NUMERIC, 2, -1, big, "m", "f");
	size_t n = strlen(p->value);
	assert_true(n <= KDX_PROBLEM_VALUE_MAX + 3);
	assert_string_equal(p->value + n - 3, "...");
	assert_int_equal((n - 3) % 3, 0); /* whole characters */
	assert_int_equal(strncmp(p->value, big, n - 3), 0);
	kdx_problem q = { .offset = 168 };
	char *v = kdx_problem_shown_value(&q);
	assert_string_equal(v, "168 バイト目");
	free(v);
	kdx_problems_free(&ps);
}

/* The operator's renderer: English primary, the Japanese problems as detail, the report as hint. */
static void operator_and_submitter_renderers(void **state)
{
	(void)state;
	kdx_problems ps = { 0 };
	char *names[] = { "状況" };
	ps.colnames = names;
	ps.ncolnames = 1;
	for (int i = 0; i < 22; i++)
		kdx_problems_atf(&ps, i == 0 ? KDX_P_ENUM_INVALID : KDX_P_VALUE_BLANK, i + 2, 0, i == 0 ? "完了" : NULL,
		                 "直してください。", "問題 %d", i + 1);
	kdx_problems_note(&ps, "列「備考欄」は無視しました");
	kdx_error *e = kdx_problems_error(&ps, "a.csv", "/r/a.csv.reject.txt");
	assert_string_equal(e->primary, "file \"a.csv\" rejected: 22 problems, nothing loaded");
	assert_non_null(strstr(e->detail, "a.csv: 2行目「状況」列 値「完了」: 問題 1\n"));
	assert_non_null(strstr(e->detail, "\n... and 2 more"));
	assert_null(strstr(e->detail, "問題 21"));
	assert_string_equal(e->hint, "The reject report for the submitter is /r/a.csv.reject.txt (and .csv).");
	kdx_error_free(e);

	kdx_buf t = { 0 }, c = { 0 };
	kdx_reject_text(&t, &ps, "a.csv", "abc");
	assert_non_null(strstr(t.data, "1. 2行目「状況」列  値「完了」\n   問題: 問題 1\n   修正方法: 直してください。\n"));
	assert_non_null(strstr(t.data, "- 列「備考欄」は無視しました\n"));
	/* the count by code ends the text report */
	const char *tail = "問題の種類別の件数（コード）:\n- E_VALUE_BLANK: 21 件\n- E_ENUM_INVALID: 1 件\n";
	assert_true(t.len > strlen(tail));
	assert_string_equal(t.data + t.len - strlen(tail), tail);
	kdx_reject_csv(&c, &ps, "a.csv");
	assert_int_equal(strncmp(c.data, "番号,ファイル,シート,行,列,セル,値,問題,修正方法,コード\r\n", strlen("番号,ファイル,シート,行,列,セル,値,問題,修正方法,コード\r\n")), 0);
	assert_non_null(strstr(c.data, "1,a.csv,,2,状況,,完了,問題 1,直してください。,E_ENUM_INVALID\r\n"));
	kdx_buf_free(&t);
	kdx_buf_free(&c);
	kdx_problems_free(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_a_distinct_name),
		cmocka_unit_test(places_as_the_submitter_sees_them),
		cmocka_unit_test(values_are_cut_on_a_character_boundary),
		cmocka_unit_test(operator_and_submitter_renderers),
	};
	return cmocka_run_group_tests_name("problem", tests, NULL, NULL);
}
