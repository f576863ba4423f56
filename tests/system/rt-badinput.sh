#!/bin/bash
# Bad input, a table of it: every case fails with exit 1 or 2 and exactly one
# line "nstop: ..." on stderr, and creates nothing: no state directory, no
# cgroup in any hierarchy, no process left, no mount. A container that exists
# is left as it was by every bad command aimed at it.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk

ROOTFS=$TEST_TMP/rootfs
"$MKROOTFS" "$ROOTFS" || fail "mkrootfs.sh makes a busybox root"

# What exists of nstop's that could be ours: state entries and cgroups whose
# name holds our prefix, or (a name nstop made up) whose state runs our MARK
# command; children of this shell; processes in our cgroups or naming our
# prefix; mounts naming our prefix or TEST_TMP. Other helpers' containers come
# and go meanwhile, under any name, and are none of these. (A name that could
# not hold the prefix -- "", "/", ".", ".." -- names /run/nstop or /run
# itself, and no new entry.)
MARK=$RTC-mark
footprint() {
	local me=$BASHPID
	footprint_parts "$me" | LC_ALL=C sort
}
footprint_parts() {
	local me=$1 n m f mine=()
	for n in $(ls -A "$STATE_DIR" 2>/dev/null); do
		case $n in
		*"$RTC"*) echo "state $n" ;;
		*.lock) ;;
		*) grep -qF "$MARK" "$STATE_DIR/$n/state.json" 2>/dev/null &&
			{ echo "state $n"; mine+=("$n"); } ;;
		esac
	done
	# (globs, not ls and find: this runs twice a case in every hierarchy,
	# a dozen on v1, where a process costs much under an emulator)
	for m in $(cg_mounts); do
		for f in "$m/$CG_PARENT/"*"$RTC"*; do
			[ -e "$f" ] || [ -L "$f" ] && echo "cgroup $f"
		done
		for n in "${mine[@]}"; do
			[ -d "$m/$CG_PARENT/$n" ] && echo "cgroup $m/$CG_PARENT/$n"
		done
		# a name with .. or / would land beside /nstop, not below it
		for f in "$m/"*"$RTC"* "$m/".*"$RTC"*; do
			[ -d "$f" ] && [ ! -L "$f" ] && echo "cgroup-outside $f"
		done
	done
	grep -F -e "$RTC" -e "$TEST_TMP" /proc/self/mountinfo | awk '{ print "mount " $5 }'
	children_of $$ | grep -vx "$me" | sed 's/^/child /'
	procs_in_cgroups_with "/$CG_PARENT/$RTC" | sed 's/^/proc /'
	# (the pattern from a file: grep's own command line must not hold it)
	grep -lF -f "$TEST_TMP/rtc.pat" /proc/[0-9]*/cmdline 2>/dev/null |
		grep -v -e "^/proc/$me/" -e "^/proc/$$/" | sed 's/^/cmdline /'
}
echo "$RTC" >"$TEST_TMP/rtc.pat"

# bad NAME WANT-RC-REGEX ARG...: one case of the table. The footprint after
# a case is the next case's before when nothing ran in between (no test line
# since): half the footprints, each some forty processes.
ncase=0
fp_after='' fp_at=-1
bad() {
	local label=$1 want=$2 before after
	shift 2
	ncase=$((ncase + 1))
	if [ "$fp_at" = "$_tap_n" ]; then before=$fp_after; else before=$(footprint); fi
	run_nstop_quiet "bad$ncase" "$@"
	local rc=$NSTOP_RC err="$TEST_TMP/bad$ncase.err"
	if [[ "$rc" =~ ^($want)$ ]] && one_error_line "$err"; then
		pass "$label: exit $rc, one line: $(cat "$err")"
	else
		fail "$label: exit $want and one line 'nstop: ...'" "nstop $*" "exit $rc, stderr:" \
			"$(head -c 2000 "$err")" "stdout: $(head -c 500 "$(out "bad$ncase")")"
	fi
	after=$(footprint)
	new=$(comm -13 <(echo "$before") <(echo "$after"))
	if [ -z "$new" ]; then
		pass "$label: nothing created"
	else
		fail "$label: nothing created" "new: $(echo "$new" | tr '\n' ' ')"
		# Do not let one leak spill into the next case.
		for n in $(echo "$new" | awk '$1 == "state" { print $2 }'); do
			case $n in "$RTC"*) rtc_reap "${n%.lock}" ;;
			*) timeout 30 "$NSTOP" rm -f "${n%.lock}" >/dev/null 2>&1 ;; esac
		done
	fi
	# (after a clean-up, the next case looks afresh)
	fp_after=$after fp_at=-1
	[ -z "$new" ] && fp_at=$_tap_n
}
U='1|2'	# usage error or failure
cmd=(-- sh -c true "$MARK")

# ---- names --------------------------------------------------------------------------
bad "empty name" "$U" run --name "" "${cmd[@]}"
bad "a 64-byte name" "$U" run --name "$RTC-$(printf 'x%.0s' $(seq $((64 - ${#RTC} - 1))))" "${cmd[@]}"
bad "a 300-byte name" "$U" run --name "$RTC-$(printf 'x%.0s' $(seq 300))" "${cmd[@]}"
bad "a name with a newline" "$U" run --name "$RTC-a
b" "${cmd[@]}"
bad "a name with a tab" "$U" run --name "$RTC-a	b" "${cmd[@]}"
bad "a name with \\001" "$U" run --name "$RTC-a$(printf '\001')b" "${cmd[@]}"
bad "a name with \\177" "$U" run --name "$RTC-a$(printf '\177')b" "${cmd[@]}"
bad "a name with a UTF-8 byte \\377" "$U" run --name "$RTC-a$(printf '\377')b" "${cmd[@]}"
bad "a name with /" "$U" run --name "$RTC/sub" "${cmd[@]}"
bad "a name that is /" "$U" run --name "/" "${cmd[@]}"
bad "a name with .." "$U" run --name "$RTC-a..b" "${cmd[@]}"
bad "a name that is .." "$U" run --name ".." "${cmd[@]}"
bad "a name that is ." "$U" run --name "." "${cmd[@]}"
bad "a name ../x" "$U" run --name "../$RTC" "${cmd[@]}"

# A 63-byte name is the longest that is allowed: it works, and goes.
long=$RTC-$(printf 'x%.0s' $(seq $((63 - ${#RTC} - 1))))
register_cmd "rtc_reap '$long'"
run_nstop long run --rm --name "$long" -- true
is "$NSTOP_RC" 0 "a 63-byte name is fine"
assert_gone "$long"

# A duplicate: the first stays as it was.
rtc_name dup
D=$RTC_NAME
run_nstop dup run -d --name "$D" -- sleep 1000
is "$NSTOP_RC" 0 "run -d $D"
DP=$(init_pid "$D")
register_pid $DP
snap_dup() {
	echo "$(list_get "$D" '[.state, .pid, .created]')"
	cat "$STATE_DIR/$D/state.json" 2>/dev/null | md5sum
	for m in $(cg_mounts); do cat "$m/$CG_PARENT/$D/cgroup.procs" 2>/dev/null; done | sort | md5sum
}
dup_before=$(snap_dup)
ncase_before=$ncase
before=$(footprint)
run_nstop_quiet dup2 run --name "$D" -- true
is "$NSTOP_RC" 1 "a duplicate name: exit 1"
ok "  one line: $(cat "$TEST_TMP/dup2.err")" one_error_line "$TEST_TMP/dup2.err"
after=$(footprint)
is "$(comm -13 <(echo "$before") <(echo "$after"))" "" "  nothing created"
is "$(snap_dup)" "$dup_before" "  the first is untouched: state, pid, cgroup members"
# Two at once with one new name: exactly one wins, the other says so.
rtc_name race
R=$RTC_NAME
"$NSTOP" run -d --name "$R" -- sleep 1000 >"$TEST_TMP/race1.out" 2>"$TEST_TMP/race1.err" &
r1=$!
"$NSTOP" run -d --name "$R" -- sleep 1000 >"$TEST_TMP/race2.out" 2>"$TEST_TMP/race2.err" &
r2=$!
wait $r1; rc1=$?
wait $r2; rc2=$?
is "$(echo $rc1 $rc2 | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 " "two runs of one name at once: one 0, one 1"
is "$(cat "$TEST_TMP/race1.err" "$TEST_TMP/race2.err" | grep -c '^nstop: ')" 1 "  the loser says so in one line"
n=0
for m in $(cg_mounts); do
	[ -d "$m/$CG_PARENT/$R" ] && n=$((n + $(wc -l <"$m/$CG_PARENT/$R/cgroup.procs")))
done
ok "  and the winner's cgroups hold one container's processes" test "$n" -ge 1
run_nstop racerm rm -f "$R"
assert_gone "$R"

# ---- limits ---------------------------------------------------------------------------
for v in "" abc -1 -64M 0 12Q 1.5.5M 64MM M 99999999999999999999 1e400 "64 M"; do
	bad "--memory '$v'" "$U" run --name "$RTC-m" --memory "$v" "${cmd[@]}"
done
for v in "" abc -1 0 -0.5 0.0000001 1e400 nan inf "1 2"; do
	bad "--cpus '$v'" "$U" run --name "$RTC-c" --cpus "$v" "${cmd[@]}"
done
for v in "" abc -1 0 10001 1.5 99999999999999999999; do
	bad "--cpu-weight '$v'" "$U" run --name "$RTC-w" --cpu-weight "$v" "${cmd[@]}"
done
for v in "" abc -1 0 1.5 99999999999999999999 "20 "; do
	bad "--pids '$v'" "$U" run --name "$RTC-p" --pids "$v" "${cmd[@]}"
done
for v in "" abc -1 1-0 99999 "$(nproc)"; do
	bad "--cpuset '$v'" "$U" run --name "$RTC-s" --cpuset "$v" "${cmd[@]}"
done

# ---- roots, volumes, network, options ------------------------------------------------
bad "a missing rootfs" "$U" run --name "$RTC-r" --rootfs "$TEST_TMP/nonexistent" "${cmd[@]}"
bad "a rootfs that is a file" "$U" run --name "$RTC-r" --rootfs "$ROOTFS/etc/passwd" "${cmd[@]}"
bad "a missing rootfs with --overlay" "$U" run --name "$RTC-r" --rootfs "$TEST_TMP/nonexistent" --overlay "${cmd[@]}"
bad "an empty rootfs (no /bin/true)" "1|2|127" run --rm --name "$RTC-r" --rootfs "$TEST_TMP" "${cmd[@]}"
bad "a missing volume source" "$U" run --name "$RTC-v" -v "$TEST_TMP/nonexistent:/mnt" "${cmd[@]}"
# (-v "$TEST_TMP" alone is an anonymous volume at that path now, as -v /test)
bad "a volume without a destination" "$U" run --name "$RTC-v" -v "$TEST_TMP:" "${cmd[@]}"
bad "a relative volume, neither /DST nor NAME:/DST" "$U" run --name "$RTC-v" -v "data/x" "${cmd[@]}"
bad "a volume with an empty source" "$U" run --name "$RTC-v" -v ":/mnt" "${cmd[@]}"
bad "a volume with a relative destination" "$U" run --name "$RTC-v" -v "$TEST_TMP:mnt" "${cmd[@]}"
bad "a volume with a bad mode" "$U" run --name "$RTC-v" -v "$TEST_TMP:/mnt:rx" "${cmd[@]}"
bad "a volume escaping the rootfs (..)" "$U" run --name "$RTC-v" --rootfs "$ROOTFS" -v "$TEST_TMP:/../../escape" "${cmd[@]}"
bad "--net bogus" "$U" run --name "$RTC-n" --net bogus "${cmd[@]}"
for v in "" abc 100000 100000: :100000 -1:0 0:-1 100000:100000:0 100000:100000:-5 100000:100000:abc \
	 4294967295:0 100000:100000:4294967295; do
	bad "--userns '$v'" "$U" run --name "$RTC-u" --userns "$v" "${cmd[@]}"
done
bad "an unknown option" "2" run --name "$RTC-o" --bogus-option "${cmd[@]}"
bad "no command" "$U" run --name "$RTC-x"
bad "no command after --" "$U" run --name "$RTC-x" --
bad "a command that does not exist" "1|2|126|127" run --rm --name "$RTC-x" -- /nonexistent-nstop-command
# Detached, the failure may show only later (exit 0 now): either way nothing
# may stay once it has ended.
register_cmd "rtc_reap '$RTC-x'"
run_nstop_quiet detx run -d --rm --name "$RTC-x" -- /nonexistent-nstop-command
diag "run -d --rm of a missing command: exit $NSTOP_RC, $(cat "$TEST_TMP/detx.err")"
for i in $(seq 60); do [ -e "$STATE_DIR/$RTC-x" ] || break; sleep 0.05; done
assert_gone "$RTC-x"

# ---- not root ---------------------------------------------------------------------------
if command -v setpriv >/dev/null; then
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
	for v in "run --name $RTC-nr -- true" "run --rm -- true" "list" "rm -f $D" "kill $D" "freeze $D" \
		 "exec $D -- true"; do
		before=$(footprint)
		# shellcheck disable=SC2086
		"${NOBODY[@]}" "$NSTOP" $v >"$TEST_TMP/nr.out" 2>"$TEST_TMP/nr.err"
		rc=$?
		if [ "$v" = list ] && [ "$rc" -eq 0 ]; then
			pass "as uid 65534: list may work (it only reads)"
			continue
		fi
		ok "as uid 65534: $v fails (exit $rc) with one line: $(head -1 "$TEST_TMP/nr.err")" \
			eval "[ $rc -eq 1 -o $rc -eq 2 ] && one_error_line '$TEST_TMP/nr.err'"
		after=$(footprint)
		is "$(comm -13 <(echo "$before") <(echo "$after"))" "" "as uid 65534: $v creates nothing"
	done
	# The runtime checks NAME before the rights it needs: a usage error for anyone.
	"${NOBODY[@]}" "$NSTOP" exec "$RTC/sub" -- true >"$TEST_TMP/nr.out" 2>"$TEST_TMP/nr.err"
	is "$?" 2 "as uid 65534: exec of a malformed NAME is a usage error"
	ok "as uid 65534: exec of a malformed NAME says the runtime's why: $(head -1 "$TEST_TMP/nr.err")" \
		grep -q "^nstop: container name '$RTC/sub' contains '/'" "$TEST_TMP/nr.err"
else
	fail "setpriv (util-linux) to run nstop as nobody"
fi

# ---- unknown names, for every verb --------------------------------------------------------
G=$RTC-ghost
for v in "freeze $G" "thaw $G" "update $G --memory 64M" "move $$ $G" "exec $G -- true" \
	 "kill $G" "kill $G KILL" "rm $G" "rm -f $G"; do
	# shellcheck disable=SC2086
	bad "$v (no such container)" "$U" $v
done
bad "exec with an empty name" "$U" exec "" -- true
bad "exec of a name with /" "2" exec "$RTC/sub" -- true
bad "rm of a name with /" "$U" rm -f "../$RTC"
bad "rm -f of .." "$U" rm -f ".."

# ---- bad operands against a container that exists ------------------------------------------
for v in "move 999999999 $D" "move 0 $D" "move -1 $D" "move abc $D" "move $$$$$$ $D" \
	 "kill $D BOGUS" "kill $D 0x9" "kill $D 99" "kill $D SIGBOGUS" \
	 "update $D --memory -1" "update $D --memory abc" "update $D --cpus 0" \
	 "update $D --cpu-weight 0" "update $D --pids 0" "update $D --pids -5" \
	 "update $D --cpuset abc" "update $D --cpuset 99999" "update $D --cpuset $(nproc)" \
	 "update $D --memory 64M --bogus" "update $D --memory" \
	 "freeze" "thaw" "rm" "exec" "kill" "move $$"; do
	# shellcheck disable=SC2086
	bad "$v" "$U" $v
done
is "$(snap_dup)" "$dup_before" "after all of it, $D is untouched"
run_nstop duprm rm -f "$D"
assert_gone "$D" $DP

done_testing
