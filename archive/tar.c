/* tar.c - kdx's ustar in gzip written with zlib, and archives read with libarchive (see tar.h). */
#include <archive.h>
#include <archive_entry.h>
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

/* ---- reading: libarchive -------------------------------------------------- */

/* The archive forms an auditor may hold: tar in any dialect (ustar, pax, GNU,
 * v7), plain or compressed with gzip, bzip2, xz or zstd, and zip.  Nothing
 * else is registered (no rar, 7z, cpio, iso: what is not read cannot hurt),
 * and a filter libarchive could only run as an outside program is refused. */
struct kdx_tar_reader {
	struct archive *a;
	char *path;
	char *name;                /* the current entry's name, normalised */
	unsigned long long total;  /* bytes of file data read so far */
};

kdx_status kdx_tar_reader_open(const char *path, kdx_tar_reader **out, kdx_error **err)
{
	*out = NULL;
	struct archive *a = archive_read_new();
	if (!a)
		return kdx_fail(err, KDX_ENOMEM, "out of memory");
	int (*const filters[])(struct archive *) = {
		archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
		archive_read_support_filter_zstd,
	};
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
		if (filters[i](a) != ARCHIVE_OK) {  /* ARCHIVE_WARN: only through an outside program */
			archive_read_free(a);
			return kdx_fail(err, KDX_EINTERNAL, "libarchive lacks a decompressor kdx needs");
		}
	if (archive_read_support_format_tar(a) != ARCHIVE_OK || archive_read_support_format_zip(a) != ARCHIVE_OK) {
		archive_read_free(a);
		return kdx_fail(err, KDX_EINTERNAL, "libarchive lacks the tar or zip reader");
	}
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		int e = archive_errno(a);
		kdx_status st = e == ENOENT || e == EACCES || e == EISDIR || e == EIO
			? kdx_fail(err, KDX_EIO, "could not open \"%s\": %s", path, strerror(e))
			: kdx_fail(err, KDX_EDATA, "archive \"%s\" is not an archive kdx reads: %s", path, archive_error_string(a));
		if (st == KDX_EDATA)
			kdx_error_hint(*err, "kdx reads a tar (plain, or compressed with gzip, bzip2, xz or zstd), a zip, or the extracted bag folder.");
		archive_read_free(a);
		return st;
	}
	kdx_tar_reader *r = kdx_xcalloc(1, sizeof *r);
	r->a = a;
	r->path = kdx_strdup(path);
	*out = r;
	return KDX_OK;
}

void kdx_tar_reader_free(kdx_tar_reader *r)
{
	if (!r)
		return;
	archive_read_free(r->a);
	free(r->path);
	free(r->name);
	free(r);
}

/* Why a name may not be extracted, or NULL: it must be relative, and every
 * component a name (no "..", no "." or empty one inside it). */
static const char *unsafe_path(const char *p)
{
	if (!*p)
		return "an empty path";
	if (p[0] == '/')
		return "an absolute path";
	for (const char *s = p;;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 2 && !strncmp(s, "..", 2))
			return "a \"..\" component";
		if (n == 0 || (n == 1 && *s == '.'))
			return "an empty or \".\" component";
		if (!e)
			return NULL;
		s = e + 1;
	}
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

/* What an entry is, when it is not a regular file or a folder. */
static const char *entry_refusal(struct archive_entry *e)
{
	if (archive_entry_hardlink(e))
		return "a hard link";
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
	case AE_IFDIR:
		return archive_entry_symlink(e) ? "a symbolic link" : NULL;
	case AE_IFLNK:
		return "a symbolic link";
	case AE_IFCHR:
	case AE_IFBLK:
		return "a device";
	case AE_IFIFO:
		return "a FIFO";
	default:
		return "an entry of an unknown type";
	}
}

kdx_status kdx_tar_reader_next(kdx_tar_reader *r, const char **name, kdx_error **err)
{
	*name = NULL;
	for (;;) {
		struct archive_entry *e;
		int rc = archive_read_next_header(r->a, &e);
		if (rc == ARCHIVE_EOF)
			return KDX_OK;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			kdx_fail(err, KDX_EDATA, "archive \"%s\" is truncated or damaged", r->path);
			kdx_error_detail(*err, "%s.", archive_error_string(r->a) ? archive_error_string(r->a) : "The archive ends early");
			return KDX_EDATA;
		}
		const char *raw = archive_entry_pathname_utf8(e);
		if (!raw)
			raw = archive_entry_pathname(e);
		free(r->name);
		r->name = kdx_strdup(raw ? raw : "");
		strip_dot_slash(r->name);
		bool dir = archive_entry_filetype(e) == AE_IFDIR;
		if (dir && !r->name[0])  /* "./", the folder tar was run in */
			continue;
		const char *why = entry_refusal(e);
		if (!why)
			why = unsafe_path(r->name);
		if (why) {
			char *shown = kdx_shown_name(r->name);
			kdx_fail(err, KDX_EDATA, "archive \"%s\" contains %s: \"%s\"", r->path, why, shown);
			free(shown);
			kdx_error_detail(*err, "kdx extracts only regular files and folders under the destination.");
			kdx_error_hint(*err, "Do not trust this archive; take the snapshot from the archive folder again.");
			return KDX_EDATA;
		}
		if (dir)
			continue;
		*name = r->name;
		return KDX_OK;
	}
}

kdx_status kdx_tar_reader_read(kdx_tar_reader *r, void *buf, size_t n, size_t *got, kdx_error **err)
{
	la_ssize_t k = archive_read_data(r->a, buf, n);
	*got = 0;
	if (k < 0) {
		char *shown = kdx_shown_name(r->name ? r->name : "");
		kdx_fail(err, KDX_EDATA, "archive \"%s\" is truncated or damaged at \"%s\"", r->path, shown);
		free(shown);
		kdx_error_detail(*err, "%s.", archive_error_string(r->a) ? archive_error_string(r->a) : "The entry cannot be read");
		return KDX_EDATA;
	}
	r->total += (unsigned long long)k;
	if (r->total > MAX_TOTAL)
		return kdx_fail(err, KDX_EDATA, "archive \"%s\" is larger than kdx accepts", r->path);
	*got = (size_t)k;
	return KDX_OK;
}

static void add_entry(kdx_tar *t, const char *fname, unsigned char *data, size_t size, const char *d256, const char *d512)
{
	kdx_tar_entry *e = grow(t);
	e->path = kdx_strdup(fname);
	e->data = data;
	e->size = size;
	memcpy(e->sha256, d256, 65);
	memcpy(e->sha512, d512, 129);
}

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

/* Every regular file of the archive at path into t: whole, or (digests) only
 * the files kept() names whole and the others as their digests. */
static kdx_status tar_read(const char *path, kdx_tar *t, bool digests, const char *const *keep_under, kdx_error **err)
{
	kdx_tar_reader *r;
	kdx_status st = kdx_tar_reader_open(path, &r, err);
	const char *name = NULL;
	while (st == KDX_OK && (st = kdx_tar_reader_next(r, &name, err)) == KDX_OK && name) {
		bool whole = !digests || kept(name, keep_under);
		kdx_buf b = { 0 };
		kdx_sums sums;
		kdx_sums_init(&sums, true);
		size_t size = 0, got;
		unsigned char chunk[65536];
		while ((st = kdx_tar_reader_read(r, chunk, sizeof chunk, &got, err)) == KDX_OK && got > 0) {
			size += got;
			if (whole)
				kdx_buf_add(&b, chunk, got);
			else
				kdx_sums_update(&sums, chunk, got);
		}
		char d256[65] = "", d512[129] = "";
		kdx_sums_final(&sums, d256, d512);
		if (whole)  /* kept whole: the verifier hashes the data itself */
			d256[0] = d512[0] = '\0';
		if (st == KDX_OK) {
			kdx_buf_reserve(&b, 0);
			add_entry(t, name, whole ? (unsigned char *)kdx_buf_steal(&b) : NULL, size, d256, d512);
		}
		kdx_buf_free(&b);
	}
	kdx_tar_reader_free(r);
	if (st != KDX_OK)
		kdx_tar_free(t);
	return st;
}

kdx_status kdx_tar_read(const char *path, kdx_tar *t, kdx_error **err)
{
	return tar_read(path, t, false, NULL, err);
}

kdx_status kdx_tar_read_digests(const char *path, const char *const *keep, kdx_tar *t, kdx_error **err)
{
	return tar_read(path, t, true, keep, err);
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
