#!/bin/bash
# nstop enter as nsenter: namespaces by file (an ip netns namespace no
# process is in, and every type), -t PID, -r/-w, --preserve-credentials,
# each against util-linux nsenter's own result in the same run. In a mount
# and a net namespace of the test's own: ip netns add's mounts land on a
# tmpfs there, its interfaces in that net namespace.
. "$NSTOP_TESTLIB"

require_root
require_cmd unshare nsenter ip mount

if [ -z "${NSTOP_ENTER_INNER:-}" ]; then
	export NSTOP_ENTER_INNER=1
	trap - EXIT
	exec unshare --mount --net --propagation private "$BASH" "$0" "$@"
fi

mkdir -p /run/netns
mount -t tmpfs -o mode=0755 nstop-test-netns /run/netns || {
	fail "a tmpfs of our own on /run/netns"
	done_testing
}
NS=nstop-test-enter-$$
ip netns add "$NS" || fail "ip netns add $NS"
ip -n "$NS" link add nstop-t-d0 type veth peer name nstop-t-d1 || fail "a veth pair in $NS"

# ---- a net namespace by file, no process in it -----------------------------------
links() { "$@" ip -o link show 2>&1 | awk '{ print $2 }' | paste -sd' '; }
is "$(links "$NSTOP" enter --net=/run/netns/"$NS")" "$(links nsenter --net=/run/netns/"$NS")" \
	"--net=/run/netns/$NS: the links nsenter sees there"
is "$(links "$NSTOP" enter --net=/run/netns/"$NS" | tr ' ' '\n' | sed 's/@.*//' | sort | paste -sd' ')" \
	"lo: nstop-t-d0 nstop-t-d1" "--net=FILE: lo and our veth pair"
run_nstop_quiet badtype enter --uts=/run/netns/"$NS" true
is "$NSTOP_RC" 1 "--uts= a net namespace: exit 1"
is "$(cat "$TEST_TMP/badtype.err")" "nstop: enter: /run/netns/$NS is not a uts namespace" \
	"--uts= a net namespace: one line saying so"
run_nstop_quiet notns enter --net=/etc/hostname true
is "$NSTOP_RC" 1 "--net= a regular file: exit 1"
run_nstop_quiet nofile enter --net=/nonexistent true
is "$NSTOP_RC:$(cat "$TEST_TMP/nofile.err")" \
	"1:nstop: enter: /nonexistent: No such file or directory" "--net= no such file: exit 1 and why"

# ---- every type by file, as nsenter ------------------------------------------------
types="mount:mnt uts:uts ipc:ipc net:net pid:pid cgroup:cgroup user:user"
[ -e /proc/self/ns/time ] && types="$types time:time_for_children"
spawn_bg unshare --user --map-root-user --mount --uts --ipc --net --pid --fork --cgroup \
	$([ -e /proc/self/ns/time ] && echo --time) sleep 1000
U=$SPAWNED
wait_children "$U" 1
P=${KIDS%% *}
wait_comm "$P" sleep
for tl in $types; do
	opt=${tl%%:*}
	link=${tl#*:}
	f=/proc/$P/ns/${link%_for_children}
	[ "$opt" = pid ] && f=/proc/$P/ns/pid
	want=$(nsenter --"$opt"="$f" readlink /proc/self/ns/"${link%_for_children}" 2>&1)
	got=$("$NSTOP" enter --"$opt"="$f" readlink /proc/self/ns/"${link%_for_children}" 2>&1)
	is "$got" "$want" "--$opt=$f: the namespace nsenter enters ($want)"
done

# ---- -t PID, -w, -r ---------------------------------------------------------------------
spawn_bg sh -c 'cd /usr/share && exec sleep 1000'
W=$SPAWNED
wait_comm "$W" sleep
is "$("$NSTOP" enter -t "$W" -n uts hostname)" "$("$NSTOP" enter "$W" -n uts hostname)" \
	"-t PID is the same as PID"
is "$(cd /tmp && "$NSTOP" enter -t "$W" -n uts -w pwd)" "$(cd /tmp && nsenter -t "$W" -u -w pwd)" \
	"-w: the process's working directory, as nsenter -w"
is "$("$NSTOP" enter -t "$W" -n uts -w/etc pwd)" "$(nsenter -t "$W" -u -w/etc pwd)" "-w/etc as nsenter"
is "$("$NSTOP" enter -t "$W" -n uts -r/usr ls / | paste -sd' ')" \
	"$(nsenter -t "$W" -u -r/usr ls / | paste -sd' ')" "-r/usr: / is /usr, as nsenter"

# ---- --preserve-credentials ----------------------------------------------------------
is "$("$NSTOP" enter -t "$P" --user id -u)" "$(nsenter -t "$P" --user id -u)" \
	"--user: uid 0 there, as nsenter"
# A user namespace that maps our uid 0 as 1, and no uid 0: kept, we are 1
# there; without --preserve-credentials uid 0 cannot be had.
spawn_bg unshare --user --map-user=1 --map-group=1 sleep 1000
M=$SPAWNED
wait_comm "$M" sleep
is "$("$NSTOP" enter -t "$M" --user --preserve-credentials id -u 2>&1)" \
	"$(nsenter -t "$M" --user --preserve-credentials id -u 2>&1)" \
	"--user --preserve-credentials: our uid as that namespace maps it, as nsenter"
is "$("$NSTOP" enter -t "$M" --user --preserve-credentials id -u 2>&1)" 1 \
	"--user --preserve-credentials: uid 1 there"
run_nstop_quiet nomap enter -t "$M" --user id -u
is "$NSTOP_RC" 1 "--user where 0 is not mapped: refused (exit 1), nsenter fails too"

# ---- -V, usage ---------------------------------------------------------------------------
run_nstop_quiet both enter 1 -t 1 true
is "$NSTOP_RC" 2 "a PID and -t: usage error"
run_nstop_quiet nopid enter --net true
is "$NSTOP_RC" 2 "--net without a file or a process: usage error"

ip netns delete "$NS"
done_testing
