/* grid.c - text, CSV and JSON renderings of rows (see grid.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/error.h"
#include "kdx/grid.h"
#include "kdx/text.h"

void kdx_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	while (s && *s) {
		unsigned char c = (unsigned char)*s;
		int n = kdx_utf8_len(s);
		if (n == 0) {
			/* not UTF-8 (a file name may be anything): the byte as kdx shows it,
			 * \xNN, so that the document stays JSON */
			fprintf(fp, "\\\\x%02x", c);
			s++;
		} else if (n > 1) {
			fwrite(s, 1, (size_t)n, fp);
			s += n;
		} else {
			if (c == '"' || c == '\\')
				fprintf(fp, "\\%c", c);
			else if (c == '\n')
				fputs("\\n", fp);
			else if (c < 0x20)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
			s++;
		}
	}
	fputc('"', fp);
}

static void pad(FILE *fp, int n)
{
	while (n-- > 0)
		fputc(' ', fp);
}

static const char *cell(const kdx_grid *g, int i, int c)
{
	return g->cells[(size_t)i * g->nfields + c];
}

static void print_csv(FILE *fp, const kdx_grid *g)
{
	kdx_buf b = { 0 };
	for (int c = 0; c < g->nfields; c++) {
		if (c)
			kdx_buf_addc(&b, ',');
		kdx_buf_csv_field(&b, g->fields[c].name);
	}
	kdx_buf_adds(&b, "\n");
	for (int i = 0; i < g->nrows; i++) {
		for (int c = 0; c < g->nfields; c++) {
			if (c)
				kdx_buf_addc(&b, ',');
			if (cell(g, i, c))
				kdx_buf_csv_cell(&b, cell(g, i, c));
		}
		kdx_buf_adds(&b, "\n");
	}
	fwrite(b.data, 1, b.len, fp);
	kdx_buf_free(&b);
}

static void print_json(FILE *fp, const kdx_grid *g)
{
	fputc('[', fp);
	for (int i = 0; i < g->nrows; i++) {
		fputs(i ? ",\n {" : "{", fp);
		for (int c = 0; c < g->nfields; c++) {
			const char *v = cell(g, i, c);
			if (c)
				fputc(',', fp);
			kdx_json_string(fp, g->fields[c].name);
			fputc(':', fp);
			if (!v) {
				fputs("null", fp);
			} else if (g->fields[c].type == KDX_FIELD_NUMBER) {
				char *end;
				strtod(v, &end);
				/* "-" (no figure) and "" are no number: null */
				bool num = end != v && !*end && strpbrk(v, "0123456789");
				fputs(num ? v : "null", fp);
			} else if (g->fields[c].type == KDX_FIELD_BOOL) {
				fputs(v[0] == 't' ? "true" : "false", fp);
			} else {
				kdx_json_string(fp, v);
			}
		}
		fputc('}', fp);
	}
	fputs("]\n", fp);
}

static void print_text(FILE *fp, const kdx_grid *g)
{
	int *w = kdx_xcalloc((size_t)g->nfields + 1, sizeof *w);
	for (int c = 0; c < g->nfields; c++) {
		w[c] = kdx_text_width(g->fields[c].title);
		for (int i = 0; i < g->nrows; i++) {
			int x = cell(g, i, c) ? kdx_text_width(cell(g, i, c)) : 0;
			if (x > w[c])
				w[c] = x;
		}
	}
	for (int i = -1; i < g->nrows; i++) {
		for (int c = 0; c < g->nfields; c++) {
			const char *v = i < 0 ? g->fields[c].title : cell(g, i, c) ? cell(g, i, c) : "";
			bool right = g->fields[c].type == KDX_FIELD_NUMBER || g->fields[c].type == KDX_FIELD_FIGURE;
			int x = kdx_text_width(v);
			if (right)
				pad(fp, w[c] - x);
			fputs(v, fp);
			if (c + 1 < g->nfields) {
				if (!right)
					pad(fp, w[c] - x);
				fputs("  ", fp);
			}
		}
		fputc('\n', fp);
	}
	free(w);
}

void kdx_grid_print(FILE *fp, kdx_format fmt, const kdx_grid *g)
{
	if (fmt == KDX_FMT_CSV)
		print_csv(fp, g);
	else if (fmt == KDX_FMT_JSON)
		print_json(fp, g);
	else
		print_text(fp, g);
}

void kdx_grid_print_result(FILE *fp, kdx_format fmt, PGresult *r, const kdx_field *fields, int nfields)
{
	int rows = PQntuples(r);
	const char **cells = kdx_xcalloc((size_t)rows * nfields + 1, sizeof *cells);
	for (int i = 0; i < rows; i++)
		for (int c = 0; c < nfields; c++)
			cells[(size_t)i * nfields + c] = PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
	kdx_grid g = { fields, nfields, rows, cells };
	kdx_grid_print(fp, fmt, &g);
	free(cells);
}
