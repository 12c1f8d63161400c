/*
 * multimatch.c - Aho-Corasick over byte classes.
 *
 * The literals are put in a trie; every state gets a failure link (the
 * longest proper suffix of its string that is also a trie state), and the
 * missing transitions are filled in through those links, which makes the
 * trie a DFA: one lookup per input byte, no backtracking. Bytes that occur
 * in no literal all share class 0, so a row of the table is as wide as the
 * number of distinct bytes in the literals plus one, not 256. Every state
 * lists the ids of all literals that end there, its own and those of its
 * failure chain, merged once at build time.
 *
 * A transition holds the target's row offset (state x classes), not its
 * number, and a flag bit when the target has ids to report: the scan loop
 * is one load and one add per byte.
 */
#include <stdlib.h>
#include <string.h>
#include "multimatch.h"
#include "util.h"

#define OUT_FLAG 0x80000000u

struct literal {
	char *s;
	size_t len;
	uint32_t id;
};

struct multimatch {
	struct literal *lits;       /* until built */
	size_t nlits, caplits;
	uint8_t cls[256];           /* byte -> class */
	uint32_t ncls;
	uint32_t *go;               /* nstates x ncls transitions: row offset | OUT_FLAG */
	uint32_t nstates;
	uint32_t *out0, *nout;      /* per state: its ids are pool[out0 .. out0 + nout) */
	uint32_t *pool;
};

struct multimatch *multimatch_new(void)
{
	return vg_calloc(1, sizeof(struct multimatch));
}

void multimatch_add(struct multimatch *m, const char *lit, size_t len, uint32_t id)
{
	vg_grow(&m->lits, &m->caplits, m->nlits + 1, sizeof(*m->lits));
	m->lits[m->nlits++] = (struct literal){ vg_strndup(lit, len), len, id };
}

/* ids of literals ending exactly at a state, while building */
struct own {
	uint32_t state, id;
};

static int by_state(const void *a, const void *b)
{
	const struct own *x = a, *y = b;

	return x->state < y->state ? -1 : x->state > y->state ? 1 : (x->id > y->id) - (x->id < y->id);
}

void multimatch_build(struct multimatch *m)
{
	size_t maxstates = 1, cap = 0;
	uint32_t next_cls = 1;

	memset(m->cls, 0, sizeof(m->cls));
	for (size_t i = 0; i < m->nlits; i++) {
		maxstates += m->lits[i].len;
		for (size_t k = 0; k < m->lits[i].len; k++) {
			uint8_t b = (uint8_t)m->lits[i].s[k];

			if (!m->cls[b])
				m->cls[b] = (uint8_t)next_cls++;
		}
	}
	m->ncls = next_cls;

	/* the trie: untaken transitions are 0 (the root, which no transition leads back to in a trie) */
	uint32_t *go = vg_calloc(maxstates * m->ncls, sizeof(*go));
	struct own *own = vg_malloc((m->nlits ? m->nlits : 1) * sizeof(*own));
	uint32_t n = 1;

	for (size_t i = 0; i < m->nlits; i++) {
		uint32_t s = 0;

		for (size_t k = 0; k < m->lits[i].len; k++) {
			uint32_t *t = &go[s * m->ncls + m->cls[(uint8_t)m->lits[i].s[k]]];

			if (!*t)
				*t = n++;
			s = *t;
		}
		own[i] = (struct own){ s, m->lits[i].id };
		free(m->lits[i].s);
	}
	qsort(own, m->nlits, sizeof(*own), by_state);

	/* breadth first: failure links, DFA transitions, merged outputs */
	uint32_t *fail = vg_calloc(n, sizeof(*fail)), *queue = vg_malloc(n * sizeof(*queue)), *seen;
	uint32_t maxid = 0;
	size_t head = 0, tail = 0, npool = 0;
	size_t *first = vg_calloc((size_t)n + 1, sizeof(*first));  /* own[first[s] .. first[s + 1]): state s's */

	for (size_t i = 0; i < m->nlits; i++)
		maxid = own[i].id > maxid ? own[i].id : maxid;
	seen = vg_calloc((size_t)maxid + 1, sizeof(*seen));  /* per id: the last state given it, plus one */
	for (size_t i = 0; i < m->nlits; i++)
		first[own[i].state + 1]++;
	for (uint32_t s = 0; s < n; s++)
		first[s + 1] += first[s];
	m->out0 = vg_calloc(n, sizeof(*m->out0));
	m->nout = vg_calloc(n, sizeof(*m->nout));
	for (uint32_t c = 0; c < m->ncls; c++)
		if (go[c])
			queue[tail++] = go[c];  /* depth 1: fail to the root */
	while (head < tail) {
		uint32_t s = queue[head++], f = fail[s];

		for (uint32_t c = 0; c < m->ncls; c++) {
			uint32_t *t = &go[s * m->ncls + c];

			if (*t) {
				fail[*t] = go[f * m->ncls + c];
				queue[tail++] = *t;
			} else {
				*t = go[f * m->ncls + c];
			}
		}
		/* outputs: this state's own ids, then its failure state's (already merged: it is shallower) */
		m->out0[s] = (uint32_t)npool;
		for (size_t o = first[s]; o < first[s + 1]; o++) {
			if (seen[own[o].id] == s + 1)
				continue;
			seen[own[o].id] = s + 1;
			vg_grow(&m->pool, &cap, npool + 1, sizeof(*m->pool));
			m->pool[npool++] = own[o].id;
		}
		for (uint32_t k = 0; k < m->nout[f]; k++) {
			uint32_t id = m->pool[m->out0[f] + k];

			if (seen[id] == s + 1)
				continue;
			seen[id] = s + 1;
			vg_grow(&m->pool, &cap, npool + 1, sizeof(*m->pool));
			m->pool[npool++] = id;
		}
		m->nout[s] = (uint32_t)(npool - m->out0[s]);
	}
	m->go = vg_realloc(go, (size_t)n * m->ncls * sizeof(*go));
	m->nstates = n;
	for (size_t i = 0; i < (size_t)n * m->ncls; i++)
		m->go[i] = m->go[i] * m->ncls | (m->nout[m->go[i]] ? OUT_FLAG : 0);
	free(first);
	free(fail);
	free(queue);
	free(seen);
	free(own);
	free(m->lits);
	m->lits = NULL;
	m->nlits = m->caplits = 0;
}

void multimatch_scan(const struct multimatch *m, const char *s, size_t len, uint32_t *marks, uint32_t mark)
{
	const uint32_t *go = m->go;
	uint32_t row = 0;

	for (size_t i = 0; i < len; i++) {
		uint32_t t = go[row + m->cls[(uint8_t)s[i]]];

		row = t & ~OUT_FLAG;
		if (t & OUT_FLAG) {
			uint32_t st = row / m->ncls;

			for (uint32_t k = 0, n = m->nout[st]; k < n; k++)
				marks[m->pool[m->out0[st] + k]] = mark;
		}
	}
}

size_t multimatch_states(const struct multimatch *m)
{
	return m->nstates;
}

void multimatch_free(struct multimatch *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nlits; i++)
		free(m->lits[i].s);
	free(m->lits);
	free(m->go);
	free(m->out0);
	free(m->nout);
	free(m->pool);
	free(m);
}
