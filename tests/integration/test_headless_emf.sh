#!/usr/bin/env bash
# LUNA_LOG_FORMAT=emf: each probe line is a valid CloudWatch Embedded
# Metric Format document (a JSON schema of the specification, checked
# with python3-jsonschema, plus the name-to-value rules), with success,
# failure, duration_ms and status per target in LUNA_EMF_NAMESPACE; the
# other lines stay plain JSON.
# shellcheck source=headless_lib.sh
. "$(dirname "$0")/headless_lib.sh"

$PY -c 'import jsonschema' 2>/dev/null ||
	{ echo "SKIP: python3-jsonschema is not installed"; exit 77; }

log=$work/out.log
start_luna "$log" LUNA_LOG_FORMAT=emf LUNA_EMF_NAMESPACE=Test/Luna \
	LUNA_INTERVAL=150ms LUNA_FAIL_THRESHOLD=2 LUNA_SUMMARY_INTERVAL=1s
take_down_and_up "$log" '{"status": 502}'
wait_for_line "$log" '"event":"summary"' 5 || fail "no summary line"
stop_luna TERM 10
[ "$rc" -eq 0 ] || fail "exit status $rc"
every_line_whole "$log"

$PY "$LUNA_SOURCE_DIR/tests/aws/check_emf.py" \
	"$LUNA_SOURCE_DIR/tests/aws/emf-schema.json" "$log" Test/Luna ||
	fail "EMF lines break the specification"

# The values behind the metrics, with jq: numbers of the right meaning.
jq -e -s '[.[] | select(.event == "probe")] | all(.[];
	(._aws.Timestamp | type == "number")
	and ((.ts | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) * 1000
		<= ._aws.Timestamp)
	and (._aws.Timestamp - (.ts | sub("\\.[0-9]+Z$"; "Z")
		| fromdateiso8601) * 1000 < 1000)
	and ((.success == 1 and .failure == 0 and .ok)
		or (.success == 0 and .failure == 1 and (.ok | not)))
	and (.duration_ms | type == "number")
	and (.status | type == "number"))' "$log" >/dev/null ||
	fail "EMF metric values disagree with the line"
jq -e -s '[.[] | select(.event == "probe" and .failure == 1)]
	| length >= 2 and all(.status == 502)' "$log" >/dev/null ||
	fail "no failure metrics for the 502s"
jq -e -s '[.[] | select(.event != "probe" and has("_aws"))] | length == 0' \
	"$log" >/dev/null || fail "a non-probe line carries _aws"

# Without emf, no line carries EMF metadata.
log2=$work/json.log
start_luna "$log2" LUNA_INTERVAL=150ms
wait_for_count "$log2" '"event":"probe"' 2 10 || fail "no probe lines"
stop_luna TERM 10
jq -e -s 'all(.[]; has("_aws") | not) and all(.[]; has("success") | not)' \
	"$log2" >/dev/null || fail "json lines carry EMF members"
echo "ok: EMF lines valid"
