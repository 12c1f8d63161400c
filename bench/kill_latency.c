/*
 * kill_latency.c - how long an enforcing agent takes to kill a process
 * after its offending syscall.
 *
 *   kill_latency PATH N [WAIT_S] [self]
 *
 * N times, one after another: fork a child that reads CLOCK_BOOTTIME into a
 * shared page, opens PATH, notes that the call returned to user space, and
 * then waits up to WAIT_S seconds (default 2) to be killed; the parent
 * reads CLOCK_BOOTTIME as soon as waitpid reports the child's end. One line
 * per attempt:
 *
 *   ATTEMPT killed LATENCY_US returned|not-returned
 *   ATTEMPT survived
 *
 * With "self", each child sends itself SIGKILL right after the open: the
 * floor of this measure (the open, the signal, the exit and the parent's
 * wakeup) with no agent involved, to subtract from the agents' figures.
 *
 * "not-returned" means the kill came before the call returned to user space
 * (a kernel kill at syscall entry); "returned" means the child ran on after
 * the call and a signal came later (userspace decided). Exits 1 if any
 * attempt survived, so a rule that never fires is not mistaken for a fast
 * one.
 *
 * The benchmark runs a copy of this program under a name no other program
 * has (vgbench-victim), and its rules name it: forked children keep that
 * name, so only they can match.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	volatile unsigned long long before_ns;  /* just before the offending call */
	volatile int returned;                  /* the call came back to user space */
};

static unsigned long long boot_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

static void victim(struct shared *sh, const char *path, unsigned wait_s, int self)
{
	sh->before_ns = boot_ns();
	int fd = openat(AT_FDCWD, path, O_RDONLY);

	sh->returned = 1;
	if (self)
		kill(getpid(), SIGKILL);
	if (fd >= 0)
		close(fd);
	alarm(wait_s);  /* nobody killed us: SIGALRM ends the wait */
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	unsigned wait_s = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 2;
	int self = argc > 4 && strcmp(argv[4], "self") == 0;
	int survivors = 0;

	if (argc < 3 || argc > 5 || n <= 0 || wait_s == 0 || (argc > 4 && !self)) {
		fprintf(stderr, "usage: kill_latency PATH N [WAIT_S] [self]\n");
		return 2;
	}
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED) {
		fprintf(stderr, "kill_latency: mmap: %s\n", strerror(errno));
		return 2;
	}
	for (long i = 1; i <= n; i++) {
		int status;

		sh->before_ns = 0;
		sh->returned = 0;
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "kill_latency: fork: %s\n", strerror(errno));
			return 2;
		}
		if (pid == 0)
			victim(sh, argv[1], wait_s, self);
		if (waitpid(pid, &status, 0) < 0) {
			fprintf(stderr, "kill_latency: waitpid: %s\n", strerror(errno));
			return 2;
		}
		unsigned long long after = boot_ns();

		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && sh->before_ns) {
			printf("%ld killed %.1f %s\n", i, (after - sh->before_ns) / 1e3,
			       sh->returned ? "returned" : "not-returned");
		} else {
			printf("%ld survived\n", i);
			survivors++;
		}
		fflush(stdout);
	}
	munmap(sh, sizeof(*sh));
	return survivors ? 1 : 0;
}
