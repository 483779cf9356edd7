/* SPDX-License-Identifier: MIT */
/*
 * What a container image starts, read from its ENTRYPOINT and CMD: the file Lambda execs
 * and whether it can (found as exec finds it), and the handler when that is Lambda's
 * runtime interface client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "container.h"
#include "container_int.h"
#include "path.h"
#include "xalloc.h"

/* Why the file Lambda execs cannot start (or NULL), in words, with the exec's error; name is
 * how the message names it (the path, or the path as written and where it is taken from). */
static char *cannot_exec(const struct container_tree *t, const char *abs, const char *name,
                         const char **err)
{
    bool loop;
    const struct bundle_entry *e = container_lookup(t, abs, &loop);

    *err = "no such file or directory";
    if (loop) {
        return xasprintf("%s is a link that loops", name);
    }
    if (!e) {
        return xasprintf("%s is not in the image", name);
    }
    *err = "permission denied";
    if (e->type == ENTRY_DIR) {
        return xasprintf("%s is a directory", name);
    }
    if (e->type != ENTRY_FILE) {
        return xasprintf("%s is not a regular file", name);
    }
    if (e->mode && !(e->mode & 0111)) {
        return xasprintf("%s is not executable (mode %04o)", name, (unsigned)e->mode);
    }
    *err = NULL;
    return NULL;
}

/* What Lambda starts, and whether the image can start it: the ENTRYPOINT's (else CMD's)
 * file, found as exec finds it (an absolute path, a path from the WorkingDir, a name on the
 * config's PATH), a regular file with an execute bit; behind the AWS base images'
 * /lambda-entrypoint.sh, the interpreter it runs, /var/lang/bin/python3.N
 * (doc/sources.md#error-lines). */
void entrypoint_find_start(struct container *c, const struct container_tree *t)
{
    const char *exe = c->entrypoint.nr ? c->entrypoint.v[0] : c->cmd.nr ? c->cmd.v[0] : NULL;
    const char *path = container_env_value(&c->env, "PATH");
    char *abs, *name;

    if (!exe || !*exe) {
        return;
    }
    c->start = xstrdup(exe);
    c->start_from = c->entrypoint.nr ? "ENTRYPOINT" : "CMD";
    path = path ? path : CONTAINER_DEFAULT_PATH;
    if (exe[0] == '/') {
        abs = xstrdup(exe);
        name = xstrdup(exe);
    } else if (strchr(exe, '/')) {
        abs = xasprintf("/%s/%s", c->workdir[0] == '/' ? c->workdir + 1 : c->workdir, exe);
        name = xasprintf("%s (from its WorkingDir /%s)", exe,
                         c->workdir[0] == '/' ? c->workdir + 1 : c->workdir);
    } else if ((abs = container_on_path(t, path, exe)) != NULL) {
        name = xstrdup(abs);
    } else {
        size_t dirs = 1;
        for (const char *p = path; *p; p++) {
            dirs += *p == ':';
        }
        c->start_problem =
            strlen(path) <= 160
                ? xasprintf("%s is on no directory of its PATH (%s)", exe, path)
                : xasprintf("%s is on none of the %zu directories of its PATH", exe, dirs);
        c->start_errno = "no such file or directory";
        return;
    }
    if ((c->start_problem = cannot_exec(t, abs, name, &c->start_errno)) == NULL &&
        !strcmp(path_base(exe), "lambda-entrypoint.sh")) {
        /* The AWS base image's script: it runs the image's Python; a shell that cannot
         * exec a command exits 127 (not found) or 126 (not executable). */
        char *py = NULL;
        for (int minor = 20; minor >= 0 && !py; minor--) {
            char try[64];
            bool loop;
            snprintf(try, sizeof(try), "/var/lang/bin/python3.%d", minor);
            py = container_lookup(t, try, &loop) ? xstrdup(try) : NULL;
        }
        const char *err;
        char *why = py ? cannot_exec(t, py, py, &err) : NULL;
        if (!py || why) {
            c->start_problem =
                why ? xasprintf("%s runs the AWS base image's Python, but %s", exe, why)
                    : xasprintf("%s runs the AWS base image's Python, but no "
                                "/var/lang/bin/python3.N is in the image",
                                exe);
            c->start_exit = py ? 126 : 127;
        }
        free(why);
        free(py);
    }
    free(name);
    free(abs);
}

/* The handler, when the image starts Lambda's runtime interface client: the AWS base images'
 * /lambda-entrypoint.sh, or awslambdaric run as a module; its module as Python imports it
 * (awslambdaric bootstrap.py: "src/app.handler" imports src.app). */
void entrypoint_find_handler(struct container *c)
{
    const struct strvec *ep = &c->entrypoint;
    const char *h = NULL;
    bool ric = ep->nr && !strcmp(path_base(ep->v[0]), "lambda-entrypoint.sh");

    for (size_t i = 0; !ric && i < ep->nr; i++) {
        if (strstr(ep->v[i], "awslambdaric")) {
            ric = true;
            h = i + 1 < ep->nr ? ep->v[i + 1] : NULL;
        }
    }
    if (!ric || !(h = h ? h : c->cmd.nr ? c->cmd.v[0] : NULL) || !strrchr(h, '.')) {
        return;
    }
    c->handler = xstrdup(h);
    c->handler_module = xstrndup(h, (size_t)(strrchr(h, '.') - h));
    for (char *p = c->handler_module; *p; p++) {
        *p = *p == '/' ? '.' : *p;
    }
}
