/*
 * event_json.c - events as JSON lines (docs/events.md is the schema).
 *
 * Written with json_writer.h, straight into the line. Most of a line is
 * the process and its parent, and a process image never changes (proc.h):
 * its object is written once, kept with the image, and copied into every
 * line that names it, unless the event's thread or credentials differ
 * from the image's.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "container.h"
#include "event_json.h"
#include "fd_table.h"
#include "json_writer.h"
#include "proc.h"
#include "sockaddr.h"
#include "syscall_table.h"
#include "timefmt.h"
#include "users.h"
#include "util.h"

static char *arguments_text(const struct proc *p)
{
	/* argv[1..] joined by spaces */
	size_t n = p->args_len;
	const char *a = p->args;
	size_t skip = strnlen(a, n);
	char *out;

	if (skip >= n)
		return vg_strdup("");
	out = vg_strndup(a + skip + 1, n - skip - 1);
	for (size_t i = 0; i + 1 < n - skip - 1; i++)
		if (out[i] == 0)
			out[i] = ' ';
	/* drop the block's final NUL (and a cut block has none) */
	return out;
}

static void flags_text(const struct proc *p, char *buf, size_t n)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} pf[] = {
		{ PROC_F_EXECVE, "execve" }, { PROC_F_PROCFS, "procfs" }, { PROC_F_CLONE, "clone" }, { PROC_F_EXEC_FD, "exec_fd" },
		{ PROC_F_TRUNCATED, "truncated" },
	};
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(pf); i++)
		if (p->flags & pf[i].bit)
			o += vg_snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? " " : "", pf[i].name);
	if (p->exe_flags & VG_EXE_FROM_MEMFD)
		o += vg_snprintf(buf + o, o < n ? n - o : 0, "%smemfd", o ? " " : "");
	if (p->exe_flags & VG_EXE_DELETED)
		o += vg_snprintf(buf + o, o < n ? n - o : 0, "%sdeleted", o ? " " : "");
	if (p->exe_flags & VG_EXE_UPPER_LAYER)
		vg_snprintf(buf + o, o < n ? n - o : 0, "%supper_layer", o ? " " : "");
}

static void write_proc(struct jw *w, const struct event_json_ctx *c, const struct proc *p, uint32_t tid,
		       const struct vg_creds *cr)
{
	char buf[64], fl[96];
	const char *user = users_name(cr->euid);
	char *args = arguments_text(p);

	jw_object(w);
	jw_key(w, "exec_id"); jw_str(w, p->exec_id);
	jw_key(w, "pid"); jw_uint(w, p->pid);
	jw_key(w, "tid"); jw_uint(w, tid ? tid : p->pid);
	jw_key(w, "ppid"); jw_uint(w, p->task.ppid);
	jw_key(w, "vpid"); jw_uint(w, p->task.vpid);
	jw_key(w, "uid"); jw_uint(w, cr->uid);
	jw_key(w, "euid"); jw_uint(w, cr->euid);
	jw_key(w, "gid"); jw_uint(w, cr->gid);
	jw_key(w, "egid"); jw_uint(w, cr->egid);
	jw_key(w, "auid"); jw_uint(w, cr->auid);
	if (user) {
		jw_key(w, "user"); jw_str(w, user);
	}
	jw_key(w, "comm"); jw_str(w, p->task.comm);
	jw_key(w, "binary"); jw_str(w, p->exe);
	jw_key(w, "arguments"); jw_str(w, args);
	free(args);
	jw_key(w, "cwd"); jw_str(w, p->cwd);
	time_rfc3339(c->boot_wall_ns + p->exec_time, buf, sizeof(buf));
	jw_key(w, "start_time"); jw_str(w, buf);
	flags_text(p, fl, sizeof(fl));
	jw_key(w, "flags"); jw_str(w, fl);
	jw_key(w, "tty"); jw_uint(w, p->task.tty);
	jw_key(w, "cgroup_id"); jw_uint(w, p->task.cgroup_id);
	if (p->container) {
		jw_key(w, "container");
		jw_object(w);
		jw_key(w, "id"); jw_str(w, p->container->id);
		jw_key(w, "runtime"); jw_str(w, p->container->runtime);
		if (p->container->pod_uid) {
			jw_key(w, "pod_uid"); jw_str(w, p->container->pod_uid);
		}
		jw_object_end(w);
	}
	if (p->parent) {
		jw_key(w, "parent_exec_id"); jw_str(w, p->parent->exec_id);
	}
	jw_object_end(w);
}

/* the process object; tid 0 and creds NULL: the image's own */
static void proc_json(struct jw *w, const struct event_json_ctx *c, const struct proc *p, uint32_t tid,
		      const struct vg_creds *cr)
{
	struct proc *img = (struct proc *)p;  /* the cache is derived from the image, which does not change */

	if (!cr)
		cr = &p->task.creds;
	if ((tid && tid != p->pid) || memcmp(cr, &p->task.creds, sizeof(*cr)) != 0) {
		write_proc(w, c, p, tid, cr);
		return;
	}
	if (!img->json) {
		struct jw own;
		size_t n;

		jw_init(&own);
		write_proc(&own, c, p, 0, cr);
		img->json = jw_take(&own, &n);
		img->json_len = (uint32_t)n;
	}
	jw_raw(w, img->json, img->json_len);
}

static void addr(struct jw *w, int family, const uint8_t *a)
{
	char buf[64];

	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	jw_str(w, buf);
}

static void sockaddr_obj(struct jw *w, const uint8_t *sa, size_t len)
{
	struct sockaddr_info si;
	char fam[32];

	jw_object(w);
	if (!sockaddr_decode(sa, len, &si)) {
		jw_key(w, "family"); jw_str(w, "truncated");
		jw_object_end(w);
		return;
	}
	sc_format_names(&sc_socket_families, false, si.family, fam, sizeof(fam));
	jw_key(w, "family"); jw_str(w, fam);
	if (si.family == AF_INET || si.family == AF_INET6) {
		jw_key(w, "addr"); addr(w, si.family, si.addr);
		jw_key(w, "port"); jw_uint(w, si.port);
	} else if (si.family == AF_UNIX) {
		jw_key(w, "path"); jw_str(w, si.path);
	}
	jw_object_end(w);
}

static void arg(struct jw *w, const struct event *ev, const struct sc_arg *a)
{
	uint64_t v = a->reg >= 0 && a->reg < 6 ? ev->sc->args[(int)a->reg] : 0;
	const char *s;

	switch (a->fmt) {
	case AF_PATH:
	case AF_STR:
		s = a->str >= 0 && a->str < 3 ? ev->str[(int)a->str] : NULL;
		if (s)
			jw_str(w, s);
		else
			jw_null(w);
		return;
	case AF_SOCKADDR:
		if (ev->sa)
			sockaddr_obj(w, ev->sa, ev->sa_len);
		else
			jw_null(w);
		return;
	case AF_TUPLE:
		/* the fd object carries the connection's ends */
		if (ev->fd && ev->fd->name[0])
			jw_str(w, ev->fd->name);
		else
			jw_null(w);
		return;
	case AF_FD:
	case AF_PID:
		jw_int(w, (int32_t)v);
		return;
	case AF_INT:
		jw_int(w, (int64_t)v);
		return;
	case AF_UID:
	case AF_GID:
		jw_uint(w, (uint32_t)v);
		return;
	default:
		jw_int(w, (int64_t)v);
		return;
	}
}

static void fd_obj(struct jw *w, const struct event *ev)
{
	const struct fd_entry *e = ev->fd;

	jw_object(w);
	jw_key(w, "num"); jw_int(w, ev->fd_num);
	jw_key(w, "type"); jw_str(w, fd_type_name(e->type));
	jw_key(w, "name"); jw_str(w, e->name);
	if (e->type == FDT_IPV4 || e->type == FDT_IPV6) {
		jw_key(w, "proto");
		jw_str(w, e->sock.proto == IPPROTO_TCP ? "tcp" : e->sock.proto == IPPROTO_UDP ? "udp" : "raw");
		jw_key(w, "laddr"); addr(w, e->sock.family, e->sock.laddr);
		jw_key(w, "lport"); jw_uint(w, e->sock.lport);
		jw_key(w, "raddr"); addr(w, e->sock.family, e->sock.raddr);
		jw_key(w, "rport"); jw_uint(w, e->sock.rport);
	}
	jw_object_end(w);
}

/* the members of a syscall object, before the process */
static void syscall_members(struct jw *w, const struct event *ev)
{
	const struct vg_syscall *sc = ev->sc;
	char name[32];

	jw_key(w, "name");
	if (ev->si) {
		jw_str(w, ev->si->name);
	} else {
		vg_snprintf(name, sizeof(name), "syscall_%u", sc->nr);
		jw_str(w, name);
	}
	jw_key(w, "nr"); jw_uint(w, sc->nr);
	jw_key(w, "ret"); jw_int(w, sc->ret);
	if (sc->ret < 0 && sc->ret > -4096) {
		const char *en = sc_errno_name(-sc->ret);

		if (en) {
			jw_key(w, "error"); jw_str(w, en);
		}
	}
	jw_key(w, "args");
	jw_object(w);
	if (ev->si && ev->si->nargs) {
		for (int i = 0; i < ev->si->nargs; i++) {
			jw_key(w, ev->si->args[i].name);
			arg(w, ev, &ev->si->args[i]);
		}
	} else {
		jw_key(w, "raw");
		jw_array(w);
		for (int i = 0; i < 6; i++)
			jw_int(w, (int64_t)sc->args[i]);
		jw_array_end(w);
	}
	jw_object_end(w);
	if (ev->path[0]) {
		jw_key(w, "path"); jw_str(w, ev->path[0]);
	}
	if (ev->path[1]) {
		jw_key(w, "path2"); jw_str(w, ev->path[1]);
	}
	if (ev->fd) {
		jw_key(w, "fd"); fd_obj(w, ev);
	}
	if (sc->h.flags & VG_F_TRUNCATED) {
		jw_key(w, "truncated"); jw_bool(w, true);
	}
}

static void tcp_members(struct jw *w, const struct vg_tcp *t)
{
	jw_key(w, "type");
	jw_str(w, t->kind == VG_TCP_CONNECT ? "connect" : t->kind == VG_TCP_ACCEPT ? "accept" : "close");
	jw_key(w, "protocol"); jw_str(w, "tcp");
	jw_key(w, "family"); jw_str(w, t->family == AF_INET6 ? "AF_INET6" : "AF_INET");
	jw_key(w, "saddr"); addr(w, t->family, t->saddr);
	jw_key(w, "sport"); jw_uint(w, t->sport);
	jw_key(w, "daddr"); addr(w, t->family, t->daddr);
	jw_key(w, "dport"); jw_uint(w, t->dport);
	jw_key(w, "cookie"); jw_uint(w, t->cookie);
}

static void exit_members(struct jw *w, uint32_t status)
{
	int sig = status & 0x7f;

	if (sig) {
		const char *name = sc_signal_name(sig);
		char buf[16];

		if (!name) {
			vg_snprintf(buf, sizeof(buf), "SIG%d", sig);
			name = buf;
		}
		jw_key(w, "signal"); jw_str(w, name);
		if (status & 0x80) {
			jw_key(w, "core_dumped"); jw_bool(w, true);
		}
	} else {
		jw_key(w, "status"); jw_uint(w, (status >> 8) & 0xff);
	}
}

static void enforcement_members(struct jw *w, const struct event *ev)
{
	static const char *const actions[] = { "spared", "killed (kernel)", "denied", "would kill", "would deny",
					       "userspace" };
	static const char *const hooks[] = { "?", "syscall entry", "exec", "lsm", "cgroup connect" };
	const struct vg_enforce *en = (const void *)ev->hdr;

	jw_key(w, "action"); jw_str(w, en->action < 6 ? actions[en->action] : "?");
	jw_key(w, "selector"); jw_uint(w, en->selector);
	jw_key(w, "hook"); jw_str(w, en->hook < 5 ? hooks[en->hook] : "?");
	if (ev->type >= 0 && sc_info(ev->type)) {
		jw_key(w, "syscall"); jw_str(w, sc_info(ev->type)->name);
	}
	if (ev->path[0]) {
		jw_key(w, "path"); jw_str(w, ev->path[0]);
	} else if (ev->fd && (ev->fd->type == FDT_IPV4 || ev->fd->type == FDT_IPV6)) {
		jw_key(w, "daddr"); addr(w, ev->fd->sock.family, ev->fd->sock.raddr);
		jw_key(w, "dport"); jw_uint(w, ev->fd->sock.rport);
	}
}

static const char *kind_key(const struct event *ev)
{
	switch (ev->kind) {
	case EV_EXEC: return "process_exec";
	case EV_FORK: return "process_fork";
	case EV_EXIT: return "process_exit";
	case EV_SYSCALL: return "syscall";
	case EV_TCP: return "network";
	case EV_ENFORCE: return "enforcement";
	}
	return "unknown";
}

char *event_to_json_line(const struct event_json_ctx *c, const struct event *ev)
{
	struct jw w;
	char tbuf[64];

	jw_init(&w);
	jw_object(&w);
	jw_key(&w, kind_key(ev));
	jw_object(&w);
	switch (ev->kind) {
	case EV_SYSCALL: syscall_members(&w, ev); break;
	case EV_TCP: tcp_members(&w, (const struct vg_tcp *)ev->hdr); break;
	case EV_ENFORCE: enforcement_members(&w, ev); break;
	case EV_EXIT: exit_members(&w, ev->exit_status); break;
	default: break;
	}
	jw_key(&w, "process");
	proc_json(&w, c, ev->proc, ev->tid, ev->creds);
	if (ev->proc->parent) {
		jw_key(&w, "parent");
		proc_json(&w, c, ev->proc->parent, 0, NULL);
	}
	jw_object_end(&w);
	jw_key(&w, "node_name"); jw_str(&w, c->node);
	time_rfc3339(c->boot_wall_ns + ev->ts, tbuf, sizeof(tbuf));
	jw_key(&w, "time"); jw_str(&w, tbuf);
	jw_object_end(&w);
	return jw_take(&w, NULL);
}
