#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""progress.py ABISCAN FIXTURES: the progress line of a long audit.

On a terminal (a pty for stderr), once the run is older than ABISCAN_PROGRESS_DELAY_MS
(0 here: every run is "long"), abiscan draws "abiscan: K/N done, NAME, about M:SS left"
on stderr, rewriting it in place (CR, erase line), and erases it at the end; stdout, the
report, is the same as without it. With -q, or when stderr is not a terminal, nothing.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

LINE = re.compile(rb"\r\x1b\[Kabiscan: (\d+)/(\d+) done(, [^\r]*?)?(, about \d+:\d\d left)?(?=\r|$)")


def run(abiscan, args, tty, env):
    """(stdout, stderr) of abiscan with stderr on a pty (tty) or a pipe."""
    if not tty:
        p = subprocess.run([abiscan] + args, capture_output=True, env=env, timeout=300)
        return p.stdout, p.stderr
    master, slave = pty.openpty()
    with tempfile.TemporaryFile() as out_file:
        p = subprocess.Popen([abiscan] + args, stdout=out_file, stderr=slave, env=env)
        os.close(slave)
        err = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the pty
                break
            if not chunk:
                break
            err += chunk
        p.wait(timeout=300)
        os.close(master)
        out_file.seek(0)
        return out_file.read(), err


def main():
    abiscan, fixtures = sys.argv[1:3]
    bundles = os.path.join(fixtures, "bundles")
    env = dict(os.environ, ABISCAN_PROGRESS_DELAY_MS="0", SOURCE_DATE_EPOCH="1796083200")
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as f:
        for _ in range(12):  # long enough for several lines at ten a second
            for name in sorted(os.listdir(bundles)):
                f.write(os.path.join(bundles, name) + "\n")
        lst = f.name
    args = ["--runtime", "python3.12", "--jobs", "2", "--format", "jsonl", "--files-from", lst]
    total = len(open(lst).read().splitlines())
    bad = 0

    def check(ok, what):
        nonlocal bad
        print(("ok - " if ok else "not ok - ") + what)
        bad += not ok

    out_tty, err_tty = run(abiscan, args, True, env)
    out_pipe, err_pipe = run(abiscan, args, False, env)
    lines = LINE.findall(err_tty)
    check(bool(lines) and all(int(n) == total for _, n, _, _ in lines),
          "on a terminal: progress lines 'K/%d done' (%d drawn)" % (total, len(lines)))
    dones = [int(k) for k, _, _, _ in lines]
    check(dones == sorted(dones) and any(eta for _, _, _, eta in lines),
          "the count only grows, and an estimate of the time left is shown")
    check(any(name for _, _, name, _ in lines), "the input started last is named")
    tail = err_tty[err_tty.rfind(b"\r\x1b[K") + 4:]
    check(err_tty.count(b"\r\x1b[K") == len(lines) + 1 and b" done" not in tail,
          "the line is erased at the end (then the summary line)")
    check(out_tty == out_pipe, "stdout is the same with and without a terminal")
    check(b"\x1b" not in err_pipe and b"done," not in err_pipe,
          "stderr not a terminal: no progress line")
    _, err_quiet = run(abiscan, args + ["-q"], True, env)
    check(not LINE.search(err_quiet), "-q: no progress line on a terminal")
    _, err_slow = run(abiscan, args, True, dict(env, ABISCAN_PROGRESS_DELAY_MS="600000"))
    check(not LINE.search(err_slow), "a run shorter than the delay shows none")
    os.unlink(lst)
    print("%d failed" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
