/*
 * vg_cred.c - the helper the kernel tests of the credential-access,
 * persistence and discovery packs run to perform one exact action each.
 * vg_helper covers the common actions; this one adds what those packs need
 * (other open variants, renames, tracing and reading another process,
 * packet and raw sockets) without growing the shared helper. Tests copy it
 * to a unique name, so what it does is easy to pick out of the stream.
 *
 *   vg_cred read PATH [open|openat|openat2]   open PATH read-only with that syscall
 *                                             (openat: relative to its directory)
 *   vg_cred append PATH [open|openat|openat2] open PATH O_WRONLY|O_APPEND|O_CREAT the same
 *                                             way; write nothing
 *   vg_cred write PATH TEXT                   create or truncate PATH and write TEXT
 *   vg_cred rename OLD NEW                    rename(OLD, NEW)
 *   vg_cred ptrace REQUEST PID                PTRACE_ATTACH or PTRACE_SEIZE to PID, then detach
 *   vg_cred ptrace-parent                     fork a copy that attaches to this process and detaches,
 *                                             as leak sanitizers stop the world
 *   vg_cred vm-read PID|self                  process_vm_readv 8 bytes at the start of PID's stack
 *   vg_cred socket packet|raw|raw6|udp        create that socket, then close it
 *   vg_cred connect HOST PORT                 TCP connect; exit with 0 even if refused
 *   vg_cred sleep SECONDS                     sleep (a process for others to look at)
 *   vg_cred spawn PATH ARGS...                run PATH with ARGS as a child (argv[0] = PATH), wait for
 *                                             it and exit with its status (a parent to look at)
 *
 * Errors go to stderr with exit status 100+.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "vg_cred: %s: %s\n", what, strerror(errno));
	return 101;
}

/* open PATH with FLAGS through the syscall HOW names; close it */
static int do_open(const char *path, int flags, const char *how)
{
	int fd;

	if (strcmp(how, "open") == 0) {
		fd = open(path, flags, 0644);
	} else if (strcmp(how, "openat") == 0) {
		/* relative to a directory fd, so the path the kernel gets is only the last component */
		const char *slash = strrchr(path, '/');
		char dir[4096];

		if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
			return 102;
		memcpy(dir, path, slash - path);
		dir[slash - path] = 0;
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);

		if (dfd < 0)
			return fail("open dir");
		fd = openat(dfd, slash + 1, flags, 0644);
		close(dfd);
	} else if (strcmp(how, "openat2") == 0) {
		struct open_how oh = { .flags = flags, .mode = flags & O_CREAT ? 0644 : 0 };

		fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &oh, sizeof(oh));
	} else {
		return 102;
	}
	if (fd < 0)
		return fail(path);
	close(fd);
	return 0;
}

static int do_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t n = strlen(text);

	if (fd < 0)
		return fail(path);
	if (write(fd, text, n) != (ssize_t)n)
		return fail("write");
	close(fd);
	return 0;
}

static int do_ptrace(const char *request, pid_t pid)
{
	int st;

	if (strcmp(request, "PTRACE_SEIZE") == 0) {
		if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
			return fail("ptrace seize");
		/* a seized tracee keeps running; detaching needs it stopped */
		if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0)
			return fail("ptrace interrupt");
	} else if (strcmp(request, "PTRACE_ATTACH") == 0) {
		if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
			return fail("ptrace attach");
	} else {
		return 102;
	}
	if (waitpid(pid, &st, __WALL) < 0)
		return fail("waitpid");
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL) < 0)
		return fail("ptrace detach");
	return 0;
}

/* a forked copy (no exec) stops its parent with PTRACE_ATTACH, then lets it go */
static int do_ptrace_parent(void)
{
	pid_t parent = getpid(), child = fork();
	int st;

	if (child < 0)
		return fail("fork");
	if (child == 0) {
		if (ptrace(PTRACE_ATTACH, parent, NULL, NULL) < 0)
			_exit(fail("ptrace attach parent"));
		if (waitpid(parent, &st, __WALL) < 0)
			_exit(fail("waitpid parent"));
		_exit(ptrace(PTRACE_DETACH, parent, NULL, NULL) < 0 ? fail("ptrace detach") : 0);
	}
	/* waitpid returns once the child has detached and exited; a stop in between only pauses us */
	if (waitpid(child, &st, 0) < 0)
		return fail("waitpid child");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 104;
}

/* read a few bytes of PID's memory at an address taken from its /proc/PID/stat (start of its stack) */
static int do_vm_read(pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long long start_stack = 0;
	FILE *f;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return fail(path);
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return fail("read stat");
	}
	fclose(f);
	/* fields after the ")" that ends comm; startstack is field 28 */
	p = strrchr(buf, ')');
	for (field = 2; p && field < 28; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &start_stack) != 1)
		return 103;
	char data[8];
	struct iovec local = { data, sizeof(data) };
	struct iovec remote = { (void *)(uintptr_t)(start_stack & ~7ull), sizeof(data) };

	if (syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0) < 0)
		return fail("process_vm_readv");
	return 0;
}

static int do_socket(const char *kind)
{
	int s;

	if (strcmp(kind, "packet") == 0)
		s = socket(AF_PACKET, SOCK_RAW, htons(0x0003));  /* ETH_P_ALL */
	else if (strcmp(kind, "raw") == 0)
		s = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	else if (strcmp(kind, "raw6") == 0)
		s = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	else if (strcmp(kind, "udp") == 0)
		s = socket(AF_INET, SOCK_DGRAM, 0);
	else
		return 102;
	if (s < 0)
		return fail("socket");
	close(s);
	return 0;
}

static int do_connect(const char *host, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return fail("socket");
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 102;
	/* a refused or unreachable peer is still an attempt, which is what the tests look at */
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fprintf(stderr, "vg_cred: connect: %s\n", strerror(errno));
	close(s);
	return 0;
}

static int do_spawn(char **argv)
{
	pid_t child = fork();
	int st;

	if (child < 0)
		return fail("fork");
	if (child == 0) {
		execv(argv[0], argv);
		_exit(fail("execv"));
	}
	if (waitpid(child, &st, 0) < 0)
		return fail("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 104;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 100;
	const char *cmd = argv[1];

	if (strcmp(cmd, "read") == 0 && (argc == 3 || argc == 4))
		return do_open(argv[2], O_RDONLY, argc == 4 ? argv[3] : "open");
	if (strcmp(cmd, "append") == 0 && (argc == 3 || argc == 4))
		return do_open(argv[2], O_WRONLY | O_APPEND | O_CREAT, argc == 4 ? argv[3] : "open");
	if (strcmp(cmd, "write") == 0 && argc == 4)
		return do_write(argv[2], argv[3]);
	if (strcmp(cmd, "rename") == 0 && argc == 4)
		return rename(argv[2], argv[3]) < 0 ? fail("rename") : 0;
	if (strcmp(cmd, "ptrace") == 0 && argc == 4)
		return do_ptrace(argv[2], atoi(argv[3]));
	if (strcmp(cmd, "ptrace-parent") == 0 && argc == 2)
		return do_ptrace_parent();
	if (strcmp(cmd, "vm-read") == 0 && argc == 3)
		return do_vm_read(strcmp(argv[2], "self") == 0 ? getpid() : atoi(argv[2]));
	if (strcmp(cmd, "socket") == 0 && argc == 3)
		return do_socket(argv[2]);
	if (strcmp(cmd, "connect") == 0 && argc == 4)
		return do_connect(argv[2], argv[3]);
	if (strcmp(cmd, "sleep") == 0 && argc == 3) {
		sleep(atoi(argv[2]));
		return 0;
	}
	if (strcmp(cmd, "spawn") == 0 && argc >= 3)
		return do_spawn(argv + 2);
	fprintf(stderr, "vg_cred: bad usage\n");
	return 100;
}
