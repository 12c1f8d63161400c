/*
 * proc_table.c - pid -> process slot bookkeeping.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "container.h"
#include "procfs.h"
#include "proc_table.h"
#include "util.h"

void proc_table_init(struct proc_table *t, const char *node, size_t max, bool live)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->node, sizeof(t->node), "%s", node);
	t->max = max;
	t->live = live;
	if (live)
		cgroup_layout_detect(&t->cgl);
	else
		t->cgl.subsys_idx = -1;
}

static void slot_free(struct proc_slot *s)
{
	proc_unref(s->cur);
	fd_table_clear(&s->fds);
	free(s);
}

void proc_table_free(struct proc_table *t)
{
	size_t it = 0;
	void *v;

	while (u64map_next(&t->slots, &it, NULL, &v))
		slot_free(v);
	u64map_free(&t->slots);
	it = 0;
	while (u64map_next(&t->recent, &it, NULL, &v))
		proc_unref(v);
	u64map_free(&t->recent);
}

static void remember_exit(struct proc_table *t, uint32_t pid, struct proc *p)
{
	if (t->recent_len == PROC_RECENT_EXITS) {
		uint32_t old = t->recent_pids[t->recent_head];

		proc_unref(u64map_del(&t->recent, old));
		t->recent_head = (t->recent_head + 1) % PROC_RECENT_EXITS;
		t->recent_len--;
	}
	/* a pid reused and exited again replaces its older image; its FIFO entry then frees nothing */
	proc_unref(u64map_put(&t->recent, pid, proc_ref(p)));
	t->recent_pids[(t->recent_head + t->recent_len) % PROC_RECENT_EXITS] = pid;
	t->recent_len++;
}

struct proc *proc_table_recent(struct proc_table *t, uint32_t pid)
{
	struct proc_slot *s = u64map_get(&t->slots, pid);

	return s ? s->cur : u64map_get(&t->recent, pid);
}

/* string lengths in records include the NUL; a zero length means absent */
static const char *take(const uint8_t **p, uint16_t len, size_t *out_len)
{
	const char *s = (const char *)*p;

	*p += len;
	*out_len = len ? len - 1 : 0;
	return len ? s : "";
}

void vg_exec_strings(const struct vg_exec *e, struct proc_strings *s, const char **cgroup,
		     const char **filename)
{
	const uint8_t *p = e->data;
	size_t ignored;

	s->exe = take(&p, e->exe_len, &s->exe_len);
	s->args = (const char *)p;
	s->args_len = e->args_len;
	p += e->args_len;
	s->cwd = take(&p, e->cwd_len, &s->cwd_len);
	*cgroup = take(&p, e->cgroup_len, &ignored);
	*filename = take(&p, e->filename_len, &ignored);
}

static void sweep(struct proc_table *t)
{
	size_t it = 0;
	uint64_t pid;
	void *v;
	uint32_t *dead = NULL;
	size_t n = 0, cap = 0;

	while (u64map_next(&t->slots, &it, &pid, &v))
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
			vg_grow(&dead, &cap, n + 1, sizeof(*dead));
			dead[n++] = pid;
		}
	for (size_t i = 0; i < n; i++)
		slot_free(u64map_del(&t->slots, dead[i]));
	t->swept += n;
	free(dead);
}

/* make room for one more process */
static void make_room(struct proc_table *t)
{
	if (t->slots.len < t->max)
		return;
	if (t->live)
		sweep(t);
	while (t->slots.len >= t->max) {
		/* evict the process with the oldest image */
		size_t it = 0;
		uint64_t pid, victim = 0, oldest = UINT64_MAX;
		void *v;

		while (u64map_next(&t->slots, &it, &pid, &v)) {
			struct proc_slot *s = v;

			if (s->cur->exec_time < oldest) {
				oldest = s->cur->exec_time;
				victim = pid;
			}
		}
		slot_free(u64map_del(&t->slots, victim));
		t->evicted++;
	}
}

static struct proc_slot *slot_for(struct proc_table *t, uint32_t pid)
{
	struct proc_slot *s = u64map_get(&t->slots, pid);

	if (!s) {
		make_room(t);
		s = vg_calloc(1, sizeof(*s));
		u64map_put(&t->slots, pid, s);
	}
	return s;
}

static void install(struct proc_slot *s, struct proc *p)
{
	proc_unref(s->cur);
	s->cur = p;
}

static struct proc *parent_of(struct proc_table *t, uint32_t ppid, uint32_t pid)
{
	if (!ppid || ppid == pid)
		return NULL;
	struct proc_slot *s = u64map_get(&t->slots, ppid);

	if (!s && t->live)
		s = proc_table_slot(t, ppid);
	return s ? s->cur : NULL;
}

/*
 * Whether exec was given a file descriptor rather than a path: the kernel
 * names an execveat(fd, "", AT_EMPTY_PATH) "/dev/fd/N", and a program may
 * pass /proc/self/fd/N itself.
 */
static bool exec_through_fd(const char *filename)
{
	const char *p;

	if (strncmp(filename, "/dev/fd/", 8) == 0) {
		p = filename + 8;
	} else if (strncmp(filename, "/proc/", 6) == 0) {
		p = filename + 6;
		if (strncmp(p, "self/", 5) == 0)
			p += 5;
		else if (strncmp(p, "thread-self/", 12) == 0)
			p += 12;
		else if (*p >= '0' && *p <= '9' && p[strspn(p, "0123456789")] == '/')
			p += strspn(p, "0123456789") + 1;
		else
			return false;
		if (strncmp(p, "fd/", 3) != 0)
			return false;
		p += 3;
	} else {
		return false;
	}
	return *p && strspn(p, "0123456789") == strlen(p);
}

struct proc *proc_table_exec(struct proc_table *t, const struct vg_exec *e)
{
	struct proc_strings ps;
	const char *cgroup, *filename;
	uint32_t pid = e->h.pid;
	struct proc *parent = parent_of(t, e->task.ppid, pid);
	struct container *c;
	struct proc *p;

	vg_exec_strings(e, &ps, &cgroup, &filename);
	c = container_get(cgroup);
	p = proc_new(t->node, pid, &e->task, e->h.ts, &ps, parent, c);
	container_unref(c);
	p->flags = e->h.kind == VG_EV_PROC_SNAPSHOT ? PROC_F_PROCFS : PROC_F_EXECVE;
	if (e->h.flags & VG_F_TRUNCATED)
		p->flags |= PROC_F_TRUNCATED;
	if (exec_through_fd(filename))
		p->flags |= PROC_F_EXEC_FD;
	p->exe_ino = e->exe_ino;
	p->exe_mtime = e->exe_mtime;
	p->exe_ctime = e->exe_ctime;
	p->exe_dev = e->exe_dev;
	p->exe_flags = e->exe_flags;
	/* the slot may have been created (placeholder) while looking up the parent */
	install(slot_for(t, pid), p);
	return p;
}

struct proc *proc_table_fork(struct proc_table *t, const struct vg_fork *f)
{
	uint32_t pid = f->h.pid;
	struct proc *parent = parent_of(t, f->task.ppid, pid);
	struct proc_strings s = { .exe = "", .args = "", .cwd = "" };
	struct proc *p;

	if (parent) {
		s.exe = parent->exe;
		s.exe_len = strlen(parent->exe);
		s.args = parent->args;
		s.args_len = parent->args_len;
		s.cwd = parent->cwd;
		s.cwd_len = strlen(parent->cwd);
	}
	p = proc_new(t->node, pid, &f->task, f->h.ts, &s, parent, parent ? parent->container : NULL);
	p->flags = PROC_F_CLONE;
	if (parent) {
		p->flags |= parent->flags & (PROC_F_TRUNCATED | PROC_F_EXEC_FD);
		p->exe_ino = parent->exe_ino;
		p->exe_mtime = parent->exe_mtime;
		p->exe_ctime = parent->exe_ctime;
		p->exe_dev = parent->exe_dev;
		p->exe_flags = parent->exe_flags;
	}
	/* p holds its parent; look the parent's slot up again after making room */
	struct proc_slot *cs = slot_for(t, pid);
	struct proc_slot *ps = u64map_get(&t->slots, f->task.ppid);

	install(cs, p);
	fd_table_clear(&cs->fds);
	if (ps && ps != cs)
		fd_table_copy(&cs->fds, &ps->fds);
	return p;
}

struct proc *proc_table_exit(struct proc_table *t, uint32_t pid)
{
	struct proc_slot *s = u64map_del(&t->slots, pid);
	struct proc *p;

	if (!s)
		return NULL;
	p = proc_ref(s->cur);
	slot_free(s);
	remember_exit(t, pid, p);
	return p;
}

struct proc_slot *proc_table_slot(struct proc_table *t, uint32_t pid)
{
	struct proc_slot *s = u64map_get(&t->slots, pid);

	if (s)
		return s;
	if (t->live) {
		void *rec = vg_malloc(PROCFS_REC_MAX);
		size_t len = procfs_snapshot_pid(&t->cgl, pid, rec);

		if (len) {
			if (t->on_procfs)
				t->on_procfs(t->on_procfs_ctx, rec, len);
			proc_table_exec(t, rec);
			t->from_procfs++;
		}
		free(rec);
		s = u64map_get(&t->slots, pid);
		if (s)
			return s;
	}
	/* a placeholder: the pid is all we know */
	struct vg_task task = { 0 };
	struct proc_strings none = { .exe = "", .args = "", .cwd = "" };

	task.creds.auid = (uint32_t)-1;
	s = slot_for(t, pid);
	install(s, proc_new(t->node, pid, &task, 0, &none, NULL, NULL));
	t->unknown++;
	return s;
}

void proc_table_set_cwd(struct proc_table *t, uint32_t pid, const char *cwd)
{
	struct proc_slot *s = proc_table_slot(t, pid);

	if (strcmp(s->cur->cwd, cwd) != 0)
		install(s, proc_with_cwd(s->cur, cwd));
}
