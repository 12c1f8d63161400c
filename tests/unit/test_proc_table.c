/*
 * test_proc_table.c - the pid -> process table, driven by exec, fork and
 * exit records built by hand: what each record creates, copies and
 * removes, ancestry across exits, working-directory versions, the cap with
 * eviction of the oldest image, and placeholders for unknown pids. Tables
 * are made with live=false, so /proc is never read; valgrind checks that
 * every reference taken is given back.
 */
#include "test_util.h"
#include "test_records.h"

#include "container.h"
#include "proc_table.h"

#define NODE "node1"
#define DOCKER_ID "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"

static struct proc *exec_rec(struct proc_table *t, uint32_t pid, uint32_t ppid, uint64_t ts, const char *exe,
			     const char *cwd)
{
	struct rec r;
	const struct exec_spec s = {
		.pid = pid, .ppid = ppid, .ts = ts, .exe = exe, .cwd = cwd, .comm = "x",
		ARGV("x\0"),
	};

	return proc_table_exec(t, build_exec(&r, &s));
}

static struct proc *fork_rec(struct proc_table *t, uint32_t pid, uint32_t ppid, uint64_t ts)
{
	struct rec r;

	return proc_table_fork(t, build_fork(&r, pid, ppid, ts));
}

static struct proc_slot *slot_of(struct proc_table *t, uint32_t pid)
{
	return u64map_get(&t->slots, pid);
}

static void exec_creates_an_image(void **state)
{
	struct proc_table t;
	struct rec r;
	const struct exec_spec s = {
		.pid = 4231, .ppid = 4200, .ts = 5000, .comm = "cat",
		.exe = "/usr/bin/cat", ARGV("cat\0/etc/hostname\0"), .cwd = "/root",
		.cgroup = "/system.slice/docker-" DOCKER_ID ".scope", .filename = "/bin/cat",
		.uid = 1000, .euid = 0, .auid = 1000, .exe_ino = 99, .exe_flags = VG_EXE_UPPER_LAYER,
	};
	struct proc *p;
	char id[256];

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	p = proc_table_exec(&t, build_exec(&r, &s));
	assert_non_null(p);
	assert_int_equal(p->pid, 4231);
	assert_string_equal(p->exe, "/usr/bin/cat");
	assert_int_equal(p->args_len, 18);
	assert_memory_equal(p->args, "cat\0/etc/hostname\0", 18);
	assert_int_equal(p->argc, 2);
	assert_string_equal(p->cwd, "/root");
	assert_int_equal(p->flags, PROC_F_EXECVE);
	assert_int_equal(p->exec_time, 5000);
	proc_make_exec_id(NODE, 5000, 4231, id, sizeof(id));
	assert_string_equal(p->exec_id, id);
	assert_int_equal(p->task.ppid, 4200);
	assert_int_equal(p->task.creds.uid, 1000);
	assert_int_equal(p->task.creds.euid, 0);
	assert_string_equal(p->task.comm, "cat");
	assert_int_equal(p->exe_ino, 99);
	assert_int_equal(p->exe_flags, VG_EXE_UPPER_LAYER);
	assert_non_null(p->container);
	assert_string_equal(p->container->id, DOCKER_ID);
	assert_string_equal(p->container->runtime, "docker");
	/* the parent is unknown and /proc is off limits: no parent, no placeholder */
	assert_null(p->parent);
	assert_int_equal(t.slots.len, 1);
	assert_ptr_equal(slot_of(&t, 4231)->cur, p);
	assert_int_equal(p->refs, 1);   /* the slot's */
	assert_null(fd_table_get(&slot_of(&t, 4231)->fds, 0));
	proc_table_free(&t);
	container_cache_clear();
}

/* snapshot records mark images found in /proc; cut values are flagged */
static void snapshot_and_truncated_flags(void **state)
{
	struct proc_table t;
	struct rec r;
	struct exec_spec s = { .kind = VG_EV_PROC_SNAPSHOT, .pid = 10, .ts = 7, .exe = "/sbin/agetty", .cwd = "/" };
	struct proc *p;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	p = proc_table_exec(&t, build_exec(&r, &s));
	assert_int_equal(p->flags, PROC_F_PROCFS);
	assert_null(p->container);
	/* no strings at all: empty, not missing */
	assert_int_equal(p->args_len, 0);
	assert_int_equal(p->argc, 0);

	s.kind = 0;
	s.pid = 11;
	s.flags = VG_F_TRUNCATED;
	p = proc_table_exec(&t, build_exec(&r, &s));
	assert_int_equal(p->flags, PROC_F_EXECVE | PROC_F_TRUNCATED);
	proc_table_free(&t);
}

/* exec through a file descriptor: the kernel's /dev/fd/N for AT_EMPTY_PATH, or /proc/.../fd/N */
static void exec_through_fd(void **state)
{
	static const struct {
		const char *filename;
		bool fd;
	} cases[] = {
		{ "/dev/fd/3", true }, { "/proc/self/fd/12", true }, { "/proc/4242/fd/0", true },
		{ "/proc/thread-self/fd/5", true }, { "/usr/bin/true", false }, { "/dev/fd/", false },
		{ "/dev/fd/3x", false }, { "/proc/self/fdinfo/3", false }, { "/proc/42x/fd/3", false },
		{ "/proc/self/fd/3/x", false }, { "fd/3", false },
	};
	struct proc_table t;
	struct rec r;
	struct proc *p, *child;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct exec_spec s = { .pid = 20 + (uint32_t)i, .ppid = 1, .exe = "/usr/bin/true",
					     .filename = cases[i].filename };

		p = proc_table_exec(&t, build_exec(&r, &s));
		if (!!(p->flags & PROC_F_EXEC_FD) != cases[i].fd)
			fail_msg("%s: executed through an fd? got %d", cases[i].filename, !cases[i].fd);
	}
	/* a fork runs the same image, executed the same way */
	child = proc_table_fork(&t, build_fork(&r, 99, 20, 1));
	assert_true(child->flags & PROC_F_EXEC_FD);
	proc_table_free(&t);
}

static void exec_strings(void **state)
{
	struct rec r;
	const struct exec_spec s = {
		.pid = 1, .exe = "/bin/sh", ARGV("sh\0-c\0true\0"), .cwd = "/home", .cgroup = "/user.slice",
		.filename = "sh",
	};
	const struct exec_spec none = { .pid = 1 };
	struct proc_strings ps;
	const char *cg, *fn;

	(void)state;
	vg_exec_strings(build_exec(&r, &s), &ps, &cg, &fn);
	assert_string_equal(ps.exe, "/bin/sh");
	assert_int_equal(ps.exe_len, 7);
	assert_memory_equal(ps.args, "sh\0-c\0true\0", 11);
	assert_int_equal(ps.args_len, 11);
	assert_string_equal(ps.cwd, "/home");
	assert_int_equal(ps.cwd_len, 5);
	assert_string_equal(cg, "/user.slice");
	assert_string_equal(fn, "sh");

	vg_exec_strings(build_exec(&r, &none), &ps, &cg, &fn);
	assert_string_equal(ps.exe, "");
	assert_int_equal(ps.exe_len, 0);
	assert_int_equal(ps.args_len, 0);
	assert_string_equal(ps.cwd, "");
	assert_string_equal(cg, "");
	assert_string_equal(fn, "");
}

/* a fork copies the parent's image (as a new image) and shares its fds */
static void fork_copies_image_and_fds(void **state)
{
	struct proc_table t;
	struct rec r;
	const struct exec_spec s = {
		.pid = 100, .ppid = 1, .ts = 1000, .flags = VG_F_TRUNCATED, .exe = "/usr/sbin/nginx",
		ARGV("nginx\0-g\0daemon off;\0"), .cwd = "/srv", .cgroup = "/docker/" DOCKER_ID, .exe_ino = 5,
	};
	struct proc *parent, *child;
	struct fd_entry *log = fd_entry_new(FDT_FILE, "/var/log/nginx/access.log");
	struct fd_entry *sock = fd_entry_new(FDT_IPV4, "0.0.0.0:0->0.0.0.0:80");
	char id[256];

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	parent = proc_table_exec(&t, build_exec(&r, &s));
	fd_table_put(&slot_of(&t, 100)->fds, 3, log);
	fd_table_put(&slot_of(&t, 100)->fds, 6, sock);

	child = fork_rec(&t, 101, 100, 2000);
	assert_ptr_not_equal(child, parent);
	assert_int_equal(child->pid, 101);
	assert_string_equal(child->exe, "/usr/sbin/nginx");
	assert_int_equal(child->args_len, parent->args_len);
	assert_memory_equal(child->args, parent->args, parent->args_len);
	assert_int_equal(child->argc, 3);
	assert_string_equal(child->cwd, "/srv");
	assert_int_equal(child->flags, PROC_F_CLONE | PROC_F_TRUNCATED);
	assert_int_equal(child->exe_ino, 5);
	assert_int_equal(child->exec_time, 2000);
	proc_make_exec_id(NODE, 2000, 101, id, sizeof(id));
	assert_string_equal(child->exec_id, id);
	assert_string_not_equal(child->exec_id, parent->exec_id);
	assert_ptr_equal(child->parent, parent);
	assert_ptr_equal(child->container, parent->container);
	assert_int_equal(parent->refs, 2);   /* its slot, the child's parent link */

	/* the fds are the same open files */
	assert_ptr_equal(fd_table_get(&slot_of(&t, 101)->fds, 3), log);
	assert_ptr_equal(fd_table_get(&slot_of(&t, 101)->fds, 6), sock);
	assert_int_equal(log->refs, 2);
	/* and the tables are separate from then on */
	fd_table_del(&slot_of(&t, 101)->fds, 3);
	assert_ptr_equal(fd_table_get(&slot_of(&t, 100)->fds, 3), log);
	assert_int_equal(log->refs, 1);
	proc_table_free(&t);
	container_cache_clear();
}

/* a fork into a pid the table still holds (its exit was lost) starts clean */
static void fork_over_a_stale_pid(void **state)
{
	struct proc_table t;
	struct proc *child;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	exec_rec(&t, 100, 1, 10, "/bin/sh", "/");
	exec_rec(&t, 200, 1, 20, "/bin/old", "/old");
	fd_table_put(&slot_of(&t, 100)->fds, 4, fd_entry_new(FDT_FILE, "/parent-file"));
	fd_table_put(&slot_of(&t, 200)->fds, 9, fd_entry_new(FDT_FILE, "/stale-file"));
	child = fork_rec(&t, 200, 100, 30);
	assert_string_equal(child->exe, "/bin/sh");
	assert_null(fd_table_get(&slot_of(&t, 200)->fds, 9));
	assert_string_equal(fd_table_get(&slot_of(&t, 200)->fds, 4)->name, "/parent-file");
	assert_int_equal(t.slots.len, 2);
	proc_table_free(&t);
}

/* a fork whose parent is unknown: an empty image without a parent */
static void fork_of_an_unknown_parent(void **state)
{
	struct proc_table t;
	struct proc *child;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	child = fork_rec(&t, 300, 299, 50);
	assert_int_equal(child->flags, PROC_F_CLONE);
	assert_null(child->parent);
	assert_string_equal(child->exe, "");
	assert_int_equal(child->args_len, 0);
	assert_int_equal(t.slots.len, 1);
	proc_table_free(&t);
}

static void exit_removes_and_returns_the_last_image(void **state)
{
	struct proc_table t;
	struct proc *p, *last;
	struct fd_entry *e = fd_entry_new(FDT_FILE, "/f");

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	exec_rec(&t, 100, 1, 10, "/bin/sh", "/");
	p = exec_rec(&t, 100, 1, 20, "/bin/cat", "/");  /* the second image replaces the first */
	fd_table_put(&slot_of(&t, 100)->fds, 3, fd_entry_ref(e));
	last = proc_table_exit(&t, 100);
	assert_ptr_equal(last, p);
	assert_string_equal(last->exe, "/bin/cat");
	assert_int_equal(last->refs, 2);   /* ours, and the recent-exits memory's */
	assert_ptr_equal(proc_table_recent(&t, 100), p);
	assert_null(slot_of(&t, 100));
	assert_int_equal(t.slots.len, 0);
	assert_int_equal(e->refs, 1);      /* the fd table went with the slot */
	/* exiting twice, or an unknown pid */
	assert_null(proc_table_exit(&t, 100));
	assert_null(proc_table_exit(&t, 555));
	proc_unref(last);
	fd_entry_unref(e);
	proc_table_free(&t);
}

/* init -> sh -> cat; parent links survive the parent's exit */
static void ancestry_survives_exits(void **state)
{
	struct proc_table t;
	struct proc *init, *sh, *cat, *gone;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	init = exec_rec(&t, 1, 0, 1, "/sbin/init", "/");
	fork_rec(&t, 100, 1, 10);
	sh = exec_rec(&t, 100, 1, 11, "/bin/sh", "/root");
	fork_rec(&t, 101, 100, 20);
	cat = exec_rec(&t, 101, 100, 21, "/bin/cat", "/root");

	assert_ptr_equal(proc_ancestor(cat, 1), sh);
	assert_ptr_equal(proc_ancestor(cat, 2), init);
	assert_null(proc_ancestor(cat, 3));
	/* sh's own parent link is to init's image, not to its fork image */
	assert_ptr_equal(sh->parent, init);

	gone = proc_table_exit(&t, 100);
	assert_ptr_equal(gone, sh);
	proc_unref(gone);
	assert_int_equal(sh->refs, 2);   /* cat's link and the recent-exits memory keep it */
	assert_string_equal(proc_ancestor(cat, 1)->exe, "/bin/sh");
	assert_string_equal(proc_ancestor(cat, 2)->exe, "/sbin/init");
	gone = proc_table_exit(&t, 1);
	proc_unref(gone);
	assert_string_equal(proc_ancestor(cat, 2)->exe, "/sbin/init");
	proc_table_free(&t);
}

/* each exec is a new image with a new exec_id, still linked to the parent; fds stay */
static void second_exec(void **state)
{
	struct proc_table t;
	struct proc *parent, *first, *second;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	parent = exec_rec(&t, 100, 1, 10, "/bin/bash", "/home/u");
	fork_rec(&t, 101, 100, 20);
	fd_table_put(&slot_of(&t, 101)->fds, 1, fd_entry_new(FDT_PIPE, "pipe:[77]"));
	first = proc_ref(exec_rec(&t, 101, 100, 21, "/usr/bin/env", "/home/u"));
	second = exec_rec(&t, 101, 100, 22, "/usr/bin/python3", "/home/u");
	assert_ptr_not_equal(first, second);
	assert_string_not_equal(first->exec_id, second->exec_id);
	assert_ptr_equal(second->parent, parent);
	assert_ptr_equal(first->parent, parent);
	assert_int_equal(second->flags, PROC_F_EXECVE);
	assert_ptr_equal(slot_of(&t, 101)->cur, second);
	assert_string_equal(fd_table_get(&slot_of(&t, 101)->fds, 1)->name, "pipe:[77]");
	/* the earlier image is intact for whoever still holds it */
	assert_string_equal(first->exe, "/usr/bin/env");
	assert_int_equal(first->refs, 1);
	proc_unref(first);
	proc_table_free(&t);
}

/* a cwd change is a new version; older versions are left as they were */
static void cwd_versions(void **state)
{
	struct proc_table t;
	struct proc *v1, *v2;
	struct proc_slot *s;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	v1 = proc_ref(exec_rec(&t, 100, 1, 10, "/bin/sh", "/root"));
	proc_table_set_cwd(&t, 100, "/tmp");
	v2 = slot_of(&t, 100)->cur;
	assert_ptr_not_equal(v1, v2);
	assert_string_equal(v1->cwd, "/root");
	assert_string_equal(v2->cwd, "/tmp");
	assert_string_equal(v2->exec_id, v1->exec_id);
	assert_int_equal(v1->refs, 1);
	/* the same cwd again makes no new version */
	proc_table_set_cwd(&t, 100, "/tmp");
	assert_ptr_equal(slot_of(&t, 100)->cur, v2);
	proc_unref(v1);

	/* an unknown pid gets a placeholder with that cwd */
	proc_table_set_cwd(&t, 500, "/var");
	s = slot_of(&t, 500);
	assert_non_null(s);
	assert_string_equal(s->cur->cwd, "/var");
	assert_int_equal(t.unknown, 1);
	proc_table_free(&t);
}

/* at the cap the process with the oldest image goes, whatever its pid or age in the table */
static void cap_evicts_the_oldest(void **state)
{
	static const struct {
		uint32_t pid;
		uint64_t ts;
	} procs[] = { { 10, 400 }, { 11, 100 }, { 12, 300 }, { 13, 200 } };
	struct proc_table t;
	struct proc *held;

	(void)state;
	proc_table_init(&t, NODE, 4, false);
	for (size_t i = 0; i < 4; i++)
		exec_rec(&t, procs[i].pid, 1, procs[i].ts, "/bin/x", "/");
	held = proc_ref(slot_of(&t, 11)->cur);
	assert_int_equal(t.slots.len, 4);
	assert_int_equal(t.evicted, 0);

	/* a new image for a pid already held makes no room */
	exec_rec(&t, 12, 1, 350, "/bin/y", "/");
	assert_int_equal(t.slots.len, 4);
	assert_int_equal(t.evicted, 0);

	exec_rec(&t, 14, 1, 500, "/bin/x", "/");
	assert_int_equal(t.slots.len, 4);
	assert_int_equal(t.evicted, 1);
	assert_null(slot_of(&t, 11));
	/* an evicted image lives on while referenced */
	assert_string_equal(held->exe, "/bin/x");
	assert_int_equal(held->refs, 1);
	proc_unref(held);

	fork_rec(&t, 15, 10, 600);
	assert_null(slot_of(&t, 13));
	assert_int_equal(t.evicted, 2);
	/* a placeholder counts too (and, having no exec time, is the oldest) */
	proc_table_slot(&t, 16);
	assert_null(slot_of(&t, 12));
	assert_int_equal(t.evicted, 3);
	exec_rec(&t, 17, 1, 700, "/bin/x", "/");
	assert_null(slot_of(&t, 16));
	assert_non_null(slot_of(&t, 10));
	assert_non_null(slot_of(&t, 14));
	assert_non_null(slot_of(&t, 15));
	assert_non_null(slot_of(&t, 17));
	assert_int_equal(t.slots.len, 4);
	assert_int_equal(t.evicted, 4);
	proc_table_free(&t);
}

/* a fork at the cap whose parent is the oldest: the child still links to it */
static void cap_evicts_a_forking_parent(void **state)
{
	struct proc_table t;
	struct proc *child;

	(void)state;
	proc_table_init(&t, NODE, 2, false);
	exec_rec(&t, 10, 1, 100, "/bin/parent", "/");
	exec_rec(&t, 11, 1, 200, "/bin/other", "/");
	fd_table_put(&slot_of(&t, 10)->fds, 0, fd_entry_new(FDT_FILE, "/dev/null"));
	child = fork_rec(&t, 12, 10, 300);
	assert_null(slot_of(&t, 10));
	assert_non_null(child->parent);
	assert_string_equal(child->parent->exe, "/bin/parent");
	assert_string_equal(child->exe, "/bin/parent");
	assert_int_equal(child->parent->refs, 1);
	proc_table_free(&t);
}

static void placeholders(void **state)
{
	struct proc_table t;
	struct proc_slot *s;
	struct proc *p;
	char id[256];

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	s = proc_table_slot(&t, 777);
	assert_non_null(s);
	p = s->cur;
	assert_int_equal(p->pid, 777);
	assert_string_equal(p->exe, "");
	assert_string_equal(p->cwd, "");
	assert_int_equal(p->args_len, 0);
	assert_int_equal(p->exec_time, 0);
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->task.creds.auid, 0xffffffffu);
	assert_null(p->parent);
	assert_null(p->container);
	proc_make_exec_id(NODE, 0, 777, id, sizeof(id));
	assert_string_equal(p->exec_id, id);
	assert_int_equal(t.unknown, 1);
	/* asking again finds the same slot */
	assert_ptr_equal(proc_table_slot(&t, 777), s);
	assert_int_equal(t.unknown, 1);
	/* a known pid is no placeholder */
	exec_rec(&t, 778, 1, 5, "/bin/x", "/");
	assert_string_equal(proc_table_slot(&t, 778)->cur->exe, "/bin/x");
	assert_int_equal(t.unknown, 1);
	/* an exec replaces the placeholder */
	exec_rec(&t, 777, 1, 6, "/bin/real", "/");
	assert_string_equal(proc_table_slot(&t, 777)->cur->exe, "/bin/real");
	assert_int_equal(t.from_procfs, 0);
	proc_table_free(&t);
}

/* an image claiming to be its own parent gets no parent */
static void self_parent(void **state)
{
	struct proc_table t;
	struct proc *p;

	(void)state;
	proc_table_init(&t, NODE, 64, false);
	exec_rec(&t, 50, 1, 5, "/bin/a", "/");
	p = exec_rec(&t, 50, 50, 6, "/bin/b", "/");
	assert_null(p->parent);
	p = fork_rec(&t, 50, 50, 7);
	assert_null(p->parent);
	proc_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_creates_an_image),
		cmocka_unit_test(snapshot_and_truncated_flags),
		cmocka_unit_test(exec_through_fd),
		cmocka_unit_test(exec_strings),
		cmocka_unit_test(fork_copies_image_and_fds),
		cmocka_unit_test(fork_over_a_stale_pid),
		cmocka_unit_test(fork_of_an_unknown_parent),
		cmocka_unit_test(exit_removes_and_returns_the_last_image),
		cmocka_unit_test(ancestry_survives_exits),
		cmocka_unit_test(second_exec),
		cmocka_unit_test(cwd_versions),
		cmocka_unit_test(cap_evicts_the_oldest),
		cmocka_unit_test(cap_evicts_a_forking_parent),
		cmocka_unit_test(placeholders),
		cmocka_unit_test(self_parent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
