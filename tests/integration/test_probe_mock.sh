#!/usr/bin/env bash
# luna probe against the bundled mock (`luna mock`, changed with
# `luna ctl`): each mock fault has its own error kind (DESIGN.md).
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"

LUNA_LOG_FORMAT=json "$LUNA" mock --listen 127.0.0.1:0 >"$tmp/mock.out" 2>&1 &
pids+=($!)
mock=
for _ in $(seq 50); do
	mock=$({ jq -r 'select(.event == "start") | .url // empty' \
		"$tmp/mock.out" 2>/dev/null || true; } | head -1)
	[ -n "$mock" ] && break
	sleep 0.1
done
[ -n "$mock" ] || fail "mock did not start: $(cat "$tmp/mock.out")"

ctl() {
	"$LUNA" ctl --url "$mock" "$@" >/dev/null ||
		fail "luna ctl $* failed"
}

# fault_kind FAULT KIND DETAIL-REGEX
fault_kind() {
	ctl fault "$1"
	out="$tmp/$1.json"
	probe_once "$out" --timeout 800ms "$mock/mock"
	expect_status 1 "fault $1"
	check "$out" "map(select(.event == \"probe\"))[0] |
		.error == \"$2\" and (.error_detail | test(\"$3\"))" \
		"fault $1: expected $2"
}

out="$tmp/healthy.json"
probe_once "$out" "$mock/mock"
expect_status 0 "healthy mock"
fault_kind reset reset 'reset by peer'
fault_kind close empty 'without a reply'
fault_kind hang timeout 'no answer within 800 ms'
fault_kind truncate protocol 'cut short'
fault_kind garbage protocol 'malformed'
fault_kind slow_body timeout 'while reading the response body'
ctl fault none
ctl status 503
out="$tmp/503.json"
probe_once "$out" "$mock/mock"
expect_status 1 "mock answering 503"
check "$out" 'map(select(.event == "probe"))[0] | .status == 503 and
	.error == "status"' "status 503"
echo "ok: probe against the mock"
