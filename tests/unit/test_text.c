/* test_text.c - normalisation, widths and decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistr.h>
#include <uninorm.h>
#include "kdx/text.h"
#include "kdx/reader.h"
#include "kdx/buf.h"

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
		{ "ひまわり第1保育園", "ひまわり第1保育園" },
		{ "か\u3099", "が" },                   /* a combining sound mark composes */
		{ "ゟ", "より" },
		{ "ヿ", "コト" },
		{ "ガ", "ガ" },
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

/* Every BMP character, alone and after a kana: kdx's result equals libunistring's NFKC
 * (trimmed), whichever path kdx takes. */
static void nfkc_matches_libunistring(void **state)
{
	(void)state;
	for (uint32_t cp = 0x21; cp < 0x10000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		uint8_t s[16];
		int n = u8_uctomb(s + 3, cp, 4);
		assert_true(n > 0);
		memcpy(s, "\xE3\x81\x8B", 3); /* か */
		for (int lead = 0; lead < 2; lead++) {
			const uint8_t *in = lead ? s : s + 3;
			size_t inlen = (size_t)n + (lead ? 3 : 0);
			size_t outlen = 0;
			uint8_t *want = u8_normalize(UNINORM_NFKC, in, inlen, NULL, &outlen);
			assert_non_null(want);
			char *w = malloc(outlen + 1);
			memcpy(w, want, outlen);
			w[outlen] = '\0';
			char *ws = kdx_text_norm(w); /* trimming only: NFKC is idempotent */
			char *z = malloc(inlen + 1);
			memcpy(z, in, inlen);
			z[inlen] = '\0';
			char *got = kdx_text_norm(z);
			if (strcmp(got, ws) != 0)
				fail_msg("U+%04X (lead %d): got \"%s\", NFKC gives \"%s\"", (unsigned)cp, lead, got, ws);
			free(want);
			free(w);
			free(ws);
			free(z);
			free(got);
		}
	}
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

struct pieces { int n; kdx_csv *csv; };

static int feed(void *ctx, const char *text, size_t len)
{
	struct pieces *p = ctx;
	p->n++;
	kdx_error *err = NULL;
	/* cut every piece again into single bytes: the reader may get text cut anywhere */
	for (size_t i = 0; i < len; i++)
		assert_int_equal(kdx_csv_feed(p->csv, text + i, 1, &err), KDX_OK);
	return 0;
}

/* CP932 decoded in pieces and parsed a byte at a time gives the rows and lines of the whole text */
static void csv_streamed_in_pieces(void **state)
{
	(void)state;
	kdx_buf in = { 0 };
	for (int i = 0; i < 30000; i++)
		kdx_buf_adds(&in, i == 15000 ? "\"\x95\xdb\x88\xe7\n\x8f\x8a\",x\r\n" : "\x91\xe5\x95\xaa,y\r\n"); /* 保育\n所 / 大分 */
	struct rows whole = { 0 }, streamed = { 0 };
	kdx_error *err = NULL;
	char *text = NULL;
	size_t len = 0;
	kdx_encoding used;
	assert_int_equal(kdx_decode(in.data, in.len, KDX_ENC_AUTO, &text, &len, &used, &err), KDX_OK);
	assert_int_equal(used, KDX_ENC_CP932);
	assert_int_equal(kdx_csv_read(text, len, collect, &whole, &err), KDX_OK);
	struct pieces p = { 0, kdx_csv_new(collect, &streamed) };
	assert_int_equal(kdx_decode_stream(in.data, in.len, KDX_ENC_AUTO, &used, feed, &p, &err), KDX_OK);
	assert_int_equal(kdx_csv_finish(p.csv, &err), KDX_OK);
	kdx_csv_free(p.csv);
	assert_true(p.n > 1);
	assert_int_equal(whole.n, 30000);
	assert_int_equal(streamed.n, 30000);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(streamed.lines[i], whole.lines[i]);
		assert_string_equal(streamed.first[i], whole.first[i]);
	}
	assert_string_equal(whole.first[0], "大分");
	/* a bad byte past the first piece: the pieces before it were handed on, and the offset is exact */
	in.data[80000] = '\xff'; /* the first byte of line 10001 */
	struct pieces q = { 0, kdx_csv_new(collect, &streamed) };
	assert_int_equal(kdx_decode_stream(in.data, in.len, KDX_ENC_CP932, &used, feed, &q, &err), KDX_EDATA);
	kdx_csv_free(q.csv);
	assert_true(q.n >= 1);
	assert_int_equal(err->offset, 80000);
	assert_int_equal(err->row, 10001);
	kdx_error_free(err);
	free(text);
	kdx_buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfkc_and_trim),
		cmocka_unit_test(nfkc_matches_libunistring),
		cmocka_unit_test(widths),
		cmocka_unit_test(decode_cp932_and_report_the_offset),
		cmocka_unit_test(csv_lines_and_quotes),
		cmocka_unit_test(csv_streamed_in_pieces),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
