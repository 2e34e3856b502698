/*
 * bagit.h - reading a BagIt bag (RFC 8493), the ground the writer (bag.h) and
 * the auditor's side (verify.h, restore.h, reproduce.h, diff.h) share, so that
 * the auditor's side needs nothing of the writer.
 *
 * A bag is read into a kdx_tar (tar.h), the caller's, whose entries are named
 * "<bag folder>/<path in the bag>" whether it came from an archive or from an
 * extracted folder.
 */
#ifndef KDX_BAGIT_H
#define KDX_BAGIT_H

#include <stddef.h>
#include "kdx/buf.h"
#include "kdx/error.h"
#include "kdx/tar.h"

/* Append path to b as a manifest line names it: RFC 8493 §2.1.3 has %, CR
 * and LF percent-encoded. */
void kdx_bagit_path_encode(kdx_buf *b, const char *path);
/* The path a manifest line names, %25, %0D and %0A decoded; caller frees. */
char *kdx_bagit_path_decode(const char *encoded);
/* An archive (.tar.gz or .tar) or an extracted bag folder into t: the tag
 * files and the files under keep whole, the rest of the payload as digests
 * only, as kdx_tar_read_digests and kdx_tar_read_dir_digests do. */
kdx_status kdx_bagit_read(const char *archive, const char *const *keep, kdx_tar *t, kdx_error **err);
/* The bag's folder: the top-level folder that holds bagit.txt or, when none
 * does, the one every entry is in; NULL when there is no such folder; caller
 * frees.  Entries outside it are not the bag's (verify names them). */
char *kdx_bagit_root(const kdx_tar *t);
/* The value of field key in the text of bag-info.txt (NULL reads as empty),
 * into buf (n bytes); buf, or NULL when the field is absent and buf is "". */
const char *kdx_bagit_info_field(const char *info, const char *key, char *buf, size_t n);

#endif
