/*
 * test_enforce_split.c - which parts of an enforcing rule's condition go to
 * the kernel as selector predicates and which stay in userspace.
 *
 * Each case compiles a one-rule file and renders its split as text, one
 * line per branch: "preds: <pred>; <pred> | rest: N" (set members in the
 * order the compiled set holds them). The kernel may only
 * get exact equivalents, so most cases are about what must NOT go there
 * (approximations, mixed ORs, negated ORs). Run under ASan (make asan) this
 * also checks that every discarded predicate is freed exactly once.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include "enforce_split.h"

/* the split of a rule with this condition, as text (malloc'd); NULL with err on error */
static char *split_text(const char *cond, char *err, size_t n)
{
	struct rule_engine *e = engine_of(cond, "o");
	struct enforce_split s;
	char *out = calloc(1, 4096);
	size_t o = 0;

	assert_non_null(out);
	err[0] = 0;
	if (enforce_split_rule(&e->rules[0], &s, err, n) != 0) {
		rule_engine_free(e);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < s.nbranches; i++) {
		const struct sel_branch *b = &s.branches[i];

		o += snprintf(out + o, 4096 - o, "%spreds: ", i ? "\n" : "");
		for (size_t k = 0; k < b->npreds; k++) {
			char *t = sel_pred_text(&b->preds[k]);

			o += snprintf(out + o, 4096 - o, "%s%s", k ? "; " : "", t);
			free(t);
		}
		o += snprintf(out + o, 4096 - o, " | rest: %zu", b->nrest);
	}
	o += snprintf(out + o, 4096 - o, "%s", s.kernel_only ? " [kernel only]" : "");
	enforce_split_free(&s);
	rule_engine_free(e);
	return out;
}

struct split_case {
	const char *cond;
	const char *want;
};

static const struct split_case cases[] = {
	/* everything exact: the kernel decides alone */
	{ "evt.type = openat and fd.name = /etc/shadow and proc.name = cat",
	  "preds: path in (/etc/shadow); process name in (cat) | rest: 0 [kernel only]" },
	{ "evt.type = execve and proc.exepath startswith /tmp/",
	  "preds: binary prefix in (/tmp/) | rest: 0 [kernel only]" },
	{ "evt.type = connect and fd.rport in (4444, 1337) and not user.uid = 0",
	  "preds: destination port in (1337, 4444); uid not in (0) | rest: 0 [kernel only]" },
	{ "evt.type = connect and fd.rnet = 10.0.0.0/8",
	  "preds: destination address in (10.0.0.0/8) | rest: 0 [kernel only]" },
	{ "evt.type = openat and fd.filename = shadow",
	  "preds: path suffix in (/shadow) | rest: 0 [kernel only]" },
	{ "evt.type = execve and container.id != host",
	  "preds: container in (1) | rest: 0 [kernel only]" },
	/* an OR on one dimension is a union */
	{ "evt.type = execve and (proc.name = nc or proc.name in (ncat, socat))",
	  "preds: process name in (nc, ncat, socat) | rest: 0 [kernel only]" },
	/* not in: a negated set */
	{ "evt.type = execve and not proc.pname in (sshd, bash)",
	  "preds: parent name not in (bash, sshd) | rest: 0 [kernel only]" },
	/* a top-level OR: one branch each */
	{ "(evt.type = openat and fd.name = /a) or (evt.type = execve and proc.name = x)",
	  "preds: path in (/a) | rest: 0\npreds: process name in (x) | rest: 0 [kernel only]" },
	/* approximations stay in userspace: contains, glob, regex, transformers, other fields */
	{ "evt.type = execve and proc.cmdline contains miner", "preds:  | rest: 1" },
	{ "evt.type = openat and fd.name glob '/etc/*'", "preds:  | rest: 1" },
	{ "evt.type = execve and tolower(proc.name) = nc", "preds:  | rest: 1" },
	/* a path field on a type whose path the kernel does not read at entry */
	{ "evt.type = read and fd.name = /etc/shadow", "preds:  | rest: 1" },
	/* an OR across dimensions, and one with a part the kernel cannot do (these freed an unset predicate) */
	{ "evt.type = execve and (proc.name = a or proc.pname = b)", "preds:  | rest: 1" },
	{ "evt.type = execve and (proc.name = a or proc.cmdline contains b)", "preds:  | rest: 1" },
	{ "evt.type = execve and (proc.cmdline contains b or proc.name = a)", "preds:  | rest: 1" },
	{ "evt.type = execve and (proc.name = a or not proc.name = b)", "preds:  | rest: 1" },
	{ "evt.type = execve and not (proc.name = a or proc.cmdline contains b)", "preds:  | rest: 1" },
	{ "evt.type = execve and (proc.name = a or (proc.name = b and proc.cmdline contains c))",
	  "preds:  | rest: 1" },
	{ "evt.type = execve and not (proc.name = a and proc.cmdline contains b)", "preds:  | rest: 1" },
	{ "evt.type = execve and not (proc.name = a or proc.name = b)",
	  "preds: process name not in (a, b) | rest: 0 [kernel only]" },
	/* two positive sets on one dimension are an intersection: the second stays in userspace */
	{ "evt.type = execve and proc.name in (a, b) and proc.name in (b, c)",
	  "preds: process name in (b, a) | rest: 1" },
	/* a mix: the kernel pre-filters, userspace finishes */
	{ "evt.type = execve and proc.name = curl and proc.args contains -o",
	  "preds: process name in (curl) | rest: 1" },
	/* a branch that can never be true (vigil sees exits only) is dropped */
	{ "(evt.type = execve and proc.name = a) or (evt.type = execve and evt.dir = >)",
	  "preds: process name in (a) | rest: 0 [kernel only]" },
};

static void test_split_cases(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256];
		char *got = split_text(cases[i].cond, err, sizeof(err));

		if (!got) {
			print_error("  '%s': split failed: %s\n", cases[i].cond, err);
			bad++;
			continue;
		}
		if (strcmp(got, cases[i].want) != 0) {
			print_error("  '%s'\n    got:  %s\n    want: %s\n", cases[i].cond, got, cases[i].want);
			bad++;
		}
		free(got);
	}
	if (bad)
		fail_msg("%d of %zu splits wrong", bad, sizeof(cases) / sizeof(cases[0]));
}

/* a value longer than a selector compares is an error naming the rule, not a silent truncation */
static void test_value_too_long(void **state)
{
	char cond[600], err[256];
	char *got;

	(void)state;
	snprintf(cond, sizeof(cond), "evt.type = openat and fd.name = /%0300d", 7);
	got = split_text(cond, err, sizeof(err));
	assert_null(got);
	assert_non_null(strstr(err, "rule 't'"));
	assert_non_null(strstr(err, "longer than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_cases),
		cmocka_unit_test(test_value_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
