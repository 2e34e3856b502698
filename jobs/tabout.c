/* tabout.c - text, CSV and JSON renderings of a result. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/tabout.h"
#include "kdx/text.h"
#include "kdx/buf.h"
#include "kdx/error.h"

void kdx_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void pad(FILE *fp, int n)
{
	while (n-- > 0)
		fputc(' ', fp);
}

void kdx_tabout(FILE *fp, kdx_format fmt, PGresult *r, const char *const *headers, int ncols,
                unsigned long numeric_cols)
{
	int rows = PQntuples(r);
	if (fmt == KDX_FMT_CSV) {
		kdx_buf b = { 0 };
		for (int c = 0; c < ncols; c++) {
			if (c)
				kdx_buf_addc(&b, ',');
			kdx_buf_csv_field(&b, headers[c]);
		}
		kdx_buf_adds(&b, "\n");
		for (int i = 0; i < rows; i++) {
			for (int c = 0; c < ncols; c++) {
				if (c)
					kdx_buf_addc(&b, ',');
				if (!PQgetisnull(r, i, c))
					kdx_buf_csv_cell(&b, PQgetvalue(r, i, c));
			}
			kdx_buf_adds(&b, "\n");
		}
		fwrite(b.data, 1, b.len, fp);
		kdx_buf_free(&b);
		return;
	}
	if (fmt == KDX_FMT_JSON) {
		fputc('[', fp);
		for (int i = 0; i < rows; i++) {
			fputs(i ? ",\n {" : "{", fp);
			for (int c = 0; c < ncols; c++) {
				if (c)
					fputc(',', fp);
				kdx_json_string(fp, headers[c]);
				fputc(':', fp);
				if (PQgetisnull(r, i, c))
					fputs("null", fp);
				else if (numeric_cols & (1UL << c)) {
					const char *v = PQgetvalue(r, i, c);
					char *end;
					strtod(v, &end);
					/* "-" (no figure) and "" are no number: null */
					bool num = end != v && !*end && strpbrk(v, "0123456789");
					fputs(num ? v : "null", fp);
				}
				else if (PQftype(r, c) == 16 /* bool */)
					fputs(PQgetvalue(r, i, c)[0] == 't' ? "true" : "false", fp);
				else
					kdx_json_string(fp, PQgetvalue(r, i, c));
			}
			fputc('}', fp);
		}
		fputs("]\n", fp);
		return;
	}
	int *w = kdx_xcalloc((size_t)ncols, sizeof *w);
	for (int c = 0; c < ncols; c++) {
		w[c] = kdx_text_width(headers[c]);
		for (int i = 0; i < rows; i++) {
			int x = kdx_text_width(PQgetvalue(r, i, c));
			if (x > w[c])
				w[c] = x;
		}
	}
	for (int c = 0; c < ncols; c++) {
		int x = kdx_text_width(headers[c]);
		if (numeric_cols & (1UL << c))
			pad(fp, w[c] - x);
		fputs(headers[c], fp);
		if (c + 1 < ncols) {
			if (!(numeric_cols & (1UL << c)))
				pad(fp, w[c] - x);
			fputs("  ", fp);
		}
	}
	fputc('\n', fp);
	for (int i = 0; i < rows; i++) {
		for (int c = 0; c < ncols; c++) {
			const char *v = PQgetvalue(r, i, c);
			int x = kdx_text_width(v);
			if (numeric_cols & (1UL << c))
				pad(fp, w[c] - x);
			fputs(v, fp);
			if (c + 1 < ncols) {
				if (!(numeric_cols & (1UL << c)))
					pad(fp, w[c] - x);
				fputs("  ", fp);
			}
		}
		fputc('\n', fp);
	}
	free(w);
}
