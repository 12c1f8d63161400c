/*
 * main.c - `vigil COMMAND ...`: dispatch to the subcommands (cmd.h).
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "run the agent" },
	{ "features", cmd_features, "show which kernel features vigil can use here" },
	{ "observe", cmd_observe, "render a JSON event stream for people" },
	{ "record", cmd_record, "save kernel records to a capture file" },
	{ "replay", cmd_replay, "read a capture file back (events, alerts, --bench)" },
	{ "rules", cmd_rules, "validate, list and explain rules" },
	{ "presets", cmd_presets, "list the shipped rule packs" },
	{ "enforce", cmd_enforce, "switch enforcement off/audit/on in the running agent, list selectors" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil COMMAND [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'vigil COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "vigil: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
