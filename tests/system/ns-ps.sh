#!/bin/bash
# nstop -b -J against ps(1) and /proc: the namespaces and cgroups of
# processes this test makes (and of a few stable ones) must be what ps and
# /proc/PID/cgroup say, and namespaces[] must count their members.
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare nsenter ps jq

MY_PIDS=()
start() {
	spawn_bg "$@"
	MY_PIDS+=("$SPAWNED")
}

# A cgroup of ours in two v1 hierarchies (or in cgroup2), so that the
# paths compared are not all "/".
CG_DIRS=()
CG_HIDS=()
make_cgroups() {
	local c m
	for c in freezer pids; do
		m=$(cg_v1_mount "$c")
		[ -n "$m" ] || continue
		CG_DIRS+=("$m/nstop-test-ps-$$")
		CG_HIDS+=("$(cg_hier_id "$c")")
	done
	if [ ${#CG_DIRS[@]} -eq 0 ]; then
		m=$(cg_v2_mount)
		[ -n "$m" ] && CG_DIRS+=("$m/nstop-test-ps-$$") && CG_HIDS+=(0)
	fi
	for c in "${CG_DIRS[@]}"; do cg_make "$c" || return 1; done
}

make_processes() {
	local p k
	start unshare --net --uts --ipc sleep 1000
	start unshare --fork --pid --mount-proc sh -c 'sleep 1000 & exec sleep 1000'
	p=$SPAWNED
	wait_children "$p" 1 && MY_PIDS+=($KIDS)
	for k in $KIDS; do wait_children "$k" 1 && MY_PIDS+=($KIDS); done
	start unshare --user sleep 1000
	# in our cgroups, then in a cgroup namespace rooted there
	start sh -c 'for d; do echo $$ >"$d/cgroup.procs" || exit 1; done
		     exec unshare --cgroup sleep 1000' sh "${CG_DIRS[@]}"
	for p in "${MY_PIDS[@]}"; do
		[ "$(cat /proc/"$p"/comm)" = unshare ] || wait_comm "$p" sleep ||
			diag "pid $p never ran sleep"
	done
}

ok "made our cgroups" make_cgroups
make_processes
CHECK_PIDS=("${MY_PIDS[@]}" $$ 2 1)

ps_cols=pid,ipcns,mntns,netns,pidns,userns,utsns,cgroupns
jq_ns='[.pid, .ns.ipc, .ns.mnt, .ns.net, .ns.pid, .ns.user, .ns.uts, .ns.cgroup]
       | map(if . == null then "-" else tostring end) | join(" ")'

run_nstop snap -b -n 1 -J
is "$NSTOP_RC" 0 "nstop -b -n 1 -J exits 0"
SNAP=$(out snap)
ok "one JSON document" is_json_lines "$SNAP"
is "$(grep -c . "$SNAP")" 1 "-n 1: one line"

proc() { jq -c --argjson p "$1" '.processes[] | select(.pid == $p)' "$SNAP"; }

for p in "${CHECK_PIDS[@]}"; do
	want=$(ps -o "$(sed 's/,/=,/g; s/$/=/' <<<"$ps_cols")" -p "$p" | tr -s ' ' | sed 's/^ //')
	got=$(proc "$p" | jq -r "$jq_ns")
	is "$got" "$want" "pid $p: ns.{ipc,mnt,net,pid,user,uts,cgroup} are ps's $ps_cols"
	want=$(ns_inode "$p" time)
	got=$(proc "$p" | jq -r '.ns.time // empty')
	is "$got" "$want" "pid $p: ns.time is /proc/$p/ns/time's"

	[ -r "/proc/$p/cgroup" ] || continue
	want=$(awk '{ id = $0; sub(/:.*/, "", id); path = $0; sub(/^[^:]*:[^:]*:/, "", path)
		      print id " " path }' "/proc/$p/cgroup" | sort)
	got=$(proc "$p" | jq -r '.cgroups[] | "\(.hierarchy) \(.path)"' | sort)
	is "$got" "$want" "pid $p: cgroups[].path of every hierarchy is /proc/$p/cgroup's"
done

# Read from the init cgroup namespace, /proc/PID/cgroup is the host's view;
# a process in that namespace sees the same.
init_cgns=$(ns_inode $$ cgroup)
for p in $$ 2 "${MY_PIDS[@]}"; do
	[ "$(ns_inode "$p" cgroup)" = "$init_cgns" ] || continue
	is "$(proc "$p" | jq -c '[.cgroups[] | select(.ns_path != .path)] | length')" 0 \
		"pid $p in the init cgroup namespace: ns_path is path"
done

# Our process in a cgroup namespace made inside our cgroups: its own view
# is "/" everywhere, as the kernel says from inside.
cgp=${MY_PIDS[-1]}
for h in "${CG_HIDS[@]}"; do
	is "$(proc "$cgp" | jq -r --argjson h "$h" '.cgroups[] | select(.hierarchy == $h) | .path')" \
		"/nstop-test-ps-$$" "pid $cgp: hierarchy $h path is our cgroup"
	want=$(nsenter -t "$cgp" -C cat /proc/"$cgp"/cgroup | awk -F: -v h="$h" '$1 == h { print $3 }')
	is "$(proc "$cgp" | jq -r --argjson h "$h" '.cgroups[] | select(.hierarchy == $h) | .ns_path')" \
		"$want" "pid $cgp: hierarchy $h ns_path is what its namespace shows ('$want')"
done

# ---- namespaces[] --------------------------------------------------------------
members() {
	local t=$1 ino=$2 p
	for p in "${MY_PIDS[@]}"; do
		[ "$(ns_inode "$p" "$t")" = "$ino" ] && echo "$p"
	done | sort -n | paste -sd' '
}
nsrec() {
	jq -c --arg t "$1" --argjson i "$2" '.namespaces[] | select(.type == $t and .inode == $i)' "$SNAP"
}

for t in $NS_TYPES; do
	for ino in $(for p in "${MY_PIDS[@]}"; do ns_inode "$p" "$t"; done | sort -u); do
		[ "$ino" = "$(ns_inode $$ "$t")" ] && continue
		want=$(members "$t" "$ino")
		rec=$(nsrec "$t" "$ino")
		is "$(jq -r '.pids | sort | map(tostring) | join(" ")' <<<"$rec")" "$want" \
			"namespaces[] $t $ino: pids are ours, $want"
		is "$(jq -r '.nprocs' <<<"$rec")" "$(wc -w <<<"$want")" "namespaces[] $t $ino: nprocs"
		case $t in user | pid)
			is "$(jq -r '.parent' <<<"$rec")" "$(ns_inode $$ "$t")" \
				"namespaces[] $t $ino: parent is the init $t namespace" ;;
		esac
	done
done
for t in user pid; do
	is "$(nsrec "$t" "$(ns_inode $$ "$t")" | jq -c '.parent')" null \
		"namespaces[] init $t namespace: parent is null"
done

done_testing
