/*
 * alerts.c - alert formatting and dispatch.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "alerts.h"
#include "event.h"
#include "timefmt.h"
#include "util.h"

/* "2026-11-29T05:53:14.123456789+0000", the form Falco prints in text alerts */
static void iso8601(uint64_t ns, char *buf, size_t n)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, n, "%04u-%02u-%02uT%02u:%02u:%02u.%09u+0000", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(ns % 1000000000ull));
}

static char *output_line(const struct alert_sinks *s, const struct rule *r, const struct event *ev,
			 struct eval_state *st, const char *action, bool with_time)
{
	char t[64];
	char *body = out_format_render(&r->out, st, ev);
	char *line;

	iso8601(s->boot_wall_ns + ev->ts, t, sizeof(t));
	if (with_time)
		line = vg_asprintf("%s: %s %s%s%s%s", t, priority_name(r->def->priority), body,
				   action ? " (" : "", action ? action : "", action ? ")" : "");
	else
		line = vg_asprintf("%s %s%s%s%s", priority_name(r->def->priority), body, action ? " (" : "",
				   action ? action : "", action ? ")" : "");
	free(body);
	return line;
}

char *alert_text(const struct alert_sinks *s, const struct rule *r, const struct event *ev, struct eval_state *st,
		 const char *action)
{
	return output_line(s, r, ev, st, action, true);
}

static char *alert_json(const struct alert_sinks *s, const struct rule *r, const struct event *ev,
			struct eval_state *st, const char *action)
{
	json_t *o = json_object(), *tags = json_array();
	char t[64], *out, *line;

	for (size_t i = 0; i < r->def->ntags; i++)
		json_array_append_new(tags, json_string(r->def->tags[i]));
	out = output_line(s, r, ev, st, action, true);
	time_rfc3339(s->boot_wall_ns + ev->ts, t, sizeof(t));
	json_object_set_new(o, "hostname", json_string(s->node));
	json_t *js = json_string(out);

	json_object_set_new(o, "output", js ? js : json_string("<binary>"));
	json_object_set_new(o, "output_fields", out_format_fields(&r->out, st, ev));
	json_object_set_new(o, "priority", json_string(priority_name(r->def->priority)));
	json_object_set_new(o, "rule", json_string(r->def->name));
	json_object_set_new(o, "source", json_string(r->def->source ? r->def->source : "syscall"));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "time", json_string(t));
	if (action)
		json_object_set_new(o, "enforcement", json_string(action));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	free(out);
	return line;
}

void alert_emit(struct alert_sinks *s, const struct rule *r, const struct event *ev, struct eval_state *st,
		const char *action)
{
	char *text = NULL, *json = NULL;

	s->alerts++;
	if (s->stdout_q) {
		if (s->json) {
			json = alert_json(s, r, ev, st, action);
			output_queue_push(s->stdout_q, json, strlen(json), r->def->priority);
		} else {
			text = output_line(s, r, ev, st, action, true);
			output_queue_push(s->stdout_q, text, strlen(text), r->def->priority);
		}
	}
	if (s->file_q) {
		if (!json)
			json = alert_json(s, r, ev, st, action);
		output_queue_push(s->file_q, json, strlen(json), r->def->priority);
	}
	if (s->syslog_q) {
		char *line = output_line(s, r, ev, st, action, false);

		output_queue_push(s->syslog_q, line, strlen(line), r->def->priority);
		free(line);
	}
	free(text);
	free(json);
}
