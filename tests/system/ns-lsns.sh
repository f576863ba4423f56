#!/bin/bash
# nstop ns against lsns and /proc/PID/ns: namespaces this test makes with
# unshare(1), each holding sleeping processes whose PIDs it holds, must be
# listed by nstop exactly as lsns lists them.
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare nsenter lsns jq

MY_PIDS=()

# start CMD...: a process of ours, after unshare has exec'ed sleep (or sh).
start() {
	spawn_bg "$@"
	MY_PIDS+=("$SPAWNED")
}

# settle PID COMM: waits until PID runs COMM.
settle() {
	wait_comm "$1" "$2" || { diag "pid $1 never ran $2"; return 1; }
}

make_namespaces() {
	local p k

	start unshare --net sleep 1000
	settle "$SPAWNED" sleep
	start nsenter -t "$SPAWNED" --net sleep 1000		# a second member
	start unshare --uts sleep 1000
	start unshare --ipc sh -c 'sleep 1000 & exec sleep 1000'
	p=$SPAWNED
	wait_children "$p" 1 && MY_PIDS+=($KIDS)
	start unshare --mount --propagation private sleep 1000
	start unshare --fork --pid --mount-proc sh -c 'sleep 1000 & exec sleep 1000'
	p=$SPAWNED
	wait_children "$p" 1 && MY_PIDS+=($KIDS)
	for k in $KIDS; do
		wait_children "$k" 1 && MY_PIDS+=($KIDS)
	done
	start unshare --user sleep 1000
	start unshare --cgroup sleep 1000
	if [ -e /proc/self/ns/time ]; then
		start unshare --time --fork sleep 1000
		p=$SPAWNED
		wait_children "$p" 1 && MY_PIDS+=($KIDS)
	fi
	for p in "${MY_PIDS[@]}"; do
		[ "$(cat /proc/"$p"/comm)" = unshare ] || settle "$p" sleep
	done
}

# The namespaces we made: "TYPE INODE" of every namespace of our processes
# that this shell is not in.
our_namespaces() {
	local p t ino
	for p in "${MY_PIDS[@]}"; do
		for t in $NS_TYPES; do
			ino=$(ns_inode "$p" "$t")
			[ -n "$ino" ] && [ "$ino" != "$(ns_inode $$ "$t")" ] && echo "$t $ino"
		done
	done | sort -u
}

# What we know of a namespace from /proc: its members among our processes.
members() {
	local t=$1 ino=$2 p
	for p in "${MY_PIDS[@]}"; do
		[ "$(ns_inode "$p" "$t")" = "$ino" ] && echo "$p"
	done | sort -n
}

# The lsns -J and nstop ns -J record of a namespace, the same keys.
record() {
	jq -c --argjson ino "$2" '[.namespaces[] | select(.ns == $ino)
		| {ns, type, nprocs, pid, user, command}]' "$1"
}

make_namespaces
OURS=$(our_namespaces)
diag "namespaces made:" "$OURS"
want_types="cgroup ipc mnt net pid user uts"
[ -e /proc/self/ns/time ] && want_types="$want_types time"
for t in $want_types; do
	ok "made a $t namespace" grep -q "^$t " <<<"$OURS"
done

# Back to back, so that the rest of the machine has little time to move.
run_nstop ns-json ns -l -J
lsns -J -l >"$TEST_TMP/lsns.json" 2>"$TEST_TMP/lsns.err"
is "$NSTOP_RC" 0 "nstop ns -J exits 0"
ok "nstop ns -J prints one JSON document" jq -e '.namespaces | type == "array"' "$(out ns-json)"
is "$(jq -r '[.namespaces[] | (.ns, .nprocs, .pid) | type] | unique | join(",")' "$(out ns-json)")" \
	"number" "NS, NPROCS and PID are JSON numbers"

while read -r t ino; do
	mine=$(members "$t" "$ino")
	n=$(grep -c . <<<"$mine")
	low=$(head -1 <<<"$mine")
	got=$(record "$(out ns-json)" "$ino")
	is "$(jq -r '.[0].type' <<<"$got")" "$t" "$t $ino: nstop has it, with its type"
	is "$(jq -r '.[0].nprocs' <<<"$got")" "$n" "$t $ino: nprocs is our $n processes"
	is "$(jq -r '.[0].pid' <<<"$got")" "$low" "$t $ino: pid is the lowest, $low"
	is "$got" "$(record "$TEST_TMP/lsns.json" "$ino")" "$t $ino: the same record as lsns -J"
done <<<"$OURS"

for t in $NS_TYPES; do
	[ -e "/proc/self/ns/$t" ] || continue
	ino=$(ns_inode $$ "$t")
	ok "this shell's $t namespace $ino is listed" \
		jq -e --argjson ino "$ino" --arg t "$t" \
		'any(.namespaces[]; .ns == $ino and .type == $t)' "$(out ns-json)"
done

# ---- -t -----------------------------------------------------------------------
net=$(awk '$1 == "net" { print $2; exit }' <<<"$OURS")
uts=$(awk '$1 == "uts" { print $2; exit }' <<<"$OURS")
user=$(awk '$1 == "user" { print $2; exit }' <<<"$OURS")
pidns=$(awk '$1 == "pid" { print $2; exit }' <<<"$OURS")

run_nstop ns-net ns -l -t net -J
is "$NSTOP_RC" 0 "nstop ns -t net -J exits 0"
is "$(jq -r '[.namespaces[].type] | unique | join(",")' "$(out ns-net)")" net \
	"-t net lists only net namespaces"
ok "-t net lists our net namespace" \
	jq -e --argjson ino "$net" 'any(.namespaces[]; .ns == $ino)' "$(out ns-net)"

run_nstop ns-net-uts ns -l -t net -t uts -J
is "$(jq -r '[.namespaces[].type] | unique | join(",")' "$(out ns-net-uts)")" net,uts \
	"-t net -t uts lists both types and no other"

run_nstop ns-one ns -l -J -o NS,TYPE,PID "$uts"
is "$(jq -c '[.namespaces[] | [.ns, .type, .pid]]' "$(out ns-one)")" \
	"$(for p in $(members uts "$uts"); do echo "[$uts,\"uts\",$p]"; done | paste -sd, | sed 's/.*/[&]/')" \
	"a namespace inode as argument lists its processes, as lsns"

# ---- -o, PNS --------------------------------------------------------------------
init_user=$(ns_inode self user)
init_pid=$(ns_inode self pid)
run_nstop ns-pns ns -l -o NS,TYPE,PNS -J
is "$NSTOP_RC" 0 "nstop ns -o NS,TYPE,PNS -J exits 0"
is "$(jq -c '[.namespaces[0] | keys_unsorted[]]' "$(out ns-pns)")" '["ns","type","pns"]' \
	"-o NS,TYPE,PNS gives exactly those keys, in that order"
is "$(jq -r --argjson ino "$user" '.namespaces[] | select(.ns == $ino) | .pns' "$(out ns-pns)")" \
	"$init_user" "PNS of our user namespace is the init user namespace"
is "$(jq -r --argjson ino "$pidns" '.namespaces[] | select(.ns == $ino) | .pns' "$(out ns-pns)")" \
	"$init_pid" "PNS of our pid namespace is the init pid namespace"
lsns -J -l -o NS,TYPE,PNS >"$TEST_TMP/lsns-pns.json" 2>/dev/null
for ino in $user $pidns; do
	is "$(jq -c --argjson ino "$ino" '.namespaces[] | select(.ns == $ino)' "$(out ns-pns)")" \
	   "$(jq -c --argjson ino "$ino" '.namespaces[] | select(.ns == $ino)' "$TEST_TMP/lsns-pns.json")" \
	   "-o NS,TYPE,PNS of $ino as lsns has it"
done

run_nstop ns-plus ns -l -o +PNS -J
is "$(jq -c '[.namespaces[0] | keys_unsorted[]]' "$(out ns-plus)")" \
	'["ns","type","nprocs","pid","user","command","pns"]' "-o +PNS adds PNS to the default columns"

# ---- -r, -n and the text table ----------------------------------------------------
cols=NS,TYPE,NPROCS,PID
run_nstop ns-raw ns -r -o $cols
lsns -r -l -o $cols >"$TEST_TMP/lsns-raw" 2>/dev/null
is "$(head -1 "$(out ns-raw)")" "NS TYPE NPROCS PID" "-r: the header is the column names, one space apart"
is "$(grep "^$uts " "$(out ns-raw)")" "$(grep "^$uts " "$TEST_TMP/lsns-raw")" \
	"-r: the row of our uts namespace is lsns -r's"
run_nstop ns-raw-n ns -r -n -o $cols
ok "-n: no header line" bash -c "! grep -q '^NS ' '$(out ns-raw-n)'"
ok "-r -n: every line is 'NS TYPE NPROCS PID'" \
	bash -c "! grep -Ev '^[0-9]+ [a-z]+ [0-9]+ [0-9]+\$' '$(out ns-raw-n)'"
is "$(grep "^$uts " "$(out ns-raw-n)")" "$(grep "^$uts " "$(out ns-raw)")" \
	"-n: the rows are the same as without it"
run_nstop ns-text ns
is "$(head -1 "$(out ns-text)" | tr -s ' ' | sed 's/^ //')" "NS TYPE NPROCS PID USER COMMAND" \
	"the default table's header is lsns's"

# ---- --list-columns -----------------------------------------------------------------
run_nstop ns-cols ns --list-columns
is "$NSTOP_RC" 0 "ns --list-columns exits 0"
names=$(awk '{ print $1 }' "$(out ns-cols)")
for c in NS TYPE PATH NPROCS PID PPID COMMAND UID USER PNS ONS; do
	ok "--list-columns lists $c" grep -qx "$c" <<<"$names"
done
all=$(paste -sd, <<<"$names")
run_nstop ns-all ns -r -o "$all" -t uts
is "$NSTOP_RC" 0 "-o with every column --list-columns names works"
is "$(head -1 "$(out ns-all)")" "$(tr ',' ' ' <<<"$all")" "-o $all: the header names them in order"

# ---- -p: a process's namespaces are what /proc/PID/ns says ---------------------------
for p in "${MY_PIDS[@]}"; do
	want=$(for t in $NS_TYPES; do
		ino=$(ns_inode "$p" "$t")
		[ -n "$ino" ] && echo "$t $ino"
	done | sort)
	run_nstop ns-p ns -l -p "$p" -J -o TYPE,NS
	got=$(jq -r '.namespaces[] | "\(.type) \(.ns)"' "$(out ns-p)" | sort)
	is "$got" "$want" "ns -p $p: its namespaces are those of /proc/$p/ns"
done

done_testing
