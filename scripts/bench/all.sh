#!/usr/bin/env bash
# Run every bench under scripts/bench/ that exists, one after another,
# and write their figures as a small Markdown table to
# docs/benchmarks.md (or FILE). Each bench's own output is kept in
# build/bench/NAME.out; --table writes the table again from those
# without running anything.
#   scripts/bench/all.sh [--table] [FILE]
# A bench prints "figure: value" lines, or aligned columns with the
# name first; each line becomes a row, a line ending in ":" a heading.
# A bench that fails or runs over 15 minutes shows its exit status.
set -euo pipefail
cd "$(dirname "$0")/../.."

run=yes
if [ "${1:-}" = --table ]; then
	run=no
	shift
fi
out=${1:-docs/benchmarks.md}
benches=(mock.sh probe.sh probe-vs-blackbox.sh dashboard.sh)
raw=build/bench
mkdir -p "$raw"
if [ "$run" = yes ]; then
	scripts/setup test bench
	scripts/build >/dev/null
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') $(cut -d' ' -f1-3 \
		/proc/loadavg)" >"$raw/started"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rows FILE: the lines of FILE as table rows.
rows() {
	awk '
	/^[[:space:]]*$/ {next}
	{
		line = $0
		sub(/^[[:space:]]+/, "", line)
		gsub(/\|/, "\\|", line)
		v = ""
		if (match(line, /^[A-Za-z][^:]*:[[:space:]]+/) && RLENGTH < 64) {
			k = substr(line, 1, RLENGTH)
			v = substr(line, RLENGTH + 1)
			sub(/:[[:space:]]+$/, "", k)
		} else if (line ~ /:$/) {
			k = "**" substr(line, 1, length(line) - 1) "**"
		} else if (match(line, /[[:space:]][[:space:]]+/)) {
			k = substr(line, 1, RSTART - 1)
			v = substr(line, RSTART + RLENGTH)
		} else {
			k = line
		}
		gsub(/[[:space:]][[:space:]]+/, "  ", v)
		printf "| %s | %s |\n", k, v
	}' "$1"
}

{
	read -r day time zone l1 l5 l15 <"$raw/started"
	echo "# Benchmarks"
	echo
	echo "Written by \`scripts/bench/all.sh\`, run $day $time $zone on"
	echo "$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' \
		/proc/cpuinfo | head -n 1)), load $l1 $l5 $l15 (1, 5, 15 min)"
	echo "at the start. Each figure comes from one run on a machine that"
	echo "others share: rerun a bench before reading much into a"
	echo "difference under about 20%. Each bench's own page of figures"
	echo "follows, as it printed them."
} >"$tmp/head.md"

: >"$tmp/body.md"
for b in "${benches[@]}"; do
	script=scripts/bench/$b
	[ -x "$script" ] || continue
	if [ "$run" = yes ]; then
		echo "bench: $b" >&2
		start=$(date +%s)
		status=0
		timeout 900 "$script" >"$raw/$b.out" 2>"$raw/$b.err" ||
			status=$?
		echo "$status $(($(date +%s) - start))" >"$raw/$b.status"
		cat "$raw/$b.out" >&2
	fi
	[ -f "$raw/$b.status" ] || continue
	read -r status took <"$raw/$b.status"
	{
		echo
		echo "## $b"
		echo
		echo "| figure | value |"
		echo "|---|---|"
		rows "$raw/$b.out"
		echo "| took | $took s |"
		if [ "$status" -ne 0 ]; then
			echo "| **failed** | exit $status: $(tail -n 1 \
				"$raw/$b.err" | sed 's/|/\\|/g') |"
		fi
	} >>"$tmp/body.md"
done
mkdir -p "$(dirname "$out")"
cat "$tmp/head.md" "$tmp/body.md" >"$out"
echo "bench: wrote $out" >&2
