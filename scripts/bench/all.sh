#!/usr/bin/env bash
# Run every bench under scripts/bench/ that exists, one after another,
# and write their figures as a small Markdown table to
# docs/benchmarks.md (or FILE).
#   scripts/bench/all.sh [FILE]
# A bench prints "figure: value" lines; each becomes a row. A bench
# that fails or runs over 15 minutes is listed with its exit status.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-docs/benchmarks.md}
benches=(mock.sh probe.sh probe-vs-blackbox.sh dashboard.sh)
scripts/setup test bench
scripts/build >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rows FILE: the "figure: value" lines of FILE as table rows.
rows() {
	sed -n 's/^[[:space:]]*\([A-Za-z][^:]\{0,60\}\):[[:space:]]\{1,\}\(.*\)$/\1\t\2/p' \
		"$1" | sed 's/|/\\|/g' | awk -F '\t' '{printf "| %s | %s |\n", $1, $2}'
}

{
	echo "# Benchmarks"
	echo
	echo "Written by \`scripts/bench/all.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
	echo "$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' \
		/proc/cpuinfo | head -n 1)), load $(cut -d' ' -f1-3 \
		/proc/loadavg) at the start. Every figure comes from one run on"
	echo "a machine that others may share: rerun the bench before reading"
	echo "much into a difference of less than about 20%."
} >"$tmp/head.md"

: >"$tmp/body.md"
for b in "${benches[@]}"; do
	script=scripts/bench/$b
	[ -x "$script" ] || continue
	echo "bench: $b" >&2
	start=$(date +%s)
	status=0
	timeout 900 "$script" >"$tmp/$b.out" 2>"$tmp/$b.err" || status=$?
	{
		echo
		echo "## $b"
		echo
		echo "| figure | value |"
		echo "|---|---|"
		rows "$tmp/$b.out"
		echo "| took | $(($(date +%s) - start)) s |"
		if [ "$status" -ne 0 ]; then
			echo "| **failed** | exit $status: $(tail -n 1 "$tmp/$b.err" |
				sed 's/|/\\|/g') |"
		fi
	} >>"$tmp/body.md"
	cat "$tmp/$b.out" >&2
done
mkdir -p "$(dirname "$out")"
cat "$tmp/head.md" "$tmp/body.md" >"$out"
echo "bench: wrote $out" >&2
