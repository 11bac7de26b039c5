#!/usr/bin/env bash
# Shared by the mock's integration tests: start `luna mock` on a free
# loopback port, read its URL from the start line, stop it on exit.
# Sourced; expects LUNA (the binary).

set -euo pipefail
: "${LUNA:?set LUNA to the luna binary}"

tmp=$(mktemp -d)
pids=()
failures=0
checks=0

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_mock NAME [luna mock args...]: sets URL and PID; log in $tmp/NAME.log.
start_mock() {
	local name=$1 _
	shift
	"$LUNA" mock "$@" >"$tmp/$name.log" 2>"$tmp/$name.err" &
	PID=$!
	pids+=("$PID")
	for _ in $(seq 1 100); do
		URL=$(jq -r 'select(.event == "start") | .url' \
			"$tmp/$name.log" 2>/dev/null || true)
		[ -n "$URL" ] && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "mock '$name' did not start:" >&2
	cat "$tmp/$name.log" "$tmp/$name.err" >&2
	exit 1
}

ok() {
	checks=$((checks + 1))
	echo "ok: $*"
}

fail() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}

# check DESCRIPTION EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_has DESCRIPTION NEEDLE HAYSTACK
check_has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*) fail "$1: '$2' not in '$3'" ;;
	esac
}

# put JSON [curl args...]: PUT /control, prints "CODE BODY".
put() {
	local body=$1
	shift
	curl -s -m 5 -X PUT -H 'Content-Type: application/json' \
		--data-binary "$body" -w ' %{http_code}' "$@" "$URL/control"
}

# logged PATTERN FILE: a line matching PATTERN reaches FILE within 5 s
# (luna writes its log from a thread of its own, a moment later).
logged() {
	local _
	for _ in $(seq 1 100); do
		grep -q "$1" "$2" && return 0
		sleep 0.05
	done
	return 1
}

finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
