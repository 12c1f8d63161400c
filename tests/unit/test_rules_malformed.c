/*
 * test_rules_malformed.c - every file in tests/rules_malformed must fail to
 * load, with the message and position its first lines promise, and leave
 * nothing loaded.
 *
 * Each file starts with one or more lines
 *     # expect: <name>.yaml:<line>:<col>: error: <message, or its start>
 * and each must be found in one of the diagnostics. One test per file.
 */
#include <dirent.h>
#include <regex.h>

#include "test_util.h"

#include "ruleset.h"

#define CORPUS TOP_DIR "/tests/rules_malformed"
#define EXPECT "# expect: "

static void test_file(void **state)
{
	const char *name = *state, *p;
	char *path, *text, line[2048], *all, *want, *end;
	struct ruleset_src rs;
	struct diags d = { 0 };
	size_t i, len = 0, nexpect = 0;
	regex_t shape;
	int rc;

	assert_true(asprintf(&path, "%s/%s", CORPUS, name) > 0);
	text = read_all(path);
	rc = ruleset_load((const char *const *)&path, 1, &rs, &d);

	all = calloc(d.n + 1, sizeof(line));
	assert_non_null(all);
	for (i = 0; i < d.n; i++) {
		diag_format(&d.v[i], line, sizeof(line));
		len += sprintf(all + len, "%s\n", line);
	}

	/* an expectation names this file, a line and a column, and an error */
	assert_int_equal(regcomp(&shape, "^[^:]+\\.yaml:[0-9]+:[0-9]+: error: .+", REG_EXTENDED), 0);
	for (p = text; strncmp(p, EXPECT, strlen(EXPECT)) == 0; p = end + 1) {
		end = strchr(p, '\n');
		assert_non_null(end);
		want = strndup(p + strlen(EXPECT), end - p - strlen(EXPECT));
		if (regexec(&shape, want, 0, NULL, 0) != 0 || strncmp(want, name, strlen(name)) != 0)
			fail_msg("%s: malformed expectation '%s'", name, want);
		if (!strstr(all, want))
			fail_msg("%s: expected\n  %s\ngot\n%s", name, want, all);
		free(want);
		nexpect++;
	}
	regfree(&shape);
	if (nexpect == 0)
		fail_msg("%s has no '%s' line", name, EXPECT);

	assert_int_equal(rc, -1);
	assert_true(d.nerrors > 0);
	assert_int_equal(rs.nrules, 0);
	assert_null(rs.rules);
	assert_int_equal(rs.nfiles, 0);
	assert_null(rs.files);
	assert_int_equal(rs.nrequired_plugins, 0);

	free(all);
	diags_free(&d);
	free(text);
	free(path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	struct CMUnitTest *tests;
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *e;
	DIR *dir = opendir(CORPUS);
	int failed;

	if (!dir) {
		fprintf(stderr, "cannot open %s (run from the repository top)\n", CORPUS);
		return 1;
	}
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(e->d_name);
		}
	}
	closedir(dir);
	if (n < 40) {
		fprintf(stderr, "%s holds %zu files; the corpus needs at least 40\n", CORPUS, n);
		return 1;
	}
	qsort(names, n, sizeof(*names), by_name);
	tests = calloc(n, sizeof(*tests));
	for (i = 0; i < n; i++) {
		tests[i].name = names[i];
		tests[i].test_func = test_file;
		tests[i].initial_state = names[i];
	}
	failed = _cmocka_run_group_tests("rules_malformed", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return failed;
}
