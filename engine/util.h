/*
 * util.h - allocation and small string helpers used everywhere.
 *
 * Allocation failure is not recoverable in an agent that must keep a
 * consistent view of the system, so the vg_ allocators print a message and
 * abort instead of returning NULL (as Redis's zmalloc does). That keeps the
 * error paths that matter - bad input, kernel refusals - readable.
 */
#ifndef VIGIL_UTIL_H
#define VIGIL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *vg_malloc(size_t n);
void *vg_calloc(size_t n, size_t size);
void *vg_realloc(void *p, size_t n);
char *vg_strdup(const char *s);
char *vg_strndup(const char *s, size_t n);
char *vg_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* grow *v (element size `size`) so that it holds at least `need` elements */
void vg_grow(void *vp, size_t *cap, size_t need, size_t size);

static inline bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static inline bool str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* snprintf that never overflows and tells how much was needed */
size_t vg_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* VIGIL_UTIL_H */
