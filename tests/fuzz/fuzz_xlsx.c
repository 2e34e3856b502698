/* fuzz_xlsx.c - the xlsx reader (minizip + expat) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kdx/reader.h"

static int on_row(void *ctx, const kdx_row *row)
{
	(void)ctx;
	(void)row;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/kdx-fuzz-%ld.xlsx", (long)getpid());
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	kdx_xlsx_limits lim;
	kdx_xlsx_limits_default(&lim);
	lim.max_entry_bytes = 8u << 20;
	lim.max_total_bytes = 16u << 20;
	kdx_xlsx *x = NULL;
	kdx_error *err = NULL;
	if (kdx_xlsx_open(path, &lim, &x, &err) == KDX_OK) {
		for (int i = 0; i < kdx_xlsx_sheet_count(x); i++) {
			kdx_error *e2 = NULL;
			kdx_xlsx_read_sheet(x, i, on_row, NULL, &e2);
			kdx_error_free(e2);
		}
		kdx_xlsx_free(x);
	}
	kdx_error_free(err);
	unlink(path);
	return 0;
}
