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

/* the first sentence of a description, on one line, with table pipes escaped */
static void first_sentence(const char *d, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = d; *p && o + 3 < n; p++) {
		if (*p == '.' && (p[1] == ' ' || p[1] == '\n' || !p[1])) {
			out[o++] = '.';
			break;
		}
		if (*p == '|')
			out[o++] = '\\';
		out[o++] = *p == '\n' ? ' ' : *p;
	}
	out[o] = 0;
}

static void tags_without(const struct rule_def *r, char *out, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < r->ntags; i++) {
		const char *t = r->tags[i];

		if (str_starts(t, "maturity_") || !strcmp(t, "enforce_safe") || !strcmp(t, "enforce_unsafe"))
			continue;
		o += vg_snprintf(out + o, o < n ? n - o : 0, "%s%s", o ? ", " : "", t);
	}
}

static void markdown_rule(const char *pack, const struct rule *r)
{
	char what[512], tags[512];

	first_sentence(r->def->desc ? r->def->desc : "", what, sizeof(what));
	tags_without(r->def, tags, sizeof(tags));
	printf("| %s | %s | %s | %s | %s | %s | %s |\n", pack, r->def->name, maturity_of(r->def),
	       priority_name(r->def->priority), what, tags, tagged(r->def, "enforce_safe") ? "yes" : "no");
}

static int list(bool verbose, bool markdown)
{
	char dir[4096];
	char **packs;
	size_t npacks;
	int status = 0;

	if (presets_dir(dir, sizeof(dir)) < 0 || presets_packs(dir, &packs, &npacks) < 0) {
		fprintf(stderr, "vigil presets: cannot find the preset packs (set VIGIL_PRESETS_DIR)\n");
		return 2;
	}
	if (markdown)
		printf("| Pack | Rule | Maturity | Priority | Detects | Tags | Safe to enforce |\n"
		       "|---|---|---|---|---|---|---|\n");
	else
		printf("presets in %s\n\n", dir);
	for (size_t i = 0; i < npacks; i++) {
		struct rules_cli c;
		struct rule_engine *e;

		/* by name, so the pack comes with the shared definitions it builds on */
		rules_cli_init(&c);
		rules_cli_option(&c, RCLI_PRESET, packs[i]);
		e = rules_cli_load(&c, true);
		if (!e) {
			status = 1;
			continue;
		}
		size_t counts[3] = { 0 };

		if (markdown) {
			for (size_t k = 0; k < e->nrules; k++)
				markdown_rule(packs[i], &e->rules[k]);
			rule_engine_free(e);
			continue;
		}

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
		bool md = argc == 3 && strcmp(argv[2], "--markdown") == 0;

		if (argc > 3 || (argc == 3 && !brief && !md)) {
			fprintf(stderr, "usage: vigil presets list [--brief|--markdown]\n");
			return 2;
		}
		return list(!brief, md);
	}
	fprintf(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
		"usage: vigil presets list [--brief|--markdown]   packs, their rules, maturity, priority, enabled\n"
		"       (--markdown prints the table of docs/presets.md)\n");
	return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
}
