/*
 * test_timefmt.c - RFC 3339 timestamps: the per-thread cache of the last
 * second must give exactly what gmtime + snprintf give, across second,
 * day and year boundaries, going backwards in time, for short buffers and
 * for years that do not fit four digits.
 */
#include "test_util.h"

#include <stdio.h>
#include <time.h>

#include "timefmt.h"

static void reference(uint64_t ns, char *buf, size_t n)
{
	time_t sec = ns / 1000000000ull;
	struct tm tm;

	char whole[96];

	gmtime_r(&sec, &tm);
	snprintf(whole, sizeof(whole), "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ns % 1000000000ull));
	if (n > 0) {	/* truncated to n bytes as snprintf would */
		size_t len = strlen(whole) < n - 1 ? strlen(whole) : n - 1;

		memcpy(buf, whole, len);
		buf[len] = '\0';
	}
}

static void check(uint64_t ns, size_t n)
{
	char want[64], got[64];

	memset(got, 'x', sizeof(got));
	reference(ns, want, n);
	time_rfc3339(ns, got, n);
	assert_string_equal(got, want);
}

static void known_values(void **state)
{
	char buf[32];

	(void)state;
	time_rfc3339(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00.000000000Z");
	time_rfc3339(1795945394123456789ull, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-29T09:43:14.123456789Z");
	time_rfc3339(1795945394000000007ull, buf, sizeof(buf));  /* same second, cached */
	assert_string_equal(buf, "2026-11-29T09:43:14.000000007Z");
	time_rfc3339(1795945395999999999ull, buf, sizeof(buf));  /* the next one */
	assert_string_equal(buf, "2026-11-29T09:43:15.999999999Z");
}

static void matches_reference_across_boundaries(void **state)
{
	/* the last second of 2026 and the first of 2027, then back again */
	uint64_t around[] = { 1798761599ull, 1798761600ull, 1798761599ull, 951782399ull /* 2000-02-28 */,
			      951868799ull /* 2000-02-29 */, 4102444799ull /* 2099-12-31 */ };

	(void)state;
	for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++)
		for (uint64_t frac = 0; frac < 1000000000ull; frac += 99999989ull)
			check(around[i] * 1000000000ull + frac, 32);
}

static void short_buffers_truncate_like_snprintf(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 32; n++)
		check(1795945394123456789ull, n);
}

static void five_digit_years(void **state)
{
	(void)state;
	check(253402300800ull * 1000000000ull + 5, 40);  /* 10000-01-01 */
	check(253402300800ull * 1000000000ull + 6, 40);  /* and again, from the cache's view */
	check(1795945394123456789ull, 32);               /* and back to an ordinary date */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_values),
		cmocka_unit_test(matches_reference_across_boundaries),
		cmocka_unit_test(short_buffers_truncate_like_snprintf),
		cmocka_unit_test(five_digit_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
