/* header.c - header recognition (see header.h). */
#include <stdlib.h>
#include <string.h>
#include "kdx/header.h"
#include "kdx/text.h"

int kdx_header_sheet_dataset(const char *sheet)
{
	int ds = -1;
	if (!sheet)
		return -1;
	char *k = kdx_text_key(sheet);
	for (int d = 0; d < KDX_DS_COUNT; d++)
		if ((kdx_datasets[d].sheet && !strcmp(k, kdx_datasets[d].sheet)) || !strcmp(k, kdx_datasets[d].title))
			ds = d;
	free(k);
	return ds;
}

void kdx_header_clear(kdx_header *h)
{
	for (int i = 0; i < h->ncols; i++) {
		free(h->colname[i]);
		h->colname[i] = NULL;
	}
	h->ncols = 0;
	h->ds = -1;
	h->row = 0;
}

/* How many of ds's columns the row names: those proper to ds, or any. */
static int count_named(const kdx_row *row, kdx_ds ds, bool specific_only)
{
	int n = 0;
	for (int c = 0; c < row->ncells && c < KDX_HEADER_MAX_COLS; c++) {
		if (!row->cells[c])
			continue;
		char *k = kdx_header_key(row->cells[c]);
		int i = kdx_col_match(&kdx_datasets[ds], k);
		free(k);
		if (i >= 0 && (!specific_only || (kdx_datasets[ds].cols[i].flags & KDX_COL_SPECIFIC)))
			n++;
	}
	return n;
}

/* The dataset whose header row is this, or -1. */
static int which_dataset(const kdx_row *row, int forced)
{
	if (forced >= 0) {
		/* a sheet name alone is enough only when the row names the common columns */
		if (count_named(row, (kdx_ds)forced, true) > 0 || count_named(row, (kdx_ds)forced, false) >= 2)
			return forced;
		return -1;
	}
	int best = -1, best_score = 0;
	for (int d = 0; d < KDX_DS_COUNT; d++) {
		int s = count_named(row, (kdx_ds)d, true);
		if (s > best_score) {
			best = d;
			best_score = s;
		}
	}
	return best;
}

/* Map each header cell to the dataset's column; a column named twice is a problem. */
static void map_columns(kdx_header *h, const kdx_row *row, kdx_problems *ps)
{
	const kdx_dataset *ds = &kdx_datasets[h->ds];
	const char *sheet = ps->sheet;
	for (int i = 0; i < KDX_HEADER_MAX_DEFS; i++)
		h->defcol[i] = -1;
	h->ncols = row->ncells < KDX_HEADER_MAX_COLS ? row->ncells : KDX_HEADER_MAX_COLS;
	ps->colnames = h->colname;
	ps->ncolnames = h->ncols;
	for (int c = 0; c < h->ncols; c++) {
		h->colname[c] = row->cells[c] ? kdx_text_norm(row->cells[c]) : NULL;
		if (!row->cells[c] || !h->colname[c][0])
			continue;
		char *k = kdx_header_key(row->cells[c]);
		int i = kdx_col_match(ds, k);
		free(k);
		if (i < 0) {
			kdx_problems_note(ps, "%s%s%s列「%s」は %s の列ではないため無視しました", sheet ? "シート「" : "",
			                  sheet ? sheet : "", sheet ? "」の" : "", h->colname[c], ds->title);
			continue;
		}
		if (h->defcol[i] >= 0) {
			kdx_problems_atf(ps, KDX_P_COLUMN_TWICE, row->rowno, c, row->cells[c], "同じ列は 1 つだけにしてください。",
			                 "列「%s」が 2 回あります（%d 列目と %d 列目）。", ds->cols[i].name, h->defcol[i] + 1, c + 1);
			continue;
		}
		h->defcol[i] = c;
	}
}

static int col_of_kind(const kdx_dataset *ds, kdx_col_kind kind)
{
	for (int i = 0; i < ds->ncols; i++)
		if (ds->cols[i].kind == kind)
			return i;
	return -1;
}

/* Required columns, and a column that says which municipality and which procedure. */
static void check_columns(const kdx_header *h, long rowno, kdx_problems *ps)
{
	const kdx_dataset *ds = &kdx_datasets[h->ds];
	for (int i = 0; i < ds->ncols; i++) {
		if ((ds->cols[i].flags & KDX_COL_REQUIRED) && h->defcol[i] < 0)
			kdx_problems_atf(ps, KDX_P_COLUMN_MISSING, rowno, -1, NULL,
			                 "見出し行に必須の列を追加してください（列の順番は自由です）。",
			                 "必須の列「%s」がありません。", ds->cols[i].name);
		if ((ds->cols[i].flags & KDX_COL_FUNCTION) && h->defcol[i] < 0)
			kdx_problems_note(ps, "%s の機能列「%s」がないため、全施設で「なし」として扱いました", ds->title, ds->cols[i].name);
	}
	int code = col_of_kind(ds, KDX_COL_MUNI_CODE), name = col_of_kind(ds, KDX_COL_MUNI_NAME);
	int pid = col_of_kind(ds, KDX_COL_PROC_ID), pname = col_of_kind(ds, KDX_COL_PROC_NAME);
	if (code >= 0 && !(ds->cols[code].flags & KDX_COL_REQUIRED) && h->defcol[code] < 0 && h->defcol[name] < 0)
		kdx_problems_at(ps, KDX_P_MUNI_COLUMN_MISSING, rowno, -1, NULL, "市町村を示す列がありません。",
		                "「市町村コード」列か「市町村名」列（または両方）を追加してください。");
	if (pid >= 0 && h->defcol[pid] < 0 && h->defcol[pname] < 0)
		kdx_problems_at(ps, KDX_P_PROC_COLUMN_MISSING, rowno, -1, NULL, "手続を示す列（手続番号または手続名）がありません。",
		                "「手続番号」列（K01〜N18）を追加してください。");
}

bool kdx_header_try(kdx_header *h, const kdx_row *row, int forced, kdx_problems *ps)
{
	int ds = which_dataset(row, forced);
	if (ds < 0)
		return false;
	kdx_header_clear(h);
	h->ds = ds;
	h->row = row->rowno;
	map_columns(h, row, ps);
	check_columns(h, row->rowno, ps);
	return true;
}
