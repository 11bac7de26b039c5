#!/usr/bin/env bash
# /healthz goes 503 when luna stalls, and 200 again when it moves; both
# stalls are real ones.
# - The probe loop: SIGUSR1 (the documented drill) holds the engine
#   thread in its next result callback for 8 s, so its heartbeat stops.
# - The log: stdout is a pipe that nobody reads, as when a log driver
#   stops taking lines; once the pipe is full the log's writer blocks and
#   its heartbeat stops (the probes go on: their lines wait in a bounded
#   queue).
# The status server, on its own thread and writing no lines, answers
# throughout.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

# healthz_until CODE SECONDS: poll /healthz until it answers CODE.
healthz_until() {
	local i

	for ((i = 0; i < $2 * 10; i++)); do
		code=$(status_get /healthz -o "$work/healthz" -w '%{http_code}')
		[ "$code" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

log=$work/out.log
start_luna "$log" LUNA_INTERVAL=100ms
wait_for_count "$log" '"event":"probe"' 3 10 || fail "no probe lines"
healthz_until 200 2 || fail "/healthz answered $code before the drill"

kill -USR1 "$luna_pid"
healthz_until 503 8 || fail "/healthz still $code 8 s into the drill"
jq -e '.status == "stalled" and .heartbeat_age_ms > 5000' \
	"$work/healthz" >/dev/null || fail "503 body: $(cat "$work/healthz")"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health 2>/dev/null &&
	fail "luna health says healthy while stalled"
status_get /metrics -o "$work/metrics"
awk '$1 == "luna_engine_heartbeat_age_seconds" && $2 > 5 { found = 1 }
	END { exit !found }' "$work/metrics" ||
	fail "/metrics does not show the stall"

healthz_until 200 8 || fail "/healthz still $code after the drill"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health || fail "luna health says no"
n=$(count_lines "$log" '"event":"probe"')
wait_for_count "$log" '"event":"probe"' $((n + 5)) 5 ||
	fail "probes did not resume after the drill"
grep -q '"msg":"SIGUSR1: holding the probe loop' "$log" ||
	fail "the drill is not logged"
stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"
every_line_whole "$log"
echo "ok: 503 while the loop was held, 200 again after"

# A stdout nobody reads.

fifo=$work/stdout
mkfifo "$fifo"
# Twenty targets on a closed port: 200 short-lived failures a second.
targets=
for i in $(seq 1 20); do
	targets+="${targets:+,}t$i=http://127.0.0.1:1/$i"
done
env LUNA_MOCK_LISTEN=127.0.0.1:0 LUNA_STATUS_LISTEN=127.0.0.1:0 \
	LUNA_SUMMARY_INTERVAL=0 LUNA_INTERVAL=100ms LUNA_TARGETS="$targets" \
	"$LUNA" --headless >"$fifo" 2>"$work/err" &
luna_pid=$! # stopped by stop_luna, or by the cleanup of headless_lib.sh
exec 3<"$fifo"
IFS= read -r -t 10 first <&3 || fail "no start line: $(cat "$work/err")"
status_addr=$(jq -r .status_listen <<<"$first")

healthz_until 200 2 || fail "/healthz answered $code before the stall"

# Read nothing more: the pipe fills within a second or two at 200
# lines a second; /healthz must turn 503 five seconds after that.
healthz_until 503 20 || fail "/healthz still $code after 20 s of a blocked log"
jq -e '.status == "stalled" and .heartbeat_age_ms > 5000' \
	"$work/healthz" >/dev/null || fail "503 body: $(cat "$work/healthz")"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health 2>/dev/null &&
	fail "luna health says healthy while stalled"

# Read again: the lines flow and /healthz recovers.
cat <&3 >"$work/rest" &
extra_pids+=($!)
healthz_until 200 5 || fail "/healthz still $code after the log drained"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health || fail "luna health says no"

stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"
exec 3<&-
wait_for_line "$work/rest" '"event":"stop"' 5 || fail "no stop line"
every_line_whole "$work/rest"
echo "ok: 503 while the log took no lines, 200 again after"
