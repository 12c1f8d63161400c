/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * syscall_list.h - the syscalls vigil can capture, and what the kernel copies
 * for each (x86_64 numbers).
 *
 * An X-macro list, included by the kernel programs (to build the capture
 * table indexed by syscall number) and by userspace (names and numbers).
 * Each entry is
 *
 *   VG_SC(nr, name, s0, s1, s2, dfd, sa, salen, fd, flags)
 *
 * s0..s2  argument holding a user string to copy, as index + 1 (0: none);
 *         they land in vg_syscall.data in that order
 * dfd     argument holding the directory fd s0 is relative to, index + 1
 *         (0: the working directory); enforcement uses it to make s0 absolute
 * sa      argument holding a sockaddr pointer, index + 1
 * salen   argument holding that sockaddr's length, index + 1
 * fd      argument holding the fd to inspect (index + 1), or VG_FD_RET for
 *         the fd the call returns; the kernel fills vg_syscall.fdinfo from it
 * flags   VG_SCF_* below
 *
 * Syscalls not listed here can still be captured (numbers and raw args).
 */
#ifndef VG_FD_RET
#define VG_FD_RET 7
#define VG_SCF_FD_AT_ENTER 0x01 /* inspect the fd at entry (it is gone at exit) */
#define VG_SCF_OPEN_HOW    0x02 /* arg 2 points to struct open_how */
#define VG_SCF_MSGHDR      0x04 /* arg 1 points to a msghdr; its msg_name is the sockaddr */
#define VG_SCF_PROT_EXEC   0x08 /* only calls whose prot (arg 2) has PROT_EXEC */
#define VG_SCF_EXEC        0x10 /* an exec: a success is reported by VG_EV_EXEC instead */
#endif

/*    nr   name               s0 s1 s2 dfd sa sl fd        flags */
VG_SC(  2, open,              1, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC(257, openat,            2, 0, 0, 1, 0, 0, VG_FD_RET, 0)
VG_SC(437, openat2,           2, 0, 0, 1, 0, 0, VG_FD_RET, VG_SCF_OPEN_HOW)
VG_SC( 85, creat,             1, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC(304, open_by_handle_at, 0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 59, execve,            1, 0, 0, 0, 0, 0, 0,        VG_SCF_EXEC)
VG_SC(322, execveat,          2, 0, 0, 1, 0, 0, 0,        VG_SCF_EXEC)
VG_SC( 41, socket,            0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 42, connect,           0, 0, 0, 0, 2, 3, 1,        0)
VG_SC( 43, accept,            0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC(288, accept4,           0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 49, bind,              0, 0, 0, 0, 2, 3, 1,        0)
VG_SC( 50, listen,            0, 0, 0, 0, 0, 0, 1,        0)
VG_SC( 44, sendto,            0, 0, 0, 0, 5, 6, 1,        0)
VG_SC( 46, sendmsg,           0, 0, 0, 0, 0, 0, 1,        VG_SCF_MSGHDR)
VG_SC(  3, close,             0, 0, 0, 0, 0, 0, 1,        VG_SCF_FD_AT_ENTER)
VG_SC( 32, dup,               0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 33, dup2,              0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC(292, dup3,              0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 87, unlink,            1, 0, 0, 0, 0, 0, 0,        0)
VG_SC(263, unlinkat,          2, 0, 0, 1, 0, 0, 0,        0)
VG_SC( 82, rename,            1, 2, 0, 0, 0, 0, 0,        0)
VG_SC(264, renameat,          2, 4, 0, 1, 0, 0, 0,        0)
VG_SC(316, renameat2,         2, 4, 0, 1, 0, 0, 0,        0)
VG_SC( 83, mkdir,             1, 0, 0, 0, 0, 0, 0,        0)
VG_SC(258, mkdirat,           2, 0, 0, 1, 0, 0, 0,        0)
VG_SC( 84, rmdir,             1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 88, symlink,           1, 2, 0, 0, 0, 0, 0,        0)
VG_SC(266, symlinkat,         1, 3, 0, 0, 0, 0, 0,        0)
VG_SC( 86, link,              1, 2, 0, 0, 0, 0, 0,        0)
VG_SC(265, linkat,            2, 4, 0, 1, 0, 0, 0,        0)
VG_SC( 90, chmod,             1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 91, fchmod,            0, 0, 0, 0, 0, 0, 1,        0)
VG_SC(268, fchmodat,          2, 0, 0, 1, 0, 0, 0,        0)
VG_SC(452, fchmodat2,         2, 0, 0, 1, 0, 0, 0,        0)
VG_SC( 92, chown,             1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 93, fchown,            0, 0, 0, 0, 0, 0, 1,        0)
VG_SC(260, fchownat,          2, 0, 0, 1, 0, 0, 0,        0)
VG_SC( 94, lchown,            1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 76, truncate,          1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 77, ftruncate,         0, 0, 0, 0, 0, 0, 1,        0)
VG_SC(105, setuid,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(106, setgid,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(113, setreuid,          0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(114, setregid,          0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(117, setresuid,         0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(119, setresgid,         0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(126, capset,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(101, ptrace,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 62, kill,              0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(200, tkill,             0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(234, tgkill,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(165, mount,             1, 2, 3, 0, 0, 0, 0,        0)
VG_SC(166, umount2,           1, 0, 0, 0, 0, 0, 0,        0)
VG_SC(155, pivot_root,        1, 2, 0, 0, 0, 0, 0,        0)
VG_SC(161, chroot,            1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 80, chdir,             1, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 81, fchdir,            0, 0, 0, 0, 0, 0, 1,        0)
VG_SC(272, unshare,           0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(308, setns,             0, 0, 0, 0, 0, 0, 1,        0)
VG_SC( 56, clone,             0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(435, clone3,            0, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 57, fork,              0, 0, 0, 0, 0, 0, 0,        0)
VG_SC( 58, vfork,             0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(175, init_module,       3, 0, 0, 0, 0, 0, 0,        0)
VG_SC(313, finit_module,      2, 0, 0, 0, 0, 0, 1,        0)
VG_SC(176, delete_module,     1, 0, 0, 0, 0, 0, 0,        0)
VG_SC(246, kexec_load,        0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(320, kexec_file_load,   4, 0, 0, 0, 0, 0, 1,        0)
VG_SC(321, bpf,               0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(319, memfd_create,      1, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC( 10, mprotect,          0, 0, 0, 0, 0, 0, 0,        VG_SCF_PROT_EXEC)
VG_SC(  9, mmap,              0, 0, 0, 0, 0, 0, 5,        VG_SCF_PROT_EXEC)
VG_SC(157, prctl,             0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(323, userfaultfd,       0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
VG_SC(310, process_vm_readv,  0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(311, process_vm_writev, 0, 0, 0, 0, 0, 0, 0,        0)
VG_SC(298, perf_event_open,   0, 0, 0, 0, 0, 0, VG_FD_RET, 0)
