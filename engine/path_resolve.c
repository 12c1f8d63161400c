/*
 * path_resolve.c - lexical path joining and normalisation.
 */
#include <string.h>
#include "path_resolve.h"

/* append component c (length len) to out (length *o), folding "." and ".." */
static int push(char *out, size_t *o, size_t n, const char *c, size_t len)
{
	if (len == 0 || (len == 1 && c[0] == '.'))
		return 0;
	if (len == 2 && c[0] == '.' && c[1] == '.') {
		while (*o > 1 && out[*o - 1] != '/')
			(*o)--;
		if (*o > 1)
			(*o)--;  /* drop the slash too, unless it is the root */
		return 0;
	}
	if (*o + (*o > 1) + len + 1 > n)
		return -1;
	if (*o > 1)
		out[(*o)++] = '/';
	memcpy(out + *o, c, len);
	*o += len;
	return 0;
}

static int push_all(char *out, size_t *o, size_t n, const char *p)
{
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;

		while (*e && *e != '/')
			e++;
		if (push(out, o, n, p, e - p) < 0)
			return -1;
		p = e;
	}
	return 0;
}

size_t path_resolve(const char *base, const char *path, char *out, size_t n)
{
	size_t o = 1;

	if (n < 2)
		return 0;
	out[0] = '/';
	if (path[0] != '/') {
		if (!base || base[0] != '/')
			return 0;
		if (push_all(out, &o, n, base) < 0)
			return 0;
	}
	if (push_all(out, &o, n, path) < 0)
		return 0;
	out[o] = 0;
	return o;
}
