#!/bin/bash
# The mouse as htop users know it: a click on a column title sorts by it,
# the button's release is not a second click (the order stays after any
# further key), a second click inverts. Both encodings a terminal may use:
# X10 (\e[M, TERM=screen) and SGR 1006 (\e[<, TERM=xterm-256color).
. "$(dirname "$0")/lib.sh"

require_root
spawn_bg sleep 1000.501
S1=$SPAWNED

# An SGR (1006) click: press "M", release "m", 1-based coordinates.
sgr_click() {
	tui_type "$(printf '\033[<0;%d;%dM' $(($1 + 1)) $(($2 + 1)))"
	tui_type "$(printf '\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)))"
}

for enc in x10 sgr; do
	if [ $enc = x10 ]; then term=screen; click=tui_click; else term=xterm-256color; click=sgr_click; fi
	tui_start TERM=$term -- -d 5
	tui_wait "    PID USER" || fail "$enc: the Processes view" "$(tui_screen)"
	TROW=$(tui_row_of "    PID USER")
	$click 4 "$TROW"
	tui_expect "Sorted by PID" "$enc: a click on the PID title sorts by it"
	sleep 0.5
	D1=$(tui_direction)
	# Keys that change no order: the release must not be read with them.
	tui_keys Down
	sleep 0.5
	tui_keys Up
	sleep 0.5
	D2=$(tui_direction)
	if [ "$D1" != none ] && [ "$D1" = "$D2" ]; then
		pass "$enc: the order stays as the click made it after further keys ($D1)"
	else
		fail "$enc: the order stays after further keys" "after the click: $D1, after two keys: $D2" "$(tui_screen)"
	fi
	$click 4 "$TROW"
	tui_direction_after "$D2" >/dev/null
	tui_keys Down
	sleep 0.5
	D3=$(tui_direction)
	if [ "$D2" != none ] && [ "$D3" != none ] && [ "$D3" != "$D2" ]; then
		pass "$enc: a second click inverts, and stays so after a key ($D2, then $D3)"
	else
		fail "$enc: a second click inverts" "before: $D2, after the second click and a key: $D3" "$(tui_screen)"
	fi
	tui_keys q
	[ "$(tui_status)" = 0 ] && pass "$enc: q quits" || fail "$enc: q quits" "$(tui_status)"
done
done_testing
