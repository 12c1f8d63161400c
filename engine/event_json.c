/*
 * event_json.c - events as JSON lines (docs/events.md is the schema).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "container.h"
#include "event_json.h"
#include "fd_table.h"
#include "proc.h"
#include "sockaddr.h"
#include "syscall_table.h"
#include "timefmt.h"
#include "users.h"
#include "util.h"

/*
 * Strings from the kernel (paths, argv, comm) are bytes, not always UTF-8;
 * JSON needs UTF-8, so invalid sequences become U+FFFD.
 */
static json_t *lossy_string(const char *s)
{
	size_t n = strlen(s);
	json_t *j = json_stringn(s, n);
	char *fixed, *w;

	if (j)
		return j;
	fixed = vg_malloc(n * 3 + 1);
	w = fixed;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		json_t *probe = len && i + len <= n ? json_stringn(s + i, len) : NULL;

		if (probe) {
			memcpy(w, s + i, len);
			w += len;
			i += len;
			json_decref(probe);
		} else {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			i++;
		}
	}
	j = json_stringn(fixed, w - fixed);
	free(fixed);
	return j;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, lossy_string(v));
}

static void set_int(json_t *o, const char *k, json_int_t v)
{
	json_object_set_new(o, k, json_integer(v));
}

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
		{ PROC_F_EXECVE, "execve" }, { PROC_F_PROCFS, "procfs" }, { PROC_F_CLONE, "clone" },
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

json_t *proc_to_json(const struct event_json_ctx *c, const struct proc *p, uint32_t tid,
		     const struct vg_creds *cr)
{
	json_t *o = json_object();
	char buf[64];
	const char *user;

	if (!cr)
		cr = &p->task.creds;
	set_str(o, "exec_id", p->exec_id);
	set_int(o, "pid", p->pid);
	set_int(o, "tid", tid ? tid : p->pid);
	set_int(o, "ppid", p->task.ppid);
	set_int(o, "vpid", p->task.vpid);
	set_int(o, "uid", cr->uid);
	set_int(o, "euid", cr->euid);
	set_int(o, "gid", cr->gid);
	set_int(o, "egid", cr->egid);
	set_int(o, "auid", cr->auid);
	user = users_name(cr->euid);
	if (user)
		set_str(o, "user", user);
	set_str(o, "comm", p->task.comm);
	set_str(o, "binary", p->exe);
	char *args = arguments_text(p);

	set_str(o, "arguments", args);
	free(args);
	set_str(o, "cwd", p->cwd);
	time_rfc3339(c->boot_wall_ns + p->exec_time, buf, sizeof(buf));
	set_str(o, "start_time", buf);
	char fl[96];

	flags_text(p, fl, sizeof(fl));
	set_str(o, "flags", fl);
	set_int(o, "tty", p->task.tty);
	set_int(o, "cgroup_id", (json_int_t)p->task.cgroup_id);
	if (p->container) {
		json_t *ct = json_object();

		set_str(ct, "id", p->container->id);
		set_str(ct, "runtime", p->container->runtime);
		if (p->container->pod_uid)
			set_str(ct, "pod_uid", p->container->pod_uid);
		json_object_set_new(o, "container", ct);
	}
	if (p->parent)
		set_str(o, "parent_exec_id", p->parent->exec_id);
	return o;
}

static json_t *addr_json(int family, const uint8_t *addr)
{
	char buf[64];

	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *sockaddr_json(const uint8_t *sa, size_t len)
{
	struct sockaddr_info si;
	json_t *o = json_object();
	char fam[32];

	if (!sockaddr_decode(sa, len, &si)) {
		set_str(o, "family", "truncated");
		return o;
	}
	sc_format_names(&sc_socket_families, false, si.family, fam, sizeof(fam));
	set_str(o, "family", fam);
	if (si.family == AF_INET || si.family == AF_INET6) {
		json_object_set_new(o, "addr", addr_json(si.family, si.addr));
		set_int(o, "port", si.port);
	} else if (si.family == AF_UNIX) {
		set_str(o, "path", si.path);
	}
	return o;
}

static json_t *arg_json(const struct event *ev, const struct sc_arg *a)
{
	uint64_t v = a->reg >= 0 && a->reg < 6 ? ev->sc->args[(int)a->reg] : 0;

	switch (a->fmt) {
	case AF_PATH:
	case AF_STR: {
		const char *s = a->str >= 0 && a->str < 3 ? ev->str[(int)a->str] : NULL;

		return s ? lossy_string(s) : json_null();
	}
	case AF_SOCKADDR:
		return ev->sa ? sockaddr_json(ev->sa, ev->sa_len) : json_null();
	case AF_TUPLE:
		/* the fd object carries the connection's ends */
		return ev->fd && ev->fd->name[0] ? lossy_string(ev->fd->name) : json_null();
	case AF_FD:
	case AF_PID:
		return json_integer((int32_t)v);
	case AF_INT:
		return json_integer((int64_t)v);
	case AF_UID:
	case AF_GID:
		return json_integer((uint32_t)v);
	default:
		return json_integer((json_int_t)v);
	}
}

static json_t *fd_json(const struct event *ev)
{
	const struct fd_entry *e = ev->fd;
	json_t *o = json_object();

	set_int(o, "num", ev->fd_num);
	set_str(o, "type", fd_type_name(e->type));
	set_str(o, "name", e->name);
	if (e->type == FDT_IPV4 || e->type == FDT_IPV6) {
		set_str(o, "proto", e->sock.proto == IPPROTO_TCP ? "tcp" :
				    e->sock.proto == IPPROTO_UDP ? "udp" : "raw");
		json_object_set_new(o, "laddr", addr_json(e->sock.family, e->sock.laddr));
		set_int(o, "lport", e->sock.lport);
		json_object_set_new(o, "raddr", addr_json(e->sock.family, e->sock.raddr));
		set_int(o, "rport", e->sock.rport);
	}
	return o;
}

static json_t *syscall_json(const struct event *ev)
{
	const struct vg_syscall *sc = ev->sc;
	json_t *o = json_object();
	const char *name = ev->si ? ev->si->name : NULL;

	if (name)
		set_str(o, "name", name);
	else
		json_object_set_new(o, "name", json_sprintf("syscall_%u", sc->nr));
	set_int(o, "nr", sc->nr);
	set_int(o, "ret", sc->ret);
	if (sc->ret < 0 && sc->ret > -4096) {
		const char *en = sc_errno_name(-sc->ret);

		if (en)
			set_str(o, "error", en);
	}
	json_t *args = json_object();

	if (ev->si && ev->si->nargs) {
		for (int i = 0; i < ev->si->nargs; i++)
			json_object_set_new(args, ev->si->args[i].name, arg_json(ev, &ev->si->args[i]));
	} else {
		json_t *raw = json_array();

		for (int i = 0; i < 6; i++)
			json_array_append_new(raw, json_integer((json_int_t)sc->args[i]));
		json_object_set_new(args, "raw", raw);
	}
	json_object_set_new(o, "args", args);
	if (ev->path[0])
		set_str(o, "path", ev->path[0]);
	if (ev->path[1])
		set_str(o, "path2", ev->path[1]);
	if (ev->fd)
		json_object_set_new(o, "fd", fd_json(ev));
	if (sc->h.flags & VG_F_TRUNCATED)
		json_object_set_new(o, "truncated", json_true());
	return o;
}

static json_t *tcp_json(const struct vg_tcp *t)
{
	json_t *o = json_object();

	set_str(o, "type", t->kind == VG_TCP_CONNECT ? "connect" : t->kind == VG_TCP_ACCEPT ? "accept" : "close");
	set_str(o, "protocol", "tcp");
	set_str(o, "family", t->family == AF_INET6 ? "AF_INET6" : "AF_INET");
	json_object_set_new(o, "saddr", addr_json(t->family, t->saddr));
	set_int(o, "sport", t->sport);
	json_object_set_new(o, "daddr", addr_json(t->family, t->daddr));
	set_int(o, "dport", t->dport);
	set_int(o, "cookie", (json_int_t)t->cookie);
	return o;
}

static void exit_json(json_t *o, uint32_t status)
{
	int sig = status & 0x7f;

	if (sig) {
		const char *name = sc_signal_name(sig);

		if (name)
			set_str(o, "signal", name);
		else
			json_object_set_new(o, "signal", json_sprintf("SIG%d", sig));
		if (status & 0x80)
			json_object_set_new(o, "core_dumped", json_true());
	} else {
		set_int(o, "status", (status >> 8) & 0xff);
	}
}

static json_t *enforcement_json(const struct event *ev)
{
	static const char *const actions[] = { "spared", "killed (kernel)", "denied", "would kill", "would deny",
					       "userspace" };
	static const char *const hooks[] = { "?", "syscall entry", "exec", "lsm", "cgroup connect" };
	const struct vg_enforce *en = (const void *)ev->hdr;
	json_t *o = json_object();

	set_str(o, "action", en->action < 6 ? actions[en->action] : "?");
	set_int(o, "selector", en->selector);
	set_str(o, "hook", en->hook < 5 ? hooks[en->hook] : "?");
	if (ev->type >= 0 && sc_info(ev->type))
		set_str(o, "syscall", sc_info(ev->type)->name);
	if (ev->path[0])
		set_str(o, "path", ev->path[0]);
	else if (ev->fd && (ev->fd->type == FDT_IPV4 || ev->fd->type == FDT_IPV6)) {
		json_object_set_new(o, "daddr", addr_json(ev->fd->sock.family, ev->fd->sock.raddr));
		set_int(o, "dport", ev->fd->sock.rport);
	}
	return o;
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

json_t *event_to_json(const struct event_json_ctx *c, const struct event *ev)
{
	json_t *top = json_object(), *body;
	char tbuf[64];

	switch (ev->kind) {
	case EV_SYSCALL: body = syscall_json(ev); break;
	case EV_TCP: body = tcp_json((const struct vg_tcp *)ev->hdr); break;
	case EV_ENFORCE: body = enforcement_json(ev); break;
	default: body = json_object(); break;
	}
	if (ev->kind == EV_EXIT)
		exit_json(body, ev->exit_status);
	json_object_set_new(body, "process", proc_to_json(c, ev->proc, ev->tid, ev->creds));
	if (ev->proc->parent)
		json_object_set_new(body, "parent", proc_to_json(c, ev->proc->parent, 0, NULL));
	json_object_set_new(top, kind_key(ev), body);
	set_str(top, "node_name", c->node);
	time_rfc3339(c->boot_wall_ns + ev->ts, tbuf, sizeof(tbuf));
	set_str(top, "time", tbuf);
	return top;
}

char *event_to_json_line(const struct event_json_ctx *c, const struct event *ev)
{
	json_t *j = event_to_json(c, ev);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(j);
	return s;
}
