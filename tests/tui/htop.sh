#!/bin/bash
# htop's keys, tried as an htop user would (issue 19): keys that only look
# in htop only look here (S, m, +, -, x, u, e, l); Alt-k is one key; htop's
# sorts (P M T N, the F6 menu), the user filter (u), kernel threads (K),
# a|b in the filter, tagging a subtree (c), the command line (w), the
# environment (e), the open files (l), strace (s), nice (F7 F8), pause (Z),
# hidden meters (#) and the horizontal scroll (Right), each against what
# the kernel says of processes this test started.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv
CFG=$TUI_DIR/cfg
NSTOP_HTOP_VAR=nstop-htop-value-$$
# An environment of one variable: the e screen shows all of it.
spawn_bg env -i NSTOP_HTOP_VAR=$NSTOP_HTOP_VAR sleep 1000.601
S1=$SPAWNED
spawn_bg sleep 1000.602
S2=$SPAWNED
spawn_bg setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000.603
NOBODY=$SPAWNED
spawn_bg sh -c 'sleep 1000.604 & sleep 1000.605 & wait'
PARENT=$SPAWNED
# An open file the l screen must list, on descriptor 7.
: >"$TUI_DIR/open-file-$$"
spawn_bg sh -c 'exec 7<"$0"; exec sleep 1000.606' "$TUI_DIR/open-file-$$"
FILER=$SPAWNED
wait_comm "$S1" sleep && wait_comm "$NOBODY" sleep && wait_comm "$FILER" sleep &&
	wait_children "$PARENT" 2 || cannot_run "the sleepers did not start"

tui_start XDG_CONFIG_HOME=$CFG -- -d 2
tui_expect "every 2s" "started"

# ---- keys that only look in htop change nothing here
tui_keys M-k
tui_expect "Alt-k: no action" "Alt-k is one key, not Esc then k"
tui_wait "Signal to" 1 && fail "Alt-k opens no signal menu" "$(tui_screen)" || pass "Alt-k opens no signal menu"
tui_keys Escape + - -
sleep 0.3
tui_expect "every 2s" "+ and - leave the refresh interval alone"
tui_keys S
tui_expect "Save the settings to" "S: the setup screen"
ok "S wrote no config file" test ! -e "$CFG/nstop/config"
tui_keys Right Right
tui_expect "Refresh every 1s" "setup: Right refreshes faster"
tui_keys Down Enter
tui_expect "Write theme, interval, sort, view and tree to" "setup: saving asks first"
tui_keys n
sleep 0.3
ok "n: still no config file" test ! -e "$CFG/nstop/config"
tui_keys S Down Enter y
tui_expect "Saved to $CFG/nstop/config" "y: saved"
is "$(sed -n 's/^interval = //p' "$CFG/nstop/config")" 1 "the config holds the interval set in setup"
tui_keys m
tui_expect "Command column always shows the whole command line" "m: no move menu, a word on htop's merged command"
tui_wait " into" 1 && fail "m opens no move menu" "$(tui_screen)" || pass "m opens no move menu"

# ---- the status line comes from the key table
tui_expect "F1Help F2Setup F3Search" "the status line: htop's function keys first"

# ---- sorts
tui_keys P
tui_expect "Sorted by %CPU" "P: by %CPU"
tui_keys M
tui_expect "Sorted by RES" "M: by memory (RES)"
tui_keys T
tui_expect "Sorted by TIME" "T: by cpu time"
tui_keys N
tui_expect "Sorted by PID" "N: by PID"
TROW=$(tui_row_of "    PID USER")
set -- $(tui_screen | sed -n "$((TROW + 2)),$((TROW + 3))p" | awk '{ print $1 }')
if [ "${1:-x}" -lt "${2:-0}" ] 2>/dev/null; then pass "N: the lowest PID first, as htop"; else fail "N: lowest first" "$1 $2"; fi
tui_keys F6
tui_expect "Sort by" "F6: the sort menu"
tui_keys Escape .
tui_expect "Sort by" ".: the sort menu"
tui_keys Home Enter
tui_expect "Sorted by PID" "the sort menu: Enter sorts by the chosen column"

# ---- filters: a|b, u, K
tui_keys F4
tui_type "1000.601|1000.602"
tui_keys Enter
tui_expect "sleep 1000.601" "a|b: the first alternative"
tui_expect "sleep 1000.602" "a|b: the second alternative"
tui_expect_gone "sleep 1000.603" "a|b: nothing else"
tui_keys Escape
tui_expect_gone "filter: " "Esc clears the filter"
tui_keys u
tui_expect "Show processes of" "u: the user menu"
# A letter goes to the next name starting with it.
tui_keys n
tui_keys Enter
tui_expect "Only nobody's processes" "u: only one user's processes"
tui_expect "sleep 1000.603" "u nobody: its sleep"
tui_expect_gone "sleep 1000.601" "u nobody: no root process"
tui_keys u Home Enter
tui_expect "All users" "u, All users: every process again"
tui_expect_gone "one user" "  the tab line no longer says one user"
tui_expect "kthreadd" "kernel threads are listed"
tui_keys K
tui_expect_gone "kthreadd" "K: kernel threads hidden"
tui_keys K
tui_expect "kthreadd" "K again: shown"

# ---- c: a subtree tagged
tui_select_pid "$PARENT"
tui_keys c
tui_expect "3 processes tagged" "c: the shell and its two children tagged"
tui_keys U

# ---- w, e, l: one process's command line, environment, open files
tui_select_pid "$S1"
tui_keys w
tui_expect "Command line of PID $S1" "w: the command line screen"
tui_expect_re "^1000\.601 *$" "w: one argument a line"
tui_keys Escape e
tui_expect "Environment of PID $S1" "e: the environment screen"
tui_expect "NSTOP_HTOP_VAR=$NSTOP_HTOP_VAR" "e: a variable the process has"
tui_keys Escape
tui_select_pid "$FILER"
tui_keys l
tui_expect "Open files of PID $FILER" "l: the open files screen"
tui_expect_re "^ +7 +REG +r .*open-file-$$" "l: descriptor 7, a regular file, read-only, by name"
tui_keys Escape

# ---- F7, F8: nice, as the kernel says
tui_select_pid "$S2"
tui_keys F8
tui_expect "PID $S2: nice 1" "F8: nice +1"
is "$(awk '{ print $19 }' /proc/$S2/stat)" 1 "the kernel says nice 1"
tui_keys F7
tui_expect "PID $S2: nice 0" "F7: nice -1 (root)"
is "$(awk '{ print $19 }' /proc/$S2/stat)" 0 "the kernel says nice 0"

# ---- Right: the lines scroll; Z; #
tui_select_pid "$S1"
tui_keys Right
tui_expect_re "^ *$S1 .* 00\.601 *\$" "Right: the command line scrolled by 8"
tui_keys Left
tui_expect_re "^ *$S1 .*sleep 1000\.601" "Left: back"
tui_keys '#'
tui_expect_gone " processes   " "#: the header is hidden"
tui_keys '#'
tui_expect " processes   " "# again: shown"
# The filter first: a new process would be below the screen's last row.
tui_keys F4
tui_type "1000.607"
tui_keys Enter
tui_expect "Nothing matches the filter" "filter 1000.607: nothing yet"
tui_keys Z
tui_expect "PAUSED" "Z: paused"
spawn_bg sleep 1000.607
LATE=$SPAWNED
sleep 2.5
tui_wait "sleep 1000.607" 1 && fail "paused: a new process is not shown" "$(tui_screen)" ||
	pass "paused: a new process is not shown"
tui_keys Z
tui_expect "sleep 1000.607" "Z again: the refresh resumes" 5
tui_keys Escape
tui_keys q
is "$(tui_status)" 0 "q quits"

# ---- s: strace, or why not
tui_start "PATH=/nonexistent" -- -d 2
tui_expect "    PID USER" "started without strace on PATH"
tui_select_pid "$S1"
tui_keys s
tui_expect "strace is not installed" "s without strace: says so"
tui_keys q
is "$(tui_status)" 0 "q quits"
if command -v strace >/dev/null; then
	tui_start -- -d 2
	tui_expect "    PID USER" "started"
	tui_select_pid "$S1"
	tui_keys s
	tui_expect "strace -p $S1 (sleep); Ctrl-C ends it" "s: strace takes the terminal"
	sleep 0.5
	tui_keys C-c
	tui_expect "Back from strace -p $S1" "Ctrl-C ends strace, nstop is back"
	tui_keys q
	is "$(tui_status)" 0 "q quits"
fi
done_testing
