#!/bin/sh
# Fetches and caches the kernel the VM boots: Debian's stock cloud kernel, the
# image package behind the metapackage linux-image-cloud-amd64.
#
#   sh tests/vm/kernel.sh CACHE_DIR
#
# Prints the directory holding the package's unpacked boot/ (vmlinuz-*,
# config-*) on stdout; on failure prints one line saying why on stderr and
# exits 1.
#
# It also checks that the kernel has built in everything needed before /init
# can print a line: the serial console, gzip initramfs, devtmpfs, ELF and script
# execution. Nothing else the guest uses can be a module here (bpffs, tracefs,
# debugfs, securityfs and cgroup2 are all bool options), so the initramfs carries
# no modules.
#
# The unpacked tree is the cache: a later run that resolves to the same package
# reuses it without touching the network. The package is unpacked into a
# temporary directory and renamed into place, so an interrupted run never leaves
# a half-unpacked kernel that a later run would trust. When apt cannot say which
# package is current (no package lists, offline) the newest cached kernel is
# used; only when nothing is cached do we run `apt-get update` and retry.
set -eu

meta=linux-image-cloud-amd64
cache=$1
mkdir -p "$cache"

fail() {
	echo "$*" >&2
	exit 1
}

# fetch's scratch directory, removed however the script ends.
tmp=
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# The image package the metapackage depends on, e.g. linux-image-6.1.0-56-cloud-amd64.
resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1
}

# Downloads and unpacks package $1 into $cache/$1; returns 1 and leaves the
# reason in $cache/apt.log when apt-get cannot fetch it.
fetch() {
	tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || fail "cannot create a directory in $cache"
	# apt-get download writes into the current directory. As root it warns that
	# the _apt sandbox user cannot write there; the log keeps that out of sight.
	(cd "$tmp" && apt-get download "$1") >"$cache/apt.log" 2>&1 || return 1
	# Only boot/ (image, config, System.map): the guest loads no modules, and
	# they would be 90 MB of the 105 MB the package unpacks to.
	mkdir "$tmp/root"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp/root" ./boot || fail "cannot unpack $1"
	rm -rf "${cache:?}/$1"
	mv "$tmp/root" "$cache/$1" || fail "cannot move the unpacked $1 into $cache"
	# The package superseded whatever kernel was cached before; drop those.
	for old in "$cache"/linux-image-*; do
		[ "$old" = "$cache/$1" ] || rm -rf "$old"
	done
}

is_cached() { # a cached tree that has a kernel image in it
	[ -n "$1" ] && ls "$cache/$1"/boot/vmlinuz-* >/dev/null 2>&1
}

newest_cached() {
	for d in "$cache"/linux-image-*; do
		is_cached "${d#"$cache"/}" && echo "${d#"$cache"/}"
	done | sort -V | tail -n 1
}

pkg=$(resolve)
if ! is_cached "$pkg"; then
	if [ -z "$pkg" ] && is_cached "$(newest_cached)"; then
		pkg=$(newest_cached)
	elif [ -z "$pkg" ] || ! fetch "$pkg"; then
		# No package lists, or lists so old the mirror no longer has the file.
		apt-get update -qq >"$cache/apt.log" 2>&1 ||
			fail "apt-get update failed: $(tail -n 1 "$cache/apt.log")"
		pkg=$(resolve)
		# apt-get update succeeds even when it fetched nothing; its first
		# warning is then the real reason.
		[ -n "$pkg" ] || fail "apt knows no image package behind $meta" \
			"$(sed -n '1s/^[WE]: /(apt-get update: /p' "$cache/apt.log" | sed 's/$/)/')"
		is_cached "$pkg" || fetch "$pkg" || fail "apt-get download $pkg failed: $(tail -n 1 "$cache/apt.log")"
	fi
fi

config=$(ls "$cache/$pkg"/boot/config-*)
for opt in BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS PROC_FS SYSFS BINFMT_ELF BINFMT_SCRIPT \
	SERIAL_8250 SERIAL_8250_CONSOLE; do
	grep -qx "CONFIG_$opt=y" "$config" ||
		fail "$pkg does not build in CONFIG_$opt, which the VM needs to boot"
done
echo "$cache/$pkg"
