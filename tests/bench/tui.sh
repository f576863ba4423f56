#!/bin/bash
# The TUI benchmark: nstop's own CPU time and resident memory while it runs
# DURATION seconds at a 1 s refresh with NPROCS sleeping processes (spawn.c:
# spread over many namespaces and cgroups), against htop's under the same
# load, in the same run: both in one tmux server, side by side, same size.
# Run by hand, as root; never part of pass/fail. See tests/bench/README.
#
#   tests/bench/tui.sh [NSTOP_BINARY]
#
# Environment: NPROCS (3000), DURATION (60), CC (cc), RESULTS_DIR
# (tests/bench/results), COLUMNS_NSTOP (nstop's process columns, e.g.
# "pid,user,state,cpu,rss,isolation,cmdline"; default: its defaults).
set -u

here=$(cd "$(dirname "$0")" && pwd)
NPROCS=${NPROCS:-3000}
DURATION=${DURATION:-60}
CC=${CC:-cc}
RESULTS_DIR=${RESULTS_DIR:-$here/results}

BENCH=tui.sh
. "$here/lib.sh"
bench_nstop "${1:-}"
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, cgroups)"
command -v htop >/dev/null || die "htop not found"
command -v tmux >/dev/null || die "tmux not found"

bench_room "$NPROCS"

tmp=$(mktemp -d /tmp/nstop-bench-tui.XXXXXX) || die "mktemp failed"
runid=tui$$
sock=nstop-bench-tui-$$
spawn_pid=

cleanup() {
	trap - EXIT INT TERM HUP
	tmux -L "$sock" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	if [ -n "$spawn_pid" ]; then
		kill -TERM "$spawn_pid" 2>/dev/null
		wait "$spawn_pid" 2>/dev/null
	fi
	bench_rmdir_left "nstop-bench-$runid-*"
	rm -rf "$tmp"
}
bench_traps

$CC -O2 -Wall -o "$tmp/spawn" "$here/spawn.c" || die "cannot build spawn.c"

echo "== starting $NPROCS sleeping processes" >&2
"$tmp/spawn" -n "$NPROCS" -r "$runid" >"$tmp/ready" &
spawn_pid=$!
for _ in $(seq 600); do
	[ -s "$tmp/ready" ] && break
	kill -0 "$spawn_pid" 2>/dev/null || die "spawn failed"
	sleep 0.1
done
read -r word got groups <"$tmp/ready" || die "spawn did not get ready"
[ "$word" = ready ] || die "spawn: unexpected: $word"
nproc_total=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
echo "   $got processes in $groups groups; $nproc_total in /proc" >&2

# Each program in a window of its own, 120x40, writing its pid first. htop
# gets an empty HOME so that its defaults (not a user's htoprc) are measured.
mkdir -p "$tmp/home" "$tmp/xdg/nstop"
[ -n "${COLUMNS_NSTOP:-}" ] && printf 'columns = %s\n' "$COLUMNS_NSTOP" >"$tmp/xdg/nstop/config"
tmux -L "$sock" -f /dev/null new-session -d -s bench -x 120 -y 40 \
	"echo \$\$ >$tmp/nstop.pid; exec env XDG_CONFIG_HOME=$tmp/xdg $nstop -d 1" || die "tmux failed"
tmux -L "$sock" new-window -d -t bench \
	"echo \$\$ >$tmp/htop.pid; exec env HOME=$tmp/home htop -d 10" || die "tmux failed"
for _ in $(seq 50); do
	[ -s "$tmp/nstop.pid" ] && [ -s "$tmp/htop.pid" ] && break
	sleep 0.1
done
npid=$(cat "$tmp/nstop.pid") hpid=$(cat "$tmp/htop.pid")

# CPU time in clock ticks (utime + stime), and memory, from /proc.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Both have read their first snapshot and drawn; the start-up is not counted.
sleep 3
n0=$(ticks "$npid") h0=$(ticks "$hpid") t0=$(date +%s.%N)
echo "== measuring $DURATION s (nstop $npid, htop $hpid)" >&2
# Resident memory moves within a refresh (two snapshots are alive while one
# is taken): it is sampled once a second, and the mean compared.
nsum=0 hsum=0 nsamp=0
end=$((SECONDS + DURATION))
while [ "$SECONDS" -lt "$end" ]; do
	sleep 1
	kill -0 "$npid" 2>/dev/null || die "nstop died during the run"
	kill -0 "$hpid" 2>/dev/null || die "htop died during the run"
	nsum=$((nsum + $(kib "$npid" VmRSS))) hsum=$((hsum + $(kib "$hpid" VmRSS)))
	nsamp=$((nsamp + 1))
done
n1=$(ticks "$npid") h1=$(ticks "$hpid") t1=$(date +%s.%N)
nrss=$(kib "$npid" VmRSS) hrss=$(kib "$hpid" VmRSS)
nhwm=$(kib "$npid" VmHWM) hhwm=$(kib "$hpid" VmHWM)
# Where it lies: anonymous (heap, arenas, stacks) against file-backed pages
# (the binary and the libraries, counted only as far as touched).
nanon=$(kib "$npid" RssAnon) hanon=$(kib "$hpid" RssAnon)
nfile=$(kib "$npid" RssFile) hfile=$(kib "$hpid" RssFile)
# nstop keeps files of each process open across refreshes: how many.
nfds=$(ls "/proc/$npid/fd" | wc -l) hfds=$(ls "/proc/$hpid/fd" | wc -l)
tmux -L "$sock" capture-pane -p -t bench:0 >"$tmp/nstop.screen"
hz=$(getconf CLK_TCK)

stamp=$(date +%Y%m%d-%H%M%S)
out=$tmp/table
awk -v n="$((n1 - n0))" -v h="$((h1 - h0))" -v hz="$hz" -v d="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    -v nr="$nrss" -v hr="$hrss" -v nh="$nhwm" -v hh="$hhwm" \
    -v nf="$nfds" -v hf="$hfds" -v na="$nanon" -v ha="$hanon" -v nfi="$nfile" -v hfi="$hfile" -v nm="$((nsum / nsamp))" -v hm="$((hsum / nsamp))" \
    -v procs="$nproc_total" -v groups="$groups" -v ver="$($nstop --version)" \
    -v htopv="$(htop --version | head -1)" -v when="$(date -Iseconds)" \
    -v host="$(hostname)" -v kern="$(uname -r)" -v cpus="$(nproc)" '
BEGIN {
	printf "nstop TUI benchmark, %s\n", when
	printf "host %s, kernel %s, %d cpus; %s, %s\n", host, kern, cpus, ver, htopv
	printf "%d processes in /proc (%d namespace/cgroup groups), %.1f s at a 1 s refresh\n\n",
		procs, groups, d
	printf "%-8s %9s %7s %11s %11s %11s %9s %9s %6s\n", "", "cpu (s)", "cpu %",
		"rss mean", "rss at end", "peak", "anon", "file", "fds"
	printf "%-8s %9.2f %7.2f %11d %11d %11d %9d %9d %6d\n", "nstop", n / hz, 100 * n / hz / d,
		nm, nr, nh, na, nfi, nf
	printf "%-8s %9.2f %7.2f %11d %11d %11d %9d %9d %6d\n", "htop", h / hz, 100 * h / hz / d,
		hm, hr, hh, ha, hfi, hf
	printf "(memory in KiB; the mean of a sample a second)\n"
	cr = h > 0 ? n / h : 0
	mr = hm > 0 ? nm / hm : 0
	er = hr > 0 ? nr / hr : 0
	pr = hh > 0 ? nh / hh : 0
	printf "\nnstop/htop: cpu %.2f, rss %.2f (mean; %.2f at the end, peak %.2f)\n",
		cr, mr, er, pr
	printf "goal (cpu <= 0.3 x htop, rss <= htop, issue 20.4): %s\n",
		(h > 0 && cr <= 0.3 && mr <= 1) ? "met" : "missed"
}' | tee "$out"

mkdir -p "$RESULTS_DIR" || die "cannot make $RESULTS_DIR"
cp "$out" "$RESULTS_DIR/tui-$stamp.txt"
head -3 "$tmp/nstop.screen" >>"$RESULTS_DIR/tui-$stamp.txt"
echo "results: $RESULTS_DIR/tui-$stamp.txt"
