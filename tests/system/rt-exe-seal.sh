#!/bin/bash
# CVE-2019-5736 against nstop: a container with a glibc root of its own and
# an /etc/ld.so.preload (probes/exe-preload.c) plants `#!/proc/self/exe`
# files - /evil, and its own /bin/sh - and the operator runs them: as the
# payload of `nstop run` (/evil, and `sh` through PATH), with `nstop exec
# NAME -- /evil`, `nstop exec NAME` (its /bin/sh), `nstop enter PID` (its
# /bin/sh), and the TUI's e, E and launch form. The kernel then runs
# whatever the process starting it had as its executable inside the
# container. For run that is the container's init, which is by then the
# sealed reaper (src/reaper/reaper.c: static, so the container's loader and
# preload never run in it), and it refuses: no code of the container may
# run in it. For exec, enter and the TUI it is nstop's sealed copy, with the
# container's loader and preloaded library, which tries to open it for
# writing, at once and through an O_PATH fd reopened once the process is
# gone, and to append to it. Two copies of nstop take part (the build's and
# one installed elsewhere), since a write is refused as ETXTBSY only while
# some process still runs that very file. Every attempt must fail, the file
# reached must be a sealed memfd (never a host path), neither host binary
# may change (sha256), and no payload may hold an fd to a host file.
. "$(dirname "$0")/../tui/lib.sh"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq sha256sum ldd readelf "${CC:-cc}"

RTC=nstop-test-exeseal-$$
T=$(mktemp -d /tmp/nstop-test-exeseal-XXXXXX)
register_path "$T"
R=$T/root
OUT=$T/out
mkdir -p "$OUT" "$T/bin"

N1=$NSTOP
N2=$T/bin/nstop
cp "$N1" "$N2" || cannot_run "cannot copy $N1"
SUM1=$(sha256sum <"$N1")
SUM2=$(sha256sum <"$N2")
FIRST1=$SUM1 FIRST2=$SUM2

# nstop runs as root: its GOT is read-only once it has started (full RELRO,
# every symbol bound at the start), so no write through a pointer of the
# C library's table can redirect a call; a launch's init binds nothing.
readelf -d "$(readlink -f "$N1")" >"$T/dynamic" 2>&1
readelf -lW "$(readlink -f "$N1")" >"$T/segments" 2>&1
ok "nstop is linked with every symbol bound at the start (BIND_NOW)" grep -q 'BIND_NOW' "$T/dynamic"
ok "and its relocations read-only after it (GNU_RELRO)" grep -q 'GNU_RELRO' "$T/segments"

# ---- the container's root: busybox, the host's loader and every library
# nstop needs (so the kernel can run nstop inside), the preloaded probe
"$MKROOTFS" "$R" >/dev/null || cannot_run "mkrootfs.sh failed"
libs=$(ldd "$N1" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
[ -n "$libs" ] || cannot_run "ldd lists no libraries for $N1"
for l in $libs; do
	mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l" || cannot_run "cannot copy $l"
done
PROBE_SRC=$(dirname "$0")/probes/exe-preload.c
"${CC:-cc}" -shared -fPIC -O2 -Wall -o "$R/probe.so" "$PROBE_SRC" &&
	"${CC:-cc}" -static -DEXE_REOPEN -O2 -Wall -o "$R/reopen" "$PROBE_SRC" ||
	cannot_run "cannot build probes/exe-preload.c"
# A sanitized nstop needs its runtime first in the list of libraries.
asan=$(printf '%s\n' $libs | grep -m1 '/libasan')
echo "$asan /probe.so" >"$R/etc/ld.so.preload"
printf '#!/proc/self/exe\n' >"$R/evil"
# /sbin comes first in PATH: its sh must be the planted one too
rm -f "$R/bin/sh" "$R/sbin/sh"
printf '#!/proc/self/exe\n' >"$R/bin/sh"
ln -s ../bin/sh "$R/sbin/sh"
chmod 755 "$R/evil" "$R/bin/sh"

# ---- checks ---------------------------------------------------------------------

# wait_late [SECS]: until every late child of the probe has written done=1.
wait_late() {
	local i f all
	for i in $(seq $((${1:-6} * 20))); do
		all=1
		for f in "$OUT"/late.*; do
			[ -e "$f" ] || continue
			grep -q '^done=1' "$f" || all=
		done
		[ -n "$all" ] && return 0
		sleep 0.05
	done
	return 1
}

# host_fd TARGET: whether an fd's target is a file of the host (anything but
# /dev/null, a terminal, a pipe, a socket or an anonymous inode).
host_fd() {
	case $1 in
	/dev/null|/dev/pts/*|/dev/tty*|pipe:*|socket:*|anon_inode:*) return 1 ;;
	esac
	return 0
}

# check_probe CASE [LATE_SECS]: what the probe of CASE recorded.
check_probe() {
	local c=$1 f late exe l bad=""
	wait_late "${2:-6}" || diag "$c: a late child of the probe did not finish (it ends with its container)"
	f=$(ls "$OUT"/probe.* 2>/dev/null | head -1)
	if [ -z "$f" ]; then
		fail "$c: the kernel ran nstop inside and the preloaded probe ran" \
			"no $OUT/probe.*; $OUT holds: $(ls "$OUT")"
	else
		pass "$c: the kernel ran nstop inside and the preloaded probe ran"
		exe=$(kv "$f" exe)
		case $exe in
		/memfd:*) pass "$c: its /proc/self/exe is nstop's sealed memfd ($exe)" ;;
		*) fail "$c: its /proc/self/exe is nstop's sealed memfd" "it is '$exe'" ;;
		esac
		isnt "$(kv "$f" open_wr)" ok "$c: opening /proc/self/exe for writing fails ($(kv "$f" open_wr))"
		is "$(kv "$f" write)" "" "$c: so nothing was written through it"
		while IFS= read -r l; do
			host_fd "${l#*=}" && bad="$bad ${l}"
		done < <(grep '^fd\.' "$f")
		is "$bad" "" "$c: no fd of the process reaches a host file"
	fi
	for late in "$OUT"/late.*; do
		[ -e "$late" ] || continue
		grep -q '^late_open=' "$late" || continue	# killed with its container
		isnt "$(kv "$late" late_write)" ok \
			"$c: later, the O_PATH fd reopened ($(kv "$late" late_open)): no write ($(kv "$late" late_write))"
		if [ "$(kv "$late" late_open)" = ok ]; then
			is "$(kv "$late" late_write)" EPERM "$c: the reopened copy is sealed: EPERM"
		fi
		case $(kv "$late" late_exe_seen) in
		/memfd:*) pass "$c: the O_PATH fd named the memfd" ;;
		*) fail "$c: the O_PATH fd named the memfd" "it named '$(kv "$late" late_exe_seen)'" ;;
		esac
	done
	# against the bytes before this case, so each case reports its own write
	is "$(sha256sum <"$N1")" "$SUM1" "$c: the build's nstop is unchanged (sha256)"
	is "$(sha256sum <"$N2")" "$SUM2" "$c: the other copy of nstop is unchanged (sha256)"
	SUM1=$(sha256sum <"$N1")
	SUM2=$(sha256sum <"$N2")
	rm -f "$OUT"/probe.* "$OUT"/late.*
}

# check_reaper CASE STATUS OUTPUT: the payload was a #! file naming
# /proc/self/exe, which the kernel resolved in the process the init forked:
# the init's own executable, which must be the sealed reaper. It refuses
# (exit 2, one line), and no code of the container ran in it (the probe is
# a preloaded library: a process of nstop's binary would run it).
check_reaper() {
	local c=$1 st=$2 out=$3
	is "$st" 2 "$c: the kernel ran the container's init, the reaper, and it refused (exit 2)"
	ok "$c:   saying so in one line" grep -q "^nstop: this is a container's init, started by nstop only" "$out"
	is "$(ls "$OUT" | grep -c '^probe\.')" 0 \
		"$c: no code of the container ran in a process of nstop's binary (no $OUT/probe.*)"
	is "$(sha256sum <"$N1")" "$SUM1" "$c: the build's nstop is unchanged (sha256)"
	is "$(sha256sum <"$N2")" "$SUM2" "$c: the other copy of nstop is unchanged (sha256)"
	[ "$(ls "$OUT" | grep -c '^probe\.')" = 0 ] || diag "$c: $(cat "$OUT"/probe.* 2>/dev/null)"
	wait_late 4 || true
	SUM1=$(sha256sum <"$N1")
	SUM2=$(sha256sum <"$N2")
	rm -f "$OUT"/probe.* "$OUT"/late.*
}

# ---- nstop run: the payload is the #! file, or the container's sh ------------------------
for n in "$N1" "$N2"; do
	w="the build's"
	[ "$n" = "$N2" ] && w="another copy of"
	rtc_name run
	timeout 30 "$n" run --rm --name "$RTC_NAME" --rootfs "$R" -v "$OUT:/out" -- /evil \
		</dev/null >"$T/run.out" 2>&1
	check_reaper "run -- /evil ($w nstop)" "$?" "$T/run.out"
	assert_gone "$RTC_NAME"
	rtc_name runsh
	timeout 30 "$n" run --rm --name "$RTC_NAME" --rootfs "$R" -v "$OUT:/out" -- sh -c true \
		</dev/null >"$T/run.out" 2>&1
	check_reaper "run -- sh, its planted /bin/sh ($w nstop)" "$?" "$T/run.out"
	assert_gone "$RTC_NAME"
done

# ---- an idle container of the build's nstop: its init ---------------------------------
rtc_name idle
C=$RTC_NAME
"$N1" run -d --name "$C" --rootfs "$R" -v "$OUT:/out" </dev/null >/dev/null 2>"$T/idle.err"
ok "an idle container with the glibc root starts" wait_state "$C" running
CINIT=$(init_pid "$C")
exe=$(readlink "/proc/${CINIT:-0}/exe")
case $exe in
/memfd:nstop-init*) pass "its init ($CINIT) is the reaper, from a memfd ($exe)" ;;
*) fail "its init is the reaper, from a memfd" "readlink /proc/${CINIT:-none}/exe: '$exe'" ;;
esac
# Even root of the host gets no writable handle on it: it runs (ETXTBSY),
# and its seals refuse a write through any later reopen (EPERM).
if exec 7>>"/proc/${CINIT:-0}/exe" 2>/dev/null; then
	if printf x >&7 2>/dev/null; then
		fail "the init's executable cannot be written, even by root of the host" "a write went through"
	else
		pass "the init's executable is sealed: a write through an open fails"
	fi
	exec 7>&-
else
	pass "the init's executable cannot be opened for writing, even by root of the host"
fi

# ---- exec: /evil, and the container's own /bin/sh by default, with both copies ---------
for n in "$N1" "$N2"; do
	w="the build's"
	[ "$n" = "$N2" ] && w="another copy of"
	timeout 30 "$n" exec "$C" -- /evil </dev/null >/dev/null 2>&1
	check_probe "exec NAME -- /evil ($w nstop)"
	timeout 30 "$n" exec "$C" </dev/null >/dev/null 2>&1
	check_probe "exec NAME, its /bin/sh ($w nstop)"
done

# The exec helper and the payload, seen from the host.
"$N2" exec "$C" -- /bin/busybox sleep 5 </dev/null >/dev/null 2>&1 &
EP=$!
register_pid "$EP"
if wait_children "$EP" 1; then
	exe=$(readlink "/proc/$EP/exe")
	case $exe in
	/memfd:*) pass "nstop exec ($EP) runs from a memfd, and so does each fork ($exe)" ;;
	*) fail "nstop exec runs from a memfd" "readlink /proc/$EP/exe: '$exe'" ;;
	esac
	P=${KIDS%% *}
	wait_comm "$P" sleep
	bad=""
	for f in /proc/"$P"/fd/*; do
		l=$(readlink "$f") || continue
		host_fd "$l" && bad="$bad ${f##*/}->$l"
	done
	is "$bad" "" "the exec'd payload ($P) holds no fd to a host file (ls -l /proc/$P/fd)"
else
	fail "nstop exec starts its payload" "no child of $EP"
fi
kill "$EP" 2>/dev/null
wait "$EP" 2>/dev/null

# ---- enter PID: its /bin/sh, with both copies ---------------------------------------------
for n in "$N1" "$N2"; do
	w="the build's"
	[ "$n" = "$N2" ] && w="another copy of"
	timeout 30 "$n" enter "$CINIT" </dev/null >/dev/null 2>&1
	check_probe "enter PID, its /bin/sh ($w nstop)"
done

# ---- no sealed copy, no container: one line, nothing made, nothing run ------------------
if "${CC:-cc}" -O2 -Wall -o "$T/no-memfd" "$(dirname "$0")/probes/no-memfd.c" -lseccomp; then
	rtc_name nomemfd
	rm -f "$OUT"/ran
	"$T/no-memfd" "$N2" run --rm --name "$RTC_NAME" --rootfs "$R" -v "$OUT:/out" -- \
		/bin/busybox touch /out/ran </dev/null >/dev/null 2>"$T/nomemfd.err"
	is "$?" 1 "without memfd_create, nstop run refuses (exit 1)"
	ok "  with one line" one_error_line "$T/nomemfd.err"
	ok "  naming the sealed copy of its init" grep -q "^nstop: run: a sealed copy of nstop's init" "$T/nomemfd.err"
	diag "$(cat "$T/nomemfd.err")"
	ok "  and the command never ran" test ! -e "$OUT/ran"
	assert_gone "$RTC_NAME"
	"$T/no-memfd" "$N2" exec "$C" -- /bin/busybox touch /out/ran </dev/null >/dev/null 2>"$T/nomemfd.err"
	is "$?" 1 "without memfd_create, nstop exec refuses (exit 1), and runs nothing"
	ok "  with one line naming the sealed copy" grep -q '^nstop: exec: a sealed copy of nstop' "$T/nomemfd.err"
	ok "  and the command never ran" test ! -e "$OUT/ran"
else
	fail "probes/no-memfd.c builds (libseccomp)"
fi

# ---- the TUI: X (a shell inside, as nstop exec) and E (its init's namespaces), with the other copy ---------
NSTOP=$N2 tui_start -- -d 1
tui_wait "    PID USER"
tui_keys BTab
tui_wait "NAME " 3
tui_keys '\'
tui_type "$C"
tui_keys Enter
tui_wait "filter: $C" 3 && tui_wait "$C " 5
exe=$(readlink "/proc/${TUI_PID:-0}/exe")
case $exe in
/memfd:*) pass "the TUI runs from a memfd ($exe)" ;;
*) fail "the TUI runs from a memfd" "readlink /proc/${TUI_PID:-none}/exe: '$exe'" ;;
esac
tui_keys X
tui_expect "(the shell exited 2)" "TUI X (exec): the container's /bin/sh ran (nstop, exit 2) and the TUI is back" 10
check_probe "TUI X"
tui_keys E
tui_expect "Enter PID $CINIT's namespaces" "TUI E on the container: its init's namespaces"
tui_keys Enter
tui_expect "exited 2" "TUI E: the container's /bin/sh ran and the TUI is back" 10
check_probe "TUI E"

# The launch form (r): its fields, top to bottom, as tests/tui/launch.sh.
F_COMMAND=0 F_NAME=1 F_ROOT=2 F_VOLUMES=4 F_MODE=11	# the form's rows, as ui-launch.c lists them
field() {
	local i
	tui_keys Home
	for ((i = 0; i < $1; i++)); do tui_keys Down; done
}
set_field() {
	field "$1"
	tui_keys C-u
	[ -n "$2" ] && tui_type "$2"
}
set_mode() {
	local i
	field $F_MODE
	for i in 1 2 3; do
		tui_wait "[$1]" 1 && return 0
		tui_keys Right
	done
	tui_wait "[$1]" 1
}
launch_form() {	# launch_form NAME COMMAND MODE
	tui_keys r
	tui_wait "Launch a container"
	set_field $F_COMMAND "$2"
	set_field $F_NAME "$1"
	set_field $F_ROOT "$R"
	set_field $F_VOLUMES "$OUT:/out"
	set_mode "$3"
	tui_keys C-g
}
rtc_name fg
FG=$RTC_NAME
launch_form "$FG" /evil foreground
tui_expect "$FG: /evil ended with exit status 2" "TUI launch form, foreground: /evil ran (the reaper, exit 2)" 10
is "$(ls "$OUT" | grep -c '^probe\.')" 0 \
	"TUI launch form, foreground /evil: no code of the container ran in a process of nstop's binary"
is "$(sha256sum <"$N2")" "$SUM2" "TUI launch form, foreground /evil: the other copy of nstop is unchanged (sha256)"
rm -f "$OUT"/probe.* "$OUT"/late.*
rtc_name sh
SH=$RTC_NAME
launch_form "$SH" sh shell
tui_expect "$SH: sh exited 2" "TUI launch form, shell mode: its /bin/sh ran (nstop, exit 2)" 10
check_probe "TUI launch form, shell mode (its /bin/sh)"
SHINIT=$(init_pid "$SH")
exe=$(readlink "/proc/${SHINIT:-0}/exe")
case $exe in
/memfd:*) pass "the init the TUI launched ($SHINIT) runs from a memfd ($exe)" ;;
*) fail "the init the TUI launched runs from a memfd" "readlink /proc/${SHINIT:-none}/exe: '$exe'" ;;
esac

tui_keys q
is "$(tui_status)" 0 "the TUI quits with 0"
"$N1" rm -f "$FG" >/dev/null 2>&1
"$N1" rm -f "$SH" >/dev/null 2>&1
assert_gone "$FG"
assert_gone "$SH" $SHINIT

"$N1" rm -f "$C" >/dev/null 2>&1
assert_gone "$C" "$CINIT"
is "$(sha256sum <"$N1")" "$FIRST1" "at the end the build's nstop is unchanged"
is "$(sha256sum <"$N2")" "$FIRST2" "at the end the other copy is unchanged"
done_testing
