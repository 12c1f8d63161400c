/*
 * ruleset_assemble.c - lists, macros and rules turned into trees, with
 * Falco's semantics.
 *
 * Lists: an item that names a list first defined before this list's latest
 * change (its "visibility") is replaced by that list's items. In a
 * condition, a bare word in a value list `(a, b, name)` that names any list
 * (final version, defined anywhere) is replaced by its items.
 *
 * Macros: each condition is parsed once. A macro may use the macros first
 * defined before its latest change; rules may use any macro. References are
 * expanded on the tree by cloning the referenced macro's already expanded
 * tree, so each macro is expanded exactly once, in dependency order.
 *
 * Redefinitions can make macros (or lists) refer to each other in a cycle.
 * The dependency order comes from a depth-first search with an explicit
 * stack - long chains cannot exhaust the C stack - which reports a cycle as
 * such.
 *
 * Expansion can multiply: ten macros each using the previous one twice make
 * a thousand copies. Every copy made by expansion or list substitution is
 * paid for from one budget, and running out is an error, not an
 * out-of-memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast_build.h"
#include "condition_parse.h"
#include "exceptions.h"
#include "ruleset_assemble.h"
#include "ruleset_collect.h"
#include "xalloc.h"

/* tree nodes plus list values that expansion may copy, for the whole ruleset */
#define EXPANSION_BUDGET 2000000

/* a condition under the rule's `and not (exceptions)` wrapper */
#define CONDITION_MAX_HEIGHT (RULES_MAX_TREE_HEIGHT - 1)

enum visit { UNSEEN, ON_STACK, FINISHED };

struct dep {
	size_t to;
	struct src_pos pos;     /* where the reference is written */
};

/* A macro or a list, as the assembler tracks it. */
struct def {
	struct rules_item *item;
	struct dep *deps;
	size_t ndeps, depcap;
	enum visit visit;
	bool ok;                /* parsed, references valid, not in a cycle */
	bool used;
	/* macros: the tree, parsed and then expanded; its height and size */
	struct ast_node *tree;
	int height;
	size_t size;
	/* lists: the items as parsed, then (once finished) with lists spliced in */
	struct ast_literal *lits;
	size_t nlits;
};

struct defs {
	const char *kind;       /* "macro", "list" */
	struct item_table *table;
	struct def *v;          /* parallel to table->v */
};

struct assembler {
	struct collection c;
	struct defs macros, lists;
	struct diags *d;
	size_t budget;
	bool over_budget;
};

static void make_label(char *buf, size_t n, const char *kind, const char *name)
{
	snprintf(buf, n, "%s '%.200s'", kind, name);
}

static bool spend(struct assembler *a, size_t units, struct src_pos pos, const char *label)
{
	if (units <= a->budget) {
		a->budget -= units;
		return true;
	}
	if (!a->over_budget)
		diag_add(a->d, DIAG_ERROR, pos, label,
			 "macros and lists expand to too much (more than %d tree nodes and values)",
			 EXPANSION_BUDGET);
	a->over_budget = true;
	a->budget = 0;
	return false;
}

static struct def *find_def(const struct defs *ds, const char *name, size_t *at)
{
	size_t i;

	if (!name_index_get(&ds->table->names, name, &i))
		return NULL;
	if (at)
		*at = i;
	return &ds->v[i];
}

static void add_dep(struct def *d, size_t to, struct src_pos pos)
{
	xgrow(&d->deps, &d->depcap, d->ndeps + 1, sizeof(*d->deps));
	d->deps[d->ndeps].to = to;
	d->deps[d->ndeps].pos = pos;
	d->ndeps++;
}

static size_t tree_size(const struct ast_node *n)
{
	size_t size = 1 + n->rhs.nitems, i;

	for (i = 0; i < n->nkids; i++)
		size += tree_size(n->kids[i]);
	return size;
}

/* --- dependency order ------------------------------------------------------------ */

static void report_cycle(struct assembler *a, struct defs *ds, const size_t *stack, size_t top,
			 const struct dep *dep)
{
	char path[1024] = "", label[300];
	size_t from = top, k, used = 0;

	while (from > 0 && stack[from - 1] != dep->to)
		from--;
	for (k = from ? from - 1 : 0; k < top && used < sizeof(path); k++)
		used += snprintf(path + used, sizeof(path) - used, "%s -> ",
				 ds->v[stack[k]].item->name);
	if (used < sizeof(path))
		snprintf(path + used, sizeof(path) - used, "%s", ds->v[dep->to].item->name);
	make_label(label, sizeof(label), ds->kind, ds->v[stack[top - 1]].item->name);
	diag_add(a->d, DIAG_ERROR, dep->pos, label, "%s cycle: %s", ds->kind, path);
}

/*
 * Call finish() on every definition after all those it depends on. A
 * dependency on one still on the stack closes a cycle.
 */
static void order_defs(struct assembler *a, struct defs *ds,
		       void (*finish)(struct assembler *, size_t))
{
	size_t n = ds->table->n, top, root, cur;
	size_t *stack = xcalloc(n, sizeof(*stack)), *next = xcalloc(n, sizeof(*next));

	for (root = 0; root < n; root++) {
		if (ds->v[root].visit != UNSEEN)
			continue;
		top = 0;
		stack[top++] = root;
		ds->v[root].visit = ON_STACK;
		while (top) {
			struct def *d = &ds->v[cur = stack[top - 1]];

			if (next[cur] < d->ndeps) {
				const struct dep *dep = &d->deps[next[cur]++];
				struct def *to = &ds->v[dep->to];

				if (to->visit == UNSEEN) {
					to->visit = ON_STACK;
					stack[top++] = dep->to;
				} else if (to->visit == ON_STACK) {
					report_cycle(a, ds, stack, top, dep);
					d->ok = false;
				}
				continue;
			}
			top--;
			d->visit = FINISHED;
			finish(a, cur);
		}
	}
	free(stack);
	free(next);
}

static bool deps_ok(const struct defs *ds, const struct def *d)
{
	size_t k;

	for (k = 0; k < d->ndeps; k++)
		if (!ds->v[d->deps[k].to].ok)
			return false;
	return true;
}

/* --- lists ----------------------------------------------------------------------- */

/* The list an item of list `self` splices in, if it names one visible to it. */
static struct def *spliced_list(struct assembler *a, const struct def *self,
				const struct ast_literal *lit, size_t *at)
{
	struct def *ref;

	if (lit->quoted)
		return NULL;
	ref = find_def(&a->lists, lit->text, at);
	return ref && ref->item->index < self->item->visibility ? ref : NULL;
}

static void parse_list(struct assembler *a, size_t i)
{
	struct def *l = &a->lists.v[i];
	struct rules_item *it = l->item;
	struct parse_error err;
	char label[300];
	size_t k, at;

	make_label(label, sizeof(label), "list", it->name);
	l->ok = true;
	l->lits = xcalloc(it->nitems, sizeof(*l->lits));
	for (k = 0; k < it->nitems; k++) {
		struct ast_literal *lit = &l->lits[l->nlits];

		if (!condition_parse_item(&it->items[k], lit, &err)) {
			diag_add(a->d, DIAG_ERROR, err.pos, label, "%s", err.msg);
			l->ok = false;
			continue;
		}
		l->nlits++;
		if (spliced_list(a, l, lit, &at)) {
			if (at == i) {
				diag_add(a->d, DIAG_ERROR, lit->pos, label, "a list cannot contain itself");
				l->ok = false;
			} else {
				add_dep(l, at, lit->pos);
			}
		}
	}
}

static void finish_list(struct assembler *a, size_t i)
{
	struct def *l = &a->lists.v[i], *ref;
	struct ast_literal *lits = l->lits;
	size_t n = l->nlits, cap = 0, k, j;
	char label[300];

	if (!l->ok || !deps_ok(&a->lists, l)) {
		l->ok = false;
		return;
	}
	make_label(label, sizeof(label), "list", l->item->name);
	l->lits = NULL;
	l->nlits = 0;
	for (k = 0; k < n; k++) {
		ref = l->ok ? spliced_list(a, l, &lits[k], NULL) : NULL;
		if (!ref) {
			xgrow(&l->lits, &cap, l->nlits + 1, sizeof(*l->lits));
			l->lits[l->nlits++] = lits[k];
			continue;
		}
		ref->used = true;
		if (spend(a, ref->nlits, lits[k].pos, label)) {
			xgrow(&l->lits, &cap, l->nlits + ref->nlits, sizeof(*l->lits));
			for (j = 0; j < ref->nlits; j++)
				ast_literal_copy(&l->lits[l->nlits++], &ref->lits[j]);
		} else {
			l->ok = false;
		}
		ast_literal_free(&lits[k]);
	}
	free(lits);
}

/*
 * Replace bare words naming lists in the value lists of a condition. A
 * list that failed makes the condition fail too, silently: its own error
 * is already reported.
 */
static bool substitute_lists(struct assembler *a, struct ast_node *n, const char *label)
{
	struct ast_value v = { .kind = VAL_LIST };
	struct ast_literal copy;
	struct def *l;
	bool ok = true;
	size_t i, j;

	for (i = 0; i < n->nkids; i++)
		ok = substitute_lists(a, n->kids[i], label) && ok;
	if (n->kind != AST_CMP || n->rhs.kind != VAL_LIST)
		return ok;
	for (i = 0; i < n->rhs.nitems; i++) {
		struct ast_literal *lit = &n->rhs.items[i];

		l = lit->quoted ? NULL : find_def(&a->lists, lit->text, NULL);
		if (!l) {
			ast_value_add_item(&v, lit);
			continue;
		}
		l->used = true;
		if (!l->ok || !spend(a, l->nlits, lit->pos, label))
			ok = false;
		for (j = 0; ok && j < l->nlits; j++) {
			ast_literal_copy(&copy, &l->lits[j]);
			ast_value_add_item(&v, &copy);
		}
		ast_literal_free(lit);
	}
	free(n->rhs.items);
	n->rhs.items = v.items;
	n->rhs.nitems = v.nitems;
	return ok;
}

static int exception_list(void *ctx, const char *name, struct src_pos where,
			  const struct ast_literal **items, size_t *n)
{
	struct assembler *a = ctx;
	struct def *l = find_def(&a->lists, name, NULL);

	if (!l)
		return 0;
	l->used = true;
	if (!l->ok || !spend(a, l->nlits, where, NULL))
		return -1;
	*items = l->lits;
	*n = l->nlits;
	return 1;
}

/* --- macros ---------------------------------------------------------------------- */

/* Record macro `self`'s references, checking that each names a macro it may use. */
static void macro_refs(struct assembler *a, size_t self, const struct ast_node *n,
		       const char *label)
{
	struct def *m = &a->macros.v[self], *ref;
	size_t i, at;

	for (i = 0; i < n->nkids; i++)
		macro_refs(a, self, n->kids[i], label);
	if (n->kind != AST_MACRO)
		return;
	ref = find_def(&a->macros, n->macro, &at);
	if (!ref) {
		diag_add(a->d, DIAG_ERROR, n->pos, label, "uses undefined macro '%s'", n->macro);
		m->ok = false;
	} else if (at == self && ref->item->index == m->item->visibility) {
		diag_add(a->d, DIAG_ERROR, n->pos, label, "a macro cannot use itself");
		m->ok = false;
	} else if (ref->item->index >= m->item->visibility) {
		diag_add(a->d, DIAG_ERROR, n->pos, label,
			 "uses undefined macro '%s' (it is defined later, at %s:%d:%d; a macro can "
			 "only use macros defined before it)", n->macro, ref->item->pos.file,
			 ref->item->pos.line, ref->item->pos.col);
		m->ok = false;
	} else {
		add_dep(m, at, n->pos);
	}
}

static void parse_macro(struct assembler *a, size_t i)
{
	struct def *m = &a->macros.v[i];
	struct parse_error err;
	char label[300];

	make_label(label, sizeof(label), "macro", m->item->name);
	m->tree = condition_parse(&m->item->cond, &err);
	if (!m->tree) {
		diag_add(a->d, DIAG_ERROR, err.pos, label, "%s", err.msg);
		m->ok = false;
		return;
	}
	m->ok = substitute_lists(a, m->tree, label);
	macro_refs(a, i, m->tree, label);
}

/*
 * Replace the macro references in *np, a node at `depth` (the root is 1),
 * with copies of the macros' expanded trees; *height is the result's.
 */
static bool expand_macros(struct assembler *a, struct ast_node **np, int depth, const char *label,
			  int *height)
{
	struct ast_node *n = *np;
	struct def *m;
	bool ok = true;
	int h = 0, kh;
	size_t i;

	switch (n->kind) {
	case AST_AND:
	case AST_OR:
	case AST_NOT:
		for (i = 0; i < n->nkids; i++) {
			if (expand_macros(a, &n->kids[i], depth + 1, label, &kh))
				h = kh > h ? kh : h;
			else
				ok = false;
		}
		*height = h + 1;
		return ok;
	case AST_CMP:
		*height = 1;
		return true;
	case AST_MACRO:
		break;
	}
	m = find_def(&a->macros, n->macro, NULL);
	if (!m) {
		diag_add(a->d, DIAG_ERROR, n->pos, label, "undefined macro '%s'", n->macro);
		return false;
	}
	m->used = true;
	if (!m->ok)
		return false;
	if (depth - 1 + m->height > CONDITION_MAX_HEIGHT) {
		diag_add(a->d, DIAG_ERROR, n->pos, label,
			 "condition nested too deeply once macro '%s' is expanded (more than %d levels)",
			 n->macro, CONDITION_MAX_HEIGHT);
		return false;
	}
	if (!spend(a, m->size, n->pos, label))
		return false;
	*np = ast_clone(m->tree);
	ast_free(n);
	*height = m->height;
	return true;
}

static void finish_macro(struct assembler *a, size_t i)
{
	struct def *m = &a->macros.v[i];
	char label[300];

	if (!m->ok || !deps_ok(&a->macros, m)) {
		m->ok = false;
		return;
	}
	make_label(label, sizeof(label), "macro", m->item->name);
	m->ok = expand_macros(a, &m->tree, 1, label, &m->height);
	if (m->ok)
		m->size = tree_size(m->tree);
}

/* --- rules ----------------------------------------------------------------------- */

void rule_def_free(struct rule_def *r)
{
	size_t i;

	free(r->name);
	free(r->desc);
	free(r->condition);
	free(r->output);
	free(r->source);
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	ast_free(r->cond);
	memset(r, 0, sizeof(*r));
}

static char *take(char **s, const char *dflt)
{
	char *v = *s ? *s : xstrdup(dflt);

	*s = NULL;
	return v;
}

static bool build_rule(struct assembler *a, struct rules_item *it, struct rule_def *out)
{
	struct list_source lists = { exception_list, a };
	struct ast_node *tree, *exc = NULL, *both;
	struct parse_error err;
	char label[300];
	bool ok;
	int h;

	make_label(label, sizeof(label), "rule", it->name);
	tree = condition_parse(&it->cond, &err);
	if (!tree) {
		diag_add(a->d, DIAG_ERROR, err.pos, label, "%s", err.msg);
		return false;
	}
	ok = substitute_lists(a, tree, label);
	ok = expand_macros(a, &tree, 1, label, &h) && ok;
	if (exceptions_build(it->exceptions, it->nexceptions, label, &lists, a->d, &exc) < 0)
		ok = false;
	if (!ok) {
		ast_free(tree);
		ast_free(exc);
		return false;
	}
	if (exc) {
		both = ast_node_new(AST_AND, tree->pos);
		ast_node_add_kid(both, tree);
		ast_node_add_kid(both, exc);
		tree = both;
	}
	memset(out, 0, sizeof(*out));
	out->cond = tree;
	out->cond_pos = loc_text_pos(&it->cond, 0);
	out->output_pos = it->key_pos[KEY_OUTPUT].line ? it->key_pos[KEY_OUTPUT] : it->pos;
	out->pos = it->pos;
	out->name = take(&it->name, "");
	out->desc = take(&it->desc, "");
	out->condition = take(&it->cond.s, "");
	out->output = take(&it->output, "");
	out->source = take(&it->source, "syscall");
	out->priority = it->priority;
	out->tags = it->tags;
	out->ntags = it->ntags;
	it->tags = NULL;
	it->ntags = 0;
	out->enabled = it->enabled;
	out->skip_if_unknown_filter = it->skip_if_unknown_filter;
	out->warn_evttypes = it->warn_evttypes;
	out->enforce = it->enforce;
	return true;
}

/* --- all together ------------------------------------------------------------------ */

static void defs_init(struct defs *ds, const char *kind, struct item_table *t)
{
	size_t i;

	ds->kind = kind;
	ds->table = t;
	ds->v = xcalloc(t->n, sizeof(*ds->v));
	for (i = 0; i < t->n; i++)
		ds->v[i].item = t->v[i];
}

static void defs_free(struct defs *ds)
{
	size_t i, k;

	for (i = 0; ds->v && i < ds->table->n; i++) {
		struct def *d = &ds->v[i];

		free(d->deps);
		ast_free(d->tree);
		for (k = 0; k < d->nlits; k++)
			ast_literal_free(&d->lits[k]);
		free(d->lits);
	}
	free(ds->v);
	ds->v = NULL;
}

static void warn_unused(struct assembler *a, const struct defs *ds)
{
	char label[300];
	size_t i;

	for (i = 0; i < ds->table->n; i++) {
		if (ds->v[i].used)
			continue;
		make_label(label, sizeof(label), ds->kind, ds->v[i].item->name);
		diag_add(a->d, DIAG_WARNING, ds->v[i].item->pos, label, "defined but never used");
	}
}

int ruleset_assemble(struct rules_items *items, struct ruleset_src *out, struct diags *d)
{
	size_t errors = d->nerrors, nrules = 0, i;
	struct rule_def *rules = NULL;
	struct assembler a;

	memset(&a, 0, sizeof(a));
	a.d = d;
	a.budget = EXPANSION_BUDGET;
	if (ruleset_collect(items, &a.c, d) == 0) {
		defs_init(&a.lists, "list", &a.c.lists);
		defs_init(&a.macros, "macro", &a.c.macros);
		for (i = 0; i < a.c.lists.n; i++)
			parse_list(&a, i);
		order_defs(&a, &a.lists, finish_list);
		for (i = 0; i < a.c.macros.n; i++)
			parse_macro(&a, i);
		order_defs(&a, &a.macros, finish_macro);
		rules = xcalloc(a.c.rules.n, sizeof(*rules));
		for (i = 0; i < a.c.rules.n; i++)
			if (build_rule(&a, a.c.rules.v[i], &rules[nrules]))
				nrules++;
		if (d->nerrors == errors) {
			warn_unused(&a, &a.lists);
			warn_unused(&a, &a.macros);
		}
		defs_free(&a.lists);
		defs_free(&a.macros);
	}
	collection_free(&a.c);
	if (d->nerrors > errors) {
		for (i = 0; i < nrules; i++)
			rule_def_free(&rules[i]);
		free(rules);
		return -1;
	}
	out->rules = rules;
	out->nrules = nrules;
	return 0;
}
