/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 * kdx_buf_free() releases the storage; a zeroed struct is a valid empty buffer.
 */
#ifndef KDX_BUF_H
#define KDX_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include <string.h>

typedef struct kdx_buf {
	char *data;
	size_t len;
	size_t cap;
} kdx_buf;

/* Room for extra more bytes and the terminating NUL (the slow path is kdx_buf_grow). */
void kdx_buf_grow(kdx_buf *b, size_t extra);
static inline void kdx_buf_reserve(kdx_buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		kdx_buf_grow(b, extra);
}

/* The appends are inline: the loader calls them for every cell of every row. */
static inline void kdx_buf_add(kdx_buf *b, const void *p, size_t n)
{
	kdx_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void kdx_buf_addc(kdx_buf *b, char c)
{
	kdx_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void kdx_buf_adds(kdx_buf *b, const char *s);
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
/* The same for a CSV that people open in Excel: a value that Excel would
 * take for a formula (one starting with = + - @, a tab or a CR) gets a
 * leading ' (OWASP's CSV-injection rule); a plain number such as -5, +3.5 or
 * -12%, and kdx's "-", stay as they are. */
void kdx_buf_csv_cell(kdx_buf *b, const char *s);

/* A name from outside (an archive's entry, a file name) as kdx prints it:
 * control characters and backslashes as \xNN, so that a hostile name cannot
 * move the cursor or fake a line of output; caller frees. */
char *kdx_shown(const char *s);

#endif
