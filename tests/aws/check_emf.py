#!/usr/bin/env python3
"""Check EMF log lines: check_emf.py SCHEMA LOG NAMESPACE.

Every "probe" line of LOG must be a valid embedded metric format document:
the JSON schema of the specification (python3-jsonschema), and the rules
that tie names to values: each dimension names a root member holding a
string, each metric a root member holding a number (or up to 100 numbers),
the namespace is NAMESPACE, and success, failure, duration and status are
among the metrics, per target. Other lines must carry no _aws member.
"""

import json
import sys

import jsonschema

WANT_METRICS = {"success", "failure", "duration_ms", "status"}


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_line(line, validator, namespace):
    out = []
    for err in validator.iter_errors(line):
        out.append("schema: %s at %s" % (err.message, list(err.path)))
    if out:
        return out
    aws = line["_aws"]
    names = set()
    for d in aws["CloudWatchMetrics"]:
        if d["Namespace"] != namespace:
            out.append("namespace %r, expected %r" % (d["Namespace"],
                                                      namespace))
        for dimset in d["Dimensions"]:
            for dim in dimset:
                if not isinstance(line.get(dim), str):
                    out.append("dimension %r is %r, not a string" % (
                        dim, line.get(dim)))
        if ["target"] not in d["Dimensions"]:
            out.append("no per-target dimension set")
        for m in d["Metrics"]:
            v = line.get(m["Name"])
            ok = number(v) or (isinstance(v, list) and 0 < len(v) <= 100
                               and all(number(x) for x in v))
            if not ok:
                out.append("metric %r is %r, not a number" % (m["Name"], v))
            names.add(m["Name"])
    if not WANT_METRICS <= names:
        out.append("metrics %s missing" % sorted(WANT_METRICS - names))
    if line.get("success", 0) + line.get("failure", 0) != 1 or \
            bool(line.get("success")) != line.get("ok"):
        out.append("success/failure disagree with ok")
    return out


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    probes = problems = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            line = json.loads(text)
            if line.get("event") != "probe":
                if "_aws" in line:
                    print("line %d: %s line with _aws" % (n, line["event"]))
                    problems += 1
                continue
            probes += 1
            for p in check_line(line, validator, sys.argv[3]):
                print("line %d: %s" % (n, p))
                problems += 1
    print("%d probe lines, %d problems" % (probes, problems))
    return 1 if problems or probes == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
