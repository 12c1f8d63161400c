/*
 * eval.c - condition evaluation and the comparison operators.
 *
 * Semantics follow Falco's: a comparison on a field the event does not
 * have is false (whatever the operator, `!=` included; `not` inverts the
 * result); fields with several values (any ancestor, either end of a
 * socket) are true if any value satisfies the operator, except that `!=`
 * is true only if no value equals; `in` on a list field wants every element
 * in the set and `intersects` at least one; `regex` must match the whole
 * value.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "eval.h"
#include "event.h"
#include "util.h"

void eval_state_init(struct eval_state *st, size_t nslots, struct arena *arena, const char *node,
		     uint64_t boot_wall_ns)
{
	memset(st, 0, sizeof(*st));
	st->nslots = nslots;
	st->cache = vg_calloc(nslots ? nslots : 1, sizeof(*st->cache));
	st->gen = 1;
	st->env.arena = arena;
	st->env.node = node;
	st->env.boot_wall_ns = boot_wall_ns;
	st->md = pcre2_match_data_create(1, NULL);
}

void eval_state_free(struct eval_state *st)
{
	free(st->cache);
	free(st->marks);
	pcre2_match_data_free(st->md);
	st->marks = NULL;
	st->nmarks = 0;
	st->cache = NULL;
	st->md = NULL;
}

void eval_begin(struct eval_state *st)
{
	if (++st->gen == 0) {
		/* after 2^32 events: clear once so an old generation cannot look current */
		memset(st->cache, 0, st->nslots * sizeof(*st->cache));
		if (st->marks)
			memset(st->marks, 0, st->nmarks * sizeof(*st->marks));
		st->gen = 1;
	}
}

void eval_state_marks(struct eval_state *st, size_t n)
{
	if (n <= st->nmarks)
		return;
	st->marks = vg_realloc(st->marks, n * sizeof(*st->marks));
	memset(st->marks + st->nmarks, 0, (n - st->nmarks) * sizeof(*st->marks));
	st->nmarks = n;
}

/* --- transformers ---------------------------------------------------------------------- */

static const signed char b64dec[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8, ['I'] = 9,
	['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25,
	['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33,
	['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41,
	['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/* base64 decoding (table values are digit + 1; 0 marks a non-digit) */
static bool b64_decode(struct arena *a, const char *s, size_t n, struct fval *out)
{
	char *o = arena_alloc(a, n * 3 / 4 + 4);
	size_t len = 0, bits = 0;
	uint32_t acc = 0;

	while (n && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		int d = b64dec[(unsigned char)s[i]];

		if (!d)
			return false;
		acc = acc << 6 | (uint32_t)(d - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[len++] = (char)(acc >> bits);
		}
	}
	o[len] = 0;
	out->str.s = o;
	out->str.len = len;
	return true;
}

static bool apply_transforms(struct eval_state *st, const struct field_use *u, struct fval *v)
{
	for (int t = 0; t < u->ntr; t++) {
		switch (u->tr[t]) {
		case TR_TOLOWER:
		case TR_TOUPPER: {
			char *s = arena_strndup(st->env.arena, v->str.s, v->str.len);

			for (size_t i = 0; i < v->str.len; i++)
				s[i] = u->tr[t] == TR_TOLOWER ? tolower((unsigned char)s[i]) : toupper((unsigned char)s[i]);
			v->str.s = s;
			break;
		}
		case TR_BASENAME: {
			const char *slash = memrchr(v->str.s, '/', v->str.len);

			if (slash) {
				v->str.len -= slash + 1 - v->str.s;
				v->str.s = slash + 1;
			}
			break;
		}
		case TR_LEN: {
			size_t len = v->str.len;

			v->type = FT_UINT;
			v->u = len;
			break;
		}
		case TR_B64:
			if (!b64_decode(st->env.arena, v->str.s, v->str.len, v))
				return false;
			break;
		}
	}
	return true;
}

bool field_value(struct eval_state *st, const struct field_use *u, const struct event *ev, int i,
		 struct fval *out)
{
	struct slot_cache *sc = NULL;

	if (u->slot >= 0 && i == 0) {
		sc = &st->cache[u->slot];
		if (sc->gen == st->gen) {
			*out = sc->v;
			return sc->ok;
		}
	}
	bool ok = u->ref.def->get(&st->env, ev, &u->ref, i, out);

	if (ok && u->ntr)
		ok = apply_transforms(st, u, out);
	if (sc) {
		sc->gen = st->gen;
		sc->ok = ok;
		sc->v = *out;
	}
	return ok;
}

/* --- operators ------------------------------------------------------------------------------ */

static bool icontains(const char *h, size_t hn, const char *n, size_t nn)
{
	if (nn > hn)
		return false;
	for (size_t i = 0; i + nn <= hn; i++)
		if (strncasecmp(h + i, n, nn) == 0)
			return true;
	return false;
}

static bool has_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

/* path p starts with the directory or file `prefix` (components may hold globs) */
static bool path_prefix(const char *prefix, const char *p)
{
	if (!has_glob(prefix)) {
		size_t n = strlen(prefix);

		while (n > 1 && prefix[n - 1] == '/')
			n--;
		return strncmp(p, prefix, n) == 0 && (p[n] == 0 || p[n] == '/' || (n == 1 && prefix[0] == '/'));
	}
	/* compare component by component; wildcards do not cross a '/' */
	char pc[256], sc[256];

	while (*prefix) {
		while (*prefix == '/' && *p == '/') {
			prefix++;
			p++;
		}
		if (!*prefix)
			return true;
		size_t pl = strcspn(prefix, "/"), sl = strcspn(p, "/");

		if (pl >= sizeof(pc) || sl >= sizeof(sc) || sl == 0)
			return false;
		memcpy(pc, prefix, pl);
		pc[pl] = 0;
		memcpy(sc, p, sl);
		sc[sl] = 0;
		if (fnmatch(pc, sc, FNM_PERIOD) != 0)
			return false;
		prefix += pl;
		p += sl;
	}
	return true;
}

static bool net_contains(const struct ipnet *n, const struct ipaddr *a)
{
	if (n->addr.family != a->family)
		return false;
	int full = n->prefix / 8, rest = n->prefix % 8;

	if (memcmp(n->addr.a, a->a, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	return (n->addr.a[full] & mask) == (a->a[full] & mask);
}

static bool str_eq(const struct fval *a, const char *s, size_t n)
{
	return a->str.len == n && memcmp(a->str.s, s, n) == 0;
}

static int64_t num(const struct fval *v)
{
	return v->type == FT_INT ? v->i : (int64_t)v->u;
}

/* the ordering operators on numbers */
static bool cmp_num(enum op op, int64_t a, int64_t b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	default: return false;
	}
}

/* the operators that compare a string with one other string (s is NUL-terminated) */
static bool cmp_str(enum op op, const struct fval *v, const char *s, size_t n)
{
	switch (op) {
	case OP_EQ: return str_eq(v, s, n);
	case OP_NE: return !str_eq(v, s, n);
	case OP_CONTAINS:
	case OP_BCONTAINS: return memmem(v->str.s, v->str.len, s, n) != NULL;
	case OP_ICONTAINS: return icontains(v->str.s, v->str.len, s, n);
	case OP_STARTSWITH:
	case OP_BSTARTSWITH: return v->str.len >= n && !memcmp(v->str.s, s, n);
	case OP_ENDSWITH: return v->str.len >= n && !memcmp(v->str.s + v->str.len - n, s, n);
	case OP_GLOB: return fnmatch(s, v->str.s, 0) == 0;
	case OP_IGLOB: return fnmatch(s, v->str.s, FNM_CASEFOLD) == 0;
	default: return false;
	}
}

/* lhs value v against the right-hand side; rv is the rhs field's value for RV_FIELD */
static bool compare(struct eval_state *st, const struct cnode *c, const struct fval *v, const struct fval *rv)
{
	const struct operand *r = &c->rhs;

	if (rv) {
		/* val(field): compare two values of the same type */
		switch (v->type) {
		case FT_STRING:
			return cmp_str(c->op, v, rv->str.s, rv->str.len);
		case FT_BOOL:
			return c->op == OP_EQ ? v->b == rv->b : c->op == OP_NE ? v->b != rv->b : false;
		case FT_IPADDR:
		case FT_IPNET: {
			bool eq = v->ip.family == rv->ip.family && !memcmp(v->ip.a, rv->ip.a, 16);

			return c->op == OP_EQ ? eq : c->op == OP_NE ? !eq : false;
		}
		default:
			return cmp_num(c->op, num(v), num(rv));
		}
	}

	switch (v->type) {
	case FT_STRING:
		switch (c->op) {
		case OP_REGEX:
			if (r->re_jit)  /* the fast path, without pcre2_match's checks */
				return pcre2_jit_match(r->re, (PCRE2_SPTR)v->str.s, v->str.len, 0, 0, st->md, NULL) >= 0;
			return pcre2_match(r->re, (PCRE2_SPTR)v->str.s, v->str.len, 0, 0, st->md, NULL) >= 0;
		case OP_IN:
		case OP_INTERSECTS: return strset_has(r->strs, v->str.s, v->str.len);
		case OP_PMATCH:
			for (size_t i = 0; i < r->nprefixes; i++)
				if (path_prefix(r->prefixes[i], v->str.s))
					return true;
			return false;
		default: return cmp_str(c->op, v, r->v.str.s, r->v.str.len);
		}
	case FT_BOOL:
		if (c->op == OP_IN || c->op == OP_INTERSECTS) {
			for (size_t i = 0; i < r->nnums; i++)
				if (r->nums[i] == v->b)
					return true;
			return false;
		}
		return c->op == OP_EQ ? v->b == r->v.b : c->op == OP_NE ? v->b != r->v.b : false;
	case FT_IPADDR:
	case FT_IPNET:
		for (size_t i = 0; i < r->nnets; i++)
			if (net_contains(&r->nets[i], &v->ip))
				return c->op != OP_NE;
		return c->op == OP_NE;
	default: {
		int64_t a = num(v);

		switch (c->op) {
		case OP_IN:
		case OP_INTERSECTS: {
			size_t lo = 0, hi = r->nnums;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (r->nums[mid] == a)
					return true;
				if (r->nums[mid] < a)
					lo = mid + 1;
				else
					hi = mid;
			}
			return false;
		}
		default: return cmp_num(c->op, a, r->v.i);
		}
	}
	}
}

static bool eval_cmp(struct eval_state *st, const struct cnode *c, const struct event *ev)
{
	struct fval v, rv, *rvp = NULL;

	if (c->evt_type) {
		bool in = ev->type >= 0 && ev->type < EVT_MAX && (c->rhs.types[ev->type / 8] & (1 << (ev->type % 8)));

		return c->op == OP_NE ? !in : in;
	}
	if (c->rhs.kind == RV_FIELD) {
		if (!field_value(st, &c->rhs.field, ev, 0, &rv))
			return false;
		rvp = &rv;
	}
	if (!c->lhs.multi) {
		if (!field_value(st, &c->lhs, ev, 0, &v))
			return false;
		return c->op == OP_EXISTS || compare(st, c, &v, rvp);
	}
	/* several values */
	bool list = c->lhs.ref.def->flags & FF_LIST;
	bool any = false, all = true, seen = false;
	enum op op = c->op;

	for (int i = 0; field_value(st, &c->lhs, ev, i, &v); i++) {
		bool r;

		seen = true;
		if (op == OP_EXISTS)
			return true;
		if (op == OP_NE) {
			struct cnode eq = *c;

			eq.op = OP_EQ;
			r = compare(st, &eq, &v, rvp);
			if (r)
				return false;
			continue;
		}
		r = compare(st, c, &v, rvp);
		any |= r;
		all &= r;
		if (r && !(list && op == OP_IN))
			return true;
	}
	if (!seen)
		return false;
	if (op == OP_NE)
		return true;
	return list && op == OP_IN ? all : any;
}

bool cond_eval(struct eval_state *st, const struct cnode *c, const struct event *ev)
{
	switch (c->kind) {
	case CN_AND:
		for (size_t i = 0; i < c->nkids; i++)
			if (!cond_eval(st, c->kids[i], ev))
				return false;
		return true;
	case CN_OR:
		for (size_t i = 0; i < c->nkids; i++)
			if (cond_eval(st, c->kids[i], ev))
				return true;
		return false;
	case CN_NOT:
		return !cond_eval(st, c->kids[0], ev);
	case CN_CMP:
		return eval_cmp(st, c, ev);
	case CN_CONST:
		return c->value;
	}
	return false;
}
