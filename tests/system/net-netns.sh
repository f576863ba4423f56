#!/bin/bash
# --net netns:NAME joins the namespace `ip netns add NAME` made (the one the
# test put an interface into), --net container:NAME another container's
# (also with --userns); what is not a net namespace of that name is refused
# in one line, leaving nothing behind. All inside a network namespace of the
# test's own (net-lib.sh).
. "$(dirname "$0")/net-lib.sh"
net_host_enter "$0" "$@"
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd ip jq unshare mount
net_host_setup || cannot_run "cannot make the test's own host namespaces"

NS=nstop-test-net-$$
register_cmd "ip netns del $NS"
ip netns add "$NS" || fail "ip netns add"
ip -n "$NS" link add nsttest0 type veth peer name nsttest1 &&
	ip -n "$NS" addr add 10.252.7.1/24 dev nsttest0 ||
	fail "an interface in $NS"
want=$(stat -L -c %i "/run/netns/$NS")

# the host's root: it has ip and readlink
got=$("$NSTOP" run --rm --net "netns:$NS" -- ip -o addr show dev nsttest0 2>&1)
case $got in
*10.252.7.1/24*) pass "netns: the container sees the interface put there" ;;
*) fail "netns: the container sees the interface put there" "$got" ;;
esac
got=$("$NSTOP" run --rm --net "netns:$NS" -- readlink /proc/self/ns/net 2>&1)
is "$got" "net:[$want]" "netns: the container is in that very namespace"

rtc_name a
A=$RTC_NAME
"$NSTOP" run -d --name "$A" --net "netns:$NS" -- sleep 300 >/dev/null 2>&1 ||
	fail "a detached container on the netns"
got=$(jq -r '.net + " " + .net_name' "$STATE_DIR/$A/state.json" 2>&1)
is "$got" "netns $NS" "state.json records the netns joined"
got=$("$NSTOP" run --rm --net "container:$A" -- readlink /proc/self/ns/net 2>&1)
is "$got" "net:[$want]" "container: joins the other container's namespace"
got=$("$NSTOP" run --rm --userns 100000:100000 --net "container:$A" -- \
	readlink /proc/self/ns/net 2>&1)
is "$got" "net:[$want]" "container: with --userns too"
# /sys is then the host's, bound (sysfs cannot be mounted from a user
# namespace over a network namespace it does not own), and on a pure cgroup2
# host the host's cgroup2 with it: the container's must cover it
got=$("$NSTOP" run --rm --userns 100000:100000 --net "container:$A" -- \
	sh -c 'cat /proc/self/cgroup; find /sys/fs/cgroup -maxdepth 2 -name nstop' 2>&1) ||
	got="failed: $got"
case $got in
failed:* | */nstop*) fail "container: with --userns: its cgroups are its own, not the host's" "$got" ;;
*) pass "container: with --userns: its cgroups are its own, not the host's" ;;
esac
got=$("$NSTOP" run --rm --net none -- readlink /proc/self/ns/net 2>&1)
isnt "$got" "net:[$want]" "--net none still makes a namespace of its own"

# bad input: one line, the exit status, and nothing made
touch "/run/netns/nstop-test-file"
ln -s "/proc/$$/ns/net" "/run/netns/nstop-test-link"
touch "/run/netns/nstop-test-uts" && mount --bind /proc/self/ns/uts "/run/netns/nstop-test-uts"
register_cmd "umount /run/netns/nstop-test-uts"
bad() {	# NAME WANT-RC NET-ARG
	local err rc lines
	err=$("$NSTOP" run --rm --name "$RTC-bad" --net "$3" -- true 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" = "$2" ] && [ "$lines" = 1 ] && [ "${err#nstop: }" != "$err" ] &&
	   [ ! -e "$STATE_DIR/$RTC-bad" ]; then
		pass "refused: $1 ($err)"
	else
		fail "refused: $1" "rc $rc (want $2), stderr: $err"
	fi
}
bad "a missing netns" 1 "netns:nstop-test-none-$$"
bad "a regular file in /run/netns" 1 "netns:nstop-test-file"
bad "a symlink in /run/netns" 1 "netns:nstop-test-link"
bad "a uts namespace in /run/netns" 1 "netns:nstop-test-uts"
bad "a netns name with a /" 2 "netns:../$NS"
bad "an empty netns name" 2 "netns:"
bad "a missing container" 1 "container:$RTC-none"
bad "an invalid container name" 2 "container:../x"
bad "an unknown mode" 2 "bridged"
"$NSTOP" rm -f "$A" >/dev/null 2>&1
bad "a removed container" 1 "container:$A"
is "$(ls -A "$STATE_DIR" 2>/dev/null | grep -c -- "$RTC")" 0 \
	"no state left by the refusals or the rm"

done_testing
