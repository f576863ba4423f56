# The one test-only Docker daemon of a test run, sourced after lib.sh by
# docker.sh (every Docker check, the engines' and the isolation's, runs
# against one daemon, so a run starts dockerd once): docker_start starts it
# with everything of its own under a test directory (data root, exec root,
# socket, pidfile, its own supervised containerd) and no network changes
# (--iptables=false --bridge=none --ip-forward=false), imports a busybox
# image, and registers its stop by PID; DOCKER runs Debian's client against
# it. Paths and names carry "nstop-test" so that no other daemon collides
# with it.
#
# Debian's docker.io is used by path: /usr/local/bin/docker may be another
# client entirely.

DOCKERD_BIN=${DOCKERD_BIN:-/usr/bin/dockerd}
[ -x "$DOCKERD_BIN" ] || DOCKERD_BIN=/usr/sbin/dockerd
DOCKER_BIN=${DOCKER_BIN:-/usr/bin/docker}
DOCKER_IMAGE=nstop-test-busybox:1

# docker_start: DOCKER_DIR, DOCKER_SOCK, DOCKERD_PID and DOCKER (a command
# line) are set; returns 1 (with dockerd's log in diag) when it did not
# come up within 60 seconds.
docker_start() {
	local i m
	[ -x "$DOCKERD_BIN" ] && [ -x "$DOCKER_BIN" ] || return 1
	DOCKER_DIR=$(mktemp -d /tmp/nstop-test-docker.XXXXXX) || return 1
	register_path "$DOCKER_DIR"
	DOCKER_SOCK=$DOCKER_DIR/nstop-test-docker.sock
	DOCKER="$DOCKER_BIN -H unix://$DOCKER_SOCK"
	# The daemon goes last in the cleanup: containers, then it, then the files;
	# the /docker parent cgroups it makes, where there were none, after it.
	for m in $(cg_mounts); do
		[ -e "$m/docker" ] || register_cgroup "$m/docker"
	done
	register_cmd "docker_stop"
	"$DOCKERD_BIN" --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" \
		-H "unix://$DOCKER_SOCK" --pidfile "$DOCKER_DIR/dockerd.pid" \
		--iptables=false --ip6tables=false --bridge=none --ip-masq=false \
		--ip-forward=false --userland-proxy=false \
		--exec-opt native.cgroupdriver=cgroupfs \
		--storage-driver vfs --log-level warn \
		</dev/null >"$DOCKER_DIR/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	for i in $(seq 600); do
		$DOCKER version >/dev/null 2>&1 && break
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if ! $DOCKER version >/dev/null 2>&1; then
		diag "dockerd did not start:" "$(tail -20 "$DOCKER_DIR/dockerd.log")"
		return 1
	fi
	docker_image || return 1
}

# A busybox image made by docker import: nothing is downloaded.
docker_image() {
	local root=$DOCKER_DIR/rootfs
	bash "$(dirname "$NSTOP_TESTLIB")/mkrootfs.sh" "$root" >/dev/null || return 1
	tar -C "$root" -cf - . | $DOCKER import - "$DOCKER_IMAGE" >/dev/null
}

# docker_run NAME ARGS...: a detached container NAME (nstop-test-*), no
# network, running `sleep 1000` unless ARGS end with a command.
docker_run() {
	local name=$1
	shift
	$DOCKER run -d --network none --name "$name" "$@" >/dev/null
}

# docker_run_pid NAME ARG...: a detached busybox `sleep 1000` named NAME,
# with --network none unless ARG sets a network; its init's host pid in DPID.
# docker run's errors go to $DOCKER_DIR/run.log.
docker_run_pid() {
	local name=$1 net="--network none"
	shift
	case " $* " in *" --net"*|*" --network"*) net= ;; esac
	$DOCKER run -d --name "$name" $net "$@" "$DOCKER_IMAGE" sleep 1000 \
		>/dev/null 2>>"$DOCKER_DIR/run.log" || return 1
	DPID=$($DOCKER inspect -f '{{.State.Pid}}' "$name")
	[ -n "$DPID" ] && [ "$DPID" -gt 0 ]
}

# Every container the daemon has, then the daemon (by its PID), then
# whatever its supervised containerd left running.
docker_stop() {
	local ids pid
	[ -n "${DOCKERD_PID:-}" ] || return 0
	ids=$($DOCKER ps -aq 2>/dev/null)
	[ -n "$ids" ] && $DOCKER rm -f $ids >/dev/null 2>&1
	kill -TERM "$DOCKERD_PID" 2>/dev/null
	wait_gone "$DOCKERD_PID" || { kill -KILL "$DOCKERD_PID" 2>/dev/null; wait_gone "$DOCKERD_PID"; }
	# dockerd stops its containerd; a stuck one is ended by its pidfile.
	pid=$(cat "$DOCKER_DIR/exec/containerd/containerd.pid" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"; wait_gone "$pid" || kill -KILL "$pid"
	fi
	# vfs layers and the exec root's mounts are ours alone.
	grep -o " $DOCKER_DIR/[^ ]*" /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	DOCKERD_PID=
}
