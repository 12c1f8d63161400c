#!/bin/sh
# syscall_overhead.sh - what vigil adds to syscalls nobody asked for.
#
# Workload: dd copying DD_COUNT single bytes, i.e. 2 x DD_COUNT read/write
# syscalls that no rule captures. Configurations, alternated in every round
# (the first one rotates): base (nothing loaded), empty (do-nothing programs
# on the same tp_btf sys_enter/sys_exit hooks), and the agent with no
# rules, with the stable presets and, if the file is there, with Falco's
# rules. Per round, each configuration's wall and system time minus base's,
# divided by the syscall count, is its added cost per syscall; the report
# gives the median over rounds. Requirement: agent <= empty + a few ns.
#
# Knobs: DD_COUNT (default 3000000), DD_ROUNDS (default 11).

. "$(dirname "$0")/lib.sh"

DD_COUNT=${DD_COUNT:-3000000}
DD_ROUNDS=${DD_ROUNDS:-11}
NSYS=$((DD_COUNT * 2))
CONFIGS="base empty norules presets"
has_falco && CONFIGS="$CONFIGS falco"
RESULTS=$WORK/syscall.txt

header "1. syscalls nobody asked for: $NSYS read/write calls, $DD_ROUNDS rounds"
echo "workload: $BENCH_BIN/timed_run dd if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT"
echo "configurations: base=nothing, empty=$BENCH_BIN/empty_attach," \
	"norules='vigil run --no-rules', presets='vigil run', falco='vigil run -r $FALCO_RULES'"

round=1
while [ $round -le "$DD_ROUNDS" ]; do
	wait_quiet
	line="round $round:"
	for c in $(rotate $round $CONFIGS); do
		config_start $c
		t=$("$BENCH_BIN/timed_run" dd if=/dev/zero of=/dev/null bs=1 count="$DD_COUNT") ||
			die "dd failed"
		[ $c = presets ] && PRESET_RULES=$(agent_rules)
		[ $c = falco ] && FALCO_RULE_COUNT=$(agent_rules)
		config_stop
		case $c in
		norules | presets | falco)
			# the hooks must have returned at the flag byte for read and write
			captured=$(agent_report '[0-9]* syscall,')
			[ "${captured:-0}" -lt $((DD_COUNT / 10)) ] ||
				echo "FAIL: agent '$c' captured $captured syscalls: it must not capture read/write"
			;;
		esac
		echo "$round $c $t" >>"$RESULTS"
		line="$line $c $(echo "$t" | awk '{ printf "%.3f/%.3f", $1, $3 }')"
	done
	echo "$line  (wall/sys s)"
	round=$((round + 1))
done
echo "rules enabled: presets $PRESET_RULES${FALCO_RULE_COUNT:+, falco $FALCO_RULE_COUNT}"

# per-round differences: "config metric value" where value is ns per syscall
awk -v nsys="$NSYS" '
	{ wall[$1, $2] = $3; sys[$1, $2] = $5; rounds[$1] = 1; cfg[$2] = 1 }
	END {
		for (r in rounds) for (c in cfg) {
			if (c == "base") continue
			print c, "wall", (wall[r, c] - wall[r, "base"]) * 1e9 / nsys
			print c, "sys", (sys[r, c] - sys[r, "base"]) * 1e9 / nsys
			if (c != "empty") {
				print c "-empty", "wall", (wall[r, c] - wall[r, "empty"]) * 1e9 / nsys
				print c "-empty", "sys", (sys[r, c] - sys[r, "empty"]) * 1e9 / nsys
			}
		}
	}' "$RESULTS" >"$WORK/diffs.txt"

echo "base dd: wall $(awk '$2 == "base" { print $3 }' "$RESULTS" | summary '%.3f') s"
echo "added ns per syscall over base (wall | system time):"
for c in $CONFIGS; do
	[ $c = base ] && continue
	printf '  %-8s wall %s\n' $c "$(awk -v c=$c '$1 == c && $2 == "wall" { print $3 }' "$WORK/diffs.txt" | summary '%.1f')"
	printf '  %-8s sys  %s\n' "" "$(awk -v c=$c '$1 == c && $2 == "sys" { print $3 }' "$WORK/diffs.txt" | summary '%.1f')"
done
echo "agent minus empty, ns per syscall (the requirement: a few ns at most):"
for c in $CONFIGS; do
	case $c in base | empty) continue ;; esac
	printf '  %-8s wall %s\n' $c "$(awk -v c=$c-empty '$1 == c && $2 == "wall" { print $3 }' "$WORK/diffs.txt" | summary '%.1f')"
	printf '  %-8s sys  %s\n' "" "$(awk -v c=$c-empty '$1 == c && $2 == "sys" { print $3 }' "$WORK/diffs.txt" | summary '%.1f')"
done
