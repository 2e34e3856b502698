/*
 * chart.h - the goal charts, drawn on any cairo context (PDF page, PNG, SVG).
 */
#ifndef KDX_CHART_H
#define KDX_CHART_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include "kdx/repdata.h"

/* Bars per municipality coloured by status, the target as a dashed line and
 * the 全体 figure as a solid line, in the box (x, y, w, h). */
void kdx_chart_goal(cairo_t *cr, PangoContext *pc, const kdx_goal_table *g, double x, double y, double w, double h);
/* One municipality's rate over its survey dates, with the target line. */
void kdx_chart_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_history *hist, double target,
                     double x, double y, double w, double h);
/* The goal chart as a PNG and an SVG file (for slides). */
kdx_status kdx_chart_goal_files(const kdx_goal_table *g, const char *png_path, const char *svg_path, kdx_error **err);

#endif
