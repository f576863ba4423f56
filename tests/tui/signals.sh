#!/bin/bash
# With a terminal (tmux running bash, as a user types): the payload of nstop
# run and nstop exec has a terminal of its own (a pty of the container's
# devpts, relayed by nstop) and a session of its own, never the caller's.
# Checked: its ids and tty inside; kill(0) and kill(-getpgrp()) against an
# outside sleep in nstop's group, with stdin the terminal and with stdin
# /dev/null (stdout still the terminal); a payload that makes its terminal
# raw leaves the caller's as it was (stty -a from outside); job control, ^C,
# ^Z, ^D and a window resize in the relayed shell; and a process left behind
# by nstop exec can neither take the caller's terminal nor read what the
# user types next. Before the fix the payload stayed in the caller's session
# (and with stdin /dev/null in its group) and held the caller's terminal.
# (tests/system/rt-signals.sh: the same without a terminal.)
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd bash jq

RTC=nstop-test-tuisig-$$
PROBES=${NSTOP_PROBES:-$(dirname "$NSTOP")/tests/system/probes}
[ -x "$PROBES/signal" ] ||
	cannot_run "the signal probe is not built (make check builds it; NSTOP_PROBES=$PROBES)"
P=/tmp/probes/signal
VOL="-v $PROBES:/tmp/probes:ro"
D=$TUI_DIR

sh_run() {
	tui_type "$1"
	tui_keys Enter
}
# fresh_pane: a new terminal running bash, so that each part starts from a
# sane one whatever the last left behind.
fresh_pane() {
	local i
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	for i in 1 2 3 4 5; do
		tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
			"bash --norc --noprofile" 2>/dev/null && break
		sleep 0.2
	done || cannot_run "tmux cannot start a shell"
	sh_run "PS1='ready> '; export PS1; N=$NSTOP; clear"
	tui_wait "ready>" || fail "the calling shell is ready" "$(tui_screen)"
}
fresh_pane

# clear_screen: a fresh screen, so that what is waited for next is new.
clear_screen() {
	sh_run clear
	tui_wait_gone "rc=" 3
}

# outside_check WHAT: the sleep whose pid is in $D/sleep lives (neither
# killed nor stopped); it is ended then.
outside_check() {
	local pid st
	pid=$(cat "$D/sleep" 2>/dev/null)
	st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)
	[ -n "$pid" ] && register_pid "$pid"
	if [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != T ]; then
		pass "$1: the outside process in nstop's group survives"
	else
		fail "$1: the outside process in nstop's group survives" "sleep $pid: ${st:-gone}"
	fi
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -f "$D/sleep"
}

# ---- what the payload is given
rtc_name ids
sh_run "\$N run --rm --name $RTC_NAME $VOL -- sh -c '$P ids; tty; ls /dev/pts; ls -l /proc/\$\$/fd | grep -c ptmx; true'; echo rc=\$?"
tui_expect "rc=0" "run on a terminal: the payload ran"
tui_expect "pid=3 pgrp=2 sid=2" "the payload (sh, pid 2) leads a session of its own (pgrp = sid = 2)"
tui_expect_re "^/dev/pts/0$" "its terminal is /dev/pts/0 of the container's devpts, not the caller's"
tui_expect_re "^0 +ptmx$" "the container's /dev/pts holds only its own pty"
tui_expect_re "^0$" "no fd of the payload is a ptmx (the master stays nstop's)"
assert_gone "$RTC_NAME"
clear_screen

# ---- kill(0) and kill(-getpgrp()) against an outside sleep in nstop's group
# (sh -c: one job of the calling shell, so the sleep and nstop share a group)
for stdin in tty null; do
	redir=""
	[ $stdin = null ] && redir="</dev/null"
	for how in "zero 9" "group 9 self"; do
		rtc_name "k$stdin${how// /}"
		sh_run "sh -c 'sleep 1000 </dev/null >/dev/null & echo \$! >$D/sleep; exec \$0 run --rm --name $RTC_NAME $VOL -- $P $how $redir' \$N; echo rc=\$?"
		tui_expect "rc=137" "stdin $stdin, $how: the payload's own group got SIGKILL (rc 137)" 15
		outside_check "stdin $stdin, $how"
		assert_gone "$RTC_NAME"
		clear_screen
	done
done

rtc_name idle
E=$RTC_NAME
run_nstop idle run -d --name "$E" $VOL
ok "an idle container to exec into" wait_state "$E" running 10

# ---- a job-control shell in the relayed terminal
fresh_pane
sh_run "\$N exec $E"
tui_expect_re "^# ?$" "exec: the container's shell prompts"
sh_run 'stty size'
tui_expect "30 100" "its terminal has the caller's size"
tmux -L "$TUI_SOCK" resize-window -t 0 -x 90 -y 25 2>/dev/null
sh_run 'stty size'
tui_expect "25 90" "a resize of the caller's terminal reaches it (SIGWINCH, TIOCSWINSZ)"
sh_run 'sleep 100'
sleep 0.3
tui_keys C-c
sh_run 'echo st=$?'
tui_expect "st=130" "^C ends the foreground job inside (130), the shell stays"
sh_run 'sleep 100 &'
sh_run 'jobs'
tui_expect "Running" "a background job inside"
sh_run 'kill %1; cat'
sleep 0.3
tui_keys C-z
tui_expect "Stopped" "^Z stops the foreground job inside"
sh_run 'kill -9 %cat; wait; echo jobs-done'
tui_expect_re "^jobs-done$" "... and the shell goes on"
# the killed job reported, so that dash has no stopped job to warn about
sh_run 'jobs; echo listed'
tui_wait_re "^listed$"
tui_keys C-d
# what is typed before the shell has gone would be the pty's, lost with it
tui_wait_re "^ready>$"
sh_run 'echo "back=$? ${BASH_VERSION:+in-bash}"'
tui_expect "back=0 in-bash" "^D: EOF to the shell inside, nstop exec returns its status"
clear_screen


# ---- the caller's terminal modes are not the payload's
fresh_pane
rtc_name raw
sh_run "\$N run --rm --name $RTC_NAME -- stty raw -echo; stty -a >$D/stty-run; echo rc=\$?"
tui_expect "rc=0" "run -- stty raw -echo: done"
ok "... the caller's terminal still has echo and icanon after nstop run (stty -a)" \
	sh -c "grep -qw icanon $D/stty-run && grep -qw echo $D/stty-run && ! grep -qw -- -echo $D/stty-run"
sh_run "\$N exec $E -- stty raw -echo; stty -a >$D/stty-exec; echo rc2=\$?"
tui_expect "rc2=0" "exec -- stty raw -echo: done"
ok "... and after nstop exec" \
	sh -c "grep -qw icanon $D/stty-exec && grep -qw echo $D/stty-exec && ! grep -qw -- -echo $D/stty-exec"
clear_screen

# ---- a process left behind by exec cannot take the caller's terminal
fresh_pane
sh_run "\$N exec $E -- sh -c '$P steal /tmp/stolen & sleep 0.5'; echo rc3=\$?"
tui_expect "rc3=0" "exec leaves a process behind that will try the terminal"
for i in $(seq 100); do
	timeout 10 "$NSTOP" exec "$E" -- cat /tmp/stolen </dev/null >"$D/stolen" 2>/dev/null
	grep -q "^tcsetpgrp=" "$D/stolen" && break
	sleep 0.1
done
sh_run "echo typed-after-exec"
tui_expect_re "^typed-after-exec$" "the calling shell reads what is typed next"
timeout 10 "$NSTOP" exec "$E" -- cat /tmp/stolen </dev/null >"$D/stolen" 2>/dev/null
if grep -q "^tcsetpgrp=ok" "$D/stolen" || grep -q "^stolen=" "$D/stolen"; then
	fail "the process left behind could not take the caller's terminal" "$(cat "$D/stolen")"
else
	pass "the process left behind could not take the caller's terminal ($(head -1 "$D/stolen"))"
fi

run_nstop rm rm -f "$E"
assert_gone "$E"

done_testing
