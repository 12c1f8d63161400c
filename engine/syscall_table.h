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

/* How an argument's value is read and printed. */
enum sc_argfmt {
	AF_NONE = 0,
	AF_INT,        /* signed decimal */
	AF_UINT,       /* unsigned decimal */
	AF_HEX,        /* 0x... (pointers, addresses) */
	AF_FD,         /* an fd number (signed); AT_FDCWD prints as -100 */
	AF_PID,        /* a process id */
	AF_UID,        /* a user id (-1 as 4294967295) */
	AF_GID,
	AF_MODE,       /* file mode, printed octal with a leading 0 ("0755") */
	AF_FLAGS,      /* bit flags, printed as NAME|NAME via `names` */
	AF_ENUM,       /* one value, printed as NAME via `names` */
	AF_PATH,       /* a path string from a string slot; see `dirfd` */
	AF_STR,        /* a string from a string slot */
	AF_SOCKADDR,   /* the record's sockaddr */
	AF_SIGNAL,     /* a signal number, printed as SIGKILL */
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
};

/* NULL when nr is not a known x86_64 syscall. Known syscalls not captured
 * with arguments have nargs == 0. */
const struct sc_info *sc_info(int nr);

/* the syscall number for a name, or -1 */
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

/* "ENOENT" for 2; NULL if unknown */
const char *sc_errno_name(int err);

/* "SIGKILL" for 9; NULL if unknown */
const char *sc_signal_name(int sig);

/* Named tables other parts of vigil use directly. */
extern const struct sc_names sc_open_flags;     /* O_* incl. the O_ACCMODE value */
extern const struct sc_names sc_socket_families;/* AF_* */
extern const struct sc_names sc_socket_types;   /* SOCK_* */
extern const struct sc_names sc_ptrace_requests;/* PTRACE_* */
extern const struct sc_names sc_prot_flags;     /* PROT_* */

#endif /* VIGIL_SYSCALL_TABLE_H */
