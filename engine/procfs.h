/*
 * procfs.h - processes and fds that existed before the agent started,
 * read from /proc and turned into records of the same ABI the kernel uses
 * (VG_EV_PROC_SNAPSHOT, a struct vg_exec; VG_EV_FD_SNAPSHOT).
 *
 * Going through records rather than filling the tables directly means a
 * capture file holds the starting state too, and replay rebuilds exactly
 * the tables the live agent had.
 */
#ifndef VIGIL_PROCFS_H
#define VIGIL_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include "cgroup_layout.h"

#define PROCFS_REC_MAX 8192

/*
 * Fill `rec` (PROCFS_REC_MAX bytes) with a VG_EV_PROC_SNAPSHOT record for
 * pid. Returns its size, or 0 if the process is gone or is a kernel thread.
 */
size_t procfs_snapshot_pid(const struct cgroup_layout *l, uint32_t pid, void *rec);

/* Call fn for each process's snapshot record, parents before children. */
void procfs_scan(const struct cgroup_layout *l, void (*fn)(const void *rec, size_t len, void *ctx),
		 void *ctx);

/*
 * The target of /proc/PID/fd/FD into out, if it is still the inode `ino`
 * (0: do not check). Returns the length, or 0.
 */
size_t procfs_fd_link(uint32_t pid, int fd, uint64_t ino, char *out, size_t n);

/* boot time as wall-clock ns (CLOCK_REALTIME - CLOCK_BOOTTIME) */
uint64_t procfs_boot_wall_ns(void);

struct vg_node_info;
/* the host facts a replay needs (node name, boot time, kernel) */
void procfs_node_info(struct vg_node_info *ni, const char *node);

#endif /* VIGIL_PROCFS_H */
