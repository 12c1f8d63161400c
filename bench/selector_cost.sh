#!/bin/sh
# selector_cost.sh - what the kernel's enforcement selector check adds to a
# syscall, with 1, 100 and 10,000 values in the selector.
#
# The caller is vgbench-open, a copy of open_storm under a name nothing else
# on the machine has; it opens and closes one file ($WORK/vgbench-target)
# flat out for SELECTOR_SECONDS and reports opens per second. The rules,
# all `enforce: kill`:
#
#   exact-N    evt.type = openat and proc.name = vgbench-open
#              and fd.name in (N paths under $WORK/never/)
#   prefix-N   ... and fd.name pmatch (N directories under $WORK/never/)
#
# so for vgbench-open's calls the kernel finds the name (a hash lookup),
# copies and resolves the path and looks it up among the N values (a hash
# map for exact paths, an LPM trie for prefixes), and finds nothing: no
# call can ever match, and for every other process the name lookup already
# fails. The agent runs with --audit, which never kills anyway.
# Configurations, alternated in rounds: base (no agent), capture (the
# exact-N rule with the most values, without `enforce:`: the agent captures
# openat for the rule but checks no selector), and exact-N and prefix-N for
# each N. Reported per openat (+close) over base, and over capture: the
# latter is the selector check alone. Requirement: it must not grow with N.
#
# Runs 'vigil run --audit': bench/run.sh starts it only with BENCH_ENFORCE=1.
#
# Knobs: SELECTOR_N (default "1 100 10000"), SELECTOR_ROUNDS (default 5),
# SELECTOR_SECONDS (default 1), SELECTOR_CONFIGS (a subset of the
# configuration names, e.g. "base capture").

. "$(dirname "$0")/lib.sh"

SELECTOR_N=${SELECTOR_N:-1 100 10000}
SELECTOR_ROUNDS=${SELECTOR_ROUNDS:-5}
SELECTOR_SECONDS=${SELECTOR_SECONDS:-1}
OPENER=$WORK/vgbench-open
TARGET=$WORK/vgbench-target
RESULTS=$WORK/selectors.txt
MAX_N=0
for n in $SELECTOR_N; do
	[ "$n" -gt $MAX_N ] && MAX_N=$n
done
if [ -z "$SELECTOR_CONFIGS" ]; then
	SELECTOR_CONFIGS="base capture"
	for n in $SELECTOR_N; do
		SELECTOR_CONFIGS="$SELECTOR_CONFIGS exact-$n prefix-$n"
	done
fi

# rules_file KIND N ENFORCE: write the rule, print its file name
rules_file() {
	local kind=$1 n=$2 enforce=$3 f=$WORK/rules-$1-$2-$3.yaml op list
	[ -e "$f" ] && { echo "$f"; return; }
	if [ "$kind" = exact ]; then
		op=in
		list=$(awk -v n="$n" -v d="$WORK/never" 'BEGIN {
			for (i = 1; i <= n; i++) printf "%s%s/file-%d", (i > 1 ? ", " : ""), d, i }')
	else
		op=pmatch
		list=$(awk -v n="$n" -v d="$WORK/never" 'BEGIN {
			for (i = 1; i <= n; i++) printf "%s%s/dir-%d", (i > 1 ? ", " : ""), d, i }')
	fi
	{
		echo "- rule: Bench Selector"
		echo "  desc: opens by vgbench-open of paths it never opens; can never match"
		echo "  condition: evt.type = openat and proc.name = vgbench-open and fd.name $op ($list)"
		echo "  output: selector benchmark (file=%fd.name process=%proc.name)"
		echo "  priority: WARNING"
		[ "$enforce" = yes ] && echo "  enforce: kill"
	} >"$f"
	echo "$f"
}

# the vigil run arguments of a configuration
config_args() {
	case $1 in
	capture) echo "-r $(rules_file exact $MAX_N no)" ;;
	exact-* | prefix-*) echo "--audit -r $(rules_file ${1%-*} ${1#*-} yes)" ;;
	esac
}

header "6a. enforcement selectors: cost per openat with N values, $SELECTOR_ROUNDS rounds"
cp "$BENCH_BIN/open_storm" "$OPENER"
echo data >"$TARGET"
echo "workload: $OPENER $TARGET $SELECTOR_SECONDS 0   (openat + close, flat out)"
echo "agent: vigil run --no-network [--audit] -r RULES; configurations: $SELECTOR_CONFIGS"

# the split must be what this benchmark means to measure
for kind in exact prefix; do
	f=$(rules_file $kind "$MAX_N" yes)
	"$VIGIL" rules explain "Bench Selector" -r "$f" 2>/dev/null >"$WORK/explain.txt" ||
		die "vigil rules explain failed on $f"
	grep -q "entirely in the kernel" "$WORK/explain.txt" ||
		{ cat "$WORK/explain.txt"; die "the $kind rule is not kernel-only"; }
done
sed -n 's/^\(enforcement\|    kernel\|    checked\)/  &/p' "$WORK/explain.txt" | cut -c1-150

round=1
while [ $round -le "$SELECTOR_ROUNDS" ]; do
	wait_quiet
	line="round $round:"
	for c in $(rotate $round $SELECTOR_CONFIGS); do
		if [ $c != base ]; then
			# shellcheck disable=SC2046 # config_args is meant to split into words
			bg_start "running on" /dev/null "$VIGIL" run --no-network $(config_args $c)
			sleep "$SETTLE"
		fi
		out=$("$OPENER" "$TARGET" "$SELECTOR_SECONDS" 0) || die "vgbench-open failed"
		bg_stop
		ns=$(echo "$out" | awk '{ printf "%.1f", 1e9 / $3 }')
		echo "$round $c $ns" >>"$RESULTS"
		line="$line $c $ns"
		case $c in
		exact-* | prefix-*)
			# audit mode reports what it would have done: nothing, here
			awk '$1 == "Bench" && $2 == "Selector" && ($3 + $4 + $5 + $6 + $7 + $8) != 0 {
				print "FAIL: the selector matched: " $0 }' "$BG_ERR"
			;;
		esac
	done
	echo "$line  (ns per openat+close)"
	round=$((round + 1))
done

echo "ns per openat+close: base $(awk '$2 == "base" { print $3 }' "$RESULTS" | summary '%.1f')"
for ref in base capture; do
	echo "added ns per openat over $ref, per round:"
	for c in $SELECTOR_CONFIGS; do
		[ $c = base ] || [ $c = $ref ] && continue
		printf '  %-13s %s\n' $c "$(awk -v c=$c -v b=$ref '{ t[$1, $2] = $3 } $2 == c { r[$1] = 1 }
			END { for (i in r) if ((i, b) in t) print t[i, c] - t[i, b] }' "$RESULTS" | summary '%.1f')"
	done
done
