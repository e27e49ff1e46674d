/*
 * bootstrap: what Lambda's provided.al2023 runtime starts.
 *
 * Amazon Linux 2023 has glibc 2.34; the function binary and its libraries were built against a
 * newer one, which the archive carries in lib/ together with its dynamic loader. This program is
 * linked statically, so it runs on any Linux kernel, and replaces itself with
 *
 *     lib/LOADER --inhibit-cache --library-path lib --argv0 bin/PROGRAM bin/PROGRAM ARGS...
 *
 * so that only the archive's libraries are loaded, never the host's. It also names the
 * archive's certificate bundle (COLLECTIONS_CA_BUNDLE) and where libvips finds its modules (VIPSHOME),
 * unless the environment already does.
 *
 * lambda-package compiles it once per function with COLLECTIONS_PROGRAM ("bin/Analyzer") and
 * COLLECTIONS_LOADER ("lib/ld-linux-x86-64.so.2") defined.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef COLLECTIONS_PROGRAM
#error "define COLLECTIONS_PROGRAM as the function binary's path inside the archive"
#endif
#ifndef COLLECTIONS_LOADER
#error "define COLLECTIONS_LOADER as the dynamic loader's path inside the archive"
#endif

/* The folder this program was started from: the archive's root (/var/task on Lambda). */
static int archive_root(char *root, size_t size) {
    ssize_t length = readlink("/proc/self/exe", root, size - 1);
    if (length > 0) {
        root[length] = '\0';
        char *slash = strrchr(root, '/');
        if (slash != NULL) {
            *slash = '\0';
            return 0;
        }
    }
    const char *task_root = getenv("LAMBDA_TASK_ROOT");
    if (task_root == NULL || task_root[0] == '\0') return -1;
    if (snprintf(root, size, "%s", task_root) >= (int)size) return -1;
    return 0;
}

static int join(char *out, size_t size, const char *root, const char *relative) {
    return snprintf(out, size, "%s/%s", root, relative) >= (int)size ? -1 : 0;
}

int main(int argc, char **argv) {
    char root[PATH_MAX], loader[PATH_MAX], libraries[PATH_MAX], program[PATH_MAX], bundle[PATH_MAX];
    if (archive_root(root, sizeof root) != 0) {
        fprintf(stderr, "bootstrap: cannot find the archive's folder (no /proc/self/exe, no LAMBDA_TASK_ROOT)\n");
        return 127;
    }
    if (join(loader, sizeof loader, root, COLLECTIONS_LOADER) != 0 || join(libraries, sizeof libraries, root, "lib") != 0
        || join(program, sizeof program, root, COLLECTIONS_PROGRAM) != 0
        || join(bundle, sizeof bundle, root, "certs/ca-certificates.crt") != 0) {
        fprintf(stderr, "bootstrap: the archive's path is too long: %s\n", root);
        return 127;
    }
    setenv("COLLECTIONS_CA_BUNDLE", bundle, 0);
    /* libvips looks for its modules in $VIPSHOME/x86_64-linux-gnu/vips-modules-8.14 (the last
       part of the folder it was built to load from, then its version): lambda-package puts them
       in lib/ that way. */
    setenv("VIPSHOME", libraries, 0);

    char **arguments = calloc((size_t)argc + 8, sizeof *arguments);
    if (arguments == NULL) {
        fprintf(stderr, "bootstrap: out of memory\n");
        return 127;
    }
    int count = 0;
    arguments[count++] = loader;
    arguments[count++] = "--inhibit-cache";
    arguments[count++] = "--library-path";
    arguments[count++] = libraries;
    arguments[count++] = "--argv0";
    arguments[count++] = program;
    arguments[count++] = program;
    for (int index = 1; index < argc; index++) arguments[count++] = argv[index];
    arguments[count] = NULL;
    execv(loader, arguments);
    fprintf(stderr, "bootstrap: cannot start %s: %s\n", loader, strerror(errno));
    return 127;
}
