#!/usr/bin/env bash
# The metric filters of scripts/aws/luna.yaml against lines luna really
# writes, in json and in emf: each filter must select exactly the lines
# its metric means (failures, successes, durations, down, up), find its
# metric value and dimensions in them, and match at least one line, or
# its alarm could never fire. The CloudWatch pattern semantics come from
# tests/aws/filter_pattern.py (the subset the template uses).
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

$PY -c 'import yaml' 2>/dev/null ||
	{ echo "SKIP: python3-yaml is not installed"; exit 77; }

$PY "$LUNA_SOURCE_DIR/tests/aws/filter_pattern.py" selftest ||
	fail "the filter pattern evaluator is wrong"

# One run per format: successes, 503s, down, up, resets.
run_scenario() {
	local log=$1

	shift
	start_luna "$log" LUNA_INTERVAL=150ms LUNA_FAIL_THRESHOLD=2 \
		LUNA_SUCCESS_THRESHOLD=2 LUNA_SUMMARY_INTERVAL=1s "$@"
	take_down_and_up "$log" '{"status": 503}'
	mock_put '{"fault": "reset"}'
	wait_for_line "$log" '"error":"reset"' 10 || fail "no reset error"
	mock_put '{"fault": "none", "status": 200}'
	wait_for_line "$log" '"event":"summary"' 5 || fail "no summary"
	stop_luna TERM 10
	[ "$rc" -eq 0 ] || fail "exit status $rc"
}

run_scenario "$work/json.log"
run_scenario "$work/emf.log" LUNA_LOG_FORMAT=emf

for f in json emf; do
	echo "== $f lines"
	$PY "$LUNA_SOURCE_DIR/tests/aws/filter_pattern.py" check \
		"$LUNA_SOURCE_DIR/scripts/aws/luna.yaml" "$work/$f.log" ||
		fail "a metric filter does not fit luna's $f lines"
done
echo "ok: every metric filter selects what its metric means"
