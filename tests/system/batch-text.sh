#!/bin/bash
# nstop -b as top -b: aligned columns (libsmartcols), rows no wider than -w
# (the terminal's, else 512), -p and -u selecting rows (and -J's
# processes[]), rows by %CPU high to low unless -s says otherwise, -t
# refused; and the command lines nstop reads itself are the ones ps prints
# (libproc2's escaping) for argv that test its rules.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq ps perl setpriv

# table FILE: the rows of the first frame, header first.
table() {
	awk 'p == 1 && NF == 0 { exit } p == 1 { print } p == 0 && NF == 0 { p = 1 }' "$1"
}

# ---- usage ---------------------------------------------------------------------------
# usage ARG...: exit 2, one line on stderr, nothing on stdout.
usage() {
	run_nstop_quiet usage "$@"
	is "$NSTOP_RC" 2 "nstop $*: exits 2"
	is "$(wc -l <"$TEST_TMP/usage.err")" 1 "nstop $*: one line on stderr"
	is "$(wc -c <"$(out usage)")" 0 "nstop $*: nothing on stdout"
}
usage -b -n 1 -t default
usage -p 1
usage -b -n 1 -p abc
usage -b -n 1 -p 1,,x
usage -b -n 1 -u nstop-test-no-such-user
usage -b -n 1 -w 0
usage -b -n 1 -s bogus

# ---- the processes -------------------------------------------------------------------
LONG=$(printf 'x%.0s' $(seq 1500))
spawn_bg sh -c 'sleep 1000; :' "$LONG"
LONGP=$SPAWNED
# its sleep too, or it outlives the test when the shell is ended
wait_children "$LONGP" 1 || diag "the shell $LONGP started no sleep"
spawn_bg sleep 1001
S1=$SPAWNED
spawn_bg sleep 1002
S2=$SPAWNED
spawn_bg setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1003
NOBODY=$SPAWNED
spawn_bg sh -c 'while :; do :; done'
BUSY=$SPAWNED
wait_comm "$S1" sleep && wait_comm "$S2" sleep && wait_comm "$NOBODY" sleep ||
	fail "the sleepers started"
sleep 0.5

# ---- width and alignment ---------------------------------------------------------------
run_nstop wide -b -n 1
is "$NSTOP_RC" 0 "nstop -b -n 1 exits 0"
max=$(table "$(out wide)" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
ok "no row wider than 512 without a terminal (widest $max)" test "$max" -le 512
ok "the 1,500-character command line is shown, cut" grep -q "sh -c sleep 1000; : xxxx" "$(out wide)"
run_nstop narrow -b -n 1 -w 70 -o pid,user,comm,cmdline
max=$(table "$(out narrow)" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
ok "-w 70: no row wider than 70 (widest $max)" test "$max" -le 70
hdr=$(table "$(out narrow)" | head -1)
# The header's COMMAND starts where every row's command line does.
at=$(awk -v h="$hdr" 'BEGIN { print index(h, "COMMAND") }')
row=$(table "$(out narrow)" | grep -E "^ *$S1 ")
is "$(awk -v r="$row" 'BEGIN { print index(r, "sleep 1001") }')" "$at" \
	"aligned: the command line starts under COMMAND ('$hdr' / '$row')"
pidend=$(awk -v h="$hdr" 'BEGIN { print index(h, "PID") + 2 }')
is "$(awk -v r="$row" -v p="$S1" 'BEGIN { print index(r, p) + length(p) - 1 }')" "$pidend" \
	"aligned: the pid ends under PID's last letter"

# ---- -p, -u ------------------------------------------------------------------------------
run_nstop sel -b -n 1 -p "$S1,$S2" -o pid,comm
is "$(table "$(out sel)" | tail -n +2 | awk '{ print $1 }' | sort -n | tr '\n' ' ')" \
	"$(printf '%s\n' "$S1" "$S2" | sort -n | tr '\n' ' ')" "-p S1,S2: their rows and no other"
run_nstop sel2 -b -n 1 -p "$S1" -p "$S2" -o pid,comm
is "$(table "$(out sel2)" | tail -n +2 | wc -l)" 2 "-p S1 -p S2: two rows"
run_nstop selj -b -n 1 -J -p "$S2"
is "$(jq -c '[.processes[].pid]' "$(out selj)")" "[$S2]" "-J -p S2: processes[] holds S2 alone"
run_nstop user -b -n 1 -u nobody -o pid,user
ok "-u nobody: the sleeper as nobody has its row" grep -Eq "^ *$NOBODY +nobody *\$" "$(out user)"
is "$(table "$(out user)" | tail -n +2 | awk '$2 != "nobody"' | wc -l)" 0 "-u nobody: no other user's row"
run_nstop uid -b -n 1 -u 65534 -o pid,user
ok "-u 65534: the same row" grep -Eq "^ *$NOBODY +nobody *\$" "$(out uid)"

# ---- order -------------------------------------------------------------------------------
run_nstop order -b -n 1 -p "$S1,$BUSY,$S2" -o pid,cpu
is "$(table "$(out order)" | sed -n 2p | awk '{ print $1 }')" "$BUSY" \
	"by %CPU high to low by default: the busy loop first"
run_nstop asc -b -n 1 -s -pid -o pid
table "$(out asc)" | tail -n +2 >"$TEST_TMP/asc"
ok "-s -pid: pids low to high" sort -n -c "$TEST_TMP/asc"
run_nstop desc -b -n 1 -s +pid -o pid
table "$(out desc)" | tail -n +2 >"$TEST_TMP/desc"
ok "-s +pid: pids high to low" sort -n -r -c "$TEST_TMP/desc"

# ---- command lines as ps prints them -------------------------------------------------------
spawn_bg sh -c 'sleep 1000; :' "a b" "" "x
y" "tab	here" "é ü" $'\xff\xfe' "trail "
C1=$SPAWNED
wait_children "$C1" 1 || diag "the shell $C1 started no sleep"
spawn_bg perl -e '$0 = "title ending in two spaces  "; sleep 1000'
C2=$SPAWNED
spawn_bg perl -e '$0 = "esc \x1b[31m"; sleep 1000'
C3=$SPAWNED
spawn_bg perl -e '$0 = ""; sleep 1000'
C4=$SPAWNED
spawn_bg perl -e '$0 = "x "; sleep 1000'
C5=$SPAWNED
# bytes past ASCII alone (no control character sends it to libproc2 anyway)
spawn_bg sh -c 'sleep 1000; :' "é ü" $'\xff\xfe'
C6=$SPAWNED
wait_children "$C6" 1 || diag "the shell $C6 started no sleep"
sleep 0.5
run_nstop cmd -b -n 1 -J
for p in "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$LONGP" "$S1"; do
	is "$(jq -r --argjson p "$p" '.processes[] | select(.pid == $p) | .cmdline' "$(out cmd)")" \
		"$(ps -ww -o args= -p "$p")" "pid $p's command line as ps prints it"
done
# A kernel thread's command line is empty: ps (libproc2) shows its placeholder
# "[comm]", the document null (unknown), also now that nstop reads it itself.
is "$(ps -o args= -p 2)" "[$(cat /proc/2/comm)]" "ps shows kthreadd's placeholder"
is "$(jq -c '.processes[] | select(.pid == 2) | [.comm, .cmdline, .user]' "$(out cmd)")" \
	"[\"$(cat /proc/2/comm)\",null,\"root\"]" "kthreadd: its command line null, its user root"

# ---- root_outside, read once per user namespace ----------------------------------------
# Two user namespaces, two processes each (the shell and its sleep), their
# maps written from here: each process's isolation.root_outside is its own
# namespace's map, not the one read first.
spawn_bg unshare -U sh -c 'sleep 1002; :'
U1=$SPAWNED
spawn_bg unshare -U sh -c 'sleep 1003; :'
U2=$SPAWNED
wait_children "$U1" 1 || diag "the shell $U1 started no sleep"
U1K=$KIDS
wait_children "$U2" 1 || diag "the shell $U2 started no sleep"
U2K=$KIDS
ok "user namespace 1 mapped" sh -c "echo '0 200000 65536' >/proc/$U1/uid_map"
ok "user namespace 2 mapped" sh -c "echo '0 300000 65536' >/proc/$U2/uid_map"
run_nstop uns -b -n 1 -J
for p in $U1 $U1K; do
	is "$(jq --argjson p "$p" '.processes[] | select(.pid == $p) | .isolation.root_outside' "$(out uns)")" \
		200000 "pid $p: root_outside is its user namespace's (200000)"
done
for p in $U2 $U2K; do
	is "$(jq --argjson p "$p" '.processes[] | select(.pid == $p) | .isolation.root_outside' "$(out uns)")" \
		300000 "pid $p: root_outside is its user namespace's (300000)"
done

done_testing
