/* SPDX-License-Identifier: MIT */
/*
 * ABI020 not-on-sys-path: packages in a function bundle below a directory no sys.path entry names:
 * a virtualenv's or a --target directory's site-packages zipped as it is
 * (lib/python3.11/site-packages/numpy), or a layer's python/ tree zipped into the function.
 * Lambda's sys.path has /var/task, the layers' /opt/python paths and the runtime's own
 * (doc/sources.md#import-path-and-layers): nothing below them imports. Said once per tree. Also a
 * function zipped with its directory (psycopg2-compiled/...: a name no import can spell), and one
 * whose files are all archives (a zip zipped again). In a container image, a tree below its
 * task root that a COPY put one directory too deep: its paths are the image's, and so is the
 * fix (a COPY destination, not a zip command).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "path.h"
#include "pyclass.h"
#include "strmap.h"
#include "xalloc.h"

/* The importable names directly below a tree: packages and modules, at most a few named. */
struct tree {
    const struct member *first; /* a member of it, for the finding's input and distribution */
    char *path;                 /* "lib/python3.11/site-packages" */
    struct strvec names;        /* top-level importable names, in member order */
    size_t files;
};

/* The top-level name below the tree a member is in: "numpy" for .../site-packages/numpy/x.py
 * and for .../site-packages/numpy.cpython-311-x86_64-linux-gnu.so; NULL for metadata. */
static char *top_name(const struct member *m)
{
    const char *rel = m->path + m->off_tree + 1;
    size_t n = strcspn(rel, "/");

    if (pyclass_in_distinfo(m->path) || !strncmp(rel, "__pycache__", 11) ||
        (rel[n] != '/' && !strstr(rel, ".py") && !strstr(rel, ".so"))) {
        return NULL;
    }
    return xstrndup(rel, rel[n] == '/' ? n : strcspn(rel, "."));
}

static void report(const struct check_ctx *ctx, struct findings *out, struct tree *t)
{
    struct member where = *t->first;
    char *names, *fix, *up = NULL;
    const char *cmd;
    size_t shown = t->names.nr < 4 ? t->names.nr : 4;
    struct strvec head = STRVEC_INIT;
    bool layer_tree = !strcmp(t->path, "python");
    const struct container *image = ctx->img->inputs[t->first->input].container;

    for (size_t i = 0; i < shown; i++) {
        strvec_push(&head, t->names.v[i]);
    }
    names = strvec_join(&head, ", ");
    if (image) {
        /* A container image: its paths are the image's own, and a COPY put the tree there. */
        size_t n = strlen(image->task_root);
        const char *below =
            !strncmp(t->path, image->task_root, n) && t->path[n] == '/' ? t->path + n + 1 : t->path;
        fix = xasprintf("copy the directory's contents, not the directory, to the task root: "
                        "COPY %s/ ${LAMBDA_TASK_ROOT}/ in the Dockerfile (or pip install "
                        "--target ${LAMBDA_TASK_ROOT}), or put them in the image's "
                        "site-packages",
                        below);
        struct tvar vars[] = {{"module", t->names.v[0]}, {"fix_note", fix}};
        where.path = t->path;
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = ctx->rule->severity,
                                           .expected = "packages at the top of the task root",
                                           .found = t->path,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "/%s/ holds %s%s%s (%zu file%s), but Python never looks there: the image's "
                     "sys.path has its task root /%s, /opt/python and its Python's "
                     "site-packages, not /%s",
                     t->path, names, t->names.nr > shown ? " and " : "",
                     t->names.nr > shown ? "more" : "", t->files, t->files == 1 ? "" : "s",
                     image->task_root, t->path);
        strvec_release(&head);
        free(fix);
        free(names);
        return;
    }
    if (layer_tree) {
        cmd = "zip -r layer.zip python";
        fix = xstrdup("ship python/ as a layer, or move its packages to the top of the function "
                      "zip");
    } else {
        /* from inside the tree, back up to where it sits: one ".." per component */
        struct strvec ups = STRVEC_INIT;
        for (const char *c = t->path; c; c = strchr(c + 1, '/')) {
            strvec_push(&ups, "..");
        }
        up = strvec_join(&ups, "/");
        cmd = "(cd {tree} && zip -r {up}/function.zip .)";
        fix = xstrdup("zip the directory's contents, not the directory, or ship them as a layer "
                      "under python/");
        strvec_release(&ups);
    }
    struct tvar vars[] = {{"module", t->names.v[0]},
                          {"tree", t->path},
                          {"up", up},
                          {"fix_command", cmd},
                          {"fix_note", fix}};
    where.path = t->path;
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = "packages at the top of the bundle",
                                       .found = t->path,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "%s/ holds %s%s%s (%zu file%s), but Python never looks there: sys.path has "
                 "/var/task and the layers' /opt/python paths, not /var/task/%s",
                 t->path, names, t->names.nr > shown ? " and " : "",
                 t->names.nr > shown ? "more" : "", t->files, t->files == 1 ? "" : "s", t->path);
    strvec_release(&head);
    free(up);
    free(fix);
    free(names);
}

/* A function whose files are all archives (a zip zipped again, wheels never installed):
 * Lambda unzips the bundle once, and /var/task then holds them, and nothing to import. */
static void only_archives(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t input = 0; input < ctx->img->inputs_nr; input++) {
        const struct member *first = NULL;
        size_t files = 0, archives = 0;
        if (ctx->img->inputs[input].role != INPUT_FUNCTION) {
            continue;
        }
        for (size_t i = 0; i < ctx->img->nr; i++) {
            const struct member *m = &ctx->img->members[i];
            if (m->input != input) {
                continue;
            }
            files++;
            if (path_has_suffix(m->path, ".zip") || path_has_suffix(m->path, ".whl")) {
                archives++;
                first = first ? first : m;
            }
        }
        if (!files || archives != files) {
            continue;
        }
        bool wheels = path_has_suffix(first->path, ".whl");
        struct tvar vars[] = {
            {"module", "lambda_function"},
            {"fix_command", wheels ? "pip install --target ./package *.whl && (cd package && zip "
                                     "-r ../function.zip .)"
                                   : NULL},
            {"fix_note", wheels ? "install the wheels into a directory and zip that"
                                : "upload {path} itself, not a zip that holds it"}};
        check_report(ctx, out,
                     &(struct check_found){.m = first,
                                           .sev = ctx->rule->severity,
                                           .expected = "the function's files",
                                           .found = first->path,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "the bundle holds only %s%s: Lambda unzips a bundle once, so /var/task "
                     "has %s and nothing to import",
                     archives == 1 ? "" : "archives, such as ", first->path,
                     archives == 1 ? "it" : "them");
    }
}

void check_not_on_sys_path(const struct check_ctx *ctx, struct findings *out)
{
    struct tree *trees = NULL;
    size_t nr = 0, alloc = 0;
    struct strmap by_path = {0};

    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        char *key, *name;
        size_t at;
        if (!m->off_tree) {
            continue;
        }
        key = xasprintf("%zu:%.*s", m->input, (int)m->off_tree, m->path);
        at = (size_t)strmap_get(&by_path, key, strlen(key));
        if (!at) {
            ALLOC_GROW(trees, nr + 1, alloc);
            trees[nr] = (struct tree){m, xstrndup(m->path, m->off_tree), STRVEC_INIT, 0};
            at = ++nr;
            strmap_put(&by_path, key, strlen(key), (void *)at);
        }
        free(key);
        trees[at - 1].files++;
        if ((name = top_name(m)) != NULL && !strvec_contains(&trees[at - 1].names, name)) {
            strvec_push(&trees[at - 1].names, name);
        }
        free(name);
    }
    for (size_t i = 0; i < nr; i++) {
        if (trees[i].names.nr) { /* only metadata or caches: nothing to import anyway */
            report(ctx, out, &trees[i]);
        }
        free(trees[i].path);
        strvec_release(&trees[i].names);
    }
    free(trees);
    strmap_release(&by_path);
    only_archives(ctx, out);
}
