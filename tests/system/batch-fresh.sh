#!/bin/bash
# nstop -b -n N reads everything in every snapshot: the interactive view may
# read a sleeping process's cgroup file only every third refresh, batch mode
# must not. Sleepers that another process moves to our cgroup between the
# first and the second snapshot show there in the second, as /proc says.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq timeout

NAME=nstop-test-tuip-fresh-$$
MNT=$(cg_v1_mount pids)
if [ -n "$MNT" ]; then
	HID=$(cg_hier_id pids)
else
	MNT=$(cg_v2_mount)
	HID=0
fi
[ -n "$MNT" ] && [ -n "$HID" ] || cannot_run "no pids hierarchy and no cgroup2"
DIR=$MNT/$NAME
cg_make "$DIR" || cannot_run "cannot make $DIR"

# Six sleepers: their pids fall on every turn of a one-in-three schedule.
SLEEPERS=
for _ in 1 2 3 4 5 6; do
	spawn_bg sleep 300
	SLEEPERS="$SLEEPERS $SPAWNED"
done

# Three snapshots a second apart; the move comes right after the first.
OUT=$(out batch)
timeout 60 "$NSTOP" -b -n 3 -d 1 -J >"$OUT" 2>"$TEST_TMP/batch.err" &
BATCH=$!
register_pid "$BATCH"
for _ in $(seq 200); do
	[ -s "$OUT" ] && break
	sleep 0.02
done
ok "the first snapshot is out" test -s "$OUT"
moved=0
for p in $SLEEPERS; do
	cg_move "$p" "$DIR" && moved=$((moved + 1))
done
is "$moved" 6 "the sleepers moved to $NAME"
wait "$BATCH"
is "$?" 0 "nstop -b -n 3 exits 0"
is "$(wc -l <"$OUT")" 3 "three snapshots"

for p in $SLEEPERS; do
	want=$(cg_path "$p" "$HID")
	first=$(sed -n 1p "$OUT" | jq -r --argjson p "$p" --argjson h "$HID" \
		'.processes[] | select(.pid == $p) | .cgroups[] | select(.hierarchy == $h) | .path')
	got=$(sed -n 2p "$OUT" | jq -r --argjson p "$p" --argjson h "$HID" \
		'.processes[] | select(.pid == $p) | .cgroups[] | select(.hierarchy == $h) | .path')
	isnt "$first" "/$NAME" "sleeper $p: not yet in $NAME in the first snapshot"
	is "$got" "$want" "sleeper $p: in $want in the second snapshot, as /proc says"
done

done_testing
