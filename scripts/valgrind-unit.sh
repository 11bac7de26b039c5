#!/usr/bin/env bash
# Run every unit test under valgrind memcheck: any memory error or leak
# (definite, indirect or possible) fails. Check runs the tests in one
# process (CK_FORK=no) so that valgrind sees them all.
#   scripts/valgrind-unit.sh [check_NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup test
scripts/build --werror >/dev/null
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	for f in build/tests/check_*; do
		[ -x "$f" ] && tests+=("$(basename "$f")")
	done
fi

export CK_FORK=no CK_DEFAULT_TIMEOUT=600
logdir=build/valgrind
mkdir -p "$logdir"
failed=0
for t in "${tests[@]}"; do
	log=$logdir/$t.log
	start=$(date +%s)
	if valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite,indirect,possible \
	    --errors-for-leak-kinds=definite,indirect,possible \
	    --track-origins=yes --num-callers=30 \
	    --suppressions=scripts/valgrind.supp \
	    "build/tests/$t" >"$log" 2>&1; then
		echo "valgrind: $t: ok ($(($(date +%s) - start))s)" >&2
	else
		echo "valgrind: $t: failed, from $log:" >&2
		grep -E '^==[0-9]+== (Invalid|Conditional|Use of|[0-9,]+ bytes|ERROR SUMMARY)|^[0-9]+%:|Failures' \
			"$log" | head -n 40 >&2
		failed=1
	fi
done
exit $failed
