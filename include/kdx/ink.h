/*
 * ink.h - colours and text, for the charts and the documents alike.
 *
 * All text is set by pango in IPAexGothic (embedded as a subset by cairo).
 * Layouts are kept per pango context (see ink.c), so the same words cost one
 * layout however often they are drawn.
 */
#ifndef KDX_INK_H
#define KDX_INK_H

/* Legibility on paper (SPEC §5): nothing below 8 pt, tables and body at least 9 pt. */
#define KDX_MIN_TEXT 8.0
#define KDX_MIN_BODY 9.0

#include <cairo.h>
#include <pango/pangocairo.h>
#include "kdx/error.h"

#define KDX_FONT "IPAexGothic"

typedef struct kdx_rgb { double r, g, b; } kdx_rgb;

/* Okabe-Ito colours, safe for colour-blind readers; tints for backgrounds. */
kdx_rgb kdx_status_color(const char *status);
kdx_rgb kdx_status_tint(const char *status);
void kdx_set_rgb(cairo_t *cr, kdx_rgb c);

enum { KDX_ALIGN_LEFT = 0, KDX_ALIGN_CENTER = 1, KDX_ALIGN_RIGHT = 2, KDX_BOLD = 4, KDX_NOWRAP = 8 };

/* Draw text in a box of width w at (x, y) (top-left); returns the height used.
 * Long text wraps at characters; flags combine an alignment with KDX_BOLD. */
double kdx_text(cairo_t *cr, PangoContext *pc, double x, double y, double w, const char *text, double size, int flags);
/* Height the text would take, without drawing. */
double kdx_text_height(cairo_t *cr, PangoContext *pc, double w, const char *text, double size, int flags);
/* Width of the text on one line, without drawing. */
double kdx_text_line_width(cairo_t *cr, PangoContext *pc, const char *text, double size, int flags);

/* The one pango context of the PDF documents of a process (made anew only if
 * a surface's font options differ); the caller gets a reference. */
PangoContext *kdx_ink_docs_context(cairo_t *cr);

#endif
