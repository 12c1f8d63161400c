/*
 * diag.c - collecting errors and warnings about rules files and printing
 * them as "file:line:col: error: rule 'X': message".
 *
 * A diagnostic keeps its own copy of the file name: loading is
 * all-or-nothing, so after a failed load the ruleset that owned the name is
 * gone while its errors still have to be shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

void diag_addv(struct diags *d, enum diag_level lvl, struct src_pos pos, const char *item,
	       const char *fmt, va_list ap)
{
	struct diag *g;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_fail();
	xgrow(&d->v, &d->cap, d->n + 1, sizeof(*d->v));
	g = &d->v[d->n++];
	g->level = lvl;
	g->pos = pos;
	g->pos.file = pos.file ? xstrdup(pos.file) : NULL;
	g->item = item ? xstrdup(item) : NULL;
	g->msg = msg;
	if (lvl == DIAG_ERROR)
		d->nerrors++;
}

void diag_add(struct diags *d, enum diag_level lvl, struct src_pos pos, const char *item,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(d, lvl, pos, item, fmt, ap);
	va_end(ap);
}

void diag_format(const struct diag *g, char *buf, size_t n)
{
	char where[512] = "";
	const char *level = g->level == DIAG_ERROR ? "error" : "warning";

	if (g->pos.file && g->pos.line > 0 && g->pos.col > 0)
		snprintf(where, sizeof(where), "%s:%d:%d: ", g->pos.file, g->pos.line, g->pos.col);
	else if (g->pos.file && g->pos.line > 0)
		snprintf(where, sizeof(where), "%s:%d: ", g->pos.file, g->pos.line);
	else if (g->pos.file)
		snprintf(where, sizeof(where), "%s: ", g->pos.file);
	if (g->item)
		snprintf(buf, n, "%s%s: %s: %s", where, level, g->item, g->msg);
	else
		snprintf(buf, n, "%s%s: %s", where, level, g->msg);
}

void diag_print(const struct diags *d, FILE *f)
{
	char buf[4096];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(&d->v[i], buf, sizeof(buf));
		fprintf(f, "%s\n", buf);
	}
}

void diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free((char *)d->v[i].pos.file);
		free(d->v[i].item);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
