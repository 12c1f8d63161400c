/*
 * test_rule_falco_engine.c - Falco's own rules file goes through the whole
 * engine: it loads, every rule compiles (rule_engine_build, fields and
 * types checked), none is skipped or warned about, and each rule is
 * indexed under the event types Falco would give it. Then two of its rules
 * meet events: they fire on what they are about and stay quiet on the
 * exceptions they list. (Tests run from the repository top; the file lives
 * beside the repository, in ../shared/third_party/falco.)
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "users.h"

#define FALCO_RULES TOP_DIR "/../shared/third_party/falco/falco_rules.yaml"
#define FALCO_NRULES 25

static struct rule_engine *engine;
static struct diags diags;

static int build_falco(void **state)
{
	const char *path = FALCO_RULES;
	struct rule_selection sel = selection_all();
	struct ruleset_src rs;

	(void)state;
	if (ruleset_load(&path, 1, &rs, &diags) != 0) {
		diag_print(&diags, stderr);
		return -1;
	}
	engine = rule_engine_build(&rs, &sel, &diags);
	if (!engine) {
		diag_print(&diags, stderr);
		return -1;
	}
	return 0;
}

static int free_falco(void **state)
{
	(void)state;
	rule_engine_free(engine);
	diags_free(&diags);
	return 0;
}

static struct rule *falco_rule(const char *name)
{
	struct rule *r = rule_engine_find(engine, name);

	if (!r)
		fail_msg("no rule '%s'", name);
	return r;
}

static void test_every_rule_compiles(void **state)
{
	(void)state;
	if (diags.n) {
		diag_print(&diags, stderr);
		fail_msg("%zu diagnostics building Falco's rules", diags.n);
	}
	assert_int_equal(engine->nrules, FALCO_NRULES);
	assert_int_equal(engine->nenabled, FALCO_NRULES);
	for (size_t i = 0; i < engine->nrules; i++) {
		const struct rule *r = &engine->rules[i];

		if (r->skipped || !r->cond || !r->enabled || r->all_types || r->ntypes == 0)
			fail_msg("'%s': skipped %d, enabled %d, %d types", r->def->name, r->skipped, r->enabled,
				 r->ntypes);
		assert_int_equal(r->out.nsegs, r->out.nfields + 1);
		assert_true(r->out.nfields > 0);
	}
}

/* the event types each rule is indexed under, as Falco's rules name them */
static const struct {
	const char *rule, *types;
} indexed[] = {
	{ "Read sensitive file untrusted", "open, openat, openat2" },
	{ "Read sensitive file trusted after startup", "open, openat, openat2" },
	{ "Run shell untrusted", "execve, execveat" },
	{ "Search Private Keys or Passwords", "execve, execveat" },
	{ "Contact K8S API Server From Container", "connect" },
	{ "Disallowed SSH Connection Non Standard Port", "connect, sendto, sendmsg" },
	{ "Create Symlink Over Sensitive Files", "symlink, symlinkat" },
	{ "Create Hardlink Over Sensitive Files", "link, linkat" },
	{ "Packet socket created in container", "socket" },
	{ "Redirect STDOUT/STDIN to Network Connection in Container", "dup, dup2, dup3" },
	{ "Linux Kernel Module Injection Detected", "init_module, finit_module" },
	{ "PTRACE attached to process", "ptrace" },
	{ "Clear Log Activities", "open, openat, openat2" },
};

static void test_event_types(void **state)
{
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(indexed) / sizeof(indexed[0]); i++) {
		rule_types_text(falco_rule(indexed[i].rule), text, sizeof(text));
		if (strcmp(text, indexed[i].types) != 0)
			fail_msg("'%s' is indexed under %s, want %s", indexed[i].rule, text, indexed[i].types);
	}
	/* what the kernel is asked for: the union, nothing more */
	assert_true(engine->syscall_flags[SYS_openat] & VG_SC_CAPTURE);
	assert_true(engine->syscall_flags[SYS_execve] & VG_SC_CAPTURE);
	assert_true(engine->syscall_flags[SYS_ptrace] & VG_SC_CAPTURE);
	assert_false(engine->syscall_flags[SYS_read] & VG_SC_CAPTURE);
	assert_false(engine->syscall_flags[SYS_write] & VG_SC_CAPTURE);
	assert_false(engine->wants_tcp);
}

/* --- the rules meeting events ------------------------------------------------------------------ */

/* names come from a passwd file of our own, so the outputs do not depend on the host */
struct fixture {
	struct rig g;
	char root[64];
};

struct fired {
	char names[4][128];
	char text[4][1024];
	size_t n;
};

static void on_match(void *ctx, struct rule *r, const struct event *ev, struct eval_state *st)
{
	struct fired *f = ctx;
	char *text = out_format_render(&r->out, st, ev);

	assert_true(f->n < 4);
	snprintf(f->names[f->n], sizeof(f->names[0]), "%s", r->def->name);
	snprintf(f->text[f->n], sizeof(f->text[0]), "%s", text);
	f->n++;
	free(text);
}

/* the rules that fire on one event */
static struct fired run(struct rig *g, const struct event *ev)
{
	struct eval_state st;
	struct fired f = { .n = 0 };
	size_t matched;

	eval_state_init(&st, engine->slots.n, &g->eval_arena, g->d.node, g->d.boot_wall_ns);
	matched = rule_engine_eval(engine, &st, ev, on_match, &f);
	assert_int_equal(matched, f.n);
	eval_state_free(&st);
	return f;
}

/* an argv block literal and its length: ARGS("find\0/\0") */
#define ARGS(lit) lit, sizeof(lit) - 1

static const struct event *exec_as(struct rig *g, uint32_t pid, const char *comm, const char *exe, const char *args,
				   size_t args_len)
{
	const struct exec_spec s = { .pid = pid, .ppid = PID_BASH, .ts = 100000000000ull, .comm = comm, .exe = exe,
				     .args = args, .args_len = args_len, .cwd = "/root", .auid = 1000 };

	return rig_event(g, build_exec(&g->r, &s));
}

static const struct event *read_shadow(struct rig *g, uint32_t pid)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = { .pid = pid, .ts = 100000001000ull, .nr = SYS_openat, .ret = 3,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY }, .str = { "/etc/shadow" },
				   .fdinfo = &fi };

	return rig_event(g, build_syscall(&g->r, &s));
}

static void test_read_sensitive_file(void **state)
{
	struct rig *g = &((struct fixture *)*state)->g;
	struct fired f;

	/* a program Falco does not trust reads /etc/shadow */
	exec_as(g, 300, "python3", "/usr/bin/python3", ARGS("python3\0steal.py\0"));
	f = run(g, read_shadow(g, 300));
	assert_int_equal(f.n, 1);
	assert_string_equal(f.names[0], "Read sensitive file untrusted");
	assert_string_equal(f.text[0],
			    "Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=sshd "
			    "ggparent=systemd gggparent=<NA> evt_type=openat user=root user_uid=0 user_loginuid=-1 "
			    "process=python3 proc_exepath=/usr/bin/python3 parent=bash command=python3 steal.py "
			    "terminal=0");
	/* sshd is in read_sensitive_file_binaries */
	exec_as(g, 301, "sshd", "/usr/sbin/sshd", ARGS("sshd\0-D\0"));
	f = run(g, read_shadow(g, 301));
	assert_int_equal(f.n, 0);
	/* a shell too (shell_binaries) */
	exec_as(g, 302, "bash", "/usr/bin/bash", ARGS("bash\0"));
	f = run(g, read_shadow(g, 302));
	assert_int_equal(f.n, 0);
}

static void test_search_private_keys(void **state)
{
	struct rig *g = &((struct fixture *)*state)->g;
	struct fired f;

	f = run(g, exec_as(g, 310, "find", "/usr/bin/find", ARGS("find\0/\0-name\0id_rsa\0")));
	assert_int_equal(f.n, 1);
	assert_string_equal(f.names[0], "Search Private Keys or Passwords");
	assert_string_equal(f.text[0],
			    "Grep private keys or passwords activities found | evt_type=execve user=root user_uid=0 "
			    "user_loginuid=1000 process=find proc_exepath=/usr/bin/find parent=bash "
			    "command=find / -name id_rsa terminal=0 exe_flags=");
	f = run(g, exec_as(g, 311, "find", "/usr/bin/find", ARGS("find\0/\0-name\0notes.txt\0")));
	assert_int_equal(f.n, 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	FILE *out;

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/vigil-falco-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(path, sizeof(path), "%s/etc", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/passwd", f->root);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("root:x:0:0:root:/root:/bin/bash\n", out);
	fclose(out);
	users_set_root(f->root);
	rig_init(&f->g);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	rig_free(&f->g);
	users_set_root("/");
	users_free();
	snprintf(path, sizeof(path), "%s/etc/passwd", f->root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", f->root);
	rmdir(path);
	rmdir(f->root);
	free(f);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_compiles),
		cmocka_unit_test(test_event_types),
		cmocka_unit_test_setup_teardown(test_read_sensitive_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_private_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, build_falco, free_falco);
}
