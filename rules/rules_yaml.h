/*
 * rules_yaml.h - reading one rules file's YAML into items.
 */
#ifndef VIGIL_RULES_YAML_H
#define VIGIL_RULES_YAML_H

#include <stddef.h>
#include "diag.h"
#include "rules_items.h"

/*
 * Read `text` (the contents of `file`, whose name must outlive the items)
 * and add its items to `out`. Errors and warnings go to `d`; items with
 * errors are left out. Returns 0, or -1 if there was any error.
 */
int rules_yaml_read(const char *file, const char *text, size_t len, struct rules_items *out,
		    struct diags *d);

#endif /* VIGIL_RULES_YAML_H */
