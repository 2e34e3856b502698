/*
 * copybin.h - PostgreSQL's binary COPY format, for the fact tables.
 *
 * No escaping, and nothing for the server to parse: its text input functions
 * were a quarter of a load.  A stream is the signature (KDX_COPYBIN_HEAD),
 * one tuple per row, and the trailer (kdx_copybin_trailer).
 */
#ifndef KDX_COPYBIN_H
#define KDX_COPYBIN_H

#include <stdbool.h>
#include "kdx/buf.h"
#include "kdx/datasets.h"
#include "kdx/jdate.h"

/* The signature, no flags, no header extension. */
#define KDX_COPYBIN_HEAD "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0"
#define KDX_COPYBIN_HEAD_LEN 19

/* Where a fact row came from: the columns every fact table starts with. */
typedef struct kdx_fact_origin {
	long batch_id;
	const char *muni_code;
	kdx_date survey_date;
	const char *sheet;   /* NULL for CSV */
	long row;
} kdx_fact_origin;

/* One fact row of dataset ds: the origin, then the dataset's columns from
 * vals (indexed as kdx_datasets[ds].cols; "t" is true for flags, integers as
 * decimal text, NULL for SQL NULL) and, for nursery, the facility's group. */
void kdx_copybin_fact(kdx_buf *b, kdx_ds ds, const kdx_fact_origin *o, const char *const *vals, const char *group);
/* The end of the stream. */
void kdx_copybin_trailer(kdx_buf *b);

#endif
