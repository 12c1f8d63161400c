/*
 * cgroup_layout.c - choosing the hierarchy, and reading a process's path in it.
 */
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include "cgroup_layout.h"
#include "util.h"

static void find_v2_mount(struct cgroup_layout *l)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;

	l->v2_mount[0] = 0;
	if (!f)
		return;
	while ((m = getmntent(f)))
		if (strcmp(m->mnt_type, "cgroup2") == 0) {
			snprintf(l->v2_mount, sizeof(l->v2_mount), "%s", m->mnt_dir);
			break;
		}
	endmntent(f);
}

void cgroup_layout_detect(struct cgroup_layout *l)
{
	/* preferred v1 controllers: every runtime puts containers in these */
	static const char *const wanted[] = { "pids", "memory", "cpu", "devices", "freezer" };
	char names[32][32];
	int hier[32] = { 0 }, n = 0;
	char line[256];
	FILE *f;

	l->subsys_idx = -1;
	l->subsys_name[0] = 0;
	find_v2_mount(l);
	/* /proc/cgroups lists the compiled-in controllers in subsys id order */
	f = fopen("/proc/cgroups", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && n < 32) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%31s %d", names[n], &hier[n]) == 2)
			n++;
	}
	fclose(f);
	for (size_t w = 0; w < ARRAY_SIZE(wanted); w++)
		for (int i = 0; i < n && i < 16; i++)
			if (hier[i] > 0 && strcmp(names[i], wanted[w]) == 0) {
				l->subsys_idx = i;
				snprintf(l->subsys_name, sizeof(l->subsys_name), "%.31s", names[i]);
				return;
			}
}

int cgroup_layout_path(const struct cgroup_layout *l, int pid, char *out, size_t n)
{
	char path[64], line[1024];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f)) {
		/* "hierarchy-id:controller,list:/path" */
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c1 = 0;
		*c2 = 0;
		c2[1 + strcspn(c2 + 1, "\n")] = 0;
		const char *ctrls = c1 + 1, *cpath = c2 + 1;
		bool match = false;

		if (l->subsys_idx < 0) {
			match = ctrls[0] == 0 && strcmp(line, "0") == 0;
		} else {
			for (const char *p = ctrls; *p;) {
				size_t len = strcspn(p, ",");

				if (len == strlen(l->subsys_name) && strncmp(p, l->subsys_name, len) == 0)
					match = true;
				p += len + (p[len] == ',');
			}
		}
		if (match) {
			snprintf(out, n, "%s", cpath);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}
