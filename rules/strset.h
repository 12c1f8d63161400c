/*
 * strset.h - a set of strings with O(1) membership, for `in (...)` lists
 * that can hold hundreds of names.
 */
#ifndef VIGIL_STRSET_H
#define VIGIL_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset;

struct strset *strset_new(void);
/* add a copy; returns false if it was already there */
bool strset_add(struct strset *s, const char *str, size_t len);
bool strset_has(const struct strset *s, const char *str, size_t len);
size_t strset_len(const struct strset *s);
/* iterate: for (size_t it = 0; strset_next(s, &it, &str, &len);) ... */
bool strset_next(const struct strset *s, size_t *it, const char **str, size_t *len);
void strset_free(struct strset *s);

#endif /* VIGIL_STRSET_H */
