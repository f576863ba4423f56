#!/bin/bash
# The views in a real terminal: the header against the kernel's own files,
# the Processes view (filter, search, sort, tree) on processes we started,
# the Namespaces view against /proc/PID/ns, the Cgroups view on a cgroup we
# made (limit, frozen, effective limit in the detail pane), and the view
# from a process in a cgroup namespace of its own, as cgroup_namespaces(7)
# says it sees the paths.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare setpriv nsenter jq
MEM=$(cg_v1_mount memory)
[ -n "$MEM" ] || MEM=$(cg_v2_mount)
[ -n "$MEM" ] && [ -e "$MEM/cgroup.procs" ] || cannot_run "no memory cgroup hierarchy"
find_freezer || cannot_run "no freezer"
if [ -e "$MEM/memory.limit_in_bytes" ] || [ -e "$MEM/memory.max" ] || true; then :; fi

CG=nstop-test-tui-$$
# A container of nstop's own for the Containers view.
"$NSTOP" run -d --name "$CG-ctr" --memory 64M --cpus 0.5 -- sleep 1000 >/dev/null ||
	cannot_run "nstop run cannot start a container"
register_cmd "'$NSTOP' rm -f '$CG-ctr' >/dev/null 2>&1"
cg_make "$MEM/$CG" || cannot_run "cannot make a memory cgroup"
cg_make "$MEM/$CG/sub"
if [ -e "$MEM/$CG/memory.limit_in_bytes" ]; then
	echo $((64 << 20)) >"$MEM/$CG/memory.limit_in_bytes"
else
	echo $((64 << 20)) >"$MEM/$CG/memory.max"
fi
[ "$FRZ_MNT" = "$MEM" ] || cg_make "$FRZ_MNT/$CG"

# A sleeper in the sub cgroup with a cgroup namespace of its own (rooted at
# sub), another one with a net namespace of its own, and a shell with a child.
spawn_bg sh -c 'echo $$ >"$0/cgroup.procs" && exec unshare -C sleep 1000.111' "$MEM/$CG/sub"
VIEWER=$SPAWNED
spawn_bg unshare -n sleep 1000.222
NETTER=$SPAWNED
spawn_bg sh -c 'sleep 1000.333 & wait'
PARENT=$SPAWNED
wait_comm "$VIEWER" sleep && wait_comm "$NETTER" sleep && wait_children "$PARENT" 1 ||
	cannot_run "the helper processes did not start"
CHILD=${KIDS%% *}
[ "$FRZ_MNT" = "$MEM" ] || cg_move "$NETTER" "$FRZ_MNT/$CG"
NETNS=$(ns_inode "$NETTER" net)

tui_start -- -d 0.5

# ---- header
tui_expect "nstop on $(hostname)" "header: the host name"
MODE=$("$NSTOP" -b -n 1 -J | jq -r .host.cgroup_mode)
tui_expect "cgroups $MODE" "header: the cgroup mode ($MODE)"
tui_expect "every 0.5s" "header: the refresh interval from -d"
tui_expect " privileged" "header: privileged as root"
NPROC=$(tui_screen | sed -n 's/^ \([0-9]*\) processes.*/\1/p' | head -1)
REAL=$(ls /proc | grep -c '^[0-9]')
# Other processes come and go meanwhile: within 15 or 2%.
TOL=$((REAL / 50 > 15 ? REAL / 50 : 15))
if [ -n "$NPROC" ] && [ $((NPROC - REAL)) -le $TOL ] && [ $((REAL - NPROC)) -le $TOL ]; then
	pass "header: the process count ($NPROC) is /proc's ($REAL)"
else
	fail "header: the process count" "shown '$NPROC', /proc has $REAL"
fi
tui_expect "Processes   Namespaces   Cgroups   Containers" "the views as tabs"

# ---- processes: filter, search, tree, sort
tui_keys '\'
tui_type 1000.222
tui_keys Enter
tui_expect "sleep 1000.222" "filter: the matching process is shown"
tui_expect_gone "sleep 1000.111" "filter: others are hidden"
LINE=$(tui_line "sleep 1000.222")
is "$(awk '{ print $1 }' <<<"$LINE")" "$NETTER" "filter: the row's PID is the process's"
case $LINE in *" $NETNS "*) pass "processes: the NETNS column is /proc/PID/ns/net's inode" ;;
	*) fail "processes: the NETNS column" "want $NETNS in: $LINE" ;; esac
tui_keys F4
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
tui_expect_gone "filter: " "filter: emptied, the header shows none"
# (one capture may catch the table half drawn: a few looks)
for _ in $(seq 20); do
	ROWS=$(tui_screen | grep -cE '^ +[0-9]+ ')
	[ "$ROWS" -ge 30 ] && break
	sleep 0.2
done
[ "$ROWS" -ge 30 ] && pass "filter: emptied, the table is full again ($ROWS rows)" ||
	fail "filter: emptied, the table is full again" "$(tui_screen)"

tui_keys /
tui_type 1000.333
tui_keys Enter d
# The shell's command line ("sh -c sleep 1000.333 & wait") matches first.
tui_expect "Detail: process $PARENT (sh)" "search: the cursor is on the first match (detail pane names it)"
tui_keys n
tui_expect "Detail: process $CHILD (sleep)" "search: n goes to the next match"
tui_keys S-F3
tui_expect "Detail: process $PARENT (sh)" "search: Shift-F3 goes back (htop's N sorts by PID)"
tui_keys d

# The tree, filtered to the two (the filter keeps the tree of what matches).
tui_keys '\'
tui_type 1000.333
tui_keys Enter F5
tui_expect "tree" "F5: tree mode is shown on the tab line"
tui_expect "\`- sleep 1000.333" "tree: the child is drawn with a branch"
PROW=$(tui_row_of "sh -c sleep 1000.333")
CROW=$(tui_row_of "\`- sleep 1000.333")
if [ -n "$PROW" ] && [ -n "$CROW" ] && [ "$CROW" -eq $((PROW + 1)) ]; then
	pass "tree: the parent's row is right above the child's"
else
	fail "tree: the parent above the child" "parent row '$PROW', child row '$CROW'" "$(tui_screen)"
fi
tui_keys t
tui_expect_gone "\`- sleep 1000.333" "t: tree mode off again"
tui_keys Escape
tui_expect_gone "filter: " "Esc clears the filter"

# The detail pane of a process: its cgroups in every hierarchy, each
# labelled, and what the kernel allows it (the limit its parent set).
MEMLAB=$("$NSTOP" -b -n 1 -J | jq -r --arg m "$MEM" '.host.hierarchies[] | select(.mount == $m)
	| if .version == "v2" then "cgroup2" else .controllers end')
tui_keys '\'
tui_type 1000.111
tui_keys Enter d
tui_expect "Detail: process $VIEWER (sleep)" "detail: the process"
tui_expect "[$MEMLAB] /$CG/sub" "detail of a process: its cgroup in the memory hierarchy, labelled: [$MEMLAB] /$CG/sub"
tui_expect "effective limit 64M (an ancestor's)" "detail of a process: the limit its parent set"
tui_keys d Escape
tui_expect_gone "filter: " "Esc clears the filter"

tui_keys '>'
tui_expect "Sort by" "> opens the sort menu, as htop's"
tui_keys Down Enter
tui_expect "Sorted by" "the menu's Enter sorts by the chosen column"
tui_keys F6 Enter I
tui_keys '<' Enter
tui_wait "Sorted by"

# Sort by PID through a click on its title: the smallest PID comes first.
TROW=$(tui_row_of "    PID USER")
tui_click 4 "$TROW"
tui_expect "Sorted by PID" "click on a column title sorts by it"
FIRST=$(tui_screen | sed -n "$((TROW + 2))p" | awk '{ print $1 }')
tui_click 4 "$TROW"
# the inverted order once drawn: up to 10 s (under load, or ASan, a refresh
# can take longer than a fixed pause)
for ((i = 0; i < 50; i++)); do
	SECOND=$(tui_screen | sed -n "$((TROW + 2))p" | awk '{ print $1 }')
	[ -n "$SECOND" ] && [ "$SECOND" != "$FIRST" ] && break
	sleep 0.2
done
if [ -n "$FIRST" ] && [ -n "$SECOND" ] && [ "$FIRST" -ne "$SECOND" ]; then
	pass "a second click inverts the order ($FIRST, then $SECOND first)"
else
	fail "a second click inverts the order" "first '$FIRST', then '$SECOND'"
fi

# ---- namespaces
tui_keys Tab
tui_expect "TYPE           NS  NPROCS" "Tab: the Namespaces view"
# Found by search: on a busy host it may be far down the list.
tui_keys /
tui_type "$NETNS"
tui_keys Enter
tui_expect "net    $NETNS       1" "namespaces: our net namespace, one process"
tui_keys Right Down
tui_expect "$NETTER root      \`- sleep 1000.222" "namespaces: Right expands a namespace to its processes"
tui_keys Left Left
tui_expect_gone "\`- sleep 1000.222" "namespaces: Left goes to the namespace, Left again collapses it"

# ---- cgroups
tui_keys Tab
tui_expect " NPROCS    CPU%     MEM MEMLIMIT" "Tab: the Cgroups view"
tui_keys '\'
tui_type "$CG"
tui_keys Enter
tui_expect "$CG" "cgroups: the cgroup we made is in the tree"
LINE=$(tui_screen | grep -F -- "$CG" | grep -m1 64M)
case $LINE in *64M*) pass "cgroups: its memory limit (64M)" ;;
	*) fail "cgroups: its memory limit" "$(tui_screen)" ;; esac
if [ "$FRZ_MNT" != "$MEM" ]; then
	cg_freeze "$FRZ_MNT/$CG"
	tui_expect "yes     $CG" "cgroups: frozen is shown (FROZEN yes)"
	cg_thaw "$FRZ_MNT/$CG"
	tui_expect "no      $CG" "cgroups: thawed is shown (FROZEN no)"
fi
tui_keys /
tui_type "$CG/sub"
tui_keys Enter d
tui_expect "effective limit 64M" "detail: the effective limit from the parent"
tui_expect "memory now " "detail: the memory plot"
tui_keys d p
tui_expect "/$CG/sub" "p: full paths in the Cgroups view"
tui_keys p Escape
tui_keys Tab
# Other containers may exist on a shared host: ours must be listed, with
# its state and limit as the runtime reports them.
tui_expect "$CG-ctr " "Tab: the Containers view lists our container"
LINE=$(tui_line "$CG-ctr ")
case $LINE in
*running*64M*0.50*) pass "containers: its state, memory limit and cpus" ;;
*) fail "containers: its state, memory limit and cpus" "line: $LINE" ;;
esac
"$NSTOP" freeze "$CG-ctr" >/dev/null 2>&1
for i in $(seq 50); do
	case $(tui_line "$CG-ctr ") in *frozen*) break ;; esac
	sleep 0.1
done
case $(tui_line "$CG-ctr ") in
*frozen*) pass "containers: a frozen one shows frozen" ;;
*) fail "containers: a frozen one shows frozen" "line: $(tui_line "$CG-ctr ")" ;;
esac
"$NSTOP" thaw "$CG-ctr" >/dev/null 2>&1
tui_keys BTab BTab BTab
tui_expect "    PID USER" "Shift-Tab goes back to Processes"
ROW=$(tui_row_of " Namespaces ")
tui_click 16 "$ROW"
tui_expect "TYPE           NS  NPROCS" "a click on a tab switches the view"
tui_click 3 "$ROW"
tui_expect "    PID USER" "a click on the Processes tab"

# ---- view from
tui_keys '\'
tui_type 1000.111
tui_keys Enter v
tui_expect "VIEW FROM PID $VIEWER (sleep)" "v: the view-from banner names the process"
CGNS=$(ns_inode "$VIEWER" cgroup)
tui_expect "cgroup namespace $CGNS" "view-from: the banner names its cgroup namespace"
tui_expect "VIEWCGROUP" "view-from: the cgroup column is the view's"
LINE=$(tui_line "sleep 1000.111")
case $LINE in *" / "*) pass "view-from: the viewer's own cgroup is / to itself" ;;
	*) fail "view-from: the viewer's own cgroup" "$LINE" ;; esac
tui_keys F4 C-u
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
# The memory hierarchy's tree as the viewer sees it: its parent is /..
tui_keys Tab Tab
want=$(nsenter -t "$VIEWER" -C cat /proc/self/cgroup | grep -m1 memory | cut -d: -f3)
tui_expect "/.." "view-from: the parent of its namespace's root is /.."
KPATH=$(nsenter -t "$VIEWER" -C sh -c "cat /proc/$NETTER/cgroup" | awk -F: '$2 ~ /(^|,)memory(,|$)/ || $1 == 0 { print $3; exit }')
tui_keys /
tui_type "${KPATH##*/}"
tui_keys Enter
tui_expect "$KPATH" "view-from: a cgroup outside is what the kernel shows the viewer ($KPATH)"
tui_keys V
tui_expect_gone "VIEW FROM" "V: back to the host's view"
tui_keys v
tui_keys Tab Tab
tui_keys Escape
tui_expect_gone "VIEW FROM" "Esc: back to the host's view"

tui_keys q
is "$(tui_status)" 0 "q quits with status 0"
ok "the terminal is restored after q" tui_terminal_sane

done_testing
