# Shared helpers of the runtime core's system tests (rt-*.sh): sourced after
# lib.sh, never run. Everything a test makes is named $RTC-* (containers,
# hence their cgroups /nstop/$RTC-* and state /run/nstop/$RTC-*), and is
# removed on exit, also when nstop itself cannot remove it.

RTC=nstop-test-rtc-$$
MKROOTFS=$(dirname "$NSTOP_TESTLIB")/mkrootfs.sh
STATE_DIR=/run/nstop
CG_PARENT=nstop	# the default parent, below each hierarchy's root

# The hierarchy ids (first field of /proc/PID/cgroup) of every mounted
# hierarchy, one per line, as "ID MOUNT".
cg_ids() {
	local m id opts
	for m in $(cg_mounts); do
		if [ "$(stat -f -c %T "$m")" = cgroup2fs ]; then
			echo "0 $m"
			continue
		fi
		opts=$(awk -v m="$m" '{ for (i = 7; $i != "-"; i++) ; if ($5 == m) { print $(i + 3); exit } }' \
			/proc/self/mountinfo)
		id=$(awk -F: -v o="$opts" '$1 != 0 {
			n = split($2, c, ",")
			for (j = 1; j <= n; j++) if (index("," o ",", "," c[j] ",")) { print $1; exit }
		}' /proc/self/cgroup)
		[ -n "$id" ] && echo "$id $m"
	done
}

# in_all_hierarchies PID NAME: PID sits in /nstop/NAME in every hierarchy.
in_all_hierarchies() {
	local id m path bad=""
	while read -r id m; do
		path=$(cg_path "$1" "$id")
		[ "$path" = "/$CG_PARENT/$2" ] || bad="$bad $m:$path"
	done < <(cg_ids)
	[ -z "$bad" ] || { diag "not in /$CG_PARENT/$2:$bad"; return 1; }
}

# ctl_find CONTROLLER: sets CTL_MNT (the mount of the hierarchy holding it)
# and CTL_V (1 or 2); returns 1 when no hierarchy has it. "cpuacct" on v2 is
# the cpu controller's cpu.stat.
ctl_find() {
	CTL_MNT=$(cg_v1_mount "$1")
	if [ -n "$CTL_MNT" ]; then CTL_V=1; return 0; fi
	CTL_MNT=$(cg_v2_mount)
	CTL_V=2
	local c=$1
	[ "$c" = cpuacct ] && c=cpu
	[ -n "$CTL_MNT" ] && { [ "$c" = freezer ] || cg_v2_has "$c"; }
}

# ctl_file CONTROLLER NAME V1FILE V2FILE: the container's file for that
# controller in whichever hierarchy holds it; empty when none does.
ctl_file() {
	ctl_find "$1" || return 1
	if [ "$CTL_V" = 1 ]; then echo "$CTL_MNT/$CG_PARENT/$2/$3"
	else echo "$CTL_MNT/$CG_PARENT/$2/$4"
	fi
}

# ---- containers --------------------------------------------------------------

# rtc_reap NAME: removes whatever nstop left of a container of ours: thaws and
# kills every process in its cgroups, removes them deepest first, unmounts
# what is left below its state directory and removes that. Only for $RTC-*.
rtc_reap() {
	local n=$1 m d p i
	case $n in "$RTC"-*) ;; *) return 0 ;; esac
	timeout 30 "$NSTOP" rm -f "$n" >/dev/null 2>&1
	for m in $(cg_mounts); do
		d=$m/$CG_PARENT/$n
		[ -d "$d" ] || continue
		for p in $(find "$d" -depth -type d); do thaw_dir "$p"; done
		for i in 1 2 3 4 5; do
			for p in $(cat $(find "$d" -name cgroup.procs) 2>/dev/null); do
				kill -KILL "$p" 2>/dev/null
			done
			sleep 0.1
		done
		for i in $(seq 30); do
			for p in $(find "$d" -depth -type d); do rmdir "$p" 2>/dev/null; done
			[ -d "$d" ] || break
			sleep 0.1
		done
		[ -d "$d" ] && echo "# cleanup: could not remove $d"
	done
	for p in $(awk -v s="$STATE_DIR/$n/" 'index($5 "/", s) == 1 { print $5 }' /proc/self/mountinfo |
		   sort -r); do
		umount -l "$p" 2>/dev/null
	done
	rm -rf "${STATE_DIR:?}/$n" "$STATE_DIR/$n.lock"
}

# rtc_name SUFFIX: a name of ours, registered for removal; in RTC_NAME.
rtc_name() {
	RTC_NAME=$RTC-$1
	register_cmd "rtc_reap '$RTC_NAME'"
}

# list_get NAME [JQ]: the container's object in `nstop list -J` (or JQ
# applied to it); empty when it is not listed.
list_get() {
	"$NSTOP" list -J 2>/dev/null |
		jq -c --arg n "$1" "first(.. | objects | select(has(\"name\") and .name == \$n and has(\"state\"))) | ${2:-.}" \
		2>/dev/null
}

# wait_state NAME STATE [SECS]: waits until list says STATE.
wait_state() {
	local i
	for i in $(seq $((${3:-10} * 20))); do
		[ "$(list_get "$1" .state)" = "\"$2\"" ] && return 0
		sleep 0.05
	done
	return 1
}

# state_get NAME KEY: KEY of the container's state.json, read as a file;
# empty when it has none.
state_get() {
	jq -r --arg k "$2" '.[$k] // empty' "$STATE_DIR/$1/state.json" 2>/dev/null
}

# run_bg NAME CMD...: a foreground `nstop run --name NAME -- CMD...` as a
# background job (its pid in MON, registered; stdio on /dev/null), waited
# for until its state.json says running, read as a file (no nstop started
# meanwhile: tests that look at what the launch's processes map); false
# when it never does.
MON=
run_bg() {
	local n=$1 i
	shift
	"$NSTOP" run --name "$n" -- "$@" </dev/null >/dev/null 2>&1 &
	MON=$!
	register_pid "$MON"
	for i in $(seq 50); do
		[ "$(state_get "$n" state)" = running ] && return 0
		sleep 0.1
	done
	return 1
}

# init_pid NAME: the host pid of the container's init, from list -J.
init_pid() {
	list_get "$1" '.pid // empty'
}

# The live processes (host pids) in any cgroup whose path contains WORD. A
# zombie is not counted: it holds no cgroup (its /proc/PID/cgroup still names
# the last one until its parent, maybe not ours, reaps it).
procs_in_cgroups_with() {
	local p
	for p in $(grep -l -F -- "$1" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3); do
		[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
		[ -e "/proc/$p" ] && echo "$p"
	done | sort -n
}

# Mount lines (mount point and source) that name WORD: what nstop might leak.
mounts_with() {
	grep -F -- "$1" /proc/self/mountinfo
}

# gone_soon PID: waits (bounded) until PID is gone or a zombie. Unlike
# wait_gone it never blocks in wait on a child of ours that lives on.
gone_soon() {
	local i
	for i in $(seq 100); do
		[ -e "/proc/$1" ] || return 0
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	return 1
}

# assert_gone NAME [PID...]: nothing of the container is left: no state, no
# cgroup in any hierarchy, no process (the PIDs given, or any in its
# cgroups), no mount naming it, and list does not show it.
assert_gone() {
	local n=$1 m left="" p
	shift
	[ -e "$STATE_DIR/$n" ] && left="$left state:$STATE_DIR/$n"
	[ -e "$STATE_DIR/$n.lock" ] && left="$left lock:$STATE_DIR/$n.lock"
	for m in $(cg_mounts); do
		[ -d "$m/$CG_PARENT/$n" ] && left="$left cgroup:$m/$CG_PARENT/$n"
	done
	for p in "$@"; do
		gone_soon "$p" || left="$left pid:$p"
	done
	p=$(procs_in_cgroups_with "/$CG_PARENT/$n" | tr '\n' ' ')
	[ -n "$p" ] && left="$left procs:$p"
	mounts_with "/$n" | grep -q . && left="$left mounts:$(mounts_with "/$n" | awk '{ print $5 }' | tr '\n' ' ')"
	[ -n "$(list_get "$n" .name)" ] && left="$left listed"
	if [ -z "$left" ]; then
		pass "nothing of $n is left"
	else
		fail "nothing of $n is left" "left:$left"
	fi
}

# kv FILE KEY: the value of KEY=VALUE in a probe's output.
kv() {
	sed -n "s/^$2=//p" "$1" | head -1
}

# The stderr of a failed nstop: exactly one line, "nstop: ...".
one_error_line() {
	local f=$1
	[ "$(wc -l <"$f")" -eq 1 ] && grep -q '^nstop: ' "$f"
}
