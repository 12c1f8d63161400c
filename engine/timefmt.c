/*
 * timefmt.c - timestamp formatting.
 *
 * Every event and alert carries an RFC 3339 time with nanoseconds. Events
 * come in bursts within the same second, so each thread keeps the date and
 * time of the last second it formatted and writes only the nanoseconds by
 * hand: gmtime_r plus snprintf per event cost more than the rest of a JSON
 * event line together.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "timefmt.h"

#define SECOND_LEN 19		/* "YYYY-MM-DDTHH:MM:SS" */
#define RFC3339_LEN 30		/* + ".NNNNNNNNNZ" */

static _Thread_local struct {
	time_t sec;
	int valid;
	char text[48];		/* room for any year, to notice one that does not fit */
} last_second;

/* the whole text, cut to fit n bytes as snprintf would */
static void slow_copy(char *buf, size_t n, const char *second, unsigned frac)
{
	char whole[64];
	size_t len;

	snprintf(whole, sizeof(whole), "%s.%09uZ", second, frac);
	if (n == 0)
		return;
	len = strlen(whole) < n - 1 ? strlen(whole) : n - 1;
	memcpy(buf, whole, len);
	buf[len] = '\0';
}

void time_rfc3339(uint64_t ns, char *buf, size_t n)
{
	time_t sec = ns / 1000000000ull;
	unsigned frac = ns % 1000000000ull;

	if (!last_second.valid || last_second.sec != sec) {
		struct tm tm;

		gmtime_r(&sec, &tm);
		snprintf(last_second.text, sizeof(last_second.text), "%04d-%02d-%02dT%02d:%02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		/* a year past 9999 does not fit the cached width: format it whole */
		last_second.valid = strlen(last_second.text) == SECOND_LEN;
		last_second.sec = sec;
		if (!last_second.valid) {
			slow_copy(buf, n, last_second.text, frac);
			return;
		}
	}
	if (n <= RFC3339_LEN) {
		slow_copy(buf, n, last_second.text, frac);
		return;
	}
	memcpy(buf, last_second.text, SECOND_LEN);
	buf[SECOND_LEN] = '.';
	for (int i = SECOND_LEN + 9; i > SECOND_LEN; i--) {
		buf[i] = '0' + frac % 10;
		frac /= 10;
	}
	buf[RFC3339_LEN - 1] = 'Z';
	buf[RFC3339_LEN] = '\0';
}

uint64_t time_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
