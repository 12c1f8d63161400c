/*
 * fuzz_compile.c - libFuzzer entry point: arbitrary bytes compiled into a
 * rule engine, past the parser: type checks, operands, regexes (PCRE2
 * compilation and the prefilter's reading of a regex's required text),
 * event-type indexing and prefilter guards. The first byte picks the form:
 * even, the rest is a whole condition; odd, the rest is a regex compared
 * with a path (`fd.name regex "..."`). Building must never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_engine.h"
#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the input as the body of a YAML double-quoted scalar */
static size_t yaml_escape(const uint8_t *data, size_t size, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < size; i++) {
		uint8_t c = data[i];

		if (c == '"' || c == '\\')
			n += (size_t)sprintf(out + n, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			out[n++] = (char)c;
		else
			n += (size_t)sprintf(out + n, "\\x%02x", c);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "- list: shells\n  items: [bash, sh]\n"
				   "- macro: spawned\n  condition: evt.type in (execve, execveat)\n"
				   "- rule: fuzz\n  desc: d\n  output: o\n  priority: info\n  condition: \"";
	struct rule_selection sel;
	struct ruleset_src rs;
	struct diags d = { 0 };
	char *yaml, *regex = NULL;
	size_t n;

	if (size == 0)
		return 0;
	yaml = malloc(sizeof(head) + 8 * size + 64);
	n = sizeof(head) - 1;
	memcpy(yaml, head, n);
	if (data[0] & 1) {
		/* the regex inside a rule-language quoted string: escape its quotes and backslashes */
		regex = malloc(2 * size + 1);
		size_t r = 0;

		for (size_t i = 1; i < size; i++) {
			if (data[i] == '\'' || data[i] == '\\')
				regex[r++] = '\\';
			regex[r++] = (char)data[i];
		}
		n += (size_t)sprintf(yaml + n, "fd.name regex '");
		n += yaml_escape((const uint8_t *)regex, r, yaml + n);
		n += (size_t)sprintf(yaml + n, "' and evt.type = openat");
	} else {
		n += yaml_escape(data + 1, size - 1, yaml + n);
	}
	n += (size_t)sprintf(yaml + n, "\"\n");
	memset(&sel, 0, sizeof(sel));
	sel.min_priority = PRI_DEBUG;
	if (ruleset_load_string("fuzz.yaml", yaml, n, &rs, &d) == 0)
		rule_engine_free(rule_engine_build(&rs, &sel, &d));
	diags_free(&d);
	free(regex);
	free(yaml);
	return 0;
}
