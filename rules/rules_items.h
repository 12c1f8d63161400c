/*
 * rules_items.h - rules files as read: one struct per `- rule:`, `- macro:`
 * or `- list:` item, in load order, with the position of everything a later
 * error may have to point at.
 *
 * The reader (rules_yaml.c) checks what one item can be checked for on its
 * own: types, required keys, override shapes. The collector
 * (ruleset_collect.c) then applies definitions, appends and overrides
 * across items, and the assembler (ruleset_assemble.c) builds the trees.
 */
#ifndef VIGIL_RULES_ITEMS_H
#define VIGIL_RULES_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "loc_text.h"
#include "ruleset.h"

enum item_kind { ITEM_RULE, ITEM_MACRO, ITEM_LIST };

/* Keys an item can define, append or replace; bit numbers in the masks below. */
enum item_key {
	KEY_CONDITION, KEY_OUTPUT, KEY_DESC, KEY_PRIORITY, KEY_TAGS, KEY_EXCEPTIONS,
	KEY_ENABLED, KEY_WARN_EVTTYPES, KEY_SKIP_UNKNOWN, KEY_SOURCE, KEY_ENFORCE, KEY_ITEMS,
	KEY_COUNT
};
#define KEY_BIT(k) (1u << (k))

/* A YAML value kept as written, for checks that need the whole ruleset: a
 * string, or a sequence of values. (Exception fields, comps and values.) */
struct yval {
	bool is_seq;
	struct loc_text text;   /* a string */
	struct yval *kids;      /* a sequence */
	size_t nkids;
	struct src_pos pos;
};

struct exception_def {
	char *name;
	struct src_pos pos;
	struct yval *fields;    /* each NULL when absent */
	struct yval *comps;
	struct yval *values;    /* a sequence when present */
};

struct rules_item {
	enum item_kind kind;
	char *name;
	struct src_pos pos;                 /* the item's first key */
	unsigned keys;                      /* KEY_BIT()s of the keys it has */
	struct src_pos key_pos[KEY_COUNT];
	bool append;                        /* legacy `append: true` */
	bool has_override;
	unsigned override_append;           /* KEY_BIT()s that `override:` appends */
	unsigned override_replace;          /* ... and replaces */
	struct src_pos override_pos[KEY_COUNT];

	/* values of the keys present */
	struct loc_text cond;
	char *output, *desc, *source;
	enum priority priority;
	char **tags;
	size_t ntags;
	bool enabled, warn_evttypes, skip_if_unknown_filter;
	enum enforce_action enforce;
	struct exception_def *exceptions;
	size_t nexceptions;
	struct loc_text *items;
	size_t nitems;

	/* set by the collector: where the item was first defined, and where it
	 * was last defined, appended to or overridden (Falco's "visibility") */
	size_t index, visibility;
};

struct rules_items {
	struct rules_item *v;
	size_t n, cap;
	char **plugins;         /* "name version" from required_plugin_versions */
	size_t nplugins, plugins_cap;
};

const char *item_kind_name(enum item_kind kind);
const char *item_key_name(enum item_key key);

/* Does an item of this kind take the key? */
bool item_key_allowed(enum item_kind kind, enum item_key key);

/* May `override:` append, or replace, this key of this kind of item? */
bool item_key_appendable(enum item_kind kind, enum item_key key);
bool item_key_replaceable(enum item_kind kind, enum item_key key);

/* The keys legacy `append: true` appends for this kind. */
unsigned item_legacy_append_keys(enum item_kind kind);

/* The legacy form `- rule: X` + `enabled: ...` with nothing else: toggles X. */
bool rules_item_is_toggle(const struct rules_item *it);

void rules_item_free(struct rules_item *it);
void rules_items_free(struct rules_items *items);

#endif /* VIGIL_RULES_ITEMS_H */
