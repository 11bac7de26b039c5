#!/usr/bin/env bash
# `luna probe` follows a scenario played by a real `luna mock`: its state
# events go down after the failure threshold and up after recovery, each
# naming the mock change it follows with the time to detect or recover;
# stopping the scenario brings the target back up.
# shellcheck source=tests/integration/scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

# Wait up to 10s for the Nth state event in the probe's log.
wait_states() {
	local i
	for i in $(seq 200); do
		[ "$(events "$tmp/probe.log" state | wc -l)" -ge "$1" ] && return 0
		sleep 0.05
	done
	events "$tmp/probe.log" state >&2
	fail "no state event number $1"
}

start_mock
url=$URL

"$LUNA" probe --interval 200ms --timeout 1s --fail-threshold 3 \
	--success-threshold 2 --log-format json --targets "mock=$url/mock" \
	>"$tmp/probe.log" 2>&1 &
pids+=($!)
wait_states 1

# Down at 1s, healthy again at 3s.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
	--data '{"name": "blip", "steps": [
	{"at": "0s", "status": 200}, {"at": "1s", "status": 503},
	{"at": "3s", "status": 200}]}' "$url/control/scenario" ||
	fail "the scenario was refused"
wait_states 3
curl -s "$url/control/history" >"$tmp/history.json"

python3 - "$tmp/probe.log" "$tmp/history.json" <<'EOF' ||
import json, sys
states = [json.loads(l) for l in open(sys.argv[1])
          if l.startswith("{") and json.loads(l).get("event") == "state"]
changes = json.load(open(sys.argv[2]))["changes"]
by_status = {c["fields"].get("status"): c["change"] for c in changes
             if c["source"] == "scenario" and "status" in c["fields"]}
first, down, up = states[:3]
assert first["state"] == "up", first
assert (down["state"], down["previous"]) == ("down", "up"), down
assert (up["state"], up["previous"]) == ("up", "down"), up
assert down["change"] == by_status[503], (down, by_status)
assert up["change"] == by_status[200], (up, by_status)
# 3 failures at a 200ms interval, the first within 200ms of the change:
# never under 2 intervals; the upper bounds leave room for a loaded box.
assert 350 <= down["detect_ms"] <= 1500, down
assert 150 <= up["recover_ms"] <= 1200, up
assert "recover_ms" not in down and "detect_ms" not in up
print(f"detect {down['detect_ms']}ms, recover {up['recover_ms']}ms")
EOF
	fail "the state events do not follow the scenario"

# Stop restores healthy: down again, then stop, then up.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
	--data '{"name": "long", "steps": [
	{"at": "0s", "status": 500}, {"at": "60s", "status": 200}]}' \
	"$url/control/scenario" || fail "the long scenario was refused"
wait_states 4
LUNA_MOCK_URL=$url "$LUNA" ctl scenario stop >/dev/null ||
	fail "ctl scenario stop"
wait_states 5
events "$tmp/probe.log" state | tail -1 | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["state"] == "up" and "recover_ms" in o, o
print("up again", o["recover_ms"], "ms after the stop")' ||
	fail "the target did not come back up after the stop"
# Headless, LUNA_MOCK_SCENARIO plays on the bundled mock from the start.
cat >"$tmp/down.json" <<'EOF'
{"name": "down", "steps": [{"at": "0s", "status": 200},
	{"at": "1s", "status": 503}, {"at": "60s", "status": 200}]}
EOF
env LUNA_MOCK_SCENARIO="$tmp/down.json" LUNA_MOCK_LISTEN=127.0.0.1:0 \
	LUNA_STATUS_LISTEN=127.0.0.1:0 LUNA_SUMMARY_INTERVAL=0 \
	LUNA_INTERVAL=200ms LUNA_FAIL_THRESHOLD=2 LUNA_LOG_FORMAT=json \
	"$LUNA" --headless >"$tmp/probe.log" 2>&1 &
pids+=($!)
wait_states 2
events "$tmp/probe.log" state | tail -1 | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["state"] == "down" and o["detect_ms"] >= 150, o
print("headless: down", o["detect_ms"], "ms after change", o["change"])' ||
	fail "headless did not play LUNA_MOCK_SCENARIO"
if LUNA_MOCK_SCENARIO=nope LUNA_STATUS_LISTEN=127.0.0.1:0 \
	timeout 10 "$LUNA" --headless >/dev/null 2>"$tmp/err"; then
	fail "headless started with an unknown scenario"
fi
grep -q "unknown scenario 'nope'" "$tmp/err" || fail "$(cat "$tmp/err")"
echo ok
