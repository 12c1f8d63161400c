/*
 * fd_table.c - per-process fd cache: entries, naming, type letters.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "fd_table.h"
#include "util.h"

struct fd_entry *fd_entry_new(enum fd_type type, const char *name)
{
	size_t n = strlen(name);
	struct fd_entry *e = vg_calloc(1, sizeof(*e) + n + 1);

	e->refs = 1;
	e->type = type;
	memcpy(e->name, name, n + 1);
	return e;
}

struct fd_entry *fd_entry_ref(struct fd_entry *e)
{
	if (e)
		e->refs++;
	return e;
}

void fd_entry_unref(struct fd_entry *e)
{
	if (e && --e->refs == 0)
		free(e);
}

void fd_format_addr(int family, const uint8_t addr[16], char *buf, size_t n)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, n))
		vg_snprintf(buf, n, "?");
}

enum fd_type fd_type_of_family(int family)
{
	switch (family) {
	case AF_INET: return FDT_IPV4;
	case AF_INET6: return FDT_IPV6;
	case AF_UNIX: return FDT_UNIX;
	case AF_NETLINK: return FDT_NETLINK;
	default: return FDT_UNKNOWN;
	}
}

struct fd_entry *fd_entry_socket(const struct vg_sock *s, const char *unix_path, bool server)
{
	char name[160], l[48], r[48];
	enum fd_type t = fd_type_of_family(s->family);
	struct fd_entry *e;

	if (t == FDT_IPV4 || t == FDT_IPV6) {
		fd_format_addr(s->family, s->laddr, l, sizeof(l));
		fd_format_addr(s->family, s->raddr, r, sizeof(r));
		/* Falco names sockets client->server */
		if (server)
			vg_snprintf(name, sizeof(name), "%s:%u->%s:%u", r, s->rport, l, s->lport);
		else
			vg_snprintf(name, sizeof(name), "%s:%u->%s:%u", l, s->lport, r, s->rport);
	} else if (t == FDT_UNIX) {
		vg_snprintf(name, sizeof(name), "%s", unix_path ? unix_path : "");
	} else {
		name[0] = 0;
	}
	e = fd_entry_new(t == FDT_UNKNOWN ? FDT_UNKNOWN : t, name);
	e->sock = *s;
	if (server)
		e->flags |= FDE_SERVER;
	if (s->rport || (s->family == AF_UNIX && unix_path && unix_path[0]))
		e->flags |= FDE_CONNECTED;
	return e;
}

struct fd_entry *fd_table_get(const struct fd_table *t, int fd)
{
	return u64map_get(&t->map, (uint32_t)fd);
}

void fd_table_put(struct fd_table *t, int fd, struct fd_entry *e)
{
	fd_entry_unref(u64map_put(&t->map, (uint32_t)fd, e));
}

void fd_table_del(struct fd_table *t, int fd)
{
	fd_entry_unref(u64map_del(&t->map, (uint32_t)fd));
}

void fd_table_copy(struct fd_table *dst, const struct fd_table *src)
{
	size_t it = 0;
	uint64_t k;
	void *v;

	while (u64map_next(&src->map, &it, &k, &v))
		fd_table_put(dst, (int)k, fd_entry_ref(v));
}

void fd_table_clear(struct fd_table *t)
{
	size_t it = 0;
	void *v;

	while (u64map_next(&t->map, &it, NULL, &v))
		fd_entry_unref(v);
	u64map_free(&t->map);
}

static const struct {
	const char *letter;
	const char *name;
} types[] = {
	[FDT_UNKNOWN] = { "o", "<NA>" },
	[FDT_FILE] = { "f", "file" },
	[FDT_DIR] = { "d", "directory" },
	[FDT_IPV4] = { "4", "ipv4" },
	[FDT_IPV6] = { "6", "ipv6" },
	[FDT_UNIX] = { "u", "unix" },
	[FDT_PIPE] = { "p", "pipe" },
	[FDT_EVENT] = { "e", "event" },
	[FDT_SIGNALFD] = { "s", "signalfd" },
	[FDT_EVENTPOLL] = { "l", "eventpoll" },
	[FDT_INOTIFY] = { "i", "inotify" },
	[FDT_TIMERFD] = { "t", "timerfd" },
	[FDT_NETLINK] = { "n", "netlink" },
	[FDT_BPF] = { "b", "bpf" },
	[FDT_USERFAULTFD] = { "u", "userfaultfd" },
	[FDT_IO_URING] = { "r", "io_uring" },
	[FDT_MEMFD] = { "m", "memfd" },
	[FDT_PIDFD] = { "P", "pidfd" },
};

const char *fd_type_letter(enum fd_type t)
{
	return (size_t)t < ARRAY_SIZE(types) ? types[t].letter : "o";
}

const char *fd_type_name(enum fd_type t)
{
	return (size_t)t < ARRAY_SIZE(types) ? types[t].name : "<NA>";
}

enum fd_type fd_type_of_link(const char *link)
{
	static const struct {
		const char *prefix;
		enum fd_type t;
	} anon[] = {
		{ "pipe:", FDT_PIPE },
		{ "anon_inode:[eventfd]", FDT_EVENT },
		{ "anon_inode:[signalfd]", FDT_SIGNALFD },
		{ "anon_inode:[eventpoll]", FDT_EVENTPOLL },
		{ "anon_inode:inotify", FDT_INOTIFY },
		{ "anon_inode:[timerfd]", FDT_TIMERFD },
		{ "anon_inode:bpf", FDT_BPF },
		{ "anon_inode:[userfaultfd]", FDT_USERFAULTFD },
		{ "anon_inode:[io_uring]", FDT_IO_URING },
		{ "anon_inode:[pidfd]", FDT_PIDFD },
		{ "/memfd:", FDT_MEMFD },
	};

	for (size_t i = 0; i < ARRAY_SIZE(anon); i++)
		if (str_starts(link, anon[i].prefix))
			return anon[i].t;
	if (link[0] == '/')
		return FDT_FILE;
	return FDT_UNKNOWN;
}
