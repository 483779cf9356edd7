"""Shared by the data checkers (check_profiles.py, check_os.py, check_stable_abi.py): the
JSON Schema subset abiscan's C validator supports (analyzer/jsonschema.c), a walk that finds
any other keyword in a schema, and the PASS/FAIL counter that prints "N passed, M failed"."""
import re
import sys

try:
    import jsonschema  # noqa: F401  (re-exported for the checkers)
    from jsonschema import Draft202012Validator  # noqa: F401
except ImportError as exc:  # pragma: no cover - environment problem, not a data problem
    print("cannot import jsonschema.Draft202012Validator: %s" % exc)
    print("0 passed, 1 failed")
    sys.exit(1)

C_VALIDATOR_KEYWORDS = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties",
    "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum",
    "maximum", "minItems", "maxItems", "minLength",
}
C_VALIDATOR_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, (": " + detail) if detail else ""))
        return ok

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0

    finish = summary


def schema_keyword_problems(node, where, defs):
    """Return a list of uses of keywords or $refs the C validator does not support."""
    problems = []
    if isinstance(node, bool):
        return problems
    if not isinstance(node, dict):
        return ["%s: schema is not an object" % where]
    for key, val in node.items():
        if key not in C_VALIDATOR_KEYWORDS:
            problems.append("%s: unsupported keyword %r" % (where, key))
            continue
        if key in ("properties", "$defs"):
            for name, sub in val.items():
                problems += schema_keyword_problems(sub, "%s/%s/%s" % (where, key, name), defs)
        elif key == "items":
            problems += schema_keyword_problems(val, where + "/items", defs)
        elif key == "additionalProperties" and isinstance(val, dict):
            problems += schema_keyword_problems(val, where + "/additionalProperties", defs)
        elif key == "$ref":
            m = re.fullmatch(r"#/\$defs/([A-Za-z0-9_]+)", val)
            if not m or m.group(1) not in defs:
                problems.append("%s: $ref %r is not a local #/$defs/NAME" % (where, val))
        elif key == "type":
            for t in (val if isinstance(val, list) else [val]):
                if t not in C_VALIDATOR_TYPES:
                    problems.append("%s: unsupported type %r" % (where, t))
    return problems
