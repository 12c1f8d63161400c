/*
 * observe.h - turns one line of the JSON event stream (docs/events.md), or
 * one JSON alert, into one line for people, and decides whether the line
 * passes the `vigil observe` filters.
 *
 * cmd_observe.c owns the command line and the reading loop; this is the
 * part that knows the schema, so the unit tests drive it directly.
 */
#ifndef VIGIL_OBSERVE_H
#define VIGIL_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct observe;

/*
 * What a filter compares. Each may be given several times: an event is
 * shown when it matches at least one value of every kind that was given.
 */
enum observe_filter_by {
	OBSERVE_BY_NAMESPACE, /* prefix of the pod uid or of the container id
	                       * (the Kubernetes namespace is not in the
	                       * schema yet) */
	OBSERVE_BY_POD,       /* prefix of the pod uid */
	OBSERVE_BY_BINARY,    /* PCRE2 pattern searched in process.binary */
	OBSERVE_BY_TYPE,      /* kind key ("process_exec", "network"...),
	                       * syscall name ("openat"), the word shown
	                       * after the emoji ("exit", "open"), or
	                       * "alert" */
	OBSERVE_BY_PID,       /* process.pid */
};

enum observe_result {
	OBSERVE_SHOWN,   /* one line was written */
	OBSERVE_HIDDEN,  /* a good event the filters left out */
	OBSERVE_BLANK,   /* an empty or all-blank line: nothing to say */
	OBSERVE_BAD,     /* not an event or alert; err says why */
};

/* no filters, no colour; NULL when out of memory */
struct observe *observe_new(void);
void observe_free(struct observe *ob);

/* ANSI colours in the rendered lines */
void observe_set_color(struct observe *ob, bool color);

/*
 * Add a filter. Returns 0, or -1 with a one-line reason in err (a bad
 * regex names the offset in the pattern; a bad pid quotes the value).
 */
int observe_add_filter(struct observe *ob, enum observe_filter_by by, const char *value,
		       char *err, size_t errlen);

/*
 * Render one input line (without its newline; it need not be
 * NUL-terminated) to `out` when it passes the filters. On OBSERVE_BAD, err
 * holds a one-line reason such as "not JSON: ... (column 7)".
 */
enum observe_result observe_line(struct observe *ob, const char *line, size_t len, FILE *out,
				 char *err, size_t errlen);

#endif /* VIGIL_OBSERVE_H */
