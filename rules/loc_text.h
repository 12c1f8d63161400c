/*
 * loc_text.h - text that remembers, byte by byte, where in which rules file
 * it was written.
 *
 * Conditions are YAML scalars: folded, unescaped, sometimes joined from
 * several items by `append`. The parser works on the final text but must
 * report errors, and stamp tree nodes, with file:line:column of the source,
 * so every byte carries its position.
 */
#ifndef VIGIL_LOC_TEXT_H
#define VIGIL_LOC_TEXT_H

#include <stddef.h>
#include "ast.h"

struct loc_text {
	char *s;                /* NUL-terminated */
	size_t len;
	struct src_pos *pos;    /* len + 1 entries: each byte, then the end of the text */
};

/* Take ownership of s (len bytes, NUL-terminated) and pos (len + 1 entries). */
void loc_text_init(struct loc_text *t, char *s, size_t len, struct src_pos *pos);

/* Add `more` after t, separated by one space (how appended conditions join). */
void loc_text_append(struct loc_text *t, const struct loc_text *more);

/* Position of byte `off`; offsets past the end give the end position. */
struct src_pos loc_text_pos(const struct loc_text *t, size_t off);

void loc_text_free(struct loc_text *t);

#endif /* VIGIL_LOC_TEXT_H */
