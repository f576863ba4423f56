#!/bin/bash
# The launch form (r) and the limits dialog (u) in a real terminal, against
# the kernel: a refused value shows the command line's own message and
# blocks Start; a detached launch with limits is selected in the Containers
# view and its cgroup files hold the limits; a launch in shell mode hands the
# terminal to a shell inside (with a volume to write through) and comes
# back to nstop with the container still running; the limits dialog shows
# the current values, a raised memory limit reaches the kernel and the
# detail pane, one below the usage shows the kernel's reason.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq

# Every name of ours starts with $RTC: rt-lib's rtc_reap removes what is left.
RTC=nstop-test-launch-$$
OUT=$TUI_DIR/out
mkdir -p "$OUT"
rtc_name d
D=$RTC_NAME
rtc_name sh
SH=$RTC_NAME
rtc_name never
NEVER=$RTC_NAME
rtc_name fg
FG=$RTC_NAME

# The form's fields, top to bottom.
F_COMMAND=0 F_NAME=1 F_ROOT=2 F_OVERLAY=3 F_VOLUMES=4 F_MEMORY=5 F_CPUS=6 F_PIDS=8 F_NET=9
F_NAT=10 F_MODE=11

# field N: the focus to the Nth field of the open form.
field() {
	tui_keys Home
	local i
	for ((i = 0; i < $1; i++)); do tui_keys Down; done
}

# set_field N TEXT: replaces the Nth text field's value.
set_field() {
	field "$1"
	tui_keys C-u
	[ -n "$2" ] && tui_type "$2"
}

# set_mode WORD: Right on the Mode field until WORD is the chosen one.
set_mode() {
	local i
	field $F_MODE
	for i in 1 2 3; do
		tui_wait "[$1]" 1 && return 0
		tui_keys Right
	done
	tui_wait "[$1]" 1
}

# The line of the form holding the field LABEL: the form is a box 110
# columns wide in the middle of the 120 of the terminal, over the table.
form_line() {
	tui_screen | cut -c7-115 | grep -E -m1 "^$1( |\$)"
}

# field_has LABEL REGEX: the field's line matches REGEX (after the label).
field_has() {
	form_line "$1" | grep -Eq -- "^$1 *$2"
}

# both_running: nstop list says both containers of ours run.
both_running() {
	[ "$(list_get "$D" .state)" = '"running"' ] && [ "$(list_get "$SH" .state)" = '"running"' ]
}

# stty_cooked FILE: `stty -a` output of a terminal in cooked mode with echo.
stty_cooked() {
	grep -qw icanon "$1" && grep -qw echo "$1" && ! grep -qw -- -icanon "$1" &&
		! grep -qw -- -echo "$1"
}

# shell_prompt: until a line of the screen is root's prompt of sh, "# ".
shell_prompt() {
	local i
	for i in $(seq 100); do
		tui_screen | grep -Eq '^# ?$' && return 0
		sleep 0.1
	done
	return 1
}

listed() {
	[ -n "$(list_get "$1" .name)" ]
}

tui_start -- -d 1
tui_wait "    PID USER"

# ---- a refused value: the parser's words, Start refused
tui_keys r
tui_expect "Launch a container" "r: the launch form"
ok "the Command field starts as sh" field_has Command 'sh_? *$'
ok "the Root field starts as host" field_has Root 'host *$'
set_field $F_NAME "$NEVER"
set_field $F_MEMORY 12Q
"$NSTOP" run --memory 12Q -- true 2>"$TUI_DIR/cli.err"
cli_msg=$(sed -n 's/^nstop: \(run: \)\{0,1\}--memory: \(.*\) (try.*/\2/p' "$TUI_DIR/cli.err")
ok "the command line refuses 12Q" test -n "$cli_msg"
tui_expect "${cli_msg:0:60}" "12Q: the command line's own message on screen"
field $F_COMMAND
tui_keys C-g
tui_expect "Cannot Start: 1 field is refused" "^G: Start refused while Memory is refused"
tui_expect "Memory limit: 64M" "the refused field (Memory) has the focus: its help shows"
sleep 0.5
listed "$NEVER" && fail "nothing launched" "$NEVER is listed" || pass "nothing launched"
tui_keys End Enter
tui_expect "Cannot Start" "Enter on [ Start ]: refused too"
set_field $F_MEMORY 64M
tui_expect_gone "'12Q'" "fixed: the message goes"

# ---- NAT: run's own rule (--nat needs a bridge), checked as Network changes;
# nothing is launched on a bridge here (the test's terminal is the machine's
# network: net-bridge.sh launches with --nat inside a namespace of its own)
"$NSTOP" run --nat -- true 2>"$TUI_DIR/cli.err"
nat_msg=$(sed -n 's/^nstop: \(run: \)\{0,1\}\(.*\) (try.*/\2/p' "$TUI_DIR/cli.err")
ok "the command line refuses --nat without a bridge" test -n "$nat_msg"
ok "the NAT field starts as no" field_has NAT '.*no'
field $F_NAT
tui_keys y
tui_expect "${nat_msg:0:60}" "NAT yes with Network none: the command line's own message"
tui_keys C-g
tui_expect "Cannot Start: 1 field is refused" "^G: Start refused while NAT is refused"
set_field $F_NET bridge
tui_expect_gone "${nat_msg:0:30}" "Network bridge: NAT yes is fine"
set_field $F_NET host
tui_expect "${nat_msg:0:60}" "Network host: refused again"
field $F_NAT
tui_keys n
tui_expect_gone "${nat_msg:0:30}" "NAT no: fine again"
set_field $F_NET none

# ---- a bad directory, and a volume target the read-only host root lacks
set_field $F_ROOT "$TUI_DIR/no-such-dir"
tui_expect "rootfs $TUI_DIR/no-such-dir: No such file or directory" "a missing Root directory: said"
set_field $F_ROOT host
tui_expect_gone "no-such-dir" "Root back to host: the message goes"
set_field $F_VOLUMES "$OUT:/no-such-target-$$"
tui_expect "target /no-such-target-$$ is not in the host's read-only root" \
	"a volume target missing from the host's root: said before Start"
set_field $F_VOLUMES "$TUI_DIR/none:/tmp/x"
"$NSTOP" run -v "$TUI_DIR/none:/tmp/x" -- true 2>"$TUI_DIR/cli.err"
cli_msg=$(sed -n 's/^nstop: \(run: \)\{0,1\}-v: \(.*\) (try.*/\2/p' "$TUI_DIR/cli.err")
ok "the command line refuses the missing source" test -n "$cli_msg"
tui_expect "${cli_msg:0:60}" "a missing volume source: the command line's message"
# the runtime's own target rule (the form once checked only that the target
# exists): a file onto a directory is refused before Start, in its words
set_field $F_VOLUMES "/etc/passwd:/etc"
"$NSTOP" run -v /etc/passwd:/etc -- true 2>"$TUI_DIR/cli.err"
cli_msg=$(sed -n 's/^nstop: run: \(.*\)$/\1/p' "$TUI_DIR/cli.err")
ok "the command line refuses a file onto /etc" test -n "$cli_msg"
tui_expect "${cli_msg:0:60}" "a file onto a directory: the command line's message"
set_field $F_VOLUMES "../x:/tmp/x"
tui_expect "volume name '../x' has '.'" "a named volume's bad name: the runtime's rule"
set_field $F_VOLUMES "/tmp/anon"
tui_expect_gone "/tmp/anon'" "an anonymous volume (as run -v /DST) is accepted"
set_field $F_VOLUMES ""

# ---- a detached launch with limits
set_field $F_COMMAND "sleep 1000"
set_field $F_NAME "$D"
set_field $F_CPUS 0.5
set_field $F_PIDS 20
set_mode detached
tui_keys C-g
tui_expect "$D: sleep runs detached" "detached launch: the status line says so"
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "the Containers view is shown"
ok "list says running" wait_state "$D" running 10
tui_keys d
tui_expect "Detail: cgroup /nstop/$D " "the new container is the selected row (its cgroup in the detail pane)"
is "$(cat "$(ctl_file memory "$D" memory.limit_in_bytes memory.max)")" 67108864 \
	"the kernel's memory limit: 64M"
is "$(cat "$(ctl_file pids "$D" pids.max pids.max)")" 20 "the kernel's pids.max: 20"
cpu=$(cat "$(ctl_file cpu "$D" cpu.cfs_quota_us cpu.max)")
case $cpu in 50000|"50000 100000") pass "the kernel's cpu quota: half a cpu ($cpu)" ;;
	*) fail "the kernel's cpu quota: half a cpu" "got '$cpu'" ;; esac

# ---- shell mode: the shell takes the terminal, nstop comes back
tui_keys r
tui_expect "Launch a container" "r again: the form"
ok "the form keeps the last values" field_has Pids '20 *$'
ok "but not the name" field_has Name '$'
set_field $F_NAME "$D"
tui_expect "container $D already exists (running)" "a name in use: said as it is typed"
set_field $F_COMMAND sh
set_field $F_NAME "$SH"
field $F_OVERLAY
tui_keys y
tui_expect "an overlay needs a directory as Root" "Overlay yes over the host's root: refused"
tui_keys n
tui_expect_gone "an overlay needs" "Overlay no: fine again"
set_field $F_CPUS ""
set_field $F_PIDS ""
set_field $F_MEMORY ""
set_field $F_VOLUMES "$OUT:/tmp/out"
set_mode shell
tui_keys C-g
if tui_wait_gone "Launch a container" 10 && shell_prompt; then
	pass "shell mode: a shell prompt, nstop out of the way"
else
	fail "shell mode: a shell prompt, nstop out of the way" "$(tui_screen)"
fi
tui_expect "nstop: sh in the new container $SH; exit it to come back" \
	"shell mode: one line says where the shell is and the way back"
tui_type 'hostname >/tmp/out/h; echo $$ >/tmp/out/pid; stty -a >/tmp/out/stty; exit'
tui_keys Enter
tui_expect "$SH: sh exited 0" "the shell exits (0, as typed): nstop is back, and says so"
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "back on the Containers view"
tui_expect "Detail: cgroup /nstop/$SH " "with the new container selected, detail pane still open"
is "$(cat "$OUT/h" 2>/dev/null)" "$SH" "inside: the hostname is the container's (written through the volume)"
is "$(cat "$OUT/pid" 2>/dev/null)" 2 "inside: the shell is pid 2 of the container's pid namespace"
ok "inside: the shell had a cooked terminal (icanon, echo)" stty_cooked "$OUT/stty"
ok "after the shell: the container still runs (list -J)" wait_state "$SH" running 5
is "$(list_get "$SH" .command)" '"(idle)"' "it is an idle container"
tui_expect_re "^$SH +running " "and the Containers view shows it running"
tui_keys Down Up
tui_expect "Detail: cgroup /nstop/" "nstop still takes keys"

# ---- foreground mode: the command is the container, on the terminal
tui_keys r
tui_wait "Launch a container"
set_field $F_COMMAND "sh -c 'echo \"fg \$\$\" >/tmp/out/fg; exit 3'"
set_field $F_NAME "$FG"
set_field $F_VOLUMES "$OUT:/tmp/out"
set_mode foreground
tui_keys C-g
tui_expect "$FG: sh ended with exit status 3" "foreground: the command's exit status in the status line"
is "$(cat "$OUT/fg" 2>/dev/null)" "fg 2" "foreground: the quoted command ran as pid 2 inside"
ok "foreground: the container has exited (list -J)" wait_state "$FG" exited 5
is "$(list_get "$FG" .exit_code)" 3 "its exit code is recorded"
tui_expect "Detail: cgroup /nstop/$FG " "and it is the selected row"

# ---- a launch the runtime refuses: its reason, nothing left behind
tui_keys r
tui_wait "Launch a container"
set_field $F_COMMAND "no-such-command-$$"
set_field $F_NAME "$NEVER"
set_mode detached
tui_keys C-g
tui_expect "launch: no-such-command-$$: No such file or directory" \
	"a command that cannot run: rt_run's reason in the status line"
ok "nothing left: no state directory" test ! -e "$STATE_DIR/$NEVER"
listed "$NEVER" && fail "nothing left: not listed" || pass "nothing left: not listed"
left=""
for m in $(cg_mounts); do
	[ -e "$m/$CG_PARENT/$NEVER" ] && left="$left $m/$CG_PARENT/$NEVER"
done
is "$left" "" "nothing left: no cgroup in any hierarchy"

# ---- the limits dialog
tui_keys /
tui_type "$D"
tui_keys Enter
tui_expect "Detail: cgroup /nstop/$D " "search: $D selected"
tui_keys L
tui_expect "Limits of $D" "L: the limits dialog of the selected container"
ok "Memory shows 64M" field_has Memory '64M_? *$'
ok "CPUs shows 0.5" field_has CPUs '0\.5 *$'
ok "Pids shows 20" field_has Pids '20 *$'
ok "Cpuset is empty (none set)" field_has Cpuset '$'
set_field 0 ""
tui_expect "a limit cannot be removed" "emptying a set limit: said (rt_update cannot clear one)"
set_field 0 128M
tui_keys C-g
tui_expect "$D: memory 128M" "Apply: the status line says what changed"
is "$(cat "$(ctl_file memory "$D" memory.limit_in_bytes memory.max)")" 134217728 \
	"the kernel's memory limit: 128M"
tui_expect "limit 128M" "the detail pane shows the new limit"
tui_expect "top of the scale 128M" "the plot is scaled to the new limit line"
is "$(cat "$(ctl_file pids "$D" pids.max pids.max)")" 20 "pids untouched"

tui_keys L
tui_wait "Limits of $D"
set_field 0 4K
tui_keys C-g
tui_expect "below current usage" "a limit below the usage: the reason on screen"
is "$(cat "$(ctl_file memory "$D" memory.limit_in_bytes memory.max)")" 134217728 \
	"the kernel's limit is unchanged"
tui_keys Escape
tui_expect_gone "Limits of $D" "Esc closes the dialog"

tui_keys q
is "$(tui_status)" 0 "q: exit 0"
ok "the terminal is restored" tui_terminal_sane
ok "both containers outlive nstop" both_running

done_testing
