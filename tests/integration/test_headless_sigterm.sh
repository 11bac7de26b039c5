#!/usr/bin/env bash
# SIGTERM while a probe hangs on a server that never answers: luna stops
# scheduling, lets that probe time out, logs it and `stop`, and exits 0
# within the probe timeout, far inside ECS's 30 s; no line is cut.
# SIGINT does the same.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

log=$work/out.log
start_luna "$log" LUNA_INTERVAL=500ms LUNA_TIMEOUT=3s LUNA_SUMMARY_INTERVAL=10s
wait_for_count "$log" '"event":"probe"' 2 10 || fail "no probe lines"
mock_put '{"fault": "hang"}'
# The next probe starts within 500 ms and hangs; signal while it does.
sleep 1.2
before=$(count_lines "$log" '"event":"probe"')
t0=$(date +%s%N)
stop_luna TERM 10
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
[ "$ms" -le 8000 ] || fail "took $ms ms to stop with a 3 s timeout"
every_line_whole "$log"

# The hanging probe was waited for and logged as a timeout, then stop.
after=$(count_lines "$log" '"event":"probe"')
[ "$after" -gt "$before" ] || fail "the probe in flight was not logged"
jq -e -s '[.[] | select(.event == "probe")][-1]
	| .ok == false and .error == "timeout"' "$log" >/dev/null ||
	fail "the last probe is not a timeout: $(grep '"probe"' "$log" | tail -1)"
jq -e -s '.[-1].event == "stop" and .[-1].signal == "SIGTERM"
	and .[-1].drain_ms >= 1000 and .[-1].exit_code == 0' "$log" >/dev/null ||
	fail "last line: $(tail -1 "$log")"
# A final summary counts the drained probe before the stop line.
jq -e -s '.[-2].event == "summary" and .[-2].target == "mock"' "$log" \
	>/dev/null || fail "no final summary before stop"
echo "ok: SIGTERM drained a hanging probe in $ms ms"

# SIGINT: the same clean stop.
log2=$work/int.log
start_luna "$log2" LUNA_INTERVAL=200ms
wait_for_count "$log2" '"event":"probe"' 2 10 || fail "no probe lines"
stop_luna INT 10
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGINT"
every_line_whole "$log2"
jq -e -s '.[-1].event == "stop" and .[-1].signal == "SIGINT"' "$log2" \
	>/dev/null || fail "no stop line after SIGINT"
echo "ok: SIGINT"
