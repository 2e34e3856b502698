/*
 * draw.h - A4 documents and tables with cairo and pango (text and colours: ink.h).
 *
 * One kdx_doc per file: the PDF surface, the cairo context and one pango
 * context live as long as the document.  All text is set by pango in
 * IPAexGothic (embedded as a subset by cairo).  Document dates are fixed to
 * the as-of date so the same data gives byte-identical PDFs.
 */
#ifndef KDX_DRAW_H
#define KDX_DRAW_H

#include <stdbool.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include "kdx/error.h"
#include "kdx/ink.h"

#define KDX_A4_W 595.276
#define KDX_A4_H 841.890

typedef struct kdx_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pc;
	double w, h;
	double ml, mr, mt, mb;   /* margins */
	double y;                /* cursor */
	int page;
	char *header;            /* running header */
	char *footer;
	bool page_open;
	int outline;             /* the last top-level bookmark, 0 before the first */
	/* columns (kdx_doc_columns): ml and mr are the current column's, these the page's */
	double page_ml, page_mr;
	int ncols, col;
	double col_top;          /* where the columns start on this page */
	double col_bottom;       /* the lowest a column reached before the cursor moved to the next */
} kdx_doc;

/* A new A4 PDF at path, with title metadata and dates fixed to asof_iso. */
kdx_status kdx_doc_new(const char *path, const char *title, const char *asof_iso, kdx_doc **out, kdx_error **err);
void kdx_doc_header(kdx_doc *d, const char *header, const char *footer);
/* The document's subject (its edition) in the PDF's metadata. */
void kdx_doc_subject(kdx_doc *d, const char *subject);
/* A top-level bookmark to the cursor (headings make their own). */
void kdx_doc_bookmark(kdx_doc *d, const char *text);
/* Start a page (closing the current one). */
void kdx_doc_page(kdx_doc *d);
/* Make sure h points fit below the cursor, else go on in the next column or
 * on a new page. */
void kdx_doc_need(kdx_doc *d, double h);
/* Flow what follows in n columns from the cursor down (on later pages from
 * the top); n = 1 goes back to the full width below the lowest column. */
void kdx_doc_columns(kdx_doc *d, int n);
/* A heading at the cursor. */
void kdx_doc_heading(kdx_doc *d, const char *text, double size);
/* A paragraph at the cursor. */
void kdx_doc_para(kdx_doc *d, const char *text, double size);
/* Finish and check the file; frees d. */
kdx_status kdx_doc_close(kdx_doc *d, kdx_error **err);

/* A table: cells[r*ncols + c]; widths in points; row 0 is the header,
 * repeated on each new page.  bg (may be NULL) gives a background per cell. */
typedef struct kdx_table {
	int nrows, ncols;
	const char **cells;
	const double *widths;
	const int *align;        /* per column */
	const kdx_rgb *bg;       /* per cell or NULL; r < 0 means none */
	double size;
	/* what the table belongs to ("1. こども関係手続の電子化（続き）"), said above
	 * its header row on a page or column it starts or goes on at the top of,
	 * so that no page opens with a bare header row; NULL for none */
	const char *caption;
} kdx_table;
void kdx_doc_table(kdx_doc *d, const kdx_table *t);
/* The height a table of text at 9 pt or more takes when drawn on one page,
 * with the space kdx_doc_table leaves after it. */
double kdx_doc_table_height(kdx_doc *d, const kdx_table *t);
/* The height kdx_doc_para needs on the page for text at size (the space it
 * leaves after the text not included). */
double kdx_doc_para_height(kdx_doc *d, const char *text, double size);

#endif
