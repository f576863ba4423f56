#!/bin/bash
# An attacker's review of run's init, the sealed reaper (src/reaper/reaper.c,
# rt-reaper.c): what the payload of a container (root inside, a root of its
# own) tries against pid 1 to get a handle on its executable, its memory or
# its fds, and what the host sees of it. Every attempt must fail:
#
# - the payload (probes/reaper-attack pid1) gets nothing of pid 1: not its
#   /proc/1/exe (opened, O_PATH or read as a link), mem, environ, cwd, root,
#   fds, map_files, nor process_vm_readv/writev, pidfd_getfd or ptrace;
# - a `#!/proc/1/exe` payload cannot even start (the kernel may not open
#   pid 1's executable for it), so the reaper never runs as its interpreter;
# - the payload holds no fd but its stdio, with or without a terminal;
# - orphans handed to pid 1 are reaped;
# - on the host, the init's executable is a memfd carrying the write,
#   grow, shrink and seal seals and maps no host file; a handle root keeps
#   on it (O_PATH) and reopens once the container is gone writes nothing;
# - an `nstop exec` that races the launch (state.json says running while
#   the init still builds the container) reaches neither the init's
#   executable nor its memory (the init is nstop's binary from the host's
#   path until it execs the reaper: it is non-dumpable from its start, and
#   exec waits for the launch's lock);
# - under vm.memfd_noexec=2 (set in a pid namespace of the test's own, the
#   sysctl's scope) run refuses in one line and never runs the command
#   unsealed, and exec and enter refuse too (their sealed re-exec).
# shellcheck source=lib.sh
. "$NSTOP_TESTLIB"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq script unshare strace

PROBES=${NSTOP_PROBES:-$(dirname "$NSTOP")/tests/system/probes}
[ -x "$PROBES/reaper-attack" ] ||
	cannot_run "the reaper-attack probe is not built (make check builds it; NSTOP_PROBES=$PROBES)"
RTC=nstop-test-reaper-$$
T=$TEST_TMP
# the probe inside, whatever the host's /tmp (the container's is its own)
VOL=(-v "$PROBES:/tmp/probes:ro")
P=/tmp/probes/reaper-attack

# tty_clean FILE: what came through a terminal (script), as lines: no CR,
# and nothing before a line's KEY= (script's EOF on the terminal, echoed, or
# a NUL, can land in front of the first line)
tty_clean() {
	tr -d '\r\000' <"$1" | sed -E 's/^[^a-z]*([a-z][a-z0-9_]*=)/\1/'
}


# ---- the payload against pid 1 ---------------------------------------------------
check_pid1() {	# check_pid1 CASE FILE
	local k v
	for k in exe_link exe_read exe_path mem environ cwd root fd0 map_files vm_read vm_write \
		pidfd_getfd ptrace; do
		v=$(kv "$2" "$k")
		case $v in
		denied*) pass "$1: $k of pid 1: $v" ;;
		*) fail "$1: $k of pid 1 is denied" "got: '$v'" ;;
		esac
	done
}

rtc_name pid1
timeout 30 "$NSTOP" run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" pid1 </dev/null >"$T/pid1.out" 2>&1 ||
	diag "run: the probe: exit $?: $(cat "$T/pid1.out")"
check_pid1 "run" "$T/pid1.out"
assert_gone "$RTC_NAME"

# with a terminal: the reaper took the pty's slave and the caller's terminal
rtc_name pid1tty
timeout 30 script -qec "$NSTOP run --rm --name $RTC_NAME ${VOL[*]} -- $P pid1" /dev/null \
	</dev/null >"$T/pid1tty.out" 2>&1 ||
	diag "run with a terminal: the probe: exit $?: $(cat "$T/pid1tty.out")"
tty_clean "$T/pid1tty.out" >"$T/pid1tty.txt"
check_pid1 "run with a terminal" "$T/pid1tty.txt"
assert_gone "$RTC_NAME"

# in a user namespace: the reaper is exec'd there, so its mm belongs to the
# container's user namespace (the old init's to the host's); the payload,
# root of it, must still lack what tracing a non-dumpable pid 1 asks
rtc_name pid1userns
timeout 30 "$NSTOP" run --rm --name "$RTC_NAME" --userns 100000:100000 "${VOL[@]}" -- "$P" pid1 \
	</dev/null >"$T/pid1uns.out" 2>&1 || diag "run --userns: the probe: exit $?: $(cat "$T/pid1uns.out")"
check_pid1 "run --userns" "$T/pid1uns.out"
assert_gone "$RTC_NAME"

# ---- a #!/proc/1/exe payload ------------------------------------------------------
R=$T/root
bash "$MKROOTFS" "$R" >/dev/null || cannot_run "mkrootfs.sh failed"
printf '#!/proc/1/exe\n' >"$R/evil1"
chmod 755 "$R/evil1"
rtc_name hashbang1
timeout 30 "$NSTOP" run --rm --name "$RTC_NAME" --rootfs "$R" -- /evil1 </dev/null >"$T/hb1.out" 2>&1
st=$?
is "$st" 1 "run -- /evil1 (#!/proc/1/exe): nstop says it cannot start (exit 1)"
ok "  the kernel may not open pid 1's executable for it (Permission denied)" \
	grep -q "^nstop: run: /evil1: Permission denied" "$T/hb1.out"
ok "  the reaper never ran as its interpreter (no refusal)" \
	sh -c "! grep -q 'this is a container.s init' '$T/hb1.out'"
[ "$st" = 1 ] || diag "$(cat "$T/hb1.out")"
assert_gone "$RTC_NAME"

# an image's User: the init changes uid before it execs the reaper (a uid
# change, then exec, each make a process dumpable again)
# shellcheck source=image-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/image-lib.sh"
cp "$PROBES/reaper-attack" "$R/reaper-attack"
img_layer "$R" "$T/layer.tar"
img_oci "$T/oci" '{"Entrypoint":["/reaper-attack"],"Cmd":["pid1"],"User":"nobody"}' "$T/layer.tar"
img_forget "$T/oci"
rtc_name pid1user
timeout 60 "$NSTOP" run --rm --name "$RTC_NAME" --image "$T/oci" </dev/null >"$T/pid1user.out" 2>&1 ||
	diag "run --image (User nobody): the probe: exit $?: $(cat "$T/pid1user.out")"
check_pid1 "run --image, User nobody" "$T/pid1user.out"
assert_gone "$RTC_NAME"
rm -f "$R/reaper-attack"

# ---- the payload's command looked up as before (glibc's posix_spawnp) --------------
# A name of NAME_MAX (255) bytes is a valid file name: glibc searched PATH for
# it, and so does the reaper.
long=$(printf 'x%.0s' $(seq 255))
printf '#!/bin/sh\necho ran-%s\n' long >"$R/bin/$long"
chmod 755 "$R/bin/$long"
rtc_name longname
timeout 30 "$NSTOP" run --rm --name "$RTC_NAME" --rootfs "$R" -- "$long" </dev/null >"$T/long.out" 2>&1
is "$(head -1 "$T/long.out" | cut -c1-60)" ran-long \
	"run -- <a command of 255 bytes in PATH> runs it, as posix_spawnp did"
assert_gone "$RTC_NAME"

# ---- fds the payload inherits ------------------------------------------------------
rtc_name fds
timeout 30 "$NSTOP" run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" fds </dev/null >"$T/fds.out" 2>&1
is "$(kv "$T/fds.out" fds)" "" "run: the payload holds no fd but its stdio"
assert_gone "$RTC_NAME"
rtc_name fdstty
timeout 30 script -qec "$NSTOP run --rm --name $RTC_NAME ${VOL[*]} -- $P fds" /dev/null \
	</dev/null >"$T/fdstty.out" 2>&1
is "$(tty_clean "$T/fdstty.out" | sed -n 's/^fds=//p')" "" \
	"run with a terminal: the payload holds no fd but its stdio"
assert_gone "$RTC_NAME"
rtc_name fdsd
timeout 30 "$NSTOP" run -d --name "$RTC_NAME" "${VOL[@]}" -- "$P" fds </dev/null >/dev/null 2>&1
wait_state "$RTC_NAME" exited
got=$(grep -rh '^fds=' "$STATE_DIR/$RTC_NAME" 2>/dev/null)
is "$got" "fds=" "run -d: the payload holds no fd but its stdio"
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- orphans ----------------------------------------------------------------------
rtc_name orphans
timeout 60 "$NSTOP" run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" orphans 20 </dev/null \
	>"$T/orphans.out" 2>&1
is "$(kv "$T/orphans.out" zombies)" 0 "run: 20 orphans handed to pid 1 are reaped (no zombie left)"
assert_gone "$RTC_NAME"

# ---- the host's view of an idle container's init ---------------------------------
rtc_name idle
C=$RTC_NAME
timeout 30 "$NSTOP" run -d --name "$C" </dev/null >/dev/null 2>&1
# (preconditions: a failure only when they do not hold)
wait_state "$C" running || fail "an idle container starts"
CINIT=$(init_pid "$C")
"$PROBES/reaper-attack" seals "/proc/${CINIT:-0}/exe" >"$T/seals.out" 2>&1
# F_SEAL_SEAL 1, SHRINK 2, GROW 4, WRITE 8
s=$(kv "$T/seals.out" seals)
case $s in
'' | error* | -*) fail "the init's executable carries the seals" "got: '$s'" ;;
*) is "$((s & 15))" 15 "the init's executable is a memfd sealed against write, grow, shrink and new seals ($s)" ;;
esac
hostfiles=$(awk '$6 ~ /^\// && $6 !~ /^\/memfd:/ { print $6 }' "/proc/${CINIT:-0}/maps" 2>/dev/null | sort -u)
is "$hostfiles" "" "the init maps no file of the host (neither nstop's binary nor a library)"
# A handle on it kept (O_PATH) until nothing runs it, then reopened for
# writing: the seals must refuse the write (the memfd is this container's
# only, but a writable init image is a door the design says is shut).
mkfifo "$T/late.in"
"$PROBES/reaper-attack" late "/proc/${CINIT:-0}/exe" <"$T/late.in" >"$T/late.out" 2>&1 &
HOLDER=$!
register_pid "$HOLDER"
exec 8>"$T/late.in"
for _ in $(seq 100); do
	grep -q '^held=' "$T/late.out" && break
	sleep 0.05
done
[ "$(kv "$T/late.out" held)" = 1 ] ||
	fail "root of the host holds the init's executable as an O_PATH fd" "$(cat "$T/late.out")"
"$NSTOP" rm -f "$C" >/dev/null 2>&1
assert_gone "$C" "$CINIT"
echo go >&8
exec 8>&-
wait "$HOLDER"
late=$(kv "$T/late.out" late_write)
case $late in
denied*) pass "once the init is gone, the kept handle still writes nothing into it: $late" ;;
*) fail "once the init is gone, the kept handle writes nothing into it" "got: '$late'" ;;
esac

# ---- nstop exec racing the launch ---------------------------------------------------
# state.json says "running" (rt_record_start) while the init still builds and
# hardens the container, so `nstop exec` may put a process of the container
# (the operator's command, or the container's own /bin/sh) next to an init
# that is still nstop's binary, from the host's path (run no longer re-execs
# from a sealed copy), dumpable until rt_init_harden's prctl. The window
# between the capabilities' drop (the exec'd process then holds as many as
# the init) and that prctl is microseconds; strace holds the init in it (the
# seccomp call's exit delayed by 4 s). Nothing of the init may be reachable:
# not its executable (the host's nstop: CVE-2019-5736 again), not its
# memory (code injected into pid 1 before it is done).
if true; then
	rtc_name race
	strace -f -qq -o /dev/null -e trace=seccomp -e inject=seccomp:delay_exit=4000000 \
		"$NSTOP" run --rm --name "$RTC_NAME" "${VOL[@]}" -- sleep 2 </dev/null >/dev/null 2>&1 &
	RACER=$!
	register_pid "$RACER"
	wait_state "$RTC_NAME" running
	RINIT=$(init_pid "$RTC_NAME")
	for _ in $(seq 100); do	# in the window: kept capabilities, filter loaded
		grep -q '^Seccomp:[[:space:]]*2' "/proc/${RINIT:-0}/status" 2>/dev/null && break
		sleep 0.02
	done
	timeout 20 "$NSTOP" exec "$RTC_NAME" -- "$P" pid1 </dev/null >"$T/race.out" 2>&1
	v=$(kv "$T/race.out" exe_link)
	case $v in denied* | "GOT /memfd:"*) v=safe ;; esac
	is "$v" safe "exec racing the launch: pid 1's executable is never a host file ($(kv "$T/race.out" exe_link))"
	v=$(kv "$T/race.out" mem)
	is "${v%% *}" denied "exec racing the launch: pid 1's memory cannot be opened ($v)"
	wait "$RACER"
	assert_gone "$RTC_NAME"
else
	diag "no strace: the launch's window is not held open"
fi

# ---- vm.memfd_noexec=2 -------------------------------------------------------------
# The sysctl belongs to the pid namespace (6.3): set in one of ours, it
# binds nstop there and every pid namespace nstop makes below it.
if [ -e /proc/sys/vm/memfd_noexec ]; then
	mkdir -p "$T/out"
	# at 1 a memfd is executable only when asked for (MFD_EXEC): run works
	rtc_name noexec1
	# shellcheck disable=SC2016
	timeout 60 unshare -p -f --mount-proc sh -c '
		echo 1 >/proc/sys/vm/memfd_noexec || exit 99
		exec "$0" run --rm --name "$1" -- /bin/sh -c "echo ran" </dev/null' \
		"$NSTOP" "$RTC_NAME" >"$T/noexec1.out" 2>&1
	is "$?: $(cat "$T/noexec1.out")" "0: ran" "vm.memfd_noexec=1: run still works (its memfds ask for MFD_EXEC)"
	assert_gone "$RTC_NAME"
	rtc_name noexec
	# shellcheck disable=SC2016
	timeout 60 unshare -p -f --mount-proc sh -c '
		echo 2 >/proc/sys/vm/memfd_noexec || exit 99
		"$0" run --rm --name "$1" -v "$2:/tmp/out" -- /bin/sh -c "touch /tmp/out/ran" \
			</dev/null >/dev/null 2>"$3/noexec.err"
		echo "run=$?" >"$3/noexec.rc"
		"$0" exec "$1" -- /bin/true </dev/null >/dev/null 2>"$3/noexec-exec.err"
		echo "exec=$?" >>"$3/noexec.rc"
		"$0" enter 1 -- /bin/true </dev/null >/dev/null 2>"$3/noexec-enter.err"
		echo "enter=$?" >>"$3/noexec.rc"' \
		"$NSTOP" "$RTC_NAME" "$T/out" "$T"
	is "$(kv "$T/noexec.rc" run)" 1 "vm.memfd_noexec=2: run refuses (exit 1)"
	ok "  in one line" one_error_line "$T/noexec.err"
	ok "  naming the sealed copy of its init it could not make" \
		grep -q "^nstop: run: a sealed copy of nstop's init: memfd_create: Permission denied" "$T/noexec.err"
	ok "  and the command never ran unsealed" test ! -e "$T/out/ran"
	diag "$(cat "$T/noexec.err")"
	assert_gone "$RTC_NAME"
	# (exec re-execs from its sealed copy before it looks for the container)
	is "$(kv "$T/noexec.rc" exec): $(head -1 "$T/noexec-exec.err")" \
		"1: nstop: exec: a sealed copy of nstop: memfd_create: Permission denied" \
		"vm.memfd_noexec=2: exec refuses too (exit 1), naming the sealed copy of nstop it could not make"
	diag "$(cat "$T/noexec-exec.err")"
	is "$(kv "$T/noexec.rc" enter): $(head -1 "$T/noexec-enter.err")" \
		"1: nstop: enter: a sealed copy of nstop: memfd_create: Permission denied" \
		"vm.memfd_noexec=2: enter refuses too (exit 1), naming the sealed copy of nstop it could not make"
else
	diag "no vm.memfd_noexec (Linux < 6.3): nothing to check"
fi

done_testing
