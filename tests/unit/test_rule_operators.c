/*
 * test_rule_operators.c - what each comparison operator answers, with
 * Falco's semantics, on events decoded from hand-built records: strings,
 * numbers, booleans, addresses and networks; fields the event does not
 * have (false whatever the operator, `not` inverts); fields with several
 * values (any ancestor, either end of a socket, `!=` true only when no
 * value equals); evt.type sets and evt.dir; transformers and val().
 *
 * Each table pairs a condition with the answer it must give on one event.
 * Each condition has a twin that must give the other answer, so an
 * operator that always says true (or false) fails.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

/* bash (200) runs cat (300) */
static const struct event *exec_cat(struct rig *g)
{
	const struct exec_spec s = { .pid = 300, .ppid = PID_BASH, .ts = 1000, .comm = "cat", .exe = "/usr/bin/cat",
				     ARGV("cat\0/etc/shadow\0"), .cwd = "/root", .uid = 1000, .euid = 1000,
				     .auid = 1000 };

	return rig_event(g, build_exec(&g->r, &s));
}

/* cat opens /etc/shadow for reading as fd 3, or fails to */
static const struct event *open_shadow(struct rig *g, int64_t ret)
{
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 77);
	const struct sc_spec s = { .pid = 300, .ts = 1100, .nr = SYS_openat, .ret = ret,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, 0, O_RDONLY }, .str = { "/etc/shadow" },
				   .fdinfo = ret >= 0 ? &fi : NULL, .uid = 1000, .euid = 1000 };

	return rig_event(g, build_syscall(&g->r, &s));
}

/* cat connects from 10.0.0.1:40000 (or 2001:db8::1) to 192.168.1.20:443 (or 2001:db8::2) */
static const struct event *connect_out(struct rig *g, int family)
{
	bool v6 = family == AF_INET6;
	const char *local = v6 ? "2001:db8::1" : "10.0.0.1", *remote = v6 ? "2001:db8::2" : "192.168.1.20";
	struct vg_fdinfo fi = fdinfo_sock(4, 500, sock_inet(family, local, 40000, remote, 443));
	uint8_t sa[128];
	size_t salen = sockaddr_inet(sa, family, remote, 443);
	const struct sc_spec s = { .pid = 300, .ts = 1200, .nr = SYS_connect, .ret = 0, .args = { 4, 0, salen },
				   .sa = sa, .sa_len = salen, .fdinfo = &fi };

	return rig_event(g, build_syscall(&g->r, &s));
}

/* --- strings ----------------------------------------------------------------------------- */

static const struct cond_case string_cases[] = {
	{ "proc.name = cat", true },
	{ "proc.name = ca", false },
	{ "proc.name == cat", true },
	{ "proc.name == bash", false },
	{ "proc.name = \"cat\"", true },
	{ "proc.name != bash", true },
	{ "proc.name != cat", false },
	{ "proc.name contains at", true },
	{ "proc.name contains dog", false },
	{ "proc.name icontains CA", true },
	{ "proc.name icontains CT", false },
	{ "proc.name bcontains 6174", true },           /* "at" */
	{ "proc.name bcontains 646F67", false },        /* "dog", upper-case hex */
	{ "proc.name bstartswith 6361", true },         /* "ca" */
	{ "proc.name bstartswith 6174", false },
	{ "proc.name startswith ca", true },
	{ "proc.name startswith at", false },
	{ "proc.name endswith at", true },
	{ "proc.name endswith ca", false },
	{ "proc.exepath glob /usr/bin/*", true },
	{ "proc.exepath glob /usr/*", true },           /* * crosses '/' as in Falco */
	{ "proc.exepath glob /usr/bin/ca?", true },
	{ "proc.exepath glob /usr/bin/[a-c]at", true },
	{ "proc.exepath glob /bin/*", false },
	{ "proc.exepath glob /USR/BIN/CAT", false },
	{ "proc.exepath iglob /USR/BIN/CAT", true },
	{ "proc.exepath iglob /USR/SBIN/*", false },
	{ "proc.name regex c.t", true },
	{ "proc.name regex '[a-z]+'", true },
	{ "proc.name regex c", false },                 /* the whole value must match */
	{ "proc.name regex at", false },
	{ "proc.name regex ca", false },
	{ "proc.name regex '.*at'", true },
	/* "(?s).*(X).*" is searched for X unanchored (compile.c, search_form): same results */
	{ "proc.args regex '(?s).*(shad|xyz).*'", true },
	{ "proc.args regex '(?s).*(xyz|dog).*'", false },
	{ "proc.args regex '(?s).*(^/etc).*'", true },
	{ "proc.args regex '(?s).*(^shadow).*'", false },
	{ "proc.args regex '(?s).*(dow$).*'", true },
	{ "proc.args regex '(?s).*(etc/s)(h).*'", true },      /* two groups: left as written */
	{ "proc.args regex '(?s).*sha|xyz.*'", false },       /* an alternative at the top: left as written */
	{ "proc.args regex '(?s).*(sha)|(xyz).*'", false },
	{ "proc.args regex '(?s).*(sh[)]a).*'", false },      /* ')' in a class does not close the group */
	{ "proc.args regex '(?s).*(s[h)]a).*'", true },
	{ "proc.args regex '(?s).*(shad).*?'", true },
	{ "proc.args regex '(?s).*(\\)).*'", false },
	{ "proc.name in (bash, cat)", true },
	{ "proc.name in (bash, sh)", false },
	{ "proc.name in (CAT)", false },
	{ "proc.name intersects (x, cat)", true },
	{ "proc.name intersects (x, y)", false },
	{ "proc.exepath pmatch (/usr/bin)", true },
	{ "proc.exepath pmatch (/usr/bin/)", true },
	{ "proc.exepath pmatch (/usr/bin/cat)", true },
	{ "proc.exepath pmatch (/opt, /usr)", true },
	{ "proc.exepath pmatch (/usr/*/cat)", true },
	{ "proc.exepath pmatch (/)", true },
	{ "proc.exepath pmatch (/usr/bi)", false },     /* a component, not a string prefix */
	{ "proc.exepath pmatch (/usr/bin/cat/x)", false },
	{ "proc.exepath pmatch (/usr/lib, /opt)", false },
	{ "proc.exepath pmatch (/usr/*/dog)", false },
	{ "proc.exepath pmatch (/usr/*/cat/more)", false },
	{ "proc.name exists", true },
	{ "fd.name exists", false },
	{ "proc.args = /etc/shadow", true },
	{ "proc.cmdline = \"cat /etc/shadow\"", true },
	{ "proc.cmdline = cat", false },
};

static void test_strings(void **state)
{
	struct rig *g = *state;

	CHECK_CONDS(g, exec_cat(g), string_cases);
}

/* sh -c with a newline in its script: where `.` without (?s) stops */
static const struct event *exec_sh_newline(struct rig *g)
{
	const struct exec_spec s = { .pid = 301, .ppid = PID_BASH, .ts = 1000, .comm = "sh", .exe = "/usr/bin/sh",
				     ARGV("sh\0-c\0true\nnc -e sh\0"), .cwd = "/root", .uid = 1000, .euid = 1000,
				     .auid = 1000 };

	return rig_event(g, build_exec(&g->r, &s));
}

static const struct cond_case newline_cases[] = {
	{ "proc.args regex '(?s).*(nc -e).*'", true },
	{ "proc.args regex '(?i).*(NC -E).*'", false },       /* no (?s): `.*` does not cross the newline */
	{ "proc.args regex '(?is).*(NC -E).*'", true },
	{ "proc.args regex '.*(nc -e).*'", false },
	{ "proc.args contains 'nc -e'", true },
};

static void test_regex_across_lines(void **state)
{
	struct rig *g = *state;

	CHECK_CONDS(g, exec_sh_newline(g), newline_cases);
}

/* --- numbers -------------------------------------------------------------------------------- */

static const struct cond_case number_cases[] = {
	{ "proc.pid = 300", true },
	{ "proc.pid = 301", false },
	{ "proc.pid == 300", true },
	{ "proc.pid != 300", false },
	{ "proc.pid != 301", true },
	{ "proc.pid < 301", true },
	{ "proc.pid < 300", false },
	{ "proc.pid <= 300", true },
	{ "proc.pid <= 299", false },
	{ "proc.pid > 299", true },
	{ "proc.pid > 300", false },
	{ "proc.pid >= 300", true },
	{ "proc.pid >= 301", false },
	{ "proc.pid in (1, 300, 5000)", true },
	{ "proc.pid in (1, 2, 3)", false },
	{ "proc.pid intersects (300)", true },
	{ "proc.pid intersects (299)", false },
	{ "proc.pid exists", true },
	{ "user.uid = 1000", true },
	{ "user.uid = 0", false },
	{ "user.loginuid = 1000", true },
	{ "user.loginuid < 0", false },
	/* a signed field against negative numbers */
	{ "evt.rawres = 0", true },
	{ "evt.rawres > -1", true },
	{ "evt.rawres < -1", false },
	{ "evt.rawres in (-2, 0)", true },
	{ "evt.rawres in (-2, -1)", false },
};

static const struct cond_case failed_open_cases[] = {
	{ "evt.rawres = -2", true },
	{ "evt.rawres < 0", true },
	{ "evt.rawres >= 0", false },
	{ "evt.rawres != -2", false },
	{ "evt.res = ENOENT", true },
	{ "evt.res = SUCCESS", false },
	/* booleans */
	{ "evt.failed = true", true },
	{ "evt.failed = false", false },
	{ "evt.failed != false", true },
	{ "evt.failed != true", false },
	{ "evt.failed in (true)", true },
	{ "evt.failed in (false)", false },
	{ "evt.failed in (false, true)", true },
	{ "evt.failed exists", true },
	{ "evt.is_open_read = true", true },
	{ "evt.is_open_write = true", false },
};

static void test_numbers_and_booleans(void **state)
{
	struct rig *g = *state;
	const struct event *ev;

	CHECK_CONDS(g, exec_cat(g), number_cases);
	ev = open_shadow(g, -ENOENT);
	CHECK_CONDS(g, ev, failed_open_cases);
	/* the same booleans the other way round on a success */
	ev = open_shadow(g, 3);
	assert_true(cond_holds(g, "evt.failed = false", ev));
	assert_false(cond_holds(g, "evt.failed = true", ev));
	assert_true(cond_holds(g, "evt.failed in (false)", ev));
}

/* --- addresses and networks --------------------------------------------------------------- */

static const struct cond_case ipv4_cases[] = {
	/* one end */
	{ "fd.sip = 192.168.1.20", true },
	{ "fd.sip = 10.0.0.1", false },
	{ "fd.sip = \"192.168.1.20\"", true },
	{ "fd.sip != 10.0.0.1", true },
	{ "fd.sip != 192.168.1.20", false },
	{ "fd.cip = 10.0.0.1", true },
	{ "fd.lip = 10.0.0.1", true },
	{ "fd.rip = 192.168.1.20", true },
	{ "fd.rip = 10.0.0.1", false },
	{ "fd.sip in (1.1.1.1, 192.168.1.20)", true },
	{ "fd.sip in (1.1.1.1, 8.8.8.8)", false },
	{ "fd.sip = 192.168.1.20/32", true },
	{ "fd.snet = 192.168.1.0/24", true },
	{ "fd.snet = 192.168.2.0/24", false },
	{ "fd.snet = 192.168.0.0/17", true },
	{ "fd.snet = 192.168.128.0/17", false },
	{ "fd.snet = 0.0.0.0/0", true },
	{ "fd.snet = 10.0.0.0/8", false },
	{ "fd.snet != 10.0.0.0/8", true },
	{ "fd.snet != 192.168.0.0/16", false },
	{ "fd.snet in (10.0.0.0/8, 192.168.0.0/16)", true },
	{ "fd.snet in (10.0.0.0/8, 172.16.0.0/12)", false },
	{ "fd.snet = 2001:db8::/32", false },           /* another family never matches */
	{ "fd.cnet = 10.0.0.0/8", true },
	{ "fd.lnet = 10.0.0.0/8", true },
	{ "fd.rnet = 10.0.0.0/8", false },
	/* either end */
	{ "fd.ip = 10.0.0.1", true },
	{ "fd.ip = 192.168.1.20", true },
	{ "fd.ip = 8.8.8.8", false },
	{ "fd.ip != 8.8.8.8", true },
	{ "fd.ip != 10.0.0.1", false },                 /* one end equals */
	{ "fd.ip in (8.8.8.8, 192.168.1.20)", true },
	{ "fd.ip in (8.8.8.8)", false },
	{ "fd.net = 10.0.0.0/8", true },
	{ "fd.net = 192.168.0.0/16", true },
	{ "fd.net = 127.0.0.0/8", false },
	{ "fd.net != 127.0.0.0/8", true },
	{ "fd.net != 10.0.0.0/8", false },
	{ "fd.ip exists", true },
	/* ports */
	{ "fd.sport = 443", true },
	{ "fd.sport = 40000", false },
	{ "fd.cport = 40000", true },
	{ "fd.lport = 40000", true },
	{ "fd.rport = 443", true },
	{ "fd.sport < 1024", true },
	{ "fd.sport > 1024", false },
	{ "fd.port = 443", true },
	{ "fd.port = 40000", true },
	{ "fd.port = 80", false },
	{ "fd.port != 80", true },
	{ "fd.port != 443", false },
	{ "fd.port > 30000", true },
	{ "fd.port > 50000", false },
	{ "fd.port in (22, 443)", true },
	{ "fd.port in (22, 80)", false },
	/* the socket's name */
	{ "fd.name = 10.0.0.1:40000->192.168.1.20:443", true },
	{ "fd.l4proto = tcp", true },
	{ "fd.l4proto = udp", false },
	{ "fd.types in (ipv4)", true },
	{ "fd.types in (ipv6, file)", false },
	{ "fd.types intersects (file, ipv4)", true },
	{ "fd.types intersects (file)", false },
};

static const struct cond_case ipv6_cases[] = {
	{ "fd.sip = 2001:db8::2", true },
	{ "fd.sip = 2001:db8::1", false },
	{ "fd.sip = \"2001:0db8:0:0:0:0:0:2\"", true },
	{ "fd.snet = 2001:db8::/32", true },
	{ "fd.snet = 2001:db9::/32", false },
	{ "fd.snet = 2001:db8::/126", true },
	{ "fd.snet = 2001:db8::/127", false },
	{ "fd.snet = 0.0.0.0/0", false },
	{ "fd.net = ::/0", true },
	{ "fd.ip = 2001:db8::1", true },
	{ "fd.ip != 2001:db8::1", false },
	{ "fd.types in (ipv6)", true },
	{ "fd.types in (ipv4)", false },
};

/* on an exec there is no fd: every fd comparison is false, `not` makes it true */
static const struct cond_case missing_cases[] = {
	{ "fd.sip = 192.168.1.20", false },
	{ "fd.sip != 192.168.1.20", false },
	{ "not fd.sip = 192.168.1.20", true },
	{ "not fd.sip != 192.168.1.20", true },
	{ "fd.ip != 1.2.3.4", false },
	{ "not fd.ip = 1.2.3.4", true },
	{ "fd.snet in (0.0.0.0/0)", false },
	{ "fd.snet != 0.0.0.0/0", false },
	{ "fd.sport = 443", false },
	{ "fd.sport != 443", false },
	{ "fd.sport < 65536", false },
	{ "fd.sport >= 0", false },
	{ "fd.port != 1", false },
	{ "fd.num = 3", false },
	{ "fd.num != 3", false },
	{ "fd.name = /etc/shadow", false },
	{ "fd.name != /etc/shadow", false },
	{ "fd.name contains /", false },
	{ "fd.name icontains /", false },
	{ "fd.name startswith /", false },
	{ "fd.name endswith w", false },
	{ "fd.name glob *", false },
	{ "fd.name iglob *", false },
	{ "fd.name regex '.*'", false },
	{ "fd.name bcontains 2f", false },
	{ "fd.name bstartswith 2f", false },
	{ "fd.name in (/etc/shadow)", false },
	{ "fd.name intersects (/etc/shadow)", false },
	{ "fd.name pmatch (/)", false },
	{ "fd.name exists", false },
	{ "not fd.name exists", true },
	{ "not fd.name pmatch (/)", true },
	{ "fd.name = val(proc.exepath)", false },
	{ "proc.exepath = val(fd.name)", false },
	{ "proc.exepath != val(fd.name)", false },
	{ "fd.connected = true", false },
	{ "fd.connected = false", false },
	{ "not fd.connected = true", true },
	{ "fd.types in (file)", false },
	{ "fd.types intersects (file)", false },
	/* a missing value inside and/or */
	{ "proc.name = cat and fd.name != x", false },
	{ "proc.name = cat and not fd.name = x", true },
	{ "fd.name = x or proc.name = cat", true },
};

static void test_addresses(void **state)
{
	struct rig *g = *state;

	CHECK_CONDS(g, connect_out(g, AF_INET), ipv4_cases);
	CHECK_CONDS(g, connect_out(g, AF_INET6), ipv6_cases);
	CHECK_CONDS(g, exec_cat(g), missing_cases);
}

/* on the accepting side the local end is the server */
static void test_server_side(void **state)
{
	struct rig *g = *state;
	struct vg_fdinfo fi = fdinfo_sock(6, 600, sock_inet(AF_INET, "10.0.0.1", 22, "203.0.113.9", 51000));
	const struct sc_spec s = { .pid = PID_SSHD, .ts = 900, .nr = SYS_accept4, .ret = 6, .args = { 3 },
				   .fdinfo = &fi };
	static const struct cond_case cases[] = {
		{ "fd.sip = 10.0.0.1", true },
		{ "fd.cip = 203.0.113.9", true },
		{ "fd.lip = 10.0.0.1", true },
		{ "fd.rip = 203.0.113.9", true },
		{ "fd.sip = 203.0.113.9", false },
		{ "fd.sport = 22", true },
		{ "fd.cport = 51000", true },
		{ "fd.is_server = true", true },
		{ "fd.snet = 10.0.0.0/8", true },
		{ "fd.cnet = 10.0.0.0/8", false },
		{ "fd.name = 203.0.113.9:51000->10.0.0.1:22", true },
	};

	CHECK_CONDS(g, rig_event(g, build_syscall(&g->r, &s)), cases);
}

/* --- several values ------------------------------------------------------------------------ */

static const struct cond_case ancestor_cases[] = {
	/* without an index: any ancestor, the process itself excluded */
	{ "proc.aname = sshd", true },
	{ "proc.aname = systemd", true },
	{ "proc.aname = bash", true },
	{ "proc.aname = cat", false },
	{ "proc.aname != nginx", true },
	{ "proc.aname != sshd", false },                /* true only if no ancestor equals */
	{ "proc.aname in (nginx, sshd)", true },
	{ "proc.aname in (nginx, apache)", false },
	{ "proc.aname contains ssh", true },
	{ "proc.aname contains http", false },
	{ "proc.aname startswith sys", true },
	{ "proc.aname glob s*d", true },
	{ "proc.aname regex 'ss.*'", true },
	{ "proc.aname regex 's'", false },
	{ "proc.aname pmatch (/usr)", false },
	{ "proc.aname exists", true },
	{ "proc.aexepath = /usr/sbin/sshd", true },
	{ "proc.aexe = /sbin/init", true },
	{ "proc.apid = 1", true },
	{ "proc.apid = 300", false },
	{ "proc.apid > 150", true },
	{ "proc.apid > 200", false },
	{ "proc.apid != 100", false },
	{ "proc.apid in (100)", true },
	/* with an index */
	{ "proc.aname[0] = cat", true },
	{ "proc.aname[1] = bash", true },
	{ "proc.aname[1] = sshd", false },
	{ "proc.aname[2] = sshd", true },
	{ "proc.aname[3] = systemd", true },
	{ "proc.aname[2] != sshd", false },
	{ "proc.aname[2] != bash", true },
	{ "proc.aname[4] = systemd", false },            /* past the top: missing */
	{ "proc.aname[4] != systemd", false },
	{ "not proc.aname[4] = systemd", true },
	{ "proc.aname[4] exists", false },
	{ "proc.apid[0] = 300", true },
	{ "proc.apid[2] = 100", true },
	{ "proc.aexepath[1] = /usr/bin/bash", true },
	{ "proc.aexe[2] = /usr/sbin/sshd", true },
	{ "proc.pname = bash", true },
	{ "proc.pname = sshd", false },
};

static void test_several_values(void **state)
{
	struct rig *g = *state;

	CHECK_CONDS(g, exec_cat(g), ancestor_cases);
}

/* the top of the tree has no ancestors: any-ancestor comparisons are false, != too */
static void test_no_ancestors(void **state)
{
	struct rig *g = *state;
	struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 9);
	const struct sc_spec s = { .pid = PID_INIT, .ts = 50, .nr = SYS_openat, .ret = 3,
				   .args = { (uint64_t)(int64_t)AT_FDCWD }, .str = { "/etc/fstab" }, .fdinfo = &fi };
	const struct event *ev = rig_event(g, build_syscall(&g->r, &s));
	static const struct cond_case cases[] = {
		{ "proc.aname = systemd", false },
		{ "proc.aname != systemd", false },
		{ "proc.aname exists", false },
		{ "not proc.aname exists", true },
		{ "proc.aname[0] = systemd", true },
		{ "proc.name = systemd", true },
	};

	CHECK_CONDS(g, ev, cases);
}

/* --- event types and direction --------------------------------------------------------------- */

static void test_event_types(void **state)
{
	struct rig *g = *state;
	static const struct cond_case on_open[] = {
		{ "evt.type = openat", true },
		{ "evt.type = open", false },
		{ "evt.type != open", true },
		{ "evt.type != openat", false },
		{ "evt.type in (open, openat, openat2)", true },
		{ "evt.type in (execve, execveat)", false },
		{ "evt.type startswith open", true },
		{ "evt.type contains exec", false },
		{ "evt.type exists", true },
		{ "evt.dir = <", true },
		{ "evt.dir = >", false },
		{ "evt.dir != >", true },
		{ "evt.dir != <", false },
		{ "evt.type = openat and evt.dir = <", true },
		{ "evt.type = openat and evt.dir = >", false },
		{ "not evt.type = openat", false },
		{ "not evt.type in (execve, execveat)", true },
	};
	static const struct cond_case on_exec[] = {
		{ "evt.type = execve", true },
		{ "evt.type = execveat", false },
		{ "evt.type in (execve, execveat)", true },
		{ "evt.type != execve", false },
		{ "evt.dir = <", true },
	};
	static const struct cond_case on_exit[] = {
		{ "evt.type = procexit", true },
		{ "evt.type = execve", false },
		{ "evt.type in (procexit, procfork)", true },
	};
	static const struct cond_case on_fork[] = {
		{ "evt.type = procfork", true },
		{ "evt.type != procfork", false },
	};
	static const struct cond_case on_tcp[] = {
		{ "evt.type = tcp_connect", true },
		{ "evt.type in (tcp_accept, tcp_close)", false },
	};

	CHECK_CONDS(g, open_shadow(g, 3), on_open);
	CHECK_CONDS(g, exec_cat(g), on_exec);
	CHECK_CONDS(g, rig_event(g, build_fork(&g->r, 400, PID_BASH, 2000)), on_fork);
	CHECK_CONDS(g, rig_event(g, build_exit(&g->r, 400, 0, 2100)), on_exit);
	CHECK_CONDS(g, rig_event(g, build_tcp(&g->r, PID_BASH, 2200, VG_TCP_CONNECT, AF_INET, "10.0.0.1", 40000,
					     "10.0.0.2", 80, 1)), on_tcp);
}

/* --- transformers and val() ------------------------------------------------------------------ */

/* bash runs /opt/Tools/Run.SH with a base64 argument, in a directory given with a trailing slash */
static const struct event *exec_mixed_case(struct rig *g)
{
	const struct exec_spec s = { .pid = 301, .ppid = PID_BASH, .ts = 3000, .comm = "Run.SH",
				     .exe = "/opt/Tools/Run.SH", ARGV("Run.SH\0aGVsbG8=\0"), .cwd = "/opt/Tools/" };

	return rig_event(g, build_exec(&g->r, &s));
}

static const struct cond_case transform_cases[] = {
	{ "tolower(proc.name) = run.sh", true },
	{ "tolower(proc.name) = Run.SH", false },
	{ "toupper(proc.name) = RUN.SH", true },
	{ "toupper(proc.name) = Run.SH", false },
	{ "proc.name = run.sh", false },
	{ "tolower(proc.name) in (run.sh, x)", true },
	{ "tolower(proc.exepath) startswith /opt/tools/", true },
	{ "basename(proc.exepath) = Run.SH", true },
	{ "basename(proc.exepath) = /opt/Tools/Run.SH", false },
	{ "basename(proc.name) = Run.SH", true },       /* no slash: unchanged */
	{ "basename(proc.cwd) = \"\"", true },          /* a trailing slash leaves nothing */
	{ "basename(proc.cwd) = Tools", false },
	{ "len(basename(proc.cwd)) = 0", true },
	{ "tolower(basename(proc.exepath)) = run.sh", true },
	{ "toupper(tolower(proc.name)) = RUN.SH", true },
	{ "len(proc.name) = 6", true },
	{ "len(proc.name) = 5", false },
	{ "len(proc.name) > 5", true },
	{ "len(proc.name) < 6", false },
	{ "len(proc.name) in (1, 6)", true },
	{ "len(proc.exepath) = 17", true },
	{ "b64(proc.args) = hello", true },
	{ "b64(proc.args) = aGVsbG8=", false },
	{ "len(b64(proc.args)) = 5", true },
	{ "toupper(b64(proc.args)) = HELLO", true },
	/* not base64 ('.'): no value, so false whatever the operator */
	{ "b64(proc.name) = x", false },
	{ "b64(proc.name) != x", false },
	{ "b64(proc.name) exists", false },
	{ "not b64(proc.name) = x", true },
	/* transformers on ancestors */
	{ "toupper(proc.aname) = SSHD", true },
	{ "toupper(proc.aname) = sshd", false },
	{ "toupper(proc.aname[2]) = SSHD", true },
	{ "len(proc.aname[1]) = 4", true },
};

static const struct cond_case val_cases[] = {
	{ "proc.name = val(proc.exe)", true },          /* both Run.SH */
	{ "proc.name != val(proc.exe)", false },
	{ "proc.name = val(proc.pname)", false },
	{ "proc.name != val(proc.pname)", true },
	{ "proc.exepath endswith val(proc.name)", true },
	{ "proc.exepath startswith val(proc.name)", false },
	{ "proc.exepath contains val(proc.name)", true },
	{ "proc.exepath contains val(proc.pname)", false },
	{ "tolower(proc.exepath) icontains val(proc.name)", true },
	{ "proc.exepath glob val(proc.exepath)", true },
	{ "tolower(proc.name) = val(tolower(proc.exe))", true },
	{ "tolower(proc.name) = val(toupper(proc.exe))", false },
	{ "proc.name = val(basename(proc.exepath))", true },
	{ "len(proc.name) = val(len(proc.exe))", true },
	{ "len(proc.name) < val(len(proc.exepath))", true },
	{ "len(proc.name) > val(len(proc.exepath))", false },
	/* numbers of different kinds compare as numbers */
	{ "proc.pid > val(proc.ppid)", true },
	{ "proc.pid <= val(proc.ppid)", false },
	{ "proc.ppid = val(proc.apid[1])", true },
	{ "proc.ppid = val(proc.apid[2])", false },
	{ "proc.vpid = val(proc.pid)", true },
	{ "user.uid = val(group.gid)", true },          /* both 0 */
	{ "len(proc.name) = val(proc.apid[0])", false },
	/* with a multi-valued left side */
	{ "proc.aname = val(proc.pname)", true },
	{ "proc.aname != val(proc.pname)", false },
	{ "proc.aname = val(proc.name)", false },
	{ "proc.aname != val(proc.name)", true },
	/* booleans */
	{ "proc.is_exe_deleted = val(proc.is_exe_from_memfd)", true },
	{ "proc.is_exe_deleted != val(proc.is_exe_from_memfd)", false },
};

static void test_transformers(void **state)
{
	struct rig *g = *state;

	CHECK_CONDS(g, exec_mixed_case(g), transform_cases);
	CHECK_CONDS(g, exec_mixed_case(g), val_cases);
}

static void test_val_addresses(void **state)
{
	struct rig *g = *state;
	static const struct cond_case cases[] = {
		{ "fd.sip = val(fd.rip)", true },
		{ "fd.sip = val(fd.lip)", false },
		{ "fd.sip != val(fd.cip)", true },
		{ "fd.cip = val(fd.lip)", true },
		{ "fd.snet = val(fd.rnet)", true },
		{ "fd.sport = val(fd.rport)", true },
		{ "fd.sport > val(fd.cport)", false },
		{ "fd.connected = val(fd.connected)", true },
	};

	CHECK_CONDS(g, connect_out(g, AF_INET), cases);
}

/* both sides transformed without val(): not in the grammar, so a parse error */
static void test_transformer_on_both_sides_needs_val(void **state)
{
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	char *yaml = rule_yaml("tolower(proc.name) = tolower(proc.pname)", "o");
	struct rule_engine *e = engine_build_text(yaml, &sel, &d);
	char *all = diags_text(&d);

	(void)state;
	assert_null(e);
	if (!strstr(all, "t.yaml:4:"))
		fail_msg("expected an error in the condition, got:\n%s", all);
	free(all);
	free(yaml);
	diags_free(&d);
}

/* --- fields evaluated once per event ----------------------------------------------------------- */

/* a field tested by several rules shares one slot, and each event sees its own value */
static void test_slot_cache_follows_the_event(void **state)
{
	struct rig *g = *state;
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	const char *yaml =
		"- rule: a\n  desc: d\n  condition: proc.name = cat and tolower(proc.name) = cat\n  output: o\n"
		"  priority: WARNING\n"
		"- rule: b\n  desc: d\n  condition: proc.name = Run.SH\n  output: o\n  priority: WARNING\n";
	struct rule_engine *e = engine_build_text(yaml, &sel, &d);
	struct eval_state st;

	assert_non_null(e);
	/* proc.name and tolower(proc.name): two slots for three uses */
	assert_int_equal(e->slots.n, 2);
	eval_state_of(&st, e, g);
	assert_true(cond_eval(&st, e->rules[0].cond, exec_cat(g)));
	assert_false(cond_eval(&st, e->rules[1].cond, &g->ev));
	/* without a new generation the cached "cat" would still answer */
	eval_begin(&st);
	assert_false(cond_eval(&st, e->rules[0].cond, exec_mixed_case(g)));
	assert_true(cond_eval(&st, e->rules[1].cond, &g->ev));
	eval_state_free(&st);
	rule_engine_free(e);
	diags_free(&d);
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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_strings),
		T(test_regex_across_lines),
		T(test_numbers_and_booleans),
		T(test_addresses),
		T(test_server_side),
		T(test_several_values),
		T(test_no_ancestors),
		T(test_event_types),
		T(test_transformers),
		T(test_val_addresses),
		cmocka_unit_test(test_transformer_on_both_sides_needs_val),
		T(test_slot_cache_follows_the_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
