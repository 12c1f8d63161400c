#!/bin/sh
# kill_latency.sh - from an offending syscall to the process's death.
#
# The victim is vgbench-victim, a copy of kill_latency under a name nothing
# else on the machine has; its forked children open $WORK/vgbench-target,
# a file nothing else opens, and time each attempt (kill_latency.c: from
# CLOCK_BOOTTIME just before the openat to waitpid reporting SIGKILL).
# Two rules, each run by its own `vigil run --enforce`:
#
#   kernel      evt.type = openat and proc.name = vgbench-victim
#               and fd.name = TARGET
#               entirely kernel-evaluable: SIGKILL at syscall entry; the
#               call never returns to user space
#   userspace   the same and proc.args contains vgbench
#               the kernel cannot read proc.args: it sends the event at
#               once, userspace finishes the condition and kills, then
#               escalates (installs a kernel selector for this executable
#               and path), so the next attempt dies in the kernel
#
#   self        no agent: the victim kills itself right after the open;
#               the floor of the measure (open, signal delivery, exit,
#               the parent's wakeup), to read the others against
#
# kernel and self: KILL_N attempts per round; userspace: a fresh agent per round and
# two attempts, the userspace kill and the escalated kernel kill. Medians
# over KILL_ROUNDS rounds. The agent's own measure of a userspace kill
# ("killed (userspace, N us)" in the alert) is shown too.
#
# Runs 'vigil run --enforce': bench/run.sh starts it only with
# BENCH_ENFORCE=1. Only processes named vgbench-victim that open the target
# can match; the escalated selector names the victim's executable and the
# target, both unique to this run.
#
# Knobs: KILL_ROUNDS (default 5), KILL_N (default 20).

. "$(dirname "$0")/lib.sh"

KILL_ROUNDS=${KILL_ROUNDS:-5}
KILL_N=${KILL_N:-20}
VICTIM=$WORK/vgbench-victim
TARGET=$WORK/vgbench-target
RESULTS=$WORK/kills.txt

# rules_file NAME EXTRA_CONDITION: print the rules file's name
rules_file() {
	local f=$WORK/kill-$1.yaml
	cat >"$f" <<EOF
- rule: Bench Kill $1
  desc: the kill latency benchmark's victim opening its target
  condition: evt.type = openat and proc.name = vgbench-victim and fd.name = $TARGET$2
  output: kill benchmark (file=%fd.name process=%proc.name pid=%proc.pid)
  priority: WARNING
  enforce: kill
EOF
	echo "$f"
}

# attempts LABEL N [self]: run the victim N times; record "LABEL LATENCY_US returned|not-returned"
# per kill and "LABEL survived" per survivor; print the attempts on one line
attempts() {
	local label=$1 n=$2
	"$VICTIM" "$TARGET" "$n" 2 $3 | awk -v l="$label" -v f="$RESULTS" '
		$2 == "killed" { print l, $3, $4 >>f; printf "%s%s us (%s)", (NR > 1 ? ", " : ""), $3, $4 }
		$2 == "survived" { print l, "survived" >>f; printf "%sSURVIVED", (NR > 1 ? ", " : "") }
		END { print "" }'
}

header "6b. enforcement: time from the offending syscall to SIGKILL, $KILL_ROUNDS rounds"
cp "$BENCH_BIN/kill_latency" "$VICTIM"
echo data >"$TARGET"
KERNEL_RULES=$(rules_file kernel "")
USER_RULES=$(rules_file userspace " and proc.args contains vgbench")
echo "victim: $VICTIM $TARGET N"
for f in "$KERNEL_RULES" "$USER_RULES"; do
	name=$(sed -n 's/^- rule: //p' "$f")
	echo "rule '$name': $(sed -n 's/^  condition: //p' "$f")"
	echo "  $("$VIGIL" rules explain "$name" -r "$f" 2>/dev/null | grep '^enforcement:')"
done
"$VIGIL" rules explain "Bench Kill kernel" -r "$KERNEL_RULES" 2>/dev/null | grep -q "entirely in the kernel" ||
	die "the kernel rule is not kernel-only"

round=1
while [ $round -le "$KILL_ROUNDS" ]; do
	wait_quiet
	echo "round $round: no agent, the victim kills itself: $(attempts self "$KILL_N" self)"
	bg_start "running on" "$WORK/alerts-kernel.out" "$VIGIL" run --no-network --enforce -r "$KERNEL_RULES"
	sleep "$SETTLE"
	echo "round $round: kernel rule: $(attempts kernel "$KILL_N")"
	bg_stop
	grep '^  Bench Kill' "$BG_ERR" | sed 's/^ */  agent counters (KERNEL USER DENIED WOULDK WOULDD SPARED): /'

	bg_start "running on" "$WORK/alerts-user.out" "$VIGIL" run --no-network --enforce -r "$USER_RULES"
	sleep "$SETTLE"
	first=$(attempts userspace 1)
	second=$(attempts escalated 1)
	sleep 0.2   # the alerts of the last kill
	bg_stop
	echo "round $round: userspace rule: first attempt $first; second attempt $second"
	grep '^  Bench Kill' "$BG_ERR" | sed 's/^ */  agent counters (KERNEL USER DENIED WOULDK WOULDD SPARED): /'
	sed -n 's/.*killed (userspace, \([0-9]*\) us).*/\1/p' "$WORK/alerts-user.out" | head -n 1 |
		awk '{ print "  the agent measured its userspace kill: " $1 " us after syscall entry" }'
	round=$((round + 1))
done

for l in self kernel userspace escalated; do
	printf '%-10s kill latency, us: %s\n' $l \
		"$(awk -v l=$l '$1 == l && $2 != "survived" { print $2 }' "$RESULTS" | summary '%.1f')"
	printf '%-10s attempts that survived: %s\n' "" \
		"$(awk -v l=$l '$1 == l && $2 == "survived" { n++ } END { print n + 0 }' "$RESULTS")"
	printf '%-10s returned to user space before the kill: %s of %s\n' "" \
		"$(awk -v l=$l '$1 == l && $3 == "returned" { n++ } END { print n + 0 }' "$RESULTS")" \
		"$(awk -v l=$l '$1 == l && $2 != "survived" { n++ } END { print n + 0 }' "$RESULTS")"
done
