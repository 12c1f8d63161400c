#!/bin/sh
# The capture on Debian's 6.1 kernel: the same binary, relocated with CO-RE,
# reports an exec with its exact path and arguments and an open with its path.
. "$VIGIL_TESTS/lib.sh"

d=$(mktemp -d)
h=$(helper_copy "$d" vgt-vmcap)
if ! start_agent "$d" --events --no-rules --syscalls openat; then
	echo "not ok vm-capture-agent: the agent did not start"
	exit 0
fi
"$h" open /etc/hostname >/dev/null 2>&1
"$h" exit 7
wait_for "$d/out" '"status":7' 100
stop_agent
if grep '"process_exec"' "$d/out" | grep -q "\"binary\":\"$h\",\"arguments\":\"open /etc/hostname\""; then
	echo "ok vm-capture-exec"
else
	echo "not ok vm-capture-exec: no exec event of $h with its arguments"
fi
if grep '"syscall"' "$d/out" | grep -q '"name":"openat".*"path":"/etc/hostname"'; then
	echo "ok vm-capture-openat-path"
else
	echo "not ok vm-capture-openat-path: no openat of /etc/hostname"
fi
if grep '"process_exit"' "$d/out" | grep -q '"status":7'; then
	echo "ok vm-capture-exit-status"
else
	echo "not ok vm-capture-exit-status: no exit with status 7"
fi
rm -rf "$d"
