/*
 * rule_engine.c - compiling a ruleset, selecting rules, indexing them by
 * event type, and evaluating events.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "rule_engine.h"
#include "util.h"

/* Falco warns about rules that would be checked against (nearly) every event */
#define MANY_TYPES 100

static bool has_tag(const struct rule_def *r, const char *tag)
{
	for (size_t i = 0; i < r->ntags; i++)
		if (strcmp(r->tags[i], tag) == 0)
			return true;
	return false;
}

static bool any_glob(const char *const *pats, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pats[i], name, 0) == 0)
			return true;
	return false;
}

static bool selected(const struct rule_def *r, const struct rule_selection *sel)
{
	bool on = r->enabled || any_glob(sel->enable_rules, sel->nenable_rules, r->name);

	for (size_t i = 0; i < sel->nenable_tags; i++)
		on |= has_tag(r, sel->enable_tags[i]);

	if (sel->nonly_tags) {
		bool tagged = false;

		for (size_t i = 0; i < sel->nonly_tags; i++)
			tagged |= has_tag(r, sel->only_tags[i]);
		on &= tagged;
	}
	for (size_t i = 0; i < sel->ndisable_tags; i++)
		if (has_tag(r, sel->disable_tags[i]))
			on = false;
	if (any_glob(sel->disable_rules, sel->ndisable_rules, r->name))
		on = false;
	if ((int)r->priority > sel->min_priority)
		on = false;
	return on;
}

static int count_bits(const uint8_t *b, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += __builtin_popcount(b[i]);
	return c;
}

static int compile_rule(struct rule_engine *e, struct rule *r, const struct rule_selection *sel, struct diags *d)
{
	struct rule_def *def = r->def;
	char item[300];
	char *unknown = NULL;
	bool skip = def->skip_if_unknown_filter || sel->skip_unknown;

	vg_snprintf(item, sizeof(item), "rule '%s'", def->name);
	r->cond = cond_compile(def->cond, &e->slots, item, d, skip ? &unknown : NULL);
	if (r->cond && out_format_compile(&r->out, def->output ? def->output : "", def->output_pos, &e->slots, item, d,
					  skip ? &unknown : NULL) < 0) {
		cnode_free(r->cond);
		r->cond = NULL;
	}
	if (!r->cond) {
		if (!unknown)
			return -1;
		diag_add(d, DIAG_WARNING, def->pos, item, "skipped: unknown field '%s' (skip-if-unknown-filter)",
			 unknown);
		free(unknown);
		r->skipped = true;
		return 0;
	}
	cond_event_types(r->cond, r->types, &r->all_types);
	r->ntypes = count_bits(r->types, sizeof(r->types));
	if (r->ntypes > MANY_TYPES && def->warn_evttypes)
		diag_add(d, DIAG_WARNING, def->cond_pos, item,
			 "matches %d event types: add an evt.type condition so it is not checked against every event",
			 r->ntypes);
	return 0;
}

/* the rule's prefilter mark for events of one type */
static int32_t guard_mark(struct rule_engine *e, struct rule *r, int type)
{
	struct guard g;

	switch (cond_guard(r->cond, type, &g)) {
	case GUARD_NEVER:
		return MARK_NEVER;
	case GUARD_SOME:
		return prefilter_add(&e->pf, &g, type);
	default:
		return MARK_NONE;
	}
}

static void index_rule(struct rule_engine *e, struct rule *r)
{
	for (int id = 0; id < EVT_MAX; id++) {
		uint32_t n = e->nby_type[id];

		if (!(r->types[id / 8] & (1 << (id % 8))))
			continue;
		e->by_type[id] = vg_realloc(e->by_type[id], (n + 1) * sizeof(*e->by_type[id]));
		e->mark_by_type[id] = vg_realloc(e->mark_by_type[id], (n + 1) * sizeof(*e->mark_by_type[id]));
		e->by_type[id][n] = r;
		e->mark_by_type[id][n] = guard_mark(e, r, id);
		e->nby_type[id]++;
		/* a rule that does not restrict its types does not widen what the kernel sends */
		if (r->all_types)
			continue;
		if (id < VG_MAX_SYSCALLS)
			e->syscall_flags[id] |= VG_SC_CAPTURE;
		else if (id == EVT_TCP_CONNECT || id == EVT_TCP_ACCEPT || id == EVT_TCP_CLOSE)
			e->wants_tcp = true;
	}
}

struct rule_engine *rule_engine_build(struct ruleset_src *src, const struct rule_selection *sel, struct diags *d)
{
	struct rule_engine *e = vg_calloc(1, sizeof(*e));
	int errors = 0;

	e->src = *src;
	memset(src, 0, sizeof(*src));
	e->nrules = e->src.nrules;
	e->rules = vg_calloc(e->nrules ? e->nrules : 1, sizeof(*e->rules));
	for (size_t i = 0; i < e->nrules; i++) {
		struct rule *r = &e->rules[i];

		r->def = &e->src.rules[i];
		if (compile_rule(e, r, sel, d) < 0)
			errors++;
	}
	if (errors) {
		rule_engine_free(e);
		return NULL;
	}
	for (size_t i = 0; i < e->nrules; i++) {
		struct rule *r = &e->rules[i];

		r->enabled = !r->skipped && selected(r->def, sel);
		if (r->enabled) {
			index_rule(e, r);
			e->nenabled++;
		}
	}
	for (int id = 0; id < EVT_MAX; id++)
		prefilter_prune(&e->pf, id, e->mark_by_type[id], e->nby_type[id], MARK_NONE);
	prefilter_build(&e->pf);
	return e;
}

void rule_engine_free(struct rule_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nrules; i++) {
		cnode_free(e->rules[i].cond);
		out_format_free(&e->rules[i].out);
	}
	free(e->rules);
	for (int id = 0; id < EVT_MAX; id++) {
		free(e->by_type[id]);
		free(e->mark_by_type[id]);
	}
	slot_table_free(&e->slots);
	prefilter_free(&e->pf);
	ruleset_src_free(&e->src);
	free(e);
}

size_t rule_engine_eval(struct rule_engine *e, struct eval_state *st, const struct event *ev,
			rule_match_fn on_match, void *ctx)
{
	size_t matched = 0;

	if (ev->type < 0 || ev->type >= EVT_MAX || !e->nby_type[ev->type])
		return 0;
	eval_begin(st);
	eval_state_marks(st, e->pf.nguards);
	prefilter_scan(&e->pf, st, ev);
	struct rule **list = e->by_type[ev->type];
	const int32_t *marks = e->mark_by_type[ev->type];

	for (uint32_t i = 0; i < e->nby_type[ev->type]; i++) {
		struct rule *r = list[i];

		/* a guard that does not hold, or a condition false for this type: it cannot match */
		if (marks[i] != MARK_NONE && (marks[i] == MARK_NEVER || st->marks[marks[i]] != st->gen))
			continue;
		if (cond_eval(st, r->cond, ev)) {
			r->matches++;
			matched++;
			if (on_match)
				on_match(ctx, r, ev, st);
		}
	}
	return matched;
}

int32_t rule_engine_mark(const struct rule_engine *e, const struct rule *r, int t)
{
	for (uint32_t i = 0; i < e->nby_type[t]; i++)
		if (e->by_type[t][i] == r)
			return e->mark_by_type[t][i];
	return MARK_NEVER;
}

struct rule *rule_engine_find(struct rule_engine *e, const char *name)
{
	for (size_t i = 0; i < e->nrules; i++)
		if (strcmp(e->rules[i].def->name, name) == 0)
			return &e->rules[i];
	return NULL;
}

size_t rule_types_text(const struct rule *r, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	if (r->all_types)
		return vg_snprintf(buf, n, "all (%d)", r->ntypes);
	for (int id = 0; id < EVT_MAX; id++)
		if (r->types[id / 8] & (1 << (id % 8)))
			o += vg_snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? ", " : "", evttype_name(id));
	return o;
}
