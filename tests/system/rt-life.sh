#!/bin/bash
# A container's whole life, every verb checked against the kernel's own files:
# run -d, list (text and -J), the cgroup in every hierarchy, the limits where
# the controller lives, exec, freeze and thaw (the payload truly stops), update
# of every limit, move, kill, the exit code of a payload that ends, the
# foreground run's status, a stale state, rm and rm -f (also of a frozen one),
# and nothing left after rm.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk

# ---- run -d ------------------------------------------------------------------
rtc_name life
N=$RTC_NAME
run_nstop run run -d --name "$N" --memory 64M --cpus 0.5 --cpu-weight 100 --cpuset 0 \
	--pids 50 -- sh -c 'while :; do :; done'
is "$NSTOP_RC" 0 "run -d $N exits 0"
if [ "$NSTOP_RC" -ne 0 ]; then
	diag "nothing else can be checked without a running container"
	done_testing
fi
ok "its state directory $STATE_DIR/$N exists" test -d "$STATE_DIR/$N"
ok "list shows it running" wait_state "$N" running 5

run_nstop list list
is "$NSTOP_RC" 0 "list exits 0"
ok "list (text) has a line with $N and running" \
	grep -E "(^|[[:space:]])$N([[:space:]].*)?running" "$(out list)"
run_nstop listj list -J
is "$NSTOP_RC" 0 "list -J exits 0"
ok "list -J is JSON" jq -e . "$(out listj)"
J=$(list_get "$N")
diag "list -J: $J"
for k in name state pid created rootfs limits exit_code; do
	ok "list -J has the key $k" jq -e --arg k "$k" 'has($k)' <<<"$J"
done
is "$(jq -r .state <<<"$J")" running "state is running"
is "$(jq -r .exit_code <<<"$J")" null "exit_code is null while it runs"
is "$(jq -r '.rootfs' <<<"$J" | sed 's/^$/null/')" null "rootfs is null or empty without --rootfs"
ok "limits holds the memory limit 67108864" jq -e '[.limits | .. | numbers] | index(67108864) != null' <<<"$J"
ok "created is not null" jq -e '.created != null' <<<"$J"

P=$(init_pid "$N")
register_pid $P
ok "pid ($P) is a live process" test -n "$P" -a -d "/proc/${P:-0}"
is "$(awk '/^NSpid:/ { print $NF }' "/proc/$P/status" 2>/dev/null)" 1 "pid is init: 1 in its own pid namespace"

for t in mnt pid uts ipc net cgroup; do
	isnt "$(ns_inode "$P" "$t")" "$(ns_inode $$ "$t")" "init has a $t namespace of its own"
done
is "$(ns_inode "$P" user)" "$(ns_inode $$ user)" "and the host's user namespace (none asked for)"

# The payload: init's only child, spinning.
S=
wait_children "$P" 1 && S=${KIDS%% *}
ok "init has a child, the payload (${S:-none})" test -n "$S"
S=${S:-0}

# Its cgroup in every mounted hierarchy, as /proc/PID/cgroup says from here.
while read -r id m; do
	is "$(cg_path "$P" "$id")" "/$CG_PARENT/$N" "init is in /$CG_PARENT/$N of the hierarchy at $m"
	ok "  and listed in its cgroup.procs there" grep -qx "$P" "$m/$CG_PARENT/$N/cgroup.procs"
	is "$(cg_path "$S" "$id")" "/$CG_PARENT/$N" "the payload too, at $m"
done < <(cg_ids)

# ---- the limits, each where the kernel keeps it --------------------------------
# limit CONTROLLER V1FILE V2FILE: the kernel's value for our container.
limit() {
	local f
	f=$(ctl_file "$1" "$N" "$2" "$3") || { echo "no-$1-hierarchy"; return; }
	cat "$f" 2>/dev/null || echo "unreadable:$f"
}
cpu_max() {	# "QUOTA PERIOD" on v1 and v2 alike
	ctl_find cpu || { echo no-cpu; return; }
	if [ "$CTL_V" = 1 ]; then
		echo "$(cat "$CTL_MNT/$CG_PARENT/$N/cpu.cfs_quota_us") $(cat "$CTL_MNT/$CG_PARENT/$N/cpu.cfs_period_us")"
	else
		cat "$CTL_MNT/$CG_PARENT/$N/cpu.max"
	fi
}
quota_ratio() {	# cpus as quota/period, two decimals
	cpu_max | awk '{ if ($1 == "max" || $1 < 0) print "none"; else printf "%.2f\n", $1 / $2 }'
}
mem_limit() { limit memory memory.limit_in_bytes memory.max; }
pids_limit() { limit pids pids.max pids.max; }
# The weight: v2's cpu.weight, or v1's cpu.shares (whose scale differs: we
# check only that it moves the same way and stays in the kernel's range).
weight() { limit cpu cpu.shares cpu.weight; }

is "$(mem_limit)" 67108864 "--memory 64M: the kernel's memory limit is 67108864"
is "$(quota_ratio)" 0.50 "--cpus 0.5: quota/period is 0.50 ($(cpu_max))"
is "$(pids_limit)" 50 "--pids 50: pids.max is 50"
is "$(limit cpuset cpuset.cpus cpuset.cpus)" 0 "--cpuset 0: cpuset.cpus is 0"
is "$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$S/status")" 0 "the payload may run on cpu 0 only"
w100=$(weight)
ctl_find cpu
if [ "$CTL_V" = 2 ]; then
	is "$w100" 100 "--cpu-weight 100: cpu.weight is 100"
else
	ok "--cpu-weight 100: cpu.shares ($w100) is in the kernel's range 2..262144" \
		test "${w100:-0}" -ge 2 -a "${w100:-0}" -le 262144
fi

# v1's devices cgroup: an allow-list, not everything.
dl=$(ctl_file devices "$N" devices.list devices.list) && [ -e "$dl" ] && {
	isnt "$(cat "$dl")" "a *:* rwm" "the devices cgroup is an allow-list, not a *:* rwm"
	ok "  which does not allow /dev/kmsg (c 1:11)" eval "! grep -Eq '^c (1|\\*):(11|\\*) .*w' '$dl'"
	ok "  nor block devices" eval "! grep -q '^b ' '$dl'"
}

# ---- exec ------------------------------------------------------------------------
run_nstop exec1 exec "$N" -- sh -c 'hostname; for t in mnt pid uts ipc net cgroup; do readlink /proc/self/ns/$t; done; echo pid=$$; cat /proc/1/cgroup | sort -u | cut -d: -f3 | sort -u; pwd'
is "$NSTOP_RC" 0 "exec $N -- sh -c ... exits 0"
is "$(sed -n 1p "$(out exec1)")" "$N" "exec: the hostname is the container's name"
want=$(for t in mnt pid uts ipc net cgroup; do readlink "/proc/$P/ns/$t"; done)
is "$(sed -n 2,7p "$(out exec1)")" "$want" "exec: in every namespace of init (mnt pid uts ipc net cgroup)"
pid_in=$(sed -n 's/^pid=//p' "$(out exec1)")
ok "exec: the command is inside the pid namespace (pid $pid_in, not 1, small)" \
	test -n "$pid_in" -a "${pid_in:-0}" -gt 1 -a "${pid_in:-0}" -lt 100
is "$(sed -n 9p "$(out exec1)")" "/" "exec: /proc/1/cgroup is / in every hierarchy, as the container sees it"
is "$(sed -n 10p "$(out exec1)")" "/" "exec: starts in the container's root"
run_nstop_quiet exec2 exec "$N" -- sh -c 'exit 3'
is "$NSTOP_RC" 3 "exec: the command's exit status (3) is nstop's"
run_nstop exec3 exec "$N" -- grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status
is "$(grep -c '' "$(out exec3)")" 3 "exec: reads its own status"
is "$(awk '/^CapEff/ { print $2 }' "$(out exec3)")" "$(awk '/^CapEff/ { print $2 }' "/proc/$S/status")" \
	"exec: the same capabilities as the payload"
is "$(awk '/^NoNewPrivs/ { print $2 }' "$(out exec3)")" 1 "exec: no_new_privs"
is "$(awk '/^Seccomp:/ { print $2 }' "$(out exec3)")" 2 "exec: the seccomp filter"
run_nstop exec4 exec "$N" true
is "$NSTOP_RC" 0 "exec NAME CMD without -- works too"
run_nstop_quiet exec5 exec "$N" -- /nonexistent-nstop-command
isnt "$NSTOP_RC" 0 "exec of a command that does not exist fails"

# ---- freeze / thaw: the payload truly stops ------------------------------------
cputime() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
pstate() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null; }
ctl_find freezer
FRZ=$CTL_MNT/$CG_PARENT/$N
frozen_now() {
	if [ "$CTL_V" = 1 ]; then cat "$FRZ/freezer.state"
	else grep -x 'frozen [01]' "$FRZ/cgroup.events"
	fi
}
run_nstop freeze freeze "$N"
is "$NSTOP_RC" 0 "freeze exits 0"
want=$([ "$CTL_V" = 1 ] && echo FROZEN || echo "frozen 1")
is "$(frozen_now)" "$want" "the kernel says $want at once (freeze waited for it)"
ok "list says frozen" wait_state "$N" frozen 2
cg_usage() {	# the cgroup's cpu time, as the kernel accounts it
	if ctl_find cpuacct && [ "$CTL_V" = 1 ]; then
		cat "$CTL_MNT/$CG_PARENT/$N/cpuacct.usage"
	elif ctl_find cpu; then
		awk '$1 == "usage_usec" { print $2 }' "$CTL_MNT/$CG_PARENT/$N/cpu.stat"
	fi
	ctl_find freezer
}
t0=$(cputime "$S")
u0=$(cg_usage)
sleep 1
t1=$(cputime "$S")
u1=$(cg_usage)
is "$t1" "$t0" "the spinning payload used no cpu in a second frozen ($t0 ticks)"
is "$u1" "$u0" "nor did its cgroup (cpu usage $u0)"
st=$(pstate "$S")
isnt "$st" R "its /proc/PID/stat state is not R (it is $st)"
run_nstop freeze2 freeze "$N"
ok "freezing a frozen one again is fine or a one-line error" \
	eval "[ $NSTOP_RC -eq 0 ] || one_error_line '$TEST_TMP/freeze2.err'"
run_nstop thaw thaw "$N"
is "$NSTOP_RC" 0 "thaw exits 0"
want=$([ "$CTL_V" = 1 ] && echo THAWED || echo "frozen 0")
is "$(frozen_now)" "$want" "the kernel says $want"
ok "list says running" wait_state "$N" running 2
t0=$(cputime "$S")
for i in $(seq 60); do	# (a loaded machine may take its time to run it)
	sleep 0.05
	t1=$(cputime "$S")
	[ "${t1:-0}" -gt "${t0:-0}" ] && break
done
ok "the payload spins again ($t0 -> $t1 ticks)" test "${t1:-0}" -gt "${t0:-0}"

# ---- update each limit ---------------------------------------------------------
run_nstop upd1 update "$N" --memory 96M
is "$NSTOP_RC" 0 "update --memory 96M exits 0"
is "$(mem_limit)" 100663296 "  the kernel's memory limit is 100663296"
run_nstop upd2 update "$N" --cpus 0.25
is "$NSTOP_RC" 0 "update --cpus 0.25 exits 0"
is "$(quota_ratio)" 0.25 "  quota/period is 0.25 ($(cpu_max))"
run_nstop upd3 update "$N" --cpu-weight 400
is "$NSTOP_RC" 0 "update --cpu-weight 400 exits 0"
w400=$(weight)
if [ "$CTL_V" = 2 ]; then
	is "$w400" 400 "  cpu.weight is 400"
else
	ok "  cpu.shares grew with the weight ($w100 -> $w400)" test "${w400:-0}" -gt "${w100:-0}"
fi
run_nstop upd4 update "$N" --pids 60
is "$NSTOP_RC" 0 "update --pids 60 exits 0"
is "$(pids_limit)" 60 "  pids.max is 60"
last=$(( $(nproc) - 1 ))
run_nstop upd4b update "$N" --cpuset "$last"
is "$NSTOP_RC" 0 "update --cpuset $last exits 0"
is "$(limit cpuset cpuset.cpus cpuset.cpus)" "$last" "  cpuset.cpus is $last"
for i in $(seq 20); do
	[ "$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$S/status")" = "$last" ] && break
	sleep 0.05
done
is "$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$S/status")" "$last" "  and the running payload may now run on cpu $last only"
run_nstop upd5 update "$N" --memory 128M --pids 70 --cpus 1.5
is "$NSTOP_RC" 0 "update of three limits at once exits 0"
is "$(mem_limit) $(pids_limit) $(quota_ratio)" "134217728 70 1.50" "  all three in the kernel"
run_nstop_quiet upd6 update "$N" --memory 64M --pids -3
ok "update with one bad value (--pids -3) fails" test "$NSTOP_RC" -eq 1 -o "$NSTOP_RC" -eq 2
ok "  with one line 'nstop: ...'" one_error_line "$TEST_TMP/upd6.err"
is "$(mem_limit)" 134217728 "  and writes nothing: the good --memory 64M was not applied"
J=$(list_get "$N")
ok "list -J shows the updated memory limit" jq -e '[.limits | .. | numbers] | index(134217728) != null' <<<"$J"

# ---- move ------------------------------------------------------------------------
spawn_bg sleep 1000
M=$SPAWNED
run_nstop move move "$M" "$N"
is "$NSTOP_RC" 0 "move $M $N exits 0"
while read -r id m; do
	is "$(cg_path "$M" "$id")" "/$CG_PARENT/$N" "the moved sleep is in /$CG_PARENT/$N of $m"
	ok "  and in its cgroup.procs there" grep -qx "$M" "$m/$CG_PARENT/$N/cgroup.procs"
done < <(cg_ids)
is "$(ns_inode "$M" pid)" "$(ns_inode $$ pid)" "move changes cgroups only: the sleep keeps the host's pid namespace"

# ---- kill --------------------------------------------------------------------------
run_nstop kill kill "$N" TERM
is "$NSTOP_RC" 0 "kill $N TERM exits 0"
ok "the payload dies of it, and init with it" gone_soon "$S"
ok "list says exited" wait_state "$N" exited 10
J=$(list_get "$N")
is "$(jq -r .exit_code <<<"$J")" 143 "exit_code is 143 (128 + SIGTERM)"
ok "pid is no longer a live init" eval "[ \"\$(jq -r '.pid // 0' <<<'$J')\" = 0 ] || ! kill -0 \$(jq -r .pid <<<'$J') 2>/dev/null"
ok "its state directory is still there (no --rm)" test -d "$STATE_DIR/$N"
run_nstop_quiet freeze3 freeze "$N"
ok "freeze of an exited container fails with one line" \
	eval "[ $NSTOP_RC -ne 0 ] && one_error_line '$TEST_TMP/freeze3.err'"
run_nstop_quiet upd7 update "$N" --memory 64M
ok "update of an exited container fails with one line" \
	eval "[ $NSTOP_RC -ne 0 ] && one_error_line '$TEST_TMP/upd7.err'"
run_nstop_quiet exec7 exec "$N" -- true
ok "exec into an exited container fails with one line" \
	eval "[ $NSTOP_RC -ne 0 ] && one_error_line '$TEST_TMP/exec7.err'"
spawn_bg sleep 1000
M7=$SPAWNED
m7_before=$(cat "/proc/$M7/cgroup")
run_nstop_quiet move7 move "$M7" "$N"
ok "move into an exited container fails with one line" \
	eval "[ $NSTOP_RC -ne 0 ] && one_error_line '$TEST_TMP/move7.err'"
is "$(cat "/proc/$M7/cgroup")" "$m7_before" "  and the process stays where it was"

# ---- rm: everything goes, the moved sleep too (it is in the cgroup) -------------
run_nstop rm rm "$N"
is "$NSTOP_RC" 0 "rm $N (exited) exits 0"
assert_gone "$N" "$P" "$S" "$M"

# ---- the exit code of a payload that ends by itself --------------------------------
rtc_name exit7
N2=$RTC_NAME
run_nstop run2 run -d --name "$N2" -- sh -c 'echo to-the-log; exit 7'
is "$NSTOP_RC" 0 "run -d -- sh -c 'exit 7' exits 0"
ok "list says exited" wait_state "$N2" exited 10
is "$(list_get "$N2" .exit_code)" 7 "exit_code is 7"
is "$(list_get "$N2" .state)" '"exited"' "state is exited"
ok "its output went to the log in the state directory" grep -rqx to-the-log "$STATE_DIR/$N2"
run_nstop rm2 rm "$N2"
is "$NSTOP_RC" 0 "rm $N2 exits 0"
assert_gone "$N2"

# ---- the foreground: the payload's status is nstop's ------------------------------
rtc_name fg
run_nstop_quiet fg1 run --name "$RTC_NAME" -- sh -c 'echo out; echo err >&2; exit 5'
is "$NSTOP_RC" 5 "run (foreground) -- sh -c 'exit 5' exits 5"
is "$(cat "$(out fg1)")" out "its stdout is the caller's"
is "$(cat "$TEST_TMP/fg1.err")" err "its stderr is the caller's"
is "$(list_get "$RTC_NAME" .exit_code)" 5 "without --rm it stays, exited with 5"
run_nstop rm3 rm "$RTC_NAME"
assert_gone "$RTC_NAME"
rtc_name fgsig
run_nstop_quiet fg2 run --rm --name "$RTC_NAME" -- sh -c 'kill -KILL $$'
is "$NSTOP_RC" 137 "a payload killed by SIGKILL: 137"
assert_gone "$RTC_NAME"
rtc_name fgstdin
run_nstop_quiet fg3 run --rm --name "$RTC_NAME" -- cat <<<"from-stdin"
is "$(cat "$(out fg3)")" from-stdin "the foreground payload reads the caller's stdin"

# The default command of exec is the shell; it reads the caller's stdin.
rtc_name sh
NS=$RTC_NAME
run_nstop runsh run -d --name "$NS" -- sleep 1000
register_pid $(init_pid "$NS")
run_nstop_quiet execsh exec "$NS" <<<'echo "in-$(hostname)"; exit 4'
is "$NSTOP_RC" 4 "exec NAME with no command runs the shell (its exit status 4)"
is "$(cat "$(out execsh)")" "in-$NS" "  which read the caller's stdin, inside"
run_nstop_quiet killdef kill "$NS"
is "$NSTOP_RC" 0 "kill NAME (the default signal) exits 0"
ok "  and the container ends" wait_state "$NS" exited 10
ok "  of SIGTERM or SIGKILL ($(list_get "$NS" .exit_code))" \
	eval "case '$(list_get "$NS" .exit_code)' in 137|143) true ;; *) false ;; esac"
run_nstop rmsh rm "$NS"
assert_gone "$NS"

# A signal to the foreground nstop reaches the payload (through init).
rtc_name fwd
"$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'trap "exit 9" TERM; echo ready; while :; do sleep 0.1; done' \
	</dev/null >"$TEST_TMP/fwd.out" 2>"$TEST_TMP/fwd.err" &
FWD=$!
register_pid $FWD
for i in $(seq 100); do grep -q ready "$TEST_TMP/fwd.out" && break; sleep 0.05; done
kill -TERM "$FWD"
rc=timeout
for i in $(seq 100); do
	if ! kill -0 "$FWD" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$FWD/stat" 2>/dev/null)" = Z ]; then
		wait "$FWD"; rc=$?; break
	fi
	sleep 0.05
done
is "$rc" 9 "SIGTERM to the foreground nstop reaches the payload, which exits 9, and so does nstop"
assert_gone "$RTC_NAME"

# With a terminal (script(1) gives one): the payload has it, and ^C ends it.
if command -v script >/dev/null; then
	rtc_name tty
	timeout 20 script -qec "$NSTOP run --rm --name $RTC_NAME -- sh -c 'tty >/dev/null && echo is-a-tty'" /dev/null \
		</dev/null >"$TEST_TMP/tty1.out" 2>&1
	ok "with a terminal, the payload's stdin is a terminal" grep -q is-a-tty "$TEST_TMP/tty1.out"
	assert_gone "$RTC_NAME"
	rtc_name ctrlc
	t0=$(date +%s)
	{ sleep 1; printf '\003'; sleep 5; } | timeout 20 script -qec "$NSTOP run --rm --name $RTC_NAME -- sleep 100" /dev/null \
		>"$TEST_TMP/ctrlc.out" 2>&1
	rc=$?
	ok "^C on the terminal ends the foreground payload (exit $rc, $(( $(date +%s) - t0 )) s)" \
		test "$rc" -eq 130 -o "$rc" -eq 2
	assert_gone "$RTC_NAME"
fi

# Arguments are bytes: quotes, control characters and non-UTF-8 (a Latin-1
# file name) run as given, and the listing stays valid JSON and one line.
rtc_name bytes
NB=$RTC_NAME
ARG=$(printf 'caf\351 a"b\\\001\tz')
run_nstop_quiet bytes1 run --rm --name "$NB-fg" -- printf '%s' "$ARG"
register_cmd "rtc_reap '$NB-fg'"
is "$NSTOP_RC" 0 "a payload with a non-UTF-8 argument runs"
is "$(od -An -c "$(out bytes1)" | tr -s ' ')" "$(printf '%s' "$ARG" | od -An -c | tr -s ' ')" \
	"  and gets its bytes unchanged"
run_nstop bytes2 run -d --name "$NB" -- sh -c 'exec sleep 1000' "$ARG"
is "$NSTOP_RC" 0 "run -d with such an argument exits 0"
register_pid $(init_pid "$NB")
run_nstop bytes3 list -J
ok "  list -J stays valid JSON" jq -e . "$(out bytes3)"
ok "  and lists it" jq -e --arg n "$NB" '[.. | objects | select(.name? == $n)] | length == 1' "$(out bytes3)"
run_nstop bytes4 list
is "$(grep -c -F "$NB" "$(out bytes4)")" 1 "  list (text) shows it on one line"
run_nstop bytes5 rm -f "$NB"
assert_gone "$NB"

# No --name, as a new user types it: a name is made up, it is the hostname, and
# the container stays listed (no --rm) until rm.
run_nstop_quiet noname run -- hostname
is "$NSTOP_RC" 0 "run -- hostname (no --name) exits 0"
MADE=$(head -1 "$(out noname)")
ok "the made-up name '$MADE' is a valid name (printable, no / or .., 1-63 bytes)" \
	eval "[[ '$MADE' =~ ^[[:graph:]]{1,63}\$ ]] && [[ '$MADE' != *..* && '$MADE' != */* ]]"
if [ -n "$MADE" ] && [[ $MADE != */* ]]; then
	register_cmd "'$NSTOP' rm -f '$MADE'"
	is "$(list_get "$MADE" '[.state, .exit_code]')" '["exited",0]' "list shows $MADE exited with 0"
	run_nstop rmmade rm "$MADE"
	is "$NSTOP_RC" 0 "rm $MADE exits 0"
	assert_gone "$MADE"
fi

# ---- rm of a running one: refused without -f, done with it -----------------------
rtc_name run
N3=$RTC_NAME
run_nstop run3 run -d --name "$N3" -- sleep 1000
P3=$(init_pid "$N3")
register_pid $P3
run_nstop_quiet rm4 rm "$N3"
ok "rm of a running container without -f fails" test "$NSTOP_RC" -eq 1 -o "$NSTOP_RC" -eq 2
ok "  with one line 'nstop: ...'" one_error_line "$TEST_TMP/rm4.err"
is "$(list_get "$N3" .state)" '"running"' "  and it still runs"
run_nstop rm5 rm -f "$N3"
is "$NSTOP_RC" 0 "rm -f of a running container exits 0"
assert_gone "$N3" "$P3"

# ---- rm -f of a frozen one (a v1 SIGKILL stays pending while frozen) ------------
rtc_name frozen
N4=$RTC_NAME
run_nstop run4 run -d --name "$N4" -- sh -c 'sleep 1000 & sleep 1000 & wait'
P4=$(init_pid "$N4")
register_pid $P4
wait_children "$P4" 1
kids4=$(procs_in_cgroups_with "/$CG_PARENT/$N4" | tr '\n' ' ')
run_nstop frz4 freeze "$N4"
is "$NSTOP_RC" 0 "freeze $N4 exits 0"
run_nstop rm6 rm -f "$N4"
is "$NSTOP_RC" 0 "rm -f of a frozen container exits 0"
assert_gone "$N4" $P4 $kids4

# ---- the monitor killed alone: init lives on, and list says so ----------------------
rtc_name mon
NM=$RTC_NAME
run_nstop runm run -d --name "$NM" -- sleep 1000
PM=$(init_pid "$NM")
register_pid $PM
MM=$(awk '{ print $4 }' "/proc/$PM/stat" 2>/dev/null)
if [ -n "$MM" ] && [ "$MM" -gt 1 ] && [ "$(cat "/proc/$MM/comm" 2>/dev/null)" = nstop ]; then
	kill -KILL "$MM"
	gone_soon "$MM"
	sleep 0.2
	is "$(list_get "$NM" .state)" '"running"' "with only the monitor killed, list still says running (init $PM lives)"
	run_nstop killm kill "$NM" KILL
	ok "then kill ends it, and list says exited" wait_state "$NM" exited 10
	run_nstop rmm rm "$NM"
	is "$NSTOP_RC" 0 "rm of it exits 0"
else
	fail "init's parent is nstop's monitor" "init $PM, parent ${MM:-none} ($(cat "/proc/${MM:-0}/comm" 2>/dev/null))"
	"$NSTOP" rm -f "$NM" >/dev/null 2>&1
fi
assert_gone "$NM" $PM

# ---- a stale state: init and its monitor killed from outside ---------------------
rtc_name stale
N5=$RTC_NAME
run_nstop run5 run -d --name "$N5" -- sleep 1000
P5=$(init_pid "$N5")
register_pid $P5
MON=$(awk '{ print $4 }' "/proc/$P5/stat" 2>/dev/null)
diag "init $P5, its parent (the monitor) $MON"
if [ -n "$MON" ] && [ "$MON" -gt 1 ] && [ "$(cat /proc/$MON/comm)" != bash ]; then
	kill -KILL "$MON"
	gone_soon "$MON"
fi
kill -KILL "$P5"
gone_soon "$P5"
ok "with init and monitor killed, list does not say running" \
	eval "for i in \$(seq 40); do s=\$(list_get '$N5' .state); [ \"\$s\" != '\"running\"' ] && [ -n \"\$s\" ] && break; sleep 0.05; done; [ \"\$s\" = '\"exited\"' ]"
run_nstop rm7 rm "$N5"
is "$NSTOP_RC" 0 "rm of the stale container exits 0"
assert_gone "$N5" "$P5"

done_testing
