#!/bin/bash
# The operations on containers, checked against the kernel's own files: the
# lock that serialises them, move (and what it refuses), a freeze that stops
# a host process moved in, rm refusing a running container and rm -f of a
# frozen one, a stale state (monitor and init killed behind nstop's back),
# kill's signal forms, update's all-or-nothing and its EBUSY, and a state
# directory removal that will not cross a mount point.
# shellcheck source=lib.sh
. "$NSTOP_TESTLIB"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq flock unshare mount timeout
find_freezer || cannot_run "no freezer (v1 freezer or cgroup2) is mounted"

RTB=nstop-test-rtb-$$

# rtb_name SUFFIX: a container name of ours in RTB_NAME, removed on exit.
rtb_name() {
	RTB_NAME=$RTB-$1
	register_cmd "rtb_reap '$RTB_NAME'"
}

# As rt-lib's rtc_reap, for our own prefix.
rtb_reap() {
	local RTC=$RTB
	rtc_reap "$1"
}

# state_get NAME KEY: a key of the state file as written.
state_get() {
	jq -r ".$2" "$STATE_DIR/$1/state.json" 2>/dev/null
}

# start NAME ARG...: nstop run -d --name NAME ARG...; the init's pid in P.
start() {
	local n=$1
	shift
	P=
	run_nstop "start-$n" run -d --name "$n" "$@" || return 1
	wait_state "$n" running 10 || return 1
	P=$(init_pid "$n")
	[ -n "$P" ]
}

# proc_state PID: the state letter in /proc/PID/stat; empty when gone.
proc_state() {
	awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null
}

# ---- the lock, rm without -f, move, freeze with a host process inside ----------

rtb_name a
A=$RTB_NAME
if start "$A" -- sleep 1000; then
	pass "run -d $A"
else
	fail "run -d $A" "$(cat "$TEST_TMP/start-$A.err" 2>/dev/null)"
	done_testing
fi
PA=$P

# Another holder of the container's lock makes the verb wait for it: the
# verb returns only after the holder let go (an order, not a duration).
rm -f "$TEST_TMP/held" "$TEST_TMP/released"
flock "$STATE_DIR/$A.lock" sh -c "touch '$TEST_TMP/held'; sleep 0.5; date +%s%N > '$TEST_TMP/released'" &
holder=$!
register_pid "$holder"
for i in $(seq 100); do [ -e "$TEST_TMP/held" ] && break; sleep 0.05; done
run_nstop freeze-locked freeze "$A"
t1=$(date +%s%N)
wait "$holder" 2>/dev/null
released=$(cat "$TEST_TMP/released" 2>/dev/null || echo 0)
is "$NSTOP_RC" 0 "freeze while another holds the lock exits 0"
if [ -e "$TEST_TMP/held" ] && [ "$released" -gt 0 ] && [ "$t1" -ge "$released" ]; then
	pass "  and waited for the lock (returned $(((t1 - released) / 1000000)) ms after it was let go)"
else
	fail "  and waited for the lock" "held: $(ls "$TEST_TMP/held" 2>&1); let go at $released, returned at $t1"
fi
run_nstop thaw-locked thaw "$A"
is "$NSTOP_RC" 0 "thaw exits 0"

run_nstop_quiet rm-running rm "$A"
is "$NSTOP_RC" 1 "rm of a running container (no -f) exits 1"
if one_error_line "$TEST_TMP/rm-running.err" && grep -q running "$TEST_TMP/rm-running.err"; then
	pass "  with one line saying it is running"
else
	fail "  with one line saying it is running" "$(cat "$TEST_TMP/rm-running.err")"
fi
if [ -e "/proc/$PA" ] && [ -f "$STATE_DIR/$A/state.json" ] && in_all_hierarchies "$PA" "$A"; then
	pass "  and its init, state and cgroups are all still there"
else
	fail "  and its init, state and cgroups are all still there"
fi

spawn_bg sleep 1000
S=$SPAWNED
run_nstop move move "$S" "$A"
is "$NSTOP_RC" 0 "move of a host process ($S) exits 0"
if in_all_hierarchies "$S" "$A"; then
	pass "  it is in /$CG_PARENT/$A in every hierarchy (/proc/$S/cgroup)"
else
	fail "  it is in /$CG_PARENT/$A in every hierarchy (/proc/$S/cgroup)"
fi
d=$FRZ_MNT/$CG_PARENT/$A
if grep -qx "$S" "$d/cgroup.procs"; then
	pass "  and listed in the freezer's cgroup.procs"
else
	fail "  and listed in the freezer's cgroup.procs" "$(cat "$d/cgroup.procs")"
fi

# What move refuses: each one line, nothing moved.
run_nstop_quiet move-kthread move 2 "$A"
is "$NSTOP_RC" 1 "move of pid 2 (kthreadd) exits 1"
grep -q "kernel thread" "$TEST_TMP/move-kthread.err" && pass "  saying it is a kernel thread" ||
	fail "  saying it is a kernel thread" "$(cat "$TEST_TMP/move-kthread.err")"
run_nstop_quiet move-init move 1 "$A"
is "$NSTOP_RC" 1 "move of pid 1 exits 1"
free=4194303
while [ -e "/proc/$free" ]; do free=$((free - 1)); done
run_nstop_quiet move-none move "$free" "$A"
is "$NSTOP_RC" 1 "move of a pid that does not exist ($free) exits 1"
one_error_line "$TEST_TMP/move-none.err" && grep -q "no process" "$TEST_TMP/move-none.err" &&
	pass "  with one line: no process" || fail "  with one line: no process" "$(cat "$TEST_TMP/move-none.err")"
run_nstop_quiet move-notpid move 12abc "$A"
is "$NSTOP_RC" 2 "move of a malformed pid exits 2"
run_nstop_quiet move-unknown move "$S" "$RTB-unknown"
is "$NSTOP_RC" 1 "move into an unknown container exits 1"
grep -q "no such container" "$TEST_TMP/move-unknown.err" && pass "  saying no such container" ||
	fail "  saying no such container" "$(cat "$TEST_TMP/move-unknown.err")"
if [ ! -e "$STATE_DIR/$RTB-unknown" ] && [ ! -e "$STATE_DIR/$RTB-unknown.lock" ]; then
	pass "  and made neither a state directory nor a lock for it"
else
	fail "  and made neither a state directory nor a lock for it"
fi

# The host process froze with the container. v1's freezer holds it in the
# refrigerator, where a signal stays pending; cgroup2's lets a fatal signal
# through (cgroup-v2.rst, cgroup.freeze: "Processes in the frozen cgroup can
# be killed by a fatal signal"), so there SIGTERM (default action) kills it
# and "frozen 1" is the proof that it froze.
run_nstop freeze freeze "$A"
is "$NSTOP_RC" 0 "freeze exits 0"
if [ "$FRZ_V" = 1 ]; then
	is "$(cat "$d/freezer.state")" FROZEN "  freezer.state is FROZEN"
else
	is "$(grep '^frozen' "$d/cgroup.events")" "frozen 1" "  cgroup.events says frozen 1"
fi
kill -TERM "$S" 2>/dev/null
sleep 0.3
st=$(proc_state "$S")
if [ "$FRZ_V" = 2 ]; then
	if [ -z "$st" ] || [ "$st" = Z ]; then
		pass "  the moved process is killed by SIGTERM though frozen, as cgroup2 does"
	else
		fail "  the moved process is killed by SIGTERM though frozen, as cgroup2 does" "state '$st'"
	fi
elif [ -n "$st" ] && [ "$st" != Z ]; then
	pass "  the moved process does not act on SIGTERM while frozen (state $st)"
else
	fail "  the moved process does not act on SIGTERM while frozen" "state '$st'"
fi
is "$(list_get "$A" .state)" '"frozen"' "  list says frozen"

t0=$(date +%s%N)
run_nstop rm-frozen rm -f "$A"
t1=$(date +%s%N)
is "$NSTOP_RC" 0 "rm -f of the frozen container exits 0 ($(((t1 - t0) / 1000000)) ms)"
assert_gone "$A" "$PA" "$S"

# ---- a cgroup below the container's, frozen by itself ------------------------------

rtb_name nest
E=$RTB_NAME
if start "$E" -- sleep 1000; then
	inner=$FRZ_MNT/$CG_PARENT/$E/inner
	spawn_bg sleep 1000
	S=$SPAWNED
	if mkdir "$inner" && cg_move "$S" "$inner" && cg_freeze "$inner"; then
		pass "a process in $E/inner, frozen by inner itself"
	else
		fail "a process in $E/inner, frozen by inner itself"
	fi
	run_nstop rm-nest rm -f "$E"
	is "$NSTOP_RC" 0 "rm -f exits 0 (inner thawed too, or its SIGKILL would stay pending)"
	assert_gone "$E" "$P" "$S"
else
	fail "run -d $E" "$(cat "$TEST_TMP/start-$E.err" 2>/dev/null)"
fi

# ---- a stale state: monitor and init killed behind nstop's back ----------------

rtb_name stale
B=$RTB_NAME
if start "$B" -- sleep 1000; then
	M=$(state_get "$B" monitor)
	if [ -n "$M" ] && [ "$M" != 0 ] && [ "$M" != null ] && [ -e "/proc/$M" ]; then
		pass "the state of $B names a live monitor ($M)"
		kill -KILL "$M"
		gone_soon "$M"
	else
		fail "the state of $B names a live monitor" "monitor '$M'"
	fi
	kill -KILL "$P"
	gone_soon "$P"
	is "$(state_get "$B" state)" running "the state file still says running"
	is "$(list_get "$B" '[.state, .pid, .exit_code]')" '["exited",null,null]' \
		"list: exited, pid null, exit code unknown (null)"
	run_nstop_quiet freeze-stale freeze "$B"
	is "$NSTOP_RC" 1 "freeze of the stale container exits 1"
	run_nstop rm-stale rm "$B"
	is "$NSTOP_RC" 0 "rm (no -f) of the stale container exits 0"
	assert_gone "$B" "$P"
else
	fail "run -d $B" "$(cat "$TEST_TMP/start-$B.err" 2>/dev/null)"
fi

# ---- kill: the signal forms ------------------------------------------------------

rtb_name kill
K=$RTB_NAME
if start "$K" -- sh -c 'trap "exit 42" USR1; while :; do sleep 0.05; done'; then
	run_nstop_quiet kill-bogus kill "$K" BOGUS
	is "$NSTOP_RC" 2 "kill NAME BOGUS exits 2"
	run_nstop_quiet kill-zero kill "$K" 0
	is "$NSTOP_RC" 2 "kill NAME 0 exits 2"
	is "$(list_get "$K" .state)" '"running"' "  and the container still runs"
	run_nstop kill-usr1 kill "$K" -USR1
	is "$NSTOP_RC" 0 "kill NAME -USR1 exits 0"
	wait_state "$K" exited 10
	is "$(list_get "$K" '[.state, .exit_code]')" '["exited",42]' \
		"  the payload's trap ran: exited 42"
	run_nstop_quiet kill-exited kill "$K" KILL
	is "$NSTOP_RC" 1 "kill of an exited container exits 1"
	one_error_line "$TEST_TMP/kill-exited.err" && grep -q exited "$TEST_TMP/kill-exited.err" &&
		pass "  saying it has exited" || fail "  saying it has exited" "$(cat "$TEST_TMP/kill-exited.err")"
	run_nstop rm-kill rm "$K"
	is "$NSTOP_RC" 0 "rm of the exited container exits 0"
	assert_gone "$K" "$P"
else
	fail "run -d $K" "$(cat "$TEST_TMP/start-$K.err" 2>/dev/null)"
fi

# ---- update: all or nothing, and a memory limit below the usage --------------------

mem_file() { ctl_file memory "$1" memory.limit_in_bytes memory.max; }
usage_file() { ctl_file memory "$1" memory.usage_in_bytes memory.current; }
quota_now() {
	local f
	f=$(ctl_file cpu "$1" cpu.cfs_quota_us cpu.max) || return
	awk '{ print $1 }' "$f"
}
pids_now() { cat "$(ctl_file pids "$1" pids.max pids.max)"; }

rtb_name upd
U=$RTB_NAME
if start "$U" --memory 128M --cpus 0.5 --pids 100 -- \
	sh -c 'x=$(head -c 40000000 /dev/zero | tr "\0" a); echo filled; sleep 1000'; then
	for i in $(seq 100); do
		[ "$(cat "$(usage_file "$U")")" -gt 30000000 ] && break
		sleep 0.05
	done
	used=$(cat "$(usage_file "$U")")
	before="$(cat "$(mem_file "$U")") $(quota_now "$U") $(pids_now "$U")"
	is "$before" "134217728 50000 100" "the limits at run: memory, cpu quota, pids"

	run_nstop_quiet upd-bad update "$U" --memory 64M --cpus 0.25 --pids abc
	is "$NSTOP_RC" 2 "update with one bad value (--pids abc) exits 2"
	is "$(cat "$(mem_file "$U")") $(quota_now "$U") $(pids_now "$U")" "$before" \
		"  and nothing was written"
	run_nstop_quiet upd-cpus update "$U" --memory 64M --cpus 1000
	is "$NSTOP_RC" 2 "update with more cpus than online exits 2"
	is "$(cat "$(mem_file "$U")")" 134217728 "  and the memory limit is as it was"

	run_nstop_quiet upd-busy update "$U" --memory 8M --pids 50
	is "$NSTOP_RC" 1 "update --memory 8M below the usage ($used) exits 1"
	if one_error_line "$TEST_TMP/upd-busy.err" &&
	   grep -Eq "memory limit 8388608 \(8\.0M\) below current usage [0-9]+ \([0-9.]+[KMG]\)" "$TEST_TMP/upd-busy.err"; then
		pass "  saying: $(cat "$TEST_TMP/upd-busy.err")"
	else
		fail "  saying the limit is below the usage" "$(cat "$TEST_TMP/upd-busy.err")"
	fi
	is "$(cat "$(mem_file "$U")") $(pids_now "$U")" "134217728 100" \
		"  and neither the memory nor the pid limit changed"
	is "$(list_get "$U" .state)" '"running"' "  and the payload still runs"

	run_nstop upd-ok update "$U" --memory 96M --pids 50
	is "$NSTOP_RC" 0 "update --memory 96M --pids 50 exits 0"
	is "$(cat "$(mem_file "$U")") $(pids_now "$U")" "100663296 50" "  both written"
	memsw=$(ctl_file memory "$U" memory.memsw.limit_in_bytes memory.swap.max)
	if [ -f "$memsw" ]; then
		case $memsw in
		*memsw*) is "$(cat "$memsw")" 100663296 "  memory.memsw.limit_in_bytes follows it" ;;
		*) is "$(cat "$memsw")" 0 "  memory.swap.max is 0" ;;
		esac
	fi
	is "$(list_get "$U" '.limits | [.memory_bytes, .pids_max, .cpu_quota_usec]')" \
		'[100663296,50,50000]' "  list -J shows the new limits and keeps the old quota"

	# nstop list's columns are the list fields: -o picks them, -q the names
	run_nstop list-o list -n -r -o name,pids,state,cpus
	is "$(grep "^$U " "$(out list-o)")" "$U 50 running 0.50" \
		"list -o name,pids,state,cpus: those columns, in that order"
	run_nstop list-q list -q
	if grep -qx "$U" "$(out list-q)" && ! grep -q ' ' "$(out list-q)"; then
		pass "list -q: the names alone, one a line"
	else
		fail "list -q: the names alone, one a line" "$(cat "$(out list-q)")"
	fi
	run_nstop list-c list --list-columns
	if grep -Eq '^ *CGROUP  ' "$(out list-c)" && grep -Eq '^ *EXIT  ' "$(out list-c)"; then
		pass "list --list-columns names the columns -o takes"
	else
		fail "list --list-columns names the columns -o takes" "$(cat "$(out list-c)")"
	fi
else
	fail "run -d $U" "$(cat "$TEST_TMP/start-$U.err" 2>/dev/null)"
fi

# ---- removal never crosses a mount point ----------------------------------------

rtb_name mnt
R=$RTB_NAME
if start "$R" -- sleep 1000; then
	precious=$TEST_TMP/precious
	mkdir -p "$precious" && echo keep >"$precious/file"
	mkdir -p "$STATE_DIR/$R/bound"
	# The bind mount lives in a mount namespace of our own only.
	unshare -m --propagation private sh -c '
		mount --bind "$1" "$2" || exit 99
		"$3" rm -f "$4" 2>"$5"
		echo $? >"$6"' sh "$precious" "$STATE_DIR/$R/bound" "$NSTOP" "$R" \
		"$TEST_TMP/rm-mnt.err" "$TEST_TMP/rm-mnt.rc"
	is "$(cat "$TEST_TMP/rm-mnt.rc")" 1 "rm -f with a bind mount in the state directory exits 1"
	grep -q "mount point" "$TEST_TMP/rm-mnt.err" && pass "  saying it is a mount point" ||
		fail "  saying it is a mount point" "$(cat "$TEST_TMP/rm-mnt.err")"
	is "$(cat "$precious/file" 2>/dev/null)" keep "  and what was mounted there is untouched"
	# Symlinks out of the state directory are removed, never followed.
	mkdir -p "$STATE_DIR/$R/deep/er"
	ln -s "$precious" "$STATE_DIR/$R/deep/er/dirlink"
	ln -s "$precious/file" "$STATE_DIR/$R/filelink"
	run_nstop rm-mnt2 rm -f "$R"
	is "$NSTOP_RC" 0 "without the mount, rm -f exits 0"
	is "$(cat "$precious/file" 2>/dev/null)" keep "  symlinks in the state directory were not followed"
	assert_gone "$R" "$P"
else
	fail "run -d $R" "$(cat "$TEST_TMP/start-$R.err" 2>/dev/null)"
fi

# ---- cgroups left without a state (a crash half way) ------------------------------

rtb_name orphan
O=$RTB_NAME
made=0
for m in $(cg_mounts); do
	mkdir -p "$m/$CG_PARENT/$O" && made=$((made + 1))
done
run_nstop_quiet orphan-run run --name "$O" -- true
is "$NSTOP_RC" 1 "run over leftover cgroups ($made hierarchies) exits 1"
grep -q "exists already" "$TEST_TMP/orphan-run.err" && pass "  saying the cgroup exists already" ||
	fail "  saying the cgroup exists already" "$(cat "$TEST_TMP/orphan-run.err")"
is "$(list_get "$O" .state)" '"broken"' "list shows leftover cgroups as broken"
run_nstop orphan-rm rm "$O"
is "$NSTOP_RC" 0 "rm (no -f) removes leftover cgroups where nothing lives"
assert_gone "$O"

# ---- a state file a crash left empty -------------------------------------------

rtb_name corrupt
C=$RTB_NAME
if start "$C" -- sleep 1000; then
	: >"$STATE_DIR/$C/state.json"
	run_nstop_quiet corrupt-list list -J
	is "$NSTOP_RC" 0 "list with an empty state file exits 0"
	is "$(list_get "$C" '[.state, .pid]')" '["broken",null]' "  and shows that one as broken"
	run_nstop_quiet corrupt-rm rm "$C"
	is "$NSTOP_RC" 1 "rm (no -f) of it exits 1: its process lives"
	one_error_line "$TEST_TMP/corrupt-rm.err" && grep -q "broken (no valid state)" "$TEST_TMP/corrupt-rm.err" &&
		pass "  saying the state is not valid" ||
		fail "  saying the state is not valid" "$(cat "$TEST_TMP/corrupt-rm.err")"
	ok "  and it did not kill it" kill -0 "$P"
	run_nstop corrupt-rmf rm -f "$C"
	is "$NSTOP_RC" 0 "rm -f of it exits 0"
	assert_gone "$C" "$P"
else
	fail "run -d $C" "$(cat "$TEST_TMP/start-$C.err" 2>/dev/null)"
fi

# ---- the devices allow-list holds for a host process moved in -------------------

# A device of this host outside the allow-list that this test itself may
# open (opening it read-only reads nothing): a disk where the host's own
# device rules let us, else a loop device or /dev/kmsg (a VM may keep its
# disk from every process of it, and the probe could then never fail).
BLK=
for b in /dev/vda /dev/sda /dev/nvme0n1 /dev/xvda /dev/loop0 /dev/kmsg; do
	{ [ -b "$b" ] || [ -c "$b" ]; } && head -c 0 "$b" 2>/dev/null && { BLK=$b; break; }
done
diag "the device outside the allow-list: ${BLK:-none}"

# devices_probe NAME TAG: moves a root shell of ours (all capabilities) into
# NAME, which then opens /dev/null and $BLK; their exit codes in TAG.null
# and TAG.blk.
devices_probe() {
	local n=$1 tag=$TEST_TMP/$2 i
	rm -f "$tag".*
	sh -c 'while [ ! -e "$1.go" ]; do sleep 0.05; done
		head -c 1 /dev/null; echo $? >"$1.null.tmp"; mv "$1.null.tmp" "$1.null"
		head -c 0 "$2" 2>/dev/null; echo $? >"$1.blk.tmp"; mv "$1.blk.tmp" "$1.blk"' \
		sh "$tag" "$BLK" </dev/null >/dev/null 2>&1 &
	local pid=$!
	register_pid "$pid"
	"$NSTOP" move "$pid" "$n" && touch "$tag.go"
	for i in $(seq 100); do
		[ -e "$tag.blk" ] && break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
}

if [ -n "$BLK" ]; then
	rtb_name dev
	D=$RTB_NAME
	if start "$D" -- sleep 1000; then
		devices_probe "$D" hyb
		is "$(cat "$TEST_TMP/hyb.null" 2>/dev/null)" 0 "a root process moved into $D reads /dev/null"
		is "$(cat "$TEST_TMP/hyb.blk" 2>/dev/null)" 1 "  but cannot open $BLK (devices allow-list)"
		run_nstop rm-dev rm -f "$D"
		assert_gone "$D" "$P"
	else
		fail "run -d $D" "$(cat "$TEST_TMP/start-$D.err" 2>/dev/null)"
	fi
else
	diag "no device outside the allow-list opens here: the devices check is left out"
fi

# ---- a host that shows only cgroup2 ------------------------------------------------

# In a mount namespace of ours, /sys/fs/cgroup is the cgroup2 hierarchy
# alone, as on a pure v2 host: the freezer is cgroup.freeze (waited for on
# cgroup.events), rm -f uses cgroup.kill, and the devices allow-list is a
# BPF program. The cgroups are the real ones (this host's cgroup2).
V2=$(cg_v2_mount)
if [ -n "$V2" ] && [ -n "$BLK" ]; then
	rtb_name v2
	W=$RTB_NAME
	register_cmd "rtb_reap '$W'"
	# The outer reap sees the cgroup2 hierarchy at $V2 as well.
	export W NSTOP TEST_TMP BLK
	export -f devices_probe register_pid
	unshare -m --propagation private bash -c '
		_reg_pids=()
		umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 99
		"$NSTOP" run -d --name "$W" -- sleep 1000; echo "run=$?"
		for i in $(seq 100); do
			"$NSTOP" list -J | grep -q "\"running\"" && break
			sleep 0.05
		done
		"$NSTOP" freeze "$W"; echo "freeze=$?"
		echo "events_frozen=$(grep -c "^frozen 1" "/sys/fs/cgroup/nstop/$W/cgroup.events")"
		echo "listed=$("$NSTOP" list -J | jq -r --arg n "$W" ".containers[] | select(.name == \$n) | .state")"
		"$NSTOP" thaw "$W"; echo "thaw=$?"
		echo "events_thawed=$(grep -c "^frozen 0" "/sys/fs/cgroup/nstop/$W/cgroup.events")"
		"$NSTOP" update "$W" --memory 64M 2>/dev/null; echo "update_nomem=$?"
		devices_probe "$W" v2probe
		"$NSTOP" freeze "$W"
		"$NSTOP" rm -f "$W"; echo "rm=$?"
		echo "cgroup_left=$(ls -d "/sys/fs/cgroup/nstop/$W" 2>/dev/null | wc -l)"
	' >"$TEST_TMP/v2.out" 2>"$TEST_TMP/v2.err"
	o=$TEST_TMP/v2.out
	is "$(kv "$o" run)" 0 "cgroup2 only: run -d exits 0"
	is "$(kv "$o" freeze) $(kv "$o" events_frozen)" "0 1" "  freeze exits 0 and cgroup.events says frozen 1"
	is "$(kv "$o" listed)" frozen "  list says frozen"
	is "$(kv "$o" thaw) $(kv "$o" events_thawed)" "0 1" "  thaw exits 0 and cgroup.events says frozen 0"
	# A hybrid host's cgroup2 has no memory controller (v1 holds it): the
	# update fails; a pure cgroup2 host's has one (a v2 guest of tests/vm)
	if cg_v2_has memory; then
		is "$(kv "$o" update_nomem)" 0 "  update --memory with the memory controller there exits 0"
	else
		is "$(kv "$o" update_nomem)" 1 "  update --memory with no memory controller there exits 1"
	fi
	is "$(cat "$TEST_TMP/v2probe.null" 2>/dev/null)" 0 "  a root process moved in reads /dev/null"
	is "$(cat "$TEST_TMP/v2probe.blk" 2>/dev/null)" 1 "  but cannot open $BLK (the BPF device program)"
	is "$(kv "$o" rm) $(kv "$o" cgroup_left)" "0 0" "  rm -f of the frozen container exits 0, no cgroup left"
	[ -s "$TEST_TMP/v2.err" ] && diag "stderr:" "$(head -c 2000 "$TEST_TMP/v2.err")"
	assert_gone "$W"
fi

# ---- several names in one command, as docker rm -f a b -----------------------------
# Each NAME done in turn: one that fails says so in a line of its own
# ("nstop: VERB: NAME: why"), the others are still done, and the status is 1.
# A malformed NAME among them is a usage error before any is touched.

several=()
for i in 1 2 3 4 5; do
	rtb_name "m$i"
	several+=("$RTB_NAME")
	start "$RTB_NAME" -- sleep 1000 || fail "run -d $RTB_NAME" "$(cat "$TEST_TMP/start-$RTB_NAME.err" 2>/dev/null)"
	eval "P$i=\$P"
done
M1=${several[0]} M2=${several[1]} M3=${several[2]} M4=${several[3]} M5=${several[4]}
run_nstop freeze2 freeze "$M1" "$M2"
is "$NSTOP_RC:$(list_get "$M1" .state):$(list_get "$M2" .state)" '0:"frozen":"frozen"' \
	"freeze $M1 $M2: exit 0, both frozen"
run_nstop thaw2 thaw "$M1" "$M2"
is "$NSTOP_RC:$(list_get "$M1" .state):$(list_get "$M2" .state)" '0:"running":"running"' \
	"thaw $M1 $M2: exit 0, both running"
run_nstop update2 update "$M1" "$M2" --pids 77
is "$NSTOP_RC:$(state_get "$M1" limits.pids_max):$(state_get "$M2" limits.pids_max)" "0:77:77" \
	"update $M1 $M2 --pids 77: exit 0, both limited"
run_nstop_quiet kill-some kill "$M3" "$RTB-none" KILL
is "$NSTOP_RC" 1 "kill $M3 $RTB-none KILL: exit 1"
is "$(cat "$TEST_TMP/kill-some.err")" "nstop: kill: $RTB-none: no such container: $RTB-none" \
	"  one line, for the unknown name"
wait_state "$M3" exited 10
is "$(list_get "$M3" .state)" '"exited"' "  $M3 was killed all the same"

run_nstop rm2 rm -f "$M1" "$M2"
is "$NSTOP_RC" 0 "rm -f $M1 $M2: exit 0"
assert_gone "$M1" "$P1"
assert_gone "$M2" "$P2"

run_nstop_quiet rmbad rm -f "$M5" "$RTB/bad" "$M4"
is "$NSTOP_RC" 2 "rm -f with a malformed NAME among good ones: exit 2"
one_error_line "$TEST_TMP/rmbad.err" && grep -q "'$RTB/bad'" "$TEST_TMP/rmbad.err" &&
	pass "  one line, naming it" || fail "  one line, naming it" "$(cat "$TEST_TMP/rmbad.err")"
is "$(list_get "$M5" .state):$(list_get "$M4" .state)" '"running":"running"' \
	"  and neither of the good ones was touched"

run_nstop_quiet rmsome rm -f "$M3" "$RTB-none" "$M4" "$M5"
is "$NSTOP_RC" 1 "rm -f with an unknown NAME among good ones: exit 1"
is "$(cat "$TEST_TMP/rmsome.err")" "nstop: rm: $RTB-none: no such container: $RTB-none" \
	"  one line, for the unknown name"
assert_gone "$M3" "$P3"
assert_gone "$M4" "$P4"
assert_gone "$M5" "$P5"

# ---- names --------------------------------------------------------------------

for bad in "" "a/b" ".." "-x" ".hidden" "$(printf 'a\tb')" \
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; do
	for verb in freeze thaw rm kill; do
		run_nstop_quiet badname "$verb" -- "$bad"
		if [ "$NSTOP_RC" = 2 ] && one_error_line "$TEST_TMP/badname.err"; then
			pass "$verb '$bad': exit 2, one line"
		else
			fail "$verb '$bad': exit 2, one line" "exit $NSTOP_RC" "$(cat "$TEST_TMP/badname.err")"
		fi
	done
done
for verb in freeze thaw rm "rm -f" kill "update --pids 5"; do
	run_nstop_quiet unknown $verb "$RTB-none"
	if [ "$NSTOP_RC" = 1 ] &&
	   grep -qx "nstop: ${verb%% *}: $RTB-none: no such container: $RTB-none" "$TEST_TMP/unknown.err"; then
		pass "$verb of an unknown name: exit 1, no such container"
	else
		fail "$verb of an unknown name: exit 1, no such container" "exit $NSTOP_RC" \
			"$(cat "$TEST_TMP/unknown.err")"
	fi
done
if [ ! -e "$STATE_DIR/$RTB-none" ] && [ ! -e "$STATE_DIR/$RTB-none.lock" ]; then
	pass "unknown names left neither a state directory nor a lock"
else
	fail "unknown names left neither a state directory nor a lock"
fi

done_testing
