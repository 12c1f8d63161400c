/*
 * container.h - which container (and Kubernetes pod) a process is in,
 * recognised from its cgroup path.
 *
 * Container runtimes name the cgroup of each container after the container
 * id, and the kubelet names the parent cgroup after the pod UID, with a
 * layout that depends on the runtime and on the cgroup driver (cgroupfs or
 * systemd). Parsing the path needs no runtime socket and works for every
 * process, including short-lived ones. Results are interned: processes of
 * one container share one struct container.
 */
#ifndef VIGIL_CONTAINER_H
#define VIGIL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

struct container {
	int refs;
	char *id;            /* full id as the runtime names it (usually 64 hex digits) */
	char short_id[13];   /* first 12 characters, as `docker ps` and Falco show it */
	const char *runtime; /* "docker", "containerd", "cri-o", "podman" */
	char *pod_uid;       /* Kubernetes pod UID with dashes, or NULL */
};

/*
 * Parse one cgroup path (or a tail of one: "a/b/c"). Returns true and fills
 * id/runtime/pod_uid (caller-provided buffers of at least 128 bytes) when the
 * path names a container.
 */
bool container_parse(const char *cgroup_path, char *id, const char **runtime, char *pod_uid);

/* Interned container for a cgroup path; NULL for host processes. Returns a new reference. */
struct container *container_get(const char *cgroup_path);
struct container *container_ref(struct container *c);
void container_unref(struct container *c);
/* drop the intern cache (at exit, so leak checkers stay quiet) */
void container_cache_clear(void);

#endif /* VIGIL_CONTAINER_H */
