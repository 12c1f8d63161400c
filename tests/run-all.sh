#!/bin/sh
# Runs vigil's tests and prints one summary line: "N passed, N failed[, N skipped]".
#
#   tests/run-all.sh            everything: unit, kernel, VM
#   tests/run-all.sh --unit     cmocka unit tests only
#   tests/run-all.sh --kernel   kernel tests only (root, real kernel)
#   tests/run-all.sh --vm       VM kernel-feature tests only
#
# Every test program reports one line per test case, in TAP style:
#   "ok <n> - <name>", "not ok <n> - <name>", "ok <n> # SKIP <reason>"
# or, for the kernel and VM tests, "ok <name>", "not ok <name>", "SKIP <name>: <reason>".
# This script runs them, shows their output, and counts those lines.
set -u
B=${B:-build}
what=${1:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # name, command...
	name=$1; shift
	echo "== $name"
	"$@" 2>&1 | tee -a "$log"
	rc=$?
	return $rc
}

if [ "$what" = all ] || [ "$what" = --unit ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		# cmocka prints TAP on stdout with this set; a crash shows as a missing plan
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1); rc=$?
		echo "== $(basename "$t")"
		echo "$out" | tee -a "$log" | grep -v '^ok ' || true
		if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok'; then
			echo "not ok - $(basename "$t") exited with status $rc" | tee -a "$log"
		fi
	done
fi
if [ "$what" = all ] || [ "$what" = --kernel ]; then
	for t in tests/kernel/test_*.py tests/kernel/test_*.sh; do
		[ -f "$t" ] || continue
		case "$t" in
			*.py) run "$(basename "$t")" python3 "$t" ;;
			*.sh) run "$(basename "$t")" sh "$t" ;;
		esac
	done
fi
if [ "$what" = all ] || [ "$what" = --vm ]; then
	run vm sh tests/vm/run.sh
fi

passed=$(grep -cE '^ok ' "$log" | tr -d ' ')
skipped=$(grep -cE '^(SKIP |ok .*# SKIP)' "$log" | tr -d ' ')
failed=$(grep -cE '^not ok' "$log" | tr -d ' ')
passed=$((passed - $(grep -cE '^ok .*# SKIP' "$log")))
echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
