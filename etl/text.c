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

static char *nfkc(const char *s)
{
	/* NFKC leaves ASCII as it is: most cells (dates, codes, numbers, flags) skip the work */
	const unsigned char *a = (const unsigned char *)s;
	while (*a && *a < 0x80)
		a++;
	if (!*a)
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

char *kdx_text_norm(const char *s)
{
	if (!s)
		return NULL;
	char *t = nfkc(s);
	char *p = t;
	size_t l;
	while (*p && is_space_at(p, &l))
		p += l;
	size_t n = strlen(p);
	memmove(t, p, n + 1);
	/* trim the end: walk forward remembering the last non-space end */
	size_t end = 0, i = 0;
	while (t[i]) {
		if (is_space_at(t + i, &l)) {
			i += l;
		} else {
			i++;
			while (t[i] && ((unsigned char)t[i] & 0xC0) == 0x80)
				i++;
			end = i;
		}
	}
	t[end] = '\0';
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

/* Convert CP932 to UTF-8; on failure *bad is the offset of the offending byte. */
static bool cp932_to_utf8(const char *data, size_t n, kdx_buf *out, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return false;
	}
	char *in = (char *)data;
	size_t inleft = n;
	kdx_buf_reserve(out, n * 3 / 2 + 16);
	bool ok = true;
	while (inleft > 0) {
		kdx_buf_reserve(out, inleft * 2 + 16);
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len = (size_t)(o - out->data);
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ, or EINVAL: a lead byte with no trail byte at the end */
			*bad = (size_t)(in - data);
			ok = false;
			break;
		}
	}
	out->data[out->len] = '\0';
	iconv_close(cd);
	return ok;
}

kdx_status kdx_decode(const char *data, size_t n, kdx_encoding want, char **out, size_t *outlen,
                      kdx_encoding *used, kdx_error **err)
{
	size_t bad_utf8 = 0, bad_cp = 0;
	bool bom = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	if (want == KDX_ENC_UTF8 || want == KDX_ENC_UTF8_BOM || want == KDX_ENC_AUTO) {
		const char *p = bom ? data + 3 : data;
		size_t m = bom ? n - 3 : n;
		if (kdx_utf8_valid(p, m, &bad_utf8) && !memchr(p, '\0', m)) {
			*out = kdx_xmalloc(m + 1);
			memcpy(*out, p, m);
			(*out)[m] = '\0';
			*outlen = m;
			*used = bom ? KDX_ENC_UTF8_BOM : KDX_ENC_UTF8;
			return KDX_OK;
		}
		if (memchr(p, '\0', m) && kdx_utf8_valid(p, m, NULL))
			bad_utf8 = (size_t)((const char *)memchr(p, '\0', m) - p);
		if (bom)
			bad_utf8 += 3;
		if (want != KDX_ENC_AUTO || bom)
			goto fail_utf8;
	}
	kdx_buf b = { 0 };
	if (cp932_to_utf8(data, n, &b, &bad_cp) && !memchr(b.data, '\0', b.len)) {
		*outlen = b.len;
		*out = kdx_buf_steal(&b);
		*used = KDX_ENC_CP932;
		return KDX_OK;
	}
	kdx_buf_free(&b);
	if (want == KDX_ENC_AUTO && bad_utf8 > bad_cp)
		goto fail_utf8;
	{
		char *around = bytes_around(data, n, bad_cp);
		kdx_fail(err, KDX_EDATA, "invalid byte sequence for encoding \"CP932\" at byte %zu (line %ld)",
		         bad_cp, line_of(data, bad_cp));
		(*err)->offset = (long)bad_cp;
		(*err)->row = line_of(data, bad_cp);
		kdx_error_detail(*err, "%zu バイト目（%ld 行目）の文字を CP932（Shift_JIS）として読めません。前後のバイト: %s",
		                 bad_cp, line_of(data, bad_cp), around);
		kdx_error_hint(*err, "ファイルを UTF-8 または Excel の「CSV (コンマ区切り)」で保存し直してください。");
		free(around);
		return KDX_EDATA;
	}
fail_utf8:
	{
		char *around = bytes_around(data, n, bad_utf8);
		kdx_fail(err, KDX_EDATA, "invalid byte sequence for encoding \"UTF8\" at byte %zu (line %ld)",
		         bad_utf8, line_of(data, bad_utf8));
		(*err)->offset = (long)bad_utf8;
		(*err)->row = line_of(data, bad_utf8);
		kdx_error_detail(*err, "%zu バイト目（%ld 行目）の文字を UTF-8 として読めません。前後のバイト: %s",
		                 bad_utf8, line_of(data, bad_utf8), around);
		kdx_error_hint(*err, "ファイルを UTF-8 で保存し直すか、Shift_JIS の場合は --encoding cp932 を指定してください。");
		free(around);
		return KDX_EDATA;
	}
}
