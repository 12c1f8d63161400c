/*
 * timed_run.c - run one command and print its wall, user and system time.
 *
 *   timed_run CMD [ARGS...]
 *
 * Prints "WALL_S USER_S SYS_S" (seconds, microsecond resolution) on stdout
 * and exits with the command's status. The command's own stdout and stderr
 * go to /dev/null: benchmark workloads such as dd chatter, and their output
 * must not mix with the numbers. Shell `time` formats differ between shells
 * and round to milliseconds; this gives the benchmark scripts one format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv_s(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: timed_run CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "timed_run: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		/* keep a way to report a failed exec once stderr is /dev/null */
		int err = fcntl(2, F_DUPFD_CLOEXEC, 3);
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[1], argv + 1);
		dprintf(err, "timed_run: cannot run %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		fprintf(stderr, "timed_run: wait4: %s\n", strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.6f %.6f %.6f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       tv_s(ru.ru_utime), tv_s(ru.ru_stime));
	if (!WIFEXITED(status)) {
		fprintf(stderr, "timed_run: %s was killed by signal %d\n", argv[1], WTERMSIG(status));
		return 2;
	}
	return WEXITSTATUS(status);
}
