#!/usr/bin/env bash
# A stalled stdout (a reader that never reads, like a paused log driver)
# never holds up the probes or the stop: SIGTERM still ends luna within
# seconds, and the lines that could not be written are counted aloud.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
start_server

urls=()
for i in $(seq 20); do
	urls+=("t$i=$BASE/status/200")
done

# The pipe's reader sleeps: after 64 KiB every write would block.
sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/pid" \
	"$LUNA" probe --interval 100ms "${urls[@]}" 2>"$tmp/err" |
	sleep 60 &
pids+=($!)
for _ in $(seq 50); do
	[ -s "$tmp/pid" ] && break
	sleep 0.1
done
luna=$(cat "$tmp/pid")
pids+=("$luna")

# 20 targets at 100 ms fill the pipe in a few seconds; go on probing.
sleep 5
kill -TERM "$luna"
for _ in $(seq 100); do
	kill -0 "$luna" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$luna" 2>/dev/null; then
	fail "luna still runs 10 s after SIGTERM with a stalled stdout"
fi
grep -Eq '^luna: cannot write to stdout: [0-9]+ lines lost$' "$tmp/err" ||
	fail "no word of the lost lines: $(cat "$tmp/err")"
echo "ok: a stalled stdout neither blocks probing nor the stop"
