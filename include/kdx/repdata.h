/*
 * repdata.h - what a report shows, read from the warehouse's goal functions.
 * Reports only format these values; nothing here computes a figure.
 */
#ifndef KDX_REPDATA_H
#define KDX_REPDATA_H

#include <stdbool.h>
#include "kdx/db.h"
#include "kdx/chart.h"
#include "kdx/jdate.h"

/* The joint goals (SPEC §2), in the master data's order. */
#define KDX_NGOALS 6

typedef struct kdx_goal_row {
	char code[7];
	char *name, *short_name;
	bool submitted;         /* false: 未提出 */
	int den, num;
	double rate;            /* num/den; 0 when den == 0 */
	char *display, *status; /* "80%" / "-";  達成 / 未達 / 期限超過 / 対象外 / 未提出 */
	char *deadline;
	int remaining;
	int rank;               /* 0: not ranked */
	char *survey_date;      /* "" when none */
	bool stale;
	bool has_change;
	int change_pt;
	char *prev_display;     /* "" when there is no previous round */
	char *prev_survey_date; /* the previous round's 調査基準日; for 全体 "" when the municipalities' differ */
	char *projected;        /* "" when none */
	bool caution;           /* 要注意 */
	char *outlook_items;    /* goals with plan years, 未達 or 期限超過: the items still needed without a plan in
	                         * time, grouped by why (「予定年度なし: N04・N05」), "" when none */
	char *needed;           /* goals with plan years: every item the goal's rule still needs (SPEC §2), "" when none */
	bool has_prev;          /* a previous round with something in scope */
	int prev_num, prev_den;
	/* like with like (SPEC §2): for 全体, how many of the municipalities
	 * submitted (submitted_count) have a previous round (prev_count), and their
	 * current figures summed, which the previous round is compared with */
	int prev_count, submitted_count;
	int cmp_num, cmp_den;
	char *cmp_display;      /* "" when there is no previous round */
	bool has_own;
	int own_den, own_num;
	char *own_display;
} kdx_goal_row;

typedef struct kdx_hist_point {
	char code[7];
	char date[11];
	double rate;
	bool valid;
	int num, den;           /* the items done and in scope, for a checklist goal's history */
	char status[16];        /* that round's status, by the goal's rule */
} kdx_hist_point;

/* What kind of goal it is (kdx.goal.kind, master data): how its figure is
 * read and judged.  Reports test the kind, never a goal's id. */
typedef enum kdx_goal_kind {
	KDX_GOAL_PLAN_RATE,      /* a rate over items that carry plan years (procedures) */
	KDX_GOAL_FACILITY_RATE,  /* a rate over facilities or clubs; outlook by a straight line; own targets */
	KDX_GOAL_CHECKLIST       /* items judged by a rule, never read as a rate (SPEC §2) */
} kdx_goal_kind;

/* How an item counts in a checklist goal's rule (kdx.goal_item.need). */
typedef enum kdx_item_need { KDX_NEED_REQUIRED, KDX_NEED_ONE_OF, KDX_NEED_NONE } kdx_item_need;

typedef struct kdx_goal_item {
	char *code, *name;
	bool in_target;
	kdx_item_need need;
} kdx_goal_item;

typedef struct kdx_goal_table {
	char *id, *title, *short_title, *unit, *target_label;
	kdx_goal_kind kind;
	char *dataset;          /* the input dataset its figures come from */
	/* its words (master data): 対象, what counts as done or the rule, how 全体
	 * is counted, a checklist's legend, why a deadline moves, why an item is
	 * exempt, what an own target adds; "" where a goal has none */
	char *scope, *done, *total, *legend, *special_reason, *exempt_reason, *own_scope;
	kdx_goal_item *items;   /* its items in the master's order (a checklist's, the ICT functions) */
	int nitems;
	double target;          /* 1.0 for the all-items goals and postpartum */
	bool has_target;        /* a target fraction in the master data (not a rule's label alone) */
	char *deadline;
	char *extended_deadline;/* "" unless 特別な事情 moves it */
	int ord;
	kdx_goal_row *rows;     /* rows[0] is 全体 */
	int nrows;
	int achieved_count, in_scope_count;
	/* the council's previous round (SPEC §2): each municipality's own previous
	 * round summed, when every one has one */
	char *prev_asof;        /* its 調査基準日 when they share one, else "" (団体により異なる) */
	char *prev_total_display;
	bool has_prev_total;
	kdx_hist_point *hist;   /* every municipality's history, by code then date */
	int nhist;
} kdx_goal_table;

/* One item behind a figure (a facility, procedure, platform or checklist item). */
typedef struct kdx_detail_row {
	char *goal, *muni_code, *key, *name, *kind, *note;
	bool in_scope, in_own_scope, done;
	bool exempt;            /* out of the goal by 特例 */
	kdx_item_need need;     /* a checklist item's need in the rule */
} kdx_detail_row;

typedef struct kdx_quality_row {
	char *code, *name, *dataset, *kind, *message;
} kdx_quality_row;

typedef struct kdx_ledger_row {
	char *code, *name, *dataset, *survey_date, *file, *state;
} kdx_ledger_row;

typedef struct kdx_change_row {
	char *code, *name, *dataset, *prev_survey_date, *survey_date, *item, *before, *after;
} kdx_change_row;

/* In the national view: what one prefecture's council report needs beyond the
 * national data (its 全体 rows, ranks, previous totals and data hash). */
typedef struct kdx_council_part {
	char code[7];
	char *name;
	kdx_goal_row *rows[KDX_NGOALS];   /* rows[gi][0] is the council's 全体 */
	int nrows[KDX_NGOALS];
	int achieved_count[KDX_NGOALS], in_scope_count[KDX_NGOALS];
	char *prev_asof[KDX_NGOALS], *prev_total_display[KDX_NGOALS];
	bool has_prev_total[KDX_NGOALS];
	char *data_hash;
	int edition;
} kdx_council_part;

typedef struct kdx_report_data {
	kdx_date asof;
	char asof_iso[16];
	char asof_wareki[40];
	char *pref_code, *pref_name;
	kdx_goal_table goals[KDX_NGOALS];
	/* procedures matrix: proc x muni */
	int nprocs;
	char **proc_ids, **proc_names;
	char ***proc_cells;     /* [proc][muni] 済 / 準備中 / 未着手 / 所掌外 / "" (未提出) */
	kdx_detail_row *details;  /* by goal (goals[] order), municipality, item */
	int ndetails;
	int detail_start[KDX_NGOALS], detail_end[KDX_NGOALS];  /* each goal's block of details */
	kdx_quality_row *quality;
	int nquality;
	kdx_ledger_row *ledger;
	int nledger;
	kdx_change_row *changes;
	int nchanges;
	char *data_hash;        /* SHA-256 over the source files behind the figures */
	int edition;            /* 版: the snapshot number of this data (kdx.edition) */
	kdx_council_part *councils;  /* national view only: every prefecture's council */
	int ncouncils;
} kdx_report_data;

kdx_status kdx_report_data_load(kdx_db *db, kdx_date asof, kdx_report_data **out, kdx_error **err);
void kdx_report_data_free(kdx_report_data *d);
/* Set the edition (版) of d and of its prefecture councils: what kdx.edition
 * says when loading; the archived bag's number when reproducing one. */
void kdx_report_set_edition(kdx_report_data *d, int edition);
/* The data of prefecture council ci of a national view, as kdx --council CODE
 * would load it: its municipalities' rows, details and findings selected from
 * the national data, with the council's own 全体, ranks and totals. */
kdx_report_data *kdx_report_data_council(const kdx_report_data *national, int ci);
/* Row index of a municipality in every goal table, or -1. */
int kdx_report_muni_index(const kdx_report_data *d, const char *code);
/* The details of goal gi (goals[] order) for one municipality, or for all when
 * code is NULL: the first row, and their number in *n. */
const kdx_detail_row *kdx_report_details(const kdx_report_data *d, int gi, const char *code, int *n);

/* The checklist goals are judged by their items, never read as a rate
 * against 100% (SPEC §2). */
bool kdx_goal_is_checklist(const kdx_goal_table *g);
/* The goal that counts procedures with plan years (the procedures matrix's),
 * or -1. */
int kdx_report_plan_goal(const kdx_report_data *d);
/* One municipality's ledger rows: the first, and their number in *n. */
const kdx_ledger_row *kdx_report_ledger(const kdx_report_data *d, const char *code, int *n);

/* A goal table as the chart draws it: out->bars is allocated (free with
 * kdx_goal_chart_free); the strings stay the table's. */
void kdx_goal_chart(const kdx_goal_table *g, kdx_chart_goal_data *out);
void kdx_goal_chart_free(kdx_chart_goal_data *c);

/* A municipality's history of one goal: survey dates and rates (for the trend chart). */
typedef struct kdx_history {
	int n;
	char **dates;
	double *rates;
	bool *valid;
	int *nums, *dens;
	char **statuses;
} kdx_history;
/* One municipality's history of goal gi, from the preloaded data (caller frees with kdx_history_free). */
void kdx_history_get(const kdx_report_data *d, int gi, const char *code, kdx_history *h);
void kdx_history_free(kdx_history *h);

#endif
