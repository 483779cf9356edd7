/* SPDX-License-Identifier: MIT */
/* Python-specific classification of a member from its path, first bytes and ELF facts. */
#include "pyclass.h"

#include <ctype.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "xalloc.h"

enum content_kind pyclass_content(const unsigned char *h, size_t len)
{
    if (len == 0) {
        return CONTENT_EMPTY;
    }
    if (len >= 4 && !memcmp(h, ELFMAG, SELFMAG)) {
        return CONTENT_ELF;
    }
    /* Mach-O thin 32/64 in either byte order, and fat (doc/sources.md#wheel-tags). */
    if (len >= 4 && ((h[0] == 0xFE && h[1] == 0xED && h[2] == 0xFA && (h[3] & 0xFE) == 0xCE) ||
                     ((h[0] & 0xFE) == 0xCE && h[1] == 0xFA && h[2] == 0xED && h[3] == 0xFE) ||
                     (h[0] == 0xCA && h[1] == 0xFE && h[2] == 0xBA && h[3] == 0xBE))) {
        return CONTENT_MACHO;
    }
    if (len >= 2 && h[0] == 'M' && h[1] == 'Z') {
        return CONTENT_PE;
    }
    /* Bytecode: a 16-bit magic then "\r\n" (doc/sources.md#extension-suffixes-and-bytecode). */
    if (len >= 4 && h[2] == '\r' && h[3] == '\n') {
        return CONTENT_PYC;
    }
    for (size_t i = 0; i < len; i++) {
        if (h[i] < 0x20 && h[i] != '\n' && h[i] != '\r' && h[i] != '\t') {
            return CONTENT_DATA;
        }
    }
    return CONTENT_TEXT;
}

bool pyclass_skip_content(const char *path)
{
    /* Text and data that no loader or interpreter maps: reading them would only cost time. */
    static const char *const text[] = {
        ".py",  ".pyi",  ".pyx", ".pxd", ".txt",   ".md",  ".rst", ".json", ".yaml",
        ".yml", ".toml", ".cfg", ".ini", ".html",  ".css", ".js",  ".csv",  ".xml",
        ".c",   ".h",    ".cpp", ".hpp", ".typed", ".svg", ".in",
    };
    const char *base = path_base(path);

    for (size_t i = 0; i < ARRAY_SIZE(text); i++) {
        if (path_has_suffix(base, text[i])) {
            return true;
        }
    }
    return false;
}

bool pyclass_shared_object_name(const char *base)
{
    return path_has_suffix(base, ".so") || strstr(base, ".so.") != NULL;
}

bool pyclass_in_distinfo(const char *path)
{
    const char *slash = strchr(path, '/');

    while (slash) {
        size_t n = (size_t)(slash - path);
        if ((n > 10 && !strncmp(slash - 10, ".dist-info", 10)) ||
            (n > 9 && !strncmp(slash - 9, ".egg-info", 9))) {
            return true;
        }
        slash = strchr(slash + 1, '/');
    }
    return false;
}

static bool is_identifier(const char *s, size_t n)
{
    if (!n || isdigit((unsigned char)s[0])) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && !((unsigned char)s[i] & 0x80)) {
            return false;
        }
    }
    return true;
}

/* "pandas/_libs/json.cpython-35m-x86_64-linux-gnu.so" -> "pandas._libs.json", or NULL when a
 * directory on the way is no Python package name (numpy.libs/, a-b/): nothing imports it. */
static char *import_name(const char *path, const char *module)
{
    const char *base = path_base(path), *p = path;
    size_t dirlen = (size_t)(base - path);
    char *out = xmalloc(dirlen + strlen(module) + 1), *o = out;

    while (p < base) {
        const char *slash = strchr(p, '/');
        if (!is_identifier(p, (size_t)(slash - p))) {
            free(out);
            return NULL;
        }
        memcpy(o, p, (size_t)(slash - p));
        o += slash - p;
        *o++ = '.';
        p = slash + 1;
    }
    strcpy(o, module);
    return out;
}

static bool exports(const struct elfinfo *elf, const char *prefix, const char *module)
{
    for (size_t i = 0; elf && i < elf->init_symbols.nr; i++) {
        const char *s = elf->init_symbols.v[i];
        size_t n = strlen(prefix);
        if (!strncmp(s, prefix, n) && !strcmp(s + n, module)) {
            return true;
        }
    }
    return false;
}

/* An untagged "libfoo.so" is a library unless it exports its own init function. */
static bool untagged_is_library(const struct member *m)
{
    const char *mod = m->ext.module;

    if (strncmp(mod, "lib", 3) != 0) {
        return false;
    }
    return !exports(m->elf, "PyInit_", mod) && !exports(m->elf, "init", mod);
}

static enum member_role role_of_elf(const struct member *m, bool so_name)
{
    if (!m->elf || !m->elf->header_ok) {
        return so_name ? ROLE_LIBRARY : ROLE_OTHER_ELF;
    }
    switch (m->elf->type) {
    case ET_EXEC:
        return ROLE_EXECUTABLE;
    case ET_DYN:
        /* A PIE executable is ET_DYN with an interpreter and no shared-object name. */
        return !so_name && m->elf->interp ? ROLE_EXECUTABLE : ROLE_LIBRARY;
    default:
        return ROLE_OTHER_ELF;
    }
}

void pyclass_classify(struct member *m, const struct pyname *g)
{
    const char *base = path_base(m->path);
    bool so_name = pyclass_shared_object_name(base);

    if (pyclass_in_distinfo(m->path)) {
        m->role = ROLE_DISTINFO;
        return;
    }
    /* Only what sits below a sys.path entry can be imported (a layer's lib/ cannot). */
    if (m->on_site && pyname_parse(g, base, &m->ext) != PYEXT_NONE) {
        free(m->module);
        m->module = import_name(m->path + m->site_off, m->ext.module);
        if (m->module && !(m->ext.kind == PYEXT_UNTAGGED && untagged_is_library(m))) {
            m->role = ROLE_EXTENSION;
            return;
        }
        /* Named like a module but not importable as one: a library after all. */
        pyext_name_release(&m->ext);
        free(m->module);
        m->module = NULL;
    }
    if (path_has_suffix(base, ".node")) {
        m->role = ROLE_ADDON; /* require() dlopen()s it, whatever it holds */
    } else if (m->content == CONTENT_ELF) {
        m->role = role_of_elf(m, so_name);
    } else if (so_name) {
        m->role = ROLE_LIBRARY;
    } else if (path_has_suffix(base, ".pyc") || m->content == CONTENT_PYC) {
        m->role = ROLE_PYC;
    } else {
        m->role = ROLE_OTHER;
    }
}

const char *pyclass_content_name(enum content_kind kind)
{
    static const char *const names[] = {
        [CONTENT_UNREAD] = "unread", [CONTENT_EMPTY] = "empty", [CONTENT_ELF] = "ELF",
        [CONTENT_MACHO] = "Mach-O",  [CONTENT_PE] = "PE",       [CONTENT_PYC] = "Python bytecode",
        [CONTENT_TEXT] = "text",     [CONTENT_DATA] = "data",
    };
    return (unsigned)kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}
