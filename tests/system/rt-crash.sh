#!/bin/bash
# A lifecycle consistent at every instant (issue 15, and issue 11 part 4):
# a FIFO or a symlink planted as state.json never hangs list or -b and is
# listed as broken; a half-made container (a state directory without
# state.json, or cgroups without a state directory, with a live process) is
# listed as broken, blocks its name, is refused by rm without -f (the process
# lives) and removed by rm -f (nothing left, the name free again); a forged
# state pid is never signalled or entered; an exit code out of range is
# refused, not cut to 0; --memory below what the init needs is refused with
# the minimum. Then the fault injection: `nstop run` (foreground and -d)
# SIGKILLed at the Nth system call of every process it makes (strace's
# inject, deterministic), and at a sweep of delays; rm, update and freeze
# killed the same way: after each, list shows the truth and rm -f leaves
# nothing behind.
# shellcheck source=lib.sh
. "$NSTOP_TESTLIB"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq timeout strace setsid
find_freezer || cannot_run "no freezer (v1 freezer or cgroup2) is mounted"

# live_in NAME: the live processes in the container's cgroups.
live_in() {
	procs_in_cgroups_with "/$CG_PARENT/$1"
}

# state_t NAME: the state list -J gives NAME, or "hang" when list does not
# finish within 10 s (a FIFO read on main).
state_t() {
	timeout 10 "$NSTOP" list -J >"$TEST_TMP/list.json" 2>/dev/null
	[ $? = 124 ] && { echo hang; return; }
	jq -c --arg n "$1" '.. | objects | select(has("name") and .name == $n and has("state")) | .state' \
		"$TEST_TMP/list.json" 2>/dev/null | head -1
}

# sleeper: a host process of ours, in SLEEPER.
sleeper() {
	sleep 600 &
	SLEEPER=$!
	register_pid "$SLEEPER"
}

# ---- a FIFO or a symlink as state.json ---------------------------------------
rtc_name fifo
mkdir -p "$STATE_DIR/$RTC_NAME"
mkfifo "$STATE_DIR/$RTC_NAME/state.json"
timeout 10 "$NSTOP" list >"$(out list)" 2>"$(out list.err)"
is "$?" 0 "a FIFO as state.json: list does not hang"
is "$(state_t "$RTC_NAME")" '"broken"' "the FIFO's container is listed as broken"
timeout 10 "$NSTOP" -b -J -n 1 -d 0.1 >"$(out b)" 2>/dev/null
is "$?" 0 "a FIFO as state.json: -b does not hang"
ok "-b -J lists the FIFO's container" \
	jq -e --arg n "$RTC_NAME" '.containers[] | select(.name == $n and .state == "broken")' "$(out b)"
timeout 10 "$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1
is "$?" 0 "rm -f removes it"
rm -rf "${STATE_DIR:?}/$RTC_NAME" "$STATE_DIR/$RTC_NAME.lock" 2>/dev/null	# main hangs on it
assert_gone "$RTC_NAME"

rtc_name link
mkdir -p "$STATE_DIR/$RTC_NAME"
echo '{}' >"$TEST_TMP/elsewhere.json"
ln -s "$TEST_TMP/elsewhere.json" "$STATE_DIR/$RTC_NAME/state.json"
is "$(state_t "$RTC_NAME")" '"broken"' "a symlink as state.json is not followed: broken"
run_nstop_quiet q rm -f "$RTC_NAME"
assert_gone "$RTC_NAME"
ok "the symlink's target is untouched" test -s "$TEST_TMP/elsewhere.json"

# ---- creating: a state directory whose lock a run holds (as during start-up)
rtc_name creating
mkdir -p "$STATE_DIR/$RTC_NAME"
# the lock held by a process of ours alone (fd 9 of the sleep), as a run's
( exec 9>"$STATE_DIR/$RTC_NAME.lock"; flock 9; exec sleep 30 ) &
HOLDER=$!
register_pid "$HOLDER"
for i in $(seq 50); do
	[ -n "$(cat /proc/locks 2>/dev/null | grep -F " $(stat -c %i "$STATE_DIR/$RTC_NAME.lock" 2>/dev/null) ")" ] && break
	sleep 0.05
done
is "$(list_get "$RTC_NAME" .state)" '"creating"' "a state directory whose lock is held is listed as creating"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
is "$(list_get "$RTC_NAME" .state)" '"broken"' "once no one holds its lock, it is broken"
run_nstop_quiet q rm "$RTC_NAME"
is "$?" 0 "rm (no -f) removes it: nothing lives there"
assert_gone "$RTC_NAME"

# ---- half made: a state directory without state.json, a live process ---------
# As a run killed between making its cgroups and writing its state leaves it.
rtc_name half
run_nstop_quiet q run -d --name "$RTC_NAME" -- sleep 600
HALF=$(init_pid "$RTC_NAME")
rm -f "$STATE_DIR/$RTC_NAME/state.json"
is "$(list_get "$RTC_NAME" .state)" '"broken"' "a state directory without state.json is listed as broken"
"$NSTOP" -b -J -n 1 -d 0.1 >"$(out b2)" 2>/dev/null
ok "-b -J lists it" \
	jq -e --arg n "$RTC_NAME" '.containers[] | select(.name == $n and .state == "broken")' "$(out b2)"
"$NSTOP" run --rm --name "$RTC_NAME" -- true >/dev/null 2>"$(out taken)"
isnt "$?" 0 "its name is taken while it exists"
run_nstop_quiet q rm "$RTC_NAME"
isnt "$?" 0 "rm without -f refuses a broken container with a live process"
ok "rm without -f did not kill it" kill -0 "$HALF"
run_nstop_quiet q rm -f "$RTC_NAME"
is "$?" 0 "rm -f removes it"
assert_gone "$RTC_NAME" "$HALF"
run_nstop_quiet q run --rm --name "$RTC_NAME" -- true
is "$?" 0 "the name is free again"
assert_gone "$RTC_NAME"

# cgroups alone, with a live process, no state directory
rtc_name cgonly
run_nstop_quiet q run -d --name "$RTC_NAME" -- sleep 600
HALF=$(init_pid "$RTC_NAME")
rm -rf "${STATE_DIR:?}/$RTC_NAME" "$STATE_DIR/$RTC_NAME.lock"
is "$(list_get "$RTC_NAME" .state)" '"broken"' "cgroups without a state directory are listed as broken"
run_nstop_quiet q rm "$RTC_NAME"
isnt "$?" 0 "rm without -f refuses them while a process lives there"
ok "rm without -f did not kill it" kill -0 "$HALF"
run_nstop_quiet q rm -f "$RTC_NAME"
is "$?" 0 "rm -f removes them"
assert_gone "$RTC_NAME" "$HALF"

# ---- a forged pid is never acted on ----------------------------------------
rtc_name forged
run_nstop_quiet q run -d --name "$RTC_NAME"
is "$?" 0 "an idle container runs"
REAL=$(init_pid "$RTC_NAME")
sleeper
start=$(awk '{ print $22 }' "/proc/$SLEEPER/stat")
jq -c --argjson p "$SLEEPER" --argjson s "$start" '.pid = $p | .pid_start = $s' \
	"$STATE_DIR/$RTC_NAME/state.json" >"$TEST_TMP/forged.json"
cp "$TEST_TMP/forged.json" "$STATE_DIR/$RTC_NAME/state.json"
run_nstop_quiet q kill "$RTC_NAME" KILL
sleep 0.2
ok "kill never signals the host process a forged state names" kill -0 "$SLEEPER"
FNET=$("$NSTOP" exec "$RTC_NAME" -- readlink /proc/self/ns/net 2>/dev/null)
isnt "$FNET" "$(readlink "/proc/$SLEEPER/ns/net")" \
	"exec never enters the namespaces of the host process a forged state names"
isnt "$(list_get "$RTC_NAME" .pid)" "$SLEEPER" "list does not show the forged pid"
run_nstop_quiet q rm -f "$RTC_NAME"
assert_gone "$RTC_NAME"
ok "the host process is still alive" kill -0 "$SLEEPER"
ok "rm -f took the container's real init" gone_soon "$REAL"

# ---- numbers out of range are refused, not truncated -----------------------
rtc_name range
run_nstop_quiet q run --name "$RTC_NAME" -- true
jq -c '.exit_code = 1099511627776' "$STATE_DIR/$RTC_NAME/state.json" >"$TEST_TMP/range.json"
cp "$TEST_TMP/range.json" "$STATE_DIR/$RTC_NAME/state.json"
isnt "$(list_get "$RTC_NAME" .exit_code)" 0 "an exit code of 2^40 is not shown as 0"
is "$(list_get "$RTC_NAME" .state)" '"broken"' "a state with an exit code of 2^40 is broken"
run_nstop_quiet q rm -f "$RTC_NAME"
assert_gone "$RTC_NAME"

# ---- --memory below what the init needs ------------------------------------
rtc_name tiny
"$NSTOP" run -d --name "$RTC_NAME" --memory 256K -- sleep 300 >/dev/null 2>"$(out tiny)"
is "$?" 1 "--memory 256K: refused (exit 1)"
ok "the refusal names the minimum" grep -q 'at least' "$(out tiny)"
ok "one error line" one_error_line "$(out tiny)"
assert_gone "$RTC_NAME"

# ---- fault injection --------------------------------------------------------
# after_kill NAME WHAT: whatever the kill left is listed with a state and
# removed by rm -f; a foreground run's init never outlives it.
after_kill() {
	local n=$1 what=$2 st left m
	if [ -e "$STATE_DIR/$n" ] || [ -n "$(live_in "$n")" ] ||
	   ls -d $(for m in $(cg_mounts); do echo "$m/$CG_PARENT/$n"; done) >/dev/null 2>&1; then
		st=$(list_get "$n" .state)
		if [ -z "$st" ]; then
			fail "$what: what is left is listed" \
				"$(ls -la "$STATE_DIR/$n" 2>&1; live_in "$n")"
			bad=$((bad + 1))
		fi
	fi
	timeout 20 "$NSTOP" rm -f "$n" >/dev/null 2>"$(out rmf)"
	left=""
	[ -e "$STATE_DIR/$n" ] && left="$left state"
	[ -e "$STATE_DIR/$n.lock" ] && left="$left lock"
	for m in $(cg_mounts); do [ -d "$m/$CG_PARENT/$n" ] && left="$left $m"; done
	[ -n "$(live_in "$n")" ] && left="$left procs"
	mounts_with "/$n" | grep -q . && left="$left mounts"
	if [ -n "$left" ]; then
		fail "$what: rm -f leaves nothing" "left:$left $(cat "$(out rmf)")"
		bad=$((bad + 1))
		rtc_reap "$n"
	fi
}

# orphan_check NAME WHAT: a foreground run was killed: no init of it may live on.
orphan_check() {
	local i
	for i in $(seq 40); do
		[ -z "$(live_in "$1")" ] && return 0
		sleep 0.05
	done
	# Only an init that reached its payload may be left to list and rm -f.
	fail "$2: the init outlived the killed foreground run" "$(live_in "$1")"
	bad=$((bad + 1))
}

# kill_points CMD...: "SYSCALL:N" for the first, middle and last call of
# each kind CMD makes (all its processes together, under strace -f -c),
# thinned to at most STEPS; strace's inject counts each kind per process.
STEPS=${NSTOP_CRASH_STEPS:-14}
kill_points() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -c -o "$TEST_TMP/count" "$@" >/dev/null 2>&1 </dev/null
	awk '$1 ~ /^[0-9.]+$/ && $NF != "total" {
		c = $4; s = $NF
		print s ":1"
		if (c >= 3) print s ":" int((c + 1) / 2)
		if (c >= 2) print s ":" c
	}' "$TEST_TMP/count" | sort >"$TEST_TMP/points"
	awk -v n="$(wc -l <"$TEST_TMP/points")" -v max="$STEPS" \
		'BEGIN { k = n > max ? n / max : 1 } NR == 1 || NR >= next_ { print; next_ = NR + k }' \
		"$TEST_TMP/points"
}

# killed_at POINT CMD...: CMD under strace, SIGKILLed at POINT ("mount:3").
killed_at() {
	local p=$1
	shift
	# (LeakSanitizer cannot run under ptrace: off for these runs)
	( ASAN_OPTIONS=detect_leaks=0 timeout 20 strace -f -qq -o /dev/null -e trace="${p%%:*}" \
		-e inject="${p%%:*}:signal=KILL:when=${p##*:}" "$@" >/dev/null 2>&1 </dev/null; : ) 2>/dev/null
}

bad=0
i=0
for mode in -d fg; do
	detach=""
	[ "$mode" = -d ] && detach=-d
	rtc_name "count$mode"
	points=$(kill_points "$NSTOP" run $detach --name "$RTC_NAME" -- sleep 0.2)
	run_nstop_quiet q rm -f "$RTC_NAME"
	for p in $points; do
		i=$((i + 1))
		rtc_name "k$i"
		killed_at "$p" "$NSTOP" run $detach --name "$RTC_NAME" -- sleep 0.2
		[ "$mode" = fg ] && orphan_check "$RTC_NAME" "run killed at $p"
		after_kill "$RTC_NAME" "run $mode killed at $p"
	done
done
is "$bad" 0 "strace sweep: $i runs killed at a system call, each left listed and removable"

# A sweep of delays, the whole process group at once (as a terminal's
# hang-up or a CI timeout does) and the foreground run alone.
bad=0
n=0
for ms in 2 5 8 11 14 17 20 25 30 40 60 90; do
	for how in group fg; do
		n=$((n + 1))
		rtc_name "t$n"
		if [ "$how" = group ]; then
			setsid "$NSTOP" run -d --name "$RTC_NAME" -- sleep 300 >/dev/null 2>&1 &
		else
			"$NSTOP" run --name "$RTC_NAME" -- sleep 300 >/dev/null 2>&1 </dev/null &
		fi
		pid=$!
		sleep "0.0$(printf %02d "$ms")"
		if [ "$how" = group ]; then kill -KILL -- -"$pid" 2>/dev/null
		else kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
		[ "$how" = fg ] && orphan_check "$RTC_NAME" "run killed after ${ms} ms"
		after_kill "$RTC_NAME" "run ($how) killed after ${ms} ms"
	done
done
is "$bad" 0 "delay sweep: $n runs killed after 2..90 ms, each left listed and removable"

# A foreground run whose init changed its credentials (--userns: it becomes
# root of its user namespace; an image's User does the same) killed once its
# payload runs: the kernel clears the parent-death signal at a change of
# credentials, and the init must arm it again, or the container runs on with
# no nstop to record its end.
bad=0
rtc_name userns-fg
"$NSTOP" run --userns 100000:100000 --name "$RTC_NAME" -- sleep 300 >/dev/null 2>&1 </dev/null &
pid=$!
if wait_state "$RTC_NAME" running; then
	sleep 0.3
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	orphan_check "$RTC_NAME" "run --userns killed once running"
else
	fail "run --userns started" "$(list_get "$RTC_NAME" .state)"
	bad=$((bad + 1))
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
fi
after_kill "$RTC_NAME" "run --userns killed once running"
is "$bad" 0 "a foreground run --userns killed: its init ends with it, nothing is left"

# rm, update and freeze killed at a system call: the container stays listed
# (or is gone) and rm -f leaves nothing.
bad=0
n=0
for verb in rm update freeze; do
	# verb_args NAME: the command line of the verb on NAME
	verb_args() {
		case $verb in
		rm) args=(rm -f "$1") ;;
		update) args=(update "$1" --memory 64M --pids 100) ;;
		freeze) args=(freeze "$1") ;;
		esac
	}
	rtc_name "count-$verb"
	run_nstop_quiet q run -d --name "$RTC_NAME" -- sleep 300
	verb_args "$RTC_NAME"
	points=$(STEPS=10 kill_points "$NSTOP" "${args[@]}")
	run_nstop_quiet q rm -f "$RTC_NAME"
	for p in $points; do
		n=$((n + 1))
		rtc_name "v$n"
		run_nstop_quiet q run -d --name "$RTC_NAME" -- sleep 300
		verb_args "$RTC_NAME"
		killed_at "$p" "$NSTOP" "${args[@]}"
		after_kill "$RTC_NAME" "$verb killed at $p"
	done
done
is "$bad" 0 "rm, update and freeze killed mid-way ($n times): listed, and rm -f leaves nothing"

done_testing
