# Sourced by the isolation tests (after lib.sh): the exposures of a process
# as the kernel's own files show them, computed here without nstop. (The
# test-only dockerd is docker-lib.sh's, shared by every Docker check.)

# ---- the kernel's view ---------------------------------------------------------

# kernel_exposures PID: the exposure ids nstop must name for PID, sorted, one
# per line, from /proc/PID/{status,ns,mountinfo,root} and the devices cgroup.
# The host's namespaces are kthreadd's (pid 2), as in nstop(1).
kernel_exposures() {
	local p=$1 t eff last all hostuser=no dev root devs cg
	_hostns() { [ "$(readlink "/proc/$p/ns/$1")" = "$(readlink "/proc/2/ns/$1")" ]; }
	{
	_hostns user && hostuser=yes
	for t in net pid ipc uts mnt cgroup user; do _hostns "$t" && echo "host-$t"; done
	eff=$(awk '/^CapEff:/ { print $2 }' "/proc/$p/status")
	# every capability, less those missing from our own bounding set
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$(( ((1 << (last + 1)) - 1) & 0x$(awk '/^CapBnd:/ { print $2 }' /proc/self/status) ))
	if [ $hostuser = yes ]; then
		if [ $(( 0x$eff & all )) -eq $all ]; then
			echo privileged
		else
			[ $(( 0x$eff >> 21 & 1 )) -eq 1 ] && echo cap-sys-admin
			[ $(( 0x$eff >> 19 & 1 )) -eq 1 ] && echo cap-sys-ptrace
			[ $(( 0x$eff >> 16 & 1 )) -eq 1 ] && echo cap-sys-module
			[ $(( 0x$eff >> 12 & 1 )) -eq 1 ] && echo cap-net-admin
			[ $(( 0x$eff >> 2 & 1 )) -eq 1 ] && echo cap-dac-read-search
		fi
	fi
	[ "$(awk '/^Seccomp:/ { print $2 }' "/proc/$p/status")" = 0 ] && echo no-seccomp
	[ "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$p/status")" = 0 ] && echo no-new-privs-off
	# The host's /: the last mount on / in kthreadd's mount namespace.
	read -r dev root < <(awk '$5 == "/" { d = $3; r = $4 } END { print d, r }' /proc/2/mountinfo)
	awk -v d="$dev" -v r="$root" '$3 == d && $4 == r { f = 1 } END { exit !f }' \
		"/proc/$p/mountinfo" && echo host-root
	_engine_socket "$p" && echo engine-socket
	if [ $hostuser = yes ]; then
		_rw_cover /proc/sys proc "$p" && echo writable-proc-sys
		_rw_cover /sys sysfs "$p" && echo writable-sys
		devs=$(awk -F: '$2 ~ /(^|,)devices(,|$)/ { print $3 }' "/proc/$p/cgroup")
		cg=$(awk '$9 == "cgroup" && $NF ~ /(^|,)devices(,|$)/ { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
		if [ -n "$devs" ] && [ -n "$cg" ]; then
			grep -qx 'a \*:\* rwm' "$cg$devs/devices.list" 2>/dev/null && echo all-devices
		fi
	fi
	} | sort
}

# _engine_socket PID: a mount named like an engine's socket that is a socket,
# or one at an engine's usual path.
_engine_socket() {
	local s
	for s in $(awk '{ print $5 }' "/proc/$1/mountinfo") /run/docker.sock /var/run/docker.sock \
		 /run/containerd/containerd.sock /var/run/containerd/containerd.sock \
		 /run/podman/podman.sock /run/crio/crio.sock; do
		case ${s##*/} in
		docker.sock|containerd.sock|podman.sock|crio.sock|cri-dockerd.sock|dockershim.sock)
			[ -S "/proc/$1/root$s" ] && return 0 ;;
		esac
	done
	return 1
}

# _rw_cover PATH FSTYPE PID: the mount covering PATH in PID's namespace is
# FSTYPE, read-write, on a read-write superblock.
_rw_cover() {
	awk -v path="$1" -v fs="$2" '
	{
		for (i = 7; $i != "-"; i++) ;
		mp = $5; n = length(mp)
		if (mp == "/" || path == mp || substr(path, 1, n + 1) == mp "/") {
			if (n >= best) { best = n; t = $(i + 1); o = $6; so = $(i + 3) }
		}
	}
	END { exit !(t == fs && o ~ /^rw(,|$)/ && so !~ /^ro(,|$)/) }' "/proc/$3/mountinfo"
}

# nstop_exposures PID: the ids nstop inspect -J names, sorted, one per line.
nstop_exposures() {
	timeout 60 "$NSTOP" inspect -J "$1" 2>/dev/null | jq -r '.isolation.exposures[].id' | sort
}

# check_exposures LABEL PID MUST MUSTNOT: nstop names for PID exactly what the
# kernel's files show, and that set holds every id of MUST and none of
# MUSTNOT (space-separated).
check_exposures() {
	local label=$1 pid=$2 must=$3 mustnot=$4 k n id
	k=$(kernel_exposures "$pid")
	n=$(nstop_exposures "$pid")
	is "$(echo $n)" "$(echo $k)" "[$label] nstop names what the kernel's files show for pid $pid"
	for id in $must; do
		grep -qx -- "$id" <<<"$n"
		ok "[$label] $id named" test $? -eq 0
	done
	for id in $mustnot; do
		grep -qx -- "$id" <<<"$n"
		ok "[$label] $id not named" test $? -ne 0
	done
}
