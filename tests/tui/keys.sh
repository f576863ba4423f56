#!/bin/bash
# The keys of the help screen, each tried in a real terminal: help, the
# refresh interval, jumping to a PID, tagging, signals with their
# confirmation (the kernel says whether the process died), saving the
# config and reading it back, themes (a broken one says file:line), and
# quitting from the prompts.
. "$(dirname "$0")/lib.sh"

require_root
CFG=$TUI_DIR/cfg
spawn_bg sleep 1000.401
S1=$SPAWNED
spawn_bg sleep 1000.402
S2=$SPAWNED
spawn_bg sleep 1000.403
S3=$SPAWNED

tui_start XDG_CONFIG_HOME=$CFG -- -d 2
tui_expect "every 2s" "-d 2: the interval in the header"

# ---- help
tui_keys F1
tui_expect "nstop help" "F1: the help screen"
# The help is longer than a screen: every page of it, read with PgDn.
HELP=
for i in 1 2 3 4 5; do
	HELP+=$(tui_screen)$'\n'
	tui_keys PgDn
	sleep 0.3
done
for k in "F1 h ?" "F2 S C" "F10 q" "F3 /" "Shift-F3" "F4 \\" "F5 t" "F6 . , < >" "I  " \
	 "F9 k" "F7 ]" "F8 [" "Space" "U  " "+ =" "-  " "*  " "v  " "V Esc" "d  " "0-9" "Right" \
	 "Left" "Tab" "Shift-Tab" "PgUp" "PgDn" "Home" "End" "P  " "M  " "T  " "N  " "u  " \
	 "K  " "H  " "F  " "c  " "w  " "e  " "l  " "s  " "Z  " "#  "; do
	grep -qF -- "$k" <<<"$HELP" || fail "help lists the key '$k'" "$HELP"
done
pass "help lists every key of the key map"
tui_expect "View from: select a process" "help scrolls with PgDn"
tui_keys x
tui_expect "    PID USER" "any other key leaves the help"
tui_keys h
tui_expect "nstop help" "h: the help screen"
tui_keys Escape '?'
tui_expect "nstop help" "?: the help screen"
tui_keys Escape
tui_wait "    PID USER"

# ---- interval
tui_keys S Right
tui_expect "every 1.5s" "setup, Right: refresh more often"
tui_keys Left Left
tui_expect "every 3s" "setup, Left: refresh less often"
tui_keys Escape

# ---- jump to a PID, Enter is free, tag
ok "digits: jump to the PID" tui_select_pid "$S1"
tui_keys Enter d
tui_expect "Detail: process $S1 (sleep)" "the cursor is on that PID (Enter did nothing)"
tui_keys d Space
tui_expect " 1 tagged" "Space tags the process"
tui_keys U
tui_expect " 0 tagged" "U untags all"

# A number that is no process puts the cursor back where it was: on its way
# it passed PID 2, 29 and whatever else its prefixes are, and the next key
# (k, F9, E) must not act on one of those. No pid reaches 29999999.
tui_select_pid "$S1"
sleep 1.2	# (a new number: digits within a second of the last join it)
tui_type 29999999
tui_expect "PID 29999999: not in this view" "digits of no process: said so"
tui_keys Enter
tui_expect "Process $S1 (sleep)" "and the cursor is back on PID $S1, not on a process its first digits picked"
tui_keys Escape
tui_expect_gone "Process $S1 (sleep)" "Esc closes the menu"

# ---- signal, refused then sent
tui_select_pid "$S1"
tui_keys k
tui_expect "Signal to PID $S1 (sleep)" "k: the signal menu names the process"
tui_keys Enter
tui_expect "Send SIGTERM to PID $S1 (sleep)? y/n" "Enter: asks for confirmation"
tui_keys n
tui_expect "No signal sent" "n: nothing sent"
sleep 0.3
ok "the process lives after n" test -e "/proc/$S1"
tui_keys F9 Down Enter
tui_confirm "Send SIGKILL to PID $S1 (sleep)? y/n" "F9, Down: SIGKILL chosen"
tui_expect "SIGKILL sent to PID $S1" "y: sent"
if tui_dead "$S1"; then pass "the kernel killed it"; else fail "the kernel killed it"; fi

# ---- tagged processes get the signal together
# (a row tagged only where the jump reached our process: the signal below
# goes to whatever is tagged)
tui_select_pid "$S2" && tui_keys Space
tui_select_pid "$S3" && tui_keys Space
tui_expect " 2 tagged" "two processes tagged"
tui_keys k
tui_expect "Signal to 2 tagged processes" "the menu says it is for the tagged ones"
tui_keys Enter
tui_confirm "Send SIGTERM to 2 tagged processes? y/n" "Enter: asks for both"
tui_expect "SIGTERM sent to 2 processes" "SIGTERM sent to both"
if tui_dead "$S2" && tui_dead "$S3"; then pass "both died"; else fail "both died"; fi

# ---- sort, invert, save and read back
tui_keys P I
tui_keys S Down Enter
tui_expect "Write theme, interval, sort, view and tree to" "S, save: asks first"
tui_keys y
tui_expect "Saved to $CFG/nstop/config" "y: saved"
ok "the config file exists" test -s "$CFG/nstop/config"
is "$(sed -n 's/^interval = //p' "$CFG/nstop/config")" 3 "the config holds the interval"
is "$(sed -n 's/^view = //p' "$CFG/nstop/config")" processes "the config holds the view"
is "$(sed -n 's/^sort_reverse = //p' "$CFG/nstop/config")" yes "the config holds the inverted sort"
tui_keys q
is "$(tui_status)" 0 "q: exit 0"

tui_start XDG_CONFIG_HOME=$CFG
tui_expect "every 3s" "the saved interval is used at the next start"
tui_keys F10
is "$(tui_status)" 0 "F10: exit 0"

# ---- themes
tui_start XDG_CONFIG_HOME=$CFG -- --theme light
tui_expect "    PID USER" "--theme light starts"
tui_wait "theme" 1 && fail "--theme light: no error" "$(tui_screen)" || pass "--theme light: no error"
tui_keys q
tui_status >/dev/null
tui_start XDG_CONFIG_HOME=$CFG -- -t no-such-theme
tui_expect "no-such-theme' not found" "a missing theme is named in the status line"
tui_expect "    PID USER" "and nstop runs on the default"
tui_keys q
tui_status >/dev/null
printf 'name = broken\nnormal = chartreuse-ish on nothing\n' >"$TUI_DIR/broken.theme"
tui_start XDG_CONFIG_HOME=$CFG -- -t "$TUI_DIR/broken.theme"
tui_expect "broken.theme:2" "a broken theme says file:line"
tui_keys q
is "$(tui_status)" 0 "exit 0 after a broken theme"

# ---- quitting from the prompts
tui_start XDG_CONFIG_HOME=$CFG
tui_wait "    PID USER"
tui_keys /
tui_type q
tui_expect "Search: q_" "q is text in the search prompt"
tui_keys F10
is "$(tui_status)" 0 "F10 quits from the search prompt"
tui_start XDG_CONFIG_HOME=$CFG
tui_wait "    PID USER"
tui_keys k
tui_wait "Signal to"
tui_keys q
is "$(tui_status)" 0 "q quits from the signal menu"
tui_start XDG_CONFIG_HOME=$CFG
tui_wait "    PID USER"
tui_keys F1
tui_wait "nstop help"
tui_keys q
is "$(tui_status)" 0 "q quits from the help screen"
ok "the terminal is restored" tui_terminal_sane

done_testing
