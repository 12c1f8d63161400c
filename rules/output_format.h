/*
 * output_format.h - a rule's `output` text with its %field references,
 * compiled once and filled per alert.
 */
#ifndef VIGIL_OUTPUT_FORMAT_H
#define VIGIL_OUTPUT_FORMAT_H

#include <jansson.h>
#include "compile.h"
#include "eval.h"

struct out_seg {
	char *text;        /* literal text before the field (may be "") */
	int field;         /* index into fields, or -1 for a trailing literal */
};

struct out_format {
	struct out_seg *segs;
	size_t nsegs;
	struct field_use *fields;
	size_t nfields;
};

/*
 * Compile `text` ("Shell spawned (user=%user.name parent=%proc.aname[2])").
 * pos is the position of the rule's output key (errors point there). Returns -1 with errors in d;
 * with skip_unknown an unknown field sets *unknown_field instead.
 */
int out_format_compile(struct out_format *f, const char *text, struct src_pos pos, struct slot_table *slots,
		       const char *item, struct diags *d, char **unknown_field);
void out_format_free(struct out_format *f);

/* the text with values filled in (<NA> for missing ones); malloc'd */
char *out_format_render(const struct out_format *f, struct eval_state *st, const struct event *ev);
/* {"proc.name": "bash", "fd.name": null, ...} with typed values */
json_t *out_format_fields(const struct out_format *f, struct eval_state *st, const struct event *ev);

#endif /* VIGIL_OUTPUT_FORMAT_H */
