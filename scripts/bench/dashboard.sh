#!/usr/bin/env bash
# CPU use of the dashboard with 50 targets on the bundled mock, in a real
# terminal (tmux), read from /proc over a fixed window:
#   idle  every target probed every 5s, nobody at the keys
#   busy  every target probed every 200ms, the mock flipped and the
#         selection moved several times a second
# It prints the dashboard (main) thread's share of a core and the whole
# process's (probe engine and mock included).
#   scripts/bench/dashboard.sh [build/app/luna] [seconds per window]
set -euo pipefail
cd "$(dirname "$0")/../.."

luna=${1:-build/app/luna}
window=${2:-10}
[ -x "$luna" ] || { echo "bench: no binary '$luna' (scripts/build)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "bench: tmux is needed" >&2; exit 2; }
luna=$(cd "$(dirname "$luna")" && pwd)/$(basename "$luna")

sock="luna-bench-$$"
tm() { tmux -u -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
hz=$(getconf CLK_TCK)

free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# 49 targets on named endpoints of the mock, plus the mock's own: 50.
targets_for() {
	local port=$1 i list=
	for i in $(seq -w 1 49); do
		list+="${list:+,}t$i=http://127.0.0.1:$port/mock/t$i"
	done
	echo "$list"
}

# utime + stime in clock ticks of /proc/PID[/task/TID]/stat.
ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$1"
}

luna_pid() {
	local pane i pid
	pane=$(tm display -p '#{pane_pid}')
	for i in $(seq 50); do
		# The pane's shell may have become luna (exec) or be its parent.
		if [ "$(cat "/proc/$pane/comm" 2>/dev/null)" = luna ]; then
			echo "$pane"
			return
		fi
		pid=$(pgrep -P "$pane" -x luna || true)
		[ -n "$pid" ] && { echo "$pid"; return; }
		sleep 0.1
	done
	echo "bench: luna did not start" >&2
	exit 1
}

# Busy keys: flaky and slow steps up and down, selection moving.
press_keys() {
	local end=$((SECONDS + window + 1)) keys=(f j s j F k S k 5 j h k)
	local i=0
	while [ $SECONDS -lt $end ]; do
		tm send-keys "${keys[i % ${#keys[@]}]}"
		i=$((i + 1))
		sleep 0.2
	done
}

measure() {
	local name=$1 interval=$2 port pid t0 m0 t1 m1
	port=$(free_port)
	tm new-session -d -x 160 -y 60 "env LANG=C.UTF-8 \
		LUNA_MOCK_LISTEN=127.0.0.1:$port LUNA_INTERVAL=$interval \
		LUNA_TARGETS='$(targets_for "$port")' '$luna'"
	pid=$(luna_pid)
	sleep 3
	[ "$name" = busy ] && press_keys &
	t0=$(ticks "/proc/$pid/stat")
	m0=$(ticks "/proc/$pid/task/$pid/stat")
	sleep "$window"
	t1=$(ticks "/proc/$pid/stat")
	m1=$(ticks "/proc/$pid/task/$pid/stat")
	wait
	tm send-keys q
	sleep 0.5
	tm kill-server 2>/dev/null || true
	awk -v n="$name" -v i="$interval" -v w="$window" -v hz="$hz" \
	    -v m=$((m1 - m0)) -v t=$((t1 - t0)) 'BEGIN {
		printf "%-5s 50 targets every %-5s dashboard thread %5.2f%%  " \
		    "whole process %5.2f%% of a core (%ds)\n",
		    n, i, 100 * m / hz / w, 100 * t / hz / w, w }'
}

measure idle 5s
measure busy 200ms
