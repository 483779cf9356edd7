/* SPDX-License-Identifier: MIT */
/* Directory and single-file backends: walked with openat/fstatat, links never followed out. */
#define _GNU_SOURCE /* getdents64, struct dirent64's d_type, DT_DIR */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_int.h"
#include "xalloc.h"

struct dir_state {
    int rootfd;     /* the directory, or the single file's directory */
    char *realroot; /* realpath of the root, to keep links inside it */
    bool truncated; /* the entry limit was hit (said once) */
};

/* A name read from a directory, after the byte of its d_type (DT_UNKNOWN: not said). */
static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static char *join(const char *dir, const char *name)
{
    return *dir ? xjoin(dir, "/", name) : xstrdup(name);
}

/* Where a symlink at rel leads, if it stays inside the root: a path relative
 * to the root, or NULL with *why set. */
static char *resolve_inside(const struct dir_state *s, const char *rel, struct stat *st,
                            const char **why)
{
    char *full = xasprintf("%s/%s", s->realroot, rel);
    char *real = realpath(full, NULL);
    size_t n = strlen(s->realroot);
    char *out = NULL;

    *why = NULL;
    if (!real) {
        *why = errno == ELOOP ? "symbolic link loop" : "dangling symbolic link";
    } else if (strncmp(real, s->realroot, n) != 0 || real[n] != '/') {
        *why = "symbolic link points outside the bundle root";
    } else if (stat(real, st) != 0) {
        *why = "dangling symbolic link";
    } else {
        out = xstrdup(real + n + 1);
    }
    free(full);
    free(real);
    return out;
}

static void add_link(struct bundle *b, const struct dir_state *s, const char *rel)
{
    struct stat st;
    const char *why;
    char *target = resolve_inside(s, rel, &st, &why);
    struct bundle_entry *e;

    if (target && S_ISREG(st.st_mode)) {
        /* A link to a file inside the root: another name of that file (open_path, relative
         * to the root). It weighs what the file does, as zip -r stores it. */
        e = bundle_add_entry(b, rel, ENTRY_SYMLINK);
        e->open_path = target;
        e->size = e->stored = (uint64_t)st.st_size;
        return;
    }
    if (target && !S_ISDIR(st.st_mode)) {
        why = "symbolic link to a FIFO, socket or device: not opened";
        free(target);
        target = NULL;
    }
    e = bundle_add_entry(b, rel, ENTRY_SYMLINK);
    if (!target) {
        e->problem = xstrdup(why);
    }
    free(target); /* a link to a directory inside the root: its content is walked there */
}

static void walk(struct bundle *b, struct dir_state *s, int dirfd, const char *rel, unsigned depth);

static void add_child(struct bundle *b, struct dir_state *s, int dirfd, const char *rel,
                      const char *name, unsigned char type, unsigned depth)
{
    char *path = join(rel, name);
    struct stat st;
    struct bundle_entry *e;
    int fd;

    /* A directory, as readdir says: opened without a stat first (a walk's stats are most
     * of its time). If it is no longer one, the stat below says what it is. */
    if (type == DT_DIR && depth + 1 <= b->limits.max_depth &&
        (fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
        bundle_add_entry(b, path, ENTRY_DIR);
        walk(b, s, fd, path, depth + 1);
        free(path);
        return;
    }
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        e = bundle_add_entry(b, path, ENTRY_FILE);
        e->problem = xasprintf("cannot stat: %s", strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
        e = bundle_add_entry(b, path, ENTRY_FILE);
        e->size = e->stored = (uint64_t)st.st_size;
        e->problem = bundle_entry_problem(b, path, e->size, e->stored);
    } else if (S_ISDIR(st.st_mode)) {
        fd = depth + 1 > b->limits.max_depth
                 ? -1
                 : openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            bundle_add_entry(b, path, ENTRY_DIR);
            walk(b, s, fd, path, depth + 1);
        } else {
            e = bundle_add_entry(b, path, ENTRY_SPECIAL);
            e->problem = depth + 1 > b->limits.max_depth
                             ? xasprintf("directory nesting deeper than %u levels: not walked",
                                         b->limits.max_depth)
                             : xasprintf("cannot open directory: %s", strerror(errno));
        }
    } else if (S_ISLNK(st.st_mode)) {
        add_link(b, s, path);
    } else {
        e = bundle_add_entry(b, path, ENTRY_SPECIAL);
        e->problem = xstrdup(S_ISFIFO(st.st_mode)   ? "a FIFO, not a regular file: not opened"
                             : S_ISSOCK(st.st_mode) ? "a socket, not a regular file: not opened"
                                                    : "a device, not a regular file: not opened");
    }
    free(path);
}

/* Walk one directory (takes ownership of dirfd); names sorted so the entry
 * order does not depend on the file system. Read with getdents64: readdir's fdopendir
 * would stat and fcntl each directory once more. */
static void walk(struct bundle *b, struct dir_state *s, int dirfd, const char *rel, unsigned depth)
{
    char buf[16384];
    char **names = NULL;
    size_t nr = 0, alloc = 0;
    ssize_t got;

    while ((got = getdents64(dirfd, buf, sizeof(buf))) > 0) {
        for (ssize_t at = 0; at < got;) {
            const struct dirent64 *de = (const struct dirent64 *)(buf + at);
            size_t len = strlen(de->d_name);
            at += de->d_reclen;
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
                continue;
            }
            ALLOC_GROW(names, nr + 1, alloc);
            names[nr] = xmalloc(len + 2);
            names[nr][0] = (char)de->d_type;
            memcpy(names[nr++] + 1, de->d_name, len + 1);
        }
    }
    if (nr > 1) {
        qsort(names, nr, sizeof(*names), cmp_name);
    }
    for (size_t i = 0; i < nr; i++) {
        if (b->nr < b->limits.max_entries) {
            add_child(b, s, dirfd, rel, names[i] + 1, (unsigned char)names[i][0], depth);
        } else if (!s->truncated) {
            s->truncated = true;
            bundle_add_note(
                b, xasprintf("only the first %zu entries were read", b->limits.max_entries));
        }
        free(names[i]);
    }
    free(names);
    close(dirfd);
}

/* The entry's file, opened without following a link and without blocking. */
static int open_entry(const struct bundle *b, const struct bundle_entry *e, struct stat *st,
                      struct diag *d)
{
    const struct dir_state *s = b->priv;
    const char *name = e->open_path ? e->open_path : e->path;
    int fd;

    /* O_NONBLOCK: should a FIFO have replaced the file since the walk, open does not hang. */
    fd = openat(s->rootfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return diag_set(d, DIAG_IO, "cannot open: %s", strerror(errno));
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return diag_set(d, DIAG_IO, "no longer a regular file");
    }
    return fd;
}

static int read_fd(int fd, unsigned char *buf, size_t cap, size_t *got, struct diag *d)
{
    while (*got < cap) {
        ssize_t n = read(fd, buf + *got, cap - *got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return diag_set(d, DIAG_IO, "cannot read: %s", strerror(errno));
        }
        if (n == 0) {
            break;
        }
        *got += (size_t)n;
    }
    return 0;
}

static int dir_read(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                    size_t cap, size_t *got, struct diag *d)
{
    struct stat st;
    int fd = open_entry(r->b, e, &st, d), rc;

    *got = 0;
    if (fd < 0) {
        return -1;
    }
    rc = read_fd(fd, buf, cap, got, d);
    close(fd);
    return rc;
}

#define DIR_MAP_MIN (64 * 1024)

/* The whole file, mapped: libelf then touches only the pages it reads (headers, dynamic
 * section, version and symbol tables), as scanelf does. Private and writable, so that a
 * libelf converting in place writes to its own copy, never to the file. A file whose size
 * is not the walk's is read no further (the caller reports the difference). */
static int dir_whole(struct bundle_reader *r, const struct bundle_entry *e,
                     struct bundle_bytes *out, struct diag *d)
{
    struct stat st;
    int fd = open_entry(r->b, e, &st, d), rc = 0;
    void *map;

    if (fd < 0) {
        return -1;
    }
    out->len = (size_t)st.st_size;
    if ((uint64_t)st.st_size != e->size || st.st_size == 0) {
        out->data = NULL;
        close(fd);
        return 0;
    }
    /* A small file is read: mapping and unmapping it costs more than its pages, and on
     * several threads each munmap stops the others to flush their TLBs. */
    map = out->len < DIR_MAP_MIN ? MAP_FAILED
                                 : mmap(NULL, out->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
        out->data = map;
        out->maplen = out->len;
    } else {
        /* Small, or a file system that cannot map (some FUSE ones): read it. */
        size_t got = 0;
        out->data = bundle_reader_buffer(r, out->len + 1);
        rc = read_fd(fd, out->data, out->len + 1, &got, d);
        out->len = got;
        if (rc != 0) {
            out->data = NULL;
        }
    }
    close(fd);
    return rc;
}

static void dir_close(struct bundle *b)
{
    struct dir_state *s = b->priv;

    if (!s) {
        return;
    }
    if (s->rootfd >= 0) {
        close(s->rootfd);
    }
    free(s->realroot);
    free(s);
}

static const struct bundle_ops dir_ops = {
    .read = dir_read,
    .whole = dir_whole,
    .close = dir_close,
};

static int state_open(struct bundle *b, const char *dirpath, struct diag *d)
{
    struct dir_state *s = xcalloc(1, sizeof(*s));

    s->rootfd = -1;
    b->priv = s;
    b->ops = &dir_ops;
    s->realroot = realpath(dirpath, NULL);
    if (!s->realroot) {
        return diag_set(d, DIAG_IO, "cannot resolve '%s': %s", dirpath, strerror(errno));
    }
    s->rootfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->rootfd < 0) {
        return diag_set(d, DIAG_IO, "cannot open directory '%s': %s", dirpath, strerror(errno));
    }
    return 0;
}

int bundle_dir_open(struct bundle *b, const char *path, struct diag *d)
{
    struct dir_state *s;
    int fd;

    if (state_open(b, path, d) != 0) {
        return -1;
    }
    s = b->priv;
    fd = dup(s->rootfd);
    if (fd < 0) {
        return diag_set(d, DIAG_IO, "cannot read directory '%s': %s", path, strerror(errno));
    }
    walk(b, s, fd, "", 0);
    return 0;
}

int bundle_file_open(struct bundle *b, const char *path, struct diag *d)
{
    /* A link given by name is followed (the user named it); the entry keeps the given name. */
    char *real = realpath(path, NULL);
    const char *given = strrchr(path, '/');
    char *slash;
    struct bundle_entry *e;
    struct stat st;
    int rc;

    if (!real || stat(real, &st) != 0) {
        rc = diag_set(d, DIAG_IO, "cannot resolve '%s': %s", path, strerror(errno));
        free(real);
        return rc;
    }
    slash = strrchr(real, '/');
    *slash = '\0';
    rc = state_open(b, *real ? real : "/", d);
    if (rc == 0) {
        e = bundle_add_entry(b, given ? given + 1 : path, ENTRY_FILE);
        e->open_path = xstrdup(slash + 1);
        e->size = e->stored = (uint64_t)st.st_size;
    }
    free(real);
    return rc;
}
