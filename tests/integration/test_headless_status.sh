#!/usr/bin/env bash
# The status server of luna --headless: /healthz, /metrics (checked by
# promtool, or the Prometheus client's parser where promtool is missing),
# /results, errors for other pages and methods, and `luna health`.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

log=$work/out.log
start_luna "$log" LUNA_INTERVAL=100ms LUNA_TIMEOUT=1s
wait_for_count "$log" '"event":"probe"' 4 10 || fail "no probe lines"
mock_put '{"status": 500}'
wait_for_count "$log" '"ok":false,"status":500' 2 10 || fail "no failed probe"
mock_put '{"status": 200}'
wait_for_count "$log" '"event":"probe"' 10 10 || fail "probes stopped"

# /healthz: 200 and a JSON verdict while the loop turns.
code=$(status_get /healthz -o "$work/healthz" -w '%{http_code}')
[ "$code" = 200 ] || fail "/healthz answered $code"
jq -e '.status == "ok" and (.heartbeat_age_ms | . >= 0 and . < 5000)
	and .stall_after_ms == 5000' "$work/healthz" >/dev/null ||
	fail "/healthz body: $(cat "$work/healthz")"

# /metrics: the text format, valid for promtool and Prometheus' parser.
status_get /metrics -D "$work/metrics.head" -o "$work/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$work/metrics.head" ||
	fail "/metrics content type: $(cat "$work/metrics.head")"
checked=
if command -v promtool >/dev/null; then
	promtool check metrics <"$work/metrics" ||
		fail "promtool rejects /metrics"
	checked=promtool
fi
if $PY -c 'import prometheus_client' 2>/dev/null; then
	$PY - "$work/metrics" <<'PYEOF' || fail "the Prometheus parser rejects /metrics"
import sys
from prometheus_client.parser import text_string_to_metric_families

families = {f.name: f for f in
            text_string_to_metric_families(open(sys.argv[1]).read())}
want = {"luna_probes": "counter", "luna_probe_duration_seconds": "histogram",
        "luna_target_up": "gauge", "luna_probe_last_status": "gauge",
        "luna_mock_requests": "counter"}
for name, kind in want.items():
    assert families[name].type == kind, (name, families[name].type)
PYEOF
	checked="$checked prometheus_client"
fi
[ -n "$checked" ] || { echo "SKIP: neither promtool nor prometheus_client"; exit 77; }

# The values agree with the log: counts by result, up, mock codes.
value() {
	awk -v k="$1" '$1 == k { print $2 }' "$work/metrics"
}
ok=$(value 'luna_probes_total{target="mock",result="ok"}')
st=$(value 'luna_probes_total{target="mock",result="status"}')
[ "${ok:-0}" -ge 5 ] || fail "luna_probes_total ok is '$ok'"
[ "${st:-0}" -ge 2 ] || fail "luna_probes_total status is '$st'"
[ "$(value 'luna_target_up{target="mock"}')" = 1 ] || fail "mock not up"
[ "$(value 'luna_probe_last_status{target="mock"}')" = 200 ] ||
	fail "last status is not 200"
m500=$(value 'luna_mock_requests_total{code="500"}')
[ "${m500:-0}" -ge 2 ] || fail "mock requests with 500: '$m500'"
count=$(value 'luna_probe_duration_seconds_count{target="mock"}')
inf=$(value 'luna_probe_duration_seconds_bucket{target="mock",le="+Inf"}')
if [ "$count" != "$inf" ] || [ "$count" -lt 7 ]; then
	fail "histogram count $count, +Inf bucket $inf"
fi

# /results: recent results per target as JSON, newest first.
status_get /results -o "$work/results"
jq -e '(.ts | type == "string") and (.targets | length == 1)
	and (.targets[0] | .target == "mock" and (.url | startswith("http"))
		and .state == "up" and .total >= 7 and .failures >= 2
		and (.recent | length >= 7)
		and (.recent | all(has("ok") and has("status") and has("seq")
			and has("duration_ms")))
		and .recent[0].seq > .recent[1].seq)' "$work/results" >/dev/null ||
	fail "/results: $(head -c 600 "$work/results")"

# Other pages and methods: JSON errors.
code=$(status_get /nope -o "$work/nope" -w '%{http_code}')
[ "$code" = 404 ] || fail "/nope answered $code"
jq -e '.error | type == "string"' "$work/nope" >/dev/null ||
	fail "/nope body: $(cat "$work/nope")"
code=$(status_get /healthz -X POST -o "$work/post" -w '%{http_code}')
[ "$code" = 405 ] || fail "POST /healthz answered $code"

# luna health: 0 here, also through a wildcard address; 1 elsewhere.
port=${status_addr##*:}
LUNA_STATUS_LISTEN=$status_addr "$LUNA" health || fail "luna health said no"
"$LUNA" health --listen "0.0.0.0:$port" ||
	fail "luna health cannot reach a wildcard listener over loopback"
closed=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if LUNA_STATUS_LISTEN=127.0.0.1:$closed "$LUNA" health 2>"$work/h.err"; then
	fail "luna health said yes for a closed port"
fi
grep -q "cannot reach" "$work/h.err" || fail "no reason given: $(cat "$work/h.err")"
LUNA_STATUS_LISTEN=nonsense "$LUNA" health 2>/dev/null && fail "bad address accepted"
[ $? -eq 2 ] || fail "a bad address does not exit 2"

# A server that accepts and never answers: no hang past the 2 s timeout.
$PY -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
end = time.time() + 20
while time.time() < end:
    s.settimeout(end - time.time())
    try:
        conns.append(s.accept()[0])
    except OSError:
        break
' >"$work/silent.port" &
extra_pids+=($!)
wait_for_line "$work/silent.port" '[0-9]' 5 || fail "no silent server"
t0=$(date +%s%N)
if "$LUNA" health --listen "127.0.0.1:$(cat "$work/silent.port")" 2>/dev/null; then
	fail "luna health said yes for a server that never answers"
fi
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$ms" -lt 1800 ] || [ "$ms" -gt 8000 ]; then
	fail "luna health took $ms ms, not its 2 s timeout"
fi

stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"
echo "ok: status server checked with $checked"
