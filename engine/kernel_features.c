/*
 * kernel_features.c - probing attach types and helpers one program at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cgroup_layout.h"
#include "kernel_features.h"
#include "kernel_capture.h"
#include "probe.skel.h"
#include "util.h"

static const char *const names[FEAT_MAX] = {
	[FEAT_TRACEPOINT] = "tracepoint",
	[FEAT_RAW_TRACEPOINT] = "raw_tracepoint",
	[FEAT_TP_BTF] = "tp_btf",
	[FEAT_FENTRY] = "fentry",
	[FEAT_KPROBE] = "kprobe",
	[FEAT_LSM] = "lsm",
	[FEAT_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
	[FEAT_SEND_SIGNAL] = "send_signal",
	[FEAT_RINGBUF] = "ringbuf",
};

const char *feature_name(enum feature f)
{
	return names[f];
}

static struct bpf_program *target(struct probe_bpf *s, enum feature f)
{
	switch (f) {
	case FEAT_TRACEPOINT: return s->progs.probe_tracepoint;
	case FEAT_RAW_TRACEPOINT: return s->progs.probe_raw_tp;
	case FEAT_TP_BTF: return s->progs.probe_tp_btf;
	case FEAT_FENTRY: return s->progs.probe_fentry;
	case FEAT_KPROBE: return s->progs.probe_kprobe;
	case FEAT_LSM: return s->progs.probe_lsm;
	case FEAT_CGROUP_SOCK_ADDR: return s->progs.probe_cgroup_connect4;
	case FEAT_SEND_SIGNAL: return s->progs.probe_send_signal;
	case FEAT_RINGBUF: return s->progs.probe_ringbuf;
	default: return NULL;
	}
}

static bool lsm_enabled_at_boot(void)
{
	char buf[512];
	int fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return true; /* securityfs not mounted: let the load decide */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = 0;
	for (char *t = strtok(buf, ",\n"); t; t = strtok(NULL, ",\n"))
		if (strcmp(t, "bpf") == 0)
			return true;
	return false;
}

static int attach_cgroup(struct bpf_program *prog, char *reason, size_t n)
{
	struct cgroup_layout l;
	struct bpf_link *link;
	int cg;

	cgroup_layout_detect(&l);
	if (!l.v2_mount[0]) {
		vg_snprintf(reason, n, "no cgroup v2 hierarchy is mounted");
		return -1;
	}
	cg = open(l.v2_mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0) {
		vg_snprintf(reason, n, "cannot open %s (%s)", l.v2_mount, strerror(errno));
		return -1;
	}
	link = bpf_program__attach_cgroup(prog, cg);
	close(cg);
	if (!link) {
		vg_snprintf(reason, n, "attach refused (%s)", strerror(errno));
		return -1;
	}
	bpf_link__destroy(link);
	return 0;
}

/* probes are expected to fail: their libbpf messages are not news */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool probe(enum feature f, char *reason, size_t n);

bool feature_available(enum feature f, char *reason, size_t n)
{
	libbpf_print_fn_t prev = libbpf_set_print(quiet);
	bool ok = probe(f, reason, n);

	libbpf_set_print(prev);
	return ok;
}

static bool probe(enum feature f, char *reason, size_t n)
{
	struct probe_bpf *s = probe_bpf__open();
	struct bpf_program *p, *want;
	struct bpf_link *link;
	int err;
	bool ok = false;

	reason[0] = 0;
	if (!s) {
		vg_snprintf(reason, n, "cannot open the probe object (%s)", strerror(errno));
		return false;
	}
	want = target(s, f);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, p == want);
	err = probe_bpf__load(s);
	if (err) {
		if (f == FEAT_LSM && !lsm_enabled_at_boot())
			vg_snprintf(reason, n, "BPF LSM is not enabled at boot (add 'bpf' to the lsm= kernel parameter)");
		else if (f == FEAT_KPROBE && access("/sys/kernel/tracing/kprobe_events", F_OK) != 0)
			vg_snprintf(reason, n, "kernel built without kprobes (load refused: %s)", strerror(-err));
		else
			vg_snprintf(reason, n, "load refused (%s)", strerror(-err));
		goto out;
	}
	switch (f) {
	case FEAT_SEND_SIGNAL:
	case FEAT_RINGBUF:
		ok = true; /* loading proves the helper or map type is allowed */
		break;
	case FEAT_CGROUP_SOCK_ADDR:
		ok = attach_cgroup(want, reason, n) == 0;
		break;
	default:
		link = bpf_program__attach(want);
		if (!link) {
			if (f == FEAT_KPROBE && access("/sys/kernel/tracing/kprobe_events", F_OK) != 0)
				vg_snprintf(reason, n, "kernel built without kprobes (attach: %s)", strerror(errno));
			else if (f == FEAT_LSM && !lsm_enabled_at_boot())
				vg_snprintf(reason, n, "BPF LSM is not enabled at boot (add 'bpf' to lsm=)");
			else
				vg_snprintf(reason, n, "attach refused (%s)", strerror(errno));
			break;
		}
		bpf_link__destroy(link);
		ok = true;
		break;
	}
out:
	probe_bpf__destroy(s);
	return ok;
}

void features_probe(struct feature_result out[FEAT_MAX])
{
	for (int f = 0; f < FEAT_MAX; f++)
		out[f].ok = feature_available(f, out[f].reason, sizeof(out[f].reason));
}
