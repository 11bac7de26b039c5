#!/usr/bin/env bash
# A remote mock (LUNA_MOCK_URL) that accepts connections and never
# answers: the header says "unreachable" once a call has timed out, and
# q exits within about a second, abandoning the call in progress.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

start_test_server --mute
mute=$SERVER_URL

# The probes of the mock's endpoint time out in 500 ms, so that what q
# waits for is the mock's control call, which would take 2.5 s.
LUNA_ENV=(LC_ALL= LANG=C.UTF-8 "LUNA_MOCK_URL=$mute" LUNA_TIMEOUT=500ms)
start_dashboard
for _ in $(seq 50); do
	tm capture-pane -p | grep -qF "mock $mute [unreachable]" && break
	sleep 0.1
done
tm capture-pane -p | grep -qF "mock $mute [unreachable]" ||
	fail "the header does not say unreachable after 5 s"
echo "ok: the header says the mock is unreachable"

# A key's change now waits on the mock; q right after it.
tm send-keys 5
wait_for_text 'status 503'
tm send-keys q
wait_exit 10
[ "$(cat "$tmp/rc")" = 0 ] || fail "q: exit $(cat "$tmp/rc")"
[ "$ELAPSED" -le 20 ] || fail "q took $ELAPSED tenths of a second"
grep -q '"reason":"quit"' "$tmp/log" || grep -q 'reason=quit' "$tmp/log" ||
	fail "no stop line with reason quit"
echo "ok: q exits in $ELAPSED tenths of a second with the mock hanging"
