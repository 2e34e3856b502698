/*
 * strset.h - a set of short strings, each with an integer: the ingest's
 * duplicate-key check over a million rows.
 *
 * Open addressing over 16-byte slots (key, hash, value); the keys are copied
 * into 64 KiB arena blocks that the set owns.  A probe touches one slot unless
 * the hashes agree.
 */
#ifndef KDX_STRSET_H
#define KDX_STRSET_H

#include <stddef.h>

typedef struct kdx_strset_slot {
	char *key;
	unsigned hash;
	int val;
} kdx_strset_slot;

typedef struct kdx_strset {
	kdx_strset_slot *slots;
	size_t cap, n;
	char **blocks;
	size_t nblocks, left;
} kdx_strset;

#define KDX_STRSET_KEY_MAX 4096  /* longest key, with its NUL */

/* Insert key (shorter than KDX_STRSET_KEY_MAX) with val, which must not be 0.
 * Returns the value already there, and inserts nothing, when key is present;
 * else 0. */
long kdx_strset_put(kdx_strset *s, const char *key, long val);
/* Frees what the set holds and leaves it empty (a zeroed set is empty too). */
void kdx_strset_free(kdx_strset *s);

#endif
