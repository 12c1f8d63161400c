/*
 * fuzz_condition.c - libFuzzer entry point: arbitrary bytes as a rule's
 * condition, inside a rules file that has lists, macros and exceptions for
 * it to use. Besides not crashing, it checks a property: a condition that
 * parses prints (ast_to_string) as text that parses to a tree printing the
 * same way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "condition_parse.h"
#include "loc_text.h"
#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
	"- list: shells\n  items: [bash, sh, '\"z sh\"']\n"
	"- list: more\n  items: [shells, zsh]\n"
	"- macro: spawned\n  condition: evt.type in (execve, execveat)\n"
	"- macro: shell\n  condition: spawned and proc.name in (more)\n"
	"- rule: fuzz\n  desc: d\n  output: o\n  priority: info\n"
	"  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n"
	"      comps: [in, startswith]\n      values: [[shells, /tmp]]\n"
	"  condition: \"";

/* The input as the body of a YAML double-quoted scalar. */
static size_t escape(const uint8_t *data, size_t size, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++) {
		uint8_t c = data[i];

		if (c == '"' || c == '\\')
			n += sprintf(out + n, "\\%c", c);
		else if (c == '\n')
			n += sprintf(out + n, "\\n");
		else if (c >= 0x20 && c < 0x7f)
			out[n++] = (char)c;
		else
			n += sprintf(out + n, "\\x%02x", c);
	}
	return n;
}

static struct ast_node *parse_text(const char *s, size_t len, struct loc_text *t)
{
	struct src_pos *pos = calloc(len + 1, sizeof(*pos));
	struct parse_error err;
	char *copy = malloc(len + 1);
	size_t i;

	memcpy(copy, s, len);
	copy[len] = '\0';
	for (i = 0; i <= len; i++)
		pos[i] = (struct src_pos){ "fuzz", 1, (int)i + 1 };
	loc_text_init(t, copy, len, pos);
	return condition_parse(t, &err);
}

/* parse -> print -> parse -> print gives the same text twice */
static void check_round_trip(const uint8_t *data, size_t size)
{
	struct ast_node *first, *again;
	struct loc_text t1, t2;
	char *s1, *s2;

	first = parse_text((const char *)data, size, &t1);
	if (first) {
		s1 = ast_to_string(first);
		again = parse_text(s1, strlen(s1), &t2);
		if (!again) {
			fprintf(stderr, "printed condition does not parse: %s\n", s1);
			abort();
		}
		s2 = ast_to_string(again);
		if (strcmp(s1, s2) != 0) {
			fprintf(stderr, "round trip differs:\n%s\n%s\n", s1, s2);
			abort();
		}
		free(s2);
		ast_free(again);
		loc_text_free(&t2);
		free(s1);
		ast_free(first);
	}
	loc_text_free(&t1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *yaml = malloc(sizeof(head) + 4 * size + 64);
	struct ruleset_src rs;
	struct diags d = { 0 };
	char line[512], *s;
	size_t n, i;

	n = sizeof(head) - 1;
	memcpy(yaml, head, n);
	n += escape(data, size, yaml + n);
	n += (size_t)sprintf(yaml + n, "\"\n");
	ruleset_load_string("fuzz.yaml", yaml, n, &rs, &d);
	for (i = 0; i < d.n; i++)
		diag_format(&d.v[i], line, sizeof(line));
	for (i = 0; i < rs.nrules; i++) {
		s = ast_to_string(rs.rules[i].cond);
		free(s);
	}
	ruleset_src_free(&rs);
	diags_free(&d);
	free(yaml);

	check_round_trip(data, size);
	return 0;
}
