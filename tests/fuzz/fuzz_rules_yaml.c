/*
 * fuzz_rules_yaml.c - libFuzzer entry point: arbitrary bytes as a rules
 * file. Loading must never crash, leak or hang, whatever the input; what
 * loads is printed and cloned to exercise the trees too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ast.h"
#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset_src rs;
	struct diags d = { 0 };
	struct ast_node *copy;
	char line[512], *s;
	size_t i;

	ruleset_load_string("fuzz.yaml", (const char *)data, size, &rs, &d);
	for (i = 0; i < d.n; i++)
		diag_format(&d.v[i], line, sizeof(line));
	for (i = 0; i < rs.nrules; i++) {
		copy = ast_clone(rs.rules[i].cond);
		s = ast_to_string(copy);
		free(s);
		ast_free(copy);
	}
	ruleset_src_free(&rs);
	diags_free(&d);
	return 0;
}
