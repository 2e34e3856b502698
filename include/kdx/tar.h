/*
 * tar.h - ustar archives in gzip (zlib), written and read without tar(1).
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
/* Read a .tar.gz or a plain .tar (GNU, pax or ustar; names with or without
 * "./", in any order), refusing unsafe entries (KDX_EDATA naming them). */
kdx_status kdx_tar_read(const char *path, kdx_tar *t, kdx_error **err);
/* As kdx_tar_read, keeping the content of top-level files (a bag's tag files)
 * and of the files under the bag's folders listed in keep (NULL-terminated,
 * relative to the bag: "data/warehouse/"; keep may be NULL); other entries get
 * data NULL and their SHA-256 and SHA-512 computed as they stream by, so
 * memory does not grow with the archive. */
kdx_status kdx_tar_read_digests(const char *path, const char *const *keep, kdx_tar *t, kdx_error **err);
/* Write every regular file of the archive under dir as it streams by (never
 * holding the archive in memory), refusing unsafe entries and never replacing
 * an existing file; *files counts them.  The caller checks the names first. */
kdx_status kdx_tar_extract(const char *path, const char *dir, int *files, kdx_error **err);
/* The same for a bag extracted to the folder dir: its entries are named
 * "<dir's last component>/…", as in the archive. */
kdx_status kdx_tar_read_dir_digests(const char *dir, const char *const *keep, kdx_tar *t, kdx_error **err);

#endif
