/* SPDX-License-Identifier: MIT */
/* The options (rows in options_table.def), getopt_long over them, and help generated from
 * them. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "suggest.h"
#include "version.h"
#include "xalloc.h"

enum opt_id {
    OPT_RUNTIME = 'r',
    OPT_ARCH = 'a',
    OPT_FORMAT = 'f',
    OPT_OUTPUT = 'o',
    OPT_VERBOSE = 'v',
    OPT_HELP = 'h',
    OPT_VERSION = 'V',
    OPT_FAIL_ON = 256,
    OPT_RULES,
    OPT_LIST_RUNTIMES,
    OPT_COLOR,
    OPT_MAX_MEMBER_SIZE,
    OPT_ROLE,
    OPT_REPORT,
    OPT_CONFIG,
    OPT_NO_CONFIG,
    OPT_NO_SUPPRESS,
    OPT_BASELINE,
    OPT_WRITE_BASELINE,
    OPT_LIST_RULES,
    OPT_EXPLAIN,
    OPT_FILES_FROM,
    OPT_LAMBDA_CONFIG,
    OPT_CODE_DIR,
    OPT_TEMPLATE,
    OPT_SHARD,
    OPT_PLATFORM,
    OPT_SIZE,
    OPT_STATISTICS,
    OPT_HANDLER,
    OPT_INSTALLER,
    OPT_PATH_BASE,
    OPT_LAYER = 'l',
    OPT_JOBS = 'j',
    OPT_NULL = '0',
    OPT_QUIET = 'q',
};

struct cli_option {
    const char *group; /* a heading starts a group */
    const char *name;
    int id;
    int has_arg;
    const char *metavar;
    const char *help;    /* one line of --help; "{formats}": the emitters' names */
    const char *man_arg; /* the argument in the manual (mdoc), or NULL */
    const char *man;     /* the manual's text (mdoc lines); "{formats}": the emitters */
};

static const struct cli_option table[] = {
#include "options_table.def"
};

#define DEFAULT_MAX_MEMBER_SIZE (256ull << 20)
/* The option ids that are letters double as short options; the others start at 256. */

/* One help text, with "{formats}" standing for the emitters' names. */
static void print_help_text(FILE *out, const char *help, const char *formats)
{
    const char *mark = strstr(help, "{formats}");

    if (!mark) {
        fprintf(out, "%s\n", help);
        return;
    }
    fprintf(out, "%.*s%s%s\n", (int)(mark - help), help, formats, mark + 9);
}

void options_print_help(FILE *out, const char *formats)
{
    fprintf(out,
            "Usage: %s [--runtime NAME] [options] BUNDLE...\n"
            "       %s [options] --template PATH | --lambda-config FILE [--code-dir DIR]\n"
            "Check AWS Lambda Python bundles (zip, wheel, layer zip, directory, single file\n"
            "or container image: docker save, OCI layout, oci-archive) for native extensions\n"
            "that will not import on the target runtime.\n",
            ABISCAN_NAME, ABISCAN_NAME);
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        const struct cli_option *o = &table[i];
        char left[64];
        if (o->group) {
            fprintf(out, "\n%s:\n", o->group);
        }
        snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->id < 256 ? "-" : "   ",
                 o->id < 256 ? o->id : ' ', o->id < 256 ? ", " : "", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
        fprintf(out, "  %-28s ", left);
        print_help_text(out, o->help, formats);
    }
    fprintf(out, "\nExit status:\n"
                 "  0  no finding at or above --fail-on\n"
                 "  1  at least one finding at or above --fail-on\n"
                 "  2  the run could not do its job (bad option, unknown runtime, missing or\n"
                 "     unreadable input, invalid rules, profile or configuration); one line on\n"
                 "     stderr says why\n");
}

/* A manual text, with "{formats}" (a line of its own) as one .Cm line per emitter. */
static void print_man_text(FILE *out, const char *man, const char *formats)
{
    const char *mark = strstr(man, "{formats}");

    if (!mark) {
        fprintf(out, "%s\n", man);
        return;
    }
    fprintf(out, "%.*s", (int)(mark - man), man);
    for (const char *f = formats; *f;) {
        size_t n = strcspn(f, ",");
        const char *next = f[n] ? f + n + 2 : f + n;
        bool last = !*next, second_last = !last && !strchr(next, ',');
        fprintf(out, ".Cm %.*s%s\n%s", (int)n, f, last || second_last ? "" : " ,",
                second_last ? "or\n" : "");
        f = next;
    }
    fprintf(out, "%s\n", mark + 9 + (mark[9] == '\n'));
}

void options_print_man(FILE *out, const char *formats)
{
    fprintf(out, ".Sh OPTIONS\n"
                 ".\\\" Generated from the option table (analyzer/app/options_table.def) by\n"
                 ".\\\" tools/gen_man.py: edit the table, not this section.\n");
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        const struct cli_option *o = &table[i];
        if (o->group) {
            fprintf(out, "%s.Ss %s\n.Bl -tag -width Ds\n", i ? ".El\n" : "", o->group);
        }
        fprintf(out, ".It ");
        if (o->id < 256) {
            fprintf(out, "Fl %c , ", o->id);
        }
        fprintf(out, "Fl -%s%s%s\n", o->name, o->man_arg ? " " : "", o->man_arg ? o->man_arg : "");
        print_man_text(out, o->man, formats);
    }
    fprintf(out, ".El\n");
}

const char *options_arch_name(const char *arch)
{
    if (!strcmp(arch, "x86_64") || !strcmp(arch, "amd64")) {
        return "x86_64";
    }
    if (!strcmp(arch, "arm64") || !strcmp(arch, "aarch64")) {
        return "arm64";
    }
    return NULL;
}

static int parse_size(uint64_t *out, const char *s)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-') {
        return -1;
    }
    *out = v;
    return 0;
}

/* Options that only keep their argument, or only set a flag: a row each, not a case. */
static const struct {
    int id;
    size_t str;  /* offset of a const char * in struct options, or 0 */
    size_t flag; /* offset of a bool, or 0 */
} stores[] = {
    {OPT_CONFIG, offsetof(struct options, config), 0},
    {OPT_BASELINE, offsetof(struct options, baseline), 0},
    {OPT_WRITE_BASELINE, offsetof(struct options, write_baseline), 0},
    {OPT_EXPLAIN, offsetof(struct options, explain), 0},
    {OPT_FILES_FROM, offsetof(struct options, files_from), 0},
    {OPT_LAMBDA_CONFIG, offsetof(struct options, lambda_config), 0},
    {OPT_CODE_DIR, offsetof(struct options, code_dir), 0},
    {OPT_TEMPLATE, offsetof(struct options, template_path), 0},
    {OPT_SHARD, offsetof(struct options, shard), 0},
    {OPT_NULL, 0, offsetof(struct options, null_list)},
    {OPT_QUIET, 0, offsetof(struct options, quiet)},
    {OPT_PLATFORM, offsetof(struct options, platform), 0},
    {OPT_HANDLER, offsetof(struct options, handler), 0},
    {OPT_PATH_BASE, offsetof(struct options, path_base), 0},
    {OPT_NO_CONFIG, 0, offsetof(struct options, no_config)},
    {OPT_NO_SUPPRESS, 0, offsetof(struct options, no_suppress)},
    {OPT_LIST_RULES, 0, offsetof(struct options, list_rules)},
    {OPT_SIZE, 0, offsetof(struct options, size)},
};

static bool store(struct options *o, int id, const char *arg)
{
    for (size_t i = 0; i < ARRAY_SIZE(stores); i++) {
        if (stores[i].id == id && stores[i].str) {
            *(const char **)(void *)((char *)o + stores[i].str) = arg;
            return true;
        }
        if (stores[i].id == id) {
            *(bool *)(void *)((char *)o + stores[i].flag) = true;
            return true;
        }
    }
    return false;
}

/* A value not among names: a did-you-mean when one is close, else the list in words. */
static enum cli_result unknown(struct diag *d, const char *what, const char *arg,
                               const char *const *names, size_t n, const char *list)
{
    char guess[64];

    if (suggest_words(arg, names, n, guess, sizeof(guess))) {
        diag_set(d, DIAG_USAGE, "unknown %s '%s': did you mean %s?", what, arg, guess);
    } else {
        diag_set(d, DIAG_USAGE, "unknown %s '%s' (%s)", what, arg, list);
    }
    return CLI_USAGE_ERROR;
}

static enum cli_result apply(struct options *o, int id, const char *arg, struct diag *d)
{
    int sev;

    if (store(o, id, arg)) {
        return CLI_OK;
    }
    switch (id) {
    case OPT_RUNTIME:
        o->runtime = arg;
        break;
    case OPT_ARCH:
        o->arch_given = true;
        if (!(o->arch = options_arch_name(arg))) {
            static const char *const archs[] = {"x86_64", "arm64", "amd64", "aarch64"};
            char guess[64];
            if (suggest_words(arg, archs, ARRAY_SIZE(archs), guess, sizeof(guess))) {
                diag_set(d, DIAG_USAGE, "unknown architecture '%s': did you mean %s?", arg,
                         options_arch_name(guess));
            } else {
                diag_set(d, DIAG_USAGE, "unknown architecture '%s' (x86_64 or arm64)", arg);
            }
            return CLI_USAGE_ERROR;
        }
        break;
    case OPT_INSTALLER:
        if (installer_parse(arg) < 0) {
            static const char *const names[] = {"pip", "uv", "poetry", "pipenv", "sam"};
            return unknown(d, "installer", arg, names, ARRAY_SIZE(names),
                           "pip, uv, poetry, pipenv or sam");
        }
        o->installer = arg;
        break;
    case OPT_FORMAT:
        o->format = arg; /* the run checks it against the emitters */
        break;
    case OPT_STATISTICS:
        o->format = "statistics";
        break;
    case OPT_OUTPUT:
        o->output = arg;
        break;
    case OPT_RULES:
        o->rules_dir = arg;
        break;
    case OPT_LAYER:
        strvec_push(&o->layers, arg);
        break;
    case OPT_ROLE:
        if (!strcmp(arg, "function") || !strcmp(arg, "layer")) {
            o->role = arg[0] == 'f' ? ROLE_AS_FUNCTION : ROLE_AS_LAYER;
            break;
        }
        diag_set(d, DIAG_USAGE, "unknown role '%s' (function or layer)", arg);
        return CLI_USAGE_ERROR;
    case OPT_LIST_RUNTIMES:
        o->list_runtimes = true;
        break;
    case OPT_VERBOSE:
        o->verbose++;
        break;
    case OPT_FAIL_ON:
        sev = severity_parse(arg);
        if (sev > SEV_NONE) {
            static const char *const sevs[] = {"note", "warning", "error", "none"};
            return unknown(d, "severity", arg, sevs, ARRAY_SIZE(sevs),
                           "note, warning, error or none");
        }
        o->fail_on = (enum severity)sev;
        o->fail_on_given = true;
        break;
    case OPT_COLOR:
        if (!strcmp(arg, "auto") || !strcmp(arg, "always") || !strcmp(arg, "never")) {
            o->color = arg[0] == 'a' ? (arg[1] == 'u' ? COLOR_AUTO : COLOR_ALWAYS) : COLOR_NEVER;
            break;
        }
        diag_set(d, DIAG_USAGE, "unknown colour mode '%s' (auto, always or never)", arg);
        return CLI_USAGE_ERROR;
    case OPT_MAX_MEMBER_SIZE:
        if (parse_size(&o->max_member_size, arg) != 0 || !o->max_member_size) {
            diag_set(d, DIAG_USAGE, "--max-member-size needs a positive number of bytes");
            return CLI_USAGE_ERROR;
        }
        break;
    case OPT_JOBS: {
        char *end;
        unsigned long n;
        errno = 0;
        n = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || n < 1 || n > 256 || *arg == '-' || *arg == '+') {
            diag_set(d, DIAG_USAGE, "--jobs needs a number of threads from 1 to 256");
            return CLI_USAGE_ERROR;
        }
        o->jobs = (unsigned)n;
        break;
    }
    case OPT_REPORT:
        if (!strchr(arg, '=') || arg[0] == '=' || !strchr(arg, '=')[1]) {
            diag_set(d, DIAG_USAGE, "--report needs FORMAT=FILE, e.g. junit=reports/abiscan.xml");
            return CLI_USAGE_ERROR;
        }
        strvec_push(&o->reports, arg);
        break;
    case OPT_HELP:
        return CLI_HELP;
    case OPT_VERSION:
        return CLI_VERSION;
    default:
        diag_set(d, DIAG_USAGE, "unknown option (see --help)");
        return CLI_USAGE_ERROR;
    }
    return CLI_OK;
}

/* The long options closest to a mistyped one ("--fromat=json" -> "--format"). */
static const char *option_guess(const char *word)
{
    static char names[ARRAY_SIZE(table)][40], guess[160];
    const char *list[ARRAY_SIZE(table)];
    char typed[64];

    snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(word, "="), word);
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        snprintf(names[i], sizeof(names[i]), "--%s", table[i].name);
        list[i] = names[i];
    }
    return suggest_words(typed, list, ARRAY_SIZE(table), guess, sizeof(guess));
}

enum cli_result options_parse(struct options *o, int argc, char **argv, struct diag *d)
{
    struct option longopts[ARRAY_SIZE(table) + 1];
    char shortopts[2 * ARRAY_SIZE(table) + 2], *s = shortopts;
    int id;

    memset(o, 0, sizeof(*o));
    o->arch = "x86_64";
    o->format = "text";
    o->fail_on = SEV_ERROR;
    o->max_member_size = DEFAULT_MAX_MEMBER_SIZE;
    o->max_entries = 1000000;
    o->max_depth = 64;
    *s++ = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        longopts[i] = (struct option){table[i].name, table[i].has_arg, NULL, table[i].id};
        if (table[i].id < 256) {
            *s++ = (char)table[i].id;
            if (table[i].has_arg == required_argument) {
                *s++ = ':';
            }
        }
    }
    *s = '\0';
    memset(&longopts[ARRAY_SIZE(table)], 0, sizeof(longopts[0]));
    opterr = 0;
    optind = 1;
    while ((id = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        enum cli_result r;
        if (id == ':' || id == '?') {
            /* A long option is the word in argv; a short one is optopt, since inside a
             * cluster such as -xv getopt has not moved optind past it yet. */
            const char *word = optind > 1 && optind <= argc ? argv[optind - 1] : "";
            char shortopt[3] = {'-', (char)optopt, '\0'};
            bool is_long = !strncmp(word, "--", 2) && word[2];
            const char *guess = id == '?' && is_long ? option_guess(word) : NULL;
            if (guess) {
                diag_set(d, DIAG_USAGE, "unknown option '%s': did you mean %s?", word, guess);
            } else {
                diag_set(d, DIAG_USAGE, "%s '%s' (see --help)",
                         id == ':' ? "missing argument for" : "unknown option",
                         is_long || !optopt ? word : shortopt);
            }
            return CLI_USAGE_ERROR;
        }
        if ((r = apply(o, id, optarg, d)) != CLI_OK) {
            return r;
        }
    }
    for (int i = optind; i < argc; i++) {
        strvec_push(&o->inputs, argv[i]);
    }
    /* No bundle is not an error yet: the configuration may name them (cmd_check decides). */
    if (o->role == ROLE_AS_LAYER && o->layers.nr) {
        diag_set(d, DIAG_USAGE, "--layer goes with a function bundle, not with --role layer");
        return CLI_USAGE_ERROR;
    }
    return CLI_OK;
}

void options_release(struct options *o)
{
    strvec_release(&o->inputs);
    strvec_release(&o->layers);
    strvec_release(&o->reports);
}
