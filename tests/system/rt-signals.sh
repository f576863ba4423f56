#!/bin/bash
# Without a terminal (stdin /dev/null, as a script or CI runs nstop), the
# payload of nstop run (foreground and -d), nstop exec and nstop enter never
# shares a session or a process group with anything outside: kill(0),
# kill(-1) and kill(-<the caller's group>) from inside leave a real process
# outside, started in nstop's own group, alive, and nstop still cleans up.
# Before the fix the payload stayed in the caller's group: kill(0, SIGKILL)
# killed the outside sleep and nstop itself, so --rm never ran; with -d it
# killed the monitor. (tests/tui/signals.sh: the same with a terminal.)
# shellcheck source=lib.sh
. "$NSTOP_TESTLIB"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq timeout setsid

PROBES=${NSTOP_PROBES:-$(dirname "$NSTOP")/tests/system/probes}
[ -x "$PROBES/signal" ] ||
	cannot_run "the signal probe is not built (make check builds it; NSTOP_PROBES=$PROBES)"
HOSTPIDNS=$(stat -L -c %i /proc/self/ns/pid)
# the probe inside, whatever the host's /tmp (the container's is its own)
VOL=(-v "$PROBES:/tmp/probes:ro")
P=/tmp/probes/signal

# in_group TAG ARG...: runs nstop ARG... as a script would (stdin
# /dev/null), in a session and process group of its own that it shares with
# an outside `sleep` started first; @PGRP@ in ARG becomes that group's id.
# Bounded; NSTOP_RC, and the sleep's pid in OUTSIDE.
in_group() {
	local tag=$1
	shift
	rm -f "$TEST_TMP/$tag.sleep"
	# a subshell: its "Killed" notice (the broken runtime) goes nowhere
	# shellcheck disable=SC2016
	(timeout 60 setsid -w bash -c '
		sleep 1000 </dev/null >/dev/null 2>&1 &
		echo $! >"$0"
		exec "$NSTOP" "${@//@PGRP@/$$}"' "$TEST_TMP/$tag.sleep" "$@" \
		</dev/null >"$TEST_TMP/$tag.out" 2>"$TEST_TMP/$tag.err") 2>/dev/null
	NSTOP_RC=$?
	OUTSIDE=$(cat "$TEST_TMP/$tag.sleep" 2>/dev/null)
	[ -n "$OUTSIDE" ] && register_pid "$OUTSIDE"
}

# outside_alive: the outside sleep lives, neither killed nor stopped.
outside_alive() {
	local st
	st=$(awk '{ print $3 }' "/proc/$OUTSIDE/stat" 2>/dev/null)
	[ -n "$OUTSIDE" ] && [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != T ]
}

# outside_check WHAT: asserts the sleep survived WHAT, then ends it.
outside_check() {
	if outside_alive; then
		pass "$1: the outside process in nstop's group survives"
	else
		fail "$1: the outside process in nstop's group survives" \
			"sleep $OUTSIDE: $(awk '{ print "state " $3 }' "/proc/$OUTSIDE/stat" 2>/dev/null || echo gone)"
	fi
	kill -KILL "$OUTSIDE" 2>/dev/null
}

# ---- nstop run in the foreground
rtc_name ids
in_group ids run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" ids
is "$(kv "$TEST_TMP/ids.out" pid | cut -d' ' -f1)" 2 "run: the probe is the payload (pid 2)"
ok "run: the payload leads a session of its own (sid = pid = pgrp = 2)" \
	grep -qx "pid=2 pgrp=2 sid=2" "$TEST_TMP/ids.out"
kill -KILL "$OUTSIDE" 2>/dev/null

for sig in 9 10; do
	rtc_name zero$sig
	in_group zero$sig run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" zero $sig
	is "$NSTOP_RC" $((128 + sig)) "run, kill(0, $sig): the payload's own group got it (exit $((128 + sig)))"
	outside_check "run, kill(0, $sig)"
	assert_gone "$RTC_NAME"
done

rtc_name all
in_group all run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" all 9 "$HOSTPIDNS"
# ESRCH: nothing it may signal but init, which kill(-1) skips
ok "run, kill(-1, 9): sent (to what the pid namespace holds)" \
	grep -Eqx "killall=(ok|No such process)" "$TEST_TMP/all.out"
is "$NSTOP_RC" 0 "run, kill(-1, 9): nstop waits for the payload, exit 0"
outside_check "run, kill(-1, 9)"
assert_gone "$RTC_NAME"

rtc_name grp
in_group grp run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" group 9 @PGRP@
is "$(kv "$TEST_TMP/grp.out" killgroup)" "No such process" \
	"run, kill(-<the caller's group>, 9): no such group inside"
outside_check "run, kill(-<the caller's group>, 9)"
assert_gone "$RTC_NAME"

# kill(-getpgrp()): in the caller's group, whose leader is outside the pid
# namespace, getpgrp() said 0, and kill(-0) is kill(0)
rtc_name self
in_group self run --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" group 9 self
is "$(kv "$TEST_TMP/self.out" group)" 2 "run: getpgrp() inside is the payload's own group (2)"
outside_check "run, kill(-getpgrp(), 9)"
assert_gone "$RTC_NAME"

# ---- nstop run -d: the monitor outside must live to remove it (--rm)
rtc_name det
in_group det run -d --rm --name "$RTC_NAME" "${VOL[@]}" -- "$P" zero 9
is "$NSTOP_RC" 0 "run -d, kill(0, 9): started"
for i in $(seq 100); do
	[ -e "$STATE_DIR/$RTC_NAME" ] || break
	sleep 0.1
done
outside_check "run -d, kill(0, 9)"
assert_gone "$RTC_NAME"

# ---- nstop exec and nstop enter into an idle container
rtc_name idle
E=$RTC_NAME
run_nstop idle run -d --name "$E" "${VOL[@]}"
ok "an idle container to enter" wait_state "$E" running 10

in_group xids exec "$E" -- "$P" ids
ok "exec: the command leads a session of its own" \
	grep -qE "^pid=([0-9]+) pgrp=\1 sid=\1$" "$TEST_TMP/xids.out"
kill -KILL "$OUTSIDE" 2>/dev/null
in_group xzero exec "$E" -- "$P" zero 9
is "$NSTOP_RC" 137 "exec, kill(0, 9): its own group got it (exit 137)"
outside_check "exec, kill(0, 9)"
in_group xself exec "$E" -- "$P" group 9 self
outside_check "exec, kill(-getpgrp(), 9)"
in_group xgrp exec "$E" -- "$P" group 9 @PGRP@
is "$(kv "$TEST_TMP/xgrp.out" killgroup)" "No such process" \
	"exec, kill(-<the caller's group>, 9): no such group inside"
outside_check "exec, kill(-<the caller's group>, 9)"
in_group xall exec "$E" -- "$P" all 9 "$HOSTPIDNS"
outside_check "exec, kill(-1, 9)"

IP=$(init_pid "$E")
in_group nids enter "$IP" -- "$P" ids
ok "enter: the command leads a session of its own" \
	grep -qE "^pid=([0-9]+) pgrp=\1 sid=\1$" "$TEST_TMP/nids.out"
kill -KILL "$OUTSIDE" 2>/dev/null
in_group nzero enter "$IP" -- "$P" zero 9
is "$NSTOP_RC" 137 "enter, kill(0, 9): its own group got it (exit 137)"
outside_check "enter, kill(0, 9)"
in_group nself enter "$IP" -- "$P" group 9 self
outside_check "enter, kill(-getpgrp(), 9)"
ok "the idle container still runs" wait_state "$E" running 5

run_nstop rm rm -f "$E"
assert_gone "$E"

done_testing
