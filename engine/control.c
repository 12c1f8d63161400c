/*
 * control.c - the control socket, server and client.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "control.h"
#include "util.h"

static int make_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return -1;
	strcpy(a->sun_path, path);
	return 0;
}

int control_listen(const char *path)
{
	struct sockaddr_un a;
	char dir[sizeof(a.sun_path)];
	int fd;

	if (make_addr(path, &a) < 0) {
		fprintf(stderr, "vigil: control socket path too long: %s\n", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = 0;
		mkdir(dir, 0700);
		chmod(dir, 0700);
	}
	/* a socket file left by an agent that died: nobody answers it */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		close(fd);
		fprintf(stderr, "vigil: another agent is running (it answers on %s)\n", path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, 8) < 0) {
		fprintf(stderr, "vigil: cannot create the control socket %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void control_close(int fd, const char *path)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(path);
}

void control_serve(int fd, void (*handler)(void *ctx, const char *request, FILE *reply), void *ctx)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char line[512];
	size_t n = 0;
	FILE *out;

	if (c < 0)
		return;
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != 0) {
		dprintf(c, "error: only root may control the agent\n");
		close(c);
		return;
	}
	/* the request must come quickly: the event loop is waiting */
	while (n < sizeof(line) - 1) {
		struct pollfd p = { c, POLLIN, 0 };
		ssize_t r;

		if (poll(&p, 1, 1000) <= 0)
			break;
		r = read(c, line + n, sizeof(line) - 1 - n);
		if (r <= 0)
			break;
		n += r;
		if (memchr(line, '\n', n))
			break;
	}
	line[n] = 0;
	line[strcspn(line, "\r\n")] = 0;
	out = fdopen(c, "w");
	if (!out) {
		close(c);
		return;
	}
	handler(ctx, line, out);
	fclose(out);
}

int control_request(const char *path, const char *request, FILE *out)
{
	struct sockaddr_un a;
	char buf[4096];
	ssize_t r;
	bool first = true, ok = false;
	int fd;

	if (make_addr(path, &a) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "vigil: no agent answers on %s (%s): is 'vigil run' running?\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dprintf(fd, "%s\n", request);
	shutdown(fd, SHUT_WR);
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (first)
			ok = r >= 2 && !memcmp(buf, "ok", 2);
		first = false;
		fwrite(buf, 1, r, out);
	}
	close(fd);
	return ok ? 0 : -1;
}
