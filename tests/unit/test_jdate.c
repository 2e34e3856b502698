/* test_jdate.c - dates, eras, fiscal years. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/jdate.h"

static void expect(const char *in, int y, int m, int d)
{
	kdx_date r = { 0, 0, 0 };
	kdx_date_result res = kdx_date_parse(in, &r);
	if (res != KDX_DATE_OK || r.y != y || r.m != m || r.d != d)
		fail_msg("parse(\"%s\") = %d -> %d-%d-%d, want %d-%d-%d", in, res, r.y, r.m, r.d, y, m, d);
}

static void accepted_forms(void **state)
{
	(void)state;
	expect("2025-04-01", 2025, 4, 1);
	expect("2025/4/1", 2025, 4, 1);
	expect("2025.04.01", 2025, 4, 1);
	expect("2025年4月1日", 2025, 4, 1);
	expect("令和7年4月1日", 2025, 4, 1);
	expect("R7.4.1", 2025, 4, 1);
	expect("R7/4/1", 2025, 4, 1);
	expect("r07.04.01", 2025, 4, 1);
	expect("H31.4.30", 2019, 4, 30);
	expect("令和元年5月1日", 2019, 5, 1);
	expect("平成元年1月8日", 1989, 1, 8);
	expect("45748", 2025, 4, 1);  /* Excel serial */
}

static void era_edges(void **state)
{
	(void)state;
	kdx_date d;
	char buf[64];
	/* 2019-04-30 is 平成31年, 2019-05-01 is 令和元年 */
	kdx_date_wareki((kdx_date){ 2019, 4, 30 }, buf, sizeof buf);
	assert_string_equal(buf, "平成31年4月30日");
	kdx_date_wareki((kdx_date){ 2019, 5, 1 }, buf, sizeof buf);
	assert_string_equal(buf, "令和元年5月1日");
	kdx_date_wareki((kdx_date){ 2025, 4, 1 }, buf, sizeof buf);
	assert_string_equal(buf, "令和7年4月1日");
	/* a date outside its era is refused, not silently moved */
	assert_int_equal(kdx_date_parse("H31.5.1", &d), KDX_DATE_ERA_RANGE);
	assert_int_equal(kdx_date_parse("R1.4.30", &d), KDX_DATE_ERA_RANGE);
	assert_int_equal(kdx_date_parse("令和0年5月1日", &d), KDX_DATE_ERA_RANGE);
}

static void invalid_dates(void **state)
{
	(void)state;
	kdx_date d;
	assert_int_equal(kdx_date_parse("2025-02-29", &d), KDX_DATE_NONEXISTENT);
	assert_int_equal(kdx_date_parse("2024-02-29", &d), KDX_DATE_OK);
	assert_int_equal(kdx_date_parse("2025-04-31", &d), KDX_DATE_NONEXISTENT);
	assert_int_equal(kdx_date_parse("2025-13-01", &d), KDX_DATE_NONEXISTENT);
	assert_int_equal(kdx_date_parse("R7.2.30", &d), KDX_DATE_NONEXISTENT);
	assert_int_equal(kdx_date_parse("", &d), KDX_DATE_SYNTAX);
	assert_int_equal(kdx_date_parse("2025-4", &d), KDX_DATE_SYNTAX);
	assert_int_equal(kdx_date_parse("2025/04-01", &d), KDX_DATE_SYNTAX);
	assert_int_equal(kdx_date_parse("令和7年4月", &d), KDX_DATE_SYNTAX);
	assert_int_equal(kdx_date_parse("yesterday", &d), KDX_DATE_SYNTAX);
	assert_int_equal(kdx_date_parse("2025-04-01x", &d), KDX_DATE_SYNTAX);
}

static void fiscal_years(void **state)
{
	(void)state;
	/* 2027-03-31 is in FY R8, 2027-04-01 in FY R9 */
	assert_int_equal(kdx_fiscal_year((kdx_date){ 2027, 3, 31 }), 2026);
	assert_int_equal(kdx_fiscal_year((kdx_date){ 2027, 4, 1 }), 2027);
	assert_int_equal(kdx_fy_reiwa(2026), 8);
	kdx_date end = kdx_fiscal_year_end(2026);
	assert_int_equal(end.y, 2027);
	assert_int_equal(end.m, 3);
	assert_int_equal(end.d, 31);
	char buf[32];
	kdx_fy_wareki(2026, buf, sizeof buf);
	assert_string_equal(buf, "令和8年度");
	kdx_fy_wareki(2019, buf, sizeof buf);
	assert_string_equal(buf, "令和元年度");
	int fy;
	assert_true(kdx_fy_parse("R8", &fy) && fy == 2026);
	assert_true(kdx_fy_parse("令和9年度", &fy) && fy == 2027);
	assert_true(kdx_fy_parse("2027", &fy) && fy == 2027);
	assert_true(kdx_fy_parse("2028年度", &fy) && fy == 2028);
	assert_false(kdx_fy_parse("来年", &fy));
	assert_false(kdx_fy_parse("27", &fy));
}

static void serials(void **state)
{
	(void)state;
	kdx_date d;
	assert_true(kdx_date_from_serial(1, false, &d));
	assert_true(d.y == 1900 && d.m == 1 && d.d == 1);
	assert_true(kdx_date_from_serial(59, false, &d));
	assert_true(d.y == 1900 && d.m == 2 && d.d == 28);
	assert_false(kdx_date_from_serial(60, false, &d)); /* Excel's 1900-02-29 */
	assert_true(kdx_date_from_serial(61, false, &d));
	assert_true(d.y == 1900 && d.m == 3 && d.d == 1);
	assert_true(kdx_date_from_serial(46112, false, &d));
	assert_true(d.y == 2026 && d.m == 3 && d.d == 31);
	assert_true(kdx_date_from_serial(0, true, &d));
	assert_true(d.y == 1904 && d.m == 1 && d.d == 1);
	/* days round-trip across a century */
	for (long days = -800; days < 40000; days += 97) {
		kdx_date x = kdx_date_from_days(days);
		assert_int_equal(kdx_date_to_days(x), days);
		assert_true(kdx_date_exists(x.y, x.m, x.d));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_forms),
		cmocka_unit_test(era_edges),
		cmocka_unit_test(invalid_dates),
		cmocka_unit_test(fiscal_years),
		cmocka_unit_test(serials),
	};
	return cmocka_run_group_tests_name("jdate", tests, NULL, NULL);
}
