#!/usr/bin/env bash
# Options: bad values give one line naming them and exit 2; flags win
# over the environment, which wins over the config file.
# shellcheck source=tests/integration/probe_lib.sh
. "$(dirname "$0")/probe_lib.sh"
start_server

# bad WHAT NEEDLE CMD...: exit 2, one line on stderr containing NEEDLE.
bad() {
	local what=$1 needle=$2
	shift 2
	status=0
	out="$tmp/bad"
	"$@" >"$out" 2>"$out.err" || status=$?
	expect_status 2 "$what"
	[ "$(wc -l <"$out.err")" -eq 1 ] || fail "$what: not one line: $(cat "$out.err")"
	grep -qF -- "$needle" "$out.err" || fail "$what: '$needle' not in: $(cat "$out.err")"
	[ ! -s "$out" ] || fail "$what: wrote to stdout"
}

url="$BASE/status/200"
bad interval "--interval: bad duration '5x'" "$LUNA" probe --once --interval 5x "$url"
bad env-interval "LUNA_INTERVAL: bad interval '50ms'" env LUNA_INTERVAL=50ms "$LUNA" probe --once "$url"
bad timeout "LUNA_TIMEOUT: bad duration '2'" env LUNA_TIMEOUT=2 "$LUNA" probe --once "$url"
bad expect "bad expect '2xx,600'" "$LUNA" probe --once --expect 2xx,600 "$url"
bad method "LUNA_METHOD: bad method 'GE T'" env "LUNA_METHOD=GE T" "$LUNA" probe --once "$url"
bad threshold "LUNA_FAIL_THRESHOLD: bad fail threshold 'three'" env LUNA_FAIL_THRESHOLD=three "$LUNA" probe --once "$url"
bad threshold0 "bad success threshold '0'" "$LUNA" probe --once --success-threshold 0 "$url"
bad format "LUNA_LOG_FORMAT: bad log format 'xml'" env LUNA_LOG_FORMAT=xml "$LUNA" probe --once "$url"
bad listen "LUNA_STATUS_LISTEN" env LUNA_STATUS_LISTEN=nope:port "$LUNA" probe --once "$url"
bad mock-url "bad mock URL 'ftp://x'" "$LUNA" probe --once --mock-url ftp://x "$url"
bad url "bad URL 'ftp://x/'" "$LUNA" probe --once ftp://x/
bad targets "LUNA_TARGETS: bad URL 'nope'" env LUNA_TARGETS=nope "$LUNA" probe --once
bad dup "duplicate target name 'a'" "$LUNA" probe --once "a=$url" "a=$url"
bad option "unknown option '--bogus'" "$LUNA" probe --bogus
bad value "option '--timeout' needs a value" "$LUNA" probe --once "$url" --timeout
bad none "no targets" env -u LUNA_TARGETS "$LUNA" probe --once
bad nofile "cannot read config '$tmp/none.json'" "$LUNA" probe --once --config "$tmp/none.json"
echo '{"targets": [' >"$tmp/broken.json"
bad json "bad config '$tmp/broken.json': invalid JSON" "$LUNA" probe --once --config "$tmp/broken.json"
echo '{"targets": [{"url": "'"$url"'", "intervall": "1s"}]}' >"$tmp/typo.json"
bad field "$tmp/typo.json: targets[0].intervall: unknown field" "$LUNA" probe --once --config "$tmp/typo.json"
echo '{"targets": [{"url": "'"$url"'", "timeout": 5}]}' >"$tmp/num.json"
bad type "targets[0].timeout: expected a duration string" "$LUNA" probe --once --config "$tmp/num.json"
echo '{"timeout": "soon", "targets": []}' >"$tmp/top.json"
bad top "$tmp/top.json: timeout: bad duration 'soon'" "$LUNA" probe --once --config "$tmp/top.json"

# Precedence: file < environment < flag, per option.
cat >"$tmp/luna.json" <<JSON
{"timeout": "1500ms", "interval": "7s", "method": "HEAD",
 "fail_threshold": 4,
 "targets": [{"name": "f", "url": "$url"},
             {"name": "g", "url": "$BASE/status/418", "expect": "418",
              "timeout": "900ms", "headers": {"X-Test": "1"}}]}
JSON
out="$tmp/prec.json"
LUNA_CONFIG="$tmp/luna.json" LUNA_TIMEOUT=1200ms LUNA_INTERVAL=6s \
	probe_once "$out" --interval 3s
expect_status 0 "config file targets pass"
check "$out" '.[0] | .config != null and .fail_threshold == 4 and
	(.targets[0] | .interval_ms == 3000 and .timeout_ms == 1200 and
	 .method == "HEAD") and (.targets[1] | .timeout_ms == 900 and
	 .expect == "418")' "file < env < flag, target fields win"
check "$out" '[.[] | select(.event == "probe")] | length == 2 and
	all(.ok)' "both config targets probed"
echo '[{"url": "'"$url"'"}]' >"$tmp/array.json"
probe_once "$out" --config "$tmp/array.json"
expect_status 0 "a config file may be a bare array of targets"

# "ip" picks the address family: the server listens on IPv4 only.
cat >"$tmp/ip.json" <<JSON
[{"name": "v4", "url": "http://localhost:$PORT/status/200", "ip": "4"},
 {"name": "v6", "url": "http://localhost:$PORT/status/200", "ip": "6"}]
JSON
if [ -e /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
	out="$tmp/ip.out"
	probe_once "$out" --config "$tmp/ip.json"
	expect_status 1 "IPv6 to an IPv4-only server fails"
	check "$out" '[.[] | select(.event == "probe")] |
		(map(select(.target == "v4"))[0].ok) and
		(map(select(.target == "v6"))[0].error == "connect")' \
		"ip 4 connects, ip 6 is refused"
fi

"$LUNA" probe --help | grep -q 'LUNA_FAIL_THRESHOLD' || fail "--help lists the environment"
echo "ok: probe options"
