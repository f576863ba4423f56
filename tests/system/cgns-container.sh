#!/bin/bash
# A real container made by runc, with a cgroup namespace of its own: the
# cgroup paths nstop gives its processes as their namespace sees them must be
# what the kernel shows from inside it.
. "$NSTOP_TESTLIB"

require_root
require_cmd runc busybox nsenter jq

ID=nstop-test-$$
CG=nstop-test-runc-$$
INNER=nstop-test-inner-$$

# ---- the bundle: a busybox rootfs and runc's spec, edited ----------------------------
BUNDLE=$(mktemp -d /tmp/nstop-test-runc.XXXXXX) || cannot_run "mktemp failed"
register_path "$BUNDLE"
ok "a busybox bundle with runc's spec, edited" runc_bundle "$BUNDLE" "$CG" \
	'.root.readonly = true
	 | if any(.linux.namespaces[]; .type == "cgroup") then .
	   else .linux.namespaces += [{"type": "cgroup"}] end'
ldd "$BUNDLE/rootfs/bin/busybox" >/dev/null 2>&1 &&
	diag "busybox is dynamically linked: the container will not find its libraries"

# ---- run it (what runc makes goes at exit, also its inner cgroup) -------------------
for m in $(cg_mounts); do register_cgroup "$m/$CG/$INNER"; done
runc_start "$ID" "$BUNDLE" "$CG"
rc=$?
is "$rc" 0 "runc run -d $ID exits 0"
if [ "$rc" -ne 0 ]; then
	diag "runc could not run the container on this host:" "$(cat "$BUNDLE/log")"
	done_testing
fi
P=$RUNC_PID
ok "the container's init ($P) runs sleep" wait_comm "$P" sleep
isnt "$(ns_inode "$P" cgroup)" "$(ns_inode $$ cgroup)" "it has a cgroup namespace of its own"

# A second process, by runc exec, moved below the container's freezer cgroup
# so that its path as the container sees it is not "/".
find_freezer || fail "a freezer hierarchy"
runc exec -d --pid-file "$BUNDLE/pid2" "$ID" sleep 1000 </dev/null >>"$BUNDLE/log" 2>&1
P2=$(cat "$BUNDLE/pid2" 2>/dev/null)
register_pid $P2
ok "runc exec -d starts a second process (${P2:-none})" wait_comm "${P2:-0}" sleep
ok "it moves into $INNER below the container's cgroup" \
	eval 'cg_make "$FRZ_MNT/$CG/$INNER" && cg_move "$P2" "$FRZ_MNT/$CG/$INNER"'

# inside PID: "HIER PATH" of PID as the container's cgroup namespace sees it.
inside() {
	nsenter -t "$P" -C cat "/proc/$1/cgroup" |
		awk '{ id = $0; sub(/:.*/, "", id); sub(/^[^:]*:[^:]*:/, ""); print id " " $0 }' | sort
}
# From a process inside: runc exec's cat reads its own cgroup, the init's.
from_exec=$(runc exec "$ID" cat /proc/self/cgroup </dev/null 2>>"$BUNDLE/log" |
	awk '{ id = $0; sub(/:.*/, "", id); sub(/^[^:]*:[^:]*:/, ""); print id " " $0 }' | sort)

run_nstop snap -b -n 1 -J
is "$NSTOP_RC" 0 "nstop -b -n 1 -J exits 0"
S=$(out snap)
paths() {	# PID KEY: "HIER VALUE" of every hierarchy in nstop's snapshot
	jq -r --argjson p "$1" --arg k "$2" \
		'.processes[] | select(.pid == $p) | .cgroups[] | "\(.hierarchy) \(.[$k])"' "$S" | sort
}

is "$(paths "$P" path)" "$(awk -F: '{ p = $0; sub(/^[^:]*:[^:]*:/, "", p); print $1 " " p }' \
	"/proc/$P/cgroup" | sort)" "init $P: every path is the host's /$CG"
is "$(paths "$P" ns_path)" "$from_exec" \
	"init $P: every ns_path is what runc exec cat /proc/self/cgroup prints inside"
is "$(paths "$P" ns_path)" "$(inside "$P")" \
	"init $P: every ns_path is what its namespace sees (nsenter -C)"
is "$(paths "$P2" ns_path)" "$(inside "$P2")" \
	"exec'ed $P2: every ns_path is what its namespace sees"
is "$(paths "$P2" ns_path | awk -v h="$FRZ_ID" '$1 == h { print $2 }')" "/$INNER" \
	"exec'ed $P2: its freezer ns_path is /$INNER"
is "$(jq -c --argjson p "$P" '.processes[] | select(.pid == $p) | .container' "$S")" \
	"{\"engine\":\"runc\",\"id\":\"$ID\",\"name\":\"$ID\",\"paused\":false}" \
	"runc's container, not nstop's: container is runc:$ID (from runc's state)"

for t in cgroup ipc mnt net pid uts; do
	is "$(jq -r --argjson p "$P" --arg t "$t" '.processes[] | select(.pid == $p) | .ns[$t]' "$S")" \
		"$(ns_inode "$P" "$t")" "init $P: ns.$t is /proc/$P/ns/$t's"
done
is "$(jq -r --argjson i "$(ns_inode "$P" cgroup)" \
	'.namespaces[] | select(.type == "cgroup" and .inode == $i) | .pids | sort | map(tostring) | join(" ")' "$S")" \
	"$(printf '%s\n' "$P" "$P2" | sort -n | paste -sd' ')" "the container's cgroup namespace holds its two processes"

# The host, as the container sees it.
run_nstop view -b -n 1 -J --view-from "$P"
S=$(out view)
for x in 2 $$; do
	is "$(paths "$x" view_path)" "$(inside "$x")" "--view-from $P: pid $x's view_path is what the container sees"
done
is "$(jq -r '[.view_from.roots[].root] | unique | join(" ")' "$S")" \
	"$(cut -d: -f3- "/proc/$P/cgroup" | sort -u | paste -sd' ')" \
	"--view-from $P: the roots are its cgroups (/$CG where runc made them)"

done_testing
