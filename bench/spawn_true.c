/*
 * spawn_true.c - process churn: N times fork, exec a program, wait for it.
 *
 *   spawn_true N [PROGRAM]      PROGRAM defaults to /bin/true
 *
 * Each iteration is one fork, one execve and one exit, in sequence, so
 * an agent sees exactly N of each. Prints "N EXECS_PER_S US_PER_EXEC" on
 * stdout; exits 1 if any child failed, so a broken workload is not mistaken
 * for a fast one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *prog = argc > 2 ? argv[2] : "/bin/true";
	char *child_argv[] = { (char *)prog, NULL };
	char *child_env[] = { NULL };
	struct timespec t0, t1;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;

	if (argc < 2 || argc > 3 || n <= 0) {
		fprintf(stderr, "usage: spawn_true N [PROGRAM]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "spawn_true: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0) {
			execve(prog, child_argv, child_env);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "spawn_true: %s failed in iteration %ld\n", prog, i);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("%ld %.0f %.2f\n", n, n / s, s * 1e6 / n);
	return 0;
}
