#!/bin/bash
# LXC's containers, found from their cgroups (lxc.payload.NAME): a busybox
# container this test makes with LXC's own template, in an lxcpath of its
# own and with no network, is one row named lxc:NAME whose init, processes,
# limits (set with lxc-cgroup) and frozen state (lxc-freeze) are what LXC
# and the cgroup files say; nstop refuses to freeze or thaw it behind LXC's
# back and names LXC's command.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq lxc-create lxc-start lxc-info lxc-cgroup lxc-freeze lxc-unfreeze lxc-stop lxc-destroy busybox

NAME=nstop-test-lxc-$$
LXCP=$(mktemp -d /tmp/nstop-test-lxc.XXXXXX) || exit 1
register_path "$LXCP"
# No network (the host's interfaces are not ours to touch), no AppArmor
# profile to load: the container is its processes and its cgroups.
printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' >"$LXCP/conf"
lxc() { local c=$1; shift; "lxc-$c" -P "$LXCP" -n "$NAME" "$@"; }
register_cmd "lxc-stop -P '$LXCP' -n '$NAME' -k >/dev/null 2>&1; lxc-destroy -P '$LXCP' -n '$NAME' >/dev/null 2>&1"
# LXC's monitor leaves an empty lxc.pivot in each hierarchy's root: gone
# with the test unless another LXC made it first.
for m in $(cg_mounts); do
	register_cgroup "$m/lxc.payload.$NAME" "$m/lxc.monitor.$NAME"
	[ -d "$m/lxc.pivot" ] || register_cgroup "$m/lxc.pivot"
done

ok "lxc-create -t busybox $NAME" sh -c 'lxc-create -P "$1" -n "$2" -f "$1/conf" -t busybox >"$1/create.log" 2>&1' sh "$LXCP" "$NAME" ||
	diag "$(tail -5 "$LXCP/create.log")"
ok "lxc-start $NAME" lxc start -o "$LXCP/start.log"
INIT=$(lxc info -p -H)
diag "LXC says its init is $INIT"
register_pid "$INIT"
# busybox's init starts syslogd and the gettys: wait for them.
for i in $(seq 50); do [ "$(wc -l <"/proc/$INIT/task/$INIT/children" 2>/dev/null || echo 0)" -ge 0 ] &&
	[ -n "$(cat "/proc/$INIT/task/$INIT/children" 2>/dev/null)" ] && break; sleep 0.1; done

if [ -n "$(cg_v1_mount memory)" ]; then MEMF=memory.limit_in_bytes; else MEMF=memory.max; fi
ok "lxc-cgroup $MEMF 64M" lxc cgroup "$MEMF" 67108864
ok "lxc-cgroup pids.max 40" lxc cgroup pids.max 40

# The container's processes as the kernel lists them in its cgroup.
PIDS_DIR=$(cg_v1_mount pids)
[ -n "$PIDS_DIR" ] || PIDS_DIR=$(cg_v2_mount)
lxc_pids() { sort -n "$PIDS_DIR/lxc.payload.$NAME/cgroup.procs" | paste -sd,; }

run_nstop snap -b -n 1 -J
J=$(out snap)
c=$(jq -c --arg n "$NAME" '.containers[] | select(.engine == "lxc" and .name == $n)' "$J")
diag "containers[]: $c"
is "$(jq -s length <<<"$c")" 1 "one row for $NAME across $(jq '.host.hierarchies | length' "$J") hierarchies"
is "$(jq -r '.engine + ":" + .name + " " + .state' <<<"$c")" "lxc:$NAME running" "lxc:$NAME, running"
is "$(jq -r .pid <<<"$c")" "$INIT" "its pid is its init, as lxc-info -p says"
is "$(jq -r '.pids | map(tostring) | join(",")' <<<"$c")" "$(lxc_pids)" "its pids are its cgroup's cgroup.procs"
is "$(jq -c '[.limits.memory_bytes, .limits.pids]' <<<"$c")" "[67108864,40]" "the limits lxc-cgroup set (memory 64M, pids 40)"
is "$(jq -r --argjson p "$INIT" '.processes[] | select(.pid == $p) | .container | .engine + ":" + .name' "$J")" \
	"lxc:$NAME" "its init's container is lxc:$NAME"
run_nstop col -b -n 1 -o pid,container
is "$(awk -v p="$INIT" '$1 == p { print $2 }' "$(out col)")" "lxc:$NAME" "CONTAINER column: lxc:$NAME"

ok "lxc-freeze $NAME" lxc freeze
run_nstop frz -b -n 1 -J
is "$(jq -r --arg n "$NAME" '.containers[] | select(.engine == "lxc" and .name == $n) | .state' "$(out frz)")" \
	paused "frozen by lxc-freeze: paused ($(lxc info -s -H))"
is "$(jq -r --argjson p "$INIT" '.processes[] | select(.pid == $p) | .container.paused' "$(out frz)")" true \
	"its init says its container is paused"
run_nstop_quiet th thaw "$NAME"
is "$NSTOP_RC" 1 "nstop thaw $NAME: refused (exit 1)"
ok "nstop thaw: one line naming lxc-unfreeze" grep -q "lxc-unfreeze -n $NAME" "$TEST_TMP/th.err"
diag "$(cat "$TEST_TMP/th.err")"
is "$(lxc info -s -H)" FROZEN "still frozen after the refused thaw"
ok "lxc-unfreeze $NAME" lxc unfreeze

ok "lxc-stop $NAME" lxc stop -k
run_nstop gone -b -n 1 -J
is "$(jq --arg n "$NAME" '[.containers[] | select(.engine == "lxc" and .name == $n)] | length' "$(out gone)")" 0 \
	"stopped: no longer listed"
ok "lxc-destroy $NAME" lxc destroy

done_testing
