/*
 * cmd_replay.c - `vigil replay CAPTURE`: feed a capture file through the
 * same pipeline as the live agent, printing the same JSON events.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_file.h"
#include "cmd.h"
#include "output_stream.h"
#include "pipeline.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil replay CAPTURE [options]\n"
		"  CAPTURE              a file written by 'vigil record' ('-': stdin)\n"
		"  --events             print every event as one JSON line (the default)\n");
}

int cmd_replay(int argc, char **argv)
{
	enum { O_EVENTS = 256, O_HELP };
	static const struct option longs[] = {
		{ "events", no_argument, NULL, O_EVENTS },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	struct capture_reader *r;
	struct pipeline p;
	struct output_sink sink;
	char err[512];
	const void *rec;
	size_t len;
	int c, rc, status = 0;
	uint64_t n = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case O_EVENTS: break;
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	const char *path = argv[optind];

	r = capture_reader_open(path, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "vigil replay: %s\n", err);
		return 2;
	}
	pipeline_init(&p, "", 1 << 20, false);
	sink = output_stream_sink(stdout, "stdout", false);
	/* replay must not drop: a large queue, and the reader is faster than any consumer anyway */
	p.events_out = output_queue_start(&sink, (size_t)1 << 30);
	while ((rc = capture_reader_next(r, &rec, &len, err, sizeof(err))) == 1) {
		n++;
		if (pipeline_feed(&p, rec, len) < 0) {
			fprintf(stderr, "vigil replay: %s: record %llu: %s\n", path, (unsigned long long)n, p.dec.error);
			status = 1;
			break;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "vigil replay: %s\n", err);
		status = 1;
	}
	output_queue_stop(p.events_out);
	pipeline_free(&p);
	capture_reader_close(r);
	return status;
}
