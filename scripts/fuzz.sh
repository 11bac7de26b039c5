#!/usr/bin/env bash
# Build luna's libFuzzer targets with clang into build-fuzz/ and run
# each for a bounded time.
#   scripts/fuzz.sh [-t SECONDS] [TARGET...]
# SECONDS is per target [300]; TARGETs are control, config, targets,
# parse [all]. First every committed corpus file (seeds and the inputs
# of past crashes) is replayed; then each target explores from its
# seeds, with new inputs kept in build-fuzz/corpus/NAME (the committed
# corpus stays small) and any crash saved under build-fuzz/crashes/NAME.
# Exits 1 when a target crashed, leaked or broke one of its checks.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
while getopts t: opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	*) echo "usage: scripts/fuzz.sh [-t SECONDS] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $seconds in
''|*[!0-9]*) echo "fuzz: bad time '$seconds': expected seconds" >&2
	exit 2 ;;
esac
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(control config targets parse)
for t in "${targets[@]}"; do
	if [ ! -d "fuzz/corpus/$t" ]; then
		echo "fuzz: unknown target '$t' (see fuzz/corpus/)" >&2
		exit 2
	fi
done

scripts/setup test
flags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -g"
CC=clang cmake -S . -B build-fuzz -DLUNA_FUZZ=ON -DLUNA_SANITIZE=ON \
	-DLUNA_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build build-fuzz -j "$(nproc)" \
	--target "${targets[@]/#/fuzz_}" >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
	bin=build-fuzz/fuzz/fuzz_$t
	work=build-fuzz/corpus/$t
	crashes=build-fuzz/crashes/$t
	mkdir -p "$work" "$crashes"
	echo "fuzz: $t: replaying fuzz/corpus/$t" >&2
	if ! "$bin" -runs=0 "fuzz/corpus/$t" >"build-fuzz/$t.log" 2>&1; then
		echo "fuzz: $t: a committed corpus input fails:" >&2
		tail -n 30 "build-fuzz/$t.log" >&2
		failed=1
		continue
	fi
	echo "fuzz: $t: exploring for ${seconds}s" >&2
	if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=4096 -print_final_stats=1 -artifact_prefix="$crashes/" \
	    "$work" "fuzz/corpus/$t" >>"build-fuzz/$t.log" 2>&1; then
		echo "fuzz: $t: crashed; input in $crashes/, log:" >&2
		tail -n 40 "build-fuzz/$t.log" >&2
		failed=1
		continue
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"build-fuzz/$t.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "build-fuzz/$t.log" | tail -n 1)
	echo "fuzz: $t: ok, ${runs:-?} runs, $cov, $(find "$work" -type f | wc -l) inputs" >&2
done
exit $failed
