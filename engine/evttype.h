/*
 * evttype.h - event type ids: what `evt.type` names and what rules are
 * indexed by.
 *
 * Syscall events use their syscall number. Records that are not syscalls
 * get ids above the syscall range. A successful exec is a VG_EV_EXEC record
 * but has the type of its syscall (execve or execveat), as in Falco, so
 * `evt.type = execve` matches it.
 */
#ifndef VIGIL_EVTTYPE_H
#define VIGIL_EVTTYPE_H

#include "vigil_abi.h"

enum {
	EVT_PROCEXIT = VG_MAX_SYSCALLS, /* "procexit": a process ended */
	EVT_PROCFORK,                   /* "procfork": a new process */
	EVT_TCP_CONNECT,                /* "tcp_connect" */
	EVT_TCP_ACCEPT,                 /* "tcp_accept" */
	EVT_TCP_CLOSE,                  /* "tcp_close" */
	EVT_MAX
};

/* name of a type id ("openat", "procexit"), or NULL */
const char *evttype_name(int id);
/* id of a name, or -1 */
int evttype_id(const char *name);

#endif /* VIGIL_EVTTYPE_H */
