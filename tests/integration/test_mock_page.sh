#!/usr/bin/env bash
# The control page in a real browser: headless Chromium, driven by
# playwright-core, clicks 503; the mock then answers 503, the page shows
# it, and the change is logged with source "page". Exit 77 (skipped)
# when Chromium or npm is missing.
# shellcheck source=tests/integration/mock_lib.sh
. "$(dirname "$0")/mock_lib.sh"

browser_dir=$(cd "$(dirname "$0")/../browser" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "skip: no Chromium at $chromium (scripts/setup test installs it)"
	exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "skip: node and npm are needed (scripts/setup test installs them)"
	exit 77
fi
if [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
	# One install at a time, even when tests run in parallel.
	if ! (cd "$browser_dir" && flock "$browser_dir/package.json" \
		timeout 300 npm ci --no-audit --no-fund >"$tmp/npm.log" 2>&1)
	then
		echo "skip: npm could not install playwright-core:"
		tail -n 5 "$tmp/npm.log"
		exit 77
	fi
fi

start_mock main --listen 127.0.0.1:0
if out=$(CHROMIUM=$chromium timeout 120 node "$browser_dir/control_page.js" \
	"$URL" 2>&1); then
	ok "browser: $out"
else
	fail "browser: $out"
fi
check "the mock answers 503 after the click" 503 \
	"$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/mock")"
logged '"event":"mock","change":5,"source":"page"' "$tmp/main.log" || true
check "page changes logged with source page" 4 \
	"$(grep -c '"event":"mock","change":[0-9]*,"source":"page"' \
		"$tmp/main.log")"

finish
