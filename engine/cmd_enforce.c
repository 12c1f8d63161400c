/*
 * cmd_enforce.c - `vigil enforce off|audit|on|list`: talk to the running
 * agent over its control socket. `off` also removes persistent
 * enforcement (pinned by `vigil run --persist`) when no agent holds it.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "control.h"
#include "kernel_capture.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil enforce off|audit|on [--socket PATH]   switch the running agent's enforcement mode\n"
		"       vigil enforce list [--socket PATH]           selectors, escalations and counters\n"
		"'off' also removes enforcement left in the kernel by 'vigil run --persist'.\n");
}

int cmd_enforce(int argc, char **argv)
{
	const char *sock = CONTROL_SOCKET, *what;
	char req[64];
	int rc;

	if (argc == 4 && !strcmp(argv[2], "--socket"))
		sock = argv[3];
	else if (argc != 2) {
		usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	what = argv[1];
	if (host_check_root() < 0)
		return 2;
	if (!strcmp(what, "list")) {
		rc = control_request(sock, "list", stdout);
		return rc == 0 ? 0 : 1;
	}
	if (strcmp(what, "off") && strcmp(what, "audit") && strcmp(what, "on")) {
		usage(stderr);
		return 2;
	}
	snprintf(req, sizeof(req), "mode %s", what);
	rc = control_request(sock, req, stdout);
	if (!strcmp(what, "off")) {
		int u = kernel_capture_unpin(VIGIL_PIN_DIR);

		if (u == 0)
			printf("persistent enforcement removed from the kernel (%s)\n", VIGIL_PIN_DIR);
		else if (u < 0)
			fprintf(stderr, "vigil: could not remove everything under %s\n", VIGIL_PIN_DIR);
		if (rc < 0 && u >= 0)
			rc = 0;  /* no agent, but the pins (if any) are gone: enforcement is off */
	}
	return rc == 0 ? 0 : 1;
}
