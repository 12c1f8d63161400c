/*
 * arena.c - chunked bump allocation.
 */
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "util.h"

#define CHUNK 65536

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char mem[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->used + n > a->head->size) {
		size_t size = n > CHUNK ? n : CHUNK;
		struct arena_chunk *c = vg_malloc(sizeof(*c) + size);

		c->size = size;
		c->next = a->head;
		a->head = c;
		a->used = 0;
	}
	void *p = a->head->mem + a->used;

	a->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head;

	if (!c)
		return;
	/* keep the oldest chunk (the last in the list): steady state allocates nothing */
	while (c->next) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = c;
	a->used = 0;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
	a->used = 0;
}
