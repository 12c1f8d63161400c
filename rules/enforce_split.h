/*
 * enforce_split.h - splitting an enforcing rule's condition into the part
 * the kernel can evaluate (selectors, bpf/enforce.bpf.h) and the rest.
 *
 * Kernel-evaluable: the event type, the caller's name, binary (exact or
 * prefix) and parent's name, its uid, whether it is in a container, its
 * cgroup, the path a file syscall works on (exact, prefix, suffix, the
 * file name), and the destination of a connect (address or network, port).
 * A condition is split at its top level: an OR at the top gives one
 * selector per branch; within a branch, each AND-ed part is either kernel-
 * evaluable as a whole or left to userspace. A branch with nothing left for
 * userspace is enforced entirely in the kernel; otherwise its kernel part
 * is a pre-filter and userspace finishes the rule.
 */
#ifndef VIGIL_ENFORCE_SPLIT_H
#define VIGIL_ENFORCE_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compile.h"
#include "vigil_abi.h"

struct rule;

/* one kernel-evaluable condition on one dimension */
struct sel_pred {
	enum vg_dim dim;
	bool negate;                /* the value must NOT be among these */
	char **strs;                /* exact/prefix/suffix dimensions (suffix strings not reversed) */
	size_t nstrs;
	uint64_t *nums;             /* UID, DPORT, CONTAINER, CGROUP */
	size_t nnums;
	struct ipnet *nets;         /* DADDR */
	size_t nnets;
	const struct ast_node *src; /* what it came from, for `rules explain` */
};

struct sel_branch {
	uint8_t types[EVT_BITMAP_BYTES];   /* the event types it applies to */
	struct sel_pred *preds;
	size_t npreds;
	const struct ast_node **rest;      /* parts left to userspace */
	size_t nrest;
};

struct enforce_split {
	struct sel_branch *branches;
	size_t nbranches;
	bool kernel_only;           /* no branch leaves anything to userspace */
};

#define SPLIT_MAX_BRANCHES 8

/*
 * Split r's condition. Returns 0, or -1 with a reason in err when a value
 * exceeds what a kernel selector can hold (VG_SEL_STR).
 */
int enforce_split_rule(const struct rule *r, struct enforce_split *out, char *err, size_t n);
void enforce_split_free(struct enforce_split *s);

/* "proc.name in (a, b)" style text of a predicate, malloc'd */
char *sel_pred_text(const struct sel_pred *p);
const char *vg_dim_name(enum vg_dim d);

#endif /* VIGIL_ENFORCE_SPLIT_H */
