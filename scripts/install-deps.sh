#!/bin/sh
# Installs the Debian packages vigil needs to build, run and test, when they are missing.
# Called by `make deps` (and so by `make run` and `make test`); does nothing when all are present.
set -eu

# build: compiler, BPF toolchain and the libraries vigil links
BUILD="make gcc clang llvm bpftool pkg-config libbpf-dev libelf-dev zlib1g-dev libyaml-dev
       libpcre2-dev libjansson-dev"
# test: unit test framework, a real syslog daemon, the VM harness (kernel, emulator, initramfs),
# fuzzing runtime and tools the kernel tests drive
TEST="libcmocka-dev rsyslog qemu-system-x86 busybox-static cpio kmod
      libclang-rt-14-dev python3 netcat-openbsd socat procps iproute2 util-linux libcap2-bin
      curl wget openssh-client perl nodejs e2fsprogs passwd git"

want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "vigil: missing packages:$missing; run as root or install them with apt-get" >&2
	exit 2
fi
echo "vigil: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
