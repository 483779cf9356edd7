"""What the tests that hold abiscan to the host's own imports share (import_chains.py,
import_fallbacks.py): building with gcc, importing with Debian's CPython, abiscan's findings,
and the TAP-like tally (one "ok - ..." / "not ok - ..." line per case).
"""

import json
import os
import subprocess

PY = "/usr/bin/python3"  # Debian's CPython 3.11: the modules are built against its headers


def sh(*cmd, cwd=None):
    subprocess.run(cmd, check=True, cwd=cwd)


def host_imports(root, statement, py=PY):
    """Run statement with root first on sys.path, isolated (-I -S: no site-packages, as
    Lambda's sys.path has none of the host's): (whether it worked, the error's last line)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "PYTHONPATH")}
    p = subprocess.run([py, "-I", "-S", "-c",
                        "import sys; sys.path.insert(0, sys.argv[1]); " + statement, root],
                       capture_output=True, text=True, env=env)
    return p.returncode == 0, (p.stderr.strip().splitlines() or [""])[-1]


def abiscan_findings(abiscan, root, runtime="python3.11", extra=()):
    """abiscan's findings on root for runtime (extra: more options, such as --handler);
    ValueError when it could not check it."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1796083200")
    p = subprocess.run([abiscan, "-r", runtime, "-f", "json", *extra, root],
                       capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1):
        raise ValueError(f"abiscan exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)["findings"]


class Tally:
    def __init__(self):
        self.ok = self.bad = 0

    def failed(self, name, why):
        print(f"not ok - {name}: {why}")
        self.bad += 1

    def case(self, name, problems, imported, why):
        if problems:
            self.failed(name, "; ".join(problems))
        else:
            print(f"ok - {name}: import {'works' if imported else 'fails: ' + why}; abiscan agrees")
            self.ok += 1

    def status(self):
        print(f"{self.ok} passed, {self.bad} failed")
        return 1 if self.bad or not self.ok else 0
