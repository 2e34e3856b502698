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
#include "kdx/ink.h"

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

/* A checklist goal's chart (SPEC §2): its items down, columns across (the
 * municipalities, or for a council too large for that, counts of them), each
 * cell a word; 済 and 未, and the status words, also by colour.  Rows after
 * nitems are summary rows (済/対象, 状況), set apart by a heavier rule. */
typedef struct kdx_chart_grid_data {
	const char *title;
	int nrows, nitems, ncols;
	const char *const *rows;   /* row labels */
	const char *const *cols;   /* column labels */
	const char *const *cells;  /* [row * ncols + col] */
	const char *note;          /* the legend and the rule, under the grid */
} kdx_chart_grid_data;

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
/* One series of a checklist goal: the items done of those in scope, and the
 * status by the goal's rule, at each survey date. */
typedef struct kdx_chart_counts {
	int n;
	char *const *dates;
	const int *nums, *dens;
	char *const *statuses;
} kdx_chart_counts;

/* A checklist goal's history (SPEC §2): the count of items done at each
 * survey, labelled "3/6 未達", on an axis of items; no rate, no 100% line. */
void kdx_chart_count_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_chart_counts *s,
                           double x, double y, double w, double h);
/* One municipality's rate over its survey dates, with the target line. */
void kdx_chart_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_chart_series *s, double target,
                     double x, double y, double w, double h);
/* A grid cell's colour by its word (済, 未 and the statuses); false: none. */
bool kdx_chart_grid_fill(const char *word, kdx_rgb *c);
/* The grid in the box (x, y, w, h), its text never below 8 pt. */
void kdx_chart_grid(cairo_t *cr, PangoContext *pc, const kdx_chart_grid_data *g, double x, double y, double w, double h);
/* The goal chart as a PNG and an SVG file (for slides). */
kdx_status kdx_chart_goal_files(const kdx_chart_goal_data *g, const char *png_path, const char *svg_path, kdx_error **err);
kdx_status kdx_chart_grid_files(const kdx_chart_grid_data *g, const char *png_path, const char *svg_path, kdx_error **err);

#endif
