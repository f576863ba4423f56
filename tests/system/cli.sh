#!/bin/bash
# The command line's contract: exit 0 on success, 1 when the operation
# failed, 2 on a usage error; errors are one line "nstop: ..." on stderr
# with nothing on stdout; a process that exits mid-scan is never an error.
. "$NSTOP_TESTLIB"

require_root
require_cmd jq

# one_line FILE NAME: FILE (stderr) holds exactly one line.
one_line() {
	if [ "$(wc -l <"$1")" -eq 1 ]; then pass "$2"; else fail "$2" "stderr was:" "$(cat "$1")"; fi
}

# usage_error ARG...: nstop ARG... is a usage error, said properly.
usage_error() {
	run_nstop_quiet usage "$@"
	local rc=$NSTOP_RC err=$TEST_TMP/usage.err
	is "$rc" 2 "nstop $*: exits 2"
	one_line "$err" "nstop $*: one line on stderr"
	ok "nstop $*: the line starts 'nstop: ' ('$(head -1 "$err")')" grep -q '^nstop: ' "$err"
	is "$(wc -c <"$(out usage)")" 0 "nstop $*: nothing on stdout"
}

usage_error -n 0 -b
usage_error -d abc -b
usage_error --view-from 0 -b
usage_error --bogus
usage_error -b -n
usage_error -b -n 1 stray
usage_error frobnicate
usage_error ns -t bogus
usage_error ns -o BOGUS
usage_error ns --bogus
usage_error ns -t
usage_error cgroups -o BOGUS
usage_error cgroups --bogus
usage_error cgroups --view-from

# A process that does not exist: the operation fails (1); it is no usage error.
true &
gone=$!
wait "$gone"
while [ -e "/proc/$gone" ]; do gone=$((gone + 1)); done
# failure ARG...: nstop ARG... fails (1), said in one line.
failure() {
	run_nstop_quiet fails "$@"
	is "$NSTOP_RC" 1 "nstop $*: exits 1"
	one_line "$TEST_TMP/fails.err" "nstop $*: one line on stderr"
	ok "nstop $*: the line starts 'nstop: ' ('$(head -1 "$TEST_TMP/fails.err")')" \
		grep -q '^nstop: ' "$TEST_TMP/fails.err"
	is "$(wc -c <"$(out fails)")" 0 "nstop $*: nothing on stdout"
}
failure -b -n 1 --view-from "$gone"
failure -b -n 1 -J --view-from "$gone"
failure cgroups --view-from "$gone"
failure ns -p "$gone"

# ---- --help, -V ------------------------------------------------------------------------
for verb in "" ns cgroups; do
	run_nstop help $verb --help
	is "$NSTOP_RC" 0 "nstop $verb --help exits 0"
	ok "nstop $verb --help prints Usage" grep -q '^Usage:' "$(out help)"
	is "$(wc -c <"$TEST_TMP/help.err")" 0 "nstop $verb --help: nothing on stderr"
done
run_nstop version -V
is "$NSTOP_RC" 0 "nstop -V exits 0"
want=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$(dirname "$NSTOP")/config.h" 2>/dev/null)
if [ -n "$want" ]; then
	is "$(cat "$(out version)")" "nstop $want" "nstop -V prints 'nstop $want'"
else
	ok "nstop -V prints 'nstop VERSION'" grep -Eqx 'nstop [0-9][0-9A-Za-z.+~-]*' "$(out version)"
fi

# ---- -b text ------------------------------------------------------------------------------
spawn_bg sleep 1000
S=$SPAWNED
wait_comm "$S" sleep
run_nstop text -b -n 1 -o pid,comm
is "$NSTOP_RC" 0 "nstop -b -n 1 -o pid,comm exits 0"
# As top -b: a summary, a blank line, the header, one row per process.
awk 'p == 1 && NF == 0 { exit } p == 1 { print } p == 0 && NF == 0 { p = 1 }' "$(out text)" \
	>"$TEST_TMP/table"
T=$TEST_TMP/table
ok "the header is 'PID COMM' ('$(head -1 "$T")')" grep -Eq '^ *PID +COMM *$' <(head -1 "$T")
ok "every row is 'PID COMM'" bash -c "! tail -n +2 '$T' | grep -Ev '^ *[0-9]+ +[^ ]'"
ok "our sleep has its row" grep -Eq "^ *$S +sleep *\$" "$T"
ok "this shell has its row" grep -Eq "^ *$$ +$(cat /proc/$$/comm) *\$" "$T"
ok "pid 2 has its row" grep -Eq '^ *2 +kthreadd *$' "$T"
rows=$(($(grep -c . "$T") - 1))
is "$rows" "$(sed -n 's/^Tasks: \([0-9]*\) total.*/\1/p' "$(out text)")" \
	"one row per process, as many as the summary's Tasks total"
procs=(/proc/[0-9]*)
procs=${#procs[@]}
ok "about as many rows as /proc has processes ($rows, $procs)" \
	test $((rows - procs)) -le 20 -a $((procs - rows)) -le 20
run_nstop deftext -b -n 1
is "$NSTOP_RC" 0 "nstop -b -n 1 (default columns) exits 0"
ok "the default header names PID" grep -Eq '^ *PID ' "$(out deftext)"
run_nstop cols --list-columns
ok "--list-columns lists pid and comm" bash -c "grep -qw pid '$(out cols)' && grep -qw comm '$(out cols)'"

# ---- processes coming and going while nstop scans ---------------------------------
STOP=$TEST_TMP/stop
churn() {
	local end=$((SECONDS + 90))
	while [ ! -e "$STOP" ] && [ $SECONDS -lt $end ]; do
		/bin/true & /bin/sleep 0.01 & sh -c 'exit 0' &
		wait
	done
}
last_pid() { awk '{ split($5, a, "/"); print a[1] }' /proc/loadavg; }
first=$(last_pid)
CHURNERS=()
for i in 1 2; do
	churn </dev/null >/dev/null 2>&1 &
	CHURNERS+=($!)
	register_pid $!
done
for i in $(seq 20); do
	run_nstop churn -b -n 1 -J
	ok "churn $i: nstop -b -n 1 -J exits 0, nothing on stderr" \
		test "$NSTOP_RC" = 0 -a ! -s "$TEST_TMP/churn.err"
	ok "churn $i: valid JSON" is_json_lines "$(out churn)"
done
for verb in ns cgroups; do
	for i in 1 2 3; do
		run_nstop churn-$verb $verb -J
		ok "churn: nstop $verb -J exits 0, nothing on stderr, valid JSON" \
			test "$NSTOP_RC" = 0 -a ! -s "$TEST_TMP/churn-$verb.err" -a -s "$(out churn-$verb)"
		ok "churn: nstop $verb -J prints JSON" jq -e . "$(out churn-$verb)"
	done
done
: >"$STOP"
wait "${CHURNERS[@]}"
spawned=$(( ($(last_pid) - first + 4194304) % 4194304 ))
ok "processes came and went meanwhile ($spawned pids used)" test "$spawned" -ge 100

done_testing
