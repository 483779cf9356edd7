/* SPDX-License-Identifier: MIT */
/* One run: data -> scan -> checks -> report -> exit status. */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "profile.h"
#include "pyname.h"
#include "report.h"
#include "rules.h"
#include "scan.h"
#include "version.h"
#include "xalloc.h"

struct data {
    struct ruleset rules;
    struct profiles profiles;
};

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The rules directory: --rules, else $ABISCAN_RULES, else next to the binary:
 * <bindir>/../share/abiscan/rules once installed, <bindir>/rules in the build tree. */
static char *find_rules_dir(const struct options *o, struct diag *d)
{
    const char *env = getenv("ABISCAN_RULES");
    char exe[PATH_MAX];
    ssize_t n;
    char *slash, *candidate;

    if (o->rules_dir || (env && *env)) {
        return xstrdup(o->rules_dir ? o->rules_dir : env);
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        *slash = '\0';
        candidate = xasprintf("%s/%s", exe, ABISCAN_REL_DATADIR);
        if (is_dir(candidate)) {
            return candidate;
        }
        free(candidate);
        candidate = xasprintf("%s/%s", exe, ABISCAN_BUILD_DATADIR);
        if (is_dir(candidate)) {
            return candidate;
        }
        free(candidate);
    }
    diag_set(d, DIAG_DATA, "cannot find the rules directory (give --rules DIR)");
    return NULL;
}

static int load_data(struct data *data, const struct options *o, struct diag *d)
{
    char *dir = find_rules_dir(o, d);
    int rc = -1;

    if (dir && rules_load(&data->rules, dir, d) == 0 && checks_verify(&data->rules, d) == 0 &&
        profiles_load(&data->profiles, dir, d) == 0) {
        rc = 0;
    }
    free(dir);
    return rc;
}

static void list_runtimes(const struct profiles *ps, FILE *out)
{
    fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", "RUNTIME", "ARCH",
            "PYTHON", "ABI", "OS", "GLIBC", "GLIBCXX", "DEPRECATED", "BLOCK-CREATE",
            "BLOCK-UPDATE");
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", p->runtime, p->arch,
                p->python_version, p->abi_tag, p->os_name, p->glibc_max, p->glibcxx_max,
                p->deprecated, p->block_create, p->block_update);
    }
}

static const struct profile *find_profile(const struct profiles *ps, const struct options *o,
                                          struct diag *d)
{
    const struct profile *p = profiles_find(ps, o->runtime, o->arch);

    if (p) {
        return p;
    }
    for (size_t i = 0; i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, o->runtime)) {
            diag_set(d, DIAG_USAGE, "runtime '%s' is not offered on %s", o->runtime, o->arch);
            return NULL;
        }
    }
    diag_set(d, DIAG_USAGE, "unknown runtime '%s' (see --list-runtimes)", o->runtime);
    return NULL;
}

static bool want_color(const struct options *o, FILE *out)
{
    const char *no_color = getenv("NO_COLOR");

    if (o->color != COLOR_AUTO) {
        return o->color == COLOR_ALWAYS;
    }
    return !(no_color && *no_color) && isatty(fileno(out)); /* https://no-color.org */
}

static int emit(const struct options *o, struct report *r, struct diag *d)
{
    FILE *out = o->output ? fopen(o->output, "w") : stdout;
    int rc;

    if (!out) {
        return diag_set(d, DIAG_IO, "cannot write '%s': %s", o->output, strerror(errno));
    }
    r->color = !strcmp(o->format, "text") && want_color(o, out);
    rc = report_emitter_find(o->format)->emit(out, r, d);
    if (fflush(out) != 0 && rc == 0) {
        rc = diag_set(d, DIAG_IO, "cannot write the report: %s", strerror(errno));
    }
    if (o->output && fclose(out) != 0 && rc == 0) {
        rc = diag_set(d, DIAG_IO, "cannot write '%s': %s", o->output, strerror(errno));
    }
    return rc;
}

static int scan_and_report(const struct options *o, const struct data *data,
                           const struct profile *p, struct diag *d)
{
    struct bundle_limits limits = {o->max_member_size, o->max_entries, o->max_depth};
    struct image img = {0};
    struct findings findings = {0};
    struct pyname *g = pyname_new(d);
    struct report r = {ABISCAN_NAME, ABISCAN_VERSION, p, &img, &findings, o->fail_on, false,
                       o->verbose};
    int code = ABISCAN_EXIT_TROUBLE;

    if (!g) {
        goto out;
    }
    for (size_t i = 0; i < o->inputs.nr; i++) {
        if (scan_input(&img, o->inputs.v[i], INPUT_FUNCTION, &limits, g, d) != 0) {
            goto out;
        }
    }
    scan_finish(&img);
    checks_run(&img, p, &data->rules, &findings);
    findings_sort(&findings);
    if (emit(o, &r, d) == 0) {
        code = findings_count_at_least(&findings, o->fail_on) ? ABISCAN_EXIT_FINDINGS
                                                              : ABISCAN_EXIT_OK;
    }
out:
    findings_release(&findings);
    image_release(&img);
    pyname_free(g);
    return code;
}

int run_main(const struct options *o, struct diag *d)
{
    struct data data = {0};
    const struct profile *p;
    int code = ABISCAN_EXIT_TROUBLE;

    if (load_data(&data, o, d) != 0) {
        goto out;
    }
    if (o->list_runtimes) {
        list_runtimes(&data.profiles, stdout);
        code = ABISCAN_EXIT_OK;
        goto out;
    }
    if ((p = find_profile(&data.profiles, o, d)) != NULL) {
        code = scan_and_report(o, &data, p, d);
    }
out:
    rules_release(&data.rules);
    profiles_release(&data.profiles);
    return code;
}
