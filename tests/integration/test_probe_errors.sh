#!/usr/bin/env bash
# Every error kind against a real loopback server: the right "error",
# a detail that names the phase, and exit status 1.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
start_server

# kind_of PATH KIND DETAIL-REGEX [luna options...]
kind_of() {
	local path=$1 kind=$2 detail=$3
	shift 3
	out="$tmp/$kind-${path//\//_}.json"
	probe_once "$out" --timeout 700ms "$@" "$BASE$path"
	expect_status 1 "$path"
	check "$out" "map(select(.event == \"probe\"))[0] |
		.ok == false and .error == \"$kind\" and
		(.error_detail | test(\"$detail\"))" "$path: expected $kind"
}

kind_of /hang timeout 'no answer within 700 ms, while waiting for the response'
check "$out" 'map(select(.event == "probe"))[0] |
	.duration_ms >= 690 and .duration_ms < 3000 and .status == 0' \
	"timeout: duration close to the timeout"
kind_of /stall timeout 'timed out after 700 ms with [0-9]+ bytes received, while reading the response body'
check "$out" 'map(select(.event == "probe"))[0] | .status == 200 and
	.bytes == 10' "stalled body: status and bytes so far"
kind_of /reset reset 'reset by peer after 0 bytes, while waiting'
kind_of /reset-mid reset 'reset by peer after [0-9]+ bytes, while reading the response body'
kind_of /close empty 'closed without a reply, while waiting for the response'
kind_of /truncate protocol 'cut short: 10 of 100 body bytes'
kind_of /garbage protocol 'malformed response'
kind_of /badchunk protocol 'malformed response.*chunked'
kind_of /large/3000000 too_large 'over the 1048576-byte cap'
check "$out" 'map(select(.event == "probe"))[0] | .bytes == 1048576 and
	.status == 200' "too_large: bytes capped, status kept"
kind_of /status/503 status 'status 503, expected 200-299'
# An interim 100 alone is no answer yet; huge headers are said so.
kind_of /continue timeout 'timed out after 700 ms with 25 bytes received, while reading the response headers'
check "$out" 'map(select(.event == "probe"))[0].status == 0' \
	"interim answer: no status"
kind_of /bighead protocol 'response headers too large .*, while reading the response headers'

# Redirects are followed only when a target asks, up to its limit.
cat >"$tmp/loop.json" <<JSON
{"targets": [{"name": "loop", "url": "$BASE/loop", "follow_redirects": 4}]}
JSON
out="$tmp/loop.out"
probe_once "$out" --config "$tmp/loop.json"
expect_status 1 "redirect loop"
check "$out" 'map(select(.event == "probe"))[0] | .error == "redirects" and
	(.error_detail | test("more than 4 redirects"))' "redirect loop"
kind_of /loop status 'status 302'

# A redirect that fails names where it led and how far that hop got,
# not the first address and the first answer's phase.
gone=$(closed_port)
cat >"$tmp/to.json" <<JSON
[{"name": "gone", "url": "$BASE/to/$gone/x", "follow_redirects": true},
 {"name": "hang", "url": "$BASE/to/$PORT/hang", "follow_redirects": true,
  "timeout": "700ms"}]
JSON
out="$tmp/to.out"
probe_once "$out" --config "$tmp/to.json"
expect_status 1 "failed redirects"
check "$out" 'map(select(.event == "probe" and .target == "gone"))[0] |
	.error == "connect" and .error_detail ==
	"connection refused by 127.0.0.1:'"$gone"', while connecting"' \
	"redirect to a closed port"
check "$out" 'map(select(.event == "probe" and .target == "hang"))[0] |
	.error == "timeout" and .error_detail ==
	"no answer within 700 ms, while waiting for the response"' \
	"redirect to a server that never answers"

# Nobody listens: connect. A reserved name that never resolves: dns.
port=$(closed_port)
out="$tmp/closed.json"
probe_once "$out" "http://127.0.0.1:$port/"
expect_status 1 "closed port"
check "$out" "map(select(.event == \"probe\"))[0] | .error == \"connect\" and
	(.error_detail | test(\"refused by 127.0.0.1:$port, while connecting\"))" \
	"closed port: connect"
out="$tmp/dns.json"
probe_once "$out" "http://luna-test.invalid/"
expect_status 1 "unresolvable host"
check "$out" 'map(select(.event == "probe"))[0] | .error == "dns" and
	(.error_detail | test("luna-test.invalid.*resolving the host name")) and
	.connect_ms == 0' "invalid host: dns"
echo "ok: every error kind"
