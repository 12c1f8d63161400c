/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * vigil_abi.h - the event ABI between the kernel programs and userspace.
 *
 * This is the only header both sides include. Every record the kernel puts
 * in the ring buffer starts with struct vg_hdr; `kind` says which struct
 * follows and `size` is the whole record, header and trailing data included,
 * so a reader can always skip a record it does not understand. Records are
 * written little-endian with natural alignment; the capture file stores them
 * byte for byte, so changing a layout means bumping VG_ABI_VERSION.
 *
 * Variable-length data (paths, argv, sockaddrs) follows the fixed part of a
 * record in `data[]`, in the order and with the lengths the fixed part gives.
 * Strings are NUL-terminated and their length includes the NUL; argv is the
 * NUL-separated argument block exactly as the kernel holds it.
 *
 * The same header also declares the control surface userspace writes into
 * the BPF object: the per-syscall flags (what to capture, what to check for
 * enforcement) and the counters the kernel keeps.
 */
#ifndef VIGIL_ABI_H
#define VIGIL_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define VG_ABI_VERSION 1

/* Syscall numbers (x86_64) are below this; it sizes the per-syscall tables. */
#define VG_MAX_SYSCALLS 512

/* Bounds on what the kernel copies; longer values are cut and flagged. */
#define VG_PATH_MAX   1024   /* a path built from dentries, or a path argument */
#define VG_ARGS_MAX   2048   /* the argv block of an exec */
#define VG_CGROUP_MAX 512    /* the tail of the cgroup path */
#define VG_SOCKADDR_MAX 112  /* enough for sockaddr_un (110) and sockaddr_in6 */
#define VG_COMM_LEN   16

enum vg_kind {
	VG_EV_EXEC = 1,     /* struct vg_exec: a process image replaced (execve/execveat) */
	VG_EV_FORK,         /* struct vg_fork: a new process (not a thread) */
	VG_EV_EXIT,         /* struct vg_exit: the last thread of a process exited */
	VG_EV_SYSCALL,      /* struct vg_syscall: one completed syscall */
	VG_EV_TCP,          /* struct vg_tcp: a TCP connection changed state */
	VG_EV_ENFORCE,      /* struct vg_enforce: the kernel acted on a selector */
	/* Kinds below are made by userspace and only appear in capture files. */
	VG_EV_PROC_SNAPSHOT = 64, /* struct vg_exec from /proc, taken when the agent started */
	VG_EV_NODE_INFO,          /* struct vg_node_info: host facts a replay needs */
	VG_EV_FD_SNAPSHOT,        /* struct vg_fd_snapshot: an fd found open in /proc */
};

/* vg_hdr.flags */
#define VG_F_TRUNCATED   0x0001 /* some variable-length value was cut */

struct vg_hdr {
	__u16 kind;
	__u16 flags;
	__u32 size;     /* bytes in the record, this header included */
	__u64 ts;       /* CLOCK_BOOTTIME, ns */
	__u32 pid;      /* thread group id (what users call the pid) */
	__u32 tid;
};

/* Credentials and capabilities of a task. uid/gid are the real ids. */
struct vg_creds {
	__u32 uid, gid, euid, egid, suid, fsuid;
	__u32 auid;     /* audit login uid; 0xffffffff when unset */
	__u32 _pad;
	__u64 cap_effective, cap_permitted, cap_inheritable;
};

/* Namespace identities (the inode numbers shown in /proc/PID/ns). */
struct vg_namespaces {
	__u32 pid, mnt, net, user, uts, ipc, cgroup, _pad;
};

/* vg_exec.exe_flags */
#define VG_EXE_FROM_MEMFD   0x01 /* executable is a memfd */
#define VG_EXE_DELETED      0x02 /* executable file has no links left */
#define VG_EXE_UPPER_LAYER  0x04 /* executable lives in an overlayfs upper layer */

/* Facts about a task that the process table keeps. */
struct vg_task {
	__u32 ppid;         /* parent's thread group id */
	__u32 vpid;         /* pid in the task's own pid namespace */
	__u32 sid;          /* session id (in the task's pid namespace) */
	__u32 vpgid;        /* process group id (in the task's pid namespace) */
	__u32 tty;          /* controlling terminal, encoded like /proc/PID/stat tty_nr */
	__u32 _pad;
	__u64 start_time;   /* task creation, CLOCK_BOOTTIME ns */
	__u64 cgroup_id;    /* cgroup v2 id (0 when unknown) */
	struct vg_creds creds;
	struct vg_namespaces ns;
	char comm[VG_COMM_LEN];
};

/*
 * VG_EV_EXEC and VG_EV_PROC_SNAPSHOT. data[] holds, in order:
 * exe path, argv block, cwd, cgroup path tail, filename as passed to exec.
 * The cgroup path tail holds the last few components of the task's cgroup
 * path ("kubepods/pod<uid>/<id>"), enough to find container and pod ids.
 */
struct vg_exec {
	struct vg_hdr h;
	struct vg_task task;
	__u64 exe_ino;
	__u64 exe_mtime;    /* ns since the epoch */
	__u64 exe_ctime;
	__u32 exe_dev;
	__u16 exe_flags;    /* VG_EXE_* */
	__u16 syscall_nr;   /* the exec syscall that led here */
	__u16 exe_len, args_len, cwd_len, cgroup_len, filename_len;
	__u16 argc;         /* arguments the exec was given (the block may hold fewer) */
	__u8 data[];
};

/* VG_EV_FORK: a new thread group; userspace copies the parent's image. */
struct vg_fork {
	struct vg_hdr h;    /* pid/tid: the child */
	struct vg_task task;
	__u32 parent_tid;   /* the thread that called fork/clone */
	__u32 _pad;
};

/* VG_EV_EXIT: status is the wait(2) status: (code << 8) | signal. */
struct vg_exit {
	struct vg_hdr h;
	__u32 status;
	__u32 ppid;
};

/* Socket facts the kernel reads from an fd's struct sock. */
struct vg_sock {
	__u16 family;       /* AF_INET, AF_INET6, AF_UNIX, ... (0: not a socket) */
	__u8 proto;         /* IPPROTO_TCP, IPPROTO_UDP, ... */
	__u8 type;          /* SOCK_STREAM, SOCK_DGRAM, ... */
	__u16 lport, rport; /* host byte order */
	__u8 laddr[16];     /* IPv4 in the first 4 bytes */
	__u8 raddr[16];
	__u8 state;         /* TCP state */
	__u8 _pad[7];
};

/* What kind of file an fd refers to (vg_fdinfo.ftype), from the inode mode. */
enum vg_ftype {
	VG_FT_NONE = 0, VG_FT_FILE, VG_FT_DIR, VG_FT_CHR, VG_FT_BLK, VG_FT_FIFO,
	VG_FT_SOCK, VG_FT_LNK, VG_FT_ANON,
};

struct vg_fdinfo {
	__u8 ftype;         /* enum vg_ftype; VG_FT_NONE when no fd was inspected */
	__u8 _pad[3];
	__s32 fd;
	__u64 ino;
	__u32 dev;
	__u32 _pad2;
	struct vg_sock sock;
};

/*
 * VG_EV_SYSCALL: one syscall, filled at exit. args[] are the raw register
 * values at entry (for openat2, args[2..4] are replaced by open_how's flags,
 * mode and resolve). data[] holds up to three strings (str_len[0..2], which
 * argument each is comes from bpf/syscall_list.h) then a sockaddr (sa_len
 * bytes), each present when its length is non-zero.
 * `fdinfo` describes the fd the syscall works on (an argument, or the fd it
 * returned), when the syscall has one. For a successful open, the path of
 * the file it opened, as the kernel reached it (symbolic links, /proc
 * links and dirfds followed), comes last (real_len bytes with its NUL; 0
 * when unknown or cut).
 */
struct vg_syscall {
	struct vg_hdr h;
	__u32 nr;
	__u16 str_len[3];
	__u16 sa_len;
	__u16 real_len;
	__u16 _pad;
	__s64 ret;
	__u64 args[6];
	__u64 enter_ts;
	struct vg_creds creds;
	struct vg_fdinfo fdinfo;
	__u8 data[];
};

enum vg_tcp_kind { VG_TCP_CONNECT = 1, VG_TCP_ACCEPT, VG_TCP_CLOSE };

/* VG_EV_TCP: h.pid/tid are the socket's owner (the task that opened it). */
struct vg_tcp {
	struct vg_hdr h;
	__u8 kind;          /* enum vg_tcp_kind */
	__u8 oldstate, newstate;
	__u8 _pad;
	__u16 family;
	__u16 _pad2;
	__u16 sport, dport; /* source/destination: local/remote for the owner */
	__u8 saddr[16], daddr[16];
	__u64 cookie;       /* socket identity, stable for the connection's life */
};

/*
 * Enforcement. A rule's kernel-evaluable part becomes one or more selectors
 * (at most VG_SEL_MAX, one bit each). Each selector constrains some
 * dimensions (the caller's name, binary, parent, uid, the path or address
 * the call works on, container, cgroup); per dimension, maps give for a
 * value the bits of selectors that accept it (`pos`) and of those that
 * refuse it (`neg`). A call matches the selectors left in
 *
 *   sc_mask[nr] & AND over dimensions d of ((pos_d(v) | wild_d) & ~neg_d(v))
 *
 * where wild_d holds the selectors with no positive condition on d. The
 * cost is one lookup per dimension, whatever the number of values. Every
 * map key starts with a generation byte: userspace fills the inactive
 * generation and then flips active_gen, so a reload changes all selectors
 * at once.
 */
#define VG_SEL_MAX   64     /* selectors: bits of a __u64 */
#define VG_SEL_STR   248    /* longest string a selector can compare (bytes) */
#define VG_SEL_VALUES 16384 /* values per kind of map */

/* pseudo syscall numbers for hooks that are not syscalls, in sc_mask */
#define VG_HOOK_EXEC       (VG_MAX_SYSCALLS + 0)  /* sched_process_exec: the new image, before it runs */
#define VG_HOOK_FILE_OPEN  (VG_MAX_SYSCALLS + 1)  /* LSM file_open */
#define VG_HOOK_BPRM_CHECK (VG_MAX_SYSCALLS + 2)  /* LSM bprm_check_security */
#define VG_HOOK_CONNECT    (VG_MAX_SYSCALLS + 3)  /* cgroup connect4/connect6 and LSM socket_connect */
#define VG_SEL_SLOTS       (VG_MAX_SYSCALLS + 4)

enum vg_dim {
	VG_DIM_COMM,         /* the caller's task name (str, exact) */
	VG_DIM_PCOMM,        /* its parent's task name (str, exact) */
	VG_DIM_EXE,          /* its executable path (str, exact) */
	VG_DIM_EXE_PREFIX,   /* its executable path (lpm, prefix) */
	VG_DIM_PATH,         /* the path the call works on (str, exact) */
	VG_DIM_PATH_PREFIX,  /* (lpm, prefix) */
	VG_DIM_PATH_SUFFIX,  /* (lpm over the reversed path, suffix) */
	VG_DIM_UID,          /* effective uid (num) */
	VG_DIM_DADDR,        /* destination address (net lpm) */
	VG_DIM_DPORT,        /* destination port (num) */
	VG_DIM_CONTAINER,    /* 1 in a container (mount namespace not the host's), 0 on the host (num) */
	VG_DIM_CGROUP,       /* cgroup v2 id (num) */
	VG_DIM_MAX
};

struct vg_sel_bits {
	__u64 pos, neg;
};

struct vg_sel_str_key {
	__u8 gen, dim;
	char s[VG_SEL_STR];      /* NUL-padded */
};

struct vg_sel_lpm_key {
	__u32 prefixlen;         /* bits, counting gen and dim */
	__u8 gen, dim;
	char s[VG_SEL_STR];
};

struct vg_sel_num_key {
	__u8 gen, dim;
	__u8 _pad[6];
	__u64 v;
};

struct vg_sel_net_key {
	__u32 prefixlen;         /* bits, counting gen and family */
	__u8 gen, family;        /* family: 4 or 6 */
	__u8 addr[16];
};

enum vg_action {
	VG_ACT_NONE = 0,
	VG_ACT_KILL,             /* SIGKILL */
	VG_ACT_DENY,             /* refuse with EPERM where the hook allows, else SIGKILL */
	VG_ACT_AUDIT_KILL,       /* report "would kill" */
	VG_ACT_AUDIT_DENY,       /* report "would deny" */
	VG_ACT_USERSPACE,        /* a pre-filter: userspace finishes the rule and decides */
};

/* one generation of selectors (array map, index = generation) */
struct vg_sel_config {
	__u64 sc_mask[VG_SEL_SLOTS];   /* selectors that apply to each syscall or hook */
	__u64 wild[VG_DIM_MAX];        /* selectors without a positive condition on the dimension */
	__u64 used[VG_DIM_MAX];        /* selectors with any condition on it (0: skip the lookup) */
	__u64 act_mask[VG_ACT_USERSPACE + 1];  /* selectors by enum vg_action */
};

/* where the kernel acted (vg_enforce.hook) */
enum vg_enf_hook { VG_HOOK_AT_SYSCALL = 1, VG_HOOK_AT_EXEC, VG_HOOK_AT_LSM, VG_HOOK_AT_CGROUP };

/* VG_EV_ENFORCE: a selector matched. data[] holds the path or sockaddr it
 * matched on (len bytes). */
struct vg_enforce {
	struct vg_hdr h;
	__u32 nr;           /* syscall number or VG_HOOK_* */
	__u32 selector;     /* the selector (bit) that matched */
	__u8 action;        /* enum vg_action as carried out (a deny may become a kill) */
	__u8 hook;          /* enum vg_enf_hook */
	__u16 len;
	__u32 generation;
	__u32 _pad;
	struct vg_creds creds;
	__u8 data[];
};

/* VG_EV_NODE_INFO (capture files only). */
struct vg_node_info {
	struct vg_hdr h;
	__u64 boot_wall_ns;  /* wall-clock time at boot: ts + this = epoch ns */
	char node_name[64];
	char kernel_release[64];
};

/* VG_EV_FD_SNAPSHOT (capture files only): data[] holds the name (len bytes). */
struct vg_fd_snapshot {
	struct vg_hdr h;
	struct vg_fdinfo fdinfo;
	__u16 len;
	__u8 _pad[6];
	__u8 data[];
};

/* Per-syscall flags in the BPF object's syscall_flags[] array. */
#define VG_SC_CAPTURE  0x01  /* send an event for each completed call */
#define VG_SC_ENFORCE  0x02  /* check enforcement selectors at entry */

/* Counters in the per-CPU `stats` map. */
enum vg_stat {
	VG_STAT_SENT_EXEC, VG_STAT_SENT_FORK, VG_STAT_SENT_EXIT, VG_STAT_SENT_SYSCALL,
	VG_STAT_SENT_TCP, VG_STAT_SENT_ENFORCE,
	VG_STAT_DROP_RINGBUF,   /* ring buffer full */
	VG_STAT_DROP_NOSTATE,   /* syscall exit without its entry (state lost) */
	VG_STAT_DROP_READ,      /* a kernel read failed and the record was unusable */
	VG_STAT_TRUNCATED,      /* records sent with a value cut to its bound */
	VG_STAT_ENFORCE_KILL,   /* SIGKILLs sent by selectors */
	VG_STAT_ENFORCE_DENY,   /* operations refused by selectors */
	VG_STAT_ENFORCE_SPARED, /* matches not acted on: pid 1, kernel threads, the never-kill lists */
	VG_STAT_MAX,
};

#endif /* VIGIL_ABI_H */
