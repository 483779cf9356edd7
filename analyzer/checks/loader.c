/* SPDX-License-Identifier: MIT */
/* DT_NEEDED resolution as ld.so does it on Lambda, over the bundle view and the OS data. */
#include "loader.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

bool loader_musl_soname(const char *soname)
{
    return !strncmp(soname, "libc.musl-", 10) || !strcmp(soname, "libc.so");
}

bool loader_loadable(const struct profile *p, const struct member *obj)
{
    const struct elfinfo *e = obj->elf;

    return e && e->header_ok && e->type != ET_REL && e->type != ET_CORE &&
           e->machine == p->elf_machine && e->data == p->elf_data &&
           e->elfclass == (p->elf_class == 32 ? ELFCLASS32 : ELFCLASS64);
}

/* dir with $ORIGIN / ${ORIGIN} replaced by the directory holding obj (ld.so(8)). */
static void expand(char *out, size_t n, const char *dir, size_t len, const struct member *obj)
{
    const char *slash = strrchr(obj->abs, '/');
    int origin_len = (int)(slash - obj->abs);
    size_t o = 0;

    for (size_t i = 0; i < len && o + 1 < n;) {
        if (!strncmp(dir + i, "$ORIGIN", 7) || !strncmp(dir + i, "${ORIGIN}", 9)) {
            o += (size_t)snprintf(out + o, n - o, "%.*s", origin_len, obj->abs);
            i += dir[i + 1] == '{' ? 9 : 7;
        } else {
            out[o++] = dir[i++];
        }
        if (o >= n) {
            o = n - 1;
        }
    }
    out[o] = '\0';
}

/* Look soname up in each directory of a ':'-separated list; the member found, or NULL. */
static const struct member *search(const struct image *img, const char *list,
                                   const struct member *obj, const char *soname)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ":");
        char dir[2048], path[4096];
        const struct member *m;
        expand(dir, sizeof(dir), p, len, obj);
        snprintf(path, sizeof(path), "%s/%s", *dir ? dir : ".", soname);
        if (path[0] == '/' && (m = image_lookup(img, image_view_of(img, obj), path)) != NULL) {
            return m;
        }
        p += len + (p[len] == ':');
    }
    return NULL;
}

static bool bundle_dir(const char *dir)
{
    return !strncmp(dir, "/var/task", 9) || !strncmp(dir, "/opt/", 5) || !strcmp(dir, "/opt");
}

void loader_resolve(const struct image *img, const struct profile *p, const struct member *obj,
                    const char *soname, struct resolution *out)
{
    const struct elfinfo *e = obj->elf;
    bool os_checked = false;

    memset(out, 0, sizeof(*out));
    out->row = osdata_library(p->os, soname);
    if (strchr(soname, '/')) { /* a path: opened as is, relative to the cwd /var/task */
        char path[4096];
        snprintf(path, sizeof(path), "%s%s", soname[0] == '/' ? "" : "/var/task/", soname);
        out->m = image_lookup(img, image_view_of(img, obj), path);
        out->kind = out->m ? RESOLVED_BUNDLE : RESOLVED_MISSING;
        out->via = "path";
        return;
    }
    if (!e->runpath && e->rpath && (out->m = search(img, e->rpath, obj, soname)) != NULL) {
        out->kind = RESOLVED_BUNDLE;
        out->via = "DT_RPATH";
        return;
    }
    for (size_t i = 0; i < p->library_path.nr; i++) {
        const char *dir = p->library_path.v[i];
        if (bundle_dir(dir)) {
            if ((out->m = search(img, dir, obj, soname)) != NULL) {
                out->kind = RESOLVED_BUNDLE;
                out->via = "LD_LIBRARY_PATH";
                return;
            }
        } else if (!os_checked) {
            /* The OS list stands for the system directories, which come first. */
            os_checked = true;
            if (out->row && out->row->status == LIB_PRESENT) {
                out->kind = RESOLVED_SYSTEM;
                out->via = "system";
                return;
            }
        }
    }
    if (e->runpath && (out->m = search(img, e->runpath, obj, soname)) != NULL) {
        out->kind = RESOLVED_BUNDLE;
        out->via = "DT_RUNPATH";
        return;
    }
    if (out->row && out->row->status == LIB_PRESENT) {
        out->kind = RESOLVED_SYSTEM; /* default directories */
        out->via = "system";
        return;
    }
    out->kind =
        out->row && out->row->status == LIB_UNKNOWN ? RESOLVED_UNCONFIRMED : RESOLVED_MISSING;
}
