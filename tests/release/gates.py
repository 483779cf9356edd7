# SPDX-License-Identifier: MIT
"""The release installed where a gate runs, from the local release that release.build made
(WORK/dist, read through file:// URLs: the same curl and the same paths as from GitHub):

  action     action.yml's step (its run: line, its inputs mapped to the environment as it
             maps them, its defaults) run with the variables a runner sets pointing at
             files: RUNNER_ARCH, RUNNER_TEMP, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY,
             GITHUB_OUTPUT, GITHUB_PATH. With examples/github/abiscan.yml's inputs on a bad
             bundle: exit 1, stdout nothing but annotations, the step summary appended, the
             SARIF file that the upload step names valid to sarif-multitool, the outputs
             and PATH written; on a good bundle: exit 0 and no annotation; the demo bundle
             (demo-py35.zip, python3.6): exit 1; the bundles of .abiscan.yaml when none is
             given; an unknown runtime: exit 2 and a summary that says so; a checksum that
             does not match, or an archive SHA256SUMS does not list: exit 2 before anything
             runs; ARM64 installs the aarch64 archive (its --version under qemu, with the
             minimal root's arm64 C library); X86: exit 2; an input that holds a newline
             and a workflow command stays inside one escaped ::error. And the
             example's build step asks pip for Lambda's platform and Python, wheels only.
  codebuild  each buildspec of examples/codebuild/: its variables and the commands of its
             phases, parsed from the YAML, run in order by sh -e (one shell, as buildspec
             0.2 runs them) in a Debian 12 minbase root with curl and zip, the tools of
             CodeBuild's standard images that minbase lacks; pip is a stub that records its
             arguments and lays a fixture bundle out in --target. A bad bundle fails the build
             with exit 1 and the report group's JUnit file read by junitparser, a good one
             passes, an unknown runtime fails it with 2, a checksum that does not match fails
             the install before pip or abiscan runs.

  install    README.md's Installing lines and examples/pre-commit/README.md's one line, with
             the release's URL made file://, install an abiscan whose --version is the
             release's

A missing tool (mmdebstrap, unshare, curl, sarif-multitool) is a failure, not a skip."""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import junitparser
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "consumers"))
import consumers  # noqa: E402  (the annotation grammar and the SARIF validator)
from release import MINIMAL_ROOT  # noqa: E402

failed = 0


class Checker:
    def check(self, cond, what, detail=""):
        return ok(cond, what, detail)


def ok(cond, what, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failed += 1
        if detail:
            print("\n".join("#   " + line for line in str(detail).splitlines()[-40:]))
    return cond


def tool(name):
    path = shutil.which(name)
    if not path:
        sys.exit(f"not ok - {name} is not installed (scripts/bootstrap installs it)")
    return path


def version_of(source):
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"^project\(abiscan VERSION ([0-9]+\.[0-9]+\.[0-9]+)[ )]", f.read(), re.M)
    return m.group(1)


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def place(fixtures, bundle, dest):
    """A fixture bundle (a directory, or NAME.zip) at dest."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    src = os.path.join(fixtures, "bundles", bundle)
    (shutil.copy if bundle.endswith(".zip") else shutil.copytree)(src, dest)


def corrupt(dist, into, drop=False):
    """A copy of dist whose SHA256SUMS lies about (or, drop, leaves out) the x86_64 archive."""
    fresh(into)
    for name in os.listdir(dist):
        shutil.copy(os.path.join(dist, name), into)
    with open(os.path.join(into, "SHA256SUMS"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        if "-linux-x86_64.tar.gz" in line:
            if drop:
                continue
            line = hashlib.sha256(b"not the archive").hexdigest() + line[64:]
        out.append(line)
    with open(os.path.join(into, "SHA256SUMS"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return into


# --- the action ------------------------------------------------------------------------

def load_action(source):
    with open(os.path.join(source, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    step = action["runs"]["steps"][0]
    # env: INPUT_X: ${{ inputs.x }}: which variable each input becomes
    env_of = {}
    for var, value in step["env"].items():
        m = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", str(value))
        env_of[m.group(1)] = var
    return action, step, env_of


def run_action(a, runner, inputs, arch="X64", release=None):
    """action.yml's step as the runner runs it; returns (exit, stdout, stderr)."""
    action, step, env_of = load_action(a.source)
    unknown = set(inputs) - set(action["inputs"])
    if unknown:
        ok(False, f"action.yml declares the inputs given: {sorted(unknown)}")
    for name in ("temp", "workspace"):
        os.makedirs(os.path.join(runner, name), exist_ok=True)
    files = {v: os.path.join(runner, v.lower()) for v in
             ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_PATH")}
    for path in files.values():
        open(path, "w").close()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
           "RUNNER_OS": "Linux", "RUNNER_ARCH": arch,
           "RUNNER_TEMP": os.path.join(runner, "temp"),
           "GITHUB_WORKSPACE": os.path.join(runner, "workspace"),
           "GITHUB_ACTION_PATH": a.source, **files}
    for name, spec in action["inputs"].items():
        value = inputs.get(name, spec.get("default", ""))
        if name == "release-url" and release is not None:
            value = "file://" + release
        env[env_of[name]] = str(value)
    shell = {"sh": ["sh", "-e", "-c"], "bash": ["bash", "-e", "-c"]}[step["shell"]]
    r = subprocess.run(shell + [step["run"]], cwd=env["GITHUB_WORKSPACE"], env=env,
                       capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout, r.stderr


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def outputs(runner):
    return dict(line.split("=", 1) for line in read(os.path.join(runner, "github_output"))
                .splitlines() if "=" in line)


def action(a):
    tool("curl")
    v = version_of(a.source)
    dist = os.path.join(a.work, "dist")
    work = fresh(os.path.join(a.work, "action"))
    with open(os.path.join(a.source, "examples/github/abiscan.yml"), encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    steps = wf["jobs"]["abiscan"]["steps"]
    uses = [s for s in steps if str(s.get("uses", "")).startswith("abiscan/abiscan@")]
    if not ok(len(uses) == 1 and uses[0]["uses"] == f"abiscan/abiscan@v{v}",
              f"the example uses the action at v{v}", [s.get("uses") for s in steps]):
        return
    inputs = uses[0]["with"]
    build = next(s for s in steps if "pip install" in s.get("run", ""))
    pip = shlex.split(build["run"])
    py = re.fullmatch(r"python(3\.[0-9]+)", inputs["runtime"]).group(1)
    plat = {"x86_64": "x86_64", "arm64": "aarch64"}[inputs["arch"]]
    ok(any(re.fullmatch(r"--platform=?manylinux[0-9_]*_" + plat, w) or
           (w == "--platform" and re.fullmatch(r"manylinux[0-9_]*_" + plat, pip[i + 1]))
           for i, w in enumerate(pip)) and "--only-binary=:all:" in pip and
       pip[pip.index("--python-version") + 1] == py and
       pip[pip.index("--target") + 1] == inputs["bundles"],
       f"the example's build step: pip for manylinux {plat}, Python {py}, wheels only, "
       "into the bundle the action checks", build["run"])
    upload = next(s for s in steps if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif"))
    ok(upload["with"]["sarif_file"] == inputs["sarif"] and "always()" in upload.get("if", ""),
       "the example uploads the action's SARIF file even when the step fails")

    multitool = a.sarif_multitool or tool("sarif-multitool")
    sarifs = []
    for name, bundle, want in (("bad", "demo-py36", 1), ("good", "stableabi", 0)):
        runner = fresh(os.path.join(work, name))
        place(a.fixtures, bundle, os.path.join(runner, "workspace", inputs["bundles"]))
        start = time.monotonic()
        status, out, err = run_action(a, runner, inputs, release=dist)
        ok(status == want, f"{name}: the example's inputs on {bundle}: exit {want} "
           f"({time.monotonic() - start:.1f} s)", f"exit {status}\n{out}{err}")
        lines = out.splitlines()
        ok(all(consumers.GH_LINE.match(x) for x in lines) and (len(lines) > 0) == (want == 1),
           f"{name}: stdout is {len(lines)} annotations", out[:2000])
        summary = read(os.path.join(runner, "github_step_summary"))
        ok(summary.startswith("#") and ("|" in summary) == (want == 1),
           f"{name}: the step summary is abiscan's Markdown ({len(summary)} bytes)", summary)
        sarif = os.path.join(runner, "workspace", inputs["sarif"])
        if ok(os.path.isfile(sarif), f"{name}: the SARIF file {inputs['sarif']} is written"):
            sarifs.append(sarif)
        o = outputs(runner)
        ok(o.get("exit-code") == str(want) and o.get("sarif") == inputs["sarif"],
           f"{name}: GITHUB_OUTPUT: exit-code={want}, sarif={inputs['sarif']}", o)
        path = read(os.path.join(runner, "github_path")).strip()
        ok(path.endswith(f"/abiscan-{v}/bin") and
           subprocess.run([os.path.join(path, "abiscan"), "--version"], capture_output=True,
                          text=True).stdout == f"abiscan {v}\n",
           f"{name}: GITHUB_PATH has the installed abiscan {v} for later steps", path)
    if sarifs:
        consumers.validate_sarif(Checker(), multitool, sarifs, work)

    runner = fresh(os.path.join(work, "demo"))
    place(a.fixtures, "demo-py35.zip", os.path.join(runner, "workspace", "demo-py35.zip"))
    status, out, err = run_action(a, runner, {"runtime": "python3.6", "bundles":
                                              "demo-py35.zip"}, release=dist)
    ok(status == 1 and "python-tag-mismatch" in out and "runtime-deprecated" in out,
       "the demo bundle on python3.6: exit 1, python-tag-mismatch and runtime-deprecated "
       "annotations", f"exit {status}\n{out[:1500]}{err}")

    runner = fresh(os.path.join(work, "config"))
    place(a.fixtures, "stableabi", os.path.join(runner, "workspace", "fn"))
    os.makedirs(os.path.join(runner, "workspace", ".git"))  # the repository's root
    with open(os.path.join(runner, "workspace", ".abiscan.yaml"), "w") as f:
        f.write("runtime: python3.12\narch: x86_64\nbundles: [fn]\n")
    status, out, err = run_action(a, runner, {}, release=dist)
    ok(status == 0 and "fn" in read(os.path.join(runner, "github_step_summary")),
       "no input but the defaults: the bundles and target of .abiscan.yaml, exit 0",
       f"exit {status}\n{out}{err}")

    runner = fresh(os.path.join(work, "trouble"))
    place(a.fixtures, "stableabi", os.path.join(runner, "workspace", "fn"))
    status, out, err = run_action(a, runner, {"runtime": "python9.9", "bundles": "fn"},
                                  release=dist)
    summary = read(os.path.join(runner, "github_step_summary"))
    ok(status == 2 and "exited 2" in summary and not os.path.exists(
        os.path.join(runner, "workspace", "abiscan.sarif")),
       "an unknown runtime: exit 2, the summary says so, no SARIF", f"exit {status}\n{err}")

    for what, drop in (("does not match", False), ("does not list", True)):
        runner = fresh(os.path.join(work, "checksum"))
        place(a.fixtures, "demo-py36", os.path.join(runner, "workspace", "fn"))
        bad = corrupt(dist, os.path.join(work, "dist-corrupt"), drop)
        status, out, err = run_action(a, runner, {"bundles": "fn"}, release=bad)
        ok(status == 2 and "::error title=abiscan action::" in out and what in out and
           not read(os.path.join(runner, "github_step_summary")) and
           not read(os.path.join(runner, "github_path")) and
           not os.path.exists(os.path.join(runner, "workspace", "abiscan.sarif")),
           f"SHA256SUMS {what} the archive: exit 2 before abiscan runs (no summary, no SARIF, "
           "nothing on PATH)", f"exit {status}\n{out}{err}")

    runner = fresh(os.path.join(work, "arm64"))
    place(a.fixtures, "stableabi", os.path.join(runner, "workspace", "fn"))
    status, out, err = run_action(a, runner, {"bundles": "fn"}, arch="ARM64", release=dist)
    path = read(os.path.join(runner, "github_path")).strip()
    exe = os.path.join(path, "abiscan")
    machine = b""
    if os.path.isfile(exe):
        with open(exe, "rb") as f:
            machine = f.read(20)[18:20]
    # Its C library: the minimal root's arm64 one (release.minimal-root runs it there too).
    env = dict(os.environ, ABISCAN_DEBIAN_SECURITY=os.environ.get("ABISCAN_DEBIAN_SECURITY",
                                                                  "auto"))
    root = subprocess.run([os.path.join(a.source, "scripts/root"), "make"] + MINIMAL_ROOT,
                          capture_output=True, text=True, env=env).stdout.strip()
    r = subprocess.run([a.qemu, "-L", root, exe, "--version"], capture_output=True,
                       text=True) if machine and root else None
    ok(machine == (183).to_bytes(2, "little") and r and r.stdout == f"abiscan {v}\n",
       "ARM64: the aarch64 archive is installed and checked (its abiscan, under qemu, says "
       f"abiscan {v})", f"exit {status}\n{out}{err}")
    runner = fresh(os.path.join(work, "x86"))
    status, out, err = run_action(a, runner, {}, arch="X86", release=dist)
    ok(status == 2 and "X64 and ARM64" in out, "X86: exit 2, the error names the runners",
       out + err)
    runner = fresh(os.path.join(work, "inject"))
    status, out, err = run_action(a, runner, {"version": "9.9.9\n::warning::injected 100%"},
                                  release=dist)
    ok(status == 2 and len(out.splitlines()) == 1 and
       out.startswith("::error title=abiscan action::") and "%0A::warning::injected 100%25" in out,
       "an input holding a newline and ::warning:: stays inside one escaped ::error", out)


# --- the one-line installs of the documents --------------------------------------------

def install(a):
    """README.md's Installing lines and examples/pre-commit/README.md's one line, as written
    but for the release's URL (file:// of dist/), each in a scratch HOME and directory."""
    tool("curl")
    v = version_of(a.source)
    dist = os.path.join(a.work, "dist")
    url = re.compile(r"https://github\.com/abiscan/abiscan/releases/download/v[0-9.]+")
    readme = read(os.path.join(a.source, "README.md"))
    block = re.search(r"^## Installing\n.*?```sh\n(.*?)```", readme, re.S | re.M)
    precommit = re.search(r"^(mkdir -p ~/\.local && curl .*)$",
                          read(os.path.join(a.source, "examples/pre-commit/README.md")), re.M)
    for what, text, exe in (
            ("README.md's Installing", block and block.group(1), f"abiscan-{v}/bin/abiscan"),
            ("examples/pre-commit/README.md's one line", precommit and precommit.group(1),
             ".local/bin/abiscan")):
        if not ok(bool(text), f"{what}: found"):
            continue
        home = fresh(os.path.join(a.work, "install", what.split("/")[0].split("'")[0]))
        r = subprocess.run(["sh", "-ec", url.sub("file://" + dist, text)], cwd=home,
                           env={"PATH": os.environ["PATH"], "HOME": home},
                           capture_output=True, text=True, timeout=120)
        got = subprocess.run([os.path.join(home, exe), "--version"], capture_output=True,
                             text=True) if r.returncode == 0 else r
        ok(r.returncode == 0 and got.stdout == f"abiscan {v}\n",
           f"{what}: installs abiscan {v} ({exe} in the working directory or HOME)",
           f"exit {r.returncode}\n{r.stdout}{r.stderr}")


# --- CodeBuild -------------------------------------------------------------------------

PIP_STUB = r"""#!/bin/sh
# pip, as the test needs it: its arguments recorded, the fixture bundle laid out in --target.
printf '%s\n' "$@" >/scratch/pip.args
while [ $# -gt 0 ]; do
    case $1 in --target) target=$2 ;; esac
    shift
done
mkdir -p "$target" && cp -R "/src/bundles/$STUB_BUNDLE/." "$target/"
"""


def buildspec_script(spec, overrides):
    """The buildspec as one sh -e script: its variables exported, then each phase's commands
    in order, in the source directory (CODEBUILD_SRC_DIR)."""
    lines = ["set -e", "export CODEBUILD_SRC_DIR=/scratch", "cd /scratch"]
    variables = dict(spec.get("env", {}).get("variables", {}), **overrides)
    for name, value in variables.items():
        lines.append(f"export {name}={shlex.quote(str(value))}")
    for phase in ("install", "pre_build", "build", "post_build"):
        lines += [str(c) for c in spec.get("phases", {}).get(phase, {}).get("commands", [])]
    return "\n".join(lines) + "\n"


def codebuild(a):
    tool("mmdebstrap")
    tool("unshare")
    v = version_of(a.source)
    dist = os.path.join(a.work, "dist")
    work = fresh(os.path.join(a.work, "codebuild"))
    scripts_root = os.path.join(a.source, "scripts/root")
    env = dict(os.environ)
    env.setdefault("ABISCAN_DEBIAN_SECURITY", "auto")
    # curl and zip: what CodeBuild's Amazon Linux 2023 and Ubuntu standard images have
    # that minbase lacks, so that the buildspecs' own curl fetches the archive (file://).
    r = subprocess.run([scripts_root, "make", "bookworm", "minbase", "amd64", "curl", "zip"],
                       capture_output=True, text=True, env=env)
    if not ok(r.returncode == 0, "a Debian 12 minbase root with curl and zip", r.stderr):
        return
    root = r.stdout.strip()
    stub = fresh(os.path.join(work, "stub"))
    with open(os.path.join(stub, "pip"), "w") as f:
        f.write(PIP_STUB)
    os.chmod(os.path.join(stub, "pip"), 0o755)
    good_for = {"x86_64": "stableabi", "arm64": "sizestrip-arm64"}
    specs = sorted(n for n in os.listdir(os.path.join(a.source, "examples/codebuild"))
                   if n.startswith("buildspec") and n.endswith(".yml"))
    ok(specs == ["buildspec-al2023.yml", "buildspec-ubuntu.yml"],
       "examples/codebuild/ has the Amazon Linux 2023 and the Ubuntu buildspec", specs)
    for name in specs:
        with open(os.path.join(a.source, "examples/codebuild", name), encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        variables = spec["env"]["variables"]
        ok(str(variables["ABISCAN_VERSION"]) == v and variables["ABISCAN_RELEASE"].endswith(
            f"/releases/download/v{v}"), f"{name}: installs abiscan {v} from its release")
        commands = [str(c) for p in spec["phases"].values() for c in p.get("commands", [])]
        ok(not any(re.search(r"\b(apt|apt-get|dnf|yum|dpkg|rpm)\b", c) for c in commands),
           f"{name}: no package manager")
        scan = [c for c in commands if c.startswith("abiscan --runtime")]
        arch = shlex.split(scan[0])[shlex.split(scan[0]).index("--arch") + 1] if scan else None
        group = spec["reports"]["abiscan"]
        junit = os.path.join(group["base-directory"], group["files"][0])
        ok(group["file-format"] == "JUNITXML" and scan and f"junit={junit}" in scan[0],
           f"{name}: the report group reads abiscan's JUnit file {junit}")
        py = variables["LAMBDA_RUNTIME"].replace("python", "")
        plat = {"x86_64": "x86_64", "arm64": "aarch64"}.get(arch)
        for case, bundle, overrides, release, want in (
                ("bad", "demo-py36", {}, dist, 1),
                ("good", good_for.get(arch, "stableabi"), {}, dist, 0),
                ("unknown runtime", "stableabi", {"LAMBDA_RUNTIME": "python9.9"}, dist, 2),
                ("checksum", "stableabi", {}, corrupt(dist, os.path.join(work, "dist-bad")),
                 None)):
            src = fresh(os.path.join(work, "src"))
            tmp = fresh(os.path.join(work, "tmp"))
            with open(os.path.join(src, "requirements.txt"), "w") as f:
                f.write("# the function's requirements (pip is a stub here)\n")
            script = buildspec_script(spec, dict(overrides, ABISCAN_RELEASE="file:///srv"))
            with open(os.path.join(tmp, "buildspec.sh"), "w") as f:
                f.write(script)
            start = time.monotonic()
            r = subprocess.run([scripts_root, "run", root, "-b", f"{src}:/scratch",
                                "-b", f"{tmp}:/tmp", "-b", f"{release}:/srv",
                                "-b", f"{a.fixtures}:/src", "-b", f"{stub}:/usr/local/bin",
                                f"STUB_BUNDLE={bundle}", "sh", "/tmp/buildspec.sh"],
                               capture_output=True, text=True, timeout=300)
            took = f"{time.monotonic() - start:.1f} s"
            log = f"exit {r.returncode}\n{r.stdout}{r.stderr}"
            report = os.path.join(src, junit)
            if want is None:
                ok(r.returncode != 0 and "FAILED" in r.stdout + r.stderr and
                   not os.path.exists(os.path.join(src, "pip.args")) and
                   not os.path.exists(report),
                   f"{name}: {case}: the install fails before pip or abiscan runs ({took})", log)
                continue
            ok(r.returncode == want and f"abiscan {v}" in r.stdout,
               f"{name}: {case} ({bundle}): abiscan {v} installed, the build "
               f"{'fails with' if want else 'passes,'} exit {want} ({took})", log)
            if want == 2:
                continue
            args = read(os.path.join(src, "pip.args")).split("\n") \
                if os.path.exists(os.path.join(src, "pip.args")) else []
            ok(any(re.fullmatch(r"manylinux[0-9_]*_" + str(plat), x) for x in args) and
               "--only-binary=:all:" in args and
               args[args.index("--python-version") + 1] == py and
               args[args.index("--target") + 1] == "build/package",
               f"{name}: {case}: pip asked for manylinux {plat}, Python {py}, wheels only",
               args)
            if ok(os.path.isfile(report), f"{name}: {case}: the report group's {junit}"):
                xml = junitparser.JUnitXml.fromfile(report)
                fails = sum(s.failures for s in xml)
                ok((fails > 0) == (want == 1), f"{name}: {case}: junitparser reads {fails} "
                   "failures")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=["action", "codebuild", "install"])
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--fixtures", required=True)
    p.add_argument("--qemu")
    p.add_argument("--sarif-multitool")
    a = p.parse_args()
    if not os.path.isfile(os.path.join(a.work, "dist", "SHA256SUMS")):
        sys.exit("not ok - no release in WORK/dist: release.build makes it")
    if a.step == "action":
        if not a.qemu or not os.access(a.qemu, os.X_OK):
            sys.exit("not ok - qemu-aarch64-static is not installed (scripts/bootstrap)")
        action(a)
    elif a.step == "install":
        install(a)
    else:
        codebuild(a)
    print(f"{'passed' if not failed else f'{failed} failed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
