#!/usr/bin/env bash
# A terminal that stops reading (Ctrl-S, flow control) blocks the screen's
# writes, never the probes: results keep coming on schedule meanwhile, and
# the dashboard carries on when the terminal reads again (Ctrl-Q).
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

LUNA_ENV=(LC_ALL= LANG=C.UTF-8)
start_dashboard
wait_for results

# Freeze output, then ask for many full redraws to fill the terminal's
# buffer, so the screen's thread blocks in write().
tm send-keys C-s
for _ in $(seq 40); do
	tm send-keys '?'
	sleep 0.05
done
before=$(grep -c ' probe ' "$tmp/log")
sleep 3
after=$(grep -c ' probe ' "$tmp/log")
# Every 200 ms for 3 s is 15 probes; allow for a slow machine.
[ $((after - before)) -ge 10 ] ||
	fail "only $((after - before)) probes in 3 s with the screen frozen"

tm send-keys C-q
tm send-keys 5
wait_for down
quit_cleanly q
echo "ok: probes stay on schedule while the terminal does not read"
