/* tar.c - ustar in gzip with zlib (see tar.h). */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "kdx/tar.h"
#include "kdx/buf.h"
#include "kdx/digest.h"
#include "kdx/fsutil.h"
#include "kdx/mem.h"

#define MAX_TOTAL (4ULL << 30)

static kdx_tar_entry *grow(kdx_tar *t);

void kdx_tar_add(kdx_tar *t, const char *path, const void *data, size_t size)
{
	kdx_tar_entry *e = grow(t);
	e->path = kdx_strdup(path);
	e->data = kdx_xmalloc(size + 1);
	if (size)
		memcpy(e->data, data, size);
	e->data[size] = 0;
	e->size = size;
}

static kdx_tar_entry *grow(kdx_tar *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->e = kdx_xrealloc(t->e, (size_t)t->cap * sizeof *t->e);
	}
	kdx_tar_entry *e = &t->e[t->n++];
	memset(e, 0, sizeof *e);
	return e;
}

void kdx_tar_add_file(kdx_tar *t, const char *path, const char *src, size_t size)
{
	kdx_tar_entry *e = grow(t);
	e->path = kdx_strdup(path);
	e->src = kdx_strdup(src);
	e->size = size;
}

kdx_status kdx_tar_add_tree(kdx_tar *t, const char *dir, const char *prefix, kdx_error **err)
{
	DIR *d = opendir(dir);
	if (!d)
		return kdx_fail(err, KDX_EIO, "could not read folder \"%s\": %s", dir, strerror(errno));
	struct dirent *de;
	kdx_status st = KDX_OK;
	while (st == KDX_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *p = kdx_strdup_printf("%s/%s", dir, de->d_name);
		char *q = kdx_strdup_printf("%s/%s", prefix, de->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			st = kdx_tar_add_tree(t, p, q, err);
		} else if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			/* the content stays on disk until it is hashed and archived */
			kdx_tar_add_file(t, q, p, (size_t)sb.st_size);
		}
		free(p);
		free(q);
	}
	closedir(d);
	return st;
}

void kdx_tar_move(kdx_tar *t, const char *path, kdx_tar_entry *from)
{
	kdx_tar_entry *e = grow(t);
	e->path = kdx_strdup(path);
	e->data = from->data;
	e->src = from->src;
	e->size = from->size;
	from->data = NULL;
	from->src = NULL;
}

void kdx_tar_free(kdx_tar *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->e[i].path);
		free(t->e[i].data);
		free(t->e[i].src);
	}
	free(t->e);
	memset(t, 0, sizeof *t);
}

const kdx_tar_entry *kdx_tar_find(const kdx_tar *t, const char *path)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].path, path))
			return &t->e[i];
	return NULL;
}

static void octal(char *dst, size_t width, unsigned long long v)
{
	/* width-1 octal digits and a NUL */
	snprintf(dst, width, "%0*llo", (int)width - 1, v);
}

static void header(unsigned char h[512], const char *name, size_t size, char type, time_t mtime)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	octal((char *)h + 100, 8, type == '5' ? 0755 : 0644);
	octal((char *)h + 108, 8, 0);
	octal((char *)h + 116, 8, 0);
	octal((char *)h + 124, 12, size);
	octal((char *)h + 136, 12, (unsigned long long)mtime);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static int put(gzFile gz, const void *p, size_t n)
{
	return gzwrite(gz, p, (unsigned)n) == (int)n ? 0 : -1;
}

static int put_entry(gzFile gz, const char *path, const unsigned char *data, const char *src, size_t size, char type, time_t mtime)
{
	unsigned char h[512];
	if (strlen(path) >= 100) {
		/* a pax extended header carries the long (UTF-8) path */
		kdx_buf rec = { 0 };
		size_t body = strlen(path) + strlen(" path=\n");
		size_t len = body + 1;
		while (snprintf(NULL, 0, "%zu", len) + body != len)
			len++;
		kdx_buf_printf(&rec, "%zu path=%s\n", len, path);
		header(h, "PaxHeader", rec.len, 'x', mtime);
		static const unsigned char zero[512];
		int rc = put(gz, h, 512) || put(gz, rec.data, rec.len) || put(gz, zero, (512 - rec.len % 512) % 512);
		kdx_buf_free(&rec);
		if (rc)
			return -1;
		char shortname[100];
		snprintf(shortname, sizeof shortname, "kdx-long-name");
		header(h, shortname, size, type, mtime);
	} else {
		header(h, path, size, type, mtime);
	}
	static const unsigned char zero[512];
	if (put(gz, h, 512))
		return -1;
	if (src) {
		FILE *fp = fopen(src, "rb");
		if (!fp)
			return -1;
		unsigned char chunk[65536];
		size_t n, total = 0;
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && total + n <= size) {
			if (put(gz, chunk, n)) {
				fclose(fp);
				return -1;
			}
			total += n;
		}
		fclose(fp);
		if (total != size)  /* the file changed under us */
			return -1;
	} else if (size && put(gz, data, size)) {
		return -1;
	}
	return put(gz, zero, (512 - size % 512) % 512);
}

/* PDF, xlsx and PNG are deflated inside already: deflating them again took
 * seconds per hundred megabytes to save a few percent. */
static bool compressed_already(const char *path)
{
	static const char *const ext[] = { ".pdf", ".xlsx", ".png", ".gz", NULL };
	size_t n = strlen(path);
	for (int i = 0; ext[i]; i++) {
		size_t k = strlen(ext[i]);
		if (n >= k && !strcmp(path + n - k, ext[i]))
			return true;
	}
	return false;
}

kdx_status kdx_tar_write(const kdx_tar *t, const char *path, time_t mtime, kdx_error **err)
{
	/* one gzip stream; the level changes between entries (stored blocks for
	 * the already compressed ones), which any gunzip reads as usual.  The
	 * rest (CSV dumps, SVG charts) at the fastest level: in a national
	 * snapshot level 6 took 1.6 s longer to make the archive 1% smaller. */
	enum { TEXT_LEVEL = 1 };
	int level = TEXT_LEVEL;
	char mode[8];
	snprintf(mode, sizeof mode, "wb%d", level);
	gzFile gz = gzopen(path, mode);
	if (!gz)
		return kdx_fail(err, KDX_EIO, "could not create \"%s\": %s", path, strerror(errno));
	int rc = 0;
	/* folders first, in order, so extractors can create them */
	kdx_buf seen = { 0 };
	kdx_buf_addc(&seen, '\n');
	for (int i = 0; i < t->n && !rc; i++) {
		char *p = kdx_strdup(t->e[i].path);
		for (char *s = strchr(p, '/'); s && !rc; s = strchr(s + 1, '/')) {
			*s = '\0';
			char *key = kdx_strdup_printf("\n%s/\n", p);
			if (!strstr(seen.data, key)) {
				char *dir = kdx_strdup_printf("%s/", p);
				rc = put_entry(gz, dir, NULL, NULL, 0, '5', mtime);
				free(dir);
				kdx_buf_adds(&seen, key + 1);
			}
			free(key);
			*s = '/';
		}
		free(p);
		int want = compressed_already(t->e[i].path) ? 0 : TEXT_LEVEL;
		if (!rc && want != level) {
			rc = gzsetparams(gz, want, Z_DEFAULT_STRATEGY) != Z_OK;
			level = want;
		}
		if (!rc)
			rc = put_entry(gz, t->e[i].path, t->e[i].data, t->e[i].src, t->e[i].size, '0', mtime);
	}
	kdx_buf_free(&seen);
	static const unsigned char zero[1024];
	if (!rc)
		rc = put(gz, zero, sizeof zero);
	if (gzclose(gz) != Z_OK)
		rc = -1;
	if (rc)
		return kdx_fail(err, KDX_EIO, "could not write \"%s\"", path);
	return KDX_OK;
}

static unsigned long long parse_octal(const unsigned char *p, size_t n)
{
	unsigned long long v = 0;
	for (size_t i = 0; i < n && p[i]; i++) {
		if (p[i] == ' ')
			continue;
		if (p[i] < '0' || p[i] > '7')
			break;
		v = v * 8 + (p[i] - '0');
	}
	return v;
}

/* A path is safe when relative, without "..", "." or empty components. */
static const char *unsafe_path(const char *p)
{
	if (!*p)
		return "an empty path";
	if (p[0] == '/')
		return "an absolute path";
	const char *s = p;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if ((n == 2 && !strncmp(s, "..", 2)))
			return "a \"..\" component";
		if (!e)
			break;
		s = e + 1;
	}
	return NULL;
}

/* A ustar header: false when its checksum does not match. */
static bool parse_header(const unsigned char h[512], char name[257], unsigned long long *size, char *type)
{
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	if (sum != parse_octal(h + 148, 8))
		return false;
	char prefix[156];
	memcpy(prefix, h + 345, 155);
	prefix[155] = '\0';
	char nm[101];
	memcpy(nm, h, 100);
	nm[100] = '\0';
	if (prefix[0] && !memcmp(h + 257, "ustar", 5))
		snprintf(name, 257, "%s/%s", prefix, nm);
	else
		snprintf(name, 257, "%s", nm);
	*size = parse_octal(h + 124, 12);
	*type = (char)h[156];
	return true;
}

/* An entry's body and padding: kept whole (*data, NUL-terminated) or only
 * digested (d256, d512).  False when the archive ends inside it. */
static bool read_body(gzFile gz, unsigned long long size, bool keep, unsigned char **data, char d256[65], char d512[129])
{
	*data = keep ? kdx_xmalloc((size_t)size + 1) : NULL;
	kdx_sums sums;
	if (!keep)
		kdx_sums_init(&sums, true);
	size_t padded = (size_t)((size + 511) / 512 * 512);
	size_t got = 0;
	while (got < padded) {
		unsigned char block[65536];
		size_t want = padded - got < sizeof block ? padded - got : sizeof block;
		if (gzread(gz, block, (unsigned)want) != (int)want)
			break;
		size_t take = got + want <= size ? want : (got < size ? (size_t)(size - got) : 0);
		if (keep)
			memcpy(*data + got, block, take);
		else if (take)
			kdx_sums_update(&sums, block, take);
		got += want;
	}
	if (!keep)
		kdx_sums_final(&sums, d256, d512);
	if (got < padded) {
		free(*data);
		*data = NULL;
		return false;
	}
	if (*data)
		(*data)[size] = 0;
	return true;
}

/* An entry's body and padding into fp, in pieces.  False when the archive
 * ends inside it; *werr receives errno of a failed write. */
static bool copy_body(gzFile gz, unsigned long long size, FILE *fp, int *werr)
{
	size_t padded = (size_t)((size + 511) / 512 * 512), got = 0;
	while (got < padded) {
		unsigned char block[65536];
		size_t want = padded - got < sizeof block ? padded - got : sizeof block;
		if (gzread(gz, block, (unsigned)want) != (int)want)
			return false;
		size_t take = got + want <= size ? want : (got < size ? (size_t)(size - got) : 0);
		if (take && !*werr && fwrite(block, 1, take, fp) != take)
			*werr = errno ? errno : EIO;
		got += want;
	}
	return true;
}

/* Why an entry may not be extracted, or NULL. */
static const char *refusal(const char *fname, char type)
{
	const char *why = unsafe_path(fname);
	if (!why && type != '0' && type != '\0' && type != '5')
		why = type == '1' ? "a hard link" : type == '2' ? "a symbolic link"
		    : (type == '3' || type == '4') ? "a device" : type == '6' ? "a FIFO" : "an entry of an unknown type";
	return why;
}

/* A pax extended header's path: its records are "LEN key=value\n". */
static char *pax_path_of(const unsigned char *data, size_t size)
{
	size_t at = 0;
	while (at < size) {
		char *end;
		unsigned long len = strtoul((const char *)data + at, &end, 10);
		if (len == 0 || at + len > size || *end != ' ')
			return NULL;
		const char *kv = end + 1, *stop = (const char *)data + at + len;
		if (stop - kv > 5 && !strncmp(kv, "path=", 5) && stop[-1] == '\n')
			return kdx_strdup_printf("%.*s", (int)(stop - kv - 6), kv + 5);
		at += len;
	}
	return NULL;
}

/* The name as a bag's entry: "./" and "/."-less, as GNU tar writes it from the
 * folder it was run in ("./kdx-…/data/a.csv" is "kdx-…/data/a.csv"); "" for
 * the folder itself. */
static void strip_dot_slash(char *name)
{
	size_t skip = 0;
	while (name[skip] == '.' && name[skip + 1] == '/') {
		skip += 2;
		while (name[skip] == '/')
			skip++;
	}
	if (skip)
		memmove(name, name + skip, strlen(name + skip) + 1);
	if (!strcmp(name, "."))
		name[0] = '\0';
	size_t n = strlen(name);
	while (n > 0 && name[n - 1] == '/')  /* a folder's trailing slash */
		name[--n] = '\0';
}

static void add_entry(kdx_tar *t, const char *fname, unsigned char *data, size_t size, const char *d256, const char *d512)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->e = kdx_xrealloc(t->e, (size_t)t->cap * sizeof *t->e);
	}
	memset(&t->e[t->n], 0, sizeof t->e[t->n]);
	t->e[t->n].path = kdx_strdup(fname);
	t->e[t->n].data = data;
	t->e[t->n].size = size;
	memcpy(t->e[t->n].sha256, d256, 65);
	memcpy(t->e[t->n].sha512, d512, 129);
	t->n++;
}

/* Read the archive at path into t; with extract_dir, write each regular file
 * under it instead, in pieces (*written counts them). */
/* Is the entry name (its bag folder first) a file the caller keeps whole:
 * a top-level file, or one under a folder of keep ("data/warehouse/") or
 * named by it ("data/figures.csv")? */
static bool kept(const char *name, const char *const *keep)
{
	const char *slash = strchr(name, '/');
	if (!slash || !strchr(slash + 1, '/'))
		return true;
	for (int i = 0; keep && keep[i]; i++)
		if (!strncmp(slash + 1, keep[i], strlen(keep[i])))
			return true;
	return false;
}

static kdx_status tar_read(const char *path, kdx_tar *t, bool digests, const char *const *keep_under,
                           const char *extract_dir, int *written, kdx_error **err)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return kdx_fail(err, KDX_EIO, "could not open \"%s\": %s", path, strerror(errno));
	unsigned char h[512];
	char *pax_path = NULL;
	unsigned long long total = 0;
	kdx_status st = KDX_OK;
	for (;;) {
		int r = gzread(gz, h, 512);
		if (r == 0)
			break;
		if (r != 512) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" is truncated or not a gzip tar", path);
			break;
		}
		bool zero = true;
		for (int i = 0; i < 512; i++)
			zero &= h[i] == 0;
		if (zero)
			break;
		char name[256 + 1], type;
		unsigned long long size;
		if (!parse_header(h, name, &size, &type)) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" has a damaged tar header", path);
			break;
		}
		total += size;
		if (total > MAX_TOTAL) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" is larger than kdx accepts", path);
			break;
		}
		/* in digest mode, only top-level files, those under keep_under (and pax headers, long names) are kept */
		char *norm = kdx_strdup(pax_path ? pax_path : name);
		strip_dot_slash(norm);
		bool keep = !digests || type == 'x' || type == 'L' || type == 'g' || kept(norm, keep_under);
		free(norm);
		if (extract_dir && (type == '0' || type == '\0')) {
			char *fname = kdx_strdup(pax_path ? pax_path : name);
			strip_dot_slash(fname);
			const char *why = refusal(fname, type);
			if (why) {
				st = kdx_fail(err, KDX_EDATA, "archive \"%s\" contains %s: \"%s\"", path, why, fname);
				free(fname);
				break;
			}
			char *out = kdx_strdup_printf("%s/%s", extract_dir, fname);
			char *last = strrchr(out, '/');
			*last = '\0';
			kdx_mkdirs(out, 0750);
			*last = '/';
			/* O_EXCL: never follow or replace an existing entry */
			FILE *fp = fopen(out, "wbx");
			int werr = fp ? 0 : errno;
			bool whole = copy_body(gz, size, fp, &werr);
			if (fp && fclose(fp) != 0 && !werr)
				werr = errno;
			if (!whole)
				st = kdx_fail(err, KDX_EDATA, "archive \"%s\" is truncated", path);
			else if (werr)
				st = kdx_fail(err, KDX_EIO, "could not write \"%s\": %s", out, strerror(werr));
			else
				(*written)++;
			free(out);
			free(fname);
			free(pax_path);
			pax_path = NULL;
			if (st != KDX_OK)
				break;
			continue;
		}
		unsigned char *data;
		char d256[65] = "", d512[129] = "";
		if (!read_body(gz, size, keep, &data, d256, d512)) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" is truncated", path);
			break;
		}
		if (type == 'x' || type == 'L') {
			/* the next entry's name: a pax record, or GNU tar's long name */
			free(pax_path);
			pax_path = type == 'x' ? pax_path_of(data, (size_t)size) : kdx_strdup_printf("%.*s", (int)size, (char *)data);
			free(data);
			continue;
		}
		if (type == 'g' || type == 'K') {  /* global pax settings, a long link name: nothing kdx uses */
			free(data);
			continue;
		}
		char *fname = kdx_strdup(pax_path ? pax_path : name);
		strip_dot_slash(fname);
		if (!*fname && type == '5') {  /* "./", the folder tar was run in */
			free(fname);
			free(data);
			free(pax_path);
			pax_path = NULL;
			continue;
		}
		const char *why = refusal(fname, type);
		if (why) {
			st = kdx_fail(err, KDX_EDATA, "archive \"%s\" contains %s: \"%s\"", path, why, fname);
			kdx_error_detail(*err, "kdx extracts only regular files and folders under the destination.");
			kdx_error_hint(*err, "Do not trust this archive; take the snapshot from the archive folder again.");
			free(data);
			free(fname);
			break;
		}
		if (type == '5')
			free(data);
		else
			add_entry(t, fname, data, (size_t)size, d256, d512);
		free(fname);
		free(pax_path);
		pax_path = NULL;
	}
	free(pax_path);
	gzclose(gz);
	if (st != KDX_OK)
		kdx_tar_free(t);
	return st;
}

kdx_status kdx_tar_read(const char *path, kdx_tar *t, kdx_error **err)
{
	return tar_read(path, t, false, NULL, NULL, NULL, err);
}

kdx_status kdx_tar_read_digests(const char *path, const char *const *keep, kdx_tar *t, kdx_error **err)
{
	return tar_read(path, t, true, keep, NULL, NULL, err);
}

kdx_status kdx_tar_extract(const char *path, const char *dir, int *files, kdx_error **err)
{
	kdx_tar t = { 0 };
	*files = 0;
	kdx_status st = tar_read(path, &t, true, NULL, dir, files, err);
	kdx_tar_free(&t);
	return st;
}

/* ---- a bag extracted to a folder -------------------------------------------- */

/* Every regular file under dir, as the entry "prefix/rel": top-level files
 * whole, deeper ones digested as they are read. */
static kdx_status read_dir(const char *dir, const char *prefix, int depth, const char *const *keep_under, kdx_tar *t,
                           kdx_error **err)
{
	int n;
	char **names = kdx_dir_names(dir, &n);
	if (!names)
		return kdx_fail(err, KDX_EIO, "could not open folder \"%s\": %s", dir, strerror(errno));
	kdx_status st = KDX_OK;
	for (int i = 0; i < n; i++) {
		char *path = kdx_strdup_printf("%s/%s", dir, names[i]);
		char *entry = kdx_strdup_printf("%s/%s", prefix, names[i]);
		struct stat sb;
		if (st != KDX_OK) {
			/* only freeing from here */
		} else if (lstat(path, &sb) != 0) {
			st = kdx_fail(err, KDX_EIO, "could not examine \"%s\": %s", path, strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			st = depth > 64 ? kdx_fail(err, KDX_EDATA, "bag folder \"%s\" is nested too deep", dir)
			                : read_dir(path, entry, depth + 1, keep_under, t, err);
		} else if (!S_ISREG(sb.st_mode)) {
			st = kdx_fail(err, KDX_EDATA, "bag folder contains %s: \"%s\"", S_ISLNK(sb.st_mode) ? "a symbolic link" : "a special file",
			              path);
			kdx_error_detail(*err, "A bag holds regular files and folders only.");
		} else {
			FILE *fp = fopen(path, "rb");
			if (!fp) {
				st = kdx_fail(err, KDX_EIO, "could not open \"%s\": %s", path, strerror(errno));
			} else {
				bool keep = kept(entry, keep_under);  /* the tag files and what the caller asked for */
				kdx_buf b = { 0 };
				kdx_sums sums;
				kdx_sums_init(&sums, true);
				unsigned char chunk[65536];
				size_t got, total = 0;
				while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
					total += got;
					if (keep)
						kdx_buf_add(&b, chunk, got);
					else
						kdx_sums_update(&sums, chunk, got);
				}
				bool bad = ferror(fp);
				fclose(fp);
				char d256[65] = "", d512[129] = "";
				kdx_sums_final(&sums, d256, d512);
				if (keep)
					d256[0] = d512[0] = '\0';  /* kept whole, as the tar reader keeps them */
				if (bad) {
					kdx_buf_free(&b);
					st = kdx_fail(err, KDX_EIO, "could not read \"%s\"", path);
				} else {
					if (keep)
						kdx_buf_reserve(&b, 0);
					add_entry(t, entry, keep ? (unsigned char *)kdx_buf_steal(&b) : NULL, total, d256, d512);
				}
			}
		}
		free(path);
		free(entry);
		free(names[i]);
	}
	free(names);
	return st;
}

kdx_status kdx_tar_read_dir_digests(const char *dir, const char *const *keep, kdx_tar *t, kdx_error **err)
{
	char *copy = kdx_strdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	const char *base = strrchr(copy, '/');
	base = base ? base + 1 : copy;
	kdx_status st = read_dir(copy, base, 0, keep, t, err);
	free(copy);
	if (st != KDX_OK)
		kdx_tar_free(t);
	return st;
}
