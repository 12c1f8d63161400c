/*
 * kernel_capture.c - BPF skeleton lifecycle and ring buffer polling.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "kernel_capture.h"
#include "kernel_features.h"
#include "util.h"
#include "vigil.skel.h"

/* --- libbpf messages ------------------------------------------------------------ */

static bool log_verbose;
static char log_last[2048];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	va_list copy;

	if (level == LIBBPF_DEBUG && !log_verbose)
		return 0;
	va_copy(copy, ap);
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_verbose)
		vfprintf(stderr, fmt, copy);  /* whole: verifier logs are long */
	va_end(copy);
	if (level != LIBBPF_DEBUG) {
		/* keep the last warning: it usually names the program and errno */
		snprintf(log_last, sizeof(log_last), "%s", line);
		log_last[strcspn(log_last, "\n")] = 0;
	}
	return 0;
}

void libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

const char *libbpf_log_last(void)
{
	return log_last;
}

/* --- host checks ------------------------------------------------------------------ */

int host_check_root(void)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "vigil: must run as root: loading BPF programs needs CAP_BPF, CAP_PERFMON and "
			"CAP_SYS_ADMIN (run it with sudo)\n");
	return -1;
}

int host_check_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return 0;
	fprintf(stderr, "vigil: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): vigil needs a "
			"kernel built with CONFIG_DEBUG_INFO_BTF=y (most distribution kernels since 2021)\n");
	return -1;
}

int host_ensure_tracefs(void)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0 || stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return 0;
	fprintf(stderr, "vigil: tracefs is not mounted and mounting it failed (%s): mount it first with "
			"'mount -t tracefs nodev /sys/kernel/tracing'\n", strerror(errno));
	return -1;
}

/* --- capture ---------------------------------------------------------------------- */

/* the inode of pid 1's mount namespace: processes elsewhere are "in a container" */
static uint32_t host_mount_ns(void)
{
	struct stat st;

	return stat("/proc/1/ns/mnt", &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/*
 * cgroup connect4/connect6 on the root of the cgroup v2 hierarchy: every
 * connect on the host passes through them, and a deny selector makes the
 * connect fail with EPERM. Without cgroup v2 connect denials fall back to
 * kills (reported by `vigil features` and `vigil rules explain`).
 */
static void attach_connect_hooks(struct kernel_capture *k)
{
	int cg;

	if (!k->cgl.v2_mount[0])
		return;
	cg = open(k->cgl.v2_mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return;
	k->connect4 = bpf_program__attach_cgroup(k->skel->progs.vg_connect4, cg);
	k->connect6 = bpf_program__attach_cgroup(k->skel->progs.vg_connect6, cg);
	close(cg);
	if (!k->connect4 || !k->connect6) {
		bpf_link__destroy(k->connect4);
		bpf_link__destroy(k->connect6);
		k->connect4 = k->connect6 = NULL;
	}
}

int kernel_capture_open(struct kernel_capture *k, const struct kernel_capture_opts *o,
			ring_buffer_sample_fn fn, void *ctx)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int err;

	memset(k, 0, sizeof(*k));
	if (host_check_root() < 0 || host_check_btf() < 0 || host_ensure_tracefs() < 0)
		return -1;
	libbpf_log_setup(o->verbose);
	/* only needed on kernels before 5.11, which charge BPF memory to memlock; may fail */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	cgroup_layout_detect(&k->cgl);

	k->skel = vigil_bpf__open();
	if (!k->skel) {
		fprintf(stderr, "vigil: cannot open the BPF object (%s)\n", strerror(errno));
		return -1;
	}
	k->skel->rodata->agent_tgid = getpid();
	k->skel->rodata->host_mnt_ns = host_mount_ns();
	/* the deny hooks exist only where the kernel has BPF LSM enabled */
	char why[160];

	k->lsm = feature_available(FEAT_LSM, why, sizeof(why));
	bpf_program__set_autoload(k->skel->progs.vg_lsm_file_open, k->lsm);
	bpf_program__set_autoload(k->skel->progs.vg_lsm_path_mknod, k->lsm);
	bpf_program__set_autoload(k->skel->progs.vg_lsm_bprm_check, k->lsm);
	bpf_program__set_autoload(k->skel->progs.vg_lsm_connect, k->lsm);
	k->skel->rodata->wakeup_bytes = o->wakeup_bytes;
	k->skel->rodata->cgroup_subsys_idx = k->cgl.subsys_idx;
	err = bpf_map__set_max_entries(k->skel->maps.events, o->ringbuf_bytes);
	if (err) {
		fprintf(stderr, "vigil: cannot size the ring buffer to %zu bytes (%s): use a power of two of "
				"at least 4096\n", o->ringbuf_bytes, strerror(-err));
		goto fail;
	}
	err = vigil_bpf__load(k->skel);
	if (err) {
		fprintf(stderr, "vigil: the kernel refused vigil's BPF programs (%s%s%s): see 'vigil features'; "
				"--verbose prints the verifier log\n", strerror(-err),
			log_last[0] ? ": " : "", log_last);
		goto fail;
	}
	err = vigil_bpf__attach(k->skel);
	if (err) {
		fprintf(stderr, "vigil: cannot attach vigil's BPF programs (%s%s%s): see 'vigil features'\n",
			strerror(-err), log_last[0] ? ": " : "", log_last);
		goto fail;
	}
	attach_connect_hooks(k);
	k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events), fn, ctx, NULL);
	if (!k->rb) {
		fprintf(stderr, "vigil: cannot set up the BPF ring buffer reader (%s): try a smaller "
				"--ringbuf-mb\n", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	kernel_capture_close(k);
	return -1;
}

void kernel_capture_close(struct kernel_capture *k)
{
	bpf_link__destroy(k->connect4);
	bpf_link__destroy(k->connect6);
	k->connect4 = k->connect6 = NULL;
	ring_buffer__free(k->rb);
	vigil_bpf__destroy(k->skel);
	k->rb = NULL;
	k->skel = NULL;
}

/* each byte is written whole, so the kernel never sees a half-updated flag */
static void set_bit(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS], uint8_t bit)
{
	volatile uint8_t *f = k->skel->bss->syscall_flags;

	for (int i = 0; i < VG_MAX_SYSCALLS; i++)
		f[i] = (f[i] & ~bit) | (flags[i] & bit);
}

void kernel_capture_set_syscalls(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS])
{
	set_bit(k, flags, VG_SC_CAPTURE);
}

void kernel_capture_set_enforce(struct kernel_capture *k, const uint8_t flags[VG_MAX_SYSCALLS])
{
	set_bit(k, flags, VG_SC_ENFORCE);
}

void kernel_capture_set_tcp(struct kernel_capture *k, bool on)
{
	k->skel->bss->tcp_enabled = on;
}

int kernel_capture_poll(struct kernel_capture *k, int timeout_ms)
{
	/* records are sent without wakeups unless the ring fills up, so after a
	 * quiet wait consume explicitly */
	int n = ring_buffer__poll(k->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	n = ring_buffer__consume(k->rb);
	return n < 0 && n != -EINTR ? n : 0;
}

void kernel_capture_stats(struct kernel_capture *k, uint64_t out[VG_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	int fd = bpf_map__fd(k->skel->maps.stats);

	memset(out, 0, sizeof(uint64_t) * VG_STAT_MAX);
	if (ncpu <= 0)
		return;
	vals = vg_calloc(ncpu, sizeof(uint64_t));
	for (uint32_t i = 0; i < VG_STAT_MAX; i++) {
		if (bpf_map_lookup_elem(fd, &i, vals) != 0)
			continue;
		for (int c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
	free(vals);
}

/* --- persistence ------------------------------------------------------------------------- */

/* pins live on bpffs; mount it on /sys/fs/bpf when nothing is there */
static void ensure_bpffs(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/bpf", &fs) == 0 && fs.f_type == 0xcafe4a11 /* BPF_FS_MAGIC */)
		return;
	mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL);
}

int kernel_capture_pin(struct kernel_capture *k, const char *dir)
{
	const struct bpf_object_skeleton *sk = k->skel->skeleton;
	char path[512];

	ensure_bpffs();
	kernel_capture_unpin(dir);  /* an earlier persistent agent's pins */
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "vigil: cannot create %s: %s (is bpffs mounted on /sys/fs/bpf?)\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < sk->prog_cnt; i++) {
		struct bpf_link *l = *sk->progs[i].link;

		if (!l)
			continue;
		snprintf(path, sizeof(path), "%s/link_%s", dir, sk->progs[i].name);
		if (bpf_link__pin(l, path) < 0)
			goto fail;
	}
	if (k->connect4) {
		snprintf(path, sizeof(path), "%s/link_vg_connect4", dir);
		if (bpf_link__pin(k->connect4, path) < 0)
			goto fail;
		snprintf(path, sizeof(path), "%s/link_vg_connect6", dir);
		if (bpf_link__pin(k->connect6, path) < 0)
			goto fail;
	}
	snprintf(path, sizeof(path), "%s/bss", dir);
	if (bpf_map__pin(k->skel->maps.bss, path) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vigil: cannot pin %s: %s\n", path, strerror(errno));
	kernel_capture_unpin(dir);
	return -1;
}

int kernel_capture_unpin(const char *dir)
{
	char path[512];
	DIR *d = opendir(dir);
	struct dirent *de;
	int fd;

	if (!d)
		return errno == ENOENT ? 1 : -1;
	/* first make every pinned program harmless, then let go of them */
	snprintf(path, sizeof(path), "%s/bss", dir);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		struct vigil_bpf__bss bss;
		uint32_t zero = 0;

		if (bpf_map_lookup_elem(fd, &zero, &bss) == 0) {
			bss.enforce_off = 1;
			bpf_map_update_elem(fd, &zero, &bss, BPF_ANY);
		}
		close(fd);
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir) == 0 ? 0 : -1;
}
