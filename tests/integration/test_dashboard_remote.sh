#!/usr/bin/env bash
# The dashboard driving a remote mock (LUNA_MOCK_URL + LUNA_CONTROL_TOKEN):
# the keys change the other process's mock, and with a wrong token the
# refusal shows in the changes pane while the screen goes on.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"
command -v curl >/dev/null || { echo "skip: curl is needed"; exit 77; }

port=$(free_port)
url="http://127.0.0.1:$port"
LUNA_MOCK_LISTEN="127.0.0.1:$port" LUNA_CONTROL_TOKEN=s3cret \
	LUNA_LOG_FORMAT=json "$LUNA" mock >"$tmp/mock.log" 2>&1 &
pids_to_stop+=($!)
for _ in $(seq 50); do
	curl -fsS "$url/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || fail "the remote mock did not start"

mock_status() {
	curl -fsS -H 'Authorization: Bearer s3cret' "$url/control" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])'
}

LUNA_ENV=(LC_ALL= LANG=C.UTF-8 "LUNA_MOCK_URL=$url"
	LUNA_CONTROL_TOKEN=s3cret)
start_dashboard
wait_for results
wait_for_text "mock $url \[200\]"
tm send-keys 5
wait_for down
[ "$(mock_status)" = 503 ] || fail "the remote mock is not at 503"
tm send-keys h
wait_for up
[ "$(mock_status)" = 200 ] || fail "the remote mock is not back at 200"
quit_cleanly q

LUNA_ENV=(LC_ALL= LANG=C.UTF-8 "LUNA_MOCK_URL=$url"
	LUNA_CONTROL_TOKEN=wrong)
start_dashboard
wait_for results
tm send-keys 5
wait_for_text 'failed: status 503'
[ "$(mock_status)" = 200 ] || fail "a wrong token changed the mock"
wait_for up
quit_cleanly q
echo "ok: dashboard drives a remote mock, and shows a refusal"
