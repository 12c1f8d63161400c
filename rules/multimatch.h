/*
 * multimatch.h - which of many literal strings occur in a value, in one
 * pass over it (Aho-Corasick, as a DFA over byte classes).
 *
 * Each literal carries an id (a rule's index, for the prefilter); a scan
 * sets marks[id] = mark for every literal found anywhere in the value. The
 * automaton is built once, when rules load; a scan costs one table lookup
 * per byte of the value, however many literals there are.
 */
#ifndef VIGIL_MULTIMATCH_H
#define VIGIL_MULTIMATCH_H

#include <stddef.h>
#include <stdint.h>

struct multimatch;

struct multimatch *multimatch_new(void);
/* add a literal (len > 0) with its id; ids need not be unique, literals need not be */
void multimatch_add(struct multimatch *m, const char *lit, size_t len, uint32_t id);
/* build the automaton; nothing can be added after */
void multimatch_build(struct multimatch *m);
/* for every literal found in s: marks[its id] = mark */
void multimatch_scan(const struct multimatch *m, const char *s, size_t len, uint32_t *marks, uint32_t mark);
size_t multimatch_states(const struct multimatch *m);
void multimatch_free(struct multimatch *m);

#endif /* VIGIL_MULTIMATCH_H */
