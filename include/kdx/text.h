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
	KDX_ENC_CP932
} kdx_encoding;

const char *kdx_encoding_name(kdx_encoding e);
/* Parse --encoding: utf-8, cp932 (also sjis, shift_jis, windows-31j, ms932). */
bool kdx_encoding_parse(const char *s, kdx_encoding *out);

/*
 * Decode a whole input file to UTF-8.  With KDX_ENC_AUTO: a UTF-8 BOM or
 * valid UTF-8 is UTF-8, otherwise CP932 (what Excel on Japanese Windows
 * writes).  An undecodable byte fails with KDX_EDATA, e->offset set and the
 * surrounding bytes in the detail.  *out is malloc'd and NUL-terminated.
 */
kdx_status kdx_decode(const char *data, size_t n, kdx_encoding want, char **out, size_t *outlen,
                      kdx_encoding *used, kdx_error **err);

/* Receives decoded UTF-8 text in pieces (cut anywhere between characters);
 * return non-zero to stop. */
typedef int (*kdx_text_fn)(void *ctx, const char *text, size_t len);
/*
 * As kdx_decode, handing the text to fn in pieces instead of building it.  The
 * encoding is settled before the first piece when the file is UTF-8; a CP932
 * file is decoded as it goes, so an undecodable byte fails (KDX_EDATA, as
 * kdx_decode) after the pieces before it were handed on.
 */
kdx_status kdx_decode_stream(const char *data, size_t n, kdx_encoding want, kdx_encoding *used,
                             kdx_text_fn fn, void *ctx, kdx_error **err);

#endif
