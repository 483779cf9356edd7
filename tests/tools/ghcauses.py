# SPDX-License-Identifier: MIT
"""What --format github should write for a JSON report: one annotation per cause, most
severe first, at most ten of each kind (inputs that could not be read or were not checked
come first and count), and one plain line counting the causes left out. Shared by the
consumers and hostile tests, which hold the annotations against the JSON of the same run."""
import re

PER_STEP = 10
MORE = re.compile(rb"^abiscan: \d+ more causes? \(\d+ findings?\) not annotated: ")


def expected(report):
    """(annotations, causes left out) for report (a parsed JSON report)."""
    said = {"error": 0, "warning": 0, "note": 0}
    lines = left = 0
    for i in report["inputs"]:
        if i["verdict"] in ("error", "skipped"):
            said["error" if i["verdict"] == "error" else "note"] += 1
            lines += 1
    for c in report.get("causes", []):
        if said[c["severity"]] < PER_STEP:
            said[c["severity"]] += 1
            lines += 1
        else:
            left += 1
    return lines, left


def folded_first(report):
    """The causes whose annotation tells what a never-opened file would also fail on: those
    whose first finding carries `also`."""
    return [c for c in report.get("causes", []) if report["findings"][c["findings"][0]].get("also")]
