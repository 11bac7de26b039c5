#!/usr/bin/env python3
"""Check the dashboard's JSON log ends with the stop line that is due.

Usage: dashboard_stop.py LOG FIELD=VALUE...

The stop line must be the log's last line and have each FIELD with
VALUE (compared as text; "-" means the field must be absent). Its
"results" must count the probe lines before it, "failures" those that
failed, and "exit_code" must be there. Exits 0 when all holds, else 1,
saying what differs.
"""
import json
import sys


def main():
    lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    if not lines or lines[-1].get("event") != "stop":
        sys.exit("the last line is not a stop line: %s" %
                 (lines[-1] if lines else "empty log"))
    stop = lines[-1]
    probes = [l for l in lines if l.get("event") == "probe"]
    want = {"results": str(len(probes)),
            "failures": str(sum(1 for p in probes if not p["ok"]))}
    for arg in sys.argv[2:]:
        key, value = arg.split("=", 1)
        want[key] = value
    bad = []
    for key, value in want.items():
        got = stop.get(key)
        got = "-" if got is None else str(got)
        if got != value:
            bad.append("%s is %s, not %s" % (key, got, value))
    if "exit_code" not in stop:
        bad.append("no exit_code")
    if bad:
        sys.exit("stop line %s: %s" % (json.dumps(stop), "; ".join(bad)))


main()
