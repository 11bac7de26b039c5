#!/usr/bin/env bash
# `luna probe` without --once: probes on schedule without drift, never
# two probes of one target at once, and a clean stop on SIGTERM/SIGINT.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
start_server

# run_for SECONDS SIGNAL OUT ARGS...: run luna probe, then signal it.
run_for() {
	local secs=$1 sig=$2 pid
	out=$3
	shift 3
	"$LUNA" probe "$@" >"$out" 2>"$out.err" &
	pid=$!
	pids+=("$pid")
	sleep "$secs"
	kill -s "$sig" "$pid"
	status=0
	wait "$pid" || status=$?
}

# Milliseconds of a line's ts, for jq.
ms='(.ts | sub("\\.(?<f>[0-9]+)Z$"; "Z") | fromdate) * 1000 +
	(.ts | capture("\\.(?<f>[0-9]+)Z$").f | tonumber)'

run_for 3.2 TERM "$tmp/run.json" --interval 300ms \
	"fast=$BASE/status/200" "slow=$BASE/slow/700"
expect_status 0 "SIGTERM ends luna probe with 0"
check "$out" '.[-1].event == "stop" and .[-1].reason == "signal" and
	.[-1].signal == "SIGTERM" and .[-1].exit_code == 0' "stop line"

# on_grid: every line of the array is within 130 ms of the first
# line's 300 ms grid (start + k * interval); a loaded machine may be
# late, but lateness never adds up. (The exact grid is a unit test's.)
on_grid="((.[0] | $ms) as \$t0 | all((($ms) - \$t0) % 300 |
	. < 130 or . > 170))"

# The fast target: seq without gaps, on its grid.
check "$out" "[.[] | select(.event == \"probe\" and .target == \"fast\")] |
	length >= 6 and length <= 12 and
	([.[].seq] == [range(1; length + 1)]) and $on_grid" \
	"fast target keeps its schedule"

# The slow target outlasts its interval: its busy slots are skipped,
# so its probes never overlap and each slot is logged once.
check "$out" "[.[] | select(.event == \"probe\" and .target == \"slow\")] |
	length >= 2 and length <= 5 and
	([.[].seq] == [range(1; length + 1)]) and $on_grid and
	([range(1; length) as \$i | (.[\$i] | $ms) - (.[\$i - 1] | $ms)] |
	 all(. >= 750))" "slow target never overlaps"
check "$out" '.[-1].skipped >= 2' "skipped slots are counted"

run_for 1 INT "$tmp/int.json" --interval 200ms "$BASE/status/200"
expect_status 0 "SIGINT ends luna probe with 0"
check "$out" '.[-1].signal == "SIGINT"' "SIGINT named in stop"

# A probe in flight at the signal still gets its line before stop.
run_for 0.7 TERM "$tmp/drain.json" --interval 5s "$BASE/slow/1500"
expect_status 0 "stop while a probe runs"
check "$out" '[.[].event] == ["start", "probe", "state", "stop"]' \
	"the probe in flight is logged before stop"

# Failures in a row take a target down only at the threshold.
run_for 1.3 TERM "$tmp/thr.json" --interval 200ms --fail-threshold 3 \
	"up=$BASE/status/200"
check "$out" '[.[] | select(.event == "state")] | length == 1' \
	"one state line while healthy"
# Nobody reads the output any more: luna probe stops, status 1.
status=0
timeout 10 "$LUNA" probe --interval 200ms "$BASE/status/200" |
	head -2 >"$tmp/head.out" || status=${PIPESTATUS[0]}
[ "$status" -eq 1 ] || fail "closed stdout: exit status $status, expected 1"

# A fresh connection per probe by default; keepalive reuses one.
cat >"$tmp/keep.json" <<JSON
[{"name": "kept", "url": "$BASE/keep", "keepalive": true},
 {"name": "fresh", "url": "$BASE/keep"}]
JSON
run_for 1.3 TERM "$tmp/keep.out" --interval 200ms --config "$tmp/keep.json"
check "$out" '[.[] | select(.event == "probe" and .target == "fresh")] |
	length >= 3 and all(.ok and .connect_ms > 0)' \
	"fresh target connects every time"
check "$out" '[.[] | select(.event == "probe" and .target == "kept")] |
	length >= 3 and .[0].connect_ms > 0 and
	(.[1:] | all(.ok and .connect_ms == 0))' \
	"keepalive target reuses its connection"
echo "ok: probe run"
