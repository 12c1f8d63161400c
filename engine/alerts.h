/*
 * alerts.h - turning a rule match into alert lines for each output:
 * text on stdout ("TIME: Priority output"), Falco-style JSON, syslog.
 *
 * Alerts are formatted on the event thread (the event and its process are
 * at hand there) and handed to the outputs' queues, which write them on
 * their own threads: a stalled output never stalls detection.
 */
#ifndef VIGIL_ALERTS_H
#define VIGIL_ALERTS_H

#include <stdbool.h>
#include <stdint.h>
#include "output_queue.h"
#include "rule_engine.h"

struct alert_sinks {
	struct output_queue *stdout_q;   /* text or JSON lines, or NULL */
	bool json;                       /* stdout_q gets JSON */
	struct output_queue *syslog_q;   /* or NULL */
	struct output_queue *file_q;     /* JSON lines to a file, or NULL */
	const char *node;
	uint64_t boot_wall_ns;
	uint64_t alerts;
};

/*
 * Emit one alert. `action` is what enforcement did ("killed (kernel)",
 * "would kill"...) or NULL when the rule does not enforce.
 */
void alert_emit(struct alert_sinks *s, const struct rule *r, const struct event *ev, struct eval_state *st,
		const char *action);

/* the text form, malloc'd ("2026-...+0000: Warning <output>") */
char *alert_text(const struct alert_sinks *s, const struct rule *r, const struct event *ev, struct eval_state *st,
		 const char *action);

#endif /* VIGIL_ALERTS_H */
