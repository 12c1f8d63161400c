/*
 * output_queue.c - a bounded line queue drained by one thread per sink.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "output_queue.h"
#include "util.h"

struct line {
	struct line *next;
	size_t len;
	int level;
	char text[];
};

struct output_queue {
	struct output_sink sink;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct line *head, *tail;
	size_t bytes, max_bytes;
	bool stopping;
	struct output_stats stats;
};

/*
 * The writer takes every queued line at once, writes them and flushes
 * once: a burst costs two lock round trips and one flush, not two and one
 * per line. The bound counts queued lines; with a batch in flight the
 * memory held is at most twice max_bytes.
 */
static void *writer(void *arg)
{
	struct output_queue *q = arg;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->stopping)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->head)
			break;
		struct line *batch = q->head;

		q->head = q->tail = NULL;
		q->bytes = 0;
		pthread_mutex_unlock(&q->mu);

		size_t written = 0, failed = 0;

		while (batch) {
			struct line *l = batch;

			batch = l->next;
			if (q->sink.write(q->sink.ctx, l->text, l->len, l->level) < 0)
				failed++;
			else
				written++;
			free(l);
		}
		if (q->sink.flush && q->sink.flush(q->sink.ctx) < 0 && written) {
			written--;	/* the flush failed: count it against the batch */
			failed++;
		}
		pthread_mutex_lock(&q->mu);
		q->stats.written += written;
		q->stats.failed += failed;
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct output_queue *output_queue_start(const struct output_sink *sink, size_t max_bytes)
{
	struct output_queue *q = vg_calloc(1, sizeof(*q));

	q->sink = *sink;
	q->max_bytes = max_bytes;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		free(q);
		return NULL;
	}
	return q;
}

bool output_queue_push(struct output_queue *q, const char *text, size_t len, int level)
{
	struct line *l;

	pthread_mutex_lock(&q->mu);
	if (q->bytes + len > q->max_bytes) {
		q->stats.dropped++;
		pthread_mutex_unlock(&q->mu);
		return false;
	}
	pthread_mutex_unlock(&q->mu);
	l = vg_malloc(sizeof(*l) + len + 1);
	l->next = NULL;
	l->len = len;
	l->level = level;
	memcpy(l->text, text, len);
	l->text[len] = 0;
	pthread_mutex_lock(&q->mu);
	if (q->tail) {
		q->tail->next = l;	/* the writer has lines to write: no need to wake it */
	} else {
		q->head = l;
		pthread_cond_signal(&q->cv);
	}
	q->tail = l;
	q->bytes += len;
	pthread_mutex_unlock(&q->mu);
	return true;
}

void output_queue_stop(struct output_queue *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = true;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	if (q->sink.close)
		q->sink.close(q->sink.ctx);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
}

void output_queue_stats(struct output_queue *q, struct output_stats *s)
{
	pthread_mutex_lock(&q->mu);
	*s = q->stats;
	pthread_mutex_unlock(&q->mu);
}

const char *output_queue_name(const struct output_queue *q)
{
	return q->sink.name;
}
