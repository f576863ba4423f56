#!/bin/bash
# nstop enter PID: a command in the namespaces of processes nstop did not
# make - a runc container and an unshare'd process - checked against what
# the kernel's /proc links say and against util-linux nsenter's own result
# for the same request.
. "$NSTOP_TESTLIB"

require_root
require_cmd runc busybox nsenter unshare jq setpriv

ID=nstop-test-nsenter-$$
CG=nstop-test-nsenter-runc-$$
HOST=nstop-test-nsenter-runc

# ---- a runc container, from a busybox bundle ---------------------------------------
BUNDLE=$(mktemp -d /tmp/nstop-test-nsenter.XXXXXX) || cannot_run "mktemp failed"
register_path "$BUNDLE"
ok "a busybox bundle with runc's spec, edited" runc_bundle "$BUNDLE" "$CG" \
	'.root.readonly = true
	 | .hostname = "'"$HOST"'"
	 | if any(.linux.namespaces[]; .type == "cgroup") then .
	   else .linux.namespaces += [{"type": "cgroup"}] end'

runc_start "$ID" "$BUNDLE" "$CG"
rc=$?
is "$rc" 0 "runc run -d $ID exits 0"
if [ "$rc" -ne 0 ]; then
	diag "runc could not run the container on this host:" "$(cat "$BUNDLE/log")"
	done_testing
fi
P=$RUNC_PID
ok "the container's init ($P) runs sleep" wait_comm "$P" sleep

# Every namespace link of the command, "type inode" per line (busybox or host sh).
NS_SCRIPT='for t in cgroup ipc mnt net pid time user uts; do echo "$t $(readlink /proc/self/ns/$t)"; done'

# want PID TYPES...: what the lines must be: PID's link for each of TYPES
# that differs from ours, our own for every other type.
want() {
	local pid=$1 t src
	shift
	for t in cgroup ipc mnt net pid time user uts; do
		src=self
		[[ " $* " == *" $t "* ]] && src=$pid
		echo "$t $(readlink "/proc/$src/ns/$t")"
	done
}

# enter NAME ARGS...: nstop enter with its outputs in $TEST_TMP/NAME.*
enter() {
	local name=$1
	shift
	run_nstop "$name" enter "$@"
}

# ---- the runc container: every namespace ------------------------------------------------
enter all "$P" -- sh -c "$NS_SCRIPT"
is "$NSTOP_RC" 0 "nstop enter $P (all) exits 0"
is "$(cat "$(out all)")" "$(want "$P" cgroup ipc mnt net pid uts)" \
	"all: inside, every link is the container's where it differs (cgroup ipc mnt net pid uts), nstop's otherwise"
is "$(cat "$(out all)")" "$(nsenter -t "$P" -a sh -c "$NS_SCRIPT" 2>&1)" \
	"all: the same links as nsenter -t $P -a"
enter host "$P" hostname
is "$(cat "$(out host)")" "$HOST" "hostname inside is the container's ($HOST)"
enter comm1 "$P" cat /proc/1/comm
is "$(cat "$(out comm1)")" "sleep" "with pid and mnt, /proc is the container's: its pid 1 is sleep"
# The command's pid, from the host: in the container's pid namespace, with
# $$ its pid there. (It waits, so that the host can look at it.)
"$NSTOP" enter "$P" -- sh -c 'echo $$; exec sleep 30' >"$TEST_TMP/nspid.out" 2>&1 &
EPID=$!
register_pid "$EPID"
for i in $(seq 100); do [ -s "$TEST_TMP/nspid.out" ] && break; sleep 0.05; done
inner=$(head -1 "$TEST_TMP/nspid.out")
host_pid=
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$(readlink "/proc/$P/ns/pid")" ] || continue
	[ "$(awk '$1 == "NSpid:" { print $NF }' "$p/status" 2>/dev/null)" = "$inner" ] && host_pid=${p#/proc/}
done
ok "\$\$ inside ($inner) is a pid of the container's pid namespace (host pid ${host_pid:-none})" \
	test -n "$inner" -a -n "$host_pid"
ok "... not the host's pid" test "$host_pid" != "$inner"
is "$(cat "/proc/$host_pid/comm" 2>/dev/null)" sleep "... and it is the command (sleep)"
is "$(awk '{ print $4 }' "/proc/$host_pid/stat" 2>/dev/null)" "$EPID" \
	"... a child of nstop itself: pid entered for the child, no extra fork"
kill -TERM "$EPID"
wait "$EPID"
is "$?" 143 "SIGTERM to nstop enter is passed to the command: 143"
ok "the command is gone with it" wait_gone "$host_pid"

# ---- a choice of types ------------------------------------------------------------------
enter some "$P" -n uts,net -- sh -c "$NS_SCRIPT"
is "$NSTOP_RC" 0 "nstop enter $P -n uts,net exits 0"
is "$(cat "$(out some)")" "$(want "$P" uts net)" "-n uts,net: uts and net are the container's, the rest nstop's"
is "$(cat "$(out some)")" "$(nsenter -t "$P" -u -n sh -c "$NS_SCRIPT" 2>&1)" \
	"-n uts,net: the same links as nsenter -t $P -u -n"
enter pidonly "$P" -n pid -- sh -c 'echo $$; exec readlink /proc/self'
a=$(sed -n 1p "$(out pidonly)")
b=$(sed -n 2p "$(out pidonly)")
ok "-n pid without mnt: \$\$ ($a) is the container's pid, /proc/self ($b) the host's" \
	test -n "$a" -a -n "$b" -a "$a" != "$b"
ok "... and that host pid is gone with it (nothing left behind)" test ! -e "/proc/$b"
enter fds "$P" ls /proc/self/fd
is "$(paste -sd' ' "$(out fds)")" "0 1 2 3" "no file of nstop's is open in the command (ls sees stdio and its directory)"
enter hosthost "$P" -n net hostname
is "$(cat "$(out hosthost)")" "$(hostname)" "-n net: the hostname stays the host's"

# ---- exit statuses and the shell ---------------------------------------------------------
enter st7 "$P" -- sh -c 'exit 7'
is "$NSTOP_RC" 7 "the command's exit status passes through (7)"
enter st143 "$P" -- sh -c 'kill -TERM $$'
is "$NSTOP_RC" 143 "killed by SIGTERM: 143, as a shell shows it"
echo 'echo "$0 $(hostname)"; exit 3' | timeout 60 "$NSTOP" enter "$P" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err"
rc=$?
is "$rc" 3 "no command: the shell runs what stdin says and its status (3) passes through"
is "$(cat "$TEST_TMP/sh.out")" "/bin/sh $HOST" "with mnt, the shell is the container's /bin/sh"
enter nocmd "$P" /no/such/command
is "$NSTOP_RC" 1 "a command that is not there: exit 1"
is "$(cat "$TEST_TMP/nocmd.err")" "nstop: enter: /no/such/command: No such file or directory" \
	"... and one line saying so"

# Nothing of ours stays in the container's pid namespace.
pidns_count() {
	local ino n=0 p
	ino=$(readlink "/proc/$P/ns/pid")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ino" ] && n=$((n + 1))
	done
	echo "$n"
}
is "$(pidns_count)" 1 "afterwards only the container's sleep is in its pid namespace"

# ---- an unshare'd process: user and time namespaces too ----------------------------------
if [ ! -e /proc/self/ns/time ]; then
	# a kernel before 5.6: asking for time is an error, all means all there are
	bad_time=$("$NSTOP" enter -n time "$P" true 2>&1)
	is "$?:$bad_time" "1:nstop: enter: this kernel has no time namespaces" \
		"no time namespaces in this kernel: -n time says so, exit 1"
	TIME_OPTS=()
else
	TIME_OPTS=(--time --monotonic 100000)
fi
unshare --user --map-root-user --uts --ipc --net "${TIME_OPTS[@]}" \
	--pid --fork --mount-proc sh -c 'hostname nstop-test-nsenter-u && exec sleep 1000' \
	</dev/null >/dev/null 2>&1 &
register_pid $!
if wait_children $! 1 && U=${KIDS%% *} && wait_comm "$U" sleep; then
	pass "an unshare'd sleep ($U) with user, time, uts, ipc, net, pid and mnt namespaces"
	enter u_all "$U" -- sh -c "$NS_SCRIPT"
	is "$NSTOP_RC" 0 "nstop enter $U exits 0"
	is "$(cat "$(out u_all)")" "$(want "$U" ipc mnt net pid time user uts)" \
		"all: every link is the unshare'd process's but cgroup (shared)"
	is "$(cat "$(out u_all)")" "$(nsenter -t "$U" -a sh -c "$NS_SCRIPT" 2>&1)" \
		"all: the same links as nsenter -t $U -a"
	enter u_id "$U" -- sh -c 'id -u; hostname; cat /proc/self/timens_offsets'
	is "$(head -2 "$(out u_id)" | paste -sd' ')" "0 nstop-test-nsenter-u" \
		"inside: uid 0 of its user namespace, its hostname"
	if [ ${#TIME_OPTS[@]} -gt 0 ]; then
		is "$(awk '$1 == "monotonic" { print $2 }' "$(out u_id)")" 100000 \
			"inside: its time namespace's monotonic offset (100000)"
		enter u_time "$U" -n time -- sh -c "$NS_SCRIPT"
		is "$(cat "$(out u_time)")" "$(want "$U" time)" "-n time: only the time namespace is its"
		is "$(cat "$(out u_time)")" "$(nsenter -t "$U" -T sh -c "$NS_SCRIPT" 2>&1)" \
			"-n time: the same links as nsenter -t $U -T"
	fi
else
	fail "an unshare'd sleep with user, time and other namespaces" "no such child of $!"
fi

# A target whose root has no /bin/sh: a chroot holding only busybox.
EMPTY=$BUNDLE/empty
mkdir -p "$EMPTY" && cp "$(command -v busybox)" "$EMPTY/busybox"
unshare --mount --uts --fork chroot "$EMPTY" /busybox sleep 1000 </dev/null >/dev/null 2>&1 &
register_pid $!
if wait_children $! 1 && C=${KIDS%% *} && wait_comm "$C" busybox; then
	enter nosh "$C"
	is "$NSTOP_RC" 1 "no /bin/sh in the target's root, no command: exit 1"
	is "$(cat "$TEST_TMP/nosh.err")" "nstop: enter: PID $C's root has no /bin/sh: give a command" \
		"... and it says so plainly"
	enter bb "$C" /busybox ls /
	is "$(cat "$(out bb)")" "busybox" "with a command: it runs in that root (ls / shows only busybox)"
else
	fail "a chroot'ed sleep with a mount namespace" "no such child of $!"
fi

# ---- bad input: one line each -----------------------------------------------------------
# bad NAME WANT_RC WANT_TEXT ARGS...
bad() {
	local name=$1 want_rc=$2 text=$3
	shift 3
	run_nstop_quiet "bad_$name" enter "$@"
	local err=$TEST_TMP/bad_$name.err
	if [ "$NSTOP_RC" = "$want_rc" ] && [ "$(wc -l <"$err")" = 1 ] &&
	   grep -q "^nstop: .*$text" "$err"; then
		pass "enter $*: exit $want_rc, one line ($text)"
	else
		fail "enter $*: exit $want_rc, one line ($text)" "exit $NSTOP_RC" "$(cat "$err")"
	fi
}
bad notnum 2 "not a process ID: abc" abc true
bad zero 2 "not a process ID: 0" 0 true
bad negative 2 "not a process ID: -3" -3 true
bad none 2 "no process ID"
bad type 2 "unknown namespace type 'bogus'" -n bogus "$P" true
bad type2 2 "unknown namespace type ''" -n mnt,,net "$P" true
bad nosuch 1 "no such process: 4194303" 4194303 true
bad kthread 1 "PID 2 is a kernel thread" 2 true
# PID 2 must be kthreadd for that one to mean anything
is "$(cat /proc/2/comm)" kthreadd "pid 2 is kthreadd"
setpriv --reuid=65534 --regid=65534 --clear-groups "$NSTOP" enter "$P" true \
	>"$TEST_TMP/nobody.out" 2>"$TEST_TMP/nobody.err"
rc=$?
is "$rc:$(wc -l <"$TEST_TMP/nobody.err")" "1:1" "as nobody: exit 1, one line"
ok "... saying it needs root" grep -q "^nstop: enter: .*needs root" "$TEST_TMP/nobody.err"

done_testing
