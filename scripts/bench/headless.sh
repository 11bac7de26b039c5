#!/usr/bin/env bash
# Cost of headless mode as ECS runs it: N targets (default 200) on the
# bundled mock at a 1 s interval for D seconds (default 30), JSON lines
# to a file. Prints CPU, peak memory, lines per second, how long
# /metrics and /results take to answer and their size, and how long a
# SIGTERM takes to stop it.
#   scripts/bench/headless.sh [TARGETS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

ntargets=${1:-200}
secs=${2:-30}
scripts/setup
scripts/build >/dev/null
luna=build/app/luna

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
mock_port=$(port)
status_port=$(port)
targets=
for i in $(seq 1 "$ntargets"); do
	targets+="${targets:+,}t$i=http://127.0.0.1:$mock_port/mock"
done

LUNA_TARGETS=$targets LUNA_MOCK_LISTEN=127.0.0.1:$mock_port \
	LUNA_STATUS_LISTEN=127.0.0.1:$status_port LUNA_INTERVAL=1s \
	LUNA_SUMMARY_INTERVAL=10s "$luna" --headless >"$tmp/out.log" &
pid=$!
sleep "$secs"

# Pages of the status server: best of five, and their size.
page() {
	local best=999999 t i

	for i in 1 2 3 4 5; do
		t=$(curl -sS --noproxy '*' -o "$tmp/page" -w '%{time_total}' \
			"http://127.0.0.1:$status_port$1")
		t=$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000000 }')
		[ "$t" -lt "$best" ] && best=$t
	done
	printf '%-10s %6d us  %7d bytes\n' "$1" "$best" "$(wc -c <"$tmp/page")"
}
page /healthz
page /metrics
page /results

read -r utime stime < <(awk '{ print $14, $15 }' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
stop_ms=$((($(date +%s%N) - t0) / 1000000))
pid=
lines=$(wc -l <"$tmp/out.log")
probes=$(grep -c '"event":"probe"' "$tmp/out.log")
bad=$(grep -c '"ok":false' "$tmp/out.log" || true)

echo "targets:        $ntargets at 1 s for $secs s"
echo "probes:         $probes ($bad failed)"
echo "lines/s:        $((lines / secs))"
awk -v u="$utime" -v s="$stime" -v hz="$hz" -v d="$secs" 'BEGIN {
	printf "cpu:            %.1f %% of one core (user+sys, mock included)\n",
		100 * (u + s) / hz / d }'
echo "peak RSS:       $((rss / 1024)) MiB"
echo "stop (SIGTERM): $stop_ms ms"
