# Shared by the scenario tests: a scratch directory, cleanup of every
# process started, and a `luna mock` on a free loopback port.
set -euo pipefail

: "${LUNA:?path of the luna binary}"
command -v curl >/dev/null || { echo "skip: curl is missing"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }

tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The JSON lines of FILE whose event is EVENT, one a line.
events() {
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    try: o = json.loads(l)
    except ValueError: continue
    if o.get("event") == sys.argv[2]: print(json.dumps(o))' "$1" "$2"
}

# Start `luna mock` on a free port with ARGS; sets URL.
start_mock() {
	local log i
	nmocks=$((${nmocks:-0} + 1))
	log=$tmp/mock$nmocks.log
	LUNA_LOG_FORMAT=json "$LUNA" mock --listen 127.0.0.1:0 "$@" \
		>"$log" 2>&1 &
	pids+=($!)
	for i in $(seq 100); do
		URL=$(events "$log" start | python3 -c 'import json, sys
for l in sys.stdin: print(json.loads(l)["url"])')
		[ -n "$URL" ] && return 0
		sleep 0.05
	done
	cat "$log" >&2
	fail "the mock did not start"
}
