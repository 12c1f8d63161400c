# lib.sh - what every benchmark script shares: paths and knobs, the
# configurations under test (started in the background and stopped again),
# cleanup that always runs, and the statistics the reports quote.
#
# Sourced by the bench/*.sh scripts; POSIX sh plus `local` (dash, bash and
# busybox all have it). The machine these run on is
# shared and noisy, so the scripts never compare numbers from different
# moments: they alternate configurations within a round, compute each
# round's difference or ratio, and report the median over rounds with its
# spread (min..max).

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/vigil}
BENCH_BIN=${BENCH_BIN:-$ROOT/build/bench}
FALCO_RULES=${FALCO_RULES:-$ROOT/../shared/third_party/falco/falco_rules.yaml}
SETTLE=${SETTLE:-0.3}   # seconds to let a configuration settle after it is ready

WORK=$(mktemp -d /tmp/vigil-bench.XXXXXX)
BG_PID=               # the configuration running in the background, if any
BG_ERR=$WORK/bg.err   # its stderr: readiness line, and the agent's exit report
SAVED_BPF_STATS=      # kernel.bpf_stats_enabled before we changed it

die() {
	echo "bench: $*" >&2
	exit 1
}

cleanup() {
	bg_stop
	if [ -n "$SAVED_BPF_STATS" ]; then
		sysctl -q -w kernel.bpf_stats_enabled="$SAVED_BPF_STATS" >/dev/null
		SAVED_BPF_STATS=
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "must run as root (it loads BPF programs)"
[ -x "$VIGIL" ] || die "$VIGIL is missing: run 'make bench'"
[ -x "$BENCH_BIN/empty_attach" ] || die "$BENCH_BIN/empty_attach is missing: run 'make bench'"

# --- configurations --------------------------------------------------------------
#
#   base       nothing loaded
#   empty      bench/empty.bpf.c on tp_btf sys_enter/sys_exit
#   norules    the agent with no rules:              vigil run --no-rules
#   presets    the agent with the stable presets:    vigil run
#   falco      the agent with Falco's stable rules:  vigil run -r falco_rules.yaml

has_falco() {
	[ -r "$FALCO_RULES" ]
}

# the vigil run arguments of an agent configuration
agent_args() {
	case $1 in
	norules) echo "--no-rules" ;;
	presets) echo "" ;;
	falco) echo "-r $FALCO_RULES" ;;
	*) die "unknown agent configuration '$1'" ;;
	esac
}

# bg_start READY_PATTERN STDOUT CMD [ARGS...]: run CMD in the background and
# wait until its stderr shows READY_PATTERN; fail if it exits first
bg_start() {
	local pattern=$1 out=$2 waited=0
	shift 2
	: >"$BG_ERR"
	"$@" >"$out" 2>"$BG_ERR" &
	BG_PID=$!
	while ! grep -q "$pattern" "$BG_ERR"; do
		if ! kill -0 "$BG_PID" 2>/dev/null; then
			wait "$BG_PID"
			BG_PID=
			cat "$BG_ERR" >&2
			die "'$*' exited before it was ready"
		fi
		waited=$((waited + 1))
		[ $waited -lt 3000 ] || die "'$*' was not ready after 30 s"
		sleep 0.01
	done
}

# stop the background configuration (SIGTERM, then SIGKILL after 10 s); its
# stderr stays in $BG_ERR until the next start. Not SIGINT: a non-interactive
# shell starts background jobs with SIGINT ignored, and only programs that
# set their own handler (vigil does) would notice it.
bg_stop() {
	local waited=0
	[ -n "$BG_PID" ] || return 0
	kill -TERM "$BG_PID" 2>/dev/null
	while kill -0 "$BG_PID" 2>/dev/null && [ $waited -lt 1000 ]; do
		sleep 0.01
		waited=$((waited + 1))
	done
	kill -KILL "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
	BG_PID=
}

# config_start NAME [EXTRA VIGIL RUN ARGS...]: bring up a configuration;
# agent alerts go to $WORK/alerts.out
config_start() {
	local name=$1
	shift
	case $name in
	base) ;;
	empty) bg_start "attached" /dev/null "$BENCH_BIN/empty_attach" ;;
	*)
		# shellcheck disable=SC2046 # agent_args is meant to split into words
		bg_start "running on" "$WORK/alerts.out" "$VIGIL" run $(agent_args "$name") "$@" ;;
	esac
	sleep "$SETTLE"
}

config_stop() {
	bg_stop
}

# the agent's rule count, from its "running on" line
agent_rules() {
	sed -n 's/.*: \([0-9]*\) rules enabled.*/\1/p' "$BG_ERR" | head -n 1
}

# a number from the agent's exit report: agent_report 'dropped [0-9]*'
agent_report() {
	grep -o "$1" "$BG_ERR" | head -n 1 | grep -o '[0-9][0-9]*' | head -n 1
}

# --- processes ---------------------------------------------------------------------

# CPU seconds (user + system, all threads) a process has used, from
# /proc/PID/stat; the comm field is skipped by cutting after its ')'
proc_cpu_s() {
	local hz
	hz=$(getconf CLK_TCK)
	sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$hz" '{ printf "%.3f\n", ($12 + $13) / hz }'
}

# CPU seconds to the nanosecond: the sum of every thread's schedstat run time
proc_cpu_precise_s() {
	cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.6f\n", s / 1e9 }'
}

# VmRSS and VmHWM of a process, in MiB
proc_mem_mib() {
	awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { printf "%.1f %.1f\n", r / 1024, h / 1024 }' \
		"/proc/$1/status"
}

# --- reporting ---------------------------------------------------------------------

# numbers on stdin -> "median MEDIAN  min..max MIN..MAX  n N" with printf format $1
summary() {
	sort -g | awk -v f="$1" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "no data"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "median " f "  (min " f ", max " f ", n %d)\n", m, v[1], v[NR], NR
		}'
}

# just the median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# "a b c" rotated left by N: alternates which configuration goes first
rotate() {
	local n=$1 i=0 first
	shift
	while [ $i -lt $((n % $#)) ]; do
		first=$1
		shift
		set -- "$@" "$first"
		i=$((i + 1))
	done
	echo "$@"
}

# warn about tracing programs that are not ours: another agent on the same
# hooks adds its cost to every configuration and noise to the numbers
check_quiet_host() {
	local others
	others=$(bpftool prog show 2>/dev/null | awk '$2 == "tracing" { print $4 }' |
		grep -v -e '^vg_' -e '^empty_sys_' | sort | uniq | tr '\n' ' ')
	[ -z "$others" ] || echo "WARNING: other tracing programs are loaded ($others); numbers include their cost"
	if bpftool prog show 2>/dev/null | grep -q 'name vg_'; then
		echo "WARNING: another vigil is running; its programs run during every configuration"
	fi
}

# wait_quiet: called between rounds, when none of our configurations is
# up: wait up to QUIET_WAIT seconds (default 60) until no tracing program is
# loaded at all, so that another agent's programs (a test run, another
# benchmark) do not add their cost to some configurations and not others;
# say so if the wait gave up
wait_quiet() {
	local waited=0
	while bpftool prog show 2>/dev/null | grep -q '^[0-9]*: tracing'; do
		if [ $waited -ge "${QUIET_WAIT:-60}" ]; then
			echo "NOTE: other tracing programs stayed loaded; this round includes their cost"
			return 0
		fi
		sleep 1
		waited=$((waited + 1))
	done
}

# a benchmark's title, when and where it ran, and whether the host is quiet
# (programs of an agent that just exited linger until the kernel frees them)
header() {
	echo
	echo "=== $* ==="
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(nproc) CPUs"
	wait_quiet >/dev/null
	check_quiet_host
}
