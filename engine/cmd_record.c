/*
 * cmd_record.c - `vigil record -o FILE`: save the kernel's records to a
 * capture file (engine/capture_file.h) for `vigil replay`.
 *
 * The file starts with the node's facts and a snapshot of /proc, and the
 * recorder runs the decoder alongside so that whatever the live decoder
 * learns from /proc later (a process or an fd it had not seen) is stored
 * too, just before the record that needed it: replay then rebuilds exactly
 * the state the live agent had.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "capture_file.h"
#include "cmd.h"
#include "kernel_capture.h"
#include "pipeline.h"
#include "procfs.h"
#include "syscall_select.h"
#include "util.h"

struct recorder {
	struct capture_writer *w;
	struct pipeline p;
	uint64_t records, bytes;
	bool failed;
	char err[512];
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void save(struct recorder *r, const void *rec, size_t len)
{
	if (r->failed)
		return;
	if (capture_writer_add(r->w, rec, len, r->err, sizeof(r->err)) < 0) {
		r->failed = true;
		stop_requested = 1;
		return;
	}
	r->records++;
	r->bytes += len;
}

static void on_procfs(void *ctx, const void *rec, size_t len)
{
	save(ctx, rec, len);
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct recorder *r = ctx;

	pipeline_feed(&r->p, data, len);  /* may save /proc facts first */
	save(r, data, len);
	return 0;
}

static void on_snapshot(const void *rec, size_t len, void *ctx)
{
	struct recorder *r = ctx;

	save(r, rec, len);
	pipeline_feed(&r->p, rec, len);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil record -o FILE [options]\n"
		"  -o, --output FILE    capture file to write ('-': stdout)\n"
		"  --syscalls LIST      syscalls to capture, comma-separated names or 'all' (default)\n"
		"  --duration SECONDS   stop after this long (default: until Ctrl-C)\n"
		"  --no-network         do not capture TCP connection events\n"
		"  --node-name NAME     node name stored in the capture\n"
		"  --ringbuf-mb N       kernel ring buffer size in MiB (default 16)\n"
		"  --verbose            print libbpf's messages\n");
}

int cmd_record(int argc, char **argv)
{
	enum { O_SYSCALLS = 256, O_DURATION, O_NONET, O_NODE, O_RBMB, O_VERBOSE, O_HELP };
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "syscalls", required_argument, NULL, O_SYSCALLS },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "no-network", no_argument, NULL, O_NONET },
		{ "node-name", required_argument, NULL, O_NODE },
		{ "ringbuf-mb", required_argument, NULL, O_RBMB },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	const char *out = NULL, *syscalls = "all", *node = NULL;
	double duration = 0;
	bool network = true, verbose = false;
	size_t rb = 16 << 20;
	uint8_t flags[VG_MAX_SYSCALLS];
	char host[64];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longs, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'o': out = optarg; break;
		case O_SYSCALLS: syscalls = optarg; break;
		case O_DURATION:
			duration = strtod(optarg, &end);
			if (*end || duration <= 0) {
				fprintf(stderr, "vigil record: --duration wants a positive number of seconds\n");
				return 2;
			}
			break;
		case O_NONET: network = false; break;
		case O_NODE: node = optarg; break;
		case O_RBMB: {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || (v & (v - 1))) {
				fprintf(stderr, "vigil record: --ringbuf-mb wants a power of two\n");
				return 2;
			}
			rb = v << 20;
			break;
		}
		case O_VERBOSE: verbose = true; break;
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!out || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (syscall_select_parse(syscalls, flags) < 0)
		return 2;
	if (!node) {
		gethostname(host, sizeof(host));
		host[sizeof(host) - 1] = 0;
		node = host;
	}

	struct recorder r = { 0 };
	struct kernel_capture k;
	struct vg_node_info ni;

	r.w = capture_writer_open(out, r.err, sizeof(r.err));
	if (!r.w) {
		fprintf(stderr, "vigil record: %s\n", r.err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	pipeline_init(&r.p, node, 65536, true);
	r.p.dec.procs.on_procfs = on_procfs;
	r.p.dec.procs.on_procfs_ctx = &r;

	struct kernel_capture_opts ko = { .ringbuf_bytes = rb, .wakeup_bytes = rb / 4, .verbose = verbose };

	if (kernel_capture_open(&k, &ko, on_record, &r) < 0) {
		capture_writer_close(r.w, r.err, sizeof(r.err));
		pipeline_free(&r.p);
		return 2;
	}
	procfs_node_info(&ni, node);
	save(&r, &ni, sizeof(ni));
	syscall_select_add_state(flags);
	kernel_capture_set_syscalls(&k, flags);
	kernel_capture_set_tcp(&k, network);
	procfs_scan(&r.p.dec.procs.cgl, on_snapshot, &r);
	fprintf(stderr, "vigil record: recording to %s; Ctrl-C to stop\n", out);

	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop_requested) {
		if (kernel_capture_poll(&k, 50) < 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration > 0 && (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 >= duration)
			break;
	}
	kernel_capture_poll(&k, 0);
	uint64_t st[VG_STAT_MAX];

	kernel_capture_stats(&k, st);
	kernel_capture_close(&k);
	pipeline_free(&r.p);
	if (capture_writer_close(r.w, r.err, sizeof(r.err)) < 0 || r.failed) {
		fprintf(stderr, "vigil record: %s\n", r.err);
		return 1;
	}
	fprintf(stderr, "vigil record: %llu records (%llu bytes before compression) written to %s; "
			"%llu dropped by the kernel (ring buffer full)\n",
		(unsigned long long)r.records, (unsigned long long)r.bytes, out,
		(unsigned long long)st[VG_STAT_DROP_RINGBUF]);
	return 0;
}
