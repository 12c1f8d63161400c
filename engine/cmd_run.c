/*
 * cmd_run.c - `vigil run`: the agent. Loads the kernel programs, scans
 * /proc, then feeds every kernel record through the pipeline until
 * SIGINT/SIGTERM.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "kernel_capture.h"
#include "output_stream.h"
#include "pipeline.h"
#include "procfs.h"
#include "syscall_select.h"
#include "util.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int on_record(void *ctx, void *data, size_t len)
{
	pipeline_feed(ctx, data, len);
	return 0;
}

static void on_snapshot(const void *rec, size_t len, void *ctx)
{
	pipeline_feed(ctx, rec, len);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil run [options]\n"
		"  --events             print every event as one JSON line (schema: docs/events.md)\n"
		"  --syscalls LIST      with --events: syscalls to capture, comma-separated names or 'all'\n"
		"                       (default: all the syscalls vigil decodes)\n"
		"  --no-network         do not report TCP connection events\n"
		"  --node-name NAME     node name in events and alerts (default: the host name)\n"
		"  --ringbuf-mb N       kernel ring buffer size in MiB, a power of two (default 16)\n"
		"  --ringbuf-kb N       the same in KiB (for tests of drop accounting)\n"
		"  --max-procs N        processes the agent keeps track of at most (default 65536)\n"
		"  --verbose            print libbpf's messages\n");
}

struct run_opts {
	bool events, network, verbose;
	const char *syscalls;
	const char *node;
	size_t ringbuf_bytes;
	size_t max_procs;
};

static int parse(int argc, char **argv, struct run_opts *o)
{
	enum { O_EVENTS = 256, O_SYSCALLS, O_NONET, O_NODE, O_RBMB, O_RBKB, O_MAXPROCS, O_VERBOSE, O_HELP };
	static const struct option longs[] = {
		{ "events", no_argument, NULL, O_EVENTS },
		{ "syscalls", required_argument, NULL, O_SYSCALLS },
		{ "no-network", no_argument, NULL, O_NONET },
		{ "node-name", required_argument, NULL, O_NODE },
		{ "ringbuf-mb", required_argument, NULL, O_RBMB },
		{ "ringbuf-kb", required_argument, NULL, O_RBKB },
		{ "max-procs", required_argument, NULL, O_MAXPROCS },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	int c;

	*o = (struct run_opts){ .network = true, .ringbuf_bytes = 16 << 20, .max_procs = 65536 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (c) {
		case O_EVENTS: o->events = true; break;
		case O_SYSCALLS: o->syscalls = optarg; break;
		case O_NONET: o->network = false; break;
		case O_NODE: o->node = optarg; break;
		case O_VERBOSE: o->verbose = true; break;
		case O_RBMB:
		case O_RBKB:
			v = strtoul(optarg, &end, 10);
			if (*end || !v || (v & (v - 1))) {
				fprintf(stderr, "vigil run: --ringbuf-%s wants a power of two, not '%s'\n",
					c == O_RBMB ? "mb" : "kb", optarg);
				return -1;
			}
			o->ringbuf_bytes = v << (c == O_RBMB ? 20 : 10);
			break;
		case O_MAXPROCS:
			v = strtoul(optarg, &end, 10);
			if (*end || v < 16) {
				fprintf(stderr, "vigil run: --max-procs wants a number of at least 16, not '%s'\n", optarg);
				return -1;
			}
			o->max_procs = v;
			break;
		case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil run: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void report_drops(struct kernel_capture *k, uint64_t *last_dropped, bool final)
{
	uint64_t st[VG_STAT_MAX];

	kernel_capture_stats(k, st);
	uint64_t dropped = st[VG_STAT_DROP_RINGBUF];

	if (dropped != *last_dropped) {
		fprintf(stderr, "vigil: the kernel dropped %llu records (ring buffer full; %llu in all): "
				"events were lost; raise --ringbuf-mb\n",
			(unsigned long long)(dropped - *last_dropped), (unsigned long long)dropped);
		*last_dropped = dropped;
	}
	if (final) {
		fprintf(stderr, "vigil: sent by the kernel: %llu exec, %llu fork, %llu exit, %llu syscall, "
				"%llu tcp; dropped %llu (ring buffer full), %llu (syscall state lost); "
				"%llu truncated\n",
			(unsigned long long)st[VG_STAT_SENT_EXEC], (unsigned long long)st[VG_STAT_SENT_FORK],
			(unsigned long long)st[VG_STAT_SENT_EXIT], (unsigned long long)st[VG_STAT_SENT_SYSCALL],
			(unsigned long long)st[VG_STAT_SENT_TCP], (unsigned long long)st[VG_STAT_DROP_RINGBUF],
			(unsigned long long)st[VG_STAT_DROP_NOSTATE], (unsigned long long)st[VG_STAT_TRUNCATED]);
	}
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct pipeline p;
	struct kernel_capture k;
	uint8_t flags[VG_MAX_SYSCALLS];
	char host[64];
	uint64_t last_dropped = 0;
	struct output_sink sink;

	if (parse(argc, argv, &o) < 0)
		return 2;
	if (syscall_select_parse(o.syscalls ? o.syscalls : "all", flags) < 0)
		return 2;
	if (!o.node) {
		gethostname(host, sizeof(host));
		host[sizeof(host) - 1] = 0;
		o.node = host;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);

	pipeline_init(&p, o.node, o.max_procs, true);
	sink = output_stream_sink(stdout, "stdout", false);
	p.events_out = output_queue_start(&sink, 64 << 20);
	struct kernel_capture_opts ko = {
		.ringbuf_bytes = o.ringbuf_bytes,
		.wakeup_bytes = o.ringbuf_bytes / 4,
		.verbose = o.verbose,
	};

	if (kernel_capture_open(&k, &ko, on_record, &p) < 0) {
		output_queue_stop(p.events_out);
		pipeline_free(&p);
		return 2;
	}
	syscall_select_add_state(flags);
	kernel_capture_set_syscalls(&k, flags);
	kernel_capture_set_tcp(&k, o.network);
	/* programs are attached first, so nothing starting now is missed */
	procfs_scan(&p.dec.procs.cgl, on_snapshot, &p);
	fprintf(stderr, "vigil: running on %s (%zu processes known); Ctrl-C to stop\n", o.node,
		p.dec.procs.slots.len);

	time_t last_report = time(NULL);

	while (!stop_requested) {
		if (kernel_capture_poll(&k, 20) < 0)
			break;
		time_t now = time(NULL);

		if (now - last_report >= 5) {
			report_drops(&k, &last_dropped, false);
			last_report = now;
		}
	}
	report_drops(&k, &last_dropped, true);
	kernel_capture_close(&k);
	struct output_stats os;

	output_queue_stats(p.events_out, &os);
	output_queue_stop(p.events_out);
	fprintf(stderr, "vigil: %llu events; output: %llu lines written, %llu dropped (queue full), "
			"%llu failed; %llu malformed records\n",
		(unsigned long long)p.events, (unsigned long long)os.written, (unsigned long long)os.dropped,
		(unsigned long long)os.failed, (unsigned long long)p.dec.bad_records);
	pipeline_free(&p);
	return 0;
}
