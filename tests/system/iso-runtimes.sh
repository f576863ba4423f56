#!/bin/bash
# Isolation of nstop's own containers, runc's default spec and bubblewrap,
# read from the outside: nstop inspect names exactly the exposures the
# kernel's files show; nstop's sandbox shows what HARDENING in nstop(1) says
# (host-user and host-root read-only by default, none with --userns and
# --rootfs, host-net added by --net host); a container's report is the union
# of its processes, naming the odd one.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/iso-lib.sh"

require_root
require_cmd jq busybox runc bwrap
TEST_TMP=$(mktemp -d /tmp/nstop-test-isolation-rt.XXXXXX)
register_path "$TEST_TMP"

# Everything but what a container is meant to show.
ALL_IDS="privileged cap-sys-admin cap-sys-ptrace cap-sys-module cap-net-admin
	cap-dac-read-search no-seccomp no-new-privs-off engine-socket host-root
	writable-proc-sys writable-sys all-devices host-net host-pid host-ipc host-uts
	host-mnt host-cgroup host-user"
except() { local id; for id in $ALL_IDS; do case " $* " in *" $id "*) ;; *) echo "$id" ;; esac; done; }

# ---- nstop's own -------------------------------------------------------------------

rtc_name iso-default
"$NSTOP" run -d --name "$RTC_NAME" -- sleep 1000 >/dev/null
P=$(init_pid "$RTC_NAME")
ok "[nstop default] runs" test -n "$P"
# The command (pid 2 inside): the init is nstop's own, hardened the same.
CMD=$(children_of "$P" | head -1)
for pid in "$P" $CMD; do
	check_exposures "nstop default" "$pid" "host-user host-root" "$(except host-user host-root)"
done
is "$(nstop_exposures "$CMD" | tr '\n' ' ')" "host-root host-user " "[nstop default] exactly host-user and host-root"
is "$("$NSTOP" inspect -J "$RTC_NAME" | jq -r '.isolation.exposures[] | select(.id == "host-root") | .detail')" \
	"read-only at /" "[nstop default] the host's / is read-only"
is "$("$NSTOP" inspect -J "$RTC_NAME" | jq -r '[.isolation.exposures[].id] | sort | join(" ")')" \
	"host-root host-user" "[nstop default] the container's report: the same"
DEFAULT_NAME=$RTC_NAME

ROOTFS=$TEST_TMP/rootfs
chmod o+x "$TEST_TMP"
"$MKROOTFS" "$ROOTFS" >/dev/null 2>&1
chown -R 200000:200000 "$ROOTFS"
rtc_name iso-userns
"$NSTOP" run -d --name "$RTC_NAME" --rootfs "$ROOTFS" --userns 200000:200000 -- sleep 1000 >/dev/null
P=$(init_pid "$RTC_NAME")
ok "[nstop --userns --rootfs] runs" test -n "$P"
CMD=$(children_of "$P" | head -1)
check_exposures "nstop --userns --rootfs" "$CMD" "" "$ALL_IDS"
is "$(nstop_exposures "$CMD" | tr '\n' ' ')" "" "[nstop --userns --rootfs] none"
is "$("$NSTOP" inspect -J "$CMD" | jq .isolation.root_outside)" 200000 \
	"[nstop --userns --rootfs] root inside is host uid 200000 (uid_map: $(awk '{ print $2 }' /proc/$CMD/uid_map))"

rtc_name iso-nethost
"$NSTOP" run -d --name "$RTC_NAME" --net host -- sleep 1000 >/dev/null
P=$(init_pid "$RTC_NAME")
CMD=$(children_of "$P" | head -1)
check_exposures "nstop --net host" "$CMD" "host-net host-user host-root" "$(except host-net host-user host-root)"
is "$(nstop_exposures "$CMD" | tr '\n' ' ')" "host-net host-root host-user " "[nstop --net host] adds host-net"

# The odd process: a host shell moved into the default container's cgroups
# keeps every namespace of the host; the container's report names it alone.
spawn_bg sleep 997
ODD=$SPAWNED
"$NSTOP" move "$ODD" "$DEFAULT_NAME" 2>"$TEST_TMP/move.err"
"$NSTOP" inspect -J "$DEFAULT_NAME" >"$TEST_TMP/union.json"
is "$(jq -c '[.isolation.exposures[] | select(.id == "host-net") | .pids] | flatten' "$TEST_TMP/union.json")" \
	"[$ODD]" "[nstop default + a moved host process] host-net names only that process"
is "$(jq -c '[.isolation.exposures[] | select(.id == "host-user") | has("pids")] | .[0]' "$TEST_TMP/union.json")" \
	false "[nstop default + a moved host process] host-user, which all have, names none"
"$NSTOP" inspect "$DEFAULT_NAME" >"$TEST_TMP/union.txt"
ok "[nstop default + a moved host process] the text names it" grep -q "host-net .*only: $ODD (sleep)" "$TEST_TMP/union.txt"
"$NSTOP" -b -n1 -J >"$TEST_TMP/batch.json"
is "$(jq -c --arg n "$DEFAULT_NAME" '.containers[] | select(.name == $n) | [.isolation.exposures[] | select(.id == "host-net") | .pids] | flatten' "$TEST_TMP/batch.json")" \
	"[$ODD]" "[nstop -b -J] containers[].isolation names it too"
is "$(jq -c --argjson p "$ODD" '.processes[] | select(.pid == $p) | .isolation | [.no_new_privs, .seccomp, (.host_namespaces | length)]' "$TEST_TMP/batch.json")" \
	'[false,"disabled",8]' "[nstop -b -J] processes[].isolation of the moved one"

# ---- runc's default spec ----------------------------------------------------------

RCG=nstop-test-isolation-runc-$$
runc_bundle "$TEST_TMP/bundle" "$RCG" && runc_start "nstop-test-isolation-$$" "$TEST_TMP/bundle" "$RCG"
ok "[runc] runs" test -n "${RUNC_PID:-}"
# runc's spec: no user namespace, its rootfs read-only, no_new_privs, the
# default capabilities; no seccomp section, so no filter.
check_exposures "runc spec" "$RUNC_PID" "host-user no-seccomp" \
	"$(except host-user no-seccomp host-cgroup)"

# ---- bubblewrap ----------------------------------------------------------------------

bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev \
	sleep 996 </dev/null >/dev/null 2>&1 &
register_pid $!
for i in $(seq 100); do
	BW=$(pgrep -x -f "sleep 996" | head -1)
	[ -n "$BW" ] && [ "$(readlink /proc/$BW/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] && break
	sleep 0.05
done
ok "[bwrap] runs" test -n "$BW"
# bwrap sets no_new_privs and loads no filter; the host's / is bound
# read-only; --unshare-all gives it a user namespace (its capabilities act
# there only) and every other namespace but time.
check_exposures "bwrap --unshare-all --ro-bind / /" "$BW" "host-root no-seccomp" \
	"privileged cap-sys-admin host-net host-pid host-mnt no-new-privs-off writable-sys"
"$NSTOP" inspect -J "$BW" >"$TEST_TMP/bw.json"
is "$(jq -r '.isolation.exposures[] | select(.id == "host-root") | .detail' "$TEST_TMP/bw.json")" \
	"read-only at /" "[bwrap] the host's / is read-only"
is "$(jq -c '.isolation.host_namespaces' "$TEST_TMP/bw.json")" '["time"]' \
	"[bwrap] only the time namespace is the host's"
is "$(jq -c '.isolation.root_outside' "$TEST_TMP/bw.json")" "$(awk '$1 == 0 { print $2 }' /proc/$BW/uid_map)" \
	"[bwrap] root_outside is what its uid_map says"

# ---- the host's namespaces, as nstop(1) says they are found -----------------------------

for t in $NS_TYPES; do
	is "$("$NSTOP" inspect -J 2 | jq -r --arg t "$t" '.isolation.host_namespaces | index($t) != null')" true \
		"kthreadd is in the host's $t namespace"
done
ok "nstop inspect of no such thing fails in one line" \
	sh -c "! '$NSTOP' inspect nstop-test-isolation-none 2>&1 >/dev/null | grep -qv '^nstop: inspect: '"
done_testing
