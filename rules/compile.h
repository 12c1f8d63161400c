/*
 * compile.h - conditions in the form they are evaluated in.
 *
 * The compiler turns each rule's tree (rules/ast.h) into a tree of cnodes
 * once, at load: fields are resolved to extractors, every literal is parsed
 * into the field's type (numbers, addresses, networks, regexes compiled
 * with PCRE2's JIT, hash sets for `in` lists), and operators are checked
 * against the field's type. Nothing is parsed per event. Fields are
 * interned into slots so an event extracts each field at most once however
 * many rules test it.
 */
#ifndef VIGIL_COMPILE_H
#define VIGIL_COMPILE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ast.h"
#include "diag.h"
#include "evttype.h"
#include "fields.h"
#include "fval.h"
#include "strset.h"

enum op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_ICONTAINS, OP_BCONTAINS,
	OP_STARTSWITH, OP_BSTARTSWITH, OP_ENDSWITH, OP_GLOB, OP_IGLOB, OP_REGEX, OP_IN,
	OP_INTERSECTS, OP_PMATCH, OP_EXISTS,
};

/* a field as a rule uses it: definition, argument, transformers, cache slot */
struct field_use {
	struct field_ref ref;
	char *argname;                  /* owns ref.name */
	enum ast_transform tr[AST_MAX_TRANSFORMS];
	int ntr;
	enum ftype type;                /* after transformers */
	bool multi;                     /* several values per event (any ancestor, fd.ip, lists) */
	int slot;                       /* cache slot; -1 for multi-valued fields */
	char *text;                     /* as written, for messages and output_fields keys */
};

struct ipnet {
	struct ipaddr addr;
	int prefix;                     /* bits; 32/128 for a single address */
};

/* the right-hand side of a comparison */
struct operand {
	enum { RV_NONE, RV_SCALAR, RV_LIST, RV_FIELD } kind;
	struct fval v;                  /* RV_SCALAR (strings owned) */
	char *bytes;                    /* bcontains/bstartswith: decoded bytes (len in v.str.len) */
	struct strset *strs;            /* RV_LIST of strings */
	int64_t *nums;                  /* RV_LIST of numbers, sorted */
	size_t nnums;
	struct ipnet *nets;             /* RV_SCALAR/RV_LIST of addresses or networks */
	size_t nnets;
	char **prefixes;                /* pmatch */
	size_t nprefixes;
	pcre2_code *re;                 /* regex */
	bool re_jit;                    /* compiled to machine code: pcre2_jit_match applies */
	char *re_lit;                   /* regex: plain text every match contains, or NULL */
	struct field_use field;         /* RV_FIELD: val(field) */
	uint8_t *types;                 /* evt.type: bitmap of event type ids */
};

enum cn_kind { CN_AND, CN_OR, CN_NOT, CN_CMP, CN_CONST };

struct cnode {
	enum cn_kind kind;
	const struct ast_node *src;     /* the tree it was compiled from (owned by the rule) */
	bool value;                     /* CN_CONST */
	struct cnode **kids;
	size_t nkids;
	enum op op;                     /* CN_CMP */
	bool evt_type;                  /* compares evt.type: uses rhs.types */
	struct field_use lhs;
	struct operand rhs;
};

/* slots shared by every condition and output of a ruleset */
struct slot_table {
	char **keys;                    /* interning key of each slot */
	size_t n, cap;
};

/*
 * Compile one condition. `item` names it in messages ("rule 'X'"). Returns
 * NULL with errors in d. With skip_unknown, an unknown field is reported by
 * setting *unknown_field (a malloc'd name) instead of an error.
 */
struct cnode *cond_compile(const struct ast_node *n, struct slot_table *slots, const char *item,
			   struct diags *d, char **unknown_field);
void cnode_free(struct cnode *c);

/* resolve a field for use (conditions and outputs share this); -1 with a message in err */
int field_use_init(struct field_use *u, const struct ast_field *f, struct slot_table *slots, char *err,
		   size_t n);
void field_use_free(struct field_use *u);
void slot_table_free(struct slot_table *s);

/* bitmaps of event type ids (evttype.h) */
#define EVT_BITMAP_BYTES ((EVT_MAX + 7) / 8)

/*
 * The event types a condition can be true for (bitmap of EVT_BITMAP_BYTES).
 * Sets *all when nothing in it restricts the type.
 */
void cond_event_types(const struct cnode *c, uint8_t *out, bool *all);

#endif /* VIGIL_COMPILE_H */
