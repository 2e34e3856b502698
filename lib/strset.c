/* strset.c - a set of short strings with an integer each (see strset.h). */
#include <stdlib.h>
#include <string.h>
#include "kdx/strset.h"
#include "kdx/mem.h"

#define ARENA_BLOCK 65536

static char *keep(kdx_strset *s, const char *key, size_t n)
{
	if (n > s->left) {
		s->blocks = kdx_xrealloc(s->blocks, (s->nblocks + 1) * sizeof *s->blocks);
		s->blocks[s->nblocks++] = kdx_xmalloc(ARENA_BLOCK);
		s->left = ARENA_BLOCK;
	}
	char *p = s->blocks[s->nblocks - 1] + (ARENA_BLOCK - s->left);
	memcpy(p, key, n);
	s->left -= n;
	return p;
}

/* FNV-1a */
static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

static void grow(kdx_strset *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64;
	kdx_strset_slot *ns = kdx_xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].key)
			continue;
		size_t j = s->slots[i].hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = ns;
	s->cap = ncap;
}

long kdx_strset_put(kdx_strset *s, const char *key, long val)
{
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	unsigned h = (unsigned)(hash_str(key) >> 16);
	size_t j = h & (s->cap - 1);
	while (s->slots[j].key) {
		if (s->slots[j].hash == h && !strcmp(s->slots[j].key, key))
			return s->slots[j].val;
		j = (j + 1) & (s->cap - 1);
	}
	s->slots[j].key = keep(s, key, strlen(key) + 1);
	s->slots[j].hash = h;
	s->slots[j].val = (int)val;
	s->n++;
	return 0;
}

void kdx_strset_free(kdx_strset *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->slots);
	memset(s, 0, sizeof *s);
}
