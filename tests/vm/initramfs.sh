#!/bin/sh
# Builds the VM's initramfs (cpio newc, gzip) from what the guest needs:
#
#   /init                      tests/vm/init
#   /bin/busybox + applets     the host's busybox (busybox-static), one symlink per applet
#   /vigil/bin/vigil           $B/vigil, when built
#   /vigil/helpers/*           $B/helpers/*, when built
#   /vigil/presets/*.yaml      presets/*.yaml
#   /vigil/tests/...           tests/vm/guest/ (guest test scripts and the files they use)
#   /lib..., /lib64/...        every shared library an ELF above needs, at the path ldd
#                              gives, so the dynamic loader finds it with no ld.so.cache
#
#   sh tests/vm/initramfs.sh OUT
#
# Run from the repository top. The archive is rebuilt only when an input
# changed: OUT.manifest records every guest path with the hash and mode of its
# source (and the hash of this script and the busybox applet list), and a build
# whose manifest equals the stored one is skipped. Hashing content rather than
# comparing mtimes keeps a `touch` or a fresh checkout from forcing a rebuild
# and never misses a file replaced by an older one.
set -eu

B=${B:-build}
out=$1
stage=${out%.cpio.gz}-root
files=$(mktemp)
manifest=$(mktemp)
trap 'rm -f "$files" "$manifest"' EXIT

fail() {
	echo "$*" >&2
	exit 1
}

# add GUEST HOST: put host file HOST into the guest at GUEST. Tab-separated so
# paths may hold spaces.
add() {
	printf '%s\t%s\n' "$1" "$2" >>"$files"
}

# add_elf GUEST HOST: as add, plus the shared libraries and loader HOST needs.
# ldd fails on static binaries and scripts; those need nothing more.
add_elf() {
	add "$1" "$2"
	libs=$(ldd "$2" 2>/dev/null) || return 0
	missing=$(echo "$libs" | awk '$2 == "=>" && $3 == "not" { print $1 }')
	[ -z "$missing" ] || fail "$2 needs $(echo "$missing" | tr "\n" " ")which ldd cannot find"
	for lib in $(echo "$libs" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		add "$lib" "$lib"
	done
}

busybox=$(command -v busybox) || fail "busybox not found (install busybox-static)"
add /init tests/vm/init
add_elf /bin/busybox "$busybox"
[ -f "$B/vigil" ] && add_elf /vigil/bin/vigil "$B/vigil"
for h in "$B"/helpers/*; do
	[ -f "$h" ] && add_elf "/vigil/helpers/${h##*/}" "$h"
done
for p in presets/*.yaml; do
	[ -f "$p" ] && add "/vigil/presets/${p##*/}" "$p"
done
find tests/vm/guest -type f | while IFS= read -r g; do
	add "/vigil/tests/${g#tests/vm/guest/}" "$g"
done

# The same library can be reached from two binaries; keep one entry per guest path.
sort -u -o "$files" "$files"
applets=$("$busybox" --list-full)
{
	echo "script $(sha256sum <"$0" | cut -d' ' -f1)"
	echo "applets $(echo "$applets" | sha256sum | cut -d' ' -f1)"
	while IFS="$(printf '\t')" read -r guest host; do
		[ -r "$host" ] || fail "cannot read $host"
		echo "$guest $(sha256sum <"$host" | cut -d' ' -f1) $(stat -L -c %a "$host")"
	done <"$files"
} >"$manifest"

if [ -f "$out" ] && cmp -s "$manifest" "$out.manifest"; then
	exit 0
fi

rm -rf "$stage"
mkdir -p "$stage"
(cd "$stage" && mkdir -p dev proc sys tmp run root etc)
while IFS="$(printf '\t')" read -r guest host; do
	mkdir -p "$stage${guest%/*}"
	cp -L "$host" "$stage$guest"
	chmod "$(stat -L -c %a "$host")" "$stage$guest"
done <"$files"
# The kernel execs /init directly, whatever mode the checkout gave the file.
chmod 755 "$stage/init"
echo "$applets" | while IFS= read -r a; do
	[ -e "$stage/$a" ] && continue
	mkdir -p "$stage/${a%/*}"
	ln -s /bin/busybox "$stage/$a"
done

# Owner root for every entry, whoever builds it; sorted names for a stable archive.
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
cp "$manifest" "$out.manifest"
