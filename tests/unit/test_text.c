/* test_text.c - normalisation, widths and decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <unistd.h>
#include <unistr.h>
#include <uninorm.h>
#include "kdx/text.h"
#include "kdx/reader.h"
#include "kdx/buf.h"
#include "kdx/digest.h"

/* The exhaustive comparisons with libunistring and iconv run in full in the
 * -O2 build without the sanitizers (build/rel/tests/test_text, made with
 * KDX_EXHAUSTIVE; make test and make check run both builds); under the
 * sanitizers, where they would take half a minute, every STRIDE-th case. */
#ifdef KDX_EXHAUSTIVE
#define STRIDE 1
#else
#define STRIDE 97
#endif

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
	for (uint32_t cp = 0x21; cp < 0x10000; cp += STRIDE) {
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
	assert_int_equal(err->problem->offset, 4);
	assert_int_equal(err->problem->row, 2);
	assert_non_null(strstr(err->problem->msg, "[82]"));
	assert_int_equal(err->problem->code, KDX_P_ENCODING);
	kdx_error_free(err);
}



/* UTF-16 with its BOM (Excel's 「Unicode テキスト」): random text of every plane
 * round-trips through iconv's encoder and kdx's decoder, both byte orders. */
static void utf16_with_bom(void **state)
{
	(void)state;
	unsigned seed = 4242;
	for (int be = 0; be < 2; be++) {
		iconv_t cd = iconv_open(be ? "UTF-16BE" : "UTF-16LE", "UTF-8");
		assert_true(cd != (iconv_t)-1);
		for (int t = 0; t < 2000; t++) {
			kdx_buf u8 = { 0 };
			int n = 1 + t % 50;
			for (int i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				unsigned cp = (seed >> 8) % 4 == 0 ? 0x10000 + (seed >> 4) % 0xFFFF : 1 + (seed >> 4) % 0xD7FF;
				uint8_t enc[6];
				int k = u8_uctomb(enc, cp, sizeof enc);
				assert_true(k > 0);
				kdx_buf_add(&u8, enc, (size_t)k);
			}
			char out16[1024];
			out16[0] = be ? '\xFE' : '\xFF';
			out16[1] = be ? '\xFF' : '\xFE';
			char *ip = u8.data, *op = out16 + 2;
			size_t il = u8.len, ol = sizeof out16 - 2;
			assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
			char *got = NULL;
			size_t len = 0;
			kdx_encoding used;
			kdx_error *err = NULL;
			assert_int_equal(kdx_decode(out16, (size_t)(op - out16), KDX_ENC_AUTO, &got, &len, &used, &err), KDX_OK);
			assert_int_equal(used, be ? KDX_ENC_UTF16BE : KDX_ENC_UTF16LE);
			assert_int_equal(len, u8.len);
			assert_memory_equal(got, u8.data, len);
			free(got);
			kdx_buf_free(&u8);
		}
		iconv_close(cd);
	}
	/* a lone low surrogate, and a file cut inside a character */
	char *got = NULL;
	size_t len = 0;
	kdx_encoding used;
	kdx_error *err = NULL;
	assert_int_equal(kdx_decode("\xFF\xFE" "a\0\x00\xDC" "b\0", 8, KDX_ENC_AUTO, &got, &len, &used, &err), KDX_EDATA);
	assert_int_equal(err->problem->code, KDX_P_ENCODING);
	assert_int_equal(err->problem->offset, 4);
	assert_non_null(strstr(err->problem->msg, "UTF-16 として読めません"));
	kdx_error_free(err);
	err = NULL;
	assert_int_equal(kdx_decode("\xFF\xFE" "a\0b", 5, KDX_ENC_AUTO, &got, &len, &used, &err), KDX_EDATA);
	assert_int_equal(err->problem->offset, 4);
	kdx_error_free(err);
}

static void separators_and_cells_for_people(void **state)
{
	(void)state;
	assert_int_equal(kdx_csv_guess_delim("a\tb\tc\n1,2,3,4", 13), '\t');
	assert_int_equal(kdx_csv_guess_delim("a,b\tc\n", 6), ',');
	assert_int_equal(kdx_csv_guess_delim("名前", strlen("名前")), ',');
	/* OWASP's rule for a cell that Excel would take for a formula */
	static const char *const cases[][2] = {
		{ "=1+2", "'=1+2" }, { "+81 3", "'+81 3" }, { "-1+1", "'-1+1" }, { "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" }, { "\rx", "\"'\rx\"" }, { "=A1,B1", "\"'=A1,B1\"" },
		/* kdx's own values stay */
		{ "-", "-" }, { "-5", "-5" }, { "+3.5", "+3.5" }, { "-12%", "-12%" }, { "+5pt", "+5pt" }, { "大分市", "大分市" },
		{ "a=b", "a=b" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kdx_buf b = { 0 };
		kdx_buf_csv_cell(&b, cases[i][0]);
		kdx_buf_reserve(&b, 0);
		assert_string_equal(b.data, cases[i][1]);
		kdx_buf_free(&b);
	}
}

/* What kdx's CP932 decoding must give: iconv's conversion of the text before
 * the first NUL byte (a NUL is never text), and the offset where either stops. */
static int iconv_reference(iconv_t cd, const unsigned char *s, size_t n, kdx_buf *out, size_t *bad)
{
	const unsigned char *nul = memchr(s, 0, n);
	size_t limit = nul ? (size_t)(nul - s) : n;
	char *ip = (char *)s, tmp[4096];
	size_t il = limit;
	kdx_buf_reset(out);
	iconv(cd, NULL, NULL, NULL, NULL);
	while (il > 0) {
		char *op = tmp;
		size_t ol = sizeof tmp;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int e = errno;
		kdx_buf_add(out, tmp, sizeof tmp - ol);
		if (r == (size_t)-1 && e != E2BIG) {
			*bad = (size_t)(ip - (char *)s);
			return 0;
		}
	}
	if (nul) {
		*bad = limit;
		return 0;
	}
	return 1;
}

/* Reproducible random test text of n bytes.  CP932_MIX: mostly valid CP932
 * (ASCII, two-byte kanji) and now and then any byte; UTF8_EDGES: mostly lead
 * and continuation bytes, some ASCII and NUL, to reach the edges of UTF-8. */
enum { CP932_MIX, UTF8_EDGES };

static void random_text(unsigned *seed, unsigned char *buf, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		unsigned r = (*seed >> 8) & 0xFFFF;
		if (kind == UTF8_EDGES) {
			buf[i] = r % 3 == 0 ? (unsigned char)(0x61 + r % 20) : (unsigned char)(0x80 + (r >> 3) % 0x80);
			if (r % 97 == 0)
				buf[i] = 0;
		} else if (r % 5 == 0 && i + 1 < n) {
			buf[i++] = (unsigned char)(0x88 + r % 8);
			buf[i] = (unsigned char)(0x40 + (r >> 4) % 0xBC);
		} else {
			buf[i] = r % 53 == 0 ? (unsigned char)(r >> 8) : (unsigned char)(0x20 + r % 0x5F);
		}
	}
}

static void check_cp932(iconv_t cd, const unsigned char *s, size_t n, kdx_buf *want)
{
	size_t bad = 0;
	int ok = iconv_reference(cd, s, n, want, &bad);
	char *out = NULL;
	size_t len = 0;
	kdx_encoding used;
	kdx_error *err = NULL;
	kdx_status st = kdx_decode((const char *)s, n, KDX_ENC_CP932, &out, &len, &used, &err);
	if (ok) {
		if (st != KDX_OK || len != want->len || memcmp(out, want->data, len) != 0)
			fail_msg("CP932 %02x %02x (%zu bytes): kdx differs from iconv", s[0], n > 1 ? s[1] : 0, n);
	} else {
		if (st != KDX_EDATA || err->problem->offset != (long)bad)
			fail_msg("CP932 %02x %02x (%zu bytes): iconv stops at %zu, kdx at %ld", s[0], n > 1 ? s[1] : 0, n,
			         bad, st == KDX_EDATA ? err->problem->offset : -1L);
	}
	free(out);
	kdx_error_free(err);
}

/* The CP932 table gives what iconv gives, for every byte, every pair of bytes
 * and random text; and the offset of the byte where it stops. */
static void cp932_table_matches_iconv(void **state)
{
	(void)state;
	iconv_t cd = iconv_open("UTF-8", "CP932");
	assert_true(cd != (iconv_t)-1);
	kdx_buf want = { 0 };
	for (int a = 0; a < 256; a++) {
		unsigned char s[3] = { (unsigned char)a, 0, 'x' };
		check_cp932(cd, s, 1, &want);
		for (int b = a % STRIDE; b < 256; b += STRIDE) {   /* every trail byte, over the lead bytes */
			s[1] = (unsigned char)b;
			check_cp932(cd, s, 2, &want);
			check_cp932(cd, s, 3, &want);
		}
	}
	/* random text, mostly valid: Japanese, ASCII and now and then any byte */
	unsigned seed = 12345;
	unsigned char buf[64];
	for (int t = 0; t < 200000 / STRIDE; t++) {
		size_t n = 1 + (size_t)(t % 63);
		random_text(&seed, buf, n, CP932_MIX);
		check_cp932(cd, buf, n, &want);
	}
	kdx_buf_free(&want);
	iconv_close(cd);
}

/* The UTF-8 check agrees with libunistring (and takes a NUL byte as not text). */
static void utf8_check_matches_libunistring(void **state)
{
	(void)state;
	unsigned seed = 777;
	unsigned char buf[40];
	for (int t = 0; t < 300000 / STRIDE; t++) {
		size_t n = 1 + (size_t)(t % 39);
		random_text(&seed, buf, n, UTF8_EDGES);
		const uint8_t *p = u8_check(buf, n);
		const unsigned char *nul = memchr(buf, 0, n);
		size_t want = p ? (size_t)(p - buf) : n;
		if (nul && (size_t)(nul - buf) < want)
			want = (size_t)(nul - buf);
		kdx_input in;
		kdx_input_mem(&in, buf, n);
		if (want == n) {
			assert_true(in.utf8);
		} else {
			assert_false(in.utf8);
			assert_int_equal(in.bad, want);
		}
	}
}

static char *temp_file(const void *data, size_t n)
{
	char *path = strdup("/tmp/kdx-test-text-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static int collect_text(void *ctx, const char *text, size_t len)
{
	kdx_buf_add(ctx, text, len);
	return 0;
}

/* A file read in pieces: characters cut by a piece's end, the digest, a bad byte
 * far into the file, and a file that changes between the two passes. */
static void input_files_in_pieces(void **state)
{
	(void)state;
	/* 3-byte UTF-8 characters after one ASCII byte: some character straddles every 256 KiB */
	kdx_buf u = { 0 };
	kdx_buf_adds(&u, "x");
	while (u.len < 700000)
		kdx_buf_adds(&u, "保育所,");
	char *path = temp_file(u.data, u.len);
	kdx_input in;
	kdx_error *err = NULL;
	assert_int_equal(kdx_input_open(&in, path, &err), KDX_OK);
	char sha[65];
	kdx_sha256_hex(u.data, u.len, sha);
	assert_string_equal(in.sha256, sha);
	assert_int_equal(in.size, u.len);
	assert_true(in.utf8);
	kdx_buf got = { 0 };
	kdx_encoding used;
	assert_int_equal(kdx_decode_stream(&in, KDX_ENC_AUTO, &used, collect_text, &got, &err), KDX_OK);
	assert_int_equal(used, KDX_ENC_UTF8);
	assert_int_equal(got.len, u.len);
	assert_memory_equal(got.data, u.data, u.len);
	assert_false(kdx_input_changed(&in));
	/* the file is rewritten between the passes: refused, not loaded */
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	fseek(fp, 500000, SEEK_SET);
	fputs("abc", fp);
	fclose(fp);
	kdx_buf_reset(&got);
	assert_int_equal(kdx_decode_stream(&in, KDX_ENC_AUTO, &used, collect_text, &got, &err), KDX_EIO);
	assert_non_null(strstr(err->primary, "changed"));
	kdx_error_free(err);
	err = NULL;
	kdx_input_close(&in);
	unlink(path);
	free(path);

	/* CP932 with a lead byte at the end of the first piece, and a bad byte at 600001 */
	kdx_buf c = { 0 };
	kdx_buf_adds(&c, "y");
	while (c.len < 700000)
		kdx_buf_adds(&c, "\x95\xdb\x88\xe7\x8f\x8a,");  /* 保育所, */
	c.data[600001] = '\xff';
	path = temp_file(c.data, c.len);
	assert_int_equal(kdx_input_open(&in, path, &err), KDX_OK);
	assert_false(in.utf8);
	assert_int_equal(in.bad, 1);
	kdx_buf_reset(&got);
	assert_int_equal(kdx_decode_stream(&in, KDX_ENC_AUTO, &used, collect_text, &got, &err), KDX_EDATA);
	assert_int_equal(used, KDX_ENC_CP932);
	assert_int_equal(err->problem->offset, 600001);
	assert_int_equal(err->problem->row, 1);
	assert_non_null(strstr(err->problem->msg, "[ff]"));
	/* what came before the bad byte was decoded whole */
	/* "y", then units of 7 bytes (10 in UTF-8); the bad byte is the lead of a unit's
	 * second character, so its first (保, 3 bytes in UTF-8) came before it */
	assert_int_equal((600001 - 1) % 7, 2);
	assert_int_equal(got.len, 1 + (600001 - 1) / 7 * 10 + 3);
	kdx_error_free(err);
	kdx_input_close(&in);
	unlink(path);
	free(path);
	kdx_buf_free(&got);
	kdx_buf_free(&u);
	kdx_buf_free(&c);
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
	for (int i = 0; i < 40000; i++) /* 320 KB: more than one piece */
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
	kdx_input src;
	kdx_input_mem(&src, in.data, in.len);
	assert_int_equal(kdx_decode_stream(&src, KDX_ENC_AUTO, &used, feed, &p, &err), KDX_OK);
	assert_int_equal(kdx_csv_finish(p.csv, &err), KDX_OK);
	kdx_csv_free(p.csv);
	assert_true(p.n > 1);
	assert_int_equal(whole.n, 40000);
	assert_int_equal(streamed.n, 40000);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(streamed.lines[i], whole.lines[i]);
		assert_string_equal(streamed.first[i], whole.first[i]);
	}
	assert_string_equal(whole.first[0], "大分");
	/* a bad byte past the first piece: the pieces before it were handed on, and the offset is exact */
	in.data[80000] = '\xff'; /* the first byte of line 10001 */
	struct pieces q = { 0, kdx_csv_new(collect, &streamed) };
	kdx_input_mem(&src, in.data, in.len);
	assert_int_equal(kdx_decode_stream(&src, KDX_ENC_CP932, &used, feed, &q, &err), KDX_EDATA);
	kdx_csv_free(q.csv);
	assert_true(q.n >= 1);
	assert_int_equal(err->problem->offset, 80000);
	assert_int_equal(err->problem->row, 10001);
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
		cmocka_unit_test(cp932_table_matches_iconv),
		cmocka_unit_test(utf8_check_matches_libunistring),
		cmocka_unit_test(input_files_in_pieces),
		cmocka_unit_test(utf16_with_bom),
		cmocka_unit_test(separators_and_cells_for_people),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
