/*
 * eval.h - evaluating compiled conditions on an event.
 *
 * Field values are cached per event in slots (see compile.h), so a field
 * tested by twenty rules is extracted once. The cache is invalidated by
 * bumping a generation number, not by clearing it.
 */
#ifndef VIGIL_EVAL_H
#define VIGIL_EVAL_H

#include <stdbool.h>
#include <stdint.h>
#include "compile.h"
#include "fields.h"

struct slot_cache {
	uint32_t gen;
	bool ok;
	struct fval v;
};

struct eval_state {
	struct field_env env;
	struct slot_cache *cache;
	size_t nslots;
	uint32_t gen;
	pcre2_match_data *md;
	uint32_t *marks;        /* per rule: the gen of the last event its prefilter guard held for */
	size_t nmarks;
};

void eval_state_init(struct eval_state *st, size_t nslots, struct arena *arena, const char *node,
		     uint64_t boot_wall_ns);
void eval_state_free(struct eval_state *st);
/* start a new event: forget cached values */
void eval_begin(struct eval_state *st);
/* room for the marks of n rules (prefilter.h) */
void eval_state_marks(struct eval_state *st, size_t n);

bool cond_eval(struct eval_state *st, const struct cnode *c, const struct event *ev);

/* a field's value (transformers applied, cached when it has a slot); i as for field_get_fn */
bool field_value(struct eval_state *st, const struct field_use *u, const struct event *ev, int i,
		 struct fval *out);

#endif /* VIGIL_EVAL_H */
