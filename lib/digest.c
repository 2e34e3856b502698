/* digest.c - SHA-256 / SHA-512 in hex (see digest.h). */
#include <openssl/evp.h>
#include "kdx/digest.h"

static void hex(const unsigned char *d, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[i * 2] = digits[d[i] >> 4];
		out[i * 2 + 1] = digits[d[i] & 15];
	}
	out[n * 2] = '\0';
}

void kdx_sums_init(kdx_sums *s, bool sha512)
{
	s->c256 = EVP_MD_CTX_new();
	EVP_DigestInit_ex(s->c256, EVP_sha256(), NULL);
	s->c512 = NULL;
	if (sha512) {
		s->c512 = EVP_MD_CTX_new();
		EVP_DigestInit_ex(s->c512, EVP_sha512(), NULL);
	}
}

void kdx_sums_update(kdx_sums *s, const void *data, size_t n)
{
	EVP_DigestUpdate(s->c256, data, n);
	if (s->c512)
		EVP_DigestUpdate(s->c512, data, n);
}

void kdx_sums_final(kdx_sums *s, char h256[65], char h512[129])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_DigestFinal_ex(s->c256, d, &n);
	hex(d, n, h256);
	EVP_MD_CTX_free(s->c256);
	if (s->c512) {
		EVP_DigestFinal_ex(s->c512, d, &n);
		if (h512)
			hex(d, n, h512);
		EVP_MD_CTX_free(s->c512);
	}
	s->c256 = s->c512 = NULL;
}

void kdx_sha256_hex(const void *data, size_t n, char out[65])
{
	kdx_sums s;
	kdx_sums_init(&s, false);
	kdx_sums_update(&s, data, n);
	kdx_sums_final(&s, out, NULL);
}

void kdx_sha512_hex(const void *data, size_t n, char out[129])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(data, n, d, &len, EVP_sha512(), NULL);
	hex(d, len, out);
}
