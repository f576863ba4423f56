#!/bin/bash
# Isolation probed from inside, as a user (or an attacker) in the container
# sees it: with no flags (the host's / read-only), with --rootfs and --overlay,
# and through exec. Every probe that might succeed by mistake writes back the
# value already there, so that a failure harms nothing.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk busybox
# The static probes make check builds (tests/system/probes): a missing one is
# a failure of its own below, never a skip.
PROBES=${NSTOP_PROBES:-$(dirname "$NSTOP")/tests/system/probes}

# A host process the container must not see: its command line is assembled
# inside the probe, so the probe's own command line does not hold it.
MARK_A=4242
MARK_B=$(( $$ % 1000 + 1000 ))
spawn_bg sleep "$MARK_A.$MARK_B"
HOSTSLEEP=$SPAWNED
# A host file in /dev/shm and a host terminal: neither may show inside.
SHMFILE=$RTC-shm
: >"/dev/shm/$SHMFILE" && register_cmd "rm -f '/dev/shm/$SHMFILE'"

# The probe: POSIX sh for dash and busybox ash alike, "key=value" lines.
PROBE=$(cat <<'EOF'
m="$MARK_A"; m="$m.$MARK_B"
echo "hostname=$(hostname)"
echo "pid1=$(cat /proc/1/comm 2>/dev/null)"
echo "mypid=$$"
n=0; seen=no
for d in /proc/[0-9]*; do
	n=$((n + 1))
	c=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)
	[ "$c" = "sleep $m " ] && seen=yes
done
echo "nprocs=$n"
echo "hostproc_seen=$seen"
echo "cgroup_lines=$(grep -c '' /proc/self/cgroup)"
echo "cgroup_notroot=$(grep -vc ':/$' /proc/self/cgroup)"
for k in CapEff CapPrm CapBnd CapInh CapAmb NoNewPrivs Seccomp; do
	echo "$k=$(awk -v k="$k:" '$1 == k { print $2 }' /proc/self/status)"
done
# A child inherits every fd nstop left open across exec: ls sees its own 0 1 2
# and the directory it reads (3), nothing else.
echo "fds=$(ls /proc/self/fd | sort -n | tr '\n' ' ')"
echo "cwd=$(readlink /proc/$$/cwd)"
# nstop's own init (pid 1) lives as long as the container, next to the
# payload: it must not be a way out (the runc /proc/PID/exe and leaked-fd
# escapes) nor keep powers the payload was denied.
echo "init_exe_write=$( (: >>/proc/1/exe) 2>/dev/null && echo ok || echo fail)"
echo "init_exe_link=$(readlink /proc/1/exe 2>/dev/null || echo denied)"
d=""
for f in /proc/1/fd/* /proc/1/cwd /proc/1/root; do
	[ -d "$f" ] || continue
	case $f in /proc/1/cwd|/proc/1/root) [ "$(readlink "$f")" = / ] && continue ;; esac
	d="$d $f->$(readlink "$f")"
done
echo "init_dirs=$d"
for k in CapEff CapBnd CapPrm; do
	echo "init_$k=$(awk -v k="$k:" '$1 == k { print $2 }' /proc/1/status)"
done
# The seeds' three checks. /dev/kmsg: make the node, then write to it.
mknod /dev/kmsg c 1 11 2>/dev/null && mk=ok || mk=fail
echo "mknod=$mk"
if [ -c /dev/kmsg ] && echo "nstop-test probe: ignore" >/dev/kmsg 2>/dev/null; then
	echo "kmsg_write=ok"
else
	echo "kmsg_write=fail"
fi
# The kernel's log (syslog(2)): the host's, not the container's.
if dmesg >/dev/null 2>&1; then echo "dmesg=ok"; else echo "dmesg=fail"; fi
# The clock: set it to what it is (so a mistaken success changes nothing).
# (busybox's date exits 0 even when it cannot set the clock: its message counts)
if e=$(date -s "$(date '+%Y-%m-%d %H:%M:%S')" 2>&1 >/dev/null) && [ -z "$e" ]; then echo "date_set=ok"; else echo "date_set=fail"; fi
# The cgroup filesystem: mount it; if that works, what does it show?
mkdir -p /tmp/cgprobe /tmp/cgprobe2 2>/dev/null
if mount -t cgroup2 none /tmp/cgprobe 2>/dev/null; then
	echo "mount_cgroup2=ok"
	echo "mounted_cgroup2_ls=$(ls /tmp/cgprobe | tr '\n' ' ')"
	umount /tmp/cgprobe
else
	echo "mount_cgroup2=fail"
fi
if mount -t cgroup -o memory none /tmp/cgprobe2 2>/dev/null; then
	echo "mount_cgroup=ok"
	echo "mounted_cgroup_ls=$(ls /tmp/cgprobe2 | tr '\n' ' ')"
	umount /tmp/cgprobe2
else
	echo "mount_cgroup=fail"
fi
if mount -t tmpfs none /tmp/cgprobe 2>/dev/null; then echo "mount_tmpfs=ok"; umount /tmp/cgprobe; else echo "mount_tmpfs=fail"; fi
# /sys/fs/cgroup as the container sees it.
hostnames=""
for h in /sys/fs/cgroup/*; do
	[ -d "$h" ] || continue
	for d in "$h"/*/; do
		b=$(basename "$d")
		case $b in nstop|system.slice|user.slice|init.scope|process_api|nstop-test-*) hostnames="$hostnames $h/$b" ;; esac
	done
done
echo "sysfs_cgroup_hostdirs=$hostnames"
echo "sysfs_cgroup_ls=$(ls /sys/fs/cgroup 2>/dev/null | tr '\n' ' ')"
bad=""; good=0
for h in /sys/fs/cgroup /sys/fs/cgroup/*; do
	[ -f "$h/cgroup.procs" ] || continue
	if grep -qx 1 "$h/cgroup.procs"; then good=$((good + 1)); else bad="$bad $h"; fi
done
echo "sysfs_cgroup_root_without_init=$bad"
echo "sysfs_cgroup_roots_with_init=$good"
for f in /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max; do
	[ -f "$f" ] && { echo "inside_mem_limit=$(cat "$f")"; break; }
done
for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max; do
	[ -f "$f" ] && { echo "inside_pids_max=$(cat "$f")"; break; }
done
echo "mountinfo_cgroup_dotdot=$(awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) ~ /^cgroup/ && $4 != "/") print $5 ":" $4 }' /proc/self/mountinfo | tr '\n' ' ')"
# Its own limits, from inside: writing back the same value, making a child.
w=""
for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max /sys/fs/cgroup/cgroup.procs; do
	[ -f "$f" ] || continue
	v=$(cat "$f" 2>/dev/null)
	case $f in *cgroup.procs) v=$$ ;; esac
	( printf '%s\n' "$v" >"$f" ) 2>/dev/null && w="$w $f"
done
echo "cgroup_writable=$w"
mk=""
for h in /sys/fs/cgroup /sys/fs/cgroup/*; do
	[ -f "$h/cgroup.procs" ] || continue
	if mkdir "$h/nstop-test-rtc-probe" 2>/dev/null; then mk="$mk $h"; rmdir "$h/nstop-test-rtc-probe"; fi
done
echo "cgroup_mkdir=$mk"
# Masked paths: empty or unreadable.
for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats /proc/timer_stats; do
	if [ -e "$p" ]; then
		echo "masked_$(basename $p)=$(head -c 64 "$p" 2>/dev/null | wc -c)"
	else
		echo "masked_$(basename $p)=0"
	fi
done
for p in /proc/acpi /proc/asound /proc/scsi /sys/firmware; do
	echo "masked_dir_$(basename $p)=$(ls -A "$p" 2>/dev/null | wc -l)"
done
# Read-only paths: the mount flags, and a write of the value already there.
# (the options of the mount that holds the path: the longest prefix; the
# last such mount is the one on top)
for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger /sys; do
	if [ -e "$p" ]; then
		o=$(awk -v p="$p" '{ m = $5; if ((p == m || index(p, m == "/" ? "/" : m "/") == 1) && length(m) >= best) { best = length(m); o = $6 } } END { print o }' /proc/self/mountinfo)
	else
		o=ro,absent
	fi
	echo "ro_$(echo "$p" | tr / _)=$o"
done
for f in /proc/sys/vm/overcommit_memory /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe; do
	v=$(cat "$f" 2>/dev/null) || continue
	if ( printf '%s\n' "$v" >"$f" ) 2>/dev/null; then echo "procsys_write_$(basename $f)=ok"; else echo "procsys_write_$(basename $f)=fail"; fi
done
if ( : >/sys/kernel/nstop-probe ) 2>/dev/null; then echo "sys_write=ok"; else echo "sys_write=fail"; fi
# The root and /tmp.
if ( : >/nstop-probe ) 2>/dev/null; then echo "root_write=ok"; rm -f /nstop-probe; else echo "root_write=fail"; fi
if ( : >/etc/nstop-probe ) 2>/dev/null; then echo "etc_write=ok"; rm -f /etc/nstop-probe; else echo "etc_write=fail"; fi
if echo x >/tmp/nstop-probe 2>/dev/null && [ "$(cat /tmp/nstop-probe)" = x ]; then echo "tmp_write=ok"; else echo "tmp_write=fail"; fi
echo "tmp_fstype=$(awk '$5 == "/tmp" { for (i = 7; $i != "-"; i++) ; print $(i + 1) }' /proc/self/mountinfo)"
echo "dev=$(ls -A /dev | tr '\n' ' ')"
for d in null zero full random urandom tty; do
	[ -c /dev/$d ] && echo "dev_$d=c" || echo "dev_$d=missing"
done
echo "dev_null_write=$( (echo x >/dev/null) 2>/dev/null && echo ok || echo fail)"
echo "dev_urandom_read=$(head -c 8 /dev/urandom 2>/dev/null | wc -c)"
echo "dev_shm=$(awk '$5 == "/dev/shm" { print "mounted"; exit }' /proc/self/mountinfo)"
echo "dev_mqueue=$(awk '$5 == "/dev/mqueue" { print "mounted"; exit }' /proc/self/mountinfo)"
echo "dev_pts_entries=$(ls -A /dev/pts 2>/dev/null | grep -vx ptmx | tr '\n' ' ')"
echo "dev_shm_entries=$(ls -A /dev/shm 2>/dev/null | tr '\n' ' ')"
echo "sys_class_net=$(ls /sys/class/net 2>/dev/null | tr '\n' ' ')"
# An orphan: init must reap it once it ends.
( sleep 0.1 & )
sleep 0.6
echo "zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)"
echo "dev_pts=$(awk '$5 == "/dev/pts" { print "mounted"; exit }' /proc/self/mountinfo)"
# The network.
echo "netdevs=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | sort | tr '\n' ' ')"
echo "lo_flags=$(cat /sys/class/net/lo/flags 2>/dev/null)"
echo "lo_up=$(ip link show lo 2>/dev/null | grep -c '[<,]UP[,>]')"
for t in net ipc uts pid mnt cgroup user; do echo "ns_$t=$(readlink /proc/self/ns/$t)"; done
# A new user namespace would give back every capability inside it.
if unshare -U true 2>/dev/null; then echo "unshare_user=ok"; else echo "unshare_user=fail"; fi
if [ -e /etc/nstop-rootfs ]; then echo "rootfs_marker=yes"; else echo "rootfs_marker=no"; fi
echo "rootdirs=$(ls / | tr '\n' ' ')"
echo "root_fstype=$(awk '$5 == "/" { for (i = 7; $i != "-"; i++) ; t = $(i + 1); o = $6 } END { print t " " o }' /proc/self/mountinfo)"
echo "nmounts=$(grep -c '' /proc/self/mountinfo)"
echo "run_nstop_visible=$(ls -A /run/nstop 2>/dev/null | wc -l)"
echo "done=yes"
EOF
)
PROBE="MARK_A=$MARK_A; MARK_B=$MARK_B; $PROBE"

# The syscalls the filter must deny, called by perl with arguments that are
# harmless if the call did go through; "name=0" (it worked) or "name=ERRNO".
# Where the kernel's own answer differs from the filter's (ENOKEY, ENODEV,
# EFAULT, ENOENT, success), the errno shows that the filter answered.
SYSPROBE=$(cat <<'EOF'
use strict;
my $zero = "\0" x 512;
my @t = (
	[ "kexec_load", 246, 0, 0, 0, 0 ],
	[ "init_module", 175, 0, 0, "" ],
	[ "finit_module", 313, -1, "", 0 ],
	[ "delete_module", 176, "nstop_test_bogus", 0 ],
	[ "open_by_handle_at", 304, -100, 0, 0 ],
	[ "keyctl", 250, 0, -1, 0 ],
	[ "add_key", 248, "nstop_test_bogus_type", "d", 0, 0, -2 ],
	[ "bpf", 321, 0, 0, 0 ],
	[ "userfaultfd", 323, 0 ],
	[ "perf_event_open", 298, 0, 0, -1, -1, 0 ],
	[ "settimeofday", 164, 0, 0 ],
	[ "clock_settime", 227, 0, 0 ],
	[ "adjtimex", 159, $zero ],
	[ "mount", 165, "none", "/nonexistent-nstop", "tmpfs", 0, 0 ],
	[ "umount2", 166, "/nonexistent-nstop", 0 ],
	[ "pivot_root", 155, "/nonexistent-nstop", "/nonexistent-nstop" ],
	[ "swapon", 167, "/nonexistent-nstop", 0 ],
	[ "reboot", 169, 0, 0, 0, 0 ],
);
for my $c (@t) {
	my ($name, $nr, @a) = @$c;
	$! = 0;
	my $r = syscall($nr, @a);
	print "$name=", ($r == -1 ? $! + 0 : 0), "\n";
}
# TIOCSTI on stdin: without a filter the kernel says ENOTTY (stdin is not a
# terminal here) or EIO/EPERM; the filter answers before it looks.
$! = 0;
my $ch = "x";
my $r = ioctl(STDIN, 0x5412, $ch);
print "tiocsti=", (defined $r ? 0 : $! + 0), "\n";
EOF
)

# probe NAME RUN-ARGS...: runs the probe in a container; output in NAME.out.
probe() {
	local name=$1
	shift
	run_nstop "$name" run --rm "$@" -- sh -c "$PROBE"
	is "$NSTOP_RC" 0 "[$name] the probe ran (exit 0)"
	ok "[$name] the probe ran to its end" grep -qx done=yes "$(out "$name")"
}

has_bit() {	# has_bit HEX BIT
	[ -n "$1" ] && [ $(( (0x$1 >> $2) & 1 )) = 1 ]
}

# Capabilities no container may hold. The issue's six, and the others that
# open a way out or to the host: DAC_READ_SEARCH (open_by_handle_at, "shocker"),
# LINUX_IMMUTABLE, NET_ADMIN, IPC_OWNER, SYS_PACCT, SYS_BOOT, SYS_RESOURCE,
# AUDIT_CONTROL, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, BLOCK_SUSPEND, PERFMON, BPF,
# CHECKPOINT_RESTORE.
FORBIDDEN="21:SYS_ADMIN 25:SYS_TIME 16:SYS_MODULE 19:SYS_PTRACE 17:SYS_RAWIO 27:MKNOD
	2:DAC_READ_SEARCH 9:LINUX_IMMUTABLE 12:NET_ADMIN 15:IPC_OWNER 20:SYS_PACCT
	22:SYS_BOOT 24:SYS_RESOURCE 30:AUDIT_CONTROL 32:MAC_OVERRIDE 33:MAC_ADMIN
	34:SYSLOG 36:BLOCK_SUSPEND 38:PERFMON 39:BPF 40:CHECKPOINT_RESTORE"

# no_forbidden HEX: a capability set that is readable and holds none of them.
no_forbidden() {
	local b
	[ -n "$1" ] || return 1
	for b in $FORBIDDEN; do
		has_bit "$1" "${b%%:*}" && return 1
	done
	return 0
}

# check_common NAME CONTAINER-NAME HOSTNAME: what holds for every container.
check_common() {
	local f n=$1 cname=$2 host=$3 k e b c
	f=$(out "$n")
	is "$(kv "$f" hostname)" "$host" "[$n] the hostname is $host"
	ok "[$n] pid 1 is not the host's init ($(kv "$f" pid1))" \
		test -n "$(kv "$f" pid1)" -a "$(kv "$f" pid1)" != systemd -a "$(kv "$f" pid1)" != "$(cat /proc/1/comm 2>/dev/null || echo x)"
	ok "[$n] the probe's shell has a small pid ($(kv "$f" mypid))" test "$(kv "$f" mypid)" -lt 50
	ok "[$n] /proc shows only the container's processes ($(kv "$f" nprocs))" test "$(kv "$f" nprocs)" -lt 20
	is "$(kv "$f" hostproc_seen)" no "[$n] a host process (sleep $MARK_A.$MARK_B) is not in /proc"
	ok "[$n] /proc/self/cgroup has lines ($(kv "$f" cgroup_lines))" test "$(kv "$f" cgroup_lines)" -gt 0
	is "$(kv "$f" cgroup_notroot)" 0 "[$n] every line of /proc/self/cgroup is /"
	for k in CapEff CapPrm CapBnd CapInh CapAmb; do
		e=$(kv "$f" "$k")
		for b in $FORBIDDEN; do
			has_bit "$e" "${b%%:*}" && fail "[$n] $k has no CAP_${b#*:}" "$k=$e"
		done
		ok "[$n] $k ($e) is readable and holds none of the forbidden capabilities" no_forbidden "$e"
	done
	e=$(kv "$f" CapEff)
	diag "[$n] CapEff $e: $(command -v capsh >/dev/null && capsh --decode="$e" 2>/dev/null)"
	is "$(kv "$f" CapAmb)" 0000000000000000 "[$n] no ambient capabilities"
	is "$(kv "$f" init_exe_write)" fail "[$n] /proc/1/exe (the init's executable) cannot be opened for writing"
	# exec made the reaper dumpable again: it must have undone that
	is "$(kv "$f" init_exe_link)" denied "[$n] pid 1 is not dumpable: not even where /proc/1/exe points can be read"
	is "$(kv "$f" init_dirs)" "" "[$n] init holds no directory the payload can reach through /proc/1 (fd, cwd, root)"
	for k in init_CapEff init_CapBnd init_CapPrm; do
		e=$(kv "$f" "$k")
		ok "[$n] pid 1 (nstop's init) $k ($e) holds none of the forbidden capabilities" no_forbidden "$e"
		for b in $FORBIDDEN; do
			has_bit "$e" "${b%%:*}" && diag "[$n] pid 1 $k has CAP_${b#*:}"
		done
	done
	is "$(kv "$f" NoNewPrivs)" 1 "[$n] NoNewPrivs is 1"
	is "$(kv "$f" Seccomp)" 2 "[$n] Seccomp is 2 (a filter)"
	is "$(kv "$f" fds)" "0 1 2 3 " "[$n] a child of the payload inherits only fds 0 1 2 (nothing of nstop's leaks in)"
	is "$(kv "$f" cwd)" / "[$n] it starts in the container's /"
	is "$(kv "$f" mknod)" fail "[$n] mknod /dev/kmsg c 1 11 fails"
	is "$(kv "$f" kmsg_write)" fail "[$n] writing /dev/kmsg fails"
	is "$(kv "$f" date_set)" fail "[$n] date -s (setting the clock) fails"
	is "$(kv "$f" dmesg)" fail "[$n] dmesg (the host's kernel log) cannot be read"
	is "$(kv "$f" mount_cgroup2)" fail "[$n] mount -t cgroup2 fails"
	is "$(kv "$f" mount_cgroup)" fail "[$n] mount -t cgroup -o memory fails"
	is "$(kv "$f" mount_tmpfs)" fail "[$n] mount -t tmpfs fails"
	is "$(kv "$f" mounted_cgroup2_ls)$(kv "$f" mounted_cgroup_ls)" "" "[$n] (so no mounted cgroup fs shows anything)"
	is "$(kv "$f" sysfs_cgroup_hostdirs)" "" "[$n] /sys/fs/cgroup shows none of the host's cgroups (nstop, system.slice, ...)"
	diag "[$n] /sys/fs/cgroup inside: $(kv "$f" sysfs_cgroup_ls)"
	is "$(kv "$f" sysfs_cgroup_root_without_init)" "" "[$n] each hierarchy's root inside is the container's cgroup (its cgroup.procs has 1)"
	ok "[$n] the cgroup filesystem is mounted inside, from its namespace ($(kv "$f" sysfs_cgroup_roots_with_init) hierarchies)" \
		test "$(kv "$f" sysfs_cgroup_roots_with_init)" -gt 0
	is "$(kv "$f" mountinfo_cgroup_dotdot)" "" "[$n] every cgroup mount inside is of its namespace's root"
	is "$(kv "$f" cgroup_writable)" "" "[$n] the container cannot write its own limits or cgroup.procs"
	is "$(kv "$f" cgroup_mkdir)" "" "[$n] nor make cgroups"
	for k in kcore keys timer_list sched_debug latency_stats timer_stats; do
		is "$(kv "$f" "masked_$k")" 0 "[$n] /proc/$k is masked (reads nothing)"
	done
	for k in acpi asound scsi firmware; do
		is "$(kv "$f" "masked_dir_$k")" 0 "[$n] $( [ $k = firmware ] && echo /sys || echo /proc)/$k is masked (empty)"
	done
	for k in _proc_bus _proc_fs _proc_irq _proc_sys _proc_sysrq-trigger _sys; do
		c=$(kv "$f" "ro_$k")
		ok "[$n] $(echo "$k" | tr _ /) is mounted read-only ($c)" eval "case ',$c,' in *,ro,*) true ;; *) false ;; esac"
	done
	for k in overcommit_memory domainname ip_forward core_pattern modprobe; do
		[ -n "$(kv "$f" "procsys_write_$k")" ] &&
			is "$(kv "$f" "procsys_write_$k")" fail "[$n] writing /proc/sys/.../$k (its own value) fails"
	done
	is "$(kv "$f" sys_write)" fail "[$n] /sys cannot be written"
	is "$(kv "$f" tmp_write)" ok "[$n] /tmp is writable"
	is "$(kv "$f" tmp_fstype)" tmpfs "[$n] /tmp is a tmpfs"
	for k in null zero full random urandom tty; do
		is "$(kv "$f" "dev_$k")" c "[$n] /dev/$k is there"
	done
	is "$(kv "$f" dev_null_write)" ok "[$n] /dev/null can be written"
	is "$(kv "$f" dev_urandom_read)" 8 "[$n] /dev/urandom can be read"
	for k in shm mqueue pts; do
		is "$(kv "$f" "dev_$k")" mounted "[$n] /dev/$k is mounted"
	done
	is "$(kv "$f" dev_pts_entries)" "" "[$n] /dev/pts is a new instance: none of the host's terminals"
	is "$(kv "$f" dev_shm_entries)" "" "[$n] /dev/shm is its own: the host's $SHMFILE is not there"
	is "$(kv "$f" zombies)" 0 "[$n] init reaped an orphan: no zombies"
	c=$(kv "$f" dev | tr ' ' '\n' | grep -vxE 'null|zero|full|random|urandom|tty|pts|shm|mqueue|ptmx|fd|stdin|stdout|stderr|console|core|' | tr '\n' ' ')
	is "$c" "" "[$n] /dev holds nothing else (no disks, mem, kmsg, ...)"
	for k in net ipc uts pid mnt cgroup; do
		isnt "$(kv "$f" "ns_$k")" "$(readlink /proc/self/ns/$k)" "[$n] the $k namespace is not the host's"
	done
	is "$(kv "$f" unshare_user)" fail "[$n] unshare -U (a new user namespace) fails"
}

# ---- no flags: the host's / read-only ---------------------------------------------
rtc_name plain
probe plain --name "$RTC_NAME" --memory 48M --pids 33
check_common plain "$RTC_NAME" "$RTC_NAME"
F=$(out plain)
is "$(kv "$F" inside_mem_limit)" 50331648 "[plain] /sys/fs/cgroup inside shows its own memory limit (48M)"
is "$(kv "$F" inside_pids_max)" 33 "[plain] and its own pids.max (33)"
is "$(kv "$F" rootfs_marker)" no "[plain] the root is the host's"
is "$(kv "$F" root_write)" fail "[plain] / is read-only"
is "$(kv "$F" etc_write)" fail "[plain] /etc is read-only"
ok "[plain] / is mounted read-only ($(kv "$F" root_fstype))" eval "case ',$(kv "$F" root_fstype | cut -d' ' -f2),' in *,ro,*) true ;; *) false ;; esac"
is "$(kv "$F" netdevs)" "lo " "[plain] the network is only lo (--net none is the default)"
is "$(kv "$F" lo_up)" 1 "[plain] lo is up"
is "$(kv "$F" sys_class_net)" "lo " "[plain] /sys/class/net is the container's: only lo"
assert_gone "$RTC_NAME"

# kill -9 -1 from inside reaches only the container.
rtc_name killall
run_nstop_quiet ka run --rm --name "$RTC_NAME" -- sh -c 'sleep 1000 & kill -9 -1; echo survived'
ok "kill -9 -1 inside: the host's sleep ($HOSTSLEEP) lives on" kill -0 "$HOSTSLEEP"
ok "  and the container's own processes were the ones hit ($(cat "$(out ka)"), exit $NSTOP_RC)" \
	test "$NSTOP_RC" -eq 0 -o "$NSTOP_RC" -eq 137
assert_gone "$RTC_NAME"

# The host's unix sockets: connect(2) ignores a read-only mount, so any
# socket of a host daemon (docker.sock, D-Bus, systemd's) that the container
# can reach is root on the host. A listener of ours on /run and an abstract
# one (per network namespace), then every socket the container can find under
# the usual places, tried.
if command -v perl >/dev/null; then
	mkdir -p "$TEST_TMP/sock"
	cat >"$TEST_TMP/sock/listen.pl" <<'EOF2'
use strict; use Socket;
my ($path, $abs) = @ARGV;
my @s;
for my $a ($path, "\0$abs") {
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
	bind($s, pack_sockaddr_un($a)) or die "bind $a: $!";
	listen($s, 16) or die "listen: $!";
	push @s, $s;
}
$SIG{CHLD} = "IGNORE"; $SIG{PIPE} = "IGNORE";
my $rin = '';
vec($rin, fileno($_), 1) = 1 for @s;
while (1) {
	select(my $rout = $rin, undef, undef, undef);
	for my $s (@s) {
		next unless vec($rout, fileno($s), 1);
		accept(my $c, $s) or next;
		syswrite($c, "hello\n");
		close $c;
	}
}
EOF2
	cat >"$TEST_TMP/sock/probe.pl" <<'EOF2'
use strict; use Socket; use File::Find;
# probe.pl ABSTRACT [PATH...]: with PATHs, only those are tried (so that the
# check of the probe itself on the host touches no one else's socket).
my $abs = shift;
my @only = @ARGV;
my @hits;
sub try {
	my $p = shift;
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or return;
	push @hits, ($p =~ s/^\0/@/r) if connect($s, pack_sockaddr_un($p));
	close $s;
}
my @dirs = grep { -d } qw(/run /var/run /var/lib /tmp /dev /home /root /var/snap /var/spool /mnt /opt /srv /etc);
if (@only) {
	try($_) for @only;
} else {
find({ no_chdir => 1,
       preprocess => sub { (($File::Find::dir =~ tr{/}{}) > 6) ? () : @_ },
       wanted => sub { try($File::Find::name) if -S $_ } }, @dirs);
}
try("\0$abs");
print "unix_connect=@hits\n";
EOF2
	SOCK=/run/$RTC.sock
	register_cmd "rm -f '$SOCK'"
	spawn_bg perl "$TEST_TMP/sock/listen.pl" "$SOCK" "$RTC-abs"
	for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.05; done
	host_hits=$(perl "$TEST_TMP/sock/probe.pl" "$RTC-abs" "$SOCK")
	ok "the socket probe reaches our listeners from the host ($host_hits)" \
		eval "grep -qF '$SOCK' <<<'$host_hits' && grep -qF '@$RTC-abs' <<<'$host_hits'"
	rtc_name sock
	run_nstop sock run --rm --name "$RTC_NAME" -v "$TEST_TMP/sock:/mnt:ro" -- perl /mnt/probe.pl "$RTC-abs"
	is "$(kv "$(out sock)" unix_connect)" "" "[plain] no host unix socket can be reached from inside (path or abstract)"
	rtc_name socknh
	run_nstop socknh run --rm --name "$RTC_NAME" --net host -v "$TEST_TMP/sock:/mnt:ro" -- perl /mnt/probe.pl "$RTC-abs"
	diag "--net host reaches (abstract sockets live in the network namespace): $(kv "$(out socknh)" unix_connect)"
	ok "[net host] still no path socket of the host" eval "! grep -qF '$SOCK' '$(out socknh)'"
else
	fail "perl for the unix socket probe"
fi

# --hostname, --net none said outright.
rtc_name hn
run_nstop hn run --rm --name "$RTC_NAME" --hostname nstop-probe-host --net none -- sh -c \
	'hostname; awk -F: "NR > 2 { gsub(/ /, \"\", \$1); print \$1 }" /proc/net/dev; cat /proc/sys/kernel/hostname'
is "$(sed -n 1p "$(out hn)")" nstop-probe-host "--hostname sets the hostname"
is "$(sed -n 2,3p "$(out hn)" | tr '\n' ' ')" "lo nstop-probe-host " "--net none: only lo; the kernel's hostname agrees"
is "$(hostname)" "$(cat /proc/sys/kernel/hostname)" "the host's hostname is untouched"

# --net host: the host's interfaces.
rtc_name nethost
run_nstop nh run --rm --name "$RTC_NAME" --net host -- sh -c \
	'awk -F: "NR > 2 { gsub(/ /, \"\", \$1); print \$1 }" /proc/net/dev | sort | tr "\n" " "; echo; readlink /proc/self/ns/net'
is "$NSTOP_RC" 0 "run --net host exits 0"
is "$(sed -n 1p "$(out nh)")" "$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | sort | tr '\n' ' ')" \
	"--net host: the host's interfaces"
is "$(sed -n 2p "$(out nh)")" "$(readlink /proc/self/ns/net)" "--net host: the host's network namespace"

# The syscalls, with the host's perl (x86_64 numbers).
if [ "$(uname -m)" = x86_64 ] && command -v perl >/dev/null; then
	rtc_name sys
	run_nstop sys run --rm --name "$RTC_NAME" -- perl -e "$SYSPROBE" </dev/null
	F=$(out sys)
	is "$NSTOP_RC" 0 "the syscall probe (perl) exits 0"
	for s in kexec_load init_module finit_module delete_module open_by_handle_at keyctl add_key \
		 bpf userfaultfd perf_event_open settimeofday clock_settime adjtimex mount umount2 \
		 pivot_root swapon reboot tiocsti; do
		e=$(kv "$F" "$s")
		ok "$s is denied (errno ${e:-none})" test -n "$e" -a "${e:-0}" != 0
	done
	# Where the kernel would answer otherwise (or succeed), the filter's EPERM or
	# ENOSYS (or EACCES) is what shows the filter there.
	for s in keyctl add_key perf_event_open adjtimex tiocsti; do
		e=$(kv "$F" "$s")
		ok "$s: the filter answers (errno $e is EPERM, EACCES or ENOSYS)" \
			eval "case '$e' in 1|13|38) true ;; *) false ;; esac"
	done
	# The same through perl's fork, in a shell of the container: unshare CLONE_NEWUSER.
	rtc_name usern
	# A new user namespace by unshare, clone and clone3 (a child that
	# got one exits at once).
	run_nstop_quiet usern run --rm --name "$RTC_NAME" -- perl -e '
		sub res { my ($n, $r) = @_; if (defined $r && $r == 0) { POSIX::_exit(0) } print "$n=", ($r == -1 ? $! + 0 : 0), "\n" }
		use POSIX ();
		$! = 0; res("clone", syscall(56, 0x10000000 | 17, 0, 0, 0, 0));
		my $args = pack("Q11", 0x10000000, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0);
		$! = 0; res("clone3", syscall(435, $args, length($args)));
		wait; wait;
		$! = 0; my $r = syscall(272, 0x10000000); print "unshare=", ($r == -1 ? $! + 0 : 0), "\n";'
	F=$(out usern)
	for s in unshare clone clone3; do
		e=$(kv "$F" "$s")
		ok "$s(CLONE_NEWUSER) is denied (errno ${e:-none})" test -n "$e" -a "${e:-0}" != 0
	done
else
	fail "the syscall probe needs x86_64 and perl" "uname -m: $(uname -m)"
fi

# The filter must hold for the 32-bit entry too: int 0x80 is the i386 ABI, with
# its own syscall numbers (keyctl 288, unshare 310), which a filter that checks
# numbers but not the architecture lets through. Unfiltered, keyctl reaches the
# kernel (-ENOKEY, -126) and unshare(CLONE_NEWUSER) works (0).
if [ "$(uname -m)" = x86_64 ]; then
	mkdir -p "$TEST_TMP/i386"
	if cp "$PROBES/i386" "$TEST_TMP/i386/i386" 2>"$TEST_TMP/cp.err"; then
		rtc_name i386
		run_nstop_quiet i386 run --rm --name "$RTC_NAME" -v "$TEST_TMP/i386:/mnt:ro" -- /mnt/i386
		F=$(out i386)
		diag "int 0x80 inside: exit $NSTOP_RC, $(tr '\n' ' ' <"$F")"
		ok "the i386 probe ran: it finished (0) or the filter killed it (159, SIGSYS)" \
			test "$NSTOP_RC" -eq 0 -o "$NSTOP_RC" -eq 159
		ok "i386 keyctl (int 0x80) does not reach the kernel ($(kv "$F" i386_keyctl))" \
			test "$(kv "$F" i386_keyctl)" != -126
		ok "i386 unshare(CLONE_NEWUSER) (int 0x80) is denied ($(kv "$F" i386_unshare))" \
			test "$(kv "$F" i386_unshare)" != 0
	else
		fail "the i386 probe is built (make check builds it; NSTOP_PROBES=$PROBES)" "$(cat "$TEST_TMP/cp.err")"
	fi
fi

# ---- --rootfs and --overlay: a busybox root ------------------------------------------
ROOTFS=$TEST_TMP/rootfs
ok "mkrootfs.sh makes a busybox root" "$MKROOTFS" "$ROOTFS"
# The classic chroot escape (chroot into a subdirectory, climb out with "..",
# chroot "."): it works when a runtime only chroot()s into DIR, not when it
# pivot_root()s and detaches the old root. A static helper, since the rootfs
# has no libraries (tests/system/probes/escape.c).
if cp "$PROBES/escape" "$ROOTFS/bin/nstop-escape" 2>"$TEST_TMP/cp.err"; then
	rtc_name esc
	run_nstop esc run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" --overlay -- /bin/nstop-escape
	ok "[ovl] the chroot escape ends in the container's root ($(kv "$(out esc)" chroot_escape))" \
		grep -Eqx 'chroot_escape=(contained|no-chroot)' "$(out esc)"
	rtc_name esc2
	run_nstop esc2 run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" -- /bin/nstop-escape
	ok "[rootfs] the chroot escape ends in the container's root ($(kv "$(out esc2)" chroot_escape))" \
		grep -Eqx 'chroot_escape=(contained|no-chroot)' "$(out esc2)"
else
	fail "the chroot escape probe is built (make check builds it; NSTOP_PROBES=$PROBES)" "$(cat "$TEST_TMP/cp.err")"
fi
find "$ROOTFS" | sort >"$TEST_TMP/rootfs.before"
rtc_name ovl
probe ovl --name "$RTC_NAME" --rootfs "$ROOTFS" --overlay
check_common ovl "$RTC_NAME" "$RTC_NAME"
F=$(out ovl)
is "$(kv "$F" rootfs_marker)" yes "[ovl] the root is the rootfs"
ok "[ovl] the host's files are not there (no /usr/lib, no /home)" \
	eval "! kv '$F' rootdirs | grep -qwE 'lib|home|usr/lib'"
ok "[ovl] few mounts, none of the host's ($(kv "$F" nmounts))" test "$(kv "$F" nmounts)" -lt 40
is "$(kv "$F" run_nstop_visible)" 0 "[ovl] nstop's state directory is not visible"
is "$(kv "$F" root_write)" ok "[ovl] / is writable under --overlay"
find "$ROOTFS" | sort >"$TEST_TMP/rootfs.after"
ok "[ovl] the writes did not reach DIR" cmp -s "$TEST_TMP/rootfs.before" "$TEST_TMP/rootfs.after"
assert_gone "$RTC_NAME"

# Writes under the overlay stay in the container, and are gone with it.
rtc_name ovl2
run_nstop ovl2 run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" --overlay -- sh -c \
	'echo changed >/etc/hostname && rm /bin/true && cat /etc/hostname && [ ! -e /bin/true ] && echo removed'
is "$(cat "$(out ovl2)" | tr '\n' ' ')" "changed removed " "[ovl] a file changed and a file removed inside"
is "$(cat "$ROOTFS/etc/hostname")" rootfs "[ovl] DIR's file is unchanged"
ok "[ovl] DIR's removed file is still there" test -L "$ROOTFS/bin/true"

# --rootfs without --overlay: the rootfs's marker, pivot_root'ed.
rtc_name rfs
run_nstop rfs run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" -- sh -c \
	'cat /etc/nstop-rootfs; ls /; grep -c "" /proc/self/mountinfo'
is "$(sed -n 1p "$(out rfs)")" nstop-mkrootfs "[rootfs] the container's / is DIR"

# ---- volumes ------------------------------------------------------------------------
VOL=$TEST_TMP/vol
VRO=$TEST_TMP/vro
mkdir -p "$VOL" "$VRO"
echo host-data >"$VRO/data"
rtc_name vol
run_nstop vol run --rm --name "$RTC_NAME" --rootfs "$ROOTFS" -v "$VOL:/vol" -v "$VRO:/vro:ro" -- sh -c '
	echo from-inside >/vol/made && echo vol_write=ok || echo vol_write=fail
	echo "vro_read=$(cat /vro/data)"
	if ( echo x >/vro/data ) 2>/dev/null; then echo vro_write=ok; else echo vro_write=fail; fi
	if ( : >/vro/new ) 2>/dev/null; then echo vro_create=ok; else echo vro_create=fail; fi
	if mount -o remount,rw /vro 2>/dev/null; then echo vro_remount=ok; else echo vro_remount=fail; fi'
F=$(out vol)
is "$NSTOP_RC" 0 "run -v SRC:/vol -v SRC2:/vro:ro exits 0"
is "$(kv "$F" vol_write)" ok "-v: a file written inside"
is "$(cat "$VOL/made" 2>/dev/null)" from-inside "-v: ... is in SRC on the host"
is "$(kv "$F" vro_read)" host-data "-v :ro: the host's file is readable"
is "$(kv "$F" vro_write)" fail "-v :ro: it cannot be written"
is "$(kv "$F" vro_create)" fail "-v :ro: nothing can be made in it"
is "$(kv "$F" vro_remount)" fail "-v :ro: it cannot be remounted read-write"
is "$(cat "$VRO/data")" host-data "-v :ro: the host's file is unchanged"
ok "-v :ro: nothing new in SRC" test ! -e "$VRO/new"
# A volume with the host's default root too.
rtc_name vol2
run_nstop vol2 run --rm --name "$RTC_NAME" -v "$VOL:/mnt" -- cat /mnt/made
is "$(cat "$(out vol2)")" from-inside "-v with the host's root: the volume is there"

# ---- --userns: root inside is an unprivileged uid outside ----------------------------
UVOL=$TEST_TMP/uvol
mkdir -p "$UVOL" && chmod 755 "$UVOL"
chmod 711 "$TEST_TMP"	# (mktemp's 0700 would close the volume to uid 100000)
rtc_name userns
NU=$RTC_NAME
run_nstop uns run -d --name "$NU" --userns 100000:100000 -v "$UVOL:/mnt" -- sh -c '
	echo "uid=$(id -u)"
	echo "uid_map=$(cat /proc/self/uid_map | tr -s " " | sed "s/^ //")"
	echo "gid_map=$(cat /proc/self/gid_map | tr -s " " | sed "s/^ //")"
	echo "userns=$(readlink /proc/self/ns/user)"
	if ( : >/mnt/made-by-root-inside ) 2>/dev/null; then echo vol_write=ok; else echo vol_write=fail; fi
	: >/tmp/mine && echo "tmp_owner=$(stat -c %u /tmp/mine)"
	echo done=yes
	exec sleep 1000'
is "$NSTOP_RC" 0 "run -d --userns 100000:100000 exits 0"
PU=$(init_pid "$NU")
register_pid $PU
for i in $(seq 50); do grep -qs done=yes "$STATE_DIR/$NU/log" && break; sleep 0.1; done
F=$STATE_DIR/$NU/log
is "$(kv "$F" uid)" 0 "[userns] root inside"
is "$(kv "$F" uid_map)" "0 100000 65536" "[userns] uid_map maps 0 to 100000 for 65536 ids"
is "$(kv "$F" gid_map)" "0 100000 65536" "[userns] gid_map maps 0 to 100000 for 65536 ids"
isnt "$(kv "$F" userns)" "$(readlink /proc/self/ns/user)" "[userns] a user namespace of its own"
is "$(kv "$F" vol_write)" fail "[userns] root inside cannot write a host directory owned by host root (0755)"
ok "[userns] ... and nothing was made there" test ! -e "$UVOL/made-by-root-inside"
is "$(kv "$F" tmp_owner)" 0 "[userns] its own /tmp is its root's"
S=$(children_of "${PU:-0}" | head -1)
is "$(awk '/^Uid:/ { print $2 }' "/proc/${S:-0}/status" 2>/dev/null)" 100000 "[userns] the payload is uid 100000 on the host"
is "$(ns_inode "${S:-0}" user)" "$(ns_inode "${PU:-0}" user)" "[userns] init and payload share the user namespace"
run_nstop unsx exec "$NU" -- sh -c 'id -u; readlink /proc/self/ns/user'
is "$(sed -n 1p "$(out unsx)")" 0 "[userns] exec: root inside"
is "$(sed -n 2p "$(out unsx)")" "$(kv "$F" userns)" "[userns] exec enters the container's user namespace"
run_nstop unsrm rm -f "$NU"
assert_gone "$NU" $PU

# Removing a container never removes what its volumes hold: not rm -f of a
# running one, not --rm, with an overlay or without.
KEEP=$TEST_TMP/keep
mkdir -p "$KEEP/sub" && echo precious >"$KEEP/sub/file"
rtc_name keep
run_nstop keep1 run -d --name "$RTC_NAME" --rootfs "$ROOTFS" --overlay -v "$KEEP:/data" -v "$KEEP:/data2:ro" -- sleep 1000
register_pid $(init_pid "$RTC_NAME")
run_nstop keep2 rm -f "$RTC_NAME"
is "$(cat "$KEEP/sub/file" 2>/dev/null)" precious "rm -f of a container with volumes leaves the volumes' files"
assert_gone "$RTC_NAME"
rtc_name keep2
run_nstop keep3 run --rm --name "$RTC_NAME" -v "$KEEP:/mnt" -- sh -c 'cat /mnt/sub/file'
is "$(cat "$(out keep3)")" precious "--rm with a volume: it was there inside"
is "$(cat "$KEEP/sub/file" 2>/dev/null)" precious "  and is still there after"
assert_gone "$RTC_NAME"

# ---- exec: the same walls ---------------------------------------------------------
rtc_name ex
NX=$RTC_NAME
run_nstop exrun run -d --name "$NX" --rootfs "$ROOTFS" --overlay -- sleep 1000
register_pid $(init_pid "$NX")
run_nstop ex exec "$NX" -- sh -c "$PROBE"
is "$NSTOP_RC" 0 "[exec] the probe ran through exec"
check_common ex "$NX" "$NX"
is "$(kv "$(out ex)" rootfs_marker)" yes "[exec] inside the container's root"
run_nstop exrm rm -f "$NX"
assert_gone "$NX"

kill -0 "$HOSTSLEEP" 2>/dev/null
is "$?" 0 "the host's sleep is unharmed"
done_testing
