#!/bin/bash
# The snapshot benchmark: one full `nstop -b -n 1 -J` against ps, lsns and the
# floor (floor.c), with SIZES sleeping processes spread over many namespaces
# and cgroups (spawn.c). Run by hand, as root; never part of pass/fail.
#
#   tests/bench/snapshot.sh [NSTOP_BINARY]
#
# Environment: ROUNDS (default 21, at least 15 is sensible), SIZES (default
# "1000 5000 10000"), CC (default cc), RESULTS_DIR (default tests/bench/results).
# See tests/bench/README.
set -u

here=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-21}
SIZES=${SIZES:-"1000 5000 10000"}
CC=${CC:-cc}
RESULTS_DIR=${RESULTS_DIR:-$here/results}

BENCH=snapshot.sh
. "$here/lib.sh"
bench_nstop "${1:-}"
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, cgroups)"
command -v ps >/dev/null || die "ps not found"
command -v lsns >/dev/null || die "lsns not found"

# Enough room for the largest load, plus what already runs.
max=0
for n in $SIZES; do [ "$n" -gt "$max" ] && max=$n; done
bench_room "$max"
for f in /proc/sys/kernel/pid_max /proc/sys/kernel/threads-max; do
	[ "$(cat $f)" -ge "$need" ] || die "$f is $(cat $f), need $need"
done

tmp=$(mktemp -d /tmp/nstop-bench.XXXXXX) || die "mktemp failed"
runid=snap$$
spawn_pid=

stop_spawn() {
	if [ -n "$spawn_pid" ]; then
		kill -TERM "$spawn_pid" 2>/dev/null
		wait "$spawn_pid" 2>/dev/null
		spawn_pid=
	fi
}

cleanup() {
	trap - EXIT INT TERM HUP
	stop_spawn
	# spawn removes its cgroups itself; if it was killed outright, remove what
	# is left of ours (only nstop-bench-$runid-*, only empty ones).
	bench_rmdir_left "nstop-bench-$runid-*"
	rm -rf "$tmp"
}
bench_traps

for p in spawn floor runner; do
	$CC -O2 -Wall -o "$tmp/$p" "$here/$p.c" || die "cannot build $p.c"
done

names=(nstop ps lsns floor)
cmd_nstop=("$nstop" -b -n 1 -J)
cmd_ps=(ps -e -o pid,ipcns,mntns,netns,pidns,userns,utsns,cgroupns,cgroup)
cmd_lsns=(lsns -J)
cmd_floor=("$tmp/floor")
# BEFORE=another nstop binary: timed in the same rounds as "before", so a
# change is measured against what it changes under the same load.
if [ -n "${BEFORE:-}" ]; then
	names=(nstop before ps lsns floor)
	cmd_before=("$BEFORE" -b -n 1 -J)
fi

run() {	# run NAME: one timed run, appended to $tmp/N.NAME
	local -n c=cmd_$1
	"$tmp/runner" "${c[@]}" >>"$tmp/$n.$1" || die "runner failed"
}

# median of column COL (1 wall, 2 user, 3 sys, 4 user+sys) of a sample file, in ms
median() {
	awk -v col="$2" '{ v = (col == 4) ? $2 + $3 : $col; print v }' "$1" |
		sort -n | awk '{ a[NR] = $1 }
		END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		      printf "%.2f", m / 1000 }'
}

ver=$(git -C "$here" describe --always --dirty 2>/dev/null)
stamp=$(date +%Y%m%d-%H%M%S)
out=$tmp/table
{
	echo "nstop snapshot benchmark, $(date -Iseconds)"
	echo "host $(hostname), kernel $(uname -r), $(nproc) cpus, rounds $ROUNDS (round-robin)"
	echo "nstop: $nstop (tree ${ver:-unknown})"
	echo "ps: $(ps --version 2>&1 | head -1); lsns: $(lsns --version 2>&1 | head -1)"
	echo "times are medians in ms; cpu = user+sys of the command's process tree"
	echo
} >"$out"
cat "$out"

for n in $SIZES; do
	echo "== $n sleeping processes: starting load" >&2
	t0=$(date +%s%N)
	"$tmp/spawn" -n "$n" -r "$runid-$n" >"$tmp/ready.$n" &
	spawn_pid=$!
	for _ in $(seq 600); do
		[ -s "$tmp/ready.$n" ] && break
		kill -0 "$spawn_pid" 2>/dev/null || die "spawn failed for $n processes"
		sleep 0.1
	done
	read -r word got groups <"$tmp/ready.$n" || die "spawn did not get ready"
	[ "$word" = ready ] || die "spawn: unexpected: $word"
	nproc_total=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
	echo "   $got processes in $groups groups up in $(( ($(date +%s%N) - t0) / 1000000 )) ms;" \
		"$nproc_total in /proc" >&2

	for name in "${names[@]}"; do	# one warm-up run each, not counted
		local_n=$n; n=warm; run "$name"; n=$local_n
	done
	for r in $(seq "$ROUNDS"); do
		for name in "${names[@]}"; do run "$name"; done
		printf '   round %d/%d\r' "$r" "$ROUNDS" >&2
	done
	echo >&2
	stop_spawn
	echo "   load stopped" >&2

	for name in "${names[@]}"; do
		bad=$(awk '$4 != 0' "$tmp/$n.$name" | wc -l)
		[ "$bad" -eq 0 ] || echo "warning: $name exited non-zero in $bad runs" >&2
	done
	{
		echo "-- $n sleeping processes ($nproc_total in /proc, $groups namespace/cgroup groups)"
		printf '%-8s %10s %10s %10s %10s %12s %12s\n' command wall cpu user sys \
			"wall/proc" "cpu/proc"
		for name in "${names[@]}"; do
			f=$tmp/$n.$name
			# per process in /proc, in ms: how each figure scales with the load
			printf '%-8s %10s %10s %10s %10s %12s %12s\n' "$name" "$(median "$f" 1)" \
				"$(median "$f" 4)" "$(median "$f" 2)" "$(median "$f" 3)" \
				"$(awk -v m="$(median "$f" 1)" -v n="$nproc_total" 'BEGIN { printf "%.4f", m / n }')" \
				"$(awk -v m="$(median "$f" 4)" -v n="$nproc_total" 'BEGIN { printf "%.4f", m / n }')"
			eval "w_$name=$(median "$f" 1) c_$name=$(median "$f" 4)"
		done
		ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
		printf '%-14s %8s %8s\n' ratio wall cpu
		printf '%-14s %8s %8s\n' nstop/ps "$(ratio "$w_nstop" "$w_ps")" "$(ratio "$c_nstop" "$c_ps")"
		printf '%-14s %8s %8s\n' nstop/lsns "$(ratio "$w_nstop" "$w_lsns")" "$(ratio "$c_nstop" "$c_lsns")"
		printf '%-14s %8s %8s\n' nstop/floor "$(ratio "$w_nstop" "$w_floor")" "$(ratio "$c_nstop" "$c_floor")"
		[ -z "${BEFORE:-}" ] ||
			printf '%-14s %8s %8s\n' nstop/before "$(ratio "$w_nstop" "$w_before")" "$(ratio "$c_nstop" "$c_before")"
		goal=met
		awk -v n="$w_nstop" -v p="$w_ps" -v l="$w_lsns" -v f="$w_floor" \
			'BEGIN { exit !(n < p && n < l && n <= 1.5 * f) }' || goal=missed
		echo "goal (wall: faster than ps and lsns, within 1.5x of floor): $goal"
		echo
	} >"$tmp/table.$n"
	cat "$tmp/table.$n"
	cat "$tmp/table.$n" >>"$out"
done

mkdir -p "$RESULTS_DIR" || die "cannot make $RESULTS_DIR"
cp "$out" "$RESULTS_DIR/snapshot-$stamp.txt"
# Raw samples: size command wall_us user_us sys_us status, one line per run.
for n in $SIZES; do
	for name in "${names[@]}"; do
		sed "s/^/$n $name /" "$tmp/$n.$name"
	done
done >"$RESULTS_DIR/snapshot-$stamp.raw"
echo "results: $RESULTS_DIR/snapshot-$stamp.txt (raw samples: .raw)"
