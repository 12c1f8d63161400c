/*
 * condition_parse.c - lexer and recursive-descent parser for rule
 * conditions, Falco's filter language as libsinsp's parser reads it.
 *
 * Grammar (keywords are lowercase; `not` binds tighter than `and`, and
 * `and` tighter than `or`):
 *
 *   expr   := or
 *   or     := and ('or' and)*
 *   and    := not ('and' not)*
 *   not    := 'not' not | check
 *   check  := '(' expr ')' | field op value | field unary_op | identifier
 *   field  := IDENT ('[' ARG ']')? | transformer '(' field ')'
 *   value  := list | literal | 'val(' field ')'
 *   list   := '(' [literal (',' literal)*] ')'
 *
 *   IDENT       := [A-Za-z_][A-Za-z0-9_.]*  kept whole: "proc.name", "evt.arg.flags"
 *   ARG         := any text up to ']': proc.aname[2], evt.arg[0]
 *   transformer := tolower | toupper | basename | len | b64, directly followed by '('
 *   op          := = == != < <= > >= contains icontains bcontains startswith
 *                  bstartswith endswith glob iglob regex       (one value or val())
 *                | in intersects pmatch                        (a list)
 *   unary_op    := exists
 *   literal     := "..." | '...' | bare word
 *
 * Quoted strings take the escapes \" \' \\ \n \t; any other backslash pair
 * is kept as written. A bare word runs up to whitespace, ',' or ')' and
 * cannot start with '(' or a quote: runc:[0:PARENT], /dev/shm/, 127.0.0.0/8,
 * -1 are all single bare words.
 *
 * The parser drives the lexer, because what a run of characters means
 * depends on where it stands: after an operator `and` is a bare word. An
 * identifier followed by an operator is a field; an identifier standing
 * alone is a macro reference. Field names have dots and macro names do not,
 * which tells "proc.name" with a missing operator from a macro.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast_build.h"
#include "condition_parse.h"
#include "xalloc.h"

struct parser {
	const struct loc_text *t;
	const char *s;
	size_t len;
	size_t i;               /* next byte to read */
	int depth;              /* open parentheses, `not`s and transformers */
	struct parse_error *err;
	bool failed;
};

static const struct {
	const char *name;
	enum op_kind kind;
} operators[] = {
	/* two-character symbols before their one-character prefixes */
	{ "==", OP_SCALAR }, { "!=", OP_SCALAR }, { "<=", OP_SCALAR }, { ">=", OP_SCALAR },
	{ "=", OP_SCALAR }, { "<", OP_SCALAR }, { ">", OP_SCALAR },
	{ "contains", OP_SCALAR }, { "icontains", OP_SCALAR }, { "bcontains", OP_SCALAR },
	{ "startswith", OP_SCALAR }, { "bstartswith", OP_SCALAR }, { "endswith", OP_SCALAR },
	{ "glob", OP_SCALAR }, { "iglob", OP_SCALAR }, { "regex", OP_SCALAR },
	{ "in", OP_LIST }, { "intersects", OP_LIST }, { "pmatch", OP_LIST },
	{ "exists", OP_UNARY },
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool ends_bare_word(char c)
{
	return is_blank(c) || c == ',' || c == ')';
}

enum op_kind condition_op_kind(const char *op)
{
	size_t k;

	for (k = 0; k < sizeof(operators) / sizeof(operators[0]); k++)
		if (strcmp(op, operators[k].name) == 0)
			return operators[k].kind;
	return OP_UNKNOWN;
}

bool condition_literal_is_bare(const char *s)
{
	const char *p;

	if (!*s || *s == '"' || *s == '\'' || *s == '(' || strncmp(s, "val(", 4) == 0)
		return false;
	for (p = s; *p; p++)
		if (ends_bare_word(*p))
			return false;
	return true;
}

/* --- errors ----------------------------------------------------------------- */

/*
 * Record the first error; later ones are consequences. An error at the end
 * of the text points just after its last token rather than at trailing
 * line breaks.
 */
static void *fail(struct parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return NULL;
	p->failed = true;
	if (at >= p->len) {
		at = p->len;
		while (at > 0 && is_blank(p->s[at - 1]))
			at--;
	}
	p->err->pos = loc_text_pos(p->t, at);
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return NULL;
}

/* What stands at `at`, quoted, for "found ..." in messages. */
static const char *token_at(const struct parser *p, size_t at, char *buf, size_t n)
{
	size_t end = at;
	char c;

	if (at >= p->len)
		return "the end of the condition";
	c = p->s[at];
	if (c == '(' || c == ')' || c == ',') {
		end = at + 1;
	} else {
		while (end < p->len && end - at < 40 && !is_blank(p->s[end]) &&
		       p->s[end] != '(' && p->s[end] != ')' && p->s[end] != ',')
			end++;
	}
	snprintf(buf, n, "'%.*s'", (int)(end - at), p->s + at);
	return buf;
}

#define TOKEN(p, at) token_at((p), (at), tokbuf, sizeof(tokbuf))

/* --- lexing ------------------------------------------------------------------ */

static void skip_blanks(struct parser *p)
{
	while (p->i < p->len && is_blank(p->s[p->i]))
		p->i++;
}

static struct src_pos pos_at(const struct parser *p, size_t at)
{
	return loc_text_pos(p->t, at);
}

/* Is the keyword or word operator `w` next, as a whole word? */
static bool at_word(const struct parser *p, const char *w)
{
	size_t n = strlen(w);

	return p->len - p->i >= n && memcmp(p->s + p->i, w, n) == 0 &&
	       (p->i + n == p->len || !is_ident_char(p->s[p->i + n]));
}

static const char *lex_operator(struct parser *p)
{
	size_t k, n;
	const char *name;

	if (p->i >= p->len)
		return NULL;
	for (k = 0; k < sizeof(operators) / sizeof(operators[0]); k++) {
		name = operators[k].name;
		n = strlen(name);
		if (is_ident_start(name[0]) ? at_word(p, name) :
		    (p->len - p->i >= n && memcmp(p->s + p->i, name, n) == 0)) {
			p->i += n;
			return name;
		}
	}
	return NULL;
}

static int transform_named(const char *s, size_t n)
{
	int t;

	for (t = TR_TOLOWER; t <= TR_B64; t++) {
		const char *name = ast_transform_name(t);

		if (strlen(name) == n && memcmp(name, s, n) == 0)
			return t;
	}
	return 0;
}

/*
 * A quoted string or a bare word. The caller has checked that a bare word
 * would not start with '(' , ',' or ')'.
 */
static bool parse_literal(struct parser *p, struct ast_literal *lit)
{
	size_t start = p->i, end, k;
	char q = p->s[start], *out;

	lit->pos = pos_at(p, start);
	if (q != '"' && q != '\'') {
		end = start;
		while (end < p->len && !ends_bare_word(p->s[end]))
			end++;
		lit->text = xstrndup(p->s + start, end - start);
		lit->quoted = false;
		p->i = end;
		return true;
	}
	for (end = start + 1; end < p->len && p->s[end] != q; end++)
		if (p->s[end] == '\\' && end + 1 < p->len)
			end++;
	if (end >= p->len) {
		fail(p, start, "unterminated string: missing closing %c", q);
		return false;
	}
	/* unescaped text is never longer than the quoted text */
	lit->text = out = xmalloc(end - start);
	for (k = start + 1; k < end; k++) {
		char c = p->s[k];

		if (c == '\\' && k + 1 < end) {
			char e = p->s[++k];

			switch (e) {
			case '"': case '\'': case '\\': *out++ = e; break;
			case 'n': *out++ = '\n'; break;
			case 't': *out++ = '\t'; break;
			default: *out++ = '\\'; *out++ = e; break;
			}
		} else {
			*out++ = c;
		}
	}
	*out = '\0';
	lit->quoted = true;
	p->i = end + 1;
	return true;
}

/* --- parsing ----------------------------------------------------------------- */

static bool enter(struct parser *p, size_t at)
{
	if (++p->depth > CONDITION_MAX_NESTING) {
		fail(p, at, "condition nested too deeply (more than %d levels)", CONDITION_MAX_NESTING);
		return false;
	}
	return true;
}

static bool parse_field(struct parser *p, struct ast_field *f)
{
	size_t start = p->i, end = p->i;
	char tokbuf[64];
	int tr;

	while (end < p->len && is_ident_char(p->s[end]))
		end++;
	if (end == start || !is_ident_start(p->s[start])) {
		fail(p, start, "expected a field name, found %s", TOKEN(p, start));
		return false;
	}
	tr = transform_named(p->s + start, end - start);
	if (tr && end < p->len && p->s[end] == '(') {
		if (!enter(p, start))
			return false;
		p->i = end + 1;
		skip_blanks(p);
		if (!parse_field(p, f))
			return false;
		skip_blanks(p);
		if (p->i >= p->len || p->s[p->i] != ')') {
			fail(p, p->i, "expected ')' to close %s(, found %s",
			     ast_transform_name(tr), TOKEN(p, p->i));
			ast_field_free(f);
			return false;
		}
		p->i++;
		p->depth--;
		if (f->ntransforms == AST_MAX_TRANSFORMS) {
			fail(p, start, "too many transformers on one field (at most %d)", AST_MAX_TRANSFORMS);
			ast_field_free(f);
			return false;
		}
		f->transforms[f->ntransforms++] = tr;
		f->pos = pos_at(p, start);
		return true;
	}
	p->i = end;
	if (p->i < p->len && p->s[p->i] == '[') {
		size_t close = p->i + 1;

		while (close < p->len && p->s[close] != ']')
			close++;
		if (close >= p->len) {
			fail(p, p->i, "missing ']' after the argument of '%.*s'", (int)(end - start),
			     p->s + start);
			return false;
		}
		f->arg = xstrndup(p->s + p->i + 1, close - p->i - 1);
		p->i = close + 1;
	}
	f->name = xstrndup(p->s + start, end - start);
	f->pos = pos_at(p, start);
	return true;
}

static bool parse_list(struct parser *p, struct ast_value *v)
{
	size_t open = p->i;
	struct ast_literal lit;
	char tokbuf[64];
	char c;

	v->kind = VAL_LIST;
	p->i++;
	skip_blanks(p);
	if (p->i < p->len && p->s[p->i] == ')') {
		p->i++;
		return true;
	}
	for (;;) {
		skip_blanks(p);
		if (p->i >= p->len) {
			fail(p, open, "list not closed: missing ')'");
			return false;
		}
		c = p->s[p->i];
		if (c == ',' || c == ')' || c == '(') {
			fail(p, p->i, "expected a value in the list, found %s", TOKEN(p, p->i));
			return false;
		}
		memset(&lit, 0, sizeof(lit));
		if (!parse_literal(p, &lit))
			return false;
		ast_value_add_item(v, &lit);
		skip_blanks(p);
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
		} else if (p->i < p->len && p->s[p->i] == ')') {
			p->i++;
			return true;
		} else if (p->i >= p->len) {
			fail(p, open, "list not closed: missing ')'");
			return false;
		} else {
			fail(p, p->i, "expected ',' or ')' in the list, found %s", TOKEN(p, p->i));
			return false;
		}
	}
}

/* The right-hand side of n, whose field and operator are already read. */
static bool parse_value(struct parser *p, struct ast_node *n)
{
	enum op_kind kind = condition_op_kind(n->op);
	struct ast_literal lit;
	char tokbuf[64];
	size_t at;
	char c;

	if (kind == OP_UNARY) {
		n->rhs.kind = VAL_NONE;
		return true;
	}
	skip_blanks(p);
	at = p->i;
	if (at >= p->len) {
		fail(p, at, "expected a value after '%s'", n->op);
		return false;
	}
	c = p->s[at];
	if (kind == OP_LIST) {
		if (c != '(') {
			fail(p, at, "'%s' needs a list of values in parentheses, found %s", n->op,
			     TOKEN(p, at));
			return false;
		}
		return parse_list(p, &n->rhs);
	}
	if (c == '(') {
		fail(p, at, "'%s' takes a single value, not a list", n->op);
		return false;
	}
	if (c == ',' || c == ')') {
		fail(p, at, "expected a value after '%s', found %s", n->op, TOKEN(p, at));
		return false;
	}
	if (p->len - at >= 4 && memcmp(p->s + at, "val(", 4) == 0) {
		n->rhs.kind = VAL_FIELD;
		p->i += 4;
		skip_blanks(p);
		if (!parse_field(p, &n->rhs.field))
			return false;
		skip_blanks(p);
		if (p->i >= p->len || p->s[p->i] != ')') {
			fail(p, p->i, "expected ')' to close val(, found %s", TOKEN(p, p->i));
			return false;
		}
		p->i++;
		return true;
	}
	n->rhs.kind = VAL_SCALAR;
	memset(&lit, 0, sizeof(lit));
	if (!parse_literal(p, &lit))
		return false;
	ast_value_add_item(&n->rhs, &lit);
	return true;
}

static struct ast_node *parse_binary(struct parser *p, enum ast_kind kind);

static struct ast_node *parse_check(struct parser *p)
{
	struct ast_field f = {0};
	struct ast_node *n;
	const char *op;
	char tokbuf[64];
	size_t start;

	skip_blanks(p);
	start = p->i;
	if (start >= p->len)
		return fail(p, start, "unexpected end of condition: expected a field, a macro or '('");
	if (p->s[start] == '(') {
		if (!enter(p, start))
			return NULL;
		p->i++;
		n = parse_binary(p, AST_OR);
		if (!n)
			return NULL;
		skip_blanks(p);
		if (p->i >= p->len || p->s[p->i] != ')') {
			ast_free(n);
			if (p->i >= p->len)
				return fail(p, start, "missing ')' to close this '('");
			return fail(p, p->i, "expected ')', 'and' or 'or', found %s", TOKEN(p, p->i));
		}
		p->i++;
		p->depth--;
		return n;
	}
	if (!is_ident_start(p->s[start]) || at_word(p, "and") || at_word(p, "or"))
		return fail(p, start, "expected a field, a macro or '(', found %s", TOKEN(p, start));
	if (!parse_field(p, &f))
		return NULL;
	skip_blanks(p);
	op = lex_operator(p);
	if (!op) {
		if (f.ntransforms || f.arg || strchr(f.name, '.')) {
			fail(p, p->i, "expected an operator after '%s', found %s", f.name, TOKEN(p, p->i));
			ast_field_free(&f);
			return NULL;
		}
		if (p->i < p->len && p->s[p->i] == '(' && p->i == start + strlen(f.name)) {
			fail(p, start, "'%s' is not a transformer (tolower, toupper, basename, len, b64)",
			     f.name);
			ast_field_free(&f);
			return NULL;
		}
		n = ast_node_new(AST_MACRO, f.pos);
		n->macro = f.name;
		return n;
	}
	n = ast_node_new(AST_CMP, f.pos);
	n->lhs = f;
	n->op = xstrdup(op);
	if (!parse_value(p, n)) {
		ast_free(n);
		return NULL;
	}
	return n;
}

static struct ast_node *parse_not(struct parser *p)
{
	struct ast_node *n, *kid;
	size_t at;

	skip_blanks(p);
	if (!at_word(p, "not"))
		return parse_check(p);
	at = p->i;
	if (!enter(p, at))
		return NULL;
	p->i += 3;
	kid = parse_not(p);
	if (!kid)
		return NULL;
	p->depth--;
	n = ast_node_new(AST_NOT, pos_at(p, at));
	ast_node_add_kid(n, kid);
	return n;
}

/* or := and ('or' and)* ; and := not ('and' not)* */
static struct ast_node *parse_binary(struct parser *p, enum ast_kind kind)
{
	const char *kw = kind == AST_AND ? "and" : "or";
	struct ast_node *n, *kid;

	kid = kind == AST_AND ? parse_not(p) : parse_binary(p, AST_AND);
	if (!kid)
		return NULL;
	skip_blanks(p);
	if (!at_word(p, kw))
		return kid;
	n = ast_node_new(kind, kid->pos);
	ast_node_add_kid(n, kid);
	while (skip_blanks(p), at_word(p, kw)) {
		p->i += strlen(kw);
		kid = kind == AST_AND ? parse_not(p) : parse_binary(p, AST_AND);
		if (!kid) {
			ast_free(n);
			return NULL;
		}
		ast_node_add_kid(n, kid);
	}
	return n;
}

static void parser_init(struct parser *p, const struct loc_text *t, struct parse_error *err)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->s = t->s;
	p->len = t->len;
	p->err = err;
}

struct ast_node *condition_parse(const struct loc_text *t, struct parse_error *err)
{
	struct parser p;
	struct ast_node *n;
	char tokbuf[64];

	parser_init(&p, t, err);
	skip_blanks(&p);
	if (p.i >= p.len)
		return fail(&p, 0, "empty condition");
	n = parse_binary(&p, AST_OR);
	if (!n)
		return NULL;
	skip_blanks(&p);
	if (p.i < p.len) {
		if (p.s[p.i] == ')')
			fail(&p, p.i, "unexpected ')' without a matching '('");
		else
			fail(&p, p.i, "expected 'and', 'or' or the end of the condition, found %s",
			     TOKEN(&p, p.i));
		ast_free(n);
		return NULL;
	}
	return n;
}

bool condition_parse_field(const struct loc_text *t, struct ast_field *out, struct parse_error *err)
{
	struct parser p;
	char tokbuf[64];

	parser_init(&p, t, err);
	memset(out, 0, sizeof(*out));
	skip_blanks(&p);
	if (!parse_field(&p, out))
		return false;
	skip_blanks(&p);
	if (p.i < p.len) {
		fail(&p, p.i, "unexpected %s after the field name", TOKEN(&p, p.i));
		ast_field_free(out);
		return false;
	}
	return true;
}

bool condition_parse_item(const struct loc_text *t, struct ast_literal *out, struct parse_error *err)
{
	struct parser p;
	char tokbuf[64];

	parser_init(&p, t, err);
	memset(out, 0, sizeof(*out));
	if (t->len == 0 || (t->s[0] != '"' && t->s[0] != '\'')) {
		out->text = xstrndup(t->s, t->len);
		out->pos = loc_text_pos(t, 0);
		return true;
	}
	if (!parse_literal(&p, out))
		return false;
	skip_blanks(&p);
	if (p.i < p.len) {
		fail(&p, p.i, "unexpected %s after the closing quote", TOKEN(&p, p.i));
		ast_literal_free(out);
		return false;
	}
	return true;
}
