/*
 * syscall_select.c - interest flags from names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "syscall_select.h"
#include "syscall_table.h"
#include "util.h"

static const int decoded[] = {
#define VG_SC(nr, name, s0, s1, s2, dfd, sa, sl, fd, fl) nr,
#include "syscall_list.h"
#undef VG_SC
};

int syscall_select_parse(const char *list, uint8_t flags[VG_MAX_SYSCALLS])
{
	char *copy, *save = NULL;
	int rc = 0;

	memset(flags, 0, VG_MAX_SYSCALLS);
	if (strcmp(list, "all") == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(decoded); i++)
			flags[decoded[i]] |= VG_SC_CAPTURE;
		return 0;
	}
	copy = vg_strdup(list);
	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int nr = sc_nr(name);

		if (nr < 0 || nr >= VG_MAX_SYSCALLS) {
			fprintf(stderr, "vigil: unknown syscall '%s' in --syscalls\n", name);
			rc = -1;
			break;
		}
		flags[nr] |= VG_SC_CAPTURE;
	}
	free(copy);
	return rc;
}

void syscall_select_add_state(uint8_t flags[VG_MAX_SYSCALLS])
{
	bool any = false;

	for (int i = 0; i < VG_MAX_SYSCALLS; i++)
		any |= flags[i] & VG_SC_CAPTURE;
	if (!any)
		return;
	flags[SYS_chdir] |= VG_SC_CAPTURE;
	flags[SYS_fchdir] |= VG_SC_CAPTURE;
}
