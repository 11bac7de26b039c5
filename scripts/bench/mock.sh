#!/usr/bin/env bash
# Throughput of the mock beside nginx and python3 -m http.server, in the
# same run on this machine, then the mock with 1 s latency under 2,000
# connections. Needs wrk and nginx-light (scripts/setup bench) and a
# built luna (scripts/build). Every server listens on loopback only.
#   scripts/bench/mock.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-10}
luna=${LUNA:-build/app/luna}
threads=2
conns=50
tmp=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

for tool in wrk nginx python3 jq; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: '$tool' is missing: run scripts/setup bench" >&2
		exit 2
	}
done
[ -x "$luna" ] || { echo "bench: no '$luna': run scripts/build" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
	local _
	for _ in $(seq 1 100); do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		sleep 0.05
	done
	echo "bench: nothing listens on port $1" >&2
	exit 1
}

# run_wrk NAME URL: prints "NAME REQ_PER_S P99" and keeps the raw output.
run_wrk() {
	local out="$tmp/$1.wrk" rps p99
	wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$2" >"$out"
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p99=$(awk '$1 == "99%" { print $2 }' "$out")
	echo "$1 $rps $p99"
}

# --- the servers ---
"$luna" mock --listen 127.0.0.1:0 >"$tmp/luna.log" 2>&1 &
luna_pid=$!
pids+=("$luna_pid")
for _ in $(seq 1 100); do
	mock_url=$(jq -r 'select(.event == "start") | .url' "$tmp/luna.log" \
		2>/dev/null || true)
	[ -n "$mock_url" ] && break
	sleep 0.05
done
[ -n "$mock_url" ] || { cat "$tmp/luna.log" >&2; exit 1; }

nginx_port=$(free_port)
cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 4096; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$nginx_port;
		location / { return 200 "ok\n"; }
	}
}
CONF
/usr/sbin/nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx.err" &
pids+=($!)
wait_port "$nginx_port"

py_port=$(free_port)
echo ok >"$tmp/index.txt"
python3 -m http.server "$py_port" --bind 127.0.0.1 --directory "$tmp" \
	>/dev/null 2>&1 &
pids+=($!)
wait_port "$py_port"

# --- fixed 200, keep-alive, wrk -t2 -c50 ---
echo "wrk -t$threads -c$conns -d${secs}s, $(nproc) CPUs, fixed 200:"
{
	run_wrk nginx "http://127.0.0.1:$nginx_port/"
	run_wrk luna "$mock_url/mock"
	run_wrk python-http.server "http://127.0.0.1:$py_port/index.txt"
	if command -v mockoon-cli >/dev/null; then
		echo "mockoon - -"
	fi
} >"$tmp/table"
nginx_rps=$(awk '$1 == "nginx" { print $2 }' "$tmp/table")
awk -v base="$nginx_rps" '{
	printf "  %-20s %10.0f req/s  p99 %-9s  %.2f of nginx\n",
	    $1, $2, $3, $2 / base
}' "$tmp/table"
command -v mockoon-cli >/dev/null ||
	echo "  mockoon              not run (mockoon-cli not installed)"

# --- 1 s latency, 2,000 connections: held by suspension, not threads ---
curl -s -m 5 -X PUT -d '{"latency_ms": 1000}' "$mock_url/control" >/dev/null
rss_max=0
(
	while kill -0 "$luna_pid" 2>/dev/null; do
		ps -o rss= -p "$luna_pid" >>"$tmp/rss" || true
		sleep 0.5
	done
) &
pids+=($!)
wrk -t"$threads" -c2000 -d"${secs}s" --timeout 5s --latency \
	"$mock_url/mock" >"$tmp/slow.wrk"
rss_max=$(sort -n "$tmp/rss" | tail -n 1)
echo "wrk -t$threads -c2000 -d${secs}s, latency 1000 ms:"
awk -v rss="$rss_max" '
	/^Requests\/sec:/ { rps = $2 }
	$1 == "50%" { p50 = $2 }
	$1 == "99%" { p99 = $2 }
	/Socket errors/ { errors = $0 }
	END {
		printf "  luna %10.0f req/s  p50 %s  p99 %s  max RSS %.1f MB\n",
		    rps, p50, p99, rss / 1024
		if (errors != "") print "  " errors
	}' "$tmp/slow.wrk"
