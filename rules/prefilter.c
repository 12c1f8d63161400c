/*
 * prefilter.c - finding each rule's guard, and scanning guarded fields.
 *
 * What a comparison implies about its field's value (v):
 *
 *   v = x, v startswith x, v endswith x, v contains x    v contains x
 *   v in (x, y, ...), v intersects (...)                 v contains x or y or ...
 *   v pmatch (p, ...)                                    v contains p (a directory: trailing
 *                                                        slashes dropped), or the longest fixed
 *                                                        run of a wildcard p
 *   v glob p                                             v contains p's longest fixed run
 *   v regex r                                            v contains the longest plain run
 *                                                        every match of r has (compile.c)
 *
 * for a single-valued string field without transformers; anything else
 * (negations, case-insensitive operators and regexes, numbers, fields with
 * several values) implies nothing. `a and b` implies what either implies
 * (the better of the two is kept); `a or b` implies the union when both
 * imply something about the same field. Guards are found per event type:
 * for an openat, a branch `evt.type = rename and ...` is false and drops
 * out of an `or`, so a rule written for several syscalls gets, for each,
 * the guard of the branch that applies (fd.name for opens, the target
 * path for renames). Since any part of a literal that
 * must occur also occurs, literals are cut to their last GUARD_MAX_LIT
 * bytes, which keeps the automaton small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "prefilter.h"
#include "util.h"

void guard_free(struct guard *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->lits[i]);
	free(g->lits);
	free(g->lens);
	free(g->fields);
	memset(g, 0, sizeof(*g));
}

static bool add_lit(struct guard *g, const struct field_use *f, const char *s, size_t len)
{
	if (len < GUARD_MIN_LIT)
		return false;
	if (len > GUARD_MAX_LIT) {
		s += len - GUARD_MAX_LIT;
		len = GUARD_MAX_LIT;
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->fields[i]->slot == f->slot && g->lens[i] == len && !memcmp(g->lits[i], s, len))
			return true;  /* already there */
	g->lits = vg_realloc(g->lits, (g->n + 1) * sizeof(*g->lits));
	g->lens = vg_realloc(g->lens, (g->n + 1) * sizeof(*g->lens));
	g->fields = vg_realloc(g->fields, (g->n + 1) * sizeof(*g->fields));
	g->fields[g->n] = f;
	g->lits[g->n] = vg_strndup(s, len);
	g->lens[g->n++] = len;
	return true;
}

/*
 * The longest run of a fnmatch pattern that matches only itself, the last
 * of equally long ones (the end of a path tells more than its start:
 * /usr/lib/ * /security is about "security"); false if the pattern has
 * escapes or an unclosed bracket (those are left alone).
 */
static bool fixed_run(const char *p, const char **run, size_t *len)
{
	const char *start = p;

	*run = p;
	*len = 0;
	for (;;) {
		if (*p == 0 || *p == '*' || *p == '?' || *p == '[') {
			if ((size_t)(p - start) >= *len) {
				*run = start;
				*len = (size_t)(p - start);
			}
			if (*p == 0)
				return true;
			if (*p == '[') {
				/* a class: [!...] or [^...], where a leading ] is a member */
				p++;
				if (*p == '!' || *p == '^')
					p++;
				if (*p == ']')
					p++;
				while (*p && *p != ']')
					p++;
				if (!*p)
					return false;
			}
			start = ++p;
			continue;
		}
		if (*p == '\\')
			return false;
		p++;
	}
}

static bool pattern_lit(struct guard *g, const struct field_use *f, const char *pat, bool directory)
{
	const char *run;
	size_t len;

	if (!fixed_run(pat, &run, &len))
		return false;
	/* a pmatch directory may be written with trailing slashes the compared path lacks */
	while (directory && len > 1 && run[len - 1] == '/')
		len--;
	return add_lit(g, f, run, len);
}

/* the literals one comparison implies */
static bool cmp_guard(const struct cnode *c, struct guard *g)
{
	const struct operand *r = &c->rhs;
	const char *s;
	size_t len;

	if (c->kind != CN_CMP || c->evt_type || c->lhs.type != FT_STRING || c->lhs.multi || c->lhs.ntr ||
	    c->lhs.slot < 0 || r->kind == RV_FIELD)
		return false;
	switch (c->op) {
	case OP_EQ:
	case OP_CONTAINS:
	case OP_STARTSWITH:
	case OP_ENDSWITH:
		return r->kind == RV_SCALAR && add_lit(g, &c->lhs, r->v.str.s, r->v.str.len);
	case OP_IN:
	case OP_INTERSECTS:
		if (r->kind != RV_LIST || !r->strs || !strset_len(r->strs))
			return false;
		for (size_t it = 0; strset_next(r->strs, &it, &s, &len);)
			if (!add_lit(g, &c->lhs, s, len))
				return false;
		return true;
	case OP_PMATCH:
		if (!r->nprefixes)
			return false;
		for (size_t i = 0; i < r->nprefixes; i++)
			if (!pattern_lit(g, &c->lhs, r->prefixes[i], true))
				return false;
		return true;
	case OP_GLOB:
		return r->kind == RV_SCALAR && pattern_lit(g, &c->lhs, r->v.str.s, false);
	case OP_REGEX:
		return r->re_lit && add_lit(g, &c->lhs, r->re_lit, strlen(r->re_lit));
	default:
		return false;
	}
}

/* how much a guard narrows: its shortest literal's length */
static size_t strength(const struct guard *g)
{
	size_t m = GUARD_MAX_LIT;

	for (size_t i = 0; i < g->n; i++)
		m = g->lens[i] < m ? g->lens[i] : m;
	return m;
}

enum guard_kind cond_guard(const struct cnode *c, int type, struct guard *g)
{
	enum guard_kind res = GUARD_NONE;
	bool in;

	memset(g, 0, sizeof(*g));
	switch (c->kind) {
	case CN_CONST:
		return c->value ? GUARD_NONE : GUARD_NEVER;
	case CN_CMP:
		if (c->evt_type) {
			in = c->rhs.types[type / 8] & (1 << (type % 8));
			return (c->op == OP_NE ? !in : in) ? GUARD_NONE : GUARD_NEVER;
		}
		if (cmp_guard(c, g))
			return GUARD_SOME;
		break;
	case CN_NOT:
		/* only a type test can be negated into something known */
		if (c->kids[0]->kind == CN_CMP && c->kids[0]->evt_type) {
			struct guard k;

			return cond_guard(c->kids[0], type, &k) == GUARD_NEVER ? GUARD_NONE : GUARD_NEVER;
		}
		break;
	case CN_AND:
		/* false if any part is; else the best guard of any part */
		for (size_t i = 0; i < c->nkids; i++) {
			struct guard k;
			enum guard_kind r = cond_guard(c->kids[i], type, &k);

			if (r == GUARD_NEVER) {
				guard_free(g);
				return GUARD_NEVER;
			}
			if (r != GUARD_SOME)
				continue;
			if (!g->n || strength(&k) > strength(g) || (strength(&k) == strength(g) && k.n < g->n)) {
				guard_free(g);
				*g = k;
				res = GUARD_SOME;
			} else {
				guard_free(&k);
			}
		}
		return res;
	case CN_OR:
		/* parts that cannot be true drop out; the others must all have guards, which add up */
		res = GUARD_NEVER;
		for (size_t i = 0; i < c->nkids; i++) {
			struct guard k;
			enum guard_kind r = cond_guard(c->kids[i], type, &k);

			if (r == GUARD_NEVER)
				continue;
			if (r == GUARD_NONE) {
				res = GUARD_NONE;
				break;
			}
			for (size_t j = 0; j < k.n; j++)
				add_lit(g, k.fields[j], k.lits[j], k.lens[j]);
			guard_free(&k);
			res = GUARD_SOME;
		}
		if (res == GUARD_SOME)
			return res;
		guard_free(g);
		return res;
	}
	guard_free(g);
	return GUARD_NONE;
}

char *guard_text(const struct guard *g)
{
	char buf[2048];
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < g->n && o < sizeof(buf); i++) {
		if (i && g->fields[i]->slot == g->fields[i - 1]->slot)
			o += vg_snprintf(buf + o, sizeof(buf) - o, ", %s", g->lits[i]);
		else
			o += vg_snprintf(buf + o, sizeof(buf) - o, "%s%s contains %s", i ? "; " : "",
					 g->fields[i]->text, g->lits[i]);
	}
	return vg_strndup(buf, strnlen(buf, sizeof(buf)));
}

static bool same_guard(const struct guard *a, const struct guard *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->fields[i]->slot != b->fields[i]->slot || a->lens[i] != b->lens[i] ||
		    memcmp(a->lits[i], b->lits[i], a->lens[i]) != 0)
			return false;
	return true;
}

/* the guarded field of a slot, made if new */
static int field_of(struct prefilter *pf, const struct field_use *u)
{
	size_t f = 0;

	while (f < pf->nfields && pf->fields[f].field->slot != u->slot)
		f++;
	if (f == pf->nfields) {
		pf->fields = vg_realloc(pf->fields, (pf->nfields + 1) * sizeof(*pf->fields));
		pf->fields[pf->nfields++] = (struct guard_field){ u, multimatch_new(), 0 };
	}
	return (int)f;
}

/* field f is to be scanned for events of type t */
static void use_field(struct prefilter *pf, int t, int f)
{
	for (uint16_t i = 0; i < pf->nby_type[t]; i++)
		if (pf->by_type[t][i] == f)
			return;
	pf->by_type[t] = vg_realloc(pf->by_type[t], (pf->nby_type[t] + 1) * sizeof(**pf->by_type));
	pf->by_type[t][pf->nby_type[t]++] = (uint16_t)f;
}

int prefilter_add(struct prefilter *pf, struct guard *g, int t)
{
	size_t m = 0;

	while (m < pf->nguards && !same_guard(&pf->guards[m], g))
		m++;
	for (size_t i = 0; i < g->n; i++) {
		int f = field_of(pf, g->fields[i]);

		use_field(pf, t, f);
		if (m == pf->nguards) {
			multimatch_add(pf->fields[f].mm, g->lits[i], g->lens[i], (uint32_t)m);
			pf->fields[f].nguards++;
		}
	}
	if (m < pf->nguards) {
		guard_free(g);
		return (int)m;
	}
	pf->guards = vg_realloc(pf->guards, (pf->nguards + 1) * sizeof(*pf->guards));
	pf->guards[pf->nguards] = *g;
	memset(g, 0, sizeof(*g));
	return (int)pf->nguards++;
}

/* does guard m test field f? */
static bool guard_uses(const struct prefilter *pf, int32_t m, int f)
{
	const struct guard *g = &pf->guards[m];

	for (size_t i = 0; i < g->n; i++)
		if (g->fields[i]->slot == pf->fields[f].field->slot)
			return true;
	return false;
}

void prefilter_prune(struct prefilter *pf, int t, int32_t *marks, uint32_t n, int32_t none)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (uint16_t k = 0; k < pf->nby_type[t]; k++) {
			int f = pf->by_type[t][k];
			uint32_t users = 0, last = 0;

			for (uint32_t i = 0; i < n; i++)
				if (marks[i] >= 0 && guard_uses(pf, marks[i], f))
					users++, last = i;
			if (users == 1) {
				marks[last] = none;
				changed = true;
			}
		}
	}
	/* scan only the fields some guard still tests */
	uint16_t kept = 0;

	for (uint16_t k = 0; k < pf->nby_type[t]; k++) {
		int f = pf->by_type[t][k];
		bool used = false;

		for (uint32_t i = 0; i < n && !used; i++)
			used = marks[i] >= 0 && guard_uses(pf, marks[i], f);
		if (used)
			pf->by_type[t][kept++] = (uint16_t)f;
	}
	pf->nby_type[t] = kept;
}

void prefilter_build(struct prefilter *pf)
{
	for (size_t f = 0; f < pf->nfields; f++)
		multimatch_build(pf->fields[f].mm);
}

void prefilter_scan(const struct prefilter *pf, struct eval_state *st, const struct event *ev)
{
	for (uint16_t i = 0; i < pf->nby_type[ev->type]; i++) {
		const struct guard_field *gf = &pf->fields[pf->by_type[ev->type][i]];
		struct fval v;

		/* a field the event lacks: every comparison on it is false, and so is every guard on it */
		if (field_value(st, gf->field, ev, 0, &v))
			multimatch_scan(gf->mm, v.str.s, v.str.len, st->marks, st->gen);
	}
}

void prefilter_free(struct prefilter *pf)
{
	for (size_t f = 0; f < pf->nfields; f++)
		multimatch_free(pf->fields[f].mm);
	free(pf->fields);
	for (size_t i = 0; i < pf->nguards; i++)
		guard_free(&pf->guards[i]);
	free(pf->guards);
	for (int t = 0; t < EVT_MAX; t++)
		free(pf->by_type[t]);
	memset(pf, 0, sizeof(*pf));
}
