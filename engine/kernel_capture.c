/*
 * kernel_capture.c - BPF skeleton lifecycle and ring buffer polling.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "kernel_capture.h"
#include "util.h"
#include "vigil.skel.h"

/* --- libbpf messages ------------------------------------------------------------ */

static bool log_verbose;
static char log_last[2048];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level == LIBBPF_DEBUG && !log_verbose)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_verbose)
		fprintf(stderr, "libbpf: %s", line);
	if (level != LIBBPF_DEBUG) {
		/* keep the last warning: it usually names the program and errno */
		snprintf(log_last, sizeof(log_last), "%s", line);
		log_last[strcspn(log_last, "\n")] = 0;
	}
	return 0;
}

void libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

const char *libbpf_log_last(void)
{
	return log_last;
}

/* --- host checks ------------------------------------------------------------------ */

int host_check_root(void)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "vigil: must run as root: loading BPF programs needs CAP_BPF, CAP_PERFMON and "
			"CAP_SYS_ADMIN (run it with sudo)\n");
	return -1;
}

int host_check_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return 0;
	fprintf(stderr, "vigil: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): vigil needs a "
			"kernel built with CONFIG_DEBUG_INFO_BTF=y (most distribution kernels since 2021)\n");
	return -1;
}

int host_ensure_tracefs(void)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0 || stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return 0;
	fprintf(stderr, "vigil: tracefs is not mounted and mounting it failed (%s): mount it first with "
			"'mount -t tracefs nodev /sys/kernel/tracing'\n", strerror(errno));
	return -1;
}

/* --- capture ---------------------------------------------------------------------- */

int kernel_capture_open(struct kernel_capture *k, const struct kernel_capture_opts *o,
			ring_buffer_sample_fn fn, void *ctx)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int err;

	memset(k, 0, sizeof(*k));
	if (host_check_root() < 0 || host_check_btf() < 0 || host_ensure_tracefs() < 0)
		return -1;
	libbpf_log_setup(o->verbose);
	/* only needed on kernels before 5.11, which charge BPF memory to memlock; may fail */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	cgroup_layout_detect(&k->cgl);

	k->skel = vigil_bpf__open();
	if (!k->skel) {
		fprintf(stderr, "vigil: cannot open the BPF object (%s)\n", strerror(errno));
		return -1;
	}
	k->skel->rodata->agent_tgid = getpid();
	k->skel->rodata->wakeup_bytes = o->wakeup_bytes;
	k->skel->rodata->cgroup_subsys_idx = k->cgl.subsys_idx;
	err = bpf_map__set_max_entries(k->skel->maps.events, o->ringbuf_bytes);
	if (err) {
		fprintf(stderr, "vigil: cannot size the ring buffer to %zu bytes (%s): use a power of two of "
				"at least 4096\n", o->ringbuf_bytes, strerror(-err));
		goto fail;
	}
	err = vigil_bpf__load(k->skel);
	if (err) {
		fprintf(stderr, "vigil: the kernel refused vigil's BPF programs (%s%s%s): see 'vigil features'; "
				"--verbose prints the verifier log\n", strerror(-err),
			log_last[0] ? ": " : "", log_last);
		goto fail;
	}
	err = vigil_bpf__attach(k->skel);
	if (err) {
		fprintf(stderr, "vigil: cannot attach vigil's BPF programs (%s%s%s): see 'vigil features'\n",
			strerror(-err), log_last[0] ? ": " : "", log_last);
		goto fail;
	}
	k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events), fn, ctx, NULL);
	if (!k->rb) {
		fprintf(stderr, "vigil: cannot set up the BPF ring buffer reader (%s): try a smaller "
				"--ringbuf-mb\n", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	kernel_capture_close(k);
	return -1;
}

void kernel_capture_close(struct kernel_capture *k)
{
	ring_buffer__free(k->rb);
	vigil_bpf__destroy(k->skel);
	k->rb = NULL;
	k->skel = NULL;
}

void kernel_capture_set_syscalls(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS])
{
	memcpy(k->skel->bss->syscall_flags, flags, VG_MAX_SYSCALLS);
}

void kernel_capture_set_tcp(struct kernel_capture *k, bool on)
{
	k->skel->bss->tcp_enabled = on;
}

int kernel_capture_poll(struct kernel_capture *k, int timeout_ms)
{
	/* records are sent without wakeups unless the ring fills up, so after a
	 * quiet wait consume explicitly */
	int n = ring_buffer__poll(k->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	n = ring_buffer__consume(k->rb);
	return n < 0 && n != -EINTR ? n : 0;
}

void kernel_capture_stats(struct kernel_capture *k, uint64_t out[VG_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	int fd = bpf_map__fd(k->skel->maps.stats);

	memset(out, 0, sizeof(uint64_t) * VG_STAT_MAX);
	if (ncpu <= 0)
		return;
	vals = vg_calloc(ncpu, sizeof(uint64_t));
	for (uint32_t i = 0; i < VG_STAT_MAX; i++) {
		if (bpf_map_lookup_elem(fd, &i, vals) != 0)
			continue;
		for (int c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
	free(vals);
}
