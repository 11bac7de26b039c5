#!/usr/bin/env bash
# The mock endpoint as real clients see it: statuses, mixes, latency,
# bodies, named endpoints, httpbin-style paths, keep-alive, and each
# fault with the error curl gives for it.
# shellcheck source=tests/integration/mock_lib.sh
. "$(dirname "$0")/mock_lib.sh"

start_mock main --listen 127.0.0.1:0
port=${URL##*:}

# code PATH [curl args...]: the status curl saw.
code() {
	local path=$1
	shift
	curl -s -m 5 -o /dev/null -w '%{http_code}' "$@" "$URL$path"
}

# curl_exit PATH [curl args...]: "EXIT MESSAGE" of a failing curl.
curl_exit() {
	local path=$1 rc=0 msg
	shift
	msg=$(curl -sS -o /dev/null "$@" "$URL$path" 2>&1) || rc=$?
	echo "$rc ${msg#curl: (*) }"
}

# --- healthy by default ---
check "healthz answers 200" 200 "$(code /healthz)"
headers=$(curl -s -m 5 -D - -o "$tmp/body" "$URL/mock")
check_has "mock answers 200" "HTTP/1.1 200" "$headers"
check_has "first state is change 1" "X-Luna-Change: 1" "$headers"
check "default body names the status" 200 "$(jq .status "$tmp/body")"
check "HEAD works" 200 "$(code /mock -I)"

# --- keep-alive: two requests in one curl command share a connection ---
trace=$(curl -sv -m 5 -o /dev/null -o /dev/null "$URL/mock" "$URL/mock" \
	2>&1)
check_has "second request reuses the connection" \
	"Re-using existing connection" "$trace"
case $trace in
*"Connection: close"*) fail "keep-alive: server said Connection: close" ;;
*) ok "keep-alive: no Connection: close" ;;
esac

# --- status and change ids ---
check "PUT status" "200" "$(put '{"status": 503}' -o /dev/null | tr -d ' ')"
headers=$(curl -s -m 5 -D - -o /dev/null "$URL/mock")
check_has "mock answers 503 after the change" "HTTP/1.1 503" "$headers"
check_has "change id follows" "X-Luna-Change: 2" "$headers"
logged '"event":"mock","change":2,"source":"api","endpoint":"default","status":503' \
	"$tmp/main.log" && ok "change logged as event mock" ||
	fail "no mock event for change 2: $(cat "$tmp/main.log")"

# --- a weighted mix: 30% 503 over 300 requests, on kept-alive connections ---
put '{"mix": {"503": 30, "200": 70}}' >/dev/null
codes=$(curl -s -m 20 -o /dev/null -w '%{http_code}\n' \
	"$URL/mock?n=[1-300]")
n503=$(grep -c 503 <<<"$codes" || true)
n200=$(grep -c 200 <<<"$codes" || true)
check "mix serves only its codes" 300 $((n503 + n200))
if [ "$n503" -ge 55 ] && [ "$n503" -le 125 ]; then
	ok "mix serves about 30% 503 ($n503 of 300)"
else
	fail "mix served $n503 of 300 as 503, expected about 90"
fi

# --- latency, held by suspension, not by threads ---
put '{"status": 200, "latency_ms": 400}' >/dev/null
t=$(curl -s -m 5 -o /dev/null -w '%{time_total}' "$URL/mock")
if awk -v t="$t" 'BEGIN { exit !(t >= 0.38 && t < 1.5) }'; then
	ok "latency 400 ms took ${t}s"
else
	fail "latency 400 ms took ${t}s"
fi
put '{"latency_ms": 1000}' >/dev/null
read -r n first _ last < <(python3 "$(dirname "$0")/concurrent.py" "$port" \
	500 /mock)
check "500 concurrent delayed requests all answered" 500 "$n"
if awk -v a="$first" -v b="$last" 'BEGIN { exit !(a >= 0.98 && b < 3) }'
then
	ok "500 concurrent 1 s requests answered from ${first}s to ${last}s"
else
	fail "500 concurrent 1 s requests answered from ${first}s to ${last}s"
fi
put '{"latency_ms": 0}' >/dev/null

# --- body, headers and named endpoints ---
put '{"body": "hello", "headers": {"X-Test": "yes", "Content-Type": "text/x-luna"}}' \
	>/dev/null
headers=$(curl -s -m 5 -D - -o "$tmp/body" "$URL/mock")
check "custom body" hello "$(cat "$tmp/body")"
check_has "custom header" "X-Test: yes" "$headers"
check_has "custom content type" "Content-Type: text/x-luna" "$headers"
put '{"endpoint": "api", "status": 418, "body": null, "headers": null}' >/dev/null
check "named endpoint has its own status" 418 "$(code /mock/api)"
check "default endpoint keeps its own" 200 "$(code /mock)"
check "unnamed endpoint follows the default" 200 "$(code /mock/web)"
check_has "named endpoint's change id" "X-Luna-Change: 8" \
	"$(curl -s -m 5 -D - -o /dev/null "$URL/mock/api")"

# --- httpbin-style paths and unknown paths ---
check "/status/418" 418 "$(code /status/418)"
check "/status weighted list" 503 "$(code /status/200:0,503:1)"
check "/status bad code" 400 "$(code /status/abc)"
t=$(curl -s -m 5 -o /dev/null -w '%{time_total}' "$URL/delay/0.3")
awk -v t="$t" 'BEGIN { exit !(t >= 0.29 && t < 1.5) }' &&
	ok "/delay/0.3 took ${t}s" || fail "/delay/0.3 took ${t}s"
check "/delay bad value" 400 "$(code /delay/soon)"

# Paths that parse to no code, or to no plain number, get 400 and JSON.
for codes in ',,' ',' '2xx' '503:30,,2xx'; do
	r=$(curl -s -m 5 -w ' %{http_code}' "$URL/status/$codes")
	check "/status/$codes answers 400" 400 "${r##* }"
	jq -e .error >/dev/null <<<"${r% *}" && ok "/status/$codes error is JSON" ||
		fail "/status/$codes error: $r"
done
check_has "/status/,, names the value" "bad status codes ',,'" \
	"$(curl -s -m 5 "$URL/status/,,")"
check_has "/status/2xx names a bad status code" "bad status code '2xx'" \
	"$(curl -s -m 5 "$URL/status/2xx")"
for secs in 1e9 0x2 -1 11 10.5 1.2.3 +1; do
	r=$(curl -s -m 5 -w ' %{http_code}' "$URL/delay/$secs")
	check "/delay/$secs answers 400" 400 "${r##* }"
	check_has "/delay/$secs names the value and range" \
		"bad delay '$secs': expected seconds from 0 to 10" "$r"
done
check "/delay/0 answers at once" 200 "$(code /delay/0)"
check "unknown path" 404 "$(code /nope)"

# --- faults, each as curl reports it ---
put '{"fault": "reset"}' >/dev/null
r=$(curl_exit /mock -m 5)
check_has "reset: curl exit 56, connection reset" \
	"56 Recv failure: Connection reset by peer" "$r"
put '{"fault": "close"}' >/dev/null
r=$(curl_exit /mock -m 5)
check_has "close: curl exit 52, empty reply" "52 Empty reply from server" "$r"
put '{"fault": "garbage"}' >/dev/null
r=$(curl_exit /mock -m 5)
case $r in
"1 Received HTTP/0.9 when not allowed"* | "8 Weird server reply"*)
	ok "garbage: curl says $r" ;;
*) fail "garbage: curl said '$r'" ;;
esac
put '{"fault": "truncate"}' >/dev/null
r=$(curl_exit /mock -m 5)
check_has "truncate: curl exit 18, bytes missing" \
	"18 transfer closed with 64 bytes remaining to read" "$r"
put '{"fault": "slow_body", "body": "0123456789"}' >/dev/null
t=$(curl -s -m 5 -o "$tmp/body" -w '%{time_starttransfer} %{time_total}' \
	"$URL/mock")
check "slow_body: whole body in the end" 0123456789 "$(cat "$tmp/body")"
awk -v a="${t% *}" -v b="${t#* }" 'BEGIN { exit !(a < 0.5 && b >= 0.85) }' &&
	ok "slow_body: first byte ${t% *}s, last ${t#* }s" ||
	fail "slow_body: timings $t"
r=$(curl_exit /mock -m 0.5)
check_has "slow_body under a short timeout: curl exit 28" \
	"28 Operation timed out" "$r"
put '{"fault": "hang"}' >/dev/null
r=$(curl_exit /mock -m 1)
check_has "hang: curl exit 28, timed out" "28 Operation timed out" "$r"
curl -s -m 1 -o /dev/null --parallel --parallel-max 100 "$URL/mock?n=[1-100]" \
	2>/dev/null || true
check "a hung mock still answers healthz" 200 "$(code /healthz)"
for _ in $(seq 1 50); do
	held=$(ss -Htn state established "( sport = :$port )" | wc -l)
	[ "$held" -eq 0 ] && break
	sleep 0.1
done
check "hung connections released once clients leave" 0 "$held"

# --- stop: SIGTERM with one request hung and 300 delayed ---
curl -s -m 10 -o /dev/null "$URL/mock" &
pids+=($!)
sleep 0.3
put '{"fault": "none", "latency_ms": 5000}' >/dev/null
python3 "$(dirname "$0")/concurrent.py" "$port" 300 /mock >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
stop_start=$(date +%s%N)
kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
stop_ms=$((($(date +%s%N) - stop_start) / 1000000))
if [ "$stop_ms" -lt 2000 ]; then
	ok "stopped in $stop_ms ms with requests held"
else
	fail "stopping took $stop_ms ms"
fi
check "SIGTERM: exit 0 with requests held" 0 "$rc"
check_has "stop line" '"event":"stop","reason":"signal","signal":"SIGTERM"' \
	"$(tail -n 3 "$tmp/main.log")"

finish
