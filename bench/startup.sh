#!/bin/sh
# startup.sh - time from starting the agent to its first alert, and its memory.
#
# A trigger loop runs `cat /etc/shadow` every 10 ms from before the agent
# starts (reading the shadow file is what most rule sets alert on; override
# with TRIGGER). The clock starts just before `vigil run` is launched and
# stops when the first alert line is on its stdout; the time to the
# "running on" line (programs attached, /proc scanned) is shown too. Then
# the agent's VmRSS and VmHWM: right after the first alert, and after
# process churn and an openat storm have filled its tables and queues.
# Rule sets: the stable presets and, if the file is there, Falco's rules.
# For comparison, Falco 0.44 on this machine: 1.9 s, 56 MiB resident.
#
# Knobs: STARTUP_ROUNDS (default 5), TRIGGER (default 'cat /etc/shadow'),
# STARTUP_TIMEOUT seconds (default 10).

. "$(dirname "$0")/lib.sh"

STARTUP_ROUNDS=${STARTUP_ROUNDS:-5}
TRIGGER=${TRIGGER:-cat /etc/shadow}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-10}
CONFIGS="presets"
has_falco && CONFIGS="$CONFIGS falco"
TRIGGER_PID=
ALERTS=$WORK/alerts.out

stop_trigger() {
	[ -n "$TRIGGER_PID" ] || return 0
	kill "$TRIGGER_PID" 2>/dev/null
	wait "$TRIGGER_PID" 2>/dev/null
	TRIGGER_PID=
}
trap 'stop_trigger; cleanup' EXIT

now_ms() {
	date +%s%N | awk '{ printf "%.1f\n", $1 / 1e6 }'
}

# one start: prints "READY_MS ALERT_MS" (ALERT_MS is "none" after the timeout)
first_alert() {
	local t0 ready=none alert=none deadline
	: >"$ALERTS"
	: >"$BG_ERR"
	t0=$(now_ms)
	# shellcheck disable=SC2046 # agent_args is meant to split into words
	"$VIGIL" run $(agent_args "$1") >"$ALERTS" 2>"$BG_ERR" &
	BG_PID=$!
	deadline=$(awk -v t="$t0" -v s="$STARTUP_TIMEOUT" 'BEGIN { print t + s * 1000 }')
	while :; do
		if [ $ready = none ] && grep -q "running on" "$BG_ERR"; then
			ready=$(now_ms)
		fi
		if [ -s "$ALERTS" ]; then
			alert=$(now_ms)
			break
		fi
		kill -0 "$BG_PID" 2>/dev/null || die "the agent exited: $(cat "$BG_ERR")"
		[ "$(now_ms | awk -v d="$deadline" '{ print ($1 > d) }')" = 0 ] || break
		sleep 0.005
	done
	echo "$ready $alert" | awk -v t="$t0" '{
		printf "%s %s\n", $1 == "none" ? "none" : $1 - t, $2 == "none" ? "none" : $2 - t }'
}

header "6. start to first alert, and resident memory"
echo "trigger: '$TRIGGER' every 10 ms; agent: vigil run [rules] > alerts"

(while :; do $TRIGGER >/dev/null 2>&1; sleep 0.01; done) &
TRIGGER_PID=$!

for c in $CONFIGS; do
	round=1
	while [ $round -le "$STARTUP_ROUNDS" ]; do
		t=$(first_alert $c)
		rules=$(agent_rules)
		mem=$(proc_mem_mib "$BG_PID")
		if [ $round = "$STARTUP_ROUNDS" ]; then
			# the last start stays up for the memory under load
			"$BENCH_BIN/spawn_true" 5000 >/dev/null
			echo x >"$WORK/storm-target"
			"$BENCH_BIN/open_storm" "$WORK/storm-target" 2 50000 >/dev/null
			sleep 0.5
			loaded=$(proc_mem_mib "$BG_PID")
		fi
		bg_stop
		echo "$t" >>"$WORK/startup-$c.txt"
		echo "round $round: $c ($rules rules): ready after $(echo "$t" | awk '{ print $1 }') ms," \
			"first alert after $(echo "$t" | awk '{ print $2 }') ms; VmRSS/VmHWM $mem MiB"
		round=$((round + 1))
	done
	echo "$c: first alert, ms: $(awk '$2 != "none" { print $2 }' "$WORK/startup-$c.txt" | summary '%.0f')"
	echo "$c: ready, ms: $(awk '$1 != "none" { print $1 }' "$WORK/startup-$c.txt" | summary '%.0f')"
	echo "$c: VmRSS/VmHWM after 5000 fork+exec and a 2 s openat storm at 50000/s: $loaded MiB"
done
