/*
 * rule_engine.h - a loaded, compiled ruleset: what `vigil run` and
 * `vigil replay` evaluate every event against.
 *
 * Each enabled rule is indexed by the event types that can make its
 * condition true, so an event is only checked against the rules listed
 * under its type, and of those only against the ones whose prefilter
 * guard holds (prefilter.h). The union of those types is what the kernel is asked to
 * send (syscall_flags): nothing else leaves the kernel.
 */
#ifndef VIGIL_RULE_ENGINE_H
#define VIGIL_RULE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include "compile.h"
#include "eval.h"
#include "evttype.h"
#include "output_format.h"
#include "prefilter.h"
#include "ruleset.h"

struct rule {
	struct rule_def *def;           /* owned by the engine's ruleset_src */
	struct cnode *cond;
	struct out_format out;
	uint8_t types[EVT_BITMAP_BYTES];
	int ntypes;
	bool all_types;
	bool enabled;                   /* after selection (tags, names, priority) */
	bool skipped;                   /* not compiled: unknown field under skip-if-unknown-filter */
	uint64_t matches;
};

/* which rules run: Falco's -t/-T/-D and a minimum priority */
struct rule_selection {
	const char **only_tags;         /* if any: only rules with one of these tags */
	size_t nonly_tags;
	const char **disable_tags;
	size_t ndisable_tags;
	const char **disable_rules;     /* glob patterns over rule names */
	size_t ndisable_rules;
	const char **enable_rules;      /* glob patterns: enable even if `enabled: false` */
	size_t nenable_rules;
	const char **enable_tags;       /* enable rules with these tags even if `enabled: false` */
	size_t nenable_tags;
	int min_priority;               /* rules less severe than this are off (PRI_DEBUG: all) */
	bool skip_unknown;              /* unknown fields skip the rule with a warning, everywhere */
};

#define MARK_NONE (-1)          /* no guard: always evaluated */
#define MARK_NEVER (-2)         /* the condition cannot be true for this type */

struct rule_engine {
	struct ruleset_src src;
	struct rule *rules;
	size_t nrules;
	struct rule **by_type[EVT_MAX];
	uint32_t nby_type[EVT_MAX];
	int32_t *mark_by_type[EVT_MAX]; /* beside by_type: the rule's guard mark, or a MARK_ value */
	struct slot_table slots;
	struct prefilter pf;
	uint8_t syscall_flags[VG_MAX_SYSCALLS];  /* VG_SC_CAPTURE for types some rule needs */
	bool wants_tcp;
	size_t nenabled;
};

/*
 * Compile src (the engine takes it over, also on failure) with the given
 * selection. Returns NULL with errors in d; warnings go to d either way.
 */
struct rule_engine *rule_engine_build(struct ruleset_src *src, const struct rule_selection *sel, struct diags *d);
void rule_engine_free(struct rule_engine *e);

typedef void (*rule_match_fn)(void *ctx, struct rule *r, const struct event *ev, struct eval_state *st);

/* evaluate every rule indexed under ev's type; returns the number that matched */
size_t rule_engine_eval(struct rule_engine *e, struct eval_state *st, const struct event *ev,
			rule_match_fn on_match, void *ctx);

struct rule *rule_engine_find(struct rule_engine *e, const char *name);

/* r's prefilter mark for events of type t: a guard's mark, MARK_NONE or MARK_NEVER (also: not indexed) */
int32_t rule_engine_mark(const struct rule_engine *e, const struct rule *r, int t);

/* "execve, execveat" into buf: the event types a rule is indexed under */
size_t rule_types_text(const struct rule *r, char *buf, size_t n);

#endif /* VIGIL_RULE_ENGINE_H */
