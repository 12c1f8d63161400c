/*
 * first_alert.c - start an agent, time it to "ready" and to its first
 * alert, and read its memory then and after a load.
 *
 *   first_alert TIMEOUT_S LOAD_CMD AGENT [ARGS...]
 *
 * Starts AGENT with its stdout and stderr on pipes and the clock running.
 * "ready" is the first stderr line containing "running on" (programs
 * attached, /proc scanned); the first alert is the first byte on stdout.
 * At the first alert it reads its memory from /proc/PID/status, then
 * runs LOAD_CMD with /bin/sh (skipped if empty) while it keeps draining the
 * agent's pipes, reads the memory again, stops the agent with SIGINT and
 * waits for it. Prints one line:
 *
 *   READY_MS ALERT_MS RSS_KB HWM_KB ANON_KB LOADED_RSS_KB LOADED_HWM_KB LOADED_ANON_KB
 *
 * with "none" for a time that did not come within TIMEOUT_S (memory is then
 * read at the timeout), and zeros for the loaded memory without LOAD_CMD.
 * ANON is RssAnon, the agent's own memory: VmRSS also counts the BPF ring
 * buffer, which the kernel allocates whole and the agent maps (twice, so
 * records can wrap), and the shared libraries' pages. The agent's stderr is
 * copied to our stderr so the caller keeps its exit report. Exits 1 if the
 * agent died on its own.
 *
 * A shell loop polling files cannot time this closer than its own sleeps
 * and forks; reading the pipes directly puts the error below a millisecond.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct agent {
	pid_t pid;
	int out, err;          /* read ends of its stdout and stderr; -1 at EOF */
	char line[4096];       /* the stderr line being assembled */
	size_t linelen;
	double t0, ready, alert;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct mem {
	long rss, hwm, anon;   /* KiB; 0 when unreadable */
};

static void read_mem(pid_t pid, struct mem *m)
{
	char path[64], buf[256];
	FILE *f;

	*m = (struct mem){ 0 };
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f)) {
		sscanf(buf, "VmRSS: %ld", &m->rss);
		sscanf(buf, "VmHWM: %ld", &m->hwm);
		sscanf(buf, "RssAnon: %ld", &m->anon);
	}
	fclose(f);
}

/* stderr bytes: copy them through and look for the ready line */
static void on_stderr(struct agent *a, const char *buf, size_t n)
{
	fwrite(buf, 1, n, stderr);
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (a->linelen < sizeof(a->line) - 1)
				a->line[a->linelen++] = buf[i];
			continue;
		}
		a->line[a->linelen] = 0;
		if (a->ready < 0 && strstr(a->line, "running on"))
			a->ready = now_ms() - a->t0;
		a->linelen = 0;
	}
}

/* wait up to timeout_ms for output and consume it; false once both pipes are closed */
static bool drain(struct agent *a, int timeout_ms)
{
	struct pollfd p[2] = { { a->out, POLLIN, 0 }, { a->err, POLLIN, 0 } };
	char buf[65536];

	if (a->out < 0 && a->err < 0)
		return false;
	if (poll(p, 2, timeout_ms) < 0)
		return errno == EINTR;
	for (int i = 0; i < 2; i++) {
		if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = read(p[i].fd, buf, sizeof(buf));

		if (n <= 0) {
			close(p[i].fd);
			*(i ? &a->err : &a->out) = -1;
		} else if (i == 0) {
			if (a->alert < 0)
				a->alert = now_ms() - a->t0;
		} else {
			on_stderr(a, buf, n);
		}
	}
	return true;
}

static int start(struct agent *a, char **argv)
{
	int out[2], err[2];

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		perror("first_alert: pipe");
		return -1;
	}
	a->t0 = now_ms();
	a->ready = a->alert = -1;
	a->pid = fork();
	if (a->pid < 0) {
		perror("first_alert: fork");
		return -1;
	}
	if (a->pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], argv);
		fprintf(stderr, "first_alert: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	a->out = out[0];
	a->err = err[0];
	return 0;
}

/* run the load command while the agent's pipes keep flowing */
static void run_load(struct agent *a, const char *cmd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		perror("first_alert: fork");
		return;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, WNOHANG) == 0)
		drain(a, 20);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "first_alert: the load command failed: %s\n", cmd);
}

static void print_ms(double ms)
{
	if (ms < 0)
		printf("none ");
	else
		printf("%.1f ", ms);
}

int main(int argc, char **argv)
{
	struct agent a = { 0 };
	double timeout_ms;
	struct mem first, loaded = { 0 };
	int status;

	if (argc < 4 || (timeout_ms = atof(argv[1]) * 1e3) <= 0) {
		fprintf(stderr, "usage: first_alert TIMEOUT_S LOAD_CMD AGENT [ARGS...]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (start(&a, argv + 3) < 0)
		return 2;
	while (a.alert < 0 && now_ms() - a.t0 < timeout_ms)
		if (!drain(&a, 5))
			break;
	if (waitpid(a.pid, &status, WNOHANG) == a.pid) {
		fprintf(stderr, "first_alert: %s exited before the measurement ended\n", argv[3]);
		return 1;
	}
	read_mem(a.pid, &first);
	if (argv[2][0]) {
		run_load(&a, argv[2]);
		for (int i = 0; i < 25; i++)  /* let the agent catch up on what the load sent */
			drain(&a, 20);
		read_mem(a.pid, &loaded);
	}
	kill(a.pid, SIGINT);
	double stop = now_ms();
	bool exited = false;

	while (!exited && now_ms() - stop < 10e3) {
		exited = waitpid(a.pid, &status, WNOHANG) == a.pid;
		if (!exited && !drain(&a, 20))
			usleep(20000);
	}
	for (int i = 0; i < 50 && drain(&a, 20); i++)  /* the exit report, until EOF */
		;
	if (!exited) {
		fprintf(stderr, "first_alert: the agent ignored SIGINT for 10 s; killing it\n");
		kill(a.pid, SIGKILL);
		waitpid(a.pid, &status, 0);
	}
	print_ms(a.ready);
	print_ms(a.alert);
	printf("%ld %ld %ld %ld %ld %ld\n", first.rss, first.hwm, first.anon, loaded.rss, loaded.hwm, loaded.anon);
	return 0;
}
