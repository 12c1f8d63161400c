/*
 * rules_load.c - ruleset_load(): rules files and directories in, one
 * ruleset out, all or nothing.
 *
 * Every file is read into items first; only if all of them read cleanly
 * are the items assembled, because a broken file would otherwise show up
 * again as a cascade of "undefined macro" errors in the files after it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ruleset.h"
#include "ruleset_assemble.h"
#include "rules_yaml.h"
#include "xalloc.h"

struct loading {
	struct ruleset_src rs;
	size_t files_cap;
	struct rules_items items;
	struct diags *d;
};

static void file_error(struct loading *l, const char *path, const char *what)
{
	struct src_pos pos = { path, 0, 0 };

	diag_add(l->d, DIAG_ERROR, pos, NULL, "%s: %s", what, strerror(errno));
}

/* Keep the file's name for positions and read its items. */
static void load_text(struct loading *l, const char *name, const char *text, size_t len)
{
	char *kept = xstrdup(name);

	xgrow(&l->rs.files, &l->files_cap, l->rs.nfiles + 1, sizeof(*l->rs.files));
	l->rs.files[l->rs.nfiles++] = kept;
	rules_yaml_read(kept, text, len, &l->items, l->d);
}

static void load_file(struct loading *l, const char *path)
{
	size_t len = 0, cap = 0, n;
	char *text = NULL;
	FILE *f = fopen(path, "rb");

	if (!f) {
		file_error(l, path, "cannot open");
		return;
	}
	do {
		xgrow(&text, &cap, len + 65536, 1);
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
		file_error(l, path, "cannot read");
	else
		load_text(l, path, text, len);
	fclose(f);
	free(text);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_rules_file_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
				  (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

/* A directory's *.yaml and *.yml files (not subdirectories), by name. */
static void load_dir(struct loading *l, const char *path)
{
	size_t n = 0, cap = 0, i;
	char **names = NULL, *full;
	struct dirent *e;
	struct stat st;
	DIR *dir = opendir(path);

	if (!dir) {
		file_error(l, path, "cannot open directory");
		return;
	}
	while ((e = readdir(dir))) {
		if (!is_rules_file_name(e->d_name))
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (asprintf(&full, "%s/%s", path, names[i]) < 0)
			xalloc_fail();
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			load_file(l, full);
		free(full);
		free(names[i]);
	}
	free(names);
}

/* Assemble what was read into *out, or report failure and leave *out empty. */
static int finish(struct loading *l, size_t errors, struct ruleset_src *out)
{
	if (l->d->nerrors == errors)
		ruleset_assemble(&l->items, &l->rs, l->d);
	l->rs.required_plugins = l->items.plugins;
	l->rs.nrequired_plugins = l->items.nplugins;
	l->items.plugins = NULL;
	l->items.nplugins = 0;
	rules_items_free(&l->items);
	memset(out, 0, sizeof(*out));
	if (l->d->nerrors > errors) {
		ruleset_src_free(&l->rs);
		return -1;
	}
	*out = l->rs;
	return 0;
}

int ruleset_load(const char *const *paths, size_t npaths, struct ruleset_src *out, struct diags *d)
{
	struct loading l = { .d = d };
	size_t errors = d->nerrors, i;
	struct stat st;

	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) != 0)
			file_error(&l, paths[i], "cannot open");
		else if (S_ISDIR(st.st_mode))
			load_dir(&l, paths[i]);
		else
			load_file(&l, paths[i]);
	}
	return finish(&l, errors, out);
}

int ruleset_load_string(const char *name, const char *text, size_t len, struct ruleset_src *out,
			struct diags *d)
{
	struct loading l = { .d = d };
	size_t errors = d->nerrors;

	load_text(&l, name, text, len);
	return finish(&l, errors, out);
}

void ruleset_src_free(struct ruleset_src *rs)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		rule_def_free(&rs->rules[i]);
	free(rs->rules);
	for (i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	for (i = 0; i < rs->nrequired_plugins; i++)
		free(rs->required_plugins[i]);
	free(rs->required_plugins);
	memset(rs, 0, sizeof(*rs));
}
