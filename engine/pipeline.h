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
#include "alerts.h"
#include "enforce.h"
#include "arena.h"
#include "decode.h"
#include "eval.h"
#include "event_json.h"
#include "output_queue.h"
#include "rule_engine.h"

struct pipeline {
	struct decoder dec;
	struct arena arena;
	struct event_json_ctx jctx;
	struct output_queue *events_out;   /* JSON event lines, or NULL */
	struct rule_engine *rules;         /* or NULL; owned by the caller */
	struct eval_state eval;
	struct alert_sinks alerts;
	struct enforcer *enforce;          /* or NULL: rules only alert */
	uint64_t events;
};

void pipeline_init(struct pipeline *p, const char *node, size_t max_procs, bool live);
void pipeline_free(struct pipeline *p);

/* evaluate this ruleset from the next event on (NULL: none) */
void pipeline_set_rules(struct pipeline *p, struct rule_engine *e);

/* one record; returns -1 if it was malformed (the reason is in p->dec.error) */
int pipeline_feed(struct pipeline *p, const void *rec, size_t len);

#endif /* VIGIL_PIPELINE_H */
