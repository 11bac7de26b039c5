#!/usr/bin/env bash
# Scenarios from the dashboard, in a real terminal (tmux): d lists the
# scenarios, Enter plays one on the bundled mock, a progress line shows
# the step and what comes next, the target goes down and up with the
# time to detect in the detail pane, and D stops it, healthy again; and
# `luna demo NAME` plays one from the start.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

# Poll the pane until PATTERN (grep -E) has gone from it, at most 10 s.
wait_gone() {
	local _
	for _ in $(seq 100); do
		tm capture-pane -p | grep -qE -- "$1" || return 0
		sleep 0.1
	done
	fail "'$1' stays on screen"
}

# Poll the pane until it shows PATTERN (grep -E), at most 10 s.
wait_text() {
	local _
	for _ in $(seq 100); do
		tm capture-pane -p | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	fail "waiting for '$1' on screen"
}

mkdir "$tmp/scenarios"
cat >"$tmp/scenarios/quick.json" <<'JSON'
{"description": "503 for 6s, then healthy", "duration": "7s", "steps": [
	{"at": "0s", "note": "down for 6s", "status": 503},
	{"at": "6s", "note": "back", "status": 200}]}
JSON
cat >"$tmp/scenarios/long.json" <<'JSON'
{"description": "503 for a minute", "steps": [
	{"at": "0s", "note": "down for a minute", "status": 503},
	{"at": "60s", "status": 200}]}
JSON

LUNA_ENV=(LC_ALL= LANG=C.UTF-8 "LUNA_SCENARIO_DIR=$tmp/scenarios")
start_dashboard
wait_for results

tm send-keys d
wait_text "scenarios \(Enter plays, Esc closes\)"
wait_text "long +503 for a minute"
wait_text "quick +503 for 6s, then healthy"
tm send-keys Escape
wait_gone "Enter plays"

# The second entry, quick: down, progress, then up again by itself.
tm send-keys d j Enter
wait_text "^scenario quick step 1/2: down for 6s; next 2/2 in [0-9.]+m?s"
wait_for down
wait_text "time to detect [0-9.]+m?s, to recover -"
wait_for up
wait_text "time to detect [0-9.]+m?s, to recover [0-9.]+m?s"
wait_gone "^scenario quick"

# D stops a long one early, and the mock is healthy again.
tm send-keys d Enter
wait_text "^scenario long step 1/2: down for a minute"
wait_for down
tm send-keys D
wait_for up
wait_gone "^scenario long"
quit_cleanly q

# luna demo: the scenario plays from the start, each named endpoint it
# changes gets a target of its own.
cat >"$tmp/scenarios/split.json" <<'JSON'
{"description": "b down, a fine", "duration": "30s", "steps": [
	{"at": "0s", "endpoint": "a", "status": 200},
	{"at": "0s", "endpoint": "b", "status": 503}]}
JSON
start_dashboard demo split
wait_text "^scenario split step 2/2: b: status 503"
wait_text "^  mock-b +down +503 "
wait_text "^  mock-a +up +200 "
quit_cleanly q
echo ok
