/*
 * u64map.h - a hash map from 64-bit keys to pointers.
 *
 * Used for the tables the engine consults on every event (pid -> process,
 * fd -> file, uid -> name), so it is open addressing with linear probing,
 * a power-of-two capacity, and backward-shift deletion (no tombstones, so
 * lookups never slow down after many removals). Key 0 is allowed; a
 * separate flag marks the slot used.
 */
#ifndef VIGIL_U64MAP_H
#define VIGIL_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map_slot {
	uint64_t key;
	void *val;
	bool used;
};

struct u64map {
	struct u64map_slot *slots;
	size_t cap;     /* power of two, or 0 */
	size_t len;
};

void *u64map_get(const struct u64map *m, uint64_t key);
/* insert or replace; returns the previous value or NULL */
void *u64map_put(struct u64map *m, uint64_t key, void *val);
/* remove; returns the removed value or NULL */
void *u64map_del(struct u64map *m, uint64_t key);
void u64map_free(struct u64map *m);

/* iterate: for (size_t i = 0; u64map_next(m, &i, &k, &v);) ... (do not modify while iterating) */
bool u64map_next(const struct u64map *m, size_t *it, uint64_t *key, void **val);

#endif /* VIGIL_U64MAP_H */
