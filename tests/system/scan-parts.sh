#!/bin/bash
# A snapshot of a host with many processes is read by parts, one thread per
# cpu (scan-procs.c): with 600 processes of ours in three kinds of
# namespaces and in a cgroup of ours, every one of them must be in
# `nstop -b -J` exactly once, with the namespaces ps gives, the cgroups
# /proc/PID/cgroup gives, its cgroup namespace's view, its user and its
# command line; in the first snapshot and in the next (which the scan reads
# with the first one held).
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare ps jq

PER=200

# Our cgroup in the pids hierarchy (or cgroup2): paths that are not "/".
CG=
m=$(cg_v1_mount pids)
if [ -n "$m" ]; then
	CG=$m/nstop-test-parts-$$
	CG_H=$(cg_hier_id pids)
else
	m=$(cg_v2_mount)
	CG=$m/nstop-test-parts-$$
	CG_H=0
fi
ok "made our cgroup" cg_make "$CG"

# Each group: a shell that starts PER sleepers and then waits as one more.
group() {
	spawn_bg "$@" sh -c 'echo $$ >"$0/cgroup.procs" || exit 1
		i=0; while [ $i -lt '"$PER"' ]; do sleep 1000 & i=$((i + 1)); done
		exec sleep 1000' "$CG"
}
group env
P_PLAIN=$SPAWNED
group unshare --net --uts --ipc
P_NET=$SPAWNED
# unshare --cgroup before the move would root the namespace elsewhere: the
# shell moves itself, then a cgroup namespace of its own, rooted there
spawn_bg sh -c 'echo $$ >"$0/cgroup.procs" || exit 1
	exec unshare --cgroup sh -c '"'"'i=0; while [ $i -lt '"$PER"' ]; do sleep 1000 & i=$((i + 1)); done
	exec sleep 1000'"'" "$CG"
P_CGNS=$SPAWNED

ALL=()
for p in $P_PLAIN $P_NET $P_CGNS; do
	# unshare execs the shell: its pid stays; the sleepers are its children
	if wait_children "$p" "$PER"; then
		ALL+=($KIDS "$p")
	else
		fail "group $p never started its $PER sleepers"
	fi
done
CGNS_PIDS=($(children_of "$P_CGNS") "$P_CGNS")
for p in $P_PLAIN $P_NET $P_CGNS; do wait_comm "$p" sleep || diag "pid $p never ran sleep"; done
ours=$(printf '%s\n' "${ALL[@]}" | sort -n)
is "$(wc -l <<<"$ours")" $((3 * PER + 3)) "$((3 * PER + 3)) processes of ours"
ok "the host has 512 processes or more: the scan is read by parts" \
	test "$(ls /proc | grep -c '^[0-9]')" -ge 512

run_nstop snap -b -n 2 -d 0.2 -J
is "$NSTOP_RC" 0 "nstop -b -n 2 -J exits 0"
SNAP=$(out snap)
is "$(grep -c . "$SNAP")" 2 "two documents"

# What the kernel says, read after the snapshots (the sleepers stay).
printf '%s\n' "${ALL[@]}" | sort -n >"$TEST_TMP/ours"
ps -e -o pid=,ipcns=,mntns=,netns=,pidns=,userns=,utsns=,cgroupns= | tr -s ' ' |
	sed 's/^ //' | awk 'NR == FNR { want[$1] = 1; next } $1 in want' "$TEST_TMP/ours" - |
	sort -n >"$TEST_TMP/ns.want"
for p in "${ALL[@]}"; do echo "/proc/$p/cgroup"; done | xargs grep -H '' |
	sed 's|^/proc/\([0-9]*\)/cgroup:\([0-9]*\):[^:]*:\(.*\)$|\1 \2 \3|' |
	sort -n -k1,1 -k2,2 >"$TEST_TMP/cg.want"

n=0
while read -r doc; do
	n=$((n + 1))
	jq -c '.processes[]' <<<"$doc" >"$TEST_TMP/procs.$n"
	jq -r '[.pid, .ns.ipc, .ns.mnt, .ns.net, .ns.pid, .ns.user, .ns.uts, .ns.cgroup]
	       | map(tostring) | join(" ")' "$TEST_TMP/procs.$n" |
		awk 'NR == FNR { want[$1] = 1; next } $1 in want' "$TEST_TMP/ours" - |
		sort -n >"$TEST_TMP/ns.got"
	is "$(cut -d' ' -f1 "$TEST_TMP/ns.got" | uniq -d | wc -l)" 0 \
		"snapshot $n: no process of ours twice"
	is "$(cut -d' ' -f1 "$TEST_TMP/ns.got")" "$ours" "snapshot $n: every process of ours, once"
	ok "snapshot $n: each one's namespaces are ps's" \
		cmp "$TEST_TMP/ns.want" "$TEST_TMP/ns.got"
	jq -r '"\(.pid) \(.cgroups[] | "\(.hierarchy) \(.path)")"' "$TEST_TMP/procs.$n" |
		awk 'NR == FNR { want[$1] = 1; next } $1 in want' "$TEST_TMP/ours" - |
		sort -n -k1,1 -k2,2 >"$TEST_TMP/cg.got"
	ok "snapshot $n: each one's cgroups are its /proc/PID/cgroup's" \
		cmp "$TEST_TMP/cg.want" "$TEST_TMP/cg.got"
	is "$(jq -r --argjson h "$CG_H" 'select(.cgroups[] | .hierarchy == $h and
	      .path == "'"${CG#"$m"}"'") | "\(.user) \(.cmdline)"' "$TEST_TMP/procs.$n" |
	      sort | uniq -c | sed 's/^ *//')" "$((3 * PER + 3)) root sleep 1000" \
		"snapshot $n: all of ours in our cgroup, as root, running sleep 1000"
	# the ones in a cgroup namespace rooted at our cgroup see "/" there
	got=$(printf '%s\n' "${CGNS_PIDS[@]}" | jq -R 'tonumber' | jq -s . >"$TEST_TMP/cgns"
	      jq -r --slurpfile c "$TEST_TMP/cgns" --argjson h "$CG_H" \
		'select(.pid as $p | $c[0] | index($p)) | .cgroups[] |
		 select(.hierarchy == $h) | .ns_path' "$TEST_TMP/procs.$n" | sort | uniq -c |
		sed 's/^ *//')
	is "$got" "$((PER + 1)) /" "snapshot $n: the cgroup namespace's $((PER + 1)) see / as their cgroup"
done <"$SNAP"

done_testing
