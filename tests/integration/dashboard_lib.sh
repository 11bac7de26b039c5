# shellcheck shell=bash
# Shared steps of the dashboard tests (tests/integration/test_dashboard_*.sh):
# the real binary in a tmux pane of its own server, read with capture-pane.
# Each test sets its environment in LUNA_ENV and calls the steps it needs.

if ! command -v tmux >/dev/null || ! command -v python3 >/dev/null; then
	echo "skip: tmux and python3 are needed (scripts/setup test)"
	exit 77
fi
: "${LUNA:?set LUNA to the luna binary}"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sock="luna-dash-$$"
tmp=$(mktemp -d)
tm() { tmux -u -L "$sock" "$@"; }

pids_to_stop=()

cleanup() {
	local pid
	tm kill-server 2>/dev/null || true
	for pid in "${pids_to_stop[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	echo "--- screen:" >&2
	tm capture-pane -p >&2 2>/dev/null || true
	echo "--- log:" >&2
	tail -n 20 "$tmp/log" >&2 2>/dev/null || true
	exit 1
}

# Start luna [ARGS] in a 120x40 pane with the environment in LUNA_ENV (an
# array of NAME=VALUE, which win over the defaults here); when it ends, the
# pane records its exit status and the terminal modes.
start_dashboard() {
	local cmd _
	tm kill-server 2>/dev/null || true
	rm -f "$tmp/rc" "$tmp/stty" "$tmp/log"
	cmd="env LUNA_MOCK_LISTEN=127.0.0.1:0 LUNA_INTERVAL=200ms"
	cmd+=" LUNA_FAIL_THRESHOLD=2 LUNA_SUCCESS_THRESHOLD=2 ${LUNA_ENV[*]}"
	cmd+=" '$LUNA' $* --log-file '$tmp/log';"
	cmd+=" echo \$? > '$tmp/rc'; stty -a > '$tmp/stty'; sleep 120"

	# A server just killed may still be on its way out ("server exited
	# unexpectedly"): try again for a moment.
	for _ in $(seq 20); do
		tm new-session -d -x 120 -y 40 "$cmd" 2>/dev/null && return 0
		sleep 0.1
	done
	tm new-session -d -x 120 -y 40 "$cmd"
}

# Poll the pane until dashboard_screen.py says WHAT holds (at most 10 s).
wait_for() {
	local what=$1 _
	for _ in $(seq 100); do
		if tm capture-pane -p | python3 "$here/dashboard_screen.py" \
		    "$what" >"$tmp/why" 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "waiting for '$what': $(cat "$tmp/why")"
}

# Poll the pane until it shows a line matching the extended regex RE.
wait_for_text() {
	local re=$1 _
	for _ in $(seq 100); do
		tm capture-pane -p | grep -qE -- "$re" && return 0
		sleep 0.1
	done
	fail "waiting for a line matching '$re'"
}

# A free loopback port: the kernel's choice, released for the caller.
free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Ask the pane for its escape sequences (-e) too.
screen_with_colour() {
	tm capture-pane -p -e
}

# The 503 key takes the target down, the healthy key brings it back.
flip_503_and_back() {
	wait_for results
	tm send-keys 5
	wait_for down
	tm send-keys h
	wait_for up
}

resize_small_and_back() {
	tm resize-window -x 40 -y 12
	wait_for small
	tm resize-window -x 120 -y 40
	wait_for results
}

# The key given (q or C-c) ends luna with status 0, and the terminal is
# back in its normal modes.
quit_cleanly() {
	local key=$1 _
	tm send-keys "$key"
	for _ in $(seq 50); do
		[ -s "$tmp/stty" ] && break
		sleep 0.1
	done
	[ -s "$tmp/rc" ] || fail "luna did not exit after q"
	[ "$(cat "$tmp/rc")" = 0 ] || fail "luna exited $(cat "$tmp/rc")"
	# The pane's shell has only the closing sleep left as a child.
	# shellcheck disable=SC2009 # pgrep cannot list a parent's children
	if ps -o comm= --ppid "$(tm display -p '#{pane_pid}')" |
	    grep -qv '^sleep$'; then
		fail "luna is still running after q"
	fi
	grep -qw -- '-icanon' "$tmp/stty" && fail "terminal left in raw mode"
	grep -qw -- '-echo' "$tmp/stty" && fail "terminal left without echo"
	[ "$(tm display -p '#{alternate_on}')" = 0 ] ||
		fail "terminal left on the alternate screen"
	return 0
}

# Start tests/integration/probe_server.py with ARGS; sets SERVER_URL.
start_test_server() {
	local out=$tmp/server.$RANDOM port= _
	: >"$out" # there before the server's shell opens it, for awk below
	python3 "$here/probe_server.py" --lifetime 120 "$@" >"$out" &
	pids_to_stop+=($!)
	for _ in $(seq 50); do
		port=$(awk '/^PORT/ {print $2}' "$out")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || fail "the test server did not start"
	SERVER_URL="http://127.0.0.1:$port"
}

# The pid of luna in the pane (the pane's shell runs it as its child).
luna_pid() {
	ps -o pid= --ppid "$(tm display -p '#{pane_pid}')" | head -n 1 |
		tr -d ' '
}

# Wait until luna has exited (at most SECONDS, default 5); sets ELAPSED
# to the tenths of a second it took.
wait_exit() {
	local tenths=$((${1:-5} * 10))
	ELAPSED=0
	while [ ! -s "$tmp/rc" ] && [ "$ELAPSED" -lt "$tenths" ]; do
		sleep 0.1
		ELAPSED=$((ELAPSED + 1))
	done
	[ -s "$tmp/rc" ] || fail "luna still runs after ${1:-5} s"
}

# Move on to a new tmux server: one just killed may still hold its socket.
nservers=0
new_server() {
	tm kill-server 2>/dev/null || true
	nservers=$((nservers + 1))
	sock="luna-dash-$$-$nservers"
}
