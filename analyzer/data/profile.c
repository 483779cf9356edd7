/* SPDX-License-Identifier: MIT */
/* Runtime profiles: JSON files in, validated, into plain C structs. */
#include "profile.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "suggest.h"
#include "xalloc.h"

/* Every field: the dotted path of its value in the profile, and where it goes. */
struct str_field {
    const char *path;
    size_t offset;
};

#define STR(path, member)                                                                          \
    {                                                                                              \
        path, offsetof(struct profile, member)                                                     \
    }
static const struct str_field str_fields[] = {
    STR("id", id),
    STR("runtime", runtime),
    STR("arch", arch),
    STR("elf.interpreter.value", interpreter),
    STR("elf.triplet.value", triplet),
    STR("os.id.value", os_id),
    STR("os.name.value", os_name),
    STR("toolchain.glibc_max.value", glibc_max),
    STR("toolchain.glibcxx_max.value", glibcxx_max),
    STR("toolchain.cxxabi_max.value", cxxabi_max),
    STR("toolchain.gcc_max.value", gcc_max),
};
/* A Python runtime's own, absent from others: no Python, no pip (doc/sources.md#os-only-runtimes,
 * doc/sources.md#nodejs-runtimes). */
static const struct str_field python_fields[] = {
    STR("python.version.value", python_version),
    STR("python.abi_tag.value", abi_tag),
    STR("pip_platform.value", pip_platform),
};
/* A Python or Node.js runtime's; an OS-only runtime's deprecation is not scheduled. */
static const struct str_field lifecycle_fields[] = {
    STR("lifecycle.deprecated.value", deprecated),
    STR("lifecycle.block_create.value", block_create),
    STR("lifecycle.block_update.value", block_update),
};
#undef STR

void profile_release(struct profile *p)
{
    for (size_t i = 0; i < ARRAY_SIZE(str_fields); i++) {
        free(*(char **)((char *)p + str_fields[i].offset));
    }
    for (size_t i = 0; i < ARRAY_SIZE(python_fields); i++) {
        free(*(char **)((char *)p + python_fields[i].offset));
    }
    for (size_t i = 0; i < ARRAY_SIZE(lifecycle_fields); i++) {
        free(*(char **)((char *)p + lifecycle_fields[i].offset));
    }
    free(p->node_version);
    free(p->file);
    free(p->glibcxx_later);
    free(p->cxxabi_later);
    free(p->gcc_later);
    strvec_release(&p->ext_suffixes);
    strvec_release(&p->cxxabi_extra);
    strvec_release(&p->library_path);
    memset(p, 0, sizeof(*p));
}

/* The optional string fields of a table: required when want, else absent. */
static int read_fields(struct profile *p, const cJSON *root, const struct str_field *fields,
                       size_t nr, bool want, struct diag *d)
{
    for (size_t i = 0; i < nr; i++) {
        char **field = (char **)((char *)p + fields[i].offset);
        if ((want ? jsonread_str(field, root, fields[i].path, d)
                  : jsonread_str_opt(field, root, fields[i].path, d)) != 0) {
            return -1;
        }
        if (!want && *field) {
            return diag_set(d, DIAG_DATA, "%s: a %s runtime has no such fact", fields[i].path,
                            !strncmp(p->runtime, "nodejs", 6) ? "Node.js" : "OS-only");
        }
    }
    return 0;
}

/* A Node.js runtime's own facts: its Node.js release, ABI and Node-API. */
static int read_node(struct profile *p, const cJSON *root, struct diag *d)
{
    if (jsonread_str(&p->node_version, root, "node.version.value", d) ||
        jsonread_int(&p->node_abi, root, "node.module_version.value", d) ||
        jsonread_int(&p->napi_max, root, "node.napi_max.value", d)) {
        return -1;
    }
    return 0;
}

static int extract(struct profile *p, const cJSON *root, struct diag *d)
{
    char *data = NULL;
    int rc = -1;

    for (size_t i = 0; i < ARRAY_SIZE(str_fields); i++) {
        if (jsonread_str((char **)((char *)p + str_fields[i].offset), root, str_fields[i].path,
                         d) != 0) {
            goto out;
        }
    }
    /* The runtime's name says its family, and so which facts it has (the schema cannot say
     * so: it requires them of no runtime). */
    bool python = !strncmp(p->runtime, "python", 6), node = !strncmp(p->runtime, "nodejs", 6);
    static const char *const python_keys[] = {"python", "pip_platform", "lifecycle"};
    static const char *const node_keys[] = {"node", "lifecycle"};
    const char *const *keys = python ? python_keys : node_keys;
    size_t nkeys = python ? ARRAY_SIZE(python_keys) : node ? ARRAY_SIZE(node_keys) : 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (!cJSON_GetObjectItemCaseSensitive(root, keys[i])) {
            diag_set(d, DIAG_DATA, "missing required key '%s' (a %s runtime has it)", keys[i],
                     python ? "Python" : "Node.js");
            goto out;
        }
    }
    if (!node && cJSON_GetObjectItemCaseSensitive(root, "node")) {
        diag_set(d, DIAG_DATA, "node: only a Node.js runtime has Node.js facts");
        goto out;
    }
    if (read_fields(p, root, python_fields, ARRAY_SIZE(python_fields), python, d) ||
        read_fields(p, root, lifecycle_fields, ARRAY_SIZE(lifecycle_fields), python || node, d) ||
        (node && read_node(p, root, d))) {
        goto out;
    }
    if (jsonread_str_opt(&p->glibcxx_later, root, "toolchain.glibcxx_later.value", d) ||
        jsonread_str_opt(&p->cxxabi_later, root, "toolchain.cxxabi_later.value", d) ||
        jsonread_str_opt(&p->gcc_later, root, "toolchain.gcc_later.value", d) ||
        jsonread_strv(&p->cxxabi_extra, root, "toolchain.cxxabi_extra.value", d) ||
        jsonread_strv(&p->library_path, root, "library_path.value", d) ||
        jsonread_int(&p->elf_machine, root, "elf.machine.value", d) ||
        jsonread_int(&p->elf_class, root, "elf.class.value", d) ||
        jsonread_str(&data, root, "elf.data.value", d)) {
        goto out;
    }
    p->elf_data = !strcmp(data, "msb") ? ELFDATA2MSB : ELFDATA2LSB;
    if (!python) {
        p->pyc_magic = -1; /* no bytecode matches it */
        rc = 0;
        goto out;
    }
    if (jsonread_strv(&p->ext_suffixes, root, "python.extension_suffixes.value", d) ||
        jsonread_int(&p->pyc_magic, root, "python.pyc_magic.value", d)) {
        goto out;
    }
    if (sscanf(p->python_version, "%d.%d", &p->py_major, &p->py_minor) != 2) {
        diag_set(d, DIAG_DATA, "python.version.value: expected MAJOR.MINOR");
        goto out;
    }
    rc = 0;
out:
    free(data);
    return rc;
}

static int load_one(struct profile *p, const char *path, const cJSON *schema, struct diag *d)
{
    cJSON *root = NULL;
    const char *base = strrchr(path, '/');
    char *expect = NULL;
    int rc = -1;

    memset(p, 0, sizeof(*p));
    p->file = xstrdup(path);
    if (jsonread_validated(&root, path, schema, d) != 0) {
        goto out;
    }
    if (extract(p, root, d) != 0) {
        diag_prefix(d, "%s", path);
        goto out;
    }
    expect = xasprintf("%s.json", p->id);
    if (strcmp(base ? base + 1 : path, expect) != 0) {
        diag_set(d, DIAG_DATA, "%s: id: '%s' does not match the file name", path, p->id);
        goto out;
    }
    rc = 0;
out:
    free(expect);
    cJSON_Delete(root);
    return rc;
}

static int cmp_profile(const void *a, const void *b)
{
    const struct profile *x = a, *y = b;

    if (profile_family(x) != profile_family(y)) {
        return (int)profile_family(x) - (int)profile_family(y); /* Python, Node.js, OS-only */
    }
    if (profile_node(x) && atoi(x->node_version) != atoi(y->node_version)) {
        return atoi(x->node_version) - atoi(y->node_version);
    }
    if (!x->python_version && strcmp(x->runtime, y->runtime) != 0) {
        return strcmp(x->runtime, y->runtime);
    }
    if (x->py_major != y->py_major) {
        return x->py_major - y->py_major;
    }
    if (x->py_minor != y->py_minor) {
        return x->py_minor - y->py_minor;
    }
    return strcmp(x->arch, y->arch) > 0 ? -1 : strcmp(x->arch, y->arch) < 0; /* x86_64 first */
}

int profiles_load(struct profiles *out, const struct datasrc *src, struct diag *d)
{
    char *dir = xasprintf("%s/runtimes", src->dir);
    char *schema_path = xasprintf("%s/schema/profile.schema.json", src->dir);
    struct strvec names = STRVEC_INIT;
    cJSON *schema = NULL;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if ((src->validate && jsonread_file(&schema, schema_path, d) != 0) ||
        jsonread_list_dir(&names, dir, d) != 0) {
        goto out;
    }
    if (!names.nr) {
        diag_set(d, DIAG_DATA, "no runtime profiles in '%s'", dir);
        goto out;
    }
    out->v = xcalloc(names.nr, sizeof(*out->v));
    for (size_t i = 0; i < names.nr; i++) {
        char *path = xasprintf("%s/%s", dir, names.v[i]);
        int bad = load_one(&out->v[out->nr++], path, schema, d);
        free(path);
        if (bad) {
            goto out;
        }
        for (size_t j = 0; j + 1 < out->nr; j++) {
            if (!strcmp(out->v[j].id, out->v[out->nr - 1].id)) {
                diag_set(d, DIAG_DATA, "%s: duplicate profile id '%s'", names.v[i], out->v[j].id);
                goto out;
            }
        }
    }
    qsort(out->v, out->nr, sizeof(*out->v), cmp_profile);
    rc = 0;
out:
    if (rc) {
        profiles_release(out);
    }
    cJSON_Delete(schema);
    strvec_release(&names);
    free(schema_path);
    free(dir);
    return rc;
}

int profile_load_id(struct profile *out, const struct datasrc *src, const char *id, struct diag *d)
{
    char *path = xasprintf("%s/runtimes/%s.json", src->dir, id);
    int rc = load_one(out, path, NULL, d); /* trusted data only: the schema was run */

    if (rc) {
        profile_release(out);
    }
    free(path);
    return rc;
}

void profile_free(struct profile *p)
{
    if (p) {
        profile_release(p);
        free(p);
    }
}

static void copy_strvec(struct strvec *out, const struct strvec *from)
{
    for (size_t i = 0; i < from->nr; i++) {
        strvec_push(out, from->v[i]);
    }
}

void profile_copy(struct profile *out, const struct profile *from)
{
    *out = *from;
    for (size_t i = 0; i < ARRAY_SIZE(str_fields); i++) {
        char **field = (char **)((char *)out + str_fields[i].offset);
        *field = *field ? xstrdup(*field) : NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(python_fields); i++) {
        char **field = (char **)((char *)out + python_fields[i].offset);
        *field = *field ? xstrdup(*field) : NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(lifecycle_fields); i++) {
        char **field = (char **)((char *)out + lifecycle_fields[i].offset);
        *field = *field ? xstrdup(*field) : NULL;
    }
    out->node_version = from->node_version ? xstrdup(from->node_version) : NULL;
    out->file = from->file ? xstrdup(from->file) : NULL;
    out->glibcxx_later = from->glibcxx_later ? xstrdup(from->glibcxx_later) : NULL;
    out->cxxabi_later = from->cxxabi_later ? xstrdup(from->cxxabi_later) : NULL;
    out->gcc_later = from->gcc_later ? xstrdup(from->gcc_later) : NULL;
    memset(&out->ext_suffixes, 0, sizeof(out->ext_suffixes));
    memset(&out->cxxabi_extra, 0, sizeof(out->cxxabi_extra));
    memset(&out->library_path, 0, sizeof(out->library_path));
    copy_strvec(&out->ext_suffixes, &from->ext_suffixes);
    copy_strvec(&out->cxxabi_extra, &from->cxxabi_extra);
    copy_strvec(&out->library_path, &from->library_path);
}

const struct profile *profiles_find(const struct profiles *ps, const char *runtime,
                                    const char *arch)
{
    for (size_t i = 0; i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, runtime) && !strcmp(ps->v[i].arch, arch)) {
            return &ps->v[i];
        }
    }
    return NULL;
}

/* The digits of a runtime name: "python3.12", "python312", "py3.12" and "3.12" all give
 * "312". */
static void runtime_digits(const char *name, char *out, size_t cap)
{
    size_t n = 0;

    for (const char *c = name; *c && n + 1 < cap; c++) {
        if (*c >= '0' && *c <= '9') {
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

const char *profiles_suggest(const struct profiles *ps, const char *runtime, char *buf, size_t n)
{
    const char **names = xcalloc(ps->nr + 1, sizeof(*names));
    char want[16], have[16];
    const char *said = NULL;
    size_t k = 0;

    runtime_digits(runtime, want, sizeof(want));
    for (size_t i = 0; i < ps->nr && !said; i++) {
        runtime_digits(ps->v[i].runtime, have, sizeof(have));
        if (want[0] && !strcmp(want, have) && n) {
            snprintf(buf, n, "%s", ps->v[i].runtime);
            said = buf;
        }
        if (!k || strcmp(names[k - 1], ps->v[i].runtime) != 0) {
            names[k++] = ps->v[i].runtime; /* sorted by version: one per runtime */
        }
    }
    if (!said && !strncmp(runtime, "python", 6) && strlen(want) >= 2 &&
        strspn(runtime + 6, "0123456789.") == strlen(runtime + 6)) {
        /* A well-formed name (python3.5, python3.1) means a version, not a typo: only the
         * versions it begins (python3.10 ... python3.14), never a neighbour (python3.6). */
        size_t m = 0;
        for (size_t i = 0; i < k; i++) {
            if (!strncmp(names[i], runtime, strlen(runtime))) {
                names[m++] = names[i];
            }
        }
        k = m;
    }
    said = said ? said : suggest_words(runtime, names, k, buf, n);
    free(names);
    return said;
}

void profiles_release(struct profiles *ps)
{
    for (size_t i = 0; ps && i < ps->nr; i++) {
        profile_release(&ps->v[i]);
    }
    if (ps) {
        free(ps->v);
        ps->v = NULL;
        ps->nr = 0;
    }
}
