#!/bin/sh
# run.sh - every benchmark, in the order docs/performance.md reports them.
#
#   sh bench/run.sh [NAME...]     NAME: syscall churn progcost loss throughput
#                                 selectors killtime startup (default: all)
#
# `make bench` builds what they need and runs this. Each script prints its
# command lines and numbers, ready to be pasted into docs/performance.md;
# this one also keeps a copy of everything in build/bench/results.txt.
#
# The two enforcement benchmarks (selectors, killtime) start the agent with
# --audit and --enforce. Their rules can only match the benchmark's own
# uniquely named programs, but an agent that kills is still not something
# to start by accident on a shared machine: they run only when
# BENCH_ENFORCE=1 is set, or when named explicitly.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${RESULTS:-$ROOT/build/bench/results.txt}
ALL="syscall churn progcost loss throughput selectors killtime startup"

script_of() {
	case $1 in
	syscall) echo syscall_overhead.sh ;;
	churn) echo exec_churn.sh ;;
	progcost) echo bpf_prog_cost.sh ;;
	loss) echo ring_loss.sh ;;
	throughput) echo rule_throughput.sh ;;
	selectors) echo selector_cost.sh ;;
	killtime) echo kill_latency.sh ;;
	startup) echo startup.sh ;;
	*) return 1 ;;
	esac
}

explicit=1
if [ $# = 0 ]; then
	set -- $ALL
	explicit=0
fi
for name in "$@"; do
	script_of "$name" >/dev/null || { echo "run.sh: unknown benchmark '$name' (one of: $ALL)" >&2; exit 2; }
done

mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
failed=
for name in "$@"; do
	case $name in
	selectors | killtime)
		if [ $explicit = 0 ] && [ "${BENCH_ENFORCE:-0}" != 1 ]; then
			echo
			echo "=== $name: skipped (it runs 'vigil run --audit/--enforce'; set BENCH_ENFORCE=1) ===" |
				tee -a "$RESULTS"
			continue
		fi
		;;
	esac
	# each script cleans up after itself; a failure is reported and the rest still run
	{ sh "$ROOT/bench/$(script_of "$name")" 2>&1 || echo "bench: $name FAILED"; } | tee -a "$RESULTS"
	grep -q "bench: $name FAILED" "$RESULTS" && failed="$failed $name"
done
echo
echo "results saved in $RESULTS"
[ -z "$failed" ] || { echo "failed:$failed"; exit 1; }
