# Shared by the benchmarks (snapshot.sh, tui.sh, launch.sh): sourced, never
# run. BENCH names the script in its messages.

die() { echo "$BENCH: $*" >&2; exit 1; }
warn() { echo "$BENCH: $*" >&2; }

# bench_nstop [--optional] [BINARY]: sets nstop to BINARY, else ./nstop,
# else the one in PATH, as an absolute path. None found: an error, or with
# --optional an empty nstop (the benchmark then leaves nstop out).
bench_nstop() {
	local optional=
	if [ "${1:-}" = --optional ]; then
		optional=1
		shift
	fi
	nstop=${1:-}
	if [ -z "$nstop" ]; then
		if [ -x ./nstop ]; then nstop=./nstop
		elif ! nstop=$(command -v nstop); then
			[ -n "$optional" ] || die "no nstop binary: pass its path"
			nstop=
		fi
	fi
	[ -n "$nstop" ] || return 0
	[ -x "$nstop" ] || die "$nstop: not executable"
	nstop=$(cd "$(dirname "$nstop")" && pwd)/$(basename "$nstop")
}

# bench_room N: a process limit (ulimit -u) with room for N more processes
# than run now, plus some; sets need to that number.
bench_room() {
	local running ulim
	running=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
	need=$((running + $1 + 200))
	ulim=$(ulimit -u)
	if [ "$ulim" != unlimited ] && [ "$ulim" -lt "$need" ]; then
		ulimit -u "$need" 2>/dev/null || die "ulimit -u is $ulim, need $need"
	fi
}

# Cgroup hierarchies' mount points, for the leftover sweeps.
cg_mounts() {
	awk '{ for (i = 1; $i != "-"; i++) ; if ($(i+1) ~ /^cgroup2?$/) print $5 }' \
		/proc/self/mountinfo
}

# bench_rmdir_left GLOB...: removes what is left of ours in every hierarchy,
# each GLOB relative to a mount point (only empty cgroups go).
bench_rmdir_left() {
	local m g d
	for m in $(cg_mounts); do
		for g in "$@"; do
			for d in "$m"/$g; do
				[ -d "$d" ] && rmdir "$d" 2>/dev/null
			done
		done
	done
}

# bench_traps: cleanup (the script's own) at exit, and an exit on a signal
# with the status a shell gives it, so cleanup runs then too.
bench_traps() {
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}
