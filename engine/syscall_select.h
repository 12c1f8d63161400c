/*
 * syscall_select.h - building the kernel's per-syscall interest flags from
 * what the user or the rules ask for.
 */
#ifndef VIGIL_SYSCALL_SELECT_H
#define VIGIL_SYSCALL_SELECT_H

#include <stdint.h>
#include "vigil_abi.h"

/* "all" (every syscall vigil decodes) or "openat,connect,...": VG_SC_CAPTURE flags; -1 on an unknown name */
int syscall_select_parse(const char *list, uint8_t flags[VG_MAX_SYSCALLS]);

/*
 * Add the syscalls the engine's own state needs whenever anything is
 * captured: chdir/fchdir keep each process's working directory current,
 * which relative paths are resolved against.
 */
void syscall_select_add_state(uint8_t flags[VG_MAX_SYSCALLS]);

#endif /* VIGIL_SYSCALL_SELECT_H */
