/*
 * event_json.h - events as JSON lines, in the schema of docs/events.md
 * (modelled on Tetragon's export: one key per event kind, with the full
 * process and its parent).
 */
#ifndef VIGIL_EVENT_JSON_H
#define VIGIL_EVENT_JSON_H

#include <jansson.h>
#include "event.h"

struct event_json_ctx {
	const char *node;         /* node_name */
	uint64_t boot_wall_ns;    /* wall-clock time at boot */
};

json_t *event_to_json(const struct event_json_ctx *c, const struct event *ev);
/* one compact line, malloc'd, without the newline */
char *event_to_json_line(const struct event_json_ctx *c, const struct event *ev);
/* the process object; creds: the caller's at the event (NULL: the image's) */
json_t *proc_to_json(const struct event_json_ctx *c, const struct proc *p, uint32_t tid,
		     const struct vg_creds *creds);

#endif /* VIGIL_EVENT_JSON_H */
