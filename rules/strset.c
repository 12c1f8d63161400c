/*
 * strset.c - open addressing over FNV-1a hashes; strings stored with their
 * hash so most misses cost one comparison of integers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "strset.h"
#include "util.h"

struct entry {
	char *s;      /* NULL: empty slot */
	size_t len;
	uint64_t hash;
};

struct strset {
	struct entry *v;
	size_t cap, len;   /* cap: power of two */
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

struct strset *strset_new(void)
{
	struct strset *s = vg_calloc(1, sizeof(*s));

	s->cap = 16;
	s->v = vg_calloc(s->cap, sizeof(*s->v));
	return s;
}

static struct entry *find(const struct strset *s, const char *str, size_t len, uint64_t h)
{
	size_t mask = s->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct entry *e = &s->v[i];

		if (!e->s || (e->hash == h && e->len == len && memcmp(e->s, str, len) == 0))
			return e;
	}
}

bool strset_add(struct strset *s, const char *str, size_t len)
{
	uint64_t h = fnv(str, len);

	if ((s->len + 1) * 2 > s->cap) {
		struct entry *old = s->v;
		size_t oldcap = s->cap;

		s->cap *= 2;
		s->v = vg_calloc(s->cap, sizeof(*s->v));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].s)
				*find(s, old[i].s, old[i].len, old[i].hash) = old[i];
		free(old);
	}
	struct entry *e = find(s, str, len, h);

	if (e->s)
		return false;
	e->s = vg_strndup(str, len);
	e->len = len;
	e->hash = h;
	s->len++;
	return true;
}

bool strset_has(const struct strset *s, const char *str, size_t len)
{
	return find(s, str, len, fnv(str, len))->s != NULL;
}

size_t strset_len(const struct strset *s)
{
	return s->len;
}

bool strset_next(const struct strset *s, size_t *it, const char **str, size_t *len)
{
	while (*it < s->cap) {
		const struct entry *e = &s->v[(*it)++];

		if (e->s) {
			*str = e->s;
			*len = e->len;
			return true;
		}
	}
	return false;
}

void strset_free(struct strset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i].s);
	free(s->v);
	free(s);
}
