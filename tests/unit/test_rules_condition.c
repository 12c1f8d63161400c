/*
 * test_rules_condition.c - the condition parser on its own: precedence,
 * quoting and escapes, bare words, lists, transformers, val(), field
 * arguments, error messages with their positions, and printing trees back
 * (ast_to_string) in a form that parses to the same tree.
 */
#include "test_util.h"

#include "ast.h"
#include "condition_parse.h"
#include "loc_text.h"

/*
 * Condition text as if written in file "c.yaml" starting at line 1, column
 * 1: each byte's position follows the text's own line breaks.
 */
static struct loc_text text(const char *s)
{
	size_t len = strlen(s), i;
	struct src_pos *pos = malloc((len + 1) * sizeof(*pos));
	struct src_pos at = { "c.yaml", 1, 1 };
	struct loc_text t;

	assert_non_null(pos);
	for (i = 0; i <= len; i++) {
		pos[i] = at;
		if (s[i] == '\n') {
			at.line++;
			at.col = 1;
		} else {
			at.col++;
		}
	}
	loc_text_init(&t, strdup(s), len, pos);
	return t;
}

static struct ast_node *parse_ok(const char *s)
{
	struct loc_text t = text(s);
	struct parse_error err;
	struct ast_node *n = condition_parse(&t, &err);

	if (!n)
		fail_msg("'%s' did not parse: %d:%d: %s", s, err.pos.line, err.pos.col, err.msg);
	loc_text_free(&t);
	return n;
}

static char *printed(const char *s)
{
	struct ast_node *n = parse_ok(s);
	char *out = ast_to_string(n);

	ast_free(n);
	return out;
}

/* --- precedence and structure, through the printed form ------------------------------- */

static const struct { const char *in, *out; } print_cases[] = {
	{ "a or b and not c", "(a or (b and (not c)))" },
	{ "not a and b", "((not a) and b)" },
	{ "a and b or c and d", "((a and b) or (c and d))" },
	{ "a or b or c", "(a or b or c)" },
	{ "not not a", "(not (not a))" },
	{ "(a or b) and c", "((a or b) and c)" },
	{ "a and (b or not (c and d))", "(a and (b or (not (c and d))))" },
	{ "((a))", "a" },
	{ "a and(b)", "(a and b)" },
	{ "not(a)", "(not a)" },
	{ "a and notb", "(a and notb)" },
	{ "proc.name = bash", "proc.name = bash" },
	{ "proc.name=bash", "proc.name = bash" },
	{ "fd.num>=0 and fd.num<=10", "(fd.num >= 0 and fd.num <= 10)" },
	{ "x.a==1 or x.b!=2 or x.c<3 or x.d>4", "(x.a == 1 or x.b != 2 or x.c < 3 or x.d > 4)" },
	{ "proc.name!=\"sshd\"", "proc.name != \"sshd\"" },
	{ "fd.typechar='f'", "fd.typechar = \"f\"" },
	{ "proc.cmdline= \"sh -s unix:cmd\"", "proc.cmdline = \"sh -s unix:cmd\"" },
	{ "fd.num=-1", "fd.num = -1" },
	{ "fd.net != 127.0.0.0/8", "fd.net != 127.0.0.0/8" },
	{ "fd.name startswith /dev/shm/", "fd.name startswith /dev/shm/" },
	{ "proc.pname in (runc:[0:PARENT], runc:[1:CHILD], runc)",
	  "proc.pname in (runc:[0:PARENT], runc:[1:CHILD], runc)" },
	{ "not proc.name in (\"<NA>\",\"N/A\")", "(not proc.name in (\"<NA>\", \"N/A\"))" },
	{ "evt.type in (open,openat,openat2)", "evt.type in (open, openat, openat2)" },
	{ "evt.type in ( open ,\n openat )", "evt.type in (open, openat)" },
	{ "proc.name in ()", "proc.name in ()" },
	{ "proc.name = and", "proc.name = and" },
	{ "proc.name in (and, or, not)", "proc.name in (and, or, not)" },
	{ "proc.pname exists", "proc.pname exists" },
	{ "not proc.pname exists or proc.pname in (a)", "((not proc.pname exists) or proc.pname in (a))" },
	{ "x.y contains a and x.y icontains b and x.y bcontains 0a", "(x.y contains a and x.y icontains b and x.y bcontains 0a)" },
	{ "x.y startswith a or x.y bstartswith b or x.y endswith c", "(x.y startswith a or x.y bstartswith b or x.y endswith c)" },
	{ "x.y glob '/home/*/.ssh/*' and x.y iglob A* and x.y regex '^a.*'", "(x.y glob \"/home/*/.ssh/*\" and x.y iglob A* and x.y regex \"^a.*\")" },
	{ "x.y intersects (a, b) and x.y pmatch (/etc, /root)", "(x.y intersects (a, b) and x.y pmatch (/etc, /root))" },
	{ "proc.aname[2]=qualys-cloud-ag", "proc.aname[2] = qualys-cloud-ag" },
	{ "evt.arg[0] = x", "evt.arg[0] = x" },
	{ "k8s.pod.label[app.kubernetes.io/name] = web", "k8s.pod.label[app.kubernetes.io/name] = web" },
	{ "fd.types[0] in (ipv4, ipv6)", "fd.types[0] in (ipv4, ipv6)" },
	{ "tolower(proc.name) = bash", "tolower(proc.name) = bash" },
	{ "toupper( basename(proc.exe) ) = SH", "toupper(basename(proc.exe)) = SH" },
	{ "len(fd.name) > 3 and b64(evt.buffer) contains aGk=", "(len(fd.name) > 3 and b64(evt.buffer) contains aGk=)" },
	{ "proc.name = val(proc.pname)", "proc.name = val(proc.pname)" },
	{ "proc.name != val(tolower(proc.aname[1]))", "proc.name != val(tolower(proc.aname[1]))" },
	{ "proc.name = val", "proc.name = val" },
	{ "x.y = \"a \\\"b\\\" c\"", "x.y = \"a \\\"b\\\" c\"" },
	{ "x.y = 'it\\'s'", "x.y = \"it's\"" },
	{ "x.y = \"back\\\\slash\"", "x.y = \"back\\\\slash\"" },
	{ "x.y = \"tab\\there\\nline\"", "x.y = \"tab\\there\\nline\"" },
	{ "x.y = \"\\d+\"", "x.y = \"\\\\d+\"" },
	{ "x.y = \"a, b)\"", "x.y = \"a, b)\"" },
	{ "x.y = \"\"", "x.y = \"\"" },
	{ "x.y = '\"quoted\"'", "x.y = \"\\\"quoted\\\"\"" },
	{ "x.y in (\"val(x)\", \"(p\")", "x.y in (\"val(x)\", \"(p\")" },
	{ "x.y=a(b", "x.y = a(b" },
};

static void test_printed_forms(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(print_cases) / sizeof(print_cases[0]); i++) {
		char *out = printed(print_cases[i].in);

		if (strcmp(out, print_cases[i].out) != 0)
			fail_msg("'%s' printed as '%s', expected '%s'", print_cases[i].in, out,
				 print_cases[i].out);
		free(out);
	}
}

/* --- the trees themselves ------------------------------------------------------------- */

static void test_precedence_tree(void **state)
{
	struct ast_node *n = parse_ok("a or b and not c");

	(void)state;
	assert_int_equal(n->kind, AST_OR);
	assert_int_equal(n->nkids, 2);
	assert_int_equal(n->kids[0]->kind, AST_MACRO);
	assert_string_equal(n->kids[0]->macro, "a");
	assert_int_equal(n->kids[1]->kind, AST_AND);
	assert_int_equal(n->kids[1]->kids[1]->kind, AST_NOT);
	assert_string_equal(n->kids[1]->kids[1]->kids[0]->macro, "c");
	ast_free(n);
}

static void test_literals(void **state)
{
	struct ast_node *n = parse_ok("x.y in (bare, \"dq\", 'sq', \"a\\\\b\\q\")");

	(void)state;
	assert_int_equal(n->kind, AST_CMP);
	assert_string_equal(n->op, "in");
	assert_int_equal(n->rhs.kind, VAL_LIST);
	assert_int_equal(n->rhs.nitems, 4);
	assert_string_equal(n->rhs.items[0].text, "bare");
	assert_false(n->rhs.items[0].quoted);
	assert_string_equal(n->rhs.items[1].text, "dq");
	assert_true(n->rhs.items[1].quoted);
	assert_string_equal(n->rhs.items[2].text, "sq");
	assert_true(n->rhs.items[2].quoted);
	/* \\ is one backslash; an unknown escape keeps its backslash */
	assert_string_equal(n->rhs.items[3].text, "a\\b\\q");
	ast_free(n);
}

static void test_fields(void **state)
{
	struct ast_node *n = parse_ok("toupper(basename(proc.aname[3])) = val(len(evt.arg.flags))");

	(void)state;
	assert_string_equal(n->lhs.name, "proc.aname");
	assert_string_equal(n->lhs.arg, "3");
	assert_int_equal(n->lhs.ntransforms, 2);
	assert_int_equal(n->lhs.transforms[0], TR_BASENAME);   /* innermost first */
	assert_int_equal(n->lhs.transforms[1], TR_TOUPPER);
	assert_int_equal(n->rhs.kind, VAL_FIELD);
	assert_string_equal(n->rhs.field.name, "evt.arg.flags");
	assert_null(n->rhs.field.arg);
	assert_int_equal(n->rhs.field.ntransforms, 1);
	assert_int_equal(n->rhs.field.transforms[0], TR_LEN);
	ast_free(n);

	n = parse_ok("proc.pname exists");
	assert_int_equal(n->rhs.kind, VAL_NONE);
	assert_int_equal(n->rhs.nitems, 0);
	assert_null(n->lhs.arg);
	ast_free(n);
}

static void test_positions(void **state)
{
	struct ast_node *n = parse_ok("spawned_process and\n  not proc.name in (a,\n    \"b c\")");
	const struct ast_node *not, *cmp;

	(void)state;
	assert_int_equal(n->kind, AST_AND);
	assert_int_equal(n->pos.line, 1);
	assert_int_equal(n->pos.col, 1);
	assert_string_equal(n->pos.file, "c.yaml");
	assert_int_equal(n->kids[0]->pos.col, 1);
	not = n->kids[1];
	assert_int_equal(not->pos.line, 2);
	assert_int_equal(not->pos.col, 3);
	cmp = not->kids[0];
	assert_int_equal(cmp->pos.line, 2);
	assert_int_equal(cmp->pos.col, 7);
	assert_int_equal(cmp->lhs.pos.col, 7);
	assert_int_equal(cmp->rhs.items[0].pos.line, 2);
	assert_int_equal(cmp->rhs.items[0].pos.col, 21);
	assert_int_equal(cmp->rhs.items[1].pos.line, 3);
	assert_int_equal(cmp->rhs.items[1].pos.col, 5);
	ast_free(n);
}

/* --- errors ------------------------------------------------------------------------- */

static const struct { const char *in; int line, col; const char *msg; } error_cases[] = {
	{ "", 1, 1, "empty condition" },
	{ "  \n ", 1, 1, "empty condition" },
	{ "proc.name =", 1, 12, "expected a value after '='" },
	{ "proc.name =   ", 1, 12, "expected a value after '='" },
	{ "proc.name = )", 1, 13, "expected a value after '=', found ')'" },
	{ "proc.name", 1, 10, "expected an operator after 'proc.name', found the end of the condition" },
	{ "proc.name bash", 1, 11, "expected an operator after 'proc.name', found 'bash'" },
	{ "proc.aname[2]", 1, 14, "expected an operator after 'proc.aname'" },
	{ "(a and b", 1, 1, "missing ')' to close this '('" },
	{ "(a and b c)", 1, 10, "expected ')', 'and' or 'or', found 'c'" },
	{ "a and b)", 1, 8, "unexpected ')' without a matching '('" },
	{ "a b", 1, 3, "expected 'and', 'or' or the end of the condition, found 'b'" },
	{ "a and", 1, 6, "unexpected end of condition: expected a field, a macro or '('" },
	{ "not", 1, 4, "unexpected end of condition" },
	{ "and a", 1, 1, "expected a field, a macro or '(', found 'and'" },
	{ "a or or b", 1, 6, "expected a field, a macro or '(', found 'or'" },
	{ "1abc = 3", 1, 1, "expected a field, a macro or '(', found '1abc'" },
	{ "= 3", 1, 1, "found '='" },
	{ "proc.name = \"abc", 1, 13, "unterminated string: missing closing \"" },
	{ "proc.name = 'abc\\'", 1, 13, "unterminated string: missing closing '" },
	{ "proc.name in (a, b", 1, 14, "list not closed: missing ')'" },
	{ "proc.name in (a,,b)", 1, 17, "expected a value in the list, found ','" },
	{ "proc.name in (a,)", 1, 17, "expected a value in the list, found ')'" },
	{ "proc.name in (a b)", 1, 17, "expected ',' or ')' in the list, found 'b'" },
	{ "proc.name in ((a))", 1, 15, "expected a value in the list, found '('" },
	{ "proc.name in a", 1, 14, "'in' needs a list of values in parentheses, found 'a'" },
	{ "proc.name = (a, b)", 1, 13, "'=' takes a single value, not a list" },
	{ "proc.name pmatch", 1, 17, "expected a value after 'pmatch'" },
	{ "proc.aname[2 = x", 1, 11, "missing ']' after the argument of 'proc.aname'" },
	{ "tolower(proc.name = x", 1, 19, "expected ')' to close tolower(, found '='" },
	{ "tolower() = x", 1, 9, "expected a field name, found ')'" },
	{ "proc.name = val(proc.pname", 1, 27, "expected ')' to close val(, found the end" },
	{ "proc.name = val(\"x\")", 1, 17, "expected a field name, found '\"x\"'" },
	{ "tolower(toupper(basename(len(b64(x.y))))) = 1", 1, 1, "too many transformers on one field (at most 4)" },
	{ "a and\n  proc.name =\n", 2, 14, "expected a value after '='" },
	{ "a and\n  (b or\n   c", 2, 3, "missing ')' to close this '('" },
};

static void test_errors(void **state)
{
	struct parse_error err;
	struct ast_node *n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		struct loc_text t = text(error_cases[i].in);

		memset(&err, 0, sizeof(err));
		n = condition_parse(&t, &err);
		if (n)
			fail_msg("'%s' parsed, expected an error", error_cases[i].in);
		if (!strstr(err.msg, error_cases[i].msg) || err.pos.line != error_cases[i].line ||
		    err.pos.col != error_cases[i].col)
			fail_msg("'%s': got %d:%d: %s, expected %d:%d: %s", error_cases[i].in,
				 err.pos.line, err.pos.col, err.msg, error_cases[i].line,
				 error_cases[i].col, error_cases[i].msg);
		assert_string_equal(err.pos.file, "c.yaml");
		loc_text_free(&t);
	}
}

static void test_nesting_limit(void **state)
{
	size_t depth = CONDITION_MAX_NESTING + 1, i;
	char *s = malloc(2 * depth + 2), *p = s;
	struct parse_error err;
	struct ast_node *n;
	struct loc_text t;

	(void)state;
	for (i = 0; i < depth; i++)
		*p++ = '(';
	*p++ = 'a';
	for (i = 0; i < depth; i++)
		*p++ = ')';
	*p = '\0';
	t = text(s);
	n = condition_parse(&t, &err);
	assert_null(n);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	loc_text_free(&t);

	/* one level less is fine */
	s[depth - 1] = ' ';
	s[2 * depth] = ' ';
	n = parse_ok(s);
	assert_int_equal(n->kind, AST_MACRO);
	ast_free(n);

	/* a chain of `not`s counts too */
	free(s);
	s = malloc(4 * depth + 2);
	for (p = s, i = 0; i < depth; i++)
		p += sprintf(p, "not ");
	strcpy(p, "a");
	t = text(s);
	n = condition_parse(&t, &err);
	assert_null(n);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	loc_text_free(&t);
	n = parse_ok(s + 4);
	assert_int_equal(n->kind, AST_NOT);
	ast_free(n);
	free(s);
}

/* --- the exception-field and list-item entry points -------------------------------------- */

static void test_field_and_item(void **state)
{
	struct loc_text t = text("  proc.aname[2] ");
	struct ast_literal lit;
	struct ast_field f;
	struct parse_error err;

	(void)state;
	assert_true(condition_parse_field(&t, &f, &err));
	assert_string_equal(f.name, "proc.aname");
	assert_string_equal(f.arg, "2");
	assert_int_equal(f.pos.col, 3);
	free(f.name);
	free(f.arg);
	loc_text_free(&t);

	t = text("proc.name x");
	assert_false(condition_parse_field(&t, &f, &err));
	assert_string_equal(err.msg, "unexpected 'x' after the field name");
	assert_int_equal(err.pos.col, 11);
	loc_text_free(&t);

	t = text("\"sh -c node -e \\\"require('nan')\\\"\"");
	assert_true(condition_parse_item(&t, &lit, &err));
	assert_string_equal(lit.text, "sh -c node -e \"require('nan')\"");
	assert_true(lit.quoted);
	free(lit.text);
	loc_text_free(&t);

	t = text("puma reactor");
	assert_true(condition_parse_item(&t, &lit, &err));
	assert_string_equal(lit.text, "puma reactor");
	assert_false(lit.quoted);
	free(lit.text);
	loc_text_free(&t);

	t = text("\"a\" b");
	assert_false(condition_parse_item(&t, &lit, &err));
	assert_string_equal(err.msg, "unexpected 'b' after the closing quote");
	assert_int_equal(err.pos.col, 5);
	loc_text_free(&t);

	t = text("'open");
	assert_false(condition_parse_item(&t, &lit, &err));
	assert_string_equal(err.msg, "unterminated string: missing closing '");
	loc_text_free(&t);
}

static void test_op_kinds(void **state)
{
	(void)state;
	assert_int_equal(condition_op_kind("="), OP_SCALAR);
	assert_int_equal(condition_op_kind("startswith"), OP_SCALAR);
	assert_int_equal(condition_op_kind("in"), OP_LIST);
	assert_int_equal(condition_op_kind("pmatch"), OP_LIST);
	assert_int_equal(condition_op_kind("intersects"), OP_LIST);
	assert_int_equal(condition_op_kind("exists"), OP_UNARY);
	assert_int_equal(condition_op_kind("like"), OP_UNKNOWN);
	assert_int_equal(condition_op_kind("IN"), OP_UNKNOWN);
}

/* --- printing and reparsing ---------------------------------------------------------- */

static void assert_same_tree(const struct ast_node *a, const struct ast_node *b)
{
	size_t i;

	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->nkids, b->nkids);
	for (i = 0; i < a->nkids; i++)
		assert_same_tree(a->kids[i], b->kids[i]);
	if (a->kind == AST_MACRO)
		assert_string_equal(a->macro, b->macro);
	if (a->kind != AST_CMP)
		return;
	assert_string_equal(a->lhs.name, b->lhs.name);
	assert_int_equal(a->lhs.arg == NULL, b->lhs.arg == NULL);
	if (a->lhs.arg)
		assert_string_equal(a->lhs.arg, b->lhs.arg);
	assert_int_equal(a->lhs.ntransforms, b->lhs.ntransforms);
	assert_memory_equal(a->lhs.transforms, b->lhs.transforms, sizeof(a->lhs.transforms));
	assert_string_equal(a->op, b->op);
	assert_int_equal(a->rhs.kind, b->rhs.kind);
	assert_int_equal(a->rhs.nitems, b->rhs.nitems);
	for (i = 0; i < a->rhs.nitems; i++) {
		assert_string_equal(a->rhs.items[i].text, b->rhs.items[i].text);
		assert_int_equal(a->rhs.items[i].quoted, b->rhs.items[i].quoted);
	}
	if (a->rhs.kind == VAL_FIELD)
		assert_string_equal(a->rhs.field.name, b->rhs.field.name);
}

static void test_round_trip(void **state)
{
	struct ast_node *first, *again, *copy;
	char *s1, *s2;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(print_cases) / sizeof(print_cases[0]); i++) {
		first = parse_ok(print_cases[i].in);
		s1 = ast_to_string(first);
		again = parse_ok(s1);
		s2 = ast_to_string(again);
		assert_string_equal(s1, s2);
		assert_same_tree(first, again);
		copy = ast_clone(first);
		assert_same_tree(first, copy);
		ast_free(copy);
		ast_free(first);
		ast_free(again);
		free(s1);
		free(s2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printed_forms),
		cmocka_unit_test(test_precedence_tree),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_field_and_item),
		cmocka_unit_test(test_op_kinds),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
