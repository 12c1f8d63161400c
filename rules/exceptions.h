/*
 * exceptions.h - a rule's `exceptions:` as a tree to fold into its
 * condition: (condition) and not (E1 or E2 ...).
 */
#ifndef VIGIL_EXCEPTIONS_H
#define VIGIL_EXCEPTIONS_H

#include "ast.h"
#include "diag.h"
#include "rules_items.h"

/* How exception values that name a list reach the ruleset's lists. */
struct list_source {
	/*
	 * 1 with the items of the list called `name`, 0 if there is no such
	 * list, -1 if it cannot be used (the error is already reported).
	 */
	int (*find)(void *ctx, const char *name, struct src_pos where,
		    const struct ast_literal **items, size_t *n);
	void *ctx;
};

/*
 * Build `not (E1 or E2 ...)` for the exceptions in *out, or NULL when none
 * has values. Errors (shape mismatches, bad fields or operators) are
 * reported with the rule's `label`; returns 0, or -1 if there was any.
 */
int exceptions_build(const struct exception_def *ex, size_t nex, const char *label,
		     const struct list_source *lists, struct diags *d, struct ast_node **out);

#endif /* VIGIL_EXCEPTIONS_H */
