/*
 * arena.h - a bump allocator for memory that lives exactly as long as a
 * batch of events (resolved paths, formatted values).
 *
 * The live pipeline resets it after each event, so per-event strings cost
 * no malloc/free; a benchmark that keeps decoded events around simply never
 * resets it.
 */
#ifndef VIGIL_ARENA_H
#define VIGIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;   /* current chunk; older ones follow */
	size_t used;                /* bytes used in head */
};

void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* free every chunk but the first, and start over */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif /* VIGIL_ARENA_H */
