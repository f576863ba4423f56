#!/bin/bash
# (Re)makes the seed corpora in tests/fuzz/corpus/NAME/ from real files:
# this host's /proc and /sys/fs/cgroup, the unit tests' fixture trees
# (tests/fixtures/mkfixtures.sh: v1, v2 and hybrid hosts), the themes, and
# the state.json files of whatever nstop containers exist now (make some
# with `nstop run` first, see tests/fuzz/README), plus a few literal seeds
# for what a host rarely shows (a comm with ") (", a forged state).
# Usage: mkcorpus.sh [CORPUS_DIR]. Adds and overwrites; never deletes.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/tests/fuzz/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put NAME FILE SEED: a copy of FILE as corpus NAME's seed SEED (unreadable
# or empty files are skipped; /proc and cgroup files all say size 0).
put() {
	mkdir -p "$out/$1"
	if cat "$2" >"$tmp/seed" 2>/dev/null && [ -s "$tmp/seed" ]; then
		cp "$tmp/seed" "$out/$1/$3"
	fi
}
# lit NAME SEED TEXT: a literal seed (printf %b: \0 separates a harness's parts).
lit() { mkdir -p "$out/$1"; printf '%b' "$3" >"$out/$1/$2"; }

bash "$src/tests/fixtures/mkfixtures.sh" "$tmp/fx" >/dev/null

# ---- mountinfo: the host's, a kernel thread's, the fixtures' ---------------
put mountinfo /proc/self/mountinfo host-self
put mountinfo /proc/1/mountinfo host-init
for l in v1 v2 hybrid; do
	put mountinfo "$tmp/fx/$l/proc/self/mountinfo" "fixture-$l"
done
lit mountinfo escapes '36 35 98:0 /a\\040b /mnt/with\\040space\\012nl rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n37 36 0:5 / /x rw - cgroup2 cgroup2 rw\n'
lit mountinfo two-views '30 23 0:26 /ct /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n\00030 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n'
# ---- iso: STATUS NUL UID_MAP NUL MOUNTINFO NUL DEVICES ------------------------
lit iso docker-sock 'CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n\000         0     100000      65536\n\000600 500 0:52 / / rw - overlay overlay rw\n611 600 0:25 /docker.sock /run/docker.sock rw - tmpfs tmpfs rw\n621 601 0:55 /sys /proc/sys ro - proc proc rw\n\000a *:* rwm\n'
lit iso host-root-ro 'CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n\0000 0 4294967295\n\000700 650 254:0 / / ro - ext4 /dev/vda rw\n703 700 0:61 / /sys rw - sysfs sysfs rw\n\000c 1:3 rwm\n'

# ---- /proc/PID/cgroup ------------------------------------------------------
put proc_cgroup /proc/self/cgroup host-self
put proc_cgroup /proc/1/cgroup host-init
for l in v1 v2 hybrid; do
	put proc_cgroup "$tmp/fx/$l/proc/42/cgroup" "fixture-$l"
done
lit proc_cgroup hybrid-ns '0::/\n1:name=systemd:/../../x\n2:cpu,cpuacct:/a/b\n4:memory:/sub/c\n\000/system.slice/docker-1.scope'
lit proc_cgroup deleted '0::/a/b (deleted)\n\000/a'

# ---- cgroup stat files -----------------------------------------------------
n=0
for f in $(find /sys/fs/cgroup -maxdepth 3 \( -name 'cpu.stat' -o -name 'memory.stat' \
	-o -name '*.pressure' -o -name 'memory.max' -o -name 'memory.current' \
	-o -name 'memory.events' -o -name 'cpu.max' -o -name 'cpu.weight' -o -name 'pids.max' \
	-o -name 'pids.current' -o -name 'cgroup.events' -o -name 'freezer.state' \
	-o -name 'memory.limit_in_bytes' -o -name 'cpu.shares' -o -name 'cpuacct.usage' \
	-o -name 'cpu.cfs_quota_us' \) 2>/dev/null | sort | head -60); do
	n=$((n + 1))
	put cgroup_stats "$f" "host-$n-$(basename "$f")"
done
lit cgroup_stats cpu-max '20000 100000\n'
lit cgroup_stats cpu-max-max 'max 100000\n'
lit cgroup_stats limit-max 'max\n'
lit cgroup_stats v1-nolimit '9223372036854771712\n'
lit cgroup_stats psi-full 'some avg10=1.50 avg60=0.20 avg300=0.00 total=12345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'
lit cgroup_stats freezing 'FREEZING\n'
lit cgroup_stats events 'populated 1\nfrozen 1\n\000frozen'
lit cgroup_stats superopts 'rw,nosuid,nodev,noexec,relatime,cpu,cpuacct,name=systemd'

# ---- /proc/PID/stat --------------------------------------------------------
put proc_stat /proc/self/stat host-self
put proc_stat /proc/1/stat host-init
put proc_stat /proc/2/stat host-kthreadd
for l in v1 v2; do
	put proc_stat "$tmp/fx/$l/proc/42/stat" "fixture-$l-42"
done
lit proc_stat comm-parens '4242 (a) (b c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 1000000 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n'

# ---- the runtime's argument parsers (ARG \0 ONLINE-CPUS) -------------------
for a in 64M 1.5G 4096 512K 0.5 2 0.001 100 10000 0-1,3 0 1-1 KILL SIGTERM 9 \
	 RTMIN+3 web-1 my_ct.2 /tmp:/data /srv:/srv:ro /a:/b:rw; do
	lit rt_parse "arg-$(printf '%s' "$a" | tr -c 'A-Za-z0-9.-' '_')" "$a\0000-3\n"
done
lit rt_parse cpuset-sparse '0,2-3\0000,2-7\n'

# ---- state.json: real ones (nstop run), and a forged one -------------------
for f in /run/nstop/*/state.json; do
	[ -f "$f" ] || continue
	d=${f%/state.json}
	put rt_state "$f" "run-${d##*/}"
done
lit rt_state forged '{"name":"x","state":"running","pid":1,"pid_start":2,"monitor":99999999,"exit_code":1099511627776,"created_sec":-1,"created_nsec":2000000000,"limits":{"memory_bytes":-5,"cpuset":"0-1"},"net":"host","command":"\\u00ff sh"}\n'

# ---- settings, themes and the key = value reader ---------------------------
lit config full 'theme = solarized-dark\ninterval = 1.5\ncolumns = +cgroup,netns\nsort = rss\nsort_reverse = true\nview = cgroups\ntree = false\n'
for t in "$src"/themes/*.theme; do
	put theme "$t" "$(basename "$t" .theme)"
	put kvfile "$t" "$(basename "$t" .theme)"
done
lit kvfile config "$(cat "$out/config/full")"

# ---- nstop enter -n, and the ns links --------------------------------------
for a in all net,pid mnt,net,pid,uts,ipc,cgroup,user,time user; do
	lit nsenter "spec-${a//,/_}" "$a"
done
for t in cgroup ipc mnt net pid time user uts; do
	target=$(readlink "/proc/self/ns/$t" 2>/dev/null) || continue
	lit nsenter "link-$t" "$target"
done

# ---- the command line: -d, -n, -o ------------------------------------------
for a in 2 0.5 100 +cgroup,netns pid,user,comm NS,TYPE,NPROCS CPU,MEM,PIDS \
	 cgroupns,pidns,viewcgroup; do
	lit cli "arg-$(printf '%s' "$a" | tr -c 'A-Za-z0-9.-' '_')" "$a"
done
# ---- the TUI's launch form: COMMAND \0 VOLUMES ------------------------------
lit launch sh-c 'sh -c "echo \\"hi\\" there"\000/tmp:/mnt:ro /srv:/srv'
lit launch top 'top -d 1\000'
lit launch quotes "printf '%s\\\\n' a\\\\ b\000/tmp:/tmp/x"
echo "seeds in $out: $(find "$out" -type f | wc -l)"
