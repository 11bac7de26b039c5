#!/usr/bin/env bash
# The dashboard with NO_COLOR=1: no colour at all, even for a down target.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

LUNA_ENV=(LC_ALL= LANG=C.UTF-8 NO_COLOR=1)
start_dashboard
wait_for results
tm send-keys 5
wait_for down
# Bold and reverse may mark trouble; a colour (SGR 30-37, 90-97) may not.
if screen_with_colour | grep -E "$(printf '\033')\[([0-9;]*;)?(3[0-7]|9[0-7])(;[0-9;]*)?m" >/dev/null; then
	fail "NO_COLOR=1 but the screen has colour"
fi
tm send-keys h
wait_for up
resize_small_and_back
quit_cleanly q
echo "ok: dashboard without colour"
