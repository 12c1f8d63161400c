/*
 * timefmt.h - RFC 3339 timestamps with nanoseconds, in UTC.
 */
#ifndef VIGIL_TIMEFMT_H
#define VIGIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* "2026-11-29T05:53:14.123456789Z" (buf: at least 32 bytes) */
void time_rfc3339(uint64_t epoch_ns, char *buf, size_t n);

/* wall-clock ns since the epoch, now */
uint64_t time_now_ns(void);

#endif /* VIGIL_TIMEFMT_H */
