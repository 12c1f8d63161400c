/*
 * proc_table.h - the live processes: pid -> current image and fd table,
 * kept current by exec, fork and exit records.
 *
 * Built at start from /proc (snapshot records) and then only from the
 * kernel's records. Bounded: exited processes are removed when their exit
 * record arrives, and if records were lost and the table reaches its cap,
 * processes that no longer exist are swept out (live mode), then the
 * oldest are evicted. A removed image lives on while something references
 * it (a child's parent link, an event in flight).
 */
#ifndef VIGIL_PROC_TABLE_H
#define VIGIL_PROC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cgroup_layout.h"
#include "fd_table.h"
#include "proc.h"
#include "u64map.h"

struct proc_slot {
	struct proc *cur;       /* the current image (owned reference) */
	struct fd_table fds;
};

/* how many exited processes are remembered for events that arrive after the exit */
#define PROC_RECENT_EXITS 1024

struct proc_table {
	struct u64map slots;    /* pid -> struct proc_slot * */
	struct u64map recent;   /* pid -> struct proc * of recently exited processes */
	uint32_t recent_pids[PROC_RECENT_EXITS];  /* FIFO of `recent`, oldest first */
	size_t recent_head, recent_len;
	char node[64];
	size_t max;             /* cap on processes held */
	bool live;              /* may read /proc for processes it does not know */
	struct cgroup_layout cgl;
	uint64_t evicted, swept, from_procfs, unknown;
	/*
	 * Called with each snapshot record made from /proc while running (a
	 * process the table did not know), so a recording can store the same
	 * facts and a replay reaches the same state. May be NULL.
	 */
	void (*on_procfs)(void *ctx, const void *rec, size_t len);
	void *on_procfs_ctx;
};

void proc_table_init(struct proc_table *t, const char *node, size_t max, bool live);
void proc_table_free(struct proc_table *t);

/* Apply a validated VG_EV_EXEC or VG_EV_PROC_SNAPSHOT record; returns the new image (borrowed). */
struct proc *proc_table_exec(struct proc_table *t, const struct vg_exec *e);
/* Apply a VG_EV_FORK record; returns the child's image (borrowed). */
struct proc *proc_table_fork(struct proc_table *t, const struct vg_fork *f);
/*
 * Remove the process; returns its last image (a reference the caller owns),
 * or NULL. The image is remembered for a while (PROC_RECENT_EXITS) for
 * events that arrive after the exit, like a TCP close finished by the kernel.
 */
struct proc *proc_table_exit(struct proc_table *t, uint32_t pid);

/* the current image of a live process, or the last one of a recently exited one; NULL if neither */
struct proc *proc_table_recent(struct proc_table *t, uint32_t pid);

/*
 * The slot of pid. When unknown: in live mode the process is read from
 * /proc; otherwise (or if that fails) a placeholder image with the given
 * comm-less facts is created, so every event has a process.
 */
struct proc_slot *proc_table_slot(struct proc_table *t, uint32_t pid);

/* Give pid a new current image with another working directory. */
void proc_table_set_cwd(struct proc_table *t, uint32_t pid, const char *cwd);

/* Strings of a validated exec/snapshot record. */
struct proc_strings;
void vg_exec_strings(const struct vg_exec *e, struct proc_strings *s, const char **cgroup,
		     const char **filename);

#endif /* VIGIL_PROC_TABLE_H */
