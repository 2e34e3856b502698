/* embedded.h - files built into the kdx binary (SQL migrations, master data). */
#ifndef KDX_EMBEDDED_H
#define KDX_EMBEDDED_H
#include <stddef.h>

typedef struct kdx_embedded {
	const char *path;  /* e.g. "sql/001_core.sql", "master/municipalities.csv" */
	const unsigned char *data;
	size_t len;
} kdx_embedded;

/* Sorted by path; terminated by an entry whose path is NULL. */
extern const kdx_embedded kdx_embedded_files[];
const kdx_embedded *kdx_embedded_find(const char *path);

#endif
