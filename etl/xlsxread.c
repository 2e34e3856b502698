/*
 * xlsxread.c - read .xlsx sheets with minizip and expat.
 *
 * The workbook, its relationships, styles and shared strings are read whole
 * (within limits); each sheet is streamed through expat in chunks, so a large
 * sheet never sits in memory.  Element names are matched by local name, as
 * writers may prefix them (x:row).  DTDs and entity declarations are refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <expat.h>
#include <unzip.h>
#include "kdx/reader.h"
#include "kdx/jdate.h"
#include "kdx/buf.h"
#include "kdx/strset.h"

#define NS_SEP '|'
/* relationships, as Transitional and as Strict Open XML (ISO/IEC 29500-1 strict) name them */
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

struct sheet_ref {
	char *name;
	char *rid;
	char *path;
};

struct kdx_xlsx {
	unzFile zf;
	char *path;
	kdx_xlsx_limits lim;
	unsigned long long total_read;
	struct sheet_ref *sheets;
	int nsheets;
	char **sst;
	size_t nsst;
	bool *xf_date;  /* per cellXfs index: is a date format */
	size_t nxf;
	bool date1904;
};

void kdx_xlsx_limits_default(kdx_xlsx_limits *l)
{
	l->max_entry_bytes = 512ULL << 20;
	l->max_total_bytes = 1024ULL << 20;
	l->max_entries = 10000;
	l->max_cells = 100000000ULL;
	l->max_depth = 64;
	l->max_ratio = 200.0;
}

static const char *local_name(const char *name)
{
	const char *p = strrchr(name, NS_SEP);
	return p ? p + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), want) == 0 &&
		    (strchr(atts[i], NS_SEP) == NULL || (strstr(atts[i], REL_NS) == NULL && strstr(atts[i], REL_NS_STRICT) == NULL)))
			return atts[i + 1];
	return NULL;
}

static const char *attr_ns(const char **atts, const char *ns, const char *want)
{
	size_t nl = strlen(ns);
	for (int i = 0; atts[i]; i += 2)
		if (strncmp(atts[i], ns, nl) == 0 && atts[i][nl] == NS_SEP && strcmp(atts[i] + nl + 1, want) == 0)
			return atts[i + 1];
	return NULL;
}

/* ---- a parse context shared by every part ----------------------------- */

struct parse {
	XML_Parser p;
	kdx_xlsx *x;
	const char *part;
	int depth;
	kdx_error **err;
	kdx_status st;
	void *user;
};

static void refuse(struct parse *ps, const char *what)
{
	if (ps->st == KDX_OK) {
		ps->st = kdx_fail(ps->err, KDX_EDATA, "workbook part \"%s\" contains a DTD or entity declaration, which kdx refuses", ps->part);
		kdx_error_attach(ps->err, KDX_P_XLSX_UNSAFE, "Excel で開いて「名前を付けて保存」（Excel ブック .xlsx）し直してください。",
		                 "ブックの内部（%s）に%sが含まれています。安全のため取り込みません。", ps->part, what);
	}
	XML_StopParser(ps->p, XML_FALSE);
}

static void on_doctype(void *ud, const XML_Char *n, const XML_Char *s, const XML_Char *pub, int has_internal)
{
	(void)n; (void)s; (void)pub; (void)has_internal;
	refuse(ud, "DTD（DOCTYPE 宣言）");
}

static void on_entity(void *ud, const XML_Char *n, int pe, const XML_Char *v, int vl, const XML_Char *b,
                      const XML_Char *s, const XML_Char *pub, const XML_Char *nn)
{
	(void)n; (void)pe; (void)v; (void)vl; (void)b; (void)s; (void)pub; (void)nn;
	refuse(ud, "エンティティ宣言");
}

static bool enter(struct parse *ps)
{
	if (++ps->depth > ps->x->lim.max_depth) {
		if (ps->st == KDX_OK) {
			ps->st = kdx_fail(ps->err, KDX_EDATA, "workbook part \"%s\" is nested deeper than %d levels", ps->part, ps->x->lim.max_depth);
			kdx_error_attach(ps->err, KDX_P_XLSX_TOO_LARGE, "Excel で開いて保存し直してください。",
			                 "ブックの XML の入れ子が深すぎます（上限 %d）。", ps->x->lim.max_depth);
		}
		XML_StopParser(ps->p, XML_FALSE);
		return false;
	}
	return true;
}

/* why is for the operator (English, perhaps expat's words); the submitter is
 * told, in Japanese, which part is at fault and how */
static kdx_status corrupt(kdx_xlsx *x, const char *part, const char *why, kdx_error **err)
{
	kdx_fail(err, KDX_EDATA, "could not read workbook \"%s\": %s in part \"%s\"", x->path, why, part);
	const char *ja = !strcmp(why, "the part is missing") ? "がありません"
	               : !strcmp(why, "the sheet has no relationship target") ? "の場所がブックに記録されていません"
	               : strstr(why, "zip") || strstr(why, "unreadable") ? "を zip から取り出せません"
	               : "の XML が壊れています";
	kdx_error_attach(err, KDX_P_XLSX_UNREADABLE, "ファイルが壊れていないか確認し、Excel で開いて .xlsx 形式で保存し直してください。",
	                 "Excel ブックとして読めません（ブックの部品「%s」%s）。", part, ja);
	return KDX_EDATA;
}

/*
 * Stream one zip part through an expat parser set up by the caller.
 * Enforces the per-part and total size limits and the compression ratio.
 */
static kdx_status stream_part(kdx_xlsx *x, const char *name, struct parse *ps, bool required, kdx_error **err)
{
	if (unzLocateFile(x->zf, name, 0) != UNZ_OK) {
		if (!required)
			return KDX_OK;
		return corrupt(x, name, "the part is missing", err);
	}
	unz_file_info64 fi;
	if (unzGetCurrentFileInfo64(x->zf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return corrupt(x, name, "unreadable zip entry", err);
	if (unzOpenCurrentFile(x->zf) != UNZ_OK)
		return corrupt(x, name, "unreadable zip entry", err);
	char buf[65536];
	unsigned long long got = 0;
	int n;
	kdx_status st = KDX_OK;
	while ((n = unzReadCurrentFile(x->zf, buf, sizeof buf)) > 0) {
		got += (unsigned)n;
		x->total_read += (unsigned)n;
		double ratio = fi.compressed_size ? (double)got / (double)fi.compressed_size : (double)got;
		if (got > x->lim.max_entry_bytes || x->total_read > x->lim.max_total_bytes ||
		    (got > (1u << 20) && ratio > x->lim.max_ratio)) {
			st = kdx_fail(err, KDX_EDATA, "workbook \"%s\" exceeds the size limits (part \"%s\")", x->path, name);
			kdx_error_attach(err, KDX_P_XLSX_TOO_LARGE, "データを複数のファイルに分けて提出してください。",
			                 "展開後のサイズが上限（1 パーツ %llu MiB、合計 %llu MiB、圧縮率 %.0f 倍）を超えました。zip 爆弾の可能性があるため取り込みません。",
			                 x->lim.max_entry_bytes >> 20, x->lim.max_total_bytes >> 20, x->lim.max_ratio);
			break;
		}
		if (XML_Parse(ps->p, buf, n, 0) == XML_STATUS_ERROR) {
			if (ps->st != KDX_OK)
				st = ps->st;
			else
				st = corrupt(x, name, XML_ErrorString(XML_GetErrorCode(ps->p)), err);
			break;
		}
		if (ps->st != KDX_OK) {
			st = ps->st;
			break;
		}
	}
	if (st == KDX_OK && n < 0)
		st = corrupt(x, name, "zip data error", err);
	if (st == KDX_OK && XML_Parse(ps->p, "", 0, 1) == XML_STATUS_ERROR)
		st = ps->st != KDX_OK ? ps->st : corrupt(x, name, XML_ErrorString(XML_GetErrorCode(ps->p)), err);
	if (st == KDX_OK && ps->st != KDX_OK)
		st = ps->st;
	unzCloseCurrentFile(x->zf);
	return st;
}

static void setup_parser(struct parse *ps, kdx_xlsx *x, const char *part, kdx_error **err, void *user,
                         XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	memset(ps, 0, sizeof *ps);
	ps->p = XML_ParserCreateNS(NULL, NS_SEP);
	ps->x = x;
	ps->part = part;
	ps->err = err;
	ps->user = user;
	XML_SetUserData(ps->p, ps);
	XML_SetElementHandler(ps->p, start, end);
	if (text)
		XML_SetCharacterDataHandler(ps->p, text);
	XML_SetStartDoctypeDeclHandler(ps->p, on_doctype);
	XML_SetEntityDeclHandler(ps->p, on_entity);
}

/* ---- workbook.xml ------------------------------------------------------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	if (!enter(ps))
		return;
	const char *ln = local_name(name);
	if (!strcmp(ln, "sheet")) {
		const char *sn = attr(atts, "name");
		const char *rid = attr_ns(atts, REL_NS, "id");
		if (!rid)
			rid = attr_ns(atts, REL_NS_STRICT, "id");
		if (!sn || !rid)
			return;
		kdx_xlsx *x = ps->x;
		x->sheets = kdx_xrealloc(x->sheets, (size_t)(x->nsheets + 1) * sizeof *x->sheets);
		x->sheets[x->nsheets].name = kdx_strdup(sn);
		x->sheets[x->nsheets].rid = kdx_strdup(rid);
		x->sheets[x->nsheets].path = NULL;
		x->nsheets++;
	} else if (!strcmp(ln, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		if (d && (!strcmp(d, "1") || !strcasecmp(d, "true")))
			ps->x->date1904 = true;
	}
}

static void any_end(void *ud, const XML_Char *name)
{
	struct parse *ps = ud;
	(void)name;
	ps->depth--;
}

/* ---- workbook.xml.rels -------------------------------------------------- */

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	if (!enter(ps))
		return;
	if (strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	if (!id || !target)
		return;
	kdx_xlsx *x = ps->x;
	for (int i = 0; i < x->nsheets; i++) {
		if (strcmp(x->sheets[i].rid, id) != 0 || x->sheets[i].path)
			continue;
		if (target[0] == '/')
			x->sheets[i].path = kdx_strdup(target + 1);
		else if (!strncmp(target, "../", 3))
			x->sheets[i].path = kdx_strdup(target + 3);
		else
			x->sheets[i].path = kdx_strdup_printf("xl/%s", target);
	}
}

/* ---- styles.xml --------------------------------------------------------- */

struct numfmt {
	int id;
	bool is_date;
};

struct styles_ctx {
	struct numfmt *fmts;
	size_t nfmts;
	int in_cellxfs;
};

static bool builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/* A custom format is a date when, outside quotes and [..] sections, it uses
 * a year, day or era code (y, d, e, g).  "m" alone may be minutes, so it is not enough. */
static bool code_is_date(const char *code)
{
	bool quoted = false;
	int bracket = 0;
	for (const char *p = code; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[') {
			bracket++;
			continue;
		}
		if (*p == ']') {
			if (bracket)
				bracket--;
			continue;
		}
		if (bracket)
			continue;
		if (!strncasecmp(p, "General", 7)) {
			p += 6;
			continue;
		}
		char c = (char)(*p | 0x20);
		if (c == 'y' || c == 'd' || c == 'e' || c == 'g')
			return true;
	}
	return false;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	struct styles_ctx *sc = ps->user;
	if (!enter(ps))
		return;
	const char *ln = local_name(name);
	if (!strcmp(ln, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (!id || !code)
			return;
		sc->fmts = kdx_xrealloc(sc->fmts, (sc->nfmts + 1) * sizeof *sc->fmts);
		sc->fmts[sc->nfmts].id = atoi(id);
		sc->fmts[sc->nfmts].is_date = code_is_date(code);
		sc->nfmts++;
	} else if (!strcmp(ln, "cellXfs")) {
		sc->in_cellxfs = ps->depth;
	} else if (!strcmp(ln, "xf") && sc->in_cellxfs && ps->depth == sc->in_cellxfs + 1) {
		const char *id = attr(atts, "numFmtId");
		int fid = id ? atoi(id) : 0;
		bool is_date = builtin_date(fid);
		for (size_t i = 0; i < sc->nfmts; i++)
			if (sc->fmts[i].id == fid)
				is_date = sc->fmts[i].is_date;
		kdx_xlsx *x = ps->x;
		x->xf_date = kdx_xrealloc(x->xf_date, (x->nxf + 1) * sizeof *x->xf_date);
		x->xf_date[x->nxf++] = is_date;
	}
}

static void styles_end(void *ud, const XML_Char *name)
{
	struct parse *ps = ud;
	struct styles_ctx *sc = ps->user;
	if (!strcmp(local_name(name), "cellXfs"))
		sc->in_cellxfs = 0;
	ps->depth--;
}

/* ---- strings: <si>/<is> with <t> runs, skipping <rPh> furigana ---------- */

static void decode_escapes(kdx_buf *b)
{
	/* _xHHHH_ escapes (ECMA-376 ST_Xstring), e.g. _x000D_ for CR */
	char *s = b->data;
	if (!s || !strstr(s, "_x"))
		return;
	size_t w = 0;
	for (size_t r = 0; r < b->len;) {
		unsigned cp;
		if (s[r] == '_' && r + 6 < b->len + 0 && s[r + 1] == 'x' && s[r + 6] == '_' &&
		    sscanf(s + r + 2, "%4x", &cp) == 1 && strspn(s + r + 2, "0123456789abcdefABCDEF") >= 4) {
			if (cp < 0x80) {
				s[w++] = (char)cp;
			} else if (cp < 0x800) {
				s[w++] = (char)(0xC0 | (cp >> 6));
				s[w++] = (char)(0x80 | (cp & 0x3F));
			} else {
				s[w++] = (char)(0xE0 | (cp >> 12));
				s[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				s[w++] = (char)(0x80 | (cp & 0x3F));
			}
			r += 7;
		} else {
			s[w++] = s[r++];
		}
	}
	s[w] = '\0';
	b->len = w;
}

struct sst_ctx {
	kdx_buf cur;
	int in_si, in_t, in_rph;
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	struct sst_ctx *c = ps->user;
	(void)atts;
	if (!enter(ps))
		return;
	const char *ln = local_name(name);
	if (!strcmp(ln, "si")) {
		c->in_si = 1;
		kdx_buf_reset(&c->cur);
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph++;
	} else if (!strcmp(ln, "t")) {
		c->in_t = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct parse *ps = ud;
	struct sst_ctx *c = ps->user;
	const char *ln = local_name(name);
	ps->depth--;
	if (!strcmp(ln, "si")) {
		kdx_xlsx *x = ps->x;
		kdx_buf_reserve(&c->cur, 0);
		decode_escapes(&c->cur);
		x->sst = kdx_xrealloc(x->sst, (x->nsst + 1) * sizeof *x->sst);
		x->sst[x->nsst++] = kdx_strdup(c->cur.data);
		c->in_si = 0;
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph--;
	} else if (!strcmp(ln, "t")) {
		c->in_t = 0;
	}
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
	struct parse *ps = ud;
	struct sst_ctx *c = ps->user;
	if (c->in_si && c->in_t && !c->in_rph)
		kdx_buf_add(&c->cur, s, (size_t)len);
}

/* ---- containers that are not a zip --------------------------------------- */

bool kdx_is_cfb(const kdx_input *in)
{
	unsigned char m[8];
	return kdx_input_read(in, 0, m, sizeof m) == (long)sizeof m && !memcmp(m, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

/* Excel encrypts a workbook into a CFB file whose directory names a stream
 * "EncryptedPackage" (UTF-16LE, MS-OFFCRYPTO); a .xls has "Workbook" or "Book". */
bool kdx_cfb_is_encrypted(const kdx_input *in)
{
	static const char want[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	const size_t wl = sizeof want - 1, chunk = 1 << 16;
	char *buf = kdx_xmalloc(chunk + wl);
	unsigned long long off = 0;
	size_t keep = 0;
	bool found = false;
	long r;
	while (!found && (r = kdx_input_read(in, off, buf + keep, chunk)) > 0) {
		off += (unsigned long long)r;
		size_t have = keep + (size_t)r;
		found = memmem(buf, have, want, wl) != NULL;
		keep = have < wl ? have : wl - 1;
		memmove(buf, buf + have - keep, keep);
	}
	free(buf);
	return found;
}

/* ---- open --------------------------------------------------------------- */

/* Two entries of one name (part names compare without case) make a container
 * that readers read differently: one takes the first, another the last. */
static kdx_status check_unique_entries(kdx_xlsx *x, kdx_error **err)
{
	kdx_strset seen = { 0 };
	kdx_status st = KDX_OK;
	char name[1024];
	long i = 0;
	for (int rc = unzGoToFirstFile(x->zf); rc == UNZ_OK; rc = unzGoToNextFile(x->zf)) {
		unz_file_info64 fi;
		if (unzGetCurrentFileInfo64(x->zf, &fi, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK) {
			st = corrupt(x, "(zip directory)", "unreadable entry", err);
			break;
		}
		for (char *p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (kdx_strset_put(&seen, name, ++i) != 0) {
			unzGetCurrentFileInfo64(x->zf, &fi, name, sizeof name, NULL, 0, NULL, 0);
			st = kdx_fail(err, KDX_EDATA, "workbook \"%s\" holds two entries named \"%s\"", x->path, name);
			kdx_error_attach(err, KDX_P_ZIP_DUPLICATE_ENTRY,
			                 "ブックを Excel で開いて「名前を付けて保存」（Excel ブック .xlsx）し直してください。",
			                 "ブックの中に同じ名前の部品（%s）が 2 つあり、どちらが正しいか決められません。", name);
			break;
		}
	}
	kdx_strset_free(&seen);
	return st;
}

kdx_status kdx_xlsx_open(const char *path, const kdx_xlsx_limits *lim, kdx_xlsx **out, kdx_error **err)
{
	return kdx_xlsx_open_as(path, path, lim, out, err);
}

kdx_status kdx_xlsx_open_as(const char *path, const char *shown, const kdx_xlsx_limits *lim, kdx_xlsx **out,
                            kdx_error **err)
{
	kdx_xlsx *x = kdx_xcalloc(1, sizeof *x);
	x->path = kdx_strdup(shown);
	if (lim)
		x->lim = *lim;
	else
		kdx_xlsx_limits_default(&x->lim);
	kdx_status st = KDX_OK;
	struct parse ps;
	x->zf = unzOpen64(path);
	if (!x->zf) {
		st = kdx_fail(err, KDX_EDATA, "could not open workbook \"%s\": not a zip (xlsx) file", shown);
		kdx_error_attach(err, KDX_P_XLSX_UNREADABLE, "Excel で開いて「Excel ブック (*.xlsx)」として保存し直してください。古い .xls 形式は使えません。",
		                 "Excel ブック（.xlsx）として開けません。");
		goto fail;
	}
	unz_global_info64 gi;
	if (unzGetGlobalInfo64(x->zf, &gi) != UNZ_OK) {
		st = corrupt(x, "(zip directory)", "unreadable", err);
		goto fail;
	}
	if (gi.number_entry > x->lim.max_entries) {
		st = kdx_fail(err, KDX_EDATA, "workbook \"%s\" has %llu parts, more than the limit of %lu",
		              shown, (unsigned long long)gi.number_entry, x->lim.max_entries);
		kdx_error_attach(err, KDX_P_XLSX_TOO_LARGE, "Excel で開いて保存し直してください。",
		                 "ブック内のファイル数（%llu）が上限（%lu）を超えています。",
		                 (unsigned long long)gi.number_entry, x->lim.max_entries);
		goto fail;
	}
	if ((st = check_unique_entries(x, err)) != KDX_OK)
		goto fail;
	setup_parser(&ps, x, "xl/workbook.xml", err, NULL, wb_start, any_end, NULL);
	st = stream_part(x, "xl/workbook.xml", &ps, true, err);
	XML_ParserFree(ps.p);
	if (st != KDX_OK)
		goto fail;
	setup_parser(&ps, x, "xl/_rels/workbook.xml.rels", err, NULL, rels_start, any_end, NULL);
	st = stream_part(x, "xl/_rels/workbook.xml.rels", &ps, true, err);
	XML_ParserFree(ps.p);
	if (st != KDX_OK)
		goto fail;
	struct styles_ctx sc = { 0 };
	setup_parser(&ps, x, "xl/styles.xml", err, &sc, styles_start, styles_end, NULL);
	st = stream_part(x, "xl/styles.xml", &ps, false, err);
	XML_ParserFree(ps.p);
	free(sc.fmts);
	if (st != KDX_OK)
		goto fail;
	struct sst_ctx ss = { 0 };
	setup_parser(&ps, x, "xl/sharedStrings.xml", err, &ss, sst_start, sst_end, sst_text);
	st = stream_part(x, "xl/sharedStrings.xml", &ps, false, err);
	XML_ParserFree(ps.p);
	kdx_buf_free(&ss.cur);
	if (st != KDX_OK)
		goto fail;
	*out = x;
	return KDX_OK;
fail:
	kdx_xlsx_free(x);
	return st;
}

void kdx_xlsx_free(kdx_xlsx *x)
{
	if (!x)
		return;
	if (x->zf)
		unzClose(x->zf);
	for (int i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].path);
	}
	free(x->sheets);
	for (size_t i = 0; i < x->nsst; i++)
		free(x->sst[i]);
	free(x->sst);
	free(x->xf_date);
	free(x->path);
	free(x);
}

int kdx_xlsx_sheet_count(const kdx_xlsx *x)
{
	return x->nsheets;
}

const char *kdx_xlsx_sheet_name(const kdx_xlsx *x, int i)
{
	return (i >= 0 && i < x->nsheets) ? x->sheets[i].name : NULL;
}

/* ---- sheets ------------------------------------------------------------- */

struct sheet_ctx {
	kdx_row_fn fn;
	void *user;
	const char *sheet;  /* its name, for the cell a problem names */
	long rowno;
	char **cells;
	int cap, ncells;
	int col;           /* current column, zero-based */
	char type[16];
	int style;
	int in_v, in_is, in_t, in_rph, in_f;
	bool has_f, has_v;  /* the cell has a formula; it has a cached value */
	kdx_buf v, f;
	unsigned long long ncell_total;
	int stop;
};

/* Excel's sheet: rows 1 to 1048576, columns A to XFD. */
#define XLSX_MAX_ROW 1048576L
#define XLSX_MAX_COL 16383  /* XFD, zero-based */

/* A cell reference ("B7": one to three letters, then a row number) inside
 * Excel's sheet: its zero-based column and its row; false for anything else. */
static bool parse_ref(const char *r, int *col, long *row)
{
	int c = 0, letters = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++)
		if (++letters > 3)
			return false;
		else
			c = c * 26 + (*r - 'A' + 1);
	long n = 0;
	int digits = 0;
	for (; *r >= '0' && *r <= '9'; r++)
		if (++digits > 7)
			return false;
		else
			n = n * 10 + (*r - '0');
	if (!letters || !digits || *r || c - 1 > XLSX_MAX_COL || n < 1 || n > XLSX_MAX_ROW)
		return false;
	*col = c - 1;
	*row = n;
	return true;
}

/* A row number as <row r="…"> gives it, inside Excel's sheet; 0 for anything else. */
static long parse_row(const char *r)
{
	long n = 0;
	int digits = 0;
	for (; *r >= '0' && *r <= '9'; r++)
		if (++digits > 7)
			return 0;
		else
			n = n * 10 + (*r - '0');
	return *r || n > XLSX_MAX_ROW ? 0 : n;
}

/* A cell no spreadsheet can show (a row past 1048576, a column past XFD, a
 * reference that names no cell): the sheet is refused there, naming the cell,
 * rather than read as data nobody could see. */
static void outside_the_sheet(struct parse *ps, struct sheet_ctx *c, const char *ref)
{
	char *shown = kdx_shown(ref);
	if (strlen(shown) > 24) {  /* a hostile reference may be long: cut it on a character */
		size_t k = 21;
		while (k > 0 && ((unsigned char)shown[k] & 0xC0) == 0x80)
			k--;
		strcpy(shown + k, "...");
	}
	ps->st = kdx_fail(ps->err, KDX_EDATA, "workbook sheet \"%s\" has a cell outside Excel's sheet (A1 to XFD1048576): %s",
	                  c->sheet, shown);
	kdx_problem *p = kdx_error_attach(ps->err, KDX_P_XLSX_TOO_LARGE,
	                                  "データを Excel で表示できる範囲に入れて保存し直すか、kdx の記入用テンプレートに入力し直してください。",
	                                  "セル %s は Excel のワークシートの範囲（A1 から XFD1048576 まで：最終行 1048576、最終列 XFD）の外にあり、Excel では表示できません。",
	                                  shown);
	if (p) {
		p->sheet = kdx_strdup(c->sheet);
		p->cell = kdx_strdup_printf("%s!%s", c->sheet, shown);
	}
	free(shown);
	XML_StopParser(ps->p, XML_FALSE);
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	struct sheet_ctx *c = ps->user;
	if (!enter(ps) || c->stop)
		return;
	const char *ln = local_name(name);
	if (!strcmp(ln, "row")) {
		/* a row outside the sheet is refused at its first cell, which the
		 * message names; an empty one holds nothing */
		const char *r = attr(atts, "r");
		c->rowno = r ? parse_row(r) : c->rowno ? c->rowno + 1 : 1;
		if (r && !c->rowno)
			c->rowno = XLSX_MAX_ROW + 1;
		/* a row that opens before the last one closed (hostile XML) drops its cells */
		for (int i = 0; i < c->ncells; i++) {
			free(c->cells[i]);
			c->cells[i] = NULL;
		}
		c->ncells = 0;
		c->col = -1;
	} else if (!strcmp(ln, "c")) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		if (r && !parse_ref(r, &c->col, &c->rowno)) {
			outside_the_sheet(ps, c, r);
			return;
		}
		if (!r && (++c->col > XLSX_MAX_COL || c->rowno > XLSX_MAX_ROW)) {
			char ref[32];
			kdx_cell_ref(c->col, c->rowno, ref, sizeof ref);
			outside_the_sheet(ps, c, ref);
			return;
		}
		snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
		c->style = s ? atoi(s) : 0;
		kdx_buf_reset(&c->v);
		kdx_buf_reset(&c->f);
		c->has_f = c->has_v = false;
		if (++c->ncell_total > ps->x->lim.max_cells) {
			ps->st = kdx_fail(ps->err, KDX_EDATA, "workbook sheet \"%s\" has more than %llu cells", ps->part, ps->x->lim.max_cells);
			kdx_error_attach(ps->err, KDX_P_XLSX_TOO_LARGE, "データを複数のファイルに分けて提出してください。",
			                 "セルの数が上限（%llu）を超えています。", ps->x->lim.max_cells);
			XML_StopParser(ps->p, XML_FALSE);
		}
	} else if (!strcmp(ln, "v")) {
		c->in_v = 1;
		c->has_v = true;
	} else if (!strcmp(ln, "f")) {
		c->in_f = 1;
		c->has_f = true;
	} else if (!strcmp(ln, "is")) {
		c->in_is = 1;
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph++;
	} else if (!strcmp(ln, "t")) {
		c->in_t = 1;
	}
}

static char *cell_value(struct parse *ps, struct sheet_ctx *c)
{
	kdx_xlsx *x = ps->x;
	kdx_buf_reserve(&c->v, 0);
	const char *v = c->v.data;
	if (c->has_f && (!c->has_v || (!c->v.len && strcmp(c->type, "str") != 0)) && strcmp(c->type, "inlineStr") != 0) {
		/* saved by a tool that does not calculate: no value, or an empty one
		 * where only a text result ("") may be empty */
		kdx_buf_reserve(&c->f, 0);
		return kdx_strdup_printf("#NOVALUE:=%s", c->f.data);
	}
	if (!strcmp(c->type, "s")) {
		char *end;
		long idx = strtol(v, &end, 10);
		if (end == v || idx < 0 || (size_t)idx >= x->nsst)
			return kdx_strdup("#ERR:shared string out of range");
		return x->sst[idx][0] ? kdx_strdup(x->sst[idx]) : NULL;
	}
	if (!strcmp(c->type, "inlineStr") || !strcmp(c->type, "str")) {
		decode_escapes(&c->v);
		return c->v.len ? kdx_strdup(c->v.data) : NULL;
	}
	if (!strcmp(c->type, "b"))
		return kdx_strdup(strcmp(v, "1") == 0 || !strcasecmp(v, "true") ? "1" : "0");
	if (!strcmp(c->type, "e"))
		return kdx_strdup_printf("#ERR:%s", v);
	if (!strcmp(c->type, "d")) {
		/* an ISO 8601 date (Strict Open XML): the day, without any time */
		if (c->v.len > 10 && v[10] == 'T')
			c->v.data[10] = '\0';
		return c->v.len ? kdx_strdup(v) : NULL;
	}
	if (!c->v.len)
		return NULL;
	/* a number */
	char *end;
	double d = strtod(v, &end);
	if (end == v)
		return kdx_strdup(v);
	if (c->style >= 0 && (size_t)c->style < x->nxf && x->xf_date[c->style]) {
		kdx_date dt;
		if (kdx_date_from_serial(d, x->date1904, &dt)) {
			char iso[16];
			kdx_date_iso(dt, iso, sizeof iso);
			return kdx_strdup(iso);
		}
	}
	if (d == floor(d) && fabs(d) < 1e15)
		return kdx_strdup_printf("%.0f", d);
	return kdx_strdup_printf("%.15g", d);
}

static void sheet_end(void *ud, const XML_Char *name)
{
	struct parse *ps = ud;
	struct sheet_ctx *c = ps->user;
	const char *ln = local_name(name);
	ps->depth--;
	if (c->stop)
		return;
	if (!strcmp(ln, "c")) {
		if (c->col < 0 || c->col > XLSX_MAX_COL)
			return;
		if (c->col >= c->cap) {
			int ncap = c->cap ? c->cap : 16;
			while (ncap <= c->col)
				ncap *= 2;
			c->cells = kdx_xrealloc(c->cells, (size_t)ncap * sizeof *c->cells);
			memset(c->cells + c->cap, 0, (size_t)(ncap - c->cap) * sizeof *c->cells);
			c->cap = ncap;
		}
		while (c->ncells <= c->col)
			c->cells[c->ncells++] = NULL;
		free(c->cells[c->col]);
		c->cells[c->col] = cell_value(ps, c);
	} else if (!strcmp(ln, "row")) {
		kdx_row r = { c->rowno, c->ncells, c->cells };
		c->stop = c->fn(c->user, &r);
		for (int i = 0; i < c->ncells; i++) {
			free(c->cells[i]);
			c->cells[i] = NULL;
		}
		c->ncells = 0;
		if (c->stop)
			XML_StopParser(ps->p, XML_FALSE);
	} else if (!strcmp(ln, "v")) {
		c->in_v = 0;
	} else if (!strcmp(ln, "f")) {
		c->in_f = 0;
	} else if (!strcmp(ln, "is")) {
		c->in_is = 0;
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph--;
	} else if (!strcmp(ln, "t")) {
		c->in_t = 0;
	}
}

static void sheet_text(void *ud, const XML_Char *s, int len)
{
	struct parse *ps = ud;
	struct sheet_ctx *c = ps->user;
	if (c->in_v || (c->in_is && c->in_t && !c->in_rph))
		kdx_buf_add(&c->v, s, (size_t)len);
	else if (c->in_f && c->f.len < 200)
		kdx_buf_add(&c->f, s, (size_t)len);
}

kdx_status kdx_xlsx_read_sheet(kdx_xlsx *x, int i, kdx_row_fn fn, void *user, kdx_error **err)
{
	if (i < 0 || i >= x->nsheets)
		return kdx_fail(err, KDX_EINTERNAL, "no sheet %d", i);
	if (!x->sheets[i].path)
		return corrupt(x, x->sheets[i].name, "the sheet has no relationship target", err);
	struct sheet_ctx c = { 0 };
	c.fn = fn;
	c.user = user;
	c.sheet = x->sheets[i].name;
	struct parse ps;
	setup_parser(&ps, x, x->sheets[i].path, err, &c, sheet_start, sheet_end, sheet_text);
	kdx_status st = stream_part(x, x->sheets[i].path, &ps, true, err);
	/* a stop requested by the callback is not an error */
	if (st != KDX_OK && c.stop && ps.st == KDX_OK && XML_GetErrorCode(ps.p) == XML_ERROR_ABORTED) {
		kdx_error_free(*err);
		*err = NULL;
		st = KDX_OK;
	}
	XML_ParserFree(ps.p);
	for (int k = 0; k < c.cap; k++)
		free(c.cells[k]);
	free(c.cells);
	kdx_buf_free(&c.v);
	kdx_buf_free(&c.f);
	return st;
}
