/*
 * name_index.c - open-addressing hash index of names (FNV-1a, linear
 * probing, kept at most half full).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "name_index.h"
#include "xalloc.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct name_slot *find(const struct name_index *ix, const char *name)
{
	size_t i = hash(name) & (ix->cap - 1);

	while (ix->slots[i].name && strcmp(ix->slots[i].name, name) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slots[i];
}

static void rehash(struct name_index *ix, size_t cap)
{
	struct name_index bigger = { xcalloc(cap, sizeof(struct name_slot)), cap, 0 };
	size_t i;

	for (i = 0; i < ix->cap; i++)
		if (ix->slots[i].name)
			*find(&bigger, ix->slots[i].name) = ix->slots[i];
	bigger.n = ix->n;
	free(ix->slots);
	*ix = bigger;
}

void name_index_put(struct name_index *ix, const char *name, size_t value)
{
	struct name_slot *s;

	if (2 * (ix->n + 1) > ix->cap)
		rehash(ix, ix->cap ? 2 * ix->cap : 16);
	s = find(ix, name);
	if (!s->name)
		ix->n++;
	s->name = name;
	s->value = value;
}

bool name_index_get(const struct name_index *ix, const char *name, size_t *value)
{
	const struct name_slot *s;

	if (!ix->cap)
		return false;
	s = find(ix, name);
	if (!s->name)
		return false;
	*value = s->value;
	return true;
}

void name_index_free(struct name_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}
