/*
 * rules_yaml.c - reading a rules file's YAML into items (libyaml's document
 * API), checking the type and shape of each key on the way.
 *
 * A file is a list of items; an item is a mapping whose "kind" key says what
 * it is: rule, macro, list, required_engine_version or
 * required_plugin_versions. What one item can be checked for alone is
 * checked here (types, required keys, `override:` shapes), and an item with
 * an error is not kept; checks that need other items (does the rule being
 * appended to exist?) belong to the collector.
 *
 * YAML aliases let a small file name the same node many times. Reading
 * spends from a budget proportional to the file size for every node it
 * turns into data, so aliases cannot blow a file up without bound.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "rules_yaml.h"
#include "xalloc.h"
#include "yaml_pos.h"

struct reader {
	struct yaml_source src;
	yaml_document_t *doc;
	struct rules_items *out;
	struct diags *d;
	size_t budget;          /* see spend() */
	bool over_budget;
	struct src_pos item_pos;        /* of the item being read */
};

static void error(struct reader *r, struct src_pos pos, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void error(struct reader *r, struct src_pos pos, const char *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(r->d, DIAG_ERROR, pos, item, fmt, ap);
	va_end(ap);
}

static void warning(struct reader *r, struct src_pos pos, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void warning(struct reader *r, struct src_pos pos, const char *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(r->d, DIAG_WARNING, pos, item, fmt, ap);
	va_end(ap);
}

static yaml_node_t *node(struct reader *r, int id)
{
	return yaml_document_get_node(r->doc, id);
}

static struct src_pos pos(struct reader *r, const yaml_node_t *n)
{
	return yaml_source_pos(&r->src, n->start_mark);
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a string";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

#define SEQ_FOR_EACH(r, seq, it, child) \
	for ((it) = (seq)->data.sequence.items.start; \
	     (it) < (seq)->data.sequence.items.top && ((child) = node((r), *(it))); (it)++)

static size_t seq_len(const yaml_node_t *seq)
{
	return seq->data.sequence.items.top - seq->data.sequence.items.start;
}

/* Pay for turning a node into data; false (and one error) once the budget is gone. */
static bool spend(struct reader *r, const yaml_node_t *n)
{
	size_t cost = 1 + (n->type == YAML_SCALAR_NODE ? n->data.scalar.length : 0);

	if (cost > r->budget) {
		if (!r->over_budget)
			error(r, r->item_pos, NULL,
			      "this item expands to too much data (YAML aliases repeating large nodes?)");
		r->over_budget = true;
		r->budget = 0;
		return false;
	}
	r->budget -= cost;
	return true;
}

/* --- values ------------------------------------------------------------------ */

static bool want_scalar(struct reader *r, const yaml_node_t *v, const char *label, const char *key)
{
	if (v->type != YAML_SCALAR_NODE) {
		error(r, pos(r, v), label, "'%s' must be a string, found %s", key, type_name(v));
		return false;
	}
	return spend(r, v);
}

static bool read_string(struct reader *r, const yaml_node_t *v, const char *label, const char *key,
			char **out)
{
	if (!want_scalar(r, v, label, key))
		return false;
	free(*out);
	*out = xstrdup(scalar(v));
	return true;
}

static bool read_bool(struct reader *r, const yaml_node_t *v, const char *label, const char *key,
		      bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
	size_t k;

	if (!want_scalar(r, v, label, key))
		return false;
	for (k = 0; k < 3; k++) {
		if (strcasecmp(scalar(v), yes[k]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(scalar(v), no[k]) == 0) {
			*out = false;
			return true;
		}
	}
	error(r, pos(r, v), label, "'%s' must be true or false, found '%.200s'", key, scalar(v));
	return false;
}

/*
 * A string, or a list nested at most `levels` deep, kept with positions.
 * `what` names the value in errors.
 */
static bool read_yval(struct reader *r, const yaml_node_t *n, int levels, const char *what,
		      const char *label, struct yval *out)
{
	yaml_node_item_t *it;
	yaml_node_t *child;
	bool ok = true;

	out->pos = pos(r, n);
	if (!spend(r, n))
		return false;
	if (n->type == YAML_SCALAR_NODE) {
		yaml_scalar_text(&r->src, n, &out->text);
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		error(r, out->pos, label, "%s: expected a string or a list, found %s", what,
		      type_name(n));
		return false;
	}
	if (levels == 0) {
		error(r, out->pos, label, "%s: lists nested too deeply", what);
		return false;
	}
	out->is_seq = true;
	out->kids = xcalloc(seq_len(n), sizeof(*out->kids));
	SEQ_FOR_EACH(r, n, it, child) {
		if (!read_yval(r, child, levels - 1, what, label, &out->kids[out->nkids++])) {
			ok = false;
			if (r->over_budget)
				break;
		}
	}
	return ok;
}

static struct yval *read_yval_new(struct reader *r, const yaml_node_t *n, int levels,
				  const char *what, const char *label, bool *ok)
{
	struct yval *v = xcalloc(1, sizeof(*v));

	if (!read_yval(r, n, levels, what, label, v))
		*ok = false;
	return v;
}

static bool read_tags(struct reader *r, const yaml_node_t *v, const char *label,
		      struct rules_item *it)
{
	yaml_node_item_t *i;
	yaml_node_t *t;
	bool ok = true;

	if (v->type != YAML_SEQUENCE_NODE) {
		error(r, pos(r, v), label, "'tags' must be a list of strings, found %s", type_name(v));
		return false;
	}
	it->tags = xcalloc(seq_len(v), sizeof(*it->tags));
	SEQ_FOR_EACH(r, v, i, t) {
		if (!spend(r, t))
			return false;
		if (t->type != YAML_SCALAR_NODE) {
			error(r, pos(r, t), label, "tags must be strings, found %s", type_name(t));
			ok = false;
			continue;
		}
		it->tags[it->ntags++] = xstrdup(scalar(t));
	}
	return ok;
}

static bool read_list_items(struct reader *r, const yaml_node_t *v, const char *label,
			    struct rules_item *it)
{
	yaml_node_item_t *i;
	yaml_node_t *t;
	bool ok = true;

	if (v->type != YAML_SEQUENCE_NODE) {
		error(r, pos(r, v), label, "'items' must be a list, found %s", type_name(v));
		return false;
	}
	it->items = xcalloc(seq_len(v), sizeof(*it->items));
	SEQ_FOR_EACH(r, v, i, t) {
		if (!spend(r, t))
			return false;
		if (t->type != YAML_SCALAR_NODE) {
			error(r, pos(r, t), label, "list items must be strings, found %s", type_name(t));
			ok = false;
			continue;
		}
		yaml_scalar_text(&r->src, t, &it->items[it->nitems++]);
	}
	return ok;
}

static bool read_exception(struct reader *r, const yaml_node_t *m, const char *label,
			   struct exception_def *e)
{
	yaml_node_pair_t *p;
	bool ok = true;

	e->pos = pos(r, m);
	if (m->type != YAML_MAPPING_NODE) {
		error(r, e->pos, label,
		      "an exception must be a mapping with name, fields, comps and values, found %s",
		      type_name(m));
		return false;
	}
	if (!spend(r, m))
		return false;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
		const char *ks;

		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			error(r, pos(r, k), label, "exception keys must be strings, found %s", type_name(k));
			ok = false;
			continue;
		}
		ks = scalar(k);
		if (strcmp(ks, "name") == 0) {
			if (!read_string(r, v, label, "name", &e->name))
				ok = false;
		} else if (strcmp(ks, "fields") == 0 && !e->fields) {
			e->fields = read_yval_new(r, v, 1, "exception fields", label, &ok);
		} else if (strcmp(ks, "comps") == 0 && !e->comps) {
			e->comps = read_yval_new(r, v, 1, "exception comps", label, &ok);
		} else if (strcmp(ks, "values") == 0 && !e->values) {
			if (v->type != YAML_SEQUENCE_NODE) {
				error(r, pos(r, v), label, "exception 'values' must be a list, found %s",
				      type_name(v));
				ok = false;
				continue;
			}
			/* values: [ value | [ value | [ value ] ] ] */
			e->values = read_yval_new(r, v, 3, "exception values", label, &ok);
		} else if (strcmp(ks, "fields") == 0 || strcmp(ks, "comps") == 0 ||
			   strcmp(ks, "values") == 0) {
			error(r, pos(r, k), label, "duplicate key '%s' in an exception", ks);
			ok = false;
		} else {
			warning(r, pos(r, k), label, "unknown key '%.200s' in an exception", ks);
		}
	}
	if (ok && (!e->name || !*e->name)) {
		error(r, e->pos, label, "an exception needs a 'name'");
		ok = false;
	}
	return ok;
}

static bool read_exceptions(struct reader *r, const yaml_node_t *v, const char *label,
			    struct rules_item *it)
{
	yaml_node_item_t *i;
	yaml_node_t *m;
	bool ok = true;
	size_t k;

	if (v->type != YAML_SEQUENCE_NODE) {
		error(r, pos(r, v), label, "'exceptions' must be a list, found %s", type_name(v));
		return false;
	}
	it->exceptions = xcalloc(seq_len(v), sizeof(*it->exceptions));
	SEQ_FOR_EACH(r, v, i, m) {
		struct exception_def *e = &it->exceptions[it->nexceptions++];

		if (!read_exception(r, m, label, e)) {
			ok = false;
			if (r->over_budget)
				return false;
			continue;
		}
		for (k = 0; k + 1 < it->nexceptions; k++) {
			if (it->exceptions[k].name && strcmp(it->exceptions[k].name, e->name) == 0) {
				error(r, e->pos, label, "duplicate exception '%.200s'", e->name);
				ok = false;
			}
		}
	}
	return ok;
}

/* --- rules, macros, lists -------------------------------------------------------- */

static int key_named(const char *s)
{
	int k;

	for (k = 0; k < KEY_COUNT; k++)
		if (strcmp(s, item_key_name(k)) == 0)
			return k;
	return -1;
}

static bool read_key(struct reader *r, struct rules_item *it, enum item_key key,
		     const yaml_node_t *v, const char *label)
{
	const char *kn = item_key_name(key);
	int p;

	switch (key) {
	case KEY_CONDITION:
		if (!want_scalar(r, v, label, kn))
			return false;
		loc_text_free(&it->cond);
		yaml_scalar_text(&r->src, v, &it->cond);
		return true;
	case KEY_OUTPUT:
		return read_string(r, v, label, kn, &it->output);
	case KEY_DESC:
		return read_string(r, v, label, kn, &it->desc);
	case KEY_SOURCE:
		return read_string(r, v, label, kn, &it->source);
	case KEY_PRIORITY:
		if (!want_scalar(r, v, label, kn))
			return false;
		p = priority_parse(scalar(v));
		if (p < 0) {
			error(r, pos(r, v), label,
			      "unknown priority '%.200s' (expected Emergency, Alert, Critical, Error, "
			      "Warning, Notice, Informational or Debug)", scalar(v));
			return false;
		}
		it->priority = p;
		return true;
	case KEY_TAGS:
		return read_tags(r, v, label, it);
	case KEY_ENABLED:
		return read_bool(r, v, label, kn, &it->enabled);
	case KEY_WARN_EVTTYPES:
		return read_bool(r, v, label, kn, &it->warn_evttypes);
	case KEY_SKIP_UNKNOWN:
		return read_bool(r, v, label, kn, &it->skip_if_unknown_filter);
	case KEY_ENFORCE:
		if (!want_scalar(r, v, label, kn))
			return false;
		if (strcmp(scalar(v), "kill") == 0) {
			it->enforce = ENFORCE_KILL;
		} else if (strcmp(scalar(v), "deny") == 0) {
			it->enforce = ENFORCE_DENY;
		} else {
			error(r, pos(r, v), label, "'enforce' must be 'kill' or 'deny', found '%.200s'",
			      scalar(v));
			return false;
		}
		return true;
	case KEY_EXCEPTIONS:
		return read_exceptions(r, v, label, it);
	case KEY_ITEMS:
		return read_list_items(r, v, label, it);
	case KEY_COUNT:
		break;
	}
	return false;
}

static void read_override(struct reader *r, const yaml_node_t *v, const char *label,
			  struct rules_item *it)
{
	yaml_node_pair_t *p;

	if (v->type != YAML_MAPPING_NODE) {
		error(r, pos(r, v), label,
		      "'override' must be a mapping of keys to 'append' or 'replace', found %s",
		      type_name(v));
		return;
	}
	it->has_override = true;
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(r, p->key), *mode = node(r, p->value);
		const char *ks;
		int key;

		if (!k || !mode)
			continue;
		if (k->type != YAML_SCALAR_NODE || mode->type != YAML_SCALAR_NODE) {
			error(r, pos(r, k), label, "'override' entries must be <key>: append|replace");
			continue;
		}
		ks = scalar(k);
		key = key_named(ks);
		if (key < 0 || !item_key_allowed(it->kind, key) ||
		    (!item_key_appendable(it->kind, key) && !item_key_replaceable(it->kind, key))) {
			error(r, pos(r, k), label, "'%.200s' cannot be overridden in a %s", ks,
			      item_kind_name(it->kind));
			continue;
		}
		if ((it->override_append | it->override_replace) & KEY_BIT(key)) {
			error(r, pos(r, k), label, "'%s' is listed twice in 'override'", ks);
			continue;
		}
		it->override_pos[key] = pos(r, k);
		if (strcmp(scalar(mode), "append") == 0) {
			if (item_key_appendable(it->kind, key))
				it->override_append |= KEY_BIT(key);
			else
				error(r, pos(r, mode), label, "'%s' cannot be appended, only replaced", ks);
		} else if (strcmp(scalar(mode), "replace") == 0) {
			it->override_replace |= KEY_BIT(key);
		} else {
			error(r, pos(r, mode), label,
			      "override of '%s' must be 'append' or 'replace', found '%.200s'", ks,
			      scalar(mode));
		}
	}
}

/* Checks on the item as a whole, once all its keys are read. */
static void check_item(struct reader *r, struct rules_item *it, const char *label,
		       struct src_pos append_pos, struct src_pos override_pos)
{
	static const unsigned required[] = {
		[ITEM_RULE] = KEY_BIT(KEY_CONDITION) | KEY_BIT(KEY_DESC) | KEY_BIT(KEY_OUTPUT) |
			      KEY_BIT(KEY_PRIORITY),
		[ITEM_MACRO] = KEY_BIT(KEY_CONDITION),
		[ITEM_LIST] = KEY_BIT(KEY_ITEMS),
	};
	unsigned listed = it->override_append | it->override_replace, allowed;
	int k;

	if (it->append && it->has_override) {
		error(r, override_pos, label, "'append' and 'override' cannot be used together");
		return;
	}
	if (it->has_override) {
		if (!listed && !it->keys)
			error(r, override_pos, label, "'override' is empty");
		for (k = 0; k < KEY_COUNT; k++) {
			if ((listed & KEY_BIT(k)) && !(it->keys & KEY_BIT(k)))
				error(r, it->override_pos[k], label,
				      "'override' names '%s', which the item does not have",
				      item_key_name(k));
			if ((it->keys & KEY_BIT(k)) && !(listed & KEY_BIT(k)))
				error(r, it->key_pos[k], label,
				      "'%s' is not listed in 'override' (with override, every key must be)",
				      item_key_name(k));
		}
		return;
	}
	if (it->append) {
		allowed = item_legacy_append_keys(it->kind);
		if (!(it->keys & allowed))
			error(r, append_pos, label, "'append: true' needs %s",
			      it->kind == ITEM_RULE ? "'condition' or 'exceptions'" :
			      it->kind == ITEM_MACRO ? "'condition'" : "'items'");
		for (k = 0; k < KEY_COUNT; k++)
			if ((it->keys & KEY_BIT(k)) && !(allowed & KEY_BIT(k)))
				warning(r, it->key_pos[k], label, "'%s' is ignored with 'append: true'",
					item_key_name(k));
		return;
	}
	if (rules_item_is_toggle(it))
		return;
	for (k = 0; k < KEY_COUNT; k++)
		if ((required[it->kind] & KEY_BIT(k)) && !(it->keys & KEY_BIT(k)))
			error(r, it->pos, label, "missing required key '%s'", item_key_name(k));
	if (!(it->keys & KEY_BIT(KEY_ENABLED)))
		it->enabled = true;
	if (!(it->keys & KEY_BIT(KEY_WARN_EVTTYPES)))
		it->warn_evttypes = true;
	if (it->kind == ITEM_RULE && !it->source)
		it->source = xstrdup("syscall");
}

static void read_definition(struct reader *r, const yaml_node_t *map, enum item_kind kind,
			    const yaml_node_t *name)
{
	struct src_pos append_pos = { 0 }, override_pos = { 0 };
	size_t errors = r->d->nerrors;
	struct rules_item it;
	yaml_node_pair_t *p;
	char label[300];

	if (name->type != YAML_SCALAR_NODE || name->data.scalar.length == 0) {
		error(r, pos(r, name), NULL, "a %s's name must be a non-empty string",
		      item_kind_name(kind));
		return;
	}
	memset(&it, 0, sizeof(it));
	it.kind = kind;
	it.pos = pos(r, map);
	it.name = xstrdup(scalar(name));
	snprintf(label, sizeof(label), "%s '%.200s'", item_kind_name(kind), it.name);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
		const char *ks = scalar(k);
		int key = key_named(ks);

		if (strcmp(ks, item_kind_name(kind)) == 0)
			continue;
		if (strcmp(ks, "append") == 0) {
			append_pos = pos(r, k);
			read_bool(r, v, label, "append", &it.append);
		} else if (strcmp(ks, "override") == 0) {
			override_pos = pos(r, k);
			read_override(r, v, label, &it);
		} else if (key < 0 || !item_key_allowed(kind, key)) {
			warning(r, pos(r, k), label, "unknown key '%.200s'", ks);
		} else if (read_key(r, &it, key, v, label)) {
			it.keys |= KEY_BIT(key);
			it.key_pos[key] = pos(r, k);
		}
		if (r->over_budget)
			break;
	}
	if (r->d->nerrors == errors)
		check_item(r, &it, label, append_pos, override_pos);
	if (r->d->nerrors > errors) {
		rules_item_free(&it);
		return;
	}
	xgrow(&r->out->v, &r->out->cap, r->out->n + 1, sizeof(*r->out->v));
	r->out->v[r->out->n++] = it;
}

/* --- engine and plugin requirements -------------------------------------------- */

/* "0.57.0" (a pre-release or build suffix is ignored) or a legacy integer N, meaning 0.N.0 */
static bool parse_version(const char *s, unsigned long v[3])
{
	int part = 0, digits;

	v[0] = v[1] = v[2] = 0;
	for (;;) {
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 9)
				return false;
			v[part] = v[part] * 10 + (unsigned long)(*s - '0');
		}
		if (digits == 0)
			return false;
		if (part == 0 && *s == '\0') {
			v[1] = v[0];
			v[0] = 0;
			return true;
		}
		if (part == 2)
			return *s == '\0' || *s == '-' || *s == '+';
		if (*s != '.')
			return false;
		s++;
		part++;
	}
}

static void read_engine_version(struct reader *r, const yaml_node_t *v)
{
	unsigned long want[3], have[3];
	int k;

	if (v->type != YAML_SCALAR_NODE || !parse_version(scalar(v), want)) {
		error(r, pos(r, v), NULL,
		      "required_engine_version must be a version like 0.57.0, found %s%.100s%s",
		      v->type == YAML_SCALAR_NODE ? "'" : type_name(v),
		      v->type == YAML_SCALAR_NODE ? scalar(v) : "",
		      v->type == YAML_SCALAR_NODE ? "'" : "");
		return;
	}
	parse_version(VIGIL_RULES_ENGINE_VERSION, have);
	for (k = 0; k < 3; k++) {
		if (want[k] < have[k])
			return;
		if (want[k] > have[k]) {
			error(r, pos(r, v), NULL,
			      "the rules need engine version %lu.%lu.%lu; this vigil implements %s",
			      want[0], want[1], want[2], VIGIL_RULES_ENGINE_VERSION);
			return;
		}
	}
}

static void read_plugins(struct reader *r, const yaml_node_t *v)
{
	yaml_node_item_t *i;
	yaml_node_pair_t *p;
	yaml_node_t *e;

	if (v->type != YAML_SEQUENCE_NODE) {
		error(r, pos(r, v), NULL,
		      "required_plugin_versions must be a list of {name, version}, found %s",
		      type_name(v));
		return;
	}
	SEQ_FOR_EACH(r, v, i, e) {
		const char *name = NULL, *version = NULL;
		char *entry;

		if (!spend(r, e))
			return;
		if (e->type != YAML_MAPPING_NODE) {
			error(r, pos(r, e), NULL,
			      "a required_plugin_versions entry must be a mapping with name and version, "
			      "found %s", type_name(e));
			continue;
		}
		for (p = e->data.mapping.pairs.start; p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(r, p->key), *val = node(r, p->value);
			bool is_scalar = val && val->type == YAML_SCALAR_NODE;

			if (!k || !val || k->type != YAML_SCALAR_NODE)
				continue;
			if (strcmp(scalar(k), "name") == 0 && is_scalar)
				name = scalar(val);
			else if (strcmp(scalar(k), "version") == 0 && is_scalar)
				version = scalar(val);
			else if (strcmp(scalar(k), "alternatives") == 0 && val->type == YAML_SEQUENCE_NODE)
				;       /* accepted; plugins are not vigil's business */
			else
				warning(r, pos(r, k), NULL,
					"unexpected key '%.200s' in required_plugin_versions", scalar(k));
		}
		if (!name || !version || !*name || !*version) {
			error(r, pos(r, e), NULL,
			      "a required_plugin_versions entry needs a 'name' and a 'version'");
			continue;
		}
		if (asprintf(&entry, "%s %s", name, version) < 0)
			xalloc_fail();
		xgrow(&r->out->plugins, &r->out->plugins_cap, r->out->nplugins + 1,
		      sizeof(*r->out->plugins));
		r->out->plugins[r->out->nplugins++] = entry;
	}
}

/* --- items and files ------------------------------------------------------------- */

static const char *const kind_keys[] = {
	"rule", "macro", "list", "required_engine_version", "required_plugin_versions",
};

static void read_item(struct reader *r, const yaml_node_t *map)
{
	const yaml_node_t *kind_key = NULL, *kind_val = NULL;
	yaml_node_pair_t *p, *q;
	size_t k;

	if (map->type != YAML_MAPPING_NODE) {
		error(r, pos(r, map), NULL,
		      "expected an item (a mapping with 'rule', 'macro', 'list', ...), found %s",
		      type_name(map));
		return;
	}
	if (map->data.mapping.pairs.start == map->data.mapping.pairs.top) {
		error(r, pos(r, map), NULL, "empty item");
		return;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *key = node(r, p->key);

		if (!key || key->type != YAML_SCALAR_NODE || !node(r, p->value)) {
			error(r, key ? pos(r, key) : pos(r, map), NULL, "keys must be strings, found %s",
			      key ? type_name(key) : "nothing");
			return;
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			if (strcmp(scalar(node(r, q->key)), scalar(key)) == 0) {
				error(r, pos(r, key), NULL, "duplicate key '%.200s'", scalar(key));
				return;
			}
		}
		for (k = 0; k < sizeof(kind_keys) / sizeof(kind_keys[0]); k++) {
			if (strcmp(scalar(key), kind_keys[k]) != 0)
				continue;
			if (kind_key) {
				error(r, pos(r, key), NULL, "an item cannot be both a '%s' and a '%s'",
				      scalar(kind_key), scalar(key));
				return;
			}
			kind_key = key;
			kind_val = node(r, p->value);
		}
	}
	if (!kind_key) {
		const yaml_node_t *first = node(r, map->data.mapping.pairs.start->key);

		error(r, pos(r, first), NULL,
		      "unknown item '%.200s' (expected rule, macro, list, required_engine_version "
		      "or required_plugin_versions)", scalar(first));
		return;
	}
	if (strcmp(scalar(kind_key), "rule") == 0) {
		read_definition(r, map, ITEM_RULE, kind_val);
	} else if (strcmp(scalar(kind_key), "macro") == 0) {
		read_definition(r, map, ITEM_MACRO, kind_val);
	} else if (strcmp(scalar(kind_key), "list") == 0) {
		read_definition(r, map, ITEM_LIST, kind_val);
	} else {
		for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
			if (node(r, p->key) != kind_key)
				warning(r, pos(r, node(r, p->key)), NULL, "unknown key '%.200s'",
					scalar(node(r, p->key)));
		if (strcmp(scalar(kind_key), "required_engine_version") == 0)
			read_engine_version(r, kind_val);
		else
			read_plugins(r, kind_val);
	}
}

static void read_root(struct reader *r, const yaml_node_t *root)
{
	yaml_node_item_t *i;
	yaml_node_t *item;

	if (root->type == YAML_SCALAR_NODE && root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (root->data.scalar.length == 0 || strcmp(scalar(root), "~") == 0 ||
	     strcmp(scalar(root), "null") == 0))
		return;         /* an empty document */
	if (root->type != YAML_SEQUENCE_NODE) {
		error(r, pos(r, root), NULL,
		      "a rules file must be a list of items (rule, macro, list, ...), found %s",
		      type_name(root));
		return;
	}
	SEQ_FOR_EACH(r, root, i, item) {
		r->item_pos = pos(r, item);
		if (!spend(r, item))
			return;
		read_item(r, item);
		if (r->over_budget)
			return;
	}
}

static void yaml_error(struct reader *r, const yaml_parser_t *p)
{
	struct src_pos at;

	if (p->error == YAML_MEMORY_ERROR)
		xalloc_fail();
	if (p->error == YAML_READER_ERROR)
		at = yaml_source_pos_at(&r->src, p->problem_offset);
	else
		at = yaml_source_pos(&r->src, p->problem_mark);
	if (p->context)
		error(r, at, NULL, "invalid YAML: %s (%s started at %d:%d)",
		      p->problem ? p->problem : "error", p->context, (int)p->context_mark.line + 1,
		      (int)p->context_mark.column + 1);
	else
		error(r, at, NULL, "invalid YAML: %s", p->problem ? p->problem : "error");
}

int rules_yaml_read(const char *file, const char *text, size_t len, struct rules_items *out,
		    struct diags *d)
{
	size_t errors = d->nerrors;
	yaml_parser_t parser;
	yaml_document_t doc;
	struct reader r;
	yaml_node_t *root;

	memset(&r, 0, sizeof(r));
	yaml_source_init(&r.src, file, text, len);
	r.out = out;
	r.d = d;
	r.budget = 4 * len + 4096;
	if (!yaml_parser_initialize(&parser))
		xalloc_fail();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			yaml_error(&r, &parser);
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		r.doc = &doc;
		read_root(&r, root);
		yaml_document_delete(&doc);
		if (r.over_budget)
			break;
	}
	yaml_parser_delete(&parser);
	yaml_source_free(&r.src);
	return d->nerrors > errors ? -1 : 0;
}
