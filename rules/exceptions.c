/*
 * exceptions.c - compiling `exceptions:` (Falco's semantics) into a tree.
 *
 * An exception names fields, the operators (comps) comparing them, and
 * value tuples, one value per field. Each tuple matches when all its
 * comparisons do; an exception matches when any tuple does; the rule
 * becomes (condition) and not (E1 or E2 ...).
 *
 *   fields: [proc.name, fd.name]          comps default to '=' per field
 *   values: [[bash, /etc/x], [sh, (a b)]]
 *
 *   fields: proc.name                      a single field: comps defaults to
 *   values: [bash, sh, shell_binaries]     'in', values are a flat list
 *
 * With `in`, `pmatch` or `intersects` a value may be a YAML list or the
 * name of a list. The tree is built directly, not as text, so every node
 * keeps the position of the YAML that produced it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast_build.h"
#include "condition_parse.h"
#include "exceptions.h"
#include "xalloc.h"

struct exc_ctx {
	const struct exception_def *e;
	const char *label;
	const struct list_source *lists;
	struct diags *d;
	size_t nfields;
	struct ast_field *fields;
	const char **comps;
};

static void exc_error(struct exc_ctx *x, struct src_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void exc_error(struct exc_ctx *x, struct src_pos pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(x->d, DIAG_ERROR, pos, x->label, "exception '%s': %s", x->e->name, msg);
}

/* Add the literal(s) a scalar value stands for to v; list names splice in when `lists_ok`. */
static bool add_value(struct exc_ctx *x, const struct yval *y, bool lists_ok, struct ast_value *v)
{
	const struct ast_literal *items;
	struct parse_error err;
	struct ast_literal lit;
	size_t n, i;
	int found;

	if (!condition_parse_item(&y->text, &lit, &err)) {
		exc_error(x, err.pos, "%s", err.msg);
		return false;
	}
	if (lists_ok && !lit.quoted) {
		found = x->lists->find(x->lists->ctx, lit.text, lit.pos, &items, &n);
		if (found != 0) {
			ast_literal_free(&lit);
			for (i = 0; found > 0 && i < n; i++) {
				ast_literal_copy(&lit, &items[i]);
				ast_value_add_item(v, &lit);
			}
			return found > 0;
		}
	}
	ast_value_add_item(v, &lit);
	return true;
}

/* A scalar, or a YAML list of scalars, into the items of a list operator's value. */
static bool add_values(struct exc_ctx *x, const struct yval *y, struct ast_value *v)
{
	size_t i;

	if (!y->is_seq)
		return add_value(x, y, true, v);
	for (i = 0; i < y->nkids; i++) {
		if (y->kids[i].is_seq) {
			exc_error(x, y->kids[i].pos, "lists of values cannot be nested");
			return false;
		}
		if (!add_value(x, &y->kids[i], true, v))
			return false;
	}
	return true;
}

static struct ast_node *cmp_node(struct exc_ctx *x, size_t k, struct src_pos pos)
{
	struct ast_node *n = ast_node_new(AST_CMP, pos);

	ast_field_copy(&n->lhs, &x->fields[k]);
	n->op = xstrdup(x->comps[k]);
	n->rhs.kind = condition_op_kind(x->comps[k]) == OP_LIST ? VAL_LIST : VAL_SCALAR;
	return n;
}

/* field comp value, for one field of an exception and one YAML value. */
static struct ast_node *comparison(struct exc_ctx *x, size_t k, const struct yval *y)
{
	struct ast_node *n = cmp_node(x, k, y->pos);
	bool ok;

	if (n->rhs.kind == VAL_LIST) {
		ok = add_values(x, y, &n->rhs);
	} else if (y->is_seq) {
		exc_error(x, y->pos, "a value compared with '%s' must be a single value, not a list",
			  x->comps[k]);
		ok = false;
	} else {
		ok = add_value(x, y, false, &n->rhs);
	}
	if (!ok) {
		ast_free(n);
		return NULL;
	}
	return n;
}

/* Combine kids with AND or OR; a single kid stands alone. */
static struct ast_node *combine(enum ast_kind kind, struct src_pos pos, struct ast_node **kids,
				size_t n)
{
	struct ast_node *node;
	size_t i;

	if (n == 1)
		return kids[0];
	node = ast_node_new(kind, pos);
	for (i = 0; i < n; i++)
		ast_node_add_kid(node, kids[i]);
	return node;
}

static void free_nodes(struct ast_node **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ast_free(v[i]);
	free(v);
}

/* One tuple of a multi-field exception: AND over the fields. */
static struct ast_node *tuple(struct exc_ctx *x, const struct yval *row)
{
	struct ast_node **cmps, *node;
	size_t k;

	if (!row->is_seq) {
		exc_error(x, row->pos, "each value must be a list with one entry per field (%zu)",
			  x->nfields);
		return NULL;
	}
	if (row->nkids != x->nfields) {
		exc_error(x, row->pos, "a value has %zu entries but 'fields' has %zu", row->nkids,
			  x->nfields);
		return NULL;
	}
	cmps = xcalloc(x->nfields, sizeof(*cmps));
	for (k = 0; k < x->nfields; k++) {
		cmps[k] = comparison(x, k, &row->kids[k]);
		if (!cmps[k]) {
			free_nodes(cmps, k);
			return NULL;
		}
	}
	node = combine(AST_AND, row->pos, cmps, x->nfields);
	free(cmps);
	return node;
}

/* The single-field form: `field in (all values)`, or one comparison per value. */
static struct ast_node *single_field(struct exc_ctx *x)
{
	const struct yval *values = x->e->values;
	struct ast_node **cmps, *node;
	size_t i;

	if (condition_op_kind(x->comps[0]) == OP_LIST) {
		node = cmp_node(x, 0, values->pos);
		for (i = 0; i < values->nkids; i++) {
			if (!add_values(x, &values->kids[i], &node->rhs)) {
				ast_free(node);
				return NULL;
			}
		}
		return node;
	}
	cmps = xcalloc(values->nkids, sizeof(*cmps));
	for (i = 0; i < values->nkids; i++) {
		cmps[i] = comparison(x, 0, &values->kids[i]);
		if (!cmps[i]) {
			free_nodes(cmps, i);
			return NULL;
		}
	}
	node = combine(AST_OR, values->pos, cmps, values->nkids);
	free(cmps);
	return node;
}

static bool read_fields(struct exc_ctx *x)
{
	const struct exception_def *e = x->e;
	const struct yval *one;
	struct parse_error err;
	size_t k;

	if (!e->fields) {
		exc_error(x, e->pos, "missing 'fields'");
		return false;
	}
	x->nfields = e->fields->is_seq ? e->fields->nkids : 1;
	if (x->nfields == 0) {
		exc_error(x, e->fields->pos, "'fields' is empty");
		return false;
	}
	x->fields = xcalloc(x->nfields, sizeof(*x->fields));
	for (k = 0; k < x->nfields; k++) {
		one = e->fields->is_seq ? &e->fields->kids[k] : e->fields;
		if (!condition_parse_field(&one->text, &x->fields[k], &err)) {
			exc_error(x, err.pos, "%s", err.msg);
			return false;
		}
	}
	return true;
}

static bool read_comps(struct exc_ctx *x)
{
	const struct exception_def *e = x->e;
	bool single = !e->fields->is_seq;
	const struct yval *one;
	size_t k;

	x->comps = xcalloc(x->nfields, sizeof(*x->comps));
	if (!e->comps) {
		for (k = 0; k < x->nfields; k++)
			x->comps[k] = single ? "in" : "=";
		return true;
	}
	if (single && e->comps->is_seq) {
		exc_error(x, e->comps->pos, "'comps' must be one operator when 'fields' is one field");
		return false;
	}
	if (!single && !e->comps->is_seq) {
		exc_error(x, e->comps->pos, "'comps' must be a list when 'fields' is a list");
		return false;
	}
	if (!single && e->comps->nkids != x->nfields) {
		exc_error(x, e->comps->pos, "'fields' has %zu entries but 'comps' has %zu", x->nfields,
			  e->comps->nkids);
		return false;
	}
	for (k = 0; k < x->nfields; k++) {
		one = single ? e->comps : &e->comps->kids[k];
		switch (condition_op_kind(one->text.s)) {
		case OP_UNKNOWN:
			exc_error(x, one->pos, "unknown operator '%.100s' in 'comps'", one->text.s);
			return false;
		case OP_UNARY:
			exc_error(x, one->pos, "'%s' takes no value and cannot compare exception values",
				  one->text.s);
			return false;
		default:
			x->comps[k] = one->text.s;
		}
	}
	return true;
}

/* E for one exception, or NULL with *ok still true when it has no values. */
static struct ast_node *build_one(struct exc_ctx *x, bool *ok)
{
	const struct yval *values = x->e->values;
	struct ast_node **rows, *node = NULL;
	size_t i;

	if (!read_fields(x) || !read_comps(x)) {
		*ok = false;
		return NULL;
	}
	if (!values || values->nkids == 0)
		return NULL;
	if (!x->e->fields->is_seq) {
		node = single_field(x);
	} else {
		rows = xcalloc(values->nkids, sizeof(*rows));
		for (i = 0; i < values->nkids; i++) {
			rows[i] = tuple(x, &values->kids[i]);
			if (!rows[i]) {
				free_nodes(rows, i);
				rows = NULL;
				break;
			}
		}
		if (rows) {
			node = combine(AST_OR, values->pos, rows, values->nkids);
			free(rows);
		}
	}
	if (!node)
		*ok = false;
	return node;
}

int exceptions_build(const struct exception_def *ex, size_t nex, const char *label,
		     const struct list_source *lists, struct diags *d, struct ast_node **out)
{
	struct ast_node **each = xcalloc(nex, sizeof(*each)), *not;
	size_t i, n = 0, k;
	bool ok = true;

	*out = NULL;
	for (i = 0; i < nex; i++) {
		struct exc_ctx x = { .e = &ex[i], .label = label, .lists = lists, .d = d };
		struct ast_node *e = build_one(&x, &ok);

		if (e)
			each[n++] = e;
		for (k = 0; x.fields && k < x.nfields; k++)
			ast_field_free(&x.fields[k]);
		free(x.fields);
		free(x.comps);
	}
	if (!ok || n == 0) {
		free_nodes(each, n);
		return ok ? 0 : -1;
	}
	not = ast_node_new(AST_NOT, ex[0].pos);
	ast_node_add_kid(not, combine(AST_OR, ex[0].pos, each, n));
	free(each);
	*out = not;
	return 0;
}
