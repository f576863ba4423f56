#!/bin/bash
# runc's and crun's containers, found from their state directories
# (/run/runc/ID/state.json, /run/crun/ID/status): each process of a
# container this test starts carries {engine, id, name}, and its row in
# containers[] has the limits the bundle set, as the cgroup files say.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq timeout busybox runc crun

RUNC_ID=nstop-test-runc-$$
CRUN_ID=nstop-test-crun-$$
BUNDLES=$(mktemp -d /tmp/nstop-test-engines-runc.XXXXXX) || exit 1
register_path "$BUNDLES"

LIMITS='.linux.resources = {"memory": {"limit": 33554432}, "pids": {"limit": 20},
	"cpu": {"quota": 25000, "period": 100000}}'
ok "a runc bundle" runc_bundle "$BUNDLES/runc" "$RUNC_ID" "$LIMITS"
ok "runc run -d $RUNC_ID" runc_start "$RUNC_ID" "$BUNDLES/runc" "$RUNC_ID"
diag "runc init: $RUNC_PID"

# crun takes runc's bundle as it is, but refuses a hybrid host outright
# ("cgroups in hybrid mode not supported"), even without a cgroup manager:
# there it is left out (its state file is read in test_engine's fixtures),
# and checked on v1 and v2 hosts (make check-vm). Its container there is
# its cgroup, named after its id.
CRUN=
if [ "$(jq -r .host.cgroup_mode < <("$NSTOP" -b -n 1 -J))" != hybrid ]; then
	CRUN=crun
	ok "a crun bundle" runc_bundle "$BUNDLES/crun" "$CRUN_ID" "$LIMITS"
	register_cmd "crun delete -f $CRUN_ID"
	for m in $(cg_mounts); do register_cgroup "$m/$CRUN_ID"; done
	ok "crun run -d $CRUN_ID" crun run -d --bundle "$BUNDLES/crun" \
		--pid-file "$BUNDLES/crun/pid" "$CRUN_ID"
	CRUN_PID=$(cat "$BUNDLES/crun/pid" 2>/dev/null)
	register_pid $CRUN_PID
	diag "crun init: $CRUN_PID"
else
	diag "crun: left out on this hybrid host (crun refuses hybrid hosts)"
fi

run_nstop snap -b -n 1 -J
J=$(out snap)
for e in runc $CRUN; do
	if [ $e = runc ]; then id=$RUNC_ID pid=$RUNC_PID; else id=$CRUN_ID pid=$CRUN_PID; fi
	is "$(jq -c --argjson p "$pid" '.processes[] | select(.pid == $p) | .container' "$J")" \
		"{\"engine\":\"$e\",\"id\":\"$id\",\"name\":\"$id\",\"paused\":false}" "$e: its init's container is $e:$id (from its state directory)"
	c=$(jq -c --arg id "$id" '.containers[] | select(.id == $id)' "$J")
	is "$(jq -r '.engine + " " + .state + " " + (.pids | map(tostring) | join(","))' <<<"$c")" \
		"$e running $pid" "$e: one row, running, with its init"
	is "$(jq -c '.limits | [.memory_bytes, .pids, .cpus]' <<<"$c")" "[33554432,20,0.25]" \
		"$e: the bundle's limits (memory, pids, cpus) as the cgroup files say"
	M=$(cg_v1_mount memory)
	[ -n "$M" ] && is "$(jq -r .limits.memory_bytes <<<"$c")" "$(cat "$M/$id/memory.limit_in_bytes")" \
		"$e: memory limit as $M/$id/memory.limit_in_bytes"
done

# A runc container whose cgroup is not named after it (the caller's own,
# as runc --cgroup-manager=disabled or a shared cgroupsPath leave it) is its
# init and the init's descendants, with no cgroup figures that are not its.
SHARED=nstop-test-shared-$$
ok "a runc bundle in a cgroup named otherwise" runc_bundle "$BUNDLES/shared" "nstop-test-other-$$" \
	'.process.args = ["sh", "-c", "sleep 1000 & sleep 1000"]'
ok "runc run -d $SHARED" runc_start "$SHARED" "$BUNDLES/shared" "nstop-test-other-$$"
wait_children "$RUNC_PID" 1
spawn_bg sleep 1000
OTHER=$SPAWNED
for m in $(cg_mounts); do echo "$OTHER" >"$m/nstop-test-other-$$/cgroup.procs" 2>/dev/null; done
run_nstop shared -b -n 1 -J
c=$(jq -c --arg id "$SHARED" '.containers[] | select(.id == $id)' "$(out shared)")
is "$(jq -r '.pids | map(tostring) | join(",")' <<<"$c")" "$(printf '%s\n' "$RUNC_PID" $KIDS | sort -n | paste -sd,)" \
	"$SHARED: its init and its descendants, not $OTHER, which shares its cgroup"
is "$(jq -c '[.limits.memory_bytes, .cgroups]' <<<"$c")" "[null,[]]" "$SHARED: no cgroup of its own shown"

# A state that names a pid whose start time is not the one recorded (a
# reused pid) names no container: a sleeper with a forged state.
FAKE=nstop-test-fake-$$
spawn_bg sleep 1000
register_path "/run/runc/$FAKE"
mkdir -p "/run/runc/$FAKE"
printf '{"id":"%s","init_process_pid":%d,"init_process_start":1}\n' "$FAKE" "$SPAWNED" \
	>"/run/runc/$FAKE/state.json"
run_nstop fake -b -n 1 -J
is "$(jq -c --argjson p "$SPAWNED" '.processes[] | select(.pid == $p) | .container' "$(out fake)")" null \
	"a state whose pid was reused (start time differs) names no container"
rm -rf "/run/runc/${FAKE:?}"

done_testing
