#!/bin/bash
# The launch benchmark: how long one whole container takes to start, run
# /bin/true and be removed. `nstop run --rm --memory 64M -- /bin/true` against
# crun and runc running /bin/true from a busybox rootfs bundle with the same
# memory limit, and against the floor `unshare -Cmpfuin --mount-proc
# /bin/true`. Run by hand, as root; never part of pass/fail.
#
#   tests/bench/launch.sh [NSTOP_BINARY]
#
# Environment: RUNS (default 100 per command), CC (default cc), RESULTS_DIR
# (default tests/bench/results), TOOLS (default "nstop crun runc floor"),
# LAYOUT (default host: as this host is; cgroup2: every tool, the floor too,
# in a mount namespace of the benchmark's own where /sys/fs/cgroup is the
# cgroup2 hierarchy alone and the runtimes' state directories are tmpfs, as
# on a Debian 12 host whatever this one's layout and /run; where that
# cgroup2 has no memory controller, v1 keeping it, no tool is given a
# memory limit, and the table says so).
# See tests/bench/README.
set -u

here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-100}
CC=${CC:-cc}
RESULTS_DIR=${RESULTS_DIR:-$here/results}
TOOLS=${TOOLS:-"nstop crun runc floor"}

BENCH=launch.sh
. "$here/lib.sh"
bench_nstop --optional "${1:-}"
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, cgroups)"

# LAYOUT=cgroup2: the script again, inside a mount namespace of its own
# (private propagation: the host never sees these umounts and mounts).
LAYOUT=${LAYOUT:-host}
case $LAYOUT in
host) ;;
cgroup2)
	if [ -z "${NSTOP_BENCH_LAYOUT_MADE:-}" ]; then
		exec unshare -m --propagation private env NSTOP_BENCH_LAYOUT_MADE=1 bash -c '
			set -e
			for m in $(awk "{ for (i = 1; \$i != \"-\"; i++) ; if (\$(i+1) ~ /^cgroup2?\$/) print \$5 }" \
				   /proc/self/mountinfo | sort -r); do
				umount "$m"
			done
			mountpoint -q /sys/fs/cgroup && umount /sys/fs/cgroup
			mount -t cgroup2 -o nsdelegate none /sys/fs/cgroup
			for d in /run/nstop /run/runc /run/crun; do
				mkdir -p "$d" && mount -t tmpfs -o mode=700,size=16m nstop-bench-run "$d"
			done
			exec "$0" "$@"' "$0" "$@" || die "cannot make the cgroup2 layout"
	fi ;;
*) die "LAYOUT: host or cgroup2, not $LAYOUT" ;;
esac
command -v busybox >/dev/null || die "busybox not found (busybox-static)"
command -v jq >/dev/null || die "jq not found"

tmp=$(mktemp -d /tmp/nstop-bench-launch.XXXXXX) || die "mktemp failed"
runid=launch$$
# Every cgroup and container id the peers make is named nstop-bench-$runid-*;
# nstop's containers are named so too (under its own /nstop parent).
prefix=nstop-bench-$runid

cleanup() {
	trap - EXIT INT TERM HUP
	local id d m
	# A container interrupted half way: delete it by the ids we gave.
	for id in $(runc list -q 2>/dev/null | grep "^$prefix-"); do
		runc delete -f "$id" >/dev/null 2>&1
	done
	for id in $(crun list -q 2>/dev/null | grep "^$prefix-"); do
		crun delete -f "$id" >/dev/null 2>&1
	done
	if [ -n "$nstop" ]; then
		for id in $("$nstop" list -J 2>/dev/null | jq -r '.. | objects | .name? // empty' 2>/dev/null |
			    grep "^$prefix-"); do
			"$nstop" rm -f "$id" >/dev/null 2>&1
		done
	fi
	bench_rmdir_left "$prefix-*" "nstop/$prefix-*"
	rm -rf "$tmp"
}
bench_traps

$CC -O2 -Wall -o "$tmp/runner" "$here/runner.c" || die "cannot build runner.c"

# ---- the peers' bundle: a busybox rootfs and runc's spec, edited ---------------
"$here/../system/mkrootfs.sh" "$tmp/bundle/rootfs" || die "cannot make the rootfs"
(cd "$tmp/bundle" && runc spec) || die "runc spec failed"
# The memory limit where a memory controller is mounted (LAYOUT=cgroup2 on a
# hybrid host has none: v1 keeps it).
mem_limit=1
if [ "$LAYOUT" = cgroup2 ] && ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
	mem_limit=
fi
# As nstop does: no terminal, a read-only root, a cgroup namespace too (runc's
# default spec has none; nstop and the floor make one), the memory limit.
jq --arg cg "/$prefix" --arg mem "$mem_limit" '.process.terminal = false
	| .process.args = ["/bin/true"]
	| .root.readonly = true
	| if $mem != "" then .linux.resources.memory = {"limit": 67108864}
	  else del(.linux.resources.memory) end
	| .linux.cgroupsPath = $cg
	| if any(.linux.namespaces[]; .type == "cgroup") then .
	  else .linux.namespaces += [{"type": "cgroup"}] end' \
	"$tmp/bundle/config.json" >"$tmp/config.json" &&
	mv "$tmp/config.json" "$tmp/bundle/config.json" || die "cannot edit config.json"

# crun 1.x refuses a hybrid host ("cgroups in hybrid mode not supported, drop
# all controllers from cgroupv2") as soon as a cgroup2 mount sits below
# /sys/fs/cgroup. It runs in a mount namespace of its own where that mount is
# gone: unshare -m makes the namespace with private propagation (so the umount
# never reaches the host), and the runner is exec'ed inside it, so only crun's
# own work is timed. On a pure v1 or v2 host nothing needs unmounting.
hybrid_v2=
if awk '{ for (i = 1; $i != "-"; i++) ; if ($(i+1) == "cgroup") v1 = 1; if ($(i+1) == "cgroup2") v2 = $5 }
	END { exit !(v1 && v2 != "") }' /proc/self/mountinfo; then
	hybrid_v2=$(awk '{ for (i = 1; $i != "-"; i++) ; if ($(i+1) == "cgroup2") { print $5; exit } }' \
		/proc/self/mountinfo)
fi

seq_n=0
run() {	# run TOOL FILE: one timed launch, appended to FILE
	local tool=$1 file=$2 id
	seq_n=$((seq_n + 1))
	id=$prefix-$seq_n
	case $tool in
	nstop)
		"$tmp/runner" "$nstop" run --rm --name "$id" ${mem_limit:+--memory 64M} -- /bin/true ;;
	runc)
		"$tmp/runner" runc run --bundle "$tmp/bundle" "$id" ;;
	crun)
		if [ -n "$hybrid_v2" ]; then
			unshare -m sh -c 'umount "$1" && shift && exec "$@"' sh "$hybrid_v2" \
				"$tmp/runner" crun run --bundle "$tmp/bundle" "$id"
		else
			"$tmp/runner" crun run --bundle "$tmp/bundle" "$id"
		fi ;;
	floor)
		"$tmp/runner" unshare -Cmpfuin --mount-proc /bin/true ;;
	esac >>"$file" || die "runner failed for $tool"
}

# A tool that cannot launch at all is left out, and said so.
tools=()
for t in $TOOLS; do
	case $t in
	nstop) [ -n "$nstop" ] || { warn "no nstop binary: nstop left out"; continue; } ;;
	runc|crun) command -v "$t" >/dev/null || { warn "$t not found: left out"; continue; } ;;
	floor) ;;
	*) die "unknown tool $t" ;;
	esac
	: >"$tmp/warm.$t"
	run "$t" "$tmp/warm.$t" 2>"$tmp/warm.$t.err"
	if [ "$(awk '{ print $4 }' "$tmp/warm.$t")" != 0 ]; then
		warn "$t cannot launch here, left out: $(head -3 "$tmp/warm.$t.err")"
		continue
	fi
	tools+=("$t")
done
[ ${#tools[@]} -gt 0 ] || die "nothing can launch"

# median of column COL (1 wall, 2 user, 3 sys, 4 user+sys) of a sample file, in ms
median() {
	awk -v col="$2" '{ v = (col == 4) ? $2 + $3 : $col; print v }' "$1" |
		sort -n | awk '{ a[NR] = $1 }
		END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		      printf "%.2f", m / 1000 }'
}
pct() {	# pct FILE P: the P-th percentile of wall, in ms
	awk '{ print $1 }' "$1" | sort -n | awk -v p="$2" '{ a[NR] = $1 }
		END { i = int((NR - 1) * p / 100) + 1; printf "%.2f", a[i] / 1000 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Alternate the tools, one launch each per round, so that load elsewhere on the
# machine shifts all of them alike.
for t in "${tools[@]}"; do : >"$tmp/s.$t"; done
for r in $(seq "$RUNS"); do
	for t in "${tools[@]}"; do run "$t" "$tmp/s.$t" 2>>"$tmp/s.$t.err"; done
	[ -t 2 ] && printf '   round %d/%d\r' "$r" "$RUNS" >&2
done
[ -t 2 ] && echo >&2

# Nothing may be left: a launcher that returns before it has cleaned up would
# look faster than it is.
left=$(for m in $(cg_mounts); do ls -d "$m/$prefix"-* "$m/nstop/$prefix"-* 2>/dev/null; done |
	wc -l)
left_state=$(ls -d /run/nstop/"$prefix"-* /run/runc/"$prefix"-* /run/crun/"$prefix"-* 2>/dev/null | wc -l)

ver=$(git -C "$here" describe --always --dirty 2>/dev/null)
stamp=$(date +%Y%m%d-%H%M%S)
out=$tmp/table
{
	echo "nstop launch benchmark, $(date -Iseconds)"
	echo "host $(hostname), kernel $(uname -r), $(nproc) cpus, $RUNS launches each, alternating"
	[ -n "$nstop" ] && echo "nstop: $nstop (tree ${ver:-unknown})"
	echo "crun: $(crun --version 2>/dev/null | head -1); runc: $(runc --version 2>/dev/null | head -1)"
	[ -n "$hybrid_v2" ] && echo "hybrid host: crun runs in a mount namespace without $hybrid_v2"
	[ "$LAYOUT" = cgroup2 ] && echo "LAYOUT=cgroup2: cgroup2 alone at /sys/fs/cgroup, state directories on tmpfs"
	[ -z "$mem_limit" ] && echo "no memory limit for any tool: this cgroup2 has no memory controller"
	echo "times in ms (wall: fork to wait4; cpu: user+sys of what the command waited for)"
	echo
	printf '%-6s %9s %9s %9s %9s %6s\n' tool median p10 p90 cpu failed
	for t in "${tools[@]}"; do
		f=$tmp/s.$t
		printf '%-6s %9s %9s %9s %9s %6s\n' "$t" "$(median "$f" 1)" "$(pct "$f" 10)" \
			"$(pct "$f" 90)" "$(median "$f" 4)" "$(awk '$4 != 0' "$f" | wc -l)"
		eval "w_$t=$(median "$f" 1)"
		eval "c_$t=$(median "$f" 4)"
	done
	echo
	if [ -n "${w_nstop:-}" ]; then
		for p in crun runc floor; do
			v=w_$p
			[ -n "${!v:-}" ] && printf 'nstop/%-6s %6s\n' "$p" "$(ratio "$w_nstop" "${!v}")"
		done
		[ -n "${c_floor:-}" ] && printf 'nstop/floor cpu %s\n' "$(ratio "$c_nstop" "$c_floor")"
		goal=met
		[ -n "${w_crun:-}" ] && ! awk -v n="$w_nstop" -v c="$w_crun" 'BEGIN { exit !(n < c) }' && goal=missed
		[ -n "${w_floor:-}" ] && ! awk -v n="$w_nstop" -v f="$w_floor" 'BEGIN { exit !(n <= 2 * f) }' && goal=missed
		[ -n "${c_floor:-}" ] && ! awk -v n="$c_nstop" -v f="$c_floor" 'BEGIN { exit !(n <= 2 * f) }' && goal=missed
		echo "goal (faster than crun, within 2x of the floor in wall and cpu): $goal"
	fi
	echo "left behind after all runs: $left cgroups, $left_state state directories"
} >"$out"
cat "$out"
for t in "${tools[@]}"; do
	if [ -s "$tmp/s.$t.err" ]; then
		echo "-- $t stderr (first lines):"
		sort "$tmp/s.$t.err" | uniq -c | sort -rn | head -5
	fi
done

mkdir -p "$RESULTS_DIR" || die "cannot make $RESULTS_DIR"
[ "$LAYOUT" = host ] || stamp=$LAYOUT-$stamp
cp "$out" "$RESULTS_DIR/launch-$stamp.txt"
# Raw samples: tool wall_us user_us sys_us status, one line per launch.
for t in "${tools[@]}"; do sed "s/^/$t /" "$tmp/s.$t"; done >"$RESULTS_DIR/launch-$stamp.raw"
echo "results: $RESULTS_DIR/launch-$stamp.txt (raw samples: .raw)"
