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

/* The length (1 to 4) of the valid UTF-8 character s starts with, or 0 when
 * its first byte does not start one (NUL included). */
int kdx_utf8_len(const char *s);

/* How kdx_buf_add_shown shows text from outside (a file name, an archive's
 * entry, a cell) in a message, a log line, a notification or a stored name. */
enum {
	KDX_SHOWN_NAME = 1,   /* a backslash becomes \\ too, so that the bytes can be told back from what is shown */
	KDX_SHOWN_LINES = 2,  /* a newline stays: text of several lines that kdx made itself */
};
/* Append s with what could forge or break a line escaped: a byte that is not
 * part of UTF-8 text, a control character (C0, DEL, C1) and the characters
 * that end or reorder a line (U+2028, U+2029, the bidirectional marks and
 * overrides) become \xNN for each of their bytes, and a newline, a carriage
 * return and a tab \n, \r and \t.  Printable text, Japanese included, stays
 * as it is.  NULL appends nothing. */
void kdx_buf_add_shown(kdx_buf *b, const char *s, unsigned flags);
/* s shown as a name (KDX_SHOWN_NAME): a new string (caller frees); NULL for NULL. */
char *kdx_shown_name(const char *s);
/* s shown in a line of a message (no flags): a new string; NULL for NULL. */
char *kdx_shown(const char *s);

#endif
