/*
 * users.c - id -> name tables from the passwd and group files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "u64map.h"
#include "users.h"
#include "util.h"

struct idfile {
	const char *rel;        /* "etc/passwd" */
	struct u64map names;    /* id -> char* */
	struct timespec mtime;
	time_t checked;         /* CLOCK_MONOTONIC seconds of the last stat */
	char **retired;         /* names replaced by a re-read, freed at users_free */
	size_t nretired, cap;
};

static char root[256] = "/";
static struct idfile passwd = { .rel = "etc/passwd" };
static struct idfile group = { .rel = "etc/group" };

void users_set_root(const char *r)
{
	snprintf(root, sizeof(root), "%s", r);
	users_free();
}

static void retire(struct idfile *f, char *name)
{
	vg_grow(&f->retired, &f->cap, f->nretired + 1, sizeof(char *));
	f->retired[f->nretired++] = name;
}

/* lines "name:x:id:..." */
static void load(struct idfile *f, const char *path)
{
	FILE *in = fopen(path, "re");
	char line[1024];

	if (!in)
		return;
	while (fgets(line, sizeof(line), in)) {
		char *name = line, *c1 = strchr(line, ':'), *c2, *end;

		if (!c1 || line[0] == '#')
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			continue;
		*c1 = 0;
		unsigned long id = strtoul(c2 + 1, &end, 10);

		if (end == c2 + 1 || *end != ':')
			continue;
		char *old = u64map_get(&f->names, id);

		if (old && strcmp(old, name) == 0)
			continue;
		if (old)
			retire(f, old);
		u64map_put(&f->names, id, vg_strdup(name));
	}
	fclose(in);
}

static void refresh(struct idfile *f)
{
	struct timespec now;
	struct stat st;
	char path[512];

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (f->checked && now.tv_sec == f->checked)
		return;
	f->checked = now.tv_sec ? now.tv_sec : 1;
	snprintf(path, sizeof(path), "%s/%s", root, f->rel);
	if (stat(path, &st) < 0)
		return;
	if (st.st_mtim.tv_sec == f->mtime.tv_sec && st.st_mtim.tv_nsec == f->mtime.tv_nsec)
		return;
	f->mtime = st.st_mtim;
	load(f, path);
}

const char *users_name(uint32_t uid)
{
	refresh(&passwd);
	return u64map_get(&passwd.names, uid);
}

const char *groups_name(uint32_t gid)
{
	refresh(&group);
	return u64map_get(&group.names, gid);
}

static void free_file(struct idfile *f)
{
	size_t it = 0;
	void *v;

	while (u64map_next(&f->names, &it, NULL, &v))
		free(v);
	u64map_free(&f->names);
	for (size_t i = 0; i < f->nretired; i++)
		free(f->retired[i]);
	free(f->retired);
	f->retired = NULL;
	f->nretired = f->cap = 0;
	f->checked = 0;
	memset(&f->mtime, 0, sizeof(f->mtime));
}

void users_free(void)
{
	free_file(&passwd);
	free_file(&group);
}
