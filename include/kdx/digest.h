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
/* SHA-256 of a file, read in pieces (an archive can be hundreds of
 * megabytes); -1 with errno when it cannot be read. */
int kdx_file_sha256(const char *path, char out[65]);

/* Ed25519 (OpenSSL libcrypto): a detached signature of data, base64 on one
 * line, with the private key in the PEM file key_path; and its check with the
 * public key in pub_path.  NULL / false with *why set (a static English
 * reason) when the key cannot be used: KDX_KEY_ENCRYPTED for a key that needs
 * a pass phrase, which is never asked for.  A private key is not read through
 * a link. */
#define KDX_KEY_ENCRYPTED "the key is encrypted with a pass phrase"
char *kdx_ed25519_sign(const char *key_path, const void *data, size_t n, const char **why);
/* 1 valid, 0 not this key's or changed, -1 the key or signature is unreadable (*why). */
int kdx_ed25519_verify(const char *pub_path, const void *data, size_t n, const char *sig_b64, const char **why);

#endif
