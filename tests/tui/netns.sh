#!/bin/bash
# A net namespace no process is in, kept by ip netns add's bind mount in a
# mount namespace of this test's own: the Namespaces view lists it (0
# processes) and names it where its row shows it, as `nstop ns` does; and
# one kept only by a process's open descriptor, which it lists too (as
# `nstop ns` and lsns do: it reads the descriptors while it is shown).
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare nsenter ip stat

NAME=nstop-test-tui-netns-$$
mkdir -p /run/netns
# The holder: a sleep in a private mount namespace whose /run/netns is a
# tmpfs of its own, where ip netns add bind-mounts the new namespace.
spawn_bg unshare --mount --propagation private sh -c \
	"mount -t tmpfs nstop-test /run/netns && ip netns add $NAME && exec sleep 1000"
HOLDER=$SPAWNED
wait_comm "$HOLDER" sleep || cannot_run "ip netns add in a private mount namespace failed"
INO=$(nsenter -t "$HOLDER" -m stat -L -c %i "/run/netns/$NAME")
[ -n "$INO" ] || cannot_run "the namespace's inode cannot be read"

# The second holder: a shell that opens a new net namespace's file, ends the
# namespace's only process (by its PID) and keeps the descriptor as a sleep.
spawn_bg bash -c 'unshare -n sleep 1000 & p=$!
	for i in $(seq 50); do [ "$(readlink /proc/$p/ns/net)" != "$(readlink /proc/$$/ns/net)" ] && break; sleep 0.1; done
	exec 7</proc/$p/ns/net; kill $p; wait $p; exec sleep 1000'
FDHOLDER=$SPAWNED
wait_comm "$FDHOLDER" sleep || cannot_run "the descriptor's holder did not start"
FDINO=$(stat -L -c %i "/proc/$FDHOLDER/fd/7" 2>/dev/null)
[ -n "$FDINO" ] && [ "$FDINO" != "$(stat -L -c %i /proc/self/ns/net)" ] ||
	cannot_run "the held namespace's inode cannot be read"

tui_start -- -d 0.5
tui_expect "    PID USER" "the table"
tui_keys Tab
tui_expect "TYPE           NS  NPROCS" "Tab: the Namespaces view"
tui_keys /
tui_type "$INO"
tui_keys Enter
tui_expect "net    $INO       0" "the held namespace is listed, 0 processes"
tui_expect "@ /run/netns/$NAME" "its row names it: @ /run/netns/$NAME"
tui_keys /
tui_keys C-u
tui_type "$FDINO"
tui_keys Enter
tui_expect "net    $FDINO       0" "a namespace only a descriptor holds is listed, 0 processes"
tui_keys q
is "$(tui_status)" 0 "q quits"
done_testing
