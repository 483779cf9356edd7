/* SPDX-License-Identifier: MIT */
/* Write to a temporary name beside the target, rename when complete. */
#include "atomicfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

int atomicfile_open(struct atomicfile *af, const char *path, struct diag *d)
{
    const char *slash = strrchr(path, '/');
    int fd;

    memset(af, 0, sizeof(*af));
    /* ".NAME.XXXXXX" in the target's directory: hidden, and on the same file system. */
    af->tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                    : xasprintf(".%s.XXXXXX", path);
    fd = mkstemp(af->tmp);
    if (fd < 0) {
        int e = errno;
        free(af->tmp);
        af->tmp = NULL;
        return diag_set(d, DIAG_IO, "cannot write '%s': %s", path, strerror(e));
    }
    /* mkstemp makes it 0600; a report is as readable as any file the user creates. */
    {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    af->f = fdopen(fd, "w");
    if (!af->f) {
        close(fd);
        unlink(af->tmp);
        free(af->tmp);
        af->tmp = NULL;
        return diag_set(d, DIAG_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    af->path = xstrdup(path);
    return 0;
}

int atomicfile_commit(struct atomicfile *af, struct diag *d)
{
    int rc = 0;

    if (fflush(af->f) != 0 || ferror(af->f)) {
        rc = diag_set(d, DIAG_IO, "cannot write '%s': %s", af->path, strerror(errno));
    }
    if (fclose(af->f) != 0 && rc == 0) {
        rc = diag_set(d, DIAG_IO, "cannot write '%s': %s", af->path, strerror(errno));
    }
    af->f = NULL;
    if (rc == 0 && rename(af->tmp, af->path) != 0) {
        rc = diag_set(d, DIAG_IO, "cannot write '%s': %s", af->path, strerror(errno));
    }
    if (rc != 0) {
        unlink(af->tmp);
    }
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    return rc;
}

void atomicfile_abort(struct atomicfile *af)
{
    if (af->f) {
        fclose(af->f);
    }
    if (af->tmp) {
        unlink(af->tmp);
    }
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
}

void atomicfile_remove_stale(const char *path)
{
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        unlink(path);
    }
}
