#!/bin/bash
# An idle container: `nstop run -d` with no command. Its init runs nothing
# and waits, so exec, freeze and update work on it; a TERM sent from the
# host ends it with 143 (a pid namespace's init would drop a signal it has
# no handler for), rm leaves nothing behind; in the foreground a missing
# command is still a usage error of one line.
# shellcheck source=lib.sh
. "$NSTOP_TESTLIB"
# shellcheck source=rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq timeout

# ---- foreground with no command: refused, nothing made
rtc_name fg
run_nstop_quiet fg run --name "$RTC_NAME"
is "$NSTOP_RC" 2 "run with no command in the foreground: exit 2"
is "$(wc -l <"$TEST_TMP/fg.err")" 1 "one line on stderr"
ok "it says there is no command" grep -q "no command to run" "$TEST_TMP/fg.err"
ok "no state left" test ! -e "$STATE_DIR/$RTC_NAME"

# ---- detached with no command: idle, running
rtc_name idle
N=$RTC_NAME
run_nstop start run -d --name "$N" --pids 20
is "$NSTOP_RC" 0 "run -d with no command: exit 0"
is "$(cat "$(out start)")" "$N" "it prints the name"
ok "list says running" wait_state "$N" running 10
is "$(list_get "$N" .command)" '"(idle)"' "list -J: command (idle)"
run_nstop list list
ok "list's table shows it idle" grep -Eq "^$N +running .*\\(idle\\)" "$(out list)"
P=$(init_pid "$N")
ok "its init is alive on the host" test -n "$P" -a -e "/proc/$P"
is "$(cat "/proc/$P/task/$P/children" 2>/dev/null | wc -w)" 0 "the init has no payload child"

# ---- exec works in it, inside its pid and uts namespaces
run_nstop exec exec "$N" -- sh -c 'echo "$(hostname) $$"; cat /proc/1/cmdline | tr "\0" " "'
is "$NSTOP_RC" 0 "exec in the idle container: exit 0"
read -r h pid <"$(out exec)"
is "$h" "$N" "exec: the hostname inside is the name"
is "$pid" 2 "exec: the shell is pid 2 (the init is 1, nothing else)"
is "$(sed -n 2p "$(out exec)")" "nstop init $N " \
	"exec: pid 1's command line is nstop's init of $N, not nstop's own (host paths, options)"
run_nstop_quiet exec2 exec "$N" -- sh -c 'exit 7'
is "$NSTOP_RC" 7 "exec: the command's status comes back"

# ---- freeze and update act on it
if find_freezer; then
	run_nstop freeze freeze "$N"
	ok "freeze: list says frozen" wait_state "$N" frozen 5
	run_nstop thaw thaw "$N"
	ok "thaw: list says running" wait_state "$N" running 5
else
	fail "a freezer is mounted" "neither a v1 freezer nor cgroup2"
fi
run_nstop update update "$N" --pids 30
is "$NSTOP_RC" 0 "update --pids on the idle container"
F=$(ctl_file pids "$N" pids.max pids.max)
is "$(cat "$F" 2>/dev/null)" 30 "the kernel's pids.max holds 30"

# ---- a TERM from the host ends it, as it would end a payload
run_nstop kill kill "$N" TERM
is "$NSTOP_RC" 0 "kill TERM: exit 0"
ok "it exits" wait_state "$N" exited 10
is "$(list_get "$N" .exit_code)" 143 "exit code 143 (128 + SIGTERM)"
ok "its init is gone" wait_gone "$P"

# ---- rm leaves nothing
run_nstop rm rm "$N"
is "$NSTOP_RC" 0 "rm: exit 0"
ok "no state directory" test ! -e "$STATE_DIR/$N"
left=""
for m in $(cg_mounts); do
	[ -e "$m/$CG_PARENT/$N" ] && left="$left $m/$CG_PARENT/$N"
done
is "$left" "" "no cgroup left in any hierarchy"

# ---- HUP and INT end it too; a signal that ends no shell (WINCH) does not
rtc_name hup
run_nstop start2 run -d --name "$RTC_NAME"
wait_state "$RTC_NAME" running 10
run_nstop kill2 kill "$RTC_NAME" WINCH
sleep 0.3
is "$(list_get "$RTC_NAME" .state)" '"running"' "WINCH does not end it"
run_nstop kill3 kill "$RTC_NAME" HUP
ok "HUP ends it" wait_state "$RTC_NAME" exited 10
is "$(list_get "$RTC_NAME" .exit_code)" 129 "exit code 129 (128 + SIGHUP)"
run_nstop rm2 rm "$RTC_NAME"

done_testing
