/* SPDX-License-Identifier: MIT */
/* The one place where a finding is built from a rule (check.h, check_report()): the
 * catalogue's templates rendered with the finding's variables, the line Lambda would log,
 * the fix as a command or as words. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "advice_node.h"
#include "imports.h"
#include "loader.h"
#include "pypinames.h"
#include "shword.h"
#include "utf8.h"
#include "xalloc.h"

/* A module file Python never opens: its name keeps it out (python-tag-mismatch), or a
 * sibling build loads instead. */
static bool never_opened(const struct check_ctx *ctx, const struct member *m)
{
    enum import_fate fate = imports_of(ctx->imports, m)->fate;

    return fate == IMPORT_SKIPPED || fate == IMPORT_SHADOWED;
}

/* The one variable that is a command itself, its pieces quoted by advice_pip. */
#define COMMAND_VAR "pip_install"

/* Render tmpl; in a command (words), each value not itself a command is one shell word
 * (sh_word), and none when a value cannot be one. */
static char *render(const char *tmpl, const struct tvar *vars, size_t nvars, bool words)
{
    size_t len = 0, alloc = 0;
    char *out = NULL, *quoted = NULL;

    for (const char *p = tmpl; *p;) {
        const char *piece = p, *close;
        size_t n = 1;
        if (*p == '{' && (close = strchr(p, '}')) != NULL) {
            bool unset = false;                /* a var of that name, without a value */
            for (size_t i = nvars; i-- > 0;) { /* later vars override earlier ones */
                if (strlen(vars[i].name) != (size_t)(close - p - 1) ||
                    strncmp(vars[i].name, p + 1, (size_t)(close - p - 1)) != 0) {
                    continue;
                }
                unset |= !vars[i].value;
                if (vars[i].value) {
                    piece = vars[i].value;
                    if (words && strcmp(vars[i].name, COMMAND_VAR) != 0) {
                        free(quoted);
                        if (!(piece = quoted = sh_word(piece))) {
                            free(out);
                            return NULL;
                        }
                    }
                    n = strlen(piece);
                    p = close + 1;
                    goto append;
                }
            }
            if (unset && words) { /* a command with a hole in it runs nothing */
                free(out);
                free(quoted);
                return NULL;
            }
        }
        p++;
    append:
        ALLOC_GROW(out, len + n + 1, alloc);
        memcpy(out + len, piece, n);
        len += n;
    }
    ALLOC_GROW(out, len + 1, alloc);
    out[len] = '\0';
    free(quoted);
    return out;
}

char *check_render(const char *tmpl, const struct tvar *vars, size_t nvars)
{
    return render(tmpl, vars, nvars, false);
}

char *check_render_command(const char *tmpl, const struct tvar *vars, size_t nvars)
{
    return render(tmpl, vars, nvars, true);
}

/*
 * What a program of the bundle prints when it fails to start, from what an import would:
 * the loader speaks for it, naming it ("bin/x: error while loading shared libraries:
 * libfoo.so.1: cannot open shared object file: ..."), not the Python runtime. Fresh string.
 */
static char *program_error(const char *import_error, const char *abs)
{
    const char *marker = "Unable to import module '", *rest = strstr(import_error, marker);

    if (!rest || !(rest = strstr(rest + strlen(marker), "': "))) {
        return xstrdup(import_error); /* not an import error: the rule's own words */
    }
    rest += 3;
    if (strstr(rest, ": cannot open shared object file") && !strchr(rest, '/')) {
        return xasprintf("%s: error while loading shared libraries: %s", abs, rest);
    }
    return xasprintf("%s: %s", abs, rest);
}

/*
 * What Node.js prints when require() cannot load an addon, from what a Python import would:
 * process.dlopen() throws an Error whose message is the loader's (src/node_binding.cc),
 * "Error: /var/task/node_modules/x/x.node: invalid ELF header". Fresh string.
 */
static char *node_error(const char *import_error)
{
    const char *marker = "Unable to import module '", *rest = strstr(import_error, marker);

    if (!rest || !(rest = strstr(rest + strlen(marker), "': "))) {
        return xstrdup(import_error); /* not an import error: the rule's own words */
    }
    return xasprintf("Error: %s", rest + 3);
}

/* The texts a finding is rendered from, and what the import model changes about them. */
struct texts {
    struct tvar all[32]; /* the standard template variables, then the check's */
    size_t n;
    char *requirement, *pip, *pip_note; /* owned: {requirement}, {pip_install}, its words */
    const char *lambda_error;
    struct rule_fix fix;  /* borrowed templates */
    const char *own_note; /* the check's own words for its fix, or NULL */
    enum severity sev;
    const char *caught;   /* the package's fallback, in words: the import failure is caught */
    bool unopened;        /* Python never opens the file under its name */
    bool own_name;        /* the member's distribution installs under its own name (no other
                         * name on PyPI, no source-only build), or it has none: a rebuild for
                         * the target fetches it as it is */
    char *native;         /* owned: an OS-only runtime's fix where a pip command would be */
    char *npm, *npm_note; /* owned: a Node.js runtime's command and its words, the same */
    char words[256];
};

static void texts_vars(struct texts *t, const struct check_ctx *ctx, const struct check_found *w)
{
    const struct profile *p = ctx->profile;
    const struct member *m = w->m;

    t->requirement = advice_requirement(ctx, m->dist);
    t->pip = advice_pip(ctx, m, &t->pip_note);
    /* No distribution: its fix is already the requirements' reinstall (advice_pip). */
    t->own_name = !m->dist || !pypi_names_find(&ctx->data->pypi_names, m->dist->name);
    if (profile_node(p)) { /* npm installs and builds the addons (advice_node.h) */
        t->npm = advice_npm(ctx, m, &t->npm_note);
    } else if (!profile_python(p)) { /* no Python, no pip: the code is the runtime's own build */
        t->native = xasprintf("rebuild it for %s in the runtime's build image "
                              "(public.ecr.aws/sam/build-%s), or link it statically",
                              p->os_name, p->runtime);
    }
    t->all[t->n++] = (struct tvar){"path", m->path};
    t->all[t->n++] = (struct tvar){"abs", m->abs};
    t->all[t->n++] = (struct tvar){"module", m->module ? m->module : m->path};
    t->all[t->n++] = (struct tvar){"runtime", p->runtime};
    t->all[t->n++] = (struct tvar){"arch", p->arch};
    t->all[t->n++] = (struct tvar){"pyver", p->python_version};
    t->all[t->n++] = (struct tvar){"os", p->os_name};
    t->all[t->n++] = (struct tvar){"pip_platform", p->pip_platform};
    t->all[t->n++] = (struct tvar){"requirement", t->requirement};
    t->all[t->n++] = (struct tvar){"pip_install", t->pip};
    t->all[t->n++] = (struct tvar){"handler", image_handler(ctx->img, image_view_of(ctx->img, m))};
    t->all[t->n++] =
        (struct tvar){"dist", m->dist ? m->dist->name : "the distribution that ships it"};
    t->all[t->n++] = (struct tvar){"version", m->dist ? m->dist->version : NULL};
    t->all[t->n++] = (struct tvar){"expected", w->expected};
    t->all[t->n++] = (struct tvar){"found", w->found};
    t->lambda_error = ctx->rule->lambda_error;
    t->fix = ctx->rule->fix;
    for (size_t i = 0; i < w->nvars && t->n < ARRAY_SIZE(t->all); i++) {
        t->all[t->n++] = w->vars[i];
        if (!strcmp(w->vars[i].name, "lambda_error")) {
            t->lambda_error = w->vars[i].value;
        }
    }
    /* A check's own fix replaces the catalogue's whole: both parts, either one NULL. */
    const char *cmd = NULL, *note = NULL;
    bool own = false;
    for (size_t i = 0; i < w->nvars; i++) {
        if (!strcmp(w->vars[i].name, "fix_command")) {
            cmd = w->vars[i].value;
            own |= cmd != NULL;
        } else if (!strcmp(w->vars[i].name, "fix_note")) {
            note = w->vars[i].value;
            own |= note != NULL;
        }
    }
    if (own) {
        t->fix = (struct rule_fix){(char *)cmd, (char *)note};
        t->own_note = note;
    }
}

/* What the member's role and the import model change: a program is rebuilt, not
 * reinstalled; a file Python never opens, or whose failure the package catches, is not
 * what Lambda logs. */
static void texts_import(struct texts *t, const struct check_ctx *ctx, const struct member *m)
{
    if (m->role == ROLE_EXECUTABLE && t->fix.command && strstr(t->fix.command, "{pip_install}")) {
        /* No pip wheel holds a program of the bundle's own: it is rebuilt (the check's own
         * words stay: a provider's hint). */
        t->fix = ctx->rule->fix_program;
        t->fix.note = t->own_note ? (char *)t->own_note : t->fix.note;
    }
    if (ctx->per_member && never_opened(ctx, m) &&
        !((ctx->flags & SKIP_CAUSE) && imports_content_is_cause(ctx->profile, m))) {
        /* What the file needs is true of it, but Lambda never says so: Python does not open it
         * (python-tag-mismatch has the one 'Lambda says'). */
        t->lambda_error = NULL;
        t->unopened = true;
    }
    if (ctx->per_member && t->sev == SEV_ERROR && imports_caught(ctx->imports, m)) {
        /* The package catches the ImportError: the function runs on, in pure Python. */
        t->sev = SEV_WARNING;
        t->lambda_error = NULL;
        t->caught = imports_fallback_words(imports_of(ctx->imports, m), t->words, sizeof(t->words));
    }
}

/* The member's names and distribution, as a finding carries them. */
static void finding_member(struct finding *f, const struct member *m)
{
    f->input = m->input;
    f->path = xstrdup(m->path);
    f->path_bytes = m->raw_path ? utf8_hex(m->raw_path) : NULL;
    for (size_t i = 0; i < m->aliases.nr; i++) {
        const char *a = m->aliases.v[i];
        strvec_push_nodup(&f->aliases,
                          utf8_valid(a, strlen(a)) ? xstrdup(a) : utf8_escape(a, false));
    }
    if (m->dist) {
        f->dist_name = xstrdup(m->dist->name);
        f->dist_version = m->dist->version ? xstrdup(m->dist->version) : NULL;
    }
}

/* The message, with what the import model adds to it. */
static char *finding_message(const struct texts *t, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

static char *finding_message(const struct texts *t, const char *fmt, va_list ap)
{
    char *msg = xvasprintf(fmt, ap), *longer = NULL;

    if (t->caught) {
        longer = xasprintf("%s; %s (slower, but it works)", msg, t->caught);
    }
    if (longer) {
        free(msg);
        msg = longer;
    }
    return msg;
}

/* The fix as data: the command rendered with every value one shell word, the notes as words;
 * what {pip_install} could not say in the command (a pin with no wheel, why the name
 * changes) joins the note, and so does why there is no command when a value could not be
 * one word. "" is none. */
static void finding_fix(struct finding *f, const struct texts *t)
{
    if (t->npm_note && t->fix.command && strstr(t->fix.command, "{pip_install}")) {
        /* A Node.js addon: npm's command, not pip's (the rule's note is about wheels). */
        f->fix_command = t->npm ? xstrdup(t->npm) : NULL;
        f->fix_note = xstrdup(t->npm_note);
        return;
    }
    char *note = t->fix.note ? check_render(t->fix.note, t->all, t->n) : NULL;

    f->fix_command = t->fix.command ? check_render_command(t->fix.command, t->all, t->n) : NULL;
    if (f->fix_command && !*f->fix_command) {
        free(f->fix_command);
        f->fix_command = NULL;
    }
    const char *more = f->fix_command && strstr(t->fix.command, "{pip_install}") ? t->pip_note
                       : t->native && t->fix.command && strstr(t->fix.command, "{pip_install}")
                           ? t->native
                       : t->fix.command && !f->fix_command
                           ? "no command: a name it needs holds a byte no command line carries "
                             "(a newline, a control character)"
                           : NULL;
    if (more) {
        char *both = note && *note ? xasprintf("%s; %s", note, more) : xstrdup(more);
        free(note);
        note = both;
    }
    f->fix_note = note && *note ? note : NULL;
    if (!f->fix_note) {
        free(note);
    }
    /* Its fix reinstalls its distribution for the target, and nothing else: so does the
     * whole bundle's rebuild (the cause's fix, model/cause.h). */
    f->rebuild =
        t->own_name && f->fix_command && t->fix.command && !strcmp(t->fix.command, "{pip_install}");
}

struct finding *check_report(const struct check_ctx *ctx, struct findings *out,
                             const struct check_found *what, const char *fmt, ...)
{
    const struct member *m = what->m;
    struct finding *f = findings_push(out);
    struct texts t = {.sev = what->sev};
    va_list ap;

    texts_vars(&t, ctx, what);
    texts_import(&t, ctx, m);
    f->rule = ctx->rule;
    f->severity = t.sev;
    f->unopened = t.unopened;
    finding_member(f, m);
    f->expected = what->expected ? xstrdup(what->expected) : NULL;
    f->found = what->found ? xstrdup(what->found) : NULL;
    va_start(ap, fmt);
    f->message = finding_message(&t, fmt, ap);
    va_end(ap);
    f->lambda_error = t.lambda_error ? check_render(t.lambda_error, t.all, t.n) : NULL;
    if (f->lambda_error && (m->role == ROLE_EXECUTABLE || profile_node(ctx->profile))) {
        char *said = m->role == ROLE_EXECUTABLE ? program_error(f->lambda_error, m->abs)
                                                : node_error(f->lambda_error);
        free(f->lambda_error);
        f->lambda_error = said;
    }
    finding_fix(f, &t);
    free(t.pip);
    free(t.pip_note);
    free(t.native);
    free(t.npm);
    free(t.npm_note);
    free(t.requirement);
    return f;
}
