/*
 * rules_items.c - what each kind of item accepts, and freeing items.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_items.h"

#define R (1u << ITEM_RULE)
#define M (1u << ITEM_MACRO)
#define L (1u << ITEM_LIST)

/*
 * Per key: its YAML name, the kinds that take it, and the kinds for which
 * `override:` may append or replace it (Falco's rules; `enforce`, vigil's
 * own key, may be replaced so that existing rules can be made enforcing).
 */
static const struct {
	const char *name;
	unsigned kinds, append, replace;
} keys[KEY_COUNT] = {
	[KEY_CONDITION]     = { "condition", R | M, R | M, R | M },
	[KEY_OUTPUT]        = { "output", R, R, R },
	[KEY_DESC]          = { "desc", R, R, R },
	[KEY_PRIORITY]      = { "priority", R, 0, R },
	[KEY_TAGS]          = { "tags", R, R, R },
	[KEY_EXCEPTIONS]    = { "exceptions", R, R, R },
	[KEY_ENABLED]       = { "enabled", R, 0, R },
	[KEY_WARN_EVTTYPES] = { "warn_evttypes", R, 0, R },
	[KEY_SKIP_UNKNOWN]  = { "skip-if-unknown-filter", R, 0, R },
	[KEY_SOURCE]        = { "source", R, 0, 0 },
	[KEY_ENFORCE]       = { "enforce", R, 0, R },
	[KEY_ITEMS]         = { "items", L, L, L },
};

const char *item_kind_name(enum item_kind kind)
{
	switch (kind) {
	case ITEM_RULE: return "rule";
	case ITEM_MACRO: return "macro";
	case ITEM_LIST: return "list";
	}
	return "?";
}

const char *item_key_name(enum item_key key)
{
	return keys[key].name;
}

bool item_key_allowed(enum item_kind kind, enum item_key key)
{
	return keys[key].kinds & (1u << kind);
}

bool item_key_appendable(enum item_kind kind, enum item_key key)
{
	return keys[key].append & (1u << kind);
}

bool item_key_replaceable(enum item_kind kind, enum item_key key)
{
	return keys[key].replace & (1u << kind);
}

unsigned item_legacy_append_keys(enum item_kind kind)
{
	switch (kind) {
	case ITEM_RULE: return KEY_BIT(KEY_CONDITION) | KEY_BIT(KEY_EXCEPTIONS);
	case ITEM_MACRO: return KEY_BIT(KEY_CONDITION);
	case ITEM_LIST: return KEY_BIT(KEY_ITEMS);
	}
	return 0;
}

bool rules_item_is_toggle(const struct rules_item *it)
{
	return it->kind == ITEM_RULE && !it->append && !it->has_override &&
	       it->keys == KEY_BIT(KEY_ENABLED);
}

static void yval_free(struct yval *v)
{
	size_t i;

	loc_text_free(&v->text);
	for (i = 0; i < v->nkids; i++)
		yval_free(&v->kids[i]);
	free(v->kids);
	v->kids = NULL;
	v->nkids = 0;
}

static void yval_destroy(struct yval *v)
{
	if (v) {
		yval_free(v);
		free(v);
	}
}

static void exception_def_free(struct exception_def *e)
{
	free(e->name);
	yval_destroy(e->fields);
	yval_destroy(e->comps);
	yval_destroy(e->values);
	memset(e, 0, sizeof(*e));
}

void rules_item_free(struct rules_item *it)
{
	size_t i;

	free(it->name);
	loc_text_free(&it->cond);
	free(it->output);
	free(it->desc);
	free(it->source);
	for (i = 0; i < it->ntags; i++)
		free(it->tags[i]);
	free(it->tags);
	for (i = 0; i < it->nexceptions; i++)
		exception_def_free(&it->exceptions[i]);
	free(it->exceptions);
	for (i = 0; i < it->nitems; i++)
		loc_text_free(&it->items[i]);
	free(it->items);
	memset(it, 0, sizeof(*it));
}

void rules_items_free(struct rules_items *items)
{
	size_t i;

	for (i = 0; i < items->n; i++)
		rules_item_free(&items->v[i]);
	free(items->v);
	for (i = 0; i < items->nplugins; i++)
		free(items->plugins[i]);
	free(items->plugins);
	memset(items, 0, sizeof(*items));
}
