/*
 * test_path_resolve.c - lexical path resolution: joining a syscall's path to
 * its base directory, folding "." and "..", and refusing (0) when the base
 * is needed but unknown or when the result does not fit the buffer.
 */
#include "test_util.h"

#include "path_resolve.h"

struct resolve_case {
	const char *base;     /* NULL: no base known */
	const char *path;
	const char *want;     /* NULL: path_resolve must return 0 */
};

static const struct resolve_case cases[] = {
	/* absolute paths ignore the base, even an unknown one */
	{ "/home/u", "/etc/passwd", "/etc/passwd" },
	{ NULL, "/etc/passwd", "/etc/passwd" },
	{ "", "/etc/passwd", "/etc/passwd" },
	{ NULL, "/", "/" },
	/* relative paths join the base */
	{ "/home/u", "a/b", "/home/u/a/b" },
	{ "/", "etc/hosts", "/etc/hosts" },
	{ "/home/u", "file", "/home/u/file" },
	/* "." */
	{ "/home/u", ".", "/home/u" },
	{ "/home/u", "./a/./b/.", "/home/u/a/b" },
	{ "/", ".", "/" },
	/* ".." */
	{ "/home/u", "..", "/home" },
	{ "/home/u", "../x", "/home/x" },
	{ "/home/u", "a/../../b", "/home/b" },
	{ "/srv/app", "data/../../../etc/shadow", "/etc/shadow" },
	/* ".." never climbs above the root */
	{ "/home/u", "../../../../x", "/x" },
	{ "/", "..", "/" },
	{ NULL, "/..", "/" },
	{ NULL, "/../../etc/passwd", "/etc/passwd" },
	/* the base itself is normalised too */
	{ "/a/b/../c/./", "d", "/a/c/d" },
	{ "//a//b", "c", "/a/b/c" },
	/* repeated and trailing slashes */
	{ "/home/u", "a//b///c", "/home/u/a/b/c" },
	{ NULL, "///etc///passwd", "/etc/passwd" },
	{ "/home/u", "a/b/", "/home/u/a/b" },
	{ NULL, "/etc/", "/etc" },
	{ "/home/u/", "x", "/home/u/x" },
	/* names that only look like dots are names */
	{ "/d", "...", "/d/..." },
	{ "/d", ".hidden/..x", "/d/.hidden/..x" },
	/* an empty relative path is the base */
	{ "/home/u", "", "/home/u" },
	/* a relative path needs a known, absolute base */
	{ NULL, "a/b", NULL },
	{ "", "a/b", NULL },
	{ "relative/base", "a", NULL },
	{ NULL, ".", NULL },
	{ NULL, "..", NULL },
};

static void resolves_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct resolve_case *c = &cases[i];
		char out[256];
		size_t n;

		memset(out, 'X', sizeof(out));
		n = path_resolve(c->base, c->path, out, sizeof(out));
		if (!c->want) {
			if (n != 0)
				fail_msg("base \"%s\" path \"%s\": want 0, got %zu (\"%s\")",
					 c->base ? c->base : "(null)", c->path, n, out);
			continue;
		}
		if (n != strlen(c->want) || strcmp(out, c->want) != 0)
			fail_msg("base \"%s\" path \"%s\": want \"%s\", got %zu \"%.*s\"",
				 c->base ? c->base : "(null)", c->path, c->want, n, (int)n, out);
	}
}

/* the result and its NUL must fit: one byte less than needed gives 0 */
static void result_must_fit(void **state)
{
	char out[64];

	(void)state;
	/* "/home/u/abc" is 11 characters, 12 bytes with the NUL */
	assert_int_equal(path_resolve("/home/u", "abc", out, 12), 11);
	assert_string_equal(out, "/home/u/abc");
	assert_int_equal(path_resolve("/home/u", "abc", out, 11), 0);
	assert_int_equal(path_resolve("/home/u", "abc", out, 8), 0);
	assert_int_equal(path_resolve(NULL, "/abc", out, 5), 4);
	assert_string_equal(out, "/abc");
	assert_int_equal(path_resolve(NULL, "/abc", out, 4), 0);
	/* the root needs two bytes; fewer is never enough */
	assert_int_equal(path_resolve(NULL, "/", out, 2), 1);
	assert_string_equal(out, "/");
	assert_int_equal(path_resolve(NULL, "/", out, 1), 0);
	assert_int_equal(path_resolve(NULL, "/", out, 0), 0);
}

/* a long path: cut off at any size below what it needs, whole at that size */
static void long_paths(void **state)
{
	char big[5000];
	char out[8192];
	size_t want;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (size_t i = 100; i < sizeof(big) - 1; i += 100)
		big[i] = '/';
	want = strlen("/base/") + strlen(big);
	for (size_t n = 0; n <= want; n += 97) {
		memset(out, 'Z', sizeof(out));
		assert_int_equal(path_resolve("/base", big, out, n), 0);
		/* nothing written at or past n */
		for (size_t i = n; i < sizeof(out); i++)
			assert_int_equal(out[i], 'Z');
	}
	assert_int_equal(path_resolve("/base", big, out, want), 0);
	assert_int_equal(path_resolve("/base", big, out, want + 1), want);
	assert_memory_equal(out, "/base/", 6);
	assert_string_equal(out + 6, big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolves_table),
		cmocka_unit_test(result_must_fit),
		cmocka_unit_test(long_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
