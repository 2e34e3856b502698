/* draw.c - documents, text and tables (see draw.h). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cairo-pdf.h>
#include "kdx/draw.h"

kdx_rgb kdx_status_color(const char *s)
{
	if (!strcmp(s, "達成")) return (kdx_rgb){ 0.000, 0.447, 0.698 };   /* blue */
	if (!strcmp(s, "未達")) return (kdx_rgb){ 0.902, 0.624, 0.000 };   /* orange */
	if (!strcmp(s, "期限超過")) return (kdx_rgb){ 0.835, 0.369, 0.000 }; /* vermillion */
	if (!strcmp(s, "対象外")) return (kdx_rgb){ 0.600, 0.600, 0.600 };
	return (kdx_rgb){ 0.800, 0.800, 0.800 };                            /* 未提出 */
}

kdx_rgb kdx_status_tint(const char *s)
{
	if (!strcmp(s, "達成")) return (kdx_rgb){ 0.812, 0.890, 0.949 };
	if (!strcmp(s, "未達")) return (kdx_rgb){ 0.984, 0.910, 0.761 };
	if (!strcmp(s, "期限超過")) return (kdx_rgb){ 0.965, 0.816, 0.729 };
	if (!strcmp(s, "対象外")) return (kdx_rgb){ 0.933, 0.933, 0.933 };
	return (kdx_rgb){ 1, 1, 1 };
}

void kdx_set_rgb(cairo_t *cr, kdx_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static PangoLayout *layout_new(PangoContext *pc, double w, const char *text, double size, int flags)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, KDX_FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (flags & KDX_BOLD)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (!(flags & KDX_NOWRAP)) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	int a = flags & 3;
	pango_layout_set_alignment(l, a == KDX_ALIGN_CENTER ? PANGO_ALIGN_CENTER : a == KDX_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

/*
 * Laying text out (shaping it with harfbuzz, breaking lines) was most of the
 * time of a council report: a table measures each cell to size its row and
 * then lays it out again to draw it, and its cells repeat the same words
 * (達成, 未達, -, 100%).  So layouts are kept, by pango context, text, size,
 * flags and width (pango lays a kept layout out again by itself if its context
 * changes), and the caller does not own the layout returned.  Bounded: past
 * KDX_LAYOUTS_MAX the cache starts over.
 *
 * The PDF documents of a process share one pango context and one cache, so a
 * feedback report finds its headings, labels and column heads laid out by the
 * reports before it.  Every PDF surface has the same font options and the
 * pages are drawn untransformed, so a layout comes out the same in any of
 * them.  Other contexts (the charts' PNG and SVG files) keep a cache with
 * their cairo context.
 */
#define KDX_LAYOUTS_MAX 4096

struct layouts {
	GHashTable *kept;          /* key -> PangoLayout */
	PangoContext *pc;          /* the context last brought in line with a cairo context */
	cairo_matrix_t m;          /* that cairo context's matrix then */
};

static struct {
	PangoContext *pc;          /* the PDF documents' context */
	cairo_font_options_t *fo;  /* the font options of the surface it was made for */
	struct layouts cache;
} docs;

static void layouts_init(struct layouts *c)
{
	c->kept = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	c->pc = NULL;
}

static void layouts_free(void *p)
{
	struct layouts *c = p;
	g_hash_table_unref(c->kept);
	free(c);
}

/* The documents' pango context, made anew only if a surface's font options
 * ever differ from those it was made with.  The caller gets a reference. */
static PangoContext *docs_context(cairo_t *cr)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_surface_get_font_options(cairo_get_target(cr), fo);
	if (docs.pc && cairo_font_options_equal(fo, docs.fo)) {
		cairo_font_options_destroy(fo);
		return g_object_ref(docs.pc);
	}
	if (docs.pc) {
		g_hash_table_unref(docs.cache.kept);
		g_object_unref(docs.pc);
		cairo_font_options_destroy(docs.fo);
	}
	docs.pc = pango_cairo_create_context(cr);
	docs.fo = fo;
	layouts_init(&docs.cache);
	return g_object_ref(docs.pc);
}

static PangoLayout *layout(cairo_t *cr, PangoContext *pc, double w, const char *text, double size, int flags)
{
	static const cairo_user_data_key_t cache_key;
	struct layouts *c = &docs.cache;
	if (pc != docs.pc) {
		/* kept with the cairo context, not the pango one: a layout holds its
		 * pango context, so a cache kept there would never be freed */
		c = cairo_get_user_data(cr, &cache_key);
		if (!c) {
			c = kdx_xcalloc(1, sizeof *c);
			layouts_init(c);
			cairo_set_user_data(cr, &cache_key, c, layouts_free);
		}
	}
	/* pango_cairo_update_context marks the context changed every time, and a
	 * changed context makes every layout lay itself out again: call it only
	 * when cr's matrix is not the one the context already has */
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	if (c->pc != pc || memcmp(&m, &c->m, sizeof m) != 0) {
		pango_cairo_update_context(cr, pc);
		c->pc = pc;
		c->m = m;
	}
	if (flags & KDX_NOWRAP)
		w = 0;  /* the width plays no part */
	char *key = g_strdup_printf("%p|%d|%.3f|%.3f|%s", (void *)pc, flags, size, w, text ? text : "");
	PangoLayout *l = g_hash_table_lookup(c->kept, key);
	if (l) {
		g_free(key);
		return l;
	}
	if (g_hash_table_size(c->kept) >= KDX_LAYOUTS_MAX)
		g_hash_table_remove_all(c->kept);
	l = layout_new(pc, w, text, size, flags);
	g_hash_table_insert(c->kept, key, l);
	return l;
}

double kdx_text(cairo_t *cr, PangoContext *pc, double x, double y, double w, const char *text, double size, int flags)
{
	PangoLayout *l = layout(cr, pc, w, text, size, flags);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	cairo_save(cr);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	cairo_restore(cr);
	return (double)ph / PANGO_SCALE;
}

double kdx_text_height(cairo_t *cr, PangoContext *pc, double w, const char *text, double size, int flags)
{
	PangoLayout *l = layout(cr, pc, w, text, size, flags);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	return (double)ph / PANGO_SCALE;
}

double kdx_text_line_width(cairo_t *cr, PangoContext *pc, const char *text, double size, int flags)
{
	PangoLayout *l = layout(cr, pc, 0, text, size, flags | KDX_NOWRAP);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	return (double)pw / PANGO_SCALE;
}

kdx_status kdx_doc_new(const char *path, const char *title, const char *asof_iso, kdx_doc **out, kdx_error **err)
{
	kdx_doc *d = kdx_xcalloc(1, sizeof *d);
	d->w = KDX_A4_W;
	d->h = KDX_A4_H;
	d->ml = d->mr = 42;
	d->mt = 50;
	d->mb = 48;
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
	d->pc = docs_context(d->cr);
	d->y = d->mt;
	*out = d;
	return KDX_OK;
}

void kdx_doc_header(kdx_doc *d, const char *header, const char *footer)
{
	free(d->header);
	free(d->footer);
	d->header = kdx_strdup(header);
	d->footer = kdx_strdup(footer);
}

static void finish_page(kdx_doc *d)
{
	if (!d->page_open)
		return;
	cairo_t *cr = d->cr;
	double cw = d->w - d->ml - d->mr;
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	if (d->header) {
		kdx_text(cr, d->pc, d->ml, 22, cw, d->header, 7.5, KDX_ALIGN_RIGHT);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, d->ml, 34);
		cairo_line_to(cr, d->w - d->mr, 34);
		cairo_stroke(cr);
	}
	char num[32];
	snprintf(num, sizeof num, "- %d -", d->page);
	kdx_text(cr, d->pc, d->ml, d->h - 32, cw, num, 8, KDX_ALIGN_CENTER);
	if (d->footer)
		kdx_text(cr, d->pc, d->ml, d->h - 32, cw, d->footer, 6.5, KDX_ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_show_page(cr);
	d->page_open = false;
}

void kdx_doc_page(kdx_doc *d)
{
	finish_page(d);
	d->page++;
	d->page_open = true;
	d->y = d->mt;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

void kdx_doc_need(kdx_doc *d, double h)
{
	if (!d->page_open || d->y + h > d->h - d->mb)
		kdx_doc_page(d);
}

void kdx_doc_heading(kdx_doc *d, const char *text, double size)
{
	double cw = d->w - d->ml - d->mr;
	kdx_doc_need(d, size * 3.5);
	cairo_set_source_rgb(d->cr, 0.05, 0.2, 0.4);
	d->y += kdx_text(d->cr, d->pc, d->ml, d->y, cw, text, size, KDX_BOLD) + size * 0.5;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

void kdx_doc_para(kdx_doc *d, const char *text, double size)
{
	double cw = d->w - d->ml - d->mr;
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

void kdx_doc_table(kdx_doc *d, const kdx_table *t)
{
	double hh = row_height(d, t, 0);
	kdx_doc_need(d, hh * 2);
	draw_row(d, t, 0, hh);
	for (int r = 1; r < t->nrows; r++) {
		double h = row_height(d, t, r);
		if (d->y + h > d->h - d->mb) {
			kdx_doc_page(d);
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
