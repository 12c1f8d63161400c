/*
 * ast_build.h - building and taking apart condition trees, for the code
 * that makes them (the parser, list substitution, macro expansion,
 * exceptions). Consumers of finished trees only need ast.h.
 */
#ifndef VIGIL_AST_BUILD_H
#define VIGIL_AST_BUILD_H

#include "ast.h"

struct ast_node *ast_node_new(enum ast_kind kind, struct src_pos pos);

/* Append a child to an AND, OR or NOT node; the node owns it afterwards. */
void ast_node_add_kid(struct ast_node *n, struct ast_node *kid);

/* Append a literal to a value; the value owns lit->text afterwards. */
void ast_value_add_item(struct ast_value *v, const struct ast_literal *lit);

void ast_field_copy(struct ast_field *dst, const struct ast_field *src);
void ast_literal_copy(struct ast_literal *dst, const struct ast_literal *src);

/* These free what the struct points to, not the struct itself. */
void ast_field_free(struct ast_field *f);
void ast_literal_free(struct ast_literal *l);

/* "tolower", "toupper", "basename", "len", "b64" */
const char *ast_transform_name(enum ast_transform t);

#endif /* VIGIL_AST_BUILD_H */
