/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * task.bpf.h - reading what the process table needs from a task_struct:
 * credentials, capabilities, namespaces, session and terminal, cgroup.
 *
 * Everything is read with CO-RE so one object works across kernel versions;
 * fields that moved between versions are read through ___flavor structs.
 */
#ifndef VIGIL_TASK_BPF_H
#define VIGIL_TASK_BPF_H

/* before 6.15 the kernfs parent pointer was called `parent` */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *vg_kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(struct kernfs_node, __parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

static __always_inline void vg_read_creds(struct task_struct *t, struct vg_creds *c)
{
	const struct cred *cr = BPF_CORE_READ(t, cred);

	c->uid = BPF_CORE_READ(cr, uid.val);
	c->gid = BPF_CORE_READ(cr, gid.val);
	c->euid = BPF_CORE_READ(cr, euid.val);
	c->egid = BPF_CORE_READ(cr, egid.val);
	c->suid = BPF_CORE_READ(cr, suid.val);
	c->fsuid = BPF_CORE_READ(cr, fsuid.val);
	c->auid = (__u32)-1;
	if (bpf_core_field_exists(t->loginuid))
		c->auid = BPF_CORE_READ(t, loginuid.val);
	/* kernel_cap_t is a u64 since 6.3 and two u32 (low word first) before:
	 * the same 8 bytes either way */
	bpf_probe_read_kernel(&c->cap_effective, 8, &cr->cap_effective);
	bpf_probe_read_kernel(&c->cap_permitted, 8, &cr->cap_permitted);
	bpf_probe_read_kernel(&c->cap_inheritable, 8, &cr->cap_inheritable);
}

/* number of a struct pid as seen from the pid namespace at `level` */
static __always_inline __u32 vg_pid_nr(struct pid *p, unsigned int level)
{
	if (!p)
		return 0;
	if (BPF_CORE_READ(p, level) < level)
		return 0;
	return BPF_CORE_READ(p, numbers[level & 31].nr);
}

static __always_inline void vg_read_ids(struct task_struct *t, struct vg_task *out)
{
	struct task_struct *leader = BPF_CORE_READ(t, group_leader);
	struct pid *tp = BPF_CORE_READ(leader, thread_pid);
	unsigned int level = BPF_CORE_READ(tp, level);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	int pgid_type = bpf_core_enum_value(enum pid_type, PIDTYPE_PGID);
	int sid_type = bpf_core_enum_value(enum pid_type, PIDTYPE_SID);

	out->ppid = BPF_CORE_READ(t, real_parent, tgid);
	out->vpid = vg_pid_nr(tp, level);
	out->vpgid = vg_pid_nr(BPF_CORE_READ(sig, pids[pgid_type & 3]), level);
	out->sid = vg_pid_nr(BPF_CORE_READ(sig, pids[sid_type & 3]), level);
	out->start_time = BPF_CORE_READ(leader, start_boottime);

	struct tty_struct *tty = BPF_CORE_READ(sig, tty);

	out->tty = 0;
	if (tty) {
		__u32 major = BPF_CORE_READ(tty, driver, major);
		__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);

		out->tty = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
	}
}

static __always_inline void vg_read_namespaces(struct task_struct *t, struct vg_namespaces *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(t, nsproxy);
	struct pid *tp = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(tp, level);

	ns->pid = BPF_CORE_READ(tp, numbers[level & 31].ns, ns.inum);
	ns->user = BPF_CORE_READ(t, cred, user_ns, ns.inum);
	if (!nsp)
		return;
	ns->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ns->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ns->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ns->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ns->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
}

/* subsystem whose hierarchy names containers; -1: the cgroup v2 hierarchy */
const volatile int cgroup_subsys_idx = -1;

static __always_inline struct cgroup *vg_task_cgroup(struct task_struct *t)
{
	if (cgroup_subsys_idx < 0)
		return BPF_CORE_READ(t, cgroups, dfl_cgrp);
	return BPF_CORE_READ(t, cgroups, subsys[cgroup_subsys_idx & 15], cgroup);
}

#define VG_CGROUP_DEPTH 5

/*
 * Write the last VG_CGROUP_DEPTH components of the task's cgroup path into
 * dst ("a/b/c", no leading slash; "" for the root). ws: workspace of
 * VG_WS_SIZE bytes. Returns the length including the NUL.
 */
static __always_inline __u32 vg_cgroup_tail(struct task_struct *t, char *dst, char *ws)
{
	struct kernfs_node *kn = BPF_CORE_READ(vg_task_cgroup(t), kn);
	__u32 pos = VG_CGROUP_MAX - 1;

	ws[VG_CGROUP_MAX - 1] = 0;
	for (int i = 0; i < VG_CGROUP_DEPTH && kn; i++) {
		struct kernfs_node *parent = vg_kn_parent(kn);

		if (!parent)
			break; /* the root has no name worth keeping */
		const char *name = BPF_CORE_READ(kn, name);
		char part[128];
		long n = bpf_probe_read_kernel_str(part, sizeof(part), name);

		if (n <= 1)
			break;
		__u32 len = n - 1;

		if (len + 1 > pos)
			break;
		if (pos != VG_CGROUP_MAX - 1) {
			pos--;
			ws[pos & (VG_CGROUP_MAX - 1)] = '/';
		}
		pos -= len;
		bpf_probe_read_kernel(ws + (pos & (VG_CGROUP_MAX - 1)), len & 127, part);
		kn = parent;
	}
	__u32 len = VG_CGROUP_MAX - pos;

	if (pos >= VG_CGROUP_MAX || len > VG_CGROUP_MAX)
		return 0;
	bpf_probe_read_kernel(dst, VG_MASK(len, 1023), ws + VG_MASK(pos, VG_CGROUP_MAX - 1));
	return len;
}

static __always_inline __u64 vg_task_cgroup_id(struct task_struct *t)
{
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
}

static __always_inline void vg_read_task(struct task_struct *t, struct vg_task *out)
{
	vg_read_ids(t, out);
	vg_read_creds(t, &out->creds);
	vg_read_namespaces(t, &out->ns);
	out->cgroup_id = vg_task_cgroup_id(t);
	bpf_probe_read_kernel_str(out->comm, sizeof(out->comm), t->comm);
}

#endif /* VIGIL_TASK_BPF_H */
