#!/usr/bin/env bash
# The dashboard in a UTF-8 terminal with colour and two targets: live
# results, the 503 and healthy keys, selection, pause, the help overlay,
# a resize, and quit.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

port=$(free_port)
LUNA_ENV=(LC_ALL= NO_COLOR= LANG=C.UTF-8 "LUNA_MOCK_LISTEN=127.0.0.1:$port"
	"LUNA_TARGETS=other=http://127.0.0.1:$port/mock/other")
start_dashboard
wait_for results
wait_for unicode

tm send-keys 5
wait_for down
# The state cell of a down target is red (SGR 31, or 91 when bright).
screen_with_colour | grep -E "mock.*$(printf '\033')\[[0-9;]*(31|91)m" \
	>/dev/null || fail "the down state is not red"
wait_for_text 'key +status 503'
tm send-keys h
wait_for up

# The detail pane follows the selection: "other" first, then the mock.
tm capture-pane -p | grep -q '^other  GET http' ||
	fail "the detail pane does not show the first target"
tm send-keys j
wait_for_text '^mock  GET http'

tm send-keys Space
wait_for_text '^luna .* PAUSED'
tm send-keys Space
wait_for_text '^luna .* down  +up '

tm send-keys '?'
wait_for_text 'mock answers 503'
tm send-keys Escape

resize_small_and_back
quit_cleanly q
echo "ok: dashboard keys, colour, Unicode sparklines, resize and quit"
