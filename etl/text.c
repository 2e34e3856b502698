/* text.c - NFKC, trimming, UTF-8 checks and CP932 decoding. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include <uninorm.h>
#include <uniwidth.h>
#include "kdx/text.h"
#include "kdx/buf.h"

static bool is_space_at(const char *p, size_t *len)
{
	unsigned char c = (unsigned char)p[0];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
		*len = 1;
		return true;
	}
	/* U+3000 ideographic space (NFKC already folds it, but trimming raw text must too) */
	if (c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80) {
		*len = 3;
		return true;
	}
	/* U+00A0 no-break space */
	if (c == 0xC2 && (unsigned char)p[1] == 0xA0) {
		*len = 2;
		return true;
	}
	/* U+FEFF zero-width no-break space (a stray BOM) */
	if (c == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) {
		*len = 3;
		return true;
	}
	return false;
}

/*
 * True when NFKC leaves s as it is, judged from an allowlist of characters
 * that have no compatibility decomposition, are not combining marks and
 * compose with nothing in the list: ASCII, the common CJK punctuation, kana
 * (not the spacing sound marks U+309B/C, nor ゟ and ヿ), the unified
 * ideographs and the circles used as ○ marks.  Anything else (full-width
 * forms, half-width katakana, U+3099, ①, ㈱ …) goes through u8_normalize.
 */
static bool nfkc_stable(const unsigned char *p)
{
	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return false;
		unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
		bool ok = (cp >= 0x4E00 && cp <= 0x9FFF) ||
		          (cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E ||
		          (cp >= 0x30A1 && cp <= 0x30FE) ||
		          (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3005 && cp <= 0x3012) ||
		          cp == 0x25CB || cp == 0x25CE || cp == 0x25CF || cp == 0x25EF;
		if (!ok)
			return false;
		p += 3;
	}
	return true;
}

static char *nfkc(const char *s)
{
	/* most cells (dates, codes, flags, ordinary Japanese names) need no work */
	if (nfkc_stable((const unsigned char *)s))
		return kdx_strdup(s);
	size_t n = strlen(s), outlen = 0;
	uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, NULL, &outlen);
	if (!r) /* invalid UTF-8 cannot reach here (decoded first); keep the text */
		return kdx_strdup(s);
	char *out = kdx_xmalloc(outlen + 1);
	memcpy(out, r, outlen);
	out[outlen] = '\0';
	free(r);
	return out;
}

/* bytes of trailing space (ASCII, U+3000, U+00A0, U+FEFF) before end */
static size_t trailing_space(const char *t, size_t end)
{
	size_t l;
	for (;;) {
		if (end >= 1 && is_space_at(t + end - 1, &l) && l == 1)
			end -= 1;
		else if (end >= 2 && is_space_at(t + end - 2, &l) && l == 2)
			end -= 2;
		else if (end >= 3 && is_space_at(t + end - 3, &l) && l == 3)
			end -= 3;
		else
			return end;
	}
}

char *kdx_text_norm(const char *s)
{
	if (!s)
		return NULL;
	/* leading spaces go before NFKC; NFKC never turns a non-space into a leading space */
	size_t l;
	while (*s && is_space_at(s, &l))
		s += l;
	if (nfkc_stable((const unsigned char *)s)) {
		/* the common case: one copy of the trimmed span */
		size_t end = trailing_space(s, strlen(s));
		char *t = kdx_xmalloc(end + 1);
		memcpy(t, s, end);
		t[end] = '\0';
		return t;
	}
	char *t = nfkc(s);
	char *p = t;
	while (*p && is_space_at(p, &l))
		p += l;
	size_t n = strlen(p);
	memmove(t, p, n + 1);
	t[trailing_space(t, n)] = '\0';
	return t;
}

char *kdx_text_key(const char *s)
{
	if (!s)
		return NULL;
	char *t = kdx_text_norm(s);
	size_t w = 0, l;
	for (size_t r = 0; t[r];) {
		if (is_space_at(t + r, &l)) {
			r += l;
			continue;
		}
		t[w++] = t[r++];
	}
	t[w] = '\0';
	return t;
}

bool kdx_utf8_valid(const char *s, size_t n, size_t *bad)
{
	const uint8_t *p = u8_check((const uint8_t *)s, n);
	if (!p)
		return true;
	if (bad)
		*bad = (size_t)(p - (const uint8_t *)s);
	return false;
}

int kdx_text_width(const char *s)
{
	if (!s)
		return 0;
	int w = u8_strwidth((const uint8_t *)s, "UTF-8");
	return w < 0 ? (int)strlen(s) : w;
}

const char *kdx_encoding_name(kdx_encoding e)
{
	switch (e) {
	case KDX_ENC_UTF8: return "UTF-8";
	case KDX_ENC_UTF8_BOM: return "UTF-8 (BOM)";
	case KDX_ENC_CP932: return "CP932";
	default: return "auto";
	}
}

bool kdx_encoding_parse(const char *s, kdx_encoding *out)
{
	static const char *cp932[] = { "cp932", "sjis", "shift_jis", "shift-jis", "windows-31j", "ms932", NULL };
	if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8")) {
		*out = KDX_ENC_UTF8;
		return true;
	}
	if (!strcasecmp(s, "auto")) {
		*out = KDX_ENC_AUTO;
		return true;
	}
	for (int i = 0; cp932[i]; i++)
		if (!strcasecmp(s, cp932[i])) {
			*out = KDX_ENC_CP932;
			return true;
		}
	return false;
}

/* "…e3 81 82 [ff] 41 42…" around offset */
static char *bytes_around(const char *data, size_t n, size_t off)
{
	kdx_buf b = { 0 };
	size_t from = off >= 8 ? off - 8 : 0;
	size_t to = off + 8 < n ? off + 8 : n;
	for (size_t i = from; i < to; i++)
		kdx_buf_printf(&b, i == off ? "[%02x]%s" : "%02x%s", (unsigned char)data[i], i + 1 < to ? " " : "");
	return kdx_buf_steal(&b);
}

static long line_of(const char *data, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

#define DECODE_CHUNK 65536

/*
 * Convert CP932 to UTF-8 in pieces of at most DECODE_CHUNK bytes, handing each
 * to fn.  Returns 1 when done, 0 on an undecodable byte or a NUL (*bad is its
 * offset), -1 when fn asked to stop.
 */
static int cp932_stream(const char *data, size_t n, kdx_text_fn fn, void *ctx, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return 0;
	}
	const char *nul = memchr(data, '\0', n);
	size_t limit = nul ? (size_t)(nul - data) : n;
	char out[DECODE_CHUNK];
	char *in = (char *)data;
	size_t inleft = limit;
	int rc = 1;
	while (inleft > 0) {
		char *o = out;
		size_t oleft = sizeof out;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		int e = errno; /* fn may change errno */
		size_t got = sizeof out - oleft;
		if (got && fn(ctx, out, got) != 0) {
			rc = -1;
			break;
		}
		if (r == (size_t)-1 && e != E2BIG) {
			/* EILSEQ, or EINVAL: a lead byte with no trail byte at the end */
			*bad = (size_t)(in - data);
			rc = 0;
			break;
		}
	}
	if (rc == 1 && nul) {
		*bad = limit;
		rc = 0;
	}
	iconv_close(cd);
	return rc;
}

static kdx_status fail_at(const char *data, size_t n, size_t off, const char *enc, const char *detail_enc,
                          const char *hint, kdx_error **err)
{
	char *around = bytes_around(data, n, off);
	long line = line_of(data, off);
	kdx_fail(err, KDX_EDATA, "invalid byte sequence for encoding \"%s\" at byte %zu (line %ld)", enc, off, line);
	(*err)->offset = (long)off;
	(*err)->row = line;
	kdx_error_detail(*err, "%zu バイト目（%ld 行目）の文字を %sとして読めません。前後のバイト: %s", off, line,
	                 detail_enc, around);
	kdx_error_hint(*err, "%s", hint);
	free(around);
	return KDX_EDATA;
}

kdx_status kdx_decode_stream(const char *data, size_t n, kdx_encoding want, kdx_encoding *used,
                             kdx_text_fn fn, void *ctx, kdx_error **err)
{
	static const char utf8_hint[] = "ファイルを UTF-8 で保存し直すか、Shift_JIS の場合は --encoding cp932 を指定してください。";
	size_t bad_utf8 = 0, bad_cp = 0;
	bool bom = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	if (want == KDX_ENC_UTF8 || want == KDX_ENC_UTF8_BOM || want == KDX_ENC_AUTO) {
		const char *p = bom ? data + 3 : data;
		size_t m = bom ? n - 3 : n;
		bool valid = kdx_utf8_valid(p, m, &bad_utf8);
		const char *nul = memchr(p, '\0', valid ? m : bad_utf8);
		if (valid && !nul) {
			*used = bom ? KDX_ENC_UTF8_BOM : KDX_ENC_UTF8;
			for (size_t off = 0; off < m;) {
				size_t k = m - off < DECODE_CHUNK ? m - off : DECODE_CHUNK;
				if (fn(ctx, p + off, k) != 0)
					break;
				off += k;
			}
			return KDX_OK;
		}
		if (nul)
			bad_utf8 = (size_t)(nul - p);
		if (bom)
			bad_utf8 += 3;
		if (want != KDX_ENC_AUTO || bom)
			return fail_at(data, n, bad_utf8, "UTF8", "UTF-8 ", utf8_hint, err);
	}
	*used = KDX_ENC_CP932;
	int rc = cp932_stream(data, n, fn, ctx, &bad_cp);
	if (rc != 0)
		return KDX_OK;
	if (want == KDX_ENC_AUTO && bad_utf8 > bad_cp)
		return fail_at(data, n, bad_utf8, "UTF8", "UTF-8 ", utf8_hint, err);
	return fail_at(data, n, bad_cp, "CP932", "CP932（Shift_JIS）",
	               "ファイルを UTF-8 または Excel の「CSV (コンマ区切り)」で保存し直してください。", err);
}

static int append_text(void *ctx, const char *text, size_t len)
{
	kdx_buf_add(ctx, text, len);
	return 0;
}

kdx_status kdx_decode(const char *data, size_t n, kdx_encoding want, char **out, size_t *outlen,
                      kdx_encoding *used, kdx_error **err)
{
	kdx_buf b = { 0 };
	kdx_buf_reserve(&b, n + 1);
	kdx_status st = kdx_decode_stream(data, n, want, used, append_text, &b, err);
	if (st != KDX_OK) {
		kdx_buf_free(&b);
		return st;
	}
	*outlen = b.len;
	*out = kdx_buf_steal(&b);
	return KDX_OK;
}
