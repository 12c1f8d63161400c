#!/bin/sh
# rule_throughput.sh - how many events per second one core evaluates.
#
# A realistic stream: `vigil record` captures everything vigil decodes while
# a scratch copy of this source tree is built from clean (make -j2) and its
# unit tests run. `vigil replay CAPTURE --bench` then decodes every record
# once and times rule evaluation alone over the decoded events, on one
# thread; the rule sets are every shipped preset (--preset all) and, if the
# file is there, Falco's own rules (-r falco_rules.yaml). The two are
# alternated for THROUGHPUT_ROUNDS rounds. Target: at least 2,000,000
# events/s. Finally callgrind counts the instructions spent inside
# rule_engine_eval for one pass over the capture: a number that does not
# drift with the machine's load. For scale, the whole pipeline on one
# thread: `vigil replay CAPTURE` with each rule set (decompression, decoding,
# process and fd tables, evaluation), and with --events (every event
# formatted as a JSON line), CPU time per event. Last, where that time goes
# with every preset: `--bench-rules 10` times each rule after the
# prefilter, and the prefilter's scans (and checks that the prefilter
# changes no result).
#
# The capture is kept in build/bench/build.vcap; CAPTURE=build/bench/build.vcap
# on a later run reuses it and skips the recording.
#
# Knobs: THROUGHPUT_ROUNDS (default 3), BENCH_SECONDS (default 3),
# CAPTURE (an existing capture file: skips the recording), CALLGRIND=0
# (skip the instruction count).

. "$(dirname "$0")/lib.sh"

THROUGHPUT_ROUNDS=${THROUGHPUT_ROUNDS:-3}
BENCH_SECONDS=${BENCH_SECONDS:-3}
CALLGRIND=${CALLGRIND:-1}
RULESETS="all"
has_falco && RULESETS="$RULESETS falco"

ruleset_args() {
	case $1 in
	all) echo "--preset all" ;;
	falco) echo "-r $FALCO_RULES" ;;
	esac
}

header "5. rule evaluation throughput (vigil replay --bench)"

if [ -z "$CAPTURE" ]; then
	CAPTURE=$BENCH_BIN/build.vcap
	SCRATCH=$WORK/src
	mkdir -p "$SCRATCH"
	tar -C "$ROOT" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$SCRATCH" -xf -
	# some unit tests read third-party rules from ../shared, next to the tree
	[ -d "$ROOT/../shared" ] && ln -s "$ROOT/../shared" "$WORK/shared"
	bg_start "recording to" /dev/null "$VIGIL" record -o "$CAPTURE"
	start=$(date +%s.%N)
	(cd "$SCRATCH" && make clean >/dev/null && make -j2 all tests-build >/dev/null 2>&1 &&
		sh tests/run-all.sh --unit) >"$WORK/build.log" 2>&1 ||
		echo "WARNING: the scratch build or its unit tests failed (the capture is still used)"
	end=$(date +%s.%N)
	bg_stop
	echo "capture: vigil record -o CAPTURE during 'make clean && make -j2 all tests-build &&" \
		"sh tests/run-all.sh --unit' in a scratch copy ($(tail -n 1 "$WORK/build.log"))"
	echo "  $(grep 'vigil record:' "$BG_ERR" | tail -n 1 | sed 's/written to [^;]*;/written;/')"
	echo "  $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f s", b - a }'), capture file" \
		"$(du -k "$CAPTURE" | awk '{ printf "%.1f MiB", $1 / 1024 }')"
else
	echo "capture: $CAPTURE (given)"
fi

# the whole pipeline on one thread: replay CAPTURE ARGS... with stdout to /dev/null;
# prints "LABEL CPU_S", CPU = user + system
replay_cpu() {
	local label=$1 t
	shift
	t=$("$BENCH_BIN/timed_run" "$VIGIL" replay "$CAPTURE" "$@") || die "vigil replay $* failed"
	echo "$label $(echo "$t" | awk '{ print $2 + $3 }')"
}

round=1
while [ $round -le "$THROUGHPUT_ROUNDS" ]; do
	for rs in $(rotate $round $RULESETS); do
		# shellcheck disable=SC2046 # ruleset_args is meant to split into words
		out=$("$VIGIL" replay "$CAPTURE" --bench --bench-seconds "$BENCH_SECONDS" $(ruleset_args $rs) 2>&1) ||
			{ echo "$out"; die "vigil replay --bench failed"; }
		rate=$(echo "$out" | sed -n 's/.*CPU: \([0-9]*\) events\/s.*/\1/p')
		EVENTS=$(echo "$out" | sed -n 's/^events: \([0-9]*\) .*/\1/p')
		echo "$rs $rate" >>"$WORK/rates.txt"
		echo "round $round: $rs: $(echo "$out" | tr '\n' ' ')"
		# shellcheck disable=SC2046
		replay_cpu "$rs" $(ruleset_args $rs) >>"$WORK/pipeline.txt"
	done
	replay_cpu json --events >>"$WORK/pipeline.txt"
	round=$((round + 1))
done
for rs in $RULESETS; do
	echo "replay --bench $(ruleset_args $rs): events/s on one core:" \
		"$(awk -v r=$rs '$1 == r { print $2 }' "$WORK/rates.txt" | summary '%.0f')"
done
echo "the whole pipeline on one thread (decompress, decode, enrich, evaluate, alerts to /dev/null):"
for rs in $RULESETS json; do
	[ $rs = json ] && args="--events   (every event as a JSON line)" || args=$(ruleset_args $rs)
	echo "  vigil replay CAPTURE $args: events/s" \
		"$(awk -v r=$rs -v n="$EVENTS" '$1 == r { print n / $2 }' "$WORK/pipeline.txt" | summary '%.0f')"
done

if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
	for rs in $RULESETS; do
		# one timed pass (the loop runs at least once); only rule_engine_eval is counted
		# shellcheck disable=SC2046
		out=$(valgrind --tool=callgrind --toggle-collect=rule_engine_eval \
			--callgrind-out-file="$WORK/callgrind.out" \
			"$VIGIL" replay "$CAPTURE" --bench --bench-seconds 0.000001 $(ruleset_args $rs) 2>&1) ||
			{ echo "$out" | tail -n 5; die "callgrind run failed"; }
		events=$(echo "$out" | sed -n 's/^evaluated: \([0-9]*\) events.*/\1/p')
		ir=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$WORK/callgrind.out")
		echo "callgrind $(ruleset_args $rs): $ir instructions in rule_engine_eval for $events events" \
			"= $(awk -v i="$ir" -v e="$events" 'BEGIN { printf "%.0f", i / e }') instructions/event"
	done
fi

echo "where the time goes with --preset all (replay --bench --bench-rules 10):"
out=$("$VIGIL" replay "$CAPTURE" --bench --bench-seconds 1 --preset all --bench-rules 10 2>&1) ||
	{ echo "$out"; die "vigil replay --bench-rules failed (or the prefilter changed a result)"; }
echo "$out" | sed -n '/^rules, costliest first/,$p' | sed 's/^/  /'
