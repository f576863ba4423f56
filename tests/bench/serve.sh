#!/bin/bash
# The cost of nstop serve: one scrape of /metrics at NPROCS sleeping
# processes (spawn.c) against one `nstop -b -n 1 -J` in the same run, as
# ratios; then nstop serve's CPU over DURATION seconds scraped every
# INTERVAL seconds, as Prometheus would. Run by hand, as root; never part of
# pass/fail.
#
#   tests/bench/serve.sh [NSTOP_BINARY]
#
# Environment: NPROCS (3000), ROUNDS (21), DURATION (60), INTERVAL (15), CC,
# RESULTS_DIR (tests/bench/results). See tests/bench/README.
set -u

here=$(cd "$(dirname "$0")" && pwd)
NPROCS=${NPROCS:-3000}
ROUNDS=${ROUNDS:-21}
DURATION=${DURATION:-60}
INTERVAL=${INTERVAL:-15}
CC=${CC:-cc}
RESULTS_DIR=${RESULTS_DIR:-$here/results}

BENCH=serve.sh
. "$here/lib.sh"
bench_nstop "${1:-}"
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, cgroups)"
command -v curl >/dev/null || die "curl not found"
bench_room "$NPROCS"

tmp=$(mktemp -d /tmp/nstop-bench.XXXXXX) || die "mktemp failed"
runid=serve$$
spawn_pid=
serve_pid=

cleanup() {
	trap - EXIT INT TERM HUP
	[ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
	if [ -n "$spawn_pid" ]; then
		kill -TERM "$spawn_pid" 2>/dev/null
		wait "$spawn_pid" 2>/dev/null
	fi
	bench_rmdir_left "nstop-bench-$runid-*"
	rm -rf "$tmp"
}
bench_traps

for p in spawn runner; do
	$CC -O2 -Wall -o "$tmp/$p" "$here/$p.c" || die "cannot build $p.c"
done

# utime + stime of PID, in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "== $NPROCS sleeping processes: starting load" >&2
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

"$nstop" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" </dev/null &
serve_pid=$!
for _ in $(seq 100); do
	addr=$(sed -n 's|^nstop serve: listening on http://\(.*\)/metrics$|\1|p' "$tmp/serve.out")
	[ -n "$addr" ] && break
	sleep 0.05
done
[ -n "$addr" ] || die "nstop serve did not start: $(cat "$tmp/serve.err")"
url=http://$addr/metrics

# Warm-up: the first scrapes open what the incremental scan keeps.
for _ in 1 2 3; do curl -s -o /dev/null "$url" || die "scrape failed"; done
"$tmp/runner" "$nstop" -b -n 1 -J >/dev/null

# Rounds, alternating: one scrape (wall: curl's total; cpu: nstop serve's
# ticks over it) and one batch snapshot (runner: wall, user+sys).
: >"$tmp/scrape"
: >"$tmp/batch"
for r in $(seq "$ROUNDS"); do
	t0=$(ticks "$serve_pid")
	w=$(curl -s -o /dev/null -w '%{time_total}' "$url") || die "scrape failed"
	t1=$(ticks "$serve_pid")
	echo "$w $((t1 - t0))" >>"$tmp/scrape"
	"$tmp/runner" "$nstop" -b -n 1 -J >>"$tmp/batch" || die "runner failed"
	printf '   round %d/%d\r' "$r" "$ROUNDS" >&2
done
echo >&2
size=$(curl -s "$url" | wc -c)
series=$(curl -s "$url" | grep -vc '^#')

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Scrape: wall in ms (median); cpu in ms, the mean (ticks are 1/hz s coarse).
s_wall=$(awk '{ print $1 * 1000 }' "$tmp/scrape" | median)
s_cpu=$(awk -v hz="$hz" '{ t += $2 } END { printf "%.2f", t * 1000 / hz / NR }' "$tmp/scrape")
b_wall=$(awk '{ print $1 / 1000 }' "$tmp/batch" | median)
b_cpu=$(awk '{ print ($2 + $3) / 1000 }' "$tmp/batch" | median)

# A minute scraped every INTERVAL seconds: nstop serve's share of one cpu.
echo "== $DURATION s, a scrape every $INTERVAL s" >&2
t0=$(ticks "$serve_pid")
m0=$(date +%s.%N)
for s in $(seq 0 "$INTERVAL" "$((DURATION - 1))"); do
	now=$(awk -v a="$m0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	awk -v s="$s" -v n="$now" 'BEGIN { exit !(s > n) }' &&
		sleep "$(awk -v s="$s" -v n="$now" 'BEGIN { print s - n }')"
	curl -s -o /dev/null "$url" || die "scrape failed"
done
rest=$(awk -v a="$m0" -v b="$(date +%s.%N)" -v d="$DURATION" 'BEGIN { r = d - (b - a); print (r > 0 ? r : 0) }')
sleep "$rest"
t1=$(ticks "$serve_pid")
m1=$(date +%s.%N)
idle=$(awk -v t="$((t1 - t0))" -v hz="$hz" -v a="$m0" -v b="$m1" 'BEGIN { printf "%.3f", 100 * t / hz / (b - a) }')
rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$serve_pid/status")

ver=$(git -C "$here" describe --always --dirty 2>/dev/null)
stamp=$(date +%Y%m%d-%H%M%S)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
	echo "nstop serve benchmark, $(date -Iseconds)"
	echo "host $(hostname), kernel $(uname -r), $(nproc) cpus; nstop: $nstop (tree ${ver:-unknown})"
	echo "$got sleeping processes in $groups groups ($nproc_total in /proc); rounds $ROUNDS"
	echo "a scrape: $series series, $size bytes"
	echo
	printf '%-26s %10s %10s\n' "" "wall ms" "cpu ms"
	printf '%-26s %10s %10s\n' "scrape of /metrics" "$s_wall" "$s_cpu"
	printf '%-26s %10s %10s\n' "nstop -b -n 1 -J" "$b_wall" "$b_cpu"
	printf '%-26s %10s %10s\n' "ratio scrape/batch" "$(ratio "$s_wall" "$b_wall")" "$(ratio "$s_cpu" "$b_cpu")"
	goal=met
	awk -v s="$s_cpu" -v b="$b_cpu" 'BEGIN { exit !(s < b) }' || goal=missed
	echo "goal (a scrape costs less cpu than one batch snapshot): $goal"
	echo
	echo "nstop serve over ${DURATION} s, scraped every ${INTERVAL} s: ${idle} % of one cpu, VmRSS ${rss} kB"
	goal=met
	awk -v i="$idle" 'BEGIN { exit !(i < 1) }' || goal=missed
	echo "goal (under 1 % of one cpu): $goal"
} >"$tmp/table"
cat "$tmp/table"
mkdir -p "$RESULTS_DIR" || die "cannot make $RESULTS_DIR"
cp "$tmp/table" "$RESULTS_DIR/serve-$stamp.txt"
echo "results: $RESULTS_DIR/serve-$stamp.txt"
