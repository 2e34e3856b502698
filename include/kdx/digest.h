/*
 * digest.h - SHA-256 and SHA-512 (OpenSSL libcrypto) as lower-case hex, in one
 * go or fed in pieces, for load batches, manifests and archives.
 */
#ifndef KDX_DIGEST_H
#define KDX_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

/* SHA-256, and SHA-512 too when asked, of data fed in pieces. */
typedef struct kdx_sums {
	void *c256, *c512;
} kdx_sums;

void kdx_sums_init(kdx_sums *s, bool sha512);
void kdx_sums_update(kdx_sums *s, const void *data, size_t n);
/* Writes the hex digests (h512 only when initialised with sha512) and frees s. */
void kdx_sums_final(kdx_sums *s, char h256[65], char h512[129]);

/* One-shot hex digests. */
void kdx_sha256_hex(const void *data, size_t n, char out[65]);
void kdx_sha512_hex(const void *data, size_t n, char out[129]);

#endif
