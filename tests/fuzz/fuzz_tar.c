/* fuzz_tar.c - the tar reader on raw bytes: hostile headers, sizes, names,
 * long-name and pax records, truncation.  The input is the archive as it is
 * on disk (gzip or not: zlib reads both), through both readers restore and
 * verify use. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include "kdx/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/kdx-fuzz-tar-%ld", (long)getpid());
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return 0;
	size_t w = fwrite(data, 1, size, fp);
	fclose(fp);
	if (w == size) {
		for (int digests = 0; digests < 2; digests++) {
			kdx_tar t = { 0 };
			kdx_error *err = NULL;
			if (digests)
				kdx_tar_read_digests(path, (const char *const[]){ "data/warehouse/", NULL }, &t, &err);
			else
				kdx_tar_read(path, &t, &err);
			kdx_error_free(err);
			kdx_tar_free(&t);
		}
	}
	unlink(path);
	return 0;
}
