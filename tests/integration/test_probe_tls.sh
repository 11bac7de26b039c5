#!/usr/bin/env bash
# TLS against a real HTTPS server on loopback: an untrusted certificate
# and a server that does not speak TLS fail as "tls"; "insecure" passes
# and measures the handshake on its own.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
command -v openssl >/dev/null || { echo "skip: openssl missing"; exit 77; }

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
start_server
plain=$PORT
start_tls_server "$tmp/cert.pem" "$tmp/key.pem"
https="https://127.0.0.1:$PORT"

out="$tmp/untrusted.json"
probe_once "$out" "$https/status/200"
expect_status 1 "self-signed certificate"
check "$out" 'map(select(.event == "probe"))[0] | .error == "tls" and
	(.error_detail | test("not trusted.*during the TLS handshake"))' \
	"untrusted certificate: tls"

out="$tmp/plain.json"
probe_once "$out" "https://127.0.0.1:$plain/status/200"
expect_status 1 "https to a plain server"
check "$out" 'map(select(.event == "probe"))[0] | .error == "tls" and
	(.error_detail | test("during the TLS handshake"))' \
	"no TLS on the other side: tls"

cat >"$tmp/insecure.json" <<JSON
[{"name": "self", "url": "$https/status/200", "insecure": true},
 {"name": "self-503", "url": "$https/status/503", "insecure": true}]
JSON
out="$tmp/insecure.out"
probe_once "$out" --config "$tmp/insecure.json"
expect_status 1 "one insecure target answers 503"
check "$out" 'map(select(.event == "probe" and .target == "self"))[0] |
	.ok and .status == 200 and .tls_ms > 0 and .connect_ms > 0 and
	.ttfb_ms >= .dns_ms + .connect_ms + .tls_ms' "insecure: ok, tls timed"
check "$out" 'map(select(.event == "probe" and .target == "self-503"))[0] |
	.error == "status"' "insecure: status still checked"
# A server that never answers the handshake: timeout, in that phase.
start_mute_server
out="$tmp/mute.json"
probe_once "$out" --timeout 500ms "https://127.0.0.1:$PORT/"
expect_status 1 "TLS handshake never answered"
check "$out" 'map(select(.event == "probe"))[0] | .error == "timeout" and
	(.error_detail | test("no answer within 500 ms, during the TLS handshake"))' \
	"handshake hang: timeout during the TLS handshake"
echo "ok: tls"
