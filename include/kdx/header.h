/*
 * header.h - finding a file's header row, and so its dataset and columns.
 *
 * The dataset is recognised from the header row (or, in a municipal workbook,
 * the sheet name), never from the file name.  Headers are matched through
 * each dataset's column names and synonyms (etl/datasets.c) after NFKC
 * normalisation, in any order.
 */
#ifndef KDX_HEADER_H
#define KDX_HEADER_H

#include <stdbool.h>
#include "kdx/datasets.h"
#include "kdx/problem.h"
#include "kdx/reader.h"

#define KDX_HEADER_MAX_COLS 256
#define KDX_HEADER_MAX_DEFS 64

typedef struct kdx_header {
	int ds;                                /* the dataset, or -1 until a header is found */
	long row;                              /* the header's line or row */
	int ncols;                             /* columns of the header row */
	char *colname[KDX_HEADER_MAX_COLS];    /* each column's header, normalised; NULL when blank */
	int defcol[KDX_HEADER_MAX_DEFS];       /* the dataset's column i -> file column, or -1 */
} kdx_header;

/* The dataset a workbook sheet's name implies (手続電子化, 基盤導入 ...), or -1. */
int kdx_header_sheet_dataset(const char *sheet);

/* Try row as the header: of dataset forced when >= 0, else of whichever
 * dataset it names most of the columns proper to.  On success fills h and
 * reports duplicate or missing columns to ps (problems) and ignored columns
 * to ps (notes); returns false, changing nothing, when row is no header. */
bool kdx_header_try(kdx_header *h, const kdx_row *row, int forced, kdx_problems *ps);

/* Forget the header (h->ds becomes -1). */
void kdx_header_clear(kdx_header *h);

#endif
