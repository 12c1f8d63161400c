/*
 * vg_exec.c - a small static program the execution and command-and-control
 * preset tests run to perform one action those packs detect: spawning a
 * child under a chosen parent name, executing through a file descriptor or
 * a memfd, putting a socket on the standard streams before running a
 * program, opening raw sockets. Tests copy it to the name the scenario
 * needs (a web server, a miner, a netcat), so the parent or process name in
 * the alert is the test's own.
 *
 *   vg_exec spawn PATH ARGS...            fork, execv PATH (argv[0] = PATH), wait; exit with
 *                                         the child's status
 *   vg_exec procfd-exec PATH ARGS...      open PATH, execve("/proc/self/fd/N")
 *   vg_exec memfd-exec PATH ARGS...       copy PATH into a memfd, execveat(memfd, "", AT_EMPTY_PATH)
 *   vg_exec redirect HOST PORT CALL PATH ARGS...
 *                                         TCP connect (or, when HOST is an absolute path, connect
 *                                         to that unix socket; PORT is then ignored), put the socket
 *                                         on fds 0, 1 and 2 with CALL (dup, dup2 or dup3), then
 *                                         execv PATH
 *   vg_exec socket KIND                   open and close a socket: raw-icmp (SOCK_RAW,
 *                                         IPPROTO_ICMP), raw-tcp (SOCK_RAW, IPPROTO_TCP), udp
 *
 * Copied to a netcat's name (nc, ncat, netcat, nc.traditional...), it takes a
 * netcat's command line instead and does what "nc -e" does, so the exec the
 * tests cause looks exactly like netcat's:
 *
 *   nc -e PROG HOST PORT                  TCP connect, socket on fds 0-2, execv PROG
 *   nc -c CMD HOST PORT                   the same with /bin/sh -c CMD (also --sh-exec CMD,
 *                                         --exec PROG)
 *
 * Errors go to stderr with exit status 100+.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what)
{
	fprintf(stderr, "vg_exec: %s: %s\n", what, strerror(errno));
	return 101;
}

static int do_spawn(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(fail("execv"));
	}
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* execveat through glibc's syscall(): older headers have no wrapper */
static int exec_fd(int fd, char **argv)
{
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	return fail("execveat");
}

static int do_memfd_exec(char **argv)
{
	int in = open(argv[0], O_RDONLY | O_CLOEXEC);
	int mfd = memfd_create("vgt-payload", MFD_CLOEXEC);
	char buf[65536];
	ssize_t n;

	if (in < 0 || mfd < 0)
		return fail("memfd");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mfd, buf, n) != n)
			return fail("write");
	close(in);
	return exec_fd(mfd, argv);
}

static int do_procfd_exec(char **argv)
{
	char path[64];
	int fd = open(argv[0], O_RDONLY);

	if (fd < 0)
		return fail("open");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	execv(path, argv);
	return fail("execv");
}

/* put fd `s` on `to` with the chosen call; dup needs `to` to be the lowest free fd */
static int place(int s, int to, const char *call)
{
	if (strcmp(call, "dup") == 0) {
		close(to);
		return dup(s) == to ? 0 : -1;
	}
	if (strcmp(call, "dup3") == 0)
		return dup3(s, to, 0) == to ? 0 : -1;
	return dup2(s, to) == to ? 0 : -1;
}

/* a connected stream socket to HOST:PORT, or to the unix socket at HOST when it is a path */
static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int unix_path = host[0] == '/';
	struct sockaddr *sa = unix_path ? (struct sockaddr *)&un : (struct sockaddr *)&in;
	socklen_t len = unix_path ? sizeof(un) : sizeof(in);
	int s;

	if (unix_path ? strlen(host) >= sizeof(un.sun_path) : inet_pton(AF_INET, host, &in.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	if (unix_path)
		strcpy(un.sun_path, host);
	s = socket(sa->sa_family, SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (connect(s, sa, len) < 0) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static int do_redirect(const char *host, const char *port, const char *call, char **argv)
{
	int s = connect_to(host, port);

	if (s < 0)
		return fail("connect");
	for (int to = 0; to < 3; to++)
		if (place(s, to, call) < 0)
			return fail(call);
	close(s);
	execv(argv[0], argv);
	return fail("execv");
}

static int do_socket(const char *kind)
{
	int s;

	if (strcmp(kind, "raw-icmp") == 0)
		s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	else if (strcmp(kind, "raw-tcp") == 0)
		s = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	else if (strcmp(kind, "udp") == 0)
		s = socket(AF_INET, SOCK_DGRAM, 0);
	else
		return 102;
	if (s < 0)
		return fail("socket");
	close(s);
	return 0;
}

/* a netcat's "-e PROG" / "-c CMD" / "--exec PROG" / "--sh-exec CMD" with "HOST PORT" */
static int as_netcat(int argc, char **argv)
{
	const char *prog = NULL, *cmd = NULL, *addr[2] = { NULL, NULL };
	int naddr = 0;

	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "--exec") == 0) && i + 1 < argc)
			prog = argv[++i];
		else if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--sh-exec") == 0) && i + 1 < argc)
			cmd = argv[++i];
		else if (argv[i][0] != '-' && naddr < 2)
			addr[naddr++] = argv[i];
		else
			return 100;
	}
	if (naddr != 2 || (!prog == !cmd))
		return 100;
	char *sh[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *one[] = { (char *)prog, NULL };

	return do_redirect(addr[0], addr[1], "dup2", cmd ? sh : one);
}

static int named_like_netcat(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	return strncmp(base, "nc", 2) == 0 || strncmp(base, "netcat", 6) == 0;
}

int main(int argc, char **argv)
{
	if (argc >= 1 && named_like_netcat(argv[0]))
		return as_netcat(argc, argv);
	if (argc < 3)
		return 100;
	const char *cmd = argv[1];

	if (strcmp(cmd, "spawn") == 0)
		return do_spawn(argv + 2);
	if (strcmp(cmd, "procfd-exec") == 0)
		return do_procfd_exec(argv + 2);
	if (strcmp(cmd, "memfd-exec") == 0)
		return do_memfd_exec(argv + 2);
	if (strcmp(cmd, "redirect") == 0 && argc >= 6)
		return do_redirect(argv[2], argv[3], argv[4], argv + 5);
	if (strcmp(cmd, "socket") == 0 && argc == 3)
		return do_socket(argv[2]);
	fprintf(stderr, "vg_exec: bad usage\n");
	return 100;
}
