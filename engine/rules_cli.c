/*
 * rules_cli.c - rule-choosing options and loading what they choose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "presets.h"
#include "rules_cli.h"
#include "util.h"

void rules_cli_init(struct rules_cli *c)
{
	memset(c, 0, sizeof(*c));
	c->sel.only_tags = c->only_tags;
	c->sel.disable_tags = c->disable_tags;
	c->sel.disable_rules = c->disable_rules;
	c->sel.enable_rules = c->enable_rules;
	c->sel.enable_tags = c->enable_tags;
	c->sel.min_priority = PRI_DEBUG;
}

static int push(const char **v, size_t *n, const char *s, const char *what)
{
	if (*n >= RULES_CLI_MAX) {
		fprintf(stderr, "vigil: too many %s options (at most %d)\n", what, RULES_CLI_MAX);
		return -1;
	}
	v[(*n)++] = s;
	return 1;
}

int rules_cli_option(struct rules_cli *c, int opt, const char *arg)
{
	switch (opt) {
	case RCLI_RULES: return push(c->rules, &c->nrules, arg, "--rules");
	case RCLI_PRESET: return push(c->presets, &c->npresets, arg, "--preset");
	case RCLI_ONLY_TAG: return push(c->only_tags, &c->sel.nonly_tags, arg, "--only-tag");
	case RCLI_DISABLE_TAG: return push(c->disable_tags, &c->sel.ndisable_tags, arg, "--disable-tag");
	case RCLI_DISABLE_RULE: return push(c->disable_rules, &c->sel.ndisable_rules, arg, "--disable-rule");
	case RCLI_ENABLE_RULE: return push(c->enable_rules, &c->sel.nenable_rules, arg, "--enable-rule");
	case RCLI_ENABLE_TAG: return push(c->enable_tags, &c->sel.nenable_tags, arg, "--enable-tag");
	case RCLI_SKIP_UNKNOWN: c->sel.skip_unknown = true; return 1;
	case RCLI_MIN_PRIORITY: {
		int p = priority_parse(arg);

		if (p < 0) {
			fprintf(stderr, "vigil: --min-priority: unknown priority '%s' (emergency, alert, critical, "
					"error, warning, notice, informational, debug)\n", arg);
			return -1;
		}
		c->sel.min_priority = p;
		return 1;
	}
	default:
		return 0;
	}
}

/* what --preset and the defaults add to the paths and the selection */
struct resolved {
	const char *paths[2 * RULES_CLI_MAX + 2];
	size_t npaths;
	char *owned[RULES_CLI_MAX + 2];
	size_t nowned;
	const char *enable_tags[RULES_CLI_MAX + 2];
	struct rule_selection sel;
};

/* maturity names select every pack and enable the maturities up to it */
static bool maturity(struct resolved *r, const char *name)
{
	if (strcmp(name, "stable") == 0)
		return true;
	if (strcmp(name, "incubating") == 0 || strcmp(name, "sandbox") == 0 || strcmp(name, "all") == 0) {
		r->enable_tags[r->sel.nenable_tags++] = "maturity_incubating";
		if (name[0] != 'i')
			r->enable_tags[r->sel.nenable_tags++] = "maturity_sandbox";
		return true;
	}
	return false;
}

static int resolve(const struct rules_cli *c, struct resolved *r)
{
	char dir[4096], path[4352];
	bool named_pack = false;

	r->sel = c->sel;
	memcpy(r->enable_tags, c->enable_tags, c->sel.nenable_tags * sizeof(char *));
	r->sel.enable_tags = r->enable_tags;
	for (size_t i = 0; i < c->nrules; i++)
		r->paths[r->npaths++] = c->rules[i];
	if (c->nrules && !c->npresets)
		return 0;
	if (presets_dir(dir, sizeof(dir)) < 0) {
		fprintf(stderr, "vigil: cannot find the preset rule packs (looked next to the binary and in %s); "
				"give rules with -r, or set VIGIL_PRESETS_DIR\n", dir);
		return -1;
	}
	for (size_t i = 0; i < c->npresets; i++) {
		if (maturity(r, c->presets[i]))
			continue;
		if (!named_pack) {
			/* a pack on its own still needs the shared definitions */
			snprintf(path, sizeof(path), "%s/%s", dir, PRESETS_BASE);
			if (access(path, R_OK) == 0) {
				r->owned[r->nowned] = vg_strdup(path);
				r->paths[r->npaths++] = r->owned[r->nowned++];
			}
		}
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, c->presets[i]);
		if (access(path, R_OK) != 0) {
			fprintf(stderr, "vigil: --preset %s: no such pack in %s (see 'vigil presets list')\n",
				c->presets[i], dir);
			return -1;
		}
		r->owned[r->nowned] = vg_strdup(path);
		r->paths[r->npaths++] = r->owned[r->nowned++];
		named_pack = true;
	}
	if (!named_pack) {
		/* every pack: a directory loads its files in name order */
		r->owned[r->nowned] = vg_strdup(dir);
		r->paths[r->npaths++] = r->owned[r->nowned++];
	}
	return 0;
}

struct rule_engine *rules_cli_load(const struct rules_cli *c, bool quiet)
{
	struct resolved r = { 0 };
	struct ruleset_src src;
	struct diags d = { 0 };
	struct rule_engine *e = NULL;

	if (resolve(c, &r) == 0) {
		if (ruleset_load(r.paths, r.npaths, &src, &d) == 0)
			e = rule_engine_build(&src, &r.sel, &d);
		for (size_t i = 0; i < d.n; i++) {
			if (quiet && d.v[i].level == DIAG_WARNING)
				continue;
			char line[2048];

			diag_format(&d.v[i], line, sizeof(line));
			fprintf(stderr, "%s\n", line);
		}
		if (!e && d.nerrors)
			fprintf(stderr, "vigil: %zu error%s in the rules; nothing was loaded\n", d.nerrors,
				d.nerrors == 1 ? "" : "s");
		diags_free(&d);
	}
	for (size_t i = 0; i < r.nowned; i++)
		free(r.owned[i]);
	return e;
}
