#!/usr/bin/env bash
# Scenarios played by a real `luna mock` on a loopback port, watched by
# curl: each step takes effect on time (as a polling client sees it and
# in the mock's own history), errors name the step and field, and stop
# restores healthy.
# shellcheck source=tests/integration/scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

now_ms() { date +%s%3N; }
status_of() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1"; }
# Changes with a body say they are JSON, or the mock answers 415.
json='Content-Type: application/json'

# A field of GET /control's JSON, by a python expression on `o`.
control() {
	curl -s -m 2 "$URL/control" |
		python3 -c 'import json,sys; o = json.load(sys.stdin); print('"$1"')'
}

start_mock

# --- a bad scenario is refused, naming the step and the field ---
body='{"name": "t", "steps": [{"at": "0s", "status": 503},
	{"at": "1s", "status": 700}]}'
out=$(curl -s -w ' %{http_code}' -X POST -H "$json" --data "$body" \
	"$URL/control/scenario")
case $out in
*'"step 2: bad status '"'"'700'"'"': '*' 400') ;;
*) fail "bad step: $out" ;;
esac
out=$(curl -s -w ' %{http_code}' -X POST -H "$json" \
	--data '{"name": "nope"}' "$URL/control/scenario")
case $out in
*"unknown scenario 'nope'"*outage*' 400') ;;
*) fail "unknown name: $out" ;;
esac
# luna ctl: an unknown name is bad input (exit 2), like a bad file.
rc=0
LUNA_MOCK_URL=$URL timeout 20 "$LUNA" ctl scenario play nope \
	>/dev/null 2>"$tmp/ctl.err" || rc=$?
[ "$rc" = 2 ] || fail "ctl scenario play nope exit $rc, want 2"
grep -q "unknown scenario 'nope'" "$tmp/ctl.err" ||
	fail "ctl scenario play nope: $(cat "$tmp/ctl.err")"
out=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$URL/control/scenario")
[ "$out" = 404 ] || fail "DELETE with nothing playing gave $out"
[ "$(control 'o["scenario"]')" = None ] || fail "a scenario shows before any"

# --- timing: steps at 0s, 1s, 2s, as a polling client sees them ---
body='{"name": "short", "steps": [{"at": "0s", "status": 503},
	{"at": "1s", "status": 500}, {"at": "2s", "status": 200}]}'
t0=$(now_ms)
curl -s -o /dev/null -X POST -H "$json" --data "$body" \
	"$URL/control/scenario"
: >"$tmp/seen"
while [ $(($(now_ms) - t0)) -lt 2600 ]; do
	start=$(($(now_ms) - t0))
	code=$(status_of "$URL/mock")
	echo "$start $(($(now_ms) - t0)) $code" >>"$tmp/seen"
done
python3 - "$tmp/seen" <<'EOF' || fail "the client saw the steps off time"
import sys
# start and end of each poll (ms after the POST) and the status seen.
polls = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
order = []
for _, _, code in polls:
    if not order or order[-1] != code:
        order.append(code)
assert order == [503, 500, 200], f"order seen: {order}"
# A change made at C lies after the start of the last poll that saw the
# old status and before the end of the first that saw the new one:
# fail only when that proves it early (< at-50) or late (> at+250).
for old, new, at in [(503, 500, 1000), (500, 200, 2000)]:
    last_old = max(s for s, _, c in polls if c == old)
    first_new = min(e for _, e, c in polls if c == new)
    assert first_new >= at - 50, f"{new} seen at {first_new}ms, due {at}ms"
    assert last_old <= at + 250, f"{old} still seen at {last_old}ms, {new} due {at}ms"
    assert first_new - last_old < 1000, f"polls too sparse around {at}ms"
    print(f"status {new}: due {at}ms, took effect in ({last_old}, {first_new})ms")
print(f"{len(polls)} polls")
EOF

[ "$(control 'o["scenario"]["playing"]')" = False ] ||
	fail "the scenario still plays after its end"

# The mock's own history: each step within 100 ms of its offset. Played
# again without the polling client's load; a machine so busy that the
# player's thread waits over 100 ms for a core gets three tries.
history_on_time() {
	local t0
	t0=$(now_ms)
	curl -s -o /dev/null -X POST -H "$json" --data "$body" \
		"$URL/control/scenario"
	sleep 2.3
	curl -s "$URL/control/history" | python3 -c '
import json, sys
from datetime import datetime
t0 = int(sys.argv[1])
ch = [c for c in json.load(sys.stdin)["changes"]
      if c["source"] == "scenario" and "status" in c["fields"]]
ms = [datetime.fromisoformat(c["ts"].replace("Z", "+00:00")).timestamp()
      * 1000 for c in ch[-3:]]
print("history offsets:", [round(m - ms[0]) for m in ms])
assert [c["fields"]["status"] for c in ch[-3:]] == [503, 500, 200], ch
for i, at in enumerate([0, 1000, 2000]):
    off = ms[i] - ms[0]
    assert abs(off - at) <= 100, f"step {i + 1} at {off:.0f}ms in history"
assert 0 <= ms[0] - t0 <= 500, f"step 1 {ms[0] - t0:.0f}ms after the POST"
' "$t0"
}
history_on_time || history_on_time || history_on_time ||
	fail "the mock's history is off time"

# --- stop restores healthy ---
cat >"$tmp/long.json" <<'EOF'
{"description": "down for a minute", "steps": [
	{"at": "0s", "status": 503, "latency_ms": 10},
	{"at": "60s", "status": 200}]}
EOF
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario play "$tmp/long.json" |
	grep -q "playing 'long'" || fail "ctl scenario play"
sleep 0.2
[ "$(status_of "$URL/mock")" = 503 ] || fail "the long scenario did not start"
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario | grep -q "^long step 1/2: .*next 2/2 in" ||
	fail "ctl scenario shows no progress"
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario stop | grep -q "healthy again" ||
	fail "ctl scenario stop"
[ "$(status_of "$URL/mock")" = 200 ] || fail "stop did not restore 200"
[ "$(control 'o["latency_ms"]')" = 0 ] || fail "stop left latency"
[ "$(control 'o["scenario"]')" = None ] || fail "a stopped scenario shows"

# --- built-ins by name (the mock's and ctl's own), a loop ---
curl -s -X POST -H "$json" --data '{"name": "flapping"}' \
	"$URL/control/scenario" |
	grep -q '"loop":true' || fail "the flapping built-in did not play"
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario list | grep -q "^outage  *A full outage" ||
	fail "ctl scenario list"
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario play recovery >/dev/null ||
	fail "ctl scenario play recovery"
[ "$(control 'o["scenario"]["name"]')" = recovery ] ||
	fail "ctl did not replace flapping with recovery"
sleep 0.1
[ "$(status_of "$URL/mock")" = 500 ] || fail "recovery does not start down"
LUNA_MOCK_URL=$URL "$LUNA" ctl scenario stop >/dev/null

cat >"$tmp/boot.json" <<'EOF'
{"name": "boot", "steps": [{"at": "0s", "status": 418}]}
EOF
start_mock --scenario "$tmp/boot.json"
[ "$(status_of "$URL/mock")" = 418 ] || fail "mock --scenario did not play"
if timeout 5 "$LUNA" mock --listen 127.0.0.1:0 --scenario nope \
	2>"$tmp/err"; then
	fail "mock --scenario nope started"
fi
grep -q "unknown scenario 'nope'" "$tmp/err" || fail "$(cat "$tmp/err")"
echo "ok"
