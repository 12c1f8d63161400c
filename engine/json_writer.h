/*
 * json_writer.h - compact JSON text written straight into a buffer.
 *
 * The event stream (`vigil run --events`) formats every event as a JSON
 * line; building a jansson tree and dumping it cost ~200,000 instructions
 * per event, a fifth of a core at 10,000 events/s. This writer appends
 * text as it goes, with the same output as jansson's compact dump:
 * strings escaped as JSON requires, bytes that are not valid UTF-8 turned
 * into U+FFFD (paths and argv are bytes, JSON is UTF-8).
 *
 * Commas are the writer's business: a value after another value in the
 * same object or array gets one.
 */
#ifndef VIGIL_JSON_WRITER_H
#define VIGIL_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw {
	char *buf;
	size_t len, cap;
	bool comma;          /* the next value follows another */
};

void jw_init(struct jw *w);
/* the text (NUL-terminated, malloc'd); the writer is empty again */
char *jw_take(struct jw *w, size_t *len);
void jw_free(struct jw *w);

void jw_object(struct jw *w);      /* { */
void jw_object_end(struct jw *w);  /* } */
void jw_array(struct jw *w);       /* [ */
void jw_array_end(struct jw *w);   /* ] */
/* a key, one of vigil's own names (plain ASCII: written unescaped); its value comes next */
void jw_key(struct jw *w, const char *key);

void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* a value already written as JSON (a cached object) */
void jw_raw(struct jw *w, const char *json, size_t n);

#endif /* VIGIL_JSON_WRITER_H */
