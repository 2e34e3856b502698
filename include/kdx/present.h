/*
 * present.h - what every figure shows, decided once.
 *
 * kdx_present_new() turns the report data into what each cell and headline of
 * every output says: the figure as text with its unit, the status word and
 * its colour role, the change since a dated previous round, the outlook, the
 * municipality's own deadline and its marks (※特別な事情, 特例, a survey more
 * than six months old), what is left.  The council and feedback PDFs, both
 * workbooks, the web edition and its open data, and `kdx table` only lay
 * these out; none of them decides how a goal of some kind is read.  A goal's
 * kind and words come from the master data (repdata.h), never from its id.
 *
 * Ownership: a kdx_present owns every string in it; it borrows the report data
 * it was made from, which must outlive it.
 */
#ifndef KDX_PRESENT_H
#define KDX_PRESENT_H

#include <stdbool.h>
#include "kdx/buf.h"
#include "kdx/chart.h"
#include "kdx/repdata.h"

/* A status as a colour role: the order of kdx_role_words. */
typedef enum kdx_role {
	KDX_ROLE_ACHIEVED,  /* 達成 */
	KDX_ROLE_OPEN,      /* 未達 */
	KDX_ROLE_OVERDUE,   /* 期限超過 */
	KDX_ROLE_NONE,      /* 対象外 */
	KDX_ROLE_MISSING,   /* 未提出 */
	KDX_NROLES
} kdx_role;
extern const char *const kdx_role_words[KDX_NROLES];
kdx_role kdx_role_of(const char *status);

/* One goal and one municipality, or the goal's 全体 (cells[0]). */
typedef struct kdx_pcell {
	const kdx_goal_row *row;   /* the figures behind it */
	kdx_role role;
	const char *status;        /* 達成, 未達, 期限超過, 対象外, 未提出 */
	bool measured;             /* submitted, and something in scope */
	char *value;               /* the figure alone, as a summary shows it: "78%"; a checklist's "1/2基盤",
	                            * its 全体 "達成 6/18団体"; "-" when not measured */
	char *count;               /* "14/18" (a checklist's: items); "-" when not measured */
	char *figure;              /* with its unit: "78%（14/18手続）", "1/2基盤"; "未提出", "対象なし" */
	char *target;              /* what it must reach: the goal's "100%", "2分野導入"; where items are
	                            * exempt, "1分野導入（特例の1分野を除く）" */
	char *deadline;            /* its own, "令和8年度末" */
	bool moved;                /* later than the goal's, by 特別な事情 */
	bool exempt;               /* an item is out of its goal by 特例 */
	bool stale;                /* the survey used is more than six months old */
	char *survey;              /* its survey date in 和暦, "" */
	char *left;                /* "あと3施設"; "" when nothing is left or nothing is measured */
	char *needed;              /* a checklist goal not reached: the items its rule still needs; "" */
	char *rank;                /* "3位/17" for a ranked rate goal; "" */
	/* the change since its previous round (SPEC §2: dated, items for a checklist) */
	bool has_change;
	char *change;              /* "+5pt"; a checklist's "2/6→3/6"; without a previous round
	                            * "前回調査なし" where the row is measured, else "" */
	char *change_from;         /* "80%→86%"; a checklist's "2/6→3/6"; "" */
	char *prev_count;          /* the previous round's "2/6" (a checklist's items); "" */
	char *prev_date;           /* the previous round's 調査基準日 in 和暦, "" */
	char *outlook;             /* 見通し: "要注意：…", "予定どおりなら期限内に達成", "達成見込み 令和9年4月3日"; "" */
	bool caution;              /* 要注意 */
	char *own;                 /* an own target (独自目標): "独自目標（民間の保育所等を含む）: 67%（4/6）　未導入: …"; "" */
	char *own_missing;         /* the facilities it still lacks, by name with why they count: "A保育所（私立）、…"; "" */
} kdx_pcell;

/* The checklist items of a goal, as its grid and its notes name them. */
#define KDX_PRESENT_MAX_ITEMS 8

typedef struct kdx_pgoal {
	const kdx_goal_table *g;
	int gi;
	kdx_pcell *cells;          /* as g->rows: [0] is 全体 */
	int ncells;
	char *deadline;            /* the goal's: "令和9年度末（2028-03-31）" */
	char *target;              /* "令和9年度末（2028-03-31）までに 100%" and, where 特別な事情 moves it,
	                            * "（…特別な事情がある団体は令和10年度末（2029-03-31））" */
	char *achieved;            /* "達成 6/18団体" */
	char *prev_label;          /* "前回（令和7年10月1日）", "前回（令和7年10月1日、17団体）" when not every
	                            * municipality submitted has a previous round, or "前回調査（団体により異なる）" */
	char *without_prev;        /* "前回調査なし: 別府市" when some have a previous round and these not; "" */
	char *headline;            /* the council's line under the target: 全体, its change, 達成 N/M団体 */
	char *message;             /* what its chart says: "18団体中7団体が達成。全体 …、前回…。" */
	char *grid_note;           /* a checklist's words and rule, under its grid */
	int nitems;                /* a checklist's items in its rule or exempt somewhere, in the master's order */
	const char *item_keys[KDX_PRESENT_MAX_ITEMS], *item_names[KDX_PRESENT_MAX_ITEMS];
	bool any_moved, any_exempt, any_stale;
} kdx_pgoal;

typedef struct kdx_present {
	const kdx_report_data *rd;
	kdx_pgoal goals[KDX_NGOALS];
	char asof[40];             /* 和暦 */
	char edition[96];          /* "第2版（データ 1f464c5e1274）" */
} kdx_present;

kdx_present *kdx_present_new(const kdx_report_data *rd);
void kdx_present_free(kdx_present *p);

/* The words of a note under a goal's table (each "" when it does not apply):
 * how its figures are read, what ※, ※特別な事情 and （特例） mean, and what
 * the outlook is based on; appended to b in that order. */
void kdx_present_notes(const kdx_pgoal *pg, kdx_buf *b);

/* The word of checklist item key for municipality row mi (1..) of goal gi:
 * 済, 未, 特例, "－" (not reported) or "-" (nothing submitted). */
const char *kdx_present_item_word(const kdx_present *p, int gi, int mi, const char *key);

/* A checklist goal's grid (SPEC §2), for the council report, its workbook and
 * the slides: its items × the council's municipalities, or, for more than
 * max_cols of them, items × the numbers of municipalities that have done
 * each, not yet, are exempt or sent nothing.  Free with kdx_checklist_grid_free. */
void kdx_checklist_grid(const kdx_present *p, int gi, int max_cols, kdx_chart_grid_data *g);
void kdx_checklist_grid_free(kdx_chart_grid_data *g);

/* Dates and words every output shares. */
/* An ISO date in 和暦 ("令和8年10月1日"); none when iso is empty; other text as it is. */
void kdx_wareki_text(const char *iso, const char *none, char *buf, size_t n);
/* The fiscal year a deadline ends, "令和8年度末"; "－" when iso is not a date. */
void kdx_fy_end_text(const char *iso, char *buf, size_t n);
/* "令和9年度末（2028-03-31）" for a deadline. */
void kdx_deadline_text(const char *iso, char *buf, size_t n);

#endif
