/*
 * condition_parse.h - the condition language: text to trees.
 *
 * Positions in the trees and in errors come from the loc_text, so they name
 * the place in the rules file.
 */
#ifndef VIGIL_CONDITION_PARSE_H
#define VIGIL_CONDITION_PARSE_H

#include <stdbool.h>
#include "ast.h"
#include "loc_text.h"

/* Conditions deeper than this (parentheses and `not`s) are refused. */
#define CONDITION_MAX_NESTING 256

struct parse_error {
	struct src_pos pos;
	char msg[256];
};

/* Parse a whole condition. NULL on error, with *err set. */
struct ast_node *condition_parse(const struct loc_text *t, struct parse_error *err);

/* Parse the whole text as one field, e.g. "proc.aname[2]" (exception fields). */
bool condition_parse_field(const struct loc_text *t, struct ast_field *out, struct parse_error *err);

/*
 * Read a list item or an exception value as a literal of the condition
 * language: text starting with a quote is a quoted string (unquoted and
 * unescaped); anything else is taken as it is.
 */
bool condition_parse_item(const struct loc_text *t, struct ast_literal *out, struct parse_error *err);

enum op_kind {
	OP_UNKNOWN,
	OP_UNARY,       /* exists */
	OP_SCALAR,      /* = contains glob ... : one value or val(field) */
	OP_LIST,        /* in intersects pmatch : a parenthesised list */
};

enum op_kind condition_op_kind(const char *op);

/* Would the lexer read `s` back, unchanged, as a bare (unquoted) word? */
bool condition_literal_is_bare(const char *s);

#endif /* VIGIL_CONDITION_PARSE_H */
