/*
 * chart.h - the goal charts, drawn on any cairo context (PDF page, PNG, SVG).
 *
 * Charts take plain figures, not the report data: whoever draws one says what
 * each bar is (reports/render.c turns a goal table into them).
 */
#ifndef KDX_CHART_H
#define KDX_CHART_H

#include <stdbool.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include "kdx/error.h"

/* One bar (a municipality) or the 全体 line. */
typedef struct kdx_chart_bar {
	const char *label;   /* 大分 */
	const char *shown;   /* the rate as printed: "56%", "-" */
	double rate;         /* 0..1 */
	bool measured;       /* anything in scope (no bar, and the rate at the axis, when not) */
	const char *status;  /* 達成, 未達, 期限超過, 対象外, 未提出: the bar's colour */
} kdx_chart_bar;

typedef struct kdx_chart_goal_data {
	const char *title;
	double target;             /* 0..1, drawn dashed */
	const char *target_label;  /* 80%以上 */
	kdx_chart_bar overall;     /* 全体, drawn solid */
	const kdx_chart_bar *bars;
	int nbars;
} kdx_chart_goal_data;

/* One series over survey dates: dates[i] with rates[i] when valid[i]. */
typedef struct kdx_chart_series {
	int n;
	char *const *dates;
	const double *rates;
	const bool *valid;
} kdx_chart_series;

/* Bars per municipality coloured by status, the target as a dashed line and
 * the 全体 figure as a solid line, in the box (x, y, w, h). */
void kdx_chart_goal(cairo_t *cr, PangoContext *pc, const kdx_chart_goal_data *g, double x, double y, double w, double h);
/* One municipality's rate over its survey dates, with the target line. */
void kdx_chart_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_chart_series *s, double target,
                     double x, double y, double w, double h);
/* The goal chart as a PNG and an SVG file (for slides). */
kdx_status kdx_chart_goal_files(const kdx_chart_goal_data *g, const char *png_path, const char *svg_path, kdx_error **err);

#endif
