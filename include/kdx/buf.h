/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 * kdx_buf_free() releases the storage; a zeroed struct is a valid empty buffer.
 */
#ifndef KDX_BUF_H
#define KDX_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct kdx_buf {
	char *data;
	size_t len;
	size_t cap;
} kdx_buf;

void kdx_buf_reserve(kdx_buf *b, size_t extra);
void kdx_buf_add(kdx_buf *b, const void *p, size_t n);
void kdx_buf_adds(kdx_buf *b, const char *s);
void kdx_buf_addc(kdx_buf *b, char c);
/* a decimal integer, without printf */
void kdx_buf_add_long(kdx_buf *b, long v);
void kdx_buf_printf(kdx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kdx_buf_reset(kdx_buf *b);
void kdx_buf_free(kdx_buf *b);
/* Hand the storage to the caller (who frees it); the buffer becomes empty. */
char *kdx_buf_steal(kdx_buf *b);
/* Append s as one field of PostgreSQL COPY text format (escaping \, tab, newline). NULL becomes \N. */
void kdx_buf_copy_field(kdx_buf *b, const char *s);
/* Append s as one RFC 4180 CSV field, quoting only when needed. */
void kdx_buf_csv_field(kdx_buf *b, const char *s);

#endif
