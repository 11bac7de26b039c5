# shellcheck shell=bash
# shellcheck disable=SC2034 # variables used by the tests that source this
# Sourced by the probe tests: a temp dir, the misbehaving test server,
# assertions on JSON lines, and cleanup of everything started.
set -euo pipefail

: "${LUNA:?LUNA must name the luna binary}"
: "${LUNA_SOURCE_DIR:?LUNA_SOURCE_DIR must name the source tree}"

tmp=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Start the test server (ARGS go to it); sets PORT and BASE.
spawn_server() {
	local log
	log=$(mktemp "$tmp/server.XXXXXX")
	python3 "$LUNA_SOURCE_DIR/tests/integration/probe_server.py" \
		--lifetime 240 "$@" >"$log" &
	pids+=($!)
	PORT=
	for _ in $(seq 50); do
		PORT=$(awk '/^PORT/ {print $2}' "$log")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || fail "test server did not start"
	BASE="http://127.0.0.1:$PORT"
}

start_server() {
	spawn_server
}

# start_tls_server CERT KEY: the same server speaking HTTPS.
start_tls_server() {
	spawn_server --tls "$1" "$2"
}

# start_mute_server: accepts connections, never reads or answers.
start_mute_server() {
	spawn_server --mute
}

closed_port() {
	python3 "$LUNA_SOURCE_DIR/tests/integration/probe_server.py" \
		--closed-port
}

# probe_once OUT ARGS...: run `luna probe --once`, keep stdout in OUT,
# stderr in OUT.err and the exit status in $status.
probe_once() {
	local out=$1
	shift
	status=0
	timeout 30 "$LUNA" probe --once "$@" >"$out" 2>"$out.err" || status=$?
}

# expect_status WANT WHAT: the last command's exit status was WANT.
expect_status() {
	[ "$status" -eq "$1" ] ||
		fail "$2: exit status $status, expected $1 ($(cat "$out.err" 2>/dev/null))"
}

# check FILE JQ-EXPR WHAT: the jq expression is true on FILE's lines.
check() {
	jq -e -s "$2" "$1" >/dev/null || {
		echo "--- $1:" >&2
		cat "$1" >&2
		fail "$3"
	}
}
