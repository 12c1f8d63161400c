#!/bin/sh
# ring_loss.sh - does the agent keep up with a storm of enabled events?
#
# Workload: open_storm, openat + close of one file at STORM_RATE opens/s
# for STORM_SECONDS. Every openat is an event the agent asked for:
#   events   vigil run --events --syscalls openat      every event as a JSON line
#   rule     vigil run -r RULE                          a rule matching every open,
#                                                      one alert per event
# both with stdout to /dev/null and the default 8 MiB ring buffer; the
# requirement is zero drops (kernel ring buffer and output queue). Then the
# rule with --ringbuf-kb 16, where drops must be counted and reported, and,
# for scale, the rule with the storm unpaced (as fast as one core opens).
# Drop numbers come from the agent's exit report (the kernel's `stats`
# map, and the output queue's counters).
#
# Knobs: STORM_RATE (default 100000), STORM_SECONDS (default 10).

. "$(dirname "$0")/lib.sh"

STORM_RATE=${STORM_RATE:-100000}
STORM_SECONDS=${STORM_SECONDS:-10}
TARGET=$WORK/storm-target
RULE=$WORK/storm-rule.yaml

echo data >"$TARGET"
cat >"$RULE" <<EOF
- rule: Benchmark Storm Open
  desc: every open of the ring-loss benchmark's target file
  condition: evt.type = openat and fd.name = $TARGET
  output: storm open (file=%fd.name process=%proc.name pid=%proc.pid)
  priority: NOTICE
EOF

# storm LABEL RATE VIGIL_RUN_ARGS...: one storm against an agent started with the args
storm() {
	local label=$1 rate=$2
	shift 2
	wait_quiet
	bg_start "running on" /dev/null "$VIGIL" run --no-network "$@"
	sleep "$SETTLE"
	local pcpu0 pcpu1 out
	pcpu0=$(proc_cpu_precise_s "$BG_PID")
	out=$("$BENCH_BIN/open_storm" "$TARGET" "$STORM_SECONDS" "$rate") || die "open_storm failed"
	sleep 1   # let the agent drain what is queued
	pcpu1=$(proc_cpu_precise_s "$BG_PID")
	bg_stop
	local sent dropped nostate qdrop warned
	sent=$(agent_report '[0-9]* syscall,')
	dropped=$(agent_report 'dropped [0-9]* (ring buffer full)')
	nostate=$(agent_report '[0-9]* syscall exits without')
	qdrop=$(agent_report '[0-9]* dropped (queue full)')
	warned=$(grep -c 'the kernel dropped' "$BG_ERR")
	echo "$label: vigil run --no-network $*"
	echo "$out" | awk '{ printf "  storm: %d opens in %.1f s = %.0f opens/s\n", $1, $2, $3 }'
	echo "  kernel: $sent syscall records sent, $dropped dropped (ring buffer full), $nostate exits without entry"
	echo "  output queue: $qdrop lines dropped; $warned drop warnings on stderr while running"
	echo "$out" | awk -v a="$pcpu0" -v b="$pcpu1" -v n="$sent" '
		{ printf "  agent CPU: %.2f s = %.2f us per record received (%.0f%% of a core while storming)\n",
			b - a, (b - a) * 1e6 / n, (b - a) * 100 / $2 }'
	if [ "$dropped" = 0 ] && [ "$qdrop" = 0 ]; then
		echo "  => no drops"
	else
		echo "  => DROPS: $dropped in the kernel, $qdrop in the output queue"
	fi
}

header "4. loss under a storm: openat at $STORM_RATE/s for $STORM_SECONDS s"
echo "workload: $BENCH_BIN/open_storm $TARGET $STORM_SECONDS RATE"
storm "events, default 8 MiB ring" "$STORM_RATE" --events --syscalls openat
storm "rule, default 8 MiB ring" "$STORM_RATE" -r "$RULE"
storm "rule, 16 KiB ring" "$STORM_RATE" -r "$RULE" --ringbuf-kb 16
storm "rule, default 8 MiB ring, unpaced storm" 0 -r "$RULE"
