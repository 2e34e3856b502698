/*
 * problem.h - one located problem in a submitted file, and the list of them.
 *
 * Every reader, decoder, header check, validator and cross-row rule reports
 * what is wrong with a file as a kdx_problem: where it is as the submitter
 * sees it (line, or sheet and cell, column name, byte offset), the value, what
 * is wrong and how to fix it in Japanese, and a stable code.  The ingest
 * collects them in a kdx_problems list; one renderer writes them for the
 * operator (kdx_problems_error in error.h: PostgreSQL's frontend form, English
 * primary, the Japanese problem lines as detail) and another for the submitter
 * (etl/reject.c: the .reject.txt and .reject.csv).
 *
 * A problem knows nothing of kdx_error: an error carries a problem (error.h),
 * not the other way round, so that the two modules do not need each other.
 */
#ifndef KDX_PROBLEM_H
#define KDX_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>

/* The stable codes; kdx_problem_code_name() gives "E_DATE_INVALID" and so on.
 * Codes are never renumbered in meaning: submitters' tools may key on them. */
typedef enum kdx_problem_code {
	KDX_P_NONE = 0,
	/* the file as a whole */
	KDX_P_FILE_EMPTY,
	KDX_P_ENCODING,            /* bytes that are not text in the encoding */
	KDX_P_CSV_MALFORMED,
	KDX_P_CSV_UNTERMINATED,
	KDX_P_XLSX_UNREADABLE,     /* not a zip, or a damaged part */
	KDX_P_XLSX_UNSAFE,         /* DTD or entity declaration */
	KDX_P_XLSX_TOO_LARGE,      /* size, ratio, cell, part or depth limits */
	KDX_P_NO_DATASET,
	KDX_P_SHEET_NO_HEADER,
	KDX_P_SHEET_TWICE,
	KDX_P_NO_DATA_ROWS,
	/* the header row */
	KDX_P_COLUMN_TWICE,
	KDX_P_COLUMN_MISSING,
	KDX_P_MUNI_COLUMN_MISSING,
	KDX_P_PROC_COLUMN_MISSING,
	/* one cell */
	KDX_P_ROW_NO_KNOWN_VALUE,  /* values only in columns kdx does not read */
	KDX_P_VALUE_BLANK,
	KDX_P_CELL_ERROR,          /* a formula error such as #N/A */
	KDX_P_DATE_INVALID,
	KDX_P_DATE_NONEXISTENT,
	KDX_P_DATE_ERA_RANGE,
	KDX_P_MUNI_CODE_SYNTAX,
	KDX_P_MUNI_CHECK_DIGIT,
	KDX_P_MUNI_CODE_AMBIGUOUS,
	KDX_P_MUNI_NOT_IN_COUNCIL,
	KDX_P_MUNI_NAME_UNKNOWN,
	KDX_P_MUNI_NAME_AMBIGUOUS,
	KDX_P_NAME_NUMERIC,
	KDX_P_ENUM_INVALID,
	KDX_P_FLAG_INVALID,
	KDX_P_FY_INVALID,
	KDX_P_YM_INVALID,
	KDX_P_FACILITY_TYPE_UNKNOWN,
	KDX_P_PROC_UNKNOWN,
	KDX_P_PROC_NAME_UNKNOWN,
	KDX_P_PROC_NAME_AMBIGUOUS,
	KDX_P_PLATFORM_UNKNOWN,
	KDX_P_ITEM_UNKNOWN,
	/* one row */
	KDX_P_MUNI_MISMATCH,       /* code and name name different municipalities */
	KDX_P_PROC_MISMATCH,       /* 手続番号 and 手続名 name different procedures */
	KDX_P_TOKUREI_NOT_PMH,
	/* across rows */
	KDX_P_DATE_MIXED,
	KDX_P_KEY_DUPLICATE,
	KDX_P_SETTINGS_DUPLICATE,
	KDX_P_PROC_ROW_MISSING,
	KDX_P_PLATFORM_ROW_MISSING,
	KDX_P_ITEM_ROW_MISSING,
	/* added later; kept after the first ones so that no code moves */
	KDX_P_ROW_TOO_MANY_FIELDS, /* a CSV row wider than its header */
	KDX_P_ROW_TOO_FEW_FIELDS,
	KDX_P_FORMULA_NO_VALUE,    /* a formula saved without its calculated value */
	KDX_P_ZIP_DUPLICATE_ENTRY, /* two parts of one name: readers disagree on which counts */
	KDX_P_XLSX_ENCRYPTED,      /* a password-protected workbook (an OLE2 container) */
	KDX_P_XLS_FORMAT,          /* an Excel 97-2003 .xls workbook */
	KDX_P_DATE_FUTURE,         /* a survey date after today */
	KDX_P_CODE_COUNT
} kdx_problem_code;

/* "E_DATE_INVALID"; never NULL ("E_UNKNOWN" out of range). */
const char *kdx_problem_code_name(kdx_problem_code code);

#define KDX_PROBLEM_VALUE_MAX 100  /* bytes of a value kept, cut on a character boundary */

typedef struct kdx_problem {
	kdx_problem_code code;
	char *sheet;   /* workbook sheet; NULL for CSV */
	long row;      /* 1-based line (CSV) or row (xlsx); 0 for the whole file or sheet */
	char *column;  /* the column's header as written, or NULL */
	char *cell;    /* "手続電子化!D7" in a workbook, or NULL */
	long offset;   /* byte offset in the file; -1 when not about one byte */
	char *value;   /* the value as written, cut to KDX_PROBLEM_VALUE_MAX bytes; or NULL */
	char *msg;     /* what is wrong, a Japanese sentence */
	char *fix;     /* how to fix it, a Japanese sentence */
} kdx_problem;

/* A file's problems, and the notes that do not stop it loading.  The context
 * fields say where the next problem is: the sheet being read, whether cells
 * have A1 names (workbooks), and the header's column names. */
typedef struct kdx_problems {
	kdx_problem *v;
	int n, cap;
	char **notes;
	int nnotes;
	/* context for kdx_problems_at */
	const char *sheet;
	bool cells;
	char *const *colnames;
	int ncolnames;
} kdx_problems;

/* Add a problem at row/col (col is the 0-based column of the file, or -1 for
 * the whole row); value may be NULL.  msg and fix are copied.  Returns it. */
kdx_problem *kdx_problems_at(kdx_problems *ps, kdx_problem_code code, long row, int col, const char *value,
                             const char *msg, const char *fix);
/* The same with a formatted message. */
kdx_problem *kdx_problems_atf(kdx_problems *ps, kdx_problem_code code, long row, int col, const char *value,
                              const char *fix, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Take a problem made elsewhere (a reader's): moved in, *p is emptied. */
void kdx_problems_take(kdx_problems *ps, kdx_problem *p);
/* A note that does not stop the file loading (an ignored column, ...). */
void kdx_problems_note(kdx_problems *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kdx_problems_free(kdx_problems *ps);
/* Drop the problems after the first n (those that follow from one already reported). */
void kdx_problems_truncate(kdx_problems *ps, int n);

void kdx_problem_set_value(kdx_problem *p, const char *value);
void kdx_problem_clear(kdx_problem *p);
void kdx_problem_free(kdx_problem *p);

/* "D7" for zero-based column 3, row 7 into buf (>= 16 bytes). */
void kdx_cell_ref(int col, long row, char *buf, size_t n);

/* Where, as the submitter sees it: "手続電子化!D7", "12行目「状況」列",
 * "シート「基盤導入」", "ファイル全体".  Caller frees. */
char *kdx_problem_where(const kdx_problem *p);
/* What the report shows as the value: the value, or "168 バイト目" for a byte. */
char *kdx_problem_shown_value(const kdx_problem *p);

#endif
