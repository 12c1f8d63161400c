// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe.bpf.c - one tiny program per attach type and helper that vigil may
 * use. `vigil features` (engine/features.c) loads and attaches each one on
 * its own to learn what the running kernel really allows: a program type
 * can exist and still be refused at load or attach (no kprobes, LSM not in
 * the boot's lsm= list, fentry blocked by lockdown).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 hits;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} probe_rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int probe_tracepoint(void *ctx)
{
	hits++;
	return 0;
}

SEC("raw_tp/sys_enter")
int probe_raw_tp(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(probe_tp_btf, struct task_struct *parent, struct task_struct *child)
{
	return 0;
}

SEC("fentry/security_file_open")
int BPF_PROG(probe_fentry, struct file *file)
{
	return 0;
}

SEC("kprobe/security_file_open")
int probe_kprobe(void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(probe_lsm, struct file *file)
{
	return 0;
}

SEC("cgroup/connect4")
int probe_cgroup_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/connect6")
int probe_cgroup_connect6(struct bpf_sock_addr *ctx)
{
	return 1;
}

/* loads only where bpf_send_signal is allowed; never fires for real: pid 0 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(probe_send_signal, struct task_struct *parent, struct task_struct *child)
{
	if (bpf_get_current_pid_tgid() == 0)
		bpf_send_signal(9);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(probe_ringbuf, struct task_struct *parent, struct task_struct *child)
{
	if (bpf_get_current_pid_tgid() == 0)
		bpf_ringbuf_output(&probe_rb, &hits, sizeof(hits), 0);
	return 0;
}
