/* csvread.c - RFC 4180 CSV through libcsv, with the line each record starts on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "kdx/reader.h"
#include "kdx/buf.h"

struct csv_ctx {
	kdx_row_fn fn;
	void *user;
	char **cells;
	int ncells, cap;
	long line;        /* line being fed (1-based) */
	long rec_start;   /* line the current record started on, 0 before its first field */
	int stop;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csv_ctx *c = data;
	if (c->stop)
		return;
	if (c->ncells == 0 && c->rec_start == 0) {
		/* the first field ends on this line; it started as many lines earlier as it holds newlines */
		long nl = 0;
		for (size_t i = 0; i < len; i++)
			if (((const char *)s)[i] == '\n')
				nl++;
		c->rec_start = c->line - nl;
	}
	if (c->ncells == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->cells = kdx_xrealloc(c->cells, (size_t)c->cap * sizeof *c->cells);
	}
	char *v = NULL;
	if (s && len) {
		v = kdx_xmalloc(len + 1);
		memcpy(v, s, len);
		v[len] = '\0';
	}
	c->cells[c->ncells++] = v;
}

static void on_record(int term, void *data)
{
	struct csv_ctx *c = data;
	(void)term;
	if (!c->stop) {
		kdx_row r = { c->rec_start ? c->rec_start : c->line, c->ncells, c->cells };
		c->stop = c->fn(c->user, &r);
	}
	for (int i = 0; i < c->ncells; i++)
		free(c->cells[i]);
	c->ncells = 0;
	c->rec_start = 0;
}

kdx_status kdx_csv_read(const char *text, size_t len, kdx_row_fn fn, void *user, kdx_error **err)
{
	struct csv_parser p;
	struct csv_ctx c = { fn, user, NULL, 0, 0, 1, 0, 0 };
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return kdx_fail(err, KDX_ENOMEM, "could not initialise the CSV parser");
	kdx_status st = KDX_OK;
	size_t off = 0;
	/* Feed one physical line at a time so each record knows its line. */
	while (off < len && !c.stop) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;
		if (csv_parse(&p, text + off, n, on_field, on_record, &c) != n) {
			st = kdx_fail(err, KDX_EDATA, "malformed CSV at line %ld", c.line);
			(*err)->row = c.line;
			kdx_error_detail(*err, "%ld 行目付近で CSV の形式が正しくありません（%s）。引用符（\"）の対応を確認してください。",
			                 c.line, csv_strerror(csv_error(&p)));
			kdx_error_hint(*err, "値の中の \" は \"\" と二重にし、改行やカンマを含む値は \" で囲んでください。");
			goto out;
		}
		off += n;
		c.line++;
	}
	if (!c.stop) {
		c.line--;  /* a final record without a newline ends on the last line */
		if (csv_fini(&p, on_field, on_record, &c) != 0) {
			st = kdx_fail(err, KDX_EDATA, "malformed CSV: unterminated quoted field");
			(*err)->row = c.rec_start ? c.rec_start : c.line;
			kdx_error_detail(*err, "%ld 行目から始まる引用符（\"）が閉じられないままファイルが終わっています。",
			                 (*err)->row);
			kdx_error_hint(*err, "引用符で囲んだ値の最後に \" を補ってください。");
		}
	}
out:
	for (int i = 0; i < c.ncells; i++)
		free(c.cells[i]);
	free(c.cells);
	csv_free(&p);
	return st;
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
