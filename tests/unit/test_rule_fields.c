/*
 * test_rule_fields.c - every field of rules/fields.c, read from events
 * decoded from hand-built records: its value, printed as outputs print it,
 * its type, and where it must be missing (fd fields on an exec, container
 * fields on the host, the values only a runtime, the Kubernetes API or a
 * resolver could give). User and group names come from passwd and group
 * files under a temporary root (users_set_root).
 *
 * Every field of field_table() must appear in some case; a field documented
 * as <NA> must be missing in all of them, and every other field must have a
 * value in at least one. So a new field without a test fails here.
 *
 * Then docs/fields.md: it must list exactly the fields of field_table(),
 * each with its type, so the documentation cannot drift from the table.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "users.h"

#define DOCS_FILE TOP_DIR "/docs/fields.md"

/* container ids and a pod UID as runtimes write them */
#define DOCKER_ID "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
#define CRI_ID "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define POD_UID "fa215d88-bd4e-5759-92ab-89ddaf983762"

/* 2 s after boot, in CLOCK_BOOTTIME ns */
#define EXEC_TS 2000000000ull

/* what a field must read on an event: its printed value, or NULL when missing */
struct field_case {
	const char *field;    /* as written in a rule: "proc.aname[2]", "evt.arg.flags" */
	const char *want;
	enum ftype type;      /* ignored when want is NULL */
};

#define MISSING(f) { f, NULL, FT_STRING }
#define STR(f, v) { f, v, FT_STRING }
#define UINT(f, v) { f, v, FT_UINT }
#define INT(f, v) { f, v, FT_INT }
#define BOOL(f, v) { f, v, FT_BOOL }

/* which fields some case has read, and which had a value */
static bool seen[256], had_value[256];

struct fixture {
	struct rig g;
	char root[64];        /* passwd and group live under it */
};

/* --- reading a field ---------------------------------------------------------------------- */

static const struct field_def *def_index(const struct field_def *def)
{
	size_t n;
	const struct field_def *all = field_table(&n);

	assert_true(def >= all && def < all + n);
	assert_true(n <= sizeof(seen) / sizeof(seen[0]));
	return def;
}

/* read `text` ("proc.aname[2]") on ev into buf; false when missing */
static bool read_field(struct rig *g, const char *text, const struct event *ev, char *buf, size_t n,
		       struct fval *v, const struct field_def **def)
{
	struct slot_table slots = { 0 };
	struct field_use u;
	struct eval_state st;
	char err[256], *name = strdup(text), *bracket = strchr(name, '[');
	struct ast_field af = { .name = name };
	bool ok;

	if (bracket) {
		*bracket = 0;
		af.arg = bracket + 1;
		af.arg[strlen(af.arg) - 1] = 0;
	}
	if (field_use_init(&u, &af, &slots, err, sizeof(err)) < 0)
		fail_msg("%s: %s", text, err);
	*def = def_index(u.ref.def);
	eval_state_init(&st, slots.n, &g->eval_arena, g->d.node, g->d.boot_wall_ns);
	eval_begin(&st);
	ok = field_value(&st, &u, ev, 0, v);
	if (ok)
		fval_format(v, buf, n);
	eval_state_free(&st);
	field_use_free(&u);
	slot_table_free(&slots);
	free(name);
	return ok;
}

static void check_fields(struct rig *g, const struct event *ev, const char *what, const struct field_case *cases,
			 size_t n)
{
	size_t nall;
	const struct field_def *all = field_table(&nall);
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct field_case *c = &cases[i];
		const struct field_def *def;
		struct fval v;
		char buf[1024];
		bool ok = read_field(g, c->field, ev, buf, sizeof(buf), &v, &def);

		seen[def - all] = true;
		had_value[def - all] |= ok;
		if (!c->want && ok) {
			print_error("  %s: %s should be missing, is '%s'\n", what, c->field, buf);
			bad++;
		} else if (c->want && !ok) {
			print_error("  %s: %s is missing, should be '%s'\n", what, c->field, c->want);
			bad++;
		} else if (c->want && strcmp(buf, c->want) != 0) {
			print_error("  %s: %s is '%s', should be '%s'\n", what, c->field, buf, c->want);
			bad++;
		} else if (c->want && (v.type != c->type || def->type != c->type)) {
			print_error("  %s: %s is a %s (declared %s), should be a %s\n", what, c->field,
				    ftype_name(v.type), ftype_name(def->type), ftype_name(c->type));
			bad++;
		}
	}
	if (bad)
		fail_msg("%d of %zu fields wrong on %s", bad, n, what);
}

#define CHECK_FIELDS(g, ev, cases) check_fields((g), (ev), #cases, (cases), sizeof(cases) / sizeof((cases)[0]))

/* --- events --------------------------------------------------------------------------------- */

#define CAP_CHOWN_BIT (1ull << 0)
#define CAP_KILL_BIT (1ull << 5)
#define CAP_SYS_ADMIN_BIT (1ull << 21)
#define ALL_CAPS ((1ull << 41) - 1)

/*
 * bash (200) runs `cat -n /etc/shadow` as pid 300 with euid 0 (a setuid
 * binary), login uid 1000, in bash's session, leading its own process group
 * on /dev/pts/0; the process was forked 1 ms before the exec.
 */
static const struct event *exec_cat(struct rig *g, const char *cgroup, uint64_t caps, uint16_t exe_flags)
{
	const struct exec_spec s = { .pid = 300, .ppid = PID_BASH, .ts = EXEC_TS, .comm = "cat",
				     .exe = "/usr/bin/cat", ARGV("cat\0-n\0/etc/shadow\0"), .cwd = "/root",
				     .cgroup = cgroup, .uid = 1000, .euid = 0, .auid = 1000, .exe_ino = 1234,
				     .exe_flags = exe_flags, .tty = 34816 };
	struct vg_exec *e = (struct vg_exec *)build_exec(&g->r, &s);

	e->task.sid = PID_BASH;
	e->task.vpgid = 300;
	e->task.start_time = EXEC_TS - 1000000;
	e->task.creds.gid = e->task.creds.egid = 1000;
	e->task.creds.cap_effective = caps;
	e->task.creds.cap_permitted = caps | CAP_SYS_ADMIN_BIT;
	e->exe_mtime = RIG_BOOT_WALL_NS - 2000000000ull;
	e->exe_ctime = RIG_BOOT_WALL_NS - 1000000000ull;
	e->exe_dev = 0x801;
	return rig_event(g, e);
}

/* /etc/shadow opened by cat as fd 3, given relative to /root */
static const struct event *open_shadow(struct rig *g)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = { .pid = 300, .ts = EXEC_TS + 1000, .nr = SYS_openat, .ret = 3,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY | O_CLOEXEC },
				   .str = { "../etc/shadow" }, .fdinfo = &fi, .uid = 1000, .euid = 0 };

	return rig_event(g, build_syscall(&g->r, &s));
}

static const struct event *connect_out(struct rig *g)
{
	struct vg_fdinfo fi = fdinfo_sock(4, 500, sock_inet(AF_INET, "10.0.0.1", 40000, "192.168.1.20", 443));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, AF_INET, "192.168.1.20", 443);
	const struct sc_spec s = { .pid = 300, .ts = EXEC_TS + 2000, .nr = SYS_connect, .ret = 0,
				   .args = { 4, 0, salen }, .sa = sa, .sa_len = salen, .fdinfo = &fi };

	return rig_event(g, build_syscall(&g->r, &s));
}

/* a fork record carries the child's comm, which is its parent's */
static const struct event *fork_of(struct rig *g, uint32_t pid, uint32_t ppid, uint64_t ts, const char *comm)
{
	struct vg_fork *fk = (struct vg_fork *)build_fork(&g->r, pid, ppid, ts);

	snprintf(fk->task.comm, sizeof(fk->task.comm), "%s", comm);
	return rig_event(g, fk);
}

/* --- the cases ------------------------------------------------------------------------------- */

static const struct field_case exec_fields[] = {
	STR("evt.type", "execve"),
	UINT("evt.num", "1"),
	{ "evt.time", "2023-11-14T22:13:22.000000000Z", FT_ABSTIME },
	UINT("evt.rawtime", "1700000002000000000"),
	STR("evt.hostname", RIG_NODE),
	STR("evt.dir", "<"),
	STR("evt.source", "syscall"),
	STR("evt.res", "SUCCESS"),
	INT("evt.rawres", "0"),
	BOOL("evt.failed", "false"),
	/* what Falco's execve exit event carries */
	STR("evt.arg.exe", "cat"),
	STR("evt.arg.args", "-n /etc/shadow"),
	STR("evt.arg.cwd", "/root"),
	STR("evt.arg.comm", "cat"),
	STR("evt.arg.res", "0"),
	STR("evt.arg.filename", "/usr/bin/cat"),
	STR("evt.arg.trusted_exepath", "/usr/bin/cat"),
	STR("evt.arg.flags", ""),
	MISSING("evt.arg.envp"),
	MISSING("evt.args"),
	MISSING("evt.rawarg.flags"),
	MISSING("evt.is_open_read"),
	MISSING("evt.is_open_write"),
	MISSING("evt.is_open_exec"),
	MISSING("evt.abspath"),
	MISSING("evt.abspath.src"),
	MISSING("evt.abspath.dst"),
	MISSING("fs.path.name"),
	MISSING("fs.path.source"),
	MISSING("fs.path.target"),
	/* the process */
	STR("proc.name", "cat"),
	STR("proc.exe", "cat"),
	STR("proc.exepath", "/usr/bin/cat"),
	STR("proc.args", "-n /etc/shadow"),
	STR("proc.cmdline", "cat -n /etc/shadow"),
	UINT("proc.pid", "300"),
	UINT("proc.ppid", "200"),
	UINT("proc.vpid", "300"),
	STR("proc.pname", "bash"),
	STR("proc.pexe", "-bash"),
	STR("proc.pexepath", "/usr/bin/bash"),
	STR("proc.pcmdline", "bash"),
	STR("proc.aname", "bash"),                  /* the first of any ancestor */
	STR("proc.aname[0]", "cat"),
	STR("proc.aname[2]", "sshd"),
	STR("proc.aname[3]", "systemd"),
	MISSING("proc.aname[4]"),
	STR("proc.aexe[2]", "/usr/sbin/sshd"),
	STR("proc.aexepath[3]", "/sbin/init"),
	UINT("proc.apid", "200"),
	UINT("proc.apid[2]", "100"),
	MISSING("proc.apid[9]"),
	UINT("proc.sid", "200"),
	STR("proc.sname", "bash"),
	UINT("proc.vpgid", "300"),
	STR("proc.vpgid.name", "cat"),
	STR("proc.vpgid.exe", "cat"),
	BOOL("proc.is_vpgid_leader", "true"),
	BOOL("proc.is_sid_leader", "false"),
	UINT("proc.tty", "34816"),
	STR("proc.cwd", "/root"),
	{ "proc.duration", "1000000", FT_RELTIME },
	{ "proc.ppid.duration", "1999999900", FT_RELTIME },
	BOOL("proc.is_exe_from_memfd", "false"),
	BOOL("proc.is_exe_from_fd", "false"),
	BOOL("proc.is_exe_deleted", "false"),
	BOOL("proc.is_exe_upper_layer", "false"),
	UINT("proc.exe_ino", "1234"),
	{ "proc.exe_ino.mtime", "2023-11-14T22:13:18.000000000Z", FT_ABSTIME },
	{ "proc.exe_ino.ctime", "2023-11-14T22:13:19.000000000Z", FT_ABSTIME },
	{ "proc.exe_ino.ctime_duration_proc_start", "3000000000", FT_RELTIME },
	UINT("thread.tid", "300"),
	STR("thread.cap_effective", "CAP_CHOWN CAP_KILL"),
	STR("thread.cap_permitted", "CAP_CHOWN CAP_KILL CAP_SYS_ADMIN"),
	STR("thread.cap_inheritable", ""),
	/* the effective ids name the user and group; the real one is who ran it */
	UINT("user.uid", "0"),
	UINT("user.ruid", "1000"),
	STR("user.name", "root"),
	INT("user.loginuid", "1000"),
	STR("user.loginname", "alice"),
	UINT("group.gid", "1000"),
	STR("group.name", "staff"),
	/* an exec has no fd */
	MISSING("fd.num"),
	MISSING("fd.name"),
	MISSING("fd.nameraw"),
	MISSING("fd.directory"),
	MISSING("fd.filename"),
	MISSING("fd.typechar"),
	MISSING("fd.type"),
	MISSING("fd.types"),
	MISSING("fd.connected"),
	MISSING("fd.name_changed"),
	MISSING("fd.is_server"),
	MISSING("fd.ip"),
	MISSING("fd.sip"),
	MISSING("fd.cip"),
	MISSING("fd.lip"),
	MISSING("fd.rip"),
	MISSING("fd.port"),
	MISSING("fd.sport"),
	MISSING("fd.cport"),
	MISSING("fd.lport"),
	MISSING("fd.rport"),
	MISSING("fd.net"),
	MISSING("fd.snet"),
	MISSING("fd.cnet"),
	MISSING("fd.lnet"),
	MISSING("fd.rnet"),
	MISSING("fd.l4proto"),
	MISSING("fd.sockfamily"),
	MISSING("fd.ino"),
	MISSING("fd.dev"),
	/* on the host */
	STR("container.id", "host"),
	STR("container.full_id", "host"),
	STR("container.name", "host"),
	STR("container.type", "host"),
	MISSING("container.image"),
	MISSING("container.image.repository"),
	MISSING("container.image.tag"),
	MISSING("container.privileged"),
	MISSING("container.start_ts"),
	MISSING("k8s.ns.name"),
	MISSING("k8s.pod.name"),
	MISSING("k8s.pod.uid"),
};

static const struct field_case open_fields[] = {
	STR("evt.type", "openat"),
	UINT("evt.num", "2"),
	STR("evt.res", "SUCCESS"),
	INT("evt.rawres", "3"),
	BOOL("evt.failed", "false"),
	STR("evt.args", "dirfd=-100 name=../etc/shadow flags=O_RDONLY|O_CLOEXEC mode=0"),
	STR("evt.arg.flags", "O_RDONLY|O_CLOEXEC"),
	STR("evt.arg[flags]", "O_RDONLY|O_CLOEXEC"),
	STR("evt.arg.name", "../etc/shadow"),
	STR("evt.arg[1]", "../etc/shadow"),
	STR("evt.arg.dirfd", "-100"),
	STR("evt.arg.fd", "3"),                     /* the return value, by Falco's name */
	STR("evt.arg.res", "3"),
	MISSING("evt.arg.nosuch"),
	MISSING("evt.arg[7]"),
	INT("evt.rawarg.flags", "524288"),           /* O_CLOEXEC */
	INT("evt.rawarg.dirfd", "-100"),
	INT("evt.rawarg[2]", "524288"),
	MISSING("evt.rawarg.nosuch"),
	BOOL("evt.is_open_read", "true"),
	BOOL("evt.is_open_write", "false"),
	BOOL("evt.is_open_exec", "false"),
	STR("evt.abspath", "/etc/shadow"),
	STR("evt.abspath.src", "/etc/shadow"),
	MISSING("evt.abspath.dst"),
	STR("fs.path.name", "/etc/shadow"),
	MISSING("fs.path.source"),                  /* one path: no source or target */
	MISSING("fs.path.target"),
	STR("proc.name", "cat"),
	UINT("thread.tid", "300"),
	/* a syscall's credentials are its own */
	UINT("user.uid", "0"),
	INT("user.loginuid", "-1"),
	MISSING("user.loginname"),
	INT("fd.num", "3"),
	STR("fd.name", "/etc/shadow"),
	STR("fd.nameraw", "../etc/shadow"),
	STR("fd.directory", "/etc"),
	STR("fd.filename", "shadow"),
	STR("fd.typechar", "f"),
	STR("fd.type", "file"),
	STR("fd.types", "file"),
	BOOL("fd.connected", "false"),
	BOOL("fd.name_changed", "false"),
	MISSING("fd.is_server"),
	MISSING("fd.sip"),
	MISSING("fd.sport"),
	MISSING("fd.net"),
	MISSING("fd.l4proto"),
	MISSING("fd.sockfamily"),
	UINT("fd.ino", "77"),
	UINT("fd.dev", "2049"),
};

static const struct field_case connect_fields[] = {
	STR("evt.type", "connect"),
	INT("evt.rawres", "0"),
	STR("evt.arg.fd", "4"),
	STR("evt.arg.addr", "192.168.1.20:443"),
	STR("evt.arg.tuple", "10.0.0.1:40000->192.168.1.20:443"),
	INT("fd.num", "4"),
	STR("fd.name", "10.0.0.1:40000->192.168.1.20:443"),
	STR("fd.nameraw", "10.0.0.1:40000->192.168.1.20:443"),
	MISSING("fd.directory"),
	MISSING("fd.filename"),
	STR("fd.typechar", "4"),
	STR("fd.type", "ipv4"),
	STR("fd.types", "ipv4"),
	BOOL("fd.connected", "true"),
	BOOL("fd.name_changed", "true"),
	BOOL("fd.is_server", "false"),
	{ "fd.ip", "10.0.0.1", FT_IPADDR },         /* the first of either end: the client */
	{ "fd.sip", "192.168.1.20", FT_IPADDR },
	{ "fd.cip", "10.0.0.1", FT_IPADDR },
	{ "fd.lip", "10.0.0.1", FT_IPADDR },
	{ "fd.rip", "192.168.1.20", FT_IPADDR },
	UINT("fd.port", "40000"),
	UINT("fd.sport", "443"),
	UINT("fd.cport", "40000"),
	UINT("fd.lport", "40000"),
	UINT("fd.rport", "443"),
	{ "fd.net", "10.0.0.1", FT_IPNET },
	{ "fd.snet", "192.168.1.20", FT_IPNET },
	{ "fd.cnet", "10.0.0.1", FT_IPNET },
	{ "fd.lnet", "10.0.0.1", FT_IPNET },
	{ "fd.rnet", "192.168.1.20", FT_IPNET },
	/* names need DNS */
	MISSING("fd.sip.name"),
	MISSING("fd.cip.name"),
	MISSING("fd.lip.name"),
	MISSING("fd.rip.name"),
	STR("fd.l4proto", "tcp"),
	STR("fd.sockfamily", "ip"),
	UINT("fd.ino", "500"),
	MISSING("evt.abspath"),
	MISSING("evt.is_open_read"),
};

static void test_exec_fields(void **state)
{
	struct fixture *f = *state;

	CHECK_FIELDS(&f->g, exec_cat(&f->g, NULL, CAP_CHOWN_BIT | CAP_KILL_BIT, 0), exec_fields);
	CHECK_FIELDS(&f->g, open_shadow(&f->g), open_fields);
	CHECK_FIELDS(&f->g, connect_out(&f->g), connect_fields);
}

/* a failed open: the fd has a name and the number -1 */
static void test_failed_open(void **state)
{
	struct fixture *f = *state;
	const struct sc_spec s = { .pid = PID_BASH, .ts = 500, .nr = SYS_openat, .ret = -EACCES,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_WRONLY | O_CREAT, 0755 },
				   .str = { "/etc/cron.d/job" } };
	static const struct field_case cases[] = {
		STR("evt.res", "EACCES"),
		INT("evt.rawres", "-13"),
		BOOL("evt.failed", "true"),
		STR("evt.arg.fd", "-13"),
		BOOL("evt.is_open_read", "false"),
		BOOL("evt.is_open_write", "true"),
		BOOL("evt.is_open_exec", "true"),       /* created with execute bits */
		INT("fd.num", "-1"),
		STR("fd.name", "/etc/cron.d/job"),
		STR("fd.directory", "/etc/cron.d"),
		STR("fd.filename", "job"),
		MISSING("fd.ino"),
		MISSING("fd.dev"),
		STR("proc.name", "bash"),
		STR("proc.cwd", "/root"),
	};

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_syscall(&f->g.r, &s)), cases);
}

/* two paths, each made absolute */
static void test_two_paths(void **state)
{
	struct fixture *f = *state;
	const struct sc_spec s = { .pid = PID_BASH, .ts = 500, .nr = SYS_rename, .ret = 0,
				   .str = { "notes.txt", "/tmp/../var/tmp/notes.txt" } };
	static const struct field_case cases[] = {
		STR("evt.type", "rename"),
		STR("evt.abspath", "/root/notes.txt"),
		STR("evt.abspath.src", "/root/notes.txt"),
		STR("evt.abspath.dst", "/var/tmp/notes.txt"),
		STR("fs.path.name", "/root/notes.txt"),
		STR("fs.path.source", "/root/notes.txt"),
		STR("fs.path.target", "/var/tmp/notes.txt"),
		STR("evt.arg.oldpath", "notes.txt"),
		STR("evt.arg.newpath", "/tmp/../var/tmp/notes.txt"),
		MISSING("fd.name"),
	};

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_syscall(&f->g.r, &s)), cases);
}

/* the accepting side: the local end is the server */
static void test_server_socket(void **state)
{
	struct fixture *f = *state;
	struct vg_fdinfo fi = fdinfo_sock(6, 600, sock_inet(AF_INET6, "2001:db8::1", 22, "2001:db8::9", 51000));
	const struct sc_spec s = { .pid = PID_SSHD, .ts = 900, .nr = SYS_accept4, .ret = 6, .args = { 3 },
				   .fdinfo = &fi };
	static const struct field_case cases[] = {
		STR("fd.typechar", "6"),
		STR("fd.type", "ipv6"),
		BOOL("fd.is_server", "true"),
		{ "fd.sip", "2001:db8::1", FT_IPADDR },
		{ "fd.cip", "2001:db8::9", FT_IPADDR },
		{ "fd.lip", "2001:db8::1", FT_IPADDR },
		{ "fd.rip", "2001:db8::9", FT_IPADDR },
		{ "fd.ip", "2001:db8::9", FT_IPADDR },  /* the client first */
		UINT("fd.sport", "22"),
		UINT("fd.cport", "51000"),
		UINT("fd.port", "51000"),
		STR("fd.name", "2001:db8::9:51000->2001:db8::1:22"),
		STR("fd.sockfamily", "ip"),
		STR("fd.l4proto", "tcp"),
	};

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_syscall(&f->g.r, &s)), cases);
}

static void test_unix_socket(void **state)
{
	struct fixture *f = *state;
	struct vg_sock us = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct vg_fdinfo fi = fdinfo_sock(9, 900, us);
	uint8_t sa[128];
	size_t salen = sockaddr_unix(sa, "/run/docker.sock");
	const struct sc_spec s = { .pid = PID_BASH, .ts = 700, .nr = SYS_connect, .ret = 0, .args = { 9 },
				   .sa = sa, .sa_len = salen, .fdinfo = &fi };
	static const struct field_case cases[] = {
		STR("fd.name", "/run/docker.sock"),
		STR("fd.typechar", "u"),
		STR("fd.type", "unix"),
		STR("fd.sockfamily", "unix"),
		STR("evt.arg.addr", "/run/docker.sock"),
		MISSING("fd.l4proto"),
		MISSING("fd.sip"),
		MISSING("fd.is_server"),
		MISSING("fd.directory"),
	};

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_syscall(&f->g.r, &s)), cases);
}

static void test_process_events(void **state)
{
	struct fixture *f = *state;
	static const struct field_case fork_fields[] = {
		STR("evt.type", "procfork"),
		STR("evt.res", "SUCCESS"),
		INT("evt.rawres", "0"),
		BOOL("evt.failed", "false"),
		UINT("proc.pid", "400"),
		STR("proc.name", "bash"),               /* still its parent's image */
		STR("proc.pname", "bash"),
		MISSING("evt.args"),
		MISSING("fd.name"),
	};
	static const struct field_case exit_fields[] = {
		STR("evt.type", "procexit"),
		STR("evt.arg.status", "256"),
		STR("evt.arg.ret", "256"),
		MISSING("evt.arg.flags"),
		MISSING("evt.res"),
		MISSING("evt.rawres"),
		MISSING("evt.failed"),
		UINT("proc.pid", "400"),
		STR("proc.name", "bash"),
	};
	/* vigil's TCP state events carry no fd: fd fields are missing on them */
	static const struct field_case tcp_fields[] = {
		STR("evt.type", "tcp_connect"),
		STR("proc.name", "bash"),
		MISSING("evt.res"),
		MISSING("evt.arg.fd"),
		MISSING("fd.name"),
		MISSING("fd.sip"),
		MISSING("fd.sport"),
	};

	CHECK_FIELDS(&f->g, fork_of(&f->g, 400, PID_BASH, 3000, "bash"),
		     fork_fields);
	CHECK_FIELDS(&f->g, rig_event(&f->g, build_exit(&f->g.r, 400, 1 << 8, 3100)), exit_fields);
	CHECK_FIELDS(&f->g, rig_event(&f->g, build_tcp(&f->g.r, PID_BASH, 3200, VG_TCP_CONNECT, AF_INET,
						       "10.0.0.1", 40000, "10.0.0.2", 80, 1)), tcp_fields);
}

/* --- executables ------------------------------------------------------------------------------- */

static void test_executable_flags(void **state)
{
	struct fixture *f = *state;
	static const struct field_case memfd_fields[] = {
		BOOL("proc.is_exe_from_memfd", "true"),
		BOOL("proc.is_exe_deleted", "true"),
		BOOL("proc.is_exe_upper_layer", "false"),
		STR("evt.arg.flags", "EXE_FROM_MEMFD"),
	};
	static const struct field_case upper_fields[] = {
		BOOL("proc.is_exe_from_memfd", "false"),
		BOOL("proc.is_exe_deleted", "false"),
		BOOL("proc.is_exe_upper_layer", "true"),
		STR("evt.arg.flags", "EXE_UPPER_LAYER"),
	};
	static const struct field_case lower_fields[] = {
		BOOL("proc.is_exe_upper_layer", "false"),
		STR("evt.arg.flags", "EXE_LOWER_LAYER"),
	};

	static const struct field_case fd_fields[] = {
		BOOL("proc.is_exe_from_fd", "true"),
		BOOL("proc.is_exe_from_memfd", "false"),
	};
	const struct exec_spec by_fd = { .pid = 301, .ppid = PID_BASH, .ts = EXEC_TS, .comm = "3",
					 .exe = "/usr/bin/cat", ARGV("cat\0"), .filename = "/dev/fd/3" };

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_exec(&f->g.r, &by_fd)), fd_fields);
	CHECK_FIELDS(&f->g, exec_cat(&f->g, NULL, 0, VG_EXE_FROM_MEMFD | VG_EXE_DELETED), memfd_fields);
	CHECK_FIELDS(&f->g, exec_cat(&f->g, "/docker/" DOCKER_ID, 0, VG_EXE_UPPER_LAYER), upper_fields);
	CHECK_FIELDS(&f->g, exec_cat(&f->g, "/docker/" DOCKER_ID, 0, 0), lower_fields);
}

/* --- containers ------------------------------------------------------------------------------- */

static void test_containers(void **state)
{
	struct fixture *f = *state;
	static const struct field_case docker_fields[] = {
		STR("container.id", "ca978112ca1b"),
		STR("container.full_id", DOCKER_ID),
		MISSING("container.name"),                /* needs the runtime */
		STR("container.type", "docker"),
		MISSING("container.image"),
		MISSING("container.image.repository"),
		MISSING("container.image.tag"),
		MISSING("container.start_ts"),
		BOOL("container.privileged", "false"),
		MISSING("k8s.pod.uid"),
		MISSING("k8s.pod.name"),
		MISSING("k8s.ns.name"),
	};
	static const struct field_case privileged_fields[] = {
		STR("container.type", "docker"),
		BOOL("container.privileged", "true"),
	};
	static const struct field_case kube_fields[] = {
		STR("container.id", "3e23e8160039"),
		STR("container.full_id", CRI_ID),
		STR("container.type", "containerd"),
		STR("k8s.pod.uid", POD_UID),
		MISSING("k8s.pod.name"),
		MISSING("k8s.ns.name"),
		MISSING("container.name"),
	};
	/* a process forked in a container is in it too */
	static const struct field_case child_fields[] = {
		STR("evt.type", "procfork"),
		STR("container.id", "3e23e8160039"),
		STR("k8s.pod.uid", POD_UID),
	};

	CHECK_FIELDS(&f->g, exec_cat(&f->g, "/docker/" DOCKER_ID, CAP_KILL_BIT, 0), docker_fields);
	CHECK_FIELDS(&f->g, exec_cat(&f->g, "/system.slice/docker-" DOCKER_ID ".scope", ALL_CAPS, 0),
		     privileged_fields);
	CHECK_FIELDS(&f->g, exec_cat(&f->g, "kubepods/besteffort/pod" POD_UID "/" CRI_ID, 0, 0), kube_fields);
	CHECK_FIELDS(&f->g, fork_of(&f->g, 301, 300, EXEC_TS + 5, "cat"), child_fields);
}

/* --- names of users and groups ----------------------------------------------------------------- */

/* ids without an entry have no name; names follow the files when they change */
static void test_user_names(void **state)
{
	struct fixture *f = *state;
	const struct sc_spec s = { .pid = PID_BASH, .ts = 500, .nr = SYS_getpid, .ret = 200, .uid = 4242,
				   .euid = 4242 };
	static const struct field_case unknown_user[] = {
		UINT("user.uid", "4242"),
		UINT("user.ruid", "4242"),
		MISSING("user.name"),
		UINT("group.gid", "0"),
		STR("group.name", "root"),
		INT("user.loginuid", "-1"),
		MISSING("user.loginname"),
	};

	CHECK_FIELDS(&f->g, rig_event(&f->g, build_syscall(&f->g.r, &s)), unknown_user);
}

/* --- completeness ------------------------------------------------------------------------------- */

static void test_every_field_tested(void **state)
{
	size_t n;
	const struct field_def *all = field_table(&n);
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		bool unknowable = strncmp(all[i].desc, "<NA>", 4) == 0;

		if (!seen[i]) {
			print_error("  %s is not tested\n", all[i].name);
			bad++;
		} else if (unknowable && had_value[i]) {
			print_error("  %s is documented as <NA> but had a value\n", all[i].name);
			bad++;
		} else if (!unknowable && !had_value[i]) {
			print_error("  %s never had a value\n", all[i].name);
			bad++;
		}
	}
	if (bad)
		fail_msg("%d fields not covered", bad);
}

/* --- docs/fields.md ------------------------------------------------------------------------------- */

static char *read_file(const char *path)
{
	FILE *in = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!in)
		return NULL;
	mem = open_memstream(&text, &len);
	assert_non_null(mem);
	while ((c = fgetc(in)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(in);
	return text;
}

#define UNSUPPORTED_HEADING "## Falco fields not supported"

/*
 * The field tables of docs/fields.md are rows "| `name` | type | meaning |"
 * before the "Falco fields not supported" section. Each field of
 * field_table() must have exactly one row, with ftype_name() of its type,
 * and no row may name a field vigil does not have. Fields that take an
 * argument are written with it: `proc.aname[N]`, `evt.arg.NAME`.
 */
static void test_docs_list_every_field(void **state)
{
	size_t n;
	const struct field_def *all = field_table(&n);
	char *doc = read_file(DOCS_FILE), *end, *line, *next;
	int rows[256] = { 0 }, bad = 0;

	(void)state;
	if (!doc)
		fail_msg("cannot read %s: %s", DOCS_FILE, strerror(errno));
	end = strstr(doc, UNSUPPORTED_HEADING);
	if (!end)
		fail_msg("%s has no \"%s\" section", DOCS_FILE, UNSUPPORTED_HEADING);
	*end = 0;
	for (line = doc; line && *line; line = next) {
		char name[128], type[64];
		size_t k;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "| `%127[^`]` | %63[^|]|", name, type) != 2)
			continue;
		for (k = strlen(type); k > 0 && type[k - 1] == ' '; k--)
			type[k - 1] = 0;
		name[strcspn(name, "[")] = 0;
		if (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".NAME") == 0)
			name[strlen(name) - 5] = 0;
		for (k = 0; k < n; k++)
			if (strcmp(all[k].name, name) == 0)
				break;
		if (k == n) {
			print_error("  %s lists '%s', which vigil does not have\n", DOCS_FILE, name);
			bad++;
			continue;
		}
		rows[k]++;
		if (strcmp(type, ftype_name(all[k].type)) != 0) {
			print_error("  %s: %s has type '%s', documented as '%s'\n", DOCS_FILE, name,
				    ftype_name(all[k].type), type);
			bad++;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (rows[k] != 1) {
			print_error("  %s lists %s %d times\n", DOCS_FILE, all[k].name, rows[k]);
			bad++;
		}
	}
	free(doc);
	if (bad)
		fail_msg("%s does not match field_table() (%d problems)", DOCS_FILE, bad);
}

/* --- fixture ---------------------------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	fclose(out);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char etc[96];

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/vigil-fields-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(etc, sizeof(etc), "%s/etc", f->root);
	assert_int_equal(mkdir(etc, 0755), 0);
	write_file(etc, "passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
	write_file(etc, "group", "root:x:0:\nstaff:x:1000:alice\n");
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
	snprintf(path, sizeof(path), "%s/etc/group", f->root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", f->root);
	rmdir(path);
	rmdir(f->root);
	free(f);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_exec_fields),
		T(test_failed_open),
		T(test_two_paths),
		T(test_server_socket),
		T(test_unix_socket),
		T(test_process_events),
		T(test_executable_flags),
		T(test_containers),
		T(test_user_names),
		/* after the others: it checks what they covered */
		cmocka_unit_test(test_every_field_tested),
		cmocka_unit_test(test_docs_list_every_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
