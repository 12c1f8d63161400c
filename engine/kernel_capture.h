/*
 * kernel_capture.h - loading vigil's BPF programs and reading their ring
 * buffer: the first stage of the pipeline.
 *
 * Setup failures are the most common thing a new user meets, so each one
 * gets a single line naming the cause and the fix (not root, no BTF,
 * tracefs missing, programs refused, ring buffer refused).
 */
#ifndef VIGIL_KERNEL_CAPTURE_H
#define VIGIL_KERNEL_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/libbpf.h>
#include "cgroup_layout.h"
#include "vigil_abi.h"

struct vigil_bpf;

struct kernel_capture_opts {
	size_t ringbuf_bytes;   /* power of two, at least a page */
	uint64_t wakeup_bytes;  /* wake the reader early once this much is queued */
	bool verbose;           /* print libbpf's messages (verifier logs) */
};

struct kernel_capture {
	struct vigil_bpf *skel;
	struct ring_buffer *rb;
	struct cgroup_layout cgl;
	bool lsm;                       /* the BPF LSM deny hooks are loaded and attached */
	struct bpf_link *connect4, *connect6;  /* cgroup connect hooks on the cgroup v2 root, or NULL */
};

/*
 * Check the host, load and attach the programs, and set up the ring buffer
 * reader calling fn for each record. On failure prints one line on stderr
 * and returns -1 (exit status 2 is the caller's).
 */
int kernel_capture_open(struct kernel_capture *k, const struct kernel_capture_opts *o,
			ring_buffer_sample_fn fn, void *ctx);
void kernel_capture_close(struct kernel_capture *k);

/* which syscalls to send (VG_SC_CAPTURE per number); takes effect at once */
void kernel_capture_set_syscalls(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS]);
/* which syscalls enforcement checks at entry (VG_SC_ENFORCE per number) */
void kernel_capture_set_enforce(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS]);
void kernel_capture_set_tcp(struct kernel_capture *k, bool on);

/* wait up to timeout_ms for records and hand every queued one to fn; <0 on error */
int kernel_capture_poll(struct kernel_capture *k, int timeout_ms);

/* counters summed over CPUs */
void kernel_capture_stats(struct kernel_capture *k, uint64_t out[VG_STAT_MAX]);

/*
 * Persistent enforcement: pin every attached program's link and the
 * control variables under dir (on bpffs), so the kernel keeps enforcing
 * after the agent exits. kernel_capture_unpin stops it: it turns kernel
 * actions off and removes the pins, which detaches the programs.
 */
int kernel_capture_pin(struct kernel_capture *k, const char *dir);
int kernel_capture_unpin(const char *dir);
#define VIGIL_PIN_DIR "/sys/fs/bpf/vigil"

/* common host checks, shared with `vigil features` and enforcement */
int host_check_root(void);
int host_check_btf(void);
int host_ensure_tracefs(void);
/* libbpf message capture: the last messages, for error reports */
void libbpf_log_setup(bool verbose);
const char *libbpf_log_last(void);

#endif /* VIGIL_KERNEL_CAPTURE_H */
