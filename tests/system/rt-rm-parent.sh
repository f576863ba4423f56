#!/bin/bash
# nstop rm of the last container leaves no empty /nstop parent cgroup in any
# hierarchy, and rm never races a run that is making its cgroups under the
# same parent: runs and rm's of other containers side by side, each run must
# succeed, and once all are gone no hierarchy holds an empty /nstop.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root

# empty_parents: the hierarchies whose /nstop exists and has no child cgroup.
empty_parents() {
	local m d
	for m in $(cg_mounts); do
		d=$m/$CG_PARENT
		[ -d "$d" ] || continue
		[ -z "$(find "$d" -mindepth 1 -maxdepth 1 -type d -print -quit)" ] && echo "$d"
	done
}

rtc_name a
A=$RTC_NAME
run_nstop run run -d --name "$A" -- sleep 1000
is "$NSTOP_RC" 0 "run -d $A"
run_nstop rm rm -f "$A"
is "$NSTOP_RC" 0 "rm -f $A"
is "$(empty_parents)" "" "after rm of the last container: no empty /$CG_PARENT in any hierarchy"

# Side by side: while B_i is made, B_(i-1) is removed.
prev=
fails=0
for i in $(seq 8); do
	rtc_name "b$i"
	cur=$RTC_NAME
	if [ -n "$prev" ]; then
		"$NSTOP" rm -f "$prev" >"$TEST_TMP/rm$i.out" 2>&1 &
		rmpid=$!
	fi
	"$NSTOP" run -d --name "$cur" -- sleep 1000 >"$TEST_TMP/run$i.out" 2>&1 ||
		{ fails=$((fails + 1)); diag "run $cur: $(cat "$TEST_TMP/run$i.out")"; }
	[ -n "$prev" ] && { wait "$rmpid" || diag "rm $prev: $(cat "$TEST_TMP/rm$i.out")"; }
	prev=$cur
done
is "$fails" 0 "8 runs, each beside an rm of the one before: none failed"
run_nstop rmlast rm -f "$prev"
is "$NSTOP_RC" 0 "rm -f the last one"
is "$(empty_parents)" "" "after all: no empty /$CG_PARENT in any hierarchy"
done_testing
