/*
 * test_rule_output.c - rule outputs: %field substitution (arguments,
 * evt.arg names, a sentence's full stop after a field, %%, <NA> for missing
 * values, values of every type printed as Falco prints them), the typed
 * output_fields of JSON alerts, and the text alert line
 * "<time>+0000: <Priority> <output>" that alerts.c writes.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/syscall.h>

#include "alerts.h"
#include "users.h"

/* user and group names come from files under here: none, so every name is missing */
#define NO_USERS_ROOT "/nonexistent-vigil-test-root"

/* bash (200) runs cat (300), 2 s after boot (2023-11-14T22:13:22Z) */
static const struct event *exec_cat(struct rig *g)
{
	const struct exec_spec s = { .pid = 300, .ppid = PID_BASH, .ts = 2000000000ull, .comm = "cat",
				     .exe = "/usr/bin/cat", ARGV("cat\0/etc/shadow\0"), .cwd = "/root",
				     .uid = 1000, .euid = 1000, .auid = 1000 };

	return rig_event(g, build_exec(&g->r, &s));
}

static const struct event *open_shadow(struct rig *g, int64_t ret)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = { .pid = 300, .ts = 2000001000ull, .nr = SYS_openat, .ret = ret,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY | O_CLOEXEC },
				   .str = { "/etc/shadow" }, .fdinfo = ret >= 0 ? &fi : NULL };

	return rig_event(g, build_syscall(&g->r, &s));
}

static const struct event *connect_out(struct rig *g)
{
	struct vg_fdinfo fi = fdinfo_sock(4, 500, sock_inet(AF_INET6, "2001:db8::1", 40000, "2001:db8::2", 443));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET6, "2001:db8::2", 443);
	const struct sc_spec s = { .pid = 300, .ts = 2000002000ull, .nr = SYS_connect, .ret = 0, .args = { 4 },
				   .sa = sa, .sa_len = salen, .fdinfo = &fi };

	return rig_event(g, build_syscall(&g->r, &s));
}

/* the output's text for the event */
static char *rendered(struct rig *g, const char *output, const struct event *ev)
{
	struct rule_engine *e = engine_of("evt.type exists", output);
	struct eval_state st;
	char *text;

	eval_state_of(&st, e, g);
	text = out_format_render(&e->rules[0].out, &st, ev);
	eval_state_free(&st);
	rule_engine_free(e);
	return text;
}

struct output_case {
	const char *output;
	const char *want;
};

static void check_outputs(struct rig *g, const struct event *ev, const char *what, const struct output_case *cases,
			  size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = rendered(g, cases[i].output, ev);

		if (strcmp(got, cases[i].want) != 0) {
			print_error("  %s: '%s' gave '%s', want '%s'\n", what, cases[i].output, got, cases[i].want);
			bad++;
		}
		free(got);
	}
	if (bad)
		fail_msg("%d outputs wrong on %s", bad, what);
}

#define CHECK_OUTPUTS(g, ev, cases) check_outputs((g), (ev), #cases, (cases), sizeof(cases) / sizeof((cases)[0]))

static void test_substitution(void **state)
{
	struct rig *g = *state;
	static const struct output_case on_exec[] = {
		{ "%proc.name ran %proc.cmdline", "cat ran cat /etc/shadow" },
		{ "%proc.name", "cat" },
		{ "parent=%proc.pname gp=%proc.aname[2] ggp=%proc.aname[3] none=%proc.aname[9]",
		  "parent=bash gp=sshd ggp=systemd none=<NA>" },
		{ "pid=%proc.pid ppid=%proc.ppid uid=%user.uid loginuid=%user.loginuid",
		  "pid=300 ppid=200 uid=1000 loginuid=1000" },
		{ "%proc.name%proc.pid", "cat300" },
		/* a full stop (or an ellipsis) after a field ends the sentence, not the name */
		{ "Ran %proc.exepath.", "Ran /usr/bin/cat." },
		{ "Ran %proc.name...", "Ran cat..." },
		{ "%proc.name.%proc.pid", "cat.300" },
		/* %% is a percent sign; a % before anything but a letter is kept */
		{ "100%% of %proc.name", "100% of cat" },
		{ "%%proc.name", "%proc.name" },
		{ "50% off, %1 and %", "50% off, %1 and %" },
		{ "no fields at all", "no fields at all" },
		{ "", "" },
		/* missing values */
		{ "file=%fd.name sip=%fd.sip port=%fd.sport", "file=<NA> sip=<NA> port=<NA>" },
		{ "image=%container.image.repository:%container.image.tag", "image=<NA>:<NA>" },
		/* other types */
		{ "at %evt.time (%evt.rawtime)", "at 2023-11-14T22:13:22.000000000Z (1700000002000000000)" },
		{ "failed=%evt.failed res=%evt.res", "failed=false res=SUCCESS" },
		{ "(%proc.duration ns)", "(0 ns)" },   /* the exec record says it started then */
		{ "container=%container.id", "container=host" },
		{ "exe_flags=%evt.arg.flags args=%evt.arg.args", "exe_flags= args=/etc/shadow" },
	};
	static const struct output_case on_open[] = {
		{ "flags=%evt.arg.flags", "flags=O_RDONLY|O_CLOEXEC" },
		{ "flags=%evt.arg[flags] name=%evt.arg[1]", "flags=O_RDONLY|O_CLOEXEC name=/etc/shadow" },
		{ "raw=%evt.rawarg.flags fd=%evt.arg.fd", "raw=524288 fd=3" },
		{ "%fd.name (%fd.typechar, fd %fd.num)", "/etc/shadow (f, fd 3)" },
		{ "nosuch=%evt.arg.nosuch", "nosuch=<NA>" },
	};
	static const struct output_case on_failed_open[] = {
		{ "%evt.res %evt.rawres %evt.failed fd=%fd.num %fd.name", "EACCES -13 true fd=-1 /etc/shadow" },
	};
	static const struct output_case on_connect[] = {
		{ "%fd.cip:%fd.cport -> %fd.sip:%fd.sport", "2001:db8::1:40000 -> 2001:db8::2:443" },
		{ "%fd.name", "2001:db8::1:40000->2001:db8::2:443" },
		{ "net=%fd.snet proto=%fd.l4proto", "net=2001:db8::2 proto=tcp" },
	};

	CHECK_OUTPUTS(g, exec_cat(g), on_exec);
	CHECK_OUTPUTS(g, open_shadow(g, 3), on_open);
	CHECK_OUTPUTS(g, open_shadow(g, -EACCES), on_failed_open);
	CHECK_OUTPUTS(g, connect_out(g), on_connect);
}

/* a field in both the condition and the output is extracted once, and an output sees the current event */
static void test_output_shares_slots(void **state)
{
	struct rig *g = *state;
	struct rule_engine *e = engine_of("proc.name = cat and user.uid = 1000", "%proc.name as %user.uid");
	struct eval_state st;
	char *text;

	assert_int_equal(e->slots.n, 2);
	eval_state_of(&st, e, g);
	assert_true(cond_eval(&st, e->rules[0].cond, exec_cat(g)));
	text = out_format_render(&e->rules[0].out, &st, &g->ev);
	assert_string_equal(text, "cat as 1000");
	free(text);
	eval_begin(&st);
	text = out_format_render(&e->rules[0].out, &st, open_shadow(g, 3));
	assert_string_equal(text, "cat as 0");   /* the syscall's own credentials */
	free(text);
	eval_state_free(&st);
	rule_engine_free(e);
}

/* --- JSON output_fields ------------------------------------------------------------------------ */

static void test_output_fields(void **state)
{
	struct rig *g = *state;
	struct rule_engine *e = engine_of("evt.type exists",
					  "%proc.name %proc.pid %evt.rawres %evt.failed %fd.sip %fd.snet %evt.time "
					  "%proc.duration %fd.name %proc.aname[2] %evt.arg.flags %proc.name");
	struct eval_state st;
	json_t *o;
	char *text;

	eval_state_of(&st, e, g);
	o = out_format_fields(&e->rules[0].out, &st, exec_cat(g));
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
			    "{\"evt.arg.flags\":\"\",\"evt.failed\":false,\"evt.rawres\":0,"
			    "\"evt.time\":1700000002000000000,\"fd.name\":null,\"fd.sip\":null,\"fd.snet\":null,"
			    "\"proc.aname[2]\":\"sshd\",\"proc.duration\":0,\"proc.name\":\"cat\","
			    "\"proc.pid\":300}");
	free(text);
	json_decref(o);

	eval_begin(&st);
	o = out_format_fields(&e->rules[0].out, &st, connect_out(g));
	assert_true(json_is_string(json_object_get(o, "fd.sip")));
	assert_string_equal(json_string_value(json_object_get(o, "fd.sip")), "2001:db8::2");
	assert_string_equal(json_string_value(json_object_get(o, "fd.snet")), "2001:db8::2");
	assert_true(json_is_integer(json_object_get(o, "evt.rawres")));
	assert_string_equal(json_string_value(json_object_get(o, "fd.name")), "2001:db8::1:40000->2001:db8::2:443");
	json_decref(o);
	eval_state_free(&st);
	rule_engine_free(e);
}

/* a value that is not UTF-8 cannot be a JSON string: it is replaced, not dropped */
static void test_output_fields_binary(void **state)
{
	struct rig *g = *state;
	const struct exec_spec s = { .pid = 301, .ppid = PID_BASH, .ts = 5, .comm = "x\xff\xfe", .exe = "/tmp/x",
				     ARGV("x\0"), .cwd = "/" };
	struct rule_engine *e = engine_of("evt.type exists", "%proc.name %proc.exepath");
	struct eval_state st;
	json_t *o;

	eval_state_of(&st, e, g);
	o = out_format_fields(&e->rules[0].out, &st, rig_event(g, build_exec(&g->r, &s)));
	assert_string_equal(json_string_value(json_object_get(o, "proc.name")), "<binary>");
	assert_string_equal(json_string_value(json_object_get(o, "proc.exepath")), "/tmp/x");
	json_decref(o);
	eval_state_free(&st);
	rule_engine_free(e);
}

/* --- the text alert line ------------------------------------------------------------------------- */

static void test_alert_text(void **state)
{
	struct rig *g = *state;
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct rule_engine *e = engine_build_text(
		"- rule: Read shadow\n  desc: d\n  condition: evt.type = openat and fd.name = /etc/shadow\n"
		"  output: Shadow read by %proc.name (file=%fd.name user=%user.name)\n  priority: CRITICAL\n"
		"- rule: Debug\n  desc: d\n  condition: evt.type = openat\n  output: opened %fd.name\n"
		"  priority: DEBUG\n", &sel, &d);
	struct alert_sinks sinks = { .node = RIG_NODE, .boot_wall_ns = RIG_BOOT_WALL_NS };
	struct eval_state st;
	const struct event *ev;
	char *line;

	assert_non_null(e);
	eval_state_of(&st, e, g);
	exec_cat(g);
	ev = open_shadow(g, 3);
	assert_true(cond_eval(&st, e->rules[0].cond, ev));
	line = alert_text(&sinks, &e->rules[0], ev, &st, NULL);
	assert_string_equal(line, "2023-11-14T22:13:22.000001000+0000: Critical Shadow read by cat "
				  "(file=/etc/shadow user=<NA>)");
	free(line);
	line = alert_text(&sinks, &e->rules[0], ev, &st, "killed (kernel)");
	assert_string_equal(line, "2023-11-14T22:13:22.000001000+0000: Critical Shadow read by cat "
				  "(file=/etc/shadow user=<NA>) (killed (kernel))");
	free(line);
	line = alert_text(&sinks, &e->rules[1], ev, &st, NULL);
	assert_string_equal(line, "2023-11-14T22:13:22.000001000+0000: Debug opened /etc/shadow");
	free(line);
	eval_state_free(&st);
	rule_engine_free(e);
	diags_free(&d);
}

static int setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	users_set_root(NO_USERS_ROOT);
	rig_init(g);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct rig *g = *state;

	rig_free(g);
	users_set_root("/");
	users_free();
	free(g);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_substitution),
		T(test_output_shares_slots),
		T(test_output_fields),
		T(test_output_fields_binary),
		T(test_alert_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
