/*
 * open_storm.c - a storm of openat calls, at a fixed rate or flat out.
 *
 *   open_storm PATH SECONDS RATE     RATE opens per second; 0 = as fast as possible
 *
 * Opens PATH read-only and closes it, again and again, for SECONDS. With a
 * rate the loop checks the clock every BATCH calls and sleeps until the next
 * batch is due, so the rate holds on average without busy waiting.
 * Prints "OPENS SECONDS OPENS_PER_S" on stdout; exits 1 if an open fails,
 * so a storm of failed calls is not mistaken for a storm of opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64  /* opens between clock checks */

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void sleep_until(const struct timespec *t0, double at)
{
	long long ns = t0->tv_nsec + (long long)(at * 1e9);
	struct timespec wake = { t0->tv_sec + ns / 1000000000, ns % 1000000000 };

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
}

int main(int argc, char **argv)
{
	struct timespec t0;
	double seconds, rate, elapsed;
	unsigned long long opens = 0;

	if (argc != 4 || (seconds = atof(argv[2])) <= 0 || (rate = atof(argv[3])) < 0) {
		fprintf(stderr, "usage: open_storm PATH SECONDS RATE\n");
		return 2;
	}
	const char *path = argv[1];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((elapsed = since(&t0)) < seconds) {
		if (rate > 0 && opens > elapsed * rate)
			sleep_until(&t0, opens / rate);
		for (int i = 0; i < BATCH; i++) {
			int fd = openat(AT_FDCWD, path, O_RDONLY);

			if (fd < 0) {
				fprintf(stderr, "open_storm: %s: %s\n", path, strerror(errno));
				return 1;
			}
			close(fd);
		}
		opens += BATCH;
	}
	printf("%llu %.3f %.0f\n", opens, elapsed, opens / elapsed);
	return 0;
}
