#!/bin/sh
# Runs the guest tests in tests/vm/guest/ inside a VM that boots Debian's stock
# cloud kernel under qemu (TCG; no KVM needed), for the kernel features the
# build host cannot test: kprobes, fentry, the BPF LSM.
#
#   sh tests/vm/run.sh        (from anywhere; `make vmtest` runs it via tests/run-all.sh)
#
# Prints the guest's result lines ("ok NAME", "not ok NAME: why", "SKIP NAME:
# why") and one "#" line with the timing; a failure to get the kernel, build
# the initramfs or boot the VM is a "not ok vm-...: why" line, followed by the
# end of the console log. The whole console log is kept in $B/vm/console.log.
#
# Environment: B (build dir, default build), VIGIL_VM_CACHE (where the kernel
# is cached, default tests/vm/cache), VIGIL_VM_TIMEOUT (seconds before the VM is
# killed, default 300), VIGIL_VM_TEST_TIMEOUT (seconds one guest test may run,
# default 120).
set -eu

cd "$(dirname "$0")/../.."
B=${B:-build}
cache=${VIGIL_VM_CACHE:-tests/vm/cache}
vm_timeout=${VIGIL_VM_TIMEOUT:-300}
test_timeout=${VIGIL_VM_TEST_TIMEOUT:-120}
out=$B/vm
log=$out/console.log
mkdir -p "$out"

# Shows the end of the console log, indented so that no line of it is counted
# as a result by tests/run-all.sh.
show_log_tail() {
	echo "# console log: $log; its last lines:"
	tr -d '\r' <"$log" | tail -n 40 | sed 's/^/  | /'
}

if ! kernel=$(sh tests/vm/kernel.sh "$cache" 2>"$out/kernel.err"); then
	echo "not ok vm-kernel: $(tail -n 1 "$out/kernel.err")"
	exit 1
fi
set -- "$kernel"/boot/vmlinuz-*
vmlinuz=$1
if ! sh tests/vm/initramfs.sh "$out/initramfs.cpio.gz" 2>"$out/initramfs.err"; then
	echo "not ok vm-initramfs: $(tail -n 1 "$out/initramfs.err")"
	exit 1
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "not ok vm-boot: qemu-system-x86_64 not found (install qemu-system-x86)"
	exit 1
fi

# init=/init: if /init cannot run, the kernel panics (and panic=-1 with
# -no-reboot ends qemu) instead of falling back to busybox's /sbin/init or
# /bin/sh, which would wait on the console until the time limit.
#
# timeout(1) puts qemu in its own process group, so a Ctrl-C on the terminal
# reaches only this script; the trap passes it on rather than leaving qemu
# running until the time limit.
start=$(date +%s.%N)
timeout -k 5 "$vm_timeout" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 \
	-nodefaults -no-user-config -display none -serial stdio -no-reboot \
	-kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 init=/init lsm=lockdown,capability,landlock,bpf vigil_test_timeout=$test_timeout" \
	</dev/null >"$log" 2>&1 &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; exit 130' INT TERM HUP
status=0
wait "$qemu" || status=$?
trap - INT TERM HUP
end=$(date +%s.%N)

console=$(tr -d '\r' <"$log")
results=$(echo "$console" | sed -n '/^=== vigil-vm begin ===$/,/^=== vigil-vm end/p' |
	grep -E '^(ok |not ok|SKIP )' || true)
[ -z "$results" ] || echo "$results"

panic=$(echo "$console" | sed -n 's/.*Kernel panic - not syncing: //p' | head -n 1)
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	why="timed out after $vm_timeout s"
elif [ -n "$panic" ]; then
	why="kernel panic ($panic)"
else
	why="qemu exited with status $status"
fi
if ! echo "$console" | grep -q '^=== vigil-vm begin ===$'; then
	echo "not ok vm-boot: $why before /init started"
	show_log_tail
	exit 1
fi
if ! echo "$console" | grep -q '^=== vigil-vm end'; then
	echo "not ok vm-boot: $why before the guest tests finished"
	show_log_tail
	exit 1
fi
if [ -z "$results" ]; then
	echo "not ok vm-tests: the guest reported no results (is tests/vm/guest/test_*.sh there?)"
	show_log_tail
	exit 1
fi

uptime=$(echo "$console" | sed -n 's/^=== vigil-vm end (uptime \([0-9.]*\) s) ===$/\1/p')
echo "# vm: $(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }') s from qemu start to poweroff" \
	"(guest uptime ${uptime:-?} s); console log in $log"
if echo "$results" | grep -q '^not ok'; then
	exit 1
fi
