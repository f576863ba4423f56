#!/bin/bash
# Verbs pay only for the libraries they use (issue 20.3): libproc2, and
# libsystemd with its five libraries behind it, are loaded where a live scan
# starts, so a container's monitor and init never map them, `nstop run` and
# --version work where the library cannot be loaded at all, and a scan there
# fails in one line that names it. Each "not mapped" probe is paired with a
# scan process where the same probe must find it.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq unshare ldconfig

RTC=nstop-test-rtl-$$	# rtc_name and rtc_reap work on $RTC-*
[ -n "${NSTOP_PROC2_SONAME:-}" ] || cannot_run "NSTOP_PROC2_SONAME unset (run through make check)"

# The libraries libproc2 brings, as /proc/PID/maps names them.
LAZY_RE="/(libproc2|libsystemd)\.so"
maps_lazy() { grep -Eo "$LAZY_RE[^ ]*" "/proc/$1/maps" 2>/dev/null | sort -u | tr '\n' ' '; }

# ---- what a running container's processes map ---------------------------------
rtc_name mon
"$NSTOP" run --name "$RTC_NAME" -- sleep 100 </dev/null >/dev/null 2>&1 &
mon=$!
register_pid "$mon"
for i in $(seq 50); do
	[ "$(jq -r .state "$STATE_DIR/$RTC_NAME/state.json" 2>/dev/null)" = running ] && break
	sleep 0.1
done
ok "the container runs" test "$(jq -r .state "$STATE_DIR/$RTC_NAME/state.json" 2>/dev/null)" = running
is "$(maps_lazy "$mon")" "" "nstop run's monitor maps neither libproc2 nor libsystemd"
wait_children "$mon" 1
for k in $KIDS; do
	is "$(maps_lazy "$k")" "" "nor does its child $k ($(cat /proc/$k/comm 2>/dev/null))"
done

# The pair: a scan that runs (the batch view, every 10 s) maps both.
"$NSTOP" -b -d 10 -n 2 -J </dev/null >/dev/null 2>&1 &
scan=$!
register_pid "$scan"
for i in $(seq 50); do
	[ -n "$(maps_lazy "$scan")" ] && break
	sleep 0.1
done
ok "a running scan maps $NSTOP_PROC2_SONAME: $(maps_lazy "$scan")" \
	eval '[[ "$(maps_lazy "$scan")" == *libproc2.so* ]]'
kill -TERM "$scan" "$mon"
wait "$scan" "$mon" 2>/dev/null
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- where libproc2 cannot be loaded -----------------------------------------------
# Every file the loader could pick for the soname becomes /dev/null, in a mount
# namespace of this test's own (private propagation: the host never sees it).
libs=$(ldconfig -p | awk -v s="$NSTOP_PROC2_SONAME" '$1 == s { print $NF }')
ok "ldconfig knows $NSTOP_PROC2_SONAME: $libs" test -n "$libs"
hide=
for l in $libs; do hide="$hide mount --bind /dev/null '$l' && mount --bind /dev/null '$(readlink -f "$l")' &&"; done
without() { unshare -m --propagation private sh -c "$hide"' exec "$@"' sh "$@"; }

out=$(without "$NSTOP" --version 2>&1)
is "$?" 0 "--version runs without libproc2 ($out)"
rtc_name nolib
out=$(without "$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'echo inside' 2>&1)
is "$?" 0 "run --rm runs a container without libproc2"
is "$out" inside "and the payload's output comes through"
ok "nothing of it is left" test ! -e "$STATE_DIR/$RTC_NAME"

err=$(without "$NSTOP" -b -n 1 -J 2>&1 >/dev/null)
is "$?" 1 "a snapshot without libproc2: exit 1"
is "$(echo "$err" | wc -l)" 1 "one line: $err"
ok "it names the library" eval '[[ "$err" == "nstop: "*"cannot load $NSTOP_PROC2_SONAME"* ]]'

# ---- the scan verbs still read the process table ---------------------------------
is "$("$NSTOP" -b -n 1 -J | jq -r '[.. | objects | select(has("pid") and .pid == 1)][0].pid')" 1 \
	"the snapshot, libproc2 loaded lazily, lists pid 1"
mntns=$(stat -L -c %i /proc/self/ns/mnt)
is "$("$NSTOP" ns | awk -v i="$mntns" '$1 == i && $2 == "mnt" { print $2 }')" mnt \
	"nstop ns lists this shell's mount namespace"

done_testing
