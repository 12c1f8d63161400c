/*
 * ruleset.h - rules as loaded from files: the result of reading YAML,
 * parsing conditions, substituting lists, expanding macros and applying
 * overrides, appends and exceptions, before the compiler binds fields.
 */
#ifndef VIGIL_RULESET_H
#define VIGIL_RULESET_H

#include <stdbool.h>
#include "ast.h"
#include "diag.h"

/* The Falco rules-language version vigil implements (required_engine_version). */
#define VIGIL_RULES_ENGINE_VERSION "0.57.0"

/* Numbered like syslog levels. */
enum priority {
	PRI_EMERGENCY = 0, PRI_ALERT, PRI_CRITICAL, PRI_ERROR, PRI_WARNING,
	PRI_NOTICE, PRI_INFORMATIONAL, PRI_DEBUG,
};

/* "Emergency" ... "Debug"; case-insensitive, "info" accepted. -1 if unknown. */
int priority_parse(const char *s);
const char *priority_name(enum priority p);

/* vigil's extension key `enforce:` */
enum enforce_action { ENFORCE_NONE = 0, ENFORCE_KILL, ENFORCE_DENY };

struct rule_def {
	char *name;
	char *desc;
	char *condition;        /* final condition text (after appends), as written */
	char *output;
	char *source;           /* "syscall" unless the file says otherwise */
	enum priority priority;
	char **tags;
	size_t ntags;
	bool enabled;
	bool skip_if_unknown_filter;
	bool warn_evttypes;
	enum enforce_action enforce;
	struct ast_node *cond;  /* lists substituted, macros expanded, exceptions folded in */
	struct src_pos pos;     /* where the rule's item starts */
	struct src_pos cond_pos;/* where its condition text starts */
	struct src_pos output_pos;/* where its output key is */
};

struct ruleset_src {
	struct rule_def *rules;     /* in load order */
	size_t nrules;
	char **files;               /* every file loaded; src_pos.file points into these */
	size_t nfiles;
	char **required_plugins;    /* "name version" from required_plugin_versions, noted only */
	size_t nrequired_plugins;
};

/*
 * Load rules files and directories (their *.yaml / *.yml files, sorted by
 * name), in the given order, as one ruleset: later items override earlier
 * ones across files. Returns 0 on success; on any error returns -1 with the
 * errors in `d` and `out` left empty. Warnings are added to `d` either way.
 */
int ruleset_load(const char *const *paths, size_t npaths, struct ruleset_src *out, struct diags *d);

/* Same, from text already in memory (tests, fuzzing); `name` is used in positions. */
int ruleset_load_string(const char *name, const char *text, size_t len,
			struct ruleset_src *out, struct diags *d);

void ruleset_src_free(struct ruleset_src *rs);

#endif /* VIGIL_RULESET_H */
