#!/usr/bin/env bash
# The dashboard on a terminal without colours (TERM=vt100): no colour is
# sent, and a down target's state is marked in bold instead.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

LUNA_ENV=(LC_ALL= LANG=C.UTF-8 NO_COLOR= TERM=vt100)
start_dashboard
wait_for results
tm send-keys 5
wait_for down
esc=$(printf '\033')
if screen_with_colour | grep -E "$esc\[([0-9;]*;)?(3[0-7]|9[0-7])(;[0-9;]*)?m" >/dev/null; then
	fail "a monochrome terminal got colour"
fi
screen_with_colour | grep -E "mock .*$esc\[[0-9;]*1m *down" >/dev/null ||
	fail "the down state is not bold"
tm send-keys h
wait_for up
quit_cleanly q
echo "ok: dashboard on a monochrome terminal"
