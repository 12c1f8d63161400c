/*
 * test_decode.c - the decoder, fed records built by hand (live=false, so
 * /proc is never consulted): the exact reason given for each kind of
 * malformed record (and that nothing is applied then), snapshot records
 * building the tables, and syscall records updating the fd table and the
 * working directory the way the kernel's view says - paths made absolute
 * against dirfds and the cwd, sockets named from the kernel's addresses,
 * dup2, close, chdir, failed calls, reused fd numbers - and exit records.
 */
#include "test_util.h"
#include "test_records.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "container.h"
#include "decode.h"
#include "evttype.h"
#include "fd_table.h"
#include "syscall_table.h"

#define NODE "node1"
#define INIT 1
#define APP 200          /* the process most tests drive */
#define APP_CWD "/home/app"
#define DIRFD 5          /* an fd of APP open on SRV */
#define SRV "/srv/app"
#define FDCWD ((uint64_t)(int64_t)AT_FDCWD)

struct ctx {
	struct decoder d;
	struct arena a;
	struct rec r;
	struct event ev;
};

/* --- helpers ------------------------------------------------------------------ */

/* decode a record that makes an event (the previous event is released) */
static struct event *event_of(struct ctx *c, const void *rec)
{
	int rc;

	event_release(&c->ev);
	rc = decode_record(&c->d, rec, c->r.len, &c->ev, &c->a);
	if (rc != 1)
		fail_msg("decode_record returned %d (%s)", rc, c->d.error);
	return &c->ev;
}

/* decode a record that only changes state */
static void apply(struct ctx *c, const void *rec)
{
	struct event ev;
	int rc = decode_record(&c->d, rec, c->r.len, &ev, &c->a);

	if (rc != 0)
		fail_msg("decode_record returned %d (%s)", rc, c->d.error);
}

static struct event *syscall_event(struct ctx *c, const struct sc_spec *s)
{
	return event_of(c, build_syscall(&c->r, s));
}

static struct proc_slot *slot_of(struct ctx *c, uint32_t pid)
{
	return u64map_get(&c->d.procs.slots, pid);
}

static struct fd_entry *fd_of(struct ctx *c, uint32_t pid, int fd)
{
	struct proc_slot *s = slot_of(c, pid);

	return s ? fd_table_get(&s->fds, fd) : NULL;
}

static size_t fd_count(struct ctx *c, uint32_t pid)
{
	return slot_of(c, pid)->fds.map.len;
}

static void snapshot_fd(struct ctx *c, uint32_t pid, int fd, uint8_t ftype, uint64_t ino, const char *link)
{
	struct vg_fdinfo fi = fdinfo_of(fd, ftype, ino);

	apply(c, build_fd_snapshot(&c->r, pid, &fi, link));
}

/*
 * The state the agent would find at start: init, and APP (cwd APP_CWD)
 * with stdin on /dev/null, stdout on a terminal and DIRFD open on SRV.
 */
static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	const struct exec_spec init = { .kind = VG_EV_PROC_SNAPSHOT, .pid = INIT, .ts = 1, .exe = "/sbin/init",
					ARGV("/sbin/init\0"), .cwd = "/", .comm = "systemd" };
	const struct exec_spec app = { .kind = VG_EV_PROC_SNAPSHOT, .pid = APP, .ppid = INIT, .ts = 100,
				       .exe = "/usr/bin/app", ARGV("app\0--serve\0"), .cwd = APP_CWD, .comm = "app",
				       .uid = 1000, .euid = 1000 };

	assert_non_null(c);
	decoder_init(&c->d, NODE, 1024, false);
	apply(c, build_exec(&c->r, &init));
	apply(c, build_exec(&c->r, &app));
	snapshot_fd(c, APP, 0, VG_FT_CHR, 3, "/dev/null");
	snapshot_fd(c, APP, 1, VG_FT_CHR, 4, "/dev/pts/0");
	snapshot_fd(c, APP, DIRFD, VG_FT_DIR, 50, SRV);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	event_release(&c->ev);
	decoder_free(&c->d);
	arena_free(&c->a);
	container_cache_clear();
	free(c);
	return 0;
}

/* --- validation ------------------------------------------------------------------ */

/* one way to damage a record, and the reason the decoder must give */
struct bad_case {
	const char *what;
	void (*make)(struct rec *r);
	const char *reason;
};

static void exit_record(struct rec *r)
{
	build_exit(r, APP, 0, 5);
}

static void exec_sh(struct rec *r)
{
	const struct exec_spec s = { .pid = APP, .ts = 5, .exe = "/bin/sh" };

	build_exec(r, &s);
}

static void syscall_two_strings(struct rec *r)
{
	const struct sc_spec s = { .pid = APP, .nr = SYS_rename, .str = { "a", "bb" } };

	build_syscall(r, &s);
}

static void bad_empty(struct rec *r) { exit_record(r); r->len = 0; }
static void bad_short_header(struct rec *r) { exit_record(r); r->len = 23; }
static void bad_kind(struct rec *r) { exit_record(r); ((struct vg_hdr *)r->buf)->kind = 99; }
static void bad_kind_zero(struct rec *r) { exit_record(r); ((struct vg_hdr *)r->buf)->kind = 0; }
static void bad_kind_gap(struct rec *r) { exit_record(r); ((struct vg_hdr *)r->buf)->kind = VG_EV_ENFORCE + 1; }
static void bad_size_field(struct rec *r) { exit_record(r); ((struct vg_hdr *)r->buf)->size = 40; }

static void bad_exit_header_only(struct rec *r)
{
	exit_record(r);
	r->len = sizeof(struct vg_hdr);
	((struct vg_hdr *)r->buf)->size = r->len;
}

static void bad_exec_short(struct rec *r)
{
	exec_sh(r);
	r->len = 100;
	((struct vg_hdr *)r->buf)->size = 100;
}

static void bad_snapshot_short(struct rec *r)
{
	bad_exec_short(r);
	((struct vg_hdr *)r->buf)->kind = VG_EV_PROC_SNAPSHOT;
}

static void bad_syscall_short(struct rec *r)
{
	syscall_two_strings(r);
	r->len = sizeof(struct vg_syscall) - 1;
	((struct vg_hdr *)r->buf)->size = r->len;
}

static void bad_exe_len(struct rec *r)
{
	exec_sh(r);
	((struct vg_exec *)r->buf)->exe_len = 300;
}

static void bad_args_len(struct rec *r)
{
	exec_sh(r);
	((struct vg_exec *)r->buf)->args_len = 1;
}

static void bad_cwd_len(struct rec *r)
{
	exec_sh(r);
	((struct vg_exec *)r->buf)->cwd_len = 5;
}

static void bad_exe_nul(struct rec *r)
{
	exec_sh(r);
	((struct vg_exec *)r->buf)->data[7] = 'X';
}

static void bad_str1_nul(struct rec *r)
{
	syscall_two_strings(r);
	((struct vg_syscall *)r->buf)->data[2 + 2] = 'X';   /* "a\0" then "bb\0": bb's NUL */
}

static void bad_str2_len(struct rec *r)
{
	syscall_two_strings(r);
	((struct vg_syscall *)r->buf)->str_len[2] = 1;
}

static void bad_sa_len(struct rec *r)
{
	syscall_two_strings(r);
	((struct vg_syscall *)r->buf)->sa_len = 16;
}

static void bad_real_len(struct rec *r)
{
	syscall_two_strings(r);
	((struct vg_syscall *)r->buf)->real_len = 2;
}

static void bad_nr(struct rec *r)
{
	syscall_two_strings(r);
	((struct vg_syscall *)r->buf)->nr = VG_MAX_SYSCALLS;
}

static void bad_enforce_len(struct rec *r)
{
	struct vg_enforce *e = rec_start(r, VG_EV_ENFORCE, sizeof(*e), offsetof(struct vg_enforce, data), APP, 5);

	e->len = 10;
	rec_finish(r);
}

static void bad_node_name(struct rec *r)
{
	struct vg_node_info *ni = (struct vg_node_info *)build_node_info(r, "host", 1);

	memset(ni->node_name, 'x', sizeof(ni->node_name));
}

static void bad_kernel_release(struct rec *r)
{
	struct vg_node_info *ni = (struct vg_node_info *)build_node_info(r, "host", 1);

	memset(ni->kernel_release, 'x', sizeof(ni->kernel_release));
}

static void bad_fd_snapshot_len(struct rec *r)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 9);
	struct vg_fd_snapshot *f = (struct vg_fd_snapshot *)build_fd_snapshot(r, APP, &fi, "/etc/hosts");

	f->len = 50;
}

static void bad_fd_snapshot_nul(struct rec *r)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 9);
	struct vg_fd_snapshot *f = (struct vg_fd_snapshot *)build_fd_snapshot(r, APP, &fi, "/etc/hosts");

	f->data[f->len - 1] = 's';
}

static const struct bad_case bad_cases[] = {
	{ "empty", bad_empty, "record of 0 bytes is shorter than a record header (24)" },
	{ "short header", bad_short_header, "record of 23 bytes is shorter than a record header (24)" },
	{ "kind 99", bad_kind, "record kind 99 is unknown" },
	{ "kind 0", bad_kind_zero, "record kind 0 is unknown" },
	{ "kind 7", bad_kind_gap, "record kind 7 is unknown" },
	{ "size field", bad_size_field, "exit record: size field 40 differs from its length 32" },
	{ "exit header only", bad_exit_header_only, "exit record: 24 bytes, shorter than its fixed part (32)" },
	{ "exec short", bad_exec_short, "exec record: 100 bytes, shorter than its fixed part (216)" },
	{ "snapshot short", bad_snapshot_short, "proc snapshot record: 100 bytes, shorter than its fixed part (216)" },
	{ "syscall short", bad_syscall_short, "syscall record: 231 bytes, shorter than its fixed part (232)" },
	{ "exe_len", bad_exe_len, "exec record: exe_len (300 bytes) runs past the record end (8 bytes left)" },
	{ "args_len", bad_args_len, "exec record: args_len (1 bytes) runs past the record end (0 bytes left)" },
	{ "cwd_len", bad_cwd_len, "exec record: cwd_len (5 bytes) runs past the record end (0 bytes left)" },
	{ "exe NUL", bad_exe_nul, "exec record: exe_len is not NUL-terminated" },
	{ "str_len[1] NUL", bad_str1_nul, "syscall record: str_len[1] is not NUL-terminated" },
	{ "str_len[2]", bad_str2_len, "syscall record: str_len[2] (1 bytes) runs past the record end (0 bytes left)" },
	{ "sa_len", bad_sa_len, "syscall record: sa_len (16 bytes) runs past the record end (0 bytes left)" },
	{ "real_len", bad_real_len, "syscall record: real_len (2 bytes) runs past the record end (0 bytes left)" },
	{ "nr", bad_nr, "syscall record: nr 512 is out of range" },
	{ "enforce len", bad_enforce_len, "enforce record: len (10) runs past the record end" },
	{ "node name", bad_node_name, "node info record: node_name or kernel_release is not NUL-terminated" },
	{ "kernel release", bad_kernel_release, "node info record: node_name or kernel_release is not NUL-terminated" },
	{ "fd snapshot len", bad_fd_snapshot_len,
	  "fd snapshot record: len (50 bytes) runs past the record end (11 bytes left)" },
	{ "fd snapshot NUL", bad_fd_snapshot_nul, "fd snapshot record: len is not NUL-terminated" },
};

static void malformed_records(void **state)
{
	struct ctx *c = *state;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		uint64_t records = c->d.records, bad = c->d.bad_records, next = c->d.next_num;
		size_t procs = c->d.procs.slots.len, fds = fd_count(c, APP);
		char err[256];
		struct event ev;

		b->make(&c->r);
		assert_int_equal(record_validate(c->r.buf, c->r.len, err, sizeof(err)), -1);
		if (strcmp(err, b->reason) != 0)
			fail_msg("%s: reason \"%s\", want \"%s\"", b->what, err, b->reason);
		/* the decoder refuses it with the same reason and changes nothing */
		assert_int_equal(decode_record(&c->d, c->r.buf, c->r.len, &ev, &c->a), -1);
		assert_string_equal(c->d.error, b->reason);
		assert_int_equal(c->d.bad_records, bad + 1);
		assert_int_equal(c->d.records, records);
		assert_int_equal(c->d.next_num, next);
		assert_int_equal(c->d.procs.slots.len, procs);
		assert_int_equal(fd_count(c, APP), fds);
		assert_string_equal(c->d.node, NODE);
	}
}

/* what the builders make is well formed, including an argv block cut without its NUL */
static void sound_records(void **state)
{
	struct rec r;
	char err[256];
	const struct exec_spec cut = { .pid = 1, .exe = "/bin/sh", ARGV("sh\0-c\0ech"), .cwd = "/" };
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 9);
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET, "10.0.0.1", 80);
	const struct sc_spec sc = { .pid = 1, .nr = SYS_connect, .sa = sa, .sa_len = salen };
	const struct sc_spec none = { .pid = 1, .nr = SYS_getpid };

	(void)state;
	build_exec(&r, &cut);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	build_fork(&r, 2, 1, 5);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	build_exit(&r, 2, 0, 5);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	/* a sockaddr is bytes, not a string: no NUL needed */
	build_syscall(&r, &sc);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	build_syscall(&r, &none);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	build_fd_snapshot(&r, 1, &fi, "/etc/hosts");
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	build_tcp(&r, 1, 5, VG_TCP_CONNECT, AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 7);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
	build_node_info(&r, "host", 1);
	assert_int_equal(record_validate(r.buf, r.len, err, sizeof(err)), 0);
}

/* --- snapshots ---------------------------------------------------------------------- */

static void snapshots_build_the_tables(void **state)
{
	struct ctx *c = *state;
	struct proc *app = slot_of(c, APP)->cur;
	struct fd_entry *e;

	assert_int_equal(c->d.procs.slots.len, 2);
	assert_int_equal(app->flags, PROC_F_PROCFS);
	assert_string_equal(app->exe, "/usr/bin/app");
	assert_string_equal(app->cwd, APP_CWD);
	assert_ptr_equal(app->parent, slot_of(c, INIT)->cur);
	assert_int_equal(c->d.records, 5);
	assert_int_equal(c->d.next_num, 1);   /* no events yet */

	e = fd_of(c, APP, DIRFD);
	assert_int_equal(e->type, FDT_DIR);
	assert_string_equal(e->name, SRV);
	assert_int_equal(e->ino, 50);
	/* a character device is a file to Falco */
	assert_int_equal(fd_of(c, APP, 0)->type, FDT_FILE);
	assert_string_equal(fd_of(c, APP, 1)->name, "/dev/pts/0");

	/* more kinds of fd: a socket, a pipe, an eventfd */
	struct vg_fdinfo si = fdinfo_sock(6, 600, sock_inet(AF_INET, "10.0.0.1", 8080, "10.0.0.7", 41000));

	apply(c, build_fd_snapshot(&c->r, APP, &si, "socket:[600]"));
	snapshot_fd(c, APP, 7, VG_FT_FIFO, 700, "pipe:[700]");
	snapshot_fd(c, APP, 8, VG_FT_ANON, 800, "anon_inode:[eventfd]");
	e = fd_of(c, APP, 6);
	assert_int_equal(e->type, FDT_IPV4);
	assert_string_equal(e->name, "10.0.0.1:8080->10.0.0.7:41000");
	assert_int_equal(fd_of(c, APP, 7)->type, FDT_PIPE);
	assert_string_equal(fd_of(c, APP, 7)->name, "pipe:[700]");
	assert_int_equal(fd_of(c, APP, 8)->type, FDT_EVENT);
	assert_int_equal(fd_of(c, APP, 8)->ino, 800);

	/* an fd snapshot for an unknown process gives it a placeholder */
	snapshot_fd(c, 4000, 3, VG_FT_FILE, 9, "/var/log/x.log");
	assert_string_equal(fd_of(c, 4000, 3)->name, "/var/log/x.log");
	assert_int_equal(slot_of(c, 4000)->cur->exec_time, 0);
}

/* node info renames the node: later exec ids carry the new name */
static void node_info(void **state)
{
	struct ctx *c = *state;
	const struct exec_spec s = { .pid = 300, .ppid = APP, .ts = 777, .exe = "/bin/true" };
	struct event *ev;
	char id[256];

	apply(c, build_node_info(&c->r, "recorded-host", 123456789));
	assert_string_equal(c->d.node, "recorded-host");
	assert_int_equal(c->d.boot_wall_ns, 123456789);
	ev = event_of(c, build_exec(&c->r, &s));
	proc_make_exec_id("recorded-host", 777, 300, id, sizeof(id));
	assert_string_equal(ev->proc->exec_id, id);
}

/* --- process records ------------------------------------------------------------------ */

static void exec_fork_exit_events(void **state)
{
	struct ctx *c = *state;
	const struct exec_spec exec = { .pid = 300, .ppid = APP, .ts = 1000, .exe = "/usr/bin/cat",
					ARGV("cat\0/etc/hostname\0"), .cwd = APP_CWD, .comm = "cat" };
	const struct exec_spec execat = { .pid = 300, .ppid = APP, .ts = 1001, .exe = "/usr/bin/id",
					  .syscall_nr = SYS_execveat };
	struct event *ev;
	struct proc *child;

	ev = event_of(c, build_fork(&c->r, 300, APP, 999));
	assert_int_equal(ev->kind, EV_FORK);
	assert_int_equal(ev->type, EVT_PROCFORK);
	assert_int_equal(ev->num, 1);
	assert_int_equal(ev->pid, 300);
	assert_int_equal(ev->ts, 999);
	assert_int_equal(ev->proc->flags, PROC_F_CLONE);
	assert_string_equal(ev->proc->exe, "/usr/bin/app");
	assert_ptr_equal(ev->creds, &ev->proc->task.creds);
	assert_int_equal(ev->fd_num, -1);
	/* the child has the parent's fds */
	assert_string_equal(fd_of(c, 300, DIRFD)->name, SRV);

	ev = event_of(c, build_exec(&c->r, &exec));
	assert_int_equal(ev->kind, EV_EXEC);
	assert_int_equal(ev->type, SYS_execve);
	assert_int_equal(ev->num, 2);
	assert_string_equal(ev->proc->exe, "/usr/bin/cat");
	assert_ptr_equal(ev->proc, slot_of(c, 300)->cur);
	assert_ptr_equal(ev->proc->parent, slot_of(c, APP)->cur);
	assert_int_equal(ev->proc->refs, 2);   /* the slot's and the event's */
	child = proc_ref(ev->proc);

	ev = event_of(c, build_exec(&c->r, &execat));
	assert_int_equal(ev->type, SYS_execveat);
	assert_int_equal(child->refs, 1);      /* replaced, released by the table and the old event */
	proc_unref(child);

	ev = event_of(c, build_exit(&c->r, 300, 1 << 8, 1100));
	assert_int_equal(ev->kind, EV_EXIT);
	assert_int_equal(ev->type, EVT_PROCEXIT);
	assert_int_equal(ev->exit_status, 1 << 8);
	assert_string_equal(ev->proc->exe, "/usr/bin/id");
	assert_int_equal(ev->proc->refs, 2);   /* the event, and the table's memory of recent exits */
	assert_null(slot_of(c, 300));
	assert_int_equal(ev->num, 4);
	assert_int_equal(c->d.records, 5 + 4);
}

/* an exit for a pid never seen still gives an event with a process */
static void exit_of_an_unknown_pid(void **state)
{
	struct ctx *c = *state;
	struct event *ev = event_of(c, build_exit(&c->r, 999, 9, 50));

	assert_int_equal(ev->kind, EV_EXIT);
	assert_non_null(ev->proc);
	assert_int_equal(ev->proc->pid, 999);
	assert_int_equal(ev->exit_status, 9);
	assert_null(slot_of(c, 999));
	assert_int_equal(c->d.procs.slots.len, 2);
}

static void tcp_events(void **state)
{
	struct ctx *c = *state;
	struct event *ev;

	ev = event_of(c, build_tcp(&c->r, APP, 60, VG_TCP_CONNECT, AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80, 5));
	assert_int_equal(ev->kind, EV_TCP);
	assert_int_equal(ev->type, EVT_TCP_CONNECT);
	assert_ptr_equal(ev->proc, slot_of(c, APP)->cur);
	ev = event_of(c, build_tcp(&c->r, APP, 61, VG_TCP_ACCEPT, AF_INET, "10.0.0.1", 80, "10.0.0.2", 5000, 6));
	assert_int_equal(ev->type, EVT_TCP_ACCEPT);
	ev = event_of(c, build_tcp(&c->r, APP, 62, VG_TCP_CLOSE, AF_INET, "10.0.0.1", 80, "10.0.0.2", 5000, 6));
	assert_int_equal(ev->type, EVT_TCP_CLOSE);
}

/* --- syscalls: files ------------------------------------------------------------------ */

static void openat_relative_to_a_dirfd(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = {
		.pid = APP, .ts = 200, .nr = SYS_openat, .ret = 3,
		.args = { DIRFD, 0, O_RDONLY | O_CLOEXEC, 0 }, .str = { "data/./file.txt" }, .fdinfo = &fi,
	};
	struct event *ev = syscall_event(c, &s);
	struct fd_entry *e;

	assert_int_equal(ev->kind, EV_SYSCALL);
	assert_int_equal(ev->type, SYS_openat);
	assert_non_null(ev->si);
	assert_string_equal(ev->si->name, "openat");
	assert_string_equal(ev->str[0], "data/./file.txt");
	assert_null(ev->str[1]);
	assert_string_equal(ev->path[0], SRV "/data/file.txt");
	assert_null(ev->path[1]);
	assert_int_equal(ev->fd_num, 3);
	assert_non_null(ev->fd);
	assert_string_equal(ev->fd->name, SRV "/data/file.txt");
	assert_int_equal(ev->fd->type, FDT_FILE);
	assert_int_equal(ev->fd->open_flags, O_RDONLY | O_CLOEXEC);
	assert_int_equal(ev->fd->ino, 77);
	/* the table has the same entry */
	e = fd_of(c, APP, 3);
	assert_ptr_equal(e, ev->fd);
	assert_int_equal(e->refs, 2);
	assert_ptr_equal(ev->creds, &ev->sc->creds);
	assert_ptr_equal(ev->proc, slot_of(c, APP)->cur);
	event_release(&c->ev);
	assert_int_equal(e->refs, 1);
}

static void open_paths(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	struct vg_fdinfo dir = fdinfo_of(4, VG_FT_DIR, 78);
	struct sc_spec s = {
		.pid = APP, .nr = SYS_openat, .ret = 3, .args = { FDCWD }, .str = { "notes.txt" }, .fdinfo = &fi,
	};
	struct event *ev;

	/* AT_FDCWD: the process's cwd */
	ev = syscall_event(c, &s);
	assert_string_equal(ev->path[0], APP_CWD "/notes.txt");
	/* an absolute path ignores the dirfd */
	s.args[0] = DIRFD;
	s.str[0] = "/etc/../etc/hosts";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->path[0], "/etc/hosts");
	assert_string_equal(fd_of(c, APP, 3)->name, "/etc/hosts");
	/* a dirfd the table does not know (and /proc is not read): no path; the fd is named as given */
	s.args[0] = 42;
	s.str[0] = "rel.txt";
	ev = syscall_event(c, &s);
	assert_null(ev->path[0]);
	assert_string_equal(ev->fd->name, "rel.txt");
	/* a directory opened is a directory fd */
	s.args[0] = DIRFD;
	s.str[0] = "..";
	s.ret = 4;
	s.fdinfo = &dir;
	ev = syscall_event(c, &s);
	assert_string_equal(ev->path[0], "/srv");
	assert_int_equal(fd_of(c, APP, 4)->type, FDT_DIR);
	/* open(2) and creat(2): relative to the cwd */
	struct sc_spec o = { .pid = APP, .nr = SYS_open, .ret = 3, .args = { 0, O_WRONLY | O_APPEND },
			     .str = { "log/app.log" }, .fdinfo = &fi };

	ev = syscall_event(c, &o);
	assert_string_equal(ev->fd->name, APP_CWD "/log/app.log");
	assert_int_equal(ev->fd->open_flags, O_WRONLY | O_APPEND);
	o.nr = SYS_creat;
	o.str[0] = "new.txt";
	ev = syscall_event(c, &o);
	assert_string_equal(ev->fd->name, APP_CWD "/new.txt");
	assert_int_equal(ev->fd->open_flags, O_CREAT | O_WRONLY | O_TRUNC);
}

/*
 * The kernel's path of the file an open returned names the fd: the path asked
 * for may have gone through a symlink, a /proc link or a dirfd the table does
 * not know. The caller's own /proc entries keep their /proc/self form.
 */
static void open_real_path(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	struct sc_spec s = {
		.pid = APP, .nr = SYS_openat, .ret = 3, .args = { FDCWD }, .str = { "link/shadow" },
		.real = "/etc/shadow", .fdinfo = &fi,
	};
	struct event *ev;

	ev = syscall_event(c, &s);
	assert_string_equal(ev->path[0], APP_CWD "/link/shadow");  /* evt.abspath: what was asked */
	assert_string_equal(ev->fd->name, "/etc/shadow");
	assert_string_equal(fd_of(c, APP, 3)->name, "/etc/shadow");
	/* relative to a dirfd the table does not know: the kernel's path is also the event's path */
	s.args[0] = 42;
	s.str[0] = "id_ed25519";
	s.real = "/root/.ssh/id_ed25519";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->path[0], "/root/.ssh/id_ed25519");
	assert_string_equal(ev->fd->name, "/root/.ssh/id_ed25519");
	/* the caller's own /proc entry (APP is 200), by pid, stays /proc/self; another process's does not */
	s.args[0] = FDCWD;
	s.str[0] = "/proc/self/environ";
	s.real = "/proc/200/environ";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/proc/self/environ");
	s.real = "/proc/2001/environ";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/proc/2001/environ");
	s.real = "/proc/200";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/proc/self");
	/* a path the kernel could not build as an absolute one (a pseudo file) is not used */
	s.str[0] = "/proc/self/fd/7";
	s.real = "anon_inode:[eventfd]";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/proc/self/fd/7");
	/* nor is the bare "/" the kernel's walk gives for a namespace file */
	s.str[0] = "/proc/1/ns/uts";
	s.real = "/";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/proc/1/ns/uts");
	/* a failed open has no fd and names what it tried */
	s.ret = -ENOENT;
	s.real = NULL;
	s.str[0] = "/nonexistent";
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/nonexistent");
}

/* a failed open names the file it tried, with no fd number, and adds nothing */
static void failed_open(void **state)
{
	struct ctx *c = *state;
	const struct sc_spec s = {
		.pid = APP, .nr = SYS_openat, .ret = -ENOENT, .args = { FDCWD, 0, O_RDONLY },
		.str = { "missing.conf" },
	};
	size_t before = fd_count(c, APP);
	struct event *ev = syscall_event(c, &s);

	assert_int_equal(ev->fd_num, -1);
	assert_non_null(ev->fd);
	assert_string_equal(ev->fd->name, APP_CWD "/missing.conf");
	assert_string_equal(ev->path[0], APP_CWD "/missing.conf");
	assert_int_equal(ev->fd->refs, 1);   /* only the event's */
	assert_int_equal(fd_count(c, APP), before);
}

/* two path arguments, each against its own dirfd */
static void two_paths(void **state)
{
	struct ctx *c = *state;
	const struct sc_spec s = {
		.pid = APP, .nr = SYS_renameat2, .ret = 0, .args = { DIRFD, 0, FDCWD, 0, 0 },
		.str = { "old.txt", "../new.txt" },
	};
	struct event *ev = syscall_event(c, &s);

	assert_string_equal(ev->path[0], SRV "/old.txt");
	assert_string_equal(ev->path[1], "/home/new.txt");
	assert_null(ev->fd);
}

static void dup2_and_close(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo f3 = fdinfo_of(3, VG_FT_FILE, 77);
	struct vg_fdinfo f10 = fdinfo_of(10, VG_FT_FILE, 77);
	struct vg_fdinfo f1 = fdinfo_of(1, VG_FT_FILE, 77);
	const struct sc_spec open = {
		.pid = APP, .nr = SYS_openat, .ret = 3, .args = { DIRFD }, .str = { "data.bin" }, .fdinfo = &f3,
	};
	struct sc_spec dup = { .pid = APP, .nr = SYS_dup2, .ret = 10, .args = { 3, 10 }, .fdinfo = &f10 };
	struct sc_spec close = { .pid = APP, .nr = SYS_close, .ret = 0, .args = { 10 }, .fdinfo = &f10 };
	struct event *ev;
	struct fd_entry *e;

	syscall_event(c, &open);
	e = fd_of(c, APP, 3);
	ev = syscall_event(c, &dup);
	assert_ptr_equal(fd_of(c, APP, 10), e);
	assert_ptr_equal(ev->fd, e);
	assert_int_equal(ev->fd_num, 10);
	assert_string_equal(ev->fd->name, SRV "/data.bin");

	/* dup2 onto an open fd replaces what it held */
	dup.args[1] = 1;
	dup.ret = 1;
	dup.fdinfo = &f1;
	ev = syscall_event(c, &dup);
	assert_ptr_equal(fd_of(c, APP, 1), e);

	ev = syscall_event(c, &close);
	assert_int_equal(ev->fd_num, 10);
	assert_ptr_equal(ev->fd, e);              /* the event still names what was closed */
	assert_null(fd_of(c, APP, 10));
	assert_ptr_equal(fd_of(c, APP, 3), e);   /* the other copies stay */
	assert_ptr_equal(fd_of(c, APP, 1), e);
	event_release(&c->ev);
	assert_int_equal(e->refs, 2);

	/* a failed close of an fd the kernel did not find changes nothing */
	struct vg_fdinfo none = fdinfo_of(11, VG_FT_NONE, 0);

	close.args[0] = 11;
	close.ret = -EBADF;
	close.fdinfo = &none;
	size_t before = fd_count(c, APP);

	ev = syscall_event(c, &close);
	assert_null(ev->fd);
	assert_int_equal(fd_count(c, APP), before);
}

static void chdir_moves_later_relative_paths(void **state)
{
	struct ctx *c = *state;
	struct sc_spec cd = { .pid = APP, .nr = SYS_chdir, .ret = 0, .str = { "sub/dir" } };
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec open = {
		.pid = APP, .nr = SYS_openat, .ret = 3, .args = { FDCWD }, .str = { "x" }, .fdinfo = &fi,
	};
	const char *exec_id = slot_of(c, APP)->cur->exec_id;
	char id[256];
	struct event *ev;

	snprintf(id, sizeof(id), "%s", exec_id);
	ev = syscall_event(c, &cd);
	/* the path is resolved against the cwd the call started from */
	assert_string_equal(ev->path[0], APP_CWD "/sub/dir");
	/* the event's process is the image after the call */
	assert_string_equal(ev->proc->cwd, APP_CWD "/sub/dir");
	assert_string_equal(ev->proc->exec_id, id);
	ev = syscall_event(c, &open);
	assert_string_equal(ev->path[0], APP_CWD "/sub/dir/x");

	/* a failed chdir changes nothing */
	cd.ret = -ENOENT;
	cd.str[0] = "/nowhere";
	ev = syscall_event(c, &cd);
	assert_string_equal(ev->proc->cwd, APP_CWD "/sub/dir");

	cd.ret = 0;
	cd.str[0] = "../..";
	syscall_event(c, &cd);
	assert_string_equal(slot_of(c, APP)->cur->cwd, APP_CWD);

	/* fchdir to a directory fd */
	const struct sc_spec fcd = { .pid = APP, .nr = SYS_fchdir, .ret = 0, .args = { DIRFD } };

	ev = syscall_event(c, &fcd);
	assert_string_equal(ev->proc->cwd, SRV);
	ev = syscall_event(c, &open);
	assert_string_equal(ev->path[0], SRV "/x");
	/* a child forked now starts in the new cwd */
	ev = event_of(c, build_fork(&c->r, 301, APP, 400));
	assert_string_equal(ev->proc->cwd, SRV);
}

/* an fd number reused without the agent seeing it is not given the old name */
static void reused_fd_is_not_given_a_stale_name(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo same = fdinfo_of(7, VG_FT_FILE, 100);
	struct vg_fdinfo other = fdinfo_of(7, VG_FT_FILE, 200);
	struct sc_spec s = { .pid = APP, .nr = SYS_fchmod, .ret = 0, .args = { 7, 0600 }, .fdinfo = &same };
	struct event *ev;

	snapshot_fd(c, APP, 7, VG_FT_FILE, 100, "/etc/passwd");
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "/etc/passwd");
	assert_int_equal(ev->fd_num, 7);

	s.fdinfo = &other;
	ev = syscall_event(c, &s);
	assert_int_equal(ev->fd->ino, 200);
	assert_string_equal(ev->fd->name, "");
	assert_int_equal(ev->fd->type, FDT_FILE);
	assert_ptr_equal(fd_of(c, APP, 7), ev->fd);

	/* the same inode on another device is another file */
	snapshot_fd(c, APP, 7, VG_FT_FILE, 100, "/etc/passwd");
	same.dev = 0x802;
	s.fdinfo = &same;
	ev = syscall_event(c, &s);
	assert_string_equal(ev->fd->name, "");

	/* a file number reused by a socket */
	struct vg_fdinfo so = fdinfo_sock(7, 300, sock_inet(AF_INET, "10.0.0.1", 5000, "10.0.0.2", 443));

	snapshot_fd(c, APP, 7, VG_FT_FILE, 100, "/etc/passwd");
	s.nr = SYS_fchown;
	s.fdinfo = &so;
	ev = syscall_event(c, &s);
	assert_int_equal(ev->fd->type, FDT_IPV4);
	assert_string_equal(ev->fd->name, "10.0.0.1:5000->10.0.0.2:443");
}

/* --- syscalls: sockets ---------------------------------------------------------------- */

static void socket_and_connect(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo fresh = fdinfo_sock(4, 500, sock_inet(AF_INET, "0.0.0.0", 0, "0.0.0.0", 0));
	struct vg_fdinfo conn = fdinfo_sock(4, 500, sock_inet(AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET, "10.0.0.2", 80);
	const struct sc_spec sock = { .pid = APP, .nr = SYS_socket, .ret = 4, .args = { AF_INET, SOCK_STREAM },
				      .fdinfo = &fresh };
	const struct sc_spec connect = { .pid = APP, .nr = SYS_connect, .ret = 0, .args = { 4, 0, salen },
					 .sa = sa, .sa_len = salen, .fdinfo = &conn };
	struct event *ev;

	ev = syscall_event(c, &sock);
	assert_int_equal(ev->fd_num, 4);
	assert_int_equal(fd_of(c, APP, 4)->type, FDT_IPV4);
	assert_string_equal(fd_of(c, APP, 4)->name, "0.0.0.0:0->0.0.0.0:0");

	ev = syscall_event(c, &connect);
	assert_non_null(ev->sa);
	assert_int_equal(ev->sa_len, salen);
	assert_int_equal(ev->fd_num, 4);
	assert_string_equal(ev->fd->name, "10.0.0.1:40000->10.0.0.2:80");
	assert_int_equal(ev->fd->type, FDT_IPV4);
	assert_int_equal(ev->fd->flags & FDE_SERVER, 0);
	assert_true(ev->fd->flags & FDE_CONNECTED);
	assert_true(ev->fd_name_changed);
	assert_ptr_equal(fd_of(c, APP, 4), ev->fd);
	assert_int_equal(ev->fd->ino, 500);
	/* the same again: the name did not change */
	ev = syscall_event(c, &connect);
	assert_false(ev->fd_name_changed);
	assert_string_equal(ev->fd->name, "10.0.0.1:40000->10.0.0.2:80");
}

static void connect_ipv6(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo conn = fdinfo_sock(4, 501, sock_inet(AF_INET6, "2001:db8::1", 40001, "2001:db8::2", 443));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET6, "2001:db8::2", 443);
	const struct sc_spec connect = { .pid = APP, .nr = SYS_connect, .ret = -EINPROGRESS, .args = { 4 },
					 .sa = sa, .sa_len = salen, .fdinfo = &conn };
	struct event *ev = syscall_event(c, &connect);

	assert_int_equal(ev->fd->type, FDT_IPV6);
	assert_string_equal(ev->fd->name, "2001:db8::1:40001->2001:db8::2:443");
	assert_true(ev->fd_name_changed);
}

static void accept_names_the_client_first(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo lis = fdinfo_sock(3, 400, sock_inet(AF_INET, "0.0.0.0", 8080, "0.0.0.0", 0));
	struct vg_fdinfo acc = fdinfo_sock(6, 401, sock_inet(AF_INET, "10.0.0.1", 8080, "10.0.0.9", 5555));
	const struct sc_spec listen = { .pid = APP, .nr = SYS_listen, .ret = 0, .args = { 3, 128 }, .fdinfo = &lis };
	struct sc_spec accept = { .pid = APP, .nr = SYS_accept, .ret = 6, .args = { 3 }, .fdinfo = &acc };
	struct event *ev;

	ev = syscall_event(c, &listen);
	assert_true(ev->fd->flags & FDE_SERVER);
	assert_int_equal(ev->fd_num, 3);

	ev = syscall_event(c, &accept);
	assert_int_equal(ev->fd_num, 6);
	assert_string_equal(ev->fd->name, "10.0.0.9:5555->10.0.0.1:8080");
	assert_int_equal(ev->fd->flags, FDE_SERVER | FDE_CONNECTED);
	assert_ptr_equal(fd_of(c, APP, 6), ev->fd);
	/* accept4 too */
	acc = fdinfo_sock(7, 402, sock_inet(AF_INET, "10.0.0.1", 8080, "10.0.0.10", 6000));
	accept.nr = SYS_accept4;
	accept.ret = 7;
	ev = syscall_event(c, &accept);
	assert_string_equal(fd_of(c, APP, 7)->name, "10.0.0.10:6000->10.0.0.1:8080");
	/* a failed accept adds nothing */
	accept.ret = -EAGAIN;
	acc = fdinfo_of(-1, VG_FT_NONE, 0);
	ev = syscall_event(c, &accept);
	assert_null(ev->fd);
	assert_null(fd_of(c, APP, 8));
}

static void unix_socket_connect(void **state)
{
	struct ctx *c = *state;
	struct vg_sock us = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct vg_fdinfo fi = fdinfo_sock(9, 900, us);
	uint8_t sa[128];
	size_t salen = sockaddr_unix(sa, "/run/app.sock");
	const struct sc_spec sock = { .pid = APP, .nr = SYS_socket, .ret = 9, .args = { AF_UNIX, SOCK_STREAM },
				      .fdinfo = &fi };
	const struct sc_spec connect = { .pid = APP, .nr = SYS_connect, .ret = 0, .args = { 9 }, .sa = sa,
					 .sa_len = salen, .fdinfo = &fi };
	const struct sc_spec send = { .pid = APP, .nr = SYS_sendto, .ret = 5, .args = { 9 }, .fdinfo = &fi };
	struct event *ev;

	syscall_event(c, &sock);
	ev = syscall_event(c, &connect);
	assert_int_equal(ev->fd->type, FDT_UNIX);
	assert_string_equal(ev->fd->name, "/run/app.sock");
	assert_true(ev->fd_name_changed);
	/* later calls without an address keep the name */
	ev = syscall_event(c, &send);
	assert_string_equal(ev->fd->name, "/run/app.sock");
	assert_false(ev->fd_name_changed);
}

/* an unconnected datagram socket is named after the peer it sends to */
static void sendto_names_an_unconnected_socket(void **state)
{
	struct ctx *c = *state;
	struct vg_sock udp = sock_inet(AF_INET, "10.0.0.1", 33333, "0.0.0.0", 0);
	struct vg_fdinfo fi;
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET, "8.8.8.8", 53);
	struct sc_spec send = { .pid = APP, .nr = SYS_sendto, .ret = 40, .args = { 12, 0, 40, 0, 0, salen },
				.sa = sa, .sa_len = salen, .fdinfo = &fi };
	const struct sc_spec close = { .pid = APP, .nr = SYS_close, .ret = 0, .args = { 12 }, .fdinfo = &fi };
	struct event *ev;

	udp.proto = IPPROTO_UDP;
	udp.type = SOCK_DGRAM;
	fi = fdinfo_sock(12, 1200, udp);
	ev = syscall_event(c, &send);
	assert_string_equal(ev->fd->name, "10.0.0.1:33333->8.8.8.8:53");
	assert_true(ev->fd_name_changed);
	assert_string_equal(fd_of(c, APP, 12)->name, "10.0.0.1:33333->8.8.8.8:53");
	/* to another peer: renamed */
	salen = sockaddr_inet(sa, AF_INET, "1.1.1.1", 53);
	ev = syscall_event(c, &send);
	assert_string_equal(ev->fd->name, "10.0.0.1:33333->1.1.1.1:53");
	assert_true(ev->fd_name_changed);
	/* the close names the last peer too */
	ev = syscall_event(c, &close);
	assert_string_equal(ev->fd->name, "10.0.0.1:33333->1.1.1.1:53");
}

/* the kernel's addresses win when they change under an entry (a bind, an implicit one) */
static void socket_addresses_kept_current(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo before = fdinfo_sock(4, 500, sock_inet(AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80));
	struct vg_fdinfo after = fdinfo_sock(4, 500, sock_inet(AF_INET, "10.0.0.1", 40000, "10.0.0.3", 80));
	const struct sc_spec s1 = { .pid = APP, .nr = SYS_fchown, .ret = 0, .args = { 4 }, .fdinfo = &before };
	const struct sc_spec s2 = { .pid = APP, .nr = SYS_fchown, .ret = 0, .args = { 4 }, .fdinfo = &after };
	struct event *ev;

	ev = syscall_event(c, &s1);
	assert_string_equal(ev->fd->name, "10.0.0.1:40000->10.0.0.2:80");
	ev = syscall_event(c, &s2);
	assert_string_equal(ev->fd->name, "10.0.0.1:40000->10.0.0.3:80");
	assert_int_equal(ev->fd->ino, 500);
}

/* syscalls of a pid never seen get a placeholder process */
static void syscall_of_an_unknown_pid(void **state)
{
	struct ctx *c = *state;
	const struct sc_spec s = { .pid = 4242, .nr = SYS_openat, .ret = -ENOENT, .args = { FDCWD },
				   .str = { "rel" } };
	struct event *ev = syscall_event(c, &s);

	assert_non_null(ev->proc);
	assert_int_equal(ev->proc->pid, 4242);
	/* its cwd is unknown, so a relative path cannot be made absolute */
	assert_null(ev->path[0]);
	assert_string_equal(ev->fd->name, "rel");
	assert_int_equal(c->d.procs.unknown, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(malformed_records),
		cmocka_unit_test(sound_records),
		T(snapshots_build_the_tables),
		T(node_info),
		T(exec_fork_exit_events),
		T(exit_of_an_unknown_pid),
		T(tcp_events),
		T(openat_relative_to_a_dirfd),
		T(open_paths),
		T(open_real_path),
		T(failed_open),
		T(two_paths),
		T(dup2_and_close),
		T(chdir_moves_later_relative_paths),
		T(reused_fd_is_not_given_a_stale_name),
		T(socket_and_connect),
		T(connect_ipv6),
		T(accept_names_the_client_first),
		T(unix_socket_connect),
		T(sendto_names_an_unconnected_socket),
		T(socket_addresses_kept_current),
		T(syscall_of_an_unknown_pid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
