/* fuzz_csv.c - decoding (UTF-8 / CP932 detection) and the CSV reader. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "kdx/reader.h"
#include "kdx/text.h"

static int on_row(void *ctx, const kdx_row *row)
{
	(void)ctx;
	for (int i = 0; i < row->ncells; i++) {
		char *k = kdx_text_key(row->cells[i]);
		(void)kdx_text_width(k);
		free(k);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	kdx_encoding used;
	kdx_error *err = NULL;
	if (kdx_decode((const char *)data, size, KDX_ENC_AUTO, &text, &len, &used, &err) == KDX_OK) {
		kdx_csv_read(text, len, on_row, NULL, &err);
		free(text);
	}
	kdx_error_free(err);
	return 0;
}
