/*
 * proc.c - process images: creation, versions, ancestry, exec ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "container.h"
#include "proc.h"
#include "util.h"

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t base64(const unsigned char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 <= cap; i += 3) {
		uint32_t v = in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);

		out[o++] = b64chars[(v >> 18) & 63];
		out[o++] = b64chars[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64chars[v & 63] : '=';
	}
	out[o] = 0;
	return o;
}

void proc_make_exec_id(const char *node, uint64_t exec_time, uint32_t pid, char *out, size_t n)
{
	char raw[192];
	int len = snprintf(raw, sizeof(raw), "%.64s:%llu:%u", node, (unsigned long long)exec_time, pid);

	base64((const unsigned char *)raw, (size_t)len, out, n);
}

static struct proc *alloc_with(const struct proc_strings *s, const char *exec_id)
{
	size_t idlen = strlen(exec_id);
	size_t total = s->exe_len + 1 + s->args_len + 1 + s->cwd_len + 1 + idlen + 1;
	struct proc *p = vg_calloc(1, sizeof(*p) + total);
	char *w = p->strings;

	p->refs = 1;
	memcpy(w, s->exe, s->exe_len);
	w[s->exe_len] = 0;
	p->exe = w;
	w += s->exe_len + 1;
	memcpy(w, s->args, s->args_len);
	w[s->args_len] = 0;
	p->args = w;
	p->args_len = s->args_len;
	for (size_t i = 0; i < s->args_len; i++)
		if (w[i] == 0)
			p->argc++;
	if (s->args_len && w[s->args_len - 1] != 0)
		p->argc++;  /* a cut block ends without its NUL */
	w += s->args_len + 1;
	memcpy(w, s->cwd, s->cwd_len);
	w[s->cwd_len] = 0;
	p->cwd = w;
	w += s->cwd_len + 1;
	memcpy(w, exec_id, idlen + 1);
	p->exec_id = w;
	return p;
}

struct proc *proc_new(const char *node, uint32_t pid, const struct vg_task *task, uint64_t exec_time,
		      const struct proc_strings *s, struct proc *parent, struct container *c)
{
	char id[256];
	struct proc *p;

	proc_make_exec_id(node, exec_time, pid, id, sizeof(id));
	p = alloc_with(s, id);
	p->pid = pid;
	p->task = *task;
	p->exec_time = exec_time;
	p->parent = proc_ref(parent);
	p->container = container_ref(c);
	return p;
}

struct proc *proc_with_cwd(const struct proc *o, const char *cwd)
{
	struct proc_strings s = {
		.exe = o->exe, .exe_len = strlen(o->exe),
		.args = o->args, .args_len = o->args_len,
		.cwd = cwd, .cwd_len = strlen(cwd),
	};
	struct proc *p = alloc_with(&s, o->exec_id);
	const char *exe = p->exe, *args = p->args, *pcwd = p->cwd, *id = p->exec_id;

	/* copy the scalar facts (not the trailing strings), then point at this version's strings */
	memcpy(p, o, offsetof(struct proc, strings));
	p->refs = 1;
	p->exe = exe;
	p->args = args;
	p->cwd = pcwd;
	p->exec_id = id;
	p->json = NULL;  /* its cwd differs: written anew when needed */
	p->json_len = 0;
	proc_ref(p->parent);
	container_ref(p->container);
	return p;
}

struct proc *proc_ref(struct proc *p)
{
	if (p)
		p->refs++;
	return p;
}

void proc_unref(struct proc *p)
{
	/* iterative over the parent chain, so long chains cannot overflow the stack */
	while (p && --p->refs == 0) {
		struct proc *parent = p->parent;

		container_unref(p->container);
		free(p->json);
		free(p);
		p = parent;
	}
}

const char *proc_argv0(const struct proc *p)
{
	return p->args_len ? p->args : "";
}

const char *proc_exe_name(const struct proc *p)
{
	const char *slash = strrchr(p->exe, '/');

	if (slash)
		return slash + 1;
	return p->exe[0] ? p->exe : p->task.comm;
}

const struct proc *proc_ancestor(const struct proc *p, int n)
{
	while (p && n-- > 0)
		p = p->parent;
	return p;
}
