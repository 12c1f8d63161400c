/*
 * test_records.h - kernel records built by hand for the unit tests.
 *
 * Records are laid out as bpf/vigil_abi.h describes them (the fixed part,
 * then data[] with each variable-length value in order), so a test can feed
 * the process table, the decoder and the JSON writer exactly what the
 * kernel sends - and, by editing a built record, what it never should.
 * Each builder fills a caller-owned struct rec and returns its bytes.
 * Include after test_util.h (the builders assert with cmocka).
 */
#ifndef VIGIL_TEST_RECORDS_H
#define VIGIL_TEST_RECORDS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "vigil_abi.h"

#define REC_MAX 8192

/*
 * The kernel writes data[] from its offset in the struct, which can be below
 * sizeof() (struct vg_exec has tail padding), and sets the size to sizeof()
 * plus the data's length: the builders do the same.
 */
struct rec {
	_Alignas(8) uint8_t buf[REC_MAX];
	size_t len;        /* bytes written so far: data_off plus the data */
	size_t fixed;      /* sizeof() of the record's struct */
	size_t data_off;   /* offsetof(..., data), or fixed for records without data */
};

/* start a record of `kind` */
static inline void *rec_start(struct rec *r, uint16_t kind, size_t fixed, size_t data_off, uint32_t pid,
			      uint64_t ts)
{
	struct vg_hdr *h = (struct vg_hdr *)r->buf;

	memset(r->buf, 0, sizeof(r->buf));
	r->fixed = fixed;
	r->data_off = data_off;
	r->len = data_off;
	h->kind = kind;
	h->pid = h->tid = pid;
	h->ts = ts;
	return r->buf;
}

/* append n bytes of data; returns n */
static inline uint16_t rec_add(struct rec *r, const void *p, size_t n)
{
	assert_true(r->len + n <= sizeof(r->buf));
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return (uint16_t)n;
}

/* append a string with its NUL (the ABI's lengths include it); NULL: absent */
static inline uint16_t rec_add_str(struct rec *r, const char *s)
{
	return s ? rec_add(r, s, strlen(s) + 1) : 0;
}

/* set the size; r->len becomes the record's length */
static inline const void *rec_finish(struct rec *r)
{
	r->len = r->fixed + (r->len - r->data_off);
	((struct vg_hdr *)r->buf)->size = (uint32_t)r->len;
	return r->buf;
}

/* --- exec / snapshot ------------------------------------------------------------ */

/* an argv block from a literal with explicit NULs: ARGV("cat\0/etc/hostname\0") */
#define ARGV(lit) .args = (lit), .args_len = sizeof(lit) - 1

struct exec_spec {
	uint16_t kind;          /* 0 means VG_EV_EXEC; or VG_EV_PROC_SNAPSHOT */
	uint16_t flags;         /* vg_hdr.flags */
	uint32_t pid, ppid;
	uint64_t ts;
	const char *comm;
	const char *exe, *cwd, *cgroup, *filename;   /* NULL: absent */
	const char *args;
	size_t args_len;
	uint32_t uid, euid, auid;
	uint64_t exe_ino;
	uint16_t exe_flags;
	uint16_t syscall_nr;
	uint64_t cgroup_id;
	uint32_t tty;
};

static inline const struct vg_exec *build_exec(struct rec *r, const struct exec_spec *s)
{
	struct vg_exec *e = rec_start(r, s->kind ? s->kind : VG_EV_EXEC, sizeof(*e), offsetof(struct vg_exec, data),
				      s->pid, s->ts);

	e->h.flags = s->flags;
	e->task.ppid = s->ppid;
	e->task.vpid = s->pid;
	e->task.tty = s->tty;
	e->task.start_time = s->ts;
	e->task.cgroup_id = s->cgroup_id;
	e->task.creds.uid = s->uid;
	e->task.creds.euid = s->euid;
	e->task.creds.auid = s->auid;
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", s->comm ? s->comm : "");
	e->exe_ino = s->exe_ino;
	e->exe_flags = s->exe_flags;
	e->syscall_nr = s->syscall_nr ? s->syscall_nr : 59;
	e->exe_len = rec_add_str(r, s->exe);
	e->args_len = s->args_len ? rec_add(r, s->args, s->args_len) : 0;
	e->cwd_len = rec_add_str(r, s->cwd);
	e->cgroup_len = rec_add_str(r, s->cgroup);
	e->filename_len = rec_add_str(r, s->filename);
	for (size_t i = 0; i < s->args_len; i++)
		e->argc += s->args[i] == 0;
	return rec_finish(r);
}

/* --- fork / exit ---------------------------------------------------------------- */

static inline const struct vg_fork *build_fork(struct rec *r, uint32_t pid, uint32_t ppid, uint64_t ts)
{
	struct vg_fork *f = rec_start(r, VG_EV_FORK, sizeof(*f), sizeof(*f), pid, ts);

	f->task.ppid = ppid;
	f->task.vpid = pid;
	f->task.start_time = ts;
	f->parent_tid = ppid;
	return rec_finish(r);
}

static inline const struct vg_exit *build_exit(struct rec *r, uint32_t pid, uint32_t status, uint64_t ts)
{
	struct vg_exit *x = rec_start(r, VG_EV_EXIT, sizeof(*x), sizeof(*x), pid, ts);

	x->status = status;
	return rec_finish(r);
}

/* --- fds and sockets ---------------------------------------------------------------- */

static inline struct vg_sock sock_inet(int family, const char *laddr, uint16_t lport, const char *raddr,
				       uint16_t rport)
{
	struct vg_sock s;

	memset(&s, 0, sizeof(s));
	s.family = family;
	s.proto = IPPROTO_TCP;
	s.type = SOCK_STREAM;
	s.lport = lport;
	s.rport = rport;
	assert_int_equal(inet_pton(family, laddr, s.laddr), 1);
	assert_int_equal(inet_pton(family, raddr, s.raddr), 1);
	return s;
}

/* what the kernel reports for an fd that is a file, directory, pipe... */
static inline struct vg_fdinfo fdinfo_of(int fd, uint8_t ftype, uint64_t ino)
{
	struct vg_fdinfo fi;

	memset(&fi, 0, sizeof(fi));
	fi.fd = fd;
	fi.ftype = ftype;
	fi.ino = ino;
	fi.dev = ino ? 0x801 : 0;
	return fi;
}

static inline struct vg_fdinfo fdinfo_sock(int fd, uint64_t ino, struct vg_sock s)
{
	struct vg_fdinfo fi = fdinfo_of(fd, VG_FT_SOCK, ino);

	fi.sock = s;
	return fi;
}

static inline const struct vg_fd_snapshot *build_fd_snapshot(struct rec *r, uint32_t pid,
							     const struct vg_fdinfo *fi, const char *link)
{
	struct vg_fd_snapshot *f = rec_start(r, VG_EV_FD_SNAPSHOT, sizeof(*f), offsetof(struct vg_fd_snapshot, data),
					     pid, 0);

	f->fdinfo = *fi;
	f->len = rec_add_str(r, link);
	return rec_finish(r);
}

/* a struct sockaddr_in / sockaddr_in6 as a program passes it */
static inline size_t sockaddr_inet(void *out, int family, const char *addr, uint16_t port)
{
	if (family == AF_INET6) {
		struct sockaddr_in6 s6;

		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, addr, &s6.sin6_addr), 1);
		memcpy(out, &s6, sizeof(s6));
		return sizeof(s6);
	}
	struct sockaddr_in s4;

	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, addr, &s4.sin_addr), 1);
	memcpy(out, &s4, sizeof(s4));
	return sizeof(s4);
}

static inline size_t sockaddr_unix(void *out, const char *path)
{
	struct sockaddr_un su;
	size_t n = strlen(path);

	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	memcpy(su.sun_path, path, n);
	memcpy(out, &su, sizeof(su));
	return offsetof(struct sockaddr_un, sun_path) + n + 1;
}

/* --- syscalls ------------------------------------------------------------------ */

struct sc_spec {
	uint32_t pid;
	uint64_t ts;
	int nr;
	int64_t ret;
	uint64_t args[6];
	const char *str[3];             /* NULL: absent */
	const void *sa;                 /* NULL: none */
	size_t sa_len;
	const char *real;               /* the opened file's path as the kernel reached it; NULL: none */
	const struct vg_fdinfo *fdinfo; /* NULL: no fd (fd -1, VG_FT_NONE) */
	uint16_t flags;                 /* vg_hdr.flags */
	uint32_t uid, euid;
};

static inline const struct vg_syscall *build_syscall(struct rec *r, const struct sc_spec *s)
{
	struct vg_syscall *sc = rec_start(r, VG_EV_SYSCALL, sizeof(*sc), offsetof(struct vg_syscall, data), s->pid,
					  s->ts);

	sc->h.flags = s->flags;
	sc->nr = s->nr;
	sc->ret = s->ret;
	memcpy(sc->args, s->args, sizeof(sc->args));
	sc->enter_ts = s->ts ? s->ts - 1 : 0;
	sc->creds.uid = s->uid;
	sc->creds.euid = s->euid;
	sc->creds.auid = (uint32_t)-1;
	if (s->fdinfo) {
		sc->fdinfo = *s->fdinfo;
	} else {
		sc->fdinfo.fd = -1;
		sc->fdinfo.ftype = VG_FT_NONE;
	}
	for (int i = 0; i < 3; i++)
		sc->str_len[i] = rec_add_str(r, s->str[i]);
	if (s->sa)
		sc->sa_len = rec_add(r, s->sa, s->sa_len);
	sc->real_len = rec_add_str(r, s->real);
	return rec_finish(r);
}

/* --- tcp, node info ---------------------------------------------------------------- */

static inline const struct vg_tcp *build_tcp(struct rec *r, uint32_t pid, uint64_t ts, uint8_t kind, int family,
					     const char *saddr, uint16_t sport, const char *daddr, uint16_t dport,
					     uint64_t cookie)
{
	struct vg_tcp *t = rec_start(r, VG_EV_TCP, sizeof(*t), sizeof(*t), pid, ts);

	t->kind = kind;
	t->family = family;
	t->sport = sport;
	t->dport = dport;
	t->cookie = cookie;
	assert_int_equal(inet_pton(family, saddr, t->saddr), 1);
	assert_int_equal(inet_pton(family, daddr, t->daddr), 1);
	return rec_finish(r);
}

static inline const struct vg_node_info *build_node_info(struct rec *r, const char *node, uint64_t boot_wall_ns)
{
	struct vg_node_info *ni = rec_start(r, VG_EV_NODE_INFO, sizeof(*ni), sizeof(*ni), 0, 0);

	ni->boot_wall_ns = boot_wall_ns;
	snprintf(ni->node_name, sizeof(ni->node_name), "%s", node);
	snprintf(ni->kernel_release, sizeof(ni->kernel_release), "6.1.0-test");
	return rec_finish(r);
}

#endif /* VIGIL_TEST_RECORDS_H */
