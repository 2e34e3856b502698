/*
 * ink.c - colours and text for every drawing kdx makes (see ink.h): the
 * primitives under the charts and the documents.
 */
#include <stdlib.h>
#include <string.h>
#include "kdx/ink.h"
#include "kdx/mem.h"

kdx_rgb kdx_status_color(const char *s)
{
	if (!strcmp(s, "達成")) return (kdx_rgb){ 0.000, 0.447, 0.698 };   /* blue */
	if (!strcmp(s, "未達")) return (kdx_rgb){ 0.902, 0.624, 0.000 };   /* orange */
	/* dark red: in greyscale far darker than 未達's orange (luminance 0.22 against 0.66) */
	if (!strcmp(s, "期限超過")) return (kdx_rgb){ 0.600, 0.100, 0.100 };
	if (!strcmp(s, "対象外")) return (kdx_rgb){ 0.600, 0.600, 0.600 };
	return (kdx_rgb){ 0.800, 0.800, 0.800 };                            /* 未提出 */
}

kdx_rgb kdx_status_tint(const char *s)
{
	if (!strcmp(s, "達成")) return (kdx_rgb){ 0.812, 0.890, 0.949 };
	if (!strcmp(s, "未達")) return (kdx_rgb){ 0.984, 0.910, 0.761 };
	if (!strcmp(s, "期限超過")) return (kdx_rgb){ 0.878, 0.690, 0.690 };
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
PangoContext *kdx_ink_docs_context(cairo_t *cr)
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
