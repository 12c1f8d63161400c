/*
 * ast.c - condition trees: making, copying, freeing and printing them.
 *
 * Children and list items live in arrays whose capacity is the next power
 * of two above their length, so a tree can be grown in place no matter
 * whether it was parsed or cloned, without storing a capacity.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "ast_build.h"
#include "condition_parse.h"
#include "xalloc.h"

static const char *const transform_names[] = {
	[TR_TOLOWER] = "tolower",
	[TR_TOUPPER] = "toupper",
	[TR_BASENAME] = "basename",
	[TR_LEN] = "len",
	[TR_B64] = "b64",
};

const char *ast_transform_name(enum ast_transform t)
{
	if (t >= TR_TOLOWER && t <= TR_B64)
		return transform_names[t];
	return "?";
}

static size_t array_cap(size_t n)
{
	size_t cap = 1;

	while (cap < n)
		cap *= 2;
	return cap;
}

/* Grow an array of n elements (capacity array_cap(n)) by one. */
static void *array_push_room(void *v, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = xrealloc(v, array_cap(n + 1) * size);
	return v;
}

struct ast_node *ast_node_new(enum ast_kind kind, struct src_pos pos)
{
	struct ast_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->pos = pos;
	return n;
}

void ast_node_add_kid(struct ast_node *n, struct ast_node *kid)
{
	n->kids = array_push_room(n->kids, n->nkids, sizeof(*n->kids));
	n->kids[n->nkids++] = kid;
}

void ast_value_add_item(struct ast_value *v, const struct ast_literal *lit)
{
	v->items = array_push_room(v->items, v->nitems, sizeof(*v->items));
	v->items[v->nitems++] = *lit;
}

void ast_field_copy(struct ast_field *dst, const struct ast_field *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->arg = src->arg ? xstrdup(src->arg) : NULL;
}

void ast_literal_copy(struct ast_literal *dst, const struct ast_literal *src)
{
	*dst = *src;
	dst->text = xstrdup(src->text);
}

void ast_field_free(struct ast_field *f)
{
	free(f->name);
	free(f->arg);
	f->name = NULL;
	f->arg = NULL;
}

void ast_literal_free(struct ast_literal *l)
{
	free(l->text);
	l->text = NULL;
}

static void ast_value_free(struct ast_value *v)
{
	size_t i;

	for (i = 0; i < v->nitems; i++)
		ast_literal_free(&v->items[i]);
	free(v->items);
	ast_field_free(&v->field);
	memset(v, 0, sizeof(*v));
}

void ast_free(struct ast_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		ast_free(n->kids[i]);
	free(n->kids);
	ast_field_free(&n->lhs);
	free(n->op);
	ast_value_free(&n->rhs);
	free(n->macro);
	free(n);
}

struct ast_node *ast_clone(const struct ast_node *n)
{
	struct ast_node *c;
	size_t i;

	if (!n)
		return NULL;
	c = ast_node_new(n->kind, n->pos);
	if (n->nkids) {
		c->kids = xmalloc(array_cap(n->nkids) * sizeof(*c->kids));
		for (i = 0; i < n->nkids; i++)
			c->kids[i] = ast_clone(n->kids[i]);
		c->nkids = n->nkids;
	}
	ast_field_copy(&c->lhs, &n->lhs);
	c->op = n->op ? xstrdup(n->op) : NULL;
	c->rhs.kind = n->rhs.kind;
	if (n->rhs.nitems) {
		c->rhs.items = xmalloc(array_cap(n->rhs.nitems) * sizeof(*c->rhs.items));
		for (i = 0; i < n->rhs.nitems; i++)
			ast_literal_copy(&c->rhs.items[i], &n->rhs.items[i]);
		c->rhs.nitems = n->rhs.nitems;
	}
	ast_field_copy(&c->rhs.field, &n->rhs.field);
	c->macro = n->macro ? xstrdup(n->macro) : NULL;
	return c;
}

/* --- printing ------------------------------------------------------------ */

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct strbuf *b, const char *s, size_t n)
{
	xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void print_field(struct strbuf *b, const struct ast_field *f)
{
	int i;

	/* transforms[] is innermost first, so the outermost prints first */
	for (i = f->ntransforms - 1; i >= 0; i--) {
		sb_puts(b, ast_transform_name(f->transforms[i]));
		sb_puts(b, "(");
	}
	sb_puts(b, f->name ? f->name : "");
	if (f->arg) {
		sb_puts(b, "[");
		sb_puts(b, f->arg);
		sb_puts(b, "]");
	}
	for (i = 0; i < f->ntransforms; i++)
		sb_puts(b, ")");
}

/*
 * A literal prints bare when the lexer would read it back unchanged and
 * unquoted; otherwise in double quotes with the escapes the lexer knows.
 */
static void print_literal(struct strbuf *b, const struct ast_literal *l)
{
	const char *p;

	if (!l->quoted && condition_literal_is_bare(l->text)) {
		sb_puts(b, l->text);
		return;
	}
	sb_puts(b, "\"");
	for (p = l->text; *p; p++) {
		switch (*p) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		default: sb_putn(b, p, 1); break;
		}
	}
	sb_puts(b, "\"");
}

static void print_node(struct strbuf *b, const struct ast_node *n)
{
	size_t i;

	switch (n->kind) {
	case AST_AND:
	case AST_OR:
		sb_puts(b, "(");
		for (i = 0; i < n->nkids; i++) {
			if (i)
				sb_puts(b, n->kind == AST_AND ? " and " : " or ");
			print_node(b, n->kids[i]);
		}
		sb_puts(b, ")");
		break;
	case AST_NOT:
		sb_puts(b, "(not ");
		if (n->nkids)
			print_node(b, n->kids[0]);
		sb_puts(b, ")");
		break;
	case AST_MACRO:
		sb_puts(b, n->macro);
		break;
	case AST_CMP:
		print_field(b, &n->lhs);
		sb_puts(b, " ");
		sb_puts(b, n->op);
		switch (n->rhs.kind) {
		case VAL_NONE:
			break;
		case VAL_SCALAR:
			sb_puts(b, " ");
			print_literal(b, &n->rhs.items[0]);
			break;
		case VAL_LIST:
			sb_puts(b, " (");
			for (i = 0; i < n->rhs.nitems; i++) {
				if (i)
					sb_puts(b, ", ");
				print_literal(b, &n->rhs.items[i]);
			}
			sb_puts(b, ")");
			break;
		case VAL_FIELD:
			sb_puts(b, " val(");
			print_field(b, &n->rhs.field);
			sb_puts(b, ")");
			break;
		}
		break;
	}
}

char *ast_to_string(const struct ast_node *n)
{
	struct strbuf b = {0};

	sb_puts(&b, "");
	if (n)
		print_node(&b, n);
	return b.s;
}
