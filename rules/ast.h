/*
 * ast.h - the parsed form of rules files: conditions as trees, and the
 * rules, macros and lists around them.
 *
 * The loader (rules_load.c) reads YAML into items, the parser
 * (condition_parse.c) turns condition text into these trees, and the
 * assembler (ruleset_assemble.c) substitutes lists, expands macros, applies
 * overrides and exceptions. What leaves this stage is a set of rules whose
 * conditions mention only fields, operators and literal values; the
 * compiler (compile.c) binds fields and checks types.
 *
 * Every node keeps the position of the text it came from, mapped back to
 * the rules file (line and column, 1-based), so that errors found later,
 * in the compiler, still point at the right place.
 */
#ifndef VIGIL_AST_H
#define VIGIL_AST_H

#include <stdbool.h>
#include <stddef.h>

struct src_pos {
	const char *file;   /* owned by the struct rules_source that loaded it */
	int line, col;      /* 1-based; 0 when unknown */
};

enum ast_kind {
	AST_AND,            /* kids[0] and kids[1] and ... */
	AST_OR,
	AST_NOT,            /* kids[0] */
	AST_CMP,            /* field op value */
	AST_MACRO,          /* a bare identifier: a macro reference, before expansion */
};

/* transformers applied to a field, innermost first: tolower(basename(f)) */
enum ast_transform { TR_TOLOWER = 1, TR_TOUPPER, TR_BASENAME, TR_LEN, TR_B64 };
#define AST_MAX_TRANSFORMS 4

struct ast_field {
	char *name;         /* the identifier as written: "proc.aname", "evt.arg.flags" */
	char *arg;          /* the bracket argument: "2" for proc.aname[2]; NULL without brackets */
	enum ast_transform transforms[AST_MAX_TRANSFORMS];
	int ntransforms;
	struct src_pos pos;
};

enum ast_value_kind {
	VAL_NONE,           /* unary operators: exists */
	VAL_SCALAR,         /* one literal */
	VAL_LIST,           /* (a, b, "c d"), lists already substituted */
	VAL_FIELD,          /* val(field) */
};

struct ast_literal {
	char *text;         /* unquoted, escapes resolved */
	bool quoted;
	struct src_pos pos;
};

struct ast_value {
	enum ast_value_kind kind;
	struct ast_literal *items;  /* VAL_SCALAR: 1 item; VAL_LIST: nitems */
	size_t nitems;
	struct ast_field field;     /* VAL_FIELD */
};

struct ast_node {
	enum ast_kind kind;
	struct src_pos pos;
	/* AST_AND, AST_OR, AST_NOT */
	struct ast_node **kids;
	size_t nkids;
	/* AST_CMP */
	struct ast_field lhs;
	char *op;           /* "=", "in", "contains", "exists", ... as written, lowercased */
	struct ast_value rhs;
	/* AST_MACRO */
	char *macro;
};

void ast_free(struct ast_node *n);
struct ast_node *ast_clone(const struct ast_node *n);

/*
 * Print a tree back as condition text, fully parenthesised, into a malloc'd
 * string (for `rules explain` and tests).
 */
char *ast_to_string(const struct ast_node *n);

#endif /* VIGIL_AST_H */
