/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * path.bpf.h - turning a struct path into a string inside the kernel.
 *
 * bpf_d_path() is only allowed from a few attach points, none of the ones the
 * capture uses, so the path is built by walking dentries up to the root,
 * crossing mount points through struct mount. The walk is bounded
 * (VG_PATH_DEPTH components); a deeper path is cut at the top and flagged.
 * Components are written backwards into a workspace, then copied forward
 * into the record.
 */
#ifndef VIGIL_PATH_BPF_H
#define VIGIL_PATH_BPF_H

#define VG_PATH_DEPTH 40
#define VG_WS_SIZE (2 * VG_PATH_MAX)   /* workspace: positions < VG_PATH_MAX, one name beyond */

/*
 * Write the path of (dentry, vfsmount) into ws, ending at ws[VG_PATH_MAX - 1]
 * with a NUL. Returns the start offset in ws; sets *cut when the walk stopped
 * before reaching the root.
 */
static __always_inline __u32 vg_path_walk(struct dentry *d, struct vfsmount *vm,
					  char *ws, bool *cut)
{
	struct mount *mnt = container_of(vm, struct mount, mnt);
	__u32 pos = VG_PATH_MAX - 1;
	bool done = false;

	ws[VG_PATH_MAX - 1] = 0;
	*cut = false;
	for (int i = 0; i < VG_PATH_DEPTH; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
		struct dentry *parent = BPF_CORE_READ(d, d_parent);

		if (d == mnt_root || d == parent) {
			struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);

			if (d != mnt_root || mp == mnt || !mp) {
				done = true;
				break;
			}
			/* cross into the mount this one is mounted on */
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mp;
			vm = &mp->mnt;
			continue;
		}
		__u32 len = BPF_CORE_READ(d, d_name.len);
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);

		if (len > 255)
			len = 255;
		if (len + 1 > pos) {
			*cut = true;
			break;
		}
		pos -= len;
		bpf_probe_read_kernel(ws + (pos & (VG_PATH_MAX - 1)), len & 255, name);
		pos--;
		ws[pos & (VG_PATH_MAX - 1)] = '/';
		d = parent;
	}
	if (!done)
		*cut = true;
	if (pos == VG_PATH_MAX - 1) {
		/* the root itself */
		pos--;
		ws[pos & (VG_PATH_MAX - 1)] = '/';
	}
	return pos;
}

/*
 * Copy the path of p to dst (capacity VG_PATH_MAX), using ws as workspace.
 * Returns the length written including the NUL.
 */
static __always_inline __u32 vg_path_copy(const struct path *p, char *dst, char *ws, bool *cut)
{
	struct dentry *d = BPF_CORE_READ(p, dentry);
	struct vfsmount *vm = BPF_CORE_READ(p, mnt);

	if (!d || !vm) {
		dst[0] = 0;
		return 0;
	}
	__u32 start = vg_path_walk(d, vm, ws, cut);
	__u32 len = VG_PATH_MAX - start;

	if (start >= VG_PATH_MAX || len > VG_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(dst, len, ws + start);
	return len;
}

#endif /* VIGIL_PATH_BPF_H */
