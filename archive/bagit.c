/* bagit.c - reading a BagIt bag, for the writer and the auditor alike (see bagit.h). */
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <sys/stat.h>
#include "kdx/bagit.h"
#include "kdx/mem.h"

/* RFC 8493 §2.1.3: in manifests, %, CR and LF in paths are percent-encoded. */
void kdx_bagit_path_encode(kdx_buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == '%')
			kdx_buf_adds(b, "%25");
		else if (*p == '\r')
			kdx_buf_adds(b, "%0D");
		else if (*p == '\n')
			kdx_buf_adds(b, "%0A");
		else
			kdx_buf_addc(b, *p);
	}
}

char *kdx_bagit_path_decode(const char *p)
{
	kdx_buf b = { 0 };
	for (; *p; p++) {
		if (p[0] == '%' && p[1] && p[2]) {
			if (!strncmp(p, "%25", 3)) { kdx_buf_addc(&b, '%'); p += 2; continue; }
			if (!strncasecmp(p, "%0D", 3)) { kdx_buf_addc(&b, '\r'); p += 2; continue; }
			if (!strncasecmp(p, "%0A", 3)) { kdx_buf_addc(&b, '\n'); p += 2; continue; }
		}
		kdx_buf_addc(&b, *p);
	}
	kdx_buf_reserve(&b, 0);
	return kdx_buf_steal(&b);
}

/* An archive or an extracted bag folder: the payload is hashed as it streams
 * by; the tag files and the files under keep are kept whole. */
kdx_status kdx_bagit_read(const char *archive, const char *const *keep, kdx_tar *t, kdx_error **err)
{
	struct stat asb;
	return stat(archive, &asb) == 0 && S_ISDIR(asb.st_mode) ? kdx_tar_read_dir_digests(archive, keep, t, err)
	                                                        : kdx_tar_read_digests(archive, keep, t, err);
}

/* The bag's folder: the top-level folder that holds bagit.txt, else the
 * top-level folder every entry shares. */
char *kdx_bagit_root(const kdx_tar *t)
{
	for (int i = 0; i < t->n; i++) {
		const char *p = t->e[i].path, *s = strchr(p, '/');
		if (s && !strcmp(s + 1, "bagit.txt"))
			return kdx_strdup_printf("%.*s", (int)(s - p), p);
	}
	if (t->n == 0 || !strchr(t->e[0].path, '/'))
		return NULL;
	size_t n = (size_t)(strchr(t->e[0].path, '/') - t->e[0].path);
	for (int i = 1; i < t->n; i++)
		if (strncmp(t->e[i].path, t->e[0].path, n + 1))
			return NULL;
	return kdx_strdup_printf("%.*s", (int)n, t->e[0].path);
}

const char *kdx_bagit_info_field(const char *info, const char *key, char *buf, size_t n)
{
	size_t kl = strlen(key);
	if (n)
		buf[0] = '\0';
	for (const char *p = info; p && *p;) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(buf, n, "%.*s", (int)len, v);
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}
