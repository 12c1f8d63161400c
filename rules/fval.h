/*
 * fval.h - values of fields as rules see them, and their types.
 *
 * Types follow Falco's filter-check types closely enough that operators
 * behave the same (a port is a number, fd.net is an address matched
 * against networks, times are nanoseconds).
 */
#ifndef VIGIL_FVAL_H
#define VIGIL_FVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ftype {
	FT_STRING,    /* text (also file paths, names, formatted flags) */
	FT_INT,       /* signed 64-bit */
	FT_UINT,      /* unsigned 64-bit (pids, uids, ports, counts) */
	FT_BOOL,
	FT_IPADDR,    /* an IPv4 or IPv6 address */
	FT_IPNET,     /* an address compared against networks (fd.net) */
	FT_RELTIME,   /* a duration, ns */
	FT_ABSTIME,   /* a point in time, ns since the epoch */
};

struct ipaddr {
	uint8_t family;   /* 4 or 6 */
	uint8_t a[16];    /* IPv4 in the first 4 bytes */
};

struct fval {
	enum ftype type;
	union {
		struct {
			const char *s;
			size_t len;
		} str;
		int64_t i;
		uint64_t u;
		bool b;
		struct ipaddr ip;
	};
};

const char *ftype_name(enum ftype t);

/* numeric view of INT/UINT/RELTIME/ABSTIME/BOOL values */
static inline bool fval_is_number(enum ftype t)
{
	return t == FT_INT || t == FT_UINT || t == FT_RELTIME || t == FT_ABSTIME;
}

#endif /* VIGIL_FVAL_H */
