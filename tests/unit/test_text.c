/* test_text.c - normalisation, widths and decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kdx/text.h"
#include "kdx/reader.h"

static void nfkc_and_trim(void **state)
{
	(void)state;
	struct { const char *in, *want; } cases[] = {
		{ "  ４４２０１１　", "442011" },       /* full-width digits, ideographic space */
		{ "ﾐﾄﾞﾘ保育所", "ミドリ保育所" },       /* half-width kana */
		{ "２０２５／４／１", "2025/4/1" },
		{ "R7.4.1", "R7.4.1" },                 /* ASCII stays as it is */
		{ "  abc  ", "abc" },
		{ "", "" },
		{ "①", "1" },
		{ "㈱大分", "(株)大分" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *n = kdx_text_norm(cases[i].in);
		assert_string_equal(n, cases[i].want);
		free(n);
	}
	char *k = kdx_text_key(" 調査 基準日 ");
	assert_string_equal(k, "調査基準日");
	free(k);
	assert_null(kdx_text_norm(NULL));
}

static void widths(void **state)
{
	(void)state;
	assert_int_equal(kdx_text_width("豊後高田市"), 10);
	assert_int_equal(kdx_text_width("abc"), 3);
	assert_int_equal(kdx_text_width("80%"), 3);
}

static void decode_cp932_and_report_the_offset(void **state)
{
	(void)state;
	/* "髙①" in CP932: NEC/IBM extensions that strict Shift_JIS loses */
	const char cp[] = "\xfb\xfc\x87\x40";
	char *out = NULL;
	size_t len = 0;
	kdx_encoding used;
	kdx_error *err = NULL;
	assert_int_equal(kdx_decode(cp, 4, KDX_ENC_AUTO, &out, &len, &used, &err), KDX_OK);
	assert_int_equal(used, KDX_ENC_CP932);
	assert_string_equal(out, "髙①");
	free(out);
	/* a BOM means UTF-8, and is dropped */
	assert_int_equal(kdx_decode("\xEF\xBB\xBF" "a,b", 6, KDX_ENC_AUTO, &out, &len, &used, &err), KDX_OK);
	assert_int_equal(used, KDX_ENC_UTF8_BOM);
	assert_string_equal(out, "a,b");
	free(out);
	/* invalid in both: the offset of the bad byte and the bytes around it */
	const char bad[] = "abc\n\x82\xff" "def";
	assert_int_equal(kdx_decode(bad, 9, KDX_ENC_AUTO, &out, &len, &used, &err), KDX_EDATA);
	assert_int_equal(err->offset, 4);
	assert_int_equal(err->row, 2);
	assert_non_null(strstr(err->detail, "[82]"));
	kdx_error_free(err);
}

struct rows { int n; long lines[8]; char first[8][32]; };

static int collect(void *ctx, const kdx_row *row)
{
	struct rows *r = ctx;
	if (r->n < 8) {
		r->lines[r->n] = row->rowno;
		snprintf(r->first[r->n], 32, "%s", row->ncells && row->cells[0] ? row->cells[0] : "");
	}
	r->n++;
	return 0;
}

static void csv_lines_and_quotes(void **state)
{
	(void)state;
	const char *text = "a,b\r\n\"multi\nline\",x\r\n\r\n\"q\"\"uote\",y\nlast,z";
	struct rows r = { 0 };
	kdx_error *err = NULL;
	assert_int_equal(kdx_csv_read(text, strlen(text), collect, &r, &err), KDX_OK);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.lines[0], 1);
	assert_int_equal(r.lines[1], 2);  /* the record starts on line 2 and ends on 3 */
	assert_string_equal(r.first[1], "multi\nline");
	assert_int_equal(r.lines[2], 5);  /* the blank line 4 is skipped */
	assert_string_equal(r.first[2], "q\"uote");
	assert_int_equal(r.lines[3], 6);
	char ref[16];
	kdx_cell_ref(0, 7, ref, sizeof ref);
	assert_string_equal(ref, "A7");
	kdx_cell_ref(27, 3, ref, sizeof ref);
	assert_string_equal(ref, "AB3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfkc_and_trim),
		cmocka_unit_test(widths),
		cmocka_unit_test(decode_cp932_and_report_the_offset),
		cmocka_unit_test(csv_lines_and_quotes),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
