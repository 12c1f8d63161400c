/*
 * pipeline.c - decode -> enrich -> print/evaluate -> act, per record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline.h"

void pipeline_init(struct pipeline *p, const char *node, size_t max_procs, bool live)
{
	memset(p, 0, sizeof(*p));
	decoder_init(&p->dec, node, max_procs, live);
	p->jctx.node = p->dec.node;
	p->jctx.boot_wall_ns = p->dec.boot_wall_ns;
	p->alerts.node = p->dec.node;
	p->alerts.boot_wall_ns = p->dec.boot_wall_ns;
}

void pipeline_free(struct pipeline *p)
{
	eval_state_free(&p->eval);
	decoder_free(&p->dec);
	arena_free(&p->arena);
}

void pipeline_set_rules(struct pipeline *p, struct rule_engine *e)
{
	eval_state_free(&p->eval);
	p->rules = e;
	if (e)
		eval_state_init(&p->eval, e->slots.n, &p->arena, p->dec.node, p->dec.boot_wall_ns);
}

static void on_match(void *ctx, struct rule *r, const struct event *ev, struct eval_state *st)
{
	struct pipeline *p = ctx;
	char buf[64];
	const char *action = p->enforce ? enforcer_on_match(p->enforce, r, ev, ev->ts, buf, sizeof(buf)) : NULL;

	alert_emit(&p->alerts, r, ev, st, action);
}

int pipeline_feed(struct pipeline *p, const void *rec, size_t len)
{
	struct event ev;
	int rc = decode_record(&p->dec, rec, len, &ev, &p->arena);

	if (rc < 0)
		return -1;
	/* a node info record (replay) changes these */
	p->jctx.boot_wall_ns = p->alerts.boot_wall_ns = p->eval.env.boot_wall_ns = p->dec.boot_wall_ns;
	if (rc == 0)
		return 0;
	p->events++;
	if (p->events_out) {
		char *line = event_to_json_line(&p->jctx, &ev);

		if (line) {
			output_queue_push(p->events_out, line, strlen(line), 0);
			free(line);
		}
	}
	if (ev.kind == EV_ENFORCE) {
		/* the kernel acted; the rule's alert comes with the call's own event */
		if (p->enforce)
			enforcer_kernel_act(p->enforce, &ev, ev.ts);
	} else if (p->rules) {
		rule_engine_eval(p->rules, &p->eval, &ev, on_match, p);
	}
	event_release(&ev);
	arena_reset(&p->arena);
	return 0;
}
