/*
 * test_util.h - small helpers shared by the cmocka unit tests.
 */
#ifndef VIGIL_TEST_UTIL_H
#define VIGIL_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* path of the repository's top directory (tests run from there) */
#define TOP_DIR "."

/* write `text` to a new temporary file and return its malloc'd path */
static inline char *test_write_temp(const char *suffix, const char *text)
{
	char tmpl[] = "/tmp/vigil-test-XXXXXX";
	int fd = mkstemp(tmpl);
	char *path;
	FILE *f;

	assert_true(fd >= 0);
	path = malloc(strlen(tmpl) + strlen(suffix) + 1);
	assert_non_null(path);
	strcpy(path, tmpl);
	strcat(path, suffix);
	assert_int_equal(rename(tmpl, path), 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* a whole file's contents, NUL-terminated (malloc'd) */
static inline char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#endif /* VIGIL_TEST_UTIL_H */
