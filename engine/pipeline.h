/*
 * pipeline.h - what happens to each kernel record: decode and enrich it,
 * print it (--events), evaluate the rules on it, act on matches.
 *
 * The live agent and replay feed the same pipeline, so a capture replays
 * exactly as it ran. One thread runs it; outputs drain on their own threads.
 */
#ifndef VIGIL_PIPELINE_H
#define VIGIL_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "decode.h"
#include "event_json.h"
#include "output_queue.h"

struct pipeline {
	struct decoder dec;
	struct arena arena;
	struct event_json_ctx jctx;
	struct output_queue *events_out;   /* JSON event lines, or NULL */
	uint64_t events;
	bool fail_on_bad;                  /* replay: stop at the first malformed record */
	bool failed;
};

void pipeline_init(struct pipeline *p, const char *node, size_t max_procs, bool live);
void pipeline_free(struct pipeline *p);

/* one record; returns -1 if it was malformed (the reason is in p->dec.error) */
int pipeline_feed(struct pipeline *p, const void *rec, size_t len);

#endif /* VIGIL_PIPELINE_H */
