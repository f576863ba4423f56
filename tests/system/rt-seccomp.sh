#!/bin/bash
# The syscall filter (an allowlist, ENOSYS by default) in real containers:
# the filter the kernel holds for a container's init, its payload and an
# exec'd command, read back with PTRACE_SECCOMP_GET_FILTER and checked number
# by number against the unit test's table (tests/unit/seccomp_table.h); an
# ordinary program set still working under it, on the host's root and in a
# static busybox root; and the refusals as a program inside meets them.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq busybox
# The probes make check builds (tests/system/probes): a missing one is a
# failure of its own below, never a skip.
PROBES=${NSTOP_PROBES:-$(dirname "$NSTOP")/tests/system/probes}
if [ "$(uname -m)" != x86_64 ]; then
	fail "the filter's table and the probes are x86-64's" "uname -m: $(uname -m)"
	done_testing
fi

BIN=$TEST_TMP/bin
mkdir -p "$BIN"
for p in threads sysdeny; do
	cp "$PROBES/$p" "$BIN/$p" 2>"$TEST_TMP/cp.err" ||
		fail "the $p probe is built (make check builds it; NSTOP_PROBES=$PROBES)" "$(cat "$TEST_TMP/cp.err")"
done
chmod 755 "$TEST_TMP" "$BIN"

# ---- the filter as loaded -------------------------------------------------------
# getfilter WHAT PID: the filter PID holds: exactly one, the table's.
getfilter() {
	local what=$1 pid=$2 f=$TEST_TMP/get-$1.out
	if ! "$PROBES/seccomp-get" "$pid" >"$f" 2>"$TEST_TMP/get-$1.err"; then
		fail "[$what] seccomp-get reads the filter of pid $pid" "$(cat "$f" "$TEST_TMP/get-$1.err")"
		return
	fi
	is "$(kv "$f" filters)" 1 "[$what] one filter, nstop's (pid $pid, $(kv "$f" insns) instructions)"
	is "$(kv "$f" mismatches)" 0 "[$what] every syscall number of x86-64 and i386, and the argument cases, as the table says"
	grep '^mismatch=' "$f" | head -20 | while read -r l; do diag "$l"; done
}

rtc_name held
NH=$RTC_NAME
run_nstop held run -d --name "$NH" -- sleep 1000
PI=$(init_pid "$NH")
register_pid $PI
if [ -n "$PI" ] && wait_children "$PI" 1; then
	getfilter init "$PI"
	getfilter payload "${KIDS%% *}"
else
	fail "the container $NH runs (init ${PI:-none}, with a payload)"
fi
# nstop exec's command: the same filter, loaded by the exec helper.
"$NSTOP" exec "$NH" -- sleep 999 </dev/null >/dev/null 2>&1 &
EXECPID=$!
register_pid $EXECPID
XP=
for i in $(seq 100); do
	for p in $(procs_in_cgroups_with "$NH"); do
		grep -qx 'sleep999' <(tr -d '\0' <"/proc/$p/cmdline" 2>/dev/null) && XP=$p
	done
	[ -n "$XP" ] && break
	sleep 0.05
done
if [ -n "$XP" ]; then
	getfilter exec "$XP"
else
	fail "nstop exec $NH -- sleep 999 runs"
fi
run_nstop heldrm rm -f "$NH"
wait "$EXECPID" 2>/dev/null
assert_gone "$NH" $PI

# The probe itself: on a process without a filter it finds none, and on a
# filter that allows everything it counts mismatches (so it can fail).
spawn_bg sleep 1000
"$PROBES/seccomp-get" "$SPAWNED" >"$TEST_TMP/nofilter.out" 2>&1
is "$(kv "$TEST_TMP/nofilter.out" filters)" 0 "seccomp-get: a process of the host has no filter"
if command -v perl >/dev/null; then
	# a filter of one instruction, "ret ALLOW", loaded by perl (no_new_privs first)
	perl -e 'syscall(157, 38, 1, 0, 0, 0) == 0 or die "no_new_privs: $!";
		my $ins = pack("SCCL", 0x06, 0, 0, 0x7fff0000);
		my $prog = pack("SxxxxxxP8", 1, $ins);
		syscall(317, 1, 0, $prog) == 0 or die "seccomp: $!";
		sleep 1000' </dev/null >/dev/null 2>"$TEST_TMP/allowall.err" &
	AP=$!
	register_pid $AP
	for i in $(seq 100); do grep -q '^Seccomp:.*2' /proc/$AP/status 2>/dev/null && break; sleep 0.05; done
	"$PROBES/seccomp-get" "$AP" >"$TEST_TMP/allowall.out" 2>&1
	ok "seccomp-get: a filter that allows everything has mismatches ($(kv "$TEST_TMP/allowall.out" mismatches))" \
		test "$(kv "$TEST_TMP/allowall.out" mismatches)" -gt 1000
	kill "$AP" 2>/dev/null
fi

# ---- ordinary programs still work ------------------------------------------------
# (each prints NAME=ok, or NAME=fail and its status)
PROGS=$(cat <<'EOF'
t() { n=$1; shift; if "$@" >/dev/null 2>"/tmp/$n.err"; then echo "$n=ok"; else echo "$n=fail:$? $(head -c 300 /tmp/$n.err | tr '\n' ' ')"; fi; }
t sh sh -c 'x=$(echo hi); [ "$x" = hi ]'
t ls ls -la / /proc/self/fd
t cat cat /proc/self/status /etc/passwd
t ps ps -ef
t pipeline sh -c 'seq 1 1000 | sort -rn | head -3 | wc -l'
t find find /etc -maxdepth 2
t tar sh -c 'tar -cf - /etc/passwd 2>/dev/null | tar -tf - >/dev/null'
t date date
t sleep sleep 0.1
t id id
t awk awk 'BEGIN { srand(); print rand() }'
t threads /mnt/threads
if [ -x /usr/bin/python3 ]; then
	t python3 /usr/bin/python3 -c 'import threading, subprocess, os, socket, tempfile, json
ts = [threading.Thread(target=lambda: sum(range(10000))) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
assert subprocess.run(["true"]).returncode == 0
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.close()
with tempfile.TemporaryDirectory() as d: open(os.path.join(d, "x"), "w").write("x")'
else
	echo python3=absent
fi
if command -v perl >/dev/null; then t perl perl -e 'fork() || exit 0; wait; exit 0'; fi
if command -v strace >/dev/null; then t strace strace -f -o /dev/null true; fi
echo done=yes
EOF
)
rtc_name progs
run_nstop progs run --rm --name "$RTC_NAME" -v "$BIN:/mnt:ro" -- sh -c "$PROGS" </dev/null
F=$(out progs)
is "$NSTOP_RC" 0 "[host root] the program set ran (exit 0)"
is "$(kv "$F" done)" yes "[host root] ... to its end"
for n in sh ls cat ps pipeline find tar date sleep id awk threads; do
	is "$(kv "$F" $n)" ok "[host root] $n works under the filter"
done
case $(kv "$F" python3) in
absent) diag "no /usr/bin/python3 here: not run" ;;
*) is "$(kv "$F" python3)" ok "[host root] python3 (threads, subprocess, a socket, a temporary directory) works" ;;
esac
if command -v perl >/dev/null; then is "$(kv "$F" perl)" ok "[host root] perl forks and waits"; fi
if command -v strace >/dev/null; then
	is "$(kv "$F" strace)" ok "[host root] strace -f (ptrace of its own children) works"
fi

# A static busybox root: nothing but busybox and the static probes.
ROOTFS=$TEST_TMP/rootfs
ok "mkrootfs.sh makes a busybox root" "$MKROOTFS" "$ROOTFS"
cp "$BIN/threads" "$BIN/sysdeny" "$ROOTFS/bin/" 2>/dev/null
rtc_name bb
run_nstop bb run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" -- sh -c '
	t() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "$n=ok"; else echo "$n=fail:$?"; fi; }
	t sh sh -c "x=\$(echo hi); [ \"\$x\" = hi ]"
	t ls ls -la /
	t cat cat /etc/passwd
	t ps ps
	t pipeline sh -c "seq 1 1000 | sort -rn | head -3 | wc -l"
	t sleep sleep 0.1
	t threads /bin/threads
	echo done=yes' </dev/null
F=$(out bb)
is "$NSTOP_RC" 0 "[busybox root] the program set ran (exit 0)"
for n in sh ls cat ps pipeline sleep threads; do
	is "$(kv "$F" $n)" ok "[busybox root] $n works under the filter"
done

# ---- the refusals, from inside ------------------------------------------------------
# errno: 1 EPERM, 38 ENOSYS. open_tree_attr is newer than some libseccomp:
# EPERM where it knows the name, ENOSYS (the default) where not.
check_denials() {
	local w=$1 f=$2
	is "$(kv "$f" done)" yes "[$w] the refusal probe ran to its end"
	for k in io_uring_setup syslog personality_addr_no_randomize fsopen open_tree unshare_user \
		 mount keyctl bpf vsock; do
		is "$(kv "$f" $k)" 1 "[$w] $k: EPERM"
	done
	is "$(kv "$f" clone3)" 38 "[$w] clone3: ENOSYS (so the C library falls back to clone)"
	is "$(kv "$f" unknown_1000)" 38 "[$w] syscall 1000 (none yet): ENOSYS"
	ok "[$w] open_tree_attr: EPERM or ENOSYS ($(kv "$f" open_tree_attr))" \
		eval "case '$(kv "$f" open_tree_attr)' in 1|38) true ;; *) false ;; esac"
	is "$(kv "$f" personality_query)" ok "[$w] personality(0xffffffff), the query, works"
	is "$(kv "$f" personality_linux32)" 0 "[$w] personality(PER_LINUX32) works"
}
rtc_name deny
run_nstop deny run --rm --name "$RTC_NAME" -v "$BIN:/mnt:ro" -- /mnt/sysdeny </dev/null
check_denials "host root" "$(out deny)"
rtc_name deny2
run_nstop deny2 run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" -- /bin/sysdeny </dev/null
check_denials "busybox root" "$(out deny2)"
# The same probe outside, unfiltered: what the kernel itself answers, so the
# checks above can fail (io_uring_setup works or says otherwise, the unknown
# number is ENOSYS by the kernel too).
"$BIN/sysdeny" >"$TEST_TMP/host.out" 2>&1 </dev/null
isnt "$(kv "$TEST_TMP/host.out" io_uring_setup)" 1 "outside: io_uring_setup is not refused by EPERM"
isnt "$(kv "$TEST_TMP/host.out" personality_addr_no_randomize)" 1 "outside: personality(ADDR_NO_RANDOMIZE) works"
isnt "$(kv "$TEST_TMP/host.out" clone3)" 38 "outside: clone3 reaches the kernel (EINVAL for its size)"

done_testing
