#!/bin/sh
# Checks that the guest is the kernel the build host lacks: one with kernel
# BTF, the BPF LSM enabled, and kprobes, fentry and BPF LSM programs all
# loadable; and that `vigil features` sees it that way. Debian's 6.1 cloud
# kernel supports every feature vigil probes, so any "no" is a probe bug or a
# broken VM, and each one is a failed test.
VIGIL=${VIGIL:-/vigil/bin/vigil}

if [ -f /sys/kernel/btf/vmlinux ]; then
	echo "ok kernel-btf"
else
	echo "not ok kernel-btf: /sys/kernel/btf/vmlinux is missing"
fi

lsms=$(cat /sys/kernel/security/lsm 2>/dev/null)
case ",$lsms," in
*,bpf,*) echo "ok kernel-lsm-bpf" ;;
*) echo "not ok kernel-lsm-bpf: /sys/kernel/security/lsm is '$lsms'" ;;
esac

if [ ! -x "$VIGIL" ]; then
	echo "not ok features: vigil binary missing"
	exit 0
fi
out=$("$VIGIL" features 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
	echo "not ok features: vigil features exited with status $rc"
	echo "$out" | sed 's/^/# /'
	exit 0
fi
for f in tracepoint raw_tracepoint tp_btf fentry kprobe lsm cgroup_sock_addr send_signal ringbuf; do
	line=$(echo "$out" | grep "^$f: " | head -n 1)
	case "$line" in
	"$f: yes") echo "ok features-$f" ;;
	"") echo "not ok features-$f: not reported by vigil features" ;;
	*) echo "not ok features-$f: ${line#"$f: "}" ;;
	esac
done
