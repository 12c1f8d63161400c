/*
 * util.c - aborting allocators and string helpers (see util.h for why).
 */
#include <stdio.h>
#include <stdlib.h>
#include "util.h"

static void oom(size_t n)
{
	fprintf(stderr, "vigil: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *vg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *vg_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *vg_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *vg_strdup(const char *s)
{
	return vg_strndup(s, strlen(s));
}

char *vg_strndup(const char *s, size_t n)
{
	char *p = vg_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *vg_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return s;
}

void vg_grow(void *vp, size_t *cap, size_t need, size_t size)
{
	void **v = vp;
	size_t c = *cap;

	if (need <= c)
		return;
	c = c ? c : 8;
	while (c < need)
		c *= 2;
	*v = vg_realloc(*v, c * size);
	*cap = c;
}

size_t vg_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r < 0 ? 0 : (size_t)r;
}
