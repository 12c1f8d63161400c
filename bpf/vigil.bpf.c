// SPDX-License-Identifier: GPL-2.0-only
/*
 * vigil.bpf.c - the kernel half of vigil: capture.
 *
 *   sched_process_exec/fork/exit (tp_btf)  -> VG_EV_EXEC / FORK / EXIT
 *   sys_enter / sys_exit (tp_btf)          -> VG_EV_SYSCALL, one per completed call
 *   inet_sock_set_state (tp_btf)           -> VG_EV_TCP
 *
 * The syscall hooks run on every syscall of every task, so their fast path
 * is one byte load from syscall_flags[] (which userspace fills from what the
 * loaded rules need) and a return. Interesting calls save their arguments in
 * task-local storage at entry and are sent at exit with the result. At entry
 * the same byte has room (VG_SC_ENFORCE) for checks that must happen before
 * the call returns to user space, so they can share the hook and cost
 * nothing when unused.
 *
 * Records are built in a per-CPU scratch area and copied into one ring
 * buffer. The kernel never waits: a full ring buffer drops the record and
 * counts it in `stats`. Wakeups are batched: userspace polls, and is woken
 * early only when the ring fills past wakeup_bytes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "vigil_abi.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Clamp a size to a power-of-two mask in a way the compiler cannot drop,
 * so the verifier sees the bound right where the value is used.
 */
#define VG_MASK(v, mask) ({ __u64 _v = (v); asm volatile("%[x] &= %[m]" : [x] "+r"(_v) : [m] "i"(mask)); _v; })

#ifndef container_of
#define container_of(ptr, type, member) ((type *)((void *)(ptr) - __builtin_offsetof(type, member)))
#endif

/* --- control, set by userspace ------------------------------------------ */

const volatile __u32 agent_tgid;        /* never report the agent itself */
const volatile __u64 wakeup_bytes = 1 << 20;

__u8 syscall_flags[VG_MAX_SYSCALLS];    /* VG_SC_* per syscall number */
__u32 tcp_enabled;                      /* send VG_EV_TCP records */

/* --- maps ----------------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);  /* resized by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VG_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

#define VG_REC_MAX 8192   /* largest record sent */

struct scratch {
	__u8 rec[VG_REC_MAX + VG_PATH_MAX * 2];  /* slack: writes at masked offsets stay inside */
	char ws[VG_PATH_MAX * 2];                 /* path-building workspace */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

/* a syscall between entry and exit */
struct pending {
	__u64 args[6];
	__u64 enter_ts;
	__s32 nr;            /* -1: nothing pending */
	__u8 urgent;         /* an enforcement pre-filter matched: wake userspace for this one */
	__u8 _pad[3];
	struct vg_fdinfo fdinfo;  /* for VG_SCF_FD_AT_ENTER */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pending);
} pending_map SEC(".maps");

/* TCP sockets seen in a process context: socket cookie -> owner (pid << 32 | tid) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} sock_owner SEC(".maps");

/* listening ports -> owner, to attribute accepted connections */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);   /* family << 16 | port */
	__type(value, __u64);
} listen_owner SEC(".maps");

/* --- the capture table, from syscall_list.h -------------------------------- */

struct sc_spec {
	__u8 str[3];   /* argument index + 1 of each string to copy */
	__u8 dfd;      /* argument index + 1 of the dirfd str[0] is relative to */
	__u8 sa, salen;
	__u8 fd;       /* argument index + 1, or VG_FD_RET */
	__u8 flags;
};

#define VG_SC(nr, name, s0, s1, s2, dfd, sa, sl, fd, fl) \
	[nr] = { { s0, s1, s2 }, dfd, sa, sl, fd, fl },
static const struct sc_spec sc_specs[VG_MAX_SYSCALLS] = {
#include "syscall_list.h"
};
#undef VG_SC

#define VG_NR_EXECVE 59

/* --- helpers --------------------------------------------------------------- */

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

static __always_inline struct scratch *get_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch_map, &zero);
}

#include "path.bpf.h"
#include "task.bpf.h"
#include "file.bpf.h"

static __always_inline void submit(void *rec, __u32 size, __u32 sent_stat, bool urgent)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (size > VG_REC_MAX)
		return;
	if (urgent || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	if (bpf_ringbuf_output(&events, rec, size, flags))
		stat_inc(VG_STAT_DROP_RINGBUF);
	else
		stat_inc(sent_stat);
}

static __always_inline void fill_hdr(struct vg_hdr *h, __u16 kind, __u32 pid, __u32 tid)
{
	h->kind = kind;
	h->flags = 0;
	h->size = 0;
	h->ts = bpf_ktime_get_boot_ns();
	h->pid = pid;
	h->tid = tid;
}

static __always_inline bool is_agent(__u32 tgid)
{
	return agent_tgid && tgid == agent_tgid;
}

/* --- enforcement ------------------------------------------------------------ */

#include "enforce.bpf.h"

#define VG_AT_FDCWD -100

/*
 * The path a syscall argument names, made absolute against its dirfd or the
 * working directory, into ss->path. Returns its length (0 if unreadable).
 * Lexical: "..", symlinks and bind mounts are not resolved here (see
 * docs/enforcement.md; the LSM hooks see the resolved file).
 */
static __always_inline __u32 enforce_user_path(struct sel_scratch *ss, __u64 uptr, int dfd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	long n = bpf_probe_read_user_str(ss->exe, VG_PATH_MAX, (void *)uptr);
	bool cut = false;
	__u32 base;

	if (n <= 1)
		return 0;
	if (ss->exe[0] == '/')
		return bpf_probe_read_kernel_str(ss->path, VG_PATH_MAX, ss->exe) - 1;
	if (dfd == VG_AT_FDCWD) {
		struct fs_struct *fs = BPF_CORE_READ(t, fs);

		base = fs ? vg_path_copy(&fs->pwd, ss->path, &cut) : 0;
	} else {
		struct file *f = vg_fd_file(t, dfd);

		base = f ? vg_path_copy(&f->f_path, ss->path, &cut) : 0;
	}
	if (base < 2 || base > VG_PATH_MAX)
		return 0;
	/* join: "/" + rel, or rel after the root's own slash */
	__u32 at = base == 2 ? 1 : base;

	if (at > 1)
		ss->path[VG_MASK(at - 1, VG_PATH_MAX - 1)] = '/';
	long m = bpf_probe_read_kernel_str(ss->path + VG_MASK(at, VG_PATH_MAX - 1), VG_PATH_MAX, ss->exe);

	return m > 0 ? at + m - 1 : 0;
}

/* a destination (len bytes of sockaddr already copied into sa) as selector input */
static __always_inline void sel_input_sockaddr(struct sel_input *in, const struct sockaddr_in6 *sa, __u64 len)
{
	if (sa->sin6_family == VG_AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		in->have_addr = true;
		in->family = 4;
		__builtin_memcpy(in->addr, &s4->sin_addr, 4);
		in->port = bpf_ntohs(s4->sin_port);
	} else if (sa->sin6_family == VG_AF_INET6 && len >= sizeof(*sa)) {
		in->have_addr = true;
		in->family = 6;
		__builtin_memcpy(in->addr, &sa->sin6_addr, 16);
		in->port = bpf_ntohs(sa->sin6_port);
	}
}

static __always_inline void enforce_sockaddr(struct sel_input *in, __u64 uptr, __u64 ulen)
{
	struct sockaddr_in6 sa = {};

	if (!uptr || ulen < sizeof(struct sockaddr_in))
		return;
	bpf_probe_read_user(&sa, ulen < sizeof(sa) ? sizeof(struct sockaddr_in) : sizeof(sa), (void *)uptr);
	sel_input_sockaddr(in, &sa, ulen);
}

/* at syscall entry: the syscall, its caller, its path or address */
static __always_inline __u8 vg_enforce_syscall(struct pt_regs *regs, long nr, const struct sc_spec *spec)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = nr, .hook = VG_HOOK_AT_SYSCALL };
	__u64 args[6] = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 };
	bool denied;

	if (!ss)
		return VG_ACT_NONE;
	if (spec->str[0] && spec->str[0] <= 6) {
		int dfd = spec->dfd && spec->dfd <= 6 ? (int)args[(spec->dfd - 1) & 7] : VG_AT_FDCWD;

		in.path_len = enforce_user_path(ss, args[(spec->str[0] - 1) & 7], dfd);
		in.have_path = in.path_len > 0;
	}
	if (spec->sa && spec->sa <= 6 && spec->salen && spec->salen <= 6)
		enforce_sockaddr(&in, args[(spec->sa - 1) & 7], args[(spec->salen - 1) & 7]);
	return sel_act(&in, ss, false, true, &denied);
}

/* a new image, before it runs: match its executable */
static __always_inline void vg_enforce_exec(struct vg_exec *e)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_EXEC, .hook = VG_HOOK_AT_EXEC };
	bool denied;

	if (!ss || !e->exe_len)
		return;
	in.have_exe = true;
	in.exe_str = (const char *)e->data;
	in.exe_len = e->exe_len - 1;
	sel_act(&in, ss, false, true, &denied);
}

/* --- process lifecycle ----------------------------------------------------- */

/* exe file facts: ino, times, memfd/deleted/overlay-upper flags */
struct inode___v66 {
	struct timespec64 __i_mtime;
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___v61 {
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

#define VG_OVERLAYFS_MAGIC 0x794c7630

static __always_inline void read_exe_facts(struct file *exe, struct vg_exec *e)
{
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	struct dentry *d = BPF_CORE_READ(exe, f_path.dentry);
	char prefix[8] = {};

	e->exe_ino = BPF_CORE_READ(ino, i_ino);
	e->exe_dev = BPF_CORE_READ(ino, i_sb, s_dev);
	if (bpf_core_field_exists(ino->i_mtime_sec)) {
		e->exe_mtime = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull +
			       BPF_CORE_READ(ino, i_mtime_nsec);
		e->exe_ctime = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull +
			       BPF_CORE_READ(ino, i_ctime_nsec);
	} else if (bpf_core_field_exists(((struct inode___v66 *)ino)->__i_mtime)) {
		struct inode___v66 *i = (void *)ino;

		e->exe_mtime = BPF_CORE_READ(i, __i_mtime.tv_sec) * 1000000000ull +
			       BPF_CORE_READ(i, __i_mtime.tv_nsec);
		e->exe_ctime = BPF_CORE_READ(i, __i_ctime.tv_sec) * 1000000000ull +
			       BPF_CORE_READ(i, __i_ctime.tv_nsec);
	} else {
		struct inode___v61 *i = (void *)ino;

		e->exe_mtime = BPF_CORE_READ(i, i_mtime.tv_sec) * 1000000000ull +
			       BPF_CORE_READ(i, i_mtime.tv_nsec);
		e->exe_ctime = BPF_CORE_READ(i, i_ctime.tv_sec) * 1000000000ull +
			       BPF_CORE_READ(i, i_ctime.tv_nsec);
	}
	if (BPF_CORE_READ(ino, __i_nlink) == 0)
		e->exe_flags |= VG_EXE_DELETED;
	bpf_probe_read_kernel(prefix, 6, BPF_CORE_READ(d, d_name.name));
	if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' &&
	    prefix[4] == 'd' && prefix[5] == ':')
		e->exe_flags |= VG_EXE_FROM_MEMFD;
	/* overlayfs keeps its upper dentry pointer right after the embedded inode */
	if (BPF_CORE_READ(ino, i_sb, s_magic) == VG_OVERLAYFS_MAGIC) {
		void *upper = NULL;

		bpf_probe_read_kernel(&upper, sizeof(upper),
				      (void *)ino + bpf_core_type_size(struct inode));
		if (upper)
			e->exe_flags |= VG_EXE_UPPER_LAYER;
	}
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vg_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct scratch *s;
	struct vg_exec *e;
	bool cut = false, cut2 = false;
	__u32 off = 0, n;

	if (is_agent(id >> 32))
		return 0;
	s = get_scratch();
	if (!s)
		return 0;
	e = (void *)s->rec;
	__builtin_memset(e, 0, sizeof(*e));
	fill_hdr(&e->h, VG_EV_EXEC, id >> 32, (__u32)id);
	vg_read_task(p, &e->task);
	/*
	 * Which exec syscall: the one sys_enter saw when exec calls are captured (by the time of
	 * this tracepoint the new program's registers have been set up, and orig_ax no longer
	 * holds it on every kernel); otherwise what the registers still say.
	 */
	struct pending *pd = bpf_task_storage_get(&pending_map, bpf_get_current_task_btf(), 0, 0);

	if (pd && (pd->nr == 59 || pd->nr == 322))  /* execve, execveat */
		e->syscall_nr = pd->nr;
	else
		e->syscall_nr = BPF_CORE_READ((struct pt_regs *)bpf_task_pt_regs(p), orig_ax);
	e->argc = BPF_CORE_READ(bprm, argc);

	struct file *exe = BPF_CORE_READ(p, mm, exe_file);

	/* exe path */
	if (exe) {
		read_exe_facts(exe, e);
		n = vg_path_copy(&exe->f_path, (char *)e->data, &cut);
	} else {
		n = 0;
	}
	e->exe_len = n;
	off = VG_MASK(n, 2047);

	/* argv, as the new image sees it */
	unsigned long as = BPF_CORE_READ(p, mm, arg_start);
	unsigned long ae = BPF_CORE_READ(p, mm, arg_end);
	__u32 alen = ae > as ? ae - as : 0;

	if (alen > VG_ARGS_MAX) {
		alen = VG_ARGS_MAX;
		cut2 = true;
	}
	if (alen && bpf_probe_read_user(e->data + off, VG_MASK(alen, 4095), (void *)as) == 0) {
		e->args_len = alen;
		off += alen;
	}

	/* cwd */
	struct fs_struct *fs = BPF_CORE_READ(p, fs);

	off = VG_MASK(off, 4095);
	n = fs ? vg_path_copy(&fs->pwd, (char *)e->data + off, &cut) : 0;
	e->cwd_len = n;
	off += n;

	/* cgroup path tail */
	off = VG_MASK(off, 8191);
	n = vg_cgroup_tail(p, (char *)e->data + off, s->ws);
	e->cgroup_len = n;
	off += n;

	/* filename as passed to exec */
	off = VG_MASK(off, 8191);
	long r = bpf_probe_read_kernel_str(e->data + off, VG_PATH_MAX, BPF_CORE_READ(bprm, filename));

	if (r > 0) {
		e->filename_len = r;
		off += r;
	}
	if (cut || cut2) {
		e->h.flags |= VG_F_TRUNCATED;
		stat_inc(VG_STAT_TRUNCATED);
	}
	e->h.size = sizeof(*e) + off;
	/* the new image has not run yet: this is where exec selectors act */
	vg_enforce_exec(e);
	submit(e, e->h.size, VG_STAT_SENT_EXEC, false);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(vg_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	struct vg_fork *f;
	struct scratch *s;

	if (ctgid == ptgid || is_agent(ptgid))
		return 0; /* a new thread, not a new process */
	if (BPF_CORE_READ(child, flags) & 0x00200000 /* PF_KTHREAD */)
		return 0;
	s = get_scratch();
	if (!s)
		return 0;
	f = (void *)s->rec;
	__builtin_memset(f, 0, sizeof(*f));
	fill_hdr(&f->h, VG_EV_FORK, ctgid, BPF_CORE_READ(child, pid));
	vg_read_task(child, &f->task);
	f->task.ppid = ptgid;
	f->parent_tid = BPF_CORE_READ(parent, pid);
	f->h.size = sizeof(*f);
	submit(f, sizeof(*f), VG_STAT_SENT_FORK, false);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(vg_exit, struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	struct vg_exit x = {};

	if (BPF_CORE_READ(p, flags) & 0x00200000 /* PF_KTHREAD */)
		return 0;
	/* only the last thread of the group: signal->live has dropped to zero */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	if (is_agent(tgid))
		return 0;
	fill_hdr(&x.h, VG_EV_EXIT, tgid, BPF_CORE_READ(p, pid));
	x.status = BPF_CORE_READ(p, exit_code);
	x.ppid = BPF_CORE_READ(p, real_parent, tgid);
	x.h.size = sizeof(x);
	submit(&x, sizeof(x), VG_STAT_SENT_EXIT, false);
	return 0;
}

/* --- syscalls --------------------------------------------------------------- */

SEC("tp_btf/sys_enter")
int BPF_PROG(vg_sys_enter, struct pt_regs *regs, long nr)
{
	__u8 f;

	if ((unsigned long)nr >= VG_MAX_SYSCALLS)
		return 0;
	f = syscall_flags[nr];
	if (!f)
		return 0;
	if (is_agent(bpf_get_current_pid_tgid() >> 32))
		return 0;

	const struct sc_spec *spec = &sc_specs[nr];
	__u8 act = VG_ACT_NONE;

	if (f & VG_SC_ENFORCE)
		act = vg_enforce_syscall(regs, nr, spec);
	if (!(f & VG_SC_CAPTURE))
		return 0;

	if ((spec->flags & VG_SCF_PROT_EXEC) && !(regs->dx & 0x4 /* PROT_EXEC */))
		return 0;

	struct task_struct *t = bpf_get_current_task_btf();
	struct pending *p = bpf_task_storage_get(&pending_map, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!p)
		return 0;
	p->nr = nr;
	p->urgent = act == VG_ACT_USERSPACE;
	p->enter_ts = bpf_ktime_get_boot_ns();
	p->args[0] = regs->di;
	p->args[1] = regs->si;
	p->args[2] = regs->dx;
	p->args[3] = regs->r10;
	p->args[4] = regs->r8;
	p->args[5] = regs->r9;
	p->fdinfo.ftype = VG_FT_NONE;
	if ((spec->flags & VG_SCF_FD_AT_ENTER) && spec->fd && spec->fd <= 6) {
		__builtin_memset(&p->fdinfo, 0, sizeof(p->fdinfo));
		vg_read_fdinfo(t, (int)p->args[(spec->fd - 1) & 7], &p->fdinfo);
	}
	return 0;
}

/* copy a user string argument to the record; returns bytes written (with NUL) */
static __always_inline __u32 copy_user_str(__u8 *dst, __u64 uptr, bool *cut)
{
	long n;

	if (!uptr)
		return 0;
	n = bpf_probe_read_user_str(dst, VG_PATH_MAX, (void *)uptr);
	if (n <= 0)
		return 0;
	if (n == VG_PATH_MAX)
		*cut = true;
	return n;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vg_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;

	if ((unsigned long)nr >= VG_MAX_SYSCALLS)
		return 0;
	if (!(syscall_flags[nr] & VG_SC_CAPTURE))
		return 0;

	__u64 id = bpf_get_current_pid_tgid();

	if (is_agent(id >> 32))
		return 0;

	struct task_struct *t = bpf_get_current_task_btf();
	struct pending *p = bpf_task_storage_get(&pending_map, t, 0, 0);
	const struct sc_spec *spec = &sc_specs[nr];

	if (!p || p->nr != nr) {
		/* entry filtered out (mmap without PROT_EXEC) or never seen */
		if (!(spec->flags & VG_SCF_PROT_EXEC))
			stat_inc(VG_STAT_DROP_NOSTATE);
		return 0;
	}
	p->nr = -1;
	bool urgent = p->urgent;

	/* a successful exec is reported by sched_process_exec */
	if ((spec->flags & VG_SCF_EXEC) && ret == 0)
		return 0;

	struct scratch *s = get_scratch();

	if (!s)
		return 0;

	struct vg_syscall *e = (void *)s->rec;
	bool cut = false;
	__u32 off = 0;

	__builtin_memset(e, 0, sizeof(*e));
	fill_hdr(&e->h, VG_EV_SYSCALL, id >> 32, (__u32)id);
	e->nr = nr;
	e->ret = ret;
	e->enter_ts = p->enter_ts;
	for (int i = 0; i < 6; i++)
		e->args[i] = p->args[i];
	vg_read_creds(t, &e->creds);

	if (spec->flags & VG_SCF_OPEN_HOW) {
		struct open_how how = {};

		bpf_probe_read_user(&how, sizeof(how), (void *)p->args[2]);
		e->args[2] = how.flags;
		e->args[3] = how.mode;
		e->args[4] = how.resolve;
	}

	/* strings */
	for (int i = 0; i < 3; i++) {
		__u8 a = spec->str[i];

		if (!a || a > 6)
			continue;
		off = VG_MASK(off, 4095);
		__u32 n = copy_user_str(e->data + off, p->args[(a - 1) & 7], &cut);

		e->str_len[i] = n;
		off += n;
	}

	/* sockaddr */
	__u64 sa_ptr = 0, sa_len = 0;

	if (spec->sa && spec->sa <= 6 && spec->salen && spec->salen <= 6) {
		sa_ptr = p->args[(spec->sa - 1) & 7];
		sa_len = p->args[(spec->salen - 1) & 7];
	} else if (spec->flags & VG_SCF_MSGHDR) {
		struct user_msghdr mh = {};

		bpf_probe_read_user(&mh, sizeof(mh), (void *)p->args[1]);
		sa_ptr = (__u64)mh.msg_name;
		sa_len = mh.msg_namelen;
	}
	if (sa_ptr && sa_len) {
		if (sa_len > VG_SOCKADDR_MAX)
			sa_len = VG_SOCKADDR_MAX;
		off = VG_MASK(off, 4095);
		if (bpf_probe_read_user(e->data + off, VG_MASK(sa_len, 127), (void *)sa_ptr) == 0) {
			e->sa_len = sa_len;
			off += sa_len;
		}
	}

	/* an open: the path of the file it opened, which a symlink or a dirfd may hide */
	if (spec->fd == VG_FD_RET && spec->str[0] && ret >= 0) {
		struct file *f = vg_fd_file(t, ret);
		bool real_cut = false;

		if (f) {
			off = VG_MASK(off, 4095);
			__u32 n = vg_path_copy(&f->f_path, (char *)e->data + off, &real_cut);

			if (n && !real_cut) {
				e->real_len = n;
				off += n;
			}
		}
	}

	/* the fd the call works on */
	if (spec->flags & VG_SCF_FD_AT_ENTER) {
		e->fdinfo = p->fdinfo;
	} else if (spec->fd == VG_FD_RET) {
		e->fdinfo.fd = -1;
		if (ret >= 0)
			vg_read_fdinfo(t, ret, &e->fdinfo);
	} else if (spec->fd && spec->fd <= 6) {
		vg_read_fdinfo(t, (int)p->args[(spec->fd - 1) & 7], &e->fdinfo);
	} else {
		e->fdinfo.fd = -1;
	}

	if (cut) {
		e->h.flags |= VG_F_TRUNCATED;
		stat_inc(VG_STAT_TRUNCATED);
	}
	e->h.size = sizeof(*e) + off;
	submit(e, e->h.size, VG_STAT_SENT_SYSCALL, urgent);
	return 0;
}

/* --- TCP state ---------------------------------------------------------------- */

#define VG_TCP_ESTABLISHED 1
#define VG_TCP_SYN_SENT 2
#define VG_TCP_SYN_RECV 3
#define VG_TCP_CLOSE 7
#define VG_TCP_LISTEN 10
#define VG_IPPROTO_TCP 6

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(vg_tcp_state, struct sock *sk, int oldstate, int newstate)
{
	__u64 key = bpf_get_socket_cookie(sk), owner, *o;
	__u16 family;
	__u8 kind;

	if (!tcp_enabled || BPF_CORE_READ(sk, sk_protocol) != VG_IPPROTO_TCP)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (newstate == VG_TCP_SYN_SENT || newstate == VG_TCP_LISTEN) {
		/* process context: remember who owns the socket */
		owner = bpf_get_current_pid_tgid();
		owner = (owner & 0xffffffff00000000ull) | (__u32)owner;
		if (newstate == VG_TCP_LISTEN) {
			__u32 lk = (__u32)family << 16 | BPF_CORE_READ(sk, __sk_common.skc_num);

			bpf_map_update_elem(&listen_owner, &lk, &owner, BPF_ANY);
		} else {
			bpf_map_update_elem(&sock_owner, &key, &owner, BPF_ANY);
		}
		return 0;
	}
	if (newstate == VG_TCP_ESTABLISHED && oldstate == VG_TCP_SYN_SENT) {
		kind = VG_TCP_CONNECT;
		o = bpf_map_lookup_elem(&sock_owner, &key);
		if (!o)
			return 0;
		owner = *o;
	} else if (newstate == VG_TCP_ESTABLISHED && oldstate == VG_TCP_SYN_RECV) {
		__u32 lk = (__u32)family << 16 | BPF_CORE_READ(sk, __sk_common.skc_num);

		kind = VG_TCP_ACCEPT;
		o = bpf_map_lookup_elem(&listen_owner, &lk);
		if (!o)
			return 0;
		owner = *o;
		bpf_map_update_elem(&sock_owner, &key, &owner, BPF_ANY);
	} else if (newstate == VG_TCP_CLOSE) {
		o = bpf_map_lookup_elem(&sock_owner, &key);
		if (oldstate == VG_TCP_LISTEN) {
			__u32 lk = (__u32)family << 16 | BPF_CORE_READ(sk, __sk_common.skc_num);

			bpf_map_delete_elem(&listen_owner, &lk);
		}
		if (!o)
			return 0;
		owner = *o;
		bpf_map_delete_elem(&sock_owner, &key);
		kind = VG_TCP_CLOSE;
	} else {
		return 0;
	}
	if (is_agent(owner >> 32))
		return 0;

	struct vg_tcp e = {};
	struct vg_sock so = {};

	fill_hdr(&e.h, VG_EV_TCP, owner >> 32, (__u32)owner);
	e.h.size = sizeof(e);
	e.kind = kind;
	e.oldstate = oldstate;
	e.newstate = newstate;
	e.family = family;
	vg_read_sock(sk, &so);
	e.sport = so.lport;
	e.dport = so.rport;
	__builtin_memcpy(e.saddr, so.laddr, 16);
	__builtin_memcpy(e.daddr, so.raddr, 16);
	e.cookie = key;
	submit(&e, sizeof(e), VG_STAT_SENT_TCP, false);
	return 0;
}

/* --- denying: cgroup connect and BPF LSM -------------------------------------------- */

static __always_inline int connect_hook(struct bpf_sock_addr *ctx, bool v6)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_CONNECT, .hook = VG_HOOK_AT_CGROUP, .have_addr = true };
	bool denied;

	if (!ss)
		return 1;
	in.port = bpf_ntohs(ctx->user_port);
	if (v6) {
		/* ctx fields must be read at constant offsets */
		__u32 w[4] = { ctx->user_ip6[0], ctx->user_ip6[1], ctx->user_ip6[2], ctx->user_ip6[3] };

		in.family = 6;
		__builtin_memcpy(in.addr, w, 16);
	} else {
		__u32 w = ctx->user_ip4;

		in.family = 4;
		__builtin_memcpy(in.addr, &w, 4);
	}
	sel_act(&in, ss, true, false, &denied);
	return denied ? 0 : 1;  /* 0: the connect fails with EPERM */
}

SEC("cgroup/connect4")
int vg_connect4(struct bpf_sock_addr *ctx)
{
	return connect_hook(ctx, false);
}

SEC("cgroup/connect6")
int vg_connect6(struct bpf_sock_addr *ctx)
{
	return connect_hook(ctx, true);
}

#define VG_EPERM 1

/* loaded only where the kernel has BPF LSM enabled (see kernel_features.c) */
SEC("lsm/file_open")
int BPF_PROG(vg_lsm_file_open, struct file *file)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_FILE_OPEN, .hook = VG_HOOK_AT_LSM };
	bool cut = false, denied;
	__u32 n;

	if (!ss)
		return 0;
	n = vg_path_copy(&file->f_path, ss->path, &cut);
	in.have_path = n > 1;
	in.path_len = n ? n - 1 : 0;
	sel_act(&in, ss, true, true, &denied);
	return denied ? -VG_EPERM : 0;
}

/* an open with O_CREAT creates the file before file_open: refuse the creation itself */
SEC("lsm/path_mknod")
int BPF_PROG(vg_lsm_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode, unsigned int dev)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_FILE_OPEN, .hook = VG_HOOK_AT_LSM };
	bool cut = false, denied;
	__u32 n;

	if (!ss)
		return 0;
	n = vg_path_copy(dir, ss->path, &cut);
	if (n < 2 || n > VG_PATH_MAX)
		return 0;
	/* dir + "/" + name (the root's own slash is kept once) */
	__u32 at = n == 2 ? 1 : n;

	if (at > 1)
		ss->path[VG_MASK(at - 1, VG_PATH_MAX - 1)] = '/';
	long m = bpf_probe_read_kernel_str(ss->path + VG_MASK(at, VG_PATH_MAX - 1), 256,
					   BPF_CORE_READ(dentry, d_name.name));

	if (m <= 1)
		return 0;
	in.have_path = true;
	in.path_len = at + m - 1;
	sel_act(&in, ss, true, true, &denied);
	return denied ? -VG_EPERM : 0;
}

SEC("lsm/bprm_check_security")
int BPF_PROG(vg_lsm_bprm_check, struct linux_binprm *bprm)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_BPRM_CHECK, .hook = VG_HOOK_AT_LSM };
	struct file *f = BPF_CORE_READ(bprm, file);
	char comm[VG_COMM_LEN] = {};
	bool cut = false, denied;
	__u32 n;

	if (!ss || !f)
		return 0;
	n = vg_path_copy(&f->f_path, ss->exe, &cut);
	in.have_exe = n > 1;
	in.exe_str = ss->exe;
	in.exe_len = n ? n - 1 : 0;
	/* the task still has its old name: match the new program's, as proc.name will be */
	bpf_probe_read_kernel_str(comm, sizeof(comm), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	in.comm = comm;
	sel_act(&in, ss, true, true, &denied);
	return denied ? -VG_EPERM : 0;
}

SEC("lsm/socket_connect")
int BPF_PROG(vg_lsm_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct sel_scratch *ss = sel_scratch_get();
	struct sel_input in = { .slot = VG_HOOK_CONNECT, .hook = VG_HOOK_AT_LSM };
	struct sockaddr_in6 sa = {};
	bool denied;

	if (!ss || addrlen < (int)sizeof(struct sockaddr_in))
		return 0;
	bpf_probe_read_kernel(&sa, addrlen < (int)sizeof(sa) ? sizeof(struct sockaddr_in) : sizeof(sa), address);
	sel_input_sockaddr(&in, &sa, addrlen);
	if (!in.have_addr)
		return 0;
	sel_act(&in, ss, true, true, &denied);
	return denied ? -VG_EPERM : 0;
}
