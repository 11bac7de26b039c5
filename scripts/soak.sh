#!/usr/bin/env bash
# Soak: luna under steady load for a bounded time, checked as it runs.
#   scripts/soak.sh [MINUTES]      [3; at most 120]
# One `luna mock` on loopback takes wrk load on three endpoints while
# `luna ctl` flips it without pause: /mock is flipped between statuses
# (200, 500, 503, 404, a 503/200 mix, latencies), /mock/faulty between
# faults, /mock/steady never. `luna probe` watches steady with 50
# targets at 1 s, and the dashboard runs in tmux when this build has
# one. Passes when no request failed but those the mock was told to
# fail, every flip was applied, every probe passed on schedule (no
# slot skipped, lag p99 at most 50 ms) and resident memory stayed flat
# (the last sample within 10% or 4 MiB of the one after warm-up).
# Prints the figures; exits 1 when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-3}
case $minutes in
''|*[!0-9]*|0) echo "soak: bad minutes '$minutes'" >&2; exit 2 ;;
esac
[ "$minutes" -le 120 ] || { echo "soak: at most 120 minutes" >&2; exit 2; }
secs=$((minutes * 60))
scripts/setup test bench
scripts/build >/dev/null
luna=$PWD/build/app/luna

tmp=$(mktemp -d)
pids=()
sock=$tmp/tmux.sock
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	tmux -S "$sock" kill-server 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
failed=0
check() {
	if [ "$1" = ok ]; then
		echo "ok:    $2"
	else
		echo "FAIL:  $2"
		failed=1
	fi
}
rss_kb() {
	awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

echo "load before:  $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores, shared)"

# The mock, on a free port.
"$luna" mock --listen 127.0.0.1:0 >"$tmp/mock.log" 2>"$tmp/mock.err" &
mock_pid=$!
pids+=("$mock_pid")
for _ in $(seq 50); do
	url=$(jq -r 'select(.event == "start") | .url' "$tmp/mock.log" \
		2>/dev/null || true)
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "soak: mock did not start" >&2; exit 1; }
ctl() { "$luna" ctl --url "$url" "$@" >/dev/null; }
ctl --endpoint steady status 200
ctl --endpoint faulty status 200

# Probes of the steady endpoint.
targets=
for i in $(seq 50); do
	targets+="${targets:+,}s$i=$url/mock/steady?t=$i"
done
LUNA_TARGETS=$targets "$luna" probe --interval 1s --timeout 900ms \
	--log-format json >"$tmp/probe.log" 2>"$tmp/probe.err" &
probe_pid=$!
pids+=("$probe_pid")

# The dashboard, where this build has one, driving the same mock.
dash_pid=
tmux -S "$sock" -f /dev/null new-session -d -x 120 -y 40 \
	"LUNA_MOCK_URL='$url' LUNA_TARGETS='$url/mock/steady' '$luna' \
	2>'$tmp/dash.err'; echo \"exit=\$?\" >'$tmp/dash.status'; sleep 600"
sleep 2
if grep -q "not available" "$tmp/dash.err" 2>/dev/null ||
    [ -s "$tmp/dash.status" ]; then
	echo "dashboard:    not in this build, or it exited: $(head -c 200 \
		"$tmp/dash.err" 2>/dev/null)"
	tmux -S "$sock" kill-server 2>/dev/null || true
else
	dash_pid=$(pgrep -P "$(tmux -S "$sock" display -p '#{pane_pid}')" \
		-f "$luna" | head -n 1 || true)
	echo "dashboard:    running in tmux (pid ${dash_pid:-?})"
fi

# wrk, counting every status it sees.
cat >"$tmp/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body)
	counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		for k, v in pairs(t:get("counts")) do
			total[k] = (total[k] or 0) + v
		end
	end
	for k, v in pairs(total) do io.write(("status %d %d\n"):format(k, v)) end
	local e = summary.errors
	io.write(("errors %d\n"):format(e.connect + e.read + e.write + e.timeout))
	io.write(("requests %d\n"):format(summary.requests))
	io.write(("p99_ms %.1f\n"):format(latency:percentile(99) / 1000))
end
LUA
load() {
	wrk -t1 -c"$2" -d"${secs}s" --timeout 5s -s "$tmp/count.lua" \
		"$url/mock$1" >"$tmp/wrk$3.out" 2>&1 &
	pids+=($!)
}
load /steady 16 steady
load "" 16 flipped
load /faulty 4 faulty

# Flips through the control API until the time is up; RSS samples.
flips=0
flip_fail=0
declare -a rss_mock rss_probe rss_dash
start=$(date +%s)
next_sample=$start
i=0
while [ $(($(date +%s) - start)) -lt "$secs" ]; do
	case $((i % 8)) in
	0) args=(status 503) ;;
	1) args=(status 500) ;;
	2) args=(mix "503=30") ;;
	3) args=(latency 20 10) ;;
	4) args=(status 404) ;;
	5) args=(reset) ;;
	6) args=(latency 0) ;;
	7) args=(status 200) ;;
	esac
	faults=(reset close truncate garbage slow_body none)
	if ctl "${args[@]}" &&
	    ctl --endpoint faulty fault "${faults[$((i % 6))]}"; then
		flips=$((flips + 2))
	else
		flip_fail=$((flip_fail + 1))
	fi
	# A reset drops the named endpoints: steady is made again at once
	# (meanwhile it follows the default, which a reset made healthy).
	if [ "${args[0]}" = reset ]; then
		ctl --endpoint steady status 200 || flip_fail=$((flip_fail + 1))
		ctl --endpoint faulty status 200 || flip_fail=$((flip_fail + 1))
	fi
	if [ "$(date +%s)" -ge "$next_sample" ]; then
		rss_mock+=("$(rss_kb "$mock_pid")")
		rss_probe+=("$(rss_kb "$probe_pid")")
		[ -n "$dash_pid" ] && rss_dash+=("$(rss_kb "$dash_pid")")
		next_sample=$((next_sample + secs / 10 + 1))
	fi
	i=$((i + 1))
	sleep 0.1
done
rss_mock+=("$(rss_kb "$mock_pid")")
rss_probe+=("$(rss_kb "$probe_pid")")
[ -n "$dash_pid" ] && rss_dash+=("$(rss_kb "$dash_pid")")
sleep 2
wait "${pids[@]:2}" 2>/dev/null || true
kill -TERM "$probe_pid"
wait "$probe_pid" || true

echo "ran:          $minutes min, $flips flips through the control API"
for w in steady flipped faulty; do
	awk -v w="$w" '
		/^status/ {s = s " " $2 ":" $3}
		/^errors/ {e = $2} /^requests/ {n = $2} /^p99_ms/ {p = $2}
		END {printf "wrk %-8s %d requests (%.0f/s), p99 %s ms, socket errors %d, statuses%s\n",
			w ":", n, n / '"$secs"', p, e, s}' "$tmp/wrk$w.out"
done
jq -rs 'map(select(.event == "stop"))[0] as $s |
	"probes:       \($s.results) results, \($s.failures) failed, \($s.skipped) skipped, lag p50 \($s.schedule_lag_ms.p50) p99 \($s.schedule_lag_ms.p99) max \($s.schedule_lag_ms.max) ms"' \
	"$tmp/probe.log"
echo "rss mock:     ${rss_mock[*]} KiB"
echo "rss probe:    ${rss_probe[*]} KiB"
[ -n "$dash_pid" ] && echo "rss dash:     ${rss_dash[*]} KiB"

# The checks.
[ "$flip_fail" -eq 0 ] && r=ok || r=no
check "$r" "every flip was applied ($flip_fail refused or failed)"
awk '/^errors/ {e = $2} /^status/ && $2 != 200 {b += $3}
	END {exit !(e == 0 && b == 0)}' "$tmp/wrksteady.out" && r=ok || r=no
check "$r" "steady endpoint: no failed request"
awk '/^errors/ {e = $2}
	/^status/ && $2 != 200 && $2 != 500 && $2 != 503 && $2 != 404 {b += $3}
	END {exit !(e == 0 && b == 0)}' "$tmp/wrkflipped.out" && r=ok || r=no
check "$r" "flipped endpoint: only the statuses it was told to give"
awk '/^requests/ {exit !($2 > 0)}' "$tmp/wrkfaulty.out" && r=ok || r=no
check "$r" "faulty endpoint: still served between faults"
jq -se 'map(select(.event == "stop"))[0] |
	.failures == 0 and .skipped == 0 and .schedule_lag_ms.p99 <= 50' \
	"$tmp/probe.log" >/dev/null && r=ok || r=no
check "$r" "probes all passed, on schedule"
kill -0 "$mock_pid" 2>/dev/null && r=ok || r=no
check "$r" "mock still running"
if [ -n "$dash_pid" ]; then
	kill -0 "$dash_pid" 2>/dev/null && r=ok || r=no
	check "$r" "dashboard still running"
	tmux -S "$sock" capture-pane -p >"$tmp/screen.txt" 2>/dev/null || true
	grep -q "mock/steady" "$tmp/screen.txt" && r=ok || r=no
	check "$r" "dashboard still shows the steady target"
fi
flat() {
	local base=${2:-0} last=${*: -1}
	awk -v b="$base" -v l="$last" 'BEGIN {exit !(l <= b * 1.1 || l <= b + 4096)}'
}
flat "${rss_mock[@]}" && r=ok || r=no
check "$r" "mock memory flat (${rss_mock[1]:-?} KiB after warm-up, ${rss_mock[-1]} KiB at the end)"
flat "${rss_probe[@]}" && r=ok || r=no
check "$r" "probe memory flat (${rss_probe[1]:-?} KiB after warm-up, ${rss_probe[-1]} KiB at the end)"
if [ -n "$dash_pid" ]; then
	flat "${rss_dash[@]}" && r=ok || r=no
	check "$r" "dashboard memory flat"
fi
grep -E 'Sanitizer|runtime error' "$tmp"/*.err && failed=1
echo "load after:   $(cut -d' ' -f1-3 /proc/loadavg)"
exit $failed
