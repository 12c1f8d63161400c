/*
 * loc_text.c - text with a source position for every byte (see loc_text.h).
 */
#include <stdlib.h>
#include <string.h>

#include "loc_text.h"
#include "xalloc.h"

void loc_text_init(struct loc_text *t, char *s, size_t len, struct src_pos *pos)
{
	t->s = s;
	t->len = len;
	t->pos = pos;
}

void loc_text_append(struct loc_text *t, const struct loc_text *more)
{
	size_t len = t->len + 1 + more->len;
	char *s = xmalloc(len + 1);
	struct src_pos *pos = xmalloc((len + 1) * sizeof(*pos));

	memcpy(s, t->s, t->len);
	s[t->len] = ' ';
	memcpy(s + t->len + 1, more->s, more->len + 1);
	memcpy(pos, t->pos, t->len * sizeof(*pos));
	/* the joining space sits where the first text ended */
	pos[t->len] = t->pos[t->len];
	memcpy(pos + t->len + 1, more->pos, (more->len + 1) * sizeof(*pos));
	free(t->s);
	free(t->pos);
	loc_text_init(t, s, len, pos);
}

struct src_pos loc_text_pos(const struct loc_text *t, size_t off)
{
	return t->pos[off < t->len ? off : t->len];
}

void loc_text_free(struct loc_text *t)
{
	free(t->s);
	free(t->pos);
	t->s = NULL;
	t->pos = NULL;
	t->len = 0;
}
