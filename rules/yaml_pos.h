/*
 * yaml_pos.h - file positions for what libyaml reads: its marks, and every
 * byte of a scalar's value.
 *
 * libyaml gives a scalar's start and end, but conditions are folded
 * (block `>`, multi-line plain) or unescaped (quoted), so a byte of the
 * value is not at start + offset. We find each byte's place by walking the
 * raw text alongside the value.
 */
#ifndef VIGIL_YAML_POS_H
#define VIGIL_YAML_POS_H

#include <stddef.h>
#include <yaml.h>
#include "ast.h"
#include "loc_text.h"

struct yaml_source {
	const char *file;       /* the name positions carry */
	const char *text;
	size_t len;
	size_t *line_start;     /* byte offset of each line, lines counted as libyaml does */
	size_t nlines;
};

void yaml_source_init(struct yaml_source *src, const char *file, const char *text, size_t len);
void yaml_source_free(struct yaml_source *src);

struct src_pos yaml_source_pos(const struct yaml_source *src, yaml_mark_t mark);

/* Position of a byte offset (libyaml reports encoding errors that way). */
struct src_pos yaml_source_pos_at(const struct yaml_source *src, size_t offset);

/* A scalar node's value, with the file position of each byte. */
void yaml_scalar_text(const struct yaml_source *src, const yaml_node_t *node, struct loc_text *out);

#endif /* VIGIL_YAML_POS_H */
