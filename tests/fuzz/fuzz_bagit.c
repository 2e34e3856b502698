/* fuzz_bagit.c - BagIt manifest and bag-info parsing, through kdx verify: the
 * input becomes manifest-sha256.txt (and, after a NUL, bag-info.txt) of an
 * otherwise well-formed bag. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kdx/verify.h"
#include "kdx/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t mlen = nul ? (size_t)(nul - data) : size;
	kdx_tar t = { 0 };
	kdx_tar_add(&t, "bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", 55);
	kdx_tar_add(&t, "bag/manifest-sha256.txt", data, mlen);
	kdx_tar_add(&t, "bag/manifest-sha512.txt", data, mlen);
	kdx_tar_add(&t, "bag/tagmanifest-sha256.txt", data, mlen);
	if (nul)
		kdx_tar_add(&t, "bag/bag-info.txt", nul + 1, size - mlen - 1);
	kdx_tar_add(&t, "bag/data/a.csv", "a,b\n1,2\n", 8);
	char path[64];
	snprintf(path, sizeof path, "/tmp/kdx-fuzz-%ld.tar.gz", (long)getpid());
	kdx_error *err = NULL;
	if (kdx_tar_write(&t, path, 0, &err) == KDX_OK) {
		kdx_verify_result r = { 0 };
		char tag[65], prev[65];
		kdx_snapshot_verify(path, &r, tag, prev, &err);
		kdx_verify_result_free(&r);
	}
	kdx_error_free(err);
	kdx_tar_free(&t);
	unlink(path);
	return 0;
}
