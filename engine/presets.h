/*
 * presets.h - finding the shipped rule packs (the YAML files in presets/) without any
 * flag: next to the binary in the build tree, or in the installed share
 * directory.
 */
#ifndef VIGIL_PRESETS_H
#define VIGIL_PRESETS_H

#include <stddef.h>

/*
 * The presets directory: $VIGIL_PRESETS_DIR if set, else ../presets next to
 * the binary (build tree), else ../share/vigil/presets next to it, else the
 * share directory vigil was built for. Returns 0 and fills out, or -1.
 */
int presets_dir(char *out, size_t n);

/* pack names (file names without .yaml; _*.yaml are shared definitions), sorted */
#define PRESETS_BASE "_base.yaml"

int presets_packs(const char *dir, char ***names, size_t *n);
void presets_names_free(char **names, size_t n);

#endif /* VIGIL_PRESETS_H */
