#!/bin/bash
# The walk issue 5 is judged by, as one session in one terminal: from the
# Containers view, launch a sandbox from the form in shell mode and work in
# its shell, come back, freeze and thaw it, raise its memory, move a process
# in, enter it, read a detached container's log as it grows, remove both
# (n keeps, y removes), then enter the namespaces of a container runc made,
# and quit. Every step is checked on the screen and in the kernel's files.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd runc busybox jq

# Every name of ours starts with $RTC: rt-lib's rtc_reap removes what is left.
RTC=nstop-test-journey-$$
rtc_name sh
SB=$RTC_NAME
rtc_name log
LG=$RTC_NAME
OUT=$TUI_DIR/out
mkdir -p "$OUT"

# wait_file FILE WANT [SECONDS]: until FILE's content is WANT.
wait_file() {
	local tries=$(( ${3:-8} * 10 )) i
	for ((i = 0; i < tries; i++)); do
		[ "$(cat "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# is_file FILE WANT NAME: an assertion on a kernel's file, polled.
is_file() {
	if wait_file "$1" "$2"; then
		pass "$3"
	else
		fail "$3" "$1 holds '$(cat "$1" 2>&1)', not '$2'"
	fi
}

# A root shell's prompt, alone on the cursor's line: dash's "# ", busybox's
# "/ # " (and bash's "root@HOST:DIR# " should $SHELL be bash). Anchored:
# nstop's ASCII sparklines end lines with # too.
wait_prompt() {
	tui_wait_re '^(/ )?# *$|^root@[^ ]+# *$' "${1:-10}"
}

# bail WHY: a step the rest depends on failed; typing on would go to the
# wrong program (a shell, a foreground payload) for minutes.
bail() {
	fail "$1" "$(tui_screen)"
	done_testing
}

# Every hierarchy's cgroup.procs of container NAME has PID.
in_every_hierarchy() {
	local m n=0
	for m in $(cg_mounts); do
		grep -qx "$2" "$m/$CG_PARENT/$1/cgroup.procs" 2>/dev/null || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

FRZ=$(ctl_file freezer "$SB" freezer.state cgroup.freeze)
MEM=$(ctl_file memory "$SB" memory.limit_in_bytes memory.max)
PIDS=$(ctl_file pids "$SB" pids.max pids.max)
[ -n "$FRZ" ] && [ -n "$MEM" ] || cannot_run "no freezer or no memory controller in any hierarchy"
case $FRZ in */freezer.state) FROZEN=FROZEN THAWED=THAWED ;; *) FROZEN=1 THAWED=0 ;; esac

# ---- 1. nstop starts; the Containers view -----------------------------------------
# A config of its own (a saved view would change where nstop starts); the
# shell E runs without mnt is $SHELL's: a known one.
tui_start XDG_CONFIG_HOME=$TUI_DIR/cfg SHELL=/bin/sh
tui_expect "    PID USER" "nstop starts in the Processes view"
tui_expect "rRun" "its status bar hints r (run), which works from any view"
tui_keys Tab Tab Tab
if [ "$("$NSTOP" list -J | jq '.containers | length')" = 0 ]; then
	tui_expect "No containers are running" "an empty Containers view says so"
	tui_expect "Start one with:  r (the launch form)" "and says how to start one: r"
else
	# Other tests' containers (a shared host): the view lists them instead.
	diag "containers of others exist: the empty view's words are not checked"
	tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "the Containers view lists the containers there are"
fi
tui_expect "zFreeze LLimits JMove XExec OLog DRemove" "its status bar hints the keys on a container (from the key table)"

# ---- 2. a sandbox from the form, its shell on the terminal ---------------------------
tui_keys r
tui_expect "Launch a container" "r: the launch form"
tui_expect "Mode          [shell]" "shell mode is the default"
tui_keys Down C-u
tui_type "$SB"
tui_keys Down
tui_expect "Root          host" "the root is the host's by default"
tui_keys Down Down C-u
# /out does not exist on the host: under its read-only root it is refused, with why.
tui_type "$OUT:/out"
tui_expect "target /out is not in the host's read-only root" "a volume target outside the root is refused as typed"
tui_keys C-u
tui_type "$OUT:/tmp/out"
tui_expect_gone "is not in the host's read-only root" "a target under /tmp is accepted"
tui_keys Down C-u
tui_type 64M
tui_keys Down Down Down C-u
tui_type 64
tui_wait "Pids          64"
tui_keys C-g
wait_prompt 15 || bail "^G: no shell took the terminal"
pass "^G: the shell takes the terminal"
tui_expect "nstop: sh in the new container $SB; exit it to come back" "it says where the user is and the way back"
tui_type "hostname >/tmp/out/h; ls /proc | grep -c '^[0-9]' >/tmp/out/n; stty -a >/tmp/out/stty; echo hi >/tmp/out/typed; exit"
tui_keys Enter
tui_expect "$SB: sh exited 0; the container keeps running" "the shell exits: nstop is back and says so" 15
is "$(cat "$OUT/typed" 2>&1)" hi "what was typed ran inside"
is "$(cat "$OUT/h" 2>&1)" "$SB" "the hostname inside is the container's name"
n=$(cat "$OUT/n" 2>/dev/null)
ok "a pid namespace of its own: ${n:-no} processes seen in /proc (at most 5)" test "${n:-99}" -le 5 -a "${n:-0}" -ge 1
ok "the shell had a cooked terminal with echo" \
	eval 'grep -qw icanon "$OUT/stty" && grep -qw echo "$OUT/stty" && ! grep -qw -- -echo "$OUT/stty"'
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "back in the Containers view"
ok "its row says running" wait_row_state "$SB" running
is "$(list_get "$SB" .state)" '"running"' "list: it runs (idle) after the shell"
tui_keys d
tui_expect "Detail: cgroup /nstop/$SB" "the new container is the selected row (d)"
tui_expect "limit 64M" "its detail shows the 64M limit"
tui_keys d
tui_expect_gone "Detail: cgroup" "d closes the detail"
is_file "$MEM" 67108864 "the kernel's memory limit is 64M"
[ -n "$PIDS" ] && is_file "$PIDS" 64 "the kernel's pids limit is 64"

# ---- 3. freeze and thaw -----------------------------------------------------------------
tui_keys z y
tui_expect "Froze $SB" "z: the status line says it froze"
ok "z: its row says frozen" wait_row_state "$SB" frozen
is_file "$FRZ" "$FROZEN" "z: the kernel froze it ($(basename "$FRZ") $FROZEN)"
tui_keys z y
tui_expect "Thawed $SB" "z again: thawed"
ok "z again: its row says running" wait_row_state "$SB" running
is_file "$FRZ" "$THAWED" "z again: the kernel thawed it ($(basename "$FRZ") $THAWED)"

# ---- 4. raise its memory ------------------------------------------------------------------
tui_keys L
tui_expect "Limits of $SB" "L: the limits dialog names it"
if tui_wait_re ' Memory +64M_?( |$)'; then
	pass "the dialog shows the current 64M"
else
	fail "the dialog shows the current 64M" "$(tui_screen)"
fi
tui_keys C-u
tui_type 128M
tui_keys C-g
tui_expect "$SB: memory 128M" "Apply: the status line says memory 128M"
is_file "$MEM" 134217728 "the kernel's memory limit is 128M"
ok "its row says 128M" tui_wait_re "^$SB +running +[0-9]+ +128M "
tui_keys d
tui_expect "limit 128M" "the detail pane shows the new limit"
tui_keys d
tui_wait_gone "Detail: cgroup"

# ---- 5. move a process in -------------------------------------------------------------
spawn_bg sleep 1000.5
SP=$SPAWNED
# Removing the container kills it: no "Killed" notice from this shell.
disown "$SP"
tui_keys Tab
tui_expect "    PID USER" "Tab: the Processes view"
ok "typing its digits selects the process" tui_select_pid "$SP"
tui_keys d
tui_expect "Detail: process $SP (" "the sleep is the selected process"
tui_keys d BTab
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "Shift-Tab: back to the Containers view"
tui_keys J
tui_expect "Move PID into $SB: $SP" "J: the prompt names the container, filled with that pid"
tui_keys Enter
tui_expect "Moved $SP into $SB" "Enter: the status line says it moved"
ok "the pid is in the container's cgroup.procs in every hierarchy" in_every_hierarchy "$SB" "$SP"
# The other way: m on a process, the container picked from a menu.
spawn_bg sleep 1000.6
SP2=$SPAWNED
disown "$SP2"
tui_keys Tab
tui_expect "    PID USER" "Tab: the Processes view again"
ok "typing its digits selects the second sleep" tui_select_pid "$SP2"
tui_keys J
tui_expect "Move PID $SP2 (" "J on a process: a menu of containers"
key=$(tui_screen | grep -o "[0-9a-z]  $SB (running)" | cut -c1)
if [ -n "$key" ]; then pass "the sandbox is in the menu (key $key)"; else fail "the sandbox is in the menu" "$(tui_screen)"; fi
tui_keys "${key:-Escape}"
tui_confirm "Move PID $SP2 into container $SB?" "its key: asks first"
tui_expect "Moved $SP2 into $SB" "its key: the status line says it moved"
ok "the second pid is in the container's cgroup.procs in every hierarchy" in_every_hierarchy "$SB" "$SP2"
tui_keys BTab
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "Shift-Tab: the Containers view"

# ---- 6. enter it -------------------------------------------------------------------------
tui_keys X
tui_expect "nstop: a shell in $SB; exit it to come back" "X: nstop steps aside and says where the shell is" 10
wait_prompt || bail "e: no shell's prompt"
pass "e: the shell's prompt"
tui_type "hostname >/tmp/out/h2; exit"
tui_keys Enter
tui_expect "Back from $SB (the shell exited 0)" "the shell exits: nstop is back" 15
is "$(cat "$OUT/h2" 2>&1)" "$SB" "the hostname seen by e is the container's name"
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "back in the Containers view"

# ---- 7. logs ------------------------------------------------------------------------------
# The sandbox's own log: its shell was on the terminal, its init says nothing.
tui_keys O
tui_expect "Log of $SB" "O on the sandbox: its log viewer"
tui_expect "(the log is empty so far)" "which says the log is empty"
ok "as the kernel's file is" test ! -s "$STATE_DIR/$SB/log"
tui_keys q
tui_expect_gone "Log of $SB" "q closes it"
tui_keys r
tui_expect "Launch a container" "r again: the form"
tui_keys C-u
tui_type "sh -c 'i=0; while :; do echo line-\$i; i=\$((i+1)); sleep 0.2; done'"
tui_keys Down C-u
tui_type "$LG"
tui_keys End Up
for i in 1 2 3; do
	tui_wait_re ' Mode +shell +foreground +\[detached' 1 && break
	tui_keys Right
done
if tui_wait_re ' Mode +shell +foreground +\[detached' 1; then
	pass "Mode: detached"
else
	fail "Mode: detached" "$(tui_screen)"
fi
tui_keys C-g
tui_expect "$LG: sh runs detached" "^G: the status line says it runs detached" 15
wait_state "$LG" running || bail "the detached container $LG does not run"
tui_keys O
tui_expect "Log of $LG" "O: the log viewer of the detached one"
tui_expect "line-3" "it shows the lines written"
first=$(tui_screen | sed -n 's/.*Log of .*following, \([0-9]*\) lines.*/\1/p')
more=$((${first:-0} + 5))
ok "new lines appear while it stays open (line-$more)" tui_wait "line-$more" 10
ok "the kernel's log file has them too" grep -qx "line-$more" "$STATE_DIR/$LG/log"
tui_keys q
tui_expect_gone "Log of $LG" "q closes the log"

# ---- 8. remove both ------------------------------------------------------------------------
LGPID=$(init_pid "$LG")
tui_keys D
tui_expect_re "Remove $LG\\? It is running: .*will be killed\\. y/n" "D: asks, naming it and saying it will be killed"
tui_keys n
tui_expect "$LG kept" "n: kept"
sleep 0.3
is "$(list_get "$LG" .state)" '"running"' "after n it still runs"
ok "its init lives" test -e "/proc/$LGPID"
tui_keys D
tui_expect "Remove $LG?" "D again"
tui_keys y
tui_expect "Removed $LG" "y: the status line says removed" 15
assert_gone "$LG" "$LGPID"
ok "its row is gone" tui_wait_gone "$LG " 5
# Back to the sandbox: search its name.
SBPID=$(init_pid "$SB")
tui_keys /
tui_type "$SB"
tui_keys Enter
tui_keys d
tui_expect "Detail: cgroup /nstop/$SB" "/: the search selects the sandbox"
# Its init and the sleeps moved in: the question counts them all.
nprocs=$(grep -c . "$(dirname "$MEM")/cgroup.procs")
is "$nprocs" 3 "the kernel: 3 processes in the sandbox's cgroup (its init, two sleeps)"
tui_keys d D
tui_expect "Remove $SB? It is running: its $nprocs processes will be killed. y/n" \
	"D on the sandbox: asks, counting the process moved in"
tui_keys y
tui_expect "Removed $SB" "y: removed" 15
assert_gone "$SB" "$SBPID" "$SP" "$SP2"
mine=$("$NSTOP" list -J | jq --arg p "$RTC" '[.containers[] | select(.name | startswith($p))] | length')
is "$mine" 0 "nstop list -J: none of ours"

# ---- 9. a runc container's namespaces -------------------------------------------------------
ID=$RTC-runc
CG=$RTC-runc
HOST=nstop-test-journey-runc
BUNDLE=$(mktemp -d /tmp/nstop-test-journey.XXXXXX)
register_path "$BUNDLE"
# A writable root: the shell entered leaves what it saw in its /tmp.
ok "a busybox bundle with runc's spec" runc_bundle "$BUNDLE" "$CG" \
	'.root.readonly = false | .hostname = "'"$HOST"'"'
runc_start "$ID" "$BUNDLE" "$CG"
rc=$?
is "$rc" 0 "runc run -d $ID"
[ "$rc" = 0 ] || diag "$(cat "$BUNDLE/log")"
P=${RUNC_PID:-}
ok "runc's init ($P) runs sleep" wait_comm "${P:-0}" sleep
tui_keys Tab
tui_expect "    PID USER" "Tab: the Processes view"
ok "typing its digits selects runc's process" tui_select_pid "$P"
tui_keys E
tui_expect "Enter PID $P's namespaces (" "E: the dialog names the process"
for t in mnt uts pid net ipc; do
	ok "the dialog shows its $t namespace ($(ns_inode "$P" $t)), checked" \
		tui_wait_re "\\[x\\] $t +$(ns_inode "$P" $t) +differs from nstop's"
done
tui_expect "The shell will see:" "it says what the shell will see"
tui_expect "its hostname: $HOST" "its hostname among them"
tui_expect "It will NOT share with PID $P:" "and what it will not share"
tui_expect "its credentials" "its credentials are not shared"
tui_keys Enter
tui_expect "nstop: a shell in PID $P's" "Enter: nstop steps aside and names the process" 10
wait_prompt || bail "E: no shell's prompt"
pass "E: the shell's prompt"
tui_type '{ hostname; readlink /proc/self/ns/uts; } >/tmp/e-out; exit'
tui_keys Enter
tui_expect "Back from PID $P (the shell exited 0)" "the shell exits: nstop is back" 15
tui_expect "    PID USER" "back in the Processes view"
is "$(sed -n 1p "$BUNDLE/rootfs/tmp/e-out" 2>&1)" "$(runc exec "$ID" hostname 2>&1)" \
	"the hostname seen inside is runc exec's"
is "$(sed -n 2p "$BUNDLE/rootfs/tmp/e-out" 2>&1)" "$(readlink "/proc/$P/ns/uts")" \
	"the uts namespace seen inside is the runc container's"
isnt "$(readlink "/proc/$P/ns/uts")" "$(readlink /proc/self/ns/uts)" "which is not the host's"
# Again without mnt: runc's hostname, the host's files.
tui_keys E
tui_expect "Enter PID $P's namespaces (" "E again"
tui_expect "[x] mnt" "mnt is checked"
tui_keys Space
tui_expect "[ ] mnt" "Space on the first (mnt) unchecks it"
tui_expect "the host's files" "the dialog says the shell keeps the host's files"
tui_keys Enter
tui_expect "nstop: a shell in PID $P's" "Enter: a shell" 10
wait_prompt || bail "E without mnt: no shell's prompt"
pass "E without mnt: the shell's prompt"
tui_type "{ hostname; readlink /proc/self/ns/uts /proc/self/ns/mnt; } >$TUI_DIR/e2; exit"
tui_keys Enter
tui_expect "Back from PID $P (the shell exited 0)" "the shell exits: nstop is back" 15
is "$(sed -n 1p "$TUI_DIR/e2" 2>&1)" "$HOST" "without mnt: runc's hostname, written to the host's files"
is "$(sed -n 2p "$TUI_DIR/e2" 2>&1)" "$(readlink "/proc/$P/ns/uts")" "its uts namespace"
is "$(sed -n 3p "$TUI_DIR/e2" 2>&1)" "$(readlink /proc/self/ns/mnt)" "the host's mount namespace"

# ---- 10. quit ------------------------------------------------------------------------------
tui_keys q
is "$(tui_status)" 0 "q: nstop exits 0"
ok "the terminal is sane after nstop" tui_terminal_sane
runc delete -f "$ID" >/dev/null 2>&1
ok "runc's container is gone" gone_soon "$P"
# runc removes its cgroups as it deletes; ours went with nstop rm.
no_cgroup_left() {
	local i m d
	for i in $(seq 50); do
		left=""
		for m in $(cg_mounts); do
			for d in "$m/$CG_PARENT/$RTC"-* "$m/$CG"; do
				[ -e "$d" ] && left="$left $d"
			done
		done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	return 1
}
no_cgroup_left
is "$left" "" "no cgroup of ours in any hierarchy"
is "$(ls -d "$STATE_DIR/$RTC"-* 2>/dev/null)" "" "no state of ours"

done_testing
