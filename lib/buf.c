/* buf.c - growable NUL-terminated byte buffer. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "kdx/buf.h"
#include "kdx/mem.h"

void kdx_buf_grow(kdx_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = kdx_xrealloc(b->data, cap);
	b->cap = cap;
	b->data[b->len] = '\0';
}

void kdx_buf_adds(kdx_buf *b, const char *s)
{
	kdx_buf_add(b, s, strlen(s));
}

void kdx_buf_printf(kdx_buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n > 0) {
		kdx_buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	} else {
		kdx_buf_reserve(b, 0);
		b->data[b->len] = '\0';
	}
	va_end(ap);
}

void kdx_buf_reset(kdx_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void kdx_buf_free(kdx_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *kdx_buf_steal(kdx_buf *b)
{
	kdx_buf_reserve(b, 0);
	char *p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void kdx_buf_copy_field(kdx_buf *b, const char *s)
{
	if (!s) {
		kdx_buf_add(b, "\\N", 2);
		return;
	}
	for (;;) {
		size_t n = strcspn(s, "\\\t\n\r");
		kdx_buf_add(b, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\\': kdx_buf_add(b, "\\\\", 2); break;
		case '\t': kdx_buf_add(b, "\\t", 2); break;
		case '\n': kdx_buf_add(b, "\\n", 2); break;
		default: kdx_buf_add(b, "\\r", 2); break;
		}
		s++;
	}
}

void kdx_buf_add_long(kdx_buf *b, long v)
{
	char tmp[24];
	int i = (int)sizeof tmp;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		tmp[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		tmp[--i] = '-';
	kdx_buf_add(b, tmp + i, sizeof tmp - (size_t)i);
}

static bool formula_like(const char *s)
{
	if (!s[0] || !strchr("=+-@\t\r", s[0]))
		return false;
	if (s[0] == '-' || s[0] == '+') {
		/* a signed number, perhaps with a % or pt after it, or kdx's "-" */
		const char *p = s + 1;
		size_t digits = strspn(p, "0123456789.,");
		if (!*p || (digits && (!p[digits] || !strcmp(p + digits, "%") || !strcmp(p + digits, "pt"))))
			return false;
	}
	return true;
}

void kdx_buf_csv_cell(kdx_buf *b, const char *s)
{
	if (s && formula_like(s)) {
		char *t = kdx_strdup_printf("'%s", s);
		kdx_buf_csv_field(b, t);
		free(t);
		return;
	}
	kdx_buf_csv_field(b, s);
}

void kdx_buf_csv_field(kdx_buf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		kdx_buf_adds(b, s);
		return;
	}
	kdx_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			kdx_buf_addc(b, '"');
		kdx_buf_addc(b, *s);
	}
	kdx_buf_addc(b, '"');
}

char *kdx_shown(const char *s)
{
	kdx_buf b = { 0 };
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			kdx_buf_printf(&b, "\\x%02x", *p);
		else
			kdx_buf_addc(&b, (char)*p);
	}
	return kdx_buf_steal(&b);
}
