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
	/* what that means for enforcement here */
	printf("\nenforcement on this kernel:\n");
	printf("  kill: %s\n", r[FEAT_SEND_SIGNAL].ok && r[FEAT_TP_BTF].ok ?
	       "SIGKILL from the kernel at syscall entry and on exec, before the process runs again" :
	       "from userspace only (no bpf_send_signal at syscall entry)");
	printf("  deny connect: %s\n", r[FEAT_LSM].ok ? "EPERM from BPF LSM socket_connect and cgroup connect4/6" :
	       r[FEAT_CGROUP_SOCK_ADDR].ok ? "EPERM from cgroup connect4/connect6 on the cgroup v2 root" :
	       "falls back to SIGKILL at syscall entry");
	printf("  deny open/exec: %s\n", r[FEAT_LSM].ok ?
	       "EPERM from BPF LSM file_open / bprm_check_security (the file is never opened, the binary never runs)" :
	       "no BPF LSM here: falls back to SIGKILL at syscall entry (the call itself completes)");
	return 0;
}
