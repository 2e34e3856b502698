/*
 * text.h - Unicode normalisation and input decoding.
 */
#ifndef KDX_TEXT_H
#define KDX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "kdx/error.h"

/* NFKC-normalise and trim (ASCII and, after NFKC, ideographic spaces) a UTF-8
 * string.  Returns a new string (caller frees); NULL input gives NULL. */
char *kdx_text_norm(const char *s);
/* As kdx_text_norm, appending the result and its NUL to b (the loader's per-row
 * scratch); returns the offset in b where it starts. */
struct kdx_buf;
size_t kdx_text_norm_to(struct kdx_buf *b, const char *s);
/* As kdx_text_norm, and also drop every space inside (for header names and codes). */
char *kdx_text_key(const char *s);
/* True when s (length n) is valid UTF-8; *bad receives the offset of the first invalid byte. */
bool kdx_utf8_valid(const char *s, size_t n, size_t *bad);
/* Display width: East Asian wide/fullwidth characters count 2. */
int kdx_text_width(const char *s);

typedef enum kdx_encoding {
	KDX_ENC_AUTO = 0,
	KDX_ENC_UTF8,
	KDX_ENC_UTF8_BOM,
	KDX_ENC_CP932,
	KDX_ENC_UTF16LE,  /* with its BOM: Excel's 「Unicode テキスト」 */
	KDX_ENC_UTF16BE
} kdx_encoding;

const char *kdx_encoding_name(kdx_encoding e);
/* Parse --encoding: utf-8, cp932 (also sjis, shift_jis, windows-31j, ms932). */
bool kdx_encoding_parse(const char *s, kdx_encoding *out);

/*
 * An input file, read in pieces and never held whole.  kdx_input_open reads
 * it once to find its size, its SHA-256 and whether it is UTF-8, so that the
 * encoding is settled before any text is handed on; kdx_decode_stream reads it
 * again.  An input in memory (kdx_input_mem) serves tests and fuzzing.
 */
typedef struct kdx_input {
	int fd;                   /* -1 for an input in memory */
	const char *mem;
	unsigned long long size;
	char sha256[65];
	bool bom;                 /* starts with a UTF-8 byte order mark */
	int utf16;                /* starts with a UTF-16 byte order mark: 1 little-endian, 2 big-endian */
	bool utf8;                /* after any BOM: valid UTF-8 without a NUL byte */
	unsigned long long bad;   /* when not: the offset of the first byte that is not */
	long long mtime_ns;       /* the file's modification time when opened */
	bool copy;                /* read from a private copy (the file was a pipe): no mtime */
} kdx_input;

/* A regular file or a pipe (copied to an unnamed temporary file, at most
 * 1 GiB); anything else (a device, a folder, a socket) is refused with
 * KDX_EIO, unopened. */
kdx_status kdx_input_open(kdx_input *in, const char *path, kdx_error **err);
/* The same for a file others may have put there (the inbox): a regular file
 * with no other name, never a link followed, a FIFO or a device opened. */
kdx_status kdx_input_open_regular(kdx_input *in, const char *path, kdx_error **err);
/* data must outlive the input; nothing is copied. */
void kdx_input_mem(kdx_input *in, const void *data, size_t n);
/* Up to n bytes from offset off; returns the count (0 at the end), or -1 with errno set. */
long kdx_input_read(const kdx_input *in, unsigned long long off, void *buf, size_t n);
/* True when the file's size or modification time is no longer what it was when
 * opened (for readers that open the file by name, as minizip does). */
bool kdx_input_changed(const kdx_input *in);
void kdx_input_close(kdx_input *in);

/* Receives decoded UTF-8 text in pieces (cut anywhere between characters);
 * return non-zero to stop. */
typedef int (*kdx_text_fn)(void *ctx, const char *text, size_t len);

/*
 * Decode an input to UTF-8, handing the text to fn in pieces.  With
 * KDX_ENC_AUTO: a UTF-16 BOM is UTF-16 (Excel's 「Unicode テキスト」), a UTF-8
 * BOM or valid UTF-8 is UTF-8, otherwise CP932 (what Excel on Japanese
 * Windows writes).  CP932 is decoded as it goes, so an
 * undecodable byte fails with KDX_EDATA (e->offset and e->row set, the bytes
 * around it in the detail) after the pieces before it were handed on.  A file
 * that is not what kdx_input_open read fails with KDX_EIO.
 */
kdx_status kdx_decode_stream(kdx_input *in, kdx_encoding want, kdx_encoding *used,
                             kdx_text_fn fn, void *ctx, kdx_error **err);

/* The same for data in memory, into one malloc'd NUL-terminated string. */
kdx_status kdx_decode(const char *data, size_t n, kdx_encoding want, char **out, size_t *outlen,
                      kdx_encoding *used, kdx_error **err);

#endif
