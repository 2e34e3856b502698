/* muni.c - municipality code check digit. */
#include <string.h>
#include "kdx/muni.h"

int kdx_muni_check_digit(const char *s)
{
	static const int w[5] = { 6, 5, 4, 3, 2 };
	int sum = 0;
	for (int i = 0; i < 5; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		sum += w[i] * (s[i] - '0');
	}
	if (s[5] != '\0')
		return -1;
	return (11 - sum % 11) % 10;
}

kdx_muni_code_result kdx_muni_code_normalise(const char *in, char out[7])
{
	size_t n = strlen(in);
	char five[6];
	if (n != 5 && n != 6)
		return KDX_MUNI_SYNTAX;
	for (size_t i = 0; i < n; i++)
		if (in[i] < '0' || in[i] > '9')
			return KDX_MUNI_SYNTAX;
	memcpy(five, in, 5);
	five[5] = '\0';
	int cd = kdx_muni_check_digit(five);
	if (n == 6 && in[5] - '0' != cd)
		return KDX_MUNI_CHECKDIGIT;
	memcpy(out, five, 5);
	out[5] = (char)('0' + cd);
	out[6] = '\0';
	return KDX_MUNI_OK;
}
