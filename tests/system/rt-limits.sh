#!/bin/bash
# Limits that bite: a memory-hungry payload killed at --memory with the OOM
# kill in the kernel's counters, a fork bomb held at --pids, a spinning payload
# held near --cpus 0.2 of one cpu, --cpuset, and an update below what is in use.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk

# ---- memory: 32M, a payload that grows without end ------------------------------
if ctl_find memory; then
	MEMV=$CTL_V
	rtc_name oom
	N=$RTC_NAME
	# tail looks for a newline in /dev/zero and keeps everything it read.
	run_nstop_quiet oom run --name "$N" --memory 32M -- tail /dev/zero
	is "$NSTOP_RC" 137 "tail /dev/zero at --memory 32M: killed, exit 137"
	is "$(list_get "$N" .state)" '"exited"' "list says exited"
	is "$(list_get "$N" .exit_code)" 137 "exit_code is 137"
	if [ "$MEMV" = 1 ]; then
		f=$CTL_MNT/$CG_PARENT/$N/memory.oom_control
		kills=$(awk '$1 == "oom_kill" { print $2 }' "$f" 2>/dev/null)
		ok "the kernel counted the OOM kill (memory.oom_control oom_kill ${kills:-none})" \
			test "${kills:-0}" -ge 1
		max=$(cat "$CTL_MNT/$CG_PARENT/$N/memory.max_usage_in_bytes" 2>/dev/null)
		ok "memory never went above the limit (max_usage ${max:-none})" \
			test -n "$max" -a "${max:-0}" -le 33554432
	else
		f=$CTL_MNT/$CG_PARENT/$N/memory.events
		kills=$(awk '$1 == "oom_kill" { print $2 }' "$f" 2>/dev/null)
		ok "the kernel counted the OOM kill (memory.events oom_kill ${kills:-none})" \
			test "${kills:-0}" -ge 1
		max=$(cat "$CTL_MNT/$CG_PARENT/$N/memory.peak" 2>/dev/null)
		[ -n "$max" ] && ok "memory never went above the limit (memory.peak $max)" \
			test "$max" -le 33554432
	fi
	run_nstop rmoom rm "$N"
	assert_gone "$N"

	# The same detached, with --rm: killed, and nothing left.
	rtc_name oomd
	run_nstop oomd run -d --rm --name "$RTC_NAME" --memory 32M -- tail /dev/zero
	is "$NSTOP_RC" 0 "run -d --rm of the same exits 0"
	for i in $(seq 200); do
		[ -e "$STATE_DIR/$RTC_NAME" ] || break
		sleep 0.05
	done
	assert_gone "$RTC_NAME"

	# The container's tmpfs /tmp is memory too: the limit holds for what is
	# written there (the writer is killed or refused before 32M).
	rtc_name tmpfill
	run_nstop_quiet tmpfill run --rm --name "$RTC_NAME" --memory 32M -- sh -c \
		'dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>/dev/null; echo "size=$(wc -c </tmp/fill)"'
	sz=$(kv "$(out tmpfill)" size)
	# (the OOM killer may pick the shell rather than dd: then nothing is said,
	# and the status is 137)
	ok "100M written to /tmp at --memory 32M: at most 32M got there (${sz:-none} bytes, exit $NSTOP_RC)" \
		eval "[ -n '$sz' ] && [ '${sz:-0}' -le 33554432 ] || { [ -z '$sz' ] && [ $NSTOP_RC -eq 137 ]; }"
	assert_gone "$RTC_NAME"

	# A process that enters by exec is held by the same limit.
	rtc_name oomx
	N=$RTC_NAME
	run_nstop oomx run -d --name "$N" --memory 32M -- sleep 1000
	register_pid $(init_pid "$N")
	run_nstop_quiet oomx2 exec "$N" -- tail /dev/zero
	is "$NSTOP_RC" 137 "exec of tail /dev/zero into a --memory 32M container: killed, 137"
	is "$(list_get "$N" .state)" '"running"' "  and the container itself runs on"
	run_nstop rmoomx rm -f "$N"
	assert_gone "$N"

	# update below what is in use: refused (EBUSY on v1), said so, nothing changed.
	rtc_name busy
	N=$RTC_NAME
	run_nstop busy run -d --name "$N" --memory 128M -- sh -c \
		'x=$(head -c 40000000 /dev/zero | tr "\0" a); echo filled; sleep 1000'
	register_pid $(init_pid "$N")
	f=$(ctl_file memory "$N" memory.usage_in_bytes memory.current)
	for i in $(seq 100); do
		[ "$(cat "$f" 2>/dev/null || echo 0)" -ge 40000000 ] && break
		sleep 0.1
	done
	diag "in use: $(cat "$f" 2>/dev/null) bytes"
	run_nstop_quiet upbusy update "$N" --memory 8M
	is "$NSTOP_RC" 1 "update --memory 8M below the 40M in use fails with 1"
	ok "  with one line 'nstop: ...'" one_error_line "$TEST_TMP/upbusy.err"
	ok "  that says it is busy or in use ($(cat "$TEST_TMP/upbusy.err"))" \
		grep -Eiq 'busy|in use|usage' "$TEST_TMP/upbusy.err"
	is "$(cat "$(ctl_file memory "$N" memory.limit_in_bytes memory.max)")" 134217728 \
		"  the limit stays 128M"
	is "$(list_get "$N" .state)" '"running"' "  and the container still runs"
	run_nstop rmbusy rm -f "$N"
	assert_gone "$N"
else
	fail "a memory controller" "no hierarchy holds memory"
fi

# ---- pids: a fork bomb at --pids 20 ---------------------------------------------
if ctl_find pids; then
	rtc_name bomb
	N=$RTC_NAME
	run_nstop bomb run -d --name "$N" --pids 20 -- sh -c 'b() { b | b & }; b & exec sleep 1000'
	is "$NSTOP_RC" 0 "run -d --pids 20 of a fork bomb exits 0"
	P=$(init_pid "$N")
	register_pid $P
	D=$CTL_MNT/$CG_PARENT/$N
	hi=0
	for i in $(seq 60); do
		c=$(cat "$D/pids.current" 2>/dev/null || echo 0)
		[ "$c" -gt "$hi" ] && hi=$c
		sleep 0.05
	done
	ok "pids.current never went above 20 in 3 s (highest $hi)" test "$hi" -le 20 -a "$hi" -gt 1
	n=$(wc -l <"$D/cgroup.procs")
	ok "the cgroup holds at most 20 processes ($n)" test "$n" -le 20
	if [ "$CTL_V" = 1 ]; then
		ev=$(awk '$1 == "max" { print $2 }' "$D/pids.events" 2>/dev/null)
	else
		ev=$(awk '$1 == "max" { print $2 }' "$D/pids.events" 2>/dev/null)
	fi
	ok "the kernel refused forks (pids.events max ${ev:-none})" test "${ev:-0}" -ge 1
	ok "the host still forks" /bin/true
	t0=$(date +%s%N)
	run_nstop rmbomb rm -f "$N"
	is "$NSTOP_RC" 0 "rm -f of the bombed container exits 0"
	diag "rm -f took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	assert_gone "$N" $P
else
	fail "a pids controller" "no hierarchy holds pids"
fi

# ---- cpu: a spinning payload at --cpus 0.2 -----------------------------------------
if ctl_find cpuacct; then
	rtc_name cpu
	N=$RTC_NAME
	run_nstop cpu run -d --name "$N" --cpus 0.2 -- sh -c 'while :; do :; done'
	is "$NSTOP_RC" 0 "run -d --cpus 0.2 of a spinning payload exits 0"
	P=$(init_pid "$N")
	register_pid $P
	usage_us() {	# the cgroup's cpu time in microseconds
		if [ "$CTL_V" = 1 ]; then
			echo $(( $(cat "$CTL_MNT/$CG_PARENT/$N/cpuacct.usage") / 1000 ))
		else
			awk '$1 == "usage_usec" { print $2 }' "$CTL_MNT/$CG_PARENT/$N/cpu.stat"
		fi
	}
	sleep 0.5
	u0=$(usage_us); t0=$(date +%s%N)
	sleep 3
	u1=$(usage_us); t1=$(date +%s%N)
	pct=$(awk -v u=$((u1 - u0)) -v t=$(( (t1 - t0) / 1000 )) 'BEGIN { printf "%.1f", 100 * u / t }')
	ok "it used ${pct}% of one cpu over 3 s (10-30%)" \
		awk -v p="$pct" 'BEGIN { exit !(p >= 10 && p <= 30) }'
	if [ "$CTL_V" = 1 ] && [ -e "$(cg_v1_mount cpu)/$CG_PARENT/$N/cpu.stat" ]; then
		thr=$(awk '$1 == "nr_throttled" { print $2 }' "$(cg_v1_mount cpu)/$CG_PARENT/$N/cpu.stat")
		ok "and the kernel throttled it (nr_throttled $thr)" test "${thr:-0}" -gt 0
	fi
	run_nstop rmcpu rm -f "$N"
	assert_gone "$N" $P
else
	fail "a cpu accounting controller" "no cpuacct (v1) nor cpu (v2)"
fi

# ---- cpuset: where the payload may run ----------------------------------------------
last=$(( $(nproc) - 1 ))
rtc_name cpuset
run_nstop cs run --rm --name "$RTC_NAME" --cpuset "$last" -- \
	awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status
is "$(cat "$(out cs)")" "$last" "--cpuset $last: the payload may run on cpu $last only"
assert_gone "$RTC_NAME"

done_testing
