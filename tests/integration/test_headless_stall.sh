#!/usr/bin/env bash
# /healthz goes 503 when results stop reaching the log, and 200 again
# when they flow. The stall is a real one: luna's stdout is a pipe that
# nobody reads, as when a log driver stops taking lines; once the pipe
# is full the log's writer blocks and its heartbeat stops (the probes
# go on: their lines wait in a bounded queue), while the status server,
# which writes no lines, still answers.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

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

code=$(status_get /healthz -o /dev/null -w '%{http_code}')
[ "$code" = 200 ] || fail "/healthz answered $code before the stall"

# Read nothing more: the pipe fills within a second or two at 200
# lines a second; /healthz must turn 503 five seconds after that.
for ((i = 0; i < 200; i++)); do
	code=$(status_get /healthz -o "$work/healthz" -w '%{http_code}')
	[ "$code" = 503 ] && break
	sleep 0.1
done
[ "$code" = 503 ] || fail "/healthz still $code after 20 s of a blocked log"
jq -e '.status == "stalled" and .heartbeat_age_ms > 5000' \
	"$work/healthz" >/dev/null || fail "503 body: $(cat "$work/healthz")"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health 2>/dev/null &&
	fail "luna health says healthy while stalled"

# Read again: the engine moves and /healthz recovers.
cat <&3 >"$work/rest" &
extra_pids+=($!)
for ((i = 0; i < 50; i++)); do
	code=$(status_get /healthz -o /dev/null -w '%{http_code}')
	[ "$code" = 200 ] && break
	sleep 0.1
done
[ "$code" = 200 ] || fail "/healthz still $code after the log drained"
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health || fail "luna health says no"

stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"
exec 3<&-
wait_for_line "$work/rest" '"event":"stop"' 5 || fail "no stop line"
every_line_whole "$work/rest"
echo "ok: 503 while stalled, 200 again after"
