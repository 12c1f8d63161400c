/*
 * test_rule_engine.c - how a built engine decides which rules see which
 * events: the event types a condition can be true for (and, or, not, and
 * conditions that do not restrict the type), the per-type index and the set
 * of syscalls the kernel is asked to send, the warning for a rule checked
 * against (nearly) every event, and rule selection (tags, names, priority)
 * as Falco's -t/-T/-D and friends do it. Then evaluation through the index.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <fcntl.h>
#include <sys/syscall.h>

#define RULE(name, cond, extra) \
	"- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: WARNING\n" extra

/* every event type id that has a name */
static int named_types(void)
{
	int n = 0;

	for (int id = 0; id < EVT_MAX; id++)
		n += evttype_name(id) != NULL;
	return n;
}

/* --- event types of conditions ------------------------------------------------------------ */

struct types_case {
	const char *cond;
	const char *types;   /* "open openat": exactly these; NULL with `all` or `all_but` */
	bool all;            /* every type */
	const char *all_but; /* every type but these */
};

static const struct types_case types_cases[] = {
	{ "evt.type = openat", "openat", false, NULL },
	{ "evt.type in (open, openat, openat2)", "open openat openat2", false, NULL },
	{ "evt.type = open or evt.type = creat", "open creat", false, NULL },
	{ "evt.type in (open, openat) and evt.type in (openat, openat2)", "openat", false, NULL },
	{ "evt.type = open and evt.type = openat", "", false, NULL },
	{ "evt.type in (open, openat) and proc.name = cat", "open openat", false, NULL },
	{ "(evt.type = open and fd.num > 2) or (evt.type = connect and fd.sport = 22)", "open connect", false, NULL },
	{ "evt.type = execve and not proc.name = bash", "execve", false, NULL },
	{ "evt.type = execve and evt.dir = <", "execve", false, NULL },
	{ "evt.type = execve and evt.dir = >", "", false, NULL },
	{ "evt.type = execve and not evt.type = execve", "", false, NULL },
	{ "not evt.type != ptrace", "ptrace", false, NULL },
	{ "evt.type in (procexit, tcp_connect)", "procexit tcp_connect", false, NULL },
	/* no restriction */
	{ "proc.name = cat", NULL, true, NULL },
	{ "evt.type = open or proc.name = cat", NULL, true, NULL },
	{ "not (evt.type = open and proc.name = cat)", NULL, true, NULL },
	{ "evt.type startswith open", NULL, true, NULL },
	{ "tolower(evt.type) = open", NULL, true, NULL },
	{ "evt.dir = <", NULL, true, NULL },
	/* everything but some */
	{ "evt.type != openat", NULL, false, "openat" },
	{ "not evt.type = openat", NULL, false, "openat" },
	{ "not evt.type in (open, openat)", NULL, false, "open openat" },
	{ "not (evt.type = open or evt.type = openat)", NULL, false, "open openat" },
	{ "evt.type != open and evt.type != openat", NULL, false, "open openat" },
};

/* the names in a space-separated list, as a bitmap */
static void bitmap_of(const char *names, uint8_t *out)
{
	char buf[256], *save, *tok;

	memset(out, 0, EVT_BITMAP_BYTES);
	snprintf(buf, sizeof(buf), "%s", names);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		int id = evttype_id(tok);

		assert_true(id >= 0);
		out[id / 8] |= 1 << (id % 8);
	}
}

static void test_condition_event_types(void **state)
{
	int total = named_types(), bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(types_cases) / sizeof(types_cases[0]); i++) {
		const struct types_case *c = &types_cases[i];
		struct rule_engine *e = engine_of(c->cond, "o");
		const struct rule *r = &e->rules[0];
		uint8_t want[EVT_BITMAP_BYTES], got[EVT_BITMAP_BYTES];
		bool all;
		char text[4096];

		cond_event_types(r->cond, got, &all);
		if (c->all) {
			memset(want, 0, sizeof(want));
			for (int id = 0; id < EVT_MAX; id++)
				if (evttype_name(id))
					want[id / 8] |= 1 << (id % 8);
		} else if (c->all_but) {
			uint8_t but[EVT_BITMAP_BYTES];

			bitmap_of(c->all_but, but);
			memset(want, 0, sizeof(want));
			for (int id = 0; id < EVT_MAX; id++)
				if (evttype_name(id) && !(but[id / 8] & (1 << (id % 8))))
					want[id / 8] |= 1 << (id % 8);
		} else {
			bitmap_of(c->types, want);
		}
		rule_types_text(r, text, sizeof(text));
		if (memcmp(got, want, sizeof(want)) != 0 || all != c->all || memcmp(r->types, got, sizeof(got)) != 0 ||
		    r->all_types != c->all) {
			print_error("  '%s': indexed under %s%s\n", c->cond, text, all ? " (all)" : "");
			bad++;
		}
		if (!c->all && !c->all_but) {
			int n = 0;

			for (size_t k = 0; k < strlen(c->types); k++)
				n += k == 0 ? c->types[0] != 0 : c->types[k] == ' ';
			if (r->ntypes != n) {
				print_error("  '%s': %d types, want %d\n", c->cond, r->ntypes, n);
				bad++;
			}
		} else if (c->all && r->ntypes != total) {
			print_error("  '%s': %d types, want all %d\n", c->cond, r->ntypes, total);
			bad++;
		}
		rule_engine_free(e);
	}
	if (bad)
		fail_msg("%d conditions indexed wrongly", bad);
}

static void test_types_text(void **state)
{
	struct rule_engine *e;
	char text[256];

	(void)state;
	e = engine_of("evt.type in (execveat, execve)", "o");
	rule_types_text(&e->rules[0], text, sizeof(text));
	assert_string_equal(text, "execve, execveat");
	rule_engine_free(e);
	e = engine_of("proc.name = x", "o");
	rule_types_text(&e->rules[0], text, sizeof(text));
	snprintf(text + 128, 64, "all (%d)", named_types());
	assert_string_equal(text, text + 128);
	rule_engine_free(e);
}

/* --- the index and what the kernel sends ---------------------------------------------------- */

static const char index_rules[] =
	RULE("opens", "evt.type in (open, openat) and fd.name startswith /etc", "")
	RULE("execs", "evt.type in (execve, execveat)", "")
	RULE("connects", "evt.type = tcp_connect", "")
	RULE("exits", "evt.type = procexit and proc.name = cat", "")
	RULE("any", "proc.name = cat", "  warn_evttypes: false\n")
	RULE("off", "evt.type = ptrace", "  enabled: false\n");

static void test_index_and_kernel_interest(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e = engine_build_text(index_rules, &sel, &d);
	struct rule *opens, *any;
	int openat = evttype_id("openat");

	(void)state;
	assert_non_null(e);
	assert_int_equal(d.n, 0);      /* "any" asked not to be warned about */
	assert_int_equal(e->nrules, 6);
	assert_int_equal(e->nenabled, 5);
	opens = rule_engine_find(e, "opens");
	any = rule_engine_find(e, "any");
	assert_null(rule_engine_find(e, "nosuch"));
	assert_false(rule_engine_find(e, "off")->enabled);

	/* under openat: the rule that names it, and the one that names no type, in rule order */
	assert_int_equal(e->nby_type[openat], 2);
	assert_ptr_equal(e->by_type[openat][0], opens);
	assert_ptr_equal(e->by_type[openat][1], any);
	/* read is checked by "any" only */
	assert_int_equal(e->nby_type[SYS_read], 1);
	assert_ptr_equal(e->by_type[SYS_read][0], any);
	assert_int_equal(e->nby_type[evttype_id("procexit")], 2);
	assert_int_equal(e->nby_type[EVT_TCP_CONNECT], 2);
	/* a disabled rule is indexed nowhere */
	assert_int_equal(e->nby_type[SYS_ptrace], 1);

	/* the kernel sends the syscalls named by enabled rules, and nothing for a rule without a type */
	for (int nr = 0; nr < VG_MAX_SYSCALLS; nr++) {
		bool want = nr == SYS_open || nr == SYS_openat || nr == SYS_execve || nr == SYS_execveat;

		if (((e->syscall_flags[nr] & VG_SC_CAPTURE) != 0) != want)
			fail_msg("syscall %d (%s): capture flag %s", nr, evttype_name(nr) ? evttype_name(nr) : "?",
				 want ? "missing" : "set");
	}
	assert_true(e->wants_tcp);
	rule_engine_free(e);
	diags_free(&d);

	/* no TCP rule, no TCP events */
	e = engine_build_text(RULE("execs", "evt.type = execve", "") RULE("exits", "evt.type = procexit", ""), &sel,
			      &d);
	assert_non_null(e);
	assert_false(e->wants_tcp);
	assert_true(e->syscall_flags[SYS_execve] & VG_SC_CAPTURE);
	assert_false(e->syscall_flags[SYS_openat] & VG_SC_CAPTURE);
	rule_engine_free(e);
	diags_free(&d);
}

struct matches {
	const char *names[8];
	size_t n;
};

static void note_match(void *ctx, struct rule *r, const struct event *ev, struct eval_state *st)
{
	struct matches *m = ctx;

	(void)ev;
	(void)st;
	assert_true(m->n < 8);
	m->names[m->n++] = r->def->name;
}

/* an event is checked against the rules indexed under its type, and only those */
static void test_eval_through_the_index(void **state)
{
	struct rig *g = *state;
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e = engine_build_text(index_rules, &sel, &d);
	struct eval_state st;
	struct matches m = { 0 };
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 9);
	const struct exec_spec cat = { .pid = 300, .ppid = PID_BASH, .ts = 1000, .comm = "cat",
				       .exe = "/usr/bin/cat", ARGV("cat\0/etc/hosts\0"), .cwd = "/root" };
	const struct sc_spec open = { .pid = 300, .ts = 1100, .nr = SYS_openat, .ret = 3,
				      .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY }, .str = { "/etc/hosts" },
				      .fdinfo = &fi };
	const struct sc_spec ptrace = { .pid = 300, .ts = 1200, .nr = SYS_ptrace, .ret = 0 };

	assert_non_null(e);
	eval_state_init(&st, e->slots.n, &g->eval_arena, g->d.node, g->d.boot_wall_ns);

	assert_int_equal(rule_engine_eval(e, &st, rig_event(g, build_exec(&g->r, &cat)), note_match, &m), 2);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.names[0], "execs");
	assert_string_equal(m.names[1], "any");

	m.n = 0;
	assert_int_equal(rule_engine_eval(e, &st, rig_event(g, build_syscall(&g->r, &open)), note_match, &m), 2);
	assert_string_equal(m.names[0], "opens");
	assert_string_equal(m.names[1], "any");

	/* the disabled ptrace rule would match, but is not asked */
	m.n = 0;
	assert_int_equal(rule_engine_eval(e, &st, rig_event(g, build_syscall(&g->r, &ptrace)), note_match, &m), 1);
	assert_string_equal(m.names[0], "any");

	/* bash's exit: "exits" wants cat */
	m.n = 0;
	assert_int_equal(rule_engine_eval(e, &st, rig_event(g, build_exit(&g->r, PID_BASH, 0, 1300)), note_match, &m),
			 0);
	assert_int_equal(m.n, 0);

	assert_int_equal(rule_engine_find(e, "execs")->matches, 1);
	assert_int_equal(rule_engine_find(e, "opens")->matches, 1);
	assert_int_equal(rule_engine_find(e, "any")->matches, 3);
	assert_int_equal(rule_engine_find(e, "off")->matches, 0);
	eval_state_free(&st);
	rule_engine_free(e);
	diags_free(&d);
}

/* --- rules checked against every event ---------------------------------------------------- */

static void test_many_types_warning(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e;
	char *all, want[256];

	(void)state;
	e = engine_build_text(RULE("no type", "proc.name = cat", "")
			      RULE("all but one", "evt.type != openat and proc.name = cat", "")
			      RULE("quiet", "proc.name = cat", "  warn_evttypes: false\n")
			      RULE("typed", "evt.type in (open, openat) and proc.name = cat", ""), &sel, &d);
	assert_non_null(e);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.n, 2);
	all = diags_text(&d);
	snprintf(want, sizeof(want), "t.yaml:3:14: warning: rule 'no type': matches %d event types: add an evt.type "
		 "condition so it is not checked against every event", named_types());
	if (!strstr(all, want))
		fail_msg("expected\n  %s\ngot\n%s", want, all);
	snprintf(want, sizeof(want), "t.yaml:8:14: warning: rule 'all but one': matches %d event types",
		 named_types() - 1);
	if (!strstr(all, want))
		fail_msg("expected\n  %s\ngot\n%s", want, all);
	/* the warned rules still run */
	assert_int_equal(e->nenabled, 4);
	free(all);
	rule_engine_free(e);
	diags_free(&d);

	/* 100 types or fewer: no warning */
	e = engine_build_text(RULE("few", "evt.type in (open, openat, creat, execve, connect) or evt.type = ptrace", ""),
			      &sel, &d);
	assert_non_null(e);
	assert_int_equal(d.n, 0);
	rule_engine_free(e);
	diags_free(&d);
}

/* --- selection ------------------------------------------------------------------------------- */

static const char selection_rules[] =
	"- rule: Shell spawned\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n"
	"  tags: [process, shell]\n"
	"- rule: Outbound connection\n  desc: d\n  condition: evt.type = connect\n  output: o\n  priority: NOTICE\n"
	"  tags: [network]\n"
	"- rule: Noisy debug rule\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: DEBUG\n"
	"  tags: [process]\n  enabled: false\n"
	"- rule: Read sensitive file\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: CRITICAL\n";

struct selection_case {
	const char *what;
	const char *only_tags, *disable_tags, *disable_rules, *enable_rules, *enable_tags;  /* one each or NULL */
	int min_priority;
	const char *enabled;   /* initials of the enabled rules, in order: S O N R */
};

static const struct selection_case selection_cases[] = {
	{ "defaults", NULL, NULL, NULL, NULL, NULL, PRI_DEBUG, "SOR" },
	{ "only a tag", "process", NULL, NULL, NULL, NULL, PRI_DEBUG, "S" },
	{ "only a tag nobody has", "k8s", NULL, NULL, NULL, NULL, PRI_DEBUG, "" },
	{ "disable a tag", NULL, "process", NULL, NULL, NULL, PRI_DEBUG, "OR" },
	{ "disable by glob", NULL, NULL, "*sensitive*", NULL, NULL, PRI_DEBUG, "SO" },
	{ "disable by exact name", NULL, NULL, "Shell spawned", NULL, NULL, PRI_DEBUG, "OR" },
	{ "disable is case-sensitive", NULL, NULL, "shell spawned", NULL, NULL, PRI_DEBUG, "SOR" },
	{ "enable a disabled rule", NULL, NULL, NULL, "Noisy*", NULL, PRI_DEBUG, "SONR" },
	{ "enable by tag", NULL, NULL, NULL, NULL, "process", PRI_DEBUG, "SONR" },
	{ "enable by tag, only that tag", "process", NULL, NULL, NULL, "process", PRI_DEBUG, "SN" },
	{ "disabling wins over enabling", NULL, NULL, "Noisy*", "Noisy*", NULL, PRI_DEBUG, "SOR" },
	{ "disabled tag wins over enabled name", NULL, "process", NULL, "Noisy*", NULL, PRI_DEBUG, "OR" },
	{ "minimum priority warning", NULL, NULL, NULL, NULL, NULL, PRI_WARNING, "SR" },
	{ "minimum priority notice", NULL, NULL, NULL, NULL, NULL, PRI_NOTICE, "SOR" },
	{ "minimum priority critical", NULL, NULL, NULL, NULL, NULL, PRI_CRITICAL, "R" },
	{ "minimum priority emergency", NULL, NULL, NULL, NULL, NULL, PRI_EMERGENCY, "" },
	{ "priority filters enabled rules too", NULL, NULL, NULL, "*", NULL, PRI_INFORMATIONAL, "SOR" },
};

static void test_selection(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(selection_cases) / sizeof(selection_cases[0]); i++) {
		const struct selection_case *c = &selection_cases[i];
		struct rule_selection sel = selection_all();
		struct diags d = { 0 };
		struct rule_engine *e;
		char got[8] = "";
		size_t n = 0, indexed = 0;

		const char *only = c->only_tags, *off_tag = c->disable_tags, *off_rule = c->disable_rules;
		const char *on_rule = c->enable_rules, *on_tag = c->enable_tags;

		sel.only_tags = &only;
		sel.nonly_tags = only != NULL;
		sel.disable_tags = &off_tag;
		sel.ndisable_tags = off_tag != NULL;
		sel.disable_rules = &off_rule;
		sel.ndisable_rules = off_rule != NULL;
		sel.enable_rules = &on_rule;
		sel.nenable_rules = on_rule != NULL;
		sel.enable_tags = &on_tag;
		sel.nenable_tags = on_tag != NULL;
		sel.min_priority = c->min_priority;
		e = engine_build_text(selection_rules, &sel, &d);
		assert_non_null(e);
		for (size_t k = 0; k < e->nrules; k++)
			if (e->rules[k].enabled)
				got[n++] = e->rules[k].def->name[0];
		got[n] = 0;
		for (int id = 0; id < EVT_MAX; id++)
			indexed += e->nby_type[id];
		/* each rule here names one type: the index holds the enabled ones, once each */
		if (strcmp(got, c->enabled) != 0 || e->nenabled != n || indexed != n) {
			print_error("  %s: enabled '%s' (%zu, %zu indexed), want '%s'\n", c->what, got, e->nenabled,
				    indexed, c->enabled);
			bad++;
		}
		rule_engine_free(e);
		diags_free(&d);
	}
	if (bad)
		fail_msg("%d selections wrong", bad);
}

static int setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	rig_init(g);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct rig *g = *state;

	rig_free(g);
	free(g);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_condition_event_types),
		cmocka_unit_test(test_types_text),
		cmocka_unit_test(test_index_and_kernel_interest),
		cmocka_unit_test_setup_teardown(test_eval_through_the_index, setup, teardown),
		cmocka_unit_test(test_many_types_warning),
		cmocka_unit_test(test_selection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
