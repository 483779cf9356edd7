/* SPDX-License-Identifier: MIT */
/* The option table, getopt_long over it, and help generated from it. */
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
    {"Target", "runtime", OPT_RUNTIME, required_argument, "NAME",
     "Lambda runtime to check against, e.g. python3.12 (see --list-runtimes); without it, "
     "every runtime: where would the bundle import?",
     "Ar name",
     "The Lambda runtime, for example python3.12\n"
     ".Pq see Fl -list-runtimes ."},
    {NULL, "arch", OPT_ARCH, required_argument, "ARCH",
     "function architecture: x86_64 (default) or arm64", "Ar arch",
     "x86_64 (the default) or arm64; amd64 and aarch64 are accepted."},
    {NULL, "layer", OPT_LAYER, required_argument, "PATH",
     "a layer of the function (zip or directory); repeat in configuration order", "Ar path",
     "A layer of the function; repeat in configuration order."},
    {NULL, "role", OPT_ROLE, required_argument, "ROLE",
     "the bundles are a function or a layer (default: a layer when everything in it sits "
     "under python/, lib/ or bin/)",
     "Ar role",
     "The bundles are a\n"
     ".Cm function\n"
     "or a\n"
     ".Cm layer\n"
     "(default: a layer when everything in it sits under python/, lib/ or bin/)."},
    {NULL, "handler", OPT_HANDLER, required_argument, "MODULE.FUNCTION",
     "the function's handler, as Lambda's Handler setting names it (app.lambda_handler): "
     "it and what it imports are checked to import",
     "Ar module.function",
     "The function's handler, as Lambda's Handler setting names it, for example\n"
     ".Cm app.lambda_handler :\n"
     "its module is looked for on the function's sys.path, the function in it, and each\n"
     "module it imports at module level."},
    {NULL, "installer", OPT_INSTALLER, required_argument, "NAME",
     "what installs the bundle's packages, for the command that rebuilds it: pip, uv, poetry, "
     "pipenv or sam (default: from the lock file or template beside the bundle, else pip)",
     "Ar name",
     "What installs the bundle's packages:\n"
     ".Cm pip , uv , poetry , pipenv\n"
     "or\n"
     ".Cm sam ;\n"
     "the fix of a cause that rebuilding the bundle removes is written for it (default: from\n"
     "the lock file or template beside the bundle, else pip)."},
    {NULL, "platform", OPT_PLATFORM, required_argument, "OS/ARCH",
     "the image to check of a container image index that holds several, e.g. linux/arm64 "
     "(default: linux/ and the function's --arch)",
     "Ar os/arch",
     "Of a container image index that holds images for several platforms, check the\n"
     "one for\n"
     ".Ar os/arch ,\n"
     "for example linux/arm64 (default: linux/ and the function's\n"
     ".Fl -arch ) ."},
    {NULL, "list-runtimes", OPT_LIST_RUNTIMES, no_argument, NULL,
     "print the known runtime profiles and exit", NULL,
     "Print the known runtime profiles and exit."},
    {NULL, "rules", OPT_RULES, required_argument, "DIR",
     "read the catalogue and profiles from DIR instead of the installed ones", "Ar dir",
     "Read the catalogue and the profiles from\n"
     ".Ar dir ."},
    {NULL, "config", OPT_CONFIG, required_argument, "FILE",
     "read the configuration from FILE, not the .abiscan.yaml found from the current "
     "directory up to the repository root; the command line wins over it",
     "Ar file",
     "Read the configuration from\n"
     ".Ar file\n"
     "instead of the\n"
     ".Pa .abiscan.yaml\n"
     "found from the current directory up to the repository root."},
    {NULL, "no-config", OPT_NO_CONFIG, no_argument, NULL, "read no configuration file", NULL,
     "Read no configuration file."},
    {"Limits", "max-member-size", OPT_MAX_MEMBER_SIZE, required_argument, "BYTES",
     "do not read members larger than BYTES (default 268435456); report them", "Ar bytes",
     "Do not read members larger than\n"
     ".Ar bytes\n"
     "(default 268435456); report them."},
    {NULL, "jobs", OPT_JOBS, required_argument, "N",
     "check inputs, and read members, on N threads (default: the processors abiscan may "
     "use); the report is the same for every N",
     "Ar n",
     "Check inputs on\n"
     ".Ar n\n"
     "threads, one input per thread; a single input reads its members on\n"
     ".Ar n\n"
     "threads (default: the processors abiscan may run on; a small input stays on one\n"
     "thread unless\n"
     ".Fl -jobs\n"
     "is given).\n"
     "The report is the same for every\n"
     ".Ar n ."},
    {"Output", "format", OPT_FORMAT, required_argument, "FMT",
     "output format: {formats} (default: text)", "Ar format",
     "The format on standard output:\n"
     "{formats}\n"
     "(default:\n"
     ".Cm text ) ."},
    {NULL, "output", OPT_OUTPUT, required_argument, "FILE", "write the report to FILE, not stdout",
     "Ar file",
     "Write the report to\n"
     ".Ar file\n"
     "instead of standard output."},
    {NULL, "report", OPT_REPORT, required_argument, "FMT=FILE",
     "also write a report in FMT to FILE, whole or not at all (repeatable); the summary line "
     "goes to stderr whenever stdout is not the text report",
     "Ar format Ns = Ns Ar file",
     "Also write a report in\n"
     ".Ar format\n"
     "to\n"
     ".Ar file ;\n"
     "repeatable.\n"
     "Every file is written to a temporary name beside it and renamed when complete;\n"
     "a run that fails with status 2 removes the reports an earlier run left.\n"
     "Whenever standard output is not the text report, the one-line summary goes to\n"
     "standard error."},
    {NULL, "size", OPT_SIZE, no_argument, NULL,
     "print the size plan of every bundle: bytes per distribution, what can be left out with "
     "the bytes each step saves, whether it then fits (also in the size-limit finding; "
     "--report exclude=FILE writes the zip -x@FILE list, --report treemap=FILE.svg a picture)",
     NULL,
     "Print the size plan of every bundle: its unzipped and zipped bytes, the bytes of\n"
     "each distribution, what can be left out (tests, caches the runtime never reads,\n"
     "unread metadata, sources and headers) and what stripping the ELF files saves,\n"
     "each with its exact bytes, the choices (a library vendored twice, the runtime's\n"
     "own packages), and whether it then fits both limits: the unzipped one, and each\n"
     "zip's direct upload (a directory's zip is estimated).\n"
     "The\n"
     ".Cm size-limit\n"
     "finding carries the plan's summary on its own."},
    {NULL, "path-base", OPT_PATH_BASE, required_argument, "DIR",
     "SARIF and GitHub annotations name files from DIR (default: the repository root above "
     "the current directory, the first directory with .git)",
     "Ar dir",
     "SARIF (relative to its SRCROOT) and GitHub annotations name files by their path\n"
     "from\n"
     ".Ar dir ,\n"
     "by default the repository root: the first directory from the current one up that\n"
     "holds .git.\n"
     "SARIF names a file outside it by its absolute path."},
    {NULL, "color", OPT_COLOR, required_argument, "WHEN",
     "auto (default: on a terminal, unless NO_COLOR is set), always or never", "Ar when",
     "auto, always or never."},
    {NULL, "statistics", OPT_STATISTICS, no_argument, NULL,
     "how many findings each rule has at each severity, most first (as --format statistics)", NULL,
     "Print how many findings each rule has at each severity, most first, instead of\n"
     "the findings (as\n"
     ".Fl -format Cm statistics ) ."},
    {NULL, "verbose", OPT_VERBOSE, no_argument, NULL,
     "text: also show the notes, and the line Lambda would log", NULL,
     "Text: also print the line Lambda would log."},
    {"Audits", "files-from", OPT_FILES_FROM, required_argument, "FILE",
     "also check the bundles FILE lists, one a line (-: stdin)", "Ar file",
     "Also check the bundles\n"
     ".Ar file\n"
     "lists, one a line\n"
     ".Pq Ar file No is Fl \\&- No for standard input ."},
    {NULL, "null", OPT_NULL, no_argument, NULL, "the --files-from list is NUL-separated", NULL,
     "The\n"
     ".Fl -files-from\n"
     "list is separated by NUL bytes, as\n"
     ".Ic find -print0\n"
     "writes it."},
    {NULL, "lambda-config", OPT_LAMBDA_CONFIG, required_argument, "FILE",
     "check each function on its own configuration: the JSON of aws lambda "
     "get-function-configuration or get-function (its bundle given), or list-functions "
     "(with --code-dir)",
     "Ar file",
     "Check each function against its own configuration: the JSON that\n"
     ".Ic aws lambda get-function-configuration\n"
     "or\n"
     ".Ic get-function\n"
     "prints\n"
     ".Pq its bundle given as Ar bundle , its layers with Fl -layer\n"
     "or that\n"
     ".Ic aws lambda list-functions\n"
     "prints\n"
     ".Pq with Fl -code-dir .\n"
     "Layers configured by ARN with no local code are listed as not checked; a\n"
     "container image is not checked."},
    {NULL, "code-dir", OPT_CODE_DIR, required_argument, "DIR",
     "each function's code in DIR, as NAME.zip or a directory NAME (NAME: its FunctionName)",
     "Ar dir",
     "Each function's code, as\n"
     ".Ar dir Ns / Ns Ar name Ns .zip\n"
     "or a directory\n"
     ".Ar dir Ns / Ns Ar name ,\n"
     ".Ar name\n"
     "its FunctionName."},
    {NULL, "template", OPT_TEMPLATE, required_argument, "PATH",
     "check each function declared in PATH on its declared runtime, architecture and layers: "
     "a SAM or CloudFormation template, a CDK cloud assembly (cdk.out), a Serverless package "
     "(.serverless) or terraform show -json; --runtime and --arch override",
     "Ar path",
     "Check each function declared in\n"
     ".Ar path\n"
     "on its declared runtime, architecture and layers: an AWS SAM or\n"
     "CloudFormation template (YAML with its short-form tags, or JSON), the\n"
     "directory or template\n"
     ".Ic sam build\n"
     "writes, an AWS CDK cloud assembly\n"
     ".Pq Pa cdk.out ,\n"
     "a Serverless Framework package\n"
     ".Pq Pa .serverless ,\n"
     "or the JSON of\n"
     ".Ic terraform show -json .\n"
     ".Fl -runtime\n"
     "and\n"
     ".Fl -arch\n"
     "override what it declares."},
    {NULL, "shard", OPT_SHARD, required_argument, "K/N",
     "check only the K-th of N slices of the inputs, in order: the slices' outputs one after "
     "the other are the whole list's",
     "Ar k Ns / Ns Ar n",
     "Check only the\n"
     ".Ar k Ns th\n"
     "of\n"
     ".Ar n\n"
     "slices of the inputs, each a run of consecutive inputs: the outputs of slices 1 to\n"
     ".Ar n ,\n"
     "one after the other, are the whole list's, each input once."},
    {NULL, "quiet", OPT_QUIET, no_argument, NULL, "no progress line on a terminal", NULL,
     "No progress line on a terminal."},
    {"Rules", "list-rules", OPT_LIST_RULES, no_argument, NULL,
     "print the rule catalogue (JSON with --format json) and exit", NULL,
     "Print the rule catalogue, as JSON with\n"
     ".Fl -format Cm json ,\n"
     "and exit."},
    {NULL, "explain", OPT_EXPLAIN, required_argument, "RULE",
     "what a rule (id or slug) means, an example, what Lambda logs, the fix; then exit", "Ar rule",
     "Explain a rule, by id or slug: what it means, an example, what Lambda logs and\n"
     "how to fix it."},
    {"Gate", "fail-on", OPT_FAIL_ON, required_argument, "SEV",
     "exit 1 on findings at or above SEV: note, warning, error (default) or none", "Ar severity",
     "Exit 1 on findings at or above note, warning, error (the default) or none."},
    {NULL, "baseline", OPT_BASELINE, required_argument, "FILE",
     "fail only on findings not in the baseline FILE; note its entries no longer found", "Ar file",
     "Fail only on findings not in the baseline\n"
     ".Ar file ;\n"
     "note its entries that are no longer found."},
    {NULL, "write-baseline", OPT_WRITE_BASELINE, required_argument, "FILE",
     "record every finding of this run in FILE as accepted (they then do not fail it)", "Ar file",
     "Record every finding of this run in\n"
     ".Ar file\n"
     "as accepted."},
    {NULL, "no-suppress", OPT_NO_SUPPRESS, no_argument, NULL,
     "ignore the configuration's suppressions and the baseline: show and count everything", NULL,
     "Ignore the configuration's suppressions and the baseline."},
    {"Other", "help", OPT_HELP, no_argument, NULL, "print this help and exit", NULL,
     "Print the options and exit."},
    {NULL, "version", OPT_VERSION, no_argument, NULL, "print the version and exit", NULL,
     "Print the version and exit."},
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
                 ".\\\" Generated from the option table (analyzer/app/options.c) by\n"
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
            char guess[64];
            if (suggest_words(arg, names, ARRAY_SIZE(names), guess, sizeof(guess))) {
                diag_set(d, DIAG_USAGE, "unknown installer '%s': did you mean %s?", arg, guess);
            } else {
                diag_set(d, DIAG_USAGE, "unknown installer '%s' (pip, uv, poetry, pipenv or sam)",
                         arg);
            }
            return CLI_USAGE_ERROR;
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
            char guess[64];
            if (suggest_words(arg, sevs, ARRAY_SIZE(sevs), guess, sizeof(guess))) {
                diag_set(d, DIAG_USAGE, "unknown severity '%s': did you mean %s?", arg, guess);
            } else {
                diag_set(d, DIAG_USAGE, "unknown severity '%s' (note, warning, error or none)",
                         arg);
            }
            return CLI_USAGE_ERROR;
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
