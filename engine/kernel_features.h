/*
 * kernel_features.h - what the running kernel lets vigil do, found by trying:
 * each probe loads (and where it matters attaches) one tiny program from
 * bpf/probe.bpf.c. A program type can be compiled in and still be refused
 * (no kprobes, LSM not enabled at boot, fentry blocked), so nothing is
 * guessed from version numbers.
 */
#ifndef VIGIL_KERNEL_FEATURES_H
#define VIGIL_KERNEL_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

enum feature {
	FEAT_TRACEPOINT, FEAT_RAW_TRACEPOINT, FEAT_TP_BTF, FEAT_FENTRY, FEAT_KPROBE, FEAT_LSM,
	FEAT_CGROUP_SOCK_ADDR, FEAT_SEND_SIGNAL, FEAT_RINGBUF, FEAT_MAX
};

struct feature_result {
	bool ok;
	char reason[160];   /* why not, when !ok */
};

void features_probe(struct feature_result out[FEAT_MAX]);
/* probe one feature */
bool feature_available(enum feature f, char *reason, size_t n);
const char *feature_name(enum feature f);

#endif /* VIGIL_KERNEL_FEATURES_H */
