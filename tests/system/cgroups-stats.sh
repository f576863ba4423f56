#!/bin/bash
# nstop cgroups and the cgroups[] of nstop -b: a cgroup this test makes,
# with limits it sets and a process it holds, must be reported with the
# numbers the kernel's files give, null where a hierarchy gives none.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq timeout

NAME=nstop-test-stats-$$
V2=$(cg_v2_mount)

# pick ROLE V1CONTROLLER: sets ROLE_DIR and ROLE_HID to our cgroup in the v1
# hierarchy with that controller, or in cgroup2 when there is none.
pick() {
	local role=$1 ctl=$2 m hid
	m=$(cg_v1_mount "$ctl")
	if [ -n "$m" ]; then
		hid=$(cg_hier_id "$ctl")
	elif [ -n "$V2" ]; then
		m=$V2
		hid=0
	else
		cannot_run "no $ctl hierarchy and no cgroup2"
	fi
	printf -v "${role}_DIR" '%s' "$m/$NAME"
	printf -v "${role}_HID" '%s' "$hid"
}
pick MEM memory
pick PIDS pids
pick CPU cpuacct
pick QUOTA cpu
find_freezer || cannot_run "no freezer hierarchy and no cgroup2"
FRZ_DIR=$FRZ_MNT/$NAME
FRZ_HID=$FRZ_ID
diag "memory: $MEM_DIR, pids: $PIDS_DIR, cpu: $CPU_DIR, freezer: $FRZ_DIR"

# cgroup2 gives memory and pids to a child only when its parent enables them.
v2_enabled() {
	grep -qw "$1" "$V2/cgroup.subtree_control" ||
		{ diag "cgroup2 has not enabled $1 in $V2/cgroup.subtree_control"; return 1; }
}
[ "$MEM_HID" = 0 ] && { v2_enabled memory || cannot_run "cgroup2 memory controller not enabled"; }
[ "$PIDS_HID" = 0 ] && { v2_enabled pids || cannot_run "cgroup2 pids controller not enabled"; }

[ "$QUOTA_HID" = 0 ] && { v2_enabled cpu || cannot_run "cgroup2 cpu controller not enabled"; }

DIRS=$(printf '%s\n' "$MEM_DIR" "$PIDS_DIR" "$CPU_DIR" "$QUOTA_DIR" "$FRZ_DIR" ${V2:+"$V2/$NAME"} | sort -u)
for d in $DIRS; do
	ok "made $d" cg_make "$d"
done
if [ "$MEM_HID" = 0 ]; then
	ok "memory.max 64M" eval 'echo 67108864 >"$MEM_DIR/memory.max"'
else
	ok "memory.limit_in_bytes 64M" eval 'echo 67108864 >"$MEM_DIR/memory.limit_in_bytes"'
fi
ok "pids.max 50" eval 'echo 50 >"$PIDS_DIR/pids.max"'
if [ "$QUOTA_HID" = 0 ]; then
	ok "cpu.max half a cpu" eval 'echo "50000 100000" >"$QUOTA_DIR/cpu.max"'
else
	ok "cpu.cfs_quota_us half a cpu" eval 'echo 100000 >"$QUOTA_DIR/cpu.cfs_period_us" &&
		echo 50000 >"$QUOTA_DIR/cpu.cfs_quota_us"'
fi

spawn_bg sleep 1000
SLEEPER=$SPAWNED
for d in $DIRS; do
	ok "the sleep moves into $d" cg_move "$SLEEPER" "$d"
done

# node FILE HID: our cgroup's record in nstop's output, nested or flat.
node() {
	jq -c --argjson h "$2" --arg p "/$NAME" \
		'first(.cgroups | .. | objects | select(.hierarchy? == $h and .path? == $p))' "$1"
}
# val FILE HID KEY
val() { node "$1" "$2" | jq -c --arg k "$3" '.[$k]'; }

run_nstop tree cgroups -J
is "$NSTOP_RC" 0 "nstop cgroups -J exits 0"
T=$(out tree)
ok "the trees are nested with children" \
	jq -e '.cgroups | length > 0 and all(.[]; .children | type == "array")' "$T"
for d in $DIRS; do
	m=${d%/"$NAME"}
	h=$(jq -r --arg m "$m" '.host.hierarchies[] | select(.mount == $m) | .hierarchy' "$T")
	is "$(node "$T" "${h:--1}" | jq -c '[.path, .nprocs]')" "[\"/$NAME\",1]" \
		"hierarchy ${h:-?} ($m): our cgroup is in the tree with 1 process"
done
is "$(val "$T" "$MEM_HID" memory_limit_bytes)" 67108864 "memory_limit_bytes is 64M"
is "$(val "$T" "$PIDS_HID" pids_limit)" 50 "pids_limit is 50"
is "$(val "$T" "$PIDS_HID" pids_current)" 1 "pids_current is 1"
is "$(val "$T" "$FRZ_HID" frozen)" false "frozen is false"
if [ "$MEM_HID" = 0 ]; then mem_file=memory.current; else mem_file=memory.usage_in_bytes; fi
is "$(val "$T" "$MEM_HID" memory_bytes)" "$(cat "$MEM_DIR/$mem_file")" "memory_bytes is $mem_file's"

# ---- freeze and thaw ------------------------------------------------------------------
ok "the kernel freezes our cgroup" cg_freeze "$FRZ_DIR"
run_nstop frozen cgroups -J
is "$(val "$(out frozen)" "$FRZ_HID" frozen)" true "frozen is true when frozen"
run_nstop frozen-b -b -n 1 -J
is "$(jq -c --argjson h "$FRZ_HID" --arg p "/$NAME" \
	'.cgroups[] | select(.hierarchy == $h and .path == $p) | .frozen' "$(out frozen-b)")" true \
	"-b -J cgroups[]: frozen is true"
is "$(jq -r --argjson p "$SLEEPER" '.processes[] | select(.pid == $p) | .state' "$(out frozen-b)")" \
	"$(awk '{ print $3 }' "/proc/$SLEEPER/stat")" "the frozen process's state is /proc's"
ok "the kernel thaws our cgroup" cg_thaw "$FRZ_DIR"
run_nstop thawed cgroups -J
is "$(val "$(out thawed)" "$FRZ_HID" frozen)" false "frozen is false after thawing"

# ---- cpu -------------------------------------------------------------------------------
if [ "$CPU_HID" = 0 ]; then
	cpu_usec() { awk '$1 == "usage_usec" { print $2 }' "$CPU_DIR/cpu.stat"; }
else
	cpu_usec() { echo $(($(cat "$CPU_DIR/cpuacct.usage") / 1000)); }
fi
before=$(val "$T" "$CPU_HID" cpu_usage_usec)
ok "cpu_usage_usec is a number ($before)" test "$before" -ge 0
# A busy loop in our cgroup, bounded to two seconds of wall time (a loaded
# machine gives it much less cpu than that, but never under 10 ms).
sh -c 'echo $$ >"$1/cgroup.procs" && exec timeout 2 sh -c "while :; do :; done"' sh "$CPU_DIR"
run_nstop burnt cgroups -J
after=$(val "$(out burnt)" "$CPU_HID" cpu_usage_usec)
ok "cpu_usage_usec grows by more than 10 ms after a busy loop ($before -> $after)" \
	test "$after" -ge $((before + 10000))
is "$after" "$(cpu_usec)" "cpu_usage_usec is the kernel's, once the cgroup is idle"

# ---- -b -n 2 -d 0.5 -J -------------------------------------------------------------------
run_nstop two -b -n 2 -d 0.5 -J
is "$NSTOP_RC" 0 "nstop -b -n 2 -d 0.5 -J exits 0"
TWO=$(out two)
is "$(grep -c . "$TWO")" 2 "two snapshots, two lines"
ok "each line is one JSON document" is_json_lines "$TWO"
sed -n 2p "$TWO" >"$TEST_TMP/second.json"
S=$TEST_TMP/second.json
is "$(jq -r '[.processes[].cpu_percent | type] | unique | join(",")' "$S")" number \
	"the second snapshot: every process's cpu_percent is a number"
is "$(jq -r --argjson h "$CPU_HID" --arg p "/$NAME" \
	'.cgroups[] | select(.hierarchy == $h and .path == $p) | .cpu_percent | type' "$S")" number \
	"the second snapshot: our cgroup's cpu_percent is a number"
ok "the snapshots are 0.5 s apart or more" test "$(jq -rs '.[0].time != .[1].time' "$TWO")" = true

# ---- cgroups -d: the use over an interval, as systemd-cgtop -------------------------------
sh -c 'echo $$ >"$1/cgroup.procs" && exec timeout 4 sh -c "while :; do :; done"' sh "$CPU_DIR" &
BURN=$!
run_nstop over cgroups -d 1 -J
is "$NSTOP_RC" 0 "nstop cgroups -d 1 -J exits 0"
pct=$(val "$(out over)" "$CPU_HID" cpu_percent)
ok "-d 1: our cgroup's cpu_percent is measured while a loop runs in it ($pct)" \
	awk -v p="$pct" 'BEGIN { exit !(p + 0 > 5) }'
run_nstop overtext cgroups -d 0.3
ok "-d: the CPU% column is shown by default" grep -q '^CGROUP  *NPROCS  *CPU%  *CPU ' "$(out overtext)"
wait "$BURN"

# ---- human units and a raw output for scripts ----------------------------------------------
is "$(val "$T" "$QUOTA_HID" cpus)" 0.5 "JSON: cpus is the quota over the period (0.5)"
LC_ALL=C.UTF-8 run_nstop raw cgroups -r -o CPUS,CPU,MEM
is "$NSTOP_RC" 0 "nstop cgroups -r exits 0"
LC_ALL=C.UTF-8 run_nstop rawdef cgroups -r
ok "-r under a UTF-8 locale: no escaped bytes, no tree" \
	sh -c 'test "$(wc -l <"$1")" -gt 2 && ! grep -q "\\\\x" "$1"' sh "$(out rawdef)"
line() { awk -v n="$1" '$1 == n' "$(out raw)"; }
quota_ctl=$(jq -r --argjson h "$QUOTA_HID" '.host.hierarchies[] | select(.hierarchy == $h)
	| if .version == "v2" then "" else .controllers end' "$T")
qline=$(line "$QUOTA_HID:$quota_ctl:/$NAME")
diag "raw line of our cpu cgroup: $qline"
is "$(echo "$qline" | awk '{ print $2 }')" 0.50 "-r: our cgroup named ID:CONTROLLERS:PATH, its CPUS 0.50"
cpu_ctl=$(jq -r --argjson h "$CPU_HID" '.host.hierarchies[] | select(.hierarchy == $h)
	| if .version == "v2" then "" else .controllers end' "$T")
ok "-r: cpu time in human units ($(line "$CPU_HID:$cpu_ctl:/$NAME" | awk '{ print $3 }'))" \
	sh -c 'echo "$1" | grep -Eq "^([0-9]+\.[0-9]+s|[0-9]+m[0-9]{2}s|[0-9]+h[0-9]{2}m)$"' sh \
	"$(line "$CPU_HID:$cpu_ctl:/$NAME" | awk '{ print $3 }')"
mem_ctl=$(jq -r --argjson h "$MEM_HID" '.host.hierarchies[] | select(.hierarchy == $h)
	| if .version == "v2" then "" else .controllers end' "$T")
ok "-r: memory in human units" sh -c 'echo "$1" | grep -Eq "^[0-9.]+[KMG]?$"' sh \
	"$(line "$MEM_HID:$mem_ctl:/$NAME" | awk '{ print $4 }')"

# A v1 hierarchy gives only what its controllers give: null, never 0.
nulls() {	# CONTROLLER KEYS: the non-null KEYS of v1 hierarchies without CONTROLLER
	jq -c --arg c "$1" --argjson keys "$2" '[.host.hierarchies[] | select(.version == "v1"
		and (.controllers | split(",") | index($c) | not)) | .hierarchy] as $hs
		| [.cgroups[] | select(.hierarchy as $h | $hs | index($h)) as $cg
		   | $keys[] | select($cg[.] != null) | "\($cg.hierarchy):\($cg.path):\(.)"] | .[:5]' "$S"
}
is "$(nulls memory '["memory_bytes","memory_limit_bytes","oom_kills"]')" "[]" \
	"v1 hierarchies without memory: memory keys are null"
is "$(nulls pids '["pids_current","pids_limit"]')" "[]" "v1 hierarchies without pids: pids keys are null"
is "$(nulls freezer '["frozen"]')" "[]" "v1 hierarchies without freezer: frozen is null"
is "$(nulls cpuacct '["cpu_usage_usec"]')" "[]" "v1 hierarchies without cpuacct: cpu_usage_usec is null"
if [ "$PIDS_HID" != 0 ]; then
	is "$(val "$S" "$PIDS_HID" memory_bytes)" null "our cgroup in the pids hierarchy: memory_bytes is null"
fi
is "$(jq -c '[.host.hierarchies[] | select(.version == "v1") | .hierarchy] as $hs
	| [.cgroups[] | select(.hierarchy as $h | $hs | index($h)) | .psi | values]' "$S")" "[]" \
	"v1 hierarchies: psi is null (v1 has no pressure files)"
if [ -n "$V2" ]; then
	if cat "$V2/$NAME/cpu.pressure" >/dev/null 2>&1; then
		want='["cpu_some_avg10","io_full_avg10","io_some_avg10","memory_full_avg10","memory_some_avg10"]'
		is "$(val "$S" 0 psi | jq -c 'keys')" "$want" "cgroup2 with PSI on: psi has its averages"
		is "$(val "$S" 0 psi | jq -r '[.[] | type] | unique | join(",")')" number \
			"cgroup2 with PSI on: the averages are numbers"
	else
		is "$(val "$S" 0 psi)" null "cgroup2 with PSI off: psi is null"
	fi
fi

done_testing
