/*
 * diff.h - what changed between two snapshots (SPEC §6), from the archives
 * alone: the submissions each figure used (data/warehouse/in_force.csv), the
 * rows of those submissions (the fact tables of data/warehouse/) and every figure
 * (data/figures.csv).  No warehouse is needed.
 */
#ifndef KDX_DIFF_H
#define KDX_DIFF_H

#include "kdx/error.h"

typedef enum kdx_diff_section {
	KDX_DIFF_SUBMISSION,  /* 提出: added, superseded, withdrawn */
	KDX_DIFF_ROW,         /* 行: a facility, procedure, platform or item that changed, appeared or went */
	KDX_DIFF_FIGURE       /* 数値: a figure of a goal table that moved */
} kdx_diff_section;

/* One change, in Japanese; "" where a part does not apply. */
typedef struct kdx_diff_row {
	kdx_diff_section section;
	char *change;   /* 追加 / 差し替え / 新しい調査回 / 取り下げ / 変更 / 削除 */
	char *subject;  /* the dataset (保育所等ICT調査) or the goal's title */
	char *code, *name;  /* the municipality; for a goal's 全体, the council's code and 全体 */
	char *item;     /* the file, facility ("001 ひまわり保育園"), procedure, platform or item */
	char *field;    /* the column that changed (保護者連絡, 状況) */
	char *before, *after;
	char *sha_before, *sha_after;  /* submissions: the files' SHA-256 */
	char *date_before, *date_after;  /* submissions: 調査基準日 */
} kdx_diff_row;

/* What one archive says of itself. */
typedef struct kdx_diff_side {
	char bag[128];        /* kdx-2026-11-30-1 */
	char as_of[16];       /* KDX-As-Of */
	char council[16];     /* KDX-Council */
	char data_sha256[65]; /* KDX-Data-SHA256, printed on the reports' cover */
	char tagmanifest_sha256[65];
} kdx_diff_side;

typedef struct kdx_diff {
	kdx_diff_side a, b;
	kdx_diff_row *rows;  /* submissions first, then rows, then figures */
	int n, cap;
	int count[3];        /* per section */
} kdx_diff;

/* Verify both archives (a .tar.gz, a re-packed .tar or a bag folder) and
 * compare them.  A bag that fails verification is refused (KDX_EDATA, its
 * problems named); so is one without the files a comparison needs. */
kdx_status kdx_diff_archives(const char *a, const char *b, kdx_diff *out, kdx_error **err);
void kdx_diff_free(kdx_diff *d);
/* The Japanese name of a section: 提出 / 行 / 数値. */
const char *kdx_diff_section_name(kdx_diff_section s);

#endif
