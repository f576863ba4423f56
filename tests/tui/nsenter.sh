#!/bin/bash
# E: a shell in the namespaces of a container nstop did not make (runc's),
# from the TUI in a real terminal: the dialog (inodes, what differs from
# nstop's, the explanation as the choice changes), a shell without mnt
# (it writes to the host's /tmp what it sees) and one with every type (it
# writes into the container's root), the TUI back after each, the
# terminal sane after quitting; and E on an nstop container's row.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd runc busybox jq

ID=nstop-test-nsenter-tui-$$
CG=nstop-test-nsenter-tui-$$
HOST=nstop-test-nsenter-tui
OUT=$TUI_DIR/out
mkdir -p "$OUT"

# ---- a runc container with a writable busybox root --------------------------------------
BUNDLE=$(mktemp -d /tmp/nstop-test-nsenter-tui.XXXXXX) || cannot_run "mktemp failed"
register_path "$BUNDLE"
runc_bundle "$BUNDLE" "$CG" '.root.readonly = false | .hostname = "'"$HOST"'"' ||
	cannot_run "no busybox bundle for runc"
runc_start "$ID" "$BUNDLE" "$CG" || cannot_run "runc run: $(cat "$BUNDLE/log")"
P=$RUNC_PID
wait_comm "$P" sleep || cannot_run "runc's container ($P) does not run sleep"

# An nstop container, for E on a container row.
RTC=nstop-test-nsenter-$$
C=$RTC-c
register_cmd "rtc_reap '$C'"
"$NSTOP" run -d --name "$C" --hostname "$C" -- sleep 1000 >"$TUI_DIR/run.err" 2>&1 &&
	wait_state "$C" running 10 || cannot_run "nstop run -d $C: $(cat "$TUI_DIR/run.err")"
CINIT=$(init_pid "$C")
# A pid and mount namespace with the host's /proc still mounted in it.
unshare --pid --mount --fork sleep 1000.771 </dev/null >/dev/null 2>&1 &
register_pid $!
wait_children $! 1 && HP=${KIDS%% *} && wait_comm "$HP" sleep ||
	cannot_run "unshare --pid --mount: no sleep"
# One that will exit while its dialog is open.
unshare --uts sleep 1000.772 </dev/null >/dev/null 2>&1 &
X=$!
disown "$X"	# its death is expected: no job report on stderr
register_pid "$X"
wait_comm "$X" sleep || cannot_run "unshare --uts: no sleep ($X)"

link() { readlink "/proc/$1/ns/$2"; }
# "mnt,net,...," (a trailing comma): the types where the container differs
# from this shell, in the dialog's order.
DIFFER=
for t in mnt net pid uts ipc cgroup user time; do
	[ "$(link "$P" "$t")" != "$(link $$ "$t")" ] && DIFFER="$DIFFER$t,"
done
DIFFER_LIST=${DIFFER%,}

# /bin/sh: dash on Debian, the job-control shell that cannot live in a pid
# namespace without a process group of its own in the terminal's foreground.
tui_start SHELL=/bin/sh
tui_wait "    PID USER" 10

# ---- the dialog ---------------------------------------------------------------------------
ok "digits: the cursor on the runc container's sleep ($P)" tui_select_pid "$P"
tui_keys E
tui_expect "Enter PID $P's namespaces (sleep)" "E: the dialog for PID $P"
row_ok=1
for t in mnt net pid uts ipc; do
	ino=$(link "$P" "$t" | tr -dc 0-9)
	tui_line "] $t " | grep -q "\[x\] $t *$ino *differs from nstop's" ||
		{ row_ok=0; diag "row $t: $(tui_line "] $t ")"; }
done
for t in user time; do
	ino=$(link "$P" "$t" | tr -dc 0-9)
	tui_line "] $t " | grep -q "\[ \] $t *$ino *same as nstop's: nothing to enter" ||
		{ row_ok=0; diag "row $t: $(tui_line "] $t ")"; }
done
ok "each type with its inode; those that differ checked, user and time the same as nstop's" test "$row_ok" = 1
tui_expect "its hostname: $HOST" "the explanation: the shell will see its hostname"
tui_expect "- PID $P's files: / is its root" "... its files (mnt)"
tui_expect "- its processes: 1 in its pid namespace, in its own /proc" "... its processes (pid and mnt: 1, the sleep)"
tui_expect "It will NOT share with PID $P:" "... and what it will not share"
tui_expect "keeps nstop's (root) and all of root's" "... nstop's credentials and capabilities, no seccomp"
tui_expect "it stays in nstop's; its environment: nstop's" "... nstop's cgroup and environment"

# The choice changes the explanation.
tui_keys Space
tui_expect "[ ] mnt" "Space unchecks mnt"
tui_expect "the host's files (nstop's /), not PID $P's" "without mnt: the host's files"
tui_expect "ps reads the host's /proc" "pid without mnt: ps shows the host's processes"
tui_keys Space
tui_expect "[ ] net" "the cursor moved down: Space unchecks net"
tui_expect "its mnt,net namespaces (not chosen)" "the unchecked ones are said to stay nstop's"
tui_keys a
tui_expect "[x] mnt" "a checks every type that differs"
tui_keys a
tui_expect "Nothing chosen to enter" "a again unchecks them all"
tui_keys Enter
tui_expect "Nothing to enter: Space chooses" "Enter with nothing chosen says so"
tui_keys Escape
tui_expect_gone "Enter PID $P's namespaces" "Esc closes the dialog"
tui_expect "Entering PID $P's namespaces: cancelled" "... and says so"
# The Enter menu on a process offers it too.
tui_keys Enter
if tui_wait "a shell in the selected process's namespaces" 5; then
	tui_keys E
	tui_expect "Enter PID $P's namespaces (sleep)" "Enter menu, E: the same dialog"
	tui_keys Escape
	tui_wait_gone "Enter PID $P's namespaces" 3
else
	fail "the Enter menu on a process offers a shell in its namespaces" "$(tui_screen)"
	tui_keys Escape
fi

# ---- a shell without mnt: the host's /tmp, the container's hostname and pids ---------
tui_keys E
tui_wait "Enter PID $P's namespaces" 5
tui_keys Space
tui_wait "[ ] mnt" 3
tui_keys Enter
tui_expect "nstop: a shell in PID $P's ${DIFFER_LIST#mnt,} namespaces; exit it to come back" \
	"Enter: nstop steps aside, one line says where the shell is"
tui_type "hostname > $OUT/nomnt; readlink /proc/self/ns/uts /proc/self/ns/mnt /proc/self/ns/net >> $OUT/nomnt; echo \$\$ >> $OUT/nomnt; echo \$(ls /proc/self/fd) >> $OUT/nomnt; exit 4"
tui_keys Enter
tui_expect "Back from PID $P (the shell exited 4)" "exit: the TUI is back, with the shell's status"
tui_expect "    PID USER" "... with its table"
if [ -s "$OUT/nomnt" ]; then
	mapfile -t L <"$OUT/nomnt"
	is "${L[0]}" "$HOST" "inside (no mnt): the container's hostname"
	is "${L[1]}" "$(link "$P" uts)" "inside: the container's uts namespace"
	is "${L[2]}" "$(link $$ mnt)" "inside: the host's mount namespace (it wrote to the host's /tmp)"
	is "${L[3]}" "$(link "$P" net)" "inside: the container's network namespace"
	ok "inside: \$\$ (${L[4]}) is a pid of the container's pid namespace, not the host's" \
		test -n "${L[4]}" -a "${L[4]}" -lt 100
	is "${L[5]}" "0 1 2 3" "inside: none of nstop's files open (ls sees its stdio and its own directory)"
else
	fail "the shell without mnt wrote what it saw to $OUT/nomnt" "$(tui_screen)"
fi

# ---- a shell with every type: in the container's root --------------------------------------
tui_keys E
tui_wait "Enter PID $P's namespaces" 5
tui_keys Enter
tui_expect "nstop: a shell in PID $P's ${DIFFER_LIST} namespaces" "all: a shell in every namespace that differs ($DIFFER_LIST)"
tui_type 'hostname > /seen; readlink /proc/self/ns/uts >> /seen; readlink /proc/self/ns/mnt >> /seen; cat /proc/1/comm >> /seen; echo /proc/[0-9]* | wc -w >> /seen; exit 0'
tui_keys Enter
tui_expect "Back from PID $P (the shell exited 0)" "exit: back in the TUI"
if [ -s "$BUNDLE/rootfs/seen" ]; then
	mapfile -t L <"$BUNDLE/rootfs/seen"
	is "${L[0]}" "$HOST" "inside (all): the container's hostname"
	is "${L[1]}" "$(link "$P" uts)" "inside: its uts namespace"
	is "${L[2]}" "$(link "$P" mnt)" "inside: its mount namespace (it wrote into its root)"
	is "${L[3]}" sleep "inside: its /proc: pid 1 is the container's sleep"
	ok "inside: a handful of processes (${L[4]}), not the host's" test "${L[4]}" -ge 2 -a "${L[4]}" -le 6
else
	fail "the shell with mnt wrote into the container's root ($BUNDLE/rootfs/seen)" "$(tui_screen)"
fi

# ---- E on an nstop container's row: its init --------------------------------------------
tui_keys BTab
tui_wait "NAME " 3
tui_keys '\'
tui_type "$C"
tui_keys Enter
tui_wait "filter: $C" 3 && tui_wait "$C " 5
tui_keys E
tui_expect "Enter PID $CINIT's namespaces" "E on a container row: its init ($CINIT)"
tui_expect "container $C" "... named as its container"
tui_expect "its hostname: $C" "... with its hostname"
tui_expect "(e gives a shell inside $C with its confinement" "... and e pointed to for a shell with its confinement"
tui_keys Escape
tui_wait_gone "Enter PID $CINIT's" 3

# ---- pid and mnt, but the host's /proc in its root: ps would show the host's -------------
tui_keys Tab
tui_wait "    PID USER" 3
tui_keys Escape
tui_wait_gone "filter: $C" 3
tui_select_pid "$HP"
tui_keys E
tui_expect "Enter PID $HP's namespaces (sleep)" "E on an unshare'd sleep ($HP)"
tui_expect "but its root's /proc is nstop's" \
	"pid and mnt with the host's /proc in its root: ps would list the host's, it says"
tui_keys Escape
tui_wait_gone "Enter PID $HP's" 3

# ---- the target exits while the dialog is open ---------------------------------------------
tui_select_pid "$X"
tui_keys E
tui_expect "Enter PID $X's namespaces (sleep)" "E on a sleep with a uts namespace ($X)"
kill -KILL "$X"
wait_gone "$X"
tui_keys Enter
if tui_wait "Enter PID $X: " 5 && tui_screen | grep -Eq "Enter PID $X: (no such process|PID $X has exited)"; then
	pass "it exits, then Enter: the status line says it is gone, no shell"
else
	fail "it exits, then Enter: the status line says it is gone, no shell" "$(tui_screen)"
fi
tui_expect_gone "Enter PID $X's namespaces" "... and the dialog is closed"

# ---- quit ----------------------------------------------------------------------------
tui_keys q
is "$(tui_status)" 0 "q: nstop exits 0"
ok "the terminal is back in cooked mode with echo (stty -a)" tui_terminal_sane
ok "nothing of the shells is left in the container's pid namespace" \
	test "$(for p in /proc/[0-9]*; do readlink "$p/ns/pid" 2>/dev/null; done | grep -cxF "$(link "$P" pid)")" = 1

# ---- the command line, on a terminal: dash in another pid namespace -----------------------
tui_start SHELL=/bin/sh -- enter "$HP" -n pid
tui_wait "#" 5 || tui_wait "$" 3
tui_type "echo \$\$ > $OUT/dash; exit 3"
tui_keys Enter
is "$(tui_status)" 3 "nstop enter $HP -n pid on a terminal: the shell's exit status (3), no 'Cannot set tty process group'"
is "$(cat "$OUT/dash" 2>/dev/null)" 2 "... its \$\$ was 2 in that pid namespace"
ok "the terminal is back in cooked mode with echo (stty -a)" tui_terminal_sane

done_testing
