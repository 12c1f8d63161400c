/*
 * u64map.c - open-addressing hash map with backward-shift deletion.
 */
#include <stdlib.h>
#include "u64map.h"
#include "util.h"

static inline size_t hash(uint64_t k)
{
	/* splitmix64 finaliser: spreads sequential pids and fds */
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebull;
	k ^= k >> 31;
	return (size_t)k;
}

void *u64map_get(const struct u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;

	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		const struct u64map_slot *s = &m->slots[i];

		if (!s->used)
			return NULL;
		if (s->key == key)
			return s->val;
	}
}

static void resize(struct u64map *m, size_t cap)
{
	struct u64map_slot *old = m->slots;
	size_t oldcap = m->cap;

	m->slots = vg_calloc(cap, sizeof(*m->slots));
	m->cap = cap;
	m->len = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			u64map_put(m, old[i].key, old[i].val);
	free(old);
}

void *u64map_put(struct u64map *m, uint64_t key, void *val)
{
	if ((m->len + 1) * 4 > m->cap * 3)  /* keep load under 3/4 */
		resize(m, m->cap ? m->cap * 2 : 16);
	size_t mask = m->cap - 1;

	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		struct u64map_slot *s = &m->slots[i];

		if (!s->used) {
			s->used = true;
			s->key = key;
			s->val = val;
			m->len++;
			return NULL;
		}
		if (s->key == key) {
			void *prev = s->val;

			s->val = val;
			return prev;
		}
	}
}

void *u64map_del(struct u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1, i;

	for (i = hash(key) & mask;; i = (i + 1) & mask) {
		if (!m->slots[i].used)
			return NULL;
		if (m->slots[i].key == key)
			break;
	}
	void *val = m->slots[i].val;

	/* shift back later entries of the run that would otherwise become unreachable */
	for (size_t j = (i + 1) & mask; m->slots[j].used; j = (j + 1) & mask) {
		size_t home = hash(m->slots[j].key) & mask;

		/* move j into the hole at i if its home is not in (i, j] (cyclically) */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].used = false;
	m->len--;
	return val;
}

void u64map_free(struct u64map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}

bool u64map_next(const struct u64map *m, size_t *it, uint64_t *key, void **val)
{
	while (*it < m->cap) {
		const struct u64map_slot *s = &m->slots[(*it)++];

		if (s->used) {
			if (key)
				*key = s->key;
			if (val)
				*val = s->val;
			return true;
		}
	}
	return false;
}
