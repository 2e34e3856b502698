/*
 * reader.h - CSV and xlsx readers that hand each row to a callback.
 *
 * Cells are UTF-8 text as the submitter wrote it (not normalised); NULL for
 * an empty cell.  xlsx numbers are written as their shortest decimal, dates
 * (a number whose format is a date format) as YYYY-MM-DD, booleans as 1/0,
 * error cells as "#ERR:<text>", a formula saved without its calculated value
 * as "#NOVALUE:=<formula>".  rowno is the CSV line where the record
 * starts, or the xlsx row number.
 */
#ifndef KDX_READER_H
#define KDX_READER_H

#include <stdbool.h>
#include <stddef.h>
#include "kdx/error.h"
#include "kdx/problem.h"
#include "kdx/text.h"

typedef struct kdx_row {
	long rowno;
	int ncells;
	char **cells;
} kdx_row;

/* Return 0 to go on, non-zero to stop reading. */
typedef int (*kdx_row_fn)(void *ctx, const kdx_row *row);

/* Read a whole CSV file (already decoded to UTF-8 text). */
kdx_status kdx_csv_read(const char *text, size_t len, kdx_row_fn fn, void *ctx, kdx_error **err);

/* The same, fed in pieces cut anywhere (kdx_decode_stream's). */
typedef struct kdx_csv kdx_csv;
kdx_csv *kdx_csv_new(kdx_row_fn fn, void *ctx);
kdx_status kdx_csv_feed(kdx_csv *r, const char *text, size_t len, kdx_error **err);
kdx_status kdx_csv_finish(kdx_csv *r, kdx_error **err);
/* Fields separated by delim (',' unless set; '\t' for Excel's 「Unicode テキスト」). */
void kdx_csv_set_delim(kdx_csv *r, char delim);
/* The separator of a file whose text starts with text: tab when its first
 * line has more tabs than commas, else comma. */
char kdx_csv_guess_delim(const char *text, size_t len);
/* True when the row callback asked to stop. */
bool kdx_csv_stopped(const kdx_csv *r);
void kdx_csv_free(kdx_csv *r);

/* Limits against hostile workbooks. */
typedef struct kdx_xlsx_limits {
	unsigned long long max_entry_bytes;  /* uncompressed size of one part */
	unsigned long long max_total_bytes;  /* all parts read */
	unsigned long max_entries;
	unsigned long long max_cells;
	int max_depth;
	double max_ratio;                    /* uncompressed : compressed */
} kdx_xlsx_limits;

void kdx_xlsx_limits_default(kdx_xlsx_limits *l);

/* An OLE2 compound file (what Excel writes for a .xls, or for an .xlsx
 * protected by a password), and whether it is the latter. */
bool kdx_is_cfb(const kdx_input *in);
bool kdx_cfb_is_encrypted(const kdx_input *in);

typedef struct kdx_xlsx kdx_xlsx;
kdx_status kdx_xlsx_open(const char *path, const kdx_xlsx_limits *lim, kdx_xlsx **out, kdx_error **err);
/* The same, opening path but naming the workbook shown in messages. */
kdx_status kdx_xlsx_open_as(const char *path, const char *shown, const kdx_xlsx_limits *lim, kdx_xlsx **out,
                            kdx_error **err);
void kdx_xlsx_free(kdx_xlsx *x);
int kdx_xlsx_sheet_count(const kdx_xlsx *x);
const char *kdx_xlsx_sheet_name(const kdx_xlsx *x, int i);
kdx_status kdx_xlsx_read_sheet(kdx_xlsx *x, int i, kdx_row_fn fn, void *ctx, kdx_error **err);


#endif
