#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""rules/schema/line.schema.json, the schema of a line of --format jsonl, generated from
rules/schema/report.schema.json (the one source): a line is an input's entry of the
report's inputs[] (the same fields at the top), with the tool, its layers' entries and its
findings, so the two cannot drift apart.

Usage: tools/gen_line_schema.py [--check] [REPO]

With --check, writes nothing and exits 1 when the file is not what the report schema says
(the lint.line_schema test).
"""
import collections
import json
import os
import sys

O = collections.OrderedDict


def line_schema(report):
    defs = report["$defs"]
    entry = defs["input"]
    props = O()
    props["schema_version"] = report["properties"]["schema_version"]
    props["tool"] = report["properties"]["tool"]
    props.update(entry["properties"])
    props["layers"] = O([
        ("description", "The entries of the function's layers (given with --layer or declared "
                        "with it), in configuration order."),
        ("type", "array"), ("items", O([("$ref", "#/$defs/input")]))])
    props["fail_on"] = report["properties"]["summary"]["properties"]["fail_on"]
    props["causes"] = O([
        ("description", "The function's findings grouped by what made them (the report's "
                        "causes[], its ids and finding ids local to the line)."),
        ("type", "array"), ("items", O([("$ref", "#/$defs/cause")]))])
    props["findings"] = O([
        ("description", "The findings of the function and its layers, sorted."),
        ("type", "array"), ("items", O([("$ref", "#/$defs/finding")]))])
    props["suppressed"] = O([
        ("description", "Present when suppressions or a baseline were in use: the function's "
                        "findings they set aside, each with its 'suppression'."),
        ("type", "array"), ("items", O([("$ref", "#/$defs/finding")]))])
    return O([
        ("$schema", report["$schema"]),
        ("$id", "https://abiscan.invalid/schema/line-1.json"),
        ("title", "abiscan JSON Lines: one line"),
        ("description", "One line of `abiscan --format jsonl`: one function (or a layer checked "
                        "alone), written as soon as it is done, in input order. Generated from "
                        "report.schema.json by tools/gen_line_schema.py: edit that, not this."),
        ("type", "object"),
        ("properties", props),
        ("required", ["schema_version", "tool"] + entry["required"] +
         ["layers", "fail_on", "causes", "findings"]),
        ("additionalProperties", False),
        ("$defs", defs),
    ])


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    repo = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    schema_dir = os.path.join(repo, "rules", "schema")
    with open(os.path.join(schema_dir, "report.schema.json"), encoding="utf-8") as f:
        report = json.load(f, object_pairs_hook=O)
    text = json.dumps(line_schema(report), indent=2, ensure_ascii=False) + "\n"
    path = os.path.join(schema_dir, "line.schema.json")
    if check:
        try:
            with open(path, encoding="utf-8") as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            print("rules/schema/line.schema.json is not what report.schema.json says: run "
                  "tools/gen_line_schema.py")
            return 1
        print("rules/schema/line.schema.json is up to date")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
