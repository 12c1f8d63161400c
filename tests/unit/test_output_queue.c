/*
 * test_output_queue.c - the writer-thread queue: lines reach the sink in
 * order with their levels, a sink that blocks (on a mutex the test holds)
 * makes pushes beyond max_bytes drop and count without ever blocking the
 * pusher, write and flush failures are counted, and stopping delivers what
 * is queued and closes the sink once.
 *
 * A push that blocked would hang the test; an alarm turns that into a
 * failure (the process dies, and the runner reports the missing result).
 */
#include "test_util.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "output_queue.h"

#define HANG_LIMIT_S 30

struct sink_state {
	pthread_mutex_t gate;   /* the test holds it to block the writer inside write */
	pthread_mutex_t mu;     /* guards everything below */
	char **lines;
	int *levels;
	size_t n, cap;
	int entered;            /* writes begun */
	int flushes, closes;
	int fail_every;         /* write fails for every Nth line (0: never) */
	bool fail_flush;
};

static void sink_init(struct sink_state *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->gate, NULL);
	pthread_mutex_init(&s->mu, NULL);
}

static void sink_free(struct sink_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->levels);
	pthread_mutex_destroy(&s->gate);
	pthread_mutex_destroy(&s->mu);
}

static int sink_write(void *ctx, const char *line, size_t len, int level)
{
	struct sink_state *s = ctx;
	bool fail;

	pthread_mutex_lock(&s->mu);
	s->entered++;
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_lock(&s->gate);
	pthread_mutex_unlock(&s->gate);

	pthread_mutex_lock(&s->mu);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->lines = realloc(s->lines, s->cap * sizeof(*s->lines));
		s->levels = realloc(s->levels, s->cap * sizeof(*s->levels));
	}
	s->lines[s->n] = strndup(line, len);
	s->levels[s->n] = level;
	s->n++;
	fail = s->fail_every && s->n % s->fail_every == 0;
	pthread_mutex_unlock(&s->mu);
	return fail ? -1 : 0;
}

static int sink_flush(void *ctx)
{
	struct sink_state *s = ctx;
	int rc;

	pthread_mutex_lock(&s->mu);
	s->flushes++;
	rc = s->fail_flush ? -1 : 0;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static void sink_close(void *ctx)
{
	struct sink_state *s = ctx;

	pthread_mutex_lock(&s->mu);
	s->closes++;
	pthread_mutex_unlock(&s->mu);
}

static struct output_queue *start(struct sink_state *s, size_t max_bytes)
{
	const struct output_sink sink = {
		.name = "test", .write = sink_write, .flush = sink_flush, .close = sink_close, .ctx = s,
	};
	struct output_queue *q = output_queue_start(&sink, max_bytes);

	assert_non_null(q);
	return q;
}

static int entered(struct sink_state *s)
{
	int n;

	pthread_mutex_lock(&s->mu);
	n = s->entered;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* wait (at most 10 s) until the writer has begun `n` writes */
static void wait_entered(struct sink_state *s, int n)
{
	for (int i = 0; i < 10000 && entered(s) < n; i++)
		sleep_ms(1);
	assert_int_equal(entered(s), n);
}

/* wait (at most 10 s) until the queue has counted `n` lines as handled */
static void wait_handled(struct output_queue *q, uint64_t n, struct output_stats *st)
{
	for (int i = 0; i < 10000; i++) {
		output_queue_stats(q, st);
		if (st->written + st->failed >= n)
			return;
		sleep_ms(1);
	}
	fail_msg("only %llu of %llu lines handled", (unsigned long long)(st->written + st->failed),
		 (unsigned long long)n);
}

static bool push_str(struct output_queue *q, const char *s, int level)
{
	return output_queue_push(q, s, strlen(s), level);
}

static void lines_arrive_in_order(void **state)
{
	enum { N = 5000 };
	struct sink_state s;
	struct output_queue *q;
	struct output_stats st;

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	q = start(&s, 1 << 20);
	assert_string_equal(output_queue_name(q), "test");
	for (int i = 0; i < N; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %d", i);
		assert_true(push_str(q, line, i % 8));
	}
	wait_handled(q, N, &st);
	assert_int_equal(st.written, N);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.failed, 0);
	output_queue_stop(q);
	assert_int_equal(s.n, N);
	for (int i = 0; i < N; i++) {
		char want[32];

		snprintf(want, sizeof(want), "line %d", i);
		assert_string_equal(s.lines[i], want);
		assert_int_equal(s.levels[i], i % 8);
	}
	/* the queue ran empty at least once, and the sink was closed once */
	assert_true(s.flushes >= 1);
	assert_int_equal(s.closes, 1);
	sink_free(&s);
	alarm(0);
}

/* lines are copied: the pusher's buffer can change at once; the length is what counts */
static void lines_are_copied(void **state)
{
	struct sink_state s;
	struct output_queue *q;
	char buf[16] = "abcdef";

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	pthread_mutex_lock(&s.gate);
	q = start(&s, 1024);
	assert_true(output_queue_push(q, buf, 3, 0));
	strcpy(buf, "XYZXYZ");
	assert_true(output_queue_push(q, "", 0, 1));   /* an empty line is a line */
	pthread_mutex_unlock(&s.gate);
	output_queue_stop(q);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.lines[0], "abc");
	assert_string_equal(s.lines[1], "");
	sink_free(&s);
	alarm(0);
}

/*
 * The sink blocks on the first line; the queue then holds at most
 * max_bytes more, drops the rest and counts them, and every push returns
 * at once. Released, the sink gets exactly the lines that were kept.
 */
static void blocked_sink_drops_beyond_max_bytes(void **state)
{
	struct sink_state s;
	struct output_queue *q;
	struct output_stats st;
	char line[32];

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	pthread_mutex_lock(&s.gate);
	q = start(&s, 100);
	assert_true(push_str(q, "first", 0));
	wait_entered(&s, 1);   /* the writer took it and is stuck in write */

	/* ten lines of 10 bytes fill the 100 bytes exactly */
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "kept-%05d", i);
		assert_int_equal(strlen(line), 10);
		assert_true(push_str(q, line, 0));
	}
	/* anything more is dropped, however small */
	for (int i = 0; i < 1000; i++)
		assert_false(push_str(q, "dropped-xx", 0));
	assert_false(push_str(q, "x", 0));
	output_queue_stats(q, &st);
	assert_int_equal(st.dropped, 1001);
	assert_int_equal(st.written, 0);
	assert_int_equal(entered(&s), 1);

	pthread_mutex_unlock(&s.gate);
	wait_handled(q, 11, &st);
	assert_int_equal(st.written, 11);
	assert_int_equal(st.dropped, 1001);
	assert_int_equal(st.failed, 0);
	/* drained, the queue has room again */
	assert_true(push_str(q, "after", 0));
	output_queue_stop(q);

	assert_int_equal(s.n, 12);
	assert_string_equal(s.lines[0], "first");
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "kept-%05d", i);
		assert_string_equal(s.lines[1 + i], line);
	}
	assert_string_equal(s.lines[11], "after");
	sink_free(&s);
	alarm(0);
}

/* a line longer than the whole queue can never be queued */
static void oversized_line(void **state)
{
	struct sink_state s;
	struct output_queue *q;
	struct output_stats st;
	char big[101];

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	q = start(&s, 100);
	memset(big, 'b', sizeof(big));
	assert_false(output_queue_push(q, big, sizeof(big), 0));
	assert_true(output_queue_push(q, big, 100, 0));
	wait_handled(q, 1, &st);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.written, 1);
	output_queue_stop(q);
	assert_int_equal(s.n, 1);
	assert_int_equal(strlen(s.lines[0]), 100);
	sink_free(&s);
	alarm(0);
}

static void write_failures_are_counted(void **state)
{
	struct sink_state s;
	struct output_queue *q;
	struct output_stats st;

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	s.fail_every = 3;
	q = start(&s, 1 << 16);
	for (int i = 0; i < 10; i++)
		assert_true(push_str(q, "line", 0));
	wait_handled(q, 10, &st);
	assert_int_equal(st.failed, 3);
	assert_int_equal(st.written, 7);
	assert_int_equal(st.dropped, 0);
	output_queue_stop(q);
	/* a failed line is not retried */
	assert_int_equal(s.n, 10);
	sink_free(&s);
	alarm(0);
}

/* the sink is flushed when the queue runs empty; a failed flush counts as a failure */
static void flush_when_empty(void **state)
{
	struct sink_state s;
	struct output_queue *q;
	struct output_stats st;

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	pthread_mutex_lock(&s.gate);
	q = start(&s, 1 << 16);
	/* a batch queued behind a blocked write is flushed once, after its last line */
	assert_true(push_str(q, "a", 0));
	wait_entered(&s, 1);
	assert_true(push_str(q, "b", 0));
	assert_true(push_str(q, "c", 0));
	pthread_mutex_unlock(&s.gate);
	wait_handled(q, 3, &st);
	pthread_mutex_lock(&s.mu);
	assert_int_equal(s.flushes, 2);   /* after "a" (queue empty then) and after "c" */
	s.fail_flush = true;
	pthread_mutex_unlock(&s.mu);

	assert_true(push_str(q, "d", 0));
	wait_handled(q, 4, &st);
	assert_int_equal(st.written, 3);
	assert_int_equal(st.failed, 1);
	output_queue_stop(q);
	assert_int_equal(s.n, 4);
	sink_free(&s);
	alarm(0);
}

/* stopping writes out what is still queued, then closes the sink */
static void stop_delivers_the_queue(void **state)
{
	struct sink_state s;
	struct output_queue *q;

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	pthread_mutex_lock(&s.gate);
	q = start(&s, 1 << 16);
	for (int i = 0; i < 50; i++)
		assert_true(push_str(q, "pending", 0));
	pthread_mutex_unlock(&s.gate);
	output_queue_stop(q);
	assert_int_equal(s.n, 50);
	assert_int_equal(s.closes, 1);
	sink_free(&s);
	output_queue_stop(NULL);   /* stopping no queue is a no-op */
	alarm(0);
}

/* a sink may have no flush or close */
static void minimal_sink(void **state)
{
	struct sink_state s;
	const struct output_sink sink = { .name = "bare", .write = sink_write, .ctx = &s };
	struct output_queue *q;

	(void)state;
	alarm(HANG_LIMIT_S);
	sink_init(&s);
	q = output_queue_start(&sink, 1024);
	assert_non_null(q);
	assert_string_equal(output_queue_name(q), "bare");
	assert_true(push_str(q, "only", 3));
	output_queue_stop(q);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.levels[0], 3);
	assert_int_equal(s.flushes, 0);
	assert_int_equal(s.closes, 0);
	sink_free(&s);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_arrive_in_order),
		cmocka_unit_test(lines_are_copied),
		cmocka_unit_test(blocked_sink_drops_beyond_max_bytes),
		cmocka_unit_test(oversized_line),
		cmocka_unit_test(write_failures_are_counted),
		cmocka_unit_test(flush_when_empty),
		cmocka_unit_test(stop_delivers_the_queue),
		cmocka_unit_test(minimal_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
