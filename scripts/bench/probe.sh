#!/usr/bin/env bash
# Schedule lag and CPU of the probe engine: N targets (default 200) at
# a 1 s interval against a local server for D seconds (default 60).
#   scripts/bench/probe.sh [TARGETS] [SECONDS]
# The server is nginx-light answering `return 200` on a loopback port
# (the python test server when nginx is absent). Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

ntargets=${1:-200}
secs=${2:-60}
scripts/setup bench
scripts/build >/dev/null
luna=build/app/luna

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh

start_python() {
	python3 tests/integration/probe_server.py --lifetime $((secs + 60)) \
		>"$tmp/server.out" &
	pids+=($!)
	sleep 0.5
	port=$(awk '/^PORT/ {print $2}' "$tmp/server.out")
}

# Start a server and wait until it answers.
if command -v nginx >/dev/null; then
	server=nginx-light
	port=$(free_port)
	start_nginx "$port" || exit 1
	path=/
else
	server="python test server"
	start_python
	path=/status/200
fi
for _ in $(seq 50); do
	curl -fsS "http://127.0.0.1:$port$path" >/dev/null 2>&1 && break
	sleep 0.1
done

targets=
for i in $(seq "$ntargets"); do
	targets+="${targets:+,}t$i=http://127.0.0.1:$port$path?t=$i"
done

clk=$(getconf CLK_TCK)
LUNA_TARGETS=$targets "$luna" probe --interval 1s --timeout 900ms \
	--log-format json >"$tmp/out.json" &
lpid=$!
pids+=("$lpid")
sleep "$secs"
ticks=$(cpu_ticks "$lpid")
rss_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$lpid/status")
kill -TERM "$lpid"
wait "$lpid"

jq -rs --arg server "$server" --argjson n "$ntargets" \
	--argjson secs "$secs" --argjson ticks "$ticks" \
	--argjson clk "$clk" --argjson rss "$rss_kb" '
	(map(select(.event == "stop"))[0]) as $stop |
	(map(select(.event == "probe"))) as $p |
	"server:            \($server) on loopback",
	"targets:           \($n) at 1 s for \($secs) s",
	"results:           \($p | length) (expected about \($n * $secs)), failed \($stop.failures)",
	"slots skipped:     \($stop.skipped)",
	"schedule lag ms:   p50 \($stop.schedule_lag_ms.p50)  p99 \($stop.schedule_lag_ms.p99)  max \($stop.schedule_lag_ms.max)  (1 ms resolution)",
	"probe duration ms: p50 \($p | map(.duration_ms) | sort | .[length / 2 | floor])  p99 \($p | map(.duration_ms) | sort | .[length * 0.99 | floor])",
	"cpu:               \($ticks / $clk * 100 / $secs * 10 | round / 10) % of one core (\($ticks / $clk) s user+sys)",
	"peak rss:          \($rss / 1024 * 10 | round / 10) MiB"
' "$tmp/out.json"
