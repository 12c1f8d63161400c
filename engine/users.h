/*
 * users.h - user and group names for ids, from /etc/passwd and /etc/group.
 *
 * The files are read directly rather than through getpwuid(3): NSS modules
 * (LDAP, sssd) can block or call out, which the event loop must never do.
 * The files are re-read when their modification time changes, checked at
 * most once a second. Returned names stay valid until users_free().
 */
#ifndef VIGIL_USERS_H
#define VIGIL_USERS_H

#include <stdint.h>

/* use files under `root` instead of / (tests; a capture's host) */
void users_set_root(const char *root);
const char *users_name(uint32_t uid);   /* NULL when unknown */
const char *groups_name(uint32_t gid);  /* NULL when unknown */
void users_free(void);

#endif /* VIGIL_USERS_H */
