/*
 * syscall_table.h - what userspace knows about each syscall: its name, its
 * arguments (names and types as Falco calls them, so rules read the same),
 * and how to print argument values.
 *
 * The kernel side only knows numbers and which registers hold strings and
 * sockaddrs (bpf/syscall_list.h); this table gives those meaning. Every
 * x86_64 syscall has a name here; the syscalls vigil captures also have
 * their arguments described.
 */
#ifndef VIGIL_SYSCALL_TABLE_H
#define VIGIL_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How an argument's value is read and printed. Register-valued formats say
 * how wide the value is: the kernel itself reads `int` arguments from the low
 * 32 bits of the register, so those formats ignore the upper half (a caller
 * may leave garbage there).
 */
enum sc_argfmt {
	AF_NONE = 0,
	AF_INT,        /* signed decimal, 64-bit */
	AF_UINT,       /* unsigned decimal, 64-bit */
	AF_HEX,        /* 0x... (pointers, addresses), 64-bit */
	AF_FD,         /* an fd number, 32-bit signed; AT_FDCWD prints as -100 */
	AF_PID,        /* a process id, 32-bit signed (kill takes -1 and -pgid) */
	AF_UID,        /* a user id, 32-bit unsigned (-1 as 4294967295) */
	AF_GID,
	AF_MODE,       /* file mode, 32-bit, printed octal with a leading 0 ("0755") */
	AF_FLAGS,      /* bit flags, 32-bit, printed as NAME|NAME via `names` */
	AF_ENUM,       /* one value, 32-bit, printed as NAME via `names` */
	AF_PATH,       /* a path string from a string slot; see `dirfd` */
	AF_STR,        /* a string from a string slot */
	AF_SOCKADDR,   /* the record's sockaddr (the address the caller passed) */
	AF_SIGNAL,     /* a signal number, 32-bit, printed as SIGKILL */
	AF_TUPLE,      /* the connection's 4-tuple, Falco's `tuple`: the local end
	                * from vg_syscall.fdinfo.sock, the remote end from the
	                * record's sockaddr when it has one, else from fdinfo.sock */
};

/* A table of symbolic names: values (or bits) and the names Falco prints. */
struct sc_name {
	uint64_t value;
	const char *name;
};

struct sc_names {
	const struct sc_name *v;
	size_t n;
	/* AF_FLAGS: bits under this mask are a value, not bits (O_ACCMODE for open) */
	uint64_t value_mask;
};

struct sc_arg {
	const char *name;       /* Falco's parameter name: "flags", "name", "request" */
	uint8_t fmt;            /* enum sc_argfmt */
	int8_t reg;             /* index into vg_syscall.args[] (-1: not a register) */
	int8_t str;             /* AF_PATH/AF_STR: string slot 0..2 in the record */
	int8_t dirfd;           /* AF_PATH: register index of the dirfd, or -1: relative to cwd */
	const struct sc_names *names; /* AF_FLAGS / AF_ENUM */
};

#define SC_MAX_ARGS 8

struct sc_info {
	const char *name;       /* "openat" */
	int nr;
	uint8_t nargs;
	struct sc_arg args[SC_MAX_ARGS];
	uint8_t ret_fmt;        /* AF_FD for calls returning an fd, AF_PID, else AF_INT */
	const char *ret_name;   /* Falco's name for the return value ("fd", "res");
	                         * NULL for syscalls without described arguments */
};

/*
 * NULL when nr is not a known x86_64 syscall. Known syscalls not captured
 * with arguments have nargs == 0 and ret_name NULL.
 *
 * args[] holds the arguments under Falco's names, in the order of the
 * syscall's parameters; values that are not a parameter of their own (the
 * sockaddr inside sendmsg's msghdr, Falco's `tuple`) come last. The return
 * value is not among them: that is `ret_name`. Two entries may read the
 * same register (sendmsg's `msg` and `addr`).
 */
const struct sc_info *sc_info(int nr);

/* the syscall number for a name, or -1. Also accepts the names Falco gives
 * a few syscalls ("pread" for pread64, "pwrite", "prlimit", "umount"). */
int sc_nr(const char *name);

/* the argument of a syscall by Falco's name, or NULL */
const struct sc_arg *sc_arg_by_name(const struct sc_info *si, const char *name);

/*
 * Print `v` with `names`: for AF_FLAGS "O_WRONLY|O_CREAT|O_TRUNC" (unknown
 * bits as a trailing hex value, zero as the zero-valued name if the table has
 * one), for AF_ENUM the name or the decimal number. Returns the length the
 * full text needs (like snprintf).
 */
size_t sc_format_names(const struct sc_names *names, bool flags, uint64_t v, char *buf, size_t n);

/*
 * Print one register-valued argument as Falco shows it in `evt.arg.NAME`:
 * decimal, hex, octal mode, flag or enum names, signal name; `raw` is the
 * register (vg_syscall.args[a->reg]). Formats that are not register values
 * (AF_PATH, AF_STR, AF_SOCKADDR, AF_TUPLE, AF_NONE) print nothing: the
 * event decoder owns the record's strings and addresses. Returns the length
 * the full text needs (like snprintf).
 */
size_t sc_format_arg(const struct sc_arg *a, uint64_t raw, char *buf, size_t n);

/* "ENOENT" for 2, also the kernel-internal ones a syscall exit can show
 * ("ERESTARTSYS" for 512); NULL if unknown */
const char *sc_errno_name(int err);

/* "SIGKILL" for 9 (1..31); NULL otherwise */
const char *sc_signal_name(int sig);

/* Named tables other parts of vigil use directly. */
extern const struct sc_names sc_open_flags;     /* O_* incl. the O_ACCMODE value */
extern const struct sc_names sc_socket_families;/* AF_* */
extern const struct sc_names sc_socket_types;   /* SOCK_* */
extern const struct sc_names sc_ptrace_requests;/* PTRACE_* */
extern const struct sc_names sc_prot_flags;     /* PROT_* */
extern const struct sc_names sc_mmap_flags;     /* MAP_* */
extern const struct sc_names sc_clone_flags;    /* CLONE_* for clone (exit signal in the low byte) */
extern const struct sc_names sc_namespace_flags;/* CLONE_* that unshare and setns take */
extern const struct sc_names sc_mount_flags;    /* MS_* */
extern const struct sc_names sc_umount_flags;   /* MNT_*, UMOUNT_NOFOLLOW */
extern const struct sc_names sc_memfd_flags;    /* MFD_* */
extern const struct sc_names sc_at_flags;       /* AT_* for the *at calls */
extern const struct sc_names sc_rename_flags;   /* RENAME_* for renameat2 */
extern const struct sc_names sc_resolve_flags;  /* RESOLVE_* for openat2 */
extern const struct sc_names sc_dup3_flags;     /* O_CLOEXEC */
extern const struct sc_names sc_delete_module_flags; /* O_NONBLOCK, O_TRUNC */
extern const struct sc_names sc_finit_module_flags;  /* MODULE_INIT_* */
extern const struct sc_names sc_kexec_load_flags;    /* KEXEC_* and the arch in the high half */
extern const struct sc_names sc_kexec_file_flags;    /* KEXEC_FILE_* */
extern const struct sc_names sc_userfaultfd_flags;   /* UFFD_USER_MODE_ONLY, O_NONBLOCK, O_CLOEXEC */
extern const struct sc_names sc_perf_event_flags;    /* PERF_FLAG_* */
extern const struct sc_names sc_bpf_commands;   /* BPF_* commands */
extern const struct sc_names sc_prctl_options;  /* PR_* */

#endif /* VIGIL_SYSCALL_TABLE_H */
