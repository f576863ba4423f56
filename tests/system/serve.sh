#!/bin/bash
# nstop serve as a fleet would use it: Debian's Prometheus, started here on
# loopback with a generated config (scrape interval 1 s), scrapes two nstop
# serve instances (two targets, as two hosts would be); containers with known
# limits are started, and Prometheus's own query API must answer with the
# limit, a CPU counter rising at the rate the cgroup file shows, and an
# exposure that appears and disappears with its container. The output passes
# promtool's lint in both formats, a cgroup whose name holds a quote and a
# backslash comes back intact, and bad requests (other paths and methods,
# huge headers, a thousand connections, garbage) get errors while the
# process keeps serving. Every daemon is stopped by its PID.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq curl perl prometheus promtool

# A free loopback port, from the kernel (bound and released at once).
free_port() {
	perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1) or die; print $s->sockport, "\n"'
}

# start_serve NAME ARG...: nstop serve on a port of its own; its pid in
# SERVE_PID, its address in SERVE_ADDR.
start_serve() {
	local name=$1 i
	shift
	"$NSTOP" serve --listen 127.0.0.1:0 "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" </dev/null &
	SERVE_PID=$!
	register_pid "$SERVE_PID"
	SERVE_ADDR=
	for i in $(seq 200); do
		SERVE_ADDR=$(sed -n 's|^nstop serve: listening on http://\(.*\)/metrics$|\1|p' "$TEST_TMP/$name.out")
		[ -n "$SERVE_ADDR" ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.05
	done
	diag "nstop serve did not start:" "$(cat "$TEST_TMP/$name.err")"
	return 1
}

# code ADDR CURL-ARGS...: the HTTP status curl got (000: none).
code() {
	local a=$1
	shift
	curl -s -o /dev/null -m 10 -w '%{http_code}' "$@" "http://$a/metrics" 2>/dev/null
}

# q PROMQL: the query's result array, from Prometheus's HTTP API.
q() {
	curl -s -m 10 "http://$PROM/api/v1/query" --data-urlencode "query=$1" | jq -c '.data.result'
}

# wait_q PROMQL JQ WANT [SECS]: waits until JQ of the result says WANT.
wait_q() {
	local i got
	for i in $(seq $((${4:-30} * 4))); do
		got=$(q "$1" | jq -r "$2" 2>/dev/null)
		[ "$got" = "$3" ] && return 0
		sleep 0.25
	done
	diag "$1 | $2: $got (want $3)" >&2
	return 1
}

# ---- two targets -------------------------------------------------------------------
CG_TOP=nstop-test-serve-$$
V2=$(cg_v2_mount)
QUOTED='q"b\c'
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	mkdir "$V2/$CG_TOP" "$V2/$CG_TOP/$QUOTED"
	register_cgroup "$V2/$CG_TOP" "$V2/$CG_TOP/$QUOTED"
else
	for m in $(cg_mounts); do
		mkdir -p "$m/$CG_TOP/$QUOTED" && register_cgroup "$m/$CG_TOP" "$m/$CG_TOP/$QUOTED"
	done
fi
ok "nstop serve (one)" start_serve one --cgroup "/$CG_TOP/$QUOTED"
A1=$SERVE_ADDR
PID1=$SERVE_PID
ok "nstop serve (two)" start_serve two
A2=$SERVE_ADDR
PID2=$SERVE_PID

is "$(code "$A1")" 200 "GET /metrics: 200"
curl -s -m 10 "http://$A1/metrics" >"$TEST_TMP/prom.txt"
ok "promtool check metrics: no lint in the Prometheus text format" \
	promtool check metrics <"$TEST_TMP/prom.txt"
is "$(curl -s -m 10 -o /dev/null -w '%{content_type}' "http://$A1/metrics")" \
	"text/plain; version=0.0.4; charset=utf-8" "without Accept: the text format 0.0.4"
curl -s -m 10 -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
	-D "$TEST_TMP/om.hdr" "http://$A1/metrics" >"$TEST_TMP/om.txt"
ok "Accept: application/openmetrics-text gets OpenMetrics" \
	grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$TEST_TMP/om.hdr"
is "$(tail -1 "$TEST_TMP/om.txt")" "# EOF" "OpenMetrics ends with # EOF"
ok "OpenMetrics: a counter's family without _total, with its unit" \
	grep -qx '# UNIT container_cpu_usage_seconds seconds' "$TEST_TMP/om.txt"
"$NSTOP" metrics >"$TEST_TMP/batch.txt" 2>"$TEST_TMP/batch.err"
is "$?" 0 "nstop metrics: exit 0"
ok "nstop metrics: no lint either" promtool check metrics <"$TEST_TMP/batch.txt"
curl -s -m 10 "http://$A2/metrics" >"$TEST_TMP/prom2.txt"
ok "nstop metrics names the same families as nstop serve" \
	diff <(grep '^# TYPE' "$TEST_TMP/prom2.txt") <(grep '^# TYPE' "$TEST_TMP/batch.txt")

# node_exporter's textfile collector reads FILE.prom: written whole, by rename.
TF=$TEST_TMP/textfile
mkdir "$TF"
ln -s /dev/null "$TF/nstop.prom"
run_nstop metrics-file metrics -o "$TF/nstop.prom"
is "$NSTOP_RC" 0 "nstop metrics -o FILE: exit 0"
ok "FILE is a regular file now (the link replaced, not written through)" test -f "$TF/nstop.prom" -a ! -L "$TF/nstop.prom"
ok "FILE passes promtool" promtool check metrics <"$TF/nstop.prom"
is "$(find "$TF" -mindepth 1 | wc -l)" 1 "no temporary file left beside it"
is "$(stat -c %a "$TF/nstop.prom")" 644 "FILE is readable by the collector's user"

# ---- Prometheus on loopback ------------------------------------------------------------
PPORT=$(free_port)
PROM=127.0.0.1:$PPORT
mkdir "$TEST_TMP/prom"
cat >"$TEST_TMP/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: nstop
    static_configs:
      - targets: ['$A1', '$A2']
EOF
prometheus --config.file="$TEST_TMP/prom/prometheus.yml" \
	--storage.tsdb.path="$TEST_TMP/prom/data" --web.listen-address="$PROM" \
	--log.level=warn \
	</dev/null >"$TEST_TMP/prom/log" 2>&1 &
PROM_PID=$!
register_pid "$PROM_PID"
ready=
for i in $(seq 120); do
	curl -sf -m 2 "http://$PROM/-/ready" >/dev/null 2>&1 && { ready=1; break; }
	kill -0 "$PROM_PID" 2>/dev/null || break
	sleep 0.25
done
ok "prometheus is ready on $PROM" test -n "$ready" || diag "$(tail -20 "$TEST_TMP/prom/log")"

ok "both targets are up" wait_q 'sum(up{job="nstop"})' '.[0].value[1]' 2
is "$(q 'count(up{job="nstop"})' | jq -r '.[0].value[1]')" 2 "two targets"

# ---- a container with known limits ----------------------------------------------------
rtc_name busy
BUSY=$RTC_NAME
"$NSTOP" run -d --name "$BUSY" --memory 64M --cpus 0.5 -- sh -c 'while :; do :; done' >/dev/null
ok "a busy container runs" wait_state "$BUSY" running
ok "container_spec_memory_limit_bytes{name=\"$BUSY\"} is 64M on both targets" \
	wait_q "container_spec_memory_limit_bytes{name=\"$BUSY\",engine=\"nstop\"}" \
	'[.[].value[1]] | (unique | join(" ")) + " " + (length | tostring)' "67108864 2"
ok "container_spec_cpu_quota: 50000 (--cpus 0.5 of a 100000 period)" \
	wait_q "container_spec_cpu_quota{name=\"$BUSY\",instance=\"$A1\"}" '.[0].value[1]' 50000
ok "container_processes: the init and sh" \
	wait_q "container_processes{name=\"$BUSY\",instance=\"$A1\"}" '.[0].value[1] | tonumber >= 2' true
is "$(q "container_memory_usage_bytes{name=\"$BUSY\",instance=\"$A1\"}" | jq -r '.[0].metric.id')" \
	"/nstop/$BUSY" "the id label is the host's cgroup path"

# The CPU counter against the cgroup's own file over the same seconds.
CPU_FILE=$(ctl_file cpuacct "$BUSY" cpuacct.usage cpu.stat)
ctl_find cpuacct
ok "the container's cpu usage file: $CPU_FILE" test -r "$CPU_FILE"
cpu_file() {
	local f=$CPU_FILE
	if [ -r "$f" ]; then
		if [ "$CTL_V" = 1 ]; then awk '{ printf "%.6f\n", $1 / 1e9 }' "$f"
		else awk '$1 == "usage_usec" { printf "%.6f\n", $2 / 1e6 }' "$f"
		fi
	fi
}
prom_cpu() {
	q "container_cpu_usage_seconds_total{name=\"$BUSY\",instance=\"$A1\"}" | jq -r '.[0].value[1] // empty'
}
sleep 2
p0=$(prom_cpu); f0=$(cpu_file); t0=$(date +%s.%N)
sleep 8
p1=$(prom_cpu); f1=$(cpu_file); t1=$(date +%s.%N)
diag "prometheus: $p0 -> $p1; cgroup file: $f0 -> $f1 over $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
ok "the CPU counter rises" awk -v a="${p0:-0}" -v b="${p1:-0}" 'BEGIN { exit !(b > a) }'
ok "at the rate the cgroup file shows (within 15%)" \
	awk -v p0="${p0:-0}" -v p1="${p1:-0}" -v f0="${f0:-0}" -v f1="${f1:-0}" \
	'BEGIN { fp = f1 - f0; pp = p1 - p0; if (fp <= 0) exit 1; r = pp / fp; exit !(r > 0.85 && r < 1.15) }'
ok "and rate() agrees with --cpus 0.5 (0.35..0.6 cpu)" \
	wait_q "rate(container_cpu_usage_seconds_total{name=\"$BUSY\",instance=\"$A1\"}[5s])" \
	'.[0].value[1] | tonumber | (. > 0.35 and . < 0.6)' true
ok "throttled periods counted" \
	wait_q "container_cpu_cfs_throttled_periods_total{name=\"$BUSY\",instance=\"$A1\"}" \
	'.[0].value[1] | tonumber > 0' true

# ---- an exposure appears and disappears with its container ----------------------------
ok "the default sandbox has its own network: no host-net" \
	wait_q "nstop_container_exposure{name=\"$BUSY\",exposure=\"host-net\"}" 'length' 0
rtc_name hostnet
HN=$RTC_NAME
"$NSTOP" run -d --name "$HN" --net host -- sleep 1000 >/dev/null
ok "--net host: nstop_container_exposure{exposure=\"host-net\"} appears on both targets" \
	wait_q "nstop_container_exposure{name=\"$HN\",engine=\"nstop\",exposure=\"host-net\"}" \
	'[.[].value[1]] | join(" ")' "1 1"
ok "the fleet query names it" \
	wait_q 'count by (name) (nstop_container_exposure{exposure="host-net"})' \
	"[.[] | select(.metric.name == \"$HN\")] | length" 1
"$NSTOP" rm -f "$HN" >/dev/null 2>&1
ok "and disappears with the container" \
	wait_q "nstop_container_exposure{name=\"$HN\"}" 'length' 0

# ---- a cgroup the user named, with a quote and a backslash -----------------------------
ok "--cgroup: its id comes back intact through Prometheus" \
	wait_q "container_processes{id=~\"/$CG_TOP/.*\"}" '.[0].metric.id' "/$CG_TOP/$QUOTED"
ok "the namespaces per type" wait_q 'nstop_namespaces{type="net",instance="'"$A1"'"}' \
	'.[0].value[1] | tonumber >= 1' true

# ---- what an attacker sends -------------------------------------------------------------
is "$(curl -s -o /dev/null -m 10 -w '%{http_code}' "http://$A1/nope")" 404 "another path: 404"
is "$(curl -s -o /dev/null -m 10 -w '%{http_code}' "http://$A1/metrics/../etc/passwd")" 404 "a path with ..: 404"
is "$(code "$A1" -X POST -d x=1)" 405 "POST: 405"
is "$(code "$A1" -X DELETE)" 405 "DELETE: 405"
is "$(code "$A1" -X PUT -d x)" 405 "PUT: 405"
is "$(code "$A1" -I)" 200 "HEAD: 200"
big=$(head -c 65536 /dev/zero | tr '\0' a)
c=$(code "$A1" -H "X-Big: $big")
ok "a 64 KiB header: an error ($c)" test "$c" -ge 400 -a "$c" -lt 500
c=$(printf 'GARBAGE\r\n\r\n' | perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], Timeout => 5) or exit 1;
	print $s <STDIN>; my $l = <$s> // ""; print $l =~ m{^HTTP/1\.\d (\d+)} ? $1 : "closed"' "$A1")
ok "a garbage request line: an error or the connection closed ($c)" \
	eval '[ "$c" = closed ] || [ "$c" -ge 400 -a "$c" -lt 500 ]'
# A thousand connections opened at once (without waiting for accept: the
# server takes 64, the kernel's backlog some more), held 3 s, then a scrape.
held=$(perl -MSocket=:DEFAULT,SOCK_NONBLOCK -e '
	my ($h, $p) = split /:/, $ARGV[0]; my @s;
	for (1 .. 1000) {
		socket(my $c, PF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0) or last;
		connect($c, pack_sockaddr_in($p, inet_aton($h))); push @s, $c;
	}
	print scalar(@s), "\n"; sleep 3;' "$A1")
is "$held" 1000 "a thousand connections opened"
ok "nstop serve survives a thousand connections" kill -0 "$PID1"
for i in $(seq 40); do [ "$(code "$A1")" = 200 ] && break; sleep 0.25; done
is "$(code "$A1")" 200 "a scrape after them: 200"
ok "both targets still up" wait_q 'sum(up{job="nstop"})' '.[0].value[1]' 2

# ---- two scrapes at once ----------------------------------------------------------------
cpids=
for i in 1 2 3 4; do curl -s -m 10 "http://$A2/metrics" >"$TEST_TMP/conc$i.txt" & cpids="$cpids $!"; done
wait $cpids
for i in 1 2 3 4; do
	ok "concurrent scrape $i is whole" promtool check metrics <"$TEST_TMP/conc$i.txt"
done

# ---- stopped by PID ------------------------------------------------------------------------
kill -TERM "$PID1"
wait "$PID1"
is "$?" 0 "SIGTERM: nstop serve exits 0"
kill -INT "$PID2"
wait "$PID2"
is "$?" 0 "SIGINT: nstop serve exits 0"
ok "no sanitizer report" eval '! grep -Eq "Sanitizer|runtime error:" "$TEST_TMP"/one.err "$TEST_TMP"/two.err'
kill -TERM "$PROM_PID"
wait "$PROM_PID" 2>/dev/null

done_testing
