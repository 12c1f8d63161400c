# lib.sh - shared by the guest tests: start and stop an agent, wait for things.
# Sourced, not run. Agents write to files under a scratch directory.

VIGIL=${VIGIL:-/vigil/bin/vigil}
HELPERS=${VIGIL_HELPERS:-/vigil/helpers}

# wait_for FILE PATTERN [TENTHS]: wait until FILE contains PATTERN (default 10 s)
wait_for() {
	n=0
	while [ $n -lt "${3:-100}" ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# start_agent DIR ARGS...: vigil run ARGS in the background, output in DIR/out, DIR/err
start_agent() {
	dir=$1
	shift
	"$VIGIL" run "$@" >"$dir/out" 2>"$dir/err" &
	AGENT=$!
	if ! wait_for "$dir/err" "running on" 300; then
		echo "# agent did not start:"
		sed 's/^/#   /' "$dir/err"
		return 1
	fi
}

stop_agent() {
	[ -n "${AGENT:-}" ] && kill -INT "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	AGENT=
}

# helper NAME: a copy of vg_helper with that name in DIR; prints its path
helper_copy() {
	cp "$HELPERS/vg_helper" "$1/$2" && echo "$1/$2"
}
