/*
 * path_resolve.h - making the paths syscalls were given absolute.
 *
 * A syscall's path is relative to its dirfd or to the process's working
 * directory; rules want absolute, normalised paths (fd.name), and the raw
 * text too (fd.nameraw, where "../" tricks show). Normalisation is lexical,
 * as Falco's: "." and ".." are folded without consulting the filesystem.
 */
#ifndef VIGIL_PATH_RESOLVE_H
#define VIGIL_PATH_RESOLVE_H

#include <stddef.h>

/*
 * Resolve `path` against `base` (an absolute directory; ignored when path is
 * absolute) into out. Returns the length written, or 0 when base is needed
 * but unknown (NULL or empty) or the result does not fit.
 */
size_t path_resolve(const char *base, const char *path, char *out, size_t n);

#endif /* VIGIL_PATH_RESOLVE_H */
