// SPDX-License-Identifier: GPL-2.0-only
/*
 * empty.bpf.c - the floor for vigil's syscall hooks: programs on the same
 * tp_btf sys_enter and sys_exit tracepoints that do nothing at all.
 *
 * Attaching anything to the raw syscall tracepoints sends every syscall of
 * every task through the kernel's tracing slow path and an indirect call
 * into the program. That cost is paid by any tool hooking these
 * tracepoints; bench/syscall_overhead.sh measures it with these programs so
 * vigil's own fast path (one byte load from syscall_flags[]) can be judged
 * against it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(empty_sys_enter, struct pt_regs *regs, long nr)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(empty_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
