/*
 * test_rule_compile_errors.c - rules that read well but cannot be compiled:
 * unknown fields, operators that do not fit a field's type, values that are
 * not numbers, booleans or addresses, bad regexes and byte strings, unknown
 * event types, val() of another type. Each must be refused with the message
 * and the file:line:col its corpus file promises, and leave nothing loaded.
 * Then skip-if-unknown-filter (per rule, or for all rules through
 * rule_selection.skip_unknown), which turns an unknown field into a warning
 * and the rule into a skipped one, and errors in outputs.
 *
 * The corpus, tests/rules_malformed_compile/, follows tests/rules_malformed:
 * each file starts with one or more lines
 *     # expect: <name>.yaml:<line>:<col>: error: <message, or its start>
 * that must each be found among the diagnostics. Some mistakes there (a list
 * after '=', a value after 'exists') are caught by the parser already; the
 * test does not care which stage refuses a file, only how.
 */
#include <dirent.h>
#include <regex.h>

#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#define CORPUS TOP_DIR "/tests/rules_malformed_compile"
#define EXPECT "# expect: "
#define MIN_CORPUS 15

/* load, then build: one of the two must fail, and nothing may be left */
static void test_corpus_file(void **state)
{
	const char *name = *state, *p;
	char *path, *text, *all, *want, *end;
	struct rule_selection sel = selection_all();
	struct ruleset_src rs;
	struct rule_engine *e = NULL;
	struct diags d = { 0 };
	size_t nexpect = 0;
	regex_t shape;
	int rc;

	assert_true(asprintf(&path, "%s/%s", CORPUS, name) > 0);
	text = read_all(path);
	rc = ruleset_load((const char *const *)&path, 1, &rs, &d);
	if (rc == 0) {
		e = rule_engine_build(&rs, &sel, &d);
		/* the engine took the rules over, whatever happened */
		assert_int_equal(rs.nrules, 0);
		assert_null(rs.rules);
		assert_null(rs.files);
	}
	all = diags_text(&d);

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
	/* one error per expectation: nothing else went wrong on the way */
	assert_int_equal(d.nerrors, nexpect);
	assert_null(e);
	if (rc != 0) {
		assert_int_equal(rs.nrules, 0);
		assert_null(rs.rules);
		assert_int_equal(rs.nfiles, 0);
	}
	free(all);
	diags_free(&d);
	free(text);
	free(path);
}

/* --- skip-if-unknown-filter --------------------------------------------------------------- */

#define RULE(name, cond, extra) \
	"- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: WARNING\n" extra

/* the rules text builds with no errors; its diagnostics are returned in d */
static struct rule_engine *build_ok(const char *yaml, const struct rule_selection *sel, struct diags *d)
{
	struct rule_engine *e = engine_build_text(yaml, sel, d);

	if (!e || d->nerrors) {
		char *all = diags_text(d);

		fail_msg("did not build:\n%s", all);
	}
	return e;
}

static void expect_diag(const struct diags *d, const char *want)
{
	char *all = diags_text(d);

	if (!strstr(all, want))
		fail_msg("expected\n  %s\ngot\n%s", want, all);
	free(all);
}

static void test_skip_if_unknown_filter(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e;
	struct rule *skipped, *kept;

	(void)state;
	e = build_ok(RULE("uses a plugin field", "evt.type = execve and k8s.deployment.name = web",
			  "  skip-if-unknown-filter: true\n")
		     RULE("kept", "evt.type = execve", ""), &sel, &d);
	assert_int_equal(d.n, 1);
	expect_diag(&d, "t.yaml:1:3: warning: rule 'uses a plugin field': skipped: unknown field "
			"'k8s.deployment.name' (skip-if-unknown-filter)");
	skipped = rule_engine_find(e, "uses a plugin field");
	kept = rule_engine_find(e, "kept");
	assert_true(skipped->skipped);
	assert_false(skipped->enabled);
	assert_null(skipped->cond);
	assert_false(kept->skipped);
	assert_true(kept->enabled);
	assert_int_equal(e->nenabled, 1);
	/* the skipped rule is indexed nowhere */
	assert_int_equal(e->nby_type[evttype_id("execve")], 1);
	assert_ptr_equal(e->by_type[evttype_id("execve")][0], kept);
	rule_engine_free(e);
	diags_free(&d);
}

/* the same for every rule with --skip-unknown; an unknown field in val() and in outputs too */
static void test_skip_unknown_everywhere(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e;
	const char *yaml =
		RULE("in the condition", "evt.type = execve and proc.nme = bash", "")
		RULE("in val", "evt.type = execve and proc.name = val(proc.pnme)", "")
		"- rule: in the output\n  desc: d\n  condition: evt.type = execve\n"
		"  output: shell (image=%container.image.digest)\n  priority: WARNING\n"
		RULE("kept", "evt.type = execve", "");

	(void)state;
	/* without it, each is an error */
	assert_null(engine_build_text(yaml, &sel, &d));
	assert_int_equal(d.nerrors, 3);
	expect_diag(&d, "t.yaml:3:36: error: rule 'in the condition': unknown field 'proc.nme'");
	expect_diag(&d, "t.yaml:8:52: error: rule 'in val': unknown field 'proc.pnme'");
	expect_diag(&d, "error: rule 'in the output': output: unknown field 'container.image.digest'");
	diags_free(&d);

	sel.skip_unknown = true;
	e = build_ok(yaml, &sel, &d);
	assert_int_equal(d.n, 3);
	expect_diag(&d, "t.yaml:1:3: warning: rule 'in the condition': skipped: unknown field 'proc.nme'");
	expect_diag(&d, "t.yaml:6:3: warning: rule 'in val': skipped: unknown field 'proc.pnme'");
	expect_diag(&d, "t.yaml:11:3: warning: rule 'in the output': skipped: unknown field 'container.image.digest'");
	assert_true(rule_engine_find(e, "in the condition")->skipped);
	assert_true(rule_engine_find(e, "in val")->skipped);
	assert_true(rule_engine_find(e, "in the output")->skipped);
	assert_true(rule_engine_find(e, "kept")->enabled);
	assert_int_equal(e->nenabled, 1);
	rule_engine_free(e);
	diags_free(&d);
}

/* skipping covers unknown fields only: other mistakes stay errors */
static void test_skip_unknown_keeps_other_errors(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };

	(void)state;
	sel.skip_unknown = true;
	assert_null(engine_build_text(RULE("r", "evt.type = execve and proc.pid = abc",
					   "  skip-if-unknown-filter: true\n"), &sel, &d));
	assert_int_equal(d.nerrors, 1);
	expect_diag(&d, "t.yaml:3:47: error: rule 'r': proc.pid is a number: 'abc' is not a number");
	diags_free(&d);
	assert_null(engine_build_text(RULE("r", "evt.type = execve and proc.aname[x] = bash", ""), &sel, &d));
	expect_diag(&d, "t.yaml:3:36: error: rule 'r': field 'proc.aname' wants a number from 0 to 64 in brackets, "
			"not 'x'");
	diags_free(&d);
	assert_null(engine_build_text(RULE("r", "evt.type = execve and proc.name = val(proc.pid)", ""), &sel, &d));
	expect_diag(&d, "t.yaml:3:52: error: rule 'r': cannot compare proc.name (a string) with proc.pid (a number)");
	diags_free(&d);
}

/* --- outputs ---------------------------------------------------------------------------------- */

/* An unknown field in an output names the file, the output's line, the rule and the field. */
static void test_output_error_names_the_rule(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	const char *yaml = "- rule: r\n  desc: d\n  condition: evt.type = execve\n  priority: WARNING\n"
			   "  output: shell by %user.name (parent %proc.pnam)\n";

	(void)state;
	assert_null(engine_build_text(yaml, &sel, &d));
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.v[0].pos.file, "t.yaml");
	assert_int_equal(d.v[0].pos.line, 5);
	assert_int_equal(d.v[0].pos.col, 3);
	assert_string_equal(d.v[0].item, "rule 'r'");
	assert_string_equal(d.v[0].msg, "output: unknown field 'proc.pnam'");
	diags_free(&d);
}

static void test_output_errors(void **state)
{
	static const struct {
		const char *output, *message;
	} cases[] = {
		{ "x=%proc.aname[x]", "output: field 'proc.aname' wants a number from 0 to 64 in brackets, not 'x'" },
		{ "x=%proc.name[1]", "output: field 'proc.name' takes no argument" },
		{ "x=%evt.arg", "output: field 'evt.arg' needs an argument (evt.arg.NAME or evt.arg[N])" },
		{ "x=%proc.nme", "output: unknown field 'proc.nme'" },
	};
	struct rule_selection sel = selection_all();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diags d = { 0 };
		char *yaml = rule_yaml("evt.type = execve", cases[i].output);

		assert_null(engine_build_text(yaml, &sel, &d));
		assert_int_equal(d.nerrors, 1);
		expect_diag(&d, cases[i].message);
		diags_free(&d);
		free(yaml);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_skip_if_unknown_filter),
		cmocka_unit_test(test_skip_unknown_everywhere),
		cmocka_unit_test(test_skip_unknown_keeps_other_errors),
		cmocka_unit_test(test_output_error_names_the_rule),
		cmocka_unit_test(test_output_errors),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests;
	char **names = NULL;
	size_t n = 0;
	struct dirent *ent;
	DIR *dir = opendir(CORPUS);
	int failed;

	if (!dir) {
		fprintf(stderr, "cannot open %s (run from the repository top)\n", CORPUS);
		return 1;
	}
	while ((ent = readdir(dir))) {
		size_t len = strlen(ent->d_name);

		if (len > 5 && strcmp(ent->d_name + len - 5, ".yaml") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(ent->d_name);
		}
	}
	closedir(dir);
	if (n < MIN_CORPUS) {
		fprintf(stderr, "%s holds %zu files; the corpus needs at least %d\n", CORPUS, n, MIN_CORPUS);
		return 1;
	}
	qsort(names, n, sizeof(*names), by_name);
	tests = calloc(n + nfixed, sizeof(*tests));
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < n; i++) {
		tests[nfixed + i].name = names[i];
		tests[nfixed + i].test_func = test_corpus_file;
		tests[nfixed + i].initial_state = names[i];
	}
	failed = _cmocka_run_group_tests("rule_compile_errors", tests, n + nfixed, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return failed;
}
