/*
 * test_syscall_table.c - the syscall table against its sources of truth:
 * names against the system's unistd_64.h, argument descriptions against
 * bpf/syscall_list.h, flag and enum values against the system's headers,
 * formatting against what Falco prints, and docs/syscalls.md against the
 * table (`test_syscall_table --dump-docs` prints the generated part).
 */
#include "test_util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>

#include "syscall_table.h"
#include "vigil_abi.h"

#define UNISTD_64 "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
#define DOCS_FILE TOP_DIR "/docs/syscalls.md"
#define DOCS_BEGIN "<!-- BEGIN GENERATED: test_syscall_table --dump-docs -->\n"
#define DOCS_END "<!-- END GENERATED -->\n"

/* Collects every problem a test finds, so one run reports all of them. */
static int problems;

#define PROBLEM(...)                                       \
	do {                                               \
		print_error("    " __VA_ARGS__);           \
		print_error("\n");                         \
		problems++;                                \
	} while (0)

static void problems_reset(void)
{
	problems = 0;
}

static void problems_none(void)
{
	assert_int_equal(problems, 0);
}

/* ---- names ------------------------------------------------------------ */

/*
 * Syscalls newer than Debian 12's linux-libc-dev (Linux 6.1). uretprobe and
 * uprobe are x86_64-only and took numbers below the newest ones.
 */
static const struct {
	int nr;
	const char *name;
} newer_syscalls[] = {
	{ 335, "uretprobe" }, { 336, "uprobe" }, { 451, "cachestat" }, { 452, "fchmodat2" },
	{ 453, "map_shadow_stack" }, { 454, "futex_wake" }, { 455, "futex_wait" },
	{ 456, "futex_requeue" }, { 457, "statmount" }, { 458, "listmount" },
	{ 459, "lsm_get_self_attr" }, { 460, "lsm_set_self_attr" }, { 461, "lsm_list_modules" },
	{ 462, "mseal" }, { 463, "setxattrat" }, { 464, "getxattrat" }, { 465, "listxattrat" },
	{ 466, "removexattrat" }, { 467, "open_tree_attr" }, { 468, "file_getattr" },
	{ 469, "file_setattr" }, { 470, "listns" },
};

static bool newer_than_headers(const struct sc_info *si)
{
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++)
		if (newer_syscalls[i].nr == si->nr && strcmp(newer_syscalls[i].name, si->name) == 0)
			return true;
	return false;
}

static void test_names_match_unistd(void **state)
{
	FILE *f = fopen(UNISTD_64, "r");
	char line[256];
	bool in_header[VG_MAX_SYSCALLS] = { false };
	int count = 0;

	(void)state;
	problems_reset();
	if (!f)
		fail_msg("cannot open %s (package linux-libc-dev): %s", UNISTD_64, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int nr;
		const struct sc_info *si;

		if (sscanf(line, "#define __NR_%127s %d", name, &nr) != 2)
			continue;
		count++;
		if (nr < 0 || nr >= VG_MAX_SYSCALLS) {
			PROBLEM("%s: __NR_%s = %d is outside the table", UNISTD_64, name, nr);
			continue;
		}
		in_header[nr] = true;
		si = sc_info(nr);
		if (!si)
			PROBLEM("%d: header says %s, table has nothing", nr, name);
		else if (strcmp(si->name, name) != 0)
			PROBLEM("%d: header says %s, table says %s", nr, name, si->name);
		if (sc_nr(name) != nr)
			PROBLEM("sc_nr(\"%s\") = %d, header says %d", name, sc_nr(name), nr);
	}
	fclose(f);
	/* a header that parsed to nothing would make the loop above vacuous */
	assert_true(count > 300);
	/* what the header lacks must be a syscall added after it */
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		const struct sc_info *si = sc_info(nr);

		if (si && !in_header[nr] && !newer_than_headers(si))
			PROBLEM("%d: table says %s, %s has no such syscall and it is not in "
				"the list of newer ones", nr, si->name, UNISTD_64);
	}
	problems_none();
}

static void test_names_newer_than_header(void **state)
{
	(void)state;
	problems_reset();
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++)
		if (sc_nr(newer_syscalls[i].name) != newer_syscalls[i].nr)
			PROBLEM("sc_nr(\"%s\") = %d, want %d", newer_syscalls[i].name,
				sc_nr(newer_syscalls[i].name), newer_syscalls[i].nr);
	problems_none();
	assert_string_equal(sc_info(452)->name, "fchmodat2");
}

static void test_lookup_by_name(void **state)
{
	int known = 0;

	(void)state;
	problems_reset();
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		const struct sc_info *si = sc_info(nr);

		if (!si)
			continue;
		known++;
		if (si->nr != nr)
			PROBLEM("table[%d] says nr %d", nr, si->nr);
		if (sc_nr(si->name) != nr)
			PROBLEM("sc_nr(\"%s\") = %d, want %d", si->name, sc_nr(si->name), nr);
	}
	problems_none();
	assert_true(known > 360);
	assert_int_equal(sc_nr("read"), 0);
	assert_int_equal(sc_nr("openat"), 257);
	assert_int_equal(sc_nr("listns"), 470);
	assert_int_equal(sc_nr("open "), -1);
	assert_int_equal(sc_nr("OPEN"), -1);
	assert_int_equal(sc_nr(""), -1);
	assert_int_equal(sc_nr("nosuchcall"), -1);
	assert_int_equal(sc_nr(NULL), -1);
	/* Falco's names for a few syscalls */
	assert_int_equal(sc_nr("pread"), 17);
	assert_int_equal(sc_nr("pwrite"), 18);
	assert_int_equal(sc_nr("prlimit"), 302);
	assert_int_equal(sc_nr("umount"), 166);
	assert_null(sc_info(-1));
	assert_null(sc_info(400));
	assert_null(sc_info(VG_MAX_SYSCALLS));
	assert_null(sc_info(1 << 20));
	assert_int_equal(sc_info(0)->nargs, 0);
	assert_null(sc_info(0)->ret_name);
}

/* ---- argument descriptions against bpf/syscall_list.h ------------------ */

struct captured {
	int nr;
	const char *name;
	int str[3];     /* argument index + 1, 0: none */
	int sa, salen, fd, flags;
};

static const struct captured captured[] = {
#define VG_SC(nr, name, s0, s1, s2, dfd, sa, salen, fd, flags) \
	{ nr, #name, { s0, s1, s2 }, sa, salen, fd, flags },
#include "syscall_list.h"
#undef VG_SC
};
#define NCAPTURED (sizeof(captured) / sizeof(captured[0]))

static bool is_captured(int nr)
{
	for (size_t i = 0; i < NCAPTURED; i++)
		if (captured[i].nr == nr)
			return true;
	return false;
}

static const struct sc_arg *arg_reading(const struct sc_info *si, int reg, enum sc_argfmt fmt)
{
	for (int i = 0; i < si->nargs; i++)
		if (si->args[i].reg == reg && si->args[i].fmt == fmt)
			return &si->args[i];
	return NULL;
}

static void check_arg(const struct captured *c, const struct sc_info *si, const struct sc_arg *a)
{
	const char *sn = c->name;

	if (!a->name || !a->name[0]) {
		PROBLEM("%s: an argument has no name", sn);
		return;
	}
	for (const struct sc_arg *b = si->args; b < a; b++)
		if (strcmp(a->name, b->name) == 0)
			PROBLEM("%s: two arguments named %s", sn, a->name);
	if (a->fmt <= AF_NONE || a->fmt > AF_TUPLE)
		PROBLEM("%s.%s: format %d is not an sc_argfmt", sn, a->name, a->fmt);
	if (a->fmt == AF_TUPLE ? a->reg != -1 : (a->reg < 0 || a->reg > 5))
		PROBLEM("%s.%s: register %d", sn, a->name, a->reg);
	if ((a->fmt == AF_FLAGS || a->fmt == AF_ENUM) != (a->names != NULL))
		PROBLEM("%s.%s: names table given for the wrong format", sn, a->name);
	if (a->fmt == AF_PATH || a->fmt == AF_STR) {
		if (a->str < 0 || a->str > 2 || c->str[a->str] == 0)
			PROBLEM("%s.%s: string slot %d is not one the kernel fills", sn, a->name, a->str);
		else if (a->reg != c->str[a->str] - 1)
			PROBLEM("%s.%s: reads register %d, slot %d comes from register %d",
				sn, a->name, a->reg, a->str, c->str[a->str] - 1);
	} else if (a->str != -1) {
		PROBLEM("%s.%s: string slot %d on a non-string argument", sn, a->name, a->str);
	}
	if (a->fmt == AF_PATH && a->dirfd != -1 && !arg_reading(si, a->dirfd, AF_FD))
		PROBLEM("%s.%s: dirfd register %d is not an fd argument", sn, a->name, a->dirfd);
	if (a->fmt != AF_PATH && a->dirfd != -1)
		PROBLEM("%s.%s: dirfd on a non-path argument", sn, a->name);
	if (a->fmt == AF_SOCKADDR) {
		int want = (c->flags & VG_SCF_MSGHDR) ? 1 : c->sa - 1;

		if (a->reg != want)
			PROBLEM("%s.%s: sockaddr from register %d, the kernel reads register %d",
				sn, a->name, a->reg, want);
	}
}

static void check_captured(const struct captured *c)
{
	const struct sc_info *si = sc_info(c->nr);
	const char *sn = c->name;
	int sockaddrs = 0;

	if (!si || strcmp(si->name, c->name) != 0) {
		PROBLEM("%s: syscall %d is %s in the table", sn, c->nr, si ? si->name : "missing");
		return;
	}
	if (si->nargs == 0 && strcmp(sn, "fork") != 0 && strcmp(sn, "vfork") != 0)
		PROBLEM("%s: captured but its arguments are not described", sn);
	if (si->nargs > SC_MAX_ARGS)
		PROBLEM("%s: %d arguments", sn, si->nargs);
	if (!si->ret_name)
		PROBLEM("%s: no name for the return value", sn);
	for (int i = 0; i < si->nargs && i < SC_MAX_ARGS; i++) {
		check_arg(c, si, &si->args[i]);
		if (si->args[i].fmt == AF_SOCKADDR)
			sockaddrs++;
	}
	/* every string the kernel copies is exactly one argument */
	for (int slot = 0; slot < 3; slot++) {
		int n = 0;

		for (int i = 0; i < si->nargs; i++)
			if ((si->args[i].fmt == AF_PATH || si->args[i].fmt == AF_STR) &&
			    si->args[i].str == slot)
				n++;
		if (c->str[slot] != 0 && n != 1)
			PROBLEM("%s: string slot %d is described by %d arguments", sn, slot, n);
	}
	if (sockaddrs != ((c->sa != 0 || (c->flags & VG_SCF_MSGHDR)) ? 1 : 0))
		PROBLEM("%s: %d sockaddr arguments, the kernel copies %s", sn, sockaddrs,
			c->sa || (c->flags & VG_SCF_MSGHDR) ? "one" : "none");
	if (c->fd == VG_FD_RET && si->ret_fmt != AF_FD)
		PROBLEM("%s: returns the fd the kernel inspects, but ret_fmt is %d", sn, si->ret_fmt);
	if (c->fd > 0 && c->fd != VG_FD_RET && !arg_reading(si, c->fd - 1, AF_FD))
		PROBLEM("%s: the kernel inspects the fd in register %d, no fd argument reads it",
			sn, c->fd - 1);
}

static void test_captured_syscalls_described(void **state)
{
	(void)state;
	problems_reset();
	assert_true(NCAPTURED > 70);
	for (size_t i = 0; i < NCAPTURED; i++)
		check_captured(&captured[i]);
	/* and nothing outside the list claims arguments */
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		const struct sc_info *si = sc_info(nr);

		if (si && (si->nargs || si->ret_name) && !is_captured(nr))
			PROBLEM("%s: described but not in syscall_list.h", si->name);
	}
	problems_none();
}

/* The argument names Falco rules use, in Falco's order. */
static void expect_args(const char *syscall, const char *const *names)
{
	const struct sc_info *si = sc_info(sc_nr(syscall));
	int n = 0;

	assert_non_null(si);
	for (; names[n]; n++) {
		if (n >= si->nargs) {
			PROBLEM("%s: argument %d should be %s, there is none", syscall, n, names[n]);
			continue;
		}
		if (strcmp(si->args[n].name, names[n]) != 0)
			PROBLEM("%s: argument %d is %s, Falco calls it %s", syscall, n,
				si->args[n].name, names[n]);
	}
	if (n != si->nargs)
		PROBLEM("%s: %d arguments, expected %d", syscall, si->nargs, n);
}

#define EXPECT_ARGS(sc, ...) expect_args(sc, (const char *const[]){ __VA_ARGS__, NULL })

static void test_falco_argument_names(void **state)
{
	(void)state;
	problems_reset();
	EXPECT_ARGS("open", "name", "flags", "mode");
	EXPECT_ARGS("openat", "dirfd", "name", "flags", "mode");
	EXPECT_ARGS("openat2", "dirfd", "name", "flags", "mode", "resolve");
	EXPECT_ARGS("creat", "name", "mode");
	EXPECT_ARGS("execve", "filename", "argv", "envp");
	EXPECT_ARGS("execveat", "dirfd", "pathname", "argv", "envp", "flags");
	EXPECT_ARGS("connect", "fd", "addr", "tuple");
	EXPECT_ARGS("bind", "fd", "addr");
	EXPECT_ARGS("socket", "domain", "type", "proto");
	EXPECT_ARGS("ptrace", "request", "pid", "addr", "data");
	EXPECT_ARGS("symlink", "target", "linkpath");
	EXPECT_ARGS("symlinkat", "target", "linkdirfd", "linkpath");
	EXPECT_ARGS("link", "oldpath", "newpath");
	EXPECT_ARGS("linkat", "olddir", "oldpath", "newdir", "newpath", "flags");
	EXPECT_ARGS("rename", "oldpath", "newpath");
	EXPECT_ARGS("renameat2", "olddirfd", "oldpath", "newdirfd", "newpath", "flags");
	EXPECT_ARGS("unlinkat", "dirfd", "name", "flags");
	EXPECT_ARGS("mkdirat", "dirfd", "path", "mode");
	EXPECT_ARGS("chmod", "filename", "mode");
	EXPECT_ARGS("fchmodat", "dirfd", "filename", "mode");
	EXPECT_ARGS("fchownat", "dirfd", "pathname", "uid", "gid", "flags");
	EXPECT_ARGS("mount", "dev", "dir", "type", "flags", "data");
	EXPECT_ARGS("umount2", "name", "flags");
	EXPECT_ARGS("dup2", "oldfd", "newfd");
	EXPECT_ARGS("setuid", "uid");
	EXPECT_ARGS("setresuid", "ruid", "euid", "suid");
	EXPECT_ARGS("kill", "pid", "sig");
	EXPECT_ARGS("tgkill", "pid", "tid", "sig");
	EXPECT_ARGS("memfd_create", "name", "flags");
	EXPECT_ARGS("mprotect", "addr", "length", "prot");
	EXPECT_ARGS("mmap", "addr", "length", "prot", "flags", "fd", "offset");
	EXPECT_ARGS("unshare", "flags");
	EXPECT_ARGS("setns", "fd", "nstype");
	EXPECT_ARGS("init_module", "umod", "length", "uargs");
	EXPECT_ARGS("finit_module", "fd", "uargs", "flags");
	EXPECT_ARGS("prctl", "option", "arg2", "arg3", "arg4", "arg5");
	EXPECT_ARGS("process_vm_readv", "pid", "local_iov", "liovcnt", "remote_iov", "riovcnt", "flags");
	problems_none();
	assert_string_equal(sc_info(sc_nr("bpf"))->args[0].name, "cmd");
	assert_string_equal(sc_info(sc_nr("openat"))->ret_name, "fd");
	assert_string_equal(sc_info(sc_nr("accept4"))->ret_name, "fd");
	assert_string_equal(sc_info(sc_nr("connect"))->ret_name, "res");
	assert_int_equal(sc_info(sc_nr("clone"))->ret_fmt, AF_PID);
	assert_int_equal(sc_info(sc_nr("fork"))->nargs, 0);
}

static void test_arg_by_name(void **state)
{
	const struct sc_info *openat = sc_info(257);
	const struct sc_info *linkat = sc_info(265);
	const struct sc_arg *a;

	(void)state;
	a = sc_arg_by_name(openat, "flags");
	assert_non_null(a);
	assert_int_equal(a->fmt, AF_FLAGS);
	assert_int_equal(a->reg, 2);
	assert_ptr_equal(a->names, &sc_open_flags);
	a = sc_arg_by_name(openat, "name");
	assert_non_null(a);
	assert_int_equal(a->fmt, AF_PATH);
	assert_int_equal(a->reg, 1);
	assert_int_equal(a->str, 0);
	assert_int_equal(a->dirfd, 0);
	a = sc_arg_by_name(sc_info(2), "name");
	assert_int_equal(a->dirfd, -1);
	/* the second path of linkat is the second string, relative to newdir */
	a = sc_arg_by_name(linkat, "newpath");
	assert_int_equal(a->str, 1);
	assert_int_equal(a->reg, 3);
	assert_int_equal(a->dirfd, 2);
	assert_int_equal(sc_arg_by_name(sc_info(266), "target")->fmt, AF_STR);
	assert_int_equal(sc_arg_by_name(sc_info(42), "tuple")->fmt, AF_TUPLE);
	assert_int_equal(sc_arg_by_name(sc_info(42), "addr")->fmt, AF_SOCKADDR);
	assert_ptr_equal(sc_arg_by_name(sc_info(101), "request")->names, &sc_ptrace_requests);
	assert_null(sc_arg_by_name(openat, "nosuch"));
	assert_null(sc_arg_by_name(openat, "Flags"));
	assert_null(sc_arg_by_name(openat, NULL));
	assert_null(sc_arg_by_name(NULL, "flags"));
	assert_null(sc_arg_by_name(sc_info(0), "fd"));
}

/* ---- formatting ------------------------------------------------------- */

static void expect_printed(const struct sc_names *t, bool flags, uint64_t v, const char *want)
{
	char buf[256];
	size_t n = sc_format_names(t, flags, v, buf, sizeof(buf));

	if (strcmp(buf, want) != 0 || n != strlen(want))
		PROBLEM("%#llx: printed \"%s\" (length %zu), want \"%s\"",
			(unsigned long long)v, buf, n, want);
}

static void test_format_open_flags(void **state)
{
	(void)state;
	problems_reset();
	expect_printed(&sc_open_flags, true, 0, "O_RDONLY");
	expect_printed(&sc_open_flags, true, 0x241, "O_WRONLY|O_CREAT|O_TRUNC");
	expect_printed(&sc_open_flags, true, O_RDWR | O_CLOEXEC, "O_RDWR|O_CLOEXEC");
	expect_printed(&sc_open_flags, true, O_RDONLY | O_CLOEXEC, "O_RDONLY|O_CLOEXEC");
	expect_printed(&sc_open_flags, true, O_WRONLY | O_APPEND | O_NONBLOCK, "O_WRONLY|O_APPEND|O_NONBLOCK");
	/* composites name themselves, not their parts */
	expect_printed(&sc_open_flags, true, O_SYNC, "O_RDONLY|O_SYNC");
	expect_printed(&sc_open_flags, true, O_DSYNC, "O_RDONLY|O_DSYNC");
	expect_printed(&sc_open_flags, true, O_TMPFILE | O_RDWR, "O_RDWR|O_TMPFILE");
	expect_printed(&sc_open_flags, true, O_DIRECTORY, "O_RDONLY|O_DIRECTORY");
	expect_printed(&sc_open_flags, true, O_PATH | O_NOFOLLOW, "O_RDONLY|O_NOFOLLOW|O_PATH");
	/* what has no name is printed in hex */
	expect_printed(&sc_open_flags, true, 0x80000000, "O_RDONLY|0x80000000");
	expect_printed(&sc_open_flags, true, 3, "0x3");
	expect_printed(&sc_open_flags, true, 3 | O_CREAT, "0x3|O_CREAT");
	problems_none();
}

static void test_format_other_tables(void **state)
{
	(void)state;
	problems_reset();
	expect_printed(&sc_ptrace_requests, false, 16, "PTRACE_ATTACH");
	expect_printed(&sc_ptrace_requests, false, 0x4206, "PTRACE_SEIZE");
	expect_printed(&sc_ptrace_requests, false, 0, "PTRACE_TRACEME");
	expect_printed(&sc_ptrace_requests, false, 12345, "12345");
	expect_printed(&sc_socket_families, false, 17, "AF_PACKET");
	expect_printed(&sc_socket_families, false, AF_INET6, "AF_INET6");
	expect_printed(&sc_socket_families, false, AF_UNIX, "AF_UNIX");
	expect_printed(&sc_socket_families, false, AF_NETLINK, "AF_NETLINK");
	expect_printed(&sc_socket_types, true, SOCK_STREAM | SOCK_CLOEXEC, "SOCK_STREAM|SOCK_CLOEXEC");
	expect_printed(&sc_socket_types, true, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		     "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	expect_printed(&sc_socket_types, true, SOCK_RAW, "SOCK_RAW");
	expect_printed(&sc_socket_types, true, SOCK_NONBLOCK, "SOCK_NONBLOCK");
	expect_printed(&sc_socket_types, true, 0, "0");
	expect_printed(&sc_prot_flags, true, PROT_READ | PROT_EXEC, "PROT_READ|PROT_EXEC");
	expect_printed(&sc_prot_flags, true, PROT_READ | PROT_WRITE | PROT_EXEC, "PROT_READ|PROT_WRITE|PROT_EXEC");
	expect_printed(&sc_prot_flags, true, 0, "PROT_NONE");
	expect_printed(&sc_prot_flags, true, PROT_READ | 0x10, "PROT_READ|0x10");
	expect_printed(&sc_mmap_flags, true, MAP_PRIVATE | MAP_ANONYMOUS, "MAP_PRIVATE|MAP_ANONYMOUS");
	expect_printed(&sc_mmap_flags, true, MAP_SHARED | MAP_FIXED, "MAP_SHARED|MAP_FIXED");
	expect_printed(&sc_clone_flags, true, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
		     "SIGCHLD|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID");
	expect_printed(&sc_clone_flags, true, CLONE_VM | CLONE_VFORK | SIGCHLD, "SIGCHLD|CLONE_VM|CLONE_VFORK");
	expect_printed(&sc_clone_flags, true, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM,
		     "CLONE_VM|CLONE_SIGHAND|CLONE_THREAD");
	expect_printed(&sc_namespace_flags, true, CLONE_NEWNS | CLONE_NEWUSER, "CLONE_NEWNS|CLONE_NEWUSER");
	expect_printed(&sc_namespace_flags, true, CLONE_NEWTIME, "CLONE_NEWTIME");
	expect_printed(&sc_namespace_flags, true, 0, "0");
	expect_printed(&sc_mount_flags, true, MS_BIND | MS_REC, "MS_BIND|MS_REC");
	expect_printed(&sc_memfd_flags, true, MFD_CLOEXEC | MFD_ALLOW_SEALING, "MFD_CLOEXEC|MFD_ALLOW_SEALING");
	expect_printed(&sc_at_flags, true, AT_REMOVEDIR, "AT_REMOVEDIR");
	expect_printed(&sc_at_flags, true, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH, "AT_SYMLINK_FOLLOW|AT_EMPTY_PATH");
	expect_printed(&sc_kexec_load_flags, true, 0, "KEXEC_ARCH_DEFAULT");
	expect_printed(&sc_kexec_load_flags, true, KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH,
		     "KEXEC_ARCH_X86_64|KEXEC_ON_CRASH");
	expect_printed(&sc_bpf_commands, false, BPF_PROG_LOAD, "BPF_PROG_LOAD");
	expect_printed(&sc_prctl_options, false, PR_SET_NAME, "PR_SET_NAME");
	expect_printed(&sc_prctl_options, false, PR_SET_PTRACER, "PR_SET_PTRACER");
	problems_none();
}

static void test_format_truncates_like_snprintf(void **state)
{
	char buf[8];
	char one[1] = { 'x' };

	(void)state;
	assert_int_equal(sc_format_names(&sc_open_flags, true, 0x241, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "O_WRONL");
	assert_int_equal(sc_format_names(&sc_open_flags, true, 0x241, NULL, 0), 24);
	assert_int_equal(sc_format_names(&sc_open_flags, true, 0x241, one, 1), 24);
	assert_int_equal(one[0], '\0');
	assert_int_equal(sc_format_names(&sc_ptrace_requests, false, 16, buf, sizeof(buf)), 13);
	assert_string_equal(buf, "PTRACE_");
	assert_int_equal(sc_format_names(&sc_open_flags, true, 0x80000000, buf, sizeof(buf)), 19);
	assert_string_equal(buf, "O_RDONL");
}

static void expect_arg_printed(const char *syscall, const char *arg, uint64_t raw, const char *want)
{
	const struct sc_arg *a = sc_arg_by_name(sc_info(sc_nr(syscall)), arg);
	char buf[128];
	size_t n;

	assert_non_null(a);
	n = sc_format_arg(a, raw, buf, sizeof(buf));
	if (strcmp(buf, want) != 0 || n != strlen(want))
		PROBLEM("%s.%s = %#llx: printed \"%s\" (length %zu), want \"%s\"", syscall, arg,
			(unsigned long long)raw, buf, n, want);
}

static void test_format_arg(void **state)
{
	(void)state;
	problems_reset();
	expect_arg_printed("openat", "dirfd", (uint64_t)(int64_t)-100, "-100");
	expect_arg_printed("openat", "dirfd", 0xffffff9c, "-100");
	expect_arg_printed("openat", "flags", 0x241, "O_WRONLY|O_CREAT|O_TRUNC");
	/* int arguments ignore the register's upper half */
	expect_arg_printed("openat", "flags", 0xdead000000000241ull, "O_WRONLY|O_CREAT|O_TRUNC");
	expect_arg_printed("openat", "mode", 0644, "0644");
	expect_arg_printed("openat", "mode", 0, "0");
	expect_arg_printed("setuid", "uid", (uint64_t)-1, "4294967295");
	expect_arg_printed("setuid", "uid", 1000, "1000");
	expect_arg_printed("kill", "pid", (uint64_t)-1, "-1");
	expect_arg_printed("kill", "sig", 9, "SIGKILL");
	expect_arg_printed("kill", "sig", 0, "0");
	expect_arg_printed("kill", "sig", 40, "40");
	expect_arg_printed("ptrace", "request", 16, "PTRACE_ATTACH");
	expect_arg_printed("ptrace", "addr", 0x7ffc1234, "0x7ffc1234");
	expect_arg_printed("socket", "domain", 17, "AF_PACKET");
	expect_arg_printed("socket", "type", SOCK_STREAM | SOCK_CLOEXEC, "SOCK_STREAM|SOCK_CLOEXEC");
	expect_arg_printed("socket", "proto", 6, "6");
	expect_arg_printed("mmap", "prot", PROT_READ | PROT_EXEC, "PROT_READ|PROT_EXEC");
	expect_arg_printed("mmap", "length", 4096, "4096");
	expect_arg_printed("prctl", "arg2", (uint64_t)-22, "-22");
	/* mount's old magic number in the high half is dropped, as the kernel does */
	expect_arg_printed("mount", "flags", 0xc0ed0000u | MS_BIND, "MS_BIND");
	expect_arg_printed("mount", "flags", MS_RDONLY | MS_REMOUNT, "MS_RDONLY|MS_REMOUNT");
	expect_arg_printed("unshare", "flags", CLONE_NEWUSER | CLONE_NEWNS, "CLONE_NEWNS|CLONE_NEWUSER");
	expect_arg_printed("bpf", "cmd", BPF_MAP_CREATE, "BPF_MAP_CREATE");
	/* strings and addresses are the event decoder's to print */
	expect_arg_printed("openat", "name", 0x1234, "");
	expect_arg_printed("connect", "addr", 0x1234, "");
	expect_arg_printed("connect", "tuple", 0, "");
	problems_none();
}

/* Every name in every table prints as itself: catches a composite listed
 * after its parts, two names for one value, a bit hidden under the mask. */
static void check_table_round_trip(const struct sc_names *t, bool flags)
{
	const char *zero = NULL;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].value == 0)
			zero = t->v[i].name;
	for (size_t i = 0; i < t->n; i++) {
		const struct sc_name *e = &t->v[i];
		char want[128];

		for (size_t j = 0; j < i; j++)
			if (strcmp(t->v[j].name, e->name) == 0)
				PROBLEM("%s appears twice in a table", e->name);
		if (flags && t->value_mask && (e->value & t->value_mask) && (e->value & ~t->value_mask))
			PROBLEM("%s has bits both under and outside the value mask", e->name);
		if (flags && t->value_mask && zero && (e->value & ~t->value_mask))
			snprintf(want, sizeof(want), "%s|%s", zero, e->name);
		else
			snprintf(want, sizeof(want), "%s", e->name);
		expect_printed(t, flags, e->value, want);
	}
}

static void test_tables_round_trip(void **state)
{
	int tables = 0;

	(void)state;
	problems_reset();
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		const struct sc_info *si = sc_info(nr);

		for (int i = 0; si && i < si->nargs; i++) {
			if (si->args[i].fmt == AF_FLAGS || si->args[i].fmt == AF_ENUM) {
				check_table_round_trip(si->args[i].names, si->args[i].fmt == AF_FLAGS);
				tables++;
			}
		}
	}
	assert_true(tables > 20);
	problems_none();
}

/* ---- values against the host's headers -------------------------------- */

static void expect_table_value(const struct sc_names *t, const char *name, uint64_t value)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) == 0) {
			if (t->v[i].value != value)
				PROBLEM("%s is %#llx in the table, %#llx in the system headers", name,
					(unsigned long long)t->v[i].value, (unsigned long long)value);
			return;
		}
	}
	PROBLEM("%s (%#llx) is missing from its table", name, (unsigned long long)value);
}

#define EXPECT(t, c) expect_table_value(&t, #c, (uint64_t)(c))

static void test_values_match_system_headers(void **state)
{
	(void)state;
	problems_reset();
	EXPECT(sc_open_flags, O_RDONLY); EXPECT(sc_open_flags, O_WRONLY); EXPECT(sc_open_flags, O_RDWR);
	EXPECT(sc_open_flags, O_CREAT); EXPECT(sc_open_flags, O_EXCL); EXPECT(sc_open_flags, O_NOCTTY);
	EXPECT(sc_open_flags, O_TRUNC); EXPECT(sc_open_flags, O_APPEND); EXPECT(sc_open_flags, O_NONBLOCK);
	EXPECT(sc_open_flags, O_SYNC); EXPECT(sc_open_flags, O_DSYNC); EXPECT(sc_open_flags, FASYNC);
	EXPECT(sc_open_flags, O_DIRECT); EXPECT(sc_open_flags, O_TMPFILE);
	EXPECT(sc_open_flags, O_DIRECTORY); EXPECT(sc_open_flags, O_NOFOLLOW);
	EXPECT(sc_open_flags, O_NOATIME); EXPECT(sc_open_flags, O_CLOEXEC); EXPECT(sc_open_flags, O_PATH);
	/* glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit is this one */
	expect_table_value(&sc_open_flags, "O_LARGEFILE", 0100000);

	EXPECT(sc_socket_families, AF_UNSPEC); EXPECT(sc_socket_families, AF_UNIX);
	EXPECT(sc_socket_families, AF_INET); EXPECT(sc_socket_families, AF_AX25);
	EXPECT(sc_socket_families, AF_IPX); EXPECT(sc_socket_families, AF_APPLETALK);
	EXPECT(sc_socket_families, AF_NETROM); EXPECT(sc_socket_families, AF_BRIDGE);
	EXPECT(sc_socket_families, AF_ATMPVC); EXPECT(sc_socket_families, AF_X25);
	EXPECT(sc_socket_families, AF_INET6); EXPECT(sc_socket_families, AF_ROSE);
	EXPECT(sc_socket_families, AF_DECnet); EXPECT(sc_socket_families, AF_NETBEUI);
	EXPECT(sc_socket_families, AF_SECURITY); EXPECT(sc_socket_families, AF_KEY);
	EXPECT(sc_socket_families, AF_NETLINK); EXPECT(sc_socket_families, AF_PACKET);
	EXPECT(sc_socket_families, AF_ASH); EXPECT(sc_socket_families, AF_ECONET);
	EXPECT(sc_socket_families, AF_ATMSVC); EXPECT(sc_socket_families, AF_RDS);
	EXPECT(sc_socket_families, AF_SNA); EXPECT(sc_socket_families, AF_IRDA);
	EXPECT(sc_socket_families, AF_PPPOX); EXPECT(sc_socket_families, AF_WANPIPE);
	EXPECT(sc_socket_families, AF_LLC); EXPECT(sc_socket_families, AF_IB);
	EXPECT(sc_socket_families, AF_MPLS); EXPECT(sc_socket_families, AF_CAN);
	EXPECT(sc_socket_families, AF_TIPC); EXPECT(sc_socket_families, AF_BLUETOOTH);
	EXPECT(sc_socket_families, AF_IUCV); EXPECT(sc_socket_families, AF_RXRPC);
	EXPECT(sc_socket_families, AF_ISDN); EXPECT(sc_socket_families, AF_PHONET);
	EXPECT(sc_socket_families, AF_IEEE802154); EXPECT(sc_socket_families, AF_CAIF);
	EXPECT(sc_socket_families, AF_ALG); EXPECT(sc_socket_families, AF_NFC);
	EXPECT(sc_socket_families, AF_VSOCK); EXPECT(sc_socket_families, AF_KCM);
	EXPECT(sc_socket_families, AF_QIPCRTR); EXPECT(sc_socket_families, AF_SMC);
	EXPECT(sc_socket_families, AF_XDP); EXPECT(sc_socket_families, AF_MCTP);

	EXPECT(sc_socket_types, SOCK_STREAM); EXPECT(sc_socket_types, SOCK_DGRAM);
	EXPECT(sc_socket_types, SOCK_RAW); EXPECT(sc_socket_types, SOCK_RDM);
	EXPECT(sc_socket_types, SOCK_SEQPACKET); EXPECT(sc_socket_types, SOCK_DCCP);
	EXPECT(sc_socket_types, SOCK_PACKET); EXPECT(sc_socket_types, SOCK_NONBLOCK);
	EXPECT(sc_socket_types, SOCK_CLOEXEC);

	EXPECT(sc_ptrace_requests, PTRACE_TRACEME); EXPECT(sc_ptrace_requests, PTRACE_PEEKTEXT);
	EXPECT(sc_ptrace_requests, PTRACE_PEEKDATA); EXPECT(sc_ptrace_requests, PTRACE_POKETEXT);
	expect_table_value(&sc_ptrace_requests, "PTRACE_PEEKUSR", PTRACE_PEEKUSER);
	expect_table_value(&sc_ptrace_requests, "PTRACE_POKEUSR", PTRACE_POKEUSER);
	EXPECT(sc_ptrace_requests, PTRACE_POKEDATA); EXPECT(sc_ptrace_requests, PTRACE_CONT);
	EXPECT(sc_ptrace_requests, PTRACE_KILL); EXPECT(sc_ptrace_requests, PTRACE_SINGLESTEP);
	EXPECT(sc_ptrace_requests, PTRACE_GETREGS); EXPECT(sc_ptrace_requests, PTRACE_SETREGS);
	EXPECT(sc_ptrace_requests, PTRACE_GETFPREGS); EXPECT(sc_ptrace_requests, PTRACE_SETFPREGS);
	EXPECT(sc_ptrace_requests, PTRACE_ATTACH); EXPECT(sc_ptrace_requests, PTRACE_DETACH);
	EXPECT(sc_ptrace_requests, PTRACE_GETFPXREGS); EXPECT(sc_ptrace_requests, PTRACE_SETFPXREGS);
	EXPECT(sc_ptrace_requests, PTRACE_SYSCALL); EXPECT(sc_ptrace_requests, PTRACE_GET_THREAD_AREA);
	EXPECT(sc_ptrace_requests, PTRACE_SET_THREAD_AREA); EXPECT(sc_ptrace_requests, PTRACE_ARCH_PRCTL);
	EXPECT(sc_ptrace_requests, PTRACE_SYSEMU); EXPECT(sc_ptrace_requests, PTRACE_SYSEMU_SINGLESTEP);
	EXPECT(sc_ptrace_requests, PTRACE_SINGLEBLOCK); EXPECT(sc_ptrace_requests, PTRACE_SETOPTIONS);
	EXPECT(sc_ptrace_requests, PTRACE_GETEVENTMSG); EXPECT(sc_ptrace_requests, PTRACE_GETSIGINFO);
	EXPECT(sc_ptrace_requests, PTRACE_SETSIGINFO); EXPECT(sc_ptrace_requests, PTRACE_GETREGSET);
	EXPECT(sc_ptrace_requests, PTRACE_SETREGSET); EXPECT(sc_ptrace_requests, PTRACE_SEIZE);
	EXPECT(sc_ptrace_requests, PTRACE_INTERRUPT); EXPECT(sc_ptrace_requests, PTRACE_LISTEN);
	EXPECT(sc_ptrace_requests, PTRACE_PEEKSIGINFO); EXPECT(sc_ptrace_requests, PTRACE_GETSIGMASK);
	EXPECT(sc_ptrace_requests, PTRACE_SETSIGMASK); EXPECT(sc_ptrace_requests, PTRACE_SECCOMP_GET_FILTER);
	EXPECT(sc_ptrace_requests, PTRACE_SECCOMP_GET_METADATA);
	EXPECT(sc_ptrace_requests, PTRACE_GET_SYSCALL_INFO);
	EXPECT(sc_ptrace_requests, PTRACE_GET_RSEQ_CONFIGURATION);

	EXPECT(sc_prot_flags, PROT_NONE); EXPECT(sc_prot_flags, PROT_READ);
	EXPECT(sc_prot_flags, PROT_WRITE); EXPECT(sc_prot_flags, PROT_EXEC);
	EXPECT(sc_prot_flags, PROT_GROWSDOWN); EXPECT(sc_prot_flags, PROT_GROWSUP);

	EXPECT(sc_mmap_flags, MAP_SHARED); EXPECT(sc_mmap_flags, MAP_PRIVATE);
	EXPECT(sc_mmap_flags, MAP_SHARED_VALIDATE); EXPECT(sc_mmap_flags, MAP_FIXED);
	EXPECT(sc_mmap_flags, MAP_ANONYMOUS); EXPECT(sc_mmap_flags, MAP_32BIT);
	EXPECT(sc_mmap_flags, MAP_GROWSDOWN); EXPECT(sc_mmap_flags, MAP_DENYWRITE);
	EXPECT(sc_mmap_flags, MAP_EXECUTABLE); EXPECT(sc_mmap_flags, MAP_LOCKED);
	EXPECT(sc_mmap_flags, MAP_NORESERVE); EXPECT(sc_mmap_flags, MAP_POPULATE);
	EXPECT(sc_mmap_flags, MAP_NONBLOCK); EXPECT(sc_mmap_flags, MAP_STACK);
	EXPECT(sc_mmap_flags, MAP_HUGETLB); EXPECT(sc_mmap_flags, MAP_SYNC);
	EXPECT(sc_mmap_flags, MAP_FIXED_NOREPLACE);

	EXPECT(sc_clone_flags, CLONE_VM); EXPECT(sc_clone_flags, CLONE_FS);
	EXPECT(sc_clone_flags, CLONE_FILES); EXPECT(sc_clone_flags, CLONE_SIGHAND);
	EXPECT(sc_clone_flags, CLONE_PIDFD); EXPECT(sc_clone_flags, CLONE_PTRACE);
	EXPECT(sc_clone_flags, CLONE_VFORK); EXPECT(sc_clone_flags, CLONE_PARENT);
	EXPECT(sc_clone_flags, CLONE_THREAD); EXPECT(sc_clone_flags, CLONE_NEWNS);
	EXPECT(sc_clone_flags, CLONE_SYSVSEM); EXPECT(sc_clone_flags, CLONE_SETTLS);
	EXPECT(sc_clone_flags, CLONE_PARENT_SETTID); EXPECT(sc_clone_flags, CLONE_CHILD_CLEARTID);
	EXPECT(sc_clone_flags, CLONE_DETACHED); EXPECT(sc_clone_flags, CLONE_UNTRACED);
	EXPECT(sc_clone_flags, CLONE_CHILD_SETTID); EXPECT(sc_clone_flags, CLONE_NEWCGROUP);
	EXPECT(sc_clone_flags, CLONE_NEWUTS); EXPECT(sc_clone_flags, CLONE_NEWIPC);
	EXPECT(sc_clone_flags, CLONE_NEWUSER); EXPECT(sc_clone_flags, CLONE_NEWPID);
	EXPECT(sc_clone_flags, CLONE_NEWNET); EXPECT(sc_clone_flags, CLONE_IO);
	EXPECT(sc_clone_flags, SIGCHLD);
	EXPECT(sc_namespace_flags, CLONE_NEWTIME); EXPECT(sc_namespace_flags, CLONE_NEWNS);
	EXPECT(sc_namespace_flags, CLONE_NEWCGROUP); EXPECT(sc_namespace_flags, CLONE_NEWUTS);
	EXPECT(sc_namespace_flags, CLONE_NEWIPC); EXPECT(sc_namespace_flags, CLONE_NEWUSER);
	EXPECT(sc_namespace_flags, CLONE_NEWPID); EXPECT(sc_namespace_flags, CLONE_NEWNET);
	EXPECT(sc_namespace_flags, CLONE_FILES); EXPECT(sc_namespace_flags, CLONE_FS);
	EXPECT(sc_namespace_flags, CLONE_SYSVSEM);

	EXPECT(sc_mount_flags, MS_RDONLY); EXPECT(sc_mount_flags, MS_NOSUID);
	EXPECT(sc_mount_flags, MS_NODEV); EXPECT(sc_mount_flags, MS_NOEXEC);
	EXPECT(sc_mount_flags, MS_SYNCHRONOUS); EXPECT(sc_mount_flags, MS_REMOUNT);
	EXPECT(sc_mount_flags, MS_MANDLOCK); EXPECT(sc_mount_flags, MS_DIRSYNC);
	EXPECT(sc_mount_flags, MS_NOSYMFOLLOW); EXPECT(sc_mount_flags, MS_NOATIME);
	EXPECT(sc_mount_flags, MS_NODIRATIME); EXPECT(sc_mount_flags, MS_BIND);
	EXPECT(sc_mount_flags, MS_MOVE); EXPECT(sc_mount_flags, MS_REC);
	EXPECT(sc_mount_flags, MS_SILENT); EXPECT(sc_mount_flags, MS_POSIXACL);
	EXPECT(sc_mount_flags, MS_UNBINDABLE); EXPECT(sc_mount_flags, MS_PRIVATE);
	EXPECT(sc_mount_flags, MS_SLAVE); EXPECT(sc_mount_flags, MS_SHARED);
	EXPECT(sc_mount_flags, MS_RELATIME); EXPECT(sc_mount_flags, MS_KERNMOUNT);
	EXPECT(sc_mount_flags, MS_I_VERSION); EXPECT(sc_mount_flags, MS_STRICTATIME);
	EXPECT(sc_mount_flags, MS_LAZYTIME);
	EXPECT(sc_umount_flags, MNT_FORCE); EXPECT(sc_umount_flags, MNT_DETACH);
	EXPECT(sc_umount_flags, MNT_EXPIRE); EXPECT(sc_umount_flags, UMOUNT_NOFOLLOW);

	EXPECT(sc_memfd_flags, MFD_CLOEXEC); EXPECT(sc_memfd_flags, MFD_ALLOW_SEALING);
	EXPECT(sc_memfd_flags, MFD_HUGETLB);
	EXPECT(sc_at_flags, AT_SYMLINK_NOFOLLOW); EXPECT(sc_at_flags, AT_REMOVEDIR);
	EXPECT(sc_at_flags, AT_SYMLINK_FOLLOW); EXPECT(sc_at_flags, AT_NO_AUTOMOUNT);
	EXPECT(sc_at_flags, AT_EMPTY_PATH); EXPECT(sc_at_flags, AT_RECURSIVE);
	EXPECT(sc_rename_flags, RENAME_NOREPLACE); EXPECT(sc_rename_flags, RENAME_EXCHANGE);
	EXPECT(sc_rename_flags, RENAME_WHITEOUT);
	EXPECT(sc_resolve_flags, RESOLVE_NO_XDEV); EXPECT(sc_resolve_flags, RESOLVE_NO_MAGICLINKS);
	EXPECT(sc_resolve_flags, RESOLVE_NO_SYMLINKS); EXPECT(sc_resolve_flags, RESOLVE_BENEATH);
	EXPECT(sc_resolve_flags, RESOLVE_IN_ROOT); EXPECT(sc_resolve_flags, RESOLVE_CACHED);
	EXPECT(sc_dup3_flags, O_CLOEXEC);
	EXPECT(sc_delete_module_flags, O_NONBLOCK); EXPECT(sc_delete_module_flags, O_TRUNC);
	EXPECT(sc_finit_module_flags, MODULE_INIT_IGNORE_MODVERSIONS);
	EXPECT(sc_finit_module_flags, MODULE_INIT_IGNORE_VERMAGIC);
	EXPECT(sc_finit_module_flags, MODULE_INIT_COMPRESSED_FILE);
	EXPECT(sc_kexec_load_flags, KEXEC_ARCH_DEFAULT); EXPECT(sc_kexec_load_flags, KEXEC_ARCH_X86_64);
	EXPECT(sc_kexec_load_flags, KEXEC_ON_CRASH); EXPECT(sc_kexec_load_flags, KEXEC_PRESERVE_CONTEXT);
	EXPECT(sc_kexec_file_flags, KEXEC_FILE_UNLOAD); EXPECT(sc_kexec_file_flags, KEXEC_FILE_ON_CRASH);
	EXPECT(sc_kexec_file_flags, KEXEC_FILE_NO_INITRAMFS);
	EXPECT(sc_userfaultfd_flags, UFFD_USER_MODE_ONLY); EXPECT(sc_userfaultfd_flags, O_NONBLOCK);
	EXPECT(sc_userfaultfd_flags, O_CLOEXEC);
	EXPECT(sc_perf_event_flags, PERF_FLAG_FD_NO_GROUP); EXPECT(sc_perf_event_flags, PERF_FLAG_FD_OUTPUT);
	EXPECT(sc_perf_event_flags, PERF_FLAG_PID_CGROUP); EXPECT(sc_perf_event_flags, PERF_FLAG_FD_CLOEXEC);

	EXPECT(sc_bpf_commands, BPF_MAP_CREATE); EXPECT(sc_bpf_commands, BPF_MAP_LOOKUP_ELEM);
	EXPECT(sc_bpf_commands, BPF_MAP_UPDATE_ELEM); EXPECT(sc_bpf_commands, BPF_MAP_DELETE_ELEM);
	EXPECT(sc_bpf_commands, BPF_MAP_GET_NEXT_KEY); EXPECT(sc_bpf_commands, BPF_PROG_LOAD);
	EXPECT(sc_bpf_commands, BPF_OBJ_PIN); EXPECT(sc_bpf_commands, BPF_OBJ_GET);
	EXPECT(sc_bpf_commands, BPF_PROG_ATTACH); EXPECT(sc_bpf_commands, BPF_PROG_DETACH);
	EXPECT(sc_bpf_commands, BPF_PROG_TEST_RUN); EXPECT(sc_bpf_commands, BPF_PROG_GET_NEXT_ID);
	EXPECT(sc_bpf_commands, BPF_MAP_GET_NEXT_ID); EXPECT(sc_bpf_commands, BPF_PROG_GET_FD_BY_ID);
	EXPECT(sc_bpf_commands, BPF_MAP_GET_FD_BY_ID); EXPECT(sc_bpf_commands, BPF_OBJ_GET_INFO_BY_FD);
	EXPECT(sc_bpf_commands, BPF_PROG_QUERY); EXPECT(sc_bpf_commands, BPF_RAW_TRACEPOINT_OPEN);
	EXPECT(sc_bpf_commands, BPF_BTF_LOAD); EXPECT(sc_bpf_commands, BPF_BTF_GET_FD_BY_ID);
	EXPECT(sc_bpf_commands, BPF_TASK_FD_QUERY); EXPECT(sc_bpf_commands, BPF_MAP_LOOKUP_AND_DELETE_ELEM);
	EXPECT(sc_bpf_commands, BPF_MAP_FREEZE); EXPECT(sc_bpf_commands, BPF_BTF_GET_NEXT_ID);
	EXPECT(sc_bpf_commands, BPF_MAP_LOOKUP_BATCH); EXPECT(sc_bpf_commands, BPF_MAP_LOOKUP_AND_DELETE_BATCH);
	EXPECT(sc_bpf_commands, BPF_MAP_UPDATE_BATCH); EXPECT(sc_bpf_commands, BPF_MAP_DELETE_BATCH);
	EXPECT(sc_bpf_commands, BPF_LINK_CREATE); EXPECT(sc_bpf_commands, BPF_LINK_UPDATE);
	EXPECT(sc_bpf_commands, BPF_LINK_GET_FD_BY_ID); EXPECT(sc_bpf_commands, BPF_LINK_GET_NEXT_ID);
	EXPECT(sc_bpf_commands, BPF_ENABLE_STATS); EXPECT(sc_bpf_commands, BPF_ITER_CREATE);
	EXPECT(sc_bpf_commands, BPF_LINK_DETACH); EXPECT(sc_bpf_commands, BPF_PROG_BIND_MAP);

	EXPECT(sc_prctl_options, PR_SET_PDEATHSIG); EXPECT(sc_prctl_options, PR_GET_PDEATHSIG);
	EXPECT(sc_prctl_options, PR_GET_DUMPABLE); EXPECT(sc_prctl_options, PR_SET_DUMPABLE);
	EXPECT(sc_prctl_options, PR_GET_UNALIGN); EXPECT(sc_prctl_options, PR_SET_UNALIGN);
	EXPECT(sc_prctl_options, PR_GET_KEEPCAPS); EXPECT(sc_prctl_options, PR_SET_KEEPCAPS);
	EXPECT(sc_prctl_options, PR_GET_FPEMU); EXPECT(sc_prctl_options, PR_SET_FPEMU);
	EXPECT(sc_prctl_options, PR_GET_FPEXC); EXPECT(sc_prctl_options, PR_SET_FPEXC);
	EXPECT(sc_prctl_options, PR_GET_TIMING); EXPECT(sc_prctl_options, PR_SET_TIMING);
	EXPECT(sc_prctl_options, PR_SET_NAME); EXPECT(sc_prctl_options, PR_GET_NAME);
	EXPECT(sc_prctl_options, PR_GET_ENDIAN); EXPECT(sc_prctl_options, PR_SET_ENDIAN);
	EXPECT(sc_prctl_options, PR_GET_SECCOMP); EXPECT(sc_prctl_options, PR_SET_SECCOMP);
	EXPECT(sc_prctl_options, PR_CAPBSET_READ); EXPECT(sc_prctl_options, PR_CAPBSET_DROP);
	EXPECT(sc_prctl_options, PR_GET_TSC); EXPECT(sc_prctl_options, PR_SET_TSC);
	EXPECT(sc_prctl_options, PR_GET_SECUREBITS); EXPECT(sc_prctl_options, PR_SET_SECUREBITS);
	EXPECT(sc_prctl_options, PR_SET_TIMERSLACK); EXPECT(sc_prctl_options, PR_GET_TIMERSLACK);
	EXPECT(sc_prctl_options, PR_TASK_PERF_EVENTS_DISABLE);
	EXPECT(sc_prctl_options, PR_TASK_PERF_EVENTS_ENABLE);
	EXPECT(sc_prctl_options, PR_MCE_KILL); EXPECT(sc_prctl_options, PR_MCE_KILL_GET);
	EXPECT(sc_prctl_options, PR_SET_MM); EXPECT(sc_prctl_options, PR_SET_CHILD_SUBREAPER);
	EXPECT(sc_prctl_options, PR_GET_CHILD_SUBREAPER); EXPECT(sc_prctl_options, PR_SET_NO_NEW_PRIVS);
	EXPECT(sc_prctl_options, PR_GET_NO_NEW_PRIVS); EXPECT(sc_prctl_options, PR_GET_TID_ADDRESS);
	EXPECT(sc_prctl_options, PR_SET_THP_DISABLE); EXPECT(sc_prctl_options, PR_GET_THP_DISABLE);
	EXPECT(sc_prctl_options, PR_MPX_ENABLE_MANAGEMENT);
	EXPECT(sc_prctl_options, PR_MPX_DISABLE_MANAGEMENT);
	EXPECT(sc_prctl_options, PR_SET_FP_MODE); EXPECT(sc_prctl_options, PR_GET_FP_MODE);
	EXPECT(sc_prctl_options, PR_CAP_AMBIENT); EXPECT(sc_prctl_options, PR_SVE_SET_VL);
	EXPECT(sc_prctl_options, PR_SVE_GET_VL); EXPECT(sc_prctl_options, PR_GET_SPECULATION_CTRL);
	EXPECT(sc_prctl_options, PR_SET_SPECULATION_CTRL); EXPECT(sc_prctl_options, PR_PAC_RESET_KEYS);
	EXPECT(sc_prctl_options, PR_SET_TAGGED_ADDR_CTRL); EXPECT(sc_prctl_options, PR_GET_TAGGED_ADDR_CTRL);
	EXPECT(sc_prctl_options, PR_SET_IO_FLUSHER); EXPECT(sc_prctl_options, PR_GET_IO_FLUSHER);
	EXPECT(sc_prctl_options, PR_SET_SYSCALL_USER_DISPATCH);
	EXPECT(sc_prctl_options, PR_PAC_SET_ENABLED_KEYS); EXPECT(sc_prctl_options, PR_PAC_GET_ENABLED_KEYS);
	EXPECT(sc_prctl_options, PR_SCHED_CORE); EXPECT(sc_prctl_options, PR_SME_SET_VL);
	EXPECT(sc_prctl_options, PR_SME_GET_VL); EXPECT(sc_prctl_options, PR_SET_VMA);
	EXPECT(sc_prctl_options, PR_SET_PTRACER);
	problems_none();
}

/* ---- errno and signal names ------------------------------------------- */

static void test_errno_names(void **state)
{
	int named = 0;

	(void)state;
	problems_reset();
	assert_string_equal(sc_errno_name(ENOENT), "ENOENT");
	assert_string_equal(sc_errno_name(EPERM), "EPERM");
	assert_string_equal(sc_errno_name(EACCES), "EACCES");
	assert_string_equal(sc_errno_name(EHWPOISON), "EHWPOISON");
	assert_string_equal(sc_errno_name(512), "ERESTARTSYS");
	assert_string_equal(sc_errno_name(516), "ERESTART_RESTARTBLOCK");
	assert_string_equal(sc_errno_name(524), "ENOTSUPP");
	assert_string_equal(sc_errno_name(531), "ENOGRACE");
	assert_null(sc_errno_name(0));
	assert_null(sc_errno_name(-2));
	assert_null(sc_errno_name(41));
	assert_null(sc_errno_name(134));
	assert_null(sc_errno_name(520));
	assert_null(sc_errno_name(532));
	/* glibc knows the canonical name of every errno it has */
	for (int e = 1; e < 512; e++) {
		const char *mine = sc_errno_name(e);
		const char *libc = strerrorname_np(e);

		if (libc && (!mine || strcmp(mine, libc) != 0))
			PROBLEM("errno %d: table says %s, glibc says %s", e, mine ? mine : "nothing", libc);
		if (mine && !libc)
			PROBLEM("errno %d: table says %s, glibc knows no such errno", e, mine);
		named += mine != NULL;
	}
	assert_true(named >= 131);
	problems_none();
}

static void test_signal_names(void **state)
{
	(void)state;
	problems_reset();
	assert_string_equal(sc_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(sc_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(sc_signal_name(SIGSYS), "SIGSYS");
	assert_null(sc_signal_name(0));
	assert_null(sc_signal_name(-9));
	assert_null(sc_signal_name(32));
	assert_null(sc_signal_name(64));
	/* glibc calls 29 by its System V name; the kernel and Falco say SIGIO */
	assert_string_equal(sc_signal_name(29), "SIGIO");
	for (int s = 1; s < 32; s++) {
		const char *abbrev = sigabbrev_np(s);
		char want[32];

		assert_non_null(abbrev);
		if (s == 29)
			continue;
		snprintf(want, sizeof(want), "SIG%s", abbrev);
		if (!sc_signal_name(s) || strcmp(sc_signal_name(s), want) != 0)
			PROBLEM("signal %d: table says %s, glibc says %s", s,
				sc_signal_name(s) ? sc_signal_name(s) : "nothing", want);
	}
	problems_none();
}

/* ---- docs/syscalls.md ------------------------------------------------- */

static const char *format_word(enum sc_argfmt f)
{
	switch (f) {
	case AF_INT: return "int";
	case AF_UINT: return "uint";
	case AF_HEX: return "hex";
	case AF_FD: return "fd";
	case AF_PID: return "pid";
	case AF_UID: return "uid";
	case AF_GID: return "gid";
	case AF_MODE: return "mode";
	case AF_FLAGS: return "flags";
	case AF_ENUM: return "enum";
	case AF_PATH: return "path";
	case AF_STR: return "string";
	case AF_SOCKADDR: return "sockaddr";
	case AF_SIGNAL: return "signal";
	case AF_TUPLE: return "tuple";
	case AF_NONE: break;
	}
	return "?";
}

/* "O_*" from a table whose first name is O_RDONLY */
static void names_prefix(const struct sc_names *t, char *out, size_t n)
{
	const char *first = t->v[0].name;
	const char *us = strchr(first, '_');
	int len = us ? (int)(us - first + 1) : (int)strlen(first);

	snprintf(out, n, "%.*s*", len, first);
}

static void describe_arg(FILE *f, const struct sc_info *si, const struct sc_arg *a)
{
	char prefix[32];

	fprintf(f, "`%s` ", a->name);
	switch ((enum sc_argfmt)a->fmt) {
	case AF_FLAGS:
	case AF_ENUM:
		names_prefix(a->names, prefix, sizeof(prefix));
		fprintf(f, "(%s %s)", format_word(a->fmt), prefix);
		break;
	case AF_PATH:
		if (a->dirfd >= 0) {
			for (int i = 0; i < si->nargs; i++)
				if (si->args[i].fmt == AF_FD && si->args[i].reg == a->dirfd)
					fprintf(f, "(path, relative to `%s`)", si->args[i].name);
		} else {
			fprintf(f, "(path)");
		}
		break;
	default:
		fprintf(f, "(%s)", format_word(a->fmt));
		break;
	}
}

static void write_docs_table(FILE *f)
{
	fputs("| nr | syscall | arguments | returns |\n|---:|---|---|---|\n", f);
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		const struct sc_info *si = sc_info(nr);

		if (!si || !si->ret_name)
			continue;
		fprintf(f, "| %d | `%s` | ", nr, si->name);
		for (int i = 0; i < si->nargs; i++) {
			if (i)
				fputs(", ", f);
			describe_arg(f, si, &si->args[i]);
		}
		if (si->nargs == 0)
			fputs("none", f);
		fprintf(f, " | `%s` (%s) |\n", si->ret_name, format_word(si->ret_fmt));
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!f)
		return NULL;
	mem = open_memstream(&text, &len);
	assert_non_null(mem);
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(f);
	return text;
}

static void test_docs_match_table(void **state)
{
	char *doc = read_file(DOCS_FILE);
	char *want = NULL;
	size_t want_len = 0;
	FILE *mem;
	char *begin, *end;

	(void)state;
	if (!doc)
		fail_msg("cannot read %s: %s", DOCS_FILE, strerror(errno));
	mem = open_memstream(&want, &want_len);
	assert_non_null(mem);
	write_docs_table(mem);
	fclose(mem);
	begin = strstr(doc, DOCS_BEGIN);
	end = begin ? strstr(begin, DOCS_END) : NULL;
	if (!begin || !end) {
		free(doc);
		free(want);
		fail_msg("%s: no generated block between \"%.*s\" and \"%.*s\"", DOCS_FILE,
			 (int)strlen(DOCS_BEGIN) - 1, DOCS_BEGIN, (int)strlen(DOCS_END) - 1, DOCS_END);
	}
	begin += strlen(DOCS_BEGIN);
	*end = '\0';
	if (strcmp(begin, want) != 0) {
		print_error("%s is stale; regenerate its table with build/tests/test_syscall_table --dump-docs\n",
			    DOCS_FILE);
		free(doc);
		free(want);
		fail();
	}
	free(doc);
	free(want);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_unistd),
		cmocka_unit_test(test_names_newer_than_header),
		cmocka_unit_test(test_lookup_by_name),
		cmocka_unit_test(test_captured_syscalls_described),
		cmocka_unit_test(test_falco_argument_names),
		cmocka_unit_test(test_arg_by_name),
		cmocka_unit_test(test_format_open_flags),
		cmocka_unit_test(test_format_other_tables),
		cmocka_unit_test(test_format_truncates_like_snprintf),
		cmocka_unit_test(test_format_arg),
		cmocka_unit_test(test_tables_round_trip),
		cmocka_unit_test(test_values_match_system_headers),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_signal_names),
		cmocka_unit_test(test_docs_match_table),
	};

	if (argc == 2 && strcmp(argv[1], "--dump-docs") == 0) {
		fputs(DOCS_BEGIN, stdout);
		write_docs_table(stdout);
		fputs(DOCS_END, stdout);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
