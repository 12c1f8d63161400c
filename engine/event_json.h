/*
 * event_json.h - events as JSON lines, in the schema of docs/events.md
 * (modelled on Tetragon's export: one key per event kind, with the full
 * process and its parent).
 */
#ifndef VIGIL_EVENT_JSON_H
#define VIGIL_EVENT_JSON_H

#include "event.h"

struct event_json_ctx {
	const char *node;         /* node_name */
	uint64_t boot_wall_ns;    /* wall-clock time at boot */
};

/* one compact line, malloc'd, without the newline */
char *event_to_json_line(const struct event_json_ctx *c, const struct event *ev);

#endif /* VIGIL_EVENT_JSON_H */
