/* test_error.c - the status table stays in step with the enum; errors print PostgreSQL-style. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/error.h"
#include "kdx/problem.h"

static void every_status_has_a_name_and_exit_code(void **state)
{
	(void)state;
	for (int s = 0; s < KDX_STATUS_COUNT; s++) {
		assert_non_null(kdx_status_str((kdx_status)s));
		assert_string_not_equal(kdx_status_str((kdx_status)s), "unknown status");
	}
	/* SPEC §7 */
	assert_int_equal(kdx_status_exit(KDX_OK), 0);
	assert_int_equal(kdx_status_exit(KDX_EUSAGE), 64);
	assert_int_equal(kdx_status_exit(KDX_EDATA), 65);
	assert_int_equal(kdx_status_exit(KDX_EUNAVAILABLE), 69);
	assert_int_equal(kdx_status_exit(KDX_EIO), 74);
	assert_int_equal(kdx_status_exit(KDX_ELOCKED), 75);
	assert_int_equal(kdx_status_exit(KDX_ECONFIG), 78);
	assert_string_equal(kdx_status_str(KDX_ECONFIG), "configuration refused");
	assert_string_equal(kdx_status_str((kdx_status)999), "unknown status");
}

static char *print_to_string(const kdx_error *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	kdx_error_print(fp, "kdx", e);
	fclose(fp);
	return buf;
}

static void prints_primary_detail_hint(void **state)
{
	(void)state;
	kdx_error *e = kdx_error_new(KDX_EDATA, "invalid value for column \"%s\"", "状況");
	kdx_error_detail(e, "The value is not one of the allowed values.");
	kdx_error_hint(e, "Use 電子化済, 準備中, 未着手 or 所掌外.");
	char *s = print_to_string(e);
	assert_string_equal(s,
		"kdx: error: invalid value for column \"状況\"\n"
		"detail: The value is not one of the allowed values.\n"
		"hint: Use 電子化済, 準備中, 未着手 or 所掌外.\n");
	free(s);
	kdx_error_free(e);

	e = kdx_error_new(KDX_EUNAVAILABLE, "could not connect");
	s = print_to_string(e);
	assert_string_equal(s, "kdx: error: could not connect\n");
	free(s);
	kdx_error_free(e);
	kdx_error_free(NULL);
}

/* A reader's data error alone prints the submitter's problem as detail and hint. */
static void a_readers_problem_is_the_detail(void **state)
{
	(void)state;
	kdx_error *e = kdx_error_new(KDX_EDATA, "malformed CSV at line %d", 3);
	kdx_problem *p = kdx_error_attach(&e, KDX_P_CSV_MALFORMED, "引用符を確認してください。", "%d 行目の形式が正しくありません。", 3);
	assert_non_null(p);
	p->row = 3;
	char *s = print_to_string(e);
	assert_string_equal(s,
		"kdx: error: malformed CSV at line 3\n"
		"detail: 3行目: 3 行目の形式が正しくありません。\n"
		"hint: 引用符を確認してください。\n");
	free(s);
	kdx_error_free(e);
	assert_null(kdx_error_attach(NULL, KDX_P_CSV_MALFORMED, "x", "y"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_status_has_a_name_and_exit_code),
		cmocka_unit_test(prints_primary_detail_hint),
		cmocka_unit_test(a_readers_problem_is_the_detail),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
