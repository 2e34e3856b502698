/*
 * validate.h - the master data a file is checked against, and one validator
 * per column kind.
 *
 * A validator is a function of one normalised cell: it returns KDX_P_NONE and
 * the value to load, or a problem code with what is wrong and how to fix it in
 * Japanese.  kdx_validators[] holds them keyed by KDX_COL_*.  Rules that need
 * more than one cell (a code against a name, 特例対象外 only for PMH) or more
 * than one row (duplicate keys, one 調査基準日, complete submissions) are the
 * ingest's (etl/ingest.c).
 */
#ifndef KDX_VALIDATE_H
#define KDX_VALIDATE_H

#include <stdbool.h>
#include "kdx/datasets.h"
#include "kdx/jdate.h"
#include "kdx/problem.h"

typedef struct kdx_master_muni {
	char code[7];
	char *name, *short_name, *name_key, *short_key;
} kdx_master_muni;

typedef struct kdx_master_proc {
	char id[4];
	char *name_key, *cat_key, *catname_key;
	bool is_new;
	int goal_fy;
} kdx_master_proc;

typedef struct kdx_master_item {
	char *code, *name_key, *code_key;
} kdx_master_item;

/* The council's municipalities (sorted by code once kdx_master_done is
 * called), the procedures and the postpartum checklist items. */
typedef struct kdx_master {
	kdx_master_muni *munis;
	int nmunis;
	char pref[7];
	char *pref_name;
	kdx_master_proc *procs;
	int nprocs;
	kdx_master_item *items;
	int nitems;
} kdx_master;

void kdx_master_add_muni(kdx_master *m, const char *code, const char *name, const char *short_name);
void kdx_master_add_proc(kdx_master *m, const char *id, const char *category, const char *name, bool is_new, int goal_fy);
void kdx_master_add_item(kdx_master *m, const char *code, const char *name);
/* Sorts the municipalities by code; call after the last kdx_master_add_muni. */
void kdx_master_done(kdx_master *m);
const kdx_master_muni *kdx_master_muni_by_code(const kdx_master *m, const char *code);
void kdx_master_free(kdx_master *m);

/* The validators' state: the master data and caches (most rows repeat the
 * previous row's date, and a survey names its municipalities and facility
 * types again and again).  Zero it, then set master. */
typedef struct kdx_validator_ctx {
	const kdx_master *master;
	char last_date_text[32];
	kdx_date last_date;
	char last_date_iso[16];
	struct { char text[24]; const kdx_master_muni *m; } muni_cache[64];
	struct { char text[64]; const char *group; } type_cache[16];
	int ntype_cache;
} kdx_validator_ctx;

/* What a good cell means. */
typedef struct kdx_cell_value {
	const char *text;            /* the value to load, as text ("t"/"f" for flags), or NULL */
	kdx_date date;               /* KDX_COL_DATE */
	const kdx_master_muni *muni; /* KDX_COL_MUNI_CODE, KDX_COL_MUNI_NAME */
	const kdx_master_muni *alt;  /* a code that reads two ways (KDX_P_MUNI_CODE_AMBIGUOUS):
	                              * muni and alt are the two readings, for the row's name to decide */
	const char *group;           /* KDX_COL_FACILITY_TYPE: 保育所, 認定こども園, ... */
	int index;                   /* PROC_ID, PROC_NAME, PLATFORM, ITEM: its place in the master
	                              * (or platform) list, for completeness; else -1 */
	char buf[32];                /* room for a formatted value */
} kdx_cell_value;

/* What is wrong with a bad cell: msg and fix are heap strings. */
typedef struct kdx_cell_problem {
	kdx_problem_code code;
	char *msg;
	char *fix;
} kdx_cell_problem;

void kdx_cell_problem_clear(kdx_cell_problem *why);

/* norm is the cell NFKC-normalised and trimmed (not empty); orig the cell as
 * written.  Returns KDX_P_NONE with *out filled, or the problem with *why filled. */
typedef kdx_problem_code (*kdx_validator_fn)(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *norm,
                                             const char *orig, kdx_cell_value *out, kdx_cell_problem *why);

extern const kdx_validator_fn kdx_validators[KDX_COL_KIND_COUNT];

/* kdx_validators[cd->kind] on one cell; out is reset first. */
kdx_problem_code kdx_validate_cell(kdx_validator_ctx *vc, const kdx_col_def *cd, const char *norm, const char *orig,
                                   kdx_cell_value *out, kdx_cell_problem *why);

#endif
