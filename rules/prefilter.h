/*
 * prefilter.h - skipping the rules an event cannot match, many at a time.
 *
 * Most rules contain, ANDed with the rest, a test that a string field
 * holds some literal text: `fd.name startswith /etc/cron`, `proc.name in
 * (nc, ncat)`, `fd.name pmatch (...)`, `proc.cmdline contains xmrig`. Each
 * such test implies that the field's value CONTAINS one of a few literals
 * (the value, the prefix, the needle, the fixed part of a glob). That
 * implication is the rule's guard. When rules load, the literals of every
 * guard on one field go into one automaton (multimatch.h); per event, each
 * guarded field is scanned once, which marks every rule whose guard could
 * hold, and only those rules are evaluated. The guard is a necessary
 * condition, never a sufficient one: the rule's own condition still
 * decides, so results are exactly those of evaluating every rule.
 */
#ifndef VIGIL_PREFILTER_H
#define VIGIL_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compile.h"
#include "eval.h"
#include "multimatch.h"

/* guard literals are at least this long (shorter ones match nearly everything) */
#define GUARD_MIN_LIT 2
/* and at most this long: a literal's last bytes, which are as necessary as the whole */
#define GUARD_MAX_LIT 16

/* literals, one of which must occur in its string field's value for a condition to be true */
struct guard {
	const struct field_use **fields;  /* of each literal */
	char **lits;
	size_t *lens;
	size_t n;
};

enum guard_kind {
	GUARD_NONE,     /* nothing known: evaluate the condition */
	GUARD_SOME,     /* g holds literals one of which must occur */
	GUARD_NEVER,    /* the condition cannot be true for this event type */
};

/* the best guard (longest shortest literal) of a condition for events of one type */
enum guard_kind cond_guard(const struct cnode *c, int type, struct guard *g);
void guard_free(struct guard *g);
/* "fd.name contains a, fd.name contains b, ..." (malloc'd), for `rules explain` */
char *guard_text(const struct guard *g);

/* a guarded field: its automaton marks the guards whose literals occur in its value */
struct guard_field {
	const struct field_use *field;
	struct multimatch *mm;
	size_t nguards;
};

struct prefilter {
	struct guard *guards;         /* distinct guards; a guard's index is its mark */
	size_t nguards;
	struct guard_field *fields;
	size_t nfields;
	uint16_t *by_type[EVT_MAX];   /* fields to scan for an event of this type */
	uint16_t nby_type[EVT_MAX];
};

/* take over the guard of a rule for events of type t (freed if already known); returns its mark */
int prefilter_add(struct prefilter *pf, struct guard *g, int t);
/*
 * For events of type t, whose rules have marks[0..n) (a guard's index, or
 * negative for none), a field only one rule's guard tests is not worth a
 * scan of its value on every such event: that rule's mark becomes `none`
 * (evaluated every time; its condition usually fails early on something
 * cheap) and the field is no longer scanned for t.
 */
void prefilter_prune(struct prefilter *pf, int t, int32_t *marks, uint32_t n, int32_t none);
void prefilter_build(struct prefilter *pf);
/* scan the guarded fields of ev's type: st->marks[m] = st->gen for every guard m that holds */
void prefilter_scan(const struct prefilter *pf, struct eval_state *st, const struct event *ev);
void prefilter_free(struct prefilter *pf);

#endif /* VIGIL_PREFILTER_H */
