/*
 * ruleset_collect.h - applying the items of all files in order, as Falco
 * does: a definition adds an item or replaces an earlier one of the same
 * name (keeping its place), `append`/`override` change an earlier item, and
 * `- rule: X` + `enabled:` toggles one.
 */
#ifndef VIGIL_RULESET_COLLECT_H
#define VIGIL_RULESET_COLLECT_H

#include "diag.h"
#include "name_index.h"
#include "rules_items.h"

/* The items of one kind, in the order they were first defined. */
struct item_table {
	struct rules_item **v;          /* point into a struct rules_items */
	size_t n, cap;
	struct name_index names;        /* name -> position in v */
};

struct collection {
	struct item_table rules, macros, lists;
};

/*
 * Apply `items` in order. The collection points into `items`, which must
 * stay put (and not be freed) while it is used. Returns 0, or -1 if there
 * was any error.
 */
int ruleset_collect(struct rules_items *items, struct collection *c, struct diags *d);

void collection_free(struct collection *c);

#endif /* VIGIL_RULESET_COLLECT_H */
