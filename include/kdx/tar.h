/*
 * tar.h - archives: kdx's own writer of ustar in gzip (zlib), whose bytes
 * depend on nothing but the entries and the time given, and a reader
 * (libarchive) of what an auditor may hold: tar in any dialect (ustar, pax,
 * GNU), plain or compressed with gzip, bzip2, xz or zstd, and zip.
 *
 * The reader refuses absolute paths, ".." components, links, devices and
 * anything but regular files and folders, and caps the total size.
 */
#ifndef KDX_TAR_H
#define KDX_TAR_H

#include <stddef.h>
#include <time.h>
#include "kdx/error.h"

typedef struct kdx_tar_entry {
	char *path;
	unsigned char *data;  /* NULL when the content is the file src */
	size_t size;
	char *src;            /* a file on disk, read only when written or hashed */
	char sha256[65], sha512[129];  /* kdx_tar_read_digests: the hex digests of an entry not kept */
} kdx_tar_entry;

typedef struct kdx_tar {
	kdx_tar_entry *e;
	int n, cap;
} kdx_tar;

/* Add a file (copies data). */
void kdx_tar_add(kdx_tar *t, const char *path, const void *data, size_t size);
/* Add a file whose content stays on disk at src until written (bounded memory). */
void kdx_tar_add_file(kdx_tar *t, const char *path, const char *src, size_t size);
/* Every regular file under dir (names starting with "." and anything but
 * files and folders skipped), in readdir order, added with
 * kdx_tar_add_file as "prefix/<path under dir>": read when written or hashed. */
kdx_status kdx_tar_add_tree(kdx_tar *t, const char *dir, const char *prefix, kdx_error **err);
/* Move entry e (its buffers) into t under a new path. */
void kdx_tar_move(kdx_tar *t, const char *path, kdx_tar_entry *e);
void kdx_tar_free(kdx_tar *t);
const kdx_tar_entry *kdx_tar_find(const kdx_tar *t, const char *path);
/* Write t as a .tar.gz at path; every entry gets mtime and mode 0644. */
kdx_status kdx_tar_write(const kdx_tar *t, const char *path, time_t mtime, kdx_error **err);
/* Read an archive (a tar in any dialect, compressed or not, or a zip; names
 * with or without "./", in any order), refusing unsafe entries (KDX_EDATA
 * naming them). */
kdx_status kdx_tar_read(const char *path, kdx_tar *t, kdx_error **err);
/* As kdx_tar_read, keeping the content of top-level files (a bag's tag files)
 * and of the files under the bag's folders listed in keep (NULL-terminated,
 * relative to the bag: "data/warehouse/"; keep may be NULL); other entries get
 * data NULL and their SHA-256 and SHA-512 computed as they stream by, so
 * memory does not grow with the archive. */
kdx_status kdx_tar_read_digests(const char *path, const char *const *keep, kdx_tar *t, kdx_error **err);
/* An archive read one regular file at a time, as it streams by: what
 * kdx_tar_read does, for a caller that writes the files itself (restore). */
typedef struct kdx_tar_reader kdx_tar_reader;
kdx_status kdx_tar_reader_open(const char *path, kdx_tar_reader **r, kdx_error **err);
/* The next regular file's name ("./"-less, as kdx_tar_read names it; valid
 * until the next call), or NULL at the end; an unsafe entry is KDX_EDATA. */
kdx_status kdx_tar_reader_next(kdx_tar_reader *r, const char **name, kdx_error **err);
/* Up to n bytes of the current file into buf; *got is 0 at its end. */
kdx_status kdx_tar_reader_read(kdx_tar_reader *r, void *buf, size_t n, size_t *got, kdx_error **err);
void kdx_tar_reader_free(kdx_tar_reader *r);
/* The same for a bag extracted to the folder dir: its entries are named
 * "<dir's last component>/…", as in the archive. */
kdx_status kdx_tar_read_dir_digests(const char *dir, const char *const *keep, kdx_tar *t, kdx_error **err);

#endif
