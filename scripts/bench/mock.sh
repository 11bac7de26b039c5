#!/usr/bin/env bash
# Throughput of the mock beside nginx and python3 -m http.server, in the
# same run on this machine, then the mock with 1 s latency under 2,000
# connections. Needs wrk and nginx-light (scripts/setup bench) and a
# built luna (scripts/build). Every server listens on loopback only.
# Mockoon's CLI joins when npm can install it (once, into a cache
# outside the tree; LUNA_BENCH_MOCKOON=0 leaves it out).
#   scripts/bench/mock.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-10}
luna=${LUNA:-build/app/luna}
threads=2
conns=50
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh

for tool in wrk nginx python3 jq; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: '$tool' is missing: run scripts/setup bench" >&2
		exit 2
	}
done
[ -x "$luna" ] || { echo "bench: no '$luna': run scripts/build" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

wait_port() {
	local _
	for _ in $(seq 1 "${2:-100}"); do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		sleep 0.05
	done
	echo "bench: nothing listens on port $1" >&2
	return 1
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
start_nginx "$nginx_port" || exit 1

py_port=$(free_port)
echo ok >"$tmp/index.txt"
python3 -m http.server "$py_port" --bind 127.0.0.1 --directory "$tmp" \
	>/dev/null 2>&1 &
pids+=($!)
wait_port "$py_port" || exit 1

# Mockoon's CLI with one route, GET /mock answering 200, when npm has it.
start_mockoon() {
	local dir=${XDG_CACHE_HOME:-$HOME/.cache}/luna-bench/mockoon
	local cli=$dir/node_modules/.bin/mockoon-cli
	local id=5b1b4f2a-0000-4000-8000-00000000000
	mockoon_why="LUNA_BENCH_MOCKOON=0"
	[ "${LUNA_BENCH_MOCKOON:-1}" != 0 ] || return 1
	mockoon_why="no npm"
	command -v npm >/dev/null || return 1
	mockoon_why="npm could not install its CLI"
	if [ ! -x "$cli" ]; then
		mkdir -p "$dir"
		(cd "$dir" && timeout 300 npm install --no-audit --no-fund \
			@mockoon/cli@9.9.0 >"$tmp/npm.log" 2>&1) || return 1
	fi
	mockoon_why="its CLI did not start"
	mockoon_port=$(free_port)
	cat >"$tmp/mockoon.json" <<JSON
{"uuid": "${id}1", "lastMigration": 32, "name": "bench",
 "port": $mockoon_port, "hostname": "127.0.0.1", "endpointPrefix": "",
 "latency": 0, "folders": [], "cors": false, "headers": [],
 "proxyMode": false, "proxyHost": "", "proxyRemovePrefix": false,
 "proxyReqHeaders": [], "proxyResHeaders": [], "data": [], "callbacks": [],
 "tlsOptions": {"enabled": false, "type": "CERT", "pfxPath": "",
  "certPath": "", "keyPath": "", "caPath": "", "passphrase": ""},
 "rootChildren": [{"type": "route", "uuid": "${id}2"}],
 "routes": [{"uuid": "${id}2", "type": "http", "documentation": "",
  "method": "get", "endpoint": "mock", "responseMode": null,
  "streamingMode": null, "streamingInterval": 0,
  "responses": [{"uuid": "${id}3", "body": "ok", "latency": 0,
   "statusCode": 200, "label": "", "headers": [], "bodyType": "INLINE",
   "filePath": "", "databucketID": "", "sendFileAsBody": false,
   "rules": [], "rulesOperator": "OR", "disableTemplating": true,
   "fallbackTo404": false, "default": true, "crudKey": "id",
   "callbacks": []}]}]}
JSON
	"$cli" start -d "$tmp/mockoon.json" -p "$mockoon_port" -X \
		>/dev/null 2>&1 &
	pids+=($!)
	wait_port "$mockoon_port" 400
}
mockoon=no
start_mockoon && mockoon=yes

# --- fixed 200, keep-alive, wrk -t2 -c50 ---
echo "wrk -t$threads -c$conns -d${secs}s, $(nproc) CPUs, fixed 200:"
{
	run_wrk nginx "http://127.0.0.1:$nginx_port/"
	run_wrk luna "$mock_url/mock"
	run_wrk python-http.server "http://127.0.0.1:$py_port/index.txt"
	if [ "$mockoon" = yes ]; then
		run_wrk mockoon "http://127.0.0.1:$mockoon_port/mock"
	fi
} >"$tmp/table"
nginx_rps=$(awk '$1 == "nginx" { print $2 }' "$tmp/table")
awk -v base="$nginx_rps" '{
	printf "  %-20s %10.0f req/s  p99 %-9s  %.2f of nginx\n",
	    $1, $2, $3, $2 / base
}' "$tmp/table"
[ "$mockoon" = yes ] ||
	echo "  mockoon              not run ($mockoon_why)"

# --- 1 s latency, 2,000 connections: held by suspension, not threads ---
curl -s -m 5 -X PUT -H 'Content-Type: application/json' \
	-d '{"latency_ms": 1000}' "$mock_url/control" >/dev/null
rss_max=0
(
	while kill -0 "$luna_pid" 2>/dev/null; do
		ps -o rss= -p "$luna_pid" >>"$tmp/rss" || true
		sleep 0.5
	done
) &
pids+=($!)
# Twice as long: the first second only opens connections, and counts.
wrk -t"$threads" -c2000 -d"$((2 * secs))s" --timeout 5s --latency \
	"$mock_url/mock" >"$tmp/slow.wrk"
rss_max=$(sort -n "$tmp/rss" | tail -n 1)
echo "wrk -t$threads -c2000 -d$((2 * secs))s, latency 1000 ms:"
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
