#!/bin/bash
# A container's owner plants a library and waits for a process of the host
# to load it (docker cp's CVE-2019-14271, where docker-tar loaded the
# container's libnss). The container's root holds probes/planted.c, built
# under every name a process might load from there: each soname nstop
# dlopens, an NSS module that /etc/nsswitch.conf names, libgcc_s, and a
# gconv module that its own gconv-modules and a German libc.mo in charset
# KOI8-R make glibc load when it translates an error (the operator's
# LANGUAGE=de). An /etc/ld.so.cache made by ldconfig inside points at them.
# Its constructor leaves a record in /out (a volume of the test's) or in the
# root (a directory of the test's). First a control: the container's own
# program loads it and it runs. Then every verb of the operator that enters
# that root or looks at the container - exec, enter, run (a failing payload,
# an image whose WorkingDir cannot be made, --net container:, --net bridge),
# -b -J with its net topology, ns, inspect, list - must leave no record:
# nothing of the container's ran in a process of the host. (The TUI's E
# runs the same child as enter; it is not here because the TUI has always
# translated an error of its own before, and glibc then keeps the host's
# catalog for the child: against the code before the fix it did not fail.)
. "$(dirname "$0")/net-lib.sh"
net_host_enter "$0" "$@"
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/image-lib.sh"

require_root
require_cmd jq ldd ldconfig perl tar gzip ip unshare mount "${CC:-cc}"
net_host_setup || cannot_run "cannot make the test's own host namespaces"
[ -n "${NSTOP_DLOPEN_SONAMES:-}" ] || cannot_run "NSTOP_DLOPEN_SONAMES unset (run through make check)"

RTC=nstop-test-planted-$$
BR=nst-p$$
register_cmd "ip link del $BR"
T=$TEST_TMP
R=$T/root
OUT=$T/out
mkdir -p "$OUT"
PROBE_SRC=$(dirname "$0")/probes/planted.c

# The operator's locale, two ways gettext reads German messages: C.UTF-8
# (every Debian has it) with LANGUAGE=de, and a locale named de_DE.UTF-8
# (C.UTF-8's files under that name, in LOCPATH) without LANGUAGE, which a
# command's own environment cannot take away. lib.sh's LC_ALL=C would
# translate nothing, so it goes.
mkdir -p "$T/loc" && cp -a /usr/lib/locale/C.utf8 "$T/loc/de_DE.UTF-8" ||
	cannot_run "no /usr/lib/locale/C.utf8"
MODE=language
op() {
	if [ "$MODE" = language ]; then
		env -u LC_ALL LANG=C.UTF-8 LANGUAGE=de timeout -s KILL 60 "$NSTOP" "$@"
	else
		env -u LC_ALL -u LANGUAGE LOCPATH="$T/loc" LANG=de_DE.UTF-8 timeout -s KILL 60 "$NSTOP" "$@"
	fi
}
[ "$(env -u LC_ALL LANG=C.UTF-8 locale charmap 2>/dev/null)" = UTF-8 ] ||
	cannot_run "the host has no C.UTF-8 locale"

# ---- the attacker's root ------------------------------------------------------------
"$MKROOTFS" "$R" >/dev/null || cannot_run "mkrootfs.sh failed"
"${CC:-cc}" -DPLANTED_CONTROL -O2 -Wall -o "$R/control" "$PROBE_SRC" ||
	cannot_run "cannot build the control of probes/planted.c"
# the loader and libc the control needs, and the C.UTF-8 locale for it
for l in $(ldd "$R/control" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
	mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l" || cannot_run "cannot copy $l"
done
mkdir -p "$R/usr/lib/locale" && cp -a /usr/lib/locale/C.utf8 "$R/usr/lib/locale/" ||
	cannot_run "no /usr/lib/locale/C.utf8"
LIBC=$(ldd "$R/control" | sed -n 's/.*libc\.so\.6 => \(\/[^ ]*\).*/\1/p')
ARCHDIR=$(dirname "$LIBC")			# /lib/x86_64-linux-gnu
GCONV=$(ls -d /usr/lib/*/gconv 2>/dev/null | head -1)
[ -n "$GCONV" ] || cannot_run "the host has no gconv directory"
DIRS="$ARCHDIR /usr$ARCHDIR /lib /usr/lib"
DIRS=$(printf '%s\n' $DIRS | sed 's|^/usr/usr/|/usr/|' | sort -u | tr '\n' ' ')
planted=0
for so in $NSTOP_DLOPEN_SONAMES libnss_planted.so.2 libnss_files.so.2 libgcc_s.so.1; do
	for d in $DIRS; do
		mkdir -p "$R$d"
		"${CC:-cc}" -shared -fPIC -O2 -Wall -Wl,-soname,"$so" -o "$R$d/$so" "$PROBE_SRC" ||
			cannot_run "cannot build probes/planted.c as $so"
		planted=$((planted + 1))
	done
done
printf '%s\n' $DIRS >"$R/etc/ld.so.conf"
ldconfig -r "$R" 2>/dev/null
[ -s "$R/etc/ld.so.cache" ] || cannot_run "ldconfig -r made no ld.so.cache"
printf 'passwd: planted\ngroup: planted\nshadow: planted\nhosts: planted\ninitgroups: planted\n' \
	>"$R/etc/nsswitch.conf"
mkdir -p "$R$GCONV"
"${CC:-cc}" -shared -fPIC -O2 -Wall -o "$R$GCONV/KOI8-R.so" "$PROBE_SRC" ||
	cannot_run "cannot build probes/planted.c as a gconv module"
printf 'module\tKOI8-R//\tINTERNAL\tKOI8-R\t1\nmodule\tINTERNAL\tKOI8-R//\tKOI8-R\t1\n' \
	>"$R$GCONV/gconv-modules"
# libc.mo: every error message of the host's strerror, "translated", in KOI8-R
mkdir -p "$R/usr/share/locale/de/LC_MESSAGES"
perl -e '
	use POSIX qw(strerror);
	my %m = ("" => "Content-Type: text/plain; charset=KOI8-R\n");
	$m{strerror($_)} = "planted " . $_ for 1 .. 133;
	my @k = sort keys %m; my $n = @k;
	my ($o, $t) = (28, 28 + 8 * $n); my $d = 28 + 16 * $n;
	my ($ot, $tt, $data) = ("", "", "");
	for (@k) { $ot .= pack("VV", length, $d + length $data); $data .= "$_\0"; }
	for (@k) { $tt .= pack("VV", length $m{$_}, $d + length $data); $data .= "$m{$_}\0"; }
	print pack("VVVVVVV", 0x950412de, 0, $n, $o, $t, 0, 0), $ot, $tt, $data;
' >"$R/usr/share/locale/de/LC_MESSAGES/libc.mo" || cannot_run "cannot write libc.mo"
diag "planted $planted libraries in $DIRS, a gconv module in $GCONV, libc.mo, nsswitch.conf"
# A second root, the same but for its /bin/sh, which exists and cannot be
# run (its interpreter is missing): the shell enter and exec
# start by default fails after the switch, and its error is translated.
R2=$T/root2
cp -a "$R" "$R2" || cannot_run "cannot copy the planted root"
rm -f "$R2/bin/sh" "$R2/sbin/sh"
printf '#!/no/such/interpreter\n' >"$R2/bin/sh"
chmod 755 "$R2/bin/sh"

# records CASE: the planted library ran nowhere since the last call
records() { ls "$OUT"/planted-ran.* "$R"/planted-ran.* 2>/dev/null; }
none_ran() {
	local r
	r=$(records)
	if [ -z "$r" ]; then
		pass "$1: nothing planted ran"
	else
		fail "$1: nothing planted ran" "it ran: $(for f in $r; do tr '\n' ' ' <"$f"; echo; done)"
	fi
	rm -f "$OUT"/planted-ran.* "$R"/planted-ran.*
}

# ---- a container of that root, and the control ------------------------------
rtc_name c; C=$RTC_NAME
op run -d --name "$C" --rootfs "$R" -v "$OUT:/out" </dev/null >/dev/null 2>"$T/c.err" ||
	fail "a container of the planted root starts" "$(cat "$T/c.err")"
wait_state "$C" running || fail "it runs"
CINIT=$(init_pid "$C")
rtc_name sh; C2=$RTC_NAME
op run -d --name "$C2" --rootfs "$R2" -v "$OUT:/out" </dev/null >/dev/null 2>"$T/c2.err" ||
	fail "a container of the second root starts" "$(cat "$T/c2.err")"
wait_state "$C2" running || fail "it runs"
CINIT2=$(init_pid "$C2")
none_ran "run -d (the inits)"
first=${NSTOP_DLOPEN_SONAMES%% *}
op exec "$C" -- /control "$first" </dev/null >/dev/null 2>&1
is "$?" 0 "control: the container's own program dlopens $first"
case $(records) in
*planted-ran.*) pass "control: and the planted library ran ($(tr '\n' ' ' <"$(records | head -1)"))" ;;
*) fail "control: and the planted library ran" "no record in $OUT or $R" ;;
esac
rm -f "$OUT"/planted-ran.* "$R"/planted-ran.*
op exec "$C" -- /control strerror </dev/null >/dev/null 2>&1
case $(records) in
*planted-ran.*) pass "control: its strerror under LANGUAGE=de loads the planted gconv module" ;;
*) fail "control: its strerror under LANGUAGE=de loads the planted gconv module" "no record" ;;
esac
rm -f "$OUT"/planted-ran.* "$R"/planted-ran.*

for MODE in language lang; do
# ---- exec and enter ---------------------------------------------------------
op exec "$C" -- /bin/true </dev/null >/dev/null 2>"$T/x.err"
is "$?" 0 "[$MODE] exec NAME -- /bin/true works"
none_ran "[$MODE] exec NAME -- /bin/true"
op exec "$C" -- /no/such/command </dev/null >/dev/null 2>"$T/x.err"
isnt "$?" 0 "[$MODE] exec NAME -- a missing command fails"
ok "[$MODE]   in one line" one_error_line "$T/x.err"
diag "$(cat "$T/x.err")"
none_ran "[$MODE] exec NAME -- a missing command (its error translated after the switch)"
op enter "$CINIT" -- /bin/true </dev/null >/dev/null 2>"$T/e.err"
is "$?" 0 "[$MODE] enter PID -- /bin/true works"
none_ran "[$MODE] enter PID -- /bin/true"
op enter "$CINIT" -- /no/such/command </dev/null >/dev/null 2>"$T/e.err"
isnt "$?" 0 "[$MODE] enter PID -- a missing command fails"
ok "[$MODE]   in one line" one_error_line "$T/e.err"
none_ran "[$MODE] enter PID -- a missing command (with every capability of the host)"

# ---- what looks at the container from the host --------------------------------
# their default shell, the second root's /bin/sh
op enter "$CINIT2" </dev/null >/dev/null 2>"$T/e2.err"
isnt "$?" 0 "[$MODE] enter PID (its /bin/sh, which cannot run) fails"
ok "[$MODE]   in one line" one_error_line "$T/e2.err"
none_ran "[$MODE] enter PID with its default shell"
op exec "$C2" </dev/null >/dev/null 2>"$T/x2.err"
isnt "$?" 0 "[$MODE] exec NAME (its /bin/sh, which cannot run) fails"
none_ran "[$MODE] exec NAME with its default shell"

op -b -n 1 -J </dev/null >"$T/b.json" 2>"$T/b.err"
is "$?" 0 "[$MODE] -b -n 1 -J works"
ok "[$MODE]   and its net topology names the container's namespace" \
	jq -e --arg p "$CINIT" '.namespaces[] | select(.type == "net" and (.pids | index($p | tonumber)))' "$T/b.json"
none_ran "[$MODE] -b -J (the net topology enters the container's net namespace)"
op -b -n 1 </dev/null >/dev/null 2>&1
none_ran "[$MODE] -b (text)"
op ns </dev/null >/dev/null 2>&1
op inspect "$C" </dev/null >/dev/null 2>&1
op inspect "$CINIT" -J </dev/null >/dev/null 2>&1
op list </dev/null >/dev/null 2>&1
none_ran "[$MODE] ns, inspect NAME, inspect PID -J, list"

# ---- runs --------------------------------------------------------------------
rtc_name "miss-$MODE"
op run --rm --name "$RTC_NAME" --rootfs "$R" -v "$OUT:/out" -- /no/such/command \
	</dev/null >/dev/null 2>"$T/r.err"
isnt "$?" 0 "[$MODE] run -- a missing command fails"
ok "[$MODE]   in one line" one_error_line "$T/r.err"
none_ran "[$MODE] run -- a missing command (the init's error after pivot_root)"
rtc_name "join-$MODE"
op run --rm --name "$RTC_NAME" --net "container:$C" --rootfs "$R" -v "$OUT:/out" -- /bin/true \
	</dev/null >/dev/null 2>"$T/j.err"
is "$?" 0 "[$MODE] run --net container:NAME works"
none_ran "[$MODE] run --net container:NAME"
rtc_name "br-$MODE"
op run --rm --name "$RTC_NAME" --net "bridge:$BR" --rootfs "$R" -v "$OUT:/out" -- /bin/true \
	</dev/null >/dev/null 2>"$T/br.err"
is "$?" 0 "[$MODE] run --net bridge works"
none_ran "[$MODE] run --net bridge"

done

# An image of the same root whose WorkingDir runs through a file: the init
# fails to make it after pivot_root, with every capability still held.
img_layer "$R" "$T/layer.tar" || cannot_run "cannot tar the planted root"
img_oci "$T/oci" '{"Cmd":["/bin/true"],"Env":["PATH=/bin"],"WorkingDir":"/etc/hostname/sub"}' "$T/layer.tar"
img_forget "$T/oci"
for MODE in language lang; do
rtc_name "img-$MODE"
op run --rm --name "$RTC_NAME" --image "$T/oci" -v "$OUT:/out" </dev/null >/dev/null 2>"$T/i.err"
isnt "$?" 0 "[$MODE] run --image with a WorkingDir under a file fails"
ok "[$MODE]   in one line" one_error_line "$T/i.err"
diag "$(cat "$T/i.err")"
none_ran "[$MODE] run --image (the init's error making WorkingDir)"
assert_gone "$RTC_NAME"
done

timeout 30 "$NSTOP" rm -f "$C" >/dev/null 2>&1
assert_gone "$C" "$CINIT"
timeout 30 "$NSTOP" rm -f "$C2" >/dev/null 2>&1
assert_gone "$C2" "$CINIT2"
done_testing
