#!/bin/bash
# Never a broken terminal: resizing at any moment (below 80x24 a message),
# the terminal back in cooked mode with echo after q, SIGINT, SIGTERM,
# SIGHUP and a crash (SIGSEGV), each with the status the shell expects;
# TERM=vt100 and NO_COLOR without colour; an unprivileged user, who sees "-" for what
# it cannot read, never 0; UTF-8 and braille plots; a bounded run for
# leak checkers (NSTOP_UI_MAX_REFRESHES); curses, loaded when the view
# starts, mapped by it.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv

# ---- resize
tui_start -- -d 0.3
tui_expect "    PID USER" "starts at 120x40"
# curses is the view's alone, loaded with dlopen when it starts (the
# other verbs and a launch map none of it: tests/system/rt-lazy-libs.sh)
ok "the view maps libncursesw and libtinfo" eval \
	'grep -q "/libncursesw\.so" "/proc/$TUI_PID/maps" && grep -q "/libtinfo\.so" "/proc/$TUI_PID/maps"'
tmux -L "$TUI_SOCK" resize-window -t 0 -x 70 -y 20
tui_expect "needs a terminal of at least 80x24" "70x20: a clear message instead of the table"
tui_expect "this one is 70x20" "the message gives the size"
tmux -L "$TUI_SOCK" resize-window -t 0 -x 80 -y 24
tui_expect "    PID USER" "80x24: the table again"
tui_expect "F10Quit" "80x24: the status line fits"
tui_expect "PIDNS CGROUP       COMMAND" "80x24: columns give way so the command keeps room"
tmux -L "$TUI_SOCK" resize-window -t 0 -x 130 -y 50
tui_expect "    PID USER" "130x50: the table"
sleep 0.5
LINES_SHOWN=$(tui_screen | grep -cE '^ +[0-9]+ ')
[ "$LINES_SHOWN" -gt 40 ] && pass "130x50: more rows fill the taller window ($LINES_SHOWN)" ||
	fail "130x50: more rows" "$(tui_screen)"
tui_keys d
tmux -L "$TUI_SOCK" resize-window -t 0 -x 81 -y 25
tui_expect "Detail:" "resize with the detail pane open"
tui_keys F1
tmux -L "$TUI_SOCK" resize-window -t 0 -x 79 -y 30
tui_expect "needs a terminal of at least" "resize to 79 wide from the help screen"
tui_keys q
is "$(tui_status)" 0 "q quits from the too-small message"
ok "the terminal is restored" tui_terminal_sane
ok "q: out of the alternate screen, cursor shown" tui_screen_restored

# ---- signals: the shell sees 128+N, the terminal is sane
# Every signal whose default action ends the process, each checked from
# outside: the tty's modes (stty in the pane after nstop), and tmux's own
# view of the alternate screen and the cursor.
for sig in INT TERM HUP SEGV QUIT USR1 USR2 PIPE ALRM VTALRM PROF IO PWR XCPU XFSZ \
	   STKFLT SYS TRAP BUS FPE ILL RTMIN RTMAX; do
	tui_start -- -d 0.5
	tui_wait "    PID USER"
	n=$(kill -l "$sig")
	kill -s "$sig" "$TUI_PID"
	st=$(tui_status)
	is "$st" $((128 + n)) "SIG$sig: nstop dies of it (status $((128 + n)))"
	ok "SIG$sig: the terminal is restored" tui_terminal_sane
	ok "SIG$sig: out of the alternate screen, cursor shown" tui_screen_restored
done
# The tests' shell gets the terminal back even from an abort.
tui_start -- -d 0.5
tui_wait "    PID USER"
kill -s ABRT "$TUI_PID"
is "$(tui_status)" $((128 + $(kill -l ABRT))) "SIGABRT: status 134"
ok "SIGABRT: the terminal is restored" tui_terminal_sane

# ---- TERM=vt100: no colours, still usable
tui_start TERM=vt100 -- -d 0.5
tui_expect "    PID USER" "TERM=vt100: the table"
tui_keys Tab
tui_expect "TYPE           NS" "TERM=vt100: Tab works"
# vt100 has no F10 key: q is the way out.
tui_keys q
is "$(tui_status)" 0 "TERM=vt100: q quits"
ok "TERM=vt100: the terminal is restored" tui_terminal_sane

# ---- NO_COLOR (no-color.org): no colour, attributes only
# sgr_colours: the pane's colour escapes (foreground, background, 256, rgb).
sgr_colours() {
	tmux -L "$TUI_SOCK" capture-pane -e -p -t 0 | perl -ne '
		while (/\e\[([0-9;]*)m/g) { for (split /;/, $1) { $n++ if /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/ } }
		END { print $n + 0, "\n" }'
}
tui_start -- -d 0.5
tui_expect "    PID USER" "with colours: the table"
COLOURED=$(sgr_colours)
tui_keys q
tui_status >/dev/null
tui_start NO_COLOR=1 -- -d 0.5
tui_expect "    PID USER" "NO_COLOR=1: the table"
isnt "$COLOURED" 0 "without NO_COLOR the pane has colours ($COLOURED escapes)"
is "$(sgr_colours)" 0 "NO_COLOR=1: not one colour escape"
tui_keys q
is "$(tui_status)" 0 "NO_COLOR=1: q quits"

# ---- not root: unknown is "-", never 0
tui_start --as-nobody HOME=/nonexistent -- -d 0.5
tui_expect "unprivileged" "as nobody: the header says unprivileged"
tui_keys /
tui_type kthreadd
tui_keys Enter
LINE=$(tui_screen | grep -m1 -E '^ +2 root')
set -- $LINE
# PID USER S %CPU RES CONTAINER PIDNS MNTNS NETNS: nobody cannot read root's
# ns links.
is "$7 $8 $9" "- - -" "as nobody: root's namespaces are unknown (-), not 0"
tui_keys Tab Tab
tui_expect " NPROCS    CPU%" "as nobody: the Cgroups view"
tui_keys q
is "$(tui_status)" 0 "as nobody: q quits"

# ---- UTF-8: braille plots and tree lines
tmux -L "$TUI_SOCK" kill-server 2>/dev/null
LC_ALL=C.UTF-8 tui_start LC_ALL=C.UTF-8 -- -d 0.2
tui_wait "    PID USER"
tui_type "$TUI_PID"
tui_keys d
sleep 2
if tui_screen | grep -q '[⠁-⣿]'; then
	pass "UTF-8: the detail plots are braille"
else
	fail "UTF-8: braille plots" "$(tui_screen)"
fi
tui_keys q
is "$(tui_status)" 0 "UTF-8: q quits"

# ---- bounded run, as valgrind and the sanitizers use it
tui_start NSTOP_UI_MAX_REFRESHES=20 -- -d 0.1
is "$(tui_status 20)" 0 "NSTOP_UI_MAX_REFRESHES=20: exits 0 by itself"

done_testing
