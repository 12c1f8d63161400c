/*
 * procfs.c - /proc readers producing snapshot records.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "procfs.h"
#include "util.h"
#include "vigil_abi.h"

static ssize_t read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < n && (r = read(fd, buf + total, n - total)) > 0)
		total += r;
	close(fd);
	return total;
}

static uint32_t ns_inum(uint32_t pid, const char *ns)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/ns/%s", pid, ns);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = 0;
	char *b = strchr(link, '[');

	return b ? (uint32_t)strtoul(b + 1, NULL, 10) : 0;
}

/* last number on a "Key:\t1\t2\t3" line of /proc/PID/status */
static uint32_t last_num(const char *line)
{
	const char *p = line + strlen(line);

	while (p > line && (p[-1] == '\n' || p[-1] == ' ' || p[-1] == '\t'))
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return (uint32_t)strtoul(p, NULL, 10);
}

static int read_status(uint32_t pid, struct vg_task *t)
{
	char path[64], buf[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned a, b, c, d;

		if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &c, &d) == 4) {
			t->creds.uid = a; t->creds.euid = b; t->creds.suid = c; t->creds.fsuid = d;
		} else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &c, &d) == 4) {
			t->creds.gid = a; t->creds.egid = b;
		} else if (str_starts(line, "CapEff:")) {
			t->creds.cap_effective = strtoull(line + 7, NULL, 16);
		} else if (str_starts(line, "CapPrm:")) {
			t->creds.cap_permitted = strtoull(line + 7, NULL, 16);
		} else if (str_starts(line, "CapInh:")) {
			t->creds.cap_inheritable = strtoull(line + 7, NULL, 16);
		} else if (str_starts(line, "NSpid:")) {
			t->vpid = last_num(line);
		} else if (str_starts(line, "NSpgid:")) {
			t->vpgid = last_num(line);
		} else if (str_starts(line, "NSsid:")) {
			t->sid = last_num(line);
		}
	}
	return 0;
}

static uint64_t ticks_to_ns(unsigned long long ticks)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return ticks * (1000000000ull / (uint64_t)hz);
}

/* /proc/PID/stat: "pid (comm) S ppid pgrp session tty_nr ... starttime(22)" */
static int read_stat(uint32_t pid, struct vg_task *t, bool *kthread)
{
	char path[64], buf[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');

	if (!open || !close)
		return -1;
	size_t clen = close - open - 1;

	if (clen >= sizeof(t->comm))
		clen = sizeof(t->comm) - 1;
	memcpy(t->comm, open + 1, clen);
	t->comm[clen] = 0;

	char state;
	int ppid, pgrp, sid, tty;
	unsigned long flags;
	unsigned long long start;

	/* fields 3.. after the comm; flags is field 9, starttime field 22 */
	if (sscanf(close + 2, "%c %d %d %d %d %*d %lu %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &state, &ppid, &pgrp, &sid, &tty, &flags, &start) != 7)
		return -1;
	t->ppid = ppid;
	t->tty = tty;
	t->start_time = ticks_to_ns(start);
	*kthread = flags & 0x00200000; /* PF_KTHREAD */
	return 0;
}

static size_t readlink_str(const char *path, char *out, size_t n)
{
	ssize_t r = readlink(path, out, n - 1);

	if (r <= 0)
		return 0;
	out[r] = 0;
	return r;
}

/* keep the last `keep` components of a cgroup path, without the leading slash */
static const char *cgroup_tail(const char *p, int keep)
{
	const char *end = p + strlen(p);
	int seen = 0;

	while (end > p) {
		end--;
		if (*end == '/' && ++seen == keep)
			return end + 1;
	}
	return p[0] == '/' ? p + 1 : p;
}

size_t procfs_snapshot_pid(const struct cgroup_layout *l, uint32_t pid, void *rec)
{
	struct vg_exec *e = rec;
	char path[64], exe[VG_PATH_MAX + 16], cg[VG_CGROUP_MAX * 2];
	bool kthread = false;
	struct stat st;
	uint8_t *d = e->data;
	size_t off = 0, n;

	memset(e, 0, sizeof(*e));
	if (read_stat(pid, &e->task, &kthread) < 0 || kthread)
		return 0;
	if (read_status(pid, &e->task) < 0)
		return 0;
	e->h.kind = VG_EV_PROC_SNAPSHOT;
	e->h.pid = e->h.tid = pid;
	e->h.ts = e->task.start_time;
	e->task.creds.auid = (uint32_t)-1;
	snprintf(path, sizeof(path), "/proc/%u/loginuid", pid);
	ssize_t ln = read_file(path, exe, 15);

	if (ln > 0) {
		exe[ln] = 0;
		e->task.creds.auid = (uint32_t)strtoul(exe, NULL, 10);
	}
	e->task.ns.pid = ns_inum(pid, "pid");
	e->task.ns.mnt = ns_inum(pid, "mnt");
	e->task.ns.net = ns_inum(pid, "net");
	e->task.ns.user = ns_inum(pid, "user");
	e->task.ns.uts = ns_inum(pid, "uts");
	e->task.ns.ipc = ns_inum(pid, "ipc");
	e->task.ns.cgroup = ns_inum(pid, "cgroup");

	/* exe */
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink_str(path, exe, sizeof(exe));
	if (n > 10 && strcmp(exe + n - 10, " (deleted)") == 0) {
		n -= 10;
		exe[n] = 0;
		e->exe_flags |= VG_EXE_DELETED;
	}
	if (str_starts(exe, "/memfd:")) {
		memmove(exe, exe + 1, n);  /* the kernel names memfd executables "memfd:..." */
		n--;
		e->exe_flags |= VG_EXE_FROM_MEMFD;
	}
	if (n >= VG_PATH_MAX) {
		n = VG_PATH_MAX - 1;
		exe[n] = 0;
		e->h.flags |= VG_F_TRUNCATED;
	}
	if (stat(path, &st) == 0) {
		e->exe_ino = st.st_ino;
		e->exe_dev = st.st_dev;
		e->exe_mtime = st.st_mtim.tv_sec * 1000000000ull + st.st_mtim.tv_nsec;
		e->exe_ctime = st.st_ctim.tv_sec * 1000000000ull + st.st_ctim.tv_nsec;
	}
	memcpy(d + off, exe, n + 1);
	e->exe_len = n ? n + 1 : 0;
	off += e->exe_len;

	/* argv */
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	ssize_t a = read_file(path, (char *)d + off, VG_ARGS_MAX);

	if (a > 0) {
		e->args_len = a;
		if (a == VG_ARGS_MAX)
			e->h.flags |= VG_F_TRUNCATED;
		for (ssize_t i = 0; i < a; i++)
			e->argc += d[off + i] == 0;
		off += a;
	}

	/* cwd */
	snprintf(path, sizeof(path), "/proc/%u/cwd", pid);
	n = readlink_str(path, exe, VG_PATH_MAX);
	memcpy(d + off, exe, n + 1);
	e->cwd_len = n ? n + 1 : 0;
	off += e->cwd_len;

	/* cgroup: the same tail the kernel sends */
	if (cgroup_layout_path(l, pid, cg, sizeof(cg)) == 0) {
		const char *tail = cgroup_tail(cg, 5);
		size_t tl = strlen(tail);

		if (tl >= VG_CGROUP_MAX)
			tl = VG_CGROUP_MAX - 1;
		memcpy(d + off, tail, tl);
		d[off + tl] = 0;
		e->cgroup_len = tl + 1;
		off += tl + 1;
	}
	/* the cgroup v2 id is the inode number of the cgroup's directory */
	struct cgroup_layout v2 = *l;

	v2.subsys_idx = -1;
	if (l->v2_mount[0] && cgroup_layout_path(&v2, pid, cg, sizeof(cg)) == 0) {
		char full[VG_CGROUP_MAX * 2 + 256];

		snprintf(full, sizeof(full), "%s%s", l->v2_mount, cg);
		if (stat(full, &st) == 0)
			e->task.cgroup_id = st.st_ino;
	}
	e->h.size = sizeof(*e) + off;
	return e->h.size;
}

struct scan_item {
	uint32_t pid, ppid;
};

static int by_pid(const void *a, const void *b)
{
	const struct scan_item *x = a, *y = b;

	/* parents nearly always have lower pids than their children */
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void procfs_scan(const struct cgroup_layout *l, void (*fn)(const void *rec, size_t len, void *ctx),
		 void *ctx)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	struct scan_item *items = NULL;
	size_t n = 0, cap = 0;
	void *rec = vg_malloc(PROCFS_REC_MAX);

	if (!dir) {
		free(rec);
		return;
	}
	while ((de = readdir(dir))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (*end || !pid)
			continue;
		vg_grow(&items, &cap, n + 1, sizeof(*items));
		items[n++] = (struct scan_item){ .pid = pid };
	}
	closedir(dir);
	qsort(items, n, sizeof(*items), by_pid);
	/* two passes: parents first where the order says otherwise (pid wrap) */
	bool *done = vg_calloc(n ? n : 1, sizeof(bool));

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (done[i])
				continue;
			size_t len = procfs_snapshot_pid(l, items[i].pid, rec);

			if (!len) {
				done[i] = true;
				continue;
			}
			const struct vg_exec *e = rec;

			/* first pass: hold back processes whose parent comes later in the list */
			if (pass == 0 && e->task.ppid > items[i].pid)
				continue;
			fn(rec, len, ctx);
			done[i] = true;
		}
	free(done);
	free(items);
	free(rec);
}

size_t procfs_fd_link(uint32_t pid, int fd, uint64_t ino, char *out, size_t n)
{
	char path[64];
	struct stat st;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%u/fd/%d", pid, fd);
	len = readlink_str(path, out, n);
	if (!len)
		return 0;
	if (ino && (stat(path, &st) < 0 || st.st_ino != ino))
		return 0;
	return len;
}

uint64_t procfs_boot_wall_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return (rt.tv_sec - bt.tv_sec) * 1000000000ull + rt.tv_nsec - bt.tv_nsec;
}

void procfs_node_info(struct vg_node_info *ni, const char *node)
{
	struct utsname u;

	memset(ni, 0, sizeof(*ni));
	ni->h.kind = VG_EV_NODE_INFO;
	ni->h.size = sizeof(*ni);
	ni->boot_wall_ns = procfs_boot_wall_ns();
	snprintf(ni->node_name, sizeof(ni->node_name), "%.63s", node);
	if (uname(&u) == 0)
		snprintf(ni->kernel_release, sizeof(ni->kernel_release), "%.63s", u.release);
}
