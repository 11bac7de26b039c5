# Helpers for the headless tests: start `luna --headless` on free
# loopback ports, read its ports from the "start" line, drive its
# bundled mock, and stop everything on exit. Source it from a test.
# shellcheck shell=bash

set -euo pipefail

: "${LUNA:?LUNA must name the luna binary}"
: "${LUNA_SOURCE_DIR:?LUNA_SOURCE_DIR must name the source tree}"

work=$(mktemp -d "${TMPDIR:-/tmp}/luna-headless.XXXXXX")
luna_pid=
extra_pids=()

# Python with Debian's packages (jsonschema, yaml, botocore, ...).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

cleanup() {
	local p

	for p in "$luna_pid" "${extra_pids[@]}"; do
		[ -n "$p" ] || continue
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# start_luna LOG [env assignments...]: run luna --headless in the
# background with stdout in LOG; the ports default to free ones.
start_luna() {
	local log=$1

	shift
	env LUNA_MOCK_LISTEN=127.0.0.1:0 LUNA_STATUS_LISTEN=127.0.0.1:0 \
		LUNA_SUMMARY_INTERVAL=0 "$@" \
		"$LUNA" --headless >"$log" 2>"$log.err" &
	luna_pid=$!
	wait_for_line "$log" '"event":"start"' 10 ||
		fail "no start line in 10 s: $(cat "$log.err")"
	status_addr=$(jq -r 'select(.event == "start") | .status_listen' "$log")
	mock_url=$(jq -r 'select(.event == "start") | .mock_url // empty' "$log")
}

# wait_for_line FILE PATTERN SECONDS: until a line holds PATTERN.
wait_for_line() {
	local i

	for ((i = 0; i < $3 * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# count_lines FILE PATTERN
count_lines() {
	grep -c -- "$2" "$1" 2>/dev/null || true
}

# wait_for_count FILE PATTERN N SECONDS: until N lines hold PATTERN.
wait_for_count() {
	local i

	for ((i = 0; i < $4 * 10; i++)); do
		[ "$(count_lines "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# mock_put JSON: change the bundled mock's behaviour.
mock_put() {
	curl -sS -f -m 5 --noproxy '*' -X PUT -H 'Content-Type: application/json' \
		-d "$1" "$mock_url/control" >/dev/null
}

# take_down_and_up LOG CHANGE: after a few probes, apply CHANGE to the
# mock until the target goes down, then serve 200 until it comes up.
take_down_and_up() {
	wait_for_count "$1" '"event":"probe"' 3 10 || fail "no probe lines"
	mock_put "$2"
	wait_for_line "$1" '"state":"down"' 10 || fail "target never went down"
	mock_put '{"fault": "none", "status": 200}'
	wait_for_line "$1" '"previous":"down"' 10 || fail "target never came up"
}

# status_get PATH [curl options]: a page of the status server.
status_get() {
	local path=$1

	shift
	curl -sS -m 5 --noproxy '*' "$@" "http://$status_addr$path"
}

# stop_luna SIGNAL SECONDS: signal luna, wait for its exit, set $rc.
stop_luna() {
	local i

	kill "-$1" "$luna_pid"
	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$luna_pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	kill -0 "$luna_pid" 2>/dev/null &&
		fail "luna still running $2 s after SIG$1"
	rc=0
	wait "$luna_pid" || rc=$?
	luna_pid=
}

# every_line_whole LOG: each line ends in a newline and is one JSON object.
every_line_whole() {
	[ -s "$1" ] || fail "$1 is empty"
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "the last line of $1 is cut"
	jq -c 'if type == "object" then empty else error("not an object") end' \
		"$1" >/dev/null || fail "a line of $1 is not a JSON object"
}
