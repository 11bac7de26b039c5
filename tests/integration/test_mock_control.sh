#!/usr/bin/env bash
# The control API's answers to good and bad requests, the bearer token,
# the refusal beyond loopback, and `luna ctl` with its exit statuses.
# shellcheck source=tests/integration/mock_lib.sh
. "$(dirname "$0")/mock_lib.sh"

# req METHOD PATH [curl args...]: "CODE BODY" of a control request, sent
# as JSON.
req() {
	local method=$1 path=$2
	shift 2
	curl -s -m 5 -X "$method" -H 'Content-Type: application/json' \
		-w ' %{http_code}' "$@" "$URL$path"
}

# ctl ARGS...: "EXIT|STDOUT|STDERR" of luna ctl against $URL.
ctl() {
	local rc=0 out
	out=$(LUNA_MOCK_URL=$URL "$LUNA" ctl "$@" 2>"$tmp/ctl.err") || rc=$?
	echo "$rc|$out|$(cat "$tmp/ctl.err")"
}

# --- luna mock's own command line ---
rc=0; "$LUNA" mock --help >"$tmp/help" || rc=$?
check "mock --help exits 0" 0 "$rc"
check_has "mock --help names the token" LUNA_CONTROL_TOKEN "$(cat "$tmp/help")"
rc=0; "$LUNA" mock --bogus 2>"$tmp/err" || rc=$?
check "mock with a bad option exits 2" 2 "$rc"
rc=0; "$LUNA" mock --listen nonsense:port 2>"$tmp/err" || rc=$?
check "mock with a bad address exits 2" 2 "$rc"
check_has "bad address is named" "'nonsense:port'" "$(cat "$tmp/err")"

start_mock main --listen 127.0.0.1:0
rc=0; "$LUNA" mock --listen "${URL#http://}" 2>"$tmp/err" || rc=$?
check "a port in use exits 1" 1 "$rc"
check_has "a port in use is said so" "address in use" "$(cat "$tmp/err")"
check_has "start line says control is open" '"control":"open"' \
	"$(head -n 1 "$tmp/main.log")"

# --- GET, PUT, reset, history ---
r=$(req GET /control)
check_has "GET /control" '"status":200' "$r"
check "GET /control answers 200" 200 "${r##* }"
r=$(req PUT /control -H 'X-Luna-Source: page' -d '{"status": 500}')
check_has "PUT /control applies" '"applied":2' "$r"
r=$(req GET /control/history)
check_has "history records the page as source" \
	'"change":2,"ts":' "$r"
check_has "history source" '"source":"page"' "$r"
logged '"event":"mock","change":2,"source":"page"' "$tmp/main.log" &&
	ok "change from the page logged" || fail "no page change logged"
r=$(req POST /control/reset)
check_has "reset" '"status":200' "$r"
logged '"event":"mock","change":3,"source":"api"' "$tmp/main.log" &&
	ok "reset logged" || fail "reset not logged"

# --- bad requests name the field ---
for case in \
	'{"status": 700}|status' \
	'{"latency_ms": -1}|latency_ms' \
	'{"fault": "boom"}|fault' \
	'{"mix": {"503": "x"}}|mix weight' \
	'{"colour": "red"}|colour' \
	'{"status": 503|bad JSON' \
	'not json|bad JSON'; do
	r=$(req PUT /control -d "${case%|*}")
	check "400 for ${case%|*}" 400 "${r##* }"
	check_has "error names ${case#*|}" "${case#*|}" "$r"
	jq -e .error >/dev/null <<<"${r% *}" && ok "error is JSON" ||
		fail "error not JSON: $r"
done
printf '{"body": "%s"}' "$(head -c 60000 /dev/zero | tr '\0' x)" >"$tmp/60k"
r=$(req PUT /control --data-binary @"$tmp/60k")
check "a 60 KB change is taken" 200 "${r##* }"
check "and served" 60000 "$(curl -s -m 5 "$URL/mock" | wc -c)"
req POST /control/reset >/dev/null
head -c 70000 /dev/zero | tr '\0' ' ' >"$tmp/big"
r=$(req PUT /control --data-binary @"$tmp/big")
check "413 over 64 KiB" 413 "${r##* }"
headers=$(curl -s -m 5 -X DELETE -D - -o /dev/null "$URL/control")
check_has "405 for DELETE /control" "HTTP/1.1 405" "$headers"
check_has "405 names what is allowed" "Allow: GET, PUT" "$headers"
headers=$(curl -s -m 5 -X POST -D - -o /dev/null "$URL/")
check_has "405 for POST /" "Allow: GET, HEAD" "$headers"
check "unknown control path" 404 "$(req GET /control/nope | tail -c 3)"
check "a scenario without steps is refused" 400 \
	"$(req POST /control/scenario -d '{}' | tail -c 3)"
check "page served" 200 "$(req GET / -o /dev/null | tr -d ' ')"

# --- another site's page in a browser cannot change the mock ---
req PUT /control -d '{"status": 502}' >/dev/null
r=$(curl -s -m 5 -X POST -H 'Origin: http://evil.example' \
	-H 'Content-Type: text/plain' -d x -w ' %{http_code}' \
	"$URL/control/reset")
check "a cross-origin reset gets 403" 403 "${r##* }"
check_has "and says why" "cross-origin control change refused" "$r"
r=$(req PUT /control -H 'Origin: http://evil.example' -d '{"status": 418}')
check "a cross-origin change gets 403" 403 "${r##* }"
r=$(curl -s -m 5 -X PUT -d '{"status": 418}' -w ' %{http_code}' \
	"$URL/control")
check "a change sent as a form gets 415" 415 "${r##* }"
jq -e .error >/dev/null <<<"${r% *}" && ok "415 body is JSON" ||
	fail "415 body: $r"
check "none of them changed anything" 502 \
	"$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")"
host=rebound.example:${URL##*:}
r=$(req PUT /control -H "Host: $host" -H "Origin: http://$host" \
	-d '{"status": 418}')
check "a change through a rebound name gets 403" 403 "${r##* }"
check_has "and names the Host" "Host '$host' is not a loopback" "$r"
r=$(req PUT /control -H "Origin: $URL" -d '{"status": 200}')
check "a change from the mock's own origin is taken" 200 "${r##* }"
check "a cross-origin read is answered" 200 \
	"$(req GET /control -H 'Origin: http://evil.example' | tail -c 3)"

# --- luna ctl ---
r=$(ctl status 503)
check_has "ctl status" "0|$URL/mock: status 503" "$r"
check "mock follows ctl" 503 \
	"$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")"
r=$(ctl mix 503=30)
check_has "ctl mix fills the rest with 200" "mix 503=30,200=70" "$r"
r=$(ctl mix 503=30,200=20)
check_has "ctl mix adds the rest to a 200 given" "mix 503=30,200=70" "$r"
r=$(ctl mix 503=0)
check_has "ctl mix 503=0 is all 200" "mix 503=0,200=100" "$r"
r=$(ctl mix 500=33.3,502=33.3,503=33.4)
check_has "ctl mix takes percentages adding up to 100" \
	"mix 500=33.3,502=33.3,503=33.4" "$r"
r=$(ctl mix 500=5,503=5)
check_has "ctl mix with two codes" "mix 500=5,503=5,200=90" "$r"
for case in \
	"503|expected CODE=PERCENT" \
	",,|expected CODE=PERCENT" \
	"503=30,|expected CODE=PERCENT" \
	"503=30,503=20|503 given twice" \
	"503=150|bad percentage '150'" \
	"503=60,500=50|the percentages add up to 110, over 100" \
	"503=0x2|bad percentage '0x2'" \
	"2xx=3|bad code '2xx'"; do
	r=$(ctl mix "${case%|*}")
	check_has "ctl mix ${case%|*} exits 2 naming it" \
		"2||luna ctl: bad mix '${case%|*}': ${case#*|}" "$r"
done
r=$(req GET /control)
check_has "refused mixes changed nothing" '"mix":{"500":5,"503":5,"200":90}' "$r"
# The API's weights are relative: 503 alone, whatever its weight, is all.
put '{"mix": {"503": 30}}' >/dev/null
n=0
for _ in $(seq 1 20); do
	[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")" = 503 ] &&
		n=$((n + 1))
done
check "mix {\"503\": 30} through the API answers 503 alone" 20 "$n"
r=$(ctl latency 250 50)
check_has "ctl latency" "latency 250 ms (jitter 50)" "$r"
r=$(ctl latency 1.5s)
check_has "ctl latency as a duration" "latency 1500 ms" "$r"
r=$(ctl --endpoint api fault close)
check_has "ctl fault on a named endpoint" "/mock/api: " "$r"
check_has "ctl fault" "fault close" "$r"
r=$(ctl body hello)
check_has "ctl body" "body 'hello'" "$r"
r=$(ctl show)
r=${r#0|}
check "ctl show prints the state as JSON" hello "$(jq -r .body <<<"${r%|}")"
r=$(ctl history)
check_has "ctl history lists changes" "api       default" "$r"
r=$(ctl reset)
check_has "ctl reset" "status 200, latency 0 ms, fault none" "$r"
r=$(ctl status 700)
check_has "ctl bad status exits 2" "2||luna ctl: bad status '700'" "$r"
r=$(ctl fault boom)
check_has "ctl bad fault exits 2" "2||luna ctl: bad fault 'boom'" "$r"
check_has "ctl without command exits 2" "2||" "$(ctl)"
check_has "ctl unknown command exits 2" "2||" "$(ctl frobnicate)"
check_has "ctl status without code exits 2" "2||" "$(ctl status)"
r=$(ctl status 502)
for name in '' 'a b' 'a/b'; do
	r=$(ctl --endpoint "$name" status 503)
	check_has "ctl --endpoint '$name' exits 2 naming it" \
		"2||luna ctl: bad endpoint '$name': expected up to 64" "$r"
done
check "a refused endpoint changed nothing" 502 \
	"$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")"
r=$(put '{"endpoint": "", "status": 503}')
check "an empty endpoint through the API gets 400" 400 "${r##* }"
check_has "and is named" "bad endpoint ''" "$r"
rc=0; "$LUNA" ctl --help >/dev/null || rc=$?
check "ctl --help exits 0" 0 "$rc"
rc=0
# A port nothing listens on: one the kernel just gave back.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LUNA_MOCK_URL=http://127.0.0.1:$closed "$LUNA" ctl show 2>"$tmp/err" || rc=$?
check "ctl against nothing exits 1" 1 "$rc"
check "unreachable is one line" 1 "$(wc -l <"$tmp/err")"
check_has "unreachable says so" "cannot reach the mock" "$(cat "$tmp/err")"

# --- ctl refuses what it cannot use, with exit 2 ---
for case in \
	"ftp://127.0.0.1:9|expected http://host:port" \
	"notaurl|expected http://host:port" \
	"http:///x|no host" \
	"$URL?x=1|a query or fragment" \
	"$URL/#top|a query or fragment"; do
	r=$(ctl --url "${case%|*}" show)
	check_has "ctl --url ${case%|*} exits 2" \
		"2||luna ctl: bad mock URL '${case%|*}': ${case#*|}" "$r"
done
for opt in --url --mock-url --endpoint --control-token; do
	check_has "ctl $opt without a value says so" \
		"2||luna ctl: option '$opt' needs a value" "$(ctl show "$opt")"
done
rc=0; "$LUNA" mock --listen 2>"$tmp/err" || rc=$?
check "mock --listen without a value exits 2" 2 "$rc"
check_has "and says so" "option '--listen' needs a value" "$(cat "$tmp/err")"
before=$(req GET /control/history)
for token in $'s3cret\r\nX-Evil: 1' $'a\nb' $'tab\there'; do
	r=$(ctl --control-token "$token" status 418)
	check_has "ctl refuses a token with a control character" \
		"2||luna ctl: bad control token: a control character" "$r"
done
check "a refused token sent nothing" "$before" "$(req GET /control/history)"
rc=0
LUNA_CONTROL_TOKEN=$'a\r\nb' "$LUNA" mock --listen 127.0.0.1:0 \
	>/dev/null 2>"$tmp/err" || rc=$?
check "mock refuses such a token with exit 2" 2 "$rc"

# --- a reply too large for a control API is called so ---
python3 - >"$tmp/big.port" <<'PY' &
import http.server, sys

class Big(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b" " * (17 * 1024 * 1024) + b"{}")
    def log_message(self, *args):
        pass

s = http.server.HTTPServer(("127.0.0.1", 0), Big)
print(s.server_address[1], flush=True)
s.timeout = 30
s.handle_request()
PY
pids+=($!)
for _ in $(seq 1 100); do [ -s "$tmp/big.port" ] && break; sleep 0.05; done
r=$(ctl --url "http://127.0.0.1:$(cat "$tmp/big.port")" show)
check_has "ctl names an oversized reply" "reply over 16 MiB" "$r"
check_has "and exits 1" "1||" "$r"

# --- the largest state a mock holds still fits a reply ---
body=$(head -c 60000 /dev/zero | tr '\0' x)
for i in $(seq 1 63); do
	put "{\"endpoint\": \"e$i\", \"body\": \"$body\"}" >/dev/null
done
r=$(ctl show)
check "ctl show reads 63 endpoints of 60 KB each" 63 \
	"$(r=${r#0|}; jq '.endpoints | length' <<<"${r%|}")"
req POST /control/reset >/dev/null
main_url=$URL

# --- a token ---
LUNA_CONTROL_TOKEN=s3cret start_mock token --listen 127.0.0.1:0
check_has "start line says a token is needed" '"control":"token"' \
	"$(head -n 1 "$tmp/token.log")"
headers=$(curl -s -m 5 -D - "$URL/control")
check_has "401 without a token" "HTTP/1.1 401" "$headers"
check_has "401 asks for a bearer token" "WWW-Authenticate: Bearer" "$headers"
r=$(req GET /control -H 'Authorization: Bearer wrong')
check "401 with a wrong token" 401 "${r##* }"
r=$(req PUT /control -H 'Authorization: Bearer s3cret' -d '{"status": 502}')
check "200 with the token" 200 "${r##* }"
r=$(ctl status 504)
check_has "ctl without the token exits 1" "1||luna ctl: " "$r"
check_has "ctl tells 401" "401" "$r"
r=$(LUNA_CONTROL_TOKEN=s3cret ctl status 504)
check_has "ctl with the token" "0|$URL/mock: status 504" "$r"

# --- beyond loopback without a token: endpoint yes, changes no ---
# (bound on every address, but every request here goes to 127.0.0.1)
start_mock open --listen 0.0.0.0:0
check_has "start line says changes are refused" '"control":"refused"' \
	"$(head -n 1 "$tmp/open.log")"
check_has "and a warning says why" "LUNA_CONTROL_TOKEN" \
	"$(sed -n 2p "$tmp/open.log")"
r=$(req PUT /control -d '{"status": 500}')
check "403 for changes" 403 "${r##* }"
jq -e .error >/dev/null <<<"${r% *}" && ok "403 body is JSON" ||
	fail "403 body: $r"
check "GET still allowed" 200 "$(req GET /control | tail -c 3)"
check "the endpoint still serves" 200 \
	"$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")"
check_has "ctl refused exits 1" "1||" "$(ctl reset)"

# --- LUNA_MOCK_LISTEN ---
LUNA_MOCK_LISTEN=127.0.0.1:0 start_mock env
check_has "LUNA_MOCK_LISTEN is read" '"listen":"127.0.0.1:0"' \
	"$(head -n 1 "$tmp/env.log")"
URL=$main_url

# --- SIGINT stops as SIGTERM does, with the same stop line as probe's ---
kill -INT "$PID"
rc=0; wait "$PID" || rc=$?
check "mock exits 0 on SIGINT" 0 "$rc"
stop='select(.event == "stop") | "\(.reason) \(.signal) \(.exit_code)"'
check "the stop line gives reason and signal" "signal SIGINT 0" \
	"$(jq -r "$stop" "$tmp/env.log")"

finish
