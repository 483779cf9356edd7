/* SPDX-License-Identifier: MIT */
/* Unit tests for pysource.c: which imports a Python source guards, and which it does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pysource.h"

/* Whether src imports module under a guard, and never without one. */
static bool guards(const char *src, const char *module)
{
    struct strvec mods = STRVEC_INIT, in = STRVEC_INIT, out = STRVEC_INIT;
    bool yes;

    strvec_push(&mods, module);
    pysource_imports(src, strlen(src), &mods, &in, &out);
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
    pysource_imports(src, strlen(src), &mods, &in, &out);
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
    assert_true(guards("try:\n  import _c\nexcept (AttributeError, ImportError):\n  _c = None\n",
                       "_c"));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pysource__fallbacks_real_packages_use),
        cmocka_unit_test(pysource__no_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
