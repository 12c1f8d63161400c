/*
 * cmd_rules.c - `vigil rules validate|list|explain`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include <jansson.h>
#include "enforce.h"
#include "evttype.h"
#include "kernel_features.h"
#include "rules_cli.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil rules validate PATH...     check rules files or directories (exit 1 on errors)\n"
		"       vigil rules list [--json] [options]  name, priority, enabled, event types, tags of each rule\n"
		"       vigil rules explain NAME [options]  a rule's expanded condition and event types\n"
		"options (list, explain):\n" RULES_CLI_USAGE);
}

static int validate(int argc, char **argv)
{
	struct rules_cli c;
	struct rule_engine *e;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	rules_cli_init(&c);
	for (int i = 1; i < argc; i++)
		if (rules_cli_option(&c, RCLI_RULES, argv[i]) < 0)
			return 2;
	e = rules_cli_load(&c, false);
	if (!e)
		return 1;
	printf("%zu rules (%zu enabled): valid\n", e->nrules, e->nenabled);
	rule_engine_free(e);
	return 0;
}

/* parse list/explain options; returns the index of the first positional argument or -1 */
static int parse_common(int argc, char **argv, struct rules_cli *c, bool *json)
{
	static const struct option longs[] = {
		RULES_CLI_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	rules_cli_init(c);
	optind = 1;
	while ((opt = getopt_long(argc, argv, RULES_CLI_SHORT "h", longs, NULL)) != -1) {
		int r = rules_cli_option(c, opt, optarg);

		if (r < 0)
			return -1;
		if (opt == 'j' && json) {
			*json = true;
			continue;
		}
		if (r == 0) {
			usage(opt == 'h' ? stdout : stderr);
			return -1;
		}
	}
	return optind;
}

static void list_json(const struct rule_engine *e)
{
	json_t *all = json_array();

	for (size_t i = 0; i < e->nrules; i++) {
		const struct rule *r = &e->rules[i];
		json_t *o = json_object(), *tags = json_array(), *types = json_array();

		for (size_t k = 0; k < r->def->ntags; k++)
			json_array_append_new(tags, json_string(r->def->tags[k]));
		for (int id = 0; id < EVT_MAX && !r->skipped; id++)
			if (r->types[id / 8] & (1 << (id % 8)) && evttype_name(id))
				json_array_append_new(types, json_string(evttype_name(id)));
		json_object_set_new(o, "name", json_string(r->def->name));
		json_object_set_new(o, "priority", json_string(priority_name(r->def->priority)));
		json_object_set_new(o, "enabled", json_boolean(r->enabled));
		json_object_set_new(o, "skipped", json_boolean(r->skipped));
		json_object_set_new(o, "all_types", json_boolean(r->all_types));
		json_object_set_new(o, "event_types", types);
		json_object_set_new(o, "tags", tags);
		json_object_set_new(o, "enforce", json_string(r->def->enforce == ENFORCE_KILL ? "kill" :
							       r->def->enforce == ENFORCE_DENY ? "deny" : "none"));
		json_object_set_new(o, "condition", json_string(r->def->condition));
		json_array_append_new(all, o);
	}
	json_dumpf(all, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(all);
}

static void tags_text(const struct rule_def *r, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < r->ntags; i++)
		o += vg_snprintf(buf + o, o < n ? n - o : 0, "%s%s", i ? "," : "", r->tags[i]);
}

static int list(int argc, char **argv)
{
	struct rules_cli c;
	struct rule_engine *e;
	bool json = false;
	int first = parse_common(argc, argv, &c, &json);

	if (first < 0)
		return 2;
	if (first != argc) {
		usage(stderr);
		return 2;
	}
	e = rules_cli_load(&c, true);
	if (!e)
		return 1;
	if (json) {
		list_json(e);
		rule_engine_free(e);
		return 0;
	}
	printf("%-52s %-13s %-8s %-30s %s\n", "RULE", "PRIORITY", "ENABLED", "EVENT TYPES", "TAGS");
	for (size_t i = 0; i < e->nrules; i++) {
		const struct rule *r = &e->rules[i];
		char types[4096], tags[1024];

		if (r->skipped)
			snprintf(types, sizeof(types), "(skipped: unknown field)");
		else
			rule_types_text(r, types, sizeof(types));
		tags_text(r->def, tags, sizeof(tags));
		printf("%-52s %-13s %-8s %-30s %s\n", r->def->name, priority_name(r->def->priority),
		       r->enabled ? "yes" : "no", types, tags);
	}
	rule_engine_free(e);
	return 0;
}

/* per group of event types: what the prefilter checks before the rule is evaluated */
static void explain_prefilter(const struct rule_engine *e, const struct rule *r)
{
	bool done[EVT_MAX] = { false };

	if (!r->enabled)
		return;
	for (int t = 0; t < EVT_MAX; t++) {
		if (done[t] || !(r->types[t / 8] & (1 << (t % 8))))
			continue;
		int32_t m = rule_engine_mark(e, r, t);
		char types[2048];
		size_t o = 0;

		for (int u = t; u < EVT_MAX; u++)
			if (!done[u] && (r->types[u / 8] & (1 << (u % 8))) && rule_engine_mark(e, r, u) == m) {
				done[u] = true;
				o += vg_snprintf(types + o, o < sizeof(types) ? sizeof(types) - o : 0, "%s%s",
						 o ? ", " : "", evttype_name(u));
			}
		if (m >= 0) {
			char *g = guard_text(&e->pf.guards[m]);

			printf("prefilter:   %s: %.300s%s\n", types, g, strlen(g) > 300 ? "..." : "");
			free(g);
		} else {
			printf("prefilter:   %s: %s\n", types,
			       m == MARK_NEVER ? "never true" : "none (evaluated on every such event)");
		}
	}
}

static int explain(int argc, char **argv)
{
	struct rules_cli c;
	struct rule_engine *e;
	int first = parse_common(argc, argv, &c, NULL);

	if (first < 0)
		return 2;
	if (first != argc - 1) {
		usage(stderr);
		return 2;
	}
	e = rules_cli_load(&c, true);
	if (!e)
		return 1;
	const struct rule *r = rule_engine_find(e, argv[first]);

	if (!r) {
		fprintf(stderr, "vigil rules explain: no rule named '%s'\n", argv[first]);
		rule_engine_free(e);
		return 1;
	}
	char *cond = ast_to_string(r->def->cond);
	char types[4096], tags[1024];

	rule_types_text(r, types, sizeof(types));
	tags_text(r->def, tags, sizeof(tags));
	printf("rule:        %s\n", r->def->name);
	printf("defined at:  %s:%d\n", r->def->pos.file, r->def->pos.line);
	printf("priority:    %s\n", priority_name(r->def->priority));
	printf("enabled:     %s\n", r->enabled ? "yes" : r->skipped ? "no (skipped: unknown field)" : "no");
	printf("tags:        %s\n", tags);
	printf("event types: %s\n", types);
	printf("condition:   %s\n", r->def->condition);
	printf("expanded:    %s\n", cond);
	printf("output:      %s\n", r->def->output ? r->def->output : "");
	explain_prefilter(e, r);
	if (r->def->enforce != ENFORCE_NONE) {
		bool lsm = false, cg = true;
		char why[160];

		/* which hooks this kernel offers decides where a deny is checked */
		if (geteuid() == 0) {
			lsm = feature_available(FEAT_LSM, why, sizeof(why));
			cg = feature_available(FEAT_CGROUP_SOCK_ADDR, why, sizeof(why));
		} else {
			printf("(not root: assuming no BPF LSM and cgroup connect hooks; run as root to probe)\n");
		}
		enforcer_explain(r, lsm, cg, stdout);
	} else {
		printf("enforcement: none (no 'enforce:' key; the rule only alerts)\n");
	}
	free(cond);
	rule_engine_free(e);
	return 0;
}

int cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "validate") == 0)
		return validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (strcmp(argv[1], "explain") == 0)
		return explain(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
