/*
 * name_index.h - a hash index from names to array positions, for looking up
 * rules, macros and lists by name while assembling.
 *
 * The index does not own the names: they belong to the items and must
 * outlive it.
 */
#ifndef VIGIL_NAME_INDEX_H
#define VIGIL_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>

struct name_index {
	struct name_slot { const char *name; size_t value; } *slots;
	size_t cap, n;          /* cap is 0 or a power of two */
};

/* Map name to value, replacing an earlier value for the same name. */
void name_index_put(struct name_index *ix, const char *name, size_t value);
bool name_index_get(const struct name_index *ix, const char *name, size_t *value);
void name_index_free(struct name_index *ix);

#endif /* VIGIL_NAME_INDEX_H */
