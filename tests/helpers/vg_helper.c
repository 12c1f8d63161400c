/*
 * vg_helper.c - a small static program the kernel tests run to perform one
 * known action, so the events it causes can be asserted exactly. Tests copy
 * it to a unique name, so its exec, its args and everything it does are
 * easy to pick out of the stream.
 *
 *   vg_helper exit CODE                 exit with CODE
 *   vg_helper sleep SECONDS             sleep (to be killed)
 *   vg_helper openat DIR REL            open DIR, then openat(dirfd, REL); print the fd
 *   vg_helper openat-dup DIR REL        the same through a copy of the dirfd made with
 *                                       fcntl(F_DUPFD_CLOEXEC), as fts (grep -r, find) does
 *   vg_helper open PATH [MARKER [SECS]] open PATH read-only, then create MARKER (if given),
 *                                       then sleep SECS (so a kill from userspace lands while it lives)
 *   vg_helper connect HOST PORT [dup2]  TCP connect; print the local port; with dup2,
 *                                       dup2 the socket onto fd 0; wait for the peer to close
 *   vg_helper creat PATH                create PATH
 *   vg_helper exec PATH ARGS...         execve PATH with ARGS (argv[0] = PATH)
 *   vg_helper memfd-exec                copy itself into a memfd and run it from there ("exit 0")
 *   vg_helper traceme                   ptrace(PTRACE_TRACEME)
 *   vg_helper ptrace-attach             fork a child, PTRACE_ATTACH to it, detach, reap it
 *   vg_helper symlink TARGET LINK       symlink(TARGET, LINK)
 *   vg_helper link OLD NEW              link(OLD, NEW)
 *   vg_helper truncate PATH             open PATH with O_WRONLY|O_CREAT|O_TRUNC
 *
 * Output is one line on stdout; errors go to stderr with exit status 100+.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "vg_helper: %s: %s\n", what, strerror(errno));
	return 101;
}

static int do_connect(const char *host, const char *port, int dup_to_stdin)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	struct sockaddr_in local;
	socklen_t len = sizeof(local);
	char buf[16];
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return fail("socket");
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 102;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail("connect");
	if (getsockname(s, (struct sockaddr *)&local, &len) < 0)
		return fail("getsockname");
	printf("%u\n", ntohs(local.sin_port));
	fflush(stdout);
	if (dup_to_stdin && dup2(s, 0) < 0)
		return fail("dup2");
	/* wait for the peer to close, so the test controls the order of events */
	while (read(s, buf, sizeof(buf)) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 100;
	const char *cmd = argv[1];

	if (strcmp(cmd, "exit") == 0 && argc == 3)
		return atoi(argv[2]);
	if (strcmp(cmd, "sleep") == 0 && argc == 3) {
		sleep(atoi(argv[2]));
		return 0;
	}
	if (strcmp(cmd, "openat") == 0 && argc == 4) {
		int dfd = open(argv[2], O_RDONLY | O_DIRECTORY);
		int fd;

		if (dfd < 0)
			return fail("open dir");
		fd = openat(dfd, argv[3], O_RDONLY);
		if (fd < 0)
			return fail("openat");
		printf("%d\n", fd);
		return 0;
	}
	if (strcmp(cmd, "openat-dup") == 0 && argc == 4) {
		int dfd = open(argv[2], O_RDONLY | O_DIRECTORY);
		int copy, fd;

		if (dfd < 0 || (copy = fcntl(dfd, F_DUPFD_CLOEXEC, 60)) < 0)
			return fail("open dir");
		close(dfd);
		fd = openat(copy, argv[3], O_RDONLY);
		if (fd < 0)
			return fail("openat");
		printf("%d\n", fd);
		return 0;
	}
	if (strcmp(cmd, "open") == 0 && argc >= 3 && argc <= 5) {
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0)
			return fail("open");
		if (argc == 5)
			sleep(atoi(argv[4]));
		if (argc >= 4) {
			int m = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (m < 0)
				return fail("marker");
			close(m);
		}
		printf("%d\n", fd);
		return 0;
	}
	if (strcmp(cmd, "creat") == 0 && argc == 3) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			return fail("creat");
		close(fd);
		return 0;
	}
	if (strcmp(cmd, "connect") == 0 && (argc == 4 || argc == 5))
		return do_connect(argv[2], argv[3], argc == 5 && strcmp(argv[4], "dup2") == 0);
	if (strcmp(cmd, "memfd-exec") == 0 && argc == 2) {
		int self = open("/proc/self/exe", O_RDONLY), mfd = memfd_create("vgt", MFD_CLOEXEC);
		char buf[65536];
		ssize_t n;
		char *const args[] = { "vgt-memfd", "exit", "0", NULL };
		char *const env[] = { NULL };

		if (self < 0 || mfd < 0)
			return fail("memfd");
		while ((n = read(self, buf, sizeof(buf))) > 0)
			if (write(mfd, buf, n) != n)
				return fail("write");
		fexecve(mfd, args, env);
		return fail("fexecve");
	}
	if (strcmp(cmd, "traceme") == 0 && argc == 2)
		return ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 ? fail("ptrace") : 0;
	if (strcmp(cmd, "ptrace-attach") == 0 && argc == 2) {
		pid_t child = fork();
		int st;

		if (child == 0) {
			pause();
			_exit(0);
		}
		if (ptrace(PTRACE_ATTACH, child, NULL, NULL) < 0)
			return fail("ptrace attach");
		waitpid(child, &st, 0);
		ptrace(PTRACE_DETACH, child, NULL, NULL);
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		return 0;
	}
	if (strcmp(cmd, "symlink") == 0 && argc == 4)
		return symlink(argv[2], argv[3]) < 0 ? fail("symlink") : 0;
	if (strcmp(cmd, "link") == 0 && argc == 4)
		return link(argv[2], argv[3]) < 0 ? fail("link") : 0;
	if (strcmp(cmd, "truncate") == 0 && argc == 3) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);

		return fd < 0 ? fail("truncate") : 0;
	}
	if (strcmp(cmd, "exec") == 0 && argc >= 3) {
		execv(argv[2], argv + 2);
		return fail("execv");
	}
	fprintf(stderr, "vg_helper: bad usage\n");
	return 100;
}
