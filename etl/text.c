/* text.c - NFKC, trimming, UTF-8 checks and CP932 decoding. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include <uninorm.h>
#include <uniwidth.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kdx/text.h"
#include "kdx/problem.h"
#include "kdx/buf.h"
#include "kdx/digest.h"

static inline bool is_space_at(const char *p, size_t *len)
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
static bool nfkc_stable_char(const unsigned char *p)
{
	if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return false;
	unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E ||
	       (cp >= 0x30A1 && cp <= 0x30FE) ||
	       (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3005 && cp <= 0x3012) ||
	       cp == 0x25CB || cp == 0x25CE || cp == 0x25CF || cp == 0x25EF;
}

/* Whether NFKC leaves s as it is; *len receives strlen(s). */
static bool nfkc_stable(const unsigned char *s, size_t *len)
{
	size_t n = strlen((const char *)s);
	const unsigned char *p = s, *e = s + n;
	*len = n;
	while (p < e) {
		/* ASCII eight bytes at a time */
		uint64_t w;
		while (e - p >= 8) {
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ULL)
				break;
			p += 8;
		}
		if (p >= e)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (e - p < 3 || !nfkc_stable_char(p))
			return false;
		p += 3;
	}
	return true;
}

/* bytes of trailing space (ASCII, U+3000, U+00A0, U+FEFF) before end */
static size_t trailing_space(const char *t, size_t end)
{
	size_t l;
	for (;;) {
		/* the common case: a last byte that is neither a space nor the end of one */
		if (end == 0)
			return 0;
		unsigned char c = (unsigned char)t[end - 1];
		if ((c > ' ' && c < 0x80) || (c >= 0x80 && c != 0xA0 && c != 0x80 && c != 0xBF))
			return end;
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

static void add_text(kdx_buf *b, const char *s, size_t n)
{
	kdx_buf_reserve(b, n + 1);
	memcpy(b->data + b->len, s, n);
	b->data[b->len + n] = '\0';
	b->len += n + 1;
	b->data[b->len] = '\0';
}

size_t kdx_text_norm_to(kdx_buf *b, const char *s)
{
	size_t at = b->len, l, n;
	/* leading spaces go before NFKC; NFKC never turns a non-space into a leading space */
	while (*s && is_space_at(s, &l))
		s += l;
	if (nfkc_stable((const unsigned char *)s, &n)) {
		/* the common case (dates, codes, flags, ordinary Japanese names): the trimmed span */
		add_text(b, s, trailing_space(s, n));
		return at;
	}
	size_t outlen = 0;
	uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, strlen(s), NULL, &outlen);
	if (!r) { /* invalid UTF-8 cannot reach here (decoded first); keep the text */
		add_text(b, s, trailing_space(s, strlen(s)));
		return at;
	}
	const char *t = (const char *)r, *e = t + outlen;
	while (t < e && is_space_at(t, &l))
		t += l;
	add_text(b, t, trailing_space(t, (size_t)(e - t)));
	free(r);
	return at;
}

char *kdx_text_norm(const char *s)
{
	if (!s)
		return NULL;
	kdx_buf b = { 0 };
	kdx_text_norm_to(&b, s);
	return kdx_buf_steal(&b);
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
	case KDX_ENC_UTF16LE: return "UTF-16LE (BOM)";
	case KDX_ENC_UTF16BE: return "UTF-16BE (BOM)";
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

/* ---- reading an input in pieces ------------------------------------------ */

#define READ_CHUNK (256u << 10)
/* the most kdx copies from a pipe: a workbook's parts may hold as much (xlsxread.c) */
#define KDX_PIPE_MAX (1024ULL << 20)

long kdx_input_read(const kdx_input *in, unsigned long long off, void *buf, size_t n)
{
	if (in->fd < 0) {
		if (off >= in->size)
			return 0;
		size_t k = in->size - off < n ? (size_t)(in->size - off) : n;
		memcpy(buf, in->mem + off, k);
		return (long)k;
	}
	for (;;) {
		ssize_t r = pread(in->fd, buf, n, (off_t)off);
		if (r >= 0)
			return (long)r;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * UTF-8 as RFC 3629 has it (no overlong forms, no surrogates, nothing above
 * U+10FFFF), and no NUL byte.  Returns how many bytes from p are complete
 * valid characters; *tail is set when the rest is the start of a character
 * cut off by the end of the piece, as opposed to an invalid byte.
 */
static size_t utf8_prefix(const unsigned char *p, size_t n, bool *tail)
{
	size_t i = 0;
	*tail = false;
	while (i < n) {
		/* eight ASCII bytes at a time, none of them NUL */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ULL) || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = p[i];
		if (c && c < 0x80) {
			i++;
			continue;
		}
		int need;
		unsigned lo = 0x80, hi = 0xBF;  /* the range of the second byte */
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0) lo = 0xA0;
			if (c == 0xED) hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0) lo = 0x90;
			if (c == 0xF4) hi = 0x8F;
		} else
			return i;  /* NUL, a continuation byte, C0, C1 or F5..FF */
		for (int k = 1; k <= need; k++) {
			if (i + (size_t)k >= n) {
				*tail = true;
				return i;
			}
			unsigned t = p[i + (size_t)k];
			if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF))
				return i;
		}
		i += (size_t)need + 1;
	}
	return i;
}

static kdx_status spool(kdx_input *in, const char *path, kdx_error **err)
{
	unsigned long long total = 0;
	const char *dir = getenv("TMPDIR");
	char *tmpl = kdx_strdup_printf("%s/kdx-input-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		kdx_status st = kdx_fail(err, KDX_EIO, "could not create a temporary file \"%s\": %s", tmpl, strerror(errno));
		free(tmpl);
		kdx_input_close(in);
		return st;
	}
	unlink(tmpl);
	free(tmpl);
	char *buf = kdx_xmalloc(READ_CHUNK);
	kdx_status st = KDX_OK;
	for (;;) {
		ssize_t r = read(in->fd, buf, READ_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = kdx_fail(err, KDX_EIO, "could not read file \"%s\": %s", path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if ((total += (unsigned long long)r) > KDX_PIPE_MAX) {
			/* an endless pipe (yes, a device behind it) fills no disk */
			st = kdx_fail(err, KDX_EIO, "could not read \"%s\": a pipe may bring at most %llu MiB", path, KDX_PIPE_MAX >> 20);
			kdx_error_detail(*err, "kdx copies what a pipe brings into a temporary file, to read it twice, and stopped there.");
			kdx_error_hint(*err, "Save the data to a file and load the file.");
			break;
		}
		for (ssize_t w = 0; w < r;) {
			ssize_t k = write(fd, buf + w, (size_t)(r - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				st = kdx_fail(err, KDX_EIO, "could not write a temporary copy of \"%s\": %s", path, strerror(errno));
				break;
			}
			w += k;
		}
		if (st != KDX_OK)
			break;
	}
	free(buf);
	close(in->fd);
	in->fd = fd;
	if (st != KDX_OK)
		kdx_input_close(in);
	return st;
}

/* One pass over the input: its size, its digest, and how far it is UTF-8. */
static kdx_status scan(kdx_input *in, const char *path, kdx_error **err)
{
	char *buf = kdx_xmalloc(READ_CHUNK + 4);
	kdx_sums sums;
	kdx_sums_init(&sums, false);
	unsigned long long off = 0;
	size_t carry = 0;          /* bytes of a character cut off by the previous piece */
	bool checking = true;
	in->utf8 = true;
	for (;;) {
		long r = kdx_input_read(in, off, buf + carry, READ_CHUNK);
		if (r < 0) {
			int e = errno;
			kdx_sums_final(&sums, in->sha256, NULL);
			free(buf);
			kdx_input_close(in);
			return kdx_fail(err, KDX_EIO, "could not read file \"%s\": %s", path, strerror(e));
		}
		if (r == 0)
			break;
		kdx_sums_update(&sums, buf + carry, (size_t)r);
		size_t skip = 0;
		if (off == 0 && r >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
			in->bom = true;
			skip = 3;
		}
		if (off == 0 && r >= 2 && (!memcmp(buf, "\xFF\xFE", 2) || !memcmp(buf, "\xFE\xFF", 2)))
			in->utf16 = buf[0] == '\xFF' ? 1 : 2;
		if (checking) {
			size_t have = carry + (size_t)r - skip;
			bool tail;
			size_t ok = utf8_prefix((const unsigned char *)buf + skip, have, &tail);
			if (ok < have && !tail) {
				in->utf8 = false;
				in->bad = off - carry + skip + ok;
				checking = false;
				carry = 0;
			} else {
				carry = have - ok;
				memmove(buf, buf + skip + ok, carry);
			}
		}
		off += (unsigned long long)r;
	}
	if (checking && carry) {  /* the input ends inside a character */
		in->utf8 = false;
		in->bad = off - carry;
	}
	in->size = off;
	kdx_sums_final(&sums, in->sha256, NULL);
	free(buf);
	return KDX_OK;
}

/* What a file that is neither regular nor a pipe is, for the message. */
static const char *file_kind(mode_t m)
{
	return S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" : S_ISDIR(m) ? "a folder"
	     : S_ISSOCK(m) ? "a socket" : "a special file";
}

static kdx_status not_a_file(const char *path, mode_t m, kdx_error **err)
{
	kdx_fail(err, KDX_EIO, "cannot read \"%s\": it is %s, not a file or a pipe", path, file_kind(m));
	kdx_error_hint(*err, "kdx reads regular files and pipes; copy the data into a file and load the file.");
	return KDX_EIO;
}

/* regular_only: a file of the inbox, where a link, a pipe or a second name of
 * a file is never read. */
static kdx_status not_regular(const char *path, const struct stat *sb, kdx_error **err)
{
	return kdx_fail(err, KDX_EIO, "could not open file \"%s\": it is %s, which kdx does not read here", path,
	                S_ISLNK(sb->st_mode) ? "a symbolic link" : S_ISREG(sb->st_mode) ? "a hard link" : "not a regular file");
}

static kdx_status input_open(kdx_input *in, const char *path, bool regular_only, kdx_error **err)
{
	memset(in, 0, sizeof *in);
	in->fd = -1;
	struct stat sb;
	/* a device is not opened at all: opening one may do something (a tape
	 * rewinds), and reading /dev/zero never ends */
	if ((regular_only ? lstat(path, &sb) : stat(path, &sb)) == 0) {
		if (regular_only && !S_ISREG(sb.st_mode))
			return not_regular(path, &sb, err);
		if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode))
			return not_a_file(path, sb.st_mode, err);
	}
	/* O_NONBLOCK: a FIFO put in place of the file must not hold the run up */
	in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (regular_only ? O_NOFOLLOW | O_NONBLOCK : 0));
	if (in->fd < 0)
		return kdx_fail(err, KDX_EIO, "could not open file \"%s\": %s", path,
		                regular_only && errno == ELOOP ? "it is a symbolic link, which kdx does not follow here" : strerror(errno));
	if (fstat(in->fd, &sb) != 0) {
		kdx_status st = kdx_fail(err, KDX_EIO, "could not examine file \"%s\": %s", path, strerror(errno));
		kdx_input_close(in);
		return st;
	}
	if (regular_only && (!S_ISREG(sb.st_mode) || sb.st_nlink != 1)) {  /* it became one since the look */
		kdx_input_close(in);
		return not_regular(path, &sb, err);
	}
	if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
		kdx_input_close(in);
		return not_a_file(path, sb.st_mode, err);
	}
	if (S_ISFIFO(sb.st_mode)) {
		/* a pipe (kdx ingest <(…), /dev/stdin) cannot be read twice: keep its
		 * bytes in an unnamed temporary file, up to KDX_PIPE_MAX, and read that */
		kdx_status st = spool(in, path, err);
		if (st != KDX_OK)
			return st;
		in->copy = true;
	} else {
		in->mtime_ns = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	}
	return scan(in, path, err);
}

kdx_status kdx_input_open(kdx_input *in, const char *path, kdx_error **err)
{
	return input_open(in, path, false, err);
}

kdx_status kdx_input_open_regular(kdx_input *in, const char *path, kdx_error **err)
{
	return input_open(in, path, true, err);
}

void kdx_input_mem(kdx_input *in, const void *data, size_t n)
{
	memset(in, 0, sizeof *in);
	in->fd = -1;
	in->mem = data;
	in->size = n;
	scan(in, "(memory)", NULL);  /* reading memory cannot fail */
}

bool kdx_input_changed(const kdx_input *in)
{
	struct stat sb;
	if (in->fd < 0 || in->copy)  /* in memory, or a private copy of a pipe */
		return false;
	if (fstat(in->fd, &sb) != 0)
		return true;
	return (unsigned long long)sb.st_size != in->size ||
	       (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec != in->mtime_ns;
}

void kdx_input_close(kdx_input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* ---- CP932 ------------------------------------------------------------------
 * A table of what glibc's CP932 converter makes of every byte and every lead
 * byte with every second byte, built once from iconv itself: the mapping is
 * iconv's (NEC and IBM extensions, ～ and － as Windows has them), at the
 * speed of a table look-up. */

enum { CP_INVALID = 0, CP_LEAD = 0xFF };

struct cp932_table {
	unsigned char single[256][4];  /* [0]: UTF-8 length, CP_INVALID or CP_LEAD */
	unsigned char lead[256];       /* lead byte -> 1 + row in dbl, 0 when not a lead */
	unsigned char (*dbl)[256][4];
	bool ok;
};

static struct cp932_table cp932;
static pthread_once_t cp932_once = PTHREAD_ONCE_INIT;

/* in (n bytes) through iconv: the UTF-8 length (1..3) into out, or 0 when invalid or
 * longer, -1 when incomplete */
static int cp932_one(iconv_t cd, const unsigned char *s, size_t n, unsigned char out[4])
{
	char buf[16];
	char *ip = (char *)s, *op = buf;
	size_t il = n, ol = sizeof buf;
	iconv(cd, NULL, NULL, NULL, NULL);
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	if (r == (size_t)-1)
		return errno == EINVAL ? -1 : 0;
	size_t got = sizeof buf - ol;
	if (il != 0 || got == 0 || got > 3)
		return 0;
	memcpy(out + 1, buf, got);
	return (int)got;
}

static void cp932_build(void)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1)
		return;
	unsigned char leads[256];
	int nleads = 0;
	for (int b = 1; b < 256; b++) {
		unsigned char s = (unsigned char)b;
		int r = cp932_one(cd, &s, 1, cp932.single[b]);
		if (r > 0)
			cp932.single[b][0] = (unsigned char)r;
		else if (r < 0) {
			cp932.single[b][0] = CP_LEAD;
			leads[nleads++] = (unsigned char)b;
		}
	}
	cp932.single[0][0] = CP_INVALID;  /* a NUL byte is not text */
	cp932.dbl = kdx_xcalloc((size_t)nleads ? (size_t)nleads : 1, sizeof *cp932.dbl);
	for (int i = 0; i < nleads; i++) {
		cp932.lead[leads[i]] = (unsigned char)(i + 1);
		for (int t = 0; t < 256; t++) {
			unsigned char s[2] = { leads[i], (unsigned char)t };
			int r = cp932_one(cd, s, 2, cp932.dbl[i][t]);
			cp932.dbl[i][t][0] = r > 0 ? (unsigned char)r : CP_INVALID;
		}
	}
	cp932.ok = true;
	iconv_close(cd);
}

/*
 * Decode CP932 from p (n bytes) into out (3n bytes).
 * Returns the bytes consumed; *outlen the bytes written.  Stops before a lead
 * byte that is the last byte (*cut) or at an undecodable byte (*bad).
 */
static size_t cp932_piece(const unsigned char *p, size_t n, char *out, size_t *outlen, bool *cut, bool *bad)
{
	size_t i = 0, o = 0;
	*cut = *bad = false;
	while (i < n) {
		unsigned c = p[i];
		if (c && c < 0x80) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		const unsigned char *e = cp932.single[c];
		if (e[0] == CP_LEAD) {
			if (i + 1 >= n) {
				*cut = true;
				break;
			}
			e = cp932.dbl[cp932.lead[c] - 1][p[i + 1]];
			if (e[0] == CP_INVALID) {
				*bad = true;
				break;
			}
			i += 2;
		} else if (e[0] == CP_INVALID) {
			*bad = true;
			break;
		} else {
			i++;
		}
		memcpy(out + o, e + 1, 3);
		o += e[0];
	}
	*outlen = o;
	return i;
}

/* ---- UTF-16 -----------------------------------------------------------------
 * Decode whole code units from p (n bytes) into UTF-8 at out; returns the
 * bytes used.  *cut when p ends inside a character, *bad at a lone surrogate
 * or a NUL (which no text file of a spreadsheet holds). */
static size_t utf16_piece(const unsigned char *p, size_t n, bool be, char *out, size_t *outlen, bool *cut, bool *bad)
{
	size_t i = 0, o = 0;
	*cut = *bad = false;
	while (i + 1 < n) {
		unsigned u = be ? (unsigned)p[i] << 8 | p[i + 1] : (unsigned)p[i + 1] << 8 | p[i];
		size_t k = 2;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 >= n) {
				*cut = true;
				break;
			}
			unsigned lo = be ? (unsigned)p[i + 2] << 8 | p[i + 3] : (unsigned)p[i + 3] << 8 | p[i + 2];
			if (lo < 0xDC00 || lo > 0xDFFF) {
				*bad = true;
				break;
			}
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			k = 4;
		} else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
			*bad = true;
			break;
		}
		if (u < 0x80) {
			out[o++] = (char)u;
		} else if (u < 0x800) {
			out[o++] = (char)(0xC0 | u >> 6);
			out[o++] = (char)(0x80 | (u & 0x3F));
		} else if (u < 0x10000) {
			out[o++] = (char)(0xE0 | u >> 12);
			out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (u & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | u >> 18);
			out[o++] = (char)(0x80 | ((u >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (u & 0x3F));
		}
		i += k;
	}
	if (i + 1 == n && !*bad)
		*cut = true;
	*outlen = o;
	return i;
}

/* ---- decoding ------------------------------------------------------------- */

/* "…e3 81 82 [ff] 41 42…" around offset */
static char *bytes_around(const kdx_input *in, unsigned long long off)
{
	unsigned char win[16];
	unsigned long long from = off >= 8 ? off - 8 : 0;
	long got = kdx_input_read(in, from, win, (size_t)(off + 8 - from));
	kdx_buf b = { 0 };
	for (long i = 0; i < got; i++)
		kdx_buf_printf(&b, from + (unsigned long long)i == off ? "[%02x]%s" : "%02x%s", win[i], i + 1 < got ? " " : "");
	return kdx_buf_steal(&b);
}

static long line_of(const kdx_input *in, unsigned long long off)
{
	size_t chunk = off < READ_CHUNK ? (size_t)off + 1 : READ_CHUNK;
	char *buf = kdx_xmalloc(chunk);
	long line = 1;
	for (unsigned long long at = 0; at < off;) {
		size_t want = off - at < chunk ? (size_t)(off - at) : chunk;
		long r = kdx_input_read(in, at, buf, want);
		if (r <= 0)
			break;
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + r - p))) != NULL; p++)
			line++;
		at += (unsigned long long)r;
	}
	free(buf);
	return line;
}

static kdx_status fail_at(const kdx_input *in, unsigned long long off, const char *enc, const char *detail_enc,
                          const char *hint, kdx_error **err)
{
	char *around = bytes_around(in, off);
	long line = line_of(in, off);
	kdx_fail(err, KDX_EDATA, "invalid byte sequence for encoding \"%s\" at byte %llu (line %ld)", enc, off, line);
	kdx_problem *p = kdx_error_attach(err, KDX_P_ENCODING, hint, "%llu バイト目（%ld 行目）の文字を %sとして読めません。前後のバイト: %s",
	                                  off, line, detail_enc, around);
	if (p) {
		p->offset = (long)off;
		p->row = line;
	}
	free(around);
	return KDX_EDATA;
}

static kdx_status changed(kdx_error **err)
{
	kdx_status st = kdx_fail(err, KDX_EIO, "the file changed while it was being read");
	kdx_error_hint(*err, "Load it again once whatever writes it has finished.");
	return st;
}

enum { DEC_DONE, DEC_STOPPED, DEC_BAD, DEC_FAILED };
enum dec_mode { MODE_UTF8, MODE_CP932, MODE_UTF16LE, MODE_UTF16BE };

/*
 * Read the input from start to end in pieces, hashing what is read, and turn
 * each piece into text: UTF-8 is checked and cut between characters, CP932
 * decoded.  *bad receives the offset of an undecodable byte.
 */
static int decode_pass(const kdx_input *in, enum dec_mode mode, kdx_text_fn fn, void *ctx, unsigned long long *bad,
                       kdx_error **err)
{
	bool cp = mode != MODE_UTF8;  /* converted into a buffer of its own */
	/* pieces of READ_CHUNK bytes, or the whole input when it is smaller */
	size_t chunk = in->size < READ_CHUNK ? (size_t)in->size + 1 : READ_CHUNK;
	char *raw = kdx_xmalloc(chunk + 4);
	char *text = cp ? kdx_xmalloc(3 * (chunk + 4)) : NULL;
	kdx_sums sums;
	kdx_sums_init(&sums, false);
	unsigned long long off = 0;
	size_t carry = 0;
	int rc = DEC_DONE;
	for (;;) {
		long r = kdx_input_read(in, off, raw + carry, chunk);
		if (r < 0) {
			kdx_fail(err, KDX_EIO, "could not read the file: %s", strerror(errno));
			rc = DEC_FAILED;
			break;
		}
		if (r == 0)
			break;
		kdx_sums_update(&sums, raw + carry, (size_t)r);
		size_t skip = off == 0 && ((mode == MODE_UTF8 && in->bom) || (mode >= MODE_UTF16LE && in->utf16)) ?
			(mode == MODE_UTF8 ? 3 : 2) : 0;
		size_t have = carry + (size_t)r;
		unsigned long long base = off - carry;
		off += (unsigned long long)r;
		size_t used, outlen = 0;
		bool cut, invalid;
		const char *piece;
		if (mode == MODE_CP932) {
			used = cp932_piece((const unsigned char *)raw, have, text, &outlen, &cut, &invalid);
			piece = text;
		} else if (cp) {
			used = skip + utf16_piece((const unsigned char *)raw + skip, have - skip, mode == MODE_UTF16BE, text, &outlen,
			                          &cut, &invalid);
			piece = text;
		} else {
			used = skip + utf8_prefix((const unsigned char *)raw + skip, have - skip, &cut);
			invalid = used < have && !cut;
			piece = raw + skip;
			outlen = used - skip;
		}
		if (outlen && fn(ctx, piece, outlen) != 0) {
			rc = DEC_STOPPED;
			break;
		}
		if (invalid) {
			*bad = base + used;
			rc = DEC_BAD;
			break;
		}
		carry = have - used;
		memmove(raw, raw + used, carry);
	}
	if (rc == DEC_DONE && carry) {  /* a character cut off by the end of the file */
		*bad = off - carry;
		rc = DEC_BAD;
	}
	char sha[65];
	kdx_sums_final(&sums, sha, NULL);
	/* the text handed on must be the file that was hashed and checked */
	if ((rc == DEC_DONE && strcmp(sha, in->sha256) != 0) || (rc == DEC_BAD && mode == MODE_UTF8)) {
		changed(err);
		rc = DEC_FAILED;
	}
	free(raw);
	free(text);
	return rc;
}

kdx_status kdx_decode_stream(kdx_input *in, kdx_encoding want, kdx_encoding *used,
                             kdx_text_fn fn, void *ctx, kdx_error **err)
{
	static const char utf8_hint[] = "ファイルを UTF-8 で保存し直すか、Shift_JIS の場合は --encoding cp932 を指定してください。";
	unsigned long long bad = 0;
	if (want == KDX_ENC_AUTO && in->utf16) {
		/* 2 bytes of UTF-16 become at most 3 of UTF-8, the buffer for CP932's 3 per byte holds them */
		*used = in->utf16 == 1 ? KDX_ENC_UTF16LE : KDX_ENC_UTF16BE;
		switch (decode_pass(in, in->utf16 == 1 ? MODE_UTF16LE : MODE_UTF16BE, fn, ctx, &bad, err)) {
		case DEC_FAILED:
			return (*err)->status;
		case DEC_BAD:
			return fail_at(in, bad, "UTF16", "UTF-16 ",
			               "Excel の「Unicode テキスト」か「CSV UTF-8 (コンマ区切り)」で保存し直してください。", err);
		default:
			return KDX_OK;
		}
	}
	if (want == KDX_ENC_UTF8 || want == KDX_ENC_UTF8_BOM || want == KDX_ENC_AUTO) {
		if (in->utf8) {
			*used = in->bom ? KDX_ENC_UTF8_BOM : KDX_ENC_UTF8;
			return decode_pass(in, MODE_UTF8, fn, ctx, &bad, err) == DEC_FAILED ? (*err)->status : KDX_OK;
		}
		if (want != KDX_ENC_AUTO || in->bom)
			return fail_at(in, in->bad, "UTF8", "UTF-8 ", utf8_hint, err);
	}
	*used = KDX_ENC_CP932;
	pthread_once(&cp932_once, cp932_build);
	if (!cp932.ok)
		return kdx_fail(err, KDX_EINTERNAL, "could not open a converter from CP932 to UTF-8");
	switch (decode_pass(in, MODE_CP932, fn, ctx, &bad, err)) {
	case DEC_FAILED:
		return (*err)->status;
	case DEC_BAD:
		break;
	default:
		return KDX_OK;
	}
	if (want == KDX_ENC_AUTO && in->bad > bad)
		return fail_at(in, in->bad, "UTF8", "UTF-8 ", utf8_hint, err);
	return fail_at(in, bad, "CP932", "CP932（Shift_JIS）",
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
	kdx_input in;
	kdx_input_mem(&in, data, n);
	kdx_buf b = { 0 };
	kdx_buf_reserve(&b, n + 1);
	kdx_status st = kdx_decode_stream(&in, want, used, append_text, &b, err);
	kdx_input_close(&in);
	if (st != KDX_OK) {
		kdx_buf_free(&b);
		return st;
	}
	*outlen = b.len;
	*out = kdx_buf_steal(&b);
	return KDX_OK;
}
