#!/bin/bash
# The Namespaces view's detail pane of a net namespace (issue 17): its
# interfaces (name, kind, state, addresses) and a veth's peer across
# namespaces, which `ip link` in either one cannot show. Inside a network and
# mount namespace of the test's own (net-lib.sh: nothing touches the
# machine's network): a veth pair between that "host" namespace and one that
# `ip netns add` made, with an address on each end; the pane of each side
# names the other's end and namespace.
. "$(dirname "$0")/../system/net-lib.sh"
net_host_enter "$0" "$@"
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip unshare mount stat
net_host_setup || cannot_run "cannot make the test's own host namespaces"
NAME=nstop-test-topo-$$
H=nst-h$$
P=nst-p$$
ip netns add "$NAME" || cannot_run "ip netns add $NAME"
register_cmd "ip netns del $NAME"
ip link add "$H" type veth peer name "$P" netns "$NAME" &&
	ip addr add 10.251.0.1/24 dev "$H" && ip link set "$H" up &&
	ip -n "$NAME" addr add 10.251.0.2/24 dev "$P" && ip -n "$NAME" link set "$P" up &&
	ip -n "$NAME" link set lo up || cannot_run "a veth pair into $NAME"
INO=$(stat -L -c %i "/run/netns/$NAME")
HOST=$(stat -L -c %i /proc/self/ns/net)
[ -n "$INO" ] && [ -n "$HOST" ] || cannot_run "the namespaces' inodes cannot be read"

# select ROW_INODE: the Namespaces view's cursor on that namespace's row.
select_ns() {
	tui_keys /
	tui_type "$1"
	tui_keys Enter
}

tui_start -- -d 0.5
tui_expect "    PID USER" "nstop starts"
tui_keys Tab
tui_expect "TYPE           NS  NPROCS" "Tab: the Namespaces view"
select_ns "$INO"
tui_keys d
tui_expect "Detail: net namespace $INO @ /run/netns/$NAME" \
	"d on a net namespace's row: the pane names the namespace and where it is bound"
tui_expect_re "^ NAME +KIND +STATE +ADDRESSES" "  its interfaces under NAME, KIND, STATE, ADDRESSES"
tui_expect_re "^ lo +- +UNKNOWN +127\.0\.0\.1/8" "  lo: no kind, its state and address"
tui_expect_re "^ $P +veth +UP +10\.251\.0\.2/24" "  the veth: kind veth, UP, its address"
tui_expect_re "^ +peer $H in net:$HOST \(pid [0-9]+ [^)]+\)$" \
	"  and its peer: the other end's name and namespace, with a process in it"

# The other side: the peer is named with where its namespace is bound.
select_ns "$HOST"
tui_expect "Detail: net namespace $HOST" "the test's host namespace selected"
tui_expect_re "^ $H +veth +UP +10\.251\.0\.1/24" "  its end of the pair, UP, with its address"
tui_expect_re "^ +peer $P in net:$INO \(@ /run/netns/$NAME\)$" \
	"  its peer in the namespace ip netns add made, named by its bind mount"

# Another kind of namespace keeps the pane of its lowest process.
select_ns "$(stat -L -c %i /proc/self/ns/mnt)"
tui_expect "Detail: process " "a mount namespace's row: its lowest process's pane, as before"
tui_keys d q
is "$(tui_status)" 0 "q quits"
done_testing
