#!/bin/sh
# startup.sh - time from starting the agent to its first alert, and its memory.
#
# A trigger loop runs `cat /etc/shadow` every 10 ms from before the agent
# starts (reading the shadow file is what most rule sets alert on; override
# with TRIGGER). first_alert starts `vigil run`, and times the "running on"
# line (programs attached, /proc scanned) and the first alert on stdout.
# Then the agent's memory: at the first alert, and after 5000 fork+exec and
# a 2 s openat storm at 50,000/s have filled its tables and queues. VmRSS
# counts the kernel's ring buffer (8 MiB by default, mapped twice: 16 MiB of VmRSS)
# and shared libraries; RssAnon is the agent's own heap and stacks.
# Rule sets: the stable presets and, if the file is there, Falco's rules;
# a rule set with no rules enabled gets ready time and memory only.
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
LOAD="$BENCH_BIN/spawn_true 5000 >/dev/null && $BENCH_BIN/open_storm $WORK/storm-target 2 50000 >/dev/null"

stop_trigger() {
	[ -n "$TRIGGER_PID" ] || return 0
	kill "$TRIGGER_PID" 2>/dev/null
	wait "$TRIGGER_PID" 2>/dev/null
	TRIGGER_PID=
}
trap 'stop_trigger; cleanup' EXIT

header "7. start to first alert, and resident memory"
echo "trigger: '$TRIGGER' every 10 ms"
echo "command: $BENCH_BIN/first_alert $STARTUP_TIMEOUT LOAD vigil run [rules]"
echo "load: $LOAD"

echo x >"$WORK/storm-target"
(while :; do $TRIGGER >/dev/null 2>&1; sleep 0.01; done) &
TRIGGER_PID=$!

for c in $CONFIGS; do
	round=1
	: >"$WORK/startup-$c.txt"
	# without rules no alert can come: measure the rest without waiting for it
	timeout=$STARTUP_TIMEOUT
	# shellcheck disable=SC2046 # agent_args is meant to split into words
	if [ "$("$VIGIL" rules list $(agent_args $c) 2>/dev/null | awk 'NR > 1 && / yes /' | wc -l)" = 0 ]; then
		echo "$c: no rules enabled, so no alert: ready time and memory only"
		timeout=1
	fi
	while [ $round -le "$STARTUP_ROUNDS" ]; do
		wait_quiet
		# shellcheck disable=SC2046
		t=$("$BENCH_BIN/first_alert" "$timeout" "$LOAD" "$VIGIL" run $(agent_args $c) 2>"$BG_ERR") ||
			{ cat "$BG_ERR" >&2; die "first_alert failed"; }
		echo "$t" >>"$WORK/startup-$c.txt"
		echo "round $round: $c ($(agent_rules) rules): $(echo "$t" | awk '{
			printf "ready after %s ms, ", $1
			printf $2 == "none" ? "no alert within %s s; " : "first alert after %s ms; ", $2 == "none" ? t : $2
			printf "VmRSS/VmHWM/RssAnon %.1f/%.1f/%.1f MiB at the first alert, ", $3 / 1024, $4 / 1024, $5 / 1024
			printf "%.1f/%.1f/%.1f MiB after the load", $6 / 1024, $7 / 1024, $8 / 1024 }' t="$timeout")"
		round=$((round + 1))
	done
	f=$WORK/startup-$c.txt
	echo "$c: ready, ms:       $(awk '$1 != "none" { print $1 }' "$f" | summary '%.0f')"
	echo "$c: first alert, ms: $(awk '$2 != "none" { print $2 }' "$f" | summary '%.0f')$(awk '
		$2 == "none" { n++ } END { if (n) printf "; %d of %d starts without an alert within %s s", n, NR, t }' \
		t="$timeout" "$f")"
	echo "$c: VmRSS at the first alert, MiB:   $(awk '{ print $3 / 1024 }' "$f" | summary '%.1f')"
	echo "$c: RssAnon at the first alert, MiB: $(awk '{ print $5 / 1024 }' "$f" | summary '%.1f')"
	echo "$c: VmHWM after the load, MiB:       $(awk '{ print $7 / 1024 }' "$f" | summary '%.1f')"
	echo "$c: RssAnon after the load, MiB:     $(awk '{ print $8 / 1024 }' "$f" | summary '%.1f')"
done
