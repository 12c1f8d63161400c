/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * path.bpf.h - turning a struct path into a string inside the kernel.
 *
 * bpf_d_path() is only allowed from a few attach points, none of the ones the
 * capture uses, so the path is built by walking dentries up to the root,
 * crossing mount points through struct mount. The walk is one bpf_loop()
 * step per component (bounded by VG_PATH_DEPTH), which the verifier checks
 * once instead of once per unrolled iteration; a deeper path is cut at the
 * top and flagged. Components are written backwards into the per-CPU
 * workspace, then copied forward into the record.
 *
 * Needs get_scratch() and VG_MASK() from the including program.
 */
#ifndef VIGIL_PATH_BPF_H
#define VIGIL_PATH_BPF_H

#define VG_PATH_DEPTH 64

struct path_walk {
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *mnt;
	__u32 pos;          /* start of what is written so far, in ws */
	bool done;          /* reached the root */
};

static long path_walk_step(__u64 i, void *arg)
{
	struct path_walk *w = arg;
	struct scratch *s = get_scratch();

	if (!s)
		return 1;

	/* copies: CO-RE reads must start from kernel types, not from this struct */
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *mnt = w->mnt;
	struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);

	if (d == mnt_root || d == parent) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);

		if (d != mnt_root) {
			/* a root that is not a mount's root: a pseudo file (memfd, anonymous
			 * inode) or a disconnected dentry. Keep its name, without a slash,
			 * as /proc/PID/exe shows it ("memfd:name") */
			__u32 len = BPF_CORE_READ(d, d_name.len);
			const unsigned char *name = BPF_CORE_READ(d, d_name.name);

			if (len > 255)
				len = 255;
			if (len && len <= w->pos) {
				w->pos -= len;
				bpf_probe_read_kernel(s->ws + VG_MASK(w->pos, VG_PATH_MAX - 1), VG_MASK(len, 255), name);
			}
			w->done = true;
			return 1;
		}
		if (mp == mnt || !mp) {
			w->done = true;
			return 1;
		}
		/* cross into the mount this one is mounted on */
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		w->vm = &mp->mnt;
		return 0;
	}

	__u32 len = BPF_CORE_READ(d, d_name.len);
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);

	if (len > 255)
		len = 255;
	if (len + 1 > w->pos)
		return 1;  /* out of room: the path is cut at the top */
	w->pos -= len;
	bpf_probe_read_kernel(s->ws + VG_MASK(w->pos, VG_PATH_MAX - 1), VG_MASK(len, 255), name);
	w->pos--;
	s->ws[VG_MASK(w->pos, VG_PATH_MAX - 1)] = '/';
	w->d = parent;
	return 0;
}

/*
 * Copy the path of p to dst (capacity VG_PATH_MAX, plus slack for masked
 * writes). Returns the length written including the NUL (0 if none); sets
 * *cut when the path was cut.
 */
static __always_inline __u32 vg_path_copy(const struct path *p, char *dst, bool *cut)
{
	struct scratch *s = get_scratch();
	struct path_walk w = {
		.d = BPF_CORE_READ(p, dentry),
		.vm = BPF_CORE_READ(p, mnt),
		.pos = VG_PATH_MAX - 1,
	};

	if (!s || !w.d || !w.vm)
		return 0;
	w.mnt = container_of(w.vm, struct mount, mnt);
	s->ws[VG_PATH_MAX - 1] = 0;
	bpf_loop(VG_PATH_DEPTH, path_walk_step, &w, 0);
	if (!w.done)
		*cut = true;
	if (w.pos == VG_PATH_MAX - 1) {
		/* nothing written: the root itself */
		w.pos--;
		s->ws[VG_MASK(w.pos, VG_PATH_MAX - 1)] = '/';
	}

	__u32 len = VG_PATH_MAX - w.pos;

	if (w.pos >= VG_PATH_MAX || len > VG_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(dst, VG_MASK(len, 2047), s->ws + VG_MASK(w.pos, VG_PATH_MAX - 1));
	return len;
}

#endif /* VIGIL_PATH_BPF_H */
