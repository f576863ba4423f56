#!/bin/bash
# Isolation in the TUI, against real containers of nstop's: the ISOLATION
# column in the Processes view (configured) and in the Containers view,
# filtering by an exposure id, and the detail pane's section; each checked
# against nstop inspect, which iso-runtimes.sh checks against the kernel.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq

RTC=nstop-test-tuiiso-$$
run_one() {
	local s=$1 n=$RTC-$1
	shift
	register_cmd "rtc_reap '$n'"
	"$NSTOP" run -d --name "$n" "$@" -- sleep 1000 >"$TUI_DIR/run-$s.err" 2>&1 &&
		wait_state "$n" running 10 ||
		cannot_run "nstop run -d $n: $(cat "$TUI_DIR/run-$s.err")"
}
run_one conf
run_one hostnet --net host
CONF=$(children_of "$(init_pid $RTC-conf)" | head -1)
HOSTNET=$(children_of "$(init_pid $RTC-hostnet)" | head -1)
[ -n "$CONF" ] && [ -n "$HOSTNET" ] || cannot_run "the containers' commands did not start"

# set_filter TEXT: the filter prompt, emptied, TEXT typed, Enter.
set_filter() {
	local i
	tui_keys '\'
	sleep 0.2
	for i in $(seq 40); do tui_keys BSpace; done
	[ -n "$1" ] && tui_type "$1"
	tui_keys Enter
	[ -z "$1" ] || tui_wait "filter: $1" 3
}

mkdir -p "$TUI_DIR/xdg/nstop"
echo "columns = pid,user,isolation,cmdline" >"$TUI_DIR/xdg/nstop/config"
tui_start "XDG_CONFIG_HOME=$TUI_DIR/xdg" -- -d 1
tui_expect ISOLATION "the ISOLATION column is shown when configured"

# The Processes view, filtered by an exposure id: the --net host
# container's command is in (among the host's own processes: a search
# brings it into sight), the confined one's is not.
set_filter host-net
tui_keys F3
sleep 0.2
tui_type "$HOSTNET"
tui_keys Enter
tui_expect " $HOSTNET " "filter host-net: the --net host container's command is in"
ok "filter host-net: the confined container's command is out" sh -c "! tmux -L $TUI_SOCK capture-pane -p -t 0 | grep -q ' $CONF '"
line=$(tui_line " $HOSTNET ")
is "$(awk '{ print $3, $4 }' <<<"$line")" "3 host-root" \
	"its cell: the count and the worst, as nstop inspect has them ($("$NSTOP" inspect -J "$HOSTNET" | jq -r '[.isolation.exposures[].id] | join(",")'))"

# The detail pane: its exposures, from nstop inspect's.
set_filter "$HOSTNET"
tui_keys d
tui_expect "Isolation" "the detail pane has an Isolation section"
for id in host-net host-root host-user; do
	tui_expect "  $id" "the detail pane names $id"
done
ok "the detail pane does not name no-seccomp" sh -c "! tmux -L $TUI_SOCK capture-pane -p -t 0 | grep -q '^ *no-seccomp'"
tui_keys d

# The Containers view: the union's summary, and the filter there.
set_filter host-net
tui_keys Tab Tab Tab
tui_expect "$RTC-hostnet" "Containers view, filter host-net: the --net host container is in"
ok "Containers view, filter host-net: the confined one is out" sh -c "! tmux -L $TUI_SOCK capture-pane -p -t 0 | grep -q '$RTC-conf '"
line=$(tui_line "$RTC-hostnet")
ok "its ISOLATION cell: 3 host-root" grep -q "3 host-root" <<<"$line"
set_filter ""
tui_wait "$RTC-conf " 5
ok "the confined one's cell: 2 host-root" grep -q "2 host-root" <<<"$(tui_line "$RTC-conf ")"
tui_keys F10
is "$(tui_status)" 0 "nstop exits 0"
done_testing
