#!/bin/bash
# Docker's containers, by name, against a real dockerd this test starts
# (engine-lib.sh): every process of each container carries {engine, id,
# name}, and containers[] has one row per container whose name, state (a
# paused one too), limits and usage agree with `docker inspect`, `docker
# top`, `docker stats` and the cgroup files. nstop refuses to change a
# Docker container behind dockerd's back, and says how to do it with docker.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/engine-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq timeout tar busybox

docker_start || cannot_run "dockerd (docker.io) does not start here"
diag "dockerd $DOCKERD_PID in $DOCKER_DIR"

WEB=nstop-test-web-$$
LIM=nstop-test-lim-$$
BUSY=nstop-test-busy-$$
ok "docker run $WEB" docker_run "$WEB" "$DOCKER_IMAGE" sleep 1000
ok "docker run $LIM with limits" docker_run "$LIM" --memory 64m --cpus 0.5 \
	--cpu-shares 512 --cpuset-cpus 0 --pids-limit 50 "$DOCKER_IMAGE" \
	sh -c 'sleep 1000 & sleep 1000'
ok "docker run $BUSY (a busy loop at 0.2 cpus)" docker_run "$BUSY" --cpus 0.2 \
	"$DOCKER_IMAGE" sh -c 'while :; do :; done'
ok "docker pause $LIM" $DOCKER pause "$LIM"

id_of() { $DOCKER inspect -f '{{.Id}}' "$1"; }
WEB_ID=$(id_of "$WEB")
LIM_ID=$(id_of "$LIM")
BUSY_ID=$(id_of "$BUSY")

# Two snapshots a second apart: the rates are over that second.
run_nstop snap -b -n 2 -d 1 -J
J=$TEST_TMP/last.json
tail -1 "$(out snap)" >"$J"
ok "nstop -b -J is JSON" jq -e . "$J"

ctr() { jq -c --arg id "$1" '.containers[] | select(.id == $id)' "$J"; }
pids_of_ctr() { jq -r --arg id "$1" '.processes[] | select(.container.id == $id) | .pid' "$J" | sort -n | tr '\n' ' '; }
# docker top runs ps on the host: the host pids of the container.
docker_pids() { $DOCKER top "$1" -eo pid | tail -n +2 | tr -d ' ' | sort -n | tr '\n' ' '; }

for name in "$WEB" "$LIM" "$BUSY"; do
	id=$(id_of "$name")
	is "$(pids_of_ctr "$id")" "$(docker_pids "$name")" "$name: its processes are the ones docker top lists"
	is "$(jq -r --arg id "$id" '[.processes[] | select(.container.id == $id) | .container.engine + ":" + .container.name] | unique | join(",")' "$J")" \
		"docker:$name" "$name: each process's container is docker:$name (the name from docker inspect: $($DOCKER inspect -f '{{.Name}}' "$name"))"
	c=$(ctr "$id")
	is "$(jq -r '.engine + " " + .name + " " + .short_id' <<<"$c")" "docker $name ${id:0:12}" "$name: one row in containers[], named"
	is "$(jq -r '.pids | map(tostring) | join(" ")' <<<"$c") " "$(docker_pids "$name")" "$name: containers[].pids as docker top"
	is "$(jq -r .nprocs <<<"$c")" "$(wc -w <<<"$(docker_pids "$name")")" "$name: nprocs"
done
is "$(jq '[.containers[] | select(.id == "'"$WEB_ID"'")] | length' "$J")" 1 \
	"one row per container across all $(jq '.host.hierarchies | length' "$J") hierarchies"

# ---- state ----------------------------------------------------------------
is "$(jq -r .state <<<"$(ctr "$LIM_ID")")" paused "$LIM: paused, as docker inspect says ($($DOCKER inspect -f '{{.State.Status}}' "$LIM"))"
is "$(jq -r .state <<<"$(ctr "$WEB_ID")")" running "$WEB: running"

# ---- limits, against docker inspect and the cgroup files -----------------------
L=$(jq -c .limits <<<"$(ctr "$LIM_ID")")
diag "limits of $LIM: $L"
is "$(jq -r .memory_bytes <<<"$L")" "$($DOCKER inspect -f '{{.HostConfig.Memory}}' "$LIM")" "memory limit as docker inspect"
is "$(jq -r .cpus <<<"$L")" "$(awk -v n="$($DOCKER inspect -f '{{.HostConfig.NanoCpus}}' "$LIM")" 'BEGIN { printf "%g", n / 1e9 }')" "cpus as docker inspect (NanoCpus)"
is "$(jq -r .cpuset <<<"$L")" "$($DOCKER inspect -f '{{.HostConfig.CpusetCpus}}' "$LIM")" "cpuset as docker inspect"
is "$(jq -r .pids <<<"$L")" "$($DOCKER inspect -f '{{.HostConfig.PidsLimit}}' "$LIM")" "pids limit as docker inspect"
if [ -n "$(cg_v1_mount cpu)" ]; then
	is "$(jq -r .cpu_shares <<<"$L")" "$($DOCKER inspect -f '{{.HostConfig.CpuShares}}' "$LIM")" "cpu shares as docker inspect (v1)"
	is "$(jq -r .cpu_shares <<<"$L")" "$(cat "$(cg_v1_mount cpu)/docker/$LIM_ID/cpu.shares")" "cpu shares as cpu.shares"
else
	is "$(jq -r .cpu_weight <<<"$L")" "$(cat "$(cg_v2_mount)/docker/$LIM_ID/cpu.weight" 2>/dev/null ||
		cat "$(cg_v2_mount)/system.slice/docker-$LIM_ID.scope/cpu.weight")" "cpu weight as cpu.weight (v2)"
fi
W=$(jq -c .limits <<<"$(ctr "$WEB_ID")")
is "$(jq -c '[.memory_bytes, .cpus, .cpuset, .pids]' <<<"$W")" "[null,null,null,null]" "$WEB: no limits set, all null"

# ---- usage ----------------------------------------------------------------------
B=$(ctr "$BUSY_ID")
diag "$BUSY: $(jq -c '{cpu_percent, cpu_throttled_percent, memory_bytes, memory_peak_bytes}' <<<"$B")"
stats=$($DOCKER stats --no-stream --format '{{.CPUPerc}}' "$BUSY" | tr -d '%')
diag "docker stats says $stats% for $BUSY"
ok "$BUSY: cpu% near its 0.2 cpus quota (nstop $(jq .cpu_percent <<<"$B"), docker stats $stats)" \
	awk -v n="$(jq .cpu_percent <<<"$B")" -v d="$stats" 'BEGIN { exit !(n >= 10 && n <= 30 && d >= 10 && d <= 30) }'
ok "$BUSY: throttled in most periods ($(jq .cpu_throttled_percent <<<"$B")%)" \
	awk -v t="$(jq .cpu_throttled_percent <<<"$B")" 'BEGIN { exit !(t >= 50) }'
MEMF=$(cg_v1_mount memory)
if [ -n "$MEMF" ]; then
	peakf=$MEMF/docker/$WEB_ID/memory.max_usage_in_bytes
else
	peakf=$(cg_v2_mount)/docker/$WEB_ID/memory.peak
fi
# An idle sleeper's memory does not move: equal to the file read now.
run_nstop web -b -n 1 -J
is "$(jq --arg id "$WEB_ID" '.containers[] | select(.id == $id) | .memory_peak_bytes' "$(out web)")" \
	"$(cat "$peakf" 2>/dev/null || echo null)" "$WEB: memory peak as $peakf"

# ---- the process view's column ------------------------------------------------------
WEB_PID=$($DOCKER inspect -f '{{.State.Pid}}' "$WEB")
run_nstop col -b -n 1 -o pid,container
is "$(awk -v p="$WEB_PID" '$1 == p { print $2 }' "$(out col)")" "docker:$WEB" "CONTAINER column: docker:$WEB"

# ---- nstop does not change Docker's containers behind dockerd's back -------------
refused() {	# NAME WANT VERB ARG...: exit 1, one line naming docker and WANT
	local name=$1 want=$2
	shift 2
	run_nstop_quiet "$name" "$@"
	is "$NSTOP_RC" 1 "nstop $*: refused (exit 1)"
	ok "nstop $*: one error line" one_error_line "$TEST_TMP/$name.err"
	ok "nstop $*: names docker's own command ($want)" grep -qF -- "$want" "$TEST_TMP/$name.err"
	diag "$(cat "$TEST_TMP/$name.err")"
}
refused fr "docker pause $WEB" freeze "$WEB"
is "$($DOCKER inspect -f '{{.State.Status}}' "$WEB")" running "$WEB still running after the refused freeze"
refused th "docker unpause $LIM" thaw "$LIM"
is "$($DOCKER inspect -f '{{.State.Status}}' "$LIM")" paused "$LIM still paused after the refused thaw"
refused up "docker update $WEB" update "$WEB" --memory 32M
refused ki "docker kill $WEB" kill "$WEB"
refused rm "docker rm -f $WEB" rm "$WEB"
refused rmid "docker rm -f $WEB" rm "${WEB_ID:0:12}"
is "$($DOCKER inspect -f '{{.State.Status}}' "$WEB")" running "$WEB still running after the refused kill and rm"

rtc_name mv
ok "an nstop container to move into ($RTC_NAME)" "$NSTOP" run -d --name "$RTC_NAME" -- sleep 1000
before=$(cat "/proc/$WEB_PID/cgroup")
refused mv "docker exec $WEB" move "$WEB_PID" "$RTC_NAME"
is "$(cat "/proc/$WEB_PID/cgroup")" "$before" "the refused move left $WEB_PID in all its cgroups"
is "$(docker_pids "$WEB")" "$WEB_PID " "docker top still lists $WEB_PID"

# With --force, a freeze and a thaw go to the kernel's freezer.
FRZ=$(cg_v1_mount freezer)
if [ -n "$FRZ" ]; then frzf=$FRZ/docker/$WEB_ID/freezer.state; want_f=FROZEN want_t=THAWED
else frzf=$(cg_v2_mount)/docker/$WEB_ID/cgroup.freeze; want_f=1 want_t=0; fi
run_nstop ffr freeze --force "$WEB"
is "$NSTOP_RC" 0 "freeze --force $WEB: done"
for i in $(seq 50); do [ "$(cat "$frzf")" = "$want_f" ] && break; sleep 0.1; done
is "$(cat "$frzf")" "$want_f" "freeze --force: $frzf says $want_f"
run_nstop fst -b -n 1 -J
is "$(jq -r --arg id "$WEB_ID" '.containers[] | select(.id == $id) | .state' "$(out fst)")" paused "frozen by force: nstop shows it paused"
run_nstop fth thaw --force "$WEB"
for i in $(seq 50); do [ "$(cat "$frzf")" = "$want_t" ] && break; sleep 0.1; done
is "$(cat "$frzf")" "$want_t" "thaw --force: $frzf says $want_t"

done_testing
