/*
 * vg_priv.c - a small static program the kernel tests of the
 * privilege-escalation, defense-evasion and container-escape packs run to
 * perform one risky-looking but harmless action: privilege changes, kernel
 * interfaces called with arguments the kernel rejects, file operations on
 * paths the test owns. Tests copy it to a unique name, so its events are easy
 * to pick out. vg_helper.c stays untouched (other packs extend it).
 *
 *   vg_priv exit CODE                   exit with CODE
 *   vg_priv sleep SECONDS               sleep (the test kills it or waits)
 *   vg_priv regain-root CALL            act like a setuid-root program run by nobody
 *                                       (setresuid(65534, 0, 0)), then make the real uid
 *                                       0 with CALL: setuid, setreuid or setresuid
 *   vg_priv drop-root                   setresuid(65534, 65534, 65534)
 *   vg_priv sudo-root                   setresuid(0, 0, 0), as sudo does
 *   vg_priv chmod PATH MODE             chmod(PATH, MODE); MODE is octal
 *   vg_priv fchmod PATH MODE            open PATH, fchmod(fd, MODE)
 *   vg_priv fchmodat PATH MODE          fchmodat(AT_FDCWD, PATH, MODE, 0)
 *   vg_priv creat PATH MODE             open(PATH, O_CREAT|O_EXCL|O_WRONLY, MODE), umask 0
 *   vg_priv creat-call PATH MODE        the creat() syscall itself (creates or truncates), umask 0
 *   vg_priv caps-as-nobody CAP...       keep capabilities across becoming uid 65534, then
 *                                       capset with only the given CAP numbers effective
 *   vg_priv ambient-exec CAP PATH ARG...  become uid 65534 with capability CAP ambient,
 *                                       then execv(PATH, ARG...)
 *   vg_priv userns unshare|clone        become uid 65534, then make a user namespace with
 *                                       unshare(CLONE_NEWUSER) or a clone(CLONE_NEWUSER) child
 *   vg_priv exec-argc0 PATH             execve(PATH) with an empty argv (PwnKit's trick)
 *   vg_priv exec-deleted DIR            copy itself into DIR, open the copy, unlink it and
 *                                       execveat the open file ("exit 0")
 *   vg_priv self-delete                 unlink its own executable
 *   vg_priv bpf map|prog                create a one-entry array map, or load a two
 *                                       instruction socket filter; close it
 *   vg_priv init-module                 init_module() with a garbage image (rejected)
 *   vg_priv finit-module PATH           finit_module() on PATH (garbage: rejected)
 *   vg_priv delete-module NAME          delete_module(NAME, O_NONBLOCK)
 *   vg_priv kexec-load                  kexec_load() with invalid flags and segments (rejected)
 *   vg_priv kexec-file-load             kexec_file_load() with invalid flags (rejected)
 *   vg_priv open-by-handle              open_by_handle_at() on "/" with a bogus handle
 *   vg_priv setns PATH                  open PATH (a /proc/PID/ns file), setns(fd, 0)
 *   vg_priv open-read PATH              open PATH read-only
 *   vg_priv open-append PATH            open PATH O_WRONLY|O_APPEND; writes nothing
 *   vg_priv open-trunc PATH             open PATH O_WRONLY|O_CREAT|O_TRUNC
 *   vg_priv truncate PATH LEN           truncate(PATH, LEN)
 *   vg_priv ftruncate PATH LEN          open PATH for writing, ftruncate(fd, LEN)
 *   vg_priv unlink PATH                 unlink(PATH)
 *   vg_priv unlinkat PATH               unlinkat(dirfd of PATH's directory, basename, 0)
 *   vg_priv rename OLD NEW              renameat2(AT_FDCWD, OLD, AT_FDCWD, NEW, 0)
 *   vg_priv symlink TARGET LINK         symlink(TARGET, LINK)
 *   vg_priv connect-unix PATH           connect a stream socket to the unix socket PATH
 *
 * Errors go to stderr with exit status 100+; an expected rejection by the
 * kernel (the module and kexec calls) prints the errno name and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static int fail(const char *what)
{
	fprintf(stderr, "vg_priv: %s: %s\n", what, strerror(errno));
	return 101;
}

/* a call the kernel is expected to refuse: report how, succeed either way */
static int rejected(const char *what, long ret)
{
	printf("%s %s\n", what, ret < 0 ? strerrorname_np(errno) : "accepted");
	return 0;
}

static int become_nobody_keeping_caps(void)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail("keepcaps");
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0)
		return fail("setresgid");
	if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return fail("setresuid");
	return 0;
}

/* capset: the given capabilities effective (and inheritable), permitted unchanged */
static int set_caps(const unsigned *caps, int n, int inheritable)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return fail("capget");
	data[0].effective = data[1].effective = 0;
	if (inheritable)
		data[0].inheritable = data[1].inheritable = 0;
	for (int i = 0; i < n; i++) {
		data[caps[i] / 32].effective |= 1u << (caps[i] % 32);
		if (inheritable)
			data[caps[i] / 32].inheritable |= 1u << (caps[i] % 32);
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail("capset");
	return 0;
}

static int do_regain_root(const char *call)
{
	int r;

	if (setresuid(NOBODY, 0, 0) < 0)
		return fail("setresuid nobody");
	if (strcmp(call, "setuid") == 0)
		r = setuid(0);
	else if (strcmp(call, "setreuid") == 0)
		r = setreuid(0, 0);
	else if (strcmp(call, "setresuid") == 0)
		r = setresuid(0, 0, 0);
	else
		return 100;
	return r < 0 ? fail(call) : 0;
}

static int do_caps_as_nobody(int argc, char **argv)
{
	unsigned caps[8];
	int n = 0, r;

	for (int i = 0; i < argc && n < 8; i++)
		caps[n++] = (unsigned)atoi(argv[i]);
	r = become_nobody_keeping_caps();
	return r ? r : set_caps(caps, n, 0);
}

static int do_ambient_exec(unsigned cap, char **argv)
{
	int r = become_nobody_keeping_caps();

	if (r)
		return r;
	r = set_caps(&cap, 1, 1);
	if (r)
		return r;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
		return fail("ambient");
	execv(argv[0], argv);
	return fail("execv");
}

static int do_userns(const char *how)
{
	int r = become_nobody_keeping_caps(), st;

	if (r)
		return r;
	if (strcmp(how, "unshare") == 0)
		return unshare(CLONE_NEWUSER) < 0 ? fail("unshare") : 0;
	if (strcmp(how, "clone") != 0)
		return 100;
	/* a raw clone without a new stack behaves like fork */
	long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid < 0)
		return fail("clone");
	if (pid == 0)
		_exit(0);
	waitpid((pid_t)pid, &st, 0);
	return 0;
}

static int do_exec_deleted(const char *dir)
{
	char path[4096], buf[65536];
	char *const args[] = { "vgt-deleted", "exit", "0", NULL };
	char *const env[] = { NULL };
	int self = open("/proc/self/exe", O_RDONLY), out, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/vgt-deleted-%d", dir, getpid());
	out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0700);
	if (self < 0 || out < 0)
		return fail("copy");
	while ((n = read(self, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return fail("write");
	close(out);
	close(self);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || unlink(path) < 0)
		return fail("open copy");
	syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
	return fail("execveat");
}

static int do_self_delete(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n < 0)
		return fail("readlink");
	path[n] = 0;
	return unlink(path) < 0 ? fail("unlink") : 0;
}

static int do_bpf(const char *what)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	if (strcmp(what, "map") == 0) {
		attr.map_type = BPF_MAP_TYPE_ARRAY;
		attr.key_size = 4;
		attr.value_size = 4;
		attr.max_entries = 1;
		fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	} else if (strcmp(what, "prog") == 0) {
		/* r0 = 0; exit: a socket filter that drops everything, never attached */
		struct bpf_insn insns[2] = {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
			{ .code = BPF_JMP | BPF_EXIT },
		};

		attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		attr.insns = (unsigned long)insns;
		attr.insn_cnt = 2;
		attr.license = (unsigned long)"GPL";
		fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	} else {
		return 100;
	}
	if (fd < 0)
		return fail("bpf");
	close(fd);
	return 0;
}

static int do_open_by_handle(void)
{
	struct { struct file_handle fh; unsigned char bytes[8]; } h;
	int root = open("/", O_RDONLY | O_DIRECTORY);

	if (root < 0)
		return fail("open /");
	memset(&h, 0xee, sizeof(h));
	h.fh.handle_bytes = 8;
	h.fh.handle_type = 1;
	return rejected("open_by_handle_at", syscall(SYS_open_by_handle_at, root, &h.fh, O_RDONLY));
}

static int do_connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		return fail("socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail("connect");
	close(s);
	return 0;
}

static int do_unlinkat(char *path)
{
	char *slash = strrchr(path, '/');
	int dfd;

	if (!slash)
		return 100;
	*slash = 0;
	dfd = open(path[0] ? path : "/", O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return fail("open dir");
	return unlinkat(dfd, slash + 1, 0) < 0 ? fail("unlinkat") : 0;
}

static int open_and(const char *path, int flags, const char *what)
{
	int fd = open(path, flags, 0600);

	if (fd < 0)
		return fail(what);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 100;
	const char *cmd = argv[1];
	mode_t mode = argc > 3 ? (mode_t)strtoul(argv[3], NULL, 8) : 0;

	if (strcmp(cmd, "exit") == 0 && argc == 3)
		return atoi(argv[2]);
	if (strcmp(cmd, "sleep") == 0 && argc == 3) {
		sleep(atoi(argv[2]));
		return 0;
	}
	if (strcmp(cmd, "regain-root") == 0 && argc == 3)
		return do_regain_root(argv[2]);
	if (strcmp(cmd, "drop-root") == 0 && argc == 2)
		return setresuid(NOBODY, NOBODY, NOBODY) < 0 ? fail("setresuid") : 0;
	if (strcmp(cmd, "sudo-root") == 0 && argc == 2)
		return setresuid(0, 0, 0) < 0 ? fail("setresuid") : 0;
	if (strcmp(cmd, "chmod") == 0 && argc == 4)
		return chmod(argv[2], mode) < 0 ? fail("chmod") : 0;
	if (strcmp(cmd, "fchmod") == 0 && argc == 4) {
		int fd = open(argv[2], O_RDONLY);

		return fd < 0 || fchmod(fd, mode) < 0 ? fail("fchmod") : 0;
	}
	if (strcmp(cmd, "fchmodat") == 0 && argc == 4)
		return fchmodat(AT_FDCWD, argv[2], mode, 0) < 0 ? fail("fchmodat") : 0;
	if (strcmp(cmd, "creat") == 0 && argc == 4) {
		int fd;

		umask(0);
		fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL, mode);
		return fd < 0 ? fail("creat") : 0;
	}
	if (strcmp(cmd, "creat-call") == 0 && argc == 4) {
		long fd;

		umask(0);
		fd = syscall(SYS_creat, argv[2], mode);
		return fd < 0 ? fail("creat") : 0;
	}
	if (strcmp(cmd, "caps-as-nobody") == 0 && argc >= 3)
		return do_caps_as_nobody(argc - 2, argv + 2);
	if (strcmp(cmd, "ambient-exec") == 0 && argc >= 4)
		return do_ambient_exec((unsigned)atoi(argv[2]), argv + 3);
	if (strcmp(cmd, "userns") == 0 && argc == 3)
		return do_userns(argv[2]);
	if (strcmp(cmd, "exec-argc0") == 0 && argc == 3) {
		char *const none[] = { NULL };

		execve(argv[2], none, none);
		return fail("execve");
	}
	if (strcmp(cmd, "exec-deleted") == 0 && argc == 3)
		return do_exec_deleted(argv[2]);
	if (strcmp(cmd, "self-delete") == 0 && argc == 2)
		return do_self_delete();
	if (strcmp(cmd, "bpf") == 0 && argc == 3)
		return do_bpf(argv[2]);
	if (strcmp(cmd, "init-module") == 0 && argc == 2) {
		static const char garbage[64] = "this is not an ELF module image";

		return rejected("init_module", syscall(SYS_init_module, garbage, sizeof(garbage), ""));
	}
	if (strcmp(cmd, "finit-module") == 0 && argc == 3) {
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0)
			return fail("open");
		return rejected("finit_module", syscall(SYS_finit_module, fd, "", 0));
	}
	if (strcmp(cmd, "delete-module") == 0 && argc == 3)
		return rejected("delete_module", syscall(SYS_delete_module, argv[2], O_NONBLOCK));
	if (strcmp(cmd, "kexec-load") == 0 && argc == 2) {
		/* flag bits no kernel defines and more segments than KEXEC_SEGMENT_MAX: EINVAL
		 * (nr_segments = 0 would unload a staged kernel, so never pass 0) */
		return rejected("kexec_load", syscall(SYS_kexec_load, 0UL, 1000UL, NULL, 0x00f00000UL));
	}
	if (strcmp(cmd, "kexec-file-load") == 0 && argc == 2) {
		/* an undefined flag is refused before any fd is looked at */
		return rejected("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0x80000000UL));
	}
	if (strcmp(cmd, "open-by-handle") == 0 && argc == 2)
		return do_open_by_handle();
	if (strcmp(cmd, "setns") == 0 && argc == 3) {
		int fd = open(argv[2], O_RDONLY);

		return fd < 0 || setns(fd, 0) < 0 ? fail("setns") : 0;
	}
	if (strcmp(cmd, "open-read") == 0 && argc == 3)
		return open_and(argv[2], O_RDONLY, "open");
	if (strcmp(cmd, "open-append") == 0 && argc == 3)
		return open_and(argv[2], O_WRONLY | O_APPEND, "open");
	if (strcmp(cmd, "open-trunc") == 0 && argc == 3)
		return open_and(argv[2], O_WRONLY | O_CREAT | O_TRUNC, "open");
	if (strcmp(cmd, "truncate") == 0 && argc == 4)
		return truncate(argv[2], atol(argv[3])) < 0 ? fail("truncate") : 0;
	if (strcmp(cmd, "ftruncate") == 0 && argc == 4) {
		int fd = open(argv[2], O_WRONLY);

		return fd < 0 || ftruncate(fd, atol(argv[3])) < 0 ? fail("ftruncate") : 0;
	}
	if (strcmp(cmd, "unlink") == 0 && argc == 3)
		return unlink(argv[2]) < 0 ? fail("unlink") : 0;
	if (strcmp(cmd, "unlinkat") == 0 && argc == 3)
		return do_unlinkat(argv[2]);
	if (strcmp(cmd, "rename") == 0 && argc == 4)
		return renameat2(AT_FDCWD, argv[2], AT_FDCWD, argv[3], 0) < 0 ? fail("rename") : 0;
	if (strcmp(cmd, "symlink") == 0 && argc == 4)
		return symlink(argv[2], argv[3]) < 0 ? fail("symlink") : 0;
	if (strcmp(cmd, "connect-unix") == 0 && argc == 3)
		return do_connect_unix(argv[2]);
	fprintf(stderr, "vg_priv: bad usage\n");
	return 100;
}
