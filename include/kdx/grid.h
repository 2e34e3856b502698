/*
 * grid.h - rows of text printed as an aligned table for people (East Asian
 * wide characters count 2), as RFC 4180 CSV, or as a JSON array of objects.
 *
 * Each column is a field: its title for people, its name for CSV and JSON,
 * and its type (a number is right-aligned in text and bare in JSON, a
 * boolean is true/false in JSON).  A NULL cell is empty in text and CSV and
 * null in JSON.
 */
#ifndef KDX_GRID_H
#define KDX_GRID_H

#include <stdio.h>
#include <libpq-fe.h>

typedef enum { KDX_FMT_TEXT, KDX_FMT_CSV, KDX_FMT_JSON } kdx_format;
typedef enum {
	KDX_FIELD_TEXT,
	KDX_FIELD_NUMBER,  /* right-aligned; bare in JSON (null when it is not a number) */
	KDX_FIELD_BOOL,    /* t/f; true/false in JSON */
	KDX_FIELD_FIGURE   /* a figure as printed ("59%", "1/2基盤"): right-aligned, a string in JSON */
} kdx_field_type;

typedef struct kdx_field {
	const char *title;  /* the text table's heading */
	const char *name;   /* the CSV header's and the JSON key */
	kdx_field_type type;
} kdx_field;

typedef struct kdx_grid {
	const kdx_field *fields;
	int nfields;
	int nrows;
	const char *const *cells;  /* [row * nfields + field]; borrowed */
} kdx_grid;

void kdx_grid_print(FILE *fp, kdx_format fmt, const kdx_grid *g);
/* The first nfields columns of a query result, printed as a grid (a boolean
 * column's t/f become true/false in JSON). */
void kdx_grid_print_result(FILE *fp, kdx_format fmt, PGresult *r, const kdx_field *fields, int nfields);
void kdx_json_string(FILE *fp, const char *s);

#endif
