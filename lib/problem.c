/* problem.c - located problems in a submitted file, and the operator's view of them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/problem.h"
#include "kdx/buf.h"
#include "kdx/mem.h"

static const char *const code_names[KDX_P_CODE_COUNT] = {
	[KDX_P_NONE] = "E_NONE",
	[KDX_P_FILE_EMPTY] = "E_FILE_EMPTY",
	[KDX_P_ENCODING] = "E_ENCODING",
	[KDX_P_CSV_MALFORMED] = "E_CSV_MALFORMED",
	[KDX_P_CSV_UNTERMINATED] = "E_CSV_UNTERMINATED",
	[KDX_P_XLSX_UNREADABLE] = "E_XLSX_UNREADABLE",
	[KDX_P_XLSX_UNSAFE] = "E_XLSX_UNSAFE",
	[KDX_P_XLSX_TOO_LARGE] = "E_XLSX_TOO_LARGE",
	[KDX_P_NO_DATASET] = "E_NO_DATASET",
	[KDX_P_SHEET_NO_HEADER] = "E_SHEET_NO_HEADER",
	[KDX_P_SHEET_TWICE] = "E_SHEET_TWICE",
	[KDX_P_NO_DATA_ROWS] = "E_NO_DATA_ROWS",
	[KDX_P_COLUMN_TWICE] = "E_COLUMN_TWICE",
	[KDX_P_COLUMN_MISSING] = "E_COLUMN_MISSING",
	[KDX_P_MUNI_COLUMN_MISSING] = "E_MUNI_COLUMN_MISSING",
	[KDX_P_PROC_COLUMN_MISSING] = "E_PROC_COLUMN_MISSING",
	[KDX_P_ROW_NO_KNOWN_VALUE] = "E_ROW_NO_KNOWN_VALUE",
	[KDX_P_VALUE_BLANK] = "E_VALUE_BLANK",
	[KDX_P_CELL_ERROR] = "E_CELL_ERROR",
	[KDX_P_DATE_INVALID] = "E_DATE_INVALID",
	[KDX_P_DATE_NONEXISTENT] = "E_DATE_NONEXISTENT",
	[KDX_P_DATE_ERA_RANGE] = "E_DATE_ERA_RANGE",
	[KDX_P_MUNI_CODE_SYNTAX] = "E_MUNI_CODE_SYNTAX",
	[KDX_P_MUNI_CHECK_DIGIT] = "E_MUNI_CHECK_DIGIT",
	[KDX_P_MUNI_CODE_AMBIGUOUS] = "E_MUNI_CODE_AMBIGUOUS",
	[KDX_P_MUNI_NOT_IN_COUNCIL] = "E_MUNI_NOT_IN_COUNCIL",
	[KDX_P_MUNI_NAME_UNKNOWN] = "E_MUNI_NAME_UNKNOWN",
	[KDX_P_MUNI_NAME_AMBIGUOUS] = "E_MUNI_NAME_AMBIGUOUS",
	[KDX_P_NAME_NUMERIC] = "E_NAME_NUMERIC",
	[KDX_P_ENUM_INVALID] = "E_ENUM_INVALID",
	[KDX_P_FLAG_INVALID] = "E_FLAG_INVALID",
	[KDX_P_FY_INVALID] = "E_FY_INVALID",
	[KDX_P_YM_INVALID] = "E_YM_INVALID",
	[KDX_P_FACILITY_TYPE_UNKNOWN] = "E_FACILITY_TYPE_UNKNOWN",
	[KDX_P_PROC_UNKNOWN] = "E_PROC_UNKNOWN",
	[KDX_P_PROC_NAME_UNKNOWN] = "E_PROC_NAME_UNKNOWN",
	[KDX_P_PROC_NAME_AMBIGUOUS] = "E_PROC_NAME_AMBIGUOUS",
	[KDX_P_PLATFORM_UNKNOWN] = "E_PLATFORM_UNKNOWN",
	[KDX_P_ITEM_UNKNOWN] = "E_ITEM_UNKNOWN",
	[KDX_P_MUNI_MISMATCH] = "E_MUNI_MISMATCH",
	[KDX_P_PROC_MISMATCH] = "E_PROC_MISMATCH",
	[KDX_P_TOKUREI_NOT_PMH] = "E_TOKUREI_NOT_PMH",
	[KDX_P_DATE_MIXED] = "E_DATE_MIXED",
	[KDX_P_KEY_DUPLICATE] = "E_KEY_DUPLICATE",
	[KDX_P_SETTINGS_DUPLICATE] = "E_SETTINGS_DUPLICATE",
	[KDX_P_PROC_ROW_MISSING] = "E_PROC_ROW_MISSING",
	[KDX_P_PLATFORM_ROW_MISSING] = "E_PLATFORM_ROW_MISSING",
	[KDX_P_ITEM_ROW_MISSING] = "E_ITEM_ROW_MISSING",
	[KDX_P_ROW_TOO_MANY_FIELDS] = "E_ROW_TOO_MANY_FIELDS",
	[KDX_P_ROW_TOO_FEW_FIELDS] = "E_ROW_TOO_FEW_FIELDS",
	[KDX_P_FORMULA_NO_VALUE] = "E_FORMULA_NO_VALUE",
	[KDX_P_ZIP_DUPLICATE_ENTRY] = "E_ZIP_DUPLICATE_ENTRY",
	[KDX_P_XLSX_ENCRYPTED] = "E_XLSX_ENCRYPTED",
	[KDX_P_XLS_FORMAT] = "E_XLS_FORMAT",
	[KDX_P_DATE_FUTURE] = "E_DATE_FUTURE",
};

const char *kdx_problem_code_name(kdx_problem_code code)
{
	if ((unsigned)code >= KDX_P_CODE_COUNT || !code_names[code])
		return "E_UNKNOWN";
	return code_names[code];
}

void kdx_problem_set_value(kdx_problem *p, const char *value)
{
	free(p->value);
	p->value = NULL;
	if (!value)
		return;
	size_t n = strlen(value);
	if (n <= KDX_PROBLEM_VALUE_MAX) {
		p->value = kdx_strdup(value);
		return;
	}
	/* cut at a UTF-8 character boundary, as COPY's error context does */
	n = KDX_PROBLEM_VALUE_MAX;
	while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
		n--;
	p->value = kdx_xmalloc(n + 4);
	memcpy(p->value, value, n);
	memcpy(p->value + n, "...", 4);
}

void kdx_problem_clear(kdx_problem *p)
{
	if (!p)
		return;
	free(p->sheet);
	free(p->column);
	free(p->cell);
	free(p->value);
	free(p->msg);
	free(p->fix);
	memset(p, 0, sizeof *p);
	p->offset = -1;
}

void kdx_problem_free(kdx_problem *p)
{
	kdx_problem_clear(p);
	free(p);
}

void kdx_cell_ref(int col, long row, char *buf, size_t n)
{
	char letters[8];
	int k = 0;
	col += 1;
	while (col > 0 && k < 7) {
		int rem = (col - 1) % 26;
		letters[k++] = (char)('A' + rem);
		col = (col - 1) / 26;
	}
	char rev[8];
	for (int i = 0; i < k; i++)
		rev[i] = letters[k - 1 - i];
	rev[k] = '\0';
	snprintf(buf, n, "%s%ld", rev, row);
}

static kdx_problem *push(kdx_problems *ps)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->v = kdx_xrealloc(ps->v, (size_t)ps->cap * sizeof *ps->v);
	}
	kdx_problem *p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->offset = -1;
	return p;
}

kdx_problem *kdx_problems_at(kdx_problems *ps, kdx_problem_code code, long row, int col, const char *value,
                             const char *msg, const char *fix)
{
	kdx_problem *p = push(ps);
	p->code = code;
	p->msg = kdx_strdup(msg);
	p->fix = kdx_strdup(fix);
	p->sheet = kdx_strdup(ps->sheet);
	p->row = row;
	if (col >= 0) {
		p->column = kdx_strdup(col < ps->ncolnames && ps->colnames[col] ? ps->colnames[col] : "");
		if (ps->cells && row > 0) {
			char ref[16];
			kdx_cell_ref(col, row, ref, sizeof ref);
			p->cell = kdx_strdup_printf("%s!%s", ps->sheet ? ps->sheet : "", ref);
		}
	}
	kdx_problem_set_value(p, value);
	return p;
}

kdx_problem *kdx_problems_atf(kdx_problems *ps, kdx_problem_code code, long row, int col, const char *value,
                              const char *fix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
	kdx_problem *p = kdx_problems_at(ps, code, row, col, value, msg, fix);
	free(msg);
	return p;
}

void kdx_problems_take(kdx_problems *ps, kdx_problem *from)
{
	kdx_problem *p = push(ps);
	*p = *from;
	if (!p->sheet)
		p->sheet = kdx_strdup(ps->sheet);
	memset(from, 0, sizeof *from);
	from->offset = -1;
}

void kdx_problems_note(kdx_problems *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ps->notes = kdx_xrealloc(ps->notes, (size_t)(ps->nnotes + 1) * sizeof *ps->notes);
	ps->notes[ps->nnotes++] = kdx_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void kdx_problems_truncate(kdx_problems *ps, int n)
{
	while (ps->n > n && ps->n > 0)
		kdx_problem_clear(&ps->v[--ps->n]);
}

void kdx_problems_free(kdx_problems *ps)
{
	for (int i = 0; i < ps->n; i++)
		kdx_problem_clear(&ps->v[i]);
	free(ps->v);
	for (int i = 0; i < ps->nnotes; i++)
		free(ps->notes[i]);
	free(ps->notes);
	memset(ps, 0, sizeof *ps);
}

char *kdx_problem_where(const kdx_problem *p)
{
	if (p->cell)
		return kdx_strdup(p->cell);
	kdx_buf b = { 0 };
	if (p->sheet)
		kdx_buf_printf(&b, "シート「%s」", p->sheet);
	if (p->row > 0)
		kdx_buf_printf(&b, "%s%ld行目", b.len ? " " : "", p->row);
	if (p->column && *p->column)
		kdx_buf_printf(&b, "%s「%s」列", (b.len && p->row <= 0) ? " " : "", p->column);
	if (!b.len)
		kdx_buf_adds(&b, "ファイル全体");
	return kdx_buf_steal(&b);
}

char *kdx_problem_shown_value(const kdx_problem *p)
{
	if (p->value)
		return kdx_strdup(p->value);
	if (p->offset >= 0)
		return kdx_strdup_printf("%ld バイト目", p->offset);
	return NULL;
}
