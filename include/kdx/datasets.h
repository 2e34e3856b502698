/*
 * datasets.h - the six input datasets of SPEC §4 and their column contract.
 */
#ifndef KDX_DATASETS_H
#define KDX_DATASETS_H

#include <stdbool.h>

typedef enum kdx_ds {
	KDX_DS_NURSERY,
	KDX_DS_CLUBS,
	KDX_DS_PROCEDURES,
	KDX_DS_PLATFORMS,
	KDX_DS_POSTPARTUM,
	KDX_DS_SETTINGS,
	KDX_DS_COUNT
} kdx_ds;

typedef enum kdx_col_kind {
	KDX_COL_DATE,          /* 調査基準日 */
	KDX_COL_MUNI_CODE,
	KDX_COL_MUNI_NAME,
	KDX_COL_ID,            /* 施設番号, クラブ番号 */
	KDX_COL_NAME,          /* 施設名, クラブ名: text, never a bare number */
	KDX_COL_TEXT,
	KDX_COL_ENUM,
	KDX_COL_FLAG,          /* ICT function cells */
	KDX_COL_CLOSING,       /* 統廃合予定 */
	KDX_COL_SETTING,       /* 有/無 */
	KDX_COL_FY,            /* 予定年度 */
	KDX_COL_YM,            /* 電子化年月 */
	KDX_COL_FACILITY_TYPE,
	KDX_COL_PROC_ID,
	KDX_COL_PROC_NAME,
	KDX_COL_PLATFORM,
	KDX_COL_ITEM,          /* postpartum checklist item */
	KDX_COL_KIND_COUNT
} kdx_col_kind;

enum {
	KDX_COL_REQUIRED = 1,  /* missing column rejects the file */
	KDX_COL_SPECIFIC = 2,  /* identifies the dataset */
	KDX_COL_FUNCTION = 4,  /* an ICT function */
	KDX_COL_LOCKED = 8,    /* in the municipal workbook: filled in by kdx and locked */
	KDX_COL_NO_TEMPLATE = 16  /* not a column of the municipal workbook */
};

/*
 * One input column: what it is called and may be called, what it holds, and
 * where it goes.  The one table of every input column (SPEC §4): ingest reads
 * by it, the municipal workbook (reports/template.c) is written from it, and
 * kdx diff names the warehouse's columns by it.
 */
typedef struct kdx_col_def {
	const char *name;
	const char *synonyms[8];
	kdx_col_kind kind;
	unsigned flags;
	const char *const *values;  /* KDX_COL_ENUM / PLATFORM: the coded values, the workbook's dropdown */
	const char *wcol;           /* its column in the dataset's fact table, or NULL */
	int width;                  /* its width in the workbook (characters); 0: as wide as its name */
} kdx_col_def;

typedef struct kdx_dataset {
	const char *id;         /* nursery, clubs, ... */
	const char *title;      /* 保育所等ICT調査 ... */
	const char *sheet;      /* sheet name in the municipal workbook, or NULL */
	const kdx_col_def *cols;
	int ncols;
	const char *table;      /* its fact table, "kdx.procedure_fact" */
	const char *copy_target;/* "kdx.x_fact (columns...)" */
} kdx_dataset;

extern const kdx_dataset kdx_datasets[KDX_DS_COUNT];
/* The values of a setting (有/無) as a workbook offers them. */
extern const char *const kdx_setting_values[];
/* The Japanese title of a dataset id (nursery -> 保育所等ICT調査); the id itself if unknown. */
const char *kdx_dataset_title(const char *id);
/* The dataset of an id, or NULL. */
const kdx_dataset *kdx_dataset_find(const char *id);
/* The input column of a dataset that fills warehouse column wcol, or NULL. */
const kdx_col_def *kdx_dataset_column(const kdx_dataset *ds, const char *wcol);

typedef enum { KDX_FLAG_NO = 0, KDX_FLAG_YES = 1, KDX_FLAG_INVALID = -1 } kdx_flag;

/* Header text to its comparison key (caller frees). */
char *kdx_header_key(const char *s);
/* Index of the column a header key names in ds, or -1. */
int kdx_col_match(const kdx_dataset *ds, const char *key);
/* Value parsers; input is NFKC-normalised and trimmed. */
kdx_flag kdx_parse_flag(const char *v);
kdx_flag kdx_parse_closing(const char *v);
const char *kdx_parse_enum(const char *v, const char *const *values);
const char *kdx_parse_platform(const char *v);
bool kdx_platform_is_pmh(const char *platform);
/* 施設種別 key to its group (保育所 / 認定こども園 / 地域型保育事業 / 対象外施設), or NULL. */
const char *kdx_facility_group(const char *key);
const char *kdx_facility_types_hint(void);
const char *kdx_flag_hint(void);

#endif
