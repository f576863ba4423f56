#!/bin/bash
# Makes a minimal root filesystem from busybox-static into DIR: the system
# tests' --rootfs and the launch benchmark's bundles use it.
#
#   mkrootfs.sh DIR
#
# DIR is created (it must not exist yet, or be empty). It holds
# bin/busybox and a symlink per applet in bin/ and sbin/ (so /bin/true,
# /bin/sh, /sbin/mknod resolve), the empty mount points a runtime needs
# (proc sys dev tmp etc run), and an /etc with passwd, group and hostname
# entries so that ps, id and whoami have names to print. Nothing is
# downloaded: the busybox binary is the host's, which must be statically
# linked (Debian's busybox-static), since the rootfs has no libraries.
set -u

die() { echo "mkrootfs.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: mkrootfs.sh DIR"
dir=$1
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
	die "$dir: exists and is not empty"
fi

bb=${BUSYBOX:-$(command -v busybox)} || die "no busybox (install busybox-static)"
# A dynamic busybox would start nowhere inside: say so now, not as ENOENT later.
if command -v ldd >/dev/null && ldd "$bb" >/dev/null 2>&1; then
	die "$bb is dynamically linked: install busybox-static"
fi

mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,run,root,var/tmp} ||
	die "$dir: cannot make directories"
chmod 1777 "$dir/tmp" "$dir/var/tmp"
cp "$bb" "$dir/bin/busybox" || die "cannot copy $bb"
chmod 755 "$dir/bin/busybox"
for a in $("$dir/bin/busybox" --list); do
	[ "$a" = busybox ] && continue
	ln -sf busybox "$dir/bin/$a"
	ln -sf ../bin/busybox "$dir/sbin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
echo rootfs >"$dir/etc/hostname"
# A marker the tests look for, to tell this root from the host's.
echo nstop-mkrootfs >"$dir/etc/nstop-rootfs"
exit 0
