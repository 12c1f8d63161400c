/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * file.bpf.h - what an fd refers to, read from the task's fd table: the
 * inode's type and identity and, for sockets, the connection's addresses.
 *
 * Userspace keeps its own fd table from the events it sees; this is what
 * lets it name fds it never saw opened (inherited, or opened before the
 * agent started) and gives every socket syscall its full 4-tuple.
 */
#ifndef VIGIL_FILE_BPF_H
#define VIGIL_FILE_BPF_H

#define VG_S_IFMT   00170000
#define VG_S_IFSOCK 0140000
#define VG_S_IFLNK  0120000
#define VG_S_IFREG  0100000
#define VG_S_IFBLK  0060000
#define VG_S_IFDIR  0040000
#define VG_S_IFCHR  0020000
#define VG_S_IFIFO  0010000

#define VG_AF_INET  2
#define VG_AF_INET6 10

static __always_inline struct file *vg_fd_file(struct task_struct *t, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline void vg_read_sock(struct sock *sk, struct vg_sock *s)
{
	s->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	s->proto = BPF_CORE_READ(sk, sk_protocol);
	s->type = BPF_CORE_READ(sk, sk_type);
	s->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	s->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (!s->lport)  /* a closing TCP socket has left the port table; inet_sport remains */
		s->lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	s->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	/* sizes spelled out: the destinations are byte arrays */
	if (s->family == VG_AF_INET) {
		bpf_core_read(s->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(s->raddr, 4, &sk->__sk_common.skc_daddr);
	} else if (s->family == VG_AF_INET6) {
		bpf_core_read(s->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(s->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline void vg_read_fdinfo(struct task_struct *t, int fd, struct vg_fdinfo *fi)
{
	struct file *f = vg_fd_file(t, fd);

	fi->fd = fd;
	if (!f)
		return;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	__u16 mode = BPF_CORE_READ(ino, i_mode);

	fi->ino = BPF_CORE_READ(ino, i_ino);
	fi->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	switch (mode & VG_S_IFMT) {
	case VG_S_IFREG: fi->ftype = VG_FT_FILE; break;
	case VG_S_IFDIR: fi->ftype = VG_FT_DIR; break;
	case VG_S_IFCHR: fi->ftype = VG_FT_CHR; break;
	case VG_S_IFBLK: fi->ftype = VG_FT_BLK; break;
	case VG_S_IFIFO: fi->ftype = VG_FT_FIFO; break;
	case VG_S_IFLNK: fi->ftype = VG_FT_LNK; break;
	case VG_S_IFSOCK: {
		struct socket *so = BPF_CORE_READ(f, private_data);
		struct sock *sk = BPF_CORE_READ(so, sk);

		fi->ftype = VG_FT_SOCK;
		if (sk)
			vg_read_sock(sk, &fi->sock);
		break;
	}
	default:
		fi->ftype = VG_FT_ANON; /* eventfd, epoll, timerfd, bpf...: no inode type */
		break;
	}
}

#endif /* VIGIL_FILE_BPF_H */
