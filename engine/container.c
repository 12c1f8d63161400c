/*
 * container.c - container and pod ids from cgroup paths.
 *
 * Layouts recognised (leaf component names; `ID` is 64 hex digits):
 *
 *   docker, cgroupfs driver        /docker/ID
 *   docker, systemd driver         /system.slice/docker-ID.scope
 *   containerd CRI, cgroupfs       /kubepods/besteffort/pod<uid>/ID
 *   containerd CRI, systemd        /kubepods.slice/.../kubepods-besteffort-pod<u_i_d>.slice/cri-containerd-ID.scope
 *   CRI-O                          .../crio-ID.scope  (crio-conmon-ID.scope is the monitor, not the container)
 *   podman                         /machine.slice/libpod-ID.scope, /libpod_parent/libpod-ID
 *   containerd (nerdctl, k3s)      /default/ID, /system.slice/nerdctl-ID.scope
 *
 * The path is read from the leaf upwards: the first component that names a
 * container gives the id, a `pod...` component above it gives the pod UID
 * (the systemd driver writes its dashes as underscores).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "container.h"
#include "u64map.h"
#include "util.h"

#define ID_LEN 64

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

struct prefix_runtime {
	const char *prefix;
	const char *runtime;
};

static const struct prefix_runtime prefixes[] = {
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "libpod-", "podman" },
	{ "nerdctl-", "containerd" },
};

/* the container id in one component, or NULL; sets *runtime when the prefix tells it */
static const char *component_id(const char *c, size_t n, const char **runtime)
{
	if (n > 6 && memcmp(c + n - 6, ".scope", 6) == 0)
		n -= 6;
	*runtime = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t pl = strlen(prefixes[i].prefix);

		if (n == pl + ID_LEN && memcmp(c, prefixes[i].prefix, pl) == 0 && all_hex(c + pl, ID_LEN)) {
			*runtime = prefixes[i].runtime;
			return c + pl;
		}
	}
	if (n == ID_LEN && all_hex(c, ID_LEN))
		return c;
	return NULL;
}

/* "pod<uid>" or "kubepods-<qos>-pod<u_i_d>.slice" -> "uid" with dashes */
static bool component_pod_uid(const char *c, size_t n, char *out)
{
	const char *p = NULL;

	for (size_t i = 0; i + 3 <= n; i++)
		if (memcmp(c + i, "pod", 3) == 0)
			p = c + i + 3;
	if (!p)
		return false;
	size_t len = n - (p - c);

	if (len > 6 && memcmp(p + len - 6, ".slice", 6) == 0)
		len -= 6;
	if (len != 36)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = p[i] == '_' ? '-' : p[i];
		bool dash = (i == 8 || i == 13 || i == 18 || i == 23);

		if (dash ? ch != '-' : !isxdigit((unsigned char)ch))
			return false;
		out[i] = ch;
	}
	out[len] = 0;
	return true;
}

bool container_parse(const char *path, char *id, const char **runtime, char *pod_uid)
{
	const char *end = path + strlen(path);
	const char *found = NULL;

	*runtime = NULL;
	pod_uid[0] = 0;
	id[0] = 0;
	/* walk components from the leaf up */
	while (end > path) {
		const char *start = end;

		while (start > path && start[-1] != '/')
			start--;
		size_t n = end - start;

		if (!found) {
			const char *rt;
			const char *cid = n ? component_id(start, n, &rt) : NULL;

			if (cid) {
				found = cid;
				memcpy(id, cid, ID_LEN);
				id[ID_LEN] = 0;
				*runtime = rt;
			}
		} else if (!pod_uid[0]) {
			component_pod_uid(start, n, pod_uid);
		}
		if (found && !*runtime) {
			if (n == 6 && memcmp(start, "docker", 6) == 0)
				*runtime = "docker";
			else if (n == 13 && memcmp(start, "libpod_parent", 13) == 0)
				*runtime = "podman";
		}
		end = start > path ? start - 1 : path;
	}
	if (!found)
		return false;
	if (!*runtime)
		*runtime = "containerd";
	return true;
}

/* --- interning ---------------------------------------------------------------- */

struct cached {
	char *path;
	struct container *c;   /* NULL: a host path */
};

#define CACHE_MAX 4096   /* distinct cgroup paths remembered; then start over */

static struct u64map cache;

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static struct container *make(const char *path)
{
	char id[128], pod[128];
	const char *rt;
	struct container *c;

	if (!container_parse(path, id, &rt, pod))
		return NULL;
	c = vg_calloc(1, sizeof(*c));
	c->refs = 1;
	c->id = vg_strdup(id);
	memcpy(c->short_id, id, 12);
	c->short_id[12] = 0;
	c->runtime = rt;
	c->pod_uid = pod[0] ? vg_strdup(pod) : NULL;
	return c;
}

struct container *container_get(const char *path)
{
	uint64_t h = fnv1a(path);
	struct cached *e = u64map_get(&cache, h);

	if (e && strcmp(e->path, path) == 0)
		return e->c ? container_ref(e->c) : NULL;
	struct container *c = make(path);

	if (!e && cache.len >= CACHE_MAX)
		container_cache_clear();
	if (!e) {  /* on a hash collision the first path keeps the slot */
		e = vg_malloc(sizeof(*e));
		e->path = vg_strdup(path);
		e->c = c ? container_ref(c) : NULL;
		u64map_put(&cache, h, e);
	}
	return c;
}

struct container *container_ref(struct container *c)
{
	if (c)
		c->refs++;
	return c;
}

void container_unref(struct container *c)
{
	if (!c || --c->refs > 0)
		return;
	free(c->id);
	free(c->pod_uid);
	free(c);
}

void container_cache_clear(void)
{
	size_t it = 0;
	void *v;

	while (u64map_next(&cache, &it, NULL, &v)) {
		struct cached *e = v;

		container_unref(e->c);
		free(e->path);
		free(e);
	}
	u64map_free(&cache);
}
