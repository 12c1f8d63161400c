/*
 * decode.c - record validation, table updates, and event enrichment.
 *
 * Order matters within one record: paths are resolved against the state
 * before the syscall (the cwd a chdir started from, the dirfd as it was),
 * then the syscall's effect is applied (a new fd, a new cwd), then the
 * event takes its references.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "decode.h"
#include "evttype.h"
#include "fd_table.h"
#include "path_resolve.h"
#include "procfs.h"
#include "sockaddr.h"
#include "syscall_table.h"
#include "util.h"

void decoder_init(struct decoder *d, const char *node, size_t max_procs, bool live)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->node, sizeof(d->node), "%s", node);
	proc_table_init(&d->procs, node, max_procs, live);
	d->boot_wall_ns = procfs_boot_wall_ns();
	d->next_num = 1;
}

void decoder_free(struct decoder *d)
{
	proc_table_free(&d->procs);
}

void event_release(struct event *ev)
{
	proc_unref(ev->proc);
	fd_entry_unref(ev->fd);
	ev->proc = NULL;
	ev->fd = NULL;
}

/* --- validation -------------------------------------------------------------------- */

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case VG_EV_EXEC: return "exec";
	case VG_EV_FORK: return "fork";
	case VG_EV_EXIT: return "exit";
	case VG_EV_SYSCALL: return "syscall";
	case VG_EV_TCP: return "tcp";
	case VG_EV_ENFORCE: return "enforce";
	case VG_EV_PROC_SNAPSHOT: return "proc snapshot";
	case VG_EV_NODE_INFO: return "node info";
	case VG_EV_FD_SNAPSHOT: return "fd snapshot";
	default: return NULL;
	}
}

/* each string: NUL-terminated within its length (or empty); a name starting with '*' is not a string */
static int check_strings(const char *what, const uint8_t *p, const uint16_t *lens, const char *const *names,
			 int n, size_t room, char *err, size_t errlen)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		bool bytes = names[i][0] == '*';

		if (lens[i] > room - off) {
			vg_snprintf(err, errlen, "%s record: %s (%u bytes) runs past the record end (%zu bytes left)",
				    what, names[i] + bytes, lens[i], room - off);
			return -1;
		}
		if (!bytes && lens[i] && p[off + lens[i] - 1] != 0) {
			vg_snprintf(err, errlen, "%s record: %s is not NUL-terminated", what, names[i]);
			return -1;
		}
		off += lens[i];
	}
	return 0;
}

int record_validate(const void *rec, size_t len, char *err, size_t n)
{
	const struct vg_hdr *h = rec;
	static const size_t min_size[] = {
		[VG_EV_EXEC] = sizeof(struct vg_exec),
		[VG_EV_FORK] = sizeof(struct vg_fork),
		[VG_EV_EXIT] = sizeof(struct vg_exit),
		[VG_EV_SYSCALL] = sizeof(struct vg_syscall),
		[VG_EV_TCP] = sizeof(struct vg_tcp),
		[VG_EV_ENFORCE] = sizeof(struct vg_enforce),
	};
	const char *what;
	size_t need;

	err[0] = 0;
	if (len < sizeof(*h)) {
		vg_snprintf(err, n, "record of %zu bytes is shorter than a record header (%zu)", len, sizeof(*h));
		return -1;
	}
	what = kind_name(h->kind);
	if (!what) {
		vg_snprintf(err, n, "record kind %u is unknown", h->kind);
		return -1;
	}
	if (h->size != len) {
		vg_snprintf(err, n, "%s record: size field %u differs from its length %zu", what, h->size, len);
		return -1;
	}
	switch (h->kind) {
	case VG_EV_PROC_SNAPSHOT: need = sizeof(struct vg_exec); break;
	case VG_EV_NODE_INFO: need = sizeof(struct vg_node_info); break;
	case VG_EV_FD_SNAPSHOT: need = sizeof(struct vg_fd_snapshot); break;
	default: need = min_size[h->kind]; break;
	}
	if (len < need) {
		vg_snprintf(err, n, "%s record: %zu bytes, shorter than its fixed part (%zu)", what, len, need);
		return -1;
	}
	switch (h->kind) {
	case VG_EV_EXEC:
	case VG_EV_PROC_SNAPSHOT: {
		const struct vg_exec *e = rec;
		uint16_t lens[] = { e->exe_len, e->args_len, e->cwd_len, e->cgroup_len, e->filename_len };
		static const char *const names[] = { "exe_len", "*args_len", "cwd_len", "cgroup_len", "filename_len" };

		return check_strings(what, e->data, lens, names, 5, len - sizeof(*e), err, n);
	}
	case VG_EV_SYSCALL: {
		const struct vg_syscall *s = rec;
		uint16_t lens[] = { s->str_len[0], s->str_len[1], s->str_len[2], s->sa_len, s->real_len };
		static const char *const names[] = { "str_len[0]", "str_len[1]", "str_len[2]", "*sa_len",
						      "real_len" };

		if (s->nr >= VG_MAX_SYSCALLS) {
			vg_snprintf(err, n, "syscall record: nr %u is out of range", s->nr);
			return -1;
		}
		return check_strings(what, s->data, lens, names, 5, len - sizeof(*s), err, n);
	}
	case VG_EV_ENFORCE: {
		const struct vg_enforce *e = rec;

		if (e->len > len - sizeof(*e)) {
			vg_snprintf(err, n, "enforce record: len (%u) runs past the record end", e->len);
			return -1;
		}
		return 0;
	}
	case VG_EV_FD_SNAPSHOT: {
		const struct vg_fd_snapshot *f = rec;
		uint16_t lens[] = { f->len };
		static const char *const names[] = { "len" };

		return check_strings(what, f->data, lens, names, 1, len - sizeof(*f), err, n);
	}
	case VG_EV_NODE_INFO: {
		const struct vg_node_info *ni = rec;

		if (!memchr(ni->node_name, 0, sizeof(ni->node_name)) ||
		    !memchr(ni->kernel_release, 0, sizeof(ni->kernel_release))) {
			vg_snprintf(err, n, "node info record: node_name or kernel_release is not NUL-terminated");
			return -1;
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* --- fds -------------------------------------------------------------------------------- */

static enum fd_type type_of_ftype(uint8_t ft)
{
	switch (ft) {
	case VG_FT_DIR: return FDT_DIR;
	case VG_FT_FIFO: return FDT_PIPE;
	case VG_FT_ANON: return FDT_UNKNOWN;
	default: return FDT_FILE;
	}
}

/* tell a recorder what was learnt from /proc, as a VG_EV_FD_SNAPSHOT record */
static void note_fd_from_procfs(struct decoder *d, uint32_t pid, const struct vg_fdinfo *fi, int fd,
				const char *link)
{
	struct proc_table *t = &d->procs;
	size_t n = strlen(link) + 1;
	struct vg_fd_snapshot *r;

	if (!t->on_procfs)
		return;
	r = vg_calloc(1, sizeof(*r) + n);
	r->h.kind = VG_EV_FD_SNAPSHOT;
	r->h.size = sizeof(*r) + n;
	r->h.pid = r->h.tid = pid;
	if (fi)
		r->fdinfo = *fi;
	r->fdinfo.fd = fd;
	r->len = n;
	memcpy(r->data, link, n);
	t->on_procfs(t->on_procfs_ctx, r, r->h.size);
	free(r);
}

/* an entry named by a /proc/PID/fd link, typed by the kernel's fdinfo where it says more */
static struct fd_entry *entry_from_link(const char *link, const struct vg_fdinfo *fi)
{
	enum fd_type t = fd_type_of_link(link);
	struct fd_entry *e;

	if ((t == FDT_FILE || t == FDT_UNKNOWN) && fi && fi->ftype != VG_FT_NONE && fi->ftype != VG_FT_ANON)
		t = type_of_ftype(fi->ftype);
	e = fd_entry_new(t, link);
	if (fi) {
		e->ino = fi->ino;
		e->dev = fi->dev;
	}
	return e;
}

/* an entry for what the kernel says fd is, named from /proc when live */
static struct fd_entry *entry_from_kernel(struct decoder *d, uint32_t pid, const struct vg_fdinfo *fi)
{
	struct fd_entry *e;
	char link[VG_PATH_MAX];

	if (fi->ftype == VG_FT_SOCK) {
		e = fd_entry_socket(&fi->sock, NULL, false);
	} else if (d->procs.live && procfs_fd_link(pid, fi->fd, fi->ino, link, sizeof(link))) {
		note_fd_from_procfs(d, pid, fi, fi->fd, link);
		return entry_from_link(link, fi);
	} else {
		e = fd_entry_new(type_of_ftype(fi->ftype), "");
	}
	e->ino = fi->ino;
	e->dev = fi->dev;
	return e;
}

/*
 * Whether the kernel's view of a socket (now) differs from an entry's (have).
 * The kernel knows no peer for an unconnected datagram socket (rport 0);
 * the entry's peer is then the address it last sent to, which only the
 * entry knows, so only the local end is compared.
 */
static bool sock_changed(const struct vg_sock *have, const struct vg_sock *now)
{
	if (!now->rport)
		return have->family != now->family || have->lport != now->lport ||
		       memcmp(have->laddr, now->laddr, sizeof(now->laddr)) != 0;
	return memcmp(have, now, sizeof(*now)) != 0;
}

/*
 * The table's entry for fd, checked against what the kernel reported for it
 * (fi, when it describes this fd): a stale or missing entry is rebuilt.
 * Returns a borrowed entry or NULL.
 */
static struct fd_entry *fd_lookup(struct decoder *d, struct proc_slot *s, uint32_t pid, int fd,
				  const struct vg_fdinfo *fi)
{
	struct fd_entry *e = fd_table_get(&s->fds, fd);
	char link[VG_PATH_MAX];

	if (fi && fi->ftype != VG_FT_NONE && fi->fd == fd) {
		if (e && e->ino == fi->ino && e->dev == fi->dev) {
			/* a socket's addresses change (bind, connect): keep them current */
			if (fi->ftype == VG_FT_SOCK && sock_changed(&e->sock, &fi->sock) && fi->sock.family != AF_UNIX) {
				struct fd_entry *n = fd_entry_socket(&fi->sock, NULL, e->flags & FDE_SERVER);

				n->ino = e->ino;
				n->dev = e->dev;
				n->open_flags = e->open_flags;
				fd_table_put(&s->fds, fd, n);
				e = n;
			}
			return e;
		}
		e = entry_from_kernel(d, pid, fi);
		fd_table_put(&s->fds, fd, e);
		return e;
	}
	if (!e && d->procs.live && procfs_fd_link(pid, fd, 0, link, sizeof(link))) {
		note_fd_from_procfs(d, pid, NULL, fd, link);
		e = entry_from_link(link, NULL);
		fd_table_put(&s->fds, fd, e);
	}
	return e;
}

/* the path a dirfd names, or NULL */
static const char *dirfd_path(struct decoder *d, struct proc_slot *s, uint32_t pid, int dfd)
{
	struct fd_entry *e = fd_lookup(d, s, pid, dfd, NULL);

	return e && e->name[0] == '/' ? e->name : NULL;
}

/* --- syscalls ---------------------------------------------------------------------------- */

static void resolve_paths(struct decoder *d, struct event *ev, struct proc_slot *s, struct arena *a)
{
	const struct sc_info *si = ev->si;
	int n = 0;

	if (!si)
		return;
	for (int i = 0; i < si->nargs && n < 2; i++) {
		const struct sc_arg *arg = &si->args[i];
		const char *raw, *base = NULL;

		if (arg->fmt != AF_PATH || arg->str < 0 || arg->str > 2)
			continue;
		raw = ev->str[(int)arg->str];
		if (!raw)
			continue;
		if (raw[0] != '/') {
			int dfd = arg->dirfd >= 0 ? (int)ev->sc->args[(int)arg->dirfd] : AT_FDCWD;

			base = dfd == AT_FDCWD ? s->cur->cwd : dirfd_path(d, s, ev->pid, dfd);
		}
		size_t cap = VG_PATH_MAX * 2 + 2;
		char *out = arena_alloc(a, cap);

		ev->path[n++] = path_resolve(base, raw, out, cap) ? out : NULL;
	}
}

static uint32_t open_flags_of(const struct vg_syscall *sc)
{
	switch (sc->nr) {
	case SYS_open: return sc->args[1];
	case SYS_openat: return sc->args[2];
	case SYS_openat2: return sc->args[2];
	case SYS_creat: return O_CREAT | O_WRONLY | O_TRUNC;
	default: return 0;
	}
}

/* apply the syscall's effect on fds and cwd; set ev->fd where the call decides it */
static void apply_syscall(struct decoder *d, struct event *ev, struct proc_slot *s)
{
	const struct vg_syscall *sc = ev->sc;
	const struct vg_fdinfo *fi = &sc->fdinfo;
	long ret = sc->ret;
	struct fd_entry *e;
	struct sockaddr_info sai;

	switch (sc->nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
	case SYS_creat: {
		/* the file opened, wherever symlinks and dirfds led; for a failed open, the path asked for */
		const char *name = ev->real_path ? ev->real_path :
				   ev->path[0] ? ev->path[0] : (ev->str[0] ? ev->str[0] : "");

		e = fd_entry_new(fi->ftype == VG_FT_DIR ? FDT_DIR : FDT_FILE, name);
		e->open_flags = open_flags_of(sc);
		if (ret >= 0) {
			e->ino = fi->ino;
			e->dev = fi->dev;
			fd_table_put(&s->fds, ret, fd_entry_ref(e));
		}
		ev->fd = e;  /* a failed open still names the file it tried */
		return;
	}
	case SYS_memfd_create:
		if (ret >= 0) {
			char name[VG_PATH_MAX + 8];

			vg_snprintf(name, sizeof(name), "memfd:%s", ev->str[0] ? ev->str[0] : "");
			e = fd_entry_new(FDT_MEMFD, name);
			e->ino = fi->ino;
			e->dev = fi->dev;
			fd_table_put(&s->fds, ret, e);
		}
		return;
	case SYS_userfaultfd:
		if (ret >= 0) {
			e = fd_entry_new(FDT_USERFAULTFD, "");
			e->ino = fi->ino;
			e->dev = fi->dev;
			fd_table_put(&s->fds, ret, e);
		}
		return;
	case SYS_socket:
	case SYS_accept:
	case SYS_accept4:
		if (ret >= 0 && fi->ftype == VG_FT_SOCK) {
			e = fd_entry_socket(&fi->sock, NULL, sc->nr != SYS_socket);
			e->ino = fi->ino;
			e->dev = fi->dev;
			fd_table_put(&s->fds, ret, e);
		}
		return;
	case SYS_connect:
	case SYS_bind:
	case SYS_listen:
	case SYS_sendto:
	case SYS_sendmsg: {
		struct fd_entry *old = fd_table_get(&s->fds, fi->fd);
		struct vg_sock so = fi->sock;
		bool server = sc->nr == SYS_listen || sc->nr == SYS_bind || (old && (old->flags & FDE_SERVER));
		const char *upath = NULL;

		if (fi->ftype != VG_FT_SOCK)
			return;
		if (ev->sa && sockaddr_decode(ev->sa, ev->sa_len, &sai)) {
			if (sai.family == AF_UNIX)
				upath = sai.path;
			else if ((sc->nr == SYS_sendto || sc->nr == SYS_sendmsg) && !so.rport &&
				 (sai.family == AF_INET || sai.family == AF_INET6)) {
				/* an unconnected datagram socket: the peer is the address given */
				memcpy(so.raddr, sai.addr, 16);
				so.rport = sai.port;
			}
		}
		if (!upath && old && old->type == FDT_UNIX)
			upath = old->name;
		e = fd_entry_socket(&so, upath, server);
		e->ino = fi->ino;
		e->dev = fi->dev;
		ev->fd_name_changed = !old || strcmp(old->name, e->name) != 0;
		fd_table_put(&s->fds, fi->fd, e);
		return;
	}
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
		if (ret >= 0) {
			struct vg_fdinfo old = *fi;

			old.fd = sc->args[0];  /* the new fd shares the old one's file */
			e = fd_lookup(d, s, ev->pid, old.fd, &old);
			if (e)
				fd_table_put(&s->fds, ret, fd_entry_ref(e));
		}
		return;
	case SYS_close:
		ev->fd = fd_entry_ref(fd_lookup(d, s, ev->pid, fi->fd, fi));
		if (ret == 0)
			fd_table_del(&s->fds, fi->fd);
		return;
	case SYS_chdir:
		if (ret == 0 && ev->path[0])
			proc_table_set_cwd(&d->procs, ev->pid, ev->path[0]);
		return;
	case SYS_fchdir:
		if (ret == 0) {
			const char *p = dirfd_path(d, s, ev->pid, (int)sc->args[0]);

			if (p)
				proc_table_set_cwd(&d->procs, ev->pid, p);
		}
		return;
	default:
		return;
	}
}

/*
 * The kernel reaches /proc/self/X as /proc/PID/X. Rules tell a process's own
 * /proc entries from another's by that "self" (reading one's own environ is
 * nothing, another's is credential access), so the caller's own entry keeps
 * the form: PID is its pid as the host or its own pid namespace numbers it.
 */
static const char *proc_self_form(const char *path, uint32_t pid, uint32_t vpid, struct arena *a)
{
	char *end;
	unsigned long n;

	if (strncmp(path, "/proc/", 6) != 0 || path[6] < '1' || path[6] > '9')
		return path;
	n = strtoul(path + 6, &end, 10);
	if ((*end != '/' && *end != 0) || (n != pid && n != vpid))
		return path;
	size_t rest = strlen(end);
	char *out = arena_alloc(a, sizeof("/proc/self") + rest);

	memcpy(out, "/proc/self", sizeof("/proc/self") - 1);
	memcpy(out + sizeof("/proc/self") - 1, end, rest + 1);
	return out;
}

static void decode_syscall(struct decoder *d, const struct vg_syscall *sc, struct event *ev, struct arena *a)
{
	const uint8_t *p = sc->data;
	struct proc_slot *s;

	ev->kind = EV_SYSCALL;
	ev->type = sc->nr;
	ev->sc = sc;
	ev->si = sc_info(sc->nr);
	ev->creds = &sc->creds;
	for (int i = 0; i < 3; i++) {
		ev->str[i] = sc->str_len[i] ? (const char *)p : NULL;
		p += sc->str_len[i];
	}
	if (sc->sa_len) {
		ev->sa = p;
		ev->sa_len = sc->sa_len;
		p += sc->sa_len;
	}
	/* "/" alone is what the walk gives for a file on an internal mount (a namespace file) */
	if (sc->real_len && p[0] == '/' && p[1])
		ev->real_path = (const char *)p;
	ev->fd_num = sc->fdinfo.fd;  /* -1 when the call has no fd or returned none */
	s = proc_table_slot(&d->procs, sc->h.pid);
	if (ev->real_path)
		ev->real_path = proc_self_form(ev->real_path, sc->h.pid, s->cur ? s->cur->task.vpid : 0, a);
	resolve_paths(d, ev, s, a);
	if (!ev->path[0] && ev->real_path)
		ev->path[0] = ev->real_path;  /* relative to a dirfd the table could not name */
	apply_syscall(d, ev, s);
	/* apply may have replaced the image (chdir): take the slot's current one */
	s = proc_table_slot(&d->procs, sc->h.pid);
	if (!ev->fd && ev->fd_num >= 0)
		ev->fd = fd_entry_ref(fd_lookup(d, s, ev->pid, ev->fd_num, &sc->fdinfo));
	ev->proc = proc_ref(s->cur);
}

/* --- records ---------------------------------------------------------------------------- */

int decode_record(struct decoder *d, const void *rec, size_t len, struct event *ev, struct arena *a)
{
	const struct vg_hdr *h = rec;

	if (record_validate(rec, len, d->error, sizeof(d->error)) < 0) {
		d->bad_records++;
		return -1;
	}
	d->records++;
	memset(ev, 0, sizeof(*ev));
	ev->hdr = h;
	ev->ts = h->ts;
	ev->pid = h->pid;
	ev->tid = h->tid;
	ev->fd_num = -1;

	switch (h->kind) {
	case VG_EV_NODE_INFO: {
		const struct vg_node_info *ni = rec;

		snprintf(d->node, sizeof(d->node), "%s", ni->node_name);
		snprintf(d->procs.node, sizeof(d->procs.node), "%s", ni->node_name);
		d->boot_wall_ns = ni->boot_wall_ns;
		return 0;
	}
	case VG_EV_PROC_SNAPSHOT:
		proc_table_exec(&d->procs, rec);
		return 0;
	case VG_EV_FD_SNAPSHOT: {
		const struct vg_fd_snapshot *f = rec;
		struct proc_slot *s = proc_table_slot(&d->procs, h->pid);
		const char *link = f->len ? (const char *)f->data : "";

		fd_table_put(&s->fds, f->fdinfo.fd, f->fdinfo.ftype == VG_FT_SOCK ?
			     fd_entry_socket(&f->fdinfo.sock, NULL, false) : entry_from_link(link, &f->fdinfo));
		return 0;
	}
	case VG_EV_EXEC: {
		const struct vg_exec *e = rec;
		struct proc *p = proc_table_exec(&d->procs, e);

		ev->kind = EV_EXEC;
		ev->type = e->syscall_nr == SYS_execveat ? SYS_execveat : SYS_execve;
		ev->proc = proc_ref(p);
		ev->creds = &p->task.creds;
		break;
	}
	case VG_EV_FORK: {
		struct proc *p = proc_table_fork(&d->procs, rec);

		ev->kind = EV_FORK;
		ev->type = EVT_PROCFORK;
		ev->proc = proc_ref(p);
		ev->creds = &p->task.creds;
		break;
	}
	case VG_EV_EXIT: {
		const struct vg_exit *x = rec;
		struct proc *p = proc_table_exit(&d->procs, h->pid);

		if (!p) {
			proc_table_slot(&d->procs, h->pid);
			p = proc_table_exit(&d->procs, h->pid);
		}
		ev->kind = EV_EXIT;
		ev->type = EVT_PROCEXIT;
		ev->proc = p;
		ev->creds = &p->task.creds;
		ev->exit_status = x->status;
		break;
	}
	case VG_EV_SYSCALL:
		decode_syscall(d, rec, ev, a);
		break;
	case VG_EV_TCP: {
		const struct vg_tcp *t = rec;
		/* the kernel may finish a close after its owner exited */
		struct proc *p = proc_table_recent(&d->procs, h->pid);

		if (!p)
			p = proc_table_slot(&d->procs, h->pid)->cur;
		ev->kind = EV_TCP;
		ev->type = t->kind == VG_TCP_CONNECT ? EVT_TCP_CONNECT :
			   t->kind == VG_TCP_ACCEPT ? EVT_TCP_ACCEPT : EVT_TCP_CLOSE;
		ev->proc = proc_ref(p);
		ev->creds = &p->task.creds;
		break;
	}
	case VG_EV_ENFORCE: {
		const struct vg_enforce *en = rec;
		struct proc *p = proc_table_recent(&d->procs, h->pid);

		if (!p)
			p = proc_table_slot(&d->procs, h->pid)->cur;
		ev->kind = EV_ENFORCE;
		ev->type = en->nr < VG_MAX_SYSCALLS ? (int)en->nr : en->nr == VG_HOOK_EXEC ||
			   en->nr == VG_HOOK_BPRM_CHECK ? SYS_execve : en->nr == VG_HOOK_FILE_OPEN ? SYS_openat :
			   SYS_connect;
		ev->proc = proc_ref(p);
		ev->creds = &en->creds;
		/* what it matched on: a path, or (family, port, address) */
		if (en->len == 19 && (en->data[0] == 4 || en->data[0] == 6)) {
			struct vg_sock so = { .family = en->data[0] == 4 ? AF_INET : AF_INET6, .proto = IPPROTO_TCP };

			so.rport = en->data[1] << 8 | en->data[2];
			memcpy(so.raddr, en->data + 3, 16);
			ev->fd = fd_entry_socket(&so, NULL, false);
		} else if (en->len && en->data[en->len - 1] == 0) {
			ev->path[0] = (const char *)en->data;
			ev->fd = fd_entry_new(FDT_FILE, ev->path[0]);
		}
		break;
	}
	}
	ev->num = d->next_num++;
	return 1;
}
