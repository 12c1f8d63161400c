/*
 * decode.h - kernel records in, events out.
 *
 * The decoder checks that a record is well formed (sizes, lengths, string
 * terminators; a capture file is outside input), applies what it says to
 * the process and fd tables, and produces a struct event enriched from
 * them. Records that only change state (process and fd snapshots, node
 * info) produce no event.
 */
#ifndef VIGIL_DECODE_H
#define VIGIL_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "event.h"
#include "proc_table.h"

struct decoder {
	struct proc_table procs;
	char node[64];
	uint64_t boot_wall_ns;   /* add to a record's ts for wall-clock time */
	uint64_t next_num;
	uint64_t records, bad_records;
	char error[256];         /* why the last record was refused */
};

/* live: the tables may consult /proc for what they do not know */
void decoder_init(struct decoder *d, const char *node, size_t max_procs, bool live);
void decoder_free(struct decoder *d);

/*
 * Decode one record. Returns 1 with *ev filled (release it with
 * event_release), 0 when the record only changed state, -1 when it is
 * malformed (d->error names the field; tables unchanged).
 */
int decode_record(struct decoder *d, const void *rec, size_t len, struct event *ev, struct arena *a);

void event_release(struct event *ev);

/* Check a record's layout without applying it ("" on success, else the reason). */
int record_validate(const void *rec, size_t len, char *err, size_t n);

#endif /* VIGIL_DECODE_H */
