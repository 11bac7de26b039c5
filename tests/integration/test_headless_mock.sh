#!/usr/bin/env bash
# When headless mode serves the bundled mock: with no targets (then it is
# the target), and when LUNA_MOCK_LISTEN is set next to targets, as in
# the ECS task, where an operator flips it with `luna ctl` and the token;
# never when targets are set without LUNA_MOCK_LISTEN.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Targets without LUNA_MOCK_LISTEN: no mock, only the targets.
closed=$(free_port)
log=$work/targets.log
env LUNA_STATUS_LISTEN=127.0.0.1:0 LUNA_SUMMARY_INTERVAL=0 \
	LUNA_TARGETS="api=http://127.0.0.1:$closed/" LUNA_INTERVAL=200ms \
	"$LUNA" --headless >"$log" 2>"$log.err" &
luna_pid=$!
wait_for_count "$log" '"event":"probe"' 2 10 || fail "no probe lines"
stop_luna TERM 10
jq -e -s '.[0].event == "start" and (.[0] | has("mock_url") | not)
	and .[0].targets_from == "LUNA_TARGETS"
	and ([.[] | select(.event == "probe") | .target] | unique == ["api"])
	and ([.[] | select(.event == "probe")][0].error == "connect")' \
	"$log" >/dev/null || fail "a mock ran next to explicit targets"

# The ECS task's configuration: the mock on a fixed port with a token,
# probed as one of the targets.
port=$(free_port)
start_luna "$log.ecs" LUNA_MOCK_LISTEN="127.0.0.1:$port" \
	LUNA_CONTROL_TOKEN=s3cret LUNA_INTERVAL=200ms LUNA_FAIL_THRESHOLD=2 \
	LUNA_TARGETS="mock=http://127.0.0.1:$port/mock"
[ "$mock_url" = "http://127.0.0.1:$port" ] ||
	fail "the mock is not on the port asked for: '$mock_url'"
jq -e -s '.[0].targets_from == "LUNA_TARGETS"' "$log.ecs" >/dev/null ||
	fail "targets not taken from LUNA_TARGETS"
wait_for_count "$log.ecs" '"ok":true' 2 10 || fail "the mock is not probed"

# From "a laptop": without the token refused, with it the target goes down.
if LUNA_MOCK_URL=$mock_url "$LUNA" ctl status 503 >/dev/null 2>&1; then
	fail "luna ctl changed the mock without the token"
fi
LUNA_MOCK_URL=$mock_url LUNA_CONTROL_TOKEN=s3cret "$LUNA" ctl status 503 \
	>/dev/null || fail "luna ctl with the token was refused"
wait_for_line "$log.ecs" '"state":"down"' 10 || fail "target never went down"
LUNA_MOCK_URL=$mock_url LUNA_CONTROL_TOKEN=s3cret "$LUNA" ctl reset \
	>/dev/null || fail "luna ctl reset was refused"
wait_for_line "$log.ecs" '"previous":"down"' 10 || fail "never came up"
stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"

# The port asked for is taken: no silent fallback, exit 2 with a reason.
$PY -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
time.sleep(15)' "$port" &
extra_pids+=($!)
sleep 0.3
code=0
env LUNA_MOCK_LISTEN="127.0.0.1:$port" LUNA_STATUS_LISTEN=127.0.0.1:0 \
	timeout 10 "$LUNA" --headless >"$log.busy" 2>"$log.busy.err" || code=$?
[ "$code" = 2 ] || fail "a taken mock port gave exit $code"
grep -q "127.0.0.1:$port" "$log.busy.err" ||
	fail "no reason naming the port: $(cat "$log.busy.err")"
echo "ok: the bundled mock runs when it should, on the port asked for"
