/*
 * evttype.c - names of event type ids.
 */
#include <string.h>
#include "evttype.h"
#include "syscall_table.h"

static const char *const special[] = {
	[EVT_PROCEXIT - VG_MAX_SYSCALLS] = "procexit",
	[EVT_PROCFORK - VG_MAX_SYSCALLS] = "procfork",
	[EVT_TCP_CONNECT - VG_MAX_SYSCALLS] = "tcp_connect",
	[EVT_TCP_ACCEPT - VG_MAX_SYSCALLS] = "tcp_accept",
	[EVT_TCP_CLOSE - VG_MAX_SYSCALLS] = "tcp_close",
};

const char *evttype_name(int id)
{
	if (id >= VG_MAX_SYSCALLS && id < EVT_MAX)
		return special[id - VG_MAX_SYSCALLS];
	const struct sc_info *si = sc_info(id);

	return si ? si->name : NULL;
}

int evttype_id(const char *name)
{
	for (int i = EVT_PROCEXIT; i < EVT_MAX; i++)
		if (strcmp(special[i - VG_MAX_SYSCALLS], name) == 0)
			return i;
	return sc_nr(name);
}
