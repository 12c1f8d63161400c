/*
 * fields.h - the fields rules can test and print (`proc.name`, `fd.sip`,
 * `evt.arg.flags`), with their types and how each is read from an event.
 *
 * Names, types and value formats follow Falco's, so its rules read the same
 * here; docs/fields.md lists them. A field that has no value for an event
 * (an fd field on an exec, a container field on the host where Falco also
 * has none) is "missing": comparisons on it are false, and outputs print
 * <NA>.
 */
#ifndef VIGIL_FIELDS_H
#define VIGIL_FIELDS_H

#include <stdbool.h>
#include <stdint.h>
#include "fval.h"

struct event;
struct arena;
struct field_def;

/* how a field takes an argument */
enum field_arg_kind {
	FA_NONE,          /* proc.name */
	FA_INDEX,         /* proc.aname[2]; without one, "any ancestor" (FF_ANY) */
	FA_NAME,          /* evt.arg.flags / evt.arg[flags] / evt.arg[0] */
};

/* field_def.flags */
#define FF_ANY        0x01  /* without an index, true if any ancestor matches */
#define FF_LIST       0x02  /* several values: in/intersects compare sets */

/* a field as used in a rule: the definition plus its parsed argument */
struct field_ref {
	const struct field_def *def;
	int index;             /* FA_INDEX: the index; -1 when absent */
	const char *name;      /* FA_NAME: the argument name (owned by the ref's owner), or NULL */
	int argnum;            /* FA_NAME given as a number (evt.arg[1]); -1 otherwise */
};

/* Everything an extractor may consult besides the event. */
struct field_env {
	const char *node;          /* evt.hostname */
	uint64_t boot_wall_ns;     /* to turn CLOCK_BOOTTIME into wall time */
	struct arena *arena;       /* for values built on the fly; reset per event */
};

/*
 * Read a field. Returns false when the event has no value for it. For
 * FF_ANY fields without an index and FF_LIST fields, `i` selects the i-th
 * value (ancestor, list element); call with i = 0, 1, ... until false.
 */
typedef bool (*field_get_fn)(const struct field_env *env, const struct event *ev,
			     const struct field_ref *ref, int i, struct fval *out);

struct field_def {
	const char *name;
	enum ftype type;
	enum field_arg_kind arg;
	uint32_t flags;
	field_get_fn get;
	const char *desc;
};

/*
 * Resolve a field name as written in a rule ("evt.arg.flags", "proc.aname")
 * with its bracket argument (or NULL). Fills ref and returns 0; on failure
 * returns -1 with a reason in err ("unknown field", "needs an index"...).
 */
int field_resolve(const char *name, const char *bracket_arg, struct field_ref *ref, char *err, size_t n);

/* every field, for docs and `vigil rules fields` */
const struct field_def *field_table(size_t *n);

/* true if the field names an event type (evt.type), which the compiler indexes rules by */
bool field_is_evt_type(const struct field_ref *ref);

/*
 * Format a value as Falco prints it in outputs (numbers in decimal, bools as
 * true/false, times as RFC 3339). Returns the length.
 */
size_t fval_format(const struct fval *v, char *buf, size_t n);

#endif /* VIGIL_FIELDS_H */
