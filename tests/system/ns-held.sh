#!/bin/bash
# Namespaces no process is in, and the rest of lsns's options, against lsns:
# util-linux's own test cases tests/ts/lsns/{nsfs,netnsid,
# netnsid-for-persistent-namespaces,filedesc} adapted, each run on nstop ns
# and /usr/bin/lsns in the same run. Everything happens in a mount and a net
# namespace of the test's own (ip netns add's mounts land on a tmpfs there,
# veths and ids in that net namespace), so nothing of the machine's changes.
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare ip lsns jq mount umount

if [ -z "${NSTOP_HELD_INNER:-}" ]; then
	export NSTOP_HELD_INNER=1
	trap - EXIT
	exec unshare --mount --net --propagation private "$BASH" "$0" "$@"
fi

mkdir -p /run/netns
mount -t tmpfs -o mode=0755 nstop-test-netns /run/netns || {
	fail "a tmpfs of our own on /run/netns"
	done_testing
}
NAME1=nstop-test-ABC-$$
NAME2=nstop-test-XYZ-$$
PATH1=/run/netns/$NAME1
PATH2=$TEST_TMP/$NAME2
NSID=$(( $$ % 30000 + 7 ))

ip netns add "$NAME1" || fail "ip netns add $NAME1"
touch "$PATH2"
mount --bind "$PATH1" "$PATH2" || fail "bind $PATH1 on $PATH2"
register_cmd "umount '$PATH2' 2>/dev/null"
ip netns set "$NAME1" "$NSID" || fail "ip netns set $NAME1 $NSID"
INO=$(stat -L -c %i "$PATH1")
# As util-linux's cases do, a process in it while lsns is compared (lsns
# before 2.40 does not list a namespace without one).
spawn_bg ip netns exec "$NAME1" sleep 1000
EXPID=$SPAWNED
wait_comm "$EXPID" sleep

# ---- nsfs: both bind mounts of a namespace no process is in ---------------------
run_nstop nsfs ns -n -o NSFS -t net
names=$(sort "$(out nsfs)" | grep . | paste -sd' ')
want=$(printf '%s\n' "$PATH1" "$PATH2" | sort | paste -sd' ')
is "$names" "$want" "nsfs: NSFS lists both mount points, one a line (lsns's nsfs case)"
run_nstop nsfs-W ns -n -o NSFS --nowrap -t net
is "$(grep . "$(out nsfs-W)" | tr ',' '\n' | sort | paste -sd' ')" "$want" \
	"nsfs: -W joins them with commas on one line"
lsns -n -o NSFS -W -t net >"$TEST_TMP/lsns-nsfs" 2>&1
is "$(grep . "$(out nsfs-W)" | tr ',' '\n' | sort | paste -sd' ')" \
   "$(grep . "$TEST_TMP/lsns-nsfs" | tr ',' '\n' | sort | paste -sd' ')" "nsfs: the same names as lsns -W"

# ---- netnsid: a process in the namespace, and ip's link-netnsid ----------------------
ip link add name nstop-t-a$$ type veth peer name nstop-t-b$$ &&
	ip link set nstop-t-b$$ netns "$NAME1" || fail "a veth into $NAME1"
IP_ID=$(ip -o link show dev nstop-t-a$$ | sed -ne 's/.* *link-netnsid *\([0-9]*\).*/\1/p')
[ -n "$IP_ID" ] || IP_ID=$(ip netns list-id | awk "/name: $NAME1/ { print \$2 }")
run_nstop nsid ns -n -o NETNSID --type net --task "$EXPID"
is "$(tr -d ' ' <"$(out nsid)")" "$IP_ID" "netnsid: NETNSID of the process's namespace is ip's link-netnsid"
run_nstop own ns -n -o NETNSID --type net --task $$
lsns -n -o NETNSID --type net --task $$ >"$TEST_TMP/lsns-own" 2>&1
is "$(tr -d ' ' <"$(out own)")" "$(tr -d ' ' <"$TEST_TMP/lsns-own")" \
	"netnsid: our own net namespace's NETNSID is lsns's"

# With a process in it, -t net's default columns add NETNSID and NSFS as lsns's.
run_nstop netdef ns -t net
lsns -t net >"$TEST_TMP/lsns-netdef" 2>&1
is "$(head -1 "$(out netdef)")" "$(head -1 "$TEST_TMP/lsns-netdef")" "-t net: lsns's header"
is "$(grep "^ *$INO " "$(out netdef)" | tr -s ' ')" "$(grep "^ *$INO " "$TEST_TMP/lsns-netdef" | tr -s ' ')" \
	"-t net: the row of the namespace as lsns's"

# ---- with no process in it any more -------------------------------------------------
kill "$EXPID"
wait_gone "$EXPID"
# ---- netnsid-for-persistent-namespaces -----------------------------------------------
run_nstop pers ns --raw --noheadings -o NS,TYPE,NETNSID,NSFS -W -t net
row=$(awk -v ino="$INO" '$1 == ino' "$(out pers)")
is "$(awk '{ print $2, $3 }' <<<"$row")" "net $NSID" \
	"netnsid-for-persistent-namespaces: TYPE net, NETNSID $NSID (ip netns set)"
is "${row##*/}" "$NAME2" "netnsid-for-persistent-namespaces: NSFS ends with a name of it"

run_nstop held-json ns -J -o NS,TYPE,NPROCS,PID,NETNSID
is "$(jq -c --argjson ino "$INO" '.namespaces[] | select(.ns == $ino) | [.type, .nprocs, .pid, .netnsid]' "$(out held-json)")" \
	"[\"net\",0,null,\"$NSID\"]" "-J: the held namespace with nprocs 0 and no pid, as lsns -J"
run_nstop_quiet batch -b -n 1 -J
is "$(jq -c --argjson ino "$INO" '.namespaces[] | select(.inode == $ino) | [.nprocs, (.names | sort), .netnsid]' "$(out batch)")" \
	"$(jq -nc --arg a "$PATH1" --arg b "$PATH2" --argjson id "$NSID" '[0, ([$a, $b] | sort), $id]')" \
	"-b -J: namespaces[] has it with names[] and netnsid"

# ---- filedesc: a namespace only an open descriptor holds ---------------------------
spawn_bg sh -c 'exec 4<"$1"; exec sleep 1000' sh "$PATH1"
FDPID=$SPAWNED
wait_comm "$FDPID" sleep
umount "$PATH2"
ip netns delete "$NAME1"
run_nstop fd ns --noheadings --raw -o NS,TYPE,NPROCS,USER
is "$(awk -v ino="$INO" '$1 == ino { print $2, $3, $4 }' "$(out fd)")" "net 0 root" \
	"filedesc: held by pid $FDPID's fd 4 alone, it is listed as lsns's filedesc case wants"
run_nstop fd-json ns -J -o NS,NSFS
is "$(jq -c --argjson ino "$INO" '[.namespaces[] | select(.ns == $ino) | .nsfs]' "$(out fd-json)")" \
	"[null]" "filedesc: no NSFS once unmounted"
kill "$FDPID"
wait_gone "$FDPID"
run_nstop gone ns --noheadings --raw -o NS
ok "once the fd is closed, the namespace is gone" bash -c "! grep -qx '$INO' '$(out gone)'"

# ---- the process tree, -T, -l ---------------------------------------------------------
# The parent must have the lower pid (a namespace's row is its lowest pid):
# after a wrap of the pids, the pair is made again.
for try in 1 2 3; do
	spawn_bg unshare --uts sh -c 'unshare --ipc sleep 1000 & exec sleep 1000'
	TPID=$SPAWNED
	wait_children "$TPID" 1
	wait_comm "$TPID" sleep
	CHILD=${KIDS%% *}
	wait_comm $CHILD sleep
	[ "$CHILD" -gt "$TPID" ] && break
	diag "the pids wrapped ($TPID, then $CHILD): again"
	kill "$CHILD" "$TPID" 2>/dev/null
done
for o in "" "-J" "-T" "-T=parent" "-T=owner -J" "-T=process" "-l" "-t net -T" "-W -t net"; do
	# the rows of this test's processes, which nothing else moves; their
	# padding is the whole table's (another row, made or gone between the
	# two reads, widens a column), so runs of blanks count as one; the tree's
	# branches stay
	pick="grep -E '(^| )($TPID|$CHILD)( |\$)' | tr -s ' ' || :"
	$NSTOP ns $o -o NS,TYPE,PID,COMMAND >"$TEST_TMP/t.n" 2>&1
	lsns $o -o NS,TYPE,PID,COMMAND >"$TEST_TMP/t.l" 2>&1
	if [ "$o" = "-J" ] || [ "$o" = "-T=owner -J" ]; then
		q='[.. | objects | select(.pid == '$TPID' or .pid == '$CHILD') | del(.children)]'
		is "$(jq -c "$q" "$TEST_TMP/t.n")" "$(jq -c "$q" "$TEST_TMP/t.l")" "ns $o: our rows as lsns's"
	else
		is "$(eval "$pick" <"$TEST_TMP/t.n")" "$(eval "$pick" <"$TEST_TMP/t.l")" "ns $o: our rows, nested, as lsns's"
	fi
done
# The nesting against lsns's own read at the same moment: in full runs under
# load the child's row was seen left unnested by nstop (an open finding, see
# the stop's note); when lsns nests it, nstop must too. Three reads at most.
nest_q='[.. | objects | select(.pid == $p) | .children[]? | select(.pid == $c) | .pid] | unique'
for try in 1 2 3; do
	run_nstop tree ns -J -o NS,PID,COMMAND
	nested=$(jq -c --argjson p "$TPID" --argjson c "$CHILD" "$nest_q" "$(out tree)")
	lsns_nested=$(lsns -J -o NS,PID,COMMAND | jq -c --argjson p "$TPID" --argjson c "$CHILD" "$nest_q")
	[ "$nested" = "$lsns_nested" ] && break
	diag "try $try: nstop nests $nested, lsns $lsns_nested: $(jq -c --argjson p "$TPID" \
		--argjson c "$CHILD" '[.. | objects | select(.pid == $p or .pid == $c) | del(.children)]' "$(out tree)")"
done
diag "lsns nests the child's row under its parent's: $lsns_nested"
is "$nested" "$lsns_nested" "-J: the child's ipc namespace row is nested as lsns -J nests it"
run_nstop list ns -l -J -o NS,PID
is "$(jq '[.. | objects | select(has("children"))] | length' "$(out list)")" 0 "-l: no children"

# ---- PNS and ONS 0 where there is none ------------------------------------------------
run_nstop pns ns -r -n -o NS,TYPE,PNS,ONS -t net
lsns -r -n -o NS,TYPE,PNS,ONS -t net >"$TEST_TMP/lsns-pns" 2>&1
is "$(awk '$2 == "net" { print NF }' "$(out pns)" | sort -u)" 4 "-r: every row has its four fields"
is "$(awk -v i="$(ns_inode $$ net)" '$1 == i' "$(out pns)")" \
   "$(awk -v i="$(ns_inode $$ net)" '$1 == i' "$TEST_TMP/lsns-pns")" "-r: PNS 0 for a net namespace, as lsns"

# ---- a namespace as argument ------------------------------------------------------------
run_nstop_quiet nf ns 12345
is "$NSTOP_RC" 1 "an unknown namespace: exit 1, as lsns"
is "$(cat "$TEST_TMP/nf.err")" "nstop: not found namespace: 12345" "an unknown namespace: one line saying so"
UTS=$(ns_inode "$TPID" uts)
# lsns itself was seen printing nothing at all once, under load (a process
# of another's gone mid-read): it is read again, three times at most
for try in 1 2 3; do
	run_nstop one ns "$UTS"
	lsns "$UTS" >"$TEST_TMP/lsns-one" 2>&1
	lrc=$?
	[ -s "$TEST_TMP/lsns-one" ] && break
	diag "try $try: lsns $UTS printed nothing (exit $lrc)"
done
is "$(cat "$(out one)")" "$(cat "$TEST_TMP/lsns-one")" "ns $UTS: its processes as lsns lists them"

# ---- --list-columns, -V -------------------------------------------------------------------
run_nstop cols ns --list-columns -J
is "$(jq -r '.["ns-columns"][] | .holder' "$(out cols)" | paste -sd,)" \
	"NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS" "--list-columns -J: every column"
is "$(jq -r '.["ns-columns"][] | select(.holder == "NS") | .type' "$(out cols)")" "<integer>" \
	"--list-columns -J: with its type, as util-linux prints it"
for v in ns cgroups list run enter inspect freeze rm; do
	run_nstop_quiet ver "$v" -V
	is "$NSTOP_RC:$(cat "$(out ver)")" "0:$("$NSTOP" -V)" "nstop $v -V prints the version"
done

done_testing
