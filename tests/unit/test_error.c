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
	kdx_error_where(e, "a.csv", NULL, 7, "状況");
	kdx_error_value(e, "済み");
	char *s = print_to_string(e);
	assert_string_equal(s,
		"kdx: error: a.csv, line 7, column \"状況\": \"済み\": invalid value for column \"状況\"\n"
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

static void long_values_are_cut_on_a_character_boundary(void **state)
{
	(void)state;
	char big[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(big, "あ"); /* 180 bytes */
	kdx_error *e = kdx_error_new(KDX_EDATA, "x");
	kdx_error_value(e, big);
	size_t n = strlen(e->value);
	assert_true(n <= 103);
	assert_string_equal(e->value + n - 3, "...");
	assert_int_equal((n - 3) % 3, 0); /* whole characters */
	kdx_error_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_status_has_a_name_and_exit_code),
		cmocka_unit_test(prints_primary_detail_hint),
		cmocka_unit_test(long_values_are_cut_on_a_character_boundary),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
