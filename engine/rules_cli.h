/*
 * rules_cli.h - the command-line options that choose rules, shared by
 * `vigil run`, `vigil replay` and `vigil rules`: rules files, preset packs,
 * Falco-style tag and name selection, minimum priority.
 */
#ifndef VIGIL_RULES_CLI_H
#define VIGIL_RULES_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include "rule_engine.h"

#define RULES_CLI_MAX 128

enum {
	RCLI_RULES = 'r', RCLI_ONLY_TAG = 't', RCLI_DISABLE_TAG = 'T', RCLI_DISABLE_RULE = 'D',
	RCLI_PRESET = 1000, RCLI_ENABLE_RULE, RCLI_ENABLE_TAG, RCLI_MIN_PRIORITY, RCLI_SKIP_UNKNOWN,
};

/* getopt_long entries; splice into a command's option table */
#define RULES_CLI_LONG_OPTIONS                                                      \
	{ "rules", required_argument, NULL, RCLI_RULES },                          \
	{ "preset", required_argument, NULL, RCLI_PRESET },                        \
	{ "only-tag", required_argument, NULL, RCLI_ONLY_TAG },                    \
	{ "disable-tag", required_argument, NULL, RCLI_DISABLE_TAG },              \
	{ "disable-rule", required_argument, NULL, RCLI_DISABLE_RULE },            \
	{ "enable-rule", required_argument, NULL, RCLI_ENABLE_RULE },              \
	{ "enable-tag", required_argument, NULL, RCLI_ENABLE_TAG },                \
	{ "min-priority", required_argument, NULL, RCLI_MIN_PRIORITY },            \
	{ "skip-unknown", no_argument, NULL, RCLI_SKIP_UNKNOWN }
#define RULES_CLI_SHORT "r:t:T:D:"

#define RULES_CLI_USAGE                                                                              \
	"  -r, --rules PATH        rules file or directory (repeatable; default: the stable presets)\n" \
	"  --preset NAME           preset packs: 'stable' (default), 'all', a maturity ('incubating',\n"  \
	"                          'sandbox'), or a pack name (repeatable; see 'vigil presets list')\n" \
	"  -t, --only-tag TAG      only rules with this tag (repeatable)\n"                             \
	"  -T, --disable-tag TAG   disable rules with this tag (repeatable)\n"                          \
	"  -D, --disable-rule PAT  disable rules whose name matches the glob (repeatable)\n"            \
	"  --enable-rule PAT       enable rules whose name matches, even if disabled (repeatable)\n"   \
	"  --enable-tag TAG        enable rules with this tag, even if disabled (repeatable)\n"        \
	"  --min-priority PRIO     ignore rules less severe than PRIO (e.g. warning)\n"                 \
	"  --skip-unknown          skip (with a warning) rules using fields vigil does not know\n"

struct rules_cli {
	const char *rules[RULES_CLI_MAX];
	size_t nrules;
	const char *presets[RULES_CLI_MAX];
	size_t npresets;
	const char *only_tags[RULES_CLI_MAX], *disable_tags[RULES_CLI_MAX], *disable_rules[RULES_CLI_MAX];
	const char *enable_rules[RULES_CLI_MAX], *enable_tags[RULES_CLI_MAX];
	struct rule_selection sel;
};

void rules_cli_init(struct rules_cli *c);
/* handle one getopt result; 1 if it was a rules option, 0 if not, -1 on a bad value (message printed) */
int rules_cli_option(struct rules_cli *c, int opt, const char *arg);
/*
 * Load and compile what the options chose (again on every call, for
 * reloads). Prints errors (and warnings unless quiet) on stderr; NULL on
 * failure.
 */
struct rule_engine *rules_cli_load(const struct rules_cli *c, bool quiet);

#endif /* VIGIL_RULES_CLI_H */
