/*
 * mem.h - allocation that cannot fail: kdx's heap helpers.
 *
 * kdx has no way to go on without memory (an error could not even be
 * reported), so each helper prints "kdx: fatal: out of memory" and aborts
 * instead of returning NULL.  What they return belongs to the caller, who
 * releases it with free().  This module depends on libc alone, so that every
 * other module of lib/ can use it without a circle.
 */
#ifndef KDX_MEM_H
#define KDX_MEM_H

#include <stdarg.h>
#include <stddef.h>

/* A zero size still gives a unique pointer (one byte). */
void *kdx_xmalloc(size_t n);
void *kdx_xcalloc(size_t n, size_t m);
void *kdx_xrealloc(void *p, size_t n);
/* A copy of s; NULL for NULL. */
char *kdx_strdup(const char *s);
/* Heap printf. */
char *kdx_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *kdx_strdup_vprintf(const char *fmt, va_list ap);

#endif
