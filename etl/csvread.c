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
	long *offs;       /* each field's offset in rec, -1 for an empty field */
	kdx_buf rec;      /* the record's fields, NUL-terminated one after another */
	int ncells, cap;
	long line;        /* line being fed (1-based) */
	long rec_start;   /* line the current record started on, 0 before its first field */
	int stop;
	bool partial;     /* the text fed so far ends inside a line */
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
		c->offs = kdx_xrealloc(c->offs, (size_t)c->cap * sizeof *c->offs);
	}
	long off = -1;
	if (s && len) {
		/* CSV_APPEND_NULL: the field arrives NUL-terminated; keep the NUL too */
		off = (long)c->rec.len;
		kdx_buf_add(&c->rec, s, len + 1);
	}
	c->offs[c->ncells++] = off;
}

static void on_record(int term, void *data)
{
	struct csv_ctx *c = data;
	(void)term;
	if (!c->stop) {
		for (int i = 0; i < c->ncells; i++)
			c->cells[i] = c->offs[i] < 0 ? NULL : c->rec.data + c->offs[i];
		kdx_row r = { c->rec_start ? c->rec_start : c->line, c->ncells, c->cells };
		c->stop = c->fn(c->user, &r);
	}
	kdx_buf_reset(&c->rec);
	c->ncells = 0;
	c->rec_start = 0;
}

struct kdx_csv {
	struct csv_parser p;
	struct csv_ctx c;
};

kdx_csv *kdx_csv_new(kdx_row_fn fn, void *user)
{
	kdx_csv *r = kdx_xcalloc(1, sizeof *r);
	r->c.fn = fn;
	r->c.user = user;
	r->c.line = 1;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

void kdx_csv_set_delim(kdx_csv *r, char delim)
{
	csv_set_delim(&r->p, (unsigned char)delim);
}

char kdx_csv_guess_delim(const char *text, size_t len)
{
	size_t tabs = 0, commas = 0;
	for (size_t i = 0; i < len && text[i] != '\n'; i++) {
		tabs += text[i] == '\t';
		commas += text[i] == ',';
	}
	return tabs > commas ? '\t' : ',';
}

bool kdx_csv_stopped(const kdx_csv *r)
{
	return r->c.stop != 0;
}

/* Text may be cut anywhere; each physical line is fed to libcsv on its own so
 * that each record knows the line it starts on. */
kdx_status kdx_csv_feed(kdx_csv *r, const char *text, size_t len, kdx_error **err)
{
	struct csv_ctx *c = &r->c;
	size_t off = 0;
	while (off < len && !c->stop) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;
		if (csv_parse(&r->p, text + off, n, on_field, on_record, c) != n) {
			kdx_status st = kdx_fail(err, KDX_EDATA, "malformed CSV at line %ld", c->line);
			kdx_problem *p = kdx_error_attach(err, KDX_P_CSV_MALFORMED,
				"値の中の \" は \"\" と二重にし、改行やカンマを含む値は \" で囲んでください。",
				"%ld 行目付近で CSV の形式が正しくありません（%s）。引用符（\"）の対応を確認してください。",
				c->line, csv_strerror(csv_error(&r->p)));
			if (p)
				p->row = c->line;
			return st;
		}
		off += n;
		if (nl)
			c->line++;
	}
	if (len > 0)
		c->partial = text[len - 1] != '\n';
	return KDX_OK;
}

kdx_status kdx_csv_finish(kdx_csv *r, kdx_error **err)
{
	struct csv_ctx *c = &r->c;
	if (c->stop)
		return KDX_OK;
	if (!c->partial)
		c->line--;  /* the last line ended with a newline: no record on the line after it */
	if (csv_fini(&r->p, on_field, on_record, c) != 0) {
		kdx_status st = kdx_fail(err, KDX_EDATA, "malformed CSV: unterminated quoted field");
		long row = c->rec_start ? c->rec_start : c->line;
		kdx_problem *p = kdx_error_attach(err, KDX_P_CSV_UNTERMINATED, "引用符で囲んだ値の最後に \" を補ってください。",
			"%ld 行目から始まる引用符（\"）が閉じられないままファイルが終わっています。", row);
		if (p)
			p->row = row;
		return st;
	}
	return KDX_OK;
}

void kdx_csv_free(kdx_csv *r)
{
	if (!r)
		return;
	free(r->c.cells);
	free(r->c.offs);
	kdx_buf_free(&r->c.rec);
	csv_free(&r->p);
	free(r);
}

kdx_status kdx_csv_read(const char *text, size_t len, kdx_row_fn fn, void *user, kdx_error **err)
{
	kdx_csv *r = kdx_csv_new(fn, user);
	if (!r)
		return kdx_fail(err, KDX_ENOMEM, "could not initialise the CSV parser");
	kdx_status st = kdx_csv_feed(r, text, len, err);
	if (st == KDX_OK)
		st = kdx_csv_finish(r, err);
	kdx_csv_free(r);
	return st;
}
