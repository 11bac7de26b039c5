#!/usr/bin/env python3
"""CloudWatch Logs JSON filter patterns, as far as luna's template uses them.

Implements the documented semantics of JSON metric filter patterns for:
  { $.a.b = "text" }   { $.a != "text" }   (string equality; a '*' in the
                                            string matches any run)
  { $.n = 5 }  { $.n != 5 }  { $.n < 5 }  { $.n <= 5 }  { $.n > 5 }
  { $.n >= 5 }                             (numbers)
  { $.x IS TRUE }  { $.x IS FALSE }  { $.x IS NULL }  { $.x NOT EXISTS }
  && and || with parentheses (&& binds tighter).
A selector that finds nothing, or a value of the wrong JSON type, does not
match. Array indexes, space-delimited and term patterns are not supported
and are refused, so a template using them fails its test instead of
passing unchecked.

  filter_pattern.py check TEMPLATE LOG   each metric filter of TEMPLATE
                                         against the JSON lines of LOG
  filter_pattern.py selftest             the evaluator's own cases
"""

import json
import re
import sys

TOKEN = re.compile(r"""
    \s*(?:
      (?P<sel>\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
    | (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    | (?P<op>&&|\|\||<=|>=|!=|=|<|>|\(|\)|\{|\})
    | (?P<word>[A-Za-z]+)
    )""", re.X)


class PatternError(ValueError):
    pass


def tokenize(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise PatternError("cannot read pattern at %r" % text[pos:])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or \
                (value and tok[1] != value):
            raise PatternError("expected %s, found %r" % (value or kind,
                                                         tok[1]))
        self.i += 1
        return tok[1]

    def parse(self):
        self.take("op", "{")
        node = self.disjunction()
        self.take("op", "}")
        if self.i != len(self.toks):
            raise PatternError("text after the closing brace")
        return node

    def disjunction(self):
        node = self.conjunction()
        while self.peek() == ("op", "||"):
            self.take()
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.primary()
        while self.peek() == ("op", "&&"):
            self.take()
            node = ("and", node, self.primary())
        return node

    def primary(self):
        if self.peek() == ("op", "("):
            self.take()
            node = self.disjunction()
            self.take("op", ")")
            return node
        sel = self.take("sel")
        kind, value = self.peek()
        if kind == "word" and value == "IS":
            self.take()
            what = self.take("word")
            if what not in ("TRUE", "FALSE", "NULL"):
                raise PatternError("IS %s is not a filter test" % what)
            return ("is", sel, what)
        if kind == "word" and value == "NOT":
            self.take()
            self.take("word", "EXISTS")
            return ("not_exists", sel)
        op = self.take("op")
        if op not in ("=", "!=", "<", "<=", ">", ">="):
            raise PatternError("%r is not a comparison" % op)
        kind, value = self.peek()
        if kind == "str" and op in ("=", "!="):
            self.take()
            return ("str", sel, op, json.loads(value))
        if kind == "num":
            self.take()
            return ("num", sel, op, float(value))
        raise PatternError("cannot compare %s %s %r" % (sel, op, value))


MISSING = object()


def select(event, selector):
    """The value at $.a.b in EVENT, or MISSING."""
    node = event
    for part in selector.split(".")[1:]:
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def wildcard(pattern, value):
    parts = [re.escape(p) for p in pattern.split("*")]
    return re.fullmatch(".*".join(parts), value, re.S) is not None


NUM_OPS = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def evaluate(node, event):
    kind = node[0]
    if kind == "and":
        return evaluate(node[1], event) and evaluate(node[2], event)
    if kind == "or":
        return evaluate(node[1], event) or evaluate(node[2], event)
    value = select(event, node[1])
    if kind == "not_exists":
        return value is MISSING
    if value is MISSING:
        return False
    if kind == "is":
        want = {"TRUE": True, "FALSE": False, "NULL": None}[node[2]]
        return value is want
    if kind == "str":
        if not isinstance(value, str):
            return False
        hit = wildcard(node[3], value)
        return hit if node[2] == "=" else not hit
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return NUM_OPS[node[2]](float(value), node[3])


def compile_pattern(text):
    """A function event -> bool for the JSON filter pattern TEXT."""
    tree = Parser(text).parse()
    return lambda event: evaluate(tree, event)


def extract(event, value):
    """A metric value or dimension: "$.x" selects, anything else is as is."""
    if isinstance(value, str) and value.startswith("$."):
        return select(event, value)
    return value


# What each metric of the template means, written from the log schema
# independently of the patterns: a pattern must select exactly these.
MEANING = {
    "ProbeFailures": lambda e: e.get("event") == "probe" and
    e.get("ok") is False,
    "ProbeFailuresByTarget": lambda e: e.get("event") == "probe" and
    e.get("ok") is False,
    "ProbeSuccesses": lambda e: e.get("event") == "probe" and
    e.get("ok") is True,
    "ProbeDuration": lambda e: e.get("event") == "probe",
    "TargetDown": lambda e: e.get("event") == "state" and
    e.get("state") == "down",
    "TargetUp": lambda e: e.get("event") == "state" and
    e.get("state") == "up",
}


def check(template_path, log_path):
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import cfn

    resolver = cfn.Resolver(cfn.load(template_path))
    events = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    problems = []
    for name, rtype, p in resolver.resources():
        if rtype != "AWS::Logs::MetricFilter":
            continue
        matches = compile_pattern(p["FilterPattern"])
        for t in p["MetricTransformations"]:
            problems += check_one(name, t, matches, events)
    for line in problems:
        print(line)
    print("%d lines read, %d problems" % (len(events), len(problems)))
    return 1 if problems or not events else 0


def check_one(name, t, matches, events):
    metric = t["MetricName"]
    meaning = MEANING.get(metric)
    out = []
    if meaning is None:
        return ["%s: metric %s has no meaning written down" % (name, metric)]
    hits = 0
    for e in events:
        got = matches(e)
        if got != meaning(e):
            out.append("%s: pattern %s %s: %s" % (
                name, "matches" if got else "misses",
                "a line it should not" if got else "a line it should",
                json.dumps(e)[:200]))
        if not got:
            continue
        hits += 1
        value = extract(e, t["MetricValue"])
        try:
            float(value)
        except (TypeError, ValueError):
            out.append("%s: metric value %s is %r" % (
                name, t["MetricValue"], value))
        for d in t.get("Dimensions", []):
            dim = extract(e, d["Value"])
            if not isinstance(dim, str) or dim == "":
                out.append("%s: dimension %s is %r" % (name, d["Key"], dim))
    if hits == 0:
        out.append("%s: pattern matches none of the lines: an alarm on "
                   "%s would never fire" % (name, metric))
    print("%s: %d of %d lines match" % (name, hits, len(events)))
    return out


# The evaluator's own cases, from the documented semantics.
SELF_CASES = [
    ('{ $.event = "probe" }', {"event": "probe"}, True),
    ('{ $.event = "probe" }', {"event": "probes"}, False),
    ('{ $.event = "pro*" }', {"event": "probes"}, True),
    ('{ $.event != "probe" }', {"event": "state"}, True),
    ('{ $.event != "probe" }', {}, False),
    ('{ $.ok IS FALSE }', {"ok": False}, True),
    ('{ $.ok IS FALSE }', {"ok": 0}, False),
    ('{ $.ok IS FALSE }', {"ok": None}, False),
    ('{ $.ok IS FALSE }', {}, False),
    ('{ $.ok IS TRUE }', {"ok": True}, True),
    ('{ $.error IS NULL }', {"error": None}, True),
    ('{ $.error IS NULL }', {}, False),
    ('{ $.error NOT EXISTS }', {}, True),
    ('{ $.error NOT EXISTS }', {"error": None}, False),
    ('{ $.duration_ms >= 0 }', {"duration_ms": 0}, True),
    ('{ $.duration_ms >= 0 }', {"duration_ms": "0"}, False),
    ('{ $.duration_ms > 5 }', {"duration_ms": 5.5}, True),
    ('{ $.status = 503 }', {"status": 503}, True),
    ('{ $.status = "503" }', {"status": 503}, False),
    ('{ $.a.b = "x" }', {"a": {"b": "x"}}, True),
    ('{ $.a = 1 || $.b = 2 && $.c = 3 }', {"a": 1}, True),
    ('{ ($.a = 1 || $.b = 2) && $.c = 3 }', {"a": 1}, False),
]


def selftest():
    bad = 0
    for pattern, event, want in SELF_CASES:
        if compile_pattern(pattern)(event) != want:
            print("wrong: %s on %s" % (pattern, json.dumps(event)))
            bad += 1
    for pattern in ("[a, b]", "{ $.a }", "{ $.a = }", "{ $.a = 1"):
        try:
            compile_pattern(pattern)
            print("accepted: %s" % pattern)
            bad += 1
        except PatternError:
            pass
    print("%d cases, %d wrong" % (len(SELF_CASES) + 4, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "selftest":
        sys.exit(selftest())
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
