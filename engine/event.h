/*
 * event.h - a decoded, enriched event: the raw kernel record plus what the
 * process and fd tables know about it. This is what rules evaluate, what
 * the JSON writer prints and what alerts describe.
 *
 * An event holds references (its process image, its fd entry), so it stays
 * valid after the tables move on; strings it computed (absolute paths) live
 * in the arena it was decoded with.
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include "vigil_abi.h"

struct proc;
struct fd_entry;
struct sc_info;

enum event_kind { EV_EXEC, EV_FORK, EV_EXIT, EV_SYSCALL, EV_TCP, EV_ENFORCE };

struct event {
	uint64_t num;                 /* position in the stream, from 1 (evt.num) */
	enum event_kind kind;
	int type;                     /* event type id (evttype.h) */
	uint64_t ts;                  /* CLOCK_BOOTTIME ns */
	uint32_t pid, tid;
	const struct vg_hdr *hdr;     /* the record (owned by whoever supplied it) */
	struct proc *proc;            /* reference: the process as of this event */
	const struct vg_creds *creds; /* the caller's credentials at the event */

	/* EV_SYSCALL */
	const struct vg_syscall *sc;
	const struct sc_info *si;     /* NULL for a syscall the table does not describe */
	const char *str[3];           /* the record's strings (NUL-terminated) or NULL */
	const uint8_t *sa;            /* the record's sockaddr, sa_len bytes, or NULL */
	uint16_t sa_len;
	const char *path[2];          /* the first two path arguments made absolute, or NULL */
	const char *real_path;        /* a successful open: the file's path as the kernel reached it */
	int fd_num;                   /* the fd the event is about; -1: none or failed */
	struct fd_entry *fd;          /* reference, or NULL */
	bool fd_name_changed;         /* this event gave the fd a new name (connect, sendto) */

	/* EV_EXIT */
	uint32_t exit_status;         /* wait(2) status */
};

#endif /* VIGIL_EVENT_H */
