/*
 * compile.c - from condition trees to evaluable cnodes, with type checks.
 *
 * Each comparison's literal is parsed once into the field's type. Errors
 * name the literal's (or field's) position in the rules file and say what
 * was expected: an unknown field, an operator the field's type does not
 * support, a value that is not a number or an address, a bad regex with
 * its offset.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compile.h"
#include "evttype.h"
#include "syscall_table.h"
#include "util.h"

static const struct {
	const char *name;
	enum op op;
} ops[] = {
	{ "=", OP_EQ }, { "==", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT },
	{ ">=", OP_GE }, { "contains", OP_CONTAINS }, { "icontains", OP_ICONTAINS },
	{ "bcontains", OP_BCONTAINS }, { "startswith", OP_STARTSWITH }, { "bstartswith", OP_BSTARTSWITH },
	{ "endswith", OP_ENDSWITH }, { "glob", OP_GLOB }, { "iglob", OP_IGLOB }, { "regex", OP_REGEX },
	{ "in", OP_IN }, { "intersects", OP_INTERSECTS }, { "pmatch", OP_PMATCH }, { "exists", OP_EXISTS },
};

static int parse_op(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (strcmp(s, ops[i].name) == 0)
			return ops[i].op;
	return -1;
}

static bool op_fits(enum op op, enum ftype t)
{
	switch (op) {
	case OP_EQ:
	case OP_NE:
	case OP_IN:
	case OP_INTERSECTS:
	case OP_EXISTS:
		return true;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		return fval_is_number(t);
	default:
		return t == FT_STRING;
	}
}

/* --- field uses and slots ---------------------------------------------------------------- */

static const char *tr_name(enum ast_transform t)
{
	switch (t) {
	case TR_TOLOWER: return "tolower";
	case TR_TOUPPER: return "toupper";
	case TR_BASENAME: return "basename";
	case TR_LEN: return "len";
	case TR_B64: return "b64";
	}
	return "?";
}

/* "a" or "an" before ftype_name(t), for messages */
static const char *article(enum ftype t)
{
	return t == FT_IPADDR || t == FT_IPNET ? "an" : "a";
}

static char *field_text(const struct ast_field *f)
{
	char buf[512];
	size_t o = 0;

	for (int i = f->ntransforms - 1; i >= 0; i--)
		o += vg_snprintf(buf + o, sizeof(buf) > o ? sizeof(buf) - o : 0, "%s(", tr_name(f->transforms[i]));
	o += vg_snprintf(buf + o, sizeof(buf) > o ? sizeof(buf) - o : 0, "%s", f->name);
	if (f->arg)
		o += vg_snprintf(buf + o, sizeof(buf) > o ? sizeof(buf) - o : 0, "[%s]", f->arg);
	for (int i = 0; i < f->ntransforms; i++)
		o += vg_snprintf(buf + o, sizeof(buf) > o ? sizeof(buf) - o : 0, ")");
	return vg_strndup(buf, strnlen(buf, sizeof(buf)));
}

static int slot_intern(struct slot_table *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return (int)i;
	vg_grow(&s->keys, &s->cap, s->n + 1, sizeof(char *));
	s->keys[s->n] = vg_strdup(key);
	return (int)s->n++;
}

void slot_table_free(struct slot_table *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

int field_use_init(struct field_use *u, const struct ast_field *f, struct slot_table *slots, char *err,
		   size_t n)
{
	memset(u, 0, sizeof(*u));
	u->slot = -1;
	if (field_resolve(f->name, f->arg, &u->ref, err, n) < 0)
		return -1;
	if (u->ref.name) {
		u->argname = vg_strdup(u->ref.name);
		u->ref.name = u->argname;
	}
	u->type = u->ref.def->type;
	u->multi = ((u->ref.def->flags & FF_ANY) && u->ref.index < 0) || (u->ref.def->flags & FF_LIST);
	for (int i = 0; i < f->ntransforms; i++) {
		enum ast_transform t = f->transforms[i];

		if (u->type != FT_STRING) {
			vg_snprintf(err, n, "%s() needs a string, and %s is %s %s", tr_name(t), f->name,
				    article(u->type), ftype_name(u->type));
			free(u->argname);
			u->argname = NULL;  /* the caller frees the half-made use too */
			return -1;
		}
		u->tr[u->ntr++] = t;
		if (t == TR_LEN)
			u->type = FT_UINT;
	}
	u->text = field_text(f);
	if (!u->multi)
		u->slot = slot_intern(slots, u->text);
	return 0;
}

void field_use_free(struct field_use *u)
{
	free(u->argname);
	free(u->text);
}

/* --- literals ------------------------------------------------------------------------------- */

struct ctx {
	struct slot_table *slots;
	const char *item;
	struct diags *d;
	char **unknown_field;
};

static void error_at(struct ctx *c, struct src_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(struct ctx *c, struct src_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(c->d, DIAG_ERROR, pos, c->item, fmt, ap);
	va_end(ap);
}

static bool parse_number(const char *s, enum ftype t, struct fval *v)
{
	char *end;

	errno = 0;
	if (t == FT_INT) {
		long long x = strtoll(s, &end, 0);

		v->i = x;
	} else {
		if (s[0] == '-')
			return false;
		unsigned long long x = strtoull(s, &end, 0);

		v->u = x;
	}
	v->type = t;
	return s[0] && !*end && errno == 0;
}

static bool parse_net(const char *s, struct ipnet *out)
{
	char buf[128];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);

	if (alen >= sizeof(buf))
		return false;
	memcpy(buf, s, alen);
	buf[alen] = 0;
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr.a) == 1) {
		out->addr.family = 4;
		out->prefix = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr.a) == 1) {
		out->addr.family = 6;
		out->prefix = 128;
	} else {
		return false;
	}
	if (slash) {
		char *end;
		long p = strtol(slash + 1, &end, 10);

		if (!slash[1] || *end || p < 0 || p > out->prefix)
			return false;
		out->prefix = (int)p;
	}
	return true;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static bool parse_hex(const char *s, char **out, size_t *len)
{
	size_t n = strlen(s);
	char *b;

	if (n == 0 || n % 2)
		return false;
	b = vg_malloc(n / 2 + 1);
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			free(b);
			return false;
		}
		b[i / 2] = (char)(hi << 4 | lo);
	}
	b[n / 2] = 0;
	*out = b;
	*len = n / 2;
	return true;
}

/* parse one literal for the lhs's type into rhs (scalar or a list item) */
static int add_literal(struct ctx *c, struct cnode *cn, const struct ast_literal *lit, bool list)
{
	struct operand *r = &cn->rhs;
	enum ftype t = cn->lhs.type;
	const char *s = lit->text;

	if (cn->evt_type) {
		int id = evttype_id(s);

		if (id < 0) {
			error_at(c, lit->pos, "unknown event type '%s'", s);
			return -1;
		}
		r->types[id / 8] |= 1 << (id % 8);
		return 0;
	}
	switch (t) {
	case FT_STRING:
		if (cn->op == OP_BCONTAINS || cn->op == OP_BSTARTSWITH) {
			if (!parse_hex(s, &r->bytes, &r->v.str.len)) {
				error_at(c, lit->pos, "'%s' is not a hexadecimal byte string (%s wants one)", s,
					 cn->op == OP_BCONTAINS ? "bcontains" : "bstartswith");
				return -1;
			}
			r->v.type = FT_STRING;
			r->v.str.s = r->bytes;
			return 0;
		}
		if (cn->op == OP_PMATCH) {
			r->prefixes = vg_realloc(r->prefixes, (r->nprefixes + 1) * sizeof(char *));
			r->prefixes[r->nprefixes++] = vg_strdup(s);
			return 0;
		}
		if (list) {
			strset_add(r->strs, s, strlen(s));
			return 0;
		}
		r->v.type = FT_STRING;
		r->v.str.s = vg_strdup(s);
		r->v.str.len = strlen(s);
		return 0;
	case FT_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
			error_at(c, lit->pos, "%s is a boolean: compare it with true or false, not '%s'",
				 cn->lhs.text, s);
			return -1;
		}
		if (list) {
			r->nums = vg_realloc(r->nums, (r->nnums + 1) * sizeof(*r->nums));
			r->nums[r->nnums++] = s[0] == 't';
			return 0;
		}
		r->v.type = FT_BOOL;
		r->v.b = s[0] == 't';
		return 0;
	case FT_IPADDR:
	case FT_IPNET: {
		struct ipnet net;

		if (!parse_net(s, &net)) {
			error_at(c, lit->pos, "%s is an IP address: '%s' is not an address or a network (a.b.c.d/n)",
				 cn->lhs.text, s);
			return -1;
		}
		r->nets = vg_realloc(r->nets, (r->nnets + 1) * sizeof(*r->nets));
		r->nets[r->nnets++] = net;
		return 0;
	}
	default: {
		struct fval v;

		if (!parse_number(s, t == FT_INT ? FT_INT : FT_UINT, &v)) {
			error_at(c, lit->pos, "%s is a %s: '%s' is not a number", cn->lhs.text, ftype_name(t), s);
			return -1;
		}
		int64_t x = t == FT_INT ? v.i : (int64_t)v.u;

		if (list) {
			r->nums = vg_realloc(r->nums, (r->nnums + 1) * sizeof(*r->nums));
			r->nums[r->nnums++] = x;
		} else {
			r->v.type = t;
			r->v.i = x;
		}
		return 0;
	}
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* the index just past the class opening at re[i] ('['), or 0 if it does not close */
static size_t class_end(const char *re, size_t i, size_t n)
{
	i++;
	if (i < n && re[i] == '^')
		i++;
	if (i < n && re[i] == ']')  /* a leading ] is a member */
		i++;
	while (i < n && re[i] != ']') {
		if (re[i] == '\\') {
			i += 2;
		} else if (re[i] == '[' && i + 1 < n && re[i + 1] == ':') {
			const char *close = strstr(re + i + 2, ":]");  /* [:alpha:] */

			if (!close)
				return 0;
			i = (size_t)(close - re) + 2;
		} else {
			i++;
		}
	}
	return i < n ? i + 1 : 0;
}

/* the index just past the group opening at re[i] ('('), or 0 if it does not close */
static size_t group_end(const char *re, size_t i, size_t n)
{
	int depth = 0;

	for (; i < n; i++) {
		if (re[i] == '\\') {
			i++;
		} else if (re[i] == '[') {
			size_t end = class_end(re, i, n);

			if (!end)
				return 0;
			i = end - 1;
		} else if (re[i] == '(') {
			depth++;
		} else if (re[i] == ')' && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

/*
 * Rules often say "contains" as a full-match regex: (?s).*(a|b).* . With
 * dot-all on, that is exactly "the group matches somewhere", which PCRE2
 * finds far faster unanchored (it skips to possible first characters)
 * than by backtracking `.*` over the whole value. Returns that pattern
 * (malloc'd): the flags, then the one group; NULL for any other shape.
 */
static char *search_form(const char *re)
{
	size_t n = strlen(re), flags = 0, start, end;

	if (re[0] == '(' && re[1] == '?') {
		flags = 2;
		while (re[flags] && strchr("imsx", re[flags]))
			flags++;
		if (re[flags] != ')' || !memchr(re + 2, 's', flags - 2))
			return NULL;
		flags++;
	} else {
		return NULL;
	}
	start = flags + 2;
	if (n < start + 4 || strncmp(re + flags, ".*", 2) != 0 || strchr("?+*{", re[start]))
		return NULL;
	/* the group, then ".*" and nothing else */
	if (re[start] != '(' || (end = group_end(re, start, n)) == 0 || end + 2 != n || strcmp(re + end, ".*") != 0)
		return NULL;
	char *out = vg_malloc(n);

	memcpy(out, re, flags);
	memcpy(out + flags, re + start, end - start);
	out[flags + end - start] = 0;
	return out;
}

/*
 * The longest run of plain characters that every match of the regex
 * contains, for the rule prefilter (a match of "/proc/1/(root|ns)(/.*)?"
 * contains "/proc/1/"); NULL when there is none or the pattern is beyond
 * this reading. Only the top level is read: groups and classes end a run
 * and are skipped whole, a quantifier takes back the character it applies
 * to ('+' keeps it but ends the run), and an alternation at the top level,
 * a case-insensitive or extended option, or an escape with arguments
 * (\x, \p, \Q, back references, ...) give up.
 */
static char *required_literal(const char *re)
{
	size_t n = strlen(re), i = 0, run = 0, best_len = 0;
	char *buf = vg_malloc(n + 1), *out = NULL;  /* the current run, unescaped */
	char *best_text = vg_malloc(n + 1);

	/* leading options: (?s) and (?m) change nothing here */
	if (re[0] == '(' && re[1] == '?' && re[2] && strchr("sm-", re[2])) {
		size_t j = 2;

		while (re[j] && strchr("sm-", re[j]))
			j++;
		if (re[j] == ')')
			i = j + 1;
	}
	for (;;) {
		char c = i < n ? re[i] : 0;
		bool ends = true;

		/* ASCII only: a quantifier after a multi-byte character applies to all of its bytes */
		if (c && (unsigned char)c < 0x80 && !strchr("\\^$.|?*+()[]{}", c)) {
			buf[run++] = c;
			i++;
			ends = false;
		} else if (c == '\\') {
			char e = re[i + 1];

			if (!e)
				goto out;
			if (!isalnum((unsigned char)e)) {
				buf[run++] = e;  /* an escaped punctuation character is itself */
				i += 2;
				ends = false;
			} else if (strchr("dDwWsShHvVRbBAzZGK", e)) {
				i += 2;  /* a class or an assertion without arguments */
			} else {
				goto out;
			}
		} else if (c == '?' || c == '*' || c == '{') {
			if (run)
				run--;  /* the character before may be absent */
			if (c == '{') {
				const char *close = strchr(re + i, '}');

				if (!close)
					goto out;
				i = (size_t)(close - re);
			}
			i++;
		} else if (c == '+') {
			i++;  /* one or more: what came before stays, what follows is not next to it */
		} else if (c == '(') {
			if (re[i + 1] == '?' && re[i + 2] != ':') {
				/* options for the rest of the pattern, or a lookaround: give up */
				size_t j = i + 2;

				while (re[j] && strchr("imsx-", re[j]))
					j++;
				if (re[j] == ')' || re[i + 2] == '=' || re[i + 2] == '!' || re[i + 2] == '<')
					goto out;
			}
			if ((i = group_end(re, i, n)) == 0)
				goto out;
		} else if (c == '[') {
			if ((i = class_end(re, i, n)) == 0)
				goto out;
		} else if (c == '|') {
			goto out;
		} else if (c) {
			i++;  /* . ^ $ */
		}
		if (ends || !c) {
			if (run && run >= best_len) {  /* the last of equals, as for globs */
				best_len = run;
				memcpy(best_text, buf, run);
			}
			run = 0;
		}
		if (!c)
			break;
	}
	if (best_len) {
		best_text[best_len] = 0;
		out = best_text;
		best_text = NULL;
	}
out:
	free(buf);
	free(best_text);
	return out;
}

static int compile_regex(struct ctx *c, struct cnode *cn, const struct ast_literal *lit)
{
	int errcode;
	PCRE2_SIZE off;
	char *search;

	/* Falco's regex is a full match: anchored at both ends */
	cn->rhs.re = pcre2_compile((PCRE2_SPTR)lit->text, PCRE2_ZERO_TERMINATED,
				   PCRE2_ANCHORED | PCRE2_ENDANCHORED, &errcode, &off, NULL);
	if (!cn->rhs.re) {
		PCRE2_UCHAR msg[160];
		struct src_pos pos = lit->pos;

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		if (pos.col)
			pos.col += (int)off + (lit->quoted ? 1 : 0);
		error_at(c, pos, "bad regex '%s' at offset %zu: %s", lit->text, (size_t)off, (char *)msg);
		return -1;
	}
	cn->rhs.re_lit = required_literal(lit->text);
	search = search_form(lit->text);
	if (search) {
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)search, PCRE2_ZERO_TERMINATED, 0, &errcode, &off, NULL);

		if (re) {
			pcre2_code_free(cn->rhs.re);
			cn->rhs.re = re;
		}
		free(search);
	}
	/* without JIT (unavailable, or no executable memory) the interpreter runs it */
	cn->rhs.re_jit = pcre2_jit_compile(cn->rhs.re, PCRE2_JIT_COMPLETE) == 0;
	return 0;
}

/* --- nodes ------------------------------------------------------------------------------------ */

static struct cnode *compile_node(struct ctx *c, const struct ast_node *n);

static struct cnode *compile_cmp(struct ctx *c, const struct ast_node *n)
{
	struct cnode *cn = vg_calloc(1, sizeof(*cn));
	char err[256];
	int op = parse_op(n->op);

	cn->kind = CN_CMP;
	cn->src = n;
	if (op < 0) {
		error_at(c, n->pos, "unknown operator '%s'", n->op);
		goto fail;
	}
	cn->op = op;
	if (field_use_init(&cn->lhs, &n->lhs, c->slots, err, sizeof(err)) < 0) {
		if (c->unknown_field && strncmp(err, "unknown field", 13) == 0 && !*c->unknown_field)
			*c->unknown_field = vg_strdup(n->lhs.name);
		else
			error_at(c, n->lhs.pos, "%s", err);
		goto fail;
	}
	/* evt.dir: vigil only has exits, so '<' is always true and '>' never */
	if (strcmp(n->lhs.name, "evt.dir") == 0 && n->rhs.kind == VAL_SCALAR && (op == OP_EQ || op == OP_NE)) {
		bool exit_dir = strcmp(n->rhs.items[0].text, "<") == 0;

		field_use_free(&cn->lhs);
		cn->kind = CN_CONST;
		cn->value = (op == OP_EQ) == exit_dir;
		return cn;
	}
	if (!op_fits(cn->op, cn->lhs.type)) {
		error_at(c, n->pos, "operator '%s' does not apply to %s, which is %s %s", n->op, cn->lhs.text,
			 article(cn->lhs.type), ftype_name(cn->lhs.type));
		goto fail;
	}
	cn->evt_type = field_is_evt_type(&cn->lhs.ref) && cn->lhs.ntr == 0 &&
		       (op == OP_EQ || op == OP_NE || op == OP_IN);
	if (cn->evt_type)
		cn->rhs.types = vg_calloc(1, EVT_BITMAP_BYTES);

	switch (n->rhs.kind) {
	case VAL_NONE:
		if (op != OP_EXISTS) {
			error_at(c, n->pos, "operator '%s' needs a value", n->op);
			goto fail;
		}
		cn->rhs.kind = RV_NONE;
		return cn;
	case VAL_FIELD:
		/* regex and the byte operators parse their value at load; a field's value comes too late */
		if (op == OP_EXISTS || op == OP_IN || op == OP_INTERSECTS || op == OP_PMATCH || op == OP_REGEX ||
		    op == OP_BCONTAINS || op == OP_BSTARTSWITH || cn->evt_type) {
			error_at(c, n->rhs.field.pos, "operator '%s' cannot take a field as its value", n->op);
			goto fail;
		}
		cn->rhs.kind = RV_FIELD;
		if (field_use_init(&cn->rhs.field, &n->rhs.field, c->slots, err, sizeof(err)) < 0) {
			if (c->unknown_field && strncmp(err, "unknown field", 13) == 0 && !*c->unknown_field)
				*c->unknown_field = vg_strdup(n->rhs.field.name);
			else
				error_at(c, n->rhs.field.pos, "%s", err);
			goto fail;
		}
		if (cn->rhs.field.type != cn->lhs.type && !(fval_is_number(cn->rhs.field.type) &&
							   fval_is_number(cn->lhs.type))) {
			error_at(c, n->rhs.field.pos, "cannot compare %s (%s %s) with %s (%s %s)", cn->lhs.text,
				 article(cn->lhs.type), ftype_name(cn->lhs.type), cn->rhs.field.text,
				 article(cn->rhs.field.type), ftype_name(cn->rhs.field.type));
			goto fail;
		}
		return cn;
	case VAL_SCALAR:
	case VAL_LIST:
		break;
	}
	if (op == OP_EXISTS) {
		error_at(c, n->pos, "operator 'exists' takes no value");
		goto fail;
	}
	bool listy = op == OP_IN || op == OP_INTERSECTS || op == OP_PMATCH;

	if (n->rhs.kind == VAL_LIST && !listy) {
		error_at(c, n->pos, "operator '%s' compares with one value, not a list", n->op);
		goto fail;
	}
	if (op == OP_REGEX)
		return compile_regex(c, cn, &n->rhs.items[0]) < 0 ? (cnode_free(cn), NULL) : cn;
	cn->rhs.kind = listy ? RV_LIST : RV_SCALAR;
	if (listy && cn->lhs.type == FT_STRING && op != OP_PMATCH)
		cn->rhs.strs = strset_new();
	for (size_t i = 0; i < n->rhs.nitems; i++)
		if (add_literal(c, cn, &n->rhs.items[i], listy) < 0)
			goto fail;
	if (cn->rhs.nums)
		qsort(cn->rhs.nums, cn->rhs.nnums, sizeof(*cn->rhs.nums), cmp_i64);
	return cn;
fail:
	cnode_free(cn);
	return NULL;
}

static struct cnode *compile_node(struct ctx *c, const struct ast_node *n)
{
	struct cnode *cn;

	switch (n->kind) {
	case AST_CMP:
		return compile_cmp(c, n);
	case AST_MACRO:
		/* the assembler expands every macro; one left here was never defined */
		error_at(c, n->pos, "undefined macro '%s'", n->macro);
		return NULL;
	default:
		break;
	}
	cn = vg_calloc(1, sizeof(*cn));
	cn->src = n;
	cn->kind = n->kind == AST_AND ? CN_AND : n->kind == AST_OR ? CN_OR : CN_NOT;
	cn->kids = vg_calloc(n->nkids ? n->nkids : 1, sizeof(*cn->kids));
	for (size_t i = 0; i < n->nkids; i++) {
		cn->kids[i] = compile_node(c, n->kids[i]);
		if (!cn->kids[i]) {
			cnode_free(cn);
			return NULL;
		}
		cn->nkids++;
	}
	return cn;
}

struct cnode *cond_compile(const struct ast_node *n, struct slot_table *slots, const char *item,
			   struct diags *d, char **unknown_field)
{
	struct ctx c = { .slots = slots, .item = item, .d = d, .unknown_field = unknown_field };

	return compile_node(&c, n);
}

void cnode_free(struct cnode *cn)
{
	if (!cn)
		return;
	for (size_t i = 0; i < cn->nkids; i++)
		cnode_free(cn->kids[i]);
	free(cn->kids);
	if (cn->kind == CN_CMP) {
		struct operand *r = &cn->rhs;

		field_use_free(&cn->lhs);
		if (r->kind == RV_FIELD)
			field_use_free(&r->field);
		if (r->v.type == FT_STRING && r->v.str.s != r->bytes)
			free((char *)r->v.str.s);
		free(r->bytes);
		strset_free(r->strs);
		free(r->nums);
		free(r->nets);
		for (size_t i = 0; i < r->nprefixes; i++)
			free(r->prefixes[i]);
		free(r->prefixes);
		pcre2_code_free(r->re);
		free(r->re_lit);
		free(r->types);
	}
	free(cn);
}

/* --- event types ------------------------------------------------------------------------------ */

static bool only_evt_type(const struct cnode *c)
{
	if (c->kind == CN_CONST)
		return true;
	if (c->kind == CN_CMP)
		return c->evt_type;
	for (size_t i = 0; i < c->nkids; i++)
		if (!only_evt_type(c->kids[i]))
			return false;
	return true;
}

static void all_types(uint8_t *b)
{
	memset(b, 0, EVT_BITMAP_BYTES);
	for (int id = 0; id < EVT_MAX; id++)
		if (evttype_name(id))
			b[id / 8] |= 1 << (id % 8);
}

static void types_of(const struct cnode *c, uint8_t *out)
{
	uint8_t tmp[EVT_BITMAP_BYTES], all[EVT_BITMAP_BYTES];

	all_types(all);
	switch (c->kind) {
	case CN_CONST:
		if (c->value)
			memcpy(out, all, sizeof(all));
		else
			memset(out, 0, EVT_BITMAP_BYTES);
		return;
	case CN_CMP:
		if (!c->evt_type) {
			memcpy(out, all, sizeof(all));
			return;
		}
		for (size_t i = 0; i < EVT_BITMAP_BYTES; i++)
			out[i] = c->op == OP_NE ? (all[i] & ~c->rhs.types[i]) : c->rhs.types[i];
		return;
	case CN_AND:
		memcpy(out, all, sizeof(all));
		for (size_t k = 0; k < c->nkids; k++) {
			types_of(c->kids[k], tmp);
			for (size_t i = 0; i < EVT_BITMAP_BYTES; i++)
				out[i] &= tmp[i];
		}
		return;
	case CN_OR:
		memset(out, 0, EVT_BITMAP_BYTES);
		for (size_t k = 0; k < c->nkids; k++) {
			types_of(c->kids[k], tmp);
			for (size_t i = 0; i < EVT_BITMAP_BYTES; i++)
				out[i] |= tmp[i];
		}
		return;
	case CN_NOT:
		if (!only_evt_type(c->kids[0])) {
			memcpy(out, all, sizeof(all));
			return;
		}
		types_of(c->kids[0], tmp);
		for (size_t i = 0; i < EVT_BITMAP_BYTES; i++)
			out[i] = all[i] & ~tmp[i];
		return;
	}
}

void cond_event_types(const struct cnode *c, uint8_t *out, bool *all)
{
	uint8_t a[EVT_BITMAP_BYTES];

	types_of(c, out);
	all_types(a);
	*all = memcmp(a, out, EVT_BITMAP_BYTES) == 0;
}
