/*
 * fields.c - the field table and one extractor per field.
 *
 * Extractors read the event, its process image (and ancestors), its fd
 * entry and its credentials; they never block and never allocate except
 * from the per-event arena (for values that have to be put together, like
 * proc.cmdline). Falco's conventions are kept where rules depend on them:
 * proc.name is the kernel's 15-character task name, proc.exe is argv[0],
 * user.uid is the effective uid, container.id is "host" for host processes,
 * sockets are named client->server.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "arena.h"
#include "container.h"
#include "event.h"
#include "evttype.h"
#include "fd_table.h"
#include "fields.h"
#include "proc.h"
#include "sockaddr.h"
#include "syscall_table.h"
#include "timefmt.h"
#include "users.h"
#include "util.h"

/* extractors share one signature; most use only some of it */
#define U __attribute__((unused))
#define GET(fn) static bool fn(U const struct field_env *env, U const struct event *ev, \
			       U const struct field_ref *ref, U int i, U struct fval *out)

static bool set_str(struct fval *out, const char *s)
{
	if (!s)
		return false;
	out->type = FT_STRING;
	out->str.s = s;
	out->str.len = strlen(s);
	return true;
}

static bool set_u(struct fval *out, enum ftype t, uint64_t v)
{
	out->type = t;
	out->u = v;
	return true;
}

static bool set_i(struct fval *out, int64_t v)
{
	out->type = FT_INT;
	out->i = v;
	return true;
}

static bool set_b(struct fval *out, bool b)
{
	out->type = FT_BOOL;
	out->b = b;
	return true;
}

static char *arena_fmt(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *arena_fmt(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(tmp)) {
		char *big = arena_alloc(a, n + 1);

		va_start(ap, fmt);
		vsnprintf(big, n + 1, fmt, ap);
		va_end(ap);
		return big;
	}
	return arena_strndup(a, tmp, n);
}

/* --- process helpers ------------------------------------------------------------ */

/* argv[1..] joined by spaces, in the arena */
static const char *args_text(struct arena *a, const struct proc *p)
{
	size_t n = p->args_len, skip = strnlen(p->args, n);

	if (skip + 1 >= n)
		return "";
	size_t len = n - skip - 1;
	char *s = arena_strndup(a, p->args + skip + 1, len);

	while (len && s[len - 1] == 0)
		len--;
	for (size_t k = 0; k < len; k++)
		if (s[k] == 0)
			s[k] = ' ';
	s[len] = 0;
	return s;
}

static const char *cmdline_text(struct arena *a, const struct proc *p)
{
	const char *args = args_text(a, p);

	return args[0] ? arena_fmt(a, "%s %s", p->task.comm, args) : p->task.comm;
}

/* the process the field is about: self, or the ancestor an index or FF_ANY position names */
static const struct proc *subject(const struct event *ev, const struct field_ref *ref, int i, int base)
{
	if (ref->def->arg == FA_INDEX) {
		if (ref->index >= 0)
			return i == 0 ? proc_ancestor(ev->proc, ref->index) : NULL;
		return proc_ancestor(ev->proc, 1 + i);  /* any ancestor, parent first */
	}
	return i == 0 ? proc_ancestor(ev->proc, base) : NULL;
}

static bool known(const struct proc *p)
{
	/* a placeholder for a process never seen has no exec time and no name */
	return p && (p->exec_time || p->task.comm[0]);
}

GET(get_proc_name)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return known(p) && set_str(out, p->task.comm);
}

GET(get_proc_pname)
{
	const struct proc *p = subject(ev, ref, i, 1);

	return known(p) && set_str(out, p->task.comm);
}

GET(get_proc_exe)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return known(p) && set_str(out, proc_argv0(p));
}

GET(get_proc_pexe)
{
	const struct proc *p = subject(ev, ref, i, 1);

	return known(p) && set_str(out, proc_argv0(p));
}

GET(get_proc_exepath)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return known(p) && p->exe[0] && set_str(out, p->exe);
}

GET(get_proc_pexepath)
{
	const struct proc *p = subject(ev, ref, i, 1);

	return known(p) && p->exe[0] && set_str(out, p->exe);
}

GET(get_proc_args)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return known(p) && set_str(out, args_text(env->arena, p));
}

GET(get_proc_cmdline)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return known(p) && set_str(out, cmdline_text(env->arena, p));
}

GET(get_proc_pcmdline)
{
	const struct proc *p = subject(ev, ref, i, 1);

	return known(p) && set_str(out, cmdline_text(env->arena, p));
}

GET(get_proc_pid)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return p && set_u(out, FT_UINT, p->pid);
}

GET(get_proc_ppid)
{
	return ev->proc->task.ppid && set_u(out, FT_UINT, ev->proc->task.ppid);
}

GET(get_proc_vpid)
{
	return set_u(out, FT_UINT, ev->proc->task.vpid);
}

GET(get_proc_sid)
{
	return set_u(out, FT_UINT, ev->proc->task.sid);
}

GET(get_proc_vpgid)
{
	return set_u(out, FT_UINT, ev->proc->task.vpgid);
}

GET(get_proc_tty)
{
	return set_u(out, FT_UINT, ev->proc->task.tty);
}

GET(get_proc_cwd)
{
	return ev->proc->cwd[0] && set_str(out, ev->proc->cwd);
}

/* the nearest process (self first) whose in-namespace pid is `vpid` */
static const struct proc *find_leader(const struct proc *p, uint32_t vpid)
{
	for (; p; p = p->parent)
		if (p->task.vpid == vpid)
			return p;
	return NULL;
}

GET(get_proc_sname)
{
	const struct proc *l = find_leader(ev->proc, ev->proc->task.sid);

	return known(l) && set_str(out, l->task.comm);
}

GET(get_proc_vpgid_name)
{
	const struct proc *l = find_leader(ev->proc, ev->proc->task.vpgid);

	return known(l) && set_str(out, l->task.comm);
}

GET(get_proc_vpgid_exe)
{
	const struct proc *l = find_leader(ev->proc, ev->proc->task.vpgid);

	return known(l) && set_str(out, proc_argv0(l));
}

GET(get_proc_is_vpgid_leader)
{
	return set_b(out, ev->proc->task.vpid == ev->proc->task.vpgid);
}

GET(get_proc_is_sid_leader)
{
	return set_b(out, ev->proc->task.vpid == ev->proc->task.sid);
}

GET(get_proc_duration)
{
	uint64_t start = ev->proc->task.start_time;

	return start && ev->ts >= start && set_u(out, FT_RELTIME, ev->ts - start);
}

GET(get_proc_ppid_duration)
{
	const struct proc *p = ev->proc->parent;

	return p && p->task.start_time && ev->ts >= p->task.start_time &&
	       set_u(out, FT_RELTIME, ev->ts - p->task.start_time);
}

GET(get_proc_exe_memfd)
{
	return set_b(out, ev->proc->exe_flags & VG_EXE_FROM_MEMFD);
}

GET(get_proc_exe_from_fd)
{
	return set_b(out, ev->proc->flags & PROC_F_EXEC_FD);
}

GET(get_proc_exe_deleted)
{
	return set_b(out, ev->proc->exe_flags & VG_EXE_DELETED);
}

GET(get_proc_exe_upper)
{
	return set_b(out, ev->proc->exe_flags & VG_EXE_UPPER_LAYER);
}

GET(get_proc_exe_ino)
{
	return ev->proc->exe_ino && set_u(out, FT_UINT, ev->proc->exe_ino);
}

GET(get_proc_exe_mtime)
{
	return ev->proc->exe_mtime && set_u(out, FT_ABSTIME, ev->proc->exe_mtime);
}

GET(get_proc_exe_ctime)
{
	return ev->proc->exe_ctime && set_u(out, FT_ABSTIME, ev->proc->exe_ctime);
}

GET(get_proc_exe_ctime_to_start)
{
	uint64_t start = env->boot_wall_ns + ev->proc->exec_time, ct = ev->proc->exe_ctime;

	return ct && ev->proc->exec_time && start >= ct && set_u(out, FT_RELTIME, start - ct);
}

GET(get_proc_apid)
{
	const struct proc *p = subject(ev, ref, i, 0);

	return p && set_u(out, FT_UINT, p->pid);
}

/* --- thread, user, group ---------------------------------------------------------- */

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
	"CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
	"CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
	"CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

/* "CAP_CHOWN CAP_KILL ..." as Falco prints capability sets */
static const char *caps_text(struct arena *a, uint64_t caps)
{
	/* the last set formatted: a host runs with very few distinct sets */
	static _Thread_local uint64_t last_caps;
	static _Thread_local char last[1024];
	static _Thread_local size_t last_len = SIZE_MAX;

	if (last_len == SIZE_MAX || caps != last_caps) {
		size_t o = 0;

		for (size_t b = 0; b < ARRAY_SIZE(cap_names); b++) {
			if (!(caps & (1ull << b)))
				continue;
			size_t k = strlen(cap_names[b]);

			if (o)
				last[o++] = ' ';
			memcpy(last + o, cap_names[b], k);  /* 41 names fit in 1024 bytes */
			o += k;
		}
		last[o] = 0;
		last_len = o;
		last_caps = caps;
	}
	return arena_strndup(a, last, last_len);
}

GET(get_cap_effective)
{
	return set_str(out, caps_text(env->arena, ev->creds->cap_effective));
}

GET(get_cap_permitted)
{
	return set_str(out, caps_text(env->arena, ev->creds->cap_permitted));
}

GET(get_cap_inheritable)
{
	return set_str(out, caps_text(env->arena, ev->creds->cap_inheritable));
}

GET(get_thread_tid)
{
	return set_u(out, FT_UINT, ev->tid);
}

GET(get_user_uid)
{
	return set_u(out, FT_UINT, ev->creds->euid);
}

GET(get_user_ruid)
{
	return set_u(out, FT_UINT, ev->creds->uid);
}

GET(get_user_name)
{
	return set_str(out, users_name(ev->creds->euid));
}

GET(get_user_loginuid)
{
	return set_i(out, ev->creds->auid == UINT32_MAX ? -1 : (int64_t)ev->creds->auid);
}

GET(get_user_loginname)
{
	return ev->creds->auid != UINT32_MAX && set_str(out, users_name(ev->creds->auid));
}

GET(get_group_gid)
{
	return set_u(out, FT_UINT, ev->creds->egid);
}

GET(get_group_name)
{
	return set_str(out, groups_name(ev->creds->egid));
}

/* --- evt --------------------------------------------------------------------------- */

GET(get_evt_type)
{
	return set_str(out, evttype_name(ev->type));
}

GET(get_evt_num)
{
	return set_u(out, FT_UINT, ev->num);
}

GET(get_evt_time)
{
	return set_u(out, FT_ABSTIME, env->boot_wall_ns + ev->ts);
}

GET(get_evt_rawtime)
{
	return set_u(out, FT_UINT, env->boot_wall_ns + ev->ts);
}

GET(get_evt_hostname)
{
	return set_str(out, env->node);
}

GET(get_evt_dir)
{
	return set_str(out, "<");
}

GET(get_evt_source)
{
	return set_str(out, "syscall");
}

static bool event_ret(const struct event *ev, int64_t *ret)
{
	switch (ev->kind) {
	case EV_SYSCALL: *ret = ev->sc->ret; return true;
	case EV_EXEC:
	case EV_FORK: *ret = 0; return true;
	default: return false;
	}
}

GET(get_evt_rawres)
{
	int64_t r;

	return event_ret(ev, &r) && set_i(out, r);
}

GET(get_evt_res)
{
	int64_t r;

	if (!event_ret(ev, &r))
		return false;
	if (r < 0 && r > -4096) {
		const char *name = sc_errno_name((int)-r);

		return set_str(out, name ? name : arena_fmt(env->arena, "%lld", (long long)r));
	}
	return set_str(out, "SUCCESS");
}

GET(get_evt_failed)
{
	int64_t r;

	return event_ret(ev, &r) && set_b(out, r < 0);
}

static uint32_t open_flags(const struct event *ev)
{
	return ev->fd ? ev->fd->open_flags : 0;
}

static bool is_open(const struct event *ev)
{
	return ev->kind == EV_SYSCALL && ev->fd &&
	       (ev->type == 2 || ev->type == 257 || ev->type == 437 || ev->type == 85);
}

GET(get_evt_is_open_read)
{
	uint32_t acc = open_flags(ev) & O_ACCMODE;

	return is_open(ev) && set_b(out, acc == O_RDONLY || acc == O_RDWR);
}

GET(get_evt_is_open_write)
{
	uint32_t acc = open_flags(ev) & O_ACCMODE;

	return is_open(ev) && set_b(out, acc == O_WRONLY || acc == O_RDWR);
}

GET(get_evt_is_open_exec)
{
	uint32_t f = open_flags(ev);
	uint64_t mode = ev->kind == EV_SYSCALL ? ev->sc->args[ev->type == 257 || ev->type == 437 ? 3 :
							       ev->type == 85 ? 1 : 2] : 0;

	return is_open(ev) && set_b(out, (f & O_CREAT) && (mode & 0111));
}

GET(get_evt_abspath)
{
	return set_str(out, ev->path[0]);
}

GET(get_evt_abspath_dst)
{
	return set_str(out, ev->path[1]);
}

/* a source only where there is also a target: an open has neither */
GET(get_fs_path_source)
{
	return ev->path[1] && set_str(out, ev->path[0]);
}

/* "addr:port" for an address and port */
static const char *endpoint(struct arena *a, int family, const uint8_t *addr, unsigned port)
{
	char ip[64];

	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, ip, sizeof(ip));
	return arena_fmt(a, "%s:%u", ip, port);
}

/* an argument of a syscall as Falco prints it */
/*
 * Formatted numeric arguments, by argument and value. The same few flag
 * and enum values come back on every call (O_RDONLY|O_CLOEXEC, PROT_READ),
 * and a rule or prefilter guard on evt.arg.flags formats them per event.
 */
#define ARG_MEMO 256
#define ARG_MEMO_STR 64

struct arg_memo {
	const struct sc_arg *arg;
	uint64_t v;
	uint8_t len;
	char s[ARG_MEMO_STR];
};

static const char *format_number(struct arena *a, const struct sc_arg *arg, uint64_t v)
{
	static _Thread_local struct arg_memo memo[ARG_MEMO];
	struct arg_memo *m = &memo[(((uintptr_t)arg >> 4) ^ (v * 0x9e3779b97f4a7c15ull >> 56)) % ARG_MEMO];
	char buf[512];
	size_t n;

	if (m->arg == arg && m->v == v)
		return arena_strndup(a, m->s, m->len);
	sc_format_arg(arg, v, buf, sizeof(buf));
	n = strnlen(buf, sizeof(buf));
	if (n < ARG_MEMO_STR) {
		m->arg = arg;
		m->v = v;
		m->len = (uint8_t)n;
		memcpy(m->s, buf, n + 1);
	}
	return arena_strndup(a, buf, n);
}

static const char *format_arg(struct arena *a, const struct event *ev, const struct sc_arg *arg)
{
	uint64_t v = arg->reg >= 0 && arg->reg < 6 ? ev->sc->args[(int)arg->reg] : 0;
	struct sockaddr_info si;
	bool have_sa;

	switch (arg->fmt) {
	case AF_PATH:
	case AF_STR:
		return arg->str >= 0 && arg->str < 3 ? ev->str[(int)arg->str] : NULL;
	case AF_SOCKADDR:
		if (!ev->sa || !sockaddr_decode(ev->sa, ev->sa_len, &si))
			return NULL;
		if (si.family == AF_INET || si.family == AF_INET6)
			return endpoint(a, si.family, si.addr, si.port);
		return si.family == AF_UNIX ? arena_strndup(a, si.path, strlen(si.path)) : NULL;
	case AF_TUPLE: {
		const struct vg_sock *so = &ev->sc->fdinfo.sock;

		have_sa = ev->sa && sockaddr_decode(ev->sa, ev->sa_len, &si);
		if (ev->sc->fdinfo.ftype != VG_FT_SOCK || (so->family != AF_INET && so->family != AF_INET6))
			return have_sa && si.family == AF_UNIX ? arena_strndup(a, si.path, strlen(si.path)) : NULL;
		const char *l = endpoint(a, so->family, so->laddr, so->lport);
		const char *r = have_sa && si.family == so->family ? endpoint(a, si.family, si.addr, si.port)
								    : endpoint(a, so->family, so->raddr, so->rport);

		return arena_fmt(a, "%s->%s", l, r);
	}
	default:
		return format_number(a, arg, v);
	}
}

/* exec events carry what Falco's execve exit event has */
static const char *exec_arg(struct arena *a, const struct event *ev, const char *name)
{
	const struct proc *p = ev->proc;

	if (strcmp(name, "exe") == 0)
		return proc_argv0(p);
	if (strcmp(name, "args") == 0)
		return args_text(a, p);
	if (strcmp(name, "cwd") == 0)
		return p->cwd;
	if (strcmp(name, "comm") == 0)
		return p->task.comm;
	if (strcmp(name, "res") == 0)
		return "0";
	if (strcmp(name, "filename") == 0 || strcmp(name, "trusted_exepath") == 0)
		return p->exe;
	if (strcmp(name, "flags") == 0) {
		char buf[96];
		size_t o = 0;

		buf[0] = 0;
		if (p->exe_flags & VG_EXE_FROM_MEMFD)
			o += vg_snprintf(buf + o, sizeof(buf) - o, "EXE_FROM_MEMFD");
		if (p->exe_flags & VG_EXE_UPPER_LAYER)
			o += vg_snprintf(buf + o, sizeof(buf) - o, "%sEXE_UPPER_LAYER", o ? "|" : "");
		if (!(p->exe_flags & VG_EXE_UPPER_LAYER) && p->container)
			o += vg_snprintf(buf + o, sizeof(buf) - o, "%sEXE_LOWER_LAYER", o ? "|" : "");
		return arena_strndup(a, buf, o);
	}
	return NULL;
}

static const struct sc_arg *arg_of(const struct event *ev, const struct field_ref *ref)
{
	if (ev->kind != EV_SYSCALL || !ev->si)
		return NULL;
	if (ref->argnum >= 0)
		return ref->argnum < ev->si->nargs ? &ev->si->args[ref->argnum] : NULL;
	return sc_arg_by_name(ev->si, ref->name);
}

GET(get_evt_arg)
{
	const struct sc_arg *arg;
	const char *name = ref->name;

	if (ev->kind == EV_EXEC && name)
		return set_str(out, exec_arg(env->arena, ev, name));
	if (ev->kind == EV_EXIT && name && (strcmp(name, "status") == 0 || strcmp(name, "ret") == 0))
		return set_str(out, arena_fmt(env->arena, "%u", ev->exit_status));
	arg = arg_of(ev, ref);
	if (arg)
		return set_str(out, format_arg(env->arena, ev, arg));
	/* the return value, under the name Falco gives it ("fd" for openat, else "res") */
	if (ev->kind == EV_SYSCALL && name && (strcmp(name, "res") == 0 ||
					       (ev->si && ev->si->ret_name && strcmp(name, ev->si->ret_name) == 0)))
		return set_str(out, arena_fmt(env->arena, "%lld", (long long)ev->sc->ret));
	return false;
}

GET(get_evt_rawarg)
{
	const struct sc_arg *arg = arg_of(ev, ref);

	if (!arg || arg->reg < 0 || arg->reg > 5)
		return false;
	uint64_t v = ev->sc->args[(int)arg->reg];

	if (arg->fmt == AF_FD || arg->fmt == AF_PID)
		return set_i(out, (int32_t)v);
	return set_i(out, (int64_t)v);
}

GET(get_evt_args)
{
	char buf[2048];
	size_t o = 0;

	if (ev->kind != EV_SYSCALL || !ev->si)
		return false;
	buf[0] = 0;
	for (int k = 0; k < ev->si->nargs && o < sizeof(buf); k++) {
		const char *v = format_arg(env->arena, ev, &ev->si->args[k]);

		o += vg_snprintf(buf + o, sizeof(buf) - o, "%s%s=%s", o ? " " : "", ev->si->args[k].name,
				 v ? v : "<NA>");
	}
	return set_str(out, arena_strndup(env->arena, buf, strnlen(buf, sizeof(buf))));
}

/* --- fd -------------------------------------------------------------------------------- */

static bool is_ip(const struct fd_entry *e)
{
	return e && (e->type == FDT_IPV4 || e->type == FDT_IPV6);
}

GET(get_fd_num)
{
	return (ev->fd || ev->fd_num >= 0) && set_i(out, ev->fd_num);
}

GET(get_fd_name)
{
	return ev->fd && ev->fd->name[0] && set_str(out, ev->fd->name);
}

GET(get_fd_nameraw)
{
	if (is_open(ev) && ev->str[0])
		return set_str(out, ev->str[0]);
	return ev->fd && ev->fd->name[0] && set_str(out, ev->fd->name);
}

static bool is_file(const struct fd_entry *e)
{
	return e && (e->type == FDT_FILE || e->type == FDT_DIR) && e->name[0] == '/';
}

GET(get_fd_directory)
{
	const struct fd_entry *e = ev->fd;

	if (!is_file(e))
		return false;
	if (e->type == FDT_DIR)
		return set_str(out, e->name);
	const char *slash = strrchr(e->name, '/');

	return set_str(out, slash == e->name ? "/" : arena_strndup(env->arena, e->name, slash - e->name));
}

GET(get_fd_filename)
{
	const struct fd_entry *e = ev->fd;

	if (!is_file(e) || e->type == FDT_DIR)
		return false;
	return set_str(out, strrchr(e->name, '/') + 1);
}

GET(get_fd_typechar)
{
	return ev->fd && set_str(out, fd_type_letter(ev->fd->type));
}

GET(get_fd_type)
{
	return ev->fd && ev->fd->type != FDT_UNKNOWN && set_str(out, fd_type_name(ev->fd->type));
}

GET(get_fd_types)
{
	return i == 0 && ev->fd && ev->fd->type != FDT_UNKNOWN && set_str(out, fd_type_name(ev->fd->type));
}

GET(get_fd_connected)
{
	return ev->fd && set_b(out, ev->fd->flags & FDE_CONNECTED);
}

GET(get_fd_name_changed)
{
	return ev->fd && set_b(out, ev->fd_name_changed);
}

GET(get_fd_is_server)
{
	return is_ip(ev->fd) && set_b(out, ev->fd->flags & FDE_SERVER);
}

enum side { LOCAL, REMOTE, SERVER, CLIENT };

static bool side_is_local(const struct fd_entry *e, enum side s)
{
	bool server = e->flags & FDE_SERVER;

	switch (s) {
	case LOCAL: return true;
	case REMOTE: return false;
	case SERVER: return server;
	default: return !server;
	}
}

static bool addr_of(const struct fd_entry *e, enum side s, struct fval *out, enum ftype t)
{
	const uint8_t *a = side_is_local(e, s) ? e->sock.laddr : e->sock.raddr;

	out->type = t;
	out->ip.family = e->type == FDT_IPV4 ? 4 : 6;
	memcpy(out->ip.a, a, 16);
	return true;
}

static bool port_of(const struct fd_entry *e, enum side s, struct fval *out)
{
	return set_u(out, FT_UINT, side_is_local(e, s) ? e->sock.lport : e->sock.rport);
}

#define SIDE_FIELDS(sname, side)                                              \
	GET(get_fd_##sname##ip)                                               \
	{                                                                     \
		return is_ip(ev->fd) && addr_of(ev->fd, side, out, FT_IPADDR); \
	}                                                                     \
	GET(get_fd_##sname##net)                                              \
	{                                                                     \
		return is_ip(ev->fd) && addr_of(ev->fd, side, out, FT_IPNET);  \
	}                                                                     \
	GET(get_fd_##sname##port)                                             \
	{                                                                     \
		return is_ip(ev->fd) && port_of(ev->fd, side, out);           \
	}
SIDE_FIELDS(l, LOCAL)
SIDE_FIELDS(r, REMOTE)
SIDE_FIELDS(s, SERVER)
SIDE_FIELDS(c, CLIENT)

/* fd.ip / fd.port / fd.net: either end (i = 0 client, 1 server) */
GET(get_fd_ip)
{
	return i < 2 && is_ip(ev->fd) && addr_of(ev->fd, i == 0 ? CLIENT : SERVER, out, FT_IPADDR);
}

GET(get_fd_net)
{
	return i < 2 && is_ip(ev->fd) && addr_of(ev->fd, i == 0 ? CLIENT : SERVER, out, FT_IPNET);
}

GET(get_fd_port)
{
	return i < 2 && is_ip(ev->fd) && port_of(ev->fd, i == 0 ? CLIENT : SERVER, out);
}

GET(get_fd_l4proto)
{
	if (!is_ip(ev->fd))
		return false;
	switch (ev->fd->sock.proto) {
	case IPPROTO_TCP: return set_str(out, "tcp");
	case IPPROTO_UDP: return set_str(out, "udp");
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: return set_str(out, "icmp");
	default: return set_str(out, "raw");
	}
}

GET(get_fd_sockfamily)
{
	if (is_ip(ev->fd))
		return set_str(out, "ip");
	return ev->fd && ev->fd->type == FDT_UNIX && set_str(out, "unix");
}

GET(get_fd_ino)
{
	return ev->fd && ev->fd->ino && set_u(out, FT_UINT, ev->fd->ino);
}

GET(get_fd_dev)
{
	return ev->fd && ev->fd->ino && set_u(out, FT_UINT, ev->fd->dev);
}

/* --- containers ------------------------------------------------------------------------ */

GET(get_container_id)
{
	return set_str(out, ev->proc->container ? ev->proc->container->short_id : "host");
}

GET(get_container_full_id)
{
	return set_str(out, ev->proc->container ? ev->proc->container->id : "host");
}

GET(get_container_name)
{
	/* names come from the runtime, which vigil does not ask; the host is "host" as in Falco */
	return !ev->proc->container && set_str(out, "host");
}

GET(get_container_type)
{
	return set_str(out, ev->proc->container ? ev->proc->container->runtime : "host");
}

GET(get_unknown_to_vigil)
{
	/* image names, start times, k8s names, DNS names: only a runtime, the API server or a resolver knows them */
	return false;
}

#define ALL_CAPS ((1ull << ARRAY_SIZE(cap_names)) - 1)

GET(get_container_privileged)
{
	/* inferred: a privileged container's processes run with the full capability set */
	return ev->proc->container && set_b(out, (ev->creds->cap_effective & ALL_CAPS) == ALL_CAPS);
}

GET(get_k8s_pod_uid)
{
	return ev->proc->container && set_str(out, ev->proc->container->pod_uid);
}

/* --- the table -------------------------------------------------------------------------- */

#define F(n, t, a, fl, fn, d) { n, t, a, fl, fn, d }

static const struct field_def fields[] = {
	/* evt */
	F("evt.type", FT_STRING, FA_NONE, 0, get_evt_type, "event type: syscall name, or procexit, procfork, tcp_connect, tcp_accept, tcp_close"),
	F("evt.num", FT_UINT, FA_NONE, 0, get_evt_num, "position of the event in the stream, from 1"),
	F("evt.time", FT_ABSTIME, FA_NONE, 0, get_evt_time, "time of the event"),
	F("evt.rawtime", FT_UINT, FA_NONE, 0, get_evt_rawtime, "time of the event, ns since the epoch"),
	F("evt.hostname", FT_STRING, FA_NONE, 0, get_evt_hostname, "node name"),
	F("evt.dir", FT_STRING, FA_NONE, 0, get_evt_dir, "always '<': vigil reports completed syscalls"),
	F("evt.source", FT_STRING, FA_NONE, 0, get_evt_source, "always 'syscall'"),
	F("evt.res", FT_STRING, FA_NONE, 0, get_evt_res, "result: SUCCESS, or the errno name (ENOENT)"),
	F("evt.rawres", FT_INT, FA_NONE, 0, get_evt_rawres, "return value as a number"),
	F("evt.failed", FT_BOOL, FA_NONE, 0, get_evt_failed, "true if the syscall returned an error"),
	F("evt.args", FT_STRING, FA_NONE, 0, get_evt_args, "all arguments as name=value"),
	F("evt.arg", FT_STRING, FA_NAME, 0, get_evt_arg, "one argument by name (evt.arg.flags) or position (evt.arg[0]), as Falco prints it"),
	F("evt.rawarg", FT_INT, FA_NAME, 0, get_evt_rawarg, "one argument's raw number"),
	F("evt.is_open_read", FT_BOOL, FA_NONE, 0, get_evt_is_open_read, "an open for reading"),
	F("evt.is_open_write", FT_BOOL, FA_NONE, 0, get_evt_is_open_write, "an open for writing"),
	F("evt.is_open_exec", FT_BOOL, FA_NONE, 0, get_evt_is_open_exec, "an open creating an executable file"),
	F("evt.abspath", FT_STRING, FA_NONE, 0, get_evt_abspath, "the path argument made absolute"),
	F("evt.abspath.src", FT_STRING, FA_NONE, 0, get_evt_abspath, "the first path argument made absolute (rename, link source)"),
	F("evt.abspath.dst", FT_STRING, FA_NONE, 0, get_evt_abspath_dst, "the second path argument made absolute (rename, link target)"),
	F("fs.path.name", FT_STRING, FA_NONE, 0, get_evt_abspath, "the file a syscall works on, absolute"),
	F("fs.path.source", FT_STRING, FA_NONE, 0, get_fs_path_source, "the source of a rename or link, absolute"),
	F("fs.path.target", FT_STRING, FA_NONE, 0, get_evt_abspath_dst, "the target of a rename or link, absolute"),
	/* proc */
	F("proc.name", FT_STRING, FA_NONE, 0, get_proc_name, "task name (comm, 15 characters at most)"),
	F("proc.exe", FT_STRING, FA_NONE, 0, get_proc_exe, "argv[0]"),
	F("proc.exepath", FT_STRING, FA_NONE, 0, get_proc_exepath, "absolute path of the executable"),
	F("proc.args", FT_STRING, FA_NONE, 0, get_proc_args, "arguments after argv[0], space-separated"),
	F("proc.cmdline", FT_STRING, FA_NONE, 0, get_proc_cmdline, "proc.name then proc.args"),
	F("proc.pid", FT_UINT, FA_NONE, 0, get_proc_pid, "process id"),
	F("proc.ppid", FT_UINT, FA_NONE, 0, get_proc_ppid, "parent's process id"),
	F("proc.vpid", FT_UINT, FA_NONE, 0, get_proc_vpid, "process id in its pid namespace"),
	F("proc.pname", FT_STRING, FA_NONE, 0, get_proc_pname, "parent's task name"),
	F("proc.pexe", FT_STRING, FA_NONE, 0, get_proc_pexe, "parent's argv[0]"),
	F("proc.pexepath", FT_STRING, FA_NONE, 0, get_proc_pexepath, "parent's executable path"),
	F("proc.pcmdline", FT_STRING, FA_NONE, 0, get_proc_pcmdline, "parent's command line"),
	F("proc.aname", FT_STRING, FA_INDEX, FF_ANY, get_proc_name, "ancestor's task name: [0] self, [1] parent...; without index, any ancestor"),
	F("proc.aexe", FT_STRING, FA_INDEX, FF_ANY, get_proc_exe, "ancestor's argv[0]"),
	F("proc.aexepath", FT_STRING, FA_INDEX, FF_ANY, get_proc_exepath, "ancestor's executable path"),
	F("proc.apid", FT_UINT, FA_INDEX, FF_ANY, get_proc_apid, "ancestor's process id"),
	F("proc.sid", FT_UINT, FA_NONE, 0, get_proc_sid, "session id"),
	F("proc.sname", FT_STRING, FA_NONE, 0, get_proc_sname, "session leader's task name"),
	F("proc.vpgid", FT_UINT, FA_NONE, 0, get_proc_vpgid, "process group id in the pid namespace"),
	F("proc.vpgid.name", FT_STRING, FA_NONE, 0, get_proc_vpgid_name, "process group leader's task name"),
	F("proc.vpgid.exe", FT_STRING, FA_NONE, 0, get_proc_vpgid_exe, "process group leader's argv[0]"),
	F("proc.is_vpgid_leader", FT_BOOL, FA_NONE, 0, get_proc_is_vpgid_leader, "the process leads its process group"),
	F("proc.is_sid_leader", FT_BOOL, FA_NONE, 0, get_proc_is_sid_leader, "the process leads its session"),
	F("proc.tty", FT_UINT, FA_NONE, 0, get_proc_tty, "controlling terminal (0: none)"),
	F("proc.cwd", FT_STRING, FA_NONE, 0, get_proc_cwd, "working directory"),
	F("proc.duration", FT_RELTIME, FA_NONE, 0, get_proc_duration, "ns since the process started"),
	F("proc.ppid.duration", FT_RELTIME, FA_NONE, 0, get_proc_ppid_duration, "ns since the parent started"),
	F("proc.is_exe_from_memfd", FT_BOOL, FA_NONE, 0, get_proc_exe_memfd, "the executable is a memfd"),
	F("proc.is_exe_from_fd", FT_BOOL, FA_NONE, 0, get_proc_exe_from_fd,
	  "the program was executed through a file descriptor (fexecve, /proc/self/fd/N)"),
	F("proc.is_exe_deleted", FT_BOOL, FA_NONE, 0, get_proc_exe_deleted, "the executable file was deleted"),
	F("proc.is_exe_upper_layer", FT_BOOL, FA_NONE, 0, get_proc_exe_upper, "the executable is in an overlayfs upper layer"),
	F("proc.exe_ino", FT_UINT, FA_NONE, 0, get_proc_exe_ino, "inode number of the executable"),
	F("proc.exe_ino.mtime", FT_ABSTIME, FA_NONE, 0, get_proc_exe_mtime, "modification time of the executable"),
	F("proc.exe_ino.ctime", FT_ABSTIME, FA_NONE, 0, get_proc_exe_ctime, "status change time of the executable"),
	F("proc.exe_ino.ctime_duration_proc_start", FT_RELTIME, FA_NONE, 0, get_proc_exe_ctime_to_start, "ns between the executable's ctime and the exec"),
	F("thread.tid", FT_UINT, FA_NONE, 0, get_thread_tid, "thread id"),
	F("thread.cap_effective", FT_STRING, FA_NONE, 0, get_cap_effective, "effective capabilities (CAP_X CAP_Y)"),
	F("thread.cap_permitted", FT_STRING, FA_NONE, 0, get_cap_permitted, "permitted capabilities"),
	F("thread.cap_inheritable", FT_STRING, FA_NONE, 0, get_cap_inheritable, "inheritable capabilities"),
	/* user, group */
	F("user.uid", FT_UINT, FA_NONE, 0, get_user_uid, "effective user id"),
	F("user.ruid", FT_UINT, FA_NONE, 0, get_user_ruid, "real user id (who started it; differs in a setuid program)"),
	F("user.name", FT_STRING, FA_NONE, 0, get_user_name, "effective user's name"),
	F("user.loginuid", FT_INT, FA_NONE, 0, get_user_loginuid, "audit login uid (-1: none)"),
	F("user.loginname", FT_STRING, FA_NONE, 0, get_user_loginname, "audit login user's name"),
	F("group.gid", FT_UINT, FA_NONE, 0, get_group_gid, "effective group id"),
	F("group.name", FT_STRING, FA_NONE, 0, get_group_name, "effective group's name"),
	/* fd */
	F("fd.num", FT_INT, FA_NONE, 0, get_fd_num, "the fd number (-1 for a failed open)"),
	F("fd.name", FT_STRING, FA_NONE, 0, get_fd_name, "absolute path, or client->server for sockets"),
	F("fd.nameraw", FT_STRING, FA_NONE, 0, get_fd_nameraw, "the path as the program passed it"),
	F("fd.directory", FT_STRING, FA_NONE, 0, get_fd_directory, "directory of the file"),
	F("fd.filename", FT_STRING, FA_NONE, 0, get_fd_filename, "file name without directory"),
	F("fd.typechar", FT_STRING, FA_NONE, 0, get_fd_typechar, "type letter: f file, d directory, 4 ipv4, 6 ipv6, u unix, p pipe..."),
	F("fd.type", FT_STRING, FA_NONE, 0, get_fd_type, "type: file, directory, ipv4, ipv6, unix, pipe, event, ..."),
	F("fd.types", FT_STRING, FA_NONE, FF_LIST, get_fd_types, "the types of the fds the event involves"),
	F("fd.connected", FT_BOOL, FA_NONE, 0, get_fd_connected, "the socket is connected"),
	F("fd.name_changed", FT_BOOL, FA_NONE, 0, get_fd_name_changed, "this event gave the fd a new name"),
	F("fd.is_server", FT_BOOL, FA_NONE, 0, get_fd_is_server, "the process is the server end"),
	F("fd.ip", FT_IPADDR, FA_NONE, FF_ANY, get_fd_ip, "either end's address"),
	F("fd.sip", FT_IPADDR, FA_NONE, 0, get_fd_sip, "server address"),
	F("fd.cip", FT_IPADDR, FA_NONE, 0, get_fd_cip, "client address"),
	F("fd.lip", FT_IPADDR, FA_NONE, 0, get_fd_lip, "local address"),
	F("fd.rip", FT_IPADDR, FA_NONE, 0, get_fd_rip, "remote address"),
	F("fd.port", FT_UINT, FA_NONE, FF_ANY, get_fd_port, "either end's port"),
	F("fd.sport", FT_UINT, FA_NONE, 0, get_fd_sport, "server port"),
	F("fd.cport", FT_UINT, FA_NONE, 0, get_fd_cport, "client port"),
	F("fd.lport", FT_UINT, FA_NONE, 0, get_fd_lport, "local port"),
	F("fd.rport", FT_UINT, FA_NONE, 0, get_fd_rport, "remote port"),
	F("fd.net", FT_IPNET, FA_NONE, FF_ANY, get_fd_net, "either end's address, compared with networks"),
	F("fd.snet", FT_IPNET, FA_NONE, 0, get_fd_snet, "server address, compared with networks"),
	F("fd.cnet", FT_IPNET, FA_NONE, 0, get_fd_cnet, "client address, compared with networks"),
	F("fd.lnet", FT_IPNET, FA_NONE, 0, get_fd_lnet, "local address, compared with networks"),
	F("fd.rnet", FT_IPNET, FA_NONE, 0, get_fd_rnet, "remote address, compared with networks"),
	F("fd.sip.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs DNS resolution, which vigil does not do"),
	F("fd.cip.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs DNS resolution"),
	F("fd.lip.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs DNS resolution"),
	F("fd.rip.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs DNS resolution"),
	F("fd.l4proto", FT_STRING, FA_NONE, 0, get_fd_l4proto, "tcp, udp, icmp or raw"),
	F("fd.sockfamily", FT_STRING, FA_NONE, 0, get_fd_sockfamily, "ip or unix"),
	F("fd.ino", FT_UINT, FA_NONE, 0, get_fd_ino, "inode number"),
	F("fd.dev", FT_UINT, FA_NONE, 0, get_fd_dev, "device number"),
	/* containers */
	F("container.id", FT_STRING, FA_NONE, 0, get_container_id, "12-character container id, or 'host'"),
	F("container.full_id", FT_STRING, FA_NONE, 0, get_container_full_id, "full container id, or 'host'"),
	F("container.name", FT_STRING, FA_NONE, 0, get_container_name, "'host' on the host; <NA> in containers (needs a runtime)"),
	F("container.type", FT_STRING, FA_NONE, 0, get_container_type, "runtime: docker, containerd, cri-o, podman; 'host' on the host"),
	F("container.image", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs a container runtime"),
	F("container.image.repository", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs a container runtime"),
	F("container.image.tag", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs a container runtime"),
	F("container.privileged", FT_BOOL, FA_NONE, 0, get_container_privileged, "in a container, running with every capability"),
	F("container.start_ts", FT_ABSTIME, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs a container runtime"),
	F("k8s.ns.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs the Kubernetes API"),
	F("k8s.pod.name", FT_STRING, FA_NONE, 0, get_unknown_to_vigil, "<NA>: needs the Kubernetes API"),
	F("k8s.pod.uid", FT_STRING, FA_NONE, 0, get_k8s_pod_uid, "pod UID, from the cgroup path"),
};

const struct field_def *field_table(size_t *n)
{
	*n = ARRAY_SIZE(fields);
	return fields;
}

bool field_is_evt_type(const struct field_ref *ref)
{
	return ref->def->get == get_evt_type;
}

int field_resolve(const char *name, const char *bracket, struct field_ref *ref, char *err, size_t n)
{
	const struct field_def *best = NULL;
	size_t best_len = 0;

	memset(ref, 0, sizeof(*ref));
	ref->index = -1;
	ref->argnum = -1;
	/* exact name, or for FA_NAME fields a prefix followed by ".arg" (evt.arg.flags) */
	for (size_t k = 0; k < ARRAY_SIZE(fields); k++) {
		size_t l = strlen(fields[k].name);

		if (strcmp(name, fields[k].name) == 0) {
			best = &fields[k];
			best_len = l;
			break;
		}
		if (fields[k].arg == FA_NAME && strncmp(name, fields[k].name, l) == 0 && name[l] == '.' &&
		    name[l + 1] && l > best_len) {
			best = &fields[k];
			best_len = l;
		}
	}
	if (!best) {
		vg_snprintf(err, n, "unknown field '%s'", name);
		return -1;
	}
	ref->def = best;
	const char *dotarg = name[best_len] == '.' ? name + best_len + 1 : NULL;

	switch (best->arg) {
	case FA_NONE:
		if (bracket) {
			vg_snprintf(err, n, "field '%s' takes no argument", name);
			return -1;
		}
		return 0;
	case FA_INDEX: {
		if (!bracket)
			return 0;  /* FF_ANY: any ancestor */
		char *end;
		long v = strtol(bracket, &end, 10);

		if (!bracket[0] || *end || v < 0 || v > 64) {
			vg_snprintf(err, n, "field '%s' wants a number from 0 to 64 in brackets, not '%s'", name, bracket);
			return -1;
		}
		ref->index = (int)v;
		return 0;
	}
	case FA_NAME: {
		const char *a = dotarg ? dotarg : bracket;

		if (dotarg && bracket) {
			vg_snprintf(err, n, "field '%s' has two arguments", name);
			return -1;
		}
		if (!a || !a[0]) {
			vg_snprintf(err, n, "field '%s' needs an argument (%s.NAME or %s[N])", name, best->name,
				    best->name);
			return -1;
		}
		char *end;
		long v = strtol(a, &end, 10);

		if (!*end && v >= 0 && v < 16)
			ref->argnum = (int)v;
		else
			ref->name = a;
		return 0;
	}
	}
	return 0;
}

const char *ftype_name(enum ftype t)
{
	switch (t) {
	case FT_STRING: return "string";
	case FT_INT: return "signed number";
	case FT_UINT: return "number";
	case FT_BOOL: return "boolean";
	case FT_IPADDR: return "IP address";
	case FT_IPNET: return "IP network";
	case FT_RELTIME: return "duration";
	case FT_ABSTIME: return "time";
	}
	return "?";
}

size_t fval_format(const struct fval *v, char *buf, size_t n)
{
	char ip[64];

	switch (v->type) {
	case FT_STRING: return vg_snprintf(buf, n, "%.*s", (int)v->str.len, v->str.s);
	case FT_INT: return vg_snprintf(buf, n, "%lld", (long long)v->i);
	case FT_UINT:
	case FT_RELTIME: return vg_snprintf(buf, n, "%llu", (unsigned long long)v->u);
	case FT_BOOL: return vg_snprintf(buf, n, "%s", v->b ? "true" : "false");
	case FT_ABSTIME:
		time_rfc3339(v->u, buf, n);
		return strlen(buf);
	case FT_IPADDR:
	case FT_IPNET:
		inet_ntop(v->ip.family == 4 ? AF_INET : AF_INET6, v->ip.a, ip, sizeof(ip));
		return vg_snprintf(buf, n, "%s", ip);
	}
	return 0;
}
