# Shared helpers of the TUI tests: sourced, never run. The real nstop in a
# real terminal: tmux on a socket of its own (nstop-test-tui-PID), keys sent
# with send-keys, the screen read with capture-pane, the exit status and the
# terminal's modes after nstop written by the shell that ran it. On top of the
# system tests' lib.sh (TAP, skips, the cleanup registry).
. "$NSTOP_TESTLIB"

require_cmd tmux
export LC_ALL=C

TUI_SOCK=nstop-test-tui-$$
TUI_DIR=$(mktemp -d /tmp/nstop-test-tui-XXXXXX)
register_path "$TUI_DIR"
# kill-server leaves the socket file behind: it goes too.
register_cmd "tmux -L $TUI_SOCK kill-server; rm -f ${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK"

# tui_start [--as-nobody] [VAR=VALUE...] [-- NSTOP_ARGS...]: starts nstop in a
# fresh tmux server of TUI_W x TUI_H (120x40) with TERM (default
# tmux's own). When nstop exits, the shell writes its status to
# $TUI_DIR/status and `stty -a` to $TUI_DIR/stty, then waits.
tui_start() {
	local pre="" envs=() args=() cmd
	if [ "${1:-}" = --as-nobody ]; then
		pre="setpriv --reuid=65534 --regid=65534 --clear-groups"
		shift
	fi
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	args=("$@")
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	rm -f "$TUI_DIR/status" "$TUI_DIR/stty" "$TUI_DIR/pid" "$TUI_DIR/err"
	# stderr to a file: the sanitizers' reports must not hide in the pane.
	cmd="echo \$\$ > $TUI_DIR/pid; exec env ${envs[*]:-} $pre $NSTOP ${args[*]:-} 2>$TUI_DIR/err"
	# A server that is still going away makes new-session fail: retry.
	local i
	for i in 1 2 3 4 5; do
		tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x "${TUI_W:-120}" -y "${TUI_H:-40}" \
			"sh -c '$cmd'; echo \$? > $TUI_DIR/status; stty -a > $TUI_DIR/stty 2>&1; sleep 600" \
			2>/dev/null && break
		sleep 0.2
	done
	# The pane's shell forks nstop: its pid is the pid the inner sh wrote.
	for i in $(seq 50); do
		[ -s "$TUI_DIR/pid" ] && break
		sleep 0.05
	done
	TUI_PID=$(cat "$TUI_DIR/pid" 2>/dev/null)
}

tui_screen() {
	tmux -L "$TUI_SOCK" capture-pane -p -t 0 2>/dev/null
}

# An Escape is sent alone, and the next key only once nstop has read it and
# a tenth of a second more (its wait for the rest of a sequence, 25 ms): an
# Esc and a key read together are Alt and that key, as in htop, also when
# they came 0.1 s apart but nstop was busy with a slow refresh meanwhile.
tui_keys() {
	local k
	for k in "$@"; do
		tmux -L "$TUI_SOCK" send-keys -t 0 "$k"
		if [ "$k" = Escape ]; then
			tui_input_read
			sleep 0.1
		fi
	done
	return 0
}

# tui_input_read [SECONDS]: until nothing typed waits in the pane's terminal
# for nstop to read (FIONREAD on it is 0), up to 10 s.
tui_input_read() {
	local tty tries=$(( ${1:-10} * 20 )) i
	tty=$(tmux -L "$TUI_SOCK" display-message -p -t 0 '#{pane_tty}' 2>/dev/null)
	[ -n "$tty" ] || return 1
	for ((i = 0; i < tries; i++)); do
		[ "$(perl -e 'open(my $f, "<", $ARGV[0]) or exit 1; my $n = pack("i", 0);
			ioctl($f, 0x541B, $n) or exit 1; print unpack("i", $n)' "$tty" 2>/dev/null)" = 0 ] &&
			return 0
		sleep 0.05
	done
	return 1
}

# Types TEXT literally (no key names).
tui_type() {
	tmux -L "$TUI_SOCK" send-keys -t 0 -l "$1"
}

# tui_select_pid PID: types PID's digits until nstop's status line says
# "PID N", the cursor on it. Each look is one capture of the screen: "PID N:
# not in this view" (a process started after the last refresh) also holds
# "PID N", and a second look may find that message gone. Before typing
# again, more than a second: digits within a second of the last make one
# number with them.
tui_select_pid() {
	local i j s
	for i in $(seq 10); do
		tui_type "$1"
		for j in $(seq 30); do
			s=$(tui_screen)
			grep -qE "(^| )PID $1 *\$" <<<"$s" && return 0
			grep -qE "PID $1: not in this view" <<<"$s" && break
			sleep 0.1
		done
		sleep 1.2
	done
	diag "PID $1 never selected:" "$(tui_screen)"
	return 1
}

# tui_wait TEXT [SECONDS]: until the screen shows TEXT (fixed string).
tui_wait() {
	local text=$1 tries=$(( ${2:-8} * 10 )) i
	for ((i = 0; i < tries; i++)); do
		tui_screen | grep -qF -- "$text" && return 0
		sleep 0.1
	done
	return 1
}

# tui_wait_re REGEX [SECONDS]: until a line of the screen matches REGEX
# (grep -E), for rows whose column widths depend on what else is listed.
tui_wait_re() {
	local re=$1 tries=$(( ${2:-8} * 10 )) i
	for ((i = 0; i < tries; i++)); do
		tui_screen | grep -qE -- "$re" && return 0
		sleep 0.1
	done
	return 1
}

# tui_expect_re REGEX NAME [SECONDS]: an assertion on the screen.
tui_expect_re() {
	if tui_wait_re "$1" "${3:-8}"; then
		pass "$2"
	else
		fail "$2" "no line of the screen matches '$1':" "$(tui_screen)"
	fi
}

# state_of NAME: the STATE column of container NAME's row on the screen
# ("" when there is none).
state_of() {
	tui_line "$1 " | awk -v n="$1" '{ for (i = 1; i < NF; i++) if ($i == n) { print $(i + 1); exit } }'
}

# wait_row_state NAME STATE: until container NAME's row says STATE (8 s).
wait_row_state() {
	local i
	for i in $(seq 80); do
		[ "$(state_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# tui_wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
tui_wait_gone() {
	local text=$1 tries=$(( ${2:-8} * 10 )) i
	for ((i = 0; i < tries; i++)); do
		tui_screen | grep -qF -- "$text" || return 0
		sleep 0.1
	done
	return 1
}

# tui_expect TEXT NAME [SECONDS]: an assertion on the screen.
tui_expect() {
	if tui_wait "$1" "${3:-8}"; then
		pass "$2"
	else
		fail "$2" "the screen does not show '$1':" "$(tui_screen)"
	fi
}

# tui_confirm TEXT NAME [SECONDS]: answers y to a question that acts on a
# process (a signal, a move) only once the screen shows TEXT, which names
# the test's own target; otherwise the assertion fails and the question is
# answered n, so that a wrong row selected never signals or moves a process
# the test did not make.
tui_confirm() {
	if tui_wait "$1" "${3:-8}"; then
		pass "$2"
		tui_keys y
	else
		fail "$2" "the screen does not show '$1' (answered n):" "$(tui_screen)"
		tui_keys n
	fi
}

tui_expect_gone() {
	if tui_wait_gone "$1" "${3:-8}"; then
		pass "$2"
	else
		fail "$2" "the screen still shows '$1':" "$(tui_screen)"
	fi
}

# The line of the screen containing TEXT (the first).
tui_line() {
	tui_screen | grep -F -m1 -- "$1"
}

# tui_status [SECONDS]: nstop's exit status once it has exited, else "running".
tui_status() {
	local tries=$(( ${1:-8} * 10 )) i
	for ((i = 0; i < tries; i++)); do
		if [ -s "$TUI_DIR/status" ]; then
			if grep -Eq 'Sanitizer|runtime error:' "$TUI_DIR/err" 2>/dev/null; then
				fail "no sanitizer report" "$(head -c 4000 "$TUI_DIR/err")"
			fi
			cat "$TUI_DIR/status"
			return
		fi
		sleep 0.1
	done
	echo running
}

# True when the terminal nstop left behind is back in cooked mode with echo.
tui_terminal_sane() {
	local i
	for i in $(seq 50); do
		[ -s "$TUI_DIR/stty" ] && break
		sleep 0.1
	done
	grep -qw icanon "$TUI_DIR/stty" && grep -qw echo "$TUI_DIR/stty" &&
		! grep -qw -- -icanon "$TUI_DIR/stty" && ! grep -qw -- -echo "$TUI_DIR/stty"
}

# tui_screen_restored: the pane is out of the alternate screen with its
# cursor shown, as tmux (the terminal) itself says, after nstop exited.
tui_screen_restored() {
	local m
	m=$(tmux -L "$TUI_SOCK" display-message -p -t 0 '#{alternate_on} #{cursor_flag}' 2>/dev/null)
	[ "$m" = "0 1" ] || { diag "alternate screen, cursor shown: $m (want 0 1)"; return 1; }
}

# tui_click X Y: a left click at column X, row Y (0-based), as an xterm
# (X10) mouse report, which is what ncurses asks tmux's terminal for.
tui_click() {
	local x=$(($1 + 33)) y=$(($2 + 33))
	tui_type "$(printf '\033[M %b%b' "\\$(printf %03o $x)" "\\$(printf %03o $y)")"
	tui_type "$(printf '\033[M#%b%b' "\\$(printf %03o $x)" "\\$(printf %03o $y)")"
}

# The row (0-based) of the screen where TEXT first appears, and its column.
tui_row_of() {
	tui_screen | grep -nF -m1 -- "$1" | cut -d: -f1 | awk '{ print $1 - 1 }'
}
tui_col_of() {
	tui_line "$1" | awk -v t="$1" '{ print index($0, t) - 1 }'
}

# tui_direction: "up" when the PIDs of the first two rows below the title
# row TROW ascend, "down" when they descend, "none" while they are not drawn.
tui_direction() {
	set -- $(tui_screen | sed -n "$((TROW + 2)),$((TROW + 3))p" | awk '{ print $1 }')
	if [ -z "${1:-}" ] || [ -z "${2:-}" ]; then echo none
	elif [ "$1" -lt "$2" ]; then echo up
	else echo down
	fi
}
# tui_direction_after D: the direction once it is no longer D (up to 10 s:
# under load a refresh of thousands of processes can take seconds before a
# click's order is drawn).
tui_direction_after() {
	local d i
	for ((i = 0; i < 50; i++)); do
		d=$(tui_direction)
		[ "$d" != "$1" ] && [ "$d" != none ] && break
		sleep 0.2
	done
	echo "$d"
}

# tui_dead PID: true once PID has died (a zombie of ours counts), bounded;
# never blocks on a live child as `wait` would.
tui_dead() {
	local i st
	for i in $(seq 50); do
		st=$(sed -n 's/^[0-9]* (.*) \([A-Z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.1
	done
	return 1
}
