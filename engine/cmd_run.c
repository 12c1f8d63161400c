/*
 * cmd_run.c - `vigil run`: the agent. Loads the rules (the stable preset
 * packs unless told otherwise) and the kernel programs, scans /proc, then
 * feeds every kernel record through the pipeline until SIGINT/SIGTERM.
 * SIGHUP re-reads the rules; if they do not load, the running ones stay.
 */
#include <getopt.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "control.h"
#include "enforce.h"
#include "kernel_capture.h"
#include "output_stream.h"
#include "output_syslog.h"
#include "pipeline.h"
#include "procfs.h"
#include "rules_cli.h"
#include "syscall_select.h"
#include "util.h"

static volatile sig_atomic_t stop_requested, reload_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
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
		"Rules (default: the stable preset packs):\n" RULES_CLI_USAGE
		"Outputs (default: alerts as text on stdout):\n"
		"  --json               alerts as JSON lines (same as -o json_output=true)\n"
		"  -o KEY=VALUE         Falco-style settings: json_output=true|false, priority=PRIO,\n"
		"                       stdout_output=true|false, syslog_output=true|false\n"
		"  --syslog             also send alerts to syslog (ident vigil, level = rule priority)\n"
		"  --syslog-facility F  syslog facility: user (default), daemon, local0..local7, ...\n"
		"  --no-stdout          do not print alerts on stdout\n"
		"  --output-file FILE   also append alerts to FILE as JSON lines\n"
		"Events:\n"
		"  --events             print every event as one JSON line (docs/events.md); alerts become JSON\n"
		"  --syscalls LIST      with --events: syscalls to capture, comma-separated names or 'all'\n"
		"                       (default: all the syscalls vigil decodes)\n"
		"  --no-rules           load no rules (with --events: just the event stream)\n"
		"Enforcement (only rules with 'enforce: kill|deny' act; see docs/enforcement.md):\n"
		"  --audit              report what enforcement would do, stop nothing\n"
		"  --enforce            kill or deny what enforcing rules match\n"
		"  --rule-mode GLOB=M   mode for rules whose name matches: off, audit or enforce (repeatable)\n"
		"  --tag-mode TAG=M     mode for rules with a tag, e.g. a pack name (repeatable)\n"
		"  --never-kill NAME    never act on this binary (name or path; repeatable; adds to the defaults:\n"
		"                       systemd, init, sshd, containerd, containerd-shim, dockerd, kubelet, runc)\n"
		"  --never-kill-cgroup PATH  never act on processes in this cgroup v2 directory (repeatable)\n"
		"  --escalation-ttl S   lifetime of selectors installed after userspace kills (default 600)\n"
		"  --escalation-max N   at most this many of them (default 16)\n"
		"  --persist            keep enforcing after the agent exits ('vigil enforce off' removes it)\n"
		"  --control-socket P   the control socket (default " CONTROL_SOCKET ")\n"
		"Agent:\n"
		"  --no-network         do not report TCP connection events\n"
		"  --node-name NAME     node name in events and alerts (default: the host name)\n"
		"  --ringbuf-mb N       kernel ring buffer size in MiB, a power of two (default 8)\n"
		"  --ringbuf-kb N       the same in KiB (for tests of drop accounting)\n"
		"  --max-procs N        processes the agent keeps track of at most (default 65536)\n"
		"  --verbose            print libbpf's messages\n");
}

#define MAX_LIST 64

struct run_opts {
	bool events, network, verbose, json, syslog, stdout_on, no_rules, persist;
	int facility;
	const char *syscalls, *node, *output_file, *control;
	size_t ringbuf_bytes, max_procs;
	struct rules_cli rc;
	enum enforce_mode mode;
	struct mode_override ov[MAX_LIST];
	size_t nov;
	const char *never[MAX_LIST], *never_cgroups[MAX_LIST];
	size_t nnever, nnever_cgroups;
	size_t esc_max;
	uint64_t esc_ttl;
};

static const char *const default_never_kill[] = {
	"systemd", "init", "sshd", "containerd", "containerd-shim", "dockerd", "kubelet", "runc",
};

static int mode_option(struct run_opts *o, const char *arg, bool tag)
{
	const char *eq = strrchr(arg, '=');
	int m = eq ? enforce_mode_parse(eq + 1) : -1;

	if (m < 0 || eq == arg || o->nov >= MAX_LIST) {
		fprintf(stderr, "vigil run: --%s-mode wants %s=off|audit|enforce, not '%s'\n", tag ? "tag" : "rule",
			tag ? "TAG" : "GLOB", arg);
		return -1;
	}
	/* the pattern is the argument up to '=' (argv stays alive for the agent's life) */
	((char *)eq)[0] = 0;
	o->ov[o->nov++] = (struct mode_override){ arg, tag, m };
	return 0;
}

static int falco_setting(struct run_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq) {
		fprintf(stderr, "vigil run: -o wants KEY=VALUE, not '%s'\n", kv);
		return -1;
	}
	size_t kl = eq - kv;
	const char *v = eq + 1;
	bool b = strcmp(v, "true") == 0;

	if (kl == 11 && !strncmp(kv, "json_output", kl))
		o->json = b;
	else if (kl == 13 && !strncmp(kv, "stdout_output", kl))
		o->stdout_on = b;
	else if (kl == 13 && !strncmp(kv, "syslog_output", kl))
		o->syslog = b;
	else if (kl == 8 && !strncmp(kv, "priority", kl))
		return rules_cli_option(&o->rc, RCLI_MIN_PRIORITY, v) < 0 ? -1 : 0;
	else {
		fprintf(stderr, "vigil run: unknown setting '%.*s' in -o\n", (int)kl, kv);
		return -1;
	}
	return 0;
}

static int parse_size(const char *arg, const char *what, unsigned shift, size_t *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || !v || (v & (v - 1))) {
		fprintf(stderr, "vigil run: %s wants a power of two, not '%s'\n", what, arg);
		return -1;
	}
	*out = (size_t)v << shift;
	return 0;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	enum {
		O_EVENTS = 256, O_SYSCALLS, O_NONET, O_NODE, O_RBMB, O_RBKB, O_MAXPROCS, O_VERBOSE, O_HELP,
		O_JSON, O_SYSLOG, O_FACILITY, O_NOSTDOUT, O_OUTFILE, O_NORULES, O_AUDIT, O_ENFORCE, O_RULEMODE,
		O_TAGMODE, O_NEVER, O_NEVERCG, O_ESCTTL, O_ESCMAX, O_PERSIST, O_CONTROL,
	};
	static const struct option longs[] = {
		{ "events", no_argument, NULL, O_EVENTS },
		{ "syscalls", required_argument, NULL, O_SYSCALLS },
		{ "no-network", no_argument, NULL, O_NONET },
		{ "node-name", required_argument, NULL, O_NODE },
		{ "ringbuf-mb", required_argument, NULL, O_RBMB },
		{ "ringbuf-kb", required_argument, NULL, O_RBKB },
		{ "max-procs", required_argument, NULL, O_MAXPROCS },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "json", no_argument, NULL, O_JSON },
		{ "syslog", no_argument, NULL, O_SYSLOG },
		{ "syslog-facility", required_argument, NULL, O_FACILITY },
		{ "no-stdout", no_argument, NULL, O_NOSTDOUT },
		{ "output-file", required_argument, NULL, O_OUTFILE },
		{ "no-rules", no_argument, NULL, O_NORULES },
		{ "audit", no_argument, NULL, O_AUDIT },
		{ "enforce", no_argument, NULL, O_ENFORCE },
		{ "rule-mode", required_argument, NULL, O_RULEMODE },
		{ "tag-mode", required_argument, NULL, O_TAGMODE },
		{ "never-kill", required_argument, NULL, O_NEVER },
		{ "never-kill-cgroup", required_argument, NULL, O_NEVERCG },
		{ "escalation-ttl", required_argument, NULL, O_ESCTTL },
		{ "escalation-max", required_argument, NULL, O_ESCMAX },
		{ "persist", no_argument, NULL, O_PERSIST },
		{ "control-socket", required_argument, NULL, O_CONTROL },
		{ "help", no_argument, NULL, O_HELP },
		RULES_CLI_LONG_OPTIONS,
		{ 0 },
	};
	int c;

	*o = (struct run_opts){ .network = true, .stdout_on = true, .facility = LOG_USER,
				.ringbuf_bytes = 8 << 20, .max_procs = 65536, .esc_max = 16, .esc_ttl = 600,
				.control = CONTROL_SOCKET };
	for (size_t i = 0; i < ARRAY_SIZE(default_never_kill); i++)
		o->never[o->nnever++] = default_never_kill[i];
	rules_cli_init(&o->rc);
	optind = 1;
	while ((c = getopt_long(argc, argv, RULES_CLI_SHORT "o:", longs, NULL)) != -1) {
		int r = rules_cli_option(&o->rc, c, optarg);
		char *end;
		unsigned long v;

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		switch (c) {
		case O_EVENTS: o->events = true; break;
		case O_SYSCALLS: o->syscalls = optarg; break;
		case O_NONET: o->network = false; break;
		case O_NODE: o->node = optarg; break;
		case O_VERBOSE: o->verbose = true; break;
		case O_JSON: o->json = true; break;
		case O_SYSLOG: o->syslog = true; break;
		case O_NOSTDOUT: o->stdout_on = false; break;
		case O_OUTFILE: o->output_file = optarg; break;
		case O_NORULES: o->no_rules = true; break;
		case O_AUDIT: o->mode = MODE_AUDIT; break;
		case O_ENFORCE: o->mode = MODE_ENFORCE; break;
		case O_PERSIST: o->persist = true; break;
		case O_CONTROL: o->control = optarg; break;
		case O_RULEMODE:
		case O_TAGMODE:
			if (mode_option(o, optarg, c == O_TAGMODE) < 0)
				return -1;
			break;
		case O_NEVER:
		case O_NEVERCG:
			if ((c == O_NEVER ? o->nnever : o->nnever_cgroups) >= MAX_LIST) {
				fprintf(stderr, "vigil run: too many never-kill entries\n");
				return -1;
			}
			if (c == O_NEVER)
				o->never[o->nnever++] = optarg;
			else
				o->never_cgroups[o->nnever_cgroups++] = optarg;
			break;
		case O_ESCTTL:
		case O_ESCMAX:
			v = strtoul(optarg, &end, 10);
			if (*end || !optarg[0]) {
				fprintf(stderr, "vigil run: --escalation-%s wants a number\n", c == O_ESCTTL ? "ttl" : "max");
				return -1;
			}
			if (c == O_ESCTTL)
				o->esc_ttl = v;
			else
				o->esc_max = v;
			break;
		case 'o':
			if (falco_setting(o, optarg) < 0)
				return -1;
			break;
		case O_FACILITY:
			o->facility = syslog_facility_parse(optarg);
			if (o->facility < 0) {
				fprintf(stderr, "vigil run: unknown syslog facility '%s'\n", optarg);
				return -1;
			}
			break;
		case O_RBMB:
			if (parse_size(optarg, "--ringbuf-mb", 20, &o->ringbuf_bytes) < 0)
				return -1;
			break;
		case O_RBKB:
			if (parse_size(optarg, "--ringbuf-kb", 10, &o->ringbuf_bytes) < 0)
				return -1;
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
	if (o->events)
		o->json = true;
	return 0;
}

/* what the kernel sends: the rules' event types, plus everything with --events */
static void interest(const struct run_opts *o, const struct rule_engine *e, const uint8_t *events_flags,
		     uint8_t flags[VG_MAX_SYSCALLS], bool *tcp)
{
	memset(flags, 0, VG_MAX_SYSCALLS);
	*tcp = o->events && o->network;
	if (o->events)
		memcpy(flags, events_flags, VG_MAX_SYSCALLS);
	if (e) {
		for (int i = 0; i < VG_MAX_SYSCALLS; i++)
			flags[i] |= e->syscall_flags[i];
		*tcp |= e->wants_tcp && o->network;
	}
	syscall_select_add_state(flags);
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
				"%llu tcp; dropped %llu (ring buffer full); %llu syscall exits without their entry; "
				"%llu truncated\n",
			(unsigned long long)st[VG_STAT_SENT_EXEC], (unsigned long long)st[VG_STAT_SENT_FORK],
			(unsigned long long)st[VG_STAT_SENT_EXIT], (unsigned long long)st[VG_STAT_SENT_SYSCALL],
			(unsigned long long)st[VG_STAT_SENT_TCP], (unsigned long long)st[VG_STAT_DROP_RINGBUF],
			(unsigned long long)st[VG_STAT_DROP_NOSTATE], (unsigned long long)st[VG_STAT_TRUNCATED]);
	}
}

static void report_output(struct output_queue *q)
{
	struct output_stats s;

	if (!q)
		return;
	output_queue_stats(q, &s);
	fprintf(stderr, "vigil: output %s: %llu lines written, %llu dropped (queue full), %llu failed\n",
		output_queue_name(q), (unsigned long long)s.written, (unsigned long long)s.dropped,
		(unsigned long long)s.failed);
}

/*
 * reload on SIGHUP: a new engine only if the rules load cleanly and their
 * selectors fit; the enforcer switches the kernel over in one step.
 */
static void reload(struct run_opts *o, struct pipeline *p, struct rule_engine **engine, struct kernel_capture *k,
		   const uint8_t *events_flags)
{
	struct rule_engine *e = rules_cli_load(&o->rc, true);
	uint8_t flags[VG_MAX_SYSCALLS];
	bool tcp;

	if (!e) {
		fprintf(stderr, "vigil: SIGHUP: the rules did not load; the running rules stay in force\n");
		return;
	}
	if (p->enforce && enforcer_load(p->enforce, e) < 0) {
		fprintf(stderr, "vigil: SIGHUP: %s; the running rules stay in force\n", p->enforce->error);
		rule_engine_free(e);
		return;
	}
	pipeline_set_rules(p, e);
	rule_engine_free(*engine);
	*engine = e;
	interest(o, e, events_flags, flags, &tcp);
	kernel_capture_set_syscalls(k, flags);
	kernel_capture_set_tcp(k, tcp);
	fprintf(stderr, "vigil: SIGHUP: rules reloaded (%zu rules enabled)\n", e->nenabled);
}

static void control_handler(void *ctx, const char *req, FILE *out)
{
	struct pipeline *p = ctx;

	if (!p->enforce) {
		fprintf(out, "error: enforcement is not set up in this agent\n");
	} else if (!strncmp(req, "mode ", 5)) {
		int m = enforce_mode_parse(req + 5);

		if (m < 0)
			fprintf(out, "error: unknown mode '%s' (off, audit, on)\n", req + 5);
		else if (enforcer_set_mode(p->enforce, m) < 0)
			fprintf(out, "error: %s\n", p->enforce->error);
		else {
			fprintf(out, "ok\nenforcement mode: %s\n", enforce_mode_name(m));
			fprintf(stderr, "vigil: enforcement mode set to %s (control socket)\n", enforce_mode_name(m));
		}
	} else if (!strcmp(req, "list")) {
		fprintf(out, "ok\n");
		enforcer_report(p->enforce, out);
	} else {
		fprintf(out, "error: unknown request '%s' (mode off|audit|on, list)\n", req);
	}
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct pipeline p;
	struct kernel_capture k;
	struct rule_engine *engine = NULL;
	uint8_t events_flags[VG_MAX_SYSCALLS], flags[VG_MAX_SYSCALLS];
	char host[64];
	uint64_t last_dropped = 0;
	bool tcp;
	int status = 0;

	if (parse(argc, argv, &o) < 0)
		return 2;
	/*
	 * Fixed malloc thresholds: start-up frees large buffers (libbpf's
	 * verifier logs, the kernel's parsed BTF), and glibc's dynamic
	 * thresholds would then keep ~10 MiB of freed heap for good.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024);
	if (host_check_root() < 0 || host_check_btf() < 0)
		return 2;
	if (syscall_select_parse(o.syscalls ? o.syscalls : "all", events_flags) < 0)
		return 2;
	if (!o.no_rules && !(o.events && !o.rc.nrules && !o.rc.npresets)) {
		engine = rules_cli_load(&o.rc, false);
		if (!engine)
			return 2;
	}
	if (!o.node) {
		gethostname(host, sizeof(host));
		host[sizeof(host) - 1] = 0;
		o.node = host;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	pipeline_init(&p, o.node, o.max_procs, true);
	pipeline_set_rules(&p, engine);
	struct output_sink sink = output_stream_sink(stdout, "stdout", false);
	struct output_queue *stdout_q = o.stdout_on || o.events ? output_queue_start(&sink, 64 << 20) : NULL;

	if (!stdout_q)
		sink.close(sink.ctx);
	p.events_out = o.events ? stdout_q : NULL;
	p.alerts.stdout_q = o.stdout_on ? stdout_q : NULL;
	p.alerts.json = o.json;
	if (o.syslog) {
		struct output_sink s = output_syslog_sink(o.facility);

		p.alerts.syslog_q = output_queue_start(&s, 16 << 20);
	}
	if (o.output_file) {
		FILE *f = fopen(o.output_file, "ae");

		if (!f) {
			fprintf(stderr, "vigil run: cannot open --output-file %s: %m\n", o.output_file);
			status = 2;
			goto out;
		}
		struct output_sink s = output_stream_sink(f, "file", true);

		p.alerts.file_q = output_queue_start(&s, 16 << 20);
	}

	struct kernel_capture_opts ko = {
		.ringbuf_bytes = o.ringbuf_bytes,
		.wakeup_bytes = o.ringbuf_bytes / 4,
		.verbose = o.verbose,
	};

	if (kernel_capture_open(&k, &ko, on_record, &p) < 0) {
		status = 2;
		goto out;
	}
	interest(&o, engine, events_flags, flags, &tcp);
	kernel_capture_set_syscalls(&k, flags);
	kernel_capture_set_tcp(&k, tcp);

	struct enforcer enf;
	struct enforce_opts eo = {
		.mode = o.mode, .ov = o.ov, .nov = o.nov, .never = o.never, .nnever = o.nnever,
		.never_cgroups = o.never_cgroups, .nnever_cgroups = o.nnever_cgroups,
		.esc_max = o.esc_max, .esc_ttl_s = o.esc_ttl,
	};

	if (enforcer_init(&enf, &k, &eo) < 0 || (engine && enforcer_load(&enf, engine) < 0)) {
		fprintf(stderr, "vigil: %s\n", enf.error);
		kernel_capture_close(&k);
		status = 2;
		goto out;
	}
	p.enforce = &enf;
	int ctl = control_listen(o.control);

	if (o.persist && kernel_capture_pin(&k, VIGIL_PIN_DIR) < 0) {
		status = 2;
		goto stop;
	}
	/* programs are attached first, so nothing starting now is missed */
	procfs_scan(&p.dec.procs.cgl, on_snapshot, &p);
	malloc_trim(0);  /* what start-up used and freed goes back to the system */
	fprintf(stderr, "vigil: running on %s: %zu rules enabled (%zu enforcing, mode %s), %zu processes known; "
			"Ctrl-C to stop\n", o.node, engine ? engine->nenabled : 0, enf.nrules, enforce_mode_name(o.mode),
		p.dec.procs.slots.len);

	time_t last_report = time(NULL);
	struct pollfd fds[2] = { { ring_buffer__epoll_fd(k.rb), POLLIN, 0 }, { ctl, POLLIN, 0 } };

	while (!stop_requested) {
		/* wait for records or a control request; records also arrive without wakeups */
		if (poll(fds, ctl >= 0 ? 2 : 1, 20) > 0 && ctl >= 0 && (fds[1].revents & POLLIN))
			control_serve(ctl, control_handler, &p);
		if (kernel_capture_poll(&k, 0) < 0)
			break;
		if (reload_requested) {
			reload_requested = 0;
			reload(&o, &p, &engine, &k, events_flags);
		}
		struct timespec bt;

		clock_gettime(CLOCK_BOOTTIME, &bt);
		enforcer_tick(&enf, bt.tv_sec * 1000000000ull + bt.tv_nsec, &p);
		time_t now = time(NULL);

		if (now - last_report >= 5) {
			report_drops(&k, &last_dropped, false);
			last_report = now;
		}
	}
	kernel_capture_poll(&k, 0);
	enforcer_tick(&enf, UINT64_MAX, &p);
	report_drops(&k, &last_dropped, true);
	if (enf.nrules) {
		fprintf(stderr, "vigil: enforcement at exit:\n");
		enforcer_report(&enf, stderr);
	}
	if (o.persist)
		fprintf(stderr, "vigil: enforcement stays in the kernel (pinned in %s); 'vigil enforce off' removes it\n",
			VIGIL_PIN_DIR);
stop:
	control_close(ctl, o.control);
	kernel_capture_close(&k);
	p.enforce = NULL;
	enforcer_free(&enf);
	fprintf(stderr, "vigil: %llu events, %llu alerts, %llu malformed records\n", (unsigned long long)p.events,
		(unsigned long long)p.alerts.alerts, (unsigned long long)p.dec.bad_records);
out:
	if (status == 0) {
		report_output(stdout_q);
		report_output(p.alerts.syslog_q);
		report_output(p.alerts.file_q);
	}
	output_queue_stop(stdout_q);
	output_queue_stop(p.alerts.syslog_q);
	output_queue_stop(p.alerts.file_q);
	pipeline_free(&p);
	rule_engine_free(engine);
	return status;
}
