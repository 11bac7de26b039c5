#!/usr/bin/env python3
"""Read the dashboard off a tmux pane and check one condition.

Usage: dashboard_screen.py WHAT [TARGET] < pane-text

WHAT is one of:
  results    the target has a result (a status code in its row)
  down       the target is down on 503 and its error sparkline is high
  up         the target is up on 200 again
  small      the one-line "terminal too small" message
  ascii      the sparklines use ASCII glyphs only
  unicode    the sparklines use block elements

Exits 0 when the condition holds, 1 when not (and says what it saw).
"""
import sys

ASCII = "_.-:=+*#"
UNICODE = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def table(lines):
    """The column titles' line index and the start of each sparkline."""
    for i, line in enumerate(lines):
        if "TARGET" in line and "STATE" in line and "ERRORS" in line:
            return i, line.index("ERRORS"), line.index("LATENCY")
    return None


def row_of(lines, start, name):
    for line in lines[start + 1:]:
        cells = line[2:].split()
        if cells and cells[0] == name:
            return line
    return None


def level(glyph):
    for glyphs in (ASCII, UNICODE):
        if glyph in glyphs:
            return glyphs.index(glyph)
    return -1


def check(what, name, lines):
    if what == "small":
        return any("terminal too small" in l for l in lines), lines[0]
    found = table(lines)
    if found is None:
        return False, "no table on screen"
    start, err_x, lat_x = found
    row = row_of(lines, start, name)
    if row is None:
        return False, "no row for '%s'" % name
    cells = row[2:].split()
    state, code = cells[1], cells[2]
    errors = row[err_x:lat_x].rstrip()
    sparks = row[err_x:]
    if what == "results":
        return code.isdigit(), row
    if what == "down":
        high = errors != "" and level(errors[-1]) >= 4
        return state == "down" and code == "503" and high, row
    if what == "up":
        return state == "up" and code == "200", row
    if what == "ascii":
        used = [c for c in sparks if c != " "]
        return used != [] and all(c in ASCII for c in used), row
    if what == "unicode":
        used = [c for c in sparks if c != " "]
        return used != [] and all(c in UNICODE for c in used), row
    return False, "unknown check '%s'" % what


def main():
    what = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "mock"
    lines = sys.stdin.read().split("\n")
    ok, seen = check(what, name, lines)
    if not ok:
        print("%s: not yet: %s" % (what, seen.rstrip()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
