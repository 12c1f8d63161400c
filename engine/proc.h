/*
 * proc.h - one process image, as the engine knows it.
 *
 * A struct proc describes a process between two changes of what it is: an
 * exec (or a fork, or its discovery in /proc at start) creates one, and
 * changes that rules can observe (a new working directory) create a new
 * version instead of editing in place. So a struct proc never changes
 * after it is published, and anything that keeps a pointer (a queued
 * event, a child's parent link, a benchmark's materialised events) sees
 * the process as it was at that moment. Versions are reference-counted.
 */
#ifndef VIGIL_PROC_H
#define VIGIL_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include "vigil_abi.h"

struct container;

/* proc.flags */
#define PROC_F_EXECVE     0x01  /* created by an exec we saw */
#define PROC_F_PROCFS     0x02  /* found in /proc when the agent started */
#define PROC_F_CLONE      0x04  /* created by a fork, still running its parent's image */
#define PROC_F_TRUNCATED  0x08  /* argv or a path was cut by the kernel's bounds */
#define PROC_F_EXEC_FD    0x10  /* executed through a file descriptor (fexecve, /proc/self/fd/N) */

struct proc {
	int refs;
	uint32_t pid;
	uint32_t flags;           /* PROC_F_* */
	struct vg_task task;      /* ids, creds at exec, namespaces, comm */
	uint64_t exec_time;       /* CLOCK_BOOTTIME ns of the exec/fork (process start for /proc) */
	uint64_t exe_ino, exe_mtime, exe_ctime;
	uint32_t exe_dev;
	uint16_t exe_flags;       /* VG_EXE_* */
	const char *exe;          /* executable path */
	const char *args;         /* argv block: argc NUL-terminated strings */
	uint32_t args_len;        /* bytes in the block */
	uint32_t argc;            /* strings in the block */
	const char *cwd;
	const char *exec_id;
	struct container *container;  /* NULL on the host */
	struct proc *parent;      /* the parent's image when this one was created, or NULL */
	char *json;               /* its object in the event stream, written once (event_json.c) */
	uint32_t json_len;
	char strings[];           /* exe, args, cwd, exec_id live here */
};

/* the strings a new version needs */
struct proc_strings {
	const char *exe; size_t exe_len;     /* lengths without NUL */
	const char *args; size_t args_len;   /* block length */
	const char *cwd; size_t cwd_len;
};

/*
 * A new image with one reference. `parent` and `container` gain a
 * reference. exec_id is derived from node, exec_time and pid.
 */
struct proc *proc_new(const char *node, uint32_t pid, const struct vg_task *task, uint64_t exec_time,
		      const struct proc_strings *s, struct proc *parent, struct container *c);

/* A copy of p with another working directory (one reference). */
struct proc *proc_with_cwd(const struct proc *p, const char *cwd);

struct proc *proc_ref(struct proc *p);
void proc_unref(struct proc *p);

/* argv[0] (empty if none) */
const char *proc_argv0(const struct proc *p);
/* the last path component of the executable, or comm if unknown */
const char *proc_exe_name(const struct proc *p);
/* ancestors: 0 = p, 1 = parent, ...; NULL past the top */
const struct proc *proc_ancestor(const struct proc *p, int n);

/* exec_id: base64 of "node:exec_time:pid" into out (at least 256 bytes) */
void proc_make_exec_id(const char *node, uint64_t exec_time, uint32_t pid, char *out, size_t n);

#endif /* VIGIL_PROC_H */
