/*
 * cgroup_layout.h - which cgroup hierarchy names containers on this host.
 *
 * On a pure cgroup v2 host the unified hierarchy does. On v1 and hybrid
 * hosts (like systemd's "hybrid" mode, where v2 is mounted but holds no
 * controllers) runtimes create container cgroups in the v1 controller
 * hierarchies, so a v1 controller's hierarchy is used instead. The kernel
 * programs and the /proc scanner must read the same one.
 */
#ifndef VIGIL_CGROUP_LAYOUT_H
#define VIGIL_CGROUP_LAYOUT_H

struct cgroup_layout {
	int subsys_idx;        /* v1 controller index in the kernel's subsys[] array; -1: unified */
	char subsys_name[32];  /* its name in /proc/PID/cgroup ("pids"); "" for unified */
	char v2_mount[256];    /* where cgroup2 is mounted, "" if nowhere */
};

void cgroup_layout_detect(struct cgroup_layout *l);

/* The path of `pid`'s cgroup in that hierarchy into out (at least 512 bytes); -1 if unknown. */
int cgroup_layout_path(const struct cgroup_layout *l, int pid, char *out, size_t n);

#endif /* VIGIL_CGROUP_LAYOUT_H */
