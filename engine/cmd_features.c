/*
 * cmd_features.c - `vigil features`: print which kernel features work here.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "kernel_features.h"
#include "kernel_capture.h"

int cmd_features(int argc, char **argv)
{
	struct feature_result r[FEAT_MAX];
	bool verbose = argc > 1 && strcmp(argv[1], "--verbose") == 0;

	if (argc > 1 && !verbose) {
		fprintf(stderr, "usage: vigil features [--verbose]\n");
		return 2;
	}
	if (host_check_root() < 0 || host_check_btf() < 0)
		return 2;
	host_ensure_tracefs();
	libbpf_log_setup(verbose);
	features_probe(r);
	for (int f = 0; f < FEAT_MAX; f++) {
		if (r[f].ok)
			printf("%s: yes\n", feature_name(f));
		else
			printf("%s: no (%s)\n", feature_name(f), r[f].reason);
	}
	return 0;
}
