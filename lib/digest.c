/* digest.c - SHA-256 / SHA-512 in hex (see digest.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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

int kdx_file_sha256(const char *path, char out[65])
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	kdx_sums sums;
	kdx_sums_init(&sums, false);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		kdx_sums_update(&sums, chunk, n);
	int bad = ferror(fp);
	fclose(fp);
	kdx_sums_final(&sums, out, NULL);
	if (bad)
		errno = EIO;
	return bad ? -1 : 0;
}

void kdx_sha512_hex(const void *data, size_t n, char out[129])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(data, n, d, &len, EVP_sha512(), NULL);
	hex(d, len, out);
}

/* kdx runs unattended: without this, OpenSSL asks for an encrypted key's
 * pass phrase on the terminal, or reads it from standard input. */
static int no_pass_phrase(char *buf, int size, int rwflag, void *asked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)asked = true;
	return -1;
}

static EVP_PKEY *read_key(const char *path, bool private_key, const char **why)
{
	/* a private key is never read through a link, nor from a FIFO that would
	 * block; a public key may come from anywhere (verify --pubkey <(...)) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | (private_key ? O_NOFOLLOW | O_NONBLOCK : 0));
	struct stat st;
	FILE *fp = fd >= 0 && (!private_key || (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))) ? fdopen(fd, "r") : NULL;
	if (!fp) {
		if (fd >= 0)
			close(fd);
		*why = "the key file cannot be opened";
		return NULL;
	}
	bool asked = false;
	EVP_PKEY *k = private_key ? PEM_read_PrivateKey(fp, NULL, no_pass_phrase, &asked)
	                          : PEM_read_PUBKEY(fp, NULL, no_pass_phrase, &asked);
	fclose(fp);
	if (!k) {
		ERR_clear_error();
		*why = asked ? KDX_KEY_ENCRYPTED : private_key ? "the file is not a PEM private key" : "the file is not a PEM public key";
		return NULL;
	}
	if (EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
		*why = "the key is not an Ed25519 key";
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

char *kdx_ed25519_sign(const char *key_path, const void *data, size_t n, const char **why)
{
	EVP_PKEY *k = read_key(key_path, true, why);
	if (!k)
		return NULL;
	unsigned char sig[64];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	char *out = NULL;
	if (c && EVP_DigestSignInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(c, sig, &siglen, data, n) == 1) {
		out = malloc(4 * ((siglen + 2) / 3) + 1);
		if (out)
			EVP_EncodeBlock((unsigned char *)out, sig, (int)siglen);
	} else {
		*why = "signing failed";
	}
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return out;
}

int kdx_ed25519_verify(const char *pub_path, const void *data, size_t n, const char *sig_b64, const char **why)
{
	EVP_PKEY *k = read_key(pub_path, false, why);
	if (!k)
		return -1;
	size_t bl = strcspn(sig_b64, "\r\n");
	unsigned char sig[128];
	int rc = -1;
	if (bl == 88) {  /* 64 bytes in base64 */
		int got = EVP_DecodeBlock(sig, (const unsigned char *)sig_b64, (int)bl);
		if (got == 66) {  /* 64 bytes and the two padding zeros EVP_DecodeBlock counts */
			EVP_MD_CTX *c = EVP_MD_CTX_new();
			rc = c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
			     EVP_DigestVerify(c, sig, 64, data, n) == 1 ? 1 : 0;
			EVP_MD_CTX_free(c);
		}
	}
	if (rc < 0)
		*why = "the signature is not 64 bytes in base64";
	EVP_PKEY_free(k);
	return rc;
}

