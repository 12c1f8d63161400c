/*
 * empty_attach.c - keeps bench/empty.bpf.c attached for as long as it runs.
 *
 *   empty_attach      load and attach the empty programs, say "attached" on
 *                     stderr, wait for SIGINT or SIGTERM, detach and exit 0
 *
 * The benchmark scripts start it in the background and wait for that line,
 * exactly as they wait for the agent's "running on" line, so both
 * configurations are set up and torn down the same way.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int main(void)
{
	struct empty_bpf *skel;
	sigset_t block, old;
	int err;

	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	skel = empty_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "empty_attach: cannot load the empty programs (%s)\n", strerror(errno));
		return 1;
	}
	err = empty_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "empty_attach: cannot attach the empty programs (%s)\n", strerror(-err));
		empty_bpf__destroy(skel);
		return 1;
	}
	fprintf(stderr, "empty_attach: attached\n");

	/* block the signals, then wait atomically so none is lost between check and wait */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!stop_requested)
		sigsuspend(&old);
	empty_bpf__destroy(skel);
	return 0;
}
