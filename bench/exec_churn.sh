#!/bin/sh
# exec_churn.sh - what process churn costs the agent, per fork+exec.
#
# Workload: spawn_true CHURN_N, i.e. CHURN_N times fork, exec /bin/true and
# wait; every iteration gives the agent a fork, an exec and an exit record,
# plus whatever syscalls its rules capture (the dynamic loader's openat
# calls, for Falco's rules). Measured: the agent's CPU time (user + system,
# all threads) from before the workload to after the agent has caught up,
# divided by CHURN_N; /proc/PID/stat (10 ms ticks) and the threads'
# schedstat run time (ns) are both shown. Also the workload's own time per
# iteration, against base in the same round. Requirement: at most 20 us of
# agent CPU per exec.
#
# Knobs: CHURN_N (default 20000), CHURN_ROUNDS (default 3).

. "$(dirname "$0")/lib.sh"

CHURN_N=${CHURN_N:-20000}
CHURN_ROUNDS=${CHURN_ROUNDS:-3}
CONFIGS="base norules presets"
has_falco && CONFIGS="$CONFIGS falco"
RESULTS=$WORK/churn.txt

header "2. process churn: $CHURN_N x fork+exec /bin/true, $CHURN_ROUNDS rounds"
echo "workload: $BENCH_BIN/spawn_true $CHURN_N /bin/true"

round=1
while [ $round -le "$CHURN_ROUNDS" ]; do
	wait_quiet
	for c in $(rotate $round $CONFIGS); do
		config_start $c
		if [ $c != base ]; then
			cpu0=$(proc_cpu_s "$BG_PID")
			pcpu0=$(proc_cpu_precise_s "$BG_PID")
		fi
		out=$("$BENCH_BIN/spawn_true" "$CHURN_N") || die "spawn_true failed"
		us_per_exec=$(echo "$out" | awk '{ print $3 }')
		if [ $c = base ]; then
			echo "$round $c $us_per_exec 0 0 0" >>"$RESULTS"
			echo "round $round: $c: $us_per_exec us per fork+exec"
			continue
		fi
		sleep 0.5   # the agent polls every 20 ms: let it drain the ring buffer
		cpu1=$(proc_cpu_s "$BG_PID")
		pcpu1=$(proc_cpu_precise_s "$BG_PID")
		rules=$(agent_rules)
		config_stop
		events=$(agent_report 'vigil: [0-9]* events')
		dropped=$(agent_report 'dropped [0-9]*')
		echo "$round $c $us_per_exec $(awk -v a="$cpu0" -v b="$cpu1" -v p="$pcpu0" -v q="$pcpu1" -v n="$CHURN_N" \
			'BEGIN { printf "%.2f %.2f", (b - a) * 1e6 / n, (q - p) * 1e6 / n }') $events" >>"$RESULTS"
		echo "round $round: $c ($rules rules): $us_per_exec us per fork+exec;" \
			"agent CPU $(tail -n 1 "$RESULTS" | awk '{ printf "%s us/exec (stat), %s us/exec (schedstat)", $4, $5 }');" \
			"$events events; $dropped dropped"
	done
	round=$((round + 1))
done

echo "agent CPU per fork+exec, us (schedstat | /proc/PID/stat):"
for c in $CONFIGS; do
	[ $c = base ] && continue
	printf '  %-8s %s\n' $c "$(awk -v c=$c '$2 == c { print $5 }' "$RESULTS" | summary '%.2f')"
	printf '  %-8s %s\n' "" "$(awk -v c=$c '$2 == c { print $4 }' "$RESULTS" | summary '%.2f')"
	printf '  %-8s events per exec %s\n' "" "$(awk -v c=$c -v n="$CHURN_N" '$2 == c { print $6 / n }' "$RESULTS" | median)"
done
echo "workload time added per fork+exec over base in the same round, us:"
for c in $CONFIGS; do
	[ $c = base ] && continue
	printf '  %-8s %s\n' $c "$(awk -v c=$c '{ t[$1, $2] = $3 } $2 == c { r[$1] = 1 }
		END { for (i in r) print t[i, c] - t[i, "base"] }' "$RESULTS" | summary '%.1f')"
done
