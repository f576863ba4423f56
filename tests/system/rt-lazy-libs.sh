#!/bin/bash
# Verbs pay only for the libraries they use (issue 20.3): libproc2 (and
# libsystemd with its five libraries behind it) where a live scan starts,
# libarchive and libcrypto (libxml2, ICU, libstdc++, nettle, five
# compressors behind them) where an image is unpacked or digested,
# libnftables (libnftnl, libxtables, libgmp) where a NAT table is written,
# libmicrohttpd where serve listens, libsmartcols where a text table is
# printed, libmnl where netlink is talked (a bridge, the topology scan),
# libyajl where a snapshot is written as JSON, libncursesw (libtinfo behind
# it) where the interactive view starts: all with dlopen. So the processes of a launch (the command, which
# is the monitor in the foreground, the init, a detached monitor), `nstop
# --version` and `nstop list -J` (but for libmnl) map none of them,
# as /proc/PID/maps shows while they run; `nstop run` and --version work
# where none of them can be loaded at all, and a scan there fails in one
# line that names the library. Each "not mapped" probe is paired with a
# process where the same probe must find what it loaded (the interactive
# view's in a terminal also in tests/tui/terminal.sh).
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq unshare perl

RTC=nstop-test-rtl-$$	# rtc_name and rtc_reap work on $RTC-*
[ -n "${NSTOP_PROC2_SONAME:-}" ] || cannot_run "NSTOP_PROC2_SONAME unset (run through make check)"
[ -n "${NSTOP_DLOPEN_SONAMES:-}" ] || cannot_run "NSTOP_DLOPEN_SONAMES unset (run through make check)"

# What no launch calls, as /proc/PID/maps names the files. libstdc++ (behind
# ICU) but in a sanitizer build: ASan's and UBSan's runtimes link it
# themselves, so every process of that build maps it.
# libm likewise: nstop rounds and scales without it (size.c, plot.c), but
# the sanitizers' runtimes link it.
SAN_LIBS='|libstdc\+\+|libm'
if ldd "$(readlink -f "$NSTOP")" 2>/dev/null | grep -qE '/lib(a|ub)san\.so'; then
	SAN_LIBS=
	diag "a sanitizer build: libstdc++ and libm are its runtime's, not looked for"
fi
LAZY_RE="/(libproc2|libsystemd|libgcrypt|libgpg-error|libarchive|libcrypto|libssl|libxml2|libicu[a-z]*"
LAZY_RE="$LAZY_RE|libncursesw|libtinfo"
LAZY_RE="$LAZY_RE$SAN_LIBS|libnettle|liblzma|libzstd|liblz4|libbz2|libacl|libnftables|libnftnl"
# libseccomp: the container's filter is compiled at build time (src/rt/rt-seccomp-gen.c)
LAZY_RE="$LAZY_RE|libseccomp"
LAZY_RE="$LAZY_RE|libxtables|libgmp|libmicrohttpd|libgnutls|libsmartcols|libmnl|libyajl)\.so"
maps_lazy() { grep -Eo "$LAZY_RE[^ ]*" "/proc/$1/maps" 2>/dev/null | sort -u | tr '\n' ' '; }

# libproc2 is loaded by the first scan with a process for it (a command line
# with more than printable ASCII, 128 KiB or more, an empty one whose comm is
# not printable ASCII): one is made here, so that the scans below need it
# whatever else runs on this host.
spawn_bg perl -e 'sleep 1000' "$(printf 'caf\303\251')"
for i in $(seq 50); do grep -q caf "/proc/$SPAWNED/cmdline" 2>/dev/null && break; sleep 0.1; done

# ---- a short verb, caught while it writes its output ----------------------------
# Its stdout is a pipe already full (held open here, filled without blocking
# until the kernel takes no byte more): the verb blocks in its first write(2),
# when it has done its work and loaded what it needed, and its maps are read
# then. It is killed by its PID; the pipe stays full for the next one.
case $(uname -m) in
x86_64) NR_WRITE=1 ;;
aarch64|riscv64) NR_WRITE=64 ;;
*) cannot_run "the write(2) syscall number of $(uname -m) is not known here" ;;
esac
full=$TEST_TMP/full
mkfifo "$full" || exit 1
exec {hold}<>"$full"
perl -e 'use Fcntl; my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f | O_NONBLOCK);
	for (my $n = 65536; $n >= 1; $n >>= 1) { 1 while syswrite(STDOUT, "x" x $n) }
	fcntl(STDOUT, F_SETFL, $f)' >&"$hold"
BLOCKED=
blocked_maps() {	# CMD...: BLOCKED is what CMD maps of LAZY_RE once blocked in write
	local pid i exe
	BLOCKED="(never blocked writing)"
	"$@" >"$full" 2>/dev/null </dev/null &
	pid=$!
	register_pid "$pid"
	# (nstop, or the sealed copy of it that the interactive view runs as)
	for i in $(seq 200); do
		exe=$(readlink "/proc/$pid/exe")
		if [ "$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null)" = "$NR_WRITE" ] &&
		   { [ "$exe" = "$(readlink -f "$NSTOP")" ] || [[ "$exe" == "/memfd:nstop "* ]]; }; then
			BLOCKED=$(maps_lazy "$pid")
			break
		fi
		sleep 0.05
	done
	# (a verb that catches TERM would try to finish its write, and block)
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

blocked_maps "$NSTOP" --version
is "$BLOCKED" "" "nstop --version maps none of the libraries it does not use"
# the pair: the same probe on a snapshot finds the scan's library
blocked_maps "$NSTOP" -b -n 1 -J
ok "and a snapshot, caught the same way, maps $NSTOP_PROC2_SONAME: $BLOCKED" \
	eval '[[ "$BLOCKED" == *libproc2.so* ]]'
ok "and libyajl, which writes its JSON" eval '[[ "$BLOCKED" == *libyajl.so* ]]'
# and the interactive view's start, which loads curses first: without a
# terminal it fails, and its one line (stderr into the same full pipe) blocks
blocked_maps sh -c 'exec "$0" -d 10 2>&1' "$NSTOP"
ok "and the interactive view's start, caught the same way, maps libncursesw: $BLOCKED" \
	eval '[[ "$BLOCKED" == *libncursesw.so* ]]'

# ---- what a running container's processes map ---------------------------------
rtc_name mon
run_bg "$RTC_NAME" sleep 100
mon=$MON
ok "the container runs" test "$(state_get "$RTC_NAME" state)" = running
is "$(maps_lazy "$mon")" "" "nstop run (the command, its monitor) maps none of the libraries a launch does not use"
wait_children "$mon" 1
for k in $KIDS; do
	is "$(maps_lazy "$k")" "" "nor does its child $k ($(cat /proc/$k/comm 2>/dev/null))"
done

# The pair: a scan that runs (the batch view, every 10 s) maps both.
"$NSTOP" -b -d 10 -n 2 -J </dev/null >/dev/null 2>&1 &
scan=$!
register_pid "$scan"
# (libyajl comes first, for the JSON writer; libproc2 with the first scan's
# escaping: waiting for anything at all would catch it in between)
for i in $(seq 50); do
	[[ "$(maps_lazy "$scan")" == *libproc2.so* ]] && break
	sleep 0.1
done
ok "a running scan maps $NSTOP_PROC2_SONAME: $(maps_lazy "$scan")" \
	eval '[[ "$(maps_lazy "$scan")" == *libproc2.so* ]]'
kill -TERM "$scan" "$mon"
wait "$scan" "$mon" 2>/dev/null
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- a detached container: its own monitor, its init, and nstop list ------------
rtc_name det
"$NSTOP" run -d --name "$RTC_NAME" -- sleep 100 </dev/null >/dev/null 2>&1
is "$?" 0 "a detached container starts"
dmon=$(state_get "$RTC_NAME" monitor)
dinit=$(state_get "$RTC_NAME" pid)
ok "state.json names its monitor ($dmon) and init ($dinit)" test -n "$dmon" -a -n "$dinit"
ok "its monitor is an nstop ($(cat /proc/$dmon/comm 2>/dev/null))" \
	test "$(cat "/proc/$dmon/comm" 2>/dev/null)" = "$(basename "$NSTOP" | cut -c1-15)"
is "$(maps_lazy "$dmon")" "" "the detached monitor maps none of the libraries a launch does not use"
is "$(maps_lazy "$dinit")" "" "nor does its init"
blocked_maps "$NSTOP" list -J
is "$(printf '%s\n' $BLOCKED | grep -v '^/libmnl\.so')" "" "nstop list -J maps none of them but libmnl"
# the pair: it reads the running container's addresses through netlink
ok "and libmnl, to read the running container's addresses: $BLOCKED" \
	eval '[[ "$BLOCKED" == *libmnl.so* ]]'
# the pair: its table, caught the same way, is libsmartcols's
blocked_maps "$NSTOP" list
ok "and nstop list's table maps libsmartcols: $BLOCKED" eval '[[ "$BLOCKED" == *libsmartcols.so* ]]'
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- where no library loaded with dlopen can be loaded -----------------------------
# Every file the loader could pick for each soname configure names becomes
# /dev/null, in a mount namespace of this test's own (private propagation: the
# host never sees it).
# (ldconfig's cache names them; a guest of make check-vm has none, and its
# loader searches the system's directories, as this does then)
lib_files() {
	local f d
	f=$(ldconfig -p 2>/dev/null | awk -v s="$1" '$1 == s { print $NF }')
	if [ -z "$f" ]; then
		for d in /lib/*-linux-gnu /usr/lib/*-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
			[ -e "$d/$1" ] && f="$f $d/$1"
		done
	fi
	echo $f
}
hide= hide_proc2=
for so in $NSTOP_DLOPEN_SONAMES; do
	libs=$(lib_files "$so")
	ok "the loader finds $so: $libs" test -n "$libs"
	for l in $libs; do
		h="mount --bind /dev/null '$l' && mount --bind /dev/null '$(readlink -f "$l")' &&"
		hide="$hide $h"
		[ "$so" = "$NSTOP_PROC2_SONAME" ] && hide_proc2="$hide_proc2 $h"
	done
done
# CMD... where none of them can be loaded; where libproc2 alone cannot be
without() { unshare -m --propagation private sh -c "$hide"' exec "$@"' sh "$@"; }
without_proc2() { unshare -m --propagation private sh -c "$hide_proc2"' exec "$@"' sh "$@"; }

out=$(without "$NSTOP" --version 2>&1)
is "$?" 0 "--version runs without $NSTOP_DLOPEN_SONAMES ($out)"
rtc_name nolib
out=$(without "$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'echo inside' 2>&1)
is "$?" 0 "run --rm runs a container without them"
is "$out" inside "and the payload's output comes through"
ok "nothing of it is left" test ! -e "$STATE_DIR/$RTC_NAME"

err=$(without_proc2 "$NSTOP" -b -n 1 -J 2>&1 >/dev/null)
is "$?" 1 "a snapshot without libproc2 (and a process that needs it): exit 1"
is "$(echo "$err" | wc -l)" 1 "one line: $err"
ok "it names the library" eval '[[ "$err" == "nstop: "*"cannot load $NSTOP_PROC2_SONAME"* ]]'
err=$(without "$NSTOP" list 2>&1 >/dev/null)
is "$?" 1 "a table without libsmartcols: exit 1"
is "$(echo "$err" | wc -l)" 1 "one line: $err"
ok "it names the library" eval '[[ "$err" == "nstop: list: cannot load libsmartcols.so"* ]]'
# (curses is loaded before the view needs a terminal, or makes anything)
err=$(without "$NSTOP" -d 10 2>&1 >/dev/null </dev/null)
is "$?" 1 "the interactive view without libncursesw: exit 1"
is "$(echo "$err" | wc -l)" 1 "one line: $err"
ok "it names the library" eval '[[ "$err" == "nstop: cannot load libncursesw.so"* ]]'

# ---- libproc2 only where a process needs it ---------------------------------------
# In a pid namespace of its own, a snapshot sees only what is started there.
# pidns.sh [zombie | ARG...]: a perl (and, for zombie, its child turned
# zombie, named z-z), once running, then the snapshot.
# The snapshot is exec'd as the namespace's init: when it ends, the kernel
# ends the rest.
cat >"$TEST_TMP/pidns.sh" <<'EOS'
rm -f "$FIFO" && mkfifo "$FIFO" || exit 1
perl -e '$| = 1; if ($ARGV[0] eq "zombie") { if (fork) { sleep 1; print "r\n"; sleep 100 } $0 = "z-z"; exit 0 } print "r\n"; sleep 100' "$@" >"$FIFO" &
read r <"$FIFO"
exec "$NSTOP" -b -n 1 -J
EOS
pidns_snap() {
	without_proc2 unshare -pf --mount-proc env NSTOP="$NSTOP" FIFO="$TEST_TMP/pidns.fifo" \
		sh "$TEST_TMP/pidns.sh" "$@"
}
cmdline_of() { jq -r --arg c "$1" '.processes[] | select(.comm == $c) | .cmdline' 2>&1; }
script='$| = 1; if ($ARGV[0] eq "zombie") { if (fork) { sleep 1; print "r\n"; sleep 100 } $0 = "z-z"; exit 0 } print "r\n"; sleep 100'
long=$(head -c 100000 /dev/zero | tr '\0' x)
out=$(pidns_snap plain 2>"$TEST_TMP/pidns.err")
is "$?" 0 "without libproc2, a snapshot of plain processes runs (libproc2 loaded when needed) $(head -c 300 "$TEST_TMP/pidns.err")"
is "$(cmdline_of perl <<<"$out")" "perl -e $script plain" "and the command line is as libproc2 gives it"
out=$(pidns_snap zombie 2>"$TEST_TMP/pidns.err")
is "$?" 0 "with a zombie $(head -c 300 "$TEST_TMP/pidns.err")"
is "$(cmdline_of z-z <<<"$out")" "[z-z] <defunct>" "and the zombie's command line is libproc2's"
out=$(pidns_snap long "$long" 2>"$TEST_TMP/pidns.err")
is "$?" 0 "with a 100 KB command line $(head -c 300 "$TEST_TMP/pidns.err")"
is "$(cmdline_of perl <<<"$out" | md5sum)" "$(printf 'perl -e %s long %s\n' "$script" "$long" | md5sum)" \
	"and the command line is whole, as libproc2 gives it"
err=$(pidns_snap "$(printf 'caf\303\251')" 2>&1 >/dev/null)
is "$?" 1 "with a process whose command line is not ASCII, it needs libproc2: exit 1"
ok "and says so in one line: $err" eval '[[ "$err" == "nstop: "*"cannot load $NSTOP_PROC2_SONAME"* && $(wc -l <<<"$err") == 1 ]]'

# ---- the scan verbs still read the process table ---------------------------------
is "$("$NSTOP" -b -n 1 -J | jq -r '[.. | objects | select(has("pid") and .pid == 1)][0].pid')" 1 \
	"the snapshot, libproc2 loaded lazily, lists pid 1"
mntns=$(stat -L -c %i /proc/self/ns/mnt)
is "$("$NSTOP" ns | awk -v i="$mntns" '$1 == i && $2 == "mnt" { print $2 }')" mnt \
	"nstop ns lists this shell's mount namespace"

done_testing
