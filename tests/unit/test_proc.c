/*
 * test_proc.c - process images on their own: exec ids (decoded back from
 * base64 to "node:time:pid"), the strings an image owns, versions made by
 * proc_with_cwd, ancestry, and reference counts (which valgrind checks
 * balance, down a parent chain long enough to overflow a recursive free).
 */
#include "test_util.h"

#include "container.h"
#include "proc.h"

/* standard base64 back to bytes; returns the length, or -1 on a bad character */
static int b64_decode(const char *in, char *out, size_t cap)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int pad = 0;

		for (int k = 0; k < 4; k++) {
			const char *c = strchr(chars, in[i + k]);

			if (in[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
			} else if (c && in[i + k] && !pad) {
				v = v << 6 | (uint32_t)(c - chars);
			} else {
				return -1;
			}
		}
		for (int k = 0; k < 3 - pad; k++) {
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)(v >> (16 - 8 * k));
		}
	}
	out[o] = 0;
	return (int)o;
}

static void exec_ids(void **state)
{
	static const struct {
		const char *node;
		uint64_t time;
		uint32_t pid;
		const char *raw;
	} cases[] = {
		{ "vm", 123456789012ull, 4231, "vm:123456789012:4231" },
		{ "node1", 0, 1, "node1:0:1" },
		{ "n", 1, 22, "n:1:22" },                  /* 6 bytes: no padding */
		{ "ab", 1, 22, "ab:1:22" },                /* 7 bytes: "==" */
		{ "abc", 1, 22, "abc:1:22" },              /* 8 bytes: "=" */
		{ "", 5, 7, ":5:7" },
		{ "host.example.com", UINT64_MAX, UINT32_MAX, "host.example.com:18446744073709551615:4294967295" },
	};
	char id[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char raw[256];

		proc_make_exec_id(cases[i].node, cases[i].time, cases[i].pid, id, sizeof(id));
		assert_int_equal(strlen(id) % 4, 0);
		assert_int_equal(b64_decode(id, raw, sizeof(raw)), strlen(cases[i].raw));
		assert_string_equal(raw, cases[i].raw);
	}
	/* the example in docs/events.md */
	proc_make_exec_id("vm", 123456789012ull, 4231, id, sizeof(id));
	assert_string_equal(id, "dm06MTIzNDU2Nzg5MDEyOjQyMzE=");
}

/* node names longer than 64 characters are cut to 64 */
static void exec_id_long_node(void **state)
{
	char node[200], id[256], raw[256], want[128];

	(void)state;
	memset(node, 'n', sizeof(node) - 1);
	node[sizeof(node) - 1] = 0;
	proc_make_exec_id(node, 9, 8, id, sizeof(id));
	assert_true(b64_decode(id, raw, sizeof(raw)) > 0);
	memset(want, 'n', 64);
	strcpy(want + 64, ":9:8");
	assert_string_equal(raw, want);
}

/* a buffer too small for the id gets a NUL-terminated prefix, never more */
static void exec_id_small_buffer(void **state)
{
	char full[256], id[32];

	(void)state;
	proc_make_exec_id("vm", 123456789012ull, 4231, full, sizeof(full));
	for (size_t n = 1; n < 20; n++) {
		memset(id, 'Z', sizeof(id));
		proc_make_exec_id("vm", 123456789012ull, 4231, id, n);
		assert_true(strlen(id) < n);
		assert_memory_equal(id, full, strlen(id));
		for (size_t i = n; i < sizeof(id); i++)
			assert_int_equal(id[i], 'Z');
	}
}

static struct proc *make(uint32_t pid, uint64_t t, const char *exe, const char *args, size_t args_len,
			 const char *cwd, struct proc *parent, struct container *c)
{
	struct vg_task task = { 0 };
	struct proc_strings s = {
		.exe = exe, .exe_len = strlen(exe),
		.args = args, .args_len = args_len,
		.cwd = cwd, .cwd_len = strlen(cwd),
	};

	task.ppid = parent ? parent->pid : 0;
	snprintf(task.comm, sizeof(task.comm), "comm%u", pid);
	return proc_new("node1", pid, &task, t, &s, parent, c);
}

static void new_image_owns_its_strings(void **state)
{
	char exe[] = "/usr/bin/cat", args[] = "cat\0/etc/hostname\0", cwd[] = "/root";
	char id[256];
	struct proc *p = make(4231, 1000, exe, args, sizeof(args) - 1, cwd, NULL, NULL);

	(void)state;
	/* the caller's buffers can go away */
	memset(exe, 0, sizeof(exe));
	memset(args, 0, sizeof(args));
	memset(cwd, 0, sizeof(cwd));
	assert_int_equal(p->refs, 1);
	assert_int_equal(p->pid, 4231);
	assert_string_equal(p->exe, "/usr/bin/cat");
	assert_int_equal(p->args_len, 18);
	assert_memory_equal(p->args, "cat\0/etc/hostname\0", 18);
	assert_int_equal(p->argc, 2);
	assert_string_equal(p->cwd, "/root");
	assert_int_equal(p->exec_time, 1000);
	proc_make_exec_id("node1", 1000, 4231, id, sizeof(id));
	assert_string_equal(p->exec_id, id);
	assert_string_equal(p->task.comm, "comm4231");
	assert_null(p->parent);
	assert_null(p->container);
	assert_int_equal(p->flags, 0);
	assert_string_equal(proc_argv0(p), "cat");
	assert_string_equal(proc_exe_name(p), "cat");
	proc_unref(p);
}

static void argument_blocks(void **state)
{
	struct proc *p;

	(void)state;
	/* a block the kernel cut has no final NUL; its last string still counts */
	p = make(1, 1, "/bin/sh", "sh\0-c\0echo hel", 14, "/", NULL, NULL);
	assert_int_equal(p->argc, 3);
	assert_int_equal(p->args_len, 14);
	assert_string_equal(proc_argv0(p), "sh");
	/* the copy is NUL-terminated after the block */
	assert_string_equal(p->args + 6, "echo hel");
	proc_unref(p);

	/* no arguments at all */
	p = make(2, 1, "/bin/true", "", 0, "/", NULL, NULL);
	assert_int_equal(p->argc, 0);
	assert_string_equal(proc_argv0(p), "");
	proc_unref(p);

	/* empty arguments are arguments */
	p = make(3, 1, "/bin/x", "x\0\0\0", 4, "/", NULL, NULL);
	assert_int_equal(p->argc, 3);
	proc_unref(p);
}

static void exe_names(void **state)
{
	struct proc *p;

	(void)state;
	p = make(1, 1, "busybox", "", 0, "/", NULL, NULL);
	assert_string_equal(proc_exe_name(p), "busybox");
	proc_unref(p);
	/* unknown executable: the kernel's comm */
	p = make(7, 1, "", "", 0, "", NULL, NULL);
	assert_string_equal(proc_exe_name(p), "comm7");
	assert_string_equal(p->cwd, "");
	proc_unref(p);
	p = make(1, 1, "/", "", 0, "/", NULL, NULL);
	assert_string_equal(proc_exe_name(p), "");
	proc_unref(p);
}

/* parents and containers gain a reference per image that points at them */
static void parent_and_container_references(void **state)
{
	struct container *c = container_get("/docker/" "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
	struct proc *init = make(1, 10, "/sbin/init", "init\0", 5, "/", NULL, NULL);
	struct proc *sh = make(100, 20, "/bin/sh", "sh\0", 3, "/root", init, c);
	struct proc *cat = make(101, 30, "/bin/cat", "cat\0", 4, "/root", sh, c);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->refs, 4);    /* ours, the cache's, sh's, cat's */
	assert_int_equal(init->refs, 2);
	assert_int_equal(sh->refs, 2);
	assert_ptr_equal(sh->container, c);
	assert_int_equal(sh->task.ppid, 1);

	assert_ptr_equal(proc_ancestor(cat, 0), cat);
	assert_ptr_equal(proc_ancestor(cat, 1), sh);
	assert_ptr_equal(proc_ancestor(cat, 2), init);
	assert_null(proc_ancestor(cat, 3));
	assert_null(proc_ancestor(cat, 100));
	assert_null(proc_ancestor(NULL, 0));

	/* the parents outlive our references while a child holds them */
	proc_unref(init);
	proc_unref(sh);
	assert_string_equal(proc_ancestor(cat, 2)->exe, "/sbin/init");
	assert_int_equal(proc_ancestor(cat, 1)->refs, 1);
	/* the last reference frees the whole chain and releases the container */
	proc_unref(cat);
	assert_int_equal(c->refs, 2);
	container_unref(c);
	container_cache_clear();
	assert_null(proc_ref(NULL));
	proc_unref(NULL);
}

static void versions_with_another_cwd(void **state)
{
	struct container *c = container_get("/docker/" "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
	struct proc *parent = make(1, 10, "/sbin/init", "init\0", 5, "/", NULL, NULL);
	struct proc *p = make(100, 20, "/bin/sh", "sh\0-i\0", 6, "/root", parent, c);
	struct proc *v;

	(void)state;
	p->flags = PROC_F_EXECVE;
	p->exe_ino = 77;
	v = proc_with_cwd(p, "/tmp/work");
	assert_ptr_not_equal(v, p);
	assert_int_equal(v->refs, 1);
	assert_int_equal(p->refs, 1);
	/* the new version: another cwd, the same process */
	assert_string_equal(v->cwd, "/tmp/work");
	assert_string_equal(v->exe, "/bin/sh");
	assert_memory_equal(v->args, "sh\0-i\0", 6);
	assert_int_equal(v->args_len, 6);
	assert_int_equal(v->argc, 2);
	assert_string_equal(v->exec_id, p->exec_id);
	assert_int_equal(v->pid, 100);
	assert_int_equal(v->exec_time, 20);
	assert_int_equal(v->flags, PROC_F_EXECVE);
	assert_int_equal(v->exe_ino, 77);
	assert_ptr_equal(v->parent, parent);
	assert_ptr_equal(v->container, c);
	/* its strings are its own */
	assert_ptr_not_equal(v->exe, p->exe);
	assert_ptr_not_equal(v->exec_id, p->exec_id);
	assert_int_equal(parent->refs, 3);
	assert_int_equal(c->refs, 4);
	/* the old version is unchanged and lives on its own */
	assert_string_equal(p->cwd, "/root");
	proc_unref(p);
	assert_string_equal(v->exe, "/bin/sh");
	assert_string_equal(v->parent->exe, "/sbin/init");
	assert_int_equal(parent->refs, 2);
	proc_unref(v);
	assert_int_equal(parent->refs, 1);
	assert_int_equal(c->refs, 2);
	proc_unref(parent);
	container_unref(c);
	container_cache_clear();
}

/* dropping the last image of a very long ancestry does not recurse */
static void long_parent_chain(void **state)
{
	enum { N = 200000 };
	struct proc *p = NULL;

	(void)state;
	for (uint32_t i = 1; i <= N; i++) {
		struct proc *child = make(i, i, "/bin/sh", "sh\0", 3, "/", p, NULL);

		proc_unref(p);  /* the child holds it now */
		p = child;
	}
	assert_int_equal(p->refs, 1);
	assert_int_equal(proc_ancestor(p, N - 1)->pid, 1);
	proc_unref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_ids),
		cmocka_unit_test(exec_id_long_node),
		cmocka_unit_test(exec_id_small_buffer),
		cmocka_unit_test(new_image_owns_its_strings),
		cmocka_unit_test(argument_blocks),
		cmocka_unit_test(exe_names),
		cmocka_unit_test(parent_and_container_references),
		cmocka_unit_test(versions_with_another_cwd),
		cmocka_unit_test(long_parent_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
