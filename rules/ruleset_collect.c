/*
 * ruleset_collect.c - definitions, redefinitions, appends, overrides and
 * toggles across all loaded files (see ruleset_collect.h).
 *
 * Each item records where it was first defined (`index`, which fixes its
 * place in rule order) and where it was last defined or changed
 * (`visibility`): a macro or list may use only those first defined before
 * its own latest change, which is how Falco lets a redefinition in a later
 * file use macros that file adds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset_collect.h"
#include "xalloc.h"

static struct rules_item *item_table_find(const struct item_table *t, const char *name)
{
	size_t at;

	return name_index_get(&t->names, name, &at) ? t->v[at] : NULL;
}

static void table_add(struct item_table *t, struct rules_item *it)
{
	xgrow(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n] = it;
	name_index_put(&t->names, it->name, t->n);
	t->n++;
}

static char *join(char *a, const char *b)
{
	char *s;

	if (!a)
		return xstrdup(b);
	if (asprintf(&s, "%s %s", a, b) < 0)
		xalloc_fail();
	free(a);
	return s;
}

static void add_tags(struct rules_item *prev, struct rules_item *it)
{
	size_t i, k;

	prev->tags = xrealloc(prev->tags, (prev->ntags + it->ntags) * sizeof(*prev->tags));
	for (i = 0; i < it->ntags; i++) {
		for (k = 0; k < prev->ntags; k++)
			if (strcmp(prev->tags[k], it->tags[i]) == 0)
				break;
		if (k < prev->ntags)
			continue;
		prev->tags[prev->ntags++] = it->tags[i];
		it->tags[i] = NULL;
	}
}

/*
 * Appended exceptions add their values to the exception of the same name,
 * or are added whole when the name is new.
 */
static void add_exceptions(struct rules_item *prev, struct rules_item *it, const char *label,
			   struct diags *d)
{
	struct exception_def *e, *old;
	struct yval *vals;
	size_t i, k;

	prev->exceptions = xrealloc(prev->exceptions,
				    (prev->nexceptions + it->nexceptions) * sizeof(*prev->exceptions));
	for (i = 0; i < it->nexceptions; i++) {
		e = &it->exceptions[i];
		for (old = NULL, k = 0; k < prev->nexceptions && !old; k++)
			if (strcmp(prev->exceptions[k].name, e->name) == 0)
				old = &prev->exceptions[k];
		if (!old) {
			prev->exceptions[prev->nexceptions++] = *e;
			memset(e, 0, sizeof(*e));
			continue;
		}
		if (e->fields || e->comps) {
			diag_add(d, DIAG_ERROR, e->fields ? e->fields->pos : e->comps->pos, label,
				 "exception '%s' already exists: appending can only add values, not %s",
				 e->name, e->fields ? "fields" : "comps");
			continue;
		}
		if (!e->values)
			continue;
		if (!old->values) {
			old->values = e->values;
			e->values = NULL;
			continue;
		}
		vals = old->values;
		vals->kids = xrealloc(vals->kids, (vals->nkids + e->values->nkids) * sizeof(*vals->kids));
		memcpy(vals->kids + vals->nkids, e->values->kids, e->values->nkids * sizeof(*vals->kids));
		vals->nkids += e->values->nkids;
		e->values->nkids = 0;
	}
}

static void append_key(struct rules_item *prev, struct rules_item *it, enum item_key k,
		       const char *label, struct diags *d)
{
	size_t i;

	switch (k) {
	case KEY_CONDITION:
		loc_text_append(&prev->cond, &it->cond);
		break;
	case KEY_OUTPUT:
		prev->output = join(prev->output, it->output);
		break;
	case KEY_DESC:
		prev->desc = join(prev->desc, it->desc);
		break;
	case KEY_TAGS:
		add_tags(prev, it);
		break;
	case KEY_EXCEPTIONS:
		add_exceptions(prev, it, label, d);
		break;
	case KEY_ITEMS:
		prev->items = xrealloc(prev->items, (prev->nitems + it->nitems) * sizeof(*prev->items));
		for (i = 0; i < it->nitems; i++)
			prev->items[prev->nitems++] = it->items[i];
		it->nitems = 0;
		break;
	default:
		break;  /* item_key_appendable() admits no other key */
	}
}

#define SWAP(a, b) do { __typeof__(a) swap_tmp_ = (a); (a) = (b); (b) = swap_tmp_; } while (0)

/* Replacing swaps the values, so that freeing `it` frees the old ones. */
static void replace_key(struct rules_item *prev, struct rules_item *it, enum item_key k)
{
	switch (k) {
	case KEY_CONDITION: SWAP(prev->cond, it->cond); break;
	case KEY_OUTPUT: SWAP(prev->output, it->output); break;
	case KEY_DESC: SWAP(prev->desc, it->desc); break;
	case KEY_PRIORITY: prev->priority = it->priority; break;
	case KEY_TAGS:
		SWAP(prev->tags, it->tags);
		SWAP(prev->ntags, it->ntags);
		break;
	case KEY_EXCEPTIONS:
		SWAP(prev->exceptions, it->exceptions);
		SWAP(prev->nexceptions, it->nexceptions);
		break;
	case KEY_ENABLED: prev->enabled = it->enabled; break;
	case KEY_WARN_EVTTYPES: prev->warn_evttypes = it->warn_evttypes; break;
	case KEY_SKIP_UNKNOWN: prev->skip_if_unknown_filter = it->skip_if_unknown_filter; break;
	case KEY_ENFORCE: prev->enforce = it->enforce; break;
	case KEY_ITEMS:
		SWAP(prev->items, it->items);
		SWAP(prev->nitems, it->nitems);
		break;
	case KEY_SOURCE:
	case KEY_COUNT:
		break;  /* not replaceable */
	}
}

static void change(struct rules_item *prev, struct rules_item *it, const char *label,
		   struct diags *d)
{
	unsigned app = it->append ? it->keys & item_legacy_append_keys(it->kind) : it->override_append;
	unsigned rep = it->append ? 0 : it->override_replace;
	int k;

	for (k = 0; k < KEY_COUNT; k++) {
		if (app & KEY_BIT(k))
			append_key(prev, it, k, label, d);
		else if (rep & KEY_BIT(k))
			replace_key(prev, it, k);
		prev->keys |= (app | rep) & KEY_BIT(k);
	}
}

/* A same-name definition takes the earlier one's place (and name string, which the index holds). */
static void redefine(struct rules_item *prev, struct rules_item *it)
{
	char *name = prev->name;
	size_t index = prev->index;

	prev->name = NULL;
	rules_item_free(prev);
	*prev = *it;
	free(prev->name);
	prev->name = name;
	prev->index = index;
	memset(it, 0, sizeof(*it));
}

int ruleset_collect(struct rules_items *items, struct collection *c, struct diags *d)
{
	size_t errors = d->nerrors, i;

	for (i = 0; i < items->n; i++) {
		struct rules_item *it = &items->v[i], *prev;
		struct item_table *t = it->kind == ITEM_RULE ? &c->rules :
				       it->kind == ITEM_MACRO ? &c->macros : &c->lists;
		const char *kind = item_kind_name(it->kind);
		char label[300];

		snprintf(label, sizeof(label), "%s '%.200s'", kind, it->name);
		prev = item_table_find(t, it->name);
		if (it->append || it->has_override) {
			if (!prev) {
				diag_add(d, DIAG_ERROR, it->pos, label, "cannot %s a %s that is not defined before",
					 it->append ? "append to" : "override", kind);
			} else {
				change(prev, it, label, d);
				prev->visibility = i;
			}
			rules_item_free(it);
		} else if (rules_item_is_toggle(it)) {
			if (!prev)
				diag_add(d, DIAG_ERROR, it->pos, label,
					 "cannot enable or disable a rule that is not defined before");
			else
				prev->enabled = it->enabled;
			rules_item_free(it);
		} else if (prev) {
			redefine(prev, it);
			prev->visibility = i;
		} else {
			it->index = it->visibility = i;
			table_add(t, it);
		}
	}
	return d->nerrors > errors ? -1 : 0;
}

static void table_free(struct item_table *t)
{
	free(t->v);
	name_index_free(&t->names);
	memset(t, 0, sizeof(*t));
}

void collection_free(struct collection *c)
{
	table_free(&c->rules);
	table_free(&c->macros);
	table_free(&c->lists);
}
