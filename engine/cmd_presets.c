/*
 * cmd_presets.c - `vigil presets list`: the shipped packs, their rules,
 * each rule's maturity and whether it is enabled by default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "presets.h"
#include "rules_cli.h"
#include "util.h"

static const char *maturity_of(const struct rule_def *r)
{
	for (size_t i = 0; i < r->ntags; i++)
		if (str_starts(r->tags[i], "maturity_"))
			return r->tags[i] + 9;
	return "-";
}

static bool tagged(const struct rule_def *r, const char *tag)
{
	for (size_t i = 0; i < r->ntags; i++)
		if (strcmp(r->tags[i], tag) == 0)
			return true;
	return false;
}

static int list(bool verbose)
{
	char dir[4096], path[4352];
	char **packs;
	size_t npacks;
	int status = 0;

	if (presets_dir(dir, sizeof(dir)) < 0 || presets_packs(dir, &packs, &npacks) < 0) {
		fprintf(stderr, "vigil presets: cannot find the preset packs (set VIGIL_PRESETS_DIR)\n");
		return 2;
	}
	printf("presets in %s\n\n", dir);
	for (size_t i = 0; i < npacks; i++) {
		struct rules_cli c;
		struct rule_engine *e;

		snprintf(path, sizeof(path), "%s/%s.yaml", dir, packs[i]);
		rules_cli_init(&c);
		rules_cli_option(&c, RCLI_RULES, path);
		e = rules_cli_load(&c, true);
		if (!e) {
			status = 1;
			continue;
		}
		size_t counts[3] = { 0 };

		for (size_t k = 0; k < e->nrules; k++) {
			const char *m = maturity_of(e->rules[k].def);

			counts[strcmp(m, "stable") == 0 ? 0 : strcmp(m, "incubating") == 0 ? 1 : 2]++;
		}
		printf("%-24s %zu rules (%zu stable, %zu incubating, %zu sandbox)\n", packs[i], e->nrules,
		       counts[0], counts[1], counts[2]);
		if (verbose)
			for (size_t k = 0; k < e->nrules; k++) {
				const struct rule *r = &e->rules[k];

				printf("  %-58s %-11s %-13s %-8s %s\n", r->def->name, maturity_of(r->def),
				       priority_name(r->def->priority), r->enabled ? "enabled" : "disabled",
				       tagged(r->def, "enforce_safe") ? "enforce-safe" : "");
			}
		rule_engine_free(e);
	}
	presets_names_free(packs, npacks);
	return status;
}

int cmd_presets(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		bool brief = argc == 3 && strcmp(argv[2], "--brief") == 0;

		if (argc > 3 || (argc == 3 && !brief)) {
			fprintf(stderr, "usage: vigil presets list [--brief]\n");
			return 2;
		}
		return list(!brief);
	}
	fprintf(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
		"usage: vigil presets list [--brief]   packs, their rules, maturity, priority, enabled\n");
	return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
}
