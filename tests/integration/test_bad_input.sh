#!/usr/bin/env bash
# Bad input never crashes luna: each case below gets a one-line error
# that names the bad value, the documented exit status (2 for bad
# configuration), and never a signal death (status over 128) or a
# sanitizer report.
set -euo pipefail

: "${LUNA:?LUNA must name the luna binary}"

LUNA_SOURCE_DIR=${LUNA_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
# tmp, pids, fail and a cleanup on exit of what pids holds.
# shellcheck source=tests/integration/probe_lib.sh
. "$LUNA_SOURCE_DIR/tests/integration/probe_lib.sh"
cleanup_all() {
	local s
	for s in "$tmp"/tmux*.sock; do
		# The dashboard may have quit already: that is no failure,
		# and the cleanup below must run whatever happens here.
		[ -S "$s" ] || continue
		tmux -S "$s" kill-server 2>/dev/null || true
	done
	cleanup
}
trap cleanup_all EXIT

# run ARGS...: run luna (bounded) with stdin closed; sets $status and
# keeps stderr in $tmp/err.
run() {
	status=0
	timeout 20 "$LUNA" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || status=$?
}

# expect WANT NEEDLE WHAT: the last run exited WANT and said, on one
# line of stderr, something holding NEEDLE (the bad value).
expect() {
	local want=$1 needle=$2 what=$3 lines
	[ "$status" -le 128 ] || fail "$what: died with status $status"
	[ "$status" -ne 124 ] || fail "$what: hung"
	if grep -qE 'Sanitizer|runtime error|Segmentation' "$tmp/err"; then
		fail "$what: sanitizer report: $(head -c 600 "$tmp/err")"
	fi
	[ "$status" -eq "$want" ] ||
		fail "$what: exit $status, expected $want: $(cat "$tmp/err")"
	lines=$(wc -l <"$tmp/err")
	[ "$lines" -eq 1 ] ||
		fail "$what: expected one line of error, got $lines: $(cat "$tmp/err")"
	grep -qF -- "$needle" "$tmp/err" ||
		fail "$what: error does not name '$needle': $(cat "$tmp/err")"
	echo "ok: $what: $(cat "$tmp/err")"
}

url=http://127.0.0.1:9/

# Unknown flags and commands, in every mode that takes flags.
run probe --bogus "$url"
expect 2 "'--bogus'" "probe: unknown flag"
run probe --once --intervall 5s "$url"
expect 2 "'--intervall'" "probe: misspelt flag"
run mock --bogus
expect 2 "'--bogus'" "mock: unknown flag"
run ctl --bogus
expect 2 "'--bogus'" "ctl: unknown flag"
run bogus
expect 2 "'bogus'" "unknown command"
run --headless --bogus
headless=yes
if grep -q "not available in this build" "$tmp/err"; then
	headless=no
	echo "skip: headless cases (no headless mode in this build)"
else
	expect 2 "'--bogus'" "headless: unknown flag"
fi
run probe --once --interval
expect 2 "'--interval'" "flag without its value"

# Durations: no unit, a bad unit, negative, zero, absurdly long.
run probe --once --interval 5x "$url"
expect 2 "'5x'" "duration with a bad unit"
run probe --once --interval 5 "$url"
expect 2 "'5'" "duration without a unit"
run probe --once --interval=-1s "$url"
expect 2 "'-1s'" "negative duration"
run probe --once --timeout 0 "$url"
expect 2 "'0'" "zero timeout"
run probe --once --interval 9999h "$url"
expect 2 "'9999h'" "duration longer than a day"
run probe --once --interval 1ms "$url"
expect 2 "'1ms'" "interval that would hammer the target"
status=0
LUNA_TIMEOUT=soon timeout 20 "$LUNA" probe --once "$url" </dev/null \
	>"$tmp/out" 2>"$tmp/err" || status=$?
expect 2 "'soon'" "duration from the environment"

# Expect specs.
for spec in 2xy 600 300-200 99 '2xx,,301' 'abc'; do
	run probe --once --expect "$spec" "$url"
	expect 2 "'$spec'" "expect spec '$spec'"
done
run ctl status 99
expect 2 "'99'" "ctl status out of range"

# Config files: not JSON, wrong types, unknown fields, missing.
# bad_config NAME TEXT NEEDLE WHAT: a config file NAME.json holding TEXT
# is refused with an error naming NEEDLE ("@" stands for its path).
bad_config() {
	local file=$tmp/$1.json needle=$3
	printf '%b' "$2" >"$file"
	[ "$needle" = @ ] && needle=$file
	run probe --once --config "$file"
	expect 2 "$needle" "$4"
}
t='"url": "http://127.0.0.1:9/"'
bad_config broken '{"targets": [' @ "config that is not JSON"
bad_config binary '\xff\xfe\x00garbage' @ "config of binary junk"
bad_config types '{"targets": [{"url": 5}]}' "targets[0].url" \
	"config with a number for a URL"
bad_config interval "{\"targets\": [{$t, \"interval\": 5}]}" \
	"targets[0].interval" "config with a number for a duration"
bad_config notarray "{\"targets\": {$t}}" targets \
	"config with an object for the target list"
bad_config bool '{"interval": true, "targets": []}' interval \
	"config with a boolean for an option"
bad_config typo "{\"targets\": [{$t, \"timout\": \"1s\"}]}" timout \
	"config with a misspelt field"
bad_config string '"just a string"' @ "config that is a JSON string"
# A key given twice once leaked the first value (seen under ASan).
bad_config twice '{"fail_threshold": 5, "fail_threshold": 4, "interval": "5x"}' \
	"'5x'" "config with a key given twice"
# A back-reference in body_regex could take exponential time on the
# probe thread: refused when the file is read.
bad_config backref "[{$t, \"body_regex\": \"(a*)*\\\\\\\\1b\"}]" \
	"targets[0].body_regex" "config with a regex back-reference"
# Method and headers from the file are checked as --method is: no
# request-line or header injection.
bad_config method "[{$t, \"method\": \"G E T\"}]" "bad method 'G E T'" \
	"config with a method that is no HTTP token"
bad_config header "[{$t, \"headers\": {\"X\": \"a\\\\r\\\\nEvil: 1\"}}]" \
	"targets[0].headers" "config with a line break in a header value"
bad_config hname "[{$t, \"headers\": {\"Bad Name\": \"a\"}}]" \
	"'Bad Name'" "config with a header name that is no token"
bad_config head "[{$t, \"method\": \"HEAD\", \"body_contains\": \"ok\"}]" \
	"targets[0].body_contains" "config checking the body of a HEAD"
bad_config noname "[{$t, \"name\": \"\"}]" "targets[0].name: empty name" \
	"config with an empty name"
# A directory, a FIFO nobody writes to, a device without end: said at
# once, never read (a FIFO once blocked for ever).
mkdir "$tmp/dir.json"
run probe --once --config "$tmp/dir.json"
expect 2 "a directory" "config that is a directory"
mkfifo "$tmp/fifo.json"
run probe --once --config "$tmp/fifo.json"
expect 2 "not a regular file" "config that is a FIFO"
run probe --once --config /dev/zero
expect 2 "'/dev/zero': not a regular file" "config that is /dev/zero"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
run probe --once --config "$tmp/big.json"
expect 2 "over the 4 MiB limit" "config over 4 MiB"
python3 -c 'print("[" * 1200 + "]" * 1200)' >"$tmp/deep.json"
run probe --once --config "$tmp/deep.json"
expect 2 "nested over 1000 levels" "config nested too deep"
bad_config nul "[{$t, \"name\": \"a\\\\u0000b\"}]" "a NUL character" \
	"config with a NUL in a string"
run probe --once --config "$tmp/missing.json"
expect 2 "$tmp/missing.json" "config that does not exist"

# URLs: spaces, no scheme, another scheme, nothing at all.
run probe --once "http://exa mple.invalid/"
expect 2 "'http://exa mple.invalid/'" "URL with a space"
run probe --once "127.0.0.1:8080/health"
expect 2 "'127.0.0.1:8080/health'" "URL without a scheme"
run probe --once "ftp://127.0.0.1/"
expect 2 "'ftp://127.0.0.1/'" "URL with another scheme"
run probe --once --targets "http://127.0.0.1:9/a b"
expect 2 "'http://127.0.0.1:9/a b'" "target list URL with a space"
run probe --once "http:///x"
expect 2 "'http:///x': no host" "URL without a host"
run probe --once --targets ", ,"
expect 2 "', ,'" "target list with no URL"
run probe --once "=http://127.0.0.1:9/"
expect 2 "=http://127.0.0.1:9/" "target with an empty name"
run ctl --url "ftp://127.0.0.1:9" show
expect 2 "'ftp://127.0.0.1:9'" "mock URL with another scheme"
status=0
LUNA_MOCK_URL=127.0.0.1:9 timeout 20 "$LUNA" ctl show </dev/null \
	>"$tmp/out" 2>"$tmp/err" || status=$?
expect 2 "'127.0.0.1:9'" "mock URL without a scheme"

# A redirect to another scheme fails the probe as a protocol error; it
# is never followed (luna speaks HTTP only).
python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "ftp://127.0.0.1:9/x")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.timeout = 30
s.handle_request()
' >"$tmp/redirect.port" &
pids+=($!)
for _ in $(seq 50); do
	[ -s "$tmp/redirect.port" ] && break
	sleep 0.1
done
printf '{"targets": [{"url": "http://127.0.0.1:%s/", "follow_redirects": true}]}' \
	"$(cat "$tmp/redirect.port")" >"$tmp/redirect.json"
run probe --once --config "$tmp/redirect.json"
[ "$status" -eq 1 ] || fail "redirect to ftp: exit $status"
jq -se 'map(select(.event == "probe"))[0].error == "protocol"' "$tmp/out" \
	>/dev/null || fail "redirect to ftp: $(cat "$tmp/out")"
echo "ok: redirect to ftp:// is a protocol error, not followed"

# A port in use: luna says so and names the address.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >"$tmp/port" &
pids+=($!)
for _ in $(seq 50); do
	[ -s "$tmp/port" ] && break
	sleep 0.1
done
port=$(cat "$tmp/port")
[ -n "$port" ] || fail "could not hold a port"
run mock --listen "127.0.0.1:$port"
expect 1 "'127.0.0.1:$port'" "mock on a port in use"
grep -q "in use" "$tmp/err" || fail "port in use: cause not given"
if [ "$headless" = yes ]; then
	run --headless --mock-listen 127.0.0.1:0 \
		--status-listen "127.0.0.1:$port"
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
		fail "headless, status port in use: exit $status"
	expect "$status" "'127.0.0.1:$port'" \
		"headless with its status port in use"
fi
run mock --listen "127.0.0.1:99999"
expect 2 "'127.0.0.1:99999'" "mock on a port out of range"

# Stdout closed or full: results that cannot be written are not lost
# in silence.
"$LUNA" mock --listen 127.0.0.1:0 >"$tmp/mock.out" 2>"$tmp/mock.err" &
pids+=($!)
for _ in $(seq 50); do
	mock=$(jq -r 'select(.event == "start") | .url' "$tmp/mock.out" \
		2>/dev/null || true)
	[ -n "$mock" ] && break
	sleep 0.1
done
[ -n "$mock" ] || fail "mock did not start: $(cat "$tmp/mock.err")"
status=0
timeout 20 "$LUNA" probe --once "$mock/mock" >&- 2>"$tmp/err" || status=$?
expect 1 "stdout" "probe with stdout closed"
status=0
timeout 20 "$LUNA" probe --once "$mock/mock" >/dev/full 2>"$tmp/err" ||
	status=$?
expect 1 "stdout" "probe with stdout full"
# In a loop too: luna stops rather than probe for nobody, and says so.
status=0
timeout 20 "$LUNA" probe --interval 100ms "$mock/mock" >/dev/full \
	2>"$tmp/err" || status=$?
expect 1 "cannot write to stdout" "probe loop with stdout full"
status=0
timeout 20 "$LUNA" probe --interval 100ms "$mock/mock" >&- 2>"$tmp/err" ||
	status=$?
expect 1 "cannot write to stdout" "probe loop with stdout closed"
status=0
timeout 20 "$LUNA" --version >&- 2>"$tmp/err" || status=$?
expect 1 "stdout" "version with stdout closed"
status=0
timeout 20 "$LUNA" probe --once "$mock/mock" >"$tmp/out" 2>"$tmp/err" ||
	status=$?
[ "$status" -eq 0 ] || fail "the same probe with stdout open: exit $status"
if [ "$headless" = yes ]; then
	"$LUNA" --headless --mock-listen 127.0.0.1:0 \
		--status-listen 127.0.0.1:0 >&- 2>"$tmp/err" &
	hpid=$!
	pids+=("$hpid")
	sleep 2
	kill -TERM "$hpid" 2>/dev/null || true
	status=0
	wait "$hpid" || status=$?
	expect 1 "stdout" "headless with stdout closed"
fi

# The dashboard in a terminal of 1x1, with TERM unset or unknown: one
# line, no crash. Only where the dashboard is in this build.
if ! command -v tmux >/dev/null; then
	echo "skip: dashboard cases (no tmux)"
	exit 0
fi

# dashboard [ENV...]: start `env ENV... luna` in a tmux server of its
# own (a server just killed may still hold its socket); its stderr goes
# to dash.err and its exit status to dash.status.
nsessions=0
dashboard() {
	nsessions=$((nsessions + 1))
	sock=$tmp/tmux$nsessions.sock
	rm -f "$tmp/dash.status" "$tmp/dash.err"
	tmux -S "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"env $* '$LUNA' --mock-listen 127.0.0.1:0 2>'$tmp/dash.err'; \
		echo \"exit=\$?\" >'$tmp/dash.status'; sleep 30"
}

# wait_exit: until the dashboard has exited (5 s at most); sets $code.
wait_exit() {
	for _ in $(seq 50); do
		[ -s "$tmp/dash.status" ] && break
		sleep 0.1
	done
	code=$(sed -n 's/^exit=//p' "$tmp/dash.status" 2>/dev/null)
	if grep -qE 'Sanitizer|runtime error' "$tmp/dash.err"; then
		fail "$1: sanitizer report: $(head -c 600 "$tmp/dash.err")"
	fi
	[ -n "$code" ] || fail "$1: luna did not exit"
	[ "$code" -le 128 ] || fail "$1: died with status $code"
}

dashboard
sleep 2
if grep -q "not available in this build" "$tmp/dash.err" 2>/dev/null; then
	echo "skip: dashboard cases (no dashboard in this build)"
	exit 0
fi
tmux -S "$sock" kill-server 2>/dev/null || true

# 1x1: the dashboard says the terminal is too small, or draws nothing,
# but neither dies nor leaves a sanitizer report, and quits on q.
dashboard
tmux -S "$sock" resize-window -x 1 -y 1 2>/dev/null ||
	tmux -S "$sock" resize-pane -x 1 -y 1
sleep 2
tmux -S "$sock" resize-window -x 80 -y 24 2>/dev/null ||
	tmux -S "$sock" resize-pane -x 80 -y 24
sleep 1
[ ! -s "$tmp/dash.status" ] ||
	fail "1x1 terminal: the dashboard exited: $(cat "$tmp/dash.status" \
		"$tmp/dash.err")"
tmux -S "$sock" send-keys q
wait_exit "1x1 terminal"
[ "$code" -eq 0 ] || fail "1x1 terminal: quit gave exit $code"
echo "ok: dashboard survives a 1x1 terminal"

# TERM unset, and TERM naming a terminal nobody knows: exit 2 with one
# line naming TERM or its value.
said_one_line() {
	[ "$(wc -l <"$tmp/dash.err")" -eq 1 ] && grep -qF -- "$1" "$tmp/dash.err"
}
dashboard -u TERM
wait_exit "TERM unset"
if [ "$code" -ne 2 ] || ! said_one_line TERM; then
	fail "TERM unset: exit $code, said: $(cat "$tmp/dash.err")"
fi
echo "ok: TERM unset: $(cat "$tmp/dash.err")"
dashboard TERM=vt-nowhere
wait_exit "unknown TERM"
if [ "$code" -ne 2 ] || ! said_one_line "'vt-nowhere'"; then
	fail "unknown TERM: exit $code, said: $(cat "$tmp/dash.err")"
fi
echo "ok: unknown TERM: $(cat "$tmp/dash.err")"
