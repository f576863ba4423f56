#!/bin/bash
# A job-control shell inside a container's pid namespace cannot see the
# caller's process group: before nstop gave it a group of its own in the
# terminal's foreground, dash said "Cannot set tty process group" and
# exited 2 whatever the user typed, and the terminal could be left with a
# dead foreground group. Checked in a real terminal (tmux) running bash, as
# a user types: nstop exec and nstop run in the foreground with an
# interactive sh, each exit status passed on, then the terminal still the
# calling shell's (a read from it works, a job still stops on tty input).
. "$(dirname "$0")/lib.sh"

require_root
require_cmd bash

NAME=nstop-test-shtty-$$
register_cmd "$NSTOP rm -f $NAME >/dev/null 2>&1"
$NSTOP run -d --name "$NAME" -- sleep 1000 >/dev/null ||
	fail "a detached container starts" "$NAME"

tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 "bash --norc --noprofile" ||
	cannot_run "tmux cannot start a shell"
# A command line typed into the pane's shell.
sh_run() {
	tui_type "$1"
	tui_keys Enter
}
# Waits until the calling shell prompts again on the screen's last line: keys
# typed before the relayed payload has ended go to the container's terminal
# and end with it, as with docker run -t, so the next line waits for it.
prompt_back() {
	local i
	for i in $(seq 200); do
		case "$(tui_screen | sed '/^[[:space:]]*$/d' | tail -n 1)" in
		ready\>*) return 0 ;;
		esac
		sleep 0.1
	done
	return 1
}
sh_run "PS1='ready> '; export PS1"
tui_wait "ready>" || fail "the calling shell is ready" "$(tui_screen)"

# ---- nstop exec: an interactive sh inside
sh_run "$NSTOP exec $NAME"
tui_expect "# " "nstop exec: the container's shell prompts"
sh_run 'echo inside-pid-$$; exit 3'
tui_expect "inside-pid-" "the shell runs the command inside"
prompt_back || fail "the calling shell prompts after nstop exec" "$(tui_screen)"
sh_run 'echo exec-status=$?'
tui_expect "exec-status=3" "the shell's exit status (3) is nstop exec's"
if tui_screen | grep -q "Cannot set tty process group"; then
	fail "the shell can put itself in the terminal's foreground" "$(tui_screen)"
else
	pass "the shell can put itself in the terminal's foreground"
fi

# ---- nstop run in the foreground with an interactive sh
sh_run "$NSTOP run --rm --name $NAME-fg -- sh"
tui_expect "# " "nstop run -- sh: the payload's shell prompts"
sh_run 'echo payload-pid-$$; exit 4'
tui_expect "payload-pid-2" "the payload's shell runs (pid 2: nstop's init is 1)"
prompt_back || fail "the calling shell prompts after nstop run" "$(tui_screen)"
sh_run 'echo run-status=$?'
tui_expect "run-status=4" "the payload's exit status (4) is nstop run's"
if tui_screen | grep -q "Cannot set tty process group"; then
	fail "the payload's shell can take the terminal's foreground" "$(tui_screen)"
else
	pass "the payload's shell can take the terminal's foreground"
fi

# ---- the calling shell has its terminal back
sh_run 'read -r line; echo "got=$line"'
sh_run "typed-after"
tui_expect "got=typed-after" "the calling shell reads its terminal again (it is the foreground)"
sh_run 'cat </dev/tty >/dev/null & sleep 0.5; jobs -l; kill %1'
tui_expect "Stopped (tty input)" "a background job still stops on terminal input (job control intact)"

done_testing
