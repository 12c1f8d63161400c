/*
 * diag.h - errors and warnings about user input (rules files, config),
 * collected rather than printed, so that loading stays all-or-nothing and
 * the caller decides where messages go.
 *
 * Every message names the place (file:line:column) and, where there is one,
 * the item ("rule 'Shell in container'", "macro 'open_write'").
 */
#ifndef VIGIL_DIAG_H
#define VIGIL_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include "ast.h"

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_level level;
	struct src_pos pos;
	char *item;         /* "rule 'X'", or NULL */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t nerrors;
};

void diag_add(struct diags *d, enum diag_level lvl, struct src_pos pos, const char *item,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_addv(struct diags *d, enum diag_level lvl, struct src_pos pos, const char *item,
	       const char *fmt, va_list ap);
/* "file:line:col: error: rule 'X': message" */
void diag_print(const struct diags *d, FILE *f);
void diag_format(const struct diag *g, char *buf, size_t n);
void diags_free(struct diags *d);

#endif /* VIGIL_DIAG_H */
