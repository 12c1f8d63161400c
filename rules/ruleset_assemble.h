/*
 * ruleset_assemble.h - from the items of all loaded files to rules whose
 * conditions hold only fields, operators and values.
 */
#ifndef VIGIL_RULESET_ASSEMBLE_H
#define VIGIL_RULESET_ASSEMBLE_H

#include "diag.h"
#include "rules_items.h"
#include "ruleset.h"

/* No tree from ruleset_load is taller than this (the compiler may recurse freely). */
#define RULES_MAX_TREE_HEIGHT 1000

/*
 * Apply definitions, appends and overrides, then build every rule's tree:
 * lists substituted, macros expanded, exceptions folded in. Fills
 * out->rules (taking names and texts out of `items`). Returns 0, or -1 with
 * the errors in `d` and nothing added to `out`.
 */
int ruleset_assemble(struct rules_items *items, struct ruleset_src *out, struct diags *d);

/* Free what a rule_def points to. */
void rule_def_free(struct rule_def *r);

#endif /* VIGIL_RULESET_ASSEMBLE_H */
