#!/usr/bin/env bash
# A password in a target's URL never leaves luna: not in the log lines
# (which go to CloudWatch), not in /results.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

log=$work/out.log
start_luna "$log" LUNA_INTERVAL=200ms LUNA_TIMEOUT=1s \
	"LUNA_TARGETS=api=http://ops:hunter2@127.0.0.1:1/health"
wait_for_count "$log" '"event":"probe"' 2 10 || fail "no probe lines"
status_get /results -o "$work/results"
if grep -q hunter2 "$log" "$work/results"; then
	fail "the password shows: $(grep -h hunter2 "$log" "$work/results" |
		head -c 300)"
fi
jq -e '.targets[0].url == "http://ops:***@127.0.0.1:1/health"' \
	"$work/results" >/dev/null ||
	fail "/results url: $(head -c 300 "$work/results")"
grep -q '"url":"http://ops:\*\*\*@127.0.0.1:1/health"' "$log" ||
	fail "probe line url: $(grep -m1 '"event":"probe"' "$log")"
echo "ok: the password stays out of the logs and /results"
