#!/usr/bin/env bash
# The dashboard under LANG=C: ASCII sparklines and rules, the same flip and
# recovery, and Ctrl-C to quit.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

LUNA_ENV=(NO_COLOR= LANG=C LC_ALL=C)
start_dashboard
wait_for results
flip_503_and_back
wait_for ascii
# Pane rules in ASCII too, not ACS letters ("qqqq").
wait_for_text '^- detail -+'
if tm capture-pane -p | grep -q 'qqqq'; then
	fail "ACS letters on screen: $(tm capture-pane -p | grep qqqq)"
fi
resize_small_and_back
quit_cleanly C-c
echo "ok: dashboard with ASCII sparklines, quit by Ctrl-C"
