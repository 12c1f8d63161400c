/*
 * priority.c - rule priorities by name, as Falco spells them (any case,
 * with "info" for Informational).
 */
#include <strings.h>

#include "ruleset.h"

static const char *const priority_names[] = {
	[PRI_EMERGENCY] = "Emergency",
	[PRI_ALERT] = "Alert",
	[PRI_CRITICAL] = "Critical",
	[PRI_ERROR] = "Error",
	[PRI_WARNING] = "Warning",
	[PRI_NOTICE] = "Notice",
	[PRI_INFORMATIONAL] = "Informational",
	[PRI_DEBUG] = "Debug",
};

int priority_parse(const char *s)
{
	int p;

	for (p = PRI_EMERGENCY; p <= PRI_DEBUG; p++)
		if (strcasecmp(s, priority_names[p]) == 0)
			return p;
	if (strcasecmp(s, "info") == 0)
		return PRI_INFORMATIONAL;
	return -1;
}

const char *priority_name(enum priority p)
{
	if (p >= PRI_EMERGENCY && p <= PRI_DEBUG)
		return priority_names[p];
	return "?";
}
