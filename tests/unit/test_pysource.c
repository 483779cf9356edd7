/* SPDX-License-Identifier: MIT */
/* Unit tests for pysource.c: which imports a Python source guards, and which it does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pysource.h"

/* pysource_module_imports() of what pysource_read() reads, every import. */
static void module_imports(const char *src, const struct strvec *mods, struct strvec *in,
                           struct strvec *out)
{
    struct pysource ps = {0};
    struct strmap set = {0};

    for (size_t i = 0; i < mods->nr; i++) {
        strmap_put(&set, mods->v[i], strlen(mods->v[i]), (void *)"");
    }
    pysource_read(src, strlen(src), PYSOURCE_ALL, &ps);
    pysource_module_imports(&ps, &set, in, out);
    pysource_release(&ps);
    strmap_release(&set);
}

/* Whether src imports module under a guard, and never without one. */
static bool guards(const char *src, const char *module)
{
    struct strvec mods = STRVEC_INIT, in = STRVEC_INIT, out = STRVEC_INIT;
    bool yes;

    strvec_push(&mods, module);
    module_imports(src, &mods, &in, &out);
    yes = in.nr == 1 && !strcmp(in.v[0], module) && !out.nr;
    strvec_release(&mods);
    strvec_release(&in);
    strvec_release(&out);
    return yes;
}

/* Whether src imports module without a guard. */
static bool imports_bare(const char *src, const char *module)
{
    struct strvec mods = STRVEC_INIT, in = STRVEC_INIT, out = STRVEC_INIT;
    bool yes;

    strvec_push(&mods, module);
    module_imports(src, &mods, &in, &out);
    yes = out.nr == 1 && !strcmp(out.v[0], module);
    strvec_release(&mods);
    strvec_release(&in);
    strvec_release(&out);
    return yes;
}

static void pysource__fallbacks_real_packages_use(void **state)
{
    (void)state;
    /* markupsafe/__init__.py */
    assert_true(guards("try:\n    from ._speedups import escape\nexcept ImportError:\n"
                       "    from ._native import escape\n",
                       "_speedups"));
    /* msgpack/__init__.py: the try inside an else branch */
    assert_true(guards("import os\nif os.environ.get('MSGPACK_PUREPYTHON'):\n"
                       "    from .fallback import Packer\nelse:\n    try:\n"
                       "        from ._cmsgpack import Packer\n    except ImportError:\n"
                       "        from .fallback import Packer\n",
                       "_cmsgpack"));
    /* a bare except, and one naming a tuple with ImportError in it */
    assert_true(guards("try:\n  import _c\nexcept:\n  _c = None\n", "_c"));
    assert_true(
        guards("try:\n  import _c\nexcept (AttributeError, ImportError):\n  _c = None\n", "_c"));
    /* the guarded try after others that catch something else */
    assert_true(guards("try:\n  a = 1\nexcept KeyError:\n  pass\ntry:\n  b = 2\nexcept KeyError:\n"
                       "  pass\ntry:\n  import _c\nexcept ImportError:\n  pass\n",
                       "_c"));
    /* BaseException; contextlib.suppress, however imported, with a tuple of exceptions */
    assert_true(guards("try:\n  import _c\nexcept BaseException:\n  _c = None\n", "_c"));
    assert_true(guards("import contextlib\nwith contextlib.suppress(ImportError):\n"
                       "    from . import cyaml\n",
                       "cyaml"));
    assert_true(guards("from contextlib import suppress\n_c = None\n"
                       "with suppress(OSError, ModuleNotFoundError):\n    import _c\n",
                       "_c"));
}

static void pysource__no_fallback(void **state)
{
    (void)state;
    /* numpy/core/__init__.py: the ImportError is caught to raise a better one */
    assert_false(guards("try:\n    from . import multiarray\nexcept ImportError as exc:\n"
                        "    import sys\n    msg = 'x'\n    raise ImportError(msg)\n",
                        "multiarray"));
    /* imported outside the try; another import guarded */
    assert_false(guards("from ._speedups import escape\ntry:\n    import foo\n"
                        "except ImportError:\n    foo = None\n",
                        "_speedups"));
    /* an exception a failed import does not raise */
    assert_false(guards("try:\n  import _c\nexcept KeyError:\n  _c = None\n", "_c"));
    /* a longer name is not the module */
    assert_false(guards("try:\n  import _cx\nexcept ImportError:\n  pass\n", "_c"));
    /* suppress of another exception; an import after the with body */
    assert_false(guards("from contextlib import suppress\nwith suppress(KeyError):\n"
                        "    import _c\n",
                        "_c"));
    assert_true(imports_bare("from contextlib import suppress\nwith suppress(ImportError):\n"
                             "    x = 1\nimport _c\n",
                             "_c"));
    /* a def's import runs when the def is called, not on import: only the guarded one does */
    assert_true(guards("try:\n  import _c\nexcept ImportError:\n  _c = None\ndef f():\n"
                       "  import _c\n",
                       "_c"));
    /* no try at all */
    assert_false(guards("import _c  # ImportError if missing\n", "_c"));
    assert_true(imports_bare("import _c  # ImportError if missing\n", "_c"));
    /* psycopg2/extensions.py: one name under a guard, the module itself without one */
    assert_false(guards("from psycopg2._psycopg import (BINARY, NUMBER)\ntry:\n"
                        "    from psycopg2._psycopg import lobject\nexcept ImportError:\n"
                        "    pass\n",
                        "_psycopg"));
    assert_true(imports_bare("from psycopg2._psycopg import (BINARY, NUMBER)\ntry:\n"
                             "    from psycopg2._psycopg import lobject\nexcept ImportError:\n"
                             "    pass\n",
                             "_psycopg"));
}

/* pysource_read(): "module[:name][!]" for each module-level import, "!" when guarded. */
static char *read_imports(const char *src, bool want_names, struct pysource *ps)
{
    static char buf[1024];
    size_t n = 0;

    memset(ps, 0, sizeof(*ps));
    pysource_read(src, strlen(src), want_names ? PYSOURCE_NAMES : 0, ps);
    buf[0] = '\0';
    for (size_t i = 0; i < ps->nr && n < sizeof(buf) - 64; i++) {
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s%s", n ? " " : "", ps->v[i].module,
                              ps->v[i].name ? ":" : "", ps->v[i].name ? ps->v[i].name : "",
                              ps->v[i].guarded ? "!" : "");
    }
    return buf;
}

static void pysource__module_level_imports(void **state)
{
    struct pysource ps;
    (void)state;
    /* a docstring's and a string's "import" are none; a def's import does not run */
    assert_string_equal(read_imports("'''doc\nimport no\n'''\nx = 'import no'\nimport a.b as c, d\n"
                                     "def f():\n    import lazy\n",
                                     false, &ps),
                        "a.b d");
    pysource_release(&ps);
    /* from-imports, relative, parenthesised over lines, a backslash continuation */
    assert_string_equal(read_imports("from ..pkg import (x,\n    y as z)  # c\nfrom . import m\n"
                                     "import one \\\n    .two\n",
                                     false, &ps),
                        "..pkg:x ..pkg:y .:m one.two");
    pysource_release(&ps);
    /* guarded (try/except ImportError, suppress), re-raised (not), conditions (not read, but
     * for a version test) */
    assert_string_equal(read_imports("try:\n    import g\nexcept ImportError:\n    g = None\n"
                                     "try:\n    import r\nexcept ImportError:\n    raise\n"
                                     "with suppress(ImportError):\n    import s\n"
                                     "if TYPE_CHECKING:\n    import t\nelse:\n    import e\n"
                                     "if sys.version_info < (3, 12):\n    import imp\n"
                                     "if __name__ == '__main__':\n    import m\n"
                                     "try: import inline\nexcept ImportError: pass\n",
                                     false, &ps),
                        "g! r s! e imp inline!"); /* imp: under a version test, read with it */
    pysource_release(&ps);
}

static void pysource__module_level_names(void **state)
{
    static const char *const bound[] = {"os", "b", "ah", "K", "h", "g",
                                        "t",  "u", "v",  "w", "i", "fh"};
    struct pysource ps;
    (void)state;
    read_imports("import os.path\nfrom x import a as b\nasync def ah(e, c):\n    q = 1\n"
                 "class K:\n    inner = 1\nh = g = 1\nt: int = 2\nu, (v, w) = 1, (2, 3)\n"
                 "for i in []:\n    pass\nwith open('f') as fh:\n    pass\n",
                 true, &ps);
    assert_true(ps.names_read);
    for (size_t k = 0; k < sizeof(bound) / sizeof(*bound); k++) {
        assert_true(strvec_contains(&ps.names, bound[k]));
    }
    assert_false(strvec_contains(&ps.names, "q"));
    assert_false(strvec_contains(&ps.names, "inner"));
    assert_false(strvec_contains(&ps.names, "a"));
    assert_false(ps.dynamic);
    pysource_release(&ps);
    read_imports("from m import *\n", true, &ps);
    assert_true(ps.dynamic);
    pysource_release(&ps);
    read_imports("def __getattr__(name):\n    return 1\n", true, &ps);
    assert_true(ps.dynamic);
    pysource_release(&ps);
}

/* pysource_imports_any(): whether a line that imports names one of cgi, imp. */
static bool glance(const char *src)
{
    struct strmap set = {0};
    bool yes;

    strmap_put(&set, "cgi", 3, (void *)"");
    strmap_put(&set, "imp", 3, (void *)"");
    yes = pysource_imports_any(src, strlen(src), &set, NULL);
    strmap_release(&set);
    return yes;
}

static void pysource__glance(void **state)
{
    (void)state;
    assert_true(glance("import os\nimport imp\n"));
    assert_true(glance("from cgi import escape\n"));
    /* the lines a backslash joins, before and after; `from m import (` to its ')' */
    assert_true(glance("import os, \\\n    imp\n"));
    assert_true(glance("from \\\r\n  cgi import x\n"));
    assert_true(glance("from . import (a,  # (not closed by this: )\n    imp,\n)\n"));
    /* a docstring's import is glanced at too: the reading says it is none */
    assert_true(glance("'''\nimport cgi\n'''\n"));
    assert_false(glance("import impossible, cgitb\nx = imp\n"));
    assert_false(glance("from . import (a,\n    b)\nimp = 1\n"));
    assert_false(glance(""));
    /* what the reading finds, the glance saw (the fuzz harness says it of any input) */
    assert_true(glance("try:\n    from . import (\n        x,\n        cgi)\nexcept ImportError:\n"
                       "    pass\n"));
}

/* pycond_parse(): "ge M.m" or "lt M.m" for a test, "?" for one it does not read. */
static const char *cond_of(const char *test)
{
    static char buf[32];
    struct pycond_term t;

    if (!pycond_parse(test, test + strlen(test), &t)) {
        return "?";
    }
    snprintf(buf, sizeof(buf), "%s %d.%d", t.ge ? "ge" : "lt", t.major, t.minor);
    return buf;
}

static void pysource__version_tests(void **state)
{
    struct pycond c = {2, {{1, 3, 8}, {0, 3, 12}}};
    (void)state;
    assert_string_equal(cond_of(" sys.version_info >= (3, 8)"), "ge 3.8");
    assert_string_equal(cond_of("sys.version_info > (3, 8)"), "ge 3.8"); /* 3.8.0 > (3, 8) */
    assert_string_equal(cond_of("sys.version_info <= (3, 8)"), "lt 3.8");
    assert_string_equal(cond_of("sys.version_info[:2] > (3, 8)"), "ge 3.9");
    assert_string_equal(cond_of("sys.version_info[:2] <= (3, 8)"), "lt 3.9");
    assert_string_equal(cond_of("sys.version_info < (3,)"), "lt 3.0");
    assert_string_equal(cond_of("sys.version_info >= (3, 8, 1)"), "ge 3.8");
    assert_string_equal(cond_of("sys.version_info[0] == 2"), "lt 3.0");
    assert_string_equal(cond_of("sys.version_info.major >= 3"), "ge 3.0");
    assert_string_equal(cond_of("not sys.version_info[0] != 3"), "ge 3.0");
    assert_string_equal(cond_of("six.PY3"), "ge 3.0");
    assert_string_equal(cond_of("not PY2 "), "ge 3.0");
    assert_string_equal(cond_of("sys.version_info[:2] == (3, 8)"), "?");
    assert_string_equal(cond_of("sys.version_info >= (3, 8) and X"), "?");
    assert_string_equal(cond_of("os.environ.get('PY3')"), "?");
    assert_string_equal(cond_of("NOT_PY3"), "?");
    assert_true(pycond_holds(&c, 3, 11));
    assert_false(pycond_holds(&c, 3, 12));
    assert_false(pycond_holds(&c, 2, 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pysource__fallbacks_real_packages_use),
        cmocka_unit_test(pysource__no_fallback),
        cmocka_unit_test(pysource__module_level_imports),
        cmocka_unit_test(pysource__module_level_names),
        cmocka_unit_test(pysource__glance),
        cmocka_unit_test(pysource__version_tests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
