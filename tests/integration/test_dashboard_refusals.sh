#!/usr/bin/env bash
# What the dashboard refuses before it takes the screen: a terminal that
# cannot move the cursor (TERM=dumb), and a log file that is not a
# regular file (a FIFO nobody reads, a directory). Each is exit 2 and one
# line naming the bad value, at once, never a blank screen that waits.
set -euo pipefail
# shellcheck source=tests/integration/dashboard_lib.sh
. "$(dirname "$0")/dashboard_lib.sh"

# refused WHAT NEEDLE ENV... -- ARGS...: run luna in a pane with ENV and
# ARGS; it must exit 2 within 5 s, saying one line that holds NEEDLE.
refused() {
	local what=$1 needle=$2 env=() args=() code _
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	args=("$@")
	new_server
	rm -f "$tmp/rc" "$tmp/err"
	tm new-session -d -x 80 -y 24 "env ${env[*]} '$LUNA' \
		--mock-listen 127.0.0.1:0 ${args[*]} 2>'$tmp/err'; \
		echo \$? > '$tmp/rc'; sleep 30"
	for _ in $(seq 50); do
		[ -s "$tmp/rc" ] && break
		sleep 0.1
	done
	[ -s "$tmp/rc" ] || fail "$what: luna still runs after 5 s"
	code=$(cat "$tmp/rc")
	[ "$code" = 2 ] || fail "$what: exit $code: $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
		fail "$what: not one line: $(cat "$tmp/err")"
	grep -qF -- "$needle" "$tmp/err" ||
		fail "$what: does not name '$needle': $(cat "$tmp/err")"
	echo "ok: $what: $(cat "$tmp/err")"
}

refused "TERM=dumb" "'dumb'" TERM=dumb --
refused "TERM=dumb, log file given" "'dumb'" TERM=dumb -- \
	--log-file "'$tmp/log'"

mkfifo "$tmp/fifo"
refused "a FIFO as log file" "'$tmp/fifo'" -- --log-file "'$tmp/fifo'"
refused "a FIFO as LUNA_LOG_FILE" "'$tmp/fifo'" "LUNA_LOG_FILE='$tmp/fifo'" --
mkdir "$tmp/dir"
refused "a directory as log file" "'$tmp/dir'" -- --log-file "'$tmp/dir'"

# A new file and an existing one are taken, as before.
: >"$tmp/old.log"
for f in "$tmp/new.log" "$tmp/old.log"; do
	new_server
	rm -f "$tmp/rc" "$tmp/stty"
	tm new-session -d -x 120 -y 40 "env LUNA_MOCK_LISTEN=127.0.0.1:0 \
		'$LUNA' --log-file '$f'; echo \$? > '$tmp/rc'; \
		stty -a > '$tmp/stty'; sleep 120"
	wait_for results
	grep -q ' start ' "$f" || fail "no start line in '$f'"
	quit_cleanly q
done
echo "ok: the dashboard refuses TERM=dumb and a log file not regular"
