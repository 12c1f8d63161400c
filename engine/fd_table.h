/*
 * fd_table.h - what each fd of a process refers to, as far as the events
 * have shown it: file paths, socket endpoints, pipes.
 *
 * The kernel reports, with every fd-related syscall, the fd's inode and, for
 * sockets, its addresses (vg_fdinfo), but not file paths: those come from
 * the open that created the fd. This table remembers them. Entries are
 * checked against the inode the kernel reports, so an fd number that was
 * closed and reused without the agent seeing it is never given a stale
 * name. Entries are immutable and reference-counted (dup and fork share
 * them).
 */
#ifndef VIGIL_FD_TABLE_H
#define VIGIL_FD_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "u64map.h"
#include "vigil_abi.h"

/* Falco's fd types; fd_type_letter / fd_type_name give its letters and names */
enum fd_type {
	FDT_UNKNOWN = 0, FDT_FILE, FDT_DIR, FDT_IPV4, FDT_IPV6, FDT_UNIX, FDT_PIPE,
	FDT_EVENT, FDT_SIGNALFD, FDT_EVENTPOLL, FDT_INOTIFY, FDT_TIMERFD, FDT_NETLINK,
	FDT_BPF, FDT_USERFAULTFD, FDT_IO_URING, FDT_MEMFD, FDT_PIDFD,
};

/* fd_entry.flags */
#define FDE_SERVER   0x01   /* a socket on the accepting side (the peer is the client) */
#define FDE_CONNECTED 0x02  /* a connected socket */

struct fd_entry {
	int refs;
	uint8_t type;           /* enum fd_type */
	uint8_t flags;          /* FDE_* */
	uint32_t open_flags;    /* flags of the open that created it */
	uint64_t ino;           /* 0 when unknown */
	uint32_t dev;
	struct vg_sock sock;    /* sockets: family, protocol, addresses */
	char name[];            /* path, "cip:cport->sip:sport", "pipe:[ino]"... */
};

struct fd_table {
	struct u64map map;      /* fd -> struct fd_entry * */
};

struct fd_entry *fd_entry_new(enum fd_type type, const char *name);
struct fd_entry *fd_entry_ref(struct fd_entry *e);
void fd_entry_unref(struct fd_entry *e);

/* an entry for a socket, named from its addresses */
struct fd_entry *fd_entry_socket(const struct vg_sock *s, const char *unix_path, bool server);

struct fd_entry *fd_table_get(const struct fd_table *t, int fd);   /* borrowed */
void fd_table_put(struct fd_table *t, int fd, struct fd_entry *e); /* takes e's reference */
void fd_table_del(struct fd_table *t, int fd);
void fd_table_copy(struct fd_table *dst, const struct fd_table *src);
void fd_table_clear(struct fd_table *t);

/* "f", "4", ... as fd.typechar prints it */
const char *fd_type_letter(enum fd_type t);
const char *fd_type_name(enum fd_type t);
/* the fd type of a socket family (AF_INET -> FDT_IPV4 ...) */
enum fd_type fd_type_of_family(int family);
/* the fd type from /proc/PID/fd link text ("socket:[1]", "anon_inode:[eventfd]", "/path") */
enum fd_type fd_type_of_link(const char *link);

/* "1.2.3.4" / "::1" into buf (at least 46 bytes) */
void fd_format_addr(int family, const uint8_t addr[16], char *buf, size_t n);

#endif /* VIGIL_FD_TABLE_H */
