/*
 * muni.h - 全国地方公共団体コード: 6 digits, the last a check digit.
 */
#ifndef KDX_MUNI_H
#define KDX_MUNI_H

#include <stdbool.h>

/* Check digit of a 5-digit code: r = (6d1+5d2+4d3+3d4+2d5) mod 11, digit = (11-r) mod 10.
 * Returns -1 when s is not exactly 5 ASCII digits. */
int kdx_muni_check_digit(const char *five);

typedef enum kdx_muni_code_result {
	KDX_MUNI_OK = 0,
	KDX_MUNI_SYNTAX,     /* not 5 or 6 digits */
	KDX_MUNI_CHECKDIGIT  /* 6 digits whose last does not match */
} kdx_muni_code_result;

/* Normalise a code to 6 digits (a 5-digit code gains its check digit).
 * out must hold 7 bytes.  The input is expected NFKC-normalised and trimmed. */
kdx_muni_code_result kdx_muni_code_normalise(const char *in, char out[7]);

#endif
