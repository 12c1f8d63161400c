/*
 * xalloc.h - allocation for the rules front-end: running out of memory
 * aborts.
 *
 * Rules are loaded at start-up and on reload; without memory there is
 * nothing sensible left to do, and checking every allocation would bury the
 * error paths that matter here, the ones for bad input. (This is the same
 * policy as the engine's allocators; these are static inline so the rules
 * code builds on its own, for the fuzzers.)
 */
#ifndef VIGIL_RULES_XALLOC_H
#define VIGIL_RULES_XALLOC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void xalloc_fail(void)
{
	fputs("vigil: out of memory\n", stderr);
	abort();
}

static inline void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xalloc_fail();
	return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xalloc_fail();
	return p;
}

static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		xalloc_fail();
	return p;
}

static inline char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static inline char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/*
 * Make room for `need` elements of `size` bytes in the array *vp whose
 * capacity is *cap, growing it geometrically.
 */
static inline void xgrow(void *vp, size_t *cap, size_t need, size_t size)
{
	void **v = vp;
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*v = xrealloc(*v, n * size);
	*cap = n;
}

#endif /* VIGIL_RULES_XALLOC_H */
