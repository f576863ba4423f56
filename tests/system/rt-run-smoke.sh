#!/bin/bash
# The launch side of nstop run and exec, where the other rt-*.sh do not look:
# exit statuses and signals through nstop's init, orphans reaped, TIOCSTI and
# new namespaces refused, a user namespace (run and exec), descriptors that
# must not follow into the container, and failures inside the container that
# must leave nothing behind. Each probe that could pass by mistake is paired
# with the same probe outside, where it must give the other answer.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq perl unshare busybox

RTC=nstop-test-rta-$$	# rtc_name and rtc_reap work on $RTC-*

# Everything nstop may leave of the containers named $RTC-*.
leftovers() {
	local m
	ls -d "$STATE_DIR/$RTC"* 2>/dev/null
	for m in $(cg_mounts); do ls -d "$m/$CG_PARENT/$RTC"* 2>/dev/null; done
	grep -F "$RTC" /proc/self/mountinfo
}

# ---- exit statuses and signals ------------------------------------------------
rtc_name st
"$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'exit 7'
is "$?" 7 "the payload's exit code is nstop's"
"$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'kill -KILL $$'
is "$?" 137 "a payload killed by SIGKILL: 128 + 9"

rtc_name term
"$NSTOP" run --name "$RTC_NAME" -- sleep 100 &
mon=$!
register_pid "$mon"
for i in $(seq 50); do
	[ "$(jq -r .state "$STATE_DIR/$RTC_NAME/state.json" 2>/dev/null)" = running ] && break
	sleep 0.1
done
kill -TERM "$mon"
wait "$mon"
is "$?" 143 "SIGTERM to nstop reaches the payload through the init: 128 + 15"
is "$("$NSTOP" list -J | jq -r --arg n "$RTC_NAME" '.containers[] | select(.name == $n) | "\(.state) \(.exit_code)"')" \
	"exited 143" "list shows it exited with 143"
"$NSTOP" rm "$RTC_NAME"
is "$?" 0 "rm of the exited container"

# ---- a clean environment ----------------------------------------------------------------
rtc_name env
out=$(NSTOP_TEST_RTA_SECRET=leak NSTOP_TEST_RTA_PASS=through TERM=vt100 "$NSTOP" run --rm --name "$RTC_NAME" \
	-e A=1 -e NSTOP_TEST_RTA_PASS -e NSTOP_TEST_RTA_UNSET -- env | sort | tr '\n' ' ')
is "$out" "A=1 HOME=/root HOSTNAME=$RTC_NAME NSTOP_TEST_RTA_PASS=through PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=vt100 container=nstop " \
	"run: a clean environment, the caller's TERM, -e NAME=VALUE and -e NAME (nothing else of the caller's)"

# ---- pid 1 reaps -----------------------------------------------------------------
rtc_name reap
out=$("$NSTOP" run --rm --name "$RTC_NAME" -- sh -c \
	'sh -c "sleep 0.2 & exit 0"; sleep 0.8; cat /proc/1/comm; grep -l "^State:.Z" /proc/[0-9]*/status 2>/dev/null | wc -l')
is "$(echo "$out" | head -1)" nstop "pid 1 inside is nstop's init"
is "$(echo "$out" | tail -1)" 0 "an orphan that exited was reaped by the init (no zombie inside)"

# ---- TIOCSTI and new namespaces --------------------------------------------------
# perl's ioctl with the raw request 0x5412 (TIOCSTI): errno 1 (EPERM) from the
# filter; outside, on /dev/null, the kernel's own answer is 25 (ENOTTY).
STI='my $c = "x"; ioctl(STDIN, 0x5412, $c) ? print "0\n" : print $! + 0, "\n"'
is "$(perl -e "$STI" </dev/null)" 25 "outside: TIOCSTI on /dev/null is ENOTTY (the probe reaches the kernel)"
rtc_name sti
is "$("$NSTOP" run --rm --name "$RTC_NAME" -- perl -e "$STI" </dev/null)" 1 \
	"inside: TIOCSTI is EPERM (seccomp)"
ok "outside: root may unshare a user namespace" unshare -U true
rtc_name uns
out=$("$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'unshare -U true 2>/dev/null; echo $?; unshare -n true 2>/dev/null; echo $?')
is "$(echo $out)" "1 1" "inside: unshare -U and unshare -n fail"

# ---- the host's daemons' sockets ----------------------------------------------------
# A unix socket of the host's in /run: connect() needs no write to the file
# system, so a read-only root alone would let root inside talk to it.
SOCK=/run/nstop-test-rta-$$.sock
perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 5) or die "$!";
	while (my $c = $s->accept) { print $c "hello\n"; close $c }' "$SOCK" &
register_pid $!
register_cmd "rm -f '$SOCK'"
for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
CONN='use IO::Socket::UNIX; my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]); print $c ? scalar <$c> : "refused: $!\n"'
is "$(perl -e "$CONN" "$SOCK")" hello "outside: the host's socket in /run answers"
rtc_name sock
out=$("$NSTOP" run --rm --name "$RTC_NAME" -- perl -e "$CONN" "$SOCK" 2>&1)
ok "inside: the host's /run is not there, nor its socket ($out)" eval '[[ "$out" == refused:* ]]'

# ---- descriptors -------------------------------------------------------------------
rtc_name fds
exec 7</etc/hostname
out=$("$NSTOP" run --rm --name "$RTC_NAME" -- sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "')
is "$out" "0 1 2 3 " "run: only stdio reaches the payload (3 is ls's own directory)"
rtc_name det
"$NSTOP" run -d --name "$RTC_NAME" -- sh -c 'echo started-$$; exec sleep 100' >"$TEST_TMP/det.out"
is "$?" 0 "run -d"
is "$(cat "$TEST_TMP/det.out")" "$RTC_NAME" "run -d prints the name"
out=$("$NSTOP" exec "$RTC_NAME" -- sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "; pwd')
is "$(echo $out)" "0 1 2 3 /" "exec: only stdio follows, and it starts in /"
out=$(NSTOP_TEST_RTA_SECRET=leak "$NSTOP" exec -e B=2 "$RTC_NAME" -- env | sort | tr '\n' ' ')
ok "exec: a clean environment with -e ($out)" eval '[[ "$out" == "B=2 HOME=/root HOSTNAME=$RTC_NAME "* && "$out" != *SECRET* ]]'
exec 7<&-
"$NSTOP" exec "$RTC_NAME" -- sh -c 'exit 5'
is "$?" 5 "exec returns the command's status"
is "$(cat "$STATE_DIR/$RTC_NAME/log")" "started-2" "the detached payload's output is in its log (pid 2: the init is 1)"
"$NSTOP" rm -f "$RTC_NAME" >/dev/null
out=$("$NSTOP" exec "$RTC_NAME" true 2>&1)
is "$?" 1 "exec into a removed container fails"

# ---- a user namespace ----------------------------------------------------------------
# In a directory the namespace's root (uid 100000 on the host) may walk
# through: $TEST_TMP is mode 0700.
RDIR=$(mktemp -d /tmp/nstop-test-rta-root.XXXXXX) && register_path "$RDIR" && chmod 755 "$RDIR"
ROOT=$RDIR/root
bash "$MKROOTFS" "$ROOT" >/dev/null || fail "mkrootfs"
rtc_name closed
err=$("$NSTOP" run --rm --name "$RTC_NAME" --userns 100000:100000 --rootfs "$TEST_TMP" -- true 2>&1)
is "$?" 1 "--userns with a rootfs the namespace's root cannot reach: exit 1"
ok "it says why: $err" eval '[[ "$err" == *"is closed to uid 100000"* ]]'
# An overlay mounted in a user namespace keeps its metadata in user.*
# xattrs, which tmpfs (where /run/nstop usually is) has only since Linux
# 6.6: there --overlay is tested, elsewhere a root of the namespace's own.
rtc_name user
if [ "$(stat -f -c %T "$STATE_DIR" 2>/dev/null)" != tmpfs ] ||
   printf '%s\n' 6.6 "$(uname -r | cut -d- -f1)" | sort -V -C; then
	"$NSTOP" run -d --name "$RTC_NAME" --userns 100000:100000 --rootfs "$ROOT" --overlay -- \
		sh -c 'echo x >/made-inside; exec sleep 100' >/dev/null
	is "$?" 0 "run -d --userns 100000:100000 --rootfs --overlay"
	made=$STATE_DIR/$RTC_NAME/upper/made-inside
else
	UROOT=$RDIR/uroot
	cp -a "$ROOT" "$UROOT" && chown -R 100000:100000 "$UROOT"
	"$NSTOP" run -d --name "$RTC_NAME" --userns 100000:100000 --rootfs "$UROOT" -- \
		sh -c 'echo x >/made-inside; exec sleep 100' >/dev/null
	is "$?" 0 "run -d --userns 100000:100000 --rootfs (a root the namespace owns)"
	made=$UROOT/made-inside
fi
pid=$(jq -r .pid "$STATE_DIR/$RTC_NAME/state.json")
is "$(awk '{ print $1, $2, $3 }' /proc/$pid/uid_map)" "0 100000 65536" "the init's uid map"
for i in $(seq 20); do [ -e "$made" ] && break; sleep 0.1; done
is "$(stat -c %u:%g "$made" 2>/dev/null)" "100000:100000" \
	"a file root made inside belongs to 100000:100000 on the host"
ok "the original rootfs is untouched" test ! -e "$ROOT/made-inside"
out=$("$NSTOP" exec "$RTC_NAME" -- sh -c 'id -u; readlink /proc/self/ns/user')
is "$(echo "$out" | head -1)" 0 "exec: root inside"
is "$(echo "$out" | tail -1)" "$(readlink /proc/$pid/ns/user)" "exec joined the container's user namespace"
"$NSTOP" rm -f "$RTC_NAME" >/dev/null

# ---- failures inside leave nothing -----------------------------------------------------
m0=$(grep -c '' /proc/self/mountinfo)
rtc_name nocmd
err=$("$NSTOP" run --rm --name "$RTC_NAME" -- /nonexistent-nstop-cmd 2>&1)
is "$?" 1 "a command that cannot be executed: exit 1"
ok "the error names it: $err" eval '[[ "$err" == "nstop: run: /nonexistent-nstop-cmd: No such file or directory" ]]'
# A rootfs whose /proc is a symlink out of it: the mount target is resolved
# inside the root, so nothing is mounted on the host's /etc, and it fails.
EVIL=$RDIR/evil
cp -a "$ROOT" "$EVIL" && rm -rf "$EVIL/proc" && ln -s /etc/nstop-test-rta-nowhere "$EVIL/proc"
rtc_name evil
err=$("$NSTOP" run --name "$RTC_NAME" --rootfs "$EVIL" -- true 2>&1)
is "$?" 1 "a rootfs whose /proc dangles out of it: exit 1"
ok "one line: $err" test "$(echo "$err" | wc -l)" -eq 1
ok "nothing was made at /etc/nstop-test-rta-nowhere" test ! -e /etc/nstop-test-rta-nowhere
sleep 0.2
is "$(leftovers)" "" "nothing of these containers is left (state, cgroups, mounts)"
is "$(grep -c '' /proc/self/mountinfo)" "$m0" "the host's mount table is as before"

done_testing
