/* test_muni.c - 全国地方公共団体コード check digits (SPEC §3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/muni.h"

/* The 18 codes of SPEC §3, and the prefecture's own. */
static const char *codes[] = {
	"442011", "442020", "442038", "442046", "442054", "442062", "442071", "442089", "442097",
	"442101", "442119", "442127", "442135", "442143", "443221", "443417", "444618", "444626",
	"440001",
};

static void all_listed_codes_are_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		char out[7];
		assert_int_equal(kdx_muni_code_normalise(codes[i], out), KDX_MUNI_OK);
		assert_string_equal(out, codes[i]);
	}
}

static void every_wrong_check_digit_is_rejected(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		for (char d = '0'; d <= '9'; d++) {
			char bad[7], out[7];
			memcpy(bad, codes[i], 7);
			if (bad[5] == d)
				continue;
			bad[5] = d;
			assert_int_equal(kdx_muni_code_normalise(bad, out), KDX_MUNI_CHECKDIGIT);
		}
	}
}

static void five_digits_gain_the_check_digit(void **state)
{
	(void)state;
	char out[7];
	assert_int_equal(kdx_muni_code_normalise("44201", out), KDX_MUNI_OK);
	assert_string_equal(out, "442011");
	assert_int_equal(kdx_muni_code_normalise("44322", out), KDX_MUNI_OK);
	assert_string_equal(out, "443221");
	/* r = 0 gives 1, r = 1 gives 0 (SPEC §3) */
	assert_int_equal(kdx_muni_check_digit("44000"), 1); /* 6*4+5*4 = 44, r = 0 */
	assert_int_equal(kdx_muni_check_digit("10000"), 5); /* r = 6 -> 5 */
	assert_int_equal(kdx_muni_check_digit("00010"), 8); /* 3 -> r = 3 -> 8 */
}

static void malformed_codes_are_syntax_errors(void **state)
{
	(void)state;
	char out[7];
	const char *bad[] = { "", "4420", "4420111", "44201a", "４４２０１１", " 442011", "-44201" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(kdx_muni_code_normalise(bad[i], out), KDX_MUNI_SYNTAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_listed_codes_are_valid),
		cmocka_unit_test(every_wrong_check_digit_is_rejected),
		cmocka_unit_test(five_digits_gain_the_check_digit),
		cmocka_unit_test(malformed_codes_are_syntax_errors),
	};
	return cmocka_run_group_tests_name("muni", tests, NULL, NULL);
}
