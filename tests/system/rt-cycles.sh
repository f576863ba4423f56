#!/bin/bash
# Nothing left after many containers: 100 `run --rm` and 100 `run -d` + `rm
# -f`, then 8 at once; afterwards no state, cgroup, mount or process of any of
# them, and the host's mount table, /nstop parent and zombie count as before.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk

# RT_CYCLES: fewer where a launch is slow (make check-vm's emulated guests);
# the reuses of one name are a fifth of it.
CYCLES=${RT_CYCLES:-100}
REUSES=$(( CYCLES / 5 > 0 ? CYCLES / 5 : 1 ))

# Ours only: other helpers' containers come and go meanwhile.
ours() {
	ls -A "$STATE_DIR" 2>/dev/null | grep -F "$RTC" | sed 's/^/state /'
	for m in $(cg_mounts); do
		ls -d "$m/$CG_PARENT/$RTC"* 2>/dev/null | sed 's/^/cgroup /'
	done
	grep -F "$RTC" /proc/self/mountinfo | awk '{ print "mount " $5 }'
	procs_in_cgroups_with "/$CG_PARENT/$RTC" | sed 's/^/proc /'
}
# Zombies of our containers (their /proc/PID/cgroup still names the cgroup):
# someone (init, the monitor, nstop) failed to reap them.
zombies() {
	local p n=0
	for p in $(grep -l -F -- "/$CG_PARENT/$RTC" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3); do
		[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] && n=$((n + 1))
	done
	echo "$n"
}
nmounts() { grep -c '' /proc/self/mountinfo; }

m0=$(nmounts)
for i in $(seq "$CYCLES"); do register_cmd "rtc_reap '$RTC-c$i'; rtc_reap '$RTC-d$i'"; done

# ---- run --rm ----------------------------------------------------------------------
bad=0
t0=$(date +%s%N)
for i in $(seq "$CYCLES"); do
	"$NSTOP" run --rm --name "$RTC-c$i" --memory 64M -- true </dev/null >/dev/null 2>"$TEST_TMP/c.err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$TEST_TMP/c.err" ]; then
		bad=$((bad + 1))
		[ "$bad" -le 3 ] && diag "run --rm #$i: exit $rc: $(head -3 "$TEST_TMP/c.err")"
	fi
done
t1=$(date +%s%N)
is "$bad" 0 "$CYCLES x run --rm --memory 64M -- true: all exit 0 and quietly"
diag "$(( (t1 - t0) / 1000 / CYCLES )) us per run --rm"
is "$(ours)" "" "nothing of them is left (state, cgroups, mounts, processes)"

# ---- run -d, then rm -f ----------------------------------------------------------------
bad=0
for i in $(seq "$CYCLES"); do
	"$NSTOP" run -d --name "$RTC-d$i" --pids 10 -- sleep 1000 </dev/null >/dev/null 2>"$TEST_TMP/d.err" ||
		{ bad=$((bad + 1)); [ "$bad" -le 3 ] && diag "run -d #$i: $(head -3 "$TEST_TMP/d.err")"; }
	"$NSTOP" rm -f "$RTC-d$i" </dev/null >/dev/null 2>"$TEST_TMP/r.err" ||
		{ bad=$((bad + 1)); [ "$bad" -le 3 ] && diag "rm -f #$i: $(head -3 "$TEST_TMP/r.err")"; }
done
is "$bad" 0 "$CYCLES x run -d + rm -f: all exit 0"
is "$(ours)" "" "nothing of them is left"

# ---- eight at once ---------------------------------------------------------------------
pids=()
for i in $(seq 8); do
	register_cmd "rtc_reap '$RTC-p$i'"
	"$NSTOP" run --rm --name "$RTC-p$i" -- sh -c 'sleep 0.2' </dev/null >/dev/null 2>"$TEST_TMP/p$i.err" &
	pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
is "$bad" 0 "8 run --rm at once: all exit 0"
[ "$bad" -gt 0 ] && diag "$(cat "$TEST_TMP"/p*.err | head -5)"
is "$(ours)" "" "nothing of them is left"

# ---- one name, again and again -------------------------------------------------------------
rtc_name same
bad=0
for i in $(seq "$REUSES"); do
	"$NSTOP" run --rm --name "$RTC_NAME" -- true </dev/null >/dev/null 2>"$TEST_TMP/s.err" ||
		{ bad=$((bad + 1)); [ "$bad" -le 3 ] && diag "#$i: $(head -3 "$TEST_TMP/s.err")"; }
	"$NSTOP" run -d --name "$RTC_NAME" -- sleep 1000 </dev/null >/dev/null 2>"$TEST_TMP/s.err" ||
		{ bad=$((bad + 1)); [ "$bad" -le 3 ] && diag "#$i -d: $(head -3 "$TEST_TMP/s.err")"; }
	"$NSTOP" rm -f "$RTC_NAME" </dev/null >/dev/null 2>"$TEST_TMP/s.err" ||
		{ bad=$((bad + 1)); [ "$bad" -le 3 ] && diag "#$i rm: $(head -3 "$TEST_TMP/s.err")"; }
done
is "$bad" 0 "one name $REUSES times: run --rm, run -d, rm -f, all exit 0"
assert_gone "$RTC_NAME"

# ---- operations racing on one container ------------------------------------------------
race() {	# race LABEL "OP1" "OP2": both at once on a fresh container; @ is its name
	local label=$1 rca rcb p
	rtc_name "race$((++nrace))"
	local a=${2//@/$RTC_NAME} b=${3//@/$RTC_NAME}
	"$NSTOP" run -d --name "$RTC_NAME" -- sh -c 'sleep 1000 & sleep 1000 & wait' </dev/null >/dev/null 2>&1
	p=$(init_pid "$RTC_NAME")
	register_pid $p
	# shellcheck disable=SC2086
	"$NSTOP" $a </dev/null >/dev/null 2>"$TEST_TMP/ra.err" &
	rca=$!
	# shellcheck disable=SC2086
	"$NSTOP" $b </dev/null >/dev/null 2>"$TEST_TMP/rb.err" &
	rcb=$!
	wait $rca; rca=$?
	wait $rcb; rcb=$?
	diag "$label: '$a' exit $rca $(head -1 "$TEST_TMP/ra.err"); '$b' exit $rcb $(head -1 "$TEST_TMP/rb.err")"
	# (exec's status is its command's: killed by rm -f, that is 137)
	case $a in exec*) [ $rca -eq 137 ] && rca=0 ;; esac
	ok "$label: each exits 0, or 1 with one line" eval "
		{ [ $rca -eq 0 ] || { [ $rca -eq 1 ] && one_error_line '$TEST_TMP/ra.err'; }; } &&
		{ [ $rcb -eq 0 ] || { [ $rcb -eq 1 ] && one_error_line '$TEST_TMP/rb.err'; }; }"
	# whatever the order, a final rm -f leaves nothing
	"$NSTOP" rm -f "$RTC_NAME" </dev/null >/dev/null 2>&1
	assert_gone "$RTC_NAME" $p
}
nrace=0
race "two rm -f at once" "rm -f @" "rm -f @"
race "freeze and rm -f at once" "freeze @" "rm -f @"
race "kill and rm -f at once" "kill @ KILL" "rm -f @"
race "update and rm -f at once" "update @ --pids 30" "rm -f @"
race "exec and rm -f at once" "exec @ -- sleep 1" "rm -f @"
race "freeze and thaw at once" "freeze @" "thaw @"

# ---- the host as before ------------------------------------------------------------------
sleep 0.5
z1=$(zombies)
is "$z1" 0 "no zombies of our containers are left unreaped"
m1=$(nmounts)
ok "the host's mount table did not grow ($m0 before, $m1 after)" test "$m1" -le $((m0 + 2))
[ "$m1" -gt "$m0" ] && diag "new mounts: $(tail -n $((m1 - m0)) /proc/self/mountinfo)"
ok "list -J still works and shows none of them" \
	eval "\"\$NSTOP\" list -J | jq -e --arg p '$RTC' '[.. | objects | select(has(\"name\") and (.name | tostring | startswith(\$p)))] | length == 0'"

done_testing
