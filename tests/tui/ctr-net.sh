#!/bin/bash
# The Containers view's ADDRESSES and VETH columns (issue 17), inside a
# network and mount namespace of the test's own (net-lib.sh: nothing touches
# the machine's network): a container on a bridge the test makes there shows
# its address and its host-side veth, as `nstop list -J` gives them; one with
# --net none shows "-" in both.
. "$(dirname "$0")/../system/net-lib.sh"
net_host_enter "$0" "$@"
. "$(dirname "$0")/lib.sh"
# shellcheck source=../system/rt-lib.sh
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd ip jq unshare mount timeout
net_host_setup || cannot_run "cannot make the test's own host namespaces"
RTC=nstop-test-tuinet-$$
BR=nst-v$$
register_cmd "ip link del $BR"
T="timeout -s KILL 30"

rtc_name br; A=$RTC_NAME
rtc_name none; N=$RTC_NAME
$T "$NSTOP" run -d --name "$A" --net "bridge:$BR" -- sleep 300 >/dev/null 2>"$TUI_DIR/run.err" ||
	cannot_run "a container on a bridge: $(cat "$TUI_DIR/run.err")"
$T "$NSTOP" run -d --name "$N" --net none -- sleep 300 >/dev/null 2>"$TUI_DIR/run.err" ||
	cannot_run "a container with --net none: $(cat "$TUI_DIR/run.err")"
wait_state "$A" running 10 && wait_state "$N" running 10 || cannot_run "the containers did not start"
addr=$(list_get "$A" '.network.addresses | map(select(startswith("fe80") | not)) | join(",")' | tr -d '"')
veth=$(list_get "$A" .network.host_veth | tr -d '"')
case $addr in 10.*/24) ;; *) cannot_run "nstop list -J gives no address for $A: '$addr'" ;; esac
[ -n "$veth" ] && [ "$veth" != null ] || cannot_run "nstop list -J gives no veth for $A"

tui_start
tui_expect "    PID USER" "nstop starts"
tui_keys BTab
tui_expect_re "^NAME +STATE +PID +MEMLIMIT" "Shift-Tab: the Containers view"
tui_expect_re "ISOLATION +ADDRESSES +VETH( |$)" "its titles: ADDRESSES and VETH after ISOLATION"

# cell ROW_TEXT TITLE WIDTH: the cell under TITLE in the row holding ROW_TEXT.
cell() {
	local head row pre
	head=$(tui_line "ADDRESSES")
	pre=${head%%"$2"*}
	row=$(tui_line "$1 ")
	row=${row:${#pre}:$3}
	printf '%s' "${row%"${row##*[! ]}"}"
}
tui_wait "$A " 5
is "$(cell "$A" ADDRESSES 18)" "$addr" "a container on a bridge: its address under ADDRESSES"
is "$(cell "$A" VETH 15)" "$veth" "  and its host-side veth under VETH"
ok "  that veth is on the test's bridge" test "$(ip -j link show "$veth" | jq -r '.[0].master')" = "$BR"
is "$(cell "$N" ADDRESSES 18)" "-" "--net none: ADDRESSES is -"
is "$(cell "$N" VETH 15)" "-" "  and VETH is -"
tui_keys q
is "$(tui_status)" 0 "q quits"
done_testing
