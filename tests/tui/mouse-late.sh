#!/bin/bash
# Clicks that do not come one at a time, on time. A press and its release
# both waiting when the view reads them (it was busy with a refresh of
# thousands of processes, or a slow link delivered them in one packet) are
# two events behind one KEY_MOUSE, and curses' getmouse hands over the
# newest first: the release. Read once, the press, the one that acts, was
# lost (mouse.sh and views.sh lost clicks so under load). Sent here in one
# write, so that both wait before the view reads the first: no timing; and
# in two, 0.3 s apart, while the freezer holds the view still.
# And a click whose sequence is split by a slow link after its Esc: with
# ESCDELAY long enough, one click, not Esc and letters ('[' renices).
. "$(dirname "$0")/lib.sh"

require_root
spawn_bg sleep 1000.711
S1=$SPAWNED

# A press and its release at column X, row Y (0-based), in one write.
x10_pair() {
	local x y
	x=$(printf %03o $(($1 + 33)))
	y=$(printf %03o $(($2 + 33)))
	printf '\033[M %b%b\033[M#%b%b' "\\$x" "\\$y" "\\$x" "\\$y"
}
sgr_pair() {
	printf '\033[<0;%d;%dM\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)) $(($1 + 1)) $(($2 + 1))
}

for enc in x10 sgr; do
	if [ $enc = x10 ]; then term=screen; else term=xterm-256color; fi
	tui_start TERM=$term -- -d 5
	tui_wait "    PID USER" || fail "$enc: the Processes view" "$(tui_screen)"
	TROW=$(tui_row_of "    PID USER")
	tui_type "$(${enc}_pair 4 "$TROW")"
	tui_expect "Sorted by PID" "$enc: a press and its release read together: the click sorts"
	sleep 0.5
	D1=$(tui_direction)
	tui_type "$(${enc}_pair 4 "$TROW")"
	D2=$(tui_direction_after "$D1")
	if [ "$D1" != none ] && [ "$D2" != none ] && [ "$D2" != "$D1" ]; then
		pass "$enc: a second such click inverts ($D1, then $D2)"
	else
		fail "$enc: a second such click inverts" "before: $D1, after: $D2" "$(tui_screen)"
	fi
	# Two clicks in one write, on the Namespaces tab and then on the
	# Cgroups tab: both act, in the order made, the Cgroups view last.
	TABROW=$(tui_row_of " Processes   Namespaces")
	NSCOL=$(tui_col_of "Namespaces")
	CGCOL=$(tui_col_of "Cgroups   Containers")
	tui_type "$(${enc}_pair $((NSCOL + 1)) "$TABROW")$(${enc}_pair $((CGCOL + 1)) "$TABROW")"
	tui_expect " NPROCS    CPU%     MEM MEMLIMIT" "$enc: two clicks read together act in order (Namespaces, then Cgroups)"
	tui_keys q
	[ "$(tui_status)" = 0 ] && pass "$enc: q quits" || fail "$enc: q quits" "$(tui_status)"
done

# A view busy with a refresh, held still here by the freezer (a stopped pane
# tmux would continue at once): a press and its release 0.3 s apart, in two
# writes, are read together once it runs again, and the click acts.
find_freezer || fail "busy: a freezer (v1's, or cgroup2's)"
FRZ_DIR=$FRZ_MNT/nstop-test-mouse-late-$$
tui_start TERM=xterm-256color -- -d 5
tui_wait "    PID USER" || fail "busy: the Processes view" "$(tui_screen)"
TROW=$(tui_row_of "    PID USER")
if cg_make "$FRZ_DIR" && cg_move "$TUI_PID" "$FRZ_DIR" && cg_freeze "$FRZ_DIR"; then
	tui_type "$(printf '\033[<0;5;%dM' $((TROW + 1)))"
	sleep 0.3
	tui_type "$(printf '\033[<0;5;%dm' $((TROW + 1)))"
	cg_thaw "$FRZ_DIR" || fail "busy: the view thaws"
	tui_expect "Sorted by PID" "busy: a click made while the view was held still acts"
else
	fail "busy: the view is held still in $FRZ_DIR"
fi
tui_keys q
[ "$(tui_status)" = 0 ] && pass "busy: q quits" || fail "busy: q quits" "$(tui_status)"

# Clicks whose Esc comes alone and the rest 0.3 s later, as over a slow
# link. The cursor follows our own sleep first (F4 to it, F): where the rest
# is read as keys, '[' renices that one, no other.
follow_sleep() {
	TROW=$(tui_row_of "    PID USER")
	tui_keys F4
	tui_type "1000.711"
	tui_keys Enter
	tui_wait "sleep 1000.711" || fail "$1: the filter shows our sleep" "$(tui_screen)"
	tui_keys F
	tui_wait "Following PID $S1" || fail "$1: F follows our sleep" "$(tui_screen)"
}
nice_of_sleep() {
	ps -o ni= -p "$S1" | tr -d ' '
}

# With ESCDELAY=2000 curses itself waits for the rest: one click, and the
# Esc is no Esc (the filter stays).
tui_start ESCDELAY=2000 TERM=xterm-256color -- -d 5
tui_wait "    PID USER" || fail "escdelay: the Processes view" "$(tui_screen)"
follow_sleep escdelay
tui_type "$(printf '\033')"
sleep 0.3
tui_type "$(printf '[<0;5;%dM' $((TROW + 1)))"
tui_type "$(printf '\033[<0;5;%dm' $((TROW + 1)))"
tui_expect "Sorted by PID" "escdelay: a click split after its Esc, within ESCDELAY, sorts"
tui_expect "filter: 1000.711" "escdelay: ... and its Esc did not clear the filter"
NI=$(nice_of_sleep)
[ "$NI" = 0 ] && pass "escdelay: ... nor did '[' renice ($NI)" ||
	fail "escdelay: the split click reniced nothing" "nice of $S1: $NI"
tui_keys q
[ "$(tui_status)" = 0 ] && pass "escdelay: q quits" || fail "escdelay: q quits" "$(tui_status)"

# With curses' wait the view's own (25 ms), the Esc acts alone; the rest,
# coming later, is still one click, never keys.
tui_start TERM=xterm-256color -- -d 5
tui_wait "    PID USER" || fail "late: the Processes view" "$(tui_screen)"
follow_sleep late
tui_type "$(printf '\033')"
sleep 0.3
tui_type "$(printf '[<0;5;%dM' $((TROW + 1)))"
tui_type "$(printf '\033[<0;5;%dm' $((TROW + 1)))"
tui_expect "Sorted by PID" "late: the rest of a click come 0.3 s after its Esc is the click"
NI=$(nice_of_sleep)
[ "$NI" = 0 ] && pass "late: ... not keys: '[' reniced nothing ($NI)" ||
	fail "late: the rest of the click reniced nothing" "nice of $S1: $NI"
TABROW=$(tui_row_of " Processes   Namespaces")
NSCOL=$(tui_col_of "Namespaces")
tui_type "$(printf '\033[')"
sleep 0.3
tui_type "$(printf '<0;%d;%dM' $((NSCOL + 2)) $((TABROW + 1)))"
tui_type "$(printf '\033[<0;%d;%dm' $((NSCOL + 2)) $((TABROW + 1)))"
tui_expect "TYPE           NS  NPROCS" "late: a click split after its Esc [ is the click (the Namespaces tab)"
tui_type "$(printf '\033[<0;4;%dM\033[<0;4;%dm' $((TABROW + 1)) $((TABROW + 1)))"
tui_expect "    PID USER" "late: back on the Processes tab"
# F1 (Esc O P here) split after its Esc O: F1, not Alt-O and P.
tui_type "$(printf '\033O')"
sleep 0.3
tui_type "P"
tui_expect "nstop help" "late: F1 split after its Esc O is F1 (help)"
tui_keys Escape
tui_expect "    PID USER" "late: Esc closes the help"
# A '[' typed after an Esc is a key still: it renices our sleep at once.
tui_keys Escape
sleep 0.3
tui_type "["
tui_expect "PID $S1: nice 1" "late: '[' typed after Esc is '[' (nice + 1)"
tui_keys q
[ "$(tui_status)" = 0 ] && pass "late: q quits" || fail "late: q quits" "$(tui_status)"

# The same in the X10 encoding (TERM=screen): its three raw bytes follow.
tui_start TERM=screen -- -d 5
tui_wait "    PID USER" || fail "late x10: the Processes view" "$(tui_screen)"
follow_sleep "late x10"
PAIR=$(x10_pair 4 "$TROW")
tui_type "$(printf '\033')"
sleep 0.3
tui_type "${PAIR:1}"
tui_expect "Sorted by PID" "late x10: the rest of a click come 0.3 s after its Esc is the click"
NI=$(nice_of_sleep)
[ "$NI" = 1 ] && pass "late x10: ... not keys: '[' reniced nothing (still $NI)" ||
	fail "late x10: the rest of the click reniced nothing" "nice of $S1: $NI (1 before)"
tui_keys q
[ "$(tui_status)" = 0 ] && pass "late x10: q quits" || fail "late x10: q quits" "$(tui_status)"
done_testing
