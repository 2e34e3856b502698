/* chart.c - goal bar charts and trend charts with cairo. */
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <errno.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include <cairo-svg.h>
#include "kdx/chart.h"
#include "kdx/ink.h"

static const kdx_rgb total_color = { 0.000, 0.620, 0.451 };  /* bluish green */

static void axis(cairo_t *cr, PangoContext *pc, double x0, double y0, double w, double h)
{
	cairo_set_line_width(cr, 0.4);
	for (int p = 0; p <= 100; p += 20) {
		double yy = y0 + h - h * p / 100.0;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x0, yy);
		cairo_line_to(cr, x0 + w, yy);
		cairo_stroke(cr);
		char lab[16];
		snprintf(lab, sizeof lab, "%d%%", p);
		cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
		kdx_text(cr, pc, x0 - 30, yy - 4, 27, lab, KDX_MIN_TEXT, KDX_ALIGN_RIGHT);
	}
}

/* The target: a dashed black line across the plot at height y. */
static void target_line(cairo_t *cr, double left, double y, double width, double dash_on, double line_width)
{
	double dash[] = { dash_on, dash_on * 0.7 };
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, line_width);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, left, y);
	cairo_line_to(cr, left + width, y);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

void kdx_chart_goal(cairo_t *cr, PangoContext *pc, const kdx_chart_goal_data *g, double x, double y, double w, double h)
{
	cairo_save(cr);
	double left = x + 32, top = y + 24, cw = w - 40, chh = h - 24 - 30;
	int n = g->nbars;
	axis(cr, pc, left, top, cw, chh);
	double slot = cw / (n > 0 ? n : 1);
	/* each bar's rate above it and its name below, when every one of them
	 * fits its slot; a council of many municipalities gets bars alone (its
	 * table has the names and rates), never labels over one another */
	bool values = true, names = true;
	for (int i = 0; i < n && (values || names); i++) {
		const kdx_chart_bar *r = &g->bars[i];
		values = values && kdx_text_line_width(cr, pc, r->shown, KDX_MIN_TEXT, 0) <= slot;
		names = names && kdx_text_line_width(cr, pc, r->label, KDX_MIN_TEXT, 0) <= slot;
	}
	for (int i = 0; i < n; i++) {
		const kdx_chart_bar *r = &g->bars[i];
		double bx = left + slot * i + slot * 0.18, bw = slot * 0.64;
		if (r->measured) {
			double bh = chh * r->rate;
			kdx_set_rgb(cr, kdx_status_color(r->status));
			cairo_rectangle(cr, bx, top + chh - bh, bw, bh);
			cairo_fill(cr);
		}
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		/* the rate above its bar, unless the target or 全体 line runs through it there:
		 * then inside the bar's top (white), or above the line */
		double bar_top = top + chh - (r->measured ? chh * r->rate : 0), lh = KDX_MIN_TEXT * 1.35;
		double lines[2] = { top + chh - chh * g->target, g->overall.measured ? top + chh - chh * g->overall.rate : -1e9 };
		double ty = bar_top - lh;
		bool white = false;
		for (int tries = 0; tries < 3; tries++) {
			bool hit = false;
			for (int k = 0; k < 2; k++)
				hit |= lines[k] > ty - 1.5 && lines[k] < ty + lh + 1.5;
			if (!hit)
				break;
			if (tries == 0 && r->measured && chh * r->rate >= lh + 4) {
				ty = bar_top + 1.5;  /* inside the bar */
				white = true;
			} else {
				white = false;
				double above = lines[0] < lines[1] ? lines[0] : lines[1];
				ty = (tries == 0 ? bar_top : above) - lh - 2;
			}
		}
		if (white) {  /* on the bar: white on a dark bar, black on a light one */
			kdx_rgb c = kdx_status_color(r->status);
			double lum = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
			cairo_set_source_rgb(cr, lum < 0.5, lum < 0.5, lum < 0.5);
		}
		if (values)
			kdx_text(cr, pc, left + slot * i, ty, slot, r->shown, KDX_MIN_TEXT, KDX_ALIGN_CENTER);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		if (names)
			kdx_text(cr, pc, left + slot * i, top + chh + 2, slot, r->label, KDX_MIN_TEXT, KDX_ALIGN_CENTER);
	}
	if (n > 0 && (!values || !names)) {
		char note[160];
		snprintf(note, sizeof note, "%d団体（左から団体コード順。団体名%sは表を参照）", n, values ? "" : "と率");
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		kdx_text(cr, pc, left, top + chh + 3, cw, note, KDX_MIN_TEXT, KDX_ALIGN_CENTER);
	}
	/* target (dashed) and 全体 (solid) */
	target_line(cr, left, top + chh - chh * g->target, cw, 4, 1);
	const kdx_chart_bar *t = &g->overall;
	char lab[96];
	if (t->measured) {
		double yy = top + chh - chh * t->rate;
		kdx_set_rgb(cr, total_color);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, left, yy);
		cairo_line_to(cr, left + cw, yy);
		cairo_stroke(cr);
	}
	/* legend: each mark drawn as the line it names */
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(lab, sizeof lab, "全体 %s", t->shown);
	double tw = kdx_text_line_width(cr, pc, lab, KDX_MIN_TEXT, 0);
	double xa = left + cw - tw;
	kdx_text(cr, pc, xa, y, tw + 2, lab, KDX_MIN_TEXT, 0);
	kdx_set_rgb(cr, total_color);
	cairo_set_line_width(cr, 1.2);
	cairo_move_to(cr, xa - 22, y + 5.5);
	cairo_line_to(cr, xa - 4, y + 5.5);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(lab, sizeof lab, "目標 %s", g->target_label);
	double gw = kdx_text_line_width(cr, pc, lab, KDX_MIN_TEXT, 0);
	double xg = xa - 22 - 14 - gw;
	kdx_text(cr, pc, xg, y, gw + 2, lab, KDX_MIN_TEXT, 0);
	target_line(cr, xg - 22, y + 5.5, 18, 4, 1);
	static const char *const st[] = { "達成", "未達", "期限超過" };
	double lx = left;
	for (int i = 0; i < 3; i++) {
		kdx_set_rgb(cr, kdx_status_color(st[i]));
		cairo_rectangle(cr, lx, y + 2, 7, 7);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		kdx_text(cr, pc, lx + 9, y, 40, st[i], KDX_MIN_TEXT, 0);
		lx += 46;
	}
	cairo_restore(cr);
}

/* a survey date under its point, inside the chart's own width */
static void date_label(cairo_t *cr, PangoContext *pc, double px, int i, int n, const char *date, double y)
{
	bool first = i == 0 && n > 1, last = i == n - 1 && n > 1;
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	kdx_text(cr, pc, first ? px - 4 : last ? px - 72 : px - 38, y, 76, date, KDX_MIN_TEXT,
	         first ? KDX_ALIGN_LEFT : last ? KDX_ALIGN_RIGHT : KDX_ALIGN_CENTER);
}

/* One series over survey dates in the plot (left, top, cw, chh): ys[i] (0..1
 * of the plot's height) where ok[i], joined by a line, a dot at each, the
 * dates under the plot; "提出なし" when there is no survey. */
static void series(cairo_t *cr, PangoContext *pc, int n, char *const *dates, const double *ys, const bool *ok,
                   double left, double top, double cw, double chh)
{
	if (n == 0) {
		kdx_text(cr, pc, left, top + chh / 2 - 5, cw, "提出なし", KDX_MIN_TEXT, KDX_ALIGN_CENTER);
		return;
	}
	double step = n > 1 ? cw / (n - 1) : 0;
	kdx_rgb blue = kdx_status_color("達成");
	kdx_set_rgb(cr, blue);
	cairo_set_line_width(cr, 1.4);
	bool started = false;
	for (int i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		double px = n > 1 ? left + step * i : left + cw / 2, py = top + chh - chh * ys[i];
		if (started)
			cairo_line_to(cr, px, py);
		else
			cairo_move_to(cr, px, py);
		started = true;
	}
	cairo_stroke(cr);
	for (int i = 0; i < n; i++) {
		double px = n > 1 ? left + step * i : left + cw / 2;
		if (ok[i]) {
			kdx_set_rgb(cr, blue);
			cairo_new_path(cr);  /* no joining line from the last label */
			cairo_arc(cr, px, top + chh - chh * ys[i], 2, 0, 6.2832);
			cairo_fill(cr);
		}
		/* the first and last dates inside the chart's own width, never into the next chart's */
		date_label(cr, pc, px, i, n, dates[i], top + chh + 3);
	}
}

void kdx_chart_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_chart_series *hist, double target,
                     double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	kdx_text(cr, pc, x, y, w, title, KDX_MIN_TEXT, KDX_BOLD);
	double left = x + 30, top = y + 14, cw = w - 36, chh = h - 14 - 18;
	axis(cr, pc, left, top, cw, chh);
	target_line(cr, left, top + chh - chh * target, cw, 3, 0.8);
	double *ys = kdx_xcalloc((size_t)hist->n + 1, sizeof *ys);
	for (int k = 0; k < hist->n; k++)
		ys[k] = hist->rates[k];
	series(cr, pc, hist->n, hist->dates, ys, hist->valid, left, top, cw, chh);
	free(ys);
	cairo_restore(cr);
}

void kdx_chart_count_trend(cairo_t *cr, PangoContext *pc, const char *title, const kdx_chart_counts *s,
                           double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	char head[160];
	snprintf(head, sizeof head, "%s（済の項目数と判定）", title);
	kdx_text(cr, pc, x, y, w, head, KDX_MIN_TEXT, KDX_BOLD);
	double left = x + 30, top = y + 14 + 12, cw = w - 36 - 20, chh = h - 14 - 12 - 18;
	int max = 1;
	for (int i = 0; i < s->n; i++)
		max = s->dens[i] > max ? s->dens[i] : max;
	/* the axis in items: a line at each whole count, labelled */
	int stepk = max <= 6 ? 1 : (max + 5) / 6;
	cairo_set_line_width(cr, 0.4);
	for (int k = 0; k <= max; k += stepk) {
		double yy = top + chh - chh * k / max;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, left, yy);
		cairo_line_to(cr, left + cw, yy);
		cairo_stroke(cr);
		char lab[16];
		snprintf(lab, sizeof lab, "%d", k);
		cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
		kdx_text(cr, pc, left - 30, yy - 4, 27, lab, KDX_MIN_TEXT, KDX_ALIGN_RIGHT);
	}
	double *ys = kdx_xcalloc((size_t)s->n + 1, sizeof *ys);
	bool *ok = kdx_xcalloc((size_t)s->n + 1, sizeof *ok);
	for (int k = 0; k < s->n; k++) {
		ys[k] = (double)s->nums[k] / max;
		ok[k] = s->dens[k] > 0;
	}
	series(cr, pc, s->n, s->dates, ys, ok, left, top, cw, chh);
	/* each point's count and status in a lane above the plot, where no line runs */
	double step = s->n > 1 ? cw / (s->n - 1) : 0;
	for (int k = 0; k < s->n; k++) {
		if (!ok[k])
			continue;
		double px = s->n > 1 ? left + step * k : left + cw / 2;
		char lab[48];
		snprintf(lab, sizeof lab, "%d/%d %s", s->nums[k], s->dens[k], s->statuses[k]);
		double lw = kdx_text_line_width(cr, pc, lab, KDX_MIN_TEXT, 0);
		double lx = px - lw / 2;
		lx = lx < left ? left : lx + lw > left + cw + 20 ? left + cw + 20 - lw : lx;
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		kdx_text(cr, pc, lx, top - KDX_MIN_TEXT * 1.35 - 1, lw + 2, lab, KDX_MIN_TEXT, 0);
	}
	free(ys);
	free(ok);
	cairo_restore(cr);
}

/*
 * cairo names SVG elements from a process-wide counter (surface5, glyph3-1),
 * so the same chart drawn later in a process gets other ids.  Renumber each
 * id family in order of first appearance, so the same chart is the same file.
 */
static kdx_status svg_normalise_ids(const char *path, kdx_error **err)
{
	static const char *const fam[] = { "surface", "glyph", "clip", "mask", "pattern", "image", "source", NULL };
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return kdx_fail(err, KDX_EIO, "could not read \"%s\"", path);
	kdx_buf in = { 0 }, out = { 0 };
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		kdx_buf_add(&in, chunk, n);
	fclose(fp);
	kdx_buf_reserve(&in, 0);
	long *seen[7] = { 0 };
	int nseen[7] = { 0 };
	for (size_t i = 0; i < in.len;) {
		int f = -1;
		size_t fl = 0;
		/* an id starts with one of the families' first letters, after a non-letter */
		char c0 = in.data[i], prev = i ? in.data[i - 1] : ' ';
		bool may = (c0 == 's' || c0 == 'g' || c0 == 'c' || c0 == 'm' || c0 == 'p' || c0 == 'i') &&
		           !((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z'));
		for (int k = 0; may && fam[k]; k++) {
			size_t l = strlen(fam[k]);
			if (!strncmp(in.data + i, fam[k], l) && in.data[i + l] >= '0' && in.data[i + l] <= '9') {
				f = k;
				fl = l;
				break;
			}
		}
		if (f < 0) {
			kdx_buf_addc(&out, in.data[i++]);
			continue;
		}
		char *end;
		long v = strtol(in.data + i + fl, &end, 10);
		int idx = -1;
		for (int k = 0; k < nseen[f]; k++)
			if (seen[f][k] == v)
				idx = k;
		if (idx < 0) {
			seen[f] = kdx_xrealloc(seen[f], (size_t)(nseen[f] + 1) * sizeof **seen);
			seen[f][nseen[f]] = v;
			idx = nseen[f]++;
		}
		kdx_buf_printf(&out, "%s%d", fam[f], idx + 1);
		i = (size_t)(end - in.data);
	}
	for (int k = 0; k < 7; k++)
		free(seen[k]);
	kdx_status st = KDX_OK;
	fp = fopen(path, "wb");
	if (!fp || fwrite(out.data, 1, out.len, fp) != out.len)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s\"", path);
	if (fp && fclose(fp) != 0 && st == KDX_OK)
		st = kdx_fail(err, KDX_EIO, "could not write \"%s\"", path);
	kdx_buf_free(&in);
	kdx_buf_free(&out);
	return st;
}

/* One PNG chunk: length, type, data, CRC-32 of type and data. */
static void png_chunk(kdx_buf *b, const char *type, const unsigned char *data, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n };
	kdx_buf_add(b, len, 4);
	kdx_buf_add(b, type, 4);
	kdx_buf_add(b, data, n);
	uLong crc = crc32(0L, (const Bytef *)type, 4);
	/* not for IEND's empty data: zlib's crc32(crc, NULL, 0) returns the
	 * initial 0, not crc, and the chunk would end with a CRC of 00000000 */
	if (n)
		crc = crc32(crc, data, (uInt)n);
	unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16), (unsigned char)(crc >> 8), (unsigned char)crc };
	kdx_buf_add(b, c, 4);
}

/*
 * Write an RGB24 image surface as PNG.  cairo's own writer compresses with
 * libpng's defaults, which took a third of the time of a council report; a
 * chart is mostly flat colour, so each row is Up-filtered (where it repeats
 * the row above it becomes zeros) and deflated at the fastest level: several
 * times faster, a little larger (51 KB for 38 KB).
 */
static kdx_status png_write(cairo_surface_t *s, const char *path, kdx_error **err)
{
	cairo_surface_flush(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	size_t rowlen = 1 + (size_t)w * 3;
	unsigned char *raw = kdx_xmalloc(rowlen * (size_t)h);
	for (int y = 0; y < h; y++) {
		const uint32_t *src = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
		const uint32_t *above = y ? (const uint32_t *)(const void *)(px + (size_t)(y - 1) * (size_t)stride) : NULL;
		unsigned char *row = raw + (size_t)y * rowlen;
		row[0] = 2; /* Up: each byte minus the one above it */
		for (int x = 0; x < w; x++) {
			uint32_t p = src[x], q = above ? above[x] : 0;
			row[1 + x * 3] = (unsigned char)((p >> 16) - (q >> 16));
			row[2 + x * 3] = (unsigned char)((p >> 8) - (q >> 8));
			row[3 + x * 3] = (unsigned char)(p - q);
		}
	}
	z_stream z;
	memset(&z, 0, sizeof z);
	kdx_status st = KDX_OK;
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(raw);
		return kdx_fail(err, KDX_ENOMEM, "could not initialise zlib for \"%s\"", path);
	}
	uLong bound = deflateBound(&z, (uLong)(rowlen * (size_t)h));
	unsigned char *zd = kdx_xmalloc(bound);
	z.next_in = raw;
	z.avail_in = (uInt)(rowlen * (size_t)h);
	z.next_out = zd;
	z.avail_out = (uInt)bound;
	int zr = deflate(&z, Z_FINISH);
	size_t zn = bound - z.avail_out;
	deflateEnd(&z);
	free(raw);
	if (zr != Z_STREAM_END) {
		free(zd);
		return kdx_fail(err, KDX_EINTERNAL, "could not compress \"%s\"", path);
	}
	kdx_buf b = { 0 };
	kdx_buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13] = { (unsigned char)(w >> 24), (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w,
	                           (unsigned char)(h >> 24), (unsigned char)(h >> 16), (unsigned char)(h >> 8), (unsigned char)h,
	                           8, 2, 0, 0, 0 };  /* 8-bit RGB, deflate, adaptive filtering, no interlace */
	png_chunk(&b, "IHDR", ihdr, sizeof ihdr);
	png_chunk(&b, "IDAT", zd, zn);
	png_chunk(&b, "IEND", NULL, 0);
	free(zd);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(b.data, 1, b.len, fp) != b.len)
		st = kdx_fail(err, KDX_EIO, "could not write chart \"%s\": %s", path, strerror(errno));
	if (fp && fclose(fp) != 0 && st == KDX_OK)
		st = kdx_fail(err, KDX_EIO, "could not write chart \"%s\": %s", path, strerror(errno));
	kdx_buf_free(&b);
	return st;
}

bool kdx_chart_grid_fill(const char *word, kdx_rgb *c)
{
	/* whole 8-bit values (the workbooks' fills), so a PNG has them exactly */
	static const kdx_rgb done = { 204 / 255.0, 230 / 255.0, 247 / 255.0 }, open = { 252 / 255.0, 227 / 255.0, 191 / 255.0 };
	if (!strcmp(word, "済"))
		*c = done;
	else if (!strcmp(word, "未"))
		*c = open;
	else if (!strcmp(word, "達成") || !strcmp(word, "未達") || !strcmp(word, "期限超過") || !strcmp(word, "対象外")
	         || !strcmp(word, "未提出"))
		*c = kdx_status_tint(word);
	else
		return false;
	return true;
}

void kdx_chart_grid(cairo_t *cr, PangoContext *pc, const kdx_chart_grid_data *g, double x, double y, double w, double h)
{
	cairo_save(cr);
	double size = 11;
	double note_h = g->note ? kdx_text_height(cr, pc, w, g->note, KDX_MIN_TEXT + 1, 0) + 6 : 0;
	/* the row labels as wide as the widest needs, up to 40% of the width */
	double lw = 0;
	for (int r = 0; r < g->nrows; r++) {
		double t = kdx_text_line_width(cr, pc, g->rows[r], size, 0) + 8;
		lw = t > lw ? t : lw;
	}
	if (lw > w * 0.4)
		lw = w * 0.4;
	double cw = (w - lw) / (g->ncols > 0 ? g->ncols : 1);
	/* the largest size at which every column label fits its column on two lines, not below 8 pt */
	for (; size > KDX_MIN_TEXT; size -= 0.5) {
		bool fits = true;
		for (int c = 0; c < g->ncols && fits; c++)
			fits = kdx_text_height(cr, pc, cw - 2, g->cols[c], size, KDX_BOLD) <= size * 2.9;
		if (fits)
			break;
	}
	double hh = 0;
	for (int c = 0; c < g->ncols; c++) {
		double t = kdx_text_height(cr, pc, cw - 2, g->cols[c], size, KDX_BOLD);
		hh = t > hh ? t : hh;
	}
	hh += 6;
	double rh = (h - note_h - hh) / (g->nrows > 0 ? g->nrows : 1);
	if (rh > size * 2.4)
		rh = size * 2.4;
	for (int r = 0; r < g->nrows; r++) {
		double t = kdx_text_height(cr, pc, lw - 6, g->rows[r], size, 0) + 4;
		rh = t > rh ? t : rh;
	}
	cairo_set_line_width(cr, 0.5);
	/* header */
	cairo_set_source_rgb(cr, 0.86, 0.89, 0.93);
	cairo_rectangle(cr, x, y, w, hh);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int c = 0; c < g->ncols; c++)
		kdx_text(cr, pc, x + lw + cw * c + 1, y + 3, cw - 2, g->cols[c], size, KDX_BOLD | KDX_ALIGN_CENTER);
	double yy = y + hh;
	for (int r = 0; r < g->nrows; r++) {
		double ty = yy + (rh - kdx_text_height(cr, pc, lw - 6, g->rows[r], size, 0)) / 2;
		cairo_set_source_rgb(cr, 0, 0, 0);
		kdx_text(cr, pc, x + 3, ty, lw - 6, g->rows[r], size, r >= g->nitems ? KDX_BOLD : 0);
		for (int c = 0; c < g->ncols; c++) {
			const char *word = g->cells[r * g->ncols + c];
			kdx_rgb fill;
			if (kdx_chart_grid_fill(word, &fill)) {
				kdx_set_rgb(cr, fill);
				cairo_rectangle(cr, x + lw + cw * c, yy, cw, rh);
				cairo_fill(cr);
			}
			cairo_set_source_rgb(cr, 0, 0, 0);
			kdx_text(cr, pc, x + lw + cw * c + 1, yy + (rh - size * 1.3) / 2, cw - 2, word, size, KDX_ALIGN_CENTER);
		}
		/* the rule above a row; heavier above the summary rows */
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, r == g->nitems ? 1.2 : 0.4);
		cairo_move_to(cr, x, yy);
		cairo_line_to(cr, x + w, yy);
		cairo_stroke(cr);
		yy += rh;
	}
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, x, yy);
	cairo_line_to(cr, x + w, yy);
	cairo_stroke(cr);
	for (int c = 0; c <= g->ncols; c++) {
		cairo_move_to(cr, x + lw + cw * c, y);
		cairo_line_to(cr, x + lw + cw * c, yy);
		cairo_stroke(cr);
	}
	cairo_rectangle(cr, x, y, w, yy - y);
	cairo_stroke(cr);
	if (g->note) {
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		kdx_text(cr, pc, x, yy + 6, w, g->note, KDX_MIN_TEXT + 1, 0);
	}
	cairo_restore(cr);
}

/* A chart as a PNG and an SVG file (for slides): its title, then draw(ctx) in the box below it. */
typedef void (*chart_draw_fn)(cairo_t *cr, PangoContext *pc, const void *ctx, double x, double y, double w, double h);

static kdx_status chart_files(const char *title, chart_draw_fn draw, const void *ctx, const char *png_path,
                              const char *svg_path, kdx_error **err)
{
	const double W = 800, H = 400;
	kdx_status st = KDX_OK;
	for (int pass = 0; pass < 2; pass++) {
		cairo_surface_t *s = pass == 0 ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)W * 2, (int)H * 2)
		                               : cairo_svg_surface_create(svg_path, W, H);
		cairo_t *cr = cairo_create(s);
		if (pass == 0)
			cairo_scale(cr, 2, 2);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		PangoContext *pc = pango_cairo_create_context(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		kdx_text(cr, pc, 20, 12, W - 40, title, 13, KDX_BOLD);
		draw(cr, pc, ctx, 20, 40, W - 40, H - 50);
		g_object_unref(pc);
		cairo_destroy(cr);
		cairo_status_t cs = CAIRO_STATUS_SUCCESS;
		if (pass == 0) {
			st = png_write(s, png_path, err);
		} else {
			cairo_surface_finish(s);
			cs = cairo_surface_status(s);
		}
		cairo_surface_destroy(s);
		if (st != KDX_OK)
			break;
		if (cs != CAIRO_STATUS_SUCCESS) {
			st = kdx_fail(err, KDX_EIO, "could not write chart \"%s\": %s", pass == 0 ? png_path : svg_path,
			              cairo_status_to_string(cs));
			break;
		}
	}
	if (st == KDX_OK)
		st = svg_normalise_ids(svg_path, err);
	return st;
}

static void draw_goal(cairo_t *cr, PangoContext *pc, const void *ctx, double x, double y, double w, double h)
{
	kdx_chart_goal(cr, pc, ctx, x, y, w, h);
}

static void draw_grid(cairo_t *cr, PangoContext *pc, const void *ctx, double x, double y, double w, double h)
{
	kdx_chart_grid(cr, pc, ctx, x, y, w, h);
}

kdx_status kdx_chart_goal_files(const kdx_chart_goal_data *g, const char *png_path, const char *svg_path, kdx_error **err)
{
	return chart_files(g->title, draw_goal, g, png_path, svg_path, err);
}

kdx_status kdx_chart_grid_files(const kdx_chart_grid_data *g, const char *png_path, const char *svg_path, kdx_error **err)
{
	return chart_files(g->title, draw_grid, g, png_path, svg_path, err);
}
