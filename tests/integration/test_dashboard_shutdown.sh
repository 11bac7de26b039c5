#!/usr/bin/env bash
# How the dashboard stops: q, SIGTERM, SIGHUP and a closed terminal each
# log a stop line that says so, after the lines of the probes that were
# in flight, with the counts and exit status of `luna probe`'s. A second
# Ctrl-C or SIGTERM while probes drain exits at once, terminal restored.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

start_test_server
slow="$SERVER_URL/slow/1500"
hang="$SERVER_URL/hang"

# start ENV...: luna in a pane, JSON lines to $tmp/log, its exit status
# to $tmp/rc and the terminal modes after it to $tmp/stty.
start() {
	new_server
	rm -f "$tmp/rc" "$tmp/stty" "$tmp/log"
	tm new-session -d -x 120 -y 40 "env LUNA_MOCK_LISTEN=127.0.0.1:0 \
		LUNA_LOG_FORMAT=json LC_ALL= LANG=C.UTF-8 $* '$LUNA' \
		--log-file '$tmp/log'; echo \$? > '$tmp/rc'; \
		stty -a > '$tmp/stty'; sleep 60"
	wait_for results
}

# stopped WHAT STATUS FIELD=VALUE...: luna exited STATUS, the terminal is
# restored, and the stop line holds the fields.
stopped() {
	local what=$1 status=$2
	shift 2
	wait_exit 10
	[ "$(cat "$tmp/rc")" = "$status" ] ||
		fail "$what: exit $(cat "$tmp/rc"), not $status"
	for _ in $(seq 20); do
		[ -s "$tmp/stty" ] && break
		sleep 0.1
	done
	grep -qw -- '-icanon' "$tmp/stty" && fail "$what: terminal left raw"
	python3 "$here/dashboard_stop.py" "$tmp/log" "exit_code=$status" "$@" ||
		fail "$what: wrong stop line"
	echo "ok: $what: $(tail -n 1 "$tmp/log")"
}

# q while a slow probe is in flight: its line comes before the stop.
start "LUNA_TARGETS=$slow LUNA_INTERVAL=200ms LUNA_TIMEOUT=5s"
sleep 2
tm send-keys q
stopped "q" 0 reason=quit signal=- forced=-
grep -q "\"url\":\"$slow\".*\"ok\":true" "$tmp/log" ||
	fail "q: the slow probe in flight was not logged"

start LUNA_INTERVAL=200ms
kill -TERM "$(luna_pid)"
stopped "SIGTERM" 0 reason=signal signal=SIGTERM forced=-

start LUNA_INTERVAL=200ms
kill -HUP "$(luna_pid)"
stopped "SIGHUP" 0 reason=signal signal=SIGHUP forced=-

# The terminal going away, with SIGHUP ignored (as under nohup), is seen
# on the terminal itself. The pane's shell outlives its server then.
new_server
rm -f "$tmp/rc" "$tmp/log"
tm new-session -d -x 120 -y 40 "trap '' HUP; env LUNA_INTERVAL=200ms \
	LUNA_MOCK_LISTEN=127.0.0.1:0 LUNA_LOG_FORMAT=json '$LUNA' \
	--log-file '$tmp/log'; echo \$? > '$tmp/rc'"
wait_for results
tm kill-server
wait_exit 10
[ "$(cat "$tmp/rc")" = 0 ] || fail "closed terminal: exit $(cat "$tmp/rc")"
python3 "$here/dashboard_stop.py" "$tmp/log" exit_code=0 \
	"reason=terminal closed" signal=- forced=- ||
	fail "closed terminal: wrong stop line"
echo "ok: closed terminal: $(tail -n 1 "$tmp/log")"

# Ctrl-C with a probe that hangs for a minute waits for it, says so, and
# a second Ctrl-C (or a SIGTERM) ends luna at once.
for second in C-c TERM; do
	start "LUNA_TARGETS=$hang LUNA_TIMEOUT=60s"
	pid=$(luna_pid)
	sleep 0.5
	tm send-keys C-c
	wait_for_text 'Ctrl-C again stops at once'
	[ -s "$tmp/rc" ] && fail "luna did not wait for the probe in flight"
	if [ "$second" = C-c ]; then
		tm send-keys C-c
		stopped "a second Ctrl-C" 130 reason=signal signal=SIGINT \
			forced=SIGINT
	else
		kill -TERM "$pid"
		stopped "SIGTERM after Ctrl-C" 143 reason=signal \
			signal=SIGINT forced=SIGTERM
	fi
	[ "$ELAPSED" -le 20 ] || fail "the forced stop took $ELAPSED tenths"
done
echo "ok: the dashboard logs why it stopped, and a second Ctrl-C forces"
