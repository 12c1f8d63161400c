/*
 * presets.c - locating preset packs.
 */
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "presets.h"
#include "util.h"

#ifndef VIGIL_SHARE_DIR
#define VIGIL_SHARE_DIR "/usr/local/share/vigil"
#endif

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int presets_dir(char *out, size_t n)
{
	const char *env = getenv("VIGIL_PRESETS_DIR");
	char exe[PATH_MAX];
	ssize_t len;

	if (env && env[0]) {
		snprintf(out, n, "%s", env);
		return is_dir(out) ? 0 : -1;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = 0;
		const char *dir = dirname(exe);
		static const char *const rel[] = { "../presets", "../share/vigil/presets" };

		for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
			char cand[PATH_MAX + 32];

			snprintf(cand, sizeof(cand), "%s/%s", dir, rel[i]);
			if (is_dir(cand) && realpath(cand, exe)) {
				snprintf(out, n, "%s", exe);
				return 0;
			}
		}
	}
	snprintf(out, n, "%s/presets", VIGIL_SHARE_DIR);
	return is_dir(out) ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int presets_packs(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		/* "_base.yaml" and the like are shared definitions, not packs */
		if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0 && de->d_name[0] != '.' &&
		    de->d_name[0] != '_') {
			vg_grow(names, &cap, *n + 1, sizeof(char *));
			(*names)[(*n)++] = vg_strndup(de->d_name, l - 5);
		}
	}
	closedir(d);
	qsort(*names, *n, sizeof(char *), by_name);
	return 0;
}

void presets_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
