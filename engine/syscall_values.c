/*
 * syscall_values.c - the symbolic names of the numbers syscalls take and
 * return (flag bits, enum values, errnos, signals) and how a value is
 * printed with them, the way Falco prints it: "O_WRONLY|O_CREAT|O_TRUNC",
 * "PTRACE_ATTACH", "AF_PACKET", "ENOENT", "SIGKILL".
 *
 * Values are written as numbers, not with the libc macros: they describe the
 * x86_64 kernel ABI that records (and capture files from other hosts) carry,
 * which must not depend on how old the build host's headers are. The unit
 * test checks them against the host's headers wherever those define them.
 *
 * Flag tables list single bits in ascending order; an entry made of several
 * bits (O_SYNC is __O_SYNC|O_DSYNC) comes before the bits it contains, so
 * the printer names the composite and does not print its parts again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "syscall_table.h"

#define NAMES(arr) arr, sizeof(arr) / sizeof((arr)[0])

/* open, openat, openat2, creat, open_by_handle_at: the access mode is a
 * 2-bit value under O_ACCMODE, the rest are bits */
static const struct sc_name open_flag_names[] = {
	{ 00, "O_RDONLY" },
	{ 01, "O_WRONLY" },
	{ 02, "O_RDWR" },
	{ 0100, "O_CREAT" },
	{ 0200, "O_EXCL" },
	{ 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },
	{ 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" },         /* __O_SYNC | O_DSYNC */
	{ 010000, "O_DSYNC" },
	{ 020000, "FASYNC" },
	{ 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" },
	{ 020200000, "O_TMPFILE" },     /* __O_TMPFILE | O_DIRECTORY */
	{ 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" },
};
const struct sc_names sc_open_flags = { NAMES(open_flag_names), 03 };

static const struct sc_name socket_family_names[] = {
	{ 0, "AF_UNSPEC" },
	{ 1, "AF_UNIX" },
	{ 2, "AF_INET" },
	{ 3, "AF_AX25" },
	{ 4, "AF_IPX" },
	{ 5, "AF_APPLETALK" },
	{ 6, "AF_NETROM" },
	{ 7, "AF_BRIDGE" },
	{ 8, "AF_ATMPVC" },
	{ 9, "AF_X25" },
	{ 10, "AF_INET6" },
	{ 11, "AF_ROSE" },
	{ 12, "AF_DECnet" },
	{ 13, "AF_NETBEUI" },
	{ 14, "AF_SECURITY" },
	{ 15, "AF_KEY" },
	{ 16, "AF_NETLINK" },
	{ 17, "AF_PACKET" },
	{ 18, "AF_ASH" },
	{ 19, "AF_ECONET" },
	{ 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" },
	{ 22, "AF_SNA" },
	{ 23, "AF_IRDA" },
	{ 24, "AF_PPPOX" },
	{ 25, "AF_WANPIPE" },
	{ 26, "AF_LLC" },
	{ 27, "AF_IB" },
	{ 28, "AF_MPLS" },
	{ 29, "AF_CAN" },
	{ 30, "AF_TIPC" },
	{ 31, "AF_BLUETOOTH" },
	{ 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" },
	{ 34, "AF_ISDN" },
	{ 35, "AF_PHONET" },
	{ 36, "AF_IEEE802154" },
	{ 37, "AF_CAIF" },
	{ 38, "AF_ALG" },
	{ 39, "AF_NFC" },
	{ 40, "AF_VSOCK" },
	{ 41, "AF_KCM" },
	{ 42, "AF_QIPCRTR" },
	{ 43, "AF_SMC" },
	{ 44, "AF_XDP" },
	{ 45, "AF_MCTP" },
};
const struct sc_names sc_socket_families = { NAMES(socket_family_names), 0 };

/* socket's type: the kind is a value in the low 4 bits, then two flag bits
 * (socket, socketpair and accept4's flags use the same bits) */
static const struct sc_name socket_type_names[] = {
	{ 1, "SOCK_STREAM" },
	{ 2, "SOCK_DGRAM" },
	{ 3, "SOCK_RAW" },
	{ 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" },
	{ 6, "SOCK_DCCP" },
	{ 10, "SOCK_PACKET" },
	{ 04000, "SOCK_NONBLOCK" },
	{ 02000000, "SOCK_CLOEXEC" },
};
const struct sc_names sc_socket_types = { NAMES(socket_type_names), 0xf };

static const struct sc_name ptrace_request_names[] = {
	{ 0, "PTRACE_TRACEME" },
	{ 1, "PTRACE_PEEKTEXT" },
	{ 2, "PTRACE_PEEKDATA" },
	{ 3, "PTRACE_PEEKUSR" },
	{ 4, "PTRACE_POKETEXT" },
	{ 5, "PTRACE_POKEDATA" },
	{ 6, "PTRACE_POKEUSR" },
	{ 7, "PTRACE_CONT" },
	{ 8, "PTRACE_KILL" },
	{ 9, "PTRACE_SINGLESTEP" },
	{ 12, "PTRACE_GETREGS" },
	{ 13, "PTRACE_SETREGS" },
	{ 14, "PTRACE_GETFPREGS" },
	{ 15, "PTRACE_SETFPREGS" },
	{ 16, "PTRACE_ATTACH" },
	{ 17, "PTRACE_DETACH" },
	{ 18, "PTRACE_GETFPXREGS" },
	{ 19, "PTRACE_SETFPXREGS" },
	{ 21, "PTRACE_OLDSETOPTIONS" },
	{ 24, "PTRACE_SYSCALL" },
	{ 25, "PTRACE_GET_THREAD_AREA" },
	{ 26, "PTRACE_SET_THREAD_AREA" },
	{ 30, "PTRACE_ARCH_PRCTL" },
	{ 31, "PTRACE_SYSEMU" },
	{ 32, "PTRACE_SYSEMU_SINGLESTEP" },
	{ 33, "PTRACE_SINGLEBLOCK" },
	{ 0x4200, "PTRACE_SETOPTIONS" },
	{ 0x4201, "PTRACE_GETEVENTMSG" },
	{ 0x4202, "PTRACE_GETSIGINFO" },
	{ 0x4203, "PTRACE_SETSIGINFO" },
	{ 0x4204, "PTRACE_GETREGSET" },
	{ 0x4205, "PTRACE_SETREGSET" },
	{ 0x4206, "PTRACE_SEIZE" },
	{ 0x4207, "PTRACE_INTERRUPT" },
	{ 0x4208, "PTRACE_LISTEN" },
	{ 0x4209, "PTRACE_PEEKSIGINFO" },
	{ 0x420a, "PTRACE_GETSIGMASK" },
	{ 0x420b, "PTRACE_SETSIGMASK" },
	{ 0x420c, "PTRACE_SECCOMP_GET_FILTER" },
	{ 0x420d, "PTRACE_SECCOMP_GET_METADATA" },
	{ 0x420e, "PTRACE_GET_SYSCALL_INFO" },
	{ 0x420f, "PTRACE_GET_RSEQ_CONFIGURATION" },
	{ 0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG" },
	{ 0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG" },
};
const struct sc_names sc_ptrace_requests = { NAMES(ptrace_request_names), 0 };

static const struct sc_name prot_flag_names[] = {
	{ 0, "PROT_NONE" },
	{ 0x1, "PROT_READ" },
	{ 0x2, "PROT_WRITE" },
	{ 0x4, "PROT_EXEC" },
	{ 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" },
	{ 0x02000000, "PROT_GROWSUP" },
};
const struct sc_names sc_prot_flags = { NAMES(prot_flag_names), 0 };

/* the mapping type is a value in the low 4 bits (MAP_TYPE). The huge page
 * size sits in bits 26..31 and prints as hex. */
static const struct sc_name mmap_flag_names[] = {
	{ 0x01, "MAP_SHARED" },
	{ 0x02, "MAP_PRIVATE" },
	{ 0x03, "MAP_SHARED_VALIDATE" },
	{ 0x10, "MAP_FIXED" },
	{ 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" },
	{ 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" },
	{ 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" },
};
const struct sc_names sc_mmap_flags = { NAMES(mmap_flag_names), 0xf };

/* clone's low byte is the signal sent to the parent when the child exits
 * (CSIGNAL); SIGCHLD is the one fork-like clones use */
static const struct sc_name clone_flag_names[] = {
	{ 0x00000100, "CLONE_VM" },
	{ 0x00000200, "CLONE_FS" },
	{ 0x00000400, "CLONE_FILES" },
	{ 0x00000800, "CLONE_SIGHAND" },
	{ 0x00001000, "CLONE_PIDFD" },
	{ 0x00002000, "CLONE_PTRACE" },
	{ 0x00004000, "CLONE_VFORK" },
	{ 0x00008000, "CLONE_PARENT" },
	{ 0x00010000, "CLONE_THREAD" },
	{ 0x00020000, "CLONE_NEWNS" },
	{ 0x00040000, "CLONE_SYSVSEM" },
	{ 0x00080000, "CLONE_SETTLS" },
	{ 0x00100000, "CLONE_PARENT_SETTID" },
	{ 0x00200000, "CLONE_CHILD_CLEARTID" },
	{ 0x00400000, "CLONE_DETACHED" },
	{ 0x00800000, "CLONE_UNTRACED" },
	{ 0x01000000, "CLONE_CHILD_SETTID" },
	{ 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000, "CLONE_IO" },
	{ 17, "SIGCHLD" },
};
const struct sc_names sc_clone_flags = { NAMES(clone_flag_names), 0xff };

/* unshare and setns have no exit signal, so the low byte is free for
 * CLONE_NEWTIME */
static const struct sc_name namespace_flag_names[] = {
	{ 0x00000080, "CLONE_NEWTIME" },
	{ 0x00000100, "CLONE_VM" },
	{ 0x00000200, "CLONE_FS" },
	{ 0x00000400, "CLONE_FILES" },
	{ 0x00000800, "CLONE_SIGHAND" },
	{ 0x00010000, "CLONE_THREAD" },
	{ 0x00020000, "CLONE_NEWNS" },
	{ 0x00040000, "CLONE_SYSVSEM" },
	{ 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },
};
const struct sc_names sc_namespace_flags = { NAMES(namespace_flag_names), 0 };

static const struct sc_name mount_flag_names[] = {
	{ 1 << 0, "MS_RDONLY" },
	{ 1 << 1, "MS_NOSUID" },
	{ 1 << 2, "MS_NODEV" },
	{ 1 << 3, "MS_NOEXEC" },
	{ 1 << 4, "MS_SYNCHRONOUS" },
	{ 1 << 5, "MS_REMOUNT" },
	{ 1 << 6, "MS_MANDLOCK" },
	{ 1 << 7, "MS_DIRSYNC" },
	{ 1 << 8, "MS_NOSYMFOLLOW" },
	{ 1 << 10, "MS_NOATIME" },
	{ 1 << 11, "MS_NODIRATIME" },
	{ 1 << 12, "MS_BIND" },
	{ 1 << 13, "MS_MOVE" },
	{ 1 << 14, "MS_REC" },
	{ 1 << 15, "MS_SILENT" },
	{ 1 << 16, "MS_POSIXACL" },
	{ 1 << 17, "MS_UNBINDABLE" },
	{ 1 << 18, "MS_PRIVATE" },
	{ 1 << 19, "MS_SLAVE" },
	{ 1 << 20, "MS_SHARED" },
	{ 1 << 21, "MS_RELATIME" },
	{ 1 << 22, "MS_KERNMOUNT" },
	{ 1 << 23, "MS_I_VERSION" },
	{ 1 << 24, "MS_STRICTATIME" },
	{ 1 << 25, "MS_LAZYTIME" },
};
const struct sc_names sc_mount_flags = { NAMES(mount_flag_names), 0 };

/* Old mount(2) callers put this magic in the high half of the flags; the
 * kernel drops it, and so does the printer. */
#define MS_MGC_MSK 0xffff0000u
#define MS_MGC_VAL 0xc0ed0000u

static const struct sc_name umount_flag_names[] = {
	{ 1, "MNT_FORCE" },
	{ 2, "MNT_DETACH" },
	{ 4, "MNT_EXPIRE" },
	{ 8, "UMOUNT_NOFOLLOW" },
};
const struct sc_names sc_umount_flags = { NAMES(umount_flag_names), 0 };

static const struct sc_name memfd_flag_names[] = {
	{ 0x1, "MFD_CLOEXEC" },
	{ 0x2, "MFD_ALLOW_SEALING" },
	{ 0x4, "MFD_HUGETLB" },
	{ 0x8, "MFD_NOEXEC_SEAL" },
	{ 0x10, "MFD_EXEC" },
};
const struct sc_names sc_memfd_flags = { NAMES(memfd_flag_names), 0 };

/* 0x200 is AT_REMOVEDIR for unlinkat and AT_EACCESS for faccessat; none of
 * the described syscalls takes the latter */
static const struct sc_name at_flag_names[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" },
	{ 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" },
	{ 0x8000, "AT_RECURSIVE" },
};
const struct sc_names sc_at_flags = { NAMES(at_flag_names), 0 };

static const struct sc_name rename_flag_names[] = {
	{ 1, "RENAME_NOREPLACE" },
	{ 2, "RENAME_EXCHANGE" },
	{ 4, "RENAME_WHITEOUT" },
};
const struct sc_names sc_rename_flags = { NAMES(rename_flag_names), 0 };

static const struct sc_name resolve_flag_names[] = {
	{ 0x01, "RESOLVE_NO_XDEV" },
	{ 0x02, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, "RESOLVE_NO_SYMLINKS" },
	{ 0x08, "RESOLVE_BENEATH" },
	{ 0x10, "RESOLVE_IN_ROOT" },
	{ 0x20, "RESOLVE_CACHED" },
};
const struct sc_names sc_resolve_flags = { NAMES(resolve_flag_names), 0 };

static const struct sc_name dup3_flag_names[] = {
	{ 02000000, "O_CLOEXEC" },
};
const struct sc_names sc_dup3_flags = { NAMES(dup3_flag_names), 0 };

static const struct sc_name delete_module_flag_names[] = {
	{ 01000, "O_TRUNC" },
	{ 04000, "O_NONBLOCK" },
};
const struct sc_names sc_delete_module_flags = { NAMES(delete_module_flag_names), 0 };

static const struct sc_name finit_module_flag_names[] = {
	{ 1, "MODULE_INIT_IGNORE_MODVERSIONS" },
	{ 2, "MODULE_INIT_IGNORE_VERMAGIC" },
	{ 4, "MODULE_INIT_COMPRESSED_FILE" },
};
const struct sc_names sc_finit_module_flags = { NAMES(finit_module_flag_names), 0 };

/* kexec_load: the target architecture is a value in the high half */
static const struct sc_name kexec_load_flag_names[] = {
	{ 0, "KEXEC_ARCH_DEFAULT" },
	{ 62u << 16, "KEXEC_ARCH_X86_64" },
	{ 1, "KEXEC_ON_CRASH" },
	{ 2, "KEXEC_PRESERVE_CONTEXT" },
	{ 4, "KEXEC_UPDATE_ELFCOREHDR" },
};
const struct sc_names sc_kexec_load_flags = { NAMES(kexec_load_flag_names), 0xffff0000u };

static const struct sc_name kexec_file_flag_names[] = {
	{ 1, "KEXEC_FILE_UNLOAD" },
	{ 2, "KEXEC_FILE_ON_CRASH" },
	{ 4, "KEXEC_FILE_NO_INITRAMFS" },
};
const struct sc_names sc_kexec_file_flags = { NAMES(kexec_file_flag_names), 0 };

static const struct sc_name userfaultfd_flag_names[] = {
	{ 1, "UFFD_USER_MODE_ONLY" },
	{ 04000, "O_NONBLOCK" },
	{ 02000000, "O_CLOEXEC" },
};
const struct sc_names sc_userfaultfd_flags = { NAMES(userfaultfd_flag_names), 0 };

static const struct sc_name perf_event_flag_names[] = {
	{ 1, "PERF_FLAG_FD_NO_GROUP" },
	{ 2, "PERF_FLAG_FD_OUTPUT" },
	{ 4, "PERF_FLAG_PID_CGROUP" },
	{ 8, "PERF_FLAG_FD_CLOEXEC" },
};
const struct sc_names sc_perf_event_flags = { NAMES(perf_event_flag_names), 0 };

static const struct sc_name bpf_command_names[] = {
	{ 0, "BPF_MAP_CREATE" },
	{ 1, "BPF_MAP_LOOKUP_ELEM" },
	{ 2, "BPF_MAP_UPDATE_ELEM" },
	{ 3, "BPF_MAP_DELETE_ELEM" },
	{ 4, "BPF_MAP_GET_NEXT_KEY" },
	{ 5, "BPF_PROG_LOAD" },
	{ 6, "BPF_OBJ_PIN" },
	{ 7, "BPF_OBJ_GET" },
	{ 8, "BPF_PROG_ATTACH" },
	{ 9, "BPF_PROG_DETACH" },
	{ 10, "BPF_PROG_TEST_RUN" },
	{ 11, "BPF_PROG_GET_NEXT_ID" },
	{ 12, "BPF_MAP_GET_NEXT_ID" },
	{ 13, "BPF_PROG_GET_FD_BY_ID" },
	{ 14, "BPF_MAP_GET_FD_BY_ID" },
	{ 15, "BPF_OBJ_GET_INFO_BY_FD" },
	{ 16, "BPF_PROG_QUERY" },
	{ 17, "BPF_RAW_TRACEPOINT_OPEN" },
	{ 18, "BPF_BTF_LOAD" },
	{ 19, "BPF_BTF_GET_FD_BY_ID" },
	{ 20, "BPF_TASK_FD_QUERY" },
	{ 21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM" },
	{ 22, "BPF_MAP_FREEZE" },
	{ 23, "BPF_BTF_GET_NEXT_ID" },
	{ 24, "BPF_MAP_LOOKUP_BATCH" },
	{ 25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH" },
	{ 26, "BPF_MAP_UPDATE_BATCH" },
	{ 27, "BPF_MAP_DELETE_BATCH" },
	{ 28, "BPF_LINK_CREATE" },
	{ 29, "BPF_LINK_UPDATE" },
	{ 30, "BPF_LINK_GET_FD_BY_ID" },
	{ 31, "BPF_LINK_GET_NEXT_ID" },
	{ 32, "BPF_ENABLE_STATS" },
	{ 33, "BPF_ITER_CREATE" },
	{ 34, "BPF_LINK_DETACH" },
	{ 35, "BPF_PROG_BIND_MAP" },
	{ 36, "BPF_TOKEN_CREATE" },
};
const struct sc_names sc_bpf_commands = { NAMES(bpf_command_names), 0 };

static const struct sc_name prctl_option_names[] = {
	{ 1, "PR_SET_PDEATHSIG" },
	{ 2, "PR_GET_PDEATHSIG" },
	{ 3, "PR_GET_DUMPABLE" },
	{ 4, "PR_SET_DUMPABLE" },
	{ 5, "PR_GET_UNALIGN" },
	{ 6, "PR_SET_UNALIGN" },
	{ 7, "PR_GET_KEEPCAPS" },
	{ 8, "PR_SET_KEEPCAPS" },
	{ 9, "PR_GET_FPEMU" },
	{ 10, "PR_SET_FPEMU" },
	{ 11, "PR_GET_FPEXC" },
	{ 12, "PR_SET_FPEXC" },
	{ 13, "PR_GET_TIMING" },
	{ 14, "PR_SET_TIMING" },
	{ 15, "PR_SET_NAME" },
	{ 16, "PR_GET_NAME" },
	{ 19, "PR_GET_ENDIAN" },
	{ 20, "PR_SET_ENDIAN" },
	{ 21, "PR_GET_SECCOMP" },
	{ 22, "PR_SET_SECCOMP" },
	{ 23, "PR_CAPBSET_READ" },
	{ 24, "PR_CAPBSET_DROP" },
	{ 25, "PR_GET_TSC" },
	{ 26, "PR_SET_TSC" },
	{ 27, "PR_GET_SECUREBITS" },
	{ 28, "PR_SET_SECUREBITS" },
	{ 29, "PR_SET_TIMERSLACK" },
	{ 30, "PR_GET_TIMERSLACK" },
	{ 31, "PR_TASK_PERF_EVENTS_DISABLE" },
	{ 32, "PR_TASK_PERF_EVENTS_ENABLE" },
	{ 33, "PR_MCE_KILL" },
	{ 34, "PR_MCE_KILL_GET" },
	{ 35, "PR_SET_MM" },
	{ 36, "PR_SET_CHILD_SUBREAPER" },
	{ 37, "PR_GET_CHILD_SUBREAPER" },
	{ 38, "PR_SET_NO_NEW_PRIVS" },
	{ 39, "PR_GET_NO_NEW_PRIVS" },
	{ 40, "PR_GET_TID_ADDRESS" },
	{ 41, "PR_SET_THP_DISABLE" },
	{ 42, "PR_GET_THP_DISABLE" },
	{ 43, "PR_MPX_ENABLE_MANAGEMENT" },
	{ 44, "PR_MPX_DISABLE_MANAGEMENT" },
	{ 45, "PR_SET_FP_MODE" },
	{ 46, "PR_GET_FP_MODE" },
	{ 47, "PR_CAP_AMBIENT" },
	{ 50, "PR_SVE_SET_VL" },
	{ 51, "PR_SVE_GET_VL" },
	{ 52, "PR_GET_SPECULATION_CTRL" },
	{ 53, "PR_SET_SPECULATION_CTRL" },
	{ 54, "PR_PAC_RESET_KEYS" },
	{ 55, "PR_SET_TAGGED_ADDR_CTRL" },
	{ 56, "PR_GET_TAGGED_ADDR_CTRL" },
	{ 57, "PR_SET_IO_FLUSHER" },
	{ 58, "PR_GET_IO_FLUSHER" },
	{ 59, "PR_SET_SYSCALL_USER_DISPATCH" },
	{ 60, "PR_PAC_SET_ENABLED_KEYS" },
	{ 61, "PR_PAC_GET_ENABLED_KEYS" },
	{ 62, "PR_SCHED_CORE" },
	{ 63, "PR_SME_SET_VL" },
	{ 64, "PR_SME_GET_VL" },
	{ 65, "PR_SET_MDWE" },
	{ 66, "PR_GET_MDWE" },
	{ 67, "PR_SET_MEMORY_MERGE" },
	{ 68, "PR_GET_MEMORY_MERGE" },
	{ 0x53564d41, "PR_SET_VMA" },
	{ 0x59616d61, "PR_SET_PTRACER" },
};
const struct sc_names sc_prctl_options = { NAMES(prctl_option_names), 0 };

/* errno values 1..133 are the same on every Linux architecture but alpha,
 * mips, parisc and sparc; 41 and 58 are holes (old aliases) */
static const char *const errno_names[] = {
	[1] = "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
	"ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT",
	"ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR",
	"EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
	"ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE",
	[35] = "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
	"ELOOP",
	[42] = "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST",
	"ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL",
	"ENOANO", "EBADRQC", "EBADSLT",
	[59] = "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR", "ENONET",
	"ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO",
	"EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD",
	"EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC",
	"EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS", "ENOTSOCK", "EDESTADDRREQ",
	"EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT",
	"ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT",
	"EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET",
	"ECONNABORTED", "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN",
	"ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN",
	"EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN",
	"ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM",
	"EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED",
	"EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
};

/* Kernel-internal errnos (include/linux/errno.h). The syscall exit
 * tracepoint runs before signal delivery turns the restart codes into EINTR
 * or a restart, so a record can carry them. */
#define KERNEL_ERRNO_BASE 512
static const char *const kernel_errno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	[521 - KERNEL_ERRNO_BASE] = "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE",
	"ENOTSUPP", "ETOOSMALL", "ESERVERFAULT", "EBADTYPE", "EJUKEBOX",
	"EIOCBQUEUED", "ERECALLCONFLICT", "ENOGRACE",
};

static const char *const signal_names[] = {
	[1] = "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *sc_errno_name(int err)
{
	if (err > 0 && (size_t)err < ARRAY_LEN(errno_names))
		return errno_names[err];
	if (err >= KERNEL_ERRNO_BASE && (size_t)(err - KERNEL_ERRNO_BASE) < ARRAY_LEN(kernel_errno_names))
		return kernel_errno_names[err - KERNEL_ERRNO_BASE];
	return NULL;
}

const char *sc_signal_name(int sig)
{
	if (sig > 0 && (size_t)sig < ARRAY_LEN(signal_names))
		return signal_names[sig];
	return NULL;
}

/*
 * A bounded text builder with snprintf's contract: writes what fits, keeps
 * the buffer NUL-terminated, and counts the length the whole text needs.
 */
struct text {
	char *buf;
	size_t cap;
	size_t len;
};

static void text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len < t->cap) {
		size_t room = t->cap - t->len - 1;
		size_t k = n < room ? n : room;

		memcpy(t->buf + t->len, s, k);
		t->buf[t->len + k] = '\0';
	}
	t->len += n;
}

/* add `s`, preceded by '|' unless it is the first name */
static void text_add_flag(struct text *t, size_t start, const char *s)
{
	if (t->len > start)
		text_add(t, "|");
	text_add(t, s);
}

static void text_init(struct text *t, char *buf, size_t n)
{
	t->buf = buf;
	t->cap = n;
	t->len = 0;
	if (n > 0)
		buf[0] = '\0';
}

static const char *names_find(const struct sc_names *names, uint64_t v)
{
	for (size_t i = 0; i < names->n; i++)
		if (names->v[i].value == v)
			return names->v[i].name;
	return NULL;
}

/*
 * Entries whose bits all lie under value_mask are values (O_RDONLY, SIGCHLD
 * for clone); the others are bits. With no mask, a zero entry (PROT_NONE)
 * is the name of the whole value 0.
 */
static void format_flags(const struct sc_names *names, uint64_t v, struct text *t)
{
	uint64_t mask = names->value_mask;
	uint64_t rest = v & ~mask;
	size_t start = t->len;
	char hex[24];

	if (mask != 0 || v == 0) {
		uint64_t val = v & mask;
		const char *name = names_find(names, val);

		if (name) {
			text_add(t, name);
		} else if (val != 0) {
			snprintf(hex, sizeof(hex), "%#" PRIx64, val);
			text_add(t, hex);
		}
	}
	for (size_t i = 0; i < names->n && rest != 0; i++) {
		uint64_t bits = names->v[i].value;

		if ((bits & ~mask) == 0)
			continue;
		if ((rest & bits) == bits) {
			text_add_flag(t, start, names->v[i].name);
			rest &= ~bits;
		}
	}
	if (rest != 0) {
		snprintf(hex, sizeof(hex), "%#" PRIx64, rest);
		text_add_flag(t, start, hex);
	}
	if (t->len == start)
		text_add(t, "0");
}

size_t sc_format_names(const struct sc_names *names, bool flags, uint64_t v, char *buf, size_t n)
{
	struct text t;

	text_init(&t, buf, n);
	if (flags) {
		format_flags(names, v, &t);
	} else {
		const char *name = names_find(names, v);
		char num[24];

		if (!name) {
			snprintf(num, sizeof(num), "%" PRIu64, v);
			name = num;
		}
		text_add(&t, name);
	}
	return t.len;
}

size_t sc_format_arg(const struct sc_arg *a, uint64_t raw, char *buf, size_t n)
{
	uint32_t low = (uint32_t)raw;
	char num[32] = "";      /* stays empty for a format this file does not know */
	struct text t;

	text_init(&t, buf, n);
	switch ((enum sc_argfmt)a->fmt) {
	case AF_INT:
		snprintf(num, sizeof(num), "%" PRId64, (int64_t)raw);
		break;
	case AF_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, raw);
		break;
	case AF_HEX:
		snprintf(num, sizeof(num), "%#" PRIx64, raw);
		break;
	case AF_FD:
	case AF_PID:
		snprintf(num, sizeof(num), "%" PRId32, (int32_t)low);
		break;
	case AF_UID:
	case AF_GID:
		snprintf(num, sizeof(num), "%" PRIu32, low);
		break;
	case AF_MODE:
		snprintf(num, sizeof(num), "%#" PRIo32, low);
		break;
	case AF_FLAGS:
		if (a->names == &sc_mount_flags && (low & MS_MGC_MSK) == MS_MGC_VAL)
			low &= ~MS_MGC_MSK;
		return sc_format_names(a->names, true, low, buf, n);
	case AF_ENUM:
		return sc_format_names(a->names, false, low, buf, n);
	case AF_SIGNAL: {
		const char *name = sc_signal_name((int32_t)low);

		if (name) {
			text_add(&t, name);
			return t.len;
		}
		snprintf(num, sizeof(num), "%" PRId32, (int32_t)low);
		break;
	}
	case AF_NONE:
	case AF_PATH:
	case AF_STR:
	case AF_SOCKADDR:
	case AF_TUPLE:
		return 0;
	}
	text_add(&t, num);
	return t.len;
}
