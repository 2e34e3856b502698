/*
 * tabout.h - print a query result as an aligned text table (East Asian wide
 * characters count 2), RFC 4180 CSV or a JSON array of objects.
 */
#ifndef KDX_TABOUT_H
#define KDX_TABOUT_H

#include <stdio.h>
#include <libpq-fe.h>

typedef enum { KDX_FMT_TEXT, KDX_FMT_CSV, KDX_FMT_JSON } kdx_format;

/* Print columns cols[0..ncols) of r under the given headers; numeric_cols is a
 * bitmask of columns that are right-aligned in text and unquoted in JSON. */
void kdx_tabout(FILE *fp, kdx_format fmt, PGresult *r, const char *const *headers, int ncols,
                unsigned long numeric_cols);
void kdx_json_string(FILE *fp, const char *s);

#endif
