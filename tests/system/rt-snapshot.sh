#!/bin/bash
# nstop's containers in the snapshot (DESIGN.md, JSON): `nstop -b -J` lists
# them in containers[] exactly as `nstop list -J` does, and names the
# container of each process that is in one ("container": NAME, else null).
#
# NOT in SYSTEM_TESTS yet: the scan does not fill these in this branch (see
# /tmp/rt-bugs.md WIRE-6). Add it there when it is wired.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq

rtc_name snap
N=$RTC_NAME
run_nstop run run -d --name "$N" --memory 64M -- sh -c 'sleep 1000 & wait'
is "$NSTOP_RC" 0 "run -d $N"
P=$(init_pid "$N")
register_pid $P
wait_children "$P" 1
S=${KIDS%% *}
spawn_bg sleep 1000
H=$SPAWNED

run_nstop snap -b -n 1 -J
is "$NSTOP_RC" 0 "nstop -b -n 1 -J exits 0"
F=$(out snap)
ok "it is JSON" is_json_lines "$F"
# containers[] adds keys (the kernel's limits among them) to list -J's.
KEEP='{name, state, pid, created, rootfs, limits: (.limits | {memory_bytes, cpu_quota_usec, cpu_period_usec, cpu_weight, cpuset, pids_max}), exit_code}'
from_list=$(list_get "$N" "$KEEP")
from_snap=$(jq -c --arg n "$N" 'first(.containers[]? | select(.name == $n and .engine == "nstop")) |
	'"$KEEP" "$F")
is "$from_snap" "$from_list" "containers[] holds $N as list -J shows it"
for p in $P $S; do
	is "$(jq -r --argjson p "$p" 'first(.processes[] | select(.pid == $p)) | .container | .engine + ":" + .name' "$F")" "nstop:$N" \
		"process $p (inside) has container $N"
done
is "$(jq -r --argjson p "$H" 'first(.processes[] | select(.pid == $p)) | .container' "$F")" null \
	"a host process has container null"

run_nstop rm rm -f "$N"
run_nstop snap2 -b -n 1 -J
is "$(jq --arg n "$N" '[.containers[]? | select(.name == $n)] | length' "$(out snap2)")" 0 \
	"after rm, containers[] no longer holds it"
assert_gone "$N" $P $S

done_testing
