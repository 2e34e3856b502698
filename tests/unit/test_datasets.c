/* test_datasets.c - value vocabularies of the data contract (SPEC §2 and §4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "kdx/datasets.h"

/* 施設種別 accepted and their scope groups, as SPEC §2 lists them */
static void facility_groups(void **state)
{
	(void)state;
	struct { const char *key, *want; } cases[] = {
		{ "保育所", "保育所" },
		{ "認定こども園", "認定こども園" },
		{ "幼保連携型認定こども園", "認定こども園" },
		{ "保育所型", "認定こども園" },
		{ "認定こども園(幼稚園型)", "認定こども園" },
		{ "地方裁量型認定こども園", "認定こども園" },
		{ "地域型保育事業", "地域型保育事業" },
		{ "小規模保育事業所", "地域型保育事業" },
		{ "家庭的保育事業", "地域型保育事業" },
		{ "地域型保育事業所(事業所内保育事業)", "地域型保育事業" },
		{ "居宅訪問型保育事業所", "地域型保育事業" },
		{ "認可外保育施設", "対象外施設" },
		{ "企業主導型保育事業", "対象外施設" },
		{ "幼稚園", "対象外施設" },
		{ "保育園", NULL },
		{ "認定こども園(保育所型", NULL },
		{ "小規模保育事業所所", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = kdx_facility_group(cases[i].key);
		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(facility_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
