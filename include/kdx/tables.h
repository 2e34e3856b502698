/*
 * tables.h - `kdx table`: a goal's adoption table (SPEC §5) and the summary
 * matrix, laid out from the presentation as text for people, CSV or JSON.
 */
#ifndef KDX_TABLES_H
#define KDX_TABLES_H

#include <stdio.h>
#include "kdx/grid.h"
#include "kdx/present.h"

/* Goal gi's table: 全体 first, then the municipalities in code order.  CSV
 * has SPEC §5's columns; JSON every field; text a heading and the columns
 * people read. */
void kdx_table_goal(FILE *fp, kdx_format fmt, const kdx_present *p, int gi);
/* The municipalities × goals matrix: each goal's figure and status. */
void kdx_table_summary(FILE *fp, kdx_format fmt, const kdx_present *p);
/* The goal whose id is id, or -1. */
int kdx_table_goal_index(const kdx_present *p, const char *id);

#endif
