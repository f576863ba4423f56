# Shared helpers of the network system tests (net-*.sh): sourced before
# lib.sh, never run. net_host_enter re-runs the calling script inside a new
# network and mount namespace of its own -- the "host" nstop sees -- with its
# own loopback, so no address, link or rule ever touches the machine's own
# network. /run/netns gets a tmpfs of that mount namespace: `ip netns add`
# there binds nothing on the machine. Only an empty /run/netns directory may
# have to be made outside, and it is removed again.

# net_host_enter "$0" "$@": returns only inside the new namespaces.
net_host_enter() {
	[ -n "${NSTOP_NET_HOST:-}" ] && return 0
	[ "$(id -u)" -eq 0 ] || return 0	# lib.sh says why it cannot run
	local made= rc
	if [ "$(id -u)" -eq 0 ] && [ ! -e /run/netns ]; then
		mkdir /run/netns && made=1
	fi
	NSTOP_NET_HOST=1 unshare -m -n bash "$@"
	rc=$?
	[ -n "$made" ] && rmdir /run/netns 2>/dev/null
	exit $rc
}

# Inside: mounts private, a tmpfs on /run/netns, lo up.
net_host_setup() {
	mount --make-rprivate / &&
	mount -t tmpfs -o mode=0755 nstop-test-netns /run/netns &&
	ip link set lo up
}
