/*
 * cmd_replay.c - `vigil replay CAPTURE`: feed a capture file through the
 * same pipeline as the live agent. Without rules it prints the same JSON
 * events the live agent prints; with rules (-r, --preset) it prints the
 * alerts they raise. --bench measures rule evaluation alone: every record
 * is decoded and enriched first, then the timed loop only evaluates;
 * --bench-rules then times each rule alone, to show what a rule set's
 * cost is made of.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "capture_file.h"
#include "cmd.h"
#include "output_stream.h"
#include "pipeline.h"
#include "rules_cli.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil replay CAPTURE [options]\n"
		"  CAPTURE              a file written by 'vigil record' ('-': stdin)\n"
		"  --events             print every event as one JSON line (the default without rules)\n"
		"  --json               alerts as JSON lines\n"
		"  --bench              measure rule evaluation throughput (decoding excluded)\n"
		"  --bench-seconds N    run the timed loop for about N seconds (default 3)\n"
		"  --bench-rules N      with --bench: also time each rule, list the N costliest\n"
		"Rules (given with -r or --preset; --bench defaults to the stable presets):\n" RULES_CLI_USAGE);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct rule_cost {
	const struct rule *r;
	double cpu;          /* seconds over the capture, beyond the prefilter's scans */
	uint64_t checked;    /* events the type index gives the rule */
	uint64_t passed;     /* of those, the ones its prefilter guard let through */
	uint64_t matched;    /* the ones it matched */
};

static int by_cost(const void *a, const void *b)
{
	double x = ((const struct rule_cost *)a)->cpu, y = ((const struct rule_cost *)b)->cpu;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * What each rule costs: every enabled rule alone, over the events of its
 * types that its prefilter guard lets through (found once, untimed), timed
 * until it has run for a while. The prefilter's scans are shared by all
 * rules and timed once, as the engine does them. Alone, a rule also pays
 * for the fields it shares with others, so the costs add up to a little
 * more than the engine's. Each rule is also run once without the
 * prefilter: the matches must be the engine's (`want`), or the prefilter
 * skipped a rule it should not have.
 */
static int bench_rules(const struct rule_engine *e, struct eval_state *st, struct arena *scratch,
		       const struct event *evs, size_t n, size_t top, uint64_t want)
{
	struct rule_cost *costs = vg_calloc(e->nrules ? e->nrules : 1, sizeof(*costs));
	size_t *pass = vg_malloc((n ? n : 1) * sizeof(*pass));
	size_t nc = 0;
	double total = 0, scans, c0;
	uint64_t matched = 0;
	int rounds;

	eval_state_marks(st, e->pf.nguards);
	for (size_t k = 0; k < e->nrules; k++) {
		const struct rule *r = &e->rules[k];
		struct rule_cost *c = &costs[nc];
		int32_t mark[EVT_MAX];

		if (!r->enabled || r->skipped)
			continue;
		c->r = r;
		for (int ty = 0; ty < EVT_MAX; ty++)
			mark[ty] = rule_engine_mark(e, r, ty);
		for (size_t i = 0; i < n; i++) {
			int ty = evs[i].type;

			if (ty < 0 || ty >= EVT_MAX || !(r->types[ty / 8] & (1 << (ty % 8))))
				continue;
			c->checked++;
			eval_begin(st);
			c->matched += cond_eval(st, r->cond, &evs[i]);
			eval_begin(st);
			prefilter_scan(&e->pf, st, &evs[i]);
			if (mark[ty] == MARK_NONE || (mark[ty] >= 0 && st->marks[mark[ty]] == st->gen))
				pass[c->passed++] = i;
			arena_reset(scratch);
		}
		c0 = cpu_s();
		rounds = 0;
		do {
			for (size_t i = 0; i < c->passed; i++) {
				eval_begin(st);
				cond_eval(st, r->cond, &evs[pass[i]]);
				arena_reset(scratch);
			}
			rounds++;
		} while (cpu_s() - c0 < 0.01 && c->passed);
		c->cpu = (cpu_s() - c0) / rounds;
		total += c->cpu;
		matched += c->matched;
		nc++;
	}
	free(pass);
	c0 = cpu_s();
	rounds = 0;
	do {
		for (size_t i = 0; i < n; i++) {
			eval_begin(st);
			if (evs[i].type >= 0 && evs[i].type < EVT_MAX)
				prefilter_scan(&e->pf, st, &evs[i]);
			arena_reset(scratch);
		}
		rounds++;
	} while (cpu_s() - c0 < 0.05);
	scans = (cpu_s() - c0) / rounds;

	qsort(costs, nc, sizeof(*costs), by_cost);
	printf("\nrules, costliest first: ns per event of the capture; events the type index gives the rule,\n"
	       "those its prefilter guard lets through, its matches\n");
	for (size_t k = 0; k < nc && k < top; k++)
		printf("%8.1f ns %5.1f%%  %8llu %8llu %6llu  %s\n", n ? costs[k].cpu * 1e9 / n : 0.0,
		       total > 0 ? 100 * costs[k].cpu / total : 0.0, (unsigned long long)costs[k].checked,
		       (unsigned long long)costs[k].passed, (unsigned long long)costs[k].matched,
		       costs[k].r->def->name);
	printf("%8.1f ns          all %zu rules; %llu matches\n", n ? total * 1e9 / n : 0.0, nc,
	       (unsigned long long)matched);
	printf("%8.1f ns          the prefilter's scans (%zu guarded fields)\n", n ? scans * 1e9 / n : 0.0,
	       e->pf.nfields);
	free(costs);
	if (matched != want) {
		fprintf(stderr, "vigil replay: the rules alone matched %llu times, the engine %llu times\n",
			(unsigned long long)matched, (unsigned long long)want);
		return 1;
	}
	return 0;
}

/* decode everything into events that stay valid, then time evaluation only */
static int bench(struct capture_reader *r, const char *path, struct rule_engine *e, double seconds,
		 size_t top_rules)
{
	struct decoder dec;
	struct arena keep = { 0 }, scratch = { 0 };
	struct event *evs = NULL;
	size_t n = 0, cap = 0;
	const void *rec;
	size_t len;
	char err[512];
	int rc;

	decoder_init(&dec, "", 1 << 20, false);
	while ((rc = capture_reader_next(r, &rec, &len, err, sizeof(err))) == 1) {
		void *copy = arena_alloc(&keep, len);

		memcpy(copy, rec, len);
		vg_grow(&evs, &cap, n + 1, sizeof(*evs));
		int d = decode_record(&dec, copy, len, &evs[n], &keep);

		if (d < 0) {
			fprintf(stderr, "vigil replay: %s: record %zu: %s\n", path, n + 1, dec.error);
			rc = -1;
			break;
		}
		n += d;
	}
	if (rc < 0) {
		if (err[0] && !dec.error[0])
			fprintf(stderr, "vigil replay: %s\n", err);
		for (size_t i = 0; i < n; i++)
			event_release(&evs[i]);
		free(evs);
		arena_free(&keep);
		decoder_free(&dec);
		return 1;
	}

	struct eval_state st;
	uint64_t matches = 0, evaluated = 0, pass_matches = 0;
	int status = 0;
	double t0 = now_s(), c0 = cpu_s(), t;
	int rounds = 0;

	eval_state_init(&st, e->slots.n, &scratch, dec.node, dec.boot_wall_ns);
	do {
		for (size_t i = 0; i < n; i++) {
			matches += rule_engine_eval(e, &st, &evs[i], NULL, NULL);
			arena_reset(&scratch);
		}
		evaluated += n;
		rounds++;
		t = now_s() - t0;
	} while (t < seconds && n);
	double cpu = cpu_s() - c0;

	printf("events: %zu (in %zu records), rules enabled: %zu, rounds: %d\n", n, (size_t)dec.records,
	       e->nenabled, rounds);
	/* one pass's matches, for the check of --bench-rules */
	for (size_t i = 0; i < n; i++) {
		pass_matches += rule_engine_eval(e, &st, &evs[i], NULL, NULL);
		arena_reset(&scratch);
	}
	printf("evaluated: %llu events in %.3f s of CPU: %.0f events/s, %.1f ns/event; %llu matches\n",
	       (unsigned long long)evaluated, cpu, cpu > 0 ? evaluated / cpu : 0.0,
	       evaluated ? cpu * 1e9 / evaluated : 0.0, (unsigned long long)matches);
	if (top_rules)
		status = bench_rules(e, &st, &scratch, evs, n, top_rules, pass_matches);
	eval_state_free(&st);
	for (size_t i = 0; i < n; i++)
		event_release(&evs[i]);
	free(evs);
	arena_free(&scratch);
	arena_free(&keep);
	decoder_free(&dec);
	return status;
}

int cmd_replay(int argc, char **argv)
{
	enum { O_EVENTS = 256, O_JSON, O_BENCH, O_BENCH_S, O_BENCH_RULES, O_HELP };
	static const struct option longs[] = {
		{ "events", no_argument, NULL, O_EVENTS },
		{ "json", no_argument, NULL, O_JSON },
		{ "bench", no_argument, NULL, O_BENCH },
		{ "bench-seconds", required_argument, NULL, O_BENCH_S },
		{ "bench-rules", required_argument, NULL, O_BENCH_RULES },
		{ "help", no_argument, NULL, O_HELP },
		RULES_CLI_LONG_OPTIONS,
		{ 0 },
	};
	struct rules_cli rc;
	struct rule_engine *engine = NULL;
	struct capture_reader *r;
	struct pipeline p;
	char err[512];
	const void *rec;
	size_t len;
	int c, status = 0, got;
	bool events = false, json = false, do_bench = false;
	double bench_s = 3;
	long top_rules = 0;
	uint64_t n = 0;

	rules_cli_init(&rc);
	optind = 1;
	while ((c = getopt_long(argc, argv, RULES_CLI_SHORT, longs, NULL)) != -1) {
		int k = rules_cli_option(&rc, c, optarg);

		if (k < 0)
			return 2;
		if (k > 0)
			continue;
		switch (c) {
		case O_EVENTS: events = true; break;
		case O_JSON: json = true; break;
		case O_BENCH: do_bench = true; break;
		case O_BENCH_S:
			bench_s = atof(optarg);
			if (bench_s <= 0) {
				fprintf(stderr, "vigil replay: --bench-seconds wants a positive number\n");
				return 2;
			}
			break;
		case O_BENCH_RULES:
			top_rules = strtol(optarg, NULL, 10);
			if (top_rules <= 0) {
				fprintf(stderr, "vigil replay: --bench-rules wants a positive number of rules\n");
				return 2;
			}
			break;
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (top_rules && !do_bench) {
		fprintf(stderr, "vigil replay: --bench-rules goes with --bench\n");
		return 2;
	}
	const char *path = argv[optind];
	bool want_rules = rc.nrules || rc.npresets || do_bench;

	if (want_rules) {
		engine = rules_cli_load(&rc, true);
		if (!engine)
			return 2;
	} else {
		events = true;
	}
	r = capture_reader_open(path, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "vigil replay: %s\n", err);
		rule_engine_free(engine);
		return 2;
	}
	if (do_bench) {
		status = bench(r, path, engine, bench_s, (size_t)top_rules);
		capture_reader_close(r);
		rule_engine_free(engine);
		return status;
	}
	pipeline_init(&p, "", 1 << 20, false);
	pipeline_set_rules(&p, engine);
	struct output_sink sink = output_stream_sink(stdout, "stdout", false);
	/* replay must not drop: a queue as large as it needs */
	struct output_queue *q = output_queue_start(&sink, (size_t)1 << 40);

	p.events_out = events ? q : NULL;
	p.alerts.stdout_q = q;
	p.alerts.json = json || events;
	while ((got = capture_reader_next(r, &rec, &len, err, sizeof(err))) == 1) {
		n++;
		if (pipeline_feed(&p, rec, len) < 0) {
			fprintf(stderr, "vigil replay: %s: record %llu: %s\n", path, (unsigned long long)n, p.dec.error);
			status = 1;
			break;
		}
	}
	if (got < 0) {
		fprintf(stderr, "vigil replay: %s\n", err);
		status = 1;
	}
	output_queue_stop(q);
	if (engine)
		fprintf(stderr, "vigil replay: %llu events, %llu alerts\n", (unsigned long long)p.events,
			(unsigned long long)p.alerts.alerts);
	pipeline_free(&p);
	rule_engine_free(engine);
	capture_reader_close(r);
	return status;
}
