/*
 * test_rule_harness.h - rules compiled from text and evaluated on events
 * decoded from hand-built kernel records, for the rule engine's unit tests.
 *
 * A rig is a decoder (live=false: /proc is never read) that already knows a
 * small process tree, as the agent would find it at start:
 *
 *     systemd (1) -> sshd (100) -> bash (200, cwd /root)
 *
 * Tests make events in that tree (an exec of cat by bash, an openat, a
 * connect...) and check conditions against them. A condition is compiled
 * the way the agent compiles it: wrapped in a rule, loaded from YAML text
 * (ruleset_load_string) and built into an engine (rule_engine_build), so
 * lists, macros and positions behave as in a rules file.
 *
 * Include after test_util.h and test_records.h.
 */
#ifndef VIGIL_TEST_RULE_HARNESS_H
#define VIGIL_TEST_RULE_HARNESS_H

#include "arena.h"
#include "container.h"
#include "decode.h"
#include "eval.h"
#include "rule_engine.h"
#include "ruleset.h"

#define RIG_NODE "node1"
/* wall-clock time of boot: event ts (CLOCK_BOOTTIME) + this is evt.time */
#define RIG_BOOT_WALL_NS 1700000000000000000ull

#define PID_INIT 1
#define PID_SSHD 100
#define PID_BASH 200

struct rig {
	struct decoder d;
	struct arena decode_arena;   /* paths the decoder resolves */
	struct arena eval_arena;     /* values extractors build */
	struct rec r;
	struct event ev;             /* the last event made (released by the next) */
};

static inline void rig_apply(struct rig *g, const void *rec)
{
	struct event ev;

	if (decode_record(&g->d, rec, g->r.len, &ev, &g->decode_arena) != 0)
		fail_msg("state record refused: %s", g->d.error);
}

/* decode a record that makes an event */
static inline const struct event *rig_event(struct rig *g, const void *rec)
{
	event_release(&g->ev);
	if (decode_record(&g->d, rec, g->r.len, &g->ev, &g->decode_arena) != 1)
		fail_msg("event record refused: %s", g->d.error);
	return &g->ev;
}

static inline void rig_init(struct rig *g)
{
	const struct exec_spec init = { .kind = VG_EV_PROC_SNAPSHOT, .pid = PID_INIT, .ts = 1, .comm = "systemd",
					.exe = "/sbin/init", ARGV("/sbin/init\0splash\0"), .cwd = "/" };
	const struct exec_spec sshd = { .kind = VG_EV_PROC_SNAPSHOT, .pid = PID_SSHD, .ppid = PID_INIT, .ts = 10,
					.comm = "sshd", .exe = "/usr/sbin/sshd", ARGV("/usr/sbin/sshd\0-D\0"),
					.cwd = "/" };
	const struct exec_spec bash = { .kind = VG_EV_PROC_SNAPSHOT, .pid = PID_BASH, .ppid = PID_SSHD, .ts = 100,
					.comm = "bash", .exe = "/usr/bin/bash", ARGV("-bash\0"), .cwd = "/root",
					.auid = 1000 };

	memset(g, 0, sizeof(*g));
	decoder_init(&g->d, RIG_NODE, 1024, false);
	rig_apply(g, build_node_info(&g->r, RIG_NODE, RIG_BOOT_WALL_NS));
	rig_apply(g, build_exec(&g->r, &init));
	rig_apply(g, build_exec(&g->r, &sshd));
	rig_apply(g, build_exec(&g->r, &bash));
}

static inline void rig_free(struct rig *g)
{
	event_release(&g->ev);
	decoder_free(&g->d);
	arena_free(&g->decode_arena);
	arena_free(&g->eval_arena);
	container_cache_clear();
}

/* --- rules --------------------------------------------------------------------------- */

/* every diagnostic, formatted, one per line (malloc'd) */
static inline char *diags_text(const struct diags *d)
{
	char *all = calloc(1, d->n * 1024 + 1), line[1024];
	size_t len = 0;

	assert_non_null(all);
	for (size_t i = 0; i < d->n; i++) {
		diag_format(&d->v[i], line, sizeof(line));
		len += sprintf(all + len, "%s\n", line);
	}
	return all;
}

/* every rule enabled whatever its priority, nothing else changed */
static inline struct rule_selection selection_all(void)
{
	struct rule_selection sel;

	memset(&sel, 0, sizeof(sel));
	sel.min_priority = PRI_DEBUG;
	return sel;
}

/* load and build rules text (file name "t.yaml"); NULL on failure, with diagnostics in d */
static inline struct rule_engine *engine_build_text(const char *yaml, const struct rule_selection *sel,
						    struct diags *d)
{
	struct ruleset_src rs;

	if (ruleset_load_string("t.yaml", yaml, strlen(yaml), &rs, d) != 0)
		return NULL;
	return rule_engine_build(&rs, sel, d);
}

/*
 * One rule "t" with this condition and output, as a block scalar so that no
 * character needs YAML quoting: the condition starts at line 4, column 5 of
 * t.yaml, the output at line 6, column 5.
 */
static inline char *rule_yaml(const char *cond, const char *output)
{
	char *yaml;

	assert_true(asprintf(&yaml, "- rule: t\n  desc: d\n  condition: |-\n    %s\n  output: |-\n    %s\n"
			     "  priority: WARNING\n", cond, output) > 0);
	return yaml;
}

/* the engine of one rule, or a test failure naming the diagnostics */
static inline struct rule_engine *engine_of(const char *cond, const char *output)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	char *yaml = rule_yaml(cond, output);
	struct rule_engine *e = engine_build_text(yaml, &sel, &d);

	if (!e || d.nerrors) {
		char *all = diags_text(&d);

		fail_msg("'%s' / '%s' did not compile:\n%s", cond, output, all);
	}
	diags_free(&d);
	free(yaml);
	return e;
}

static inline void eval_state_of(struct eval_state *st, const struct rule_engine *e, struct rig *g)
{
	eval_state_init(st, e->slots.n, &g->eval_arena, g->d.node, g->d.boot_wall_ns);
	eval_begin(st);
}

/* is the condition true for the event? */
static inline bool cond_holds(struct rig *g, const char *cond, const struct event *ev)
{
	struct rule_engine *e = engine_of(cond, "o");
	struct eval_state st;
	bool r;

	eval_state_of(&st, e, g);
	r = cond_eval(&st, e->rules[0].cond, ev);
	eval_state_free(&st);
	rule_engine_free(e);
	return r;
}

/* a condition and the result it must have */
struct cond_case {
	const char *cond;
	bool want;
};

static inline void check_conds(struct rig *g, const struct event *ev, const char *what,
			       const struct cond_case *cases, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		if (cond_holds(g, cases[i].cond, ev) != cases[i].want) {
			print_error("  %s: '%s' should be %s\n", what, cases[i].cond, cases[i].want ? "true" : "false");
			bad++;
		}
	}
	if (bad)
		fail_msg("%d of %zu conditions wrong on %s", bad, n, what);
}

#define CHECK_CONDS(g, ev, cases) check_conds((g), (ev), #cases, (cases), sizeof(cases) / sizeof((cases)[0]))

#endif /* VIGIL_TEST_RULE_HARNESS_H */
