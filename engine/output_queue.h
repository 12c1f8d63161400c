/*
 * output_queue.h - handing lines (events, alerts) to a writer thread, so a
 * slow or blocked destination (a pipe nobody reads, a hung syslog, a full
 * disk) never stalls event processing.
 *
 * The queue is bounded in bytes. When it is full the line is dropped and
 * counted; write failures are counted too, and both are reported. The
 * writer flushes its destination whenever the queue runs empty, so a quiet
 * stream is delivered line by line and a busy one in batches.
 */
#ifndef VIGIL_OUTPUT_QUEUE_H
#define VIGIL_OUTPUT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output_sink {
	const char *name;                                   /* "stdout", "syslog", ... */
	/* write one line (without newline; the sink adds its own framing); <0 on failure */
	int (*write)(void *ctx, const char *line, size_t len, int level);
	int (*flush)(void *ctx);                            /* may be NULL */
	void (*close)(void *ctx);                           /* may be NULL */
	void *ctx;
};

struct output_queue;

struct output_queue *output_queue_start(const struct output_sink *sink, size_t max_bytes);
/* queue a copy of line; `level` is passed to the sink (syslog priority); false if dropped */
bool output_queue_push(struct output_queue *q, const char *line, size_t len, int level);
/* write everything queued, stop the thread, close the sink, free */
void output_queue_stop(struct output_queue *q);

struct output_stats {
	uint64_t written, dropped, failed;
};
void output_queue_stats(struct output_queue *q, struct output_stats *s);
const char *output_queue_name(const struct output_queue *q);

#endif /* VIGIL_OUTPUT_QUEUE_H */
