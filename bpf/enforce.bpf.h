/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * enforce.bpf.h - enforcement selectors: matching a call against the
 * kernel-evaluable part of enforcing rules, and acting on a match.
 *
 * The data model is described in vigil_abi.h (struct vg_sel_config and the
 * dimension maps). Matching narrows a 64-bit candidate set, one lookup per
 * dimension that some remaining candidate cares about; the cost does not
 * depend on how many values the selectors hold.
 *
 * Acting: KILL sends SIGKILL to the calling thread group; at a syscall
 * entry or exec that happens before the process returns to user space (the
 * syscall itself completes). DENY refuses the operation where the hook can
 * (cgroup connect, LSM) and is a KILL elsewhere. AUDIT actions only report.
 * USERSPACE marks the call so its event reaches userspace at once, which
 * finishes the rule. pid 1, kernel threads and the never-kill lists are
 * never acted on.
 */
#ifndef VIGIL_ENFORCE_BPF_H
#define VIGIL_ENFORCE_BPF_H

__u32 active_gen;                      /* which generation of selectors is live */
__u32 enforce_off;                     /* 1: act on nothing (vigil enforce off) */
const volatile __u32 host_mnt_ns;      /* mount namespace of pid 1: "not in a container" */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct vg_sel_config);
} sel_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * VG_SEL_VALUES);
	__type(key, struct vg_sel_str_key);
	__type(value, struct vg_sel_bits);
} sel_str_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * VG_SEL_VALUES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vg_sel_lpm_key);
	__type(value, struct vg_sel_bits);
} sel_lpm_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * VG_SEL_VALUES);
	__type(key, struct vg_sel_num_key);
	__type(value, struct vg_sel_bits);
} sel_num_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * VG_SEL_VALUES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vg_sel_net_key);
	__type(value, struct vg_sel_bits);
} sel_net_map SEC(".maps");

/* never act on these task names or cgroups */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[VG_COMM_LEN]);
	__type(value, __u8);
} never_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u8);
} never_cgroup SEC(".maps");

struct sel_scratch {
	struct vg_sel_str_key sk;
	struct vg_sel_lpm_key lk;
	char path[VG_PATH_MAX * 2];          /* the path being matched, made absolute */
	char exe[VG_PATH_MAX * 2];           /* the caller's executable, when walked */
	char rev[VG_SEL_STR + 8];            /* the path's tail, reversed, for suffixes */
	__u32 rev_len;
	__u8 rec[sizeof(struct vg_enforce) + VG_PATH_MAX * 2];  /* a struct vg_enforce and its data */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sel_scratch);
} sel_scratch_map SEC(".maps");

/* what a call offers to match on; absent parts stay zero */
struct sel_input {
	__u32 slot;                /* syscall number or VG_HOOK_* */
	__u8 hook;                 /* enum vg_enf_hook */
	bool have_path;            /* ss->path holds a NUL-terminated absolute path */
	__u32 path_len;            /* without the NUL */
	bool have_addr;
	__u8 family;               /* 4 or 6 */
	__u8 addr[16];
	__u16 port;
	bool have_exe;             /* exe_str holds the executable's path */
	const char *exe_str;       /* kernel memory (a record being built) */
	__u32 exe_len;
	const char *comm;          /* the name to match as proc.name; NULL: the current task's */
};

struct sel_match {
	__u64 cand;
	const struct vg_sel_config *cfg;
	__u8 gen;
};

static __always_inline struct sel_scratch *sel_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sel_scratch_map, &zero);
}

/* dims are compile-time constants at every call, so the array indexes are checked statically */
static __always_inline void sel_apply(struct sel_match *m, int dim, const struct vg_sel_bits *b)
{
	__u64 pos = b ? b->pos : 0;

	if (dim < 0 || dim >= VG_DIM_MAX) {
		m->cand = 0;
		return;
	}
	m->cand &= pos | m->cfg->wild[dim];
	if (b)
		m->cand &= ~b->neg;
}

/* does any remaining candidate have a condition on dim? */
static __always_inline bool sel_wants(const struct sel_match *m, int dim)
{
	return dim >= 0 && dim < VG_DIM_MAX && (m->cand & m->cfg->used[dim]);
}

static __always_inline void sel_str(struct sel_match *m, struct sel_scratch *ss, int dim, const char *s,
				    bool kernel)
{
	if (!sel_wants(m, dim))
		return;
	__builtin_memset(&ss->sk, 0, sizeof(ss->sk));
	ss->sk.gen = m->gen;
	ss->sk.dim = dim;
	if (kernel)
		bpf_probe_read_kernel_str(ss->sk.s, sizeof(ss->sk.s), s);
	else
		bpf_probe_read_user_str(ss->sk.s, sizeof(ss->sk.s), s);
	sel_apply(m, dim, bpf_map_lookup_elem(&sel_str_map, &ss->sk));
}

static __always_inline void sel_lpm(struct sel_match *m, struct sel_scratch *ss, int dim, const char *s, __u32 len)
{
	__u32 n = VG_MASK(len, 255);

	if (!sel_wants(m, dim))
		return;
	if (n > VG_SEL_STR || len > VG_SEL_STR)
		n = VG_SEL_STR;
	ss->lk.prefixlen = (2 + n) * 8;
	ss->lk.gen = m->gen;
	ss->lk.dim = dim;
	bpf_probe_read_kernel(ss->lk.s, n, s);
	sel_apply(m, dim, bpf_map_lookup_elem(&sel_lpm_map, &ss->lk));
}

static __always_inline void sel_num(struct sel_match *m, int dim, __u64 v)
{
	struct vg_sel_num_key k = { .gen = m->gen, .dim = dim, .v = v };

	if (!sel_wants(m, dim))
		return;
	sel_apply(m, dim, bpf_map_lookup_elem(&sel_num_map, &k));
}


static long sel_reverse_step(__u64 i, void *arg)
{
	struct sel_scratch *ss = sel_scratch_get();
	__u32 len;

	if (!ss)
		return 1;
	len = ss->rev_len;
	if (i >= len || i >= VG_SEL_STR)
		return 1;
	ss->rev[i & 255] = ss->path[(len - 1 - i) & (VG_PATH_MAX * 2 - 1)];
	return 0;
}

/* the lowest set bit's index */
static __always_inline __u32 lowest_bit(__u64 v)
{
	__u32 n = 0;

	if (!(v & 0xffffffffull)) { n += 32; v >>= 32; }
	if (!(v & 0xffff)) { n += 16; v >>= 16; }
	if (!(v & 0xff)) { n += 8; v >>= 8; }
	if (!(v & 0xf)) { n += 4; v >>= 4; }
	if (!(v & 0x3)) { n += 2; v >>= 2; }
	if (!(v & 0x1)) n += 1;
	return n;
}

static __always_inline bool in_container(struct task_struct *t)
{
	return host_mnt_ns && BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum) != host_mnt_ns;
}

/*
 * Match `in` against the live selectors. Returns the matching selectors
 * (0: none) and fills m.
 */
static __always_inline __u64 sel_match(struct sel_input *in, struct sel_scratch *ss, struct sel_match *m)
{
	__u32 gen = active_gen & 1;
	struct task_struct *t = bpf_get_current_task_btf();

	m->gen = gen;
	m->cfg = bpf_map_lookup_elem(&sel_config, &gen);
	if (!m->cfg || in->slot >= VG_SEL_SLOTS)
		return 0;
	m->cand = m->cfg->sc_mask[in->slot];
	if (!m->cand)
		return 0;

	/* who is calling */
	if (sel_wants(m, VG_DIM_COMM)) {
		__builtin_memset(&ss->sk, 0, sizeof(ss->sk));
		ss->sk.gen = gen;
		ss->sk.dim = VG_DIM_COMM;
		if (in->comm)
			bpf_probe_read_kernel_str(ss->sk.s, VG_COMM_LEN, in->comm);
		else
			bpf_get_current_comm(ss->sk.s, VG_COMM_LEN);
		sel_apply(m, VG_DIM_COMM, bpf_map_lookup_elem(&sel_str_map, &ss->sk));
	}
	if (sel_wants(m, VG_DIM_PCOMM))
		sel_str(m, ss, VG_DIM_PCOMM, BPF_CORE_READ(t, real_parent)->comm, true);
	if (sel_wants(m, VG_DIM_UID))
		sel_num(m, VG_DIM_UID, BPF_CORE_READ(t, cred, euid.val));
	if (sel_wants(m, VG_DIM_CONTAINER))
		sel_num(m, VG_DIM_CONTAINER, in_container(t));
	if (sel_wants(m, VG_DIM_CGROUP))
		sel_num(m, VG_DIM_CGROUP, bpf_get_current_cgroup_id());
	if (!m->cand)
		return 0;

	/* the executable: given (exec hooks), or walked from the task's mm */
	if (sel_wants(m, VG_DIM_EXE) || sel_wants(m, VG_DIM_EXE_PREFIX)) {
		const char *exe = in->exe_str;
		__u32 len = in->exe_len;

		if (!in->have_exe) {
			struct file *f = BPF_CORE_READ(t, mm, exe_file);
			bool cut = false;

			len = f ? vg_path_copy(&f->f_path, ss->exe, &cut) : 0;
			exe = ss->exe;
			len = len ? len - 1 : 0;
		}
		sel_str(m, ss, VG_DIM_EXE, exe, true);
		sel_lpm(m, ss, VG_DIM_EXE_PREFIX, exe, len);
	}
	if (!m->cand)
		return 0;

	/* what the call works on */
	if (in->have_path) {
		sel_str(m, ss, VG_DIM_PATH, ss->path, true);
		sel_lpm(m, ss, VG_DIM_PATH_PREFIX, ss->path, in->path_len);
		if (sel_wants(m, VG_DIM_PATH_SUFFIX)) {
			__u32 len = in->path_len > VG_SEL_STR ? VG_SEL_STR : in->path_len;

			/* reverse the tail so a suffix becomes a prefix */
			ss->rev_len = in->path_len;
			__builtin_memset(ss->rev, 0, sizeof(ss->rev));
			bpf_loop(VG_SEL_STR, sel_reverse_step, NULL, 0);
			sel_lpm(m, ss, VG_DIM_PATH_SUFFIX, ss->rev, len);
		}
	} else if (sel_wants(m, VG_DIM_PATH) || sel_wants(m, VG_DIM_PATH_PREFIX) ||
		   sel_wants(m, VG_DIM_PATH_SUFFIX)) {
		/* selectors that need a path cannot match a call without one */
		m->cand &= m->cfg->wild[VG_DIM_PATH] & m->cfg->wild[VG_DIM_PATH_PREFIX] &
			   m->cfg->wild[VG_DIM_PATH_SUFFIX];
	}
	if (in->have_addr) {
		if (sel_wants(m, VG_DIM_DADDR)) {
			struct vg_sel_net_key k = { .gen = gen, .family = in->family };

			k.prefixlen = 16 + (in->family == 6 ? 128 : 32);
			__builtin_memcpy(k.addr, in->addr, 16);
			sel_apply(m, VG_DIM_DADDR, bpf_map_lookup_elem(&sel_net_map, &k));
		}
		sel_num(m, VG_DIM_DPORT, in->port);
	} else if (sel_wants(m, VG_DIM_DADDR) || sel_wants(m, VG_DIM_DPORT)) {
		m->cand &= m->cfg->wild[VG_DIM_DADDR] & m->cfg->wild[VG_DIM_DPORT];
	}
	return m->cand;
}

/* the selector to act on: act over audit over userspace, the first of its kind */
static __always_inline __u32 sel_pick(const struct sel_match *m, __u8 *action)
{
	for (int a = VG_ACT_KILL; a <= VG_ACT_USERSPACE; a++) {
		__u64 these = m->cand & m->cfg->act_mask[a];

		if (these) {
			*action = a;
			return lowest_bit(these);
		}
	}
	return VG_SEL_MAX;
}

static __always_inline bool never_act(struct task_struct *t)
{
	char comm[VG_COMM_LEN] = {};
	__u64 cg = bpf_get_current_cgroup_id();

	if ((bpf_get_current_pid_tgid() >> 32) == 1 || (BPF_CORE_READ(t, flags) & 0x00200000 /* PF_KTHREAD */))
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	return bpf_map_lookup_elem(&never_comm, comm) || bpf_map_lookup_elem(&never_cgroup, &cg);
}

/*
 * Decide and act. `can_deny`: the hook can refuse the operation (returns
 * true in *denied). `can_kill`: the program type may send signals (cgroup
 * programs may not before Linux 6.2; only denials are placed there). Both
 * are constants at every call, so the compiler drops what a hook cannot do.
 * Returns the action carried out.
 */
static __always_inline __u8 sel_act(struct sel_input *in, struct sel_scratch *ss, bool can_deny, bool can_kill,
				    bool *denied)
{
	struct sel_match m;
	__u8 action = VG_ACT_NONE;
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *t = bpf_get_current_task_btf();

	*denied = false;
	if (enforce_off || is_agent(id >> 32))
		return VG_ACT_NONE;
	if (!sel_match(in, ss, &m))
		return VG_ACT_NONE;
	__u32 sel = sel_pick(&m, &action);

	if (sel >= VG_SEL_MAX)
		return VG_ACT_NONE;
	if (action == VG_ACT_DENY && !can_deny)
		action = VG_ACT_KILL;  /* no way to refuse here: stop the process instead */
	if (action == VG_ACT_KILL && !can_kill)
		action = VG_ACT_DENY;  /* and where no signal can be sent, refuse */
	if ((action == VG_ACT_KILL || action == VG_ACT_DENY) && never_act(t)) {
		stat_inc(VG_STAT_ENFORCE_SPARED);
		action = VG_ACT_NONE;
	} else if (action == VG_ACT_KILL && can_kill) {
		bpf_send_signal(9);
		stat_inc(VG_STAT_ENFORCE_KILL);
	} else if (action == VG_ACT_DENY) {
		*denied = true;
		stat_inc(VG_STAT_ENFORCE_DENY);
	}
	if (action == VG_ACT_USERSPACE)
		return action;  /* the call's own event carries it, sent at once */

	/* report it */
	struct vg_enforce *r = (void *)ss->rec;
	__u8 *data = ss->rec + sizeof(*r);
	__u32 len = 0;

	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, VG_EV_ENFORCE, id >> 32, (__u32)id);
	r->nr = in->slot;
	r->selector = sel;
	r->action = action;
	r->hook = in->hook;
	r->generation = m.gen;
	vg_read_creds(t, &r->creds);
	if (in->have_path) {
		len = in->path_len + 1;
		if (len > VG_PATH_MAX)
			len = VG_PATH_MAX;
		bpf_probe_read_kernel(data, VG_MASK(len, VG_PATH_MAX * 2 - 1), ss->path);
	} else if (in->have_addr) {
		/* family, port, address: a compact sockaddr of our own */
		data[0] = in->family;
		data[1] = in->port >> 8;
		data[2] = in->port & 0xff;
		__builtin_memcpy(data + 3, in->addr, 16);
		len = 19;
	}
	r->len = len;
	r->h.size = sizeof(*r) + len;
	if (bpf_ringbuf_output(&events, r, VG_MASK(r->h.size, 2047), BPF_RB_FORCE_WAKEUP))
		stat_inc(VG_STAT_DROP_RINGBUF);
	else
		stat_inc(VG_STAT_SENT_ENFORCE);
	return action;
}

#endif /* VIGIL_ENFORCE_BPF_H */
