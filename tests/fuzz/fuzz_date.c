/* fuzz_date.c - dates, eras, fiscal years and municipality codes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/jdate.h"
#include "kdx/muni.h"
#include "kdx/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	size_t bad;
	if (kdx_utf8_valid(s, strlen(s), &bad)) {
		char *n = kdx_text_norm(s);
		kdx_date d;
		if (kdx_date_parse(n, &d) == KDX_DATE_OK) {
			char buf[64];
			kdx_date_wareki(d, buf, sizeof buf);
			kdx_date_iso(d, buf, sizeof buf);
			(void)kdx_fiscal_year(d);
		}
		int fy;
		(void)kdx_fy_parse(n, &fy);
		char code[7];
		(void)kdx_muni_code_normalise(n, code);
		free(n);
	}
	free(s);
	return 0;
}
