/*
 * enforce.h - the agent's enforcement: which rules act and how, the
 * kernel selectors that carry them, userspace kills for what the kernel
 * cannot decide alone, escalation of those into new kernel selectors, and
 * the counters of what was done.
 *
 * Only rules with `enforce: kill|deny` ever act. Each has an effective
 * mode: the global one (off, audit, enforce) unless a --rule-mode or
 * --tag-mode override names it. Selectors are written into the inactive
 * generation of the kernel maps and switched in with one store (see
 * vigil_abi.h), so every change (reload, mode switch, escalation, expiry)
 * is atomic.
 */
#ifndef VIGIL_ENFORCE_H
#define VIGIL_ENFORCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "enforce_split.h"
#include "rule_engine.h"

struct kernel_capture;
struct event;
struct pipeline;

enum enforce_mode { MODE_OFF, MODE_AUDIT, MODE_ENFORCE };

const char *enforce_mode_name(enum enforce_mode m);
int enforce_mode_parse(const char *s);   /* "off", "audit", "on"/"enforce"; -1 if unknown */

struct mode_override {
	const char *pattern;                 /* glob over rule names, or a tag */
	bool tag;
	enum enforce_mode mode;
};

struct enforce_counters {
	uint64_t kernel_kills, user_kills, denied, would_kill, would_deny, spared;
};

/* one rule that carries `enforce:` */
struct enforcing_rule {
	char *name;
	enum enforce_action action;          /* ENFORCE_KILL / ENFORCE_DENY */
	enum enforce_mode mode;              /* effective */
	struct enforce_split split;
	struct enforce_counters c;
	const struct rule *rule;             /* in the current engine */
};

/* a selector installed after a userspace kill, for the exact pattern seen */
struct escalation {
	char *rule;                          /* the rule it came from */
	int slot;                            /* syscall number or VG_HOOK_* */
	char *exe;                           /* the binary */
	char *path;                          /* the file, or NULL */
	bool have_addr;
	struct ipnet addr;                   /* or the destination (a /32 or /128) */
	uint16_t port;
	uint64_t expires;                    /* CLOCK_BOOTTIME ns */
};

/* what one selector bit of the live generation stands for */
struct selector_use {
	int rule;                            /* index into rules[] */
	int escalation;                      /* index into esc[], or -1 */
	int branch;
	uint8_t action;                      /* enum vg_action */
};

/* a kernel action waiting to be joined with the rule's match on the same call */
struct kernel_act {
	uint8_t *rec;                        /* copy of the VG_EV_ENFORCE record */
	size_t len;
	uint64_t seen;                       /* CLOCK_BOOTTIME ns when it arrived */
	int rule;
};

#define ENFORCE_MAX_PENDING 256

struct enforcer {
	struct kernel_capture *k;
	enum enforce_mode global;
	struct mode_override *ov;
	size_t nov;
	char **never;                        /* binaries (names or paths) never acted on */
	size_t nnever;
	uint64_t *never_cgroups;
	size_t nnever_cgroups;
	struct enforcing_rule *rules;
	size_t nrules;
	struct escalation *esc;
	size_t nesc, esc_max;
	uint64_t esc_ttl_ns;
	struct selector_use sel[VG_SEL_MAX];
	size_t nsel;
	uint32_t gen;                        /* the live generation */
	struct kernel_act pending[ENFORCE_MAX_PENDING];
	size_t npending;
	uint8_t enforce_flags[VG_MAX_SYSCALLS];  /* VG_SC_ENFORCE per syscall */
	char error[512];
};

struct enforce_opts {
	enum enforce_mode mode;
	const struct mode_override *ov;
	size_t nov;
	const char *const *never;
	size_t nnever;
	const char *const *never_cgroups;    /* cgroup v2 paths */
	size_t nnever_cgroups;
	size_t esc_max;
	uint64_t esc_ttl_s;
};

/* k may be NULL (replay, `rules explain`): nothing is written to the kernel */
int enforcer_init(struct enforcer *e, struct kernel_capture *k, const struct enforce_opts *o);
void enforcer_free(struct enforcer *e);

/*
 * Take the enforcing rules of an engine (initially and on reload) and
 * install their selectors. On failure (limits) returns -1 with e->error
 * set and changes nothing.
 */
int enforcer_load(struct enforcer *e, const struct rule_engine *eng);

/* switch the global mode; `off` stops every kernel action at once */
int enforcer_set_mode(struct enforcer *e, enum enforce_mode m);

/* a VG_EV_ENFORCE event: count it and wait for the rule's match on the same call */
void enforcer_kernel_act(struct enforcer *e, const struct event *ev, uint64_t now);

/*
 * A rule matched. Returns what was done, as alerts show it ("killed
 * (kernel)", "killed (userspace, 42 us)", "would kill", ...), in buf, or
 * NULL when the rule does not enforce or its mode is off.
 */
const char *enforcer_on_match(struct enforcer *e, const struct rule *r, const struct event *ev, uint64_t now,
			      char *buf, size_t n);

/*
 * Periodic work: expire escalations, and report kernel actions no rule
 * match claimed (a denied call fails, so the rule may not match its
 * result). emit(ctx, rule, ev, action) raises those alerts.
 */
void enforcer_tick(struct enforcer *e, uint64_t now, struct pipeline *p);

/* `vigil enforce list`: mode, selectors, escalations, counters */
void enforcer_report(const struct enforcer *e, FILE *f);

/* how a rule is enforced, for `vigil rules explain` (k may be NULL: say what would happen) */
void enforcer_explain(const struct rule *r, bool lsm, bool cgroup_connect, FILE *f);

#endif /* VIGIL_ENFORCE_H */
