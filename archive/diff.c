/* diff.c - what changed between two snapshots, from the archives alone (see diff.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/bagit.h"
#include "kdx/buf.h"
#include "kdx/datasets.h"
#include "kdx/diff.h"
#include "kdx/figures.h"
#include "kdx/jdate.h"
#include "kdx/reader.h"
#include "kdx/verify.h"
#include "kdx/strset.h"
#include "kdx/tar.h"

/* ---- a CSV file of the bag, parsed ----------------------------------------- */

typedef struct table {
	const char *file;  /* its path in the bag, for messages */
	int ncols;
	char **head;
	char ***cells;     /* [row][col], "" for an empty cell */
	int nrows, cap;
} table;

static int on_row(void *ctx, const kdx_row *row)
{
	table *t = ctx;
	if (!t->head) {
		t->ncols = row->ncells;
		t->head = kdx_xcalloc((size_t)row->ncells + 1, sizeof *t->head);
		for (int i = 0; i < row->ncells; i++) {
			const char *c = row->cells[i] ? row->cells[i] : "";
			if (i == 0 && !strncmp(c, "\xEF\xBB\xBF", 3))
				c += 3;
			t->head[i] = kdx_strdup(c);
		}
		return 0;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->cells = kdx_xrealloc(t->cells, (size_t)t->cap * sizeof *t->cells);
	}
	char **r = kdx_xcalloc((size_t)t->ncols + 1, sizeof *r);
	for (int i = 0; i < t->ncols; i++)
		r[i] = kdx_strdup(i < row->ncells && row->cells[i] ? row->cells[i] : "");
	t->cells[t->nrows++] = r;
	return 0;
}

static void table_free(table *t)
{
	for (int i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++)
			free(t->cells[i][c]);
		free(t->cells[i]);
	}
	free(t->cells);
	for (int c = 0; c < t->ncols; c++)
		free(t->head[c]);
	free(t->head);
	memset(t, 0, sizeof *t);
}

static int col(const table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->head[i], name))
			return i;
	return -1;
}

/* ---- one side: a verified archive and the files a comparison reads -------- */

enum { NFACTS = KDX_DS_COUNT };

typedef struct side {
	const char *path;
	kdx_diff_side *self;
	table in_force, figures, munis, procs;
	kdx_strset by_in_force, by_figure, by_muni, by_proc;  /* row + 1 by (dataset, code), (goal, code), code, id */
	table facts[NFACTS];
	/* each fact table's rows by submission ("batch\tmuni\tdate"): chained through next */
	kdx_strset groups[NFACTS];
	int *first[NFACTS], *next[NFACTS];
} side;

/* Per dataset: its fact file, the column that names an item and the columns
 * compared, with the input's headings: from the one table of input columns
 * (etl/datasets.c), made once. */
enum { MAXCOLS = 16 };
static struct fact_spec {
	char file[64];
	const char *key, *name;
	const char *cols[MAXCOLS], *labels[MAXCOLS];
} specs[NFACTS];

static void specs_init(void)
{
	for (int ds = 0; ds < NFACTS; ds++) {
		const kdx_dataset *d = &kdx_datasets[ds];
		struct fact_spec *sp = &specs[ds];
		memset(sp, 0, sizeof *sp);
		snprintf(sp->file, sizeof sp->file, "%s.csv", strncmp(d->table, "kdx.", 4) ? d->table : d->table + 4);
		int n = 0;
		for (int c = 0; c < d->ncols; c++) {
			const kdx_col_def *cd = &d->cols[c];
			if (!cd->wcol || cd->kind == KDX_COL_DATE || cd->kind == KDX_COL_MUNI_CODE)
				continue;
			if (cd->kind == KDX_COL_ID || cd->kind == KDX_COL_PROC_ID || cd->kind == KDX_COL_PLATFORM || cd->kind == KDX_COL_ITEM) {
				sp->key = cd->wcol;  /* the item a row is about */
				continue;
			}
			if (cd->kind == KDX_COL_NAME)
				sp->name = cd->wcol;
			if (n < MAXCOLS - 1) {
				sp->cols[n] = cd->wcol;
				sp->labels[n++] = cd->name;
			}
		}
	}
}

static const char *const keep[] = { "data/warehouse/", "data/figures.csv", NULL };

static kdx_status parse(const kdx_tar *t, const char *root, const char *rel, table *out, const char *archive,
                        const char *as_of, kdx_error **err)
{
	char *p = kdx_strdup_printf("%s/%s", root, rel);
	const kdx_tar_entry *e = kdx_tar_find(t, p);
	free(p);
	out->file = rel;
	if (!e || !e->data) {
		kdx_fail(err, KDX_EDATA, "the snapshot \"%s\" has no %s, which kdx diff compares", archive, rel);
		kdx_error_detail(*err, "Snapshots taken before kdx could compare them do not archive their figures"
		                       " (data/figures.csv) and the submissions those used (data/warehouse/in_force.csv).");
		kdx_error_hint(*err, "Take the snapshot of that as-of again with this kdx (kdx snapshot --as-of %s) and compare"
		                     " the new archive; the old one stays valid as it is.", *as_of ? as_of : "DATE");
		return KDX_EDATA;
	}
	kdx_status st = kdx_csv_read((const char *)e->data, e->size, on_row, out, err);
	if (st == KDX_OK && !out->head)
		st = kdx_fail(err, KDX_EDATA, "%s in the snapshot \"%s\" is empty", rel, archive);
	return st;
}

static kdx_status need_cols(const table *t, const char *archive, const char *const *names, kdx_error **err)
{
	for (int i = 0; names[i]; i++)
		if (col(t, names[i]) < 0)
			return kdx_fail(err, KDX_EDATA, "%s in the snapshot \"%s\" has no column \"%s\"", t->file, archive, names[i]);
	return KDX_OK;
}

/* Chain each fact table's rows by the submission they belong to. */
static kdx_status index_facts(side *s, int ds, kdx_error **err)
{
	table *t = &s->facts[ds];
	const char *const need[] = { "batch_id", "muni_code", "survey_date", NULL };
	kdx_status st = need_cols(t, s->path, need, err);
	for (int i = 0; i < MAXCOLS && specs[ds].cols[i] && st == KDX_OK; i++)
		st = need_cols(t, s->path, (const char *const[]){ specs[ds].cols[i], NULL }, err);
	if (st == KDX_OK && specs[ds].key)
		st = need_cols(t, s->path, (const char *const[]){ specs[ds].key, NULL }, err);
	if (st != KDX_OK)
		return st;
	int cb = col(t, "batch_id"), cm = col(t, "muni_code"), cd = col(t, "survey_date");
	s->first[ds] = kdx_xcalloc((size_t)t->nrows + 1, sizeof(int));
	s->next[ds] = kdx_xcalloc((size_t)t->nrows + 1, sizeof(int));
	int ngroups = 0;
	for (int i = t->nrows - 1; i >= 0; i--) {  /* backwards, so each chain runs in file order */
		char key[256];
		snprintf(key, sizeof key, "%s\t%s\t%s", t->cells[i][cb], t->cells[i][cm], t->cells[i][cd]);
		long g = kdx_strset_put(&s->groups[ds], key, ngroups + 1);
		if (g == 0)
			g = ++ngroups;
		s->next[ds][i] = s->first[ds][g - 1];
		s->first[ds][g - 1] = i + 1;
	}
	return KDX_OK;
}

/* The value of key in set, 0 when absent (which it then holds as -1: looked up, not there). */
static long lookup(kdx_strset *set, const char *key)
{
	long v = kdx_strset_put(set, key, -1);
	return v > 0 ? v : 0;
}

/* The first row (1-based, 0 when none) of the rows of one submission. */
static int group_first(side *s, int ds, const char *batch, const char *muni, const char *date)
{
	char key[256];
	snprintf(key, sizeof key, "%s\t%s\t%s", batch, muni, date);
	long g = lookup(&s->groups[ds], key);
	return g ? s->first[ds][g - 1] : 0;
}

/* Row i + 1 of t under the key of columns c1 and c2, for lookup(). */
static void index_rows(const table *t, int c1, int c2, kdx_strset *set)
{
	for (int i = 0; i < t->nrows; i++) {
		char key[512];
		snprintf(key, sizeof key, "%s\t%s", t->cells[i][c1], c2 >= 0 ? t->cells[i][c2] : "");
		kdx_strset_put(set, key, i + 1);
	}
}

static int find_row(kdx_strset *set, const char *k1, const char *k2)
{
	char key[512];
	snprintf(key, sizeof key, "%s\t%s", k1, k2 ? k2 : "");
	return (int)lookup(set, key) - 1;
}

static kdx_status open_side(side *s, const char *archive, kdx_diff_side *self, kdx_tar *t, kdx_error **err)
{
	s->path = archive;
	s->self = self;
	kdx_verify_result vr = { 0 };
	char prev[65];
	kdx_status st = kdx_snapshot_read(archive, keep, &vr, self->tagmanifest_sha256, prev, t, err);
	if (st == KDX_EDATA && vr.nproblems)
		st = kdx_snapshot_refuse(archive, &vr, "nothing was compared",
		                         "compare a backup copy of it that kdx verify accepts", err);
	snprintf(self->bag, sizeof self->bag, "%s", vr.bag);
	kdx_verify_result_free(&vr);
	if (st != KDX_OK)
		return st;
	char *root = kdx_strdup(self->bag);
	char *ip = kdx_strdup_printf("%s/bag-info.txt", root);
	const kdx_tar_entry *info = kdx_tar_find(t, ip);
	free(ip);
	const char *text = info && info->data ? (const char *)info->data : "";
	kdx_bagit_info_field(text, "KDX-As-Of", self->as_of, sizeof self->as_of);
	kdx_bagit_info_field(text, "KDX-Council", self->council, sizeof self->council);
	kdx_bagit_info_field(text, "KDX-Data-SHA256", self->data_sha256, sizeof self->data_sha256);
	st = parse(t, root, "data/warehouse/in_force.csv", &s->in_force, archive, self->as_of, err);
	if (st == KDX_OK)
		st = parse(t, root, "data/figures.csv", &s->figures, archive, self->as_of, err);
	if (st == KDX_OK)
		st = parse(t, root, "data/warehouse/master/municipalities.csv", &s->munis, archive, self->as_of, err);
	if (st == KDX_OK)
		st = parse(t, root, "data/warehouse/master/procedures.csv", &s->procs, archive, self->as_of, err);
	for (int ds = 0; ds < NFACTS && st == KDX_OK; ds++) {
		char *rel = kdx_strdup_printf("data/warehouse/%s", specs[ds].file);
		st = parse(t, root, rel, &s->facts[ds], archive, self->as_of, err);
		s->facts[ds].file = specs[ds].file;
		free(rel);
		if (st == KDX_OK)
			st = index_facts(s, ds, err);
	}
	if (st == KDX_OK) {
		const char *const inf[] = { "dataset", "muni_code", "survey_date", "batch_id", "file_name", "sha256", NULL };
		const char *const fig[] = { "目標", "団体コード", "団体名", "分母", "分子", "表示", "状況", NULL };
		const char *const mun[] = { "code", "name", NULL };
		const char *const pro[] = { "id", "category", "name", NULL };
		st = need_cols(&s->in_force, archive, inf, err);
		if (st == KDX_OK)
			st = need_cols(&s->figures, archive, fig, err);
		if (st == KDX_OK)
			st = need_cols(&s->munis, archive, mun, err);
		if (st == KDX_OK)
			st = need_cols(&s->procs, archive, pro, err);
	}
	if (st == KDX_OK) {
		index_rows(&s->in_force, col(&s->in_force, "dataset"), col(&s->in_force, "muni_code"), &s->by_in_force);
		index_rows(&s->figures, col(&s->figures, "目標"), col(&s->figures, "団体コード"), &s->by_figure);
		index_rows(&s->munis, col(&s->munis, "code"), -1, &s->by_muni);
		index_rows(&s->procs, col(&s->procs, "id"), -1, &s->by_proc);
	}
	free(root);
	return st;
}

static void side_free(side *s)
{
	table_free(&s->in_force);
	table_free(&s->figures);
	table_free(&s->munis);
	table_free(&s->procs);
	kdx_strset_free(&s->by_in_force);
	kdx_strset_free(&s->by_figure);
	kdx_strset_free(&s->by_muni);
	kdx_strset_free(&s->by_proc);
	for (int ds = 0; ds < NFACTS; ds++) {
		table_free(&s->facts[ds]);
		kdx_strset_free(&s->groups[ds]);
		free(s->first[ds]);
		free(s->next[ds]);
	}
}

/* ---- the result ------------------------------------------------------------ */

static kdx_diff_row *add(kdx_diff *d, kdx_diff_section sec, const char *change, const char *subject, const char *code,
                         const char *name, const char *item, const char *field, const char *before, const char *after)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->rows = kdx_xrealloc(d->rows, (size_t)d->cap * sizeof *d->rows);
	}
	kdx_diff_row *r = &d->rows[d->n++];
	memset(r, 0, sizeof *r);
	r->section = sec;
	r->change = kdx_strdup(change);
	r->subject = kdx_strdup(subject ? subject : "");
	r->code = kdx_strdup(code ? code : "");
	r->name = kdx_strdup(name ? name : "");
	r->item = kdx_strdup(item ? item : "");
	r->field = kdx_strdup(field ? field : "");
	r->before = kdx_strdup(before ? before : "");
	r->after = kdx_strdup(after ? after : "");
	r->sha_before = kdx_strdup("");
	r->sha_after = kdx_strdup("");
	r->date_before = kdx_strdup("");
	r->date_after = kdx_strdup("");
	d->count[sec]++;
	return r;
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = kdx_strdup(v ? v : "");
}

void kdx_diff_free(kdx_diff *d)
{
	for (int i = 0; i < d->n; i++) {
		kdx_diff_row *r = &d->rows[i];
		free(r->change); free(r->subject); free(r->code); free(r->name); free(r->item); free(r->field);
		free(r->before); free(r->after); free(r->sha_before); free(r->sha_after); free(r->date_before);
		free(r->date_after);
	}
	free(d->rows);
	memset(d, 0, sizeof *d);
}

const char *kdx_diff_section_name(kdx_diff_section s)
{
	return s == KDX_DIFF_SUBMISSION ? "提出" : s == KDX_DIFF_ROW ? "行" : "数値";
}

/* ---- comparing ------------------------------------------------------------- */

static const char *muni_name(side *a, side *b, const char *code)
{
	int i = find_row(&b->by_muni, code, NULL);
	if (i >= 0)
		return b->munis.cells[i][col(&b->munis, "name")];
	i = find_row(&a->by_muni, code, NULL);
	return i >= 0 ? a->munis.cells[i][col(&a->munis, "name")] : code;
}

/* A fact value as the submitter would read it. */
static char *show(const char *colname, const char *v)
{
	if (!*v)
		return kdx_strdup("（空欄）");
	if (!strcmp(v, "t") || !strcmp(v, "f"))
		return kdx_strdup(v[0] == 't' ? "あり" : "なし");
	int fy;
	if (!strcmp(colname, "planned_fy") && sscanf(v, "%d", &fy) == 1) {
		char buf[40];
		kdx_fy_wareki(fy, buf, sizeof buf);
		return kdx_strdup(buf);
	}
	return kdx_strdup(v);
}

/* An item's label: "001 ひまわり保育園", "N08 児童手当 認定請求", "PMH母子保健". */
static char *item_label(side *a, side *b, int ds, const table *t, char **row)
{
	const struct fact_spec *sp = &specs[ds];
	if (!sp->key)
		return kdx_strdup("");
	const char *key = row[col(t, sp->key)];
	if (sp->name)
		return kdx_strdup_printf("%s %s", key, row[col(t, sp->name)]);
	if (ds == KDX_DS_PROCEDURES) {
		side *sides[2] = { b, a };
		for (int k = 0; k < 2; k++) {
			const table *p = &sides[k]->procs;
			int i = find_row(&sides[k]->by_proc, key, NULL);
			if (i >= 0)
				return kdx_strdup_printf("%s %s %s", key, p->cells[i][col(p, "category")], p->cells[i][col(p, "name")]);
		}
	}
	return kdx_strdup(key);
}

/* The rows of one submission of a side, by their key: a list of row indices. */
typedef struct rowset {
	int *rows;
	int n;
} rowset;

static rowset rows_of(side *s, int ds, const char *batch, const char *muni, const char *date)
{
	rowset r = { 0 };
	for (int i = group_first(s, ds, batch, muni, date); i; i = s->next[ds][i - 1]) {
		r.rows = kdx_xrealloc(r.rows, (size_t)(r.n + 1) * sizeof *r.rows);
		r.rows[r.n++] = i - 1;
	}
	return r;
}

static int find_key(const side *s, int ds, const rowset *rs, const char *key)
{
	const table *t = &s->facts[ds];
	int ck = specs[ds].key ? col(t, specs[ds].key) : -1;
	for (int i = 0; i < rs->n; i++)
		if (ck < 0 || !strcmp(t->cells[rs->rows[i]][ck], key))
			return rs->rows[i];
	return -1;
}

/* The rows of A's and B's submission of one municipality and dataset, item by item. */
static void compare_rows(kdx_diff *d, side *a, side *b, int ds, const char *code, char **ia, char **ib)
{
	const char *title = kdx_datasets[ds].title;
	const char *name = muni_name(a, b, code);
	int ab = col(&a->in_force, "batch_id"), ad = col(&a->in_force, "survey_date");
	int bb = col(&b->in_force, "batch_id"), bd = col(&b->in_force, "survey_date");
	rowset ra = rows_of(a, ds, ia[ab], code, ia[ad]);
	rowset rb = rows_of(b, ds, ib[bb], code, ib[bd]);
	const table *ta = &a->facts[ds], *tb = &b->facts[ds];
	int cka = specs[ds].key ? col(ta, specs[ds].key) : -1, ckb = specs[ds].key ? col(tb, specs[ds].key) : -1;
	/* B's items in B's order: changed or new; then A's that B no longer has */
	for (int i = 0; i < rb.n; i++) {
		char **rowb = tb->cells[rb.rows[i]];
		int j = find_key(a, ds, &ra, ckb >= 0 ? rowb[ckb] : "");
		char *label = item_label(a, b, ds, tb, rowb);
		if (j < 0) {
			add(d, KDX_DIFF_ROW, "追加", title, code, name, label, "", "", "");
		} else {
			char **rowa = ta->cells[j];
			for (int c = 0; c < MAXCOLS && specs[ds].cols[c]; c++) {
				const char *va = rowa[col(ta, specs[ds].cols[c])], *vb = rowb[col(tb, specs[ds].cols[c])];
				if (!strcmp(va, vb))
					continue;
				char *sa = show(specs[ds].cols[c], va), *sb = show(specs[ds].cols[c], vb);
				add(d, KDX_DIFF_ROW, "変更", title, code, name, label, specs[ds].labels[c], sa, sb);
				free(sa);
				free(sb);
			}
		}
		free(label);
	}
	for (int i = 0; i < ra.n; i++) {
		char **rowa = ta->cells[ra.rows[i]];
		if (find_key(b, ds, &rb, cka >= 0 ? rowa[cka] : "") < 0) {
			char *label = item_label(a, b, ds, ta, rowa);
			add(d, KDX_DIFF_ROW, "削除", title, code, name, label, "", "", "");
			free(label);
		}
	}
	free(ra.rows);
	free(rb.rows);
}

static void submission(kdx_diff *d, const char *change, int ds, const char *code, const char *name, const table *ta,
                       char **ra, const table *tb, char **rb)
{
	const char *file = rb ? rb[col(tb, "file_name")] : ra[col(ta, "file_name")];
	kdx_diff_row *r = add(d, KDX_DIFF_SUBMISSION, change, kdx_datasets[ds].title, code, name, file, "提出ファイル",
	                      ra ? ra[col(ta, "file_name")] : "（なし）", rb ? rb[col(tb, "file_name")] : "（なし）");
	if (ra) {
		set(&r->sha_before, ra[col(ta, "sha256")]);
		set(&r->date_before, ra[col(ta, "survey_date")]);
	}
	if (rb) {
		set(&r->sha_after, rb[col(tb, "sha256")]);
		set(&r->date_after, rb[col(tb, "survey_date")]);
	}
}

/* Submissions in force in A and in B, dataset by dataset, municipality by municipality. */
static void compare_submissions(kdx_diff *d, side *a, side *b)
{
	table *ta = &a->in_force, *tb = &b->in_force;
	int ads = col(ta, "dataset"), am = col(ta, "muni_code"), ash = col(ta, "sha256"), adt = col(ta, "survey_date");
	int bds = col(tb, "dataset"), bm = col(tb, "muni_code"), bsh = col(tb, "sha256"), bdt = col(tb, "survey_date");
	for (int ds = 0; ds < KDX_DS_COUNT; ds++) {
		const char *id = kdx_datasets[ds].id;
		for (int i = 0; i < tb->nrows; i++) {
			char **rb = tb->cells[i];
			if (strcmp(rb[bds], id))
				continue;
			int j = find_row(&a->by_in_force, id, rb[bm]);
			const char *name = muni_name(a, b, rb[bm]);
			if (j < 0) {
				submission(d, "追加", ds, rb[bm], name, ta, NULL, tb, rb);
				continue;
			}
			char **ra = ta->cells[j];
			if (!strcmp(ra[ash], rb[bsh]) && !strcmp(ra[adt], rb[bdt]))
				continue;
			submission(d, strcmp(ra[adt], rb[bdt]) ? "新しい調査回" : "差し替え", ds, rb[bm], name, ta, ra, tb, rb);
			compare_rows(d, a, b, ds, rb[bm], ra, rb);
		}
		for (int i = 0; i < ta->nrows; i++) {
			char **ra = ta->cells[i];
			if (!strcmp(ra[ads], id) && find_row(&b->by_in_force, id, ra[am]) < 0)
				submission(d, "取り下げ", ds, ra[am], muni_name(a, b, ra[am]), ta, ra, tb, NULL);
		}
	}
}

/* A municipality's own target, where it set one: "15/20（75%）", else "". */
static char *own_figure(const table *t, char **r)
{
	int cd = col(t, "独自目標の分母"), cn = col(t, "独自目標の分子"), cp = col(t, "独自目標の表示");
	if (cd < 0 || cn < 0 || cp < 0 || !*r[cd])
		return kdx_strdup("");
	return kdx_strdup_printf("%s/%s（%s）", r[cn], r[cd], r[cp]);
}

/* A figure as a reader sees it: "4/6（67%） 未達", "未提出". */
static char *figure(const table *t, char **r)
{
	const char *den = r[col(t, "分母")], *num = r[col(t, "分子")], *disp = r[col(t, "表示")], *st = r[col(t, "状況")];
	if (!*den)
		return kdx_strdup(*st ? st : "未提出");
	return kdx_strdup_printf("%s/%s（%s）%s%s", num, den, disp, *st ? " " : "", st);
}

static void compare_figures(kdx_diff *d, side *a, side *b)
{
	const table *ta = &a->figures, *tb = &b->figures;
	int bg = col(tb, "目標"), bc = col(tb, "団体コード"), bn = col(tb, "団体名");
	int ag = col(ta, "目標"), ac = col(ta, "団体コード"), an = col(ta, "団体名");
	for (int i = 0; i < tb->nrows; i++) {
		char **rb = tb->cells[i];
		int j = find_row(&a->by_figure, rb[bg], rb[bc]);
		char *fb = figure(tb, rb);
		char *fa = j < 0 ? kdx_strdup("（なし）") : figure(ta, ta->cells[j]);
		if (strcmp(fa, fb))
			add(d, KDX_DIFF_FIGURE, "変更", rb[bg], rb[bc], rb[bn], "", "", fa, fb);
		free(fa);
		free(fb);
		/* the own target (民間保育所・民立クラブを含む) is a figure of its own */
		char *ob = own_figure(tb, rb), *oa = j < 0 ? kdx_strdup("") : own_figure(ta, ta->cells[j]);
		if (strcmp(oa, ob)) {
			char *subject = kdx_strdup_printf("%s（独自目標）", rb[bg]);
			add(d, KDX_DIFF_FIGURE, "変更", subject, rb[bc], rb[bn], "", "", *oa ? oa : "（設定なし）", *ob ? ob : "（設定なし）");
			free(subject);
		}
		free(oa);
		free(ob);
	}
	for (int i = 0; i < ta->nrows; i++) {
		char **ra = ta->cells[i];
		if (find_row(&b->by_figure, ra[ag], ra[ac]) < 0) {
			char *fa = figure(ta, ra);
			add(d, KDX_DIFF_FIGURE, "削除", ra[ag], ra[ac], ra[an], "", "", fa, "（なし）");
			free(fa);
		}
	}
}

kdx_status kdx_diff_archives(const char *pa, const char *pb, kdx_diff *out, kdx_error **err)
{
	specs_init();
	memset(out, 0, sizeof *out);
	side a = { 0 }, b = { 0 };
	kdx_tar ta = { 0 }, tb = { 0 };
	kdx_status st = open_side(&a, pa, &out->a, &ta, err);
	if (st == KDX_OK)
		st = open_side(&b, pb, &out->b, &tb, err);
	kdx_tar_free(&ta);
	kdx_tar_free(&tb);
	if (st == KDX_OK && strcmp(out->a.council, out->b.council)) {
		st = kdx_fail(err, KDX_EUSAGE, "\"%s\" is a snapshot of council %s and \"%s\" of council %s", pa, out->a.council,
		              pb, out->b.council);
		kdx_error_hint(*err, "Compare two snapshots of the same council.");
	}
	if (st == KDX_OK) {
		compare_submissions(out, &a, &b);
		compare_figures(out, &a, &b);
		/* submissions first, then rows, then figures; each in the order found */
		kdx_diff_row *sorted = kdx_xcalloc((size_t)out->n + 1, sizeof *sorted);
		int k = 0;
		for (int sec = 0; sec < 3; sec++)
			for (int i = 0; i < out->n; i++)
				if ((int)out->rows[i].section == sec)
					sorted[k++] = out->rows[i];
		free(out->rows);
		out->rows = sorted;
		out->cap = out->n + 1;
	}
	side_free(&a);
	side_free(&b);
	if (st != KDX_OK)
		kdx_diff_free(out);
	return st;
}
