# Shared helpers of the system tests: sourced, never run.
#
# The tests run as root on the real kernel. They touch only what they make
# (cgroups named nstop-test-*-$$, processes whose PIDs they hold) and remove
# all of it on EXIT, also when an assertion fails or the script dies.
#
# Each script prints TAP for automake's tap-driver: its assertions as they
# run, then the plan ("1..N") at the end, so a script that dies half way
# shows up as an error instead of passing quietly.

set -u
export LC_ALL=C

: "${NSTOP:?NSTOP must name the nstop binary under test}"

# ---- TAP ------------------------------------------------------------------

_tap_n=0
_tap_failed=0

diag() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do printf '# %s\n' "$line"; done
}

pass() {
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s\n' "$_tap_n" "$1"
}

# fail NAME [DIAG...]
fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	printf 'not ok %d - %s\n' "$_tap_n" "$1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# ok NAME CMD [ARG...]: passes when the command succeeds.
ok() {
	local name=$1
	shift
	if "$@" >/dev/null; then pass "$name"; else fail "$name" "failed: $*"; fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

# isnt GOT UNWANTED NAME
isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "got the unwanted '$1'"
	fi
}

# The plan goes last; the exit status is left to the ok/not ok lines.
done_testing() {
	printf '1..%d\n' "$_tap_n"
	exit 0
}

# Every cgroup hierarchy's mount point (v1 and v2), from mountinfo as nstop
# reads it: only mounts of a hierarchy's root.
cg_mounts() {
	awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) ~ /^cgroup2?$/ && $4 == "/") print $5 }' \
		/proc/self/mountinfo
}

# ---- a container made by another runtime (runc) ------------------------------

# runc_bundle DIR CG [JQ]: a bundle in DIR whose root is busybox (every applet
# linked) and whose spec is runc's own, edited: `sleep 1000` without a
# terminal in the cgroup /CG, then the jq filter JQ (e.g. '.root.readonly =
# false | .hostname = "h"').
runc_bundle() {
	local dir=$1 cg=$2 edit=${3:-.} a bb
	bb=$(command -v busybox) || return 1
	mkdir -p "$dir"/rootfs/{bin,proc,sys,dev,tmp} || return 1
	cp "$bb" "$dir/rootfs/bin/busybox" || return 1
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -s busybox "$dir/rootfs/bin/$a" || return 1
	done
	(cd "$dir" && runc spec) || return 1
	jq --arg cg "/$cg" ".process.args = [\"sleep\", \"1000\"]
		| .process.terminal = false
		| .linux.cgroupsPath = \$cg
		| $edit" "$dir/config.json" >"$dir/config.new" &&
		mv "$dir/config.new" "$dir/config.json"
}

# runc_start ID DIR CG: runs DIR's bundle detached as container ID; what
# runc makes (the container, its cgroup CG in every hierarchy, its init) is
# removed at exit, also when runc cannot. RUNC_PID: the init. runc's own
# output is in DIR/log.
runc_start() {
	local id=$1 dir=$2 cg=$3 m
	register_cmd "runc delete -f $id"
	for m in $(cg_mounts); do register_cgroup "$m/$cg"; done
	runc run -d --bundle "$dir" --pid-file "$dir/pid" "$id" </dev/null >"$dir/log" 2>&1 ||
		return 1
	RUNC_PID=$(cat "$dir/pid")
	register_pid "$RUNC_PID"
}

# ---- can this run here? ----------------------------------------------------

# A test that cannot run is skipped only when NSTOP_TESTS_MUST_RUN is unset;
# CI sets it, and then the same condition is a failure. (The skip is the
# TAP plan "1..0 # SKIP": automake's tap-driver reads the exit status 77 as
# an error, so the script exits 0 after it.)
cannot_run() {
	if [ -n "${NSTOP_TESTS_MUST_RUN:-}" ]; then
		printf '1..1\nnot ok 1 - cannot run: %s\n' "$*"
		diag "NSTOP_TESTS_MUST_RUN is set, so this is a failure, not a skip"
		exit 1
	fi
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

require_root() {
	[ "$(id -u)" -eq 0 ] || cannot_run "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || cannot_run "needs $c"
	done
}

[ -x "$NSTOP" ] || cannot_run "no nstop binary at $NSTOP"

# ---- cleanup registry --------------------------------------------------------

_reg_pids=()
_reg_cgroups=()
_reg_cmds=()
_reg_paths=()

register_pid() { _reg_pids+=("$@"); }
register_cgroup() { _reg_cgroups+=("$@"); }	# a directory: rmdir'ed
register_cmd() { _reg_cmds+=("$1"); }		# a command line: eval'ed first
register_path() { _reg_paths+=("$@"); }	# a temporary directory: rm -rf'ed

# Waits (bounded) until PID is gone: reaped if it is our child, otherwise
# no longer in /proc. Returns 1 when it is still there.
wait_gone() {
	local pid=$1 i
	for i in $(seq 100); do
		{ wait "$pid"; } 2>/dev/null
		[ -e "/proc/$pid" ] || return 0
		# a zombie that is not ours: gone as far as cgroups are concerned
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	return 1
}

# A frozen task does not die of SIGKILL: thaw what we made first.
thaw_dir() {
	local d=$1
	if [ -w "$d/freezer.state" ]; then
		echo THAWED >"$d/freezer.state" 2>/dev/null
	elif [ -w "$d/cgroup.freeze" ]; then
		echo 0 >"$d/cgroup.freeze" 2>/dev/null
	fi
}

cleanup() {
	local i pid d
	set +e
	exec 2>/dev/null	# no "Killed" notices from the shell
	for ((i = ${#_reg_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_reg_cmds[i]}" >/dev/null 2>&1
	done
	for d in "${_reg_cgroups[@]}"; do thaw_dir "$d"; done
	for pid in "${_reg_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for pid in "${_reg_pids[@]}"; do wait_gone "$pid"; done
	# deepest first: the longest paths are the deepest
	for d in $(printf '%s\n' "${_reg_cgroups[@]}" | awk '{ print length($0) " " $0 }' |
		   sort -rn | cut -d' ' -f2-); do
		[ -d "$d" ] || continue
		for i in $(seq 50); do
			rmdir "$d" 2>/dev/null && break
			sleep 0.1
		done
		[ -d "$d" ] && echo "# cleanup: could not remove $d"
	done
	for d in "${_reg_paths[@]}"; do
		case $d in /tmp/?*) rm -rf "$d" ;; esac
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# spawn_bg CMD...: starts CMD in the background, a child of this shell (so
# that cleanup can reap it), with stdio on /dev/null; its pid is registered
# and left in SPAWNED. (Not for $(...): the shell would wait for it.)
SPAWNED=
spawn_bg() {
	"$@" </dev/null >/dev/null 2>&1 &
	SPAWNED=$!
	register_pid "$SPAWNED"
}

# The processes whose parent is PID, one per line.
children_of() {
	cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . ||
		ps -o pid= --ppid "$1" | tr -d ' '
}

# wait_children PID N: waits (bounded) until PID has N children, registers
# them and leaves them in KIDS (space-separated).
KIDS=
wait_children() {
	local pid=$1 n=$2 i
	KIDS=
	for i in $(seq 100); do
		KIDS=$(children_of "$pid" | tr '\n' ' ')
		if [ "$(wc -w <<<"$KIDS")" -ge "$n" ]; then
			register_pid $KIDS
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# Waits (bounded) until PID runs COMM (after unshare's exec, say).
wait_comm() {
	local pid=$1 comm=$2 i
	for i in $(seq 100); do
		[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$comm" ] && return 0
		sleep 0.05
	done
	return 1
}

# ---- namespaces ----------------------------------------------------------------

NS_TYPES="cgroup ipc mnt net pid time user uts"

# ns_inode PID TYPE: the inode of PID's namespace, as its /proc link says.
ns_inode() {
	readlink "/proc/$1/ns/$2" 2>/dev/null | sed -n 's/^[a-z_]*:\[\([0-9]*\)\]$/\1/p'
}

# ---- cgroups -------------------------------------------------------------------

# cg_v1_mount CONTROLLER: the mount point of the v1 hierarchy holding
# CONTROLLER ("freezer", "name=systemd"), from mountinfo as nstop reads it;
# empty when there is none. Only a mount of the hierarchy's root will do.
cg_v1_mount() {
	awk -v want="$1" '{
		for (i = 7; $i != "-"; i++) ;
		if ($(i + 1) != "cgroup" || $4 != "/") next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++) if (o[j] == want) { print $5; exit }
	}' /proc/self/mountinfo
}

# cg_v2_mount: the mount point of the cgroup2 hierarchy, empty when none.
cg_v2_mount() {
	awk '{
		for (i = 7; $i != "-"; i++) ;
		if ($(i + 1) == "cgroup2" && $4 == "/") { print $5; exit }
	}' /proc/self/mountinfo
}

# cg_v2_has CONTROLLER: whether cgroup2 offers CONTROLLER to its children.
cg_v2_has() {
	local m
	m=$(cg_v2_mount)
	[ -n "$m" ] && grep -qw "$1" "$m/cgroup.controllers" 2>/dev/null
}

# cg_hier_id CONTROLLER: the hierarchy id (first field of /proc/PID/cgroup)
# of the v1 hierarchy with CONTROLLER; 0 (cgroup2) for "v2".
cg_hier_id() {
	if [ "$1" = v2 ]; then echo 0; return; fi
	awk -F: -v want="$1" '$1 != 0 {
		n = split($2, o, ",")
		for (j = 1; j <= n; j++) if (o[j] == want) { print $1; exit }
	}' /proc/self/cgroup
}

# cg_path PID HIER_ID: PID's cgroup in that hierarchy as the reader sees it.
cg_path() {
	awk -v id="$2" 'BEGIN { FS = ":" } $1 == id { sub(/^[^:]*:[^:]*:/, ""); print; exit }' \
		"/proc/$1/cgroup"
}

# The freezer the tests use: v1's when mounted, cgroup2's otherwise.
# Sets FRZ_MNT (mount point), FRZ_ID (hierarchy id), FRZ_V (1 or 2).
find_freezer() {
	FRZ_MNT=$(cg_v1_mount freezer)
	if [ -n "$FRZ_MNT" ]; then
		FRZ_V=1
		FRZ_ID=$(cg_hier_id freezer)
	else
		FRZ_MNT=$(cg_v2_mount)
		FRZ_V=2
		FRZ_ID=0
	fi
	[ -n "$FRZ_MNT" ] && [ -n "$FRZ_ID" ]
}

# cg_make DIR: creates a cgroup directory and registers it for removal.
cg_make() {
	mkdir "$1" && register_cgroup "$1"
}

# cg_move PID DIR: moves PID into the cgroup DIR.
cg_move() {
	echo "$1" >"$2/cgroup.procs"
}

# cg_freeze DIR / cg_thaw DIR: wait (bounded) until the kernel confirms,
# through v1's freezer.state or v2's cgroup.freeze and cgroup.events.
cg_set_frozen() {
	local d=$1 frozen=$2 i want
	if [ -e "$d/freezer.state" ]; then
		want=$([ "$frozen" = 1 ] && echo FROZEN || echo THAWED)
		echo "$want" >"$d/freezer.state" || return 1
		freezer_now() { cat "$d/freezer.state"; }
	else
		want="frozen $frozen"
		echo "$frozen" >"$d/cgroup.freeze" || return 1
		freezer_now() { grep -x "frozen [01]" "$d/cgroup.events"; }
	fi
	for i in $(seq 100); do
		[ "$(freezer_now)" = "$want" ] && return 0
		sleep 0.05
	done
	return 1
}
cg_freeze() { cg_set_frozen "$1" 1; }
cg_thaw() { cg_set_frozen "$1" 0; }

# ---- running nstop -------------------------------------------------------------

TEST_TMP=$(mktemp -d /tmp/nstop-test.XXXXXX) || exit 1
register_path "$TEST_TMP"

# run_nstop NAME ARG...: runs nstop (bounded in time) with its stdout in
# $TEST_TMP/NAME.out, its stderr in NAME.err, its exit status in NSTOP_RC;
# says what went wrong as a diagnostic. run_nstop_quiet does not.
NSTOP_RC=
run_nstop_quiet() {
	local name=$1
	shift
	timeout 120 "$NSTOP" "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err"
	NSTOP_RC=$?
	# Under --enable-sanitizers: any report is a failure of its own.
	if grep -Eq 'Sanitizer|runtime error:' "$TEST_TMP/$name.err"; then
		fail "nstop $*: no sanitizer report" "$(head -c 4000 "$TEST_TMP/$name.err")"
	fi
	return "$NSTOP_RC"
}
run_nstop() {
	run_nstop_quiet "$@"
	if [ "$NSTOP_RC" -ne 0 ] || [ -s "$TEST_TMP/$1.err" ]; then
		diag "nstop ${*:2} exited $NSTOP_RC; stderr:" "$(head -c 4000 "$TEST_TMP/$1.err")"
	fi
	return "$NSTOP_RC"
}

# out NAME: the path of a saved stdout.
out() { printf '%s/%s.out\n' "$TEST_TMP" "$1"; }

# is_json FILE: every line of FILE is one JSON document (one at least).
is_json_lines() {
	[ -s "$1" ] || return 1
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line" | jq -e . >/dev/null 2>&1 || return 1
	done <"$1"
}
