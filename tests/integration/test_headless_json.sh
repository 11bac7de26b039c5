#!/usr/bin/env bash
# luna --headless logs JSON lines of the documented schema: each field of
# probe, state, summary, start and stop lines has its type; a SIGTERM
# ends the run with exit 0, a stop line last and no line cut.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

log=$work/out.log
start_luna "$log" LUNA_INTERVAL=200ms LUNA_TIMEOUT=1s LUNA_FAIL_THRESHOLD=2 \
	LUNA_SUCCESS_THRESHOLD=2 LUNA_SUMMARY_INTERVAL=1s
[ -n "$mock_url" ] || fail "no bundled mock without targets"

take_down_and_up "$log" '{"status": 503}'
wait_for_count "$log" '"event":"summary"' 2 10 || fail "no summary lines"
stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
every_line_whole "$log"

# Every line: ts (RFC 3339, UTC, milliseconds), level, event first.
jq -e -s 'all(.[]; (keys_unsorted[0:3] == ["ts", "level", "event"])
	and (.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"))
	and (.level | IN("debug", "info", "warn", "error")))' "$log" >/dev/null ||
	fail "a line lacks ts, level or event in front"

# Probe lines: each field of the schema with its type.
jq -e -s '[.[] | select(.event == "probe")] | length > 5 and all(.[];
	(.target | type == "string") and (.url | startswith("http://"))
	and (.method == "GET") and (.ok | type == "boolean")
	and (.status | type == "number" and . == floor and . >= 0)
	and (.error == null or (.error | IN("dns", "connect", "tls", "timeout",
		"reset", "empty", "protocol", "status", "body", "latency",
		"too_large", "redirects")))
	and ((.ok and .error == null) or (.ok | not) and (.error | type == "string"))
	and (.error_detail == null or (.error_detail | type == "string"))
	and ((.ok | not) or .error_detail == null or .error_detail == "")
	and ([.duration_ms, .dns_ms, .connect_ms, .tls_ms, .ttfb_ms]
		| all(type == "number" and . >= 0))
	and (.bytes | type == "number" and . == floor and . >= 0)
	and (.seq | type == "number" and . == floor and . >= 1)
	and (.state | IN("up", "down")))' "$log" >/dev/null ||
	fail "a probe line breaks the schema"

# The 503s failed as "status" with the status kept; seq counts up by one.
jq -e -s '[.[] | select(.event == "probe" and .status == 503)]
	| length >= 2 and all(.[]; .ok == false and .error == "status")' \
	"$log" >/dev/null || fail "503 probes are not failures of kind status"
jq -e -s '[.[] | select(.event == "probe") | .seq] as $s
	| $s == [range(1; ($s | length) + 1)]' "$log" >/dev/null ||
	fail "probe seq does not count 1, 2, 3, ..."

# State lines: up and down with the previous state and a reason.
jq -e -s '[.[] | select(.event == "state")] | length >= 2 and all(.[];
	(.target | type == "string") and (.state | IN("up", "down"))
	and (.previous | IN("up", "down", "unknown"))
	and (.reason | type == "string" and length > 0))' "$log" >/dev/null ||
	fail "a state line breaks the schema"

# Summary lines: counts, error rate and percentiles per target.
jq -e -s '[.[] | select(.event == "summary")] | length >= 2 and all(.[];
	(.target == "mock") and (.state | IN("up", "down", "unknown"))
	and ([.period_s, .count, .failures, .total, .total_failures, .p50_ms,
		.p95_ms, .p99_ms] | all(type == "number" and . >= 0))
	and ([.count, .failures, .total, .total_failures]
		| all(. == floor))
	and (.error_rate | type == "number" and . >= 0 and . <= 1)
	and .failures <= .count and .total_failures <= .total)' "$log" \
	>/dev/null || fail "a summary line breaks the schema"
jq -e -s '[.[] | select(.event == "summary") | .failures] | add > 0' \
	"$log" >/dev/null || fail "no summary counted the failures"

# Start first, stop last, and what they say.
jq -e -s '.[0].event == "start" and .[0].mode == "headless"
	and (.[0].version | type == "string") and (.[0].targets | length == 1)
	and (.[0].status_listen | type == "string")
	and (.[0].summary_interval_ms == 1000)' "$log" >/dev/null ||
	fail "the first line is not the start line"
jq -e -s '.[-1].event == "stop" and .[-1].reason == "signal"
	and .[-1].signal == "SIGTERM" and .[-1].exit_code == 0
	and (.[-1].skipped | type == "number") and (.[-1].drain_ms >= 0)
	and .[-1].results == ([.[] | select(.event == "probe")] | length)' \
	"$log" >/dev/null || fail "the last line is not a stop line that counts every probe"
[ ! -s "$log.err" ] || fail "stderr is not empty: $(cat "$log.err")"

# LUNA_LOG_FORMAT=text: the same events, for people.
env LUNA_LOG_FORMAT=text LUNA_INTERVAL=200ms LUNA_MOCK_LISTEN=127.0.0.1:0 \
	LUNA_STATUS_LISTEN=127.0.0.1:0 "$LUNA" --headless >"$work/text.log" &
luna_pid=$!
wait_for_count "$work/text.log" ' probe ' 2 10 || fail "no text probe lines"
stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc with text lines"
grep -qE '^[0-9T:.-]+Z INFO start .*mode=headless' "$work/text.log" ||
	fail "no text start line: $(head -1 "$work/text.log")"
grep -qE '^[0-9T:.-]+Z INFO probe target=mock .* ok=true status=200' \
	"$work/text.log" || fail "no text probe line"
tail -1 "$work/text.log" | grep -qE ' INFO stop .*signal=SIGTERM' ||
	fail "the text log does not end with stop"
echo "ok: $(wc -l <"$log") lines checked"
echo "ok: text lines"
