/* reject.c - the submitter's reject report (see reject.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/reject.h"
#include "kdx/fsutil.h"

void kdx_reject_text(kdx_buf *t, const kdx_problems *ps, const char *fname, const char *sha256)
{
	kdx_buf_printf(t, "取込エラー報告（kdx %s）\n\n", "reject report");
	kdx_buf_printf(t, "ファイル: %s\nSHA-256: %s\n", fname, sha256);
	kdx_buf_printf(t, "結果: 取り込みませんでした（問題 %d 件）。このファイルの内容は 1 行も登録されていません。\n", ps->n);
	kdx_buf_adds(t, "対応: 下の問題をすべて直して、ファイル全体をもう一度提出してください。\n\n");
	for (int i = 0; i < ps->n; i++) {
		const kdx_problem *p = &ps->v[i];
		char *w = kdx_problem_where(p);
		char *v = kdx_problem_shown_value(p);
		kdx_buf_printf(t, "%d. %s", i + 1, w);
		if (v)
			kdx_buf_printf(t, "  値「%s」", v);
		kdx_buf_printf(t, "\n   問題: %s\n   修正方法: %s\n\n", p->msg, p->fix);
		free(w);
		free(v);
	}
	if (ps->nnotes) {
		kdx_buf_adds(t, "参考（取込を妨げない注意）:\n");
		for (int i = 0; i < ps->nnotes; i++)
			kdx_buf_printf(t, "- %s\n", ps->notes[i]);
		kdx_buf_addc(t, '\n');
	}
	/* the count by code, in the order the codes are declared */
	int count[KDX_P_CODE_COUNT] = { 0 };
	for (int i = 0; i < ps->n; i++)
		if ((unsigned)ps->v[i].code < KDX_P_CODE_COUNT)
			count[ps->v[i].code]++;
	kdx_buf_adds(t, "問題の種類別の件数（コード）:\n");
	for (int c = 0; c < KDX_P_CODE_COUNT; c++)
		if (count[c])
			kdx_buf_printf(t, "- %s: %d 件\n", kdx_problem_code_name((kdx_problem_code)c), count[c]);
}

void kdx_reject_csv(kdx_buf *c, const kdx_problems *ps, const char *fname)
{
	kdx_buf_adds(c, "番号,ファイル,シート,行,列,セル,値,問題,修正方法,コード\r\n");
	for (int i = 0; i < ps->n; i++) {
		const kdx_problem *p = &ps->v[i];
		char *v = kdx_problem_shown_value(p);
		kdx_buf_printf(c, "%d,", i + 1);
		kdx_buf_csv_cell(c, fname);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, p->sheet);
		kdx_buf_addc(c, ',');
		if (p->row > 0)
			kdx_buf_add_long(c, p->row);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, p->column);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, p->cell);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, v);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, p->msg);
		kdx_buf_addc(c, ',');
		kdx_buf_csv_cell(c, p->fix);
		kdx_buf_addc(c, ',');
		kdx_buf_adds(c, kdx_problem_code_name(p->code));
		kdx_buf_adds(c, "\r\n");
		free(v);
	}
}

kdx_status kdx_reject_write(const kdx_problems *ps, const char *fname, const char *sha256, const char *dir,
                            char **txt_out, char **csv_out, kdx_error **err)
{
	if (kdx_mkdirs(dir, 0750) != 0)
		return kdx_fail(err, KDX_EIO, "could not create folder \"%s\": %s", dir, strerror(errno));
	kdx_buf t = { 0 }, c = { 0 };
	kdx_reject_text(&t, ps, fname, sha256);
	kdx_buf_add(&c, "\xEF\xBB\xBF", 3);  /* so that Excel opens it as UTF-8 */
	kdx_reject_csv(&c, ps, fname);
	char *txt = kdx_strdup_printf("%s/%s.reject.txt", dir, fname);
	char *csv = kdx_strdup_printf("%s/%s.reject.csv", dir, fname);
	kdx_status st = kdx_write_file_atomic(txt, t.data, t.len, err);
	if (st == KDX_OK)
		st = kdx_write_file_atomic(csv, c.data, c.len, err);
	kdx_buf_free(&t);
	kdx_buf_free(&c);
	if (txt_out)
		*txt_out = txt;
	else
		free(txt);
	if (csv_out)
		*csv_out = csv;
	else
		free(csv);
	return st;
}
