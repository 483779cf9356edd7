#!/usr/bin/python3
"""validate_json.py [--lines] SCHEMA FILE...: validate JSON files against a JSON Schema with
python3-jsonschema (Draft 2020-12), an implementation independent of abiscan's own
validator; with --lines, every line of each file (JSON Lines) on its own. Exit 0 if all
are valid, 1 otherwise, one line per problem."""
import json
import sys

import jsonschema


def main(argv):
    lines = "--lines" in argv
    argv = [a for a in argv if a != "--lines"]
    if len(argv) < 3:
        print("usage: validate_json.py SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            docs = [json.loads(x) for x in f] if lines else [json.load(f)]
        for n, doc in enumerate(docs, 1):
            for err in validator.iter_errors(doc):
                where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
                print(f"{path}{':%d' % n if lines else ''}: {where}: {err.message}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
