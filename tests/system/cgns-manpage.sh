#!/bin/bash
# cgroup_namespaces(7), its shell session replayed: a sleep in sub2, a shell
# in sub that unshares a cgroup namespace. What nstop says each process's
# cgroup is, as that namespace sees it, must be what the kernel prints to a
# reader inside the namespace (nsenter -C cat /proc/X/cgroup). Then the
# cases where nstop must look harder for a namespace's root: a member that
# left it, and an only member that left it after mounting its cgroupfs.
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare nsenter mount jq
find_freezer || cannot_run "no freezer hierarchy and no cgroup2 mounted"
diag "freezer: v$FRZ_V at $FRZ_MNT, hierarchy $FRZ_ID"

SUB=nstop-test-sub-$$
SUB2=nstop-test-sub2-$$

# kernel READER X [HIER]: X's cgroup path in HIER (default: the freezer's)
# as the kernel prints it to a process in READER's cgroup namespace.
kernel() {
	nsenter -t "$1" -C cat "/proc/$2/cgroup" |
		awk -v h="${3:-$FRZ_ID}" '{ id = $0; sub(/:.*/, "", id) } id == h {
			sub(/^[^:]*:[^:]*:/, ""); print }'
}

# field SNAPSHOT PID KEY [HIER]: a process's freezer path in nstop's JSON.
field() {
	jq -r --argjson p "$2" --argjson h "${4:-$FRZ_ID}" --arg k "$3" \
		'.processes[] | select(.pid == $p) | .cgroups[] | select(.hierarchy == $h) | .[$k]' "$1"
}

# in_cgroup DIR CMD...: runs CMD (exec'ed) in the cgroup DIR, in the background.
in_cgroup() {
	local dir=$1
	shift
	spawn_bg sh -c 'echo $$ >"$0/cgroup.procs" || exit 1; exec "$@"' "$dir" "$@"
}

# ---- the session -------------------------------------------------------------------
#   # mkdir -p /sys/fs/cgroup/freezer/sub2
#   # sleep 10000 &
#   # echo 20124 > /sys/fs/cgroup/freezer/sub2/cgroup.procs
#   # mkdir -p /sys/fs/cgroup/freezer/sub
#   # echo 30655 > /sys/fs/cgroup/freezer/sub/cgroup.procs
#   # unshare -Cm bash
cg_make "$FRZ_MNT/$SUB2" || cannot_run "cannot make $FRZ_MNT/$SUB2"
spawn_bg sleep 1000
S2=$SPAWNED
ok "the sleep moves into $SUB2" cg_move "$S2" "$FRZ_MNT/$SUB2"
cg_make "$FRZ_MNT/$SUB" || cannot_run "cannot make $FRZ_MNT/$SUB"
in_cgroup "$FRZ_MNT/$SUB" sh -c 'unshare -C sleep 1000; :'
SH=$SPAWNED
wait_children "$SH" 1 && P=$KIDS
P=${P// /}
ok "the shell in $SUB runs unshare -C sleep ($P)" wait_comm "${P:-0}" sleep
isnt "$(ns_inode "$P" cgroup)" "$(ns_inode $$ cgroup)" "pid $P is in a new cgroup namespace"

#   sh2# cat /proc/self/cgroup | grep freezer       7:freezer:/
#   sh2# cat /proc/1/cgroup | grep freezer          7:freezer:/..
#   sh2# cat /proc/20124/cgroup | grep freezer      7:freezer:/../sub2
is "$(kernel "$P" "$P")" "/" "kernel: the unshared process sees itself at /"
is "$(kernel "$P" "$S2")" "/../$SUB2" "kernel: it sees the sleep at /../$SUB2"
is "$(kernel "$P" 2)" "/.." "kernel: it sees kthreadd at /.."

run_nstop view -b -n 1 -J --view-from "$P"
is "$NSTOP_RC" 0 "nstop -b -n 1 -J --view-from $P exits 0"
V=$(out view)
is "$(field "$V" "$P" view_path)" "/" "pid $P: its own view_path is /"
is "$(field "$V" "$P" ns_path)" "/" "pid $P: its ns_path is /"
is "$(field "$V" "$P" path)" "/$SUB" "pid $P: its path is /$SUB"
is "$(field "$V" "$S2" view_path)" "/../$SUB2" "the sleep in $SUB2: view_path /../$SUB2"
is "$(field "$V" "$S2" ns_path)" "/$SUB2" "the sleep in $SUB2: ns_path /$SUB2"
is "$(field "$V" 2 view_path)" "/.." "kthreadd, in the root cgroup: view_path /.."
is "$(field "$V" "$SH" view_path)" "/" "the shell in $SUB: view_path /"
is "$(field "$V" "$SH" ns_path)" "/$SUB" "the shell in $SUB: ns_path /$SUB"
if [ "$(cg_path $$ "$FRZ_ID")" = / ]; then
	is "$(field "$V" $$ view_path)" "/.." "this test, in the root cgroup: view_path /.."
fi

# Every hierarchy, as the kernel prints it inside P's namespace.
for x in "$P" "$S2" 2 "$SH" $$; do
	want=$(nsenter -t "$P" -C cat "/proc/$x/cgroup" |
	       awk '{ id = $0; sub(/:.*/, "", id); sub(/^[^:]*:[^:]*:/, ""); print id " " $0 }' | sort)
	got=$(jq -r --argjson p "$x" '.processes[] | select(.pid == $p) | .cgroups[]
		| "\(.hierarchy) \(.view_path)"' "$V" | sort)
	is "$got" "$want" "pid $x: the view_path of every hierarchy is the kernel's"
done

is "$(jq -r --argjson h "$FRZ_ID" '.view_from.roots[] | select(.hierarchy == $h) | .root' "$V")" \
	"/$SUB" "view_from.roots: the freezer root of the view is /$SUB"
is "$(jq -c '[.view_from.pid, .view_from.cgroup_ns]' "$V")" "[$P,$(ns_inode "$P" cgroup)]" \
	"view_from: pid and cgroup_ns"

# nstop cgroups --view-from: the tree named as the view sees it.
run_nstop tree cgroups --view-from "$P"
is "$NSTOP_RC" 0 "nstop cgroups --view-from $P exits 0"
frz_root=$(grep -E "^$FRZ_ID:" "$(out tree)" | grep -E 'freezer|cgroup2' | head -1)
ok "the freezer root is shown as /.. ('$frz_root')" grep -Eq "^$FRZ_ID:[^ ]+ /\.\.( |\$)" <<<"$frz_root"
ok "$SUB is marked [view root]" grep -Eq "$SUB +\[view root\]" "$(out tree)"
ok "$SUB2 is not marked" bash -c "! grep -E '$SUB2.*view root' '$(out tree)'"
run_nstop treej cgroups -J --view-from "$P"
node() {
	jq -r --argjson h "$FRZ_ID" --arg p "$1" \
		'.. | objects | select(.hierarchy? == $h and .path? == $p) | .view_path' "$(out treej)"
}
is "$(node "/$SUB")" "/" "cgroups -J --view-from: /$SUB has view_path /"
is "$(node "/$SUB2")" "/../$SUB2" "cgroups -J --view-from: /$SUB2 has view_path /../$SUB2"
is "$(node /)" "/.." "cgroups -J --view-from: the freezer root has view_path /.."

# ---- a member that left the root: nstop asks another member ----------------------
in_cgroup "$FRZ_MNT/$SUB" unshare -C sh -c 'sleep 1000 & exec sleep 1000'
Q=$SPAWNED
wait_children "$Q" 1
Q1=$(printf '%s\n' "$Q" $KIDS | sort -n | head -1)
Q2=$(printf '%s\n' "$Q" $KIDS | sort -n | tail -1)
wait_comm "$Q" sleep
ok "two members in a new cgroup namespace ($Q1 $Q2)" \
	test "$(ns_inode "$Q1" cgroup)" = "$(ns_inode "$Q2" cgroup)" -a "$Q1" != "$Q2"
ok "the lower, $Q1, leaves the root for $SUB2" cg_move "$Q1" "$FRZ_MNT/$SUB2"
is "$(kernel "$Q2" "$Q1")" "/../$SUB2" "kernel: the namespace sees $Q1 at /../$SUB2"

run_nstop left -b -n 1 -J
L=$(out left)
is "$(field "$L" "$Q1" ns_path)" "$(kernel "$Q2" "$Q1")" "pid $Q1 (left the root): ns_path is the kernel's"
is "$(field "$L" "$Q2" ns_path)" "$(kernel "$Q2" "$Q2")" "pid $Q2 (at the root): ns_path is the kernel's"
run_nstop left-view -b -n 1 -J --view-from "$Q1"
is "$(jq -r --argjson h "$FRZ_ID" '.view_from.roots[] | select(.hierarchy == $h) | .root' "$(out left-view)")" \
	"/$SUB" "--view-from $Q1: the root is still /$SUB"
is "$(field "$(out left-view)" "$Q1" view_path)" "/../$SUB2" "--view-from $Q1: its own view_path is /../$SUB2"

# ---- an only member that left, after mounting its cgroupfs ----------------------------
#   sh2# mount --make-rslave /
#   sh2# mount -t cgroup -o freezer freezer /sys/fs/cgroup/freezer
cat >"$TEST_TMP/member.sh" <<'EOF'
# The only member of a new cgroup and mount namespace (unshare -Cm), in $SUB.
mnt=$1 ready=$2
shift 2
mount --make-rslave / || exit 1
# The same superblock cannot be mounted on its own root: umount it first.
umount "$mnt" && mount "$@" "$mnt" || exit 1	# rooted at this namespace's root
[ "$(awk -v m="$mnt" '$5 == m { r = $4 } END { print r }' /proc/self/mountinfo)" = / ] || exit 1
# Leaves its root, after mounting: moved from outside, since a cgroup2
# mounted with nsdelegate (as systemd mounts it) refuses a move out of the
# namespace's root from inside it.
: >"$ready.mounted"
for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
exec sleep 1000
EOF
if [ "$FRZ_V" = 1 ]; then mount_args="-t cgroup -o freezer freezer"; else mount_args="-t cgroup2 cgroup2"; fi
in_cgroup "$FRZ_MNT/$SUB" unshare -Cm sh "$TEST_TMP/member.sh" \
	"$FRZ_MNT" "$TEST_TMP/ready" $mount_args
M=$SPAWNED
for i in $(seq 100); do [ -e "$TEST_TMP/ready.mounted" ] && break; sleep 0.05; done
ok "the only member mounted its freezer" test -e "$TEST_TMP/ready.mounted"
ok "the only member leaves the root of its namespace" cg_move "$M" "$FRZ_MNT/$SUB2"
: >"$TEST_TMP/ready"
wait_comm "$M" sleep
is "$(cg_path "$M" "$FRZ_ID")" "/$SUB2" "pid $M is in /$SUB2"
is "$(kernel "$M" "$M")" "/../$SUB2" "kernel: its namespace sees it at /../$SUB2"
diag "its freezer mount as the host sees it: $(awk -v m="$FRZ_MNT" '$5 == m' /proc/"$M"/mountinfo)"

run_nstop mounted -b -n 1 -J
is "$(field "$(out mounted)" "$M" ns_path)" "$(kernel "$M" "$M")" \
	"pid $M (only member, left after mounting): ns_path is the kernel's"
run_nstop mounted-view -b -n 1 -J --view-from "$M"
is "$(jq -r --argjson h "$FRZ_ID" '.view_from.roots[] | select(.hierarchy == $h) | .root' "$(out mounted-view)")" \
	"/$SUB" "--view-from $M: the root is found from its mount, /$SUB"

# ---- an only member that left, with no mount of its own: unknowable ---------------------
in_cgroup "$FRZ_MNT/$SUB" unshare -C sleep 1000
N=$SPAWNED
wait_comm "$N" sleep
ok "pid $N leaves the root of its namespace" cg_move "$N" "$FRZ_MNT/$SUB2"
run_nstop lost -b -n 1 -J
got=$(field "$(out lost)" "$N" ns_path)
ok "pid $N (only member, left, no mount): ns_path is null or the kernel's, never made up ('$got')" \
	test "$got" = null -o "$got" = "$(kernel "$N" "$N")"

done_testing
