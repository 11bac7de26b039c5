#!/usr/bin/env bash
# `luna probe --once`: exit status, the probe line's fields and types,
# state lines, start and stop, and the formats.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
start_server

out="$tmp/ok.json"
probe_once "$out" "$BASE/status/200" "named=$BASE/status/204"
expect_status 0 "all passed"
check "$out" 'map(select(.event == "probe")) | length == 2' "two probe lines"
check "$out" 'map(select(.event == "probe")) | all(
	(.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$")) and
	.level == "info" and .ok == true and .error == null and
	.error_detail == null and (.url | type) == "string" and
	.method == "GET" and (.seq == 1) and .state == "up" and
	([.duration_ms, .dns_ms, .connect_ms, .tls_ms, .ttfb_ms, .bytes] |
	 all(type == "number" and . >= 0)) and
	.ttfb_ms <= .duration_ms and .connect_ms > 0 and .tls_ms == 0)' \
	"probe line fields and types"
check "$out" 'map(select(.event == "probe" and .target == "named"))[0] |
	.status == 204' "a name=URL argument names its target"
check "$out" 'map(select(.event == "probe" and .target != "named"))[0] |
	.target == "127.0.0.1:'"$PORT"'/status/200" and .bytes == 10' \
	"default name is host:port/path"
check "$out" '.[0].event == "start" and .[0].once == true and
	(.[0].targets | length) == 2 and .[-1].event == "stop" and
	.[-1].reason == "round complete" and .[-1].exit_code == 0' \
	"start first, stop last"
check "$out" 'map(select(.event == "state")) | length == 2 and
	all(.state == "up" and .previous == "unknown")' "state lines"

# A --once round starts when the engine does: its schedule lag is not
# the engine thread's start-up (it was 4 to 13 ms for one target).
check "$out" '.[-1].schedule_lag_ms.p50 <= 2' "no start-up in schedule lag"

out="$tmp/mixed.json"
probe_once "$out" "$BASE/status/200" "$BASE/status/500"
expect_status 1 "one failed"
check "$out" 'map(select(.event == "probe" and .status == 500))[0] |
	.ok == false and .level == "warn" and .error == "status" and
	.state == "down"' "failed probe line"

out="$tmp/expect.json"
LUNA_EXPECT=2xx,404 probe_once "$out" "$BASE/status/404"
expect_status 0 "LUNA_EXPECT accepts 404"
probe_once "$out" --expect 200 "$BASE/status/204"
expect_status 1 "--expect 200 refuses 204"

out="$tmp/text.txt"
probe_once "$out" --log-format text "$BASE/status/200"
expect_status 0 "text format"
grep -Eq '^[0-9T:.-]+Z INFO probe target=127.0.0.1:[0-9]+/status/200 .*ok=true status=200' \
	"$out" || fail "text line: $(cat "$out")"

# On a terminal the default format is text.
script -qec "'$LUNA' probe --once '$BASE/status/200'" /dev/null \
	>"$tmp/tty.txt" </dev/null || true
grep -q 'Z INFO probe target=' "$tmp/tty.txt" ||
	fail "text on a terminal: $(cat "$tmp/tty.txt")"

# LUNA_TARGETS, and the command line winning over it.
out="$tmp/env.json"
LUNA_TARGETS="a=$BASE/status/200,b=$BASE/status/201" probe_once "$out"
expect_status 0 "LUNA_TARGETS"
check "$out" '[.[] | select(.event == "probe") | .target] | sort == ["a","b"]' \
	"targets from LUNA_TARGETS"
LUNA_TARGETS="a=$BASE/status/500" probe_once "$out" "c=$BASE/status/200"
expect_status 0 "arguments win over LUNA_TARGETS"
check "$out" '[.[] | select(.event == "probe") | .target] == ["c"]' \
	"only the command line's targets"
# EMF: the probe lines carry CloudWatch metrics in the namespace asked.
out="$tmp/emf.json"
probe_once "$out" --log-format emf --emf-namespace Test/Probe \
	"$BASE/status/200" "$BASE/status/500"
expect_status 1 "EMF format"
check "$out" 'map(select(.event == "probe")) | length == 2 and all(
	._aws.CloudWatchMetrics[0].Namespace == "Test/Probe" and
	(._aws.Timestamp | type == "number") and
	((.ok and .success == 1) or (.ok == false and .failure == 1)))' \
	"EMF metadata on each probe line"

# A password in a target URL is sent, but never logged.
out="$tmp/secret.json"
probe_once "$out" "http://probe:s3cret@127.0.0.1:$PORT/status/200"
expect_status 0 "URL with a password"
! grep -q s3cret "$out" || fail "password logged: $(grep s3cret "$out")"
check "$out" 'map(select(.event == "probe"))[0].url ==
	"http://probe:***@127.0.0.1:'"$PORT"'/status/200" and
	.[0].targets[0].url == "http://probe:***@127.0.0.1:'"$PORT"'/status/200"' \
	"password shown as ***"

echo "ok: probe --once"
