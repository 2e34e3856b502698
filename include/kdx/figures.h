/*
 * figures.h - every figure of the goal tables as one long CSV: what a
 * snapshot archives as data/figures.csv (and kdx diff compares).
 */
#ifndef KDX_FIGURES_H
#define KDX_FIGURES_H

#include <stdbool.h>
#include "kdx/buf.h"
#include "kdx/repdata.h"

/* The columns, in order (a header row in Japanese). */
#define KDX_FIGURES_HEADER "目標,団体コード,団体名,分母,分子,表示,状況,残り,調査基準日,独自目標の分母,独自目標の分子,独自目標の表示"

/* One row per goal and municipality (the own-target columns empty where a
 * municipality set none), 全体 first in each goal, goals in the
 * report's order; with bom, a UTF-8 byte order mark first (for Excel). */
void kdx_figures_csv(const kdx_report_data *d, bool bom, kdx_buf *out);

#endif
