/* draw.c - documents, text and tables (see draw.h). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <cairo-pdf.h>
#include "kdx/draw.h"

kdx_status kdx_doc_new(const char *path, const char *title, const char *asof_iso, kdx_doc **out, kdx_error **err)
{
	kdx_doc *d = kdx_xcalloc(1, sizeof *d);
	/* A4 landscape: the tables of 18 or more municipalities fit at 9 pt */
	d->w = KDX_A4_H;
	d->h = KDX_A4_W;
	d->ml = d->mr = d->page_ml = d->page_mr = 42;
	d->mt = 50;
	d->mb = 48;
	d->ncols = 1;
	d->surface = cairo_pdf_surface_create(path, d->w, d->h);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		kdx_status st = kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", path,
		                         cairo_status_to_string(cairo_surface_status(d->surface)));
		cairo_surface_destroy(d->surface);
		free(d);
		return st;
	}
	char date[40];
	snprintf(date, sizeof date, "%sT00:00:00+09:00", asof_iso);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "kdx");
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
	d->cr = cairo_create(d->surface);
	d->pc = kdx_ink_docs_context(d->cr);
	d->y = d->mt;
	*out = d;
	return KDX_OK;
}

void kdx_doc_subject(kdx_doc *d, const char *subject)
{
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
}

void kdx_doc_bookmark(kdx_doc *d, const char *text)
{
	char dest[64];
	snprintf(dest, sizeof dest, "page=%d pos=[%.0f %.0f]", d->page, d->ml, d->y);
	d->outline = cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, text, dest, 0);
}

void kdx_doc_header(kdx_doc *d, const char *header, const char *footer)
{
	free(d->header);
	free(d->footer);
	d->header = kdx_strdup(header);
	d->footer = kdx_strdup(footer);
}

static void set_column(kdx_doc *d);

static void finish_page(kdx_doc *d)
{
	if (!d->page_open)
		return;
	cairo_t *cr = d->cr;
	double ml = d->page_ml, cw = d->w - d->page_ml - d->page_mr;
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	if (d->header) {
		kdx_text(cr, d->pc, ml, 20, cw, d->header, KDX_MIN_TEXT, KDX_ALIGN_RIGHT);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, ml, 34);
		cairo_line_to(cr, ml + cw, 34);
		cairo_stroke(cr);
	}
	char num[32];
	snprintf(num, sizeof num, "- %d -", d->page);
	kdx_text(cr, d->pc, ml, d->h - 32, cw, num, 8, KDX_ALIGN_CENTER);
	if (d->footer)
		kdx_text(cr, d->pc, ml, d->h - 32, cw, d->footer, KDX_MIN_TEXT, KDX_ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_show_page(cr);
	d->page_open = false;
}

void kdx_doc_page(kdx_doc *d)
{
	finish_page(d);
	d->page++;
	d->page_open = true;
	/* the page label a PDF viewer shows is the number printed on the page */
	char label[16];
	snprintf(label, sizeof label, "%d", d->page);
	cairo_pdf_surface_set_page_label(d->surface, label);
	d->y = d->mt;
	d->col = 0;
	d->col_top = d->mt;
	d->col_bottom = d->mt;
	set_column(d);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

#define KDX_COLUMN_GAP 18

/* the margins of the current column */
static void set_column(kdx_doc *d)
{
	if (d->ncols <= 1) {
		d->ml = d->page_ml;
		d->mr = d->page_mr;
		return;
	}
	double cw = (d->w - d->page_ml - d->page_mr - KDX_COLUMN_GAP * (d->ncols - 1)) / d->ncols;
	d->ml = d->page_ml + d->col * (cw + KDX_COLUMN_GAP);
	d->mr = d->w - d->ml - cw;
}

/* the next column, or a new page */
static void doc_break(kdx_doc *d)
{
	if (d->page_open && d->col + 1 < d->ncols) {
		d->col_bottom = d->y > d->col_bottom ? d->y : d->col_bottom;
		d->col++;
		d->y = d->col_top;
		set_column(d);
	} else {
		kdx_doc_page(d);
	}
}

void kdx_doc_columns(kdx_doc *d, int n)
{
	if (n > 1) {
		d->ncols = n;
		d->col = 0;
		d->col_top = d->y;
		d->col_bottom = d->y;
	} else {
		d->y = d->y > d->col_bottom ? d->y : d->col_bottom;
		d->ncols = 1;
		d->col = 0;
	}
	set_column(d);
}

void kdx_doc_need(kdx_doc *d, double h)
{
	if (!d->page_open)
		kdx_doc_page(d);
	else if (d->y + h > d->h - d->mb)
		doc_break(d);
}

void kdx_doc_heading(kdx_doc *d, const char *text, double size)
{
	double cw = d->w - d->ml - d->mr;
	kdx_doc_need(d, size * 3.5);
	/* every heading is a bookmark: the large ones at the top of the outline,
	 * the smaller ones under the last large one */
	if (size >= 14 || d->outline == 0) {
		kdx_doc_bookmark(d, text);
	} else {
		char dest[64];
		snprintf(dest, sizeof dest, "page=%d pos=[%.0f %.0f]", d->page, d->ml, d->y);
		cairo_pdf_surface_add_outline(d->surface, d->outline, text, dest, 0);
	}
	cairo_set_source_rgb(d->cr, 0.05, 0.2, 0.4);
	d->y += kdx_text(d->cr, d->pc, d->ml, d->y, cw, text, size, KDX_BOLD) + size * 0.5;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

double kdx_doc_para_height(kdx_doc *d, const char *text, double size)
{
	if (size < KDX_MIN_BODY)
		size = KDX_MIN_BODY;
	return kdx_text_height(d->cr, d->pc, d->w - d->ml - d->mr, text, size, 0);
}

void kdx_doc_para(kdx_doc *d, const char *text, double size)
{
	double cw = d->w - d->ml - d->mr;
	if (size < KDX_MIN_BODY)
		size = KDX_MIN_BODY;
	double h = kdx_text_height(d->cr, d->pc, cw, text, size, 0);
	kdx_doc_need(d, h);
	d->y += kdx_text(d->cr, d->pc, d->ml, d->y, cw, text, size, 0) + size * 0.4;
}

static double row_height(kdx_doc *d, const kdx_table *t, int r)
{
	double h = 0;
	for (int c = 0; c < t->ncols; c++) {
		double x = kdx_text_height(d->cr, d->pc, t->widths[c] - 4, t->cells[r * t->ncols + c], t->size, r == 0 ? KDX_BOLD : 0);
		if (x > h)
			h = x;
	}
	return h + 4;
}

static void draw_row(kdx_doc *d, const kdx_table *t, int r, double h)
{
	cairo_t *cr = d->cr;
	double x = d->ml;
	for (int c = 0; c < t->ncols; c++) {
		double w = t->widths[c];
		if (r == 0) {
			cairo_set_source_rgb(cr, 0.86, 0.89, 0.93);
			cairo_rectangle(cr, x, d->y, w, h);
			cairo_fill(cr);
		} else if (t->bg && t->bg[r * t->ncols + c].r >= 0) {
			kdx_set_rgb(cr, t->bg[r * t->ncols + c]);
			cairo_rectangle(cr, x, d->y, w, h);
			cairo_fill(cr);
		}
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, 0.4);
		cairo_rectangle(cr, x, d->y, w, h);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		int al = r == 0 ? KDX_ALIGN_CENTER : (t->align ? t->align[c] : KDX_ALIGN_LEFT);
		kdx_text(cr, d->pc, x + 2, d->y + 2, w - 4, t->cells[r * t->ncols + c], t->size, al | (r == 0 ? KDX_BOLD : 0));
		x += w;
	}
	d->y += h;
}

/* A table as given, or, when its text is below 9 pt, at 9 pt with its columns
 * widened in proportion (as far as the page allows). */
static void doc_table(kdx_doc *d, const kdx_table *t);
void kdx_doc_table(kdx_doc *d, const kdx_table *given)
{
	if (given->size >= KDX_MIN_BODY) {
		doc_table(d, given);
		return;
	}
	kdx_table t = *given;
	double *w = kdx_xcalloc((size_t)t.ncols + 1, sizeof *w), sum = 0;
	for (int c = 0; c < t.ncols; c++)
		sum += given->widths[c];
	double cw = d->w - d->ml - d->mr, f = KDX_MIN_BODY / given->size * 1.08;
	if (sum * f > cw)
		f = cw / sum;
	for (int c = 0; c < t.ncols; c++)
		w[c] = given->widths[c] * (f > 1 ? f : 1);
	t.widths = w;
	t.size = KDX_MIN_BODY;
	doc_table(d, &t);
	free(w);
}

#define KDX_CAPTION_SIZE 10.0
#define KDX_CAPTION_H (KDX_CAPTION_SIZE * 1.9)

double kdx_doc_table_height(kdx_doc *d, const kdx_table *t)
{
	double h = 8;  /* (where it does not start a page: there its caption takes KDX_CAPTION_H more) */
	for (int r = 0; r < t->nrows; r++)
		h += row_height(d, t, r);
	return h;
}

/* The table's caption, at the top of a page or column. */
static void table_caption(kdx_doc *d, const kdx_table *t)
{
	if (!t->caption)
		return;
	cairo_set_source_rgb(d->cr, 0.05, 0.2, 0.4);
	kdx_text(d->cr, d->pc, d->ml, d->y, d->w - d->ml - d->mr, t->caption, KDX_CAPTION_SIZE, KDX_BOLD);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	d->y += KDX_CAPTION_H;
}

static void doc_table(kdx_doc *d, const kdx_table *t)
{
	double hh = row_height(d, t, 0), cap = t->caption ? KDX_CAPTION_H : 0;
	kdx_doc_need(d, hh * 2);
	if (d->y <= d->mt + 0.01) {  /* a page that would open with its header row */
		kdx_doc_need(d, hh * 2 + cap);
		table_caption(d, t);
	}
	draw_row(d, t, 0, hh);
	for (int r = 1; r < t->nrows; r++) {
		double h = row_height(d, t, r);
		if (d->y + h > d->h - d->mb) {
			doc_break(d);
			table_caption(d, t);
			draw_row(d, t, 0, hh);
		}
		draw_row(d, t, r, h);
	}
	d->y += 8;
}

kdx_status kdx_doc_close(kdx_doc *d, kdx_error **err)
{
	finish_page(d);
	g_object_unref(d->pc);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	cairo_status_t cs = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	free(d->header);
	free(d->footer);
	free(d);
	if (cs != CAIRO_STATUS_SUCCESS)
		return kdx_fail(err, KDX_EIO, "could not write the PDF: %s", cairo_status_to_string(cs));
	return KDX_OK;
}
