# SPDX-License-Identifier: MIT
"""The audits' part of the hostile matrix, run by hostile.py after its cases.

The new readers take files that a hostile or broken tool may have written: templates
(huge, deep, self-referencing, binary, aliases, unknown tags), the JSON of aws lambda
list-functions with 100,000 entries and function names that climb out of --code-dir,
terraform show -json nested past any real module tree, and --files-from lists with NUL
bytes, newlines in names, /dev/zero, over-long names. For every case abiscan must end by
itself (no timeout, no signal, no sanitizer report) with 0, 1 or 2, within the memory the
case allows, and either:
  whole: the run could not start (exit 2): nothing on stdout, one stderr line naming the
         file;
  report: a JSON report valid by the schema, with what the case checks (verdicts, no file
         read outside the code directory, the good bundle still checked).
"""
import json
import os
import random
import shutil

GOOD = "clean-x86_64.zip"  # passes on python3.11 x86_64


class AuditCase:
    def __init__(self, name, build, want, check=None, mem_mb=None, timeout=None):
        self.name = name
        self.build = build    # build(fixtures, d) -> argv after the tool (without --format)
        self.want = want      # "whole" or "report"
        self.check = check    # check(report, d) -> [errors]
        self.mem_mb = mem_mb
        self.timeout = timeout


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def good(fixtures):
    return os.path.join(fixtures, "bundles", GOOD)


# -- templates -------------------------------------------------------------------------------

def tpl_args(name, text):
    def build(fixtures, d):
        write(os.path.join(d, name), text)
        return ["--template", os.path.join(d, name)]
    return build


def huge_template(fixtures, d):
    """50,000 java21 functions (no profile: skipped, cheaply) and one Python function on a
    good bundle."""
    shutil.copy(good(fixtures), os.path.join(d, "good.zip"))
    res = {"Py": {"Type": "AWS::Lambda::Function",
                  "Properties": {"Runtime": "python3.11", "Code": "good.zip"}}}
    for i in range(50000):
        res["Java%05d" % i] = {"Type": "AWS::Lambda::Function",
                               "Properties": {"Runtime": "java21", "Code": "n%d" % i}}
    write(os.path.join(d, "t.json"), json.dumps({"Resources": res}))
    return ["--template", os.path.join(d, "t.json")]


def check_huge(report, d):
    v = [i["verdict"] for i in report["inputs"]]
    if v.count("skipped") != 50000 or v.count("pass") != 1:
        return ["huge template: %d skipped, %d pass" % (v.count("skipped"), v.count("pass"))]
    return []


def foreach_bomb(fixtures, d):
    """Fn::ForEach 16 loops deep, 4 values each: 4^16 functions; the expansion stops at
    10,000 (their code is nowhere: each an error, cheaply) and says so."""
    frag = {"F" + "".join("${I%d}" % k for k in range(16)): {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Runtime": "python3.11", "Code": "missing/"}}}
    for k in range(15, -1, -1):
        frag = {"Fn::ForEach::L%d" % k: ["I%d" % k, ["a", "b", "c", "d"], frag]}
    write(os.path.join(d, "t.json"),
          json.dumps({"Transform": "AWS::LanguageExtensions", "Resources": frag}))
    return ["--template", os.path.join(d, "t.json")]


def check_foreach_bomb(report, d):
    ins = report["inputs"]
    last = ins[-1] if ins else {}
    if len(ins) != 10001 or last.get("verdict") != "skipped" or \
            "10,000 resources" not in (last.get("reason") or ""):
        return ["foreach bomb: %d inputs, the last %r" % (len(ins), last.get("reason"))]
    return []


def many_layers(fixtures, d):
    """A function listing its own layer a million times: Lambda takes 5; 16 are read."""
    shutil.copy(good(fixtures), os.path.join(d, "good.zip"))
    os.makedirs(os.path.join(d, "layer", "python"))
    write(os.path.join(d, "layer", "python", "m.py"), "x = 1\n")
    text = ("Resources:\n  L:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n"
            "      Content: layer\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            "      Runtime: python3.11\n      Code: good.zip\n      Layers: [" +
            ", ".join(["!Ref L"] * 200000) + "]\n")
    write(os.path.join(d, "t.yaml"), text)
    return ["--template", os.path.join(d, "t.yaml")]


def check_many_layers(report, d):
    ins = report["inputs"]
    if len(ins) != 17 or len(ins[0]["not_checked"]) != 65:
        return ["many layers: %d inputs, %d not checked" % (len(ins), len(ins[0]["not_checked"]))]
    if not any("16 layers; Lambda allows 5" in f["message"] for f in report["findings"]):
        return ["many layers: no finding that says Lambda allows 5"]
    return []


def self_ref(fixtures, d):
    """Layers that are functions, a function that is its own layer, Refs to nothing."""
    shutil.copy(good(fixtures), os.path.join(d, "good.zip"))
    text = ("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Runtime: python3.11\n      CodeUri: good.zip\n"
            "      Layers: [!Ref A, !Ref B, !Ref Nowhere, !GetAtt A.Arn, {Fn::If: [c, x, y]}]\n"
            "  B:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Runtime: python3.11\n      CodeUri: good.zip\n      Layers: [!Ref A]\n")
    write(os.path.join(d, "t.yaml"), text)
    return ["--template", os.path.join(d, "t.yaml")]


def check_self_ref(report, d):
    ins = report["inputs"]
    if [i["verdict"] for i in ins] != ["pass", "pass"] or len(ins[0]["not_checked"]) != 5:
        return ["self-referencing: %r" % [(i["verdict"], i["not_checked"]) for i in ins]]
    return []


def cdk_loop(fixtures, d):
    """A cloud assembly whose nested assembly is itself (a symbolic link to '.')."""
    write(os.path.join(d, "manifest.json"), json.dumps(
        {"version": "36.0.0", "artifacts": {"inner": {"type": "cdk:cloud-assembly",
                                                      "properties": {"directoryName": "again"}}}}))
    os.symlink(".", os.path.join(d, "again"))
    return ["--template", d]


def cdk_escape(fixtures, d):
    write(os.path.join(d, "manifest.json"), json.dumps(
        {"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack",
                                                  "properties": {"templateFile": "../../etc/x"}}}}))
    return ["--template", d]


def tf_deep(fixtures, d):
    """terraform show -json with modules nested 400 deep (800 JSON levels, under cJSON's
    1000): the reader stops at 32, and the function at the bottom is not listed."""
    shutil.copy(good(fixtures), os.path.join(d, "good.zip"))
    fn = {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
          "name": "f", "values": {"function_name": "top", "runtime": "python3.11",
                                  "filename": "good.zip", "architectures": ["x86_64"]}}
    deep = json.dumps({"resources": [dict(fn, values=dict(fn["values"], function_name="deep"))]})
    text = ('{"format_version": "1.0", "values": {"root_module": {"resources": [%s], '
            '"child_modules": [%s%s%s]}}}' % (json.dumps(fn), '{"child_modules": [' * 400, deep,
                                              "]}" * 400))
    write(os.path.join(d, "tf.json"), text)
    return ["--template", os.path.join(d, "tf.json")]


def tf_too_deep(fixtures, d):
    """Nested past cJSON's 1000 levels: not JSON abiscan reads, the run stops."""
    text = '{"format_version": "1.0", "values": {"root_module": ' + '{"a": [' * 3000 + "]}" * 3000 + "}}"
    write(os.path.join(d, "tf.json"), text)
    return ["--template", os.path.join(d, "tf.json")]


def check_tf_deep(report, d):
    names = [i["function"] for i in report["inputs"]]
    return [] if names == ["top"] else ["terraform: functions %r" % names]


# -- aws lambda list-functions ---------------------------------------------------------------

def list_100k(fixtures, d):
    code = os.path.join(d, "code")
    os.makedirs(code)
    shutil.copy(good(fixtures), os.path.join(code, "fn-good.zip"))
    fns = [{"FunctionName": "fn-good", "Runtime": "python3.11", "Architectures": ["x86_64"]}]
    fns += [{"FunctionName": "java-%06d" % i, "Runtime": "java21", "PackageType": "Zip",
             "Architectures": ["arm64"], "Layers": [{"Arn": "arn:aws:lambda:eu-west-1:1:layer:l:1"}]}
            for i in range(100000)]
    write(os.path.join(d, "fns.json"), json.dumps({"Functions": fns}))
    return ["--lambda-config", os.path.join(d, "fns.json"), "--code-dir", code]


def check_100k(report, d):
    v = [i["verdict"] for i in report["inputs"]]
    if len(v) != 100001 or v[0] != "pass" or v.count("skipped") != 100000:
        return ["100k functions: %d inputs, first %s" % (len(v), v[:1])]
    return []


def hostile_names(fixtures, d):
    """FunctionNames that would name files outside --code-dir, or hold control bytes; the
    files they would name exist, so that reading them would show."""
    code = os.path.join(d, "code")
    os.makedirs(os.path.join(code, "sub"))
    shutil.copy(good(fixtures), os.path.join(d, "outside.zip"))
    shutil.copy(good(fixtures), os.path.join(code, "sub", "x.zip"))
    shutil.copy(good(fixtures), os.path.join(code, "ok.zip"))
    names = ["../outside", "sub/x", "..", ".", "", "ok\nnext", "a" * 65, "ok"]
    fns = [{"FunctionName": n, "Runtime": "python3.11"} for n in names]
    fns.append({"Runtime": "python3.11"})  # no name at all
    fns.append({"FunctionName": ["not", "a", "string"], "Runtime": 3})
    write(os.path.join(d, "fns.json"), json.dumps({"Functions": fns}))
    return ["--lambda-config", os.path.join(d, "fns.json"), "--code-dir", code]


def check_names(report, d):
    errs = []
    v = [(i["function"], i["verdict"]) for i in report["inputs"]]
    if [x for _, x in v] != ["error"] * 7 + ["pass"] + ["error"] * 2:
        errs.append("hostile names: %r" % v)
    read = [i["path"] for i in report["inputs"] if i["kind"]]
    if read != [os.path.join(d, "code", "ok.zip")]:
        errs.append("hostile names: read %r" % read)
    return errs


# -- --files-from ----------------------------------------------------------------------------

def files_from_names(fixtures, d):
    """NUL-separated names holding newlines, CR, escapes; empty entries; a missing one."""
    names = []
    for i, n in enumerate(["nl\nname.zip", "cr\rname.zip", "esc\x1b[31mred.zip",
                           "::error file=x::y.zip", "sp ace.zip"]):
        p = os.path.join(d, n)
        shutil.copy(good(fixtures), p)
        names.append(p)
    names.insert(2, os.path.join(d, "missing\nfile.zip"))
    write(os.path.join(d, "list"), b"\0\0".join(os.fsencode(n) for n in names) + b"\0")
    return ["--runtime", "python3.11", "-0", "--files-from", os.path.join(d, "list")]


def check_names_list(report, d):
    v = [i["verdict"] for i in report["inputs"]]
    return [] if v == ["pass", "pass", "error", "pass", "pass", "pass"] else ["list: %r" % v]


def list_args(data, nul=False):
    def build(fixtures, d):
        if isinstance(data, str) and data.startswith("/dev/"):
            path = data
        else:
            path = os.path.join(d, "list")
            write(path, data)
        return ["--runtime", "python3.11", "--files-from", path] + (["-0"] if nul else [])
    return build


def cases():
    rng = random.Random(0xA0D17)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        "%s: &%s [%s]\n" % (chr(98 + i), chr(98 + i), ", ".join(["*" + chr(97 + i)] * 9))
        for i in range(8))
    return [
        AuditCase("template-huge", huge_template, "report", check_huge, mem_mb=1024),
        AuditCase("template-many-layers", many_layers, "report", check_many_layers, mem_mb=1024),
        AuditCase("template-foreach-bomb", foreach_bomb, "report", check_foreach_bomb, mem_mb=1024),
        AuditCase("template-self-referencing", self_ref, "report", check_self_ref),
        AuditCase("template-deep-yaml", tpl_args("t.yaml", "Resources: " + "[" * 100000 + "]" * 100000),
                  "whole"),
        AuditCase("template-deep-json", tpl_args("t.json", '{"Resources": ' + "[" * 100000 + "]" * 100000 + "}"),
                  "whole"),
        AuditCase("template-alias-bomb", tpl_args("t.yaml", laughs), "whole"),
        AuditCase("template-binary", tpl_args("t.yaml", bytes(rng.getrandbits(8) for _ in range(8192))),
                  "whole"),
        AuditCase("template-nul", tpl_args("t.json", b'{"Resources": {}}\0{"x": 1}'), "whole"),
        AuditCase("template-python-tag", tpl_args("t.yaml", "Resources: !!python/object/apply:os.system [id]\n"),
                  "whole"),
        AuditCase("template-unknown-tag", tpl_args("t.yaml", "Resources: !<tag:example.com,2024:x> {}\n"),
                  "whole"),
        AuditCase("template-no-resources", tpl_args("t.yaml", "- 1\n- 2\n"), "whole"),
        AuditCase("template-cdk-loop", cdk_loop, "whole"),
        AuditCase("template-cdk-escape", cdk_escape, "whole"),
        AuditCase("template-terraform-deep", tf_deep, "report", check_tf_deep),
        AuditCase("template-terraform-too-deep", tf_too_deep, "whole"),
        AuditCase("lambda-list-100k", list_100k, "report", check_100k, mem_mb=2048, timeout=120),
        AuditCase("lambda-hostile-names", hostile_names, "report", check_names),
        AuditCase("files-from-hostile-names", files_from_names, "report", check_names_list),
        AuditCase("files-from-dev-zero-nul", list_args("/dev/zero", nul=True), "whole"),
        AuditCase("files-from-dev-zero", list_args("/dev/zero"), "whole"),
        AuditCase("files-from-long-name", list_args(b"a" * 100000 + b"\n"), "whole"),
        AuditCase("files-from-binary", list_args(bytes(rng.getrandbits(8) for _ in range(8192))),
                  "whole"),
        AuditCase("files-from-directory", lambda f, d: ["--runtime", "python3.11",
                                                        "--files-from", d], "whole"),
    ]


def run_all(ctx, run_abiscan, check_process, strict_json, report):
    """Run every case; report(name, ok, errors, repro) for each."""
    for case in cases():
        base = os.path.join(ctx.work, "audit-" + case.name)
        if os.path.lexists(base):
            shutil.rmtree(base)
        d, cwd = os.path.join(base, "d"), os.path.join(base, "cwd")
        os.makedirs(d)
        os.makedirs(cwd)
        argv = [ctx.abiscan, "--format", "json"] + case.build(ctx.fixtures, d)
        r = run_abiscan(ctx, argv, cwd, os.path.join(base, "run"),
                        case.timeout or max(ctx.timeout, 60.0), measure=case.mem_mb is not None)
        errs = check_process(ctx, r, "json")
        if not errs and case.want == "whole":
            lines = r.stderr.split(b"\n")
            if r.rc != 2 or r.stdout:
                errs.append("want exit 2 and nothing on stdout, got exit %s with %d bytes"
                            % (r.rc, len(r.stdout)))
            elif len(lines) != 2 or not lines[0].startswith(b"abiscan: "):
                errs.append("want one stderr line, got %r" % r.stderr[:300])
        elif not errs:
            try:
                rep = strict_json(r.stdout.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                rep = None
                errs.append("stdout is not a JSON report: %s (stderr %r)" % (str(e)[:100],
                                                                           r.stderr[:200]))
            if rep is not None:
                if ctx.validator is not None:
                    errs += ["schema: %s" % e.message[:160]
                             for e in ctx.validator.iter_errors(rep)][:3]
                errs += case.check(rep, d) if case.check else []
        if case.mem_mb is not None and r.maxrss_mb > case.mem_mb:
            errs.append("peak RSS %.0f MB, over %d MB" % (r.maxrss_mb, case.mem_mb))
        if os.listdir(cwd):
            errs.append("wrote into its cwd: %s" % os.listdir(cwd)[:5])
        note = "# audit-%s: %.2f s, peak RSS %.0f MB" % (case.name, r.elapsed, r.maxrss_mb) \
            if case.mem_mb is not None else None
        report("audit-" + case.name, not errs, errs, r, note)
