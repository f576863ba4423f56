#!/bin/bash
# The actions on nstop's containers from the TUI, against real containers
# and the kernel's own files: the Enter menu (on a container, on a process,
# on an empty view), freeze and thaw (freezer.state or cgroup.freeze), move
# (cgroup.procs in every hierarchy, and the reasons for refusing), enter (a
# shell inside: the hostname and pid count it sees, the terminal after
# coming back), the log followed live, kill with a wait that Esc cancels,
# and remove with its confirmation (nothing left in any hierarchy).
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq
find_freezer || cannot_run "no freezer (v1 freezer or cgroup2) is mounted"

# Every name of ours starts with $RTC: rt-lib's rtc_reap removes what is left.
RTC=nstop-test-act-$$
OUT=$TUI_DIR/out
mkdir -p "$OUT"
# The default root is the host's, read-only: a volume needs a target that
# exists there, and writes go to the volume.
VOL=
for d in /mnt /srv /opt /media; do
	[ -d "$d" ] && { VOL=$d; break; }
done
[ -n "$VOL" ] || cannot_run "no empty-ish directory (/mnt, /srv...) to mount a volume on"

# act_run SUFFIX ARG...: a detached container $RTC-SUFFIX, running.
act_run() {
	local n=$RTC-$1
	shift
	register_cmd "rtc_reap '$n'"
	"$NSTOP" run -d --name "$n" "$@" >"$TUI_DIR/run-$n.err" 2>&1 &&
		wait_state "$n" running 10 ||
		cannot_run "nstop run -d $n: $(cat "$TUI_DIR/run-$n.err")"
}

# The kernel's word on the freezer of container NAME: FROZEN/THAWED (v1) or
# "frozen 1"/"frozen 0" (v2).
freezer_of() {
	local d=$FRZ_MNT/$CG_PARENT/$1
	if [ "$FRZ_V" = 1 ]; then cat "$d/freezer.state"
	else grep -x 'frozen [01]' "$d/cgroup.events"
	fi
}

# select_container NAME: the Containers view, filtered down to NAME (the
# cursor is then on it).
select_container() {
	tui_keys Escape
	tui_keys '\'
	tui_type "$1"
	tui_keys Enter
	tui_wait "filter: $1" 3 && tui_wait "$1 " 5
}

A=$RTC-main
act_run main -v "$OUT:$VOL" -- sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done'
K=$RTC-kill
act_run kill -- sleep 1000
T=$RTC-stubborn
act_run stubborn -- sh -c 'trap "" TERM; while :; do sleep 0.5; done'
# A log bigger than the viewer keeps (it reads the last 4 MiB).
B=$RTC-big
act_run big -- sh -c 'yes "filler line 0123456789" | head -c 6000000; echo LAST-LINE; exec sleep 1000'
# A foreground container has no log: its output goes to its terminal.
F=$RTC-fg
register_cmd "rtc_reap '$F'"
spawn_bg "$NSTOP" run --name "$F" -- sleep 1000
wait_state "$F" running 10 || cannot_run "nstop run $F (foreground) did not start"
spawn_bg sleep 1000.611
S1=$SPAWNED
spawn_bg sleep 1000.612
S2=$SPAWNED
AINIT=$(init_pid "$A")

tui_start
tui_wait "    PID USER" || fail "nstop starts" "$(tui_screen)"

# ---- the menu on a process row
ok "digits: the cursor on our sleep" tui_select_pid "$S2"
tui_keys Enter
tui_expect "Process $S2 (sleep)" "Enter on a process: its menu"
for item in "E   a shell in the selected process's namespaces" "J   move a process into a container" \
	    "F9  send a signal" "v   view from" "d   detail pane" "w   the selected process's whole command line"; do
	tui_wait "$item" 2 || fail "the process menu lists '$item'" "$(tui_screen)"
done
pass "the process menu lists E J F9 v d w with their keys (from the key table)"
tui_keys Escape
tui_expect_gone "Process $S2 (sleep)" "Esc closes the menu"
tui_keys Enter d
tui_expect "Detail: process $S2 (sleep)" "the menu's d: the detail pane"
tui_keys d

# ---- move from the Processes view: a menu of the running containers
tui_select_pid "$S2"
tui_keys J
if tui_wait "Move PID $S2 (sleep) into" 3; then
	pass "J on a process: the containers to move it into"
	# The item of our container: its key when it has one, else Down to it.
	row=$(tui_screen | grep -nF "  $A (running)" | head -1 | cut -d: -f1)
	first=$(tui_screen | grep -nF "Move PID $S2 (sleep) into" | head -1 | cut -d: -f1)
	if [ -n "$row" ] && [ -n "$first" ]; then
		for ((i = first + 1; i < row; i++)); do tui_keys Down; done
		tui_keys Enter
		tui_wait "Move PID $S2 into container $A?"
		if in_all_hierarchies "$S2" "$A" 2>/dev/null; then
			fail "  nothing moved before the answer"
		else
			pass "  nothing moved before the answer"
		fi
		tui_confirm "Move PID $S2 into container $A?" "picking $A asks first"
		tui_expect "Moved $S2 into $A" "y: moved (status line)"
		if in_all_hierarchies "$S2" "$A"; then
			pass "  and the kernel has it in /$CG_PARENT/$A in every hierarchy"
		else
			fail "  and the kernel has it in /$CG_PARENT/$A in every hierarchy"
		fi
	else
		fail "the menu lists $A (running)" "$(tui_screen)"
	fi
else
	fail "J on a process: the containers to move it into" "$(tui_screen)"
fi

# ---- the menu on a container row
tui_keys BTab
tui_expect " Containers" "Shift-Tab: the Containers view"
select_container "$A" || fail "the filter finds $A" "$(tui_screen)"
tui_keys Enter
tui_expect "Container $A (running)" "Enter on a container: its menu"
for item in "z   freeze or thaw" "L   change the selected container's limits" \
	    "J   move a process into a container" "X   a shell inside the selected container" \
	    "O   the selected container's log" "F9  send a signal" "D   remove the selected container" \
	    "E   a shell in the selected process's namespaces" "r   run a new container"; do
	tui_wait "$item" 2 || fail "the container menu lists '$item'" "$(tui_screen)"
done
pass "the container menu lists z L J X O F9 D E r with their keys (from the key table)"
tui_keys Escape
tui_expect_gone "Container $A (running)" "Esc closes it"
tui_keys Enter q
tui_wait_gone "Container $A (running)" 3
is "$(tui_status 1)" running "  (nstop still runs after q in the menu)"

# ---- freeze from the menu, thaw with z
t0=$(date +%s%N)
tui_keys Enter z
tui_expect "Freeze container $A? Its processes stop until it is thawed." "menu, z: asks first"
tui_keys y
tui_expect "Froze $A" "y: frozen (status line)"
diag "Enter z to 'Froze' on the screen: $((($(date +%s%N) - t0) / 1000000)) ms"
if wait_row_state "$A" frozen; then
	pass "  the row says frozen"
else
	fail "  the row says frozen" "$(tui_line "$A ")"
fi
case $(freezer_of "$A") in
FROZEN | "frozen 1") pass "  the kernel's freezer says $(freezer_of "$A")" ;;
*) fail "  the kernel's freezer says frozen" "it says '$(freezer_of "$A")'" ;;
esac
tui_keys Enter
tui_expect "z   thaw the container" "the menu of a frozen container offers thaw"
tui_keys Escape
# A process moved into a frozen container freezes with it: said.
spawn_bg sleep 1000.613
S3=$SPAWNED
tui_keys J C-u
tui_type "$S3"
tui_keys Enter
tui_expect "Moved $S3 into $A (it is frozen now, as the container is)" \
	"J into a frozen container: says the process is frozen now"
tui_keys z
tui_expect "Thaw container $A?" "z on a frozen one: asks to thaw"
tui_keys y
tui_expect "Thawed $A" "y: thawed (status line)"
if wait_row_state "$A" running; then
	pass "  the row says running"
else
	fail "  the row says running" "$(tui_line "$A ")"
fi
case $(freezer_of "$A") in
THAWED | "frozen 0") pass "  the kernel's freezer says $(freezer_of "$A")" ;;
*) fail "  the kernel's freezer says thawed" "it says '$(freezer_of "$A")'" ;;
esac

# ---- move from a container row: the prompt (Up/Down and Enter in the menu)
tui_keys Enter Down Down Down Enter
tui_expect "Move PID into $A:" "menu, Down Down Down Enter: the move prompt"
tui_keys C-u
tui_type "$S1"
tui_keys Enter
tui_expect "Moved $S1 into $A" "a PID typed: moved (status line)"
if in_all_hierarchies "$S1" "$A"; then
	pass "  in /$CG_PARENT/$A in every hierarchy"
else
	fail "  in /$CG_PARENT/$A in every hierarchy"
fi
if grep -qx "$S1" "$FRZ_MNT/$CG_PARENT/$A/cgroup.procs"; then
	pass "  listed in the freezer's cgroup.procs"
else
	fail "  listed in the freezer's cgroup.procs"
fi
NOPID=$(($(cat /proc/sys/kernel/pid_max) + 1))
tui_keys J C-u
tui_type "$NOPID"
tui_keys Enter
tui_expect "Move into $A: no process with pid $NOPID" "a PID that does not exist: said why"
tui_keys J C-u
tui_type 2
tui_keys Enter
tui_expect "pid 2 is a kernel thread" "a kernel thread: said why"
tui_keys J C-u
tui_type "12x"
tui_keys Enter
tui_expect "'12x' is not a process id" "not a number: said so"
tui_keys J
tui_wait "Move PID into $A:"
tui_keys Escape
tui_expect "Nothing moved" "Esc: nothing moved"

# ---- enter: a shell inside; the TUI steps aside and comes back
rm -f "$OUT/h" "$OUT/n" "$OUT/stty"
tui_keys X
if tui_wait "nstop: a shell in $A; exit it to come back" 5; then
	pass "X: the TUI steps aside and says where the shell is"
else
	fail "X: the TUI steps aside and says where the shell is" "$(tui_screen)"
fi
tui_type "hostname >$VOL/h; ls /proc | grep -c '^[0-9]' >$VOL/n; stty -a >$VOL/stty; exit"
tui_keys Enter
tui_expect "Back from $A (the shell exited 0)" "exit: back in the TUI, the status says so" 10
tui_expect_re "^NAME +STATE +PID MEMLIMIT" "  with the Containers table drawn again"
tui_expect_re "$A +running" "  and the container's row"
is "$(cat "$OUT/h" 2>/dev/null)" "$A" "the shell inside saw the container's hostname"
n=$(cat "$OUT/n" 2>/dev/null)
if [ -n "$n" ] && [ "$n" -ge 2 ] && [ "$n" -lt 10 ]; then
	pass "the shell inside saw its own pid namespace ($n processes)"
else
	fail "the shell inside saw its own pid namespace" "it counted '$n' processes"
fi

if grep -qw icanon "$OUT/stty" && grep -qw echo "$OUT/stty" && ! grep -qw -- -icanon "$OUT/stty"; then
	pass "the shell had the terminal in cooked mode with echo (stty -a inside)"
else
	fail "the shell had the terminal in cooked mode with echo (stty -a inside)" "$(cat "$OUT/stty" 2>&1)"
fi

# ---- the log, followed live
tui_keys O
tui_expect "Log of $A: following" "O: the log, following"
tui_expect "tick " "  the payload's output is shown"
last=$(tui_screen | sed -n 's/^tick \([0-9]*\)$/\1/p' | sort -n | tail -1)
if [ -n "$last" ] && tui_wait "tick $((last + 5))" 8; then
	pass "  new lines appear while it is open (tick $last, then tick $((last + 5)))"
else
	fail "  new lines appear while it is open" "$(tui_screen)"
fi
tui_keys Up
tui_expect "Log of $A: lines " "Up: scrolled, the title gives the position"
top=$(tui_screen | grep -m1 '^tick ')
sleep 1.5
is "$(tui_screen | grep -m1 '^tick ')" "$top" "  scrolled back, new lines do not move it"
tui_keys Home
tui_wait "Log of $A: lines 1-" 3
is "$(tui_screen | grep -m1 '^tick ')" "tick 1" "Home: the first line"
tui_keys End
tui_expect "Log of $A: following" "End: following again"
tui_keys q
tui_expect_gone "Log of $A" "q closes the log"
is "$(tui_status 1)" running "  and nstop still runs"
for i in $(seq 100); do
	grep -q LAST-LINE "$STATE_DIR/$B/log" 2>/dev/null && break
	sleep 0.1
done
select_container "$B"
tui_keys O
tui_expect "LAST-LINE" "a 6 MB log: its last line is shown"
tui_expect "(older ones dropped)" "  the title says older lines were dropped"
tui_keys Home
tui_expect "Log of $B: lines " "  Home: the first line kept"
is "$(tui_screen | sed -n 5p)" "filler line 0123456789" "  which is a whole line of the log"
diag "nstop's memory with it open: $(grep VmRSS "/proc/$TUI_PID/status")"
tui_keys Escape
select_container "$F"
tui_keys O
tui_expect "$F ran in the foreground" "O on a foreground container: it has no log"

# ---- kill: TERM, and waiting for it to stop
select_container "$K"
tui_keys k
tui_expect "Signal to container ${K:0:20}" "k: the signal menu for the container"
tui_keys Enter
tui_expect "Send SIGTERM to container $K? y/n" "  asks"
tui_keys y
tui_expect "$K stopped" "y: the container stopped (status line)" 10
if wait_row_state "$K" exited; then
	pass "  the row says exited"
else
	fail "  the row says exited" "$(tui_line "$K ")"
fi
is "$(list_get "$K" .state)" '"exited"' "  nstop list -J says exited"
tui_expect_re "$K +exited 143 " "  the row says how it ended (SIGTERM: 143, as nstop list's EXIT)"
tui_keys Enter
tui_expect "Container $K (exited 143)" "Enter on an exited one: its menu says how it ended"
if tui_screen | grep -qE "freeze or thaw|change the selected|move a process"; then
	fail "  and offers no action it would refuse" "$(tui_screen)"
else
	pass "  and offers no action it would refuse"
fi
tui_expect "remove the selected container" "  but Remove"
tui_keys Escape

# A payload that ignores TERM: the wait goes on until Esc.
select_container "$T"
tui_keys k Enter y
tui_expect "Stopping $T (SIGTERM sent)..." "TERM to a container that ignores it: waiting, said"
tui_keys Escape
tui_expect "$T: no longer waiting; the signal was sent" "Esc: no longer waiting"
is "$(list_get "$T" .state)" '"running"' "  it still runs"

# ---- remove: asks; n keeps it, y removes it
select_container "$K"
tui_keys D
tui_expect "Remove $K? y/n" "D: asks first"
tui_keys n
tui_expect "$K kept" "n: kept"
ok "  its state is still there" test -d "$STATE_DIR/$K"
tui_keys D y
tui_expect "Removed $K" "D, y: removed (status line)"
assert_gone "$K"
TINIT=$(init_pid "$T")
select_container "$T"
tui_keys D
tui_expect_re "It is running: its [23] processes will be killed\. y/n" "D on a running one: says how many processes will be killed (init, sh, its sleep)"
tui_keys y
tui_expect "Removed $T" "y: killed and removed" 10
assert_gone "$T" "$TINIT"

# ---- the detail pane of a busy container: its cpu, from wherever the
# kernel accounts it (cpuacct on v1, not the memory hierarchy it plots)
# (with a mount of each kind: where each comes from is in the pane)
register_cmd "'$NSTOP' volume rm '$RTC-v'; rm -rf --one-file-system '/var/lib/nstop/volumes/$RTC-v'"
act_run busy --cpus 0.3 -v "$RTC-v:/tmp/n" -v /tmp/a -v "$OUT:$VOL:ro" -- sh -c 'while :; do :; done'
select_container "$RTC-busy"
tui_keys d
tui_expect "Detail: cgroup /$CG_PARENT/$RTC-busy " "d on a container: its cgroup's detail"
tui_expect_re "processes [0-9]+  cpu [1-9][0-9]*\.[0-9]%" "  with its cpu use (not '-')" 10
tui_expect "CPU% now" "  and the cpu plot has samples"
tui_expect "mount /tmp/n: volume $RTC-v" "  its named volume, by name"
tui_expect_re "mount /tmp/a: anonymous volume [0-9a-f]{12}" "  its anonymous volume"
tui_expect "mount $VOL (ro): host " "  and its host path, read-only"
tui_keys d

# ---- an empty Containers view: the menu offers to run one
tui_keys Escape '\'
tui_type "$RTC-none-such"
tui_keys Enter
tui_wait "filter: $RTC-none-such"
tui_keys Enter
tui_expect "r  run a new container" "Enter on an empty view: r, run a new container"
tui_keys Escape

# ---- quitting leaves the terminal sane, after a shell came and went
tui_keys Escape q
is "$(tui_status)" 0 "q: exit 0"
ok "the terminal is restored (stty: icanon, echo)" tui_terminal_sane
ok "$A still runs after nstop quits" test -e "/proc/$AINIT"

# ---- a FIFO planted as a state file: the view starts, lists it as broken,
# and removes it
F=$RTC-fifo
register_cmd "rtc_reap '$F'"
mkdir -p "$STATE_DIR/$F"
mkfifo "$STATE_DIR/$F/state.json"
tui_start -- -d 0.5
tui_expect "    PID USER" "a FIFO as a state file: the view starts (no hang)"
tui_keys BTab
tui_expect " Containers" "  the Containers view"
select_container "$F"
is "$(state_of "$F")" broken "  the FIFO's container is listed as broken"
tui_keys q
is "$(tui_status)" 0 "  q: exit 0"
timeout 10 "$NSTOP" rm -f "$F" >/dev/null 2>&1
is "$?" 0 "  rm -f removes it"

done_testing
