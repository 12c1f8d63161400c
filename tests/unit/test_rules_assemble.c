/*
 * test_rules_assemble.c - loading rules text end to end: macros and their
 * visibility, list substitution, exceptions, overrides and appends,
 * priorities, positions of errors, warnings, files and directories.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "ast.h"
#include "ruleset.h"

struct loaded {
	struct ruleset_src rs;
	struct diags d;
	int rc;
};

static void load(struct loaded *l, const char *yaml)
{
	memset(l, 0, sizeof(*l));
	l->rc = ruleset_load_string("t.yaml", yaml, strlen(yaml), &l->rs, &l->d);
}

static void unload(struct loaded *l)
{
	ruleset_src_free(&l->rs);
	diags_free(&l->d);
}

/* Every diagnostic, formatted, one per line. */
static char *diag_text(const struct diags *d)
{
	size_t i, len = 0;
	char *all = calloc(1, d->n * 1024 + 1), line[1024];

	assert_non_null(all);
	for (i = 0; i < d->n; i++) {
		diag_format(&d->v[i], line, sizeof(line));
		len += sprintf(all + len, "%s\n", line);
	}
	return all;
}

static void expect_ok(struct loaded *l, const char *yaml)
{
	load(l, yaml);
	if (l->rc != 0 || l->d.nerrors) {
		char *all = diag_text(&l->d);

		fail_msg("load failed:\n%s\n--- for:\n%s", all, yaml);
	}
}

/* Loading fails, nothing is loaded, and one of the messages contains `want`. */
static void expect_error(const char *yaml, const char *want)
{
	struct loaded l;
	char *all;

	load(&l, yaml);
	all = diag_text(&l.d);
	if (l.rc != -1 || !strstr(all, want))
		fail_msg("expected '%s', got rc %d and:\n%s--- for:\n%s", want, l.rc, all, yaml);
	assert_true(l.d.nerrors > 0);
	assert_int_equal(l.rs.nrules, 0);
	assert_null(l.rs.rules);
	assert_int_equal(l.rs.nfiles, 0);
	assert_null(l.rs.files);
	assert_int_equal(l.rs.nrequired_plugins, 0);
	free(all);
	unload(&l);
}

static const struct rule_def *rule(const struct ruleset_src *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].name, name) == 0)
			return &rs->rules[i];
	fail_msg("no rule '%s'", name);
	return NULL;
}

#define RULE(name, cond) \
	"- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: WARNING\n"

/* --- conditions after assembly -------------------------------------------------------- */

static const struct { const char *what, *yaml, *tree; } tree_cases[] = {
	{ "macro expansion",
	  "- macro: shell\n  condition: proc.name in (bash, sh)\n"
	  RULE("r", "shell and not proc.pname = sshd"),
	  "(proc.name in (bash, sh) and (not proc.pname = sshd))" },
	{ "macro using an earlier macro",
	  "- macro: a\n  condition: x.a = 1\n- macro: b\n  condition: a or x.b = 2\n" RULE("r", "not b"),
	  "(not (x.a = 1 or x.b = 2))" },
	{ "rule using a macro defined after it",
	  RULE("r", "later") "- macro: later\n  condition: x.l exists\n",
	  "x.l exists" },
	{ "a macro used twice is expanded twice",
	  "- macro: m\n  condition: (x.a = 1 or x.b = 2)\n" RULE("r", "m and not m"),
	  "((x.a = 1 or x.b = 2) and (not (x.a = 1 or x.b = 2)))" },
	{ "lists: nested, quoted items, defined after the macro, empty",
	  "- list: l1\n  items: [a, '\"b c\"']\n"
	  "- list: l2\n  items: [l1, d, '\"l1\"']\n"
	  "- macro: m\n  condition: x.y in (l2, later, e)\n"
	  "- list: later\n  items: []\n" RULE("r", "m"),
	  "x.y in (a, \"b c\", d, \"l1\", e)" },
	{ "a list naming a later list keeps the name",
	  "- list: first\n  items: [second, x]\n- list: second\n  items: [y]\n"
	  RULE("r", "x.y in (first) or x.z in (second)"),
	  "(x.y in (second, x) or x.z in (y))" },
	{ "list items with spaces, and quoted list names are not lists",
	  "- list: cmds\n  items:\n    - sh -c id\n    - '\"quoted\"'\n"
	  RULE("r", "x.y in (cmds, \"cmds\")"),
	  "x.y in (\"sh -c id\", \"quoted\", \"cmds\")" },
	{ "a list sees the final items of an earlier list it names",
	  "- list: base\n  items: [a]\n- list: more\n  items: [base, m]\n"
	  "- list: base\n  items: [b]\n  append: true\n" RULE("r", "x.y in (more)"),
	  "x.y in (a, b, m)" },
	{ "a redefined macro may use macros defined before the redefinition",
	  "- macro: user_known\n  condition: (evt.num = 0)\n" RULE("r", "x.y = 1 and not user_known")
	  "- macro: helper\n  condition: proc.name = foo\n"
	  "- macro: user_known\n  condition: helper or proc.name = bar\n",
	  "(x.y = 1 and (not (proc.name = foo or proc.name = bar)))" },
	{ "legacy append to a rule and to a macro",
	  "- macro: m\n  condition: x.a = 1\n- macro: m\n  condition: or x.a = 2\n  append: true\n"
	  RULE("r", "m") "- rule: r\n  condition: and x.b = 3\n  append: true\n",
	  "((x.a = 1 or x.a = 2) and x.b = 3)" },
	{ "override append condition",
	  RULE("r", "x.a = 1") "- rule: r\n  condition: or x.b = 2\n  override:\n    condition: append\n",
	  "(x.a = 1 or x.b = 2)" },
	{ "override replace condition of a macro",
	  "- macro: m\n  condition: x.a = 1\n" RULE("r", "m")
	  "- macro: m\n  condition: x.z = 9\n  override:\n    condition: replace\n",
	  "x.z = 9" },
	{ "exceptions: one field, values and a list name",
	  "- list: shells\n  items: [bash, sh]\n" RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: known\n      fields: proc.name\n      values: [a, shells]\n",
	  "(x.y = 1 and (not proc.name in (a, bash, sh)))" },
	{ "exceptions: field tuples with the default = comps",
	  RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: pairs\n      fields: [proc.name, fd.name]\n"
	  "      values:\n        - [bash, /etc/x]\n        - [sh, \"/etc/y z\"]\n",
	  "(x.y = 1 and (not ((proc.name = bash and fd.name = /etc/x) or "
	  "(proc.name = sh and fd.name = \"/etc/y z\"))))" },
	{ "exceptions: comps with in, a YAML list and a list name",
	  "- list: dirs\n  items: [/tmp, /var]\n" RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: e\n      fields: [proc.name, fd.directory]\n      comps: [=, in]\n"
	  "      values:\n        - [bash, [/etc, /root]]\n        - [sh, dirs]\n        - [ksh, /one]\n",
	  "(x.y = 1 and (not ((proc.name = bash and fd.directory in (/etc, /root)) or "
	  "(proc.name = sh and fd.directory in (/tmp, /var)) or (proc.name = ksh and fd.directory in (/one)))))" },
	{ "exceptions: one field, a scalar operator, one comparison per value",
	  RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: e\n      fields: proc.cmdline\n      comps: startswith\n"
	  "      values: [a, \"b c\"]\n",
	  "(x.y = 1 and (not (proc.cmdline startswith a or proc.cmdline startswith \"b c\")))" },
	{ "exceptions: several; one without values adds nothing",
	  RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: empty\n      fields: proc.name\n"
	  "    - name: one\n      fields: [proc.name]\n      values: [[a]]\n"
	  "    - name: two\n      fields: tolower(proc.pname)\n      comps: pmatch\n      values: [[/a, /b]]\n",
	  "(x.y = 1 and (not (proc.name = a or tolower(proc.pname) pmatch (/a, /b))))" },
	{ "exceptions appended by override add values to the same exception",
	  RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a]\n"
	  "- rule: r\n  exceptions:\n    - name: e\n      values: [b]\n    - name: f\n      fields: fd.name\n"
	  "      values: [c]\n  override:\n    exceptions: append\n",
	  "(x.y = 1 and (not (proc.name in (a, b) or fd.name in (c))))" },
	{ "legacy append adds exception values",
	  RULE("r", "x.y = 1")
	  "  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a]\n"
	  "- rule: r\n  exceptions:\n    - name: e\n      values: [b]\n  append: true\n",
	  "(x.y = 1 and (not proc.name in (a, b)))" },
};

static void test_trees(void **state)
{
	struct loaded l;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(tree_cases) / sizeof(tree_cases[0]); i++) {
		expect_ok(&l, tree_cases[i].yaml);
		s = ast_to_string(rule(&l.rs, "r")->cond);
		if (strcmp(s, tree_cases[i].tree) != 0)
			fail_msg("%s:\n got  %s\n want %s", tree_cases[i].what, s, tree_cases[i].tree);
		free(s);
		unload(&l);
	}
}

/* --- errors, with their exact positions ---------------------------------------------- */

static const struct { const char *yaml, *want; } error_cases[] = {
	{ RULE("r", "x.y = 1 and nope"),
	  "t.yaml:3:26: error: rule 'r': undefined macro 'nope'" },
	{ "- macro: a\n  condition: b\n- macro: b\n  condition: x.y = 1\n" RULE("r", "a"),
	  "t.yaml:2:14: error: macro 'a': uses undefined macro 'b' (it is defined later, at t.yaml:3:3;" },
	{ "- macro: a\n  condition: x.y = 1 or nope\n" RULE("r", "a"),
	  "t.yaml:2:25: error: macro 'a': uses undefined macro 'nope'" },
	{ "- macro: a\n  condition: not a\n" RULE("r", "a"),
	  "t.yaml:2:18: error: macro 'a': a macro cannot use itself" },
	{ "- macro: a\n  condition: x.y = 1\n- macro: b\n  condition: a\n"
	  "- macro: a\n  condition: b\n" RULE("r", "a"),
	  "t.yaml:4:14: error: macro 'b': macro cycle: a -> b -> a" },
	{ "- list: a\n  items: [x]\n- list: b\n  items: [a]\n- list: a\n  items: [b]\n"
	  RULE("r", "x.y in (a)"),
	  "t.yaml:4:11: error: list 'b': list cycle: a -> b -> a" },
	{ RULE("r", "x.y = (1)"),
	  "t.yaml:3:20: error: rule 'r': '=' takes a single value, not a list" },
	{ "- rule: r\n  desc: d\n  condition: >\n    x.y = 1 and\n      (x.z = 2\n  output: o\n  priority: info\n",
	  "t.yaml:5:7: error: rule 'r': missing ')' to close this '('" },
	{ "- rule: r\n  desc: d\n  condition: \"x.y = \\\"a\"\n  output: o\n  priority: info\n",
	  "t.yaml:3:21: error: rule 'r': unterminated string: missing closing \"" },
	{ RULE("r", "x.y = 1") "- rule: r\n  condition: and (\n  append: true\n",
	  "t.yaml:7:19: error: rule 'r': unexpected end of condition" },
	{ "- rule: r\n  condition: x\n  append: true\n",
	  "t.yaml:1:3: error: rule 'r': cannot append to a rule that is not defined before" },
	{ "- macro: m\n  condition: x\n  override:\n    condition: append\n",
	  "t.yaml:1:3: error: macro 'm': cannot override a macro that is not defined before" },
	{ "- rule: r\n  enabled: false\n",
	  "t.yaml:1:3: error: rule 'r': cannot enable or disable a rule that is not defined before" },
	{ RULE("r", "x") "- rule: r\n  condition: y\n  append: true\n  override:\n    condition: append\n",
	  "t.yaml:9:3: error: rule 'r': 'append' and 'override' cannot be used together" },
	{ RULE("r", "x") "- rule: r\n  override:\n    output: append\n",
	  "t.yaml:8:5: error: rule 'r': 'override' names 'output', which the item does not have" },
	{ RULE("r", "x") "- rule: r\n  output: more\n  priority: ERROR\n  override:\n    output: append\n",
	  "t.yaml:8:3: error: rule 'r': 'priority' is not listed in 'override'" },
	{ RULE("r", "x") "- rule: r\n  priority: ERROR\n  override:\n    priority: append\n",
	  "t.yaml:9:15: error: rule 'r': 'priority' cannot be appended, only replaced" },
	{ RULE("r", "x") "- rule: r\n  source: k8s\n  override:\n    source: replace\n",
	  "t.yaml:9:5: error: rule 'r': 'source' cannot be overridden in a rule" },
	{ RULE("r", "x") "- rule: r\n  output: x\n  override:\n    output: prepend\n",
	  "t.yaml:9:13: error: rule 'r': override of 'output' must be 'append' or 'replace', found 'prepend'" },
	{ "- list: l\n  items: [a]\n- list: l\n  items: [b]\n  override:\n    items: merge\n",
	  "t.yaml:6:12: error: list 'l': override of 'items' must be 'append' or 'replace'" },
	{ "- rule: r\n  desc: d\n  output: o\n",
	  "t.yaml:1:3: error: rule 'r': missing required key 'condition'" },
	{ "- rule: r\n  desc: d\n  condition: x\n  output: o\n",
	  "t.yaml:1:3: error: rule 'r': missing required key 'priority'" },
	{ "- macro: m\n", "t.yaml:1:3: error: macro 'm': missing required key 'condition'" },
	{ "- list: l\n  items: x\n", "t.yaml:2:10: error: list 'l': 'items' must be a list, found a string" },
	{ "- rule: r\n  desc: d\n  condition: x\n  output: o\n  priority: urgent\n",
	  "t.yaml:5:13: error: rule 'r': unknown priority 'urgent'" },
	{ RULE("r", "x") "  enforce: block\n",
	  "t.yaml:6:12: error: rule 'r': 'enforce' must be 'kill' or 'deny', found 'block'" },
	{ RULE("r", "x") "  enabled: maybe\n",
	  "t.yaml:6:12: error: rule 'r': 'enabled' must be true or false, found 'maybe'" },
	{ RULE("r", "x") "  tags: foo\n",
	  "t.yaml:6:9: error: rule 'r': 'tags' must be a list of strings, found a string" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n      comps: [=]\n      values: [[1, 2]]\n",
	  "t.yaml:9:14: error: rule 'r': exception 'e': 'fields' has 2 entries but 'comps' has 1" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n      values:\n        - [1, 2]\n        - [3]\n",
	  "t.yaml:11:11: error: rule 'r': exception 'e': a value has 1 entries but 'fields' has 2" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n      values: [x]\n",
	  "t.yaml:9:16: error: rule 'r': exception 'e': each value must be a list with one entry per field (2)" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b]\n      comps: in\n      values: [[x]]\n",
	  "t.yaml:9:14: error: rule 'r': exception 'e': 'comps' must be a list when 'fields' is a list" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: a.b\n      comps: [in]\n      values: [x]\n",
	  "t.yaml:9:14: error: rule 'r': exception 'e': 'comps' must be one operator when 'fields' is one field" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b]\n      comps: [like]\n      values: [[x]]\n",
	  "t.yaml:9:15: error: rule 'r': exception 'e': unknown operator 'like' in 'comps'" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: a.b\n      comps: exists\n      values: [x]\n",
	  "t.yaml:9:14: error: rule 'r': exception 'e': 'exists' takes no value" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [a.b]\n      values: [[[x, y]]]\n",
	  "t.yaml:9:17: error: rule 'r': exception 'e': a value compared with '=' must be a single value, not a list" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      values: [x]\n",
	  "t.yaml:7:7: error: rule 'r': exception 'e': missing 'fields'" },
	{ RULE("r", "x") "  exceptions:\n    - fields: a.b\n",
	  "t.yaml:7:7: error: rule 'r': an exception needs a 'name'" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: [proc.name x]\n      values: [[a]]\n",
	  "t.yaml:8:26: error: rule 'r': exception 'e': unexpected 'x' after the field name" },
	{ RULE("r", "x") "  exceptions:\n    - name: e\n      fields: a.b\n      values: [a]\n"
	  "- rule: r\n  exceptions:\n    - name: e\n      fields: c.d\n      values: [b]\n  append: true\n",
	  "t.yaml:13:15: error: rule 'r': exception 'e' already exists: appending can only add values, not fields" },
	{ "- required_engine_version: 0.58.0\n",
	  "t.yaml:1:28: error: the rules need engine version 0.58.0; this vigil implements 0.57.0" },
	{ "- required_engine_version: 100\n",
	  "t.yaml:1:28: error: the rules need engine version 0.100.0" },
	{ "- required_engine_version: 1.0.0-rc1\n",
	  "t.yaml:1:28: error: the rules need engine version 1.0.0" },
	{ "- required_engine_version: latest\n",
	  "t.yaml:1:28: error: required_engine_version must be a version like 0.57.0, found 'latest'" },
	{ "- required_plugin_versions:\n    - name: container\n",
	  "t.yaml:2:7: error: a required_plugin_versions entry needs a 'name' and a 'version'" },
	{ "- rule: [x]\n", "t.yaml:1:9: error: a rule's name must be a non-empty string" },
	{ "- rule: r\n  rule: s\n", "t.yaml:2:3: error: duplicate key 'rule'" },
	{ "- rule: r\n  macro: m\n", "t.yaml:2:3: error: an item cannot be both a 'rule' and a 'macro'" },
	{ "- rules: r\n", "t.yaml:1:3: error: unknown item 'rules'" },
	{ "rule: r\n", "t.yaml:1:1: error: a rules file must be a list of items (rule, macro, list, ...), found a mapping" },
	{ "- rule: r\n  desc: [a\n", "t.yaml:3:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at 2:9)" },
	{ RULE("r", "x") "- rule: r\n  condition: y\n", "" },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	/* the last case is a valid redefinition: checked in test_redefinition */
	for (i = 0; i + 1 < sizeof(error_cases) / sizeof(error_cases[0]); i++)
		expect_error(error_cases[i].yaml, error_cases[i].want);
}

/* Errors are collected across items, not just the first. */
static void test_all_errors_reported(void **state)
{
	struct loaded l;
	char *all;

	(void)state;
	load(&l, RULE("a", "nope1") RULE("b", "x.y =") "- macro: m\n  condition: (\n" RULE("c", "m"));
	all = diag_text(&l.d);
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.d.nerrors, 3);
	assert_non_null(strstr(all, "t.yaml:3:14: error: rule 'a': undefined macro 'nope1'"));
	assert_non_null(strstr(all, "t.yaml:8:19: error: rule 'b': expected a value after '='"));
	assert_non_null(strstr(all, "t.yaml:12:15: error: macro 'm': unexpected end of condition"));
	free(all);
	unload(&l);
}

/* --- overrides, appends and redefinitions ------------------------------------------- */

static void test_override_fields(void **state)
{
	const struct rule_def *r;
	struct loaded l;

	(void)state;
	expect_ok(&l,
		  "- rule: r\n  desc: first\n  condition: x.a = 1\n  output: out\n  priority: notice\n"
		  "  tags: [a, b]\n  enforce: kill\n"
		  "- rule: r\n  desc: more\n  output: extra\n  tags: [b, c]\n  priority: ERROR\n"
		  "  enabled: false\n  warn_evttypes: false\n  skip-if-unknown-filter: true\n  enforce: deny\n"
		  "  override:\n    desc: append\n    output: append\n    tags: append\n"
		  "    priority: replace\n    enabled: replace\n    warn_evttypes: replace\n"
		  "    skip-if-unknown-filter: replace\n    enforce: replace\n");
	r = rule(&l.rs, "r");
	assert_string_equal(r->desc, "first more");
	assert_string_equal(r->output, "out extra");
	assert_int_equal(r->ntags, 3);
	assert_string_equal(r->tags[0], "a");
	assert_string_equal(r->tags[1], "b");
	assert_string_equal(r->tags[2], "c");
	assert_int_equal(r->priority, PRI_ERROR);
	assert_false(r->enabled);
	assert_false(r->warn_evttypes);
	assert_true(r->skip_if_unknown_filter);
	assert_int_equal(r->enforce, ENFORCE_DENY);
	assert_string_equal(r->source, "syscall");
	assert_string_equal(r->condition, "x.a = 1");
	unload(&l);

	expect_ok(&l,
		  RULE("r", "x.a = 1") "  tags: [a]\n"
		  "- rule: r\n  tags: [z]\n  output: new\n  condition: x.b = 2\n  exceptions:\n"
		  "    - name: e\n      fields: f.f\n      values: [v]\n"
		  "  override:\n    tags: replace\n    output: replace\n    condition: replace\n"
		  "    exceptions: replace\n");
	r = rule(&l.rs, "r");
	assert_int_equal(r->ntags, 1);
	assert_string_equal(r->tags[0], "z");
	assert_string_equal(r->output, "new");
	assert_string_equal(r->condition, "x.b = 2");
	assert_int_equal(r->cond_pos.line, 10);
	assert_int_equal(r->cond_pos.col, 14);
	unload(&l);
}

static void test_redefinition(void **state)
{
	struct loaded l;
	char *s;

	(void)state;
	expect_ok(&l, RULE("one", "x.a = 1") RULE("two", "x.b = 2") RULE("one", "x.c = 3")
		      "- rule: two\n  enabled: false\n");
	assert_int_equal(l.rs.nrules, 2);
	/* the redefinition keeps the place of the first definition */
	assert_string_equal(l.rs.rules[0].name, "one");
	assert_string_equal(l.rs.rules[1].name, "two");
	s = ast_to_string(l.rs.rules[0].cond);
	assert_string_equal(s, "x.c = 3");
	free(s);
	assert_int_equal(l.rs.rules[0].pos.line, 11);
	assert_true(l.rs.rules[0].enabled);
	assert_false(l.rs.rules[1].enabled);
	unload(&l);

	/* the appended text joins with one space; positions follow each part */
	expect_ok(&l, RULE("r", "x.a = 1") "- rule: r\n  condition: or x.b = 2\n  append: true\n");
	assert_string_equal(l.rs.rules[0].condition, "x.a = 1 or x.b = 2");
	assert_int_equal(l.rs.rules[0].cond->kids[0]->pos.line, 3);
	assert_int_equal(l.rs.rules[0].cond->kids[0]->pos.col, 14);
	assert_int_equal(l.rs.rules[0].cond->kids[1]->pos.line, 7);
	assert_int_equal(l.rs.rules[0].cond->kids[1]->pos.col, 17);
	unload(&l);

	expect_ok(&l, "- list: l\n  items: [a]\n- list: l\n  items: [b]\n  override:\n    items: replace\n"
		      "- list: l\n  items: [c]\n  override:\n    items: append\n" RULE("r", "x.y in (l)"));
	s = ast_to_string(l.rs.rules[0].cond);
	assert_string_equal(s, "x.y in (b, c)");
	free(s);
	unload(&l);
}

/* --- positions carried by the trees -------------------------------------------------- */

static void test_tree_positions(void **state)
{
	const struct ast_node *n;
	struct loaded l;

	(void)state;
	expect_ok(&l,
		  "- list: shells\n  items: [bash, '\"s h\"']\n"
		  "- macro: m\n  condition: >\n    proc.name in (shells)\n"
		  "- rule: r\n  desc: d\n  condition: >\n    m and\n    fd.name = 'x'\n  output: o\n  priority: info\n");
	n = l.rs.rules[0].cond;
	assert_int_equal(l.rs.rules[0].cond_pos.line, 9);
	assert_int_equal(l.rs.rules[0].cond_pos.col, 5);
	assert_int_equal(l.rs.rules[0].pos.line, 6);
	assert_int_equal(l.rs.rules[0].pos.col, 3);
	assert_int_equal(l.rs.rules[0].priority, PRI_INFORMATIONAL);
	assert_int_equal(n->kind, AST_AND);
	/* the expanded macro points into the macro's text */
	assert_int_equal(n->kids[0]->pos.line, 5);
	assert_int_equal(n->kids[0]->pos.col, 5);
	/* list items point at their place in the list */
	assert_string_equal(n->kids[0]->rhs.items[0].text, "bash");
	assert_int_equal(n->kids[0]->rhs.items[0].pos.line, 2);
	assert_int_equal(n->kids[0]->rhs.items[0].pos.col, 11);
	assert_string_equal(n->kids[0]->rhs.items[1].text, "s h");
	assert_true(n->kids[0]->rhs.items[1].quoted);
	assert_int_equal(n->kids[0]->rhs.items[1].pos.col, 18);
	assert_int_equal(n->kids[1]->pos.line, 10);
	assert_int_equal(n->kids[1]->rhs.items[0].pos.col, 15);
	assert_string_equal(n->kids[1]->pos.file, "t.yaml");
	assert_ptr_equal(n->kids[1]->pos.file, l.rs.files[0]);
	unload(&l);
}

/* --- priorities, engine version, plugins, warnings ------------------------------------ */

static void test_priorities(void **state)
{
	static const struct { const char *s; int p; } cases[] = {
		{ "Emergency", PRI_EMERGENCY }, { "ALERT", PRI_ALERT }, { "critical", PRI_CRITICAL },
		{ "Error", PRI_ERROR }, { "WARNING", PRI_WARNING }, { "notice", PRI_NOTICE },
		{ "Informational", PRI_INFORMATIONAL }, { "INFO", PRI_INFORMATIONAL },
		{ "debug", PRI_DEBUG }, { "warn", -1 }, { "", -1 }, { "Emergency!", -1 },
	};
	char yaml[256];
	struct loaded l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(priority_parse(cases[i].s), cases[i].p);
		if (cases[i].p < 0)
			continue;
		snprintf(yaml, sizeof(yaml),
			 "- rule: r\n  desc: d\n  condition: x\n  output: o\n  priority: %s\n- macro: x\n  condition: a.b exists\n",
			 cases[i].s);
		expect_ok(&l, yaml);
		assert_int_equal(l.rs.rules[0].priority, cases[i].p);
		unload(&l);
	}
	assert_string_equal(priority_name(PRI_INFORMATIONAL), "Informational");
	assert_string_equal(priority_name(PRI_EMERGENCY), "Emergency");
	assert_string_equal(priority_name(PRI_DEBUG), "Debug");
}

static void test_engine_and_plugins(void **state)
{
	struct loaded l;

	(void)state;
	expect_ok(&l, "- required_engine_version: 0.57.0\n- required_engine_version: 17\n"
		      "- required_engine_version: '0.9.99'\n"
		      "- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n"
		      "      alternatives:\n        - name: other\n          version: 1.0.0\n"
		      "    - name: k8saudit\n      version: 0.7.0\n");
	assert_int_equal(l.rs.nrules, 0);
	assert_int_equal(l.rs.nrequired_plugins, 2);
	assert_string_equal(l.rs.required_plugins[0], "container 0.4.0");
	assert_string_equal(l.rs.required_plugins[1], "k8saudit 0.7.0");
	unload(&l);
}

static void test_warnings(void **state)
{
	struct loaded l;
	char *all;

	(void)state;
	load(&l, "- list: unused_list\n  items: [a]\n- macro: unused_macro\n  condition: x.y = 1\n"
		 RULE("r", "x.z = 2") "  colour: blue\n"
		 "- rule: r\n  condition: or x.z = 3\n  output: ignored\n  append: true\n");
	all = diag_text(&l.d);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.d.nerrors, 0);
	assert_int_equal(l.rs.nrules, 1);
	assert_non_null(strstr(all, "t.yaml:10:3: warning: rule 'r': unknown key 'colour'"));
	assert_non_null(strstr(all, "t.yaml:13:3: warning: rule 'r': 'output' is ignored with 'append: true'"));
	assert_non_null(strstr(all, "t.yaml:1:3: warning: list 'unused_list': defined but never used"));
	assert_non_null(strstr(all, "t.yaml:3:3: warning: macro 'unused_macro': defined but never used"));
	assert_int_equal(l.d.n, 4);
	free(all);
	unload(&l);
}

/* Items used only by other items, or only by exceptions, count as used. */
static void test_used(void **state)
{
	struct loaded l;

	(void)state;
	expect_ok(&l, "- list: a\n  items: [x]\n- list: b\n  items: [a]\n- macro: m\n  condition: x.y in (b)\n"
		      "- macro: n\n  condition: m\n- list: e\n  items: [z]\n" RULE("r", "n")
		      "  exceptions:\n    - name: ex\n      fields: f.g\n      values: [e]\n");
	assert_int_equal(l.d.n, 0);
	unload(&l);
}

/* --- files and directories ---------------------------------------------------------- */

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_files_and_dirs(void **state)
{
	char dir[] = "/tmp/vigil-rules-XXXXXX", *paths[5], *sub;
	const char *args[3];
	struct loaded l;
	char *all;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* loaded by name: a_ then b_; c.txt and the subdirectory are ignored */
	paths[0] = write_file(dir, "b_local.yml", "- macro: m\n  condition: x.y = 2\n");
	paths[1] = write_file(dir, "a_base.yaml", "- macro: m\n  condition: x.y = 1\n" RULE("r", "m"));
	paths[2] = write_file(dir, "c.txt", "not yaml: [");
	assert_true(asprintf(&sub, "%s/sub.yaml", dir) > 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	paths[3] = write_file(dir, "..hidden.yaml", "[");
	paths[4] = NULL;

	args[0] = dir;
	memset(&l, 0, sizeof(l));
	l.rc = ruleset_load(args, 1, &l.rs, &l.d);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.rs.nfiles, 2);
	assert_non_null(strstr(l.rs.files[0], "a_base.yaml"));
	assert_non_null(strstr(l.rs.files[1], "b_local.yml"));
	all = ast_to_string(l.rs.rules[0].cond);
	assert_string_equal(all, "x.y = 2");
	assert_ptr_equal(l.rs.rules[0].cond->pos.file, l.rs.files[1]);
	free(all);
	unload(&l);

	/* several paths load in the order given */
	args[0] = paths[0];
	args[1] = paths[1];
	memset(&l, 0, sizeof(l));
	l.rc = ruleset_load(args, 2, &l.rs, &l.d);
	assert_int_equal(l.rc, 0);
	all = ast_to_string(l.rs.rules[0].cond);
	assert_string_equal(all, "x.y = 1");
	free(all);
	unload(&l);

	/* an error in one file: nothing loaded, the message names that file */
	args[2] = paths[2];
	memset(&l, 0, sizeof(l));
	l.rc = ruleset_load(args, 3, &l.rs, &l.d);
	all = diag_text(&l.d);
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.rs.nrules, 0);
	assert_int_equal(l.rs.nfiles, 0);
	assert_non_null(strstr(all, "c.txt:2:1: error: invalid YAML: did not find expected node content"));
	assert_non_null(strstr(all, "error: invalid YAML"));
	free(all);
	unload(&l);

	args[0] = "/nonexistent/rules.yaml";
	memset(&l, 0, sizeof(l));
	l.rc = ruleset_load(args, 1, &l.rs, &l.d);
	all = diag_text(&l.d);
	assert_int_equal(l.rc, -1);
	assert_string_equal(all, "/nonexistent/rules.yaml: error: cannot open: No such file or directory\n");
	free(all);
	unload(&l);

	for (i = 0; paths[i]; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	rmdir(sub);
	free(sub);
	rmdir(dir);
}

/* Diagnostics outlive the ruleset that named their file. */
static void test_diags_own_file_names(void **state)
{
	struct ruleset_src rs;
	struct diags d = { 0 };
	char name[] = "own.yaml", line[256];

	(void)state;
	assert_int_equal(ruleset_load_string(name, RULE("r", "nope"), strlen(RULE("r", "nope")), &rs, &d), -1);
	name[0] = 'X';
	diag_format(&d.v[0], line, sizeof(line));
	assert_string_equal(line, "own.yaml:3:14: error: rule 'r': undefined macro 'nope'");
	diags_free(&d);
	assert_int_equal(d.n, 0);
}

/* A billion-laughs of macros fails cleanly instead of eating memory. */
static void test_expansion_budget(void **state)
{
	char *yaml = malloc(64 * 1024), *p = yaml;
	int i;

	(void)state;
	p += sprintf(p, "- macro: m0\n  condition: x.y in (a, b, c, d)\n");
	for (i = 1; i <= 40; i++)
		p += sprintf(p, "- macro: m%d\n  condition: m%d or m%d\n", i, i - 1, i - 1);
	sprintf(p, RULE("r", "m40"));
	expect_error(yaml, "macros and lists expand to too much");
	free(yaml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trees),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_override_fields),
		cmocka_unit_test(test_redefinition),
		cmocka_unit_test(test_tree_positions),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_engine_and_plugins),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_used),
		cmocka_unit_test(test_files_and_dirs),
		cmocka_unit_test(test_diags_own_file_names),
		cmocka_unit_test(test_expansion_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
