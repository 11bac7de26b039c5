#!/usr/bin/env bash
# The dashboard in a UTF-8 terminal with colour: live results from the
# bundled mock, 503 and healthy keys, the help overlay, a resize, quit.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

LUNA_ENV=(-u LC_ALL -u NO_COLOR LANG=C.UTF-8)
start_dashboard
wait_for results
wait_for unicode

tm send-keys 5
wait_for down
# The state cell of a down target is red (SGR 31, or 91 when bright).
screen_with_colour | grep -E "mock.*$(printf '\033')\[[0-9;]*(31|91)m" \
	>/dev/null || fail "the down state is not red"
tm capture-pane -p | grep -q 'key *status 503' ||
	fail "the changes pane does not show the 503 key"
tm send-keys h
wait_for up

tm send-keys '?'
sleep 0.3
tm capture-pane -p | grep -q 'mock answers 503' ||
	fail "? does not show the keys"
tm send-keys Escape

resize_small_and_back
quit_cleanly
echo "ok: dashboard keys, colour, Unicode sparklines, resize and quit"
