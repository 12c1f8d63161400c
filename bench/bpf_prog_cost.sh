#!/bin/sh
# bpf_prog_cost.sh - the kernel's own account of each program's cost.
#
# With kernel.bpf_stats_enabled=1 the kernel times every program run and
# bpftool shows run_time_ns and run_cnt. For each configuration (the empty
# programs, then the agent with no rules, the stable presets and Falco's
# rules) and each workload (the dd syscall storm, then process churn), the
# counters are read before and after the workload and the difference gives
# runs and ns per run per program. The stats include the kernel's own
# timing (two clock reads per run), so the empty programs' numbers are the
# floor to compare with. The sysctl is restored on exit.
#
# Knobs: DD_COUNT (default 3000000), PROG_CHURN_N (default 5000).

. "$(dirname "$0")/lib.sh"

DD_COUNT=${DD_COUNT:-3000000}
PROG_CHURN_N=${PROG_CHURN_N:-5000}
CONFIGS="empty norules presets"
has_falco && CONFIGS="$CONFIGS falco"

# "id name run_time_ns run_cnt" for every tracing program
prog_stats() {
	bpftool prog show | awk '
		$2 == "tracing" {
			id = $1; sub(":", "", id); name = ""; t = 0; n = 0
			for (i = 3; i < NF; i++) {
				if ($i == "name") name = $(i + 1)
				if ($i == "run_time_ns") t = $(i + 1)
				if ($i == "run_cnt") n = $(i + 1)
			}
			print id, name, t, n
		}'
}

# measure LABEL UNITS CMD...: per-program deltas around CMD, for the programs
# the configuration loaded (not in $WORK/others.txt, the ones loaded before it)
measure() {
	local label=$1 units=$2
	shift 2
	prog_stats >"$WORK/before.txt"
	"$@" >/dev/null || die "$* failed"
	sleep 0.2
	prog_stats >"$WORK/after.txt"
	awk -v label="$label" -v units="$units" '
		FILENAME == ARGV[1] { other[$1] = 1; next }
		FILENAME == ARGV[2] { t[$1] = $3; n[$1] = $4; next }
		($1 in other) || !($1 in n) { next }
		{
			runs = $4 - n[$1]; ns = $3 - t[$1]
			if (runs == 0) next
			printf "  %-6s %-16s %9d runs  %6.1f ns/run  %8.2f ms total  %6.2f runs/%s\n",
				label, $2, runs, ns / runs, ns / 1e6, runs / units, label == "dd" ? "syscall" : "exec"
		}' "$WORK/others.txt" "$WORK/before.txt" "$WORK/after.txt"
}

header "3. in-kernel cost per program (kernel.bpf_stats_enabled=1)"
echo "workloads: dd if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT; $BENCH_BIN/spawn_true $PROG_CHURN_N"

SAVED_BPF_STATS=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q -w kernel.bpf_stats_enabled=1 >/dev/null || die "cannot set kernel.bpf_stats_enabled"
for c in $CONFIGS; do
	wait_quiet
	prog_stats >"$WORK/others.txt"
	config_start $c
	[ $c = empty ] && echo "$c:" || echo "$c ($(agent_rules) rules):"
	measure dd $((DD_COUNT * 2)) dd if=/dev/zero of=/dev/null bs=1 count="$DD_COUNT" status=none
	measure churn "$PROG_CHURN_N" "$BENCH_BIN/spawn_true" "$PROG_CHURN_N"
	config_stop
done
sysctl -q -w kernel.bpf_stats_enabled="$SAVED_BPF_STATS" >/dev/null
SAVED_BPF_STATS=
echo "kernel.bpf_stats_enabled restored to $(sysctl -n kernel.bpf_stats_enabled)"
