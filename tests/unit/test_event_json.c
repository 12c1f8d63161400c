/*
 * test_event_json.c - the JSON event stream against docs/events.md: events
 * are decoded from hand-built records (as the agent would), written as a
 * line, parsed back with jansson, and every object is checked for exactly
 * the keys the schema lists and for their values - exec, fork, exit
 * (status, signal, core dump), syscalls (name, arguments by name, paths, the
 * fd object with its 4-tuple), network events. Bytes that are not UTF-8
 * become U+FFFD and the line stays valid JSON.
 */
#include "test_util.h"
#include "test_records.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <jansson.h>
#include <linux/netlink.h>

#include "container.h"
#include "decode.h"
#include "event_json.h"
#include "users.h"

#define NODE "vm"
#define BOOT_NS 1700000000000000000ull   /* 2023-11-14T22:13:20Z */
#define SHELL 4200
#define CAT 4231
#define POD "fa215d88-bd4e-5759-92ab-89ddaf983762"
#define CID "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define FFFD "\xef\xbf\xbd"

struct ctx {
	struct decoder d;
	struct arena a;
	struct rec r;
	struct event ev;
	struct event_json_ctx jc;
	char users_dir[64];
};

/* --- helpers ----------------------------------------------------------------------- */

static struct event *event_of(struct ctx *c, const void *rec)
{
	int rc;

	event_release(&c->ev);
	rc = decode_record(&c->d, rec, c->r.len, &c->ev, &c->a);
	if (rc != 1)
		fail_msg("decode_record returned %d (%s)", rc, c->d.error);
	return &c->ev;
}

static void apply(struct ctx *c, const void *rec)
{
	struct event ev;

	if (decode_record(&c->d, rec, c->r.len, &ev, &c->a) != 0)
		fail_msg("record not applied (%s)", c->d.error);
}

/* the event as the stream writes it, parsed back (the caller decrefs) */
static json_t *line_of(struct ctx *c, const struct event *ev)
{
	char *line = event_to_json_line(&c->jc, ev);
	json_error_t err;
	json_t *j;

	assert_non_null(line);
	assert_null(strchr(line, '\n'));
	j = json_loads(line, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("not JSON (%s at %d): %s", err.text, err.position, line);
	free(line);
	return j;
}

/* o has exactly these keys */
static void keys_are(const json_t *o, const char *const *keys)
{
	size_t n = 0;
	const char *k;
	json_t *v;

	assert_true(json_is_object(o));
	for (; keys[n]; n++)
		if (!json_object_get(o, keys[n]))
			fail_msg("key \"%s\" missing", keys[n]);
	json_object_foreach((json_t *)o, k, v) {
		size_t i = 0;

		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i])
			fail_msg("key \"%s\" is not in the schema here", k);
	}
	assert_int_equal(json_object_size(o), n);
}

#define KEYS(o, ...) keys_are((o), (const char *const[]){ __VA_ARGS__, NULL })

static void str_is(const json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	if (strcmp(json_string_value(v), want) != 0)
		fail_msg("\"%s\" is \"%s\", want \"%s\"", key, json_string_value(v), want);
}

static void int_is(const json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	if (json_integer_value(v) != want)
		fail_msg("\"%s\" is %lld, want %lld", key, (long long)json_integer_value(v), (long long)want);
}

/* the body of the event's one kind key, after checking the top-level keys */
static json_t *body_of(json_t *top, const char *kind, const char *time)
{
	KEYS(top, kind, "node_name", "time");
	str_is(top, "node_name", NODE);
	str_is(top, "time", time);
	return json_object_get(top, kind);
}

/* the process object's keys: the schema's, with the optional ones given */
#define PROC_KEYS "exec_id", "pid", "tid", "ppid", "vpid", "uid", "euid", "gid", "egid", "auid", "comm", \
		  "binary", "arguments", "cwd", "start_time", "flags", "tty", "cgroup_id"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A decoder with a shell (SHELL, found in /proc at start) and user names
 * from a passwd file of our own, so "user" does not depend on the host.
 */
static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	char path[128];
	const struct exec_spec shell = { .kind = VG_EV_PROC_SNAPSHOT, .pid = SHELL, .ppid = 1, .ts = 1000000000,
					 .exe = "/bin/bash", ARGV("-bash\0"), .cwd = "/root", .comm = "bash",
					 .auid = 0, .tty = 34816, .cgroup_id = 7 };

	assert_non_null(c);
	strcpy(c->users_dir, "/tmp/vigil-users-XXXXXX");
	assert_non_null(mkdtemp(c->users_dir));
	snprintf(path, sizeof(path), "%s/etc", c->users_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/etc/passwd", c->users_dir);
	write_file(path, "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
	users_set_root(c->users_dir);

	decoder_init(&c->d, NODE, 1024, false);
	c->jc.node = NODE;
	c->jc.boot_wall_ns = BOOT_NS;
	apply(c, build_exec(&c->r, &shell));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	char path[128];

	event_release(&c->ev);
	decoder_free(&c->d);
	arena_free(&c->a);
	container_cache_clear();
	users_free();
	snprintf(path, sizeof(path), "%s/etc/passwd", c->users_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", c->users_dir);
	rmdir(path);
	rmdir(c->users_dir);
	free(c);
	return 0;
}

/* `cat /etc/hostname` exec'd by the shell */
static struct event *exec_cat(struct ctx *c)
{
	const struct exec_spec cat = { .pid = CAT, .ppid = SHELL, .ts = 5123456789ull, .exe = "/usr/bin/cat",
				       ARGV("cat\0/etc/hostname\0"), .cwd = "/root", .comm = "cat",
				       .auid = 0xffffffffu, .cgroup_id = 1 };

	return event_of(c, build_exec(&c->r, &cat));
}

/* --- process events ------------------------------------------------------------------ */

static void exec_event(void **state)
{
	struct ctx *c = *state;
	struct event *ev = exec_cat(c);
	json_t *top = line_of(c, ev);
	json_t *body = body_of(top, "process_exec", "2023-11-14T22:13:25.123456789Z");
	json_t *p, *parent;
	char id[256];

	KEYS(body, "process", "parent");
	p = json_object_get(body, "process");
	KEYS(p, PROC_KEYS, "user", "parent_exec_id");
	proc_make_exec_id(NODE, 5123456789ull, CAT, id, sizeof(id));
	str_is(p, "exec_id", id);
	int_is(p, "pid", CAT);
	int_is(p, "tid", CAT);
	int_is(p, "ppid", SHELL);
	int_is(p, "vpid", CAT);
	int_is(p, "uid", 0);
	int_is(p, "euid", 0);
	int_is(p, "gid", 0);
	int_is(p, "egid", 0);
	int_is(p, "auid", 4294967295ll);
	str_is(p, "user", "root");
	str_is(p, "comm", "cat");
	str_is(p, "binary", "/usr/bin/cat");
	str_is(p, "arguments", "/etc/hostname");
	str_is(p, "cwd", "/root");
	str_is(p, "start_time", "2023-11-14T22:13:25.123456789Z");
	str_is(p, "flags", "execve");
	int_is(p, "tty", 0);
	int_is(p, "cgroup_id", 1);
	proc_make_exec_id(NODE, 1000000000, SHELL, id, sizeof(id));
	str_is(p, "parent_exec_id", id);

	/* the parent: the same shape; its own parent is unknown */
	parent = json_object_get(body, "parent");
	KEYS(parent, PROC_KEYS, "user");
	str_is(parent, "exec_id", id);
	int_is(parent, "pid", SHELL);
	int_is(parent, "tid", SHELL);
	str_is(parent, "binary", "/bin/bash");
	str_is(parent, "arguments", "");
	str_is(parent, "flags", "procfs");
	str_is(parent, "start_time", "2023-11-14T22:13:21.000000000Z");
	int_is(parent, "tty", 34816);
	int_is(parent, "cgroup_id", 7);
	int_is(parent, "auid", 0);
	json_decref(top);

	/* the line itself: compact, the kind first */
	char *line = event_to_json_line(&c->jc, ev);

	static const char start[] = "{\"process_exec\":{\"process\":{\"exec_id\":";

	assert_non_null(line);
	assert_memory_equal(line, start, strlen(start));
	assert_null(strstr(line, ": "));
	free(line);
}

/* users come from the passwd file; unknown ids give no "user" */
static void user_names(void **state)
{
	struct ctx *c = *state;
	struct exec_spec s = { .pid = 5000, .ppid = SHELL, .ts = 2000000000, .exe = "/bin/id", .uid = 1000,
			       .euid = 1000 };
	json_t *top, *p;

	top = line_of(c, event_of(c, build_exec(&c->r, &s)));
	p = json_object_get(json_object_get(top, "process_exec"), "process");
	str_is(p, "user", "alice");
	int_is(p, "uid", 1000);
	json_decref(top);

	s.euid = 4321;
	top = line_of(c, event_of(c, build_exec(&c->r, &s)));
	p = json_object_get(json_object_get(top, "process_exec"), "process");
	KEYS(p, PROC_KEYS, "parent_exec_id");
	int_is(p, "euid", 4321);
	json_decref(top);
}

static void flags_and_containers(void **state)
{
	struct ctx *c = *state;
	struct exec_spec s = {
		.pid = 5001, .ppid = SHELL, .ts = 3000000000ull, .exe = "/memfd:payload (deleted)",
		ARGV("payload\0"), .cwd = "/", .flags = VG_F_TRUNCATED,
		.exe_flags = VG_EXE_FROM_MEMFD | VG_EXE_DELETED,
		.cgroup = "kubepods-burstable.slice/kubepods-burstable-podfa215d88_bd4e_5759_92ab_89ddaf983762.slice/"
			  "cri-containerd-" CID ".scope",
	};
	json_t *top, *p, *ct;

	top = line_of(c, event_of(c, build_exec(&c->r, &s)));
	p = json_object_get(json_object_get(top, "process_exec"), "process");
	KEYS(p, PROC_KEYS, "user", "container", "parent_exec_id");
	str_is(p, "flags", "execve truncated memfd deleted");
	ct = json_object_get(p, "container");
	KEYS(ct, "id", "runtime", "pod_uid");
	str_is(ct, "id", CID);
	str_is(ct, "runtime", "containerd");
	str_is(ct, "pod_uid", POD);
	json_decref(top);

	s.flags = 0;
	s.exe_flags = VG_EXE_UPPER_LAYER;
	s.cgroup = "/system.slice/docker-" CID ".scope";
	top = line_of(c, event_of(c, build_exec(&c->r, &s)));
	p = json_object_get(json_object_get(top, "process_exec"), "process");
	str_is(p, "flags", "execve upper_layer");
	ct = json_object_get(p, "container");
	KEYS(ct, "id", "runtime");
	str_is(ct, "runtime", "docker");
	json_decref(top);
}

static void fork_event(void **state)
{
	struct ctx *c = *state;
	json_t *top = line_of(c, event_of(c, build_fork(&c->r, 4300, SHELL, 4000000000ull)));
	json_t *body = body_of(top, "process_fork", "2023-11-14T22:13:24.000000000Z");
	json_t *p = json_object_get(body, "process");

	KEYS(body, "process", "parent");
	int_is(p, "pid", 4300);
	int_is(p, "ppid", SHELL);
	str_is(p, "flags", "clone");
	str_is(p, "binary", "/bin/bash");
	str_is(p, "cwd", "/root");
	int_is(json_object_get(body, "parent"), "pid", SHELL);
	json_decref(top);
}

static void exit_events(void **state)
{
	static const struct {
		uint32_t status;
		const char *key;       /* "status" or "signal" */
		json_int_t code;
		const char *signal;
		bool core;
	} cases[] = {
		{ 0, "status", 0, NULL, false },
		{ 3 << 8, "status", 3, NULL, false },
		{ 255 << 8, "status", 255, NULL, false },
		{ 9, "signal", 0, "SIGKILL", false },
		{ 15, "signal", 0, "SIGTERM", false },
		{ 0x80 | 11, "signal", 0, "SIGSEGV", true },
		{ 40, "signal", 0, "SIG40", false },
	};
	struct ctx *c = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *top, *body;

		exec_cat(c);
		top = line_of(c, event_of(c, build_exit(&c->r, CAT, cases[i].status, 6000000000ull)));
		body = body_of(top, "process_exit", "2023-11-14T22:13:26.000000000Z");
		if (cases[i].signal) {
			if (cases[i].core)
				KEYS(body, "signal", "core_dumped", "process", "parent");
			else
				KEYS(body, "signal", "process", "parent");
			str_is(body, "signal", cases[i].signal);
			if (cases[i].core)
				assert_true(json_is_true(json_object_get(body, "core_dumped")));
		} else {
			KEYS(body, "status", "process", "parent");
			int_is(body, "status", cases[i].code);
		}
		str_is(json_object_get(body, "process"), "binary", "/usr/bin/cat");
		json_decref(top);
	}
}

/* --- syscalls --------------------------------------------------------------------- */

static void openat_event(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo dir = fdinfo_of(5, VG_FT_DIR, 50);
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = {
		.pid = SHELL, .ts = 7000000000ull, .nr = SYS_openat, .ret = 3,
		.args = { 5, 0, O_RDONLY | O_CLOEXEC, 0 }, .str = { "data/file.txt" }, .fdinfo = &fi,
	};
	json_t *top, *body, *args, *fd;

	apply(c, build_fd_snapshot(&c->r, SHELL, &dir, "/srv/app"));
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = body_of(top, "syscall", "2023-11-14T22:13:27.000000000Z");
	KEYS(body, "name", "nr", "ret", "args", "path", "fd", "process");
	str_is(body, "name", "openat");
	int_is(body, "nr", 257);
	int_is(body, "ret", 3);
	args = json_object_get(body, "args");
	KEYS(args, "dirfd", "name", "flags", "mode");
	int_is(args, "dirfd", 5);
	str_is(args, "name", "data/file.txt");
	int_is(args, "flags", 524288);
	int_is(args, "mode", 0);
	str_is(body, "path", "/srv/app/data/file.txt");
	fd = json_object_get(body, "fd");
	KEYS(fd, "num", "type", "name");
	int_is(fd, "num", 3);
	str_is(fd, "type", "file");
	str_is(fd, "name", "/srv/app/data/file.txt");
	json_decref(top);
}

/*
 * A process's object is written once per image and reused (event_json.c),
 * except where the event's thread or credentials are not the image's:
 * those show in the event, and the next event of the image shows the
 * image's own again.
 */
static void process_object_follows_thread_and_credentials(void **state)
{
	struct ctx *c = *state;
	struct sc_spec s = { .pid = SHELL, .ts = 7000000000ull, .nr = SYS_chdir, .ret = 0, .str = { "/tmp" } };
	struct vg_syscall *sc;
	json_t *top, *p;

	for (int round = 0; round < 2; round++) {
		top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
		p = json_object_get(body_of(top, "syscall", "2023-11-14T22:13:27.000000000Z"), "process");
		int_is(p, "tid", SHELL);
		int_is(p, "euid", 0);
		str_is(p, "user", "root");
		json_decref(top);

		/* after setuid: the event's credentials */
		s.uid = s.euid = 1000;
		top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
		p = json_object_get(body_of(top, "syscall", "2023-11-14T22:13:27.000000000Z"), "process");
		int_is(p, "uid", 1000);
		int_is(p, "euid", 1000);
		str_is(p, "user", "alice");
		json_decref(top);
		s.uid = s.euid = 0;

		/* another thread of the process */
		sc = (struct vg_syscall *)build_syscall(&c->r, &s);
		sc->h.tid = SHELL + 7;
		top = line_of(c, event_of(c, sc));
		p = json_object_get(body_of(top, "syscall", "2023-11-14T22:13:27.000000000Z"), "process");
		int_is(p, "tid", SHELL + 7);
		int_is(p, "pid", SHELL);
		json_decref(top);
	}
}

static void failed_and_truncated_syscalls(void **state)
{
	struct ctx *c = *state;
	struct sc_spec s = {
		.pid = SHELL, .ts = 7000000000ull, .nr = SYS_openat, .ret = -ENOENT,
		.args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY, 0 }, .str = { "missing" },
	};
	json_t *top, *body, *fd;

	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = json_object_get(top, "syscall");
	KEYS(body, "name", "nr", "ret", "error", "args", "path", "fd", "process");
	int_is(body, "ret", -2);
	str_is(body, "error", "ENOENT");
	int_is(json_object_get(body, "args"), "dirfd", -100);
	fd = json_object_get(body, "fd");
	int_is(fd, "num", -1);
	str_is(fd, "name", "/root/missing");
	json_decref(top);

	s.ret = -EACCES;
	s.flags = VG_F_TRUNCATED;
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = json_object_get(top, "syscall");
	KEYS(body, "name", "nr", "ret", "error", "args", "path", "fd", "process", "truncated");
	str_is(body, "error", "EACCES");
	assert_true(json_is_true(json_object_get(body, "truncated")));
	json_decref(top);
}

/* two paths: "path" and "path2" */
static void rename_event(void **state)
{
	struct ctx *c = *state;
	const struct sc_spec s = { .pid = SHELL, .nr = SYS_rename, .ret = 0, .str = { "a.txt", "/tmp/../b.txt" } };
	json_t *top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	json_t *body = json_object_get(top, "syscall");

	KEYS(body, "name", "nr", "ret", "args", "path", "path2", "process");
	KEYS(json_object_get(body, "args"), "oldpath", "newpath");
	str_is(json_object_get(body, "args"), "newpath", "/tmp/../b.txt");
	str_is(body, "path", "/root/a.txt");
	str_is(body, "path2", "/b.txt");
	json_decref(top);
}

static void connect_event(void **state)
{
	struct ctx *c = *state;
	struct vg_fdinfo fi = fdinfo_sock(4, 500, sock_inet(AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET, "10.0.0.2", 80);
	const struct sc_spec s = { .pid = SHELL, .nr = SYS_connect, .ret = 0, .args = { 4, 0, salen }, .sa = sa,
				   .sa_len = salen, .fdinfo = &fi };
	json_t *top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	json_t *body = json_object_get(top, "syscall");
	json_t *args = json_object_get(body, "args");
	json_t *addr = json_object_get(args, "addr");
	json_t *fd = json_object_get(body, "fd");

	KEYS(body, "name", "nr", "ret", "args", "fd", "process");
	str_is(body, "name", "connect");
	KEYS(args, "fd", "addr", "tuple");
	int_is(args, "fd", 4);
	KEYS(addr, "family", "addr", "port");
	str_is(addr, "family", "AF_INET");
	str_is(addr, "addr", "10.0.0.2");
	int_is(addr, "port", 80);
	str_is(args, "tuple", "10.0.0.1:40000->10.0.0.2:80");
	KEYS(fd, "num", "type", "name", "proto", "laddr", "lport", "raddr", "rport");
	int_is(fd, "num", 4);
	str_is(fd, "type", "ipv4");
	str_is(fd, "name", "10.0.0.1:40000->10.0.0.2:80");
	str_is(fd, "proto", "tcp");
	str_is(fd, "laddr", "10.0.0.1");
	int_is(fd, "lport", 40000);
	str_is(fd, "raddr", "10.0.0.2");
	int_is(fd, "rport", 80);
	json_decref(top);
}

static void other_sockaddrs(void **state)
{
	struct ctx *c = *state;
	struct vg_sock v6 = sock_inet(AF_INET6, "2001:db8::1", 40001, "2001:db8::2", 53);
	struct vg_sock un = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct vg_fdinfo fi;
	uint8_t sa[128];
	struct sc_spec s = { .pid = SHELL, .nr = SYS_connect, .ret = 0, .args = { 4 }, .sa = sa, .fdinfo = &fi };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	json_t *top, *body, *addr, *fd;

	/* IPv6, over UDP */
	v6.proto = IPPROTO_UDP;
	v6.type = SOCK_DGRAM;
	fi = fdinfo_sock(4, 501, v6);
	s.sa_len = sockaddr_inet(sa, AF_INET6, "2001:db8::2", 53);
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = json_object_get(top, "syscall");
	addr = json_object_get(json_object_get(body, "args"), "addr");
	KEYS(addr, "family", "addr", "port");
	str_is(addr, "family", "AF_INET6");
	str_is(addr, "addr", "2001:db8::2");
	int_is(addr, "port", 53);
	fd = json_object_get(body, "fd");
	str_is(fd, "type", "ipv6");
	str_is(fd, "proto", "udp");
	str_is(fd, "laddr", "2001:db8::1");
	str_is(fd, "raddr", "2001:db8::2");
	json_decref(top);

	/* unix: a path, and an fd object without addresses */
	fi = fdinfo_sock(9, 900, un);
	s.args[0] = 9;
	s.sa_len = sockaddr_unix(sa, "/run/app.sock");
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = json_object_get(top, "syscall");
	addr = json_object_get(json_object_get(body, "args"), "addr");
	KEYS(addr, "family", "path");
	str_is(addr, "family", "AF_UNIX");
	str_is(addr, "path", "/run/app.sock");
	fd = json_object_get(body, "fd");
	KEYS(fd, "num", "type", "name");
	str_is(fd, "type", "unix");
	str_is(fd, "name", "/run/app.sock");
	json_decref(top);

	/* netlink: the family alone */
	memcpy(sa, &nl, sizeof(nl));
	s.sa_len = sizeof(nl);
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	addr = json_object_get(json_object_get(json_object_get(top, "syscall"), "args"), "addr");
	KEYS(addr, "family");
	str_is(addr, "family", "AF_NETLINK");
	json_decref(top);

	/* too short for its family */
	s.sa_len = sockaddr_inet(sa, AF_INET, "10.0.0.2", 80) - 4;
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	addr = json_object_get(json_object_get(json_object_get(top, "syscall"), "args"), "addr");
	KEYS(addr, "family");
	str_is(addr, "family", "truncated");
	json_decref(top);

	/* no sockaddr at all */
	s.sa = NULL;
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(top, "syscall"), "args"), "addr")));
	json_decref(top);
}

/* syscalls without described arguments give their raw registers */
static void raw_arguments(void **state)
{
	struct ctx *c = *state;
	struct sc_spec s = { .pid = SHELL, .nr = SYS_getpid, .ret = SHELL, .args = { 1, 2, 3, 4, 5, 6 } };
	json_t *top, *body, *raw;

	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	body = json_object_get(top, "syscall");
	str_is(body, "name", "getpid");
	KEYS(json_object_get(body, "args"), "raw");
	raw = json_object_get(json_object_get(body, "args"), "raw");
	assert_int_equal(json_array_size(raw), 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(json_integer_value(json_array_get(raw, i)), i + 1);
	json_decref(top);

	/* a number no syscall has */
	s.nr = 500;
	top = line_of(c, event_of(c, build_syscall(&c->r, &s)));
	str_is(json_object_get(top, "syscall"), "name", "syscall_500");
	int_is(json_object_get(top, "syscall"), "nr", 500);
	json_decref(top);
}

/* --- network -------------------------------------------------------------------------- */

static void network_events(void **state)
{
	static const struct {
		uint8_t kind;
		int family;
		const char *type, *fam, *saddr, *daddr;
	} cases[] = {
		{ VG_TCP_CONNECT, AF_INET, "connect", "AF_INET", "10.0.0.1", "93.184.216.34" },
		{ VG_TCP_ACCEPT, AF_INET, "accept", "AF_INET", "10.0.0.1", "10.0.0.9" },
		{ VG_TCP_CLOSE, AF_INET6, "close", "AF_INET6", "2001:db8::1", "2001:db8::2" },
	};
	struct ctx *c = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *top, *body;

		top = line_of(c, event_of(c, build_tcp(&c->r, SHELL, 8000000000ull + i, cases[i].kind, cases[i].family,
						       cases[i].saddr, 40000, cases[i].daddr, 443, 0xabcdef + i)));
		body = body_of(top, "network", i == 0 ? "2023-11-14T22:13:28.000000000Z" :
					       i == 1 ? "2023-11-14T22:13:28.000000001Z" :
							"2023-11-14T22:13:28.000000002Z");
		KEYS(body, "type", "protocol", "family", "saddr", "sport", "daddr", "dport", "cookie", "process");
		str_is(body, "type", cases[i].type);
		str_is(body, "protocol", "tcp");
		str_is(body, "family", cases[i].fam);
		str_is(body, "saddr", cases[i].saddr);
		int_is(body, "sport", 40000);
		str_is(body, "daddr", cases[i].daddr);
		int_is(body, "dport", 443);
		int_is(body, "cookie", 0xabcdef + (json_int_t)i);
		int_is(json_object_get(body, "process"), "pid", SHELL);
		json_decref(top);
	}
}

/* --- text that is not UTF-8 -------------------------------------------------------------- */

static void invalid_utf8_becomes_replacement_characters(void **state)
{
	struct ctx *c = *state;
	/* argv: a lone high byte pair, valid UTF-8 (é), an overlong '/', a sequence cut at the end */
	const struct exec_spec s = {
		.pid = 5002, .ppid = SHELL, .ts = 9000000000ull, .exe = "/tmp/\xff\xfe", .cwd = "/home/caf\xc3\xa9",
		.comm = "x\x80y",
		ARGV("prog\0\xff\xfe-x\0caf\xc3\xa9\0\xc0\xaf\0ok\xe2\x82\0"),
	};
	const struct sc_spec sc = { .pid = SHELL, .nr = SYS_unlink, .ret = 0, .str = { "/tmp/\xe9t\xe9" } };
	json_t *top, *p, *body;

	top = line_of(c, event_of(c, build_exec(&c->r, &s)));
	p = json_object_get(json_object_get(top, "process_exec"), "process");
	str_is(p, "arguments", FFFD FFFD "-x caf\xc3\xa9 " FFFD FFFD " ok" FFFD FFFD);
	str_is(p, "binary", "/tmp/" FFFD FFFD);
	str_is(p, "cwd", "/home/caf\xc3\xa9");
	str_is(p, "comm", "x" FFFD "y");
	json_decref(top);

	/* syscall strings too: the argument and the resolved path */
	top = line_of(c, event_of(c, build_syscall(&c->r, &sc)));
	body = json_object_get(top, "syscall");
	str_is(json_object_get(body, "args"), "path", "/tmp/" FFFD "t" FFFD);
	str_is(body, "path", "/tmp/" FFFD "t" FFFD);
	json_decref(top);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(exec_event),
		T(user_names),
		T(flags_and_containers),
		T(fork_event),
		T(exit_events),
		T(openat_event),
		T(process_object_follows_thread_and_credentials),
		T(failed_and_truncated_syscalls),
		T(rename_event),
		T(connect_event),
		T(other_sockaddrs),
		T(raw_arguments),
		T(network_events),
		T(invalid_utf8_becomes_replacement_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
