#!/bin/bash
# A launch makes the container's v1 cgroups while its init builds the root
# (issue 20.3: the init is cloned into the v2 cgroup first, and joins the
# others, handed over its socket, before its cgroup namespace). What must
# hold whatever the order: the payload is in the container's cgroup of
# every hierarchy from its first instruction on, and a launch that fails
# once the init runs (a v1 cgroup of that name is there already) leaves
# nothing behind: no cgroup of ours, no state, no process.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
RTC=nstop-test-rtcgj-$$	# rtc_name and rtc_reap work on $RTC-*

nhier=$(cg_ids | wc -l)
ok "this host has cgroup hierarchies ($nhier)" test "$nhier" -gt 0

# ---- the payload's first read: /proc/self/cgroup ---------------------------------
# cat reads it before anything else it does; inside the container's cgroup
# namespace its own cgroup in every hierarchy is "/".
for i in 1 2 3 4 5; do
	rtc_name first$i
	out=$("$NSTOP" run --rm --name "$RTC_NAME" -- cat /proc/self/cgroup 2>&1)
	is "$?" 0 "[$i] run --rm cat /proc/self/cgroup"
	is "$(echo "$out" | grep -c '')" "$nhier" "[$i] one line per hierarchy of the host"
	is "$(echo "$out" | grep -vc ':/$')" 0 "[$i] every line is / (its own cgroup, the namespace's root): $(echo $out)"
done

# The memory limit its first read sees: the container's cgroup, not the one
# nstop started in (a cgroup namespace unshared there would show "/" too).
if ctl_find memory; then
	if [ "$CTL_V" = 1 ]; then f=$CTL_MNT/memory.limit_in_bytes; else f=$CTL_MNT/memory.max; fi
	rtc_name mem
	out=$("$NSTOP" run --rm --memory 64M --name "$RTC_NAME" -- cat "$f" 2>&1)
	is "$out" 67108864 "the payload's first read of $f (inside) is --memory 64M"
fi

# From the host: the init and the payload of a running container are in
# /nstop/NAME of every hierarchy.
rtc_name run
run_bg "$RTC_NAME" sleep 100
mon=$MON
init=$(state_get "$RTC_NAME" pid)
ok "state.json names the init ($init)" test -n "$init"
ok "the init is in /$CG_PARENT/$RTC_NAME of every hierarchy" in_all_hierarchies "$init" "$RTC_NAME"
wait_children "$init" 1
for k in $KIDS; do
	ok "and its payload $k too" in_all_hierarchies "$k" "$RTC_NAME"
done
kill -TERM "$mon"
wait "$mon" 2>/dev/null
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- a launch that fails once its init runs ----------------------------------------
# The last hierarchy nstop makes a cgroup in (a v1 one where there is any:
# those come after the init is cloned) already holds one of the name.
rtc_name taken
last=
while read -r id m; do
	[ "$id" != 0 ] && last=$m
	[ -z "$last" ] && [ "$id" = 0 ] && v2=$m
done < <(cg_ids)
[ -n "$last" ] || last=$v2
# (the parent only when this test made it: another run may be making its
# cgroup under it)
made_parent=
[ -d "$last/$CG_PARENT" ] || made_parent=1
cleanup_rmdir() {
	rmdir "$last/$CG_PARENT/$RTC_NAME" 2>/dev/null
	[ -n "$made_parent" ] && rmdir "$last/$CG_PARENT" 2>/dev/null
}
register_cmd cleanup_rmdir
mkdir -p "$last/$CG_PARENT/$RTC_NAME" || { echo "Bail out! cannot make $last/$CG_PARENT/$RTC_NAME"; exit 1; }
run_nstop taken run --rm --name "$RTC_NAME" -- true
is "$NSTOP_RC" 1 "a run whose cgroup is there already in $last: exit 1"
ok "in one line: $(cat "$TEST_TMP/taken.err")" one_error_line "$TEST_TMP/taken.err"
ok "that names the cgroup" grep -q "exists already" "$TEST_TMP/taken.err"
ok "the cgroup it did not make is still there" test -d "$last/$CG_PARENT/$RTC_NAME"
left=
for m in $(cg_mounts); do
	[ "$m" = "$last" ] && continue
	[ -e "$m/$CG_PARENT/$RTC_NAME" ] && left="$left $m"
done
is "$left" "" "no cgroup of that name left in any other hierarchy"
ok "no state left" test ! -e "$STATE_DIR/$RTC_NAME"
ok "no lock left" test ! -e "$STATE_DIR/$RTC_NAME.lock"
procs=$(grep -l "/$CG_PARENT/$RTC_NAME\$" /proc/[0-9]*/cgroup 2>/dev/null | tr '\n' ' ')
is "$procs" "" "no process left in a cgroup of that name"
cleanup_rmdir
made_parent=
done_testing
