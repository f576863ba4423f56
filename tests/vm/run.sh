#!/bin/bash
# run.sh LAYOUT: the system tests in a qemu guest whose cgroups are pure
# cgroup2 (v2) or the classic v1 controllers (v1), as TAP for automake's tap
# driver. Run by tests/vm/v2.sh and v1.sh through "make check-vm", which
# passes (see Makefile.am):
#   NSTOP          the nstop just built (it goes into the guest)
#   NSTOP_PROBES   the static test probes make check built (they go too)
#   NSTOP_DLOPEN_SONAMES  the libraries nstop loads with dlopen (configure's
#                  list): they and what they link go too
#   VM_SYSTEM_TESTS       the system tests to run, paths relative to the source tree
#   VM_WORK        where the initramfs and the logs go (in the build tree)
#   VM_CACHE       where the kernel package is kept between runs
#   VM_TIMEOUT     seconds the whole guest may take (default 2400)
#   VM_TEST_TIMEOUT  seconds one test may take in the guest (default 900)
#   VM_ACCEL       kvm or tcg; by default kvm when it works, else tcg
#   VM_SMP         the guest's cpus (default 2, as any host has: the tests
#                  limit containers to 1.5 cpus and pin them to the last one)
#   RT_CYCLES      passed on to the tests in the guest when set (rt-cycles.sh)
#
# Everything comes from Debian packages: the cloud kernel is fetched with
# apt-get download (nothing installed), the guest's tools are the host's own
# binaries of the packages named below, with the libraries they link.
set -u
export LC_ALL=C

layout=${1:?usage: run.sh v2|v1}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
: "${NSTOP:?NSTOP must name the nstop binary under test}"
: "${NSTOP_DLOPEN_SONAMES:?NSTOP_DLOPEN_SONAMES must name the libraries nstop loads with dlopen}"
VM_WORK=${VM_WORK:-$(dirname "$NSTOP")/tests/vm}
VM_CACHE=${VM_CACHE:-$VM_WORK/cache}
VM_TIMEOUT=${VM_TIMEOUT:-2400}
VM_TEST_TIMEOUT=${VM_TEST_TIMEOUT:-900}
VM_SYSTEM_TESTS=${VM_SYSTEM_TESTS:-}
VM_SMP=${VM_SMP:-2}

# The guest's tools: what the system tests and the runtime call, whole
# packages so that a test calling one more tool of them finds it there.
GUEST_PACKAGES="bash dash libc-bin coreutils util-linux mount procps grep sed mawk findutils
	diffutils tar gzip jq runc iproute2 busybox-static hostname nftables"
# Packages taken whole, libraries and data too: perl with its modules (the
# runtime tests probe sockets and syscalls with it).
GUEST_PACKAGES_WHOLE="perl-base $(dpkg-query -W -f='${Package}\n' 'perl-modules-*' 2>/dev/null)"
# and the commands Debian names through alternatives or links of its own
GUEST_COMMANDS="sh awk"
# Kernel modules the guest loads (built as modules in Debian's cloud kernel).
# bridge (stp, llc): --net bridge; nf_tables, nft_masq, nft_chain_nat (nf_nat,
# nf_conntrack): --nat.
GUEST_MODULES="overlay veth bridge nf_tables nft_masq nft_chain_nat"

LOG=$VM_WORK/$layout-console.log
CHAN=$VM_WORK/$layout-tap.out
ROOT=$VM_WORK/$layout-root
INITRD=$VM_WORK/$layout-initramfs.cpio

# ---- TAP out ------------------------------------------------------------------

n=0
bail() {	# REASON: one failing test line saying why, the plan, and out
	n=$((n + 1))
	printf 'not ok %d %s: %s\n' "$n" "$layout" "$1"
	printf '# the guest console log: %s\n' "$LOG"
	[ -s "$LOG" ] && tail -n 30 "$LOG" | sed 's/^/# | /'
	printf '1..%d\n' "$n"
	exit 1
}
note() { printf '# %s\n' "$*"; }

[ -n "$VM_SYSTEM_TESTS" ] || bail "no tests to run (VM_SYSTEM_TESTS is empty: run it with make check-vm)"
[ -x "$NSTOP" ] || bail "no nstop binary at $NSTOP"
[ -n "${NSTOP_PROBES:-}" ] && [ -x "$NSTOP_PROBES/escape" ] ||
	bail "no test probes in NSTOP_PROBES='${NSTOP_PROBES:-}' (make check-vm builds them)"
for c in qemu-system-x86_64 cpio apt-get dpkg-deb flock ldd busybox; do
	command -v "$c" >/dev/null 2>&1 ||
		bail "needs $c (sh tests/install-deps installs it)"
done
mkdir -p "$VM_WORK" "$VM_CACHE" || bail "cannot make $VM_WORK"
: >"$LOG"

# ---- the kernel: Debian's cloud kernel, cached ----------------------------------

# The package linux-image-cloud-amd64 depends on; VM_KERNEL_PKG overrides.
kernel_pkg() {
	[ -n "${VM_KERNEL_PKG:-}" ] && { echo "$VM_KERNEL_PKG"; return; }
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1
}

# Fetches and unpacks PKG into $VM_CACHE/PKG (once), under a lock so that
# the two layouts' runs do not fetch it at once.
fetch_kernel() {
	local pkg=$1 dir=$VM_CACHE/$1
	[ -e "$dir/.done" ] && return 0
	(
		cd "$VM_CACHE" || exit 1
		flock 9
		[ -e "$dir/.done" ] && exit 0
		ls "$pkg"_*.deb >/dev/null 2>&1 || apt-get download "$pkg" >&2 || exit 1
		rm -rf "$dir"
		dpkg-deb -x "$(ls "$pkg"_*.deb | tail -n 1)" "$dir" && touch "$dir/.done"
	) 9>"$VM_CACHE/.lock"
}

pkg=$(kernel_pkg)
if [ -z "$pkg" ]; then
	# no package lists (apt-get update not run): the newest cached kernel
	pkg=$(ls -d "$VM_CACHE"/linux-image-*/.done 2>/dev/null | sort -V | tail -n 1)
	pkg=$(basename "$(dirname "$pkg")" 2>/dev/null)
	[ -n "$pkg" ] && [ "$pkg" != . ] ||
		bail "apt-cache knows no linux-image-cloud-amd64 (run apt-get update) and none is cached in $VM_CACHE"
fi
fetch_kernel "$pkg" >>"$LOG" 2>&1 || bail "could not fetch the kernel package $pkg with apt-get download"
KDIR=$VM_CACHE/$pkg
VMLINUZ=$(ls "$KDIR"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$VMLINUZ" ] || bail "no vmlinuz in $KDIR/boot"
KVER=${VMLINUZ##*/vmlinuz-}
note "kernel $pkg ($KVER) from $KDIR"

# ---- the initramfs -----------------------------------------------------------------

# copy FILE...: into the guest at the same path, symlinks followed.
copy() { cp -L --parents "$@" "$ROOT/" 2>>"$LOG"; }

is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

# add_module NAME: copies the module and, first, those it depends on (as its
# own .modinfo names them), listing each once in modules.list.
add_module() {
	local m=$1 ko d
	grep -qx "$m.ko" "$ROOT/nstop-vm/modules.list" && return 0
	ko=$(find "$KDIR/lib/modules/$KVER" -name "$m.ko" -o -name "${m//_/-}.ko" | head -n 1)
	[ -n "$ko" ] || { echo "no module $m in $KDIR" >>"$LOG"; return 1; }
	for d in $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_module "$d" || return 1
	done
	cp "$ko" "$ROOT/nstop-vm/modules/$m.ko" && echo "$m.ko" >>"$ROOT/nstop-vm/modules.list"
}

# The files of the libraries nstop loads with dlopen (NSTOP_DLOPEN_SONAMES,
# from configure), as the host's loader would find them: the entry of
# ldconfig's cache of nstop's own kind (that of the libc it links), by the
# soname's path, which copy() reads through as it does ldd's.
dlopen_libs() {
	local libc tag so f
	libc=$(ldd "$NSTOP" | awk '$1 == "libc.so.6" { print $3 }')
	tag=$(ldconfig -p | awk -v p="$libc" '$NF == p { print $2; exit }')
	for so in $NSTOP_DLOPEN_SONAMES; do
		f=$(ldconfig -p | awk -v s="$so" -v t="$tag" '$1 == s && $2 == t { print $NF; exit }')
		[ -n "$f" ] || { echo "no $so ($tag) in ldconfig's cache" >>"$LOG"; return 1; }
		echo "$f"
	done
}

build_initramfs() {
	local p f lib dl
	rm -rf "$ROOT" "$INITRD"
	mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64} "$ROOT"/{etc,root,proc,sys,dev,run,tmp} \
		"$ROOT"/nstop-vm/{bb,modules,build,src} || return 1
	# the empty directories every Debian host has (a volume's target, say)
	mkdir -p "$ROOT"/{mnt,media,opt,srv,home,boot} "$ROOT"/var/{tmp,lib,log,cache} \
		"$ROOT"/usr/local/{bin,sbin,lib,share} || return 1
	# a merged /usr, as Debian 12 has it, so that both spellings work
	for p in bin sbin lib lib64; do ln -s usr/$p "$ROOT/$p"; done

	for p in $GUEST_PACKAGES; do
		dpkg -L "$p" >/dev/null 2>&1 || { echo "package $p is not installed" >>"$LOG"; return 1; }
		for f in $(dpkg -L "$p" | grep -E '/s?bin/[^/]+$'); do
			[ -f "$f" ] && copy "$f"
		done
	done
	for p in $GUEST_PACKAGES_WHOLE; do
		for f in $(dpkg -L "$p" 2>/dev/null); do
			# its links as links (perl/5.36 -> 5.36.0 is on @INC)
			if [ -L "$f" ]; then
				cp -P --parents "$f" "$ROOT/" 2>>"$LOG"
			elif [ -f "$f" ]; then
				copy "$f"
			fi
		done
	done
	for p in $GUEST_COMMANDS; do
		f=$(command -v "$p") && copy "$f" || { echo "no $p on this host" >>"$LOG"; return 1; }
	done
	# busybox fills the gaps (init, switch_root, insmod, poweroff) after them
	for f in $(busybox --list); do ln -s /bin/busybox "$ROOT/nstop-vm/bb/$f"; done

	cp "$NSTOP" "$ROOT/nstop-vm/build/nstop" || return 1
	mkdir -p "$ROOT/nstop-vm/build/tests/system/probes" || return 1
	find "$NSTOP_PROBES" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$ROOT/nstop-vm/build/tests/system/probes/" \; || return 1
	(cd "$srcdir" && cp -L --parents -r tests/system $VM_SYSTEM_TESTS "$ROOT/nstop-vm/src/") || return 1
	printf '%s\n' $VM_SYSTEM_TESTS >"$ROOT/nstop-vm/tests.list"
	printf 'TEST_TIMEOUT=%s\n' "$VM_TEST_TIMEOUT" >"$ROOT/nstop-vm/config"
	[ -n "${RT_CYCLES:-}" ] && printf 'export RT_CYCLES=%s\n' "$RT_CYCLES" >>"$ROOT/nstop-vm/config"
	# the libraries nstop loads with dlopen, as the tests that check them know
	printf "export NSTOP_DLOPEN_SONAMES='%s' NSTOP_PROC2_SONAME='%s'\n" "$NSTOP_DLOPEN_SONAMES" \
		"${NSTOP_PROC2_SONAME:-}" >>"$ROOT/nstop-vm/config"
	install -m 755 "$srcdir/tests/vm/init" "$ROOT/init"
	install -m 755 "$srcdir/tests/vm/guest-run" "$ROOT/nstop-vm/guest-run"
	install -m 644 "$srcdir/tests/vm/inittab" "$ROOT/etc/inittab"
	printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
		>"$ROOT/etc/passwd"
	printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
	printf 'passwd: files\ngroup: files\nhosts: files\n' >"$ROOT/etc/nsswitch.conf"
	printf '127.0.0.1 localhost nstop-vm\n::1 localhost\n' >"$ROOT/etc/hosts"

	# the libraries of every program in it, and the dynamic loader; and
	# those nstop loads with dlopen (no ldd of it names them), with theirs
	dl=$(dlopen_libs) || return 1
	for f in $(find "$ROOT" -type f -perm -u+x) $dl; do
		is_elf "$f" || continue
		ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u >"$VM_WORK/$layout-libs"
	printf '%s\n' $dl | sort -u - "$VM_WORK/$layout-libs" -o "$VM_WORK/$layout-libs"
	while IFS= read -r lib; do copy "$lib" || return 1; done <"$VM_WORK/$layout-libs"

	# the modules, each after what it depends on, in the order to load
	: >"$ROOT/nstop-vm/modules.list"
	for m in $GUEST_MODULES; do add_module "$m" || return 1; done

	(cd "$ROOT" && find . | cpio -o -H newc --quiet) >"$INITRD"
}

t0=$(date +%s)
build_initramfs || bail "could not build the initramfs in $ROOT"
note "initramfs $INITRD: $(du -m "$INITRD" | cut -f1) MiB, $(find "$ROOT" -type f | wc -l) files, $(($(date +%s) - t0)) s"
rm -rf "$ROOT"

# ---- boot ---------------------------------------------------------------------------

# kvm when it boots this kernel, else tcg (several times slower). Opening
# /dev/kvm is not enough: nested, it may hang or fail to emulate, so the
# probe boots the kernel with no root, to its panic (a second with kvm).
kvm_boots() {
	local con=$VM_WORK/$layout-kvm-probe.log
	[ -w /dev/kvm ] || { echo "no writable /dev/kvm"; return 1; }
	rm -f "$con"
	timeout -k 5 15 qemu-system-x86_64 -machine q35 -accel kvm -cpu host -m 256 \
		-nodefaults -display none -no-reboot -kernel "$VMLINUZ" \
		-append "console=ttyS0 panic=-1" -serial file:"$con" </dev/null >/dev/null 2>&1
	if grep -q 'Kernel panic' "$con" 2>/dev/null; then rm -f "$con"; return 0; fi
	echo "kvm did not boot the kernel to its panic in 15s: $(wc -l <"$con" 2>/dev/null) console lines"
	rm -f "$con"
	return 1
}
accel=${VM_ACCEL:-}
if [ -z "$accel" ]; then
	if why=$(kvm_boots); then accel=kvm; else accel=tcg; note "$why: tcg"; fi
fi
# Under tcg, one host thread runs all the guest's cpus in turn: the two
# guests run at once on a two-core host, and one thread spares the
# cross-thread TLB flushes every exec costs (several times a second here).
case $accel in kvm) cpu=host accel_opt=kvm ;; *) cpu=max accel_opt=tcg,thread=single ;; esac
note "booting the $layout guest with -accel $accel -smp $VM_SMP (timeout ${VM_TIMEOUT}s)"
echo "nstop-vm: qemu -accel $accel, layout $layout" >>"$LOG"

rm -f "$CHAN"
t0=$(date +%s)
timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
	-machine q35 -accel "$accel_opt" -cpu "$cpu" -smp "$VM_SMP" -m 2048 \
	-nodefaults -display none -no-reboot -nic none \
	-kernel "$VMLINUZ" -initrd "$INITRD" \
	-append "console=ttyS0 panic=-1 mitigations=off nstop.layout=$layout" \
	-chardev file,id=con,path="$LOG.guest" -serial chardev:con \
	-chardev file,id=tap,path="$CHAN" -serial chardev:tap \
	</dev/null >>"$LOG" 2>&1
qrc=$?
took=$(($(date +%s) - t0))
cat "$LOG.guest" >>"$LOG" 2>/dev/null
rm -f "$LOG.guest" "$INITRD"
note "the guest ran ${took}s, qemu exited $qrc"

[ -s "$CHAN" ] || case $qrc in
	124 | 137) bail "the guest timed out after ${VM_TIMEOUT}s before it ran anything" ;;
	0) bail "the guest powered off without running anything (did it boot?)" ;;
	*) bail "qemu exited $qrc before the guest ran anything" ;;
	esac

# ---- relay: the guest's TAP, each test's lines renumbered and named ------------------

# For each test of the guest's checks and of VM_SYSTEM_TESTS, in that order: its
# ok/not ok lines as "ok N LAYOUT: TEST: DESCRIPTION", its diagnostics, and a
# failure of its own when it did not finish, exited non-zero with no "not
# ok", planned other than it ran, or planned nothing.
relay() {
	tr -d '\r' <"$CHAN" | awk -v layout="$layout" -v tests="guest-layout $VM_SYSTEM_TESTS" \
		-v logfile="$LOG" '
	function out(ok, desc) {
		n++
		printf "%s %d %s: %s: %s\n", ok ? "ok" : "not ok", n, layout, cur, desc
		if (!ok) failed_in_test++
	}
	function finish(name, rc) {
		if (plan == "" )
			out(0, "no plan: it died before the end" (rc != "" ? " (status " rc ")" : ""))
		else if (plan == 0 && skip != "")
			out(1, "# SKIP " skip)
		else if (plan != ran)
			out(0, "planned " plan " tests but ran " ran)
		if (rc != "" && rc != 0 && !failed_in_test)
			out(0, "exited " rc (rc == 124 ? " (timed out in the guest)" : ""))
	}
	BEGIN { nt = split(tests, want, " ") }
	/^#nstop-vm begin / {
		if (cur != "") out(0, "did not finish (no end from the guest)")
		cur = substr($0, 17); plan = ""; ran = 0; skip = ""; failed_in_test = 0
		seen[cur] = 1
		next
	}
	/^#nstop-vm end / {
		rc = $NF; finish(cur, rc); cur = ""; next
	}
	/^#nstop-vm done$/ { done = 1; next }
	/^#nstop-vm stderr / { print "# " cur ": stderr: " substr($0, 18); next }
	cur == "" { next }
	/^(not )?ok( |$)/ {
		ok = ($1 == "ok")
		d = $0
		sub(/^(not )?ok *[0-9]* *-? */, "", d)
		ran++
		out(ok, d)
		next
	}
	/^1\.\.[0-9]+/ {
		plan = $0; sub(/^1\.\./, "", plan); sub(/[^0-9].*/, "", plan); plan += 0
		if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) { skip = $0; sub(/^[^#]*# *[Ss][Kk][Ii][Pp] */, "", skip) }
		next
	}
	/^Bail out!/ { out(0, $0); next }
	/^#/ { print "# " cur ": " substr($0, 2); next }
	{ print "# " cur ": " $0 }
	END {
		if (cur != "") out(0, "did not finish: the guest stopped here (see " logfile ")")
		for (i = 1; i <= nt; i++)
			if (!(want[i] in seen)) { cur = want[i]; out(0, "never ran") }
		if (!done) { cur = "guest"; out(0, "the guest did not finish its run (timeout or crash: see " logfile ")") }
		print n >"/dev/stderr"
	}'
}

relay 2>"$VM_WORK/$layout-count"
n=$(cat "$VM_WORK/$layout-count")
rm -f "$VM_WORK/$layout-count"
[ "$n" -gt 0 ] 2>/dev/null || bail "the guest ran no test"
[ "$qrc" -eq 124 ] && { n=$((n + 1)); printf 'not ok %d %s: the guest timed out after %ss\n' "$n" "$layout" "$VM_TIMEOUT"; }
note "the guest console log: $LOG"
printf '1..%d\n' "$n"
