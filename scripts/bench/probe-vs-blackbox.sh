#!/usr/bin/env bash
# Probe capacity of luna's engine beside the Prometheus blackbox
# exporter, both probing the same nginx-light target on loopback with
# a fresh connection per probe, in one run.
#   scripts/bench/probe-vs-blackbox.sh [SECONDS] [RATES]
# SECONDS per step [10]; RATES, probes/s luna is asked for, as targets
# at a 1 s interval ["1000 2500 4000 5000 7500 10000"]. A step is on
# schedule when no probe failed, no slot was skipped and the lag p99
# is at most 25 ms (2.5% of the interval). The exporter has no
# schedule of its own (Prometheus drives it), so wrk drives it flat
# out through /probe, as a busy Prometheus would, and its rate is what
# it sustains. CPU is user+sys of the prober's process only. Prints
# figures, then ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-10}
[ "$secs" -ge 4 ] || { echo "bench: at least 4 s per step" >&2; exit 2; }
rates=${2:-"1000 2500 4000 5000 7500 10000"}
scripts/setup bench
scripts/build >/dev/null
luna=$PWD/build/app/luna

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh

clk=$(getconf CLK_TCK)
echo "load before:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; $(nproc) cores)"

# The target: nginx-light, one worker, `return 200`.
nport=$(free_port)
start_nginx "$nport" || exit 1
target=http://127.0.0.1:$nport/

# error_counts FILE: "timeout 12, connect 3" from luna's probe lines.
error_counts() {
	{ grep -o '"error":"[a-z_]*"' "$1" || true; } | cut -d'"' -f4 |
		sort | uniq -c |
		awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}'
}

# probe_lines FILE: how many probe results FILE holds so far.
probe_lines() {
	grep -c '"event":"probe"' "$1" || true
}

# luna: RATE targets at 1 s for SECONDS. Rate and CPU are measured
# after a warm-up of 2 s (reading the targets, the first round's
# spread); lag and skipped slots come from the stop event.
luna_step() {
	local rate=$1 lpid t0 t1 n0 n1 s0 s1
	python3 -c '
import json, sys
n, url = int(sys.argv[1]), sys.argv[2]
json.dump({"targets": [{"name": "t%d" % i, "url": "%s?t=%d" % (url, i)}
                       for i in range(n)]}, sys.stdout)
' "$rate" "$target" >"$tmp/targets.json"
	"$luna" probe --config "$tmp/targets.json" --interval 1s \
		--timeout 900ms --log-format json >"$tmp/luna.out" &
	lpid=$!
	pids+=("$lpid")
	sleep 2
	s0=$(date +%s.%N) t0=$(cpu_ticks "$lpid") n0=$(probe_lines "$tmp/luna.out")
	sleep "$((secs - 2))"
	s1=$(date +%s.%N) t1=$(cpu_ticks "$lpid") n1=$(probe_lines "$tmp/luna.out")
	kill -TERM "$lpid"
	wait "$lpid" || true
	tail -n 5 "$tmp/luna.out" | jq -c --arg errors "$(error_counts \
	    "$tmp/luna.out")" --argjson rate "$rate" --argjson clk "$clk" \
	    --argjson n $((n1 - n0)) --argjson ticks $((t1 - t0)) \
	    --argjson wall "$(awk -v a="$s1" -v b="$s0" 'BEGIN {print a - b}')" '
		select(.event == "stop") | {rate: $rate, results,
		failures, skipped, lag_p99: .schedule_lag_ms.p99,
		lag_max: .schedule_lag_ms.max, errors: $errors,
		per_s: ($n / $wall),
		cpu_k: ($ticks / $clk * 1e6 / ([$n, 1] | max) | round)
		}' >>"$tmp/luna.steps"
	rm -f "$tmp/luna.out"
}

echo "target:            nginx-light, 1 worker, on 127.0.0.1:$nport"
echo "luna steps:        $secs s each, targets at a 1 s interval," \
	"fresh connection per probe"
: >"$tmp/luna.steps"
for rate in $rates; do
	luna_step "$rate"
	jq -r '"  asked \(.rate)/s: did \(.per_s | round)/s, " +
		"failed \(.failures)" +
		(if .errors != "" then " (\(.errors))" else "" end) +
		", skipped \(.skipped), lag p99 \(.lag_p99) ms " +
		"max \(.lag_max) ms, cpu \(.cpu_k) ms per 1,000 probes"' \
		<(tail -n 1 "$tmp/luna.steps")
done

# The blackbox exporter, driven through /probe by wrk.
bport=$(free_port)
cat >"$tmp/blackbox.yml" <<'YML'
modules:
  http_2xx:
    prober: http
    timeout: 2s
    http:
      preferred_ip_protocol: ip4
YML
prometheus-blackbox-exporter --config.file="$tmp/blackbox.yml" \
	--web.listen-address="127.0.0.1:$bport" --log.level=error \
	>"$tmp/blackbox.log" 2>&1 &
bpid=$!
pids+=("$bpid")
probe_url="http://127.0.0.1:$bport/probe?module=http_2xx&target=$target"
wait_http "$probe_url"
curl -fsS "$probe_url" | grep -q '^probe_success 1' ||
	{ echo "bench: the exporter's probe of nginx fails" >&2; exit 1; }
best_rate=0
best_cpu=0
for conns in 8 32; do
	before=$(cpu_ticks "$bpid")
	wrk -t2 -c"$conns" -d"${secs}s" "$probe_url" >"$tmp/wrk.out"
	after=$(cpu_ticks "$bpid")
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.out")
	total=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
	errors=$(awk '/Non-2xx|Socket errors/' "$tmp/wrk.out" | tr -s ' ')
	cpu_ms=$(awk -v t=$((after - before)) -v c="$clk" -v n="$total" \
		'BEGIN {printf "%.0f", t / c * 1000 / n * 1000}')
	echo "  exporter, $conns concurrent scrapes: ${rps%.*}/s, cpu $cpu_ms ms per 1,000 probes${errors:+, $errors}"
	if awk -v a="$rps" -v b="$best_rate" 'BEGIN {exit !(a > b)}'; then
		best_rate=${rps%.*}
		best_cpu=$cpu_ms
	fi
done
curl -fsS "$probe_url" | grep -q '^probe_success 1' ||
	echo "  (the exporter's probes failed during the run: figures suspect)"

# Summary: the best step of luna that stayed on schedule.
jq -rs --argjson bb "$best_rate" --argjson bbcpu "$best_cpu" '
	(map(select(.skipped == 0 and .lag_p99 <= 25 and .failures == 0))
	 | max_by(.per_s)) as $best |
	if $best == null then
		"luna on schedule:  no step stayed on schedule"
	else
		"luna on schedule:  \($best.per_s | round) probes/s (lag p99 \($best.lag_p99) ms)",
		"luna cpu:          \($best.cpu_k) ms per 1,000 probes",
		"exporter:          \($bb) probes/s at most, cpu \($bbcpu) ms per 1,000 probes",
		"ratio rate:        \($best.per_s / $bb * 10 | round / 10)x the exporter",
		"ratio cpu:         \($bbcpu / ([$best.cpu_k, 1] | max) * 10
			| round / 10)x less cpu per probe"
	end' "$tmp/luna.steps"
echo "load after:        $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine adds noise)"
