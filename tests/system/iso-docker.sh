#!/bin/bash
# Isolation of Docker's containers, read from the outside: a test-only dockerd
# (its own roots, socket and pid file; no iptables, no bridge) runs busybox
# containers with and without the flags that open them up, and for each
# container's process nstop inspect must name exactly the exposures the
# kernel's own files show, the flag's among them, and not the others'.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/iso-lib.sh"

require_root
require_cmd jq busybox tar
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] ||
	cannot_run "needs Debian's docker.io (/usr/bin/docker, /usr/sbin/dockerd)"

TEST_TMP=$(mktemp -d /tmp/nstop-test-isolation-docker.XXXXXX)
register_path "$TEST_TMP"
if ! iso_dockerd_start "$TEST_TMP/d"; then
	fail "a test-only dockerd starts" "$(tail -20 "$TEST_TMP/d/dockerd.log" 2>/dev/null)"
	done_testing
fi
pass "a test-only dockerd starts"
N=nstop-test-isolation-$$

# What every confined docker container (none of the flags) must not show.
OPEN="privileged cap-sys-admin cap-sys-ptrace cap-sys-module cap-net-admin cap-dac-read-search
	no-seccomp engine-socket host-root writable-proc-sys writable-sys all-devices
	host-net host-pid host-ipc host-uts host-mnt"

run() { iso_docker_run "$@" || fail "docker run $*" "$(tail -5 "$TEST_TMP/d/run.log")"; }

run $N-default
check_exposures default "$DPID" "host-user no-new-privs-off" "$OPEN"
DEFAULT=$DPID

# --privileged needs every capability of the kernel; under a sandbox whose
# bounding set lacks one (this project's CI machines lack CAP_SYS_RESOURCE)
# runc cannot grant it, and the same container is made flag by flag.
PRIV_MUST="privileged no-seccomp writable-proc-sys writable-sys all-devices host-user"
PRIV_MUSTNOT="host-net host-pid engine-socket host-root cap-sys-admin"
if ! iso_docker_run $N-privileged --privileged 2>/dev/null; then
	# Docker's ALL is the capabilities it knows, fewer than this kernel's.
	PRIV_MUST="cap-sys-admin cap-sys-module cap-sys-ptrace no-seccomp writable-proc-sys writable-sys all-devices host-user"
	PRIV_MUSTNOT="host-net host-pid engine-socket host-root"
	diag "docker run --privileged: $(tail -1 "$TEST_TMP/d/run.log")" \
		"the equivalent flags instead (every capability we can hold, no seccomp," \
		"every device, /proc/sys and /sys read-write)"
	$DOCKER rm -f $N-privileged >/dev/null 2>&1
	run $N-privileged --cap-add ALL --cap-drop "$(capsh --decode=$(printf '%x' $(( ((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1) & ~0x$(awk '/^CapBnd:/ { print $2 }' /proc/self/status) ))) 2>/dev/null | sed 's/.*=//; s/cap_//g')" \
		--security-opt seccomp=unconfined --security-opt systempaths=unconfined \
		--device-cgroup-rule 'a *:* rwm' -v /sys:/sys
fi
check_exposures privileged "$DPID" "$PRIV_MUST" "$PRIV_MUSTNOT"

run $N-hostnet --net host
check_exposures "net host" "$DPID" "host-net host-user" \
	"privileged host-pid engine-socket host-root no-seccomp"

run $N-hostpid --pid host
check_exposures "pid host" "$DPID" "host-pid host-user" \
	"privileged host-net engine-socket host-root no-seccomp"

run $N-sock -v "$ISO_DOCKER_SOCK:/var/run/docker.sock"
check_exposures "docker.sock" "$DPID" "engine-socket" \
	"privileged host-net host-pid host-root no-seccomp"
is "$($NSTOP inspect -J "$DPID" | jq -r '.isolation.exposures[] | select(.id == "engine-socket") | .detail')" \
	/var/run/docker.sock "[docker.sock] the report says where the socket is"

run $N-unconfined --security-opt seccomp=unconfined
check_exposures "seccomp=unconfined" "$DPID" "no-seccomp" "privileged host-net cap-sys-admin"
is "$($NSTOP inspect -J "$DPID" | jq -r .isolation.seccomp)" disabled "[seccomp=unconfined] seccomp is disabled"

run $N-sysadmin --cap-add SYS_ADMIN
check_exposures "cap-add SYS_ADMIN" "$DPID" "cap-sys-admin" "privileged no-seccomp host-net"
is "$($NSTOP inspect -J "$DPID" | jq -c '.isolation.caps | index("sys_admin") != null')" true \
	"[cap-add SYS_ADMIN] sys_admin is in caps"
is "$($NSTOP inspect -J "$DEFAULT" | jq -r '.isolation.caps | length')" 14 \
	"[default] Docker's 14 default capabilities"
$NSTOP inspect "$DEFAULT" >"$TEST_TMP/default.txt"
ok "[default] the text report calls them docker-default" grep -q '^capabilities *docker-default$' "$TEST_TMP/default.txt"

# docker exec --privileged into the confined one: that process, and only it,
# is privileged; its container's report names it. (Where the daemon cannot
# grant every capability, as under a sandbox whose bounding set lacks one,
# the same odd process is made by hand: every namespace of the container
# joined with nsenter, the host's capabilities and no seccomp kept, and put
# into the container's cgroups, as runc exec does.)
ns_of() { readlink "/proc/$1/ns/pid"; }
odd_sleep() {
	local p
	for p in $(pgrep -x sleep); do
		[ "$p" != "$DEFAULT" ] && [ "$(ns_of "$p")" = "$(ns_of "$DEFAULT")" ] && echo "$p"
	done | head -1
}
if ! $DOCKER exec -d --privileged $N-default sleep 999 2>"$TEST_TMP/exec.err"; then
	diag "docker exec --privileged: $(cat "$TEST_TMP/exec.err")" "made by hand instead"
	nsenter -t "$DEFAULT" -a sleep 999 </dev/null >/dev/null 2>&1 &
	register_pid $!
	sleep 0.2
	for f in /proc/"$DEFAULT"/cgroup; do
		while IFS=: read -r id ctl path; do
			for m in $(cg_mounts); do
				[ -e "$m$path/cgroup.procs" ] && [ -n "$path" ] &&
					echo "$(odd_sleep)" >"$m$path/cgroup.procs" 2>/dev/null
			done
		done <"$f"
	done
fi
for i in $(seq 100); do
	EXEC=$(odd_sleep)
	[ -n "$EXEC" ] && break
	sleep 0.05
done
ok "an odd process runs in the container" test -n "$EXEC"
check_exposures "exec --privileged" "$EXEC" "privileged no-seccomp host-user" "host-net host-pid"
check_exposures "default, after the exec" "$DEFAULT" "host-user" "privileged no-seccomp"
# The container's union: known once the snapshot names Docker's containers
# (processes[].container, issue 13); until then the per-process reports above.
if $NSTOP -b -n1 -J | jq -e --arg n "$N-default" \
	'[.processes[] | select((.container | type) == "object" and .container.name == $n)] | length > 0' \
	>/dev/null 2>&1; then
	$NSTOP inspect -J "$N-default" >"$TEST_TMP/union.json"
	is "$(jq -c '[.isolation.exposures[] | select(.id == "privileged") | .pids] | flatten' "$TEST_TMP/union.json")" \
		"[$EXEC]" "[container] privileged, naming only the exec'd process"
else
	diag "this build's snapshot does not name Docker's containers: the union is checked on nstop's own (iso-runtimes.sh)"
fi

DAEMON=$ISO_DOCKERD_PID
iso_dockerd_stop
ok "the test daemon is gone" test ! -e "/proc/$DAEMON"
ok "no mount of the daemon is left" sh -c "! grep -q '$TEST_TMP' /proc/self/mountinfo"
done_testing
