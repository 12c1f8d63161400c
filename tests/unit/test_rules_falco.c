/*
 * test_rules_falco.c - Falco's own rules file loads with no errors, and
 * the trees are what Falco would build: lists spliced, macros expanded,
 * every node placed in the file. (Tests run from the repository top; the
 * file lives beside the repository, in ../shared/third_party/falco.)
 */
#include "test_util.h"

#include "ast.h"
#include "condition_parse.h"
#include "loc_text.h"
#include "ruleset.h"

#define FALCO_RULES TOP_DIR "/../shared/third_party/falco/falco_rules.yaml"

static struct ruleset_src rs;
static struct diags d;

static int load_falco(void **state)
{
	const char *path = FALCO_RULES;
	FILE *f = fopen(path, "r");

	(void)state;
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	fclose(f);
	if (ruleset_load(&path, 1, &rs, &d) != 0) {
		diag_print(&d, stderr);
		return -1;
	}
	return 0;
}

static int unload_falco(void **state)
{
	(void)state;
	ruleset_src_free(&rs);
	diags_free(&d);
	return 0;
}

static const struct rule_def *rule(const char *name)
{
	size_t i;

	for (i = 0; i < rs.nrules; i++)
		if (strcmp(rs.rules[i].name, name) == 0)
			return &rs.rules[i];
	fail_msg("no rule '%s'", name);
	return NULL;
}

/* Is there a comparison `field op (... lit ...)` in the tree? Returns the literal. */
static const struct ast_literal *find_literal(const struct ast_node *n, const char *field,
					      const char *op, const char *lit)
{
	const struct ast_literal *found;
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if ((found = find_literal(n->kids[i], field, op, lit)))
			return found;
	if (n->kind != AST_CMP || strcmp(n->lhs.name, field) || strcmp(n->op, op))
		return NULL;
	for (i = 0; i < n->rhs.nitems; i++)
		if (strcmp(n->rhs.items[i].text, lit) == 0)
			return &n->rhs.items[i];
	return NULL;
}

/* No macro references left, and every position points into the file. */
static void check_tree(const struct ast_node *n, const char *file)
{
	size_t i;

	assert_int_not_equal(n->kind, AST_MACRO);
	assert_ptr_equal(n->pos.file, file);
	assert_true(n->pos.line > 0 && n->pos.col > 0);
	for (i = 0; i < n->nkids; i++)
		check_tree(n->kids[i], file);
	if (n->kind != AST_CMP)
		return;
	assert_ptr_equal(n->lhs.pos.file, file);
	assert_true(n->lhs.pos.line > 0);
	for (i = 0; i < n->rhs.nitems; i++) {
		assert_ptr_equal(n->rhs.items[i].pos.file, file);
		assert_true(n->rhs.items[i].pos.line > 0 && n->rhs.items[i].pos.col > 0);
	}
}

/* The line of the first line of the file containing `text`. */
static int line_of(const char *text)
{
	char buf[4096];
	int line = 0;
	FILE *f = fopen(FALCO_RULES, "r");

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (strstr(buf, text)) {
			fclose(f);
			return line;
		}
	}
	fclose(f);
	fail_msg("'%s' not in the file", text);
	return 0;
}

static void test_loads_cleanly(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(rs.nfiles, 1);
	assert_int_equal(rs.nrules, 25);
	assert_int_equal(rs.nrequired_plugins, 1);
	assert_string_equal(rs.required_plugins[0], "container 0.4.0");
	for (i = 0; i < rs.nrules; i++) {
		assert_true(*rs.rules[i].desc && *rs.rules[i].output && *rs.rules[i].condition);
		assert_string_equal(rs.rules[i].source, "syscall");
		assert_int_equal(rs.rules[i].enforce, ENFORCE_NONE);
		check_tree(rs.rules[i].cond, rs.files[0]);
	}
}

static void test_run_shell_untrusted(void **state)
{
	const struct rule_def *r = rule("Run shell untrusted");
	const struct ast_literal *lit;
	size_t i;

	(void)state;
	assert_int_equal(r->priority, PRI_NOTICE);
	assert_true(r->enabled);
	assert_int_equal(r->ntags, 7);
	assert_string_equal(r->tags[0], "maturity_stable");
	assert_string_equal(r->tags[6], "T1059.004");
	assert_int_equal(r->pos.line, line_of("- rule: Run shell untrusted"));
	assert_int_equal(r->cond_pos.line, r->pos.line + 12);
	assert_int_equal(r->cond_pos.col, 5);

	/* spawned_process, expanded */
	assert_non_null(find_literal(r->cond, "evt.type", "in", "execveat"));
	/* shell_procs: the shell_binaries list spliced in, each item placed in the list */
	lit = find_literal(r->cond, "proc.name", "in", "bash");
	assert_non_null(lit);
	assert_false(lit->quoted);
	assert_int_equal(lit->pos.line, line_of("- list: shell_binaries") + 1);
	assert_int_equal(lit->pos.col, 16);
	/* protected_shell_spawner: a list of lists, two levels down */
	assert_non_null(find_literal(r->cond, "proc.aname", "in", "nginx"));
	assert_non_null(find_literal(r->cond, "proc.aname", "in", "mongod"));
	assert_non_null(find_literal(r->cond, "proc.aname", "in", "PM2"));
	/* quoted items of known_shell_spawn_cmdlines, unquoted and unescaped */
	lit = find_literal(r->cond, "proc.cmdline", "in", "sh -c uname -p 2> /dev/null");
	assert_non_null(lit);
	assert_true(lit->quoted);
	assert_int_equal(lit->pos.line, line_of("\"sh -c uname -p 2> /dev/null\""));
	assert_int_equal(lit->pos.col, 6);
	assert_non_null(find_literal(r->cond, "proc.cmdline", "in", "sh -c node -e \"require('nan')\""));
	assert_non_null(find_literal(r->cond, "proc.cmdline", "in", "sh -c /bin/sh -c 'date +%%s'"));
	assert_non_null(find_literal(r->cond, "proc.pname", "in", "puma reactor"));
	/* a macro several levels down, and its positions are the macro's own */
	lit = find_literal(r->cond, "proc.pcmdline", "contains", "org.apache.zookeeper.server");
	assert_non_null(lit);
	assert_int_equal(lit->pos.line, line_of("- macro: parent_java_running_zookeeper") + 1);
	/* the empty list user_known_shell_spawn_binaries leaves nothing behind */
	for (i = 0; i < r->cond->nkids; i++)
		assert_int_not_equal(r->cond->kids[i]->kind, AST_MACRO);
}

static void test_other_forms(void **state)
{
	const struct rule_def *r;

	(void)state;
	/* proc_name_exists: not proc.name in ("<NA>","N/A") */
	r = rule("PTRACE anti-debug attempt");
	assert_non_null(find_literal(r->cond, "proc.name", "in", "<NA>"));
	/* runc:[0:PARENT] as a bare word, in container_entrypoint */
	r = rule("Terminal shell in container");
	assert_non_null(find_literal(r->cond, "proc.pname", "in", "runc:[0:PARENT]"));
	/* the rfc_1918_addresses list of quoted CIDRs, and a bare CIDR */
	r = rule("Disallowed SSH Connection Non Standard Port");
	assert_non_null(find_literal(r->cond, "fd.snet", "in", "10.0.0.0/8"));
	assert_non_null(find_literal(r->cond, "fd.net", "!=", "127.0.0.0/8"));
	assert_non_null(find_literal(r->cond, "fd.sport", "in", "4444"));
	/* priorities as Falco spells them */
	assert_int_equal(rule("System user interactive")->priority, PRI_INFORMATIONAL);
	assert_int_equal(rule("Fileless execution via memfd_create")->priority, PRI_CRITICAL);
	assert_int_equal(rule("Search Private Keys or Passwords")->priority, PRI_WARNING);
}

/* Printing every rule and parsing it back gives the same text. */
static void test_round_trip(void **state)
{
	struct parse_error err;
	struct ast_node *again;
	char *s1, *s2;
	size_t i, k;

	(void)state;
	for (i = 0; i < rs.nrules; i++) {
		size_t len;
		struct loc_text t;
		struct src_pos *pos;

		s1 = ast_to_string(rs.rules[i].cond);
		len = strlen(s1);
		pos = calloc(len + 1, sizeof(*pos));
		for (k = 0; k <= len; k++)
			pos[k] = (struct src_pos){ "printed", 1, (int)k + 1 };
		loc_text_init(&t, s1, len, pos);
		again = condition_parse(&t, &err);
		if (!again)
			fail_msg("%s: %s at %d\n%s", rs.rules[i].name, err.msg, err.pos.col, s1);
		s2 = ast_to_string(again);
		assert_string_equal(s1, s2);
		free(s2);
		ast_free(again);
		loc_text_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_cleanly),
		cmocka_unit_test(test_run_shell_untrusted),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, load_falco, unload_falco);
}
