#!/bin/bash
# --net bridge[:NAME], inside a network namespace of the test's own
# (net-lib.sh): two containers on one bridge reach each other and the
# bridge's address, a third on another bridge reaches neither; the bridge is
# refused when a link of its name is not nstop's; 20 concurrent launches get
# 20 distinct addresses; rm leaves no veth and no allocation.
. "$(dirname "$0")/net-lib.sh"
net_host_enter "$0" "$@"
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd ip jq unshare mount busybox
net_host_setup || cannot_run "cannot make the test's own host namespaces"
ALLOC=$STATE_DIR/.net/alloc
BR=nst-t$$
BR2=nst-u$$
register_cmd "ip link del $BR"
register_cmd "ip link del $BR2"

rtc_name a; A=$RTC_NAME
rtc_name b; B=$RTC_NAME
rtc_name c; C=$RTC_NAME
"$NSTOP" run -d --name "$A" --net "bridge:$BR" -- sleep 300 >/dev/null 2>"$TEST_TMP/made" ||
	fail "a container on a new bridge" "$(cat "$TEST_TMP/made")"
grep -q "made bridge $BR, 10\.[0-9.]*/24" "$TEST_TMP/made" &&
	pass "nstop says which subnet the new bridge took" ||
	fail "nstop says which subnet the new bridge took" "$(cat "$TEST_TMP/made")"
"$NSTOP" run -d --name "$B" --net "bridge:$BR" -- sleep 300 >/dev/null 2>&1 || fail "a second one"
"$NSTOP" run -d --name "$C" --net "bridge:$BR2" -- sleep 300 >/dev/null 2>&1 || fail "a third on another bridge"
addr_of() { awk -v n="$1" '$3 == n { print $2 }' "$ALLOC"; }
gw=$(ip -4 -o addr show dev "$BR" | awk '{ print $4 }' | cut -d/ -f1)
a=$(addr_of "$A"); b=$(addr_of "$B"); c=$(addr_of "$C")
diag "bridge $gw, a $a, b $b, c $c"
isnt "$a" "$b" "two containers, two addresses"
got=$("$NSTOP" run --rm --net container:"$A" -- ip -4 -o addr show dev eth0 2>&1)
case $got in *"$a/24"*) pass "eth0 inside holds the allocated address" ;;
*) fail "eth0 inside holds the allocated address" "$got" ;; esac
got=$("$NSTOP" run --rm --net container:"$A" -- ip route show default 2>&1)
case $got in "default via $gw dev eth0"*) pass "a default route through the bridge" ;;
*) fail "a default route through the bridge" "$got" ;; esac
ping_from() { "$NSTOP" run --rm --net "container:$1" -- busybox ping -c1 -W2 "$2" >/dev/null 2>&1; }
ok "a reaches b" ping_from "$A" "$b"
ok "b reaches a" ping_from "$B" "$a"
ok "a reaches the bridge's address" ping_from "$A" "$gw"
if ping_from "$C" "$a"; then fail "c, on another bridge, does not reach a"
else pass "c, on another bridge, does not reach a"; fi
if ping_from "$A" "$c"; then fail "a does not reach c"
else pass "a does not reach c"; fi

# a link of that name that is not nstop's
ip link add nst-v$$ type veth peer name nst-w$$
register_cmd "ip link del nst-v$$"
err=$("$NSTOP" run --rm --name "$RTC-bad" --net "bridge:nst-v$$" -- true 2>&1 >/dev/null)
rc=$?
if [ $rc = 1 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && [ ! -e "$STATE_DIR/$RTC-bad" ] &&
   [ -z "$(ip -o link show master nst-v$$ 2>/dev/null)" ]; then
	pass "a link not nstop's is refused ($err)"
else
	fail "a link not nstop's is refused" "rc $rc: $err"
fi

# rm: no veth, no allocation
vethb=$(ip -o link show master "$BR" | grep -c .)
is "$vethb" 2 "two host veths on the bridge"
"$NSTOP" rm -f "$A" "$B" "$C" >/dev/null 2>&1
is "$(ip -o link show master "$BR" | grep -c .)" 0 "rm: no veth left on the bridge"
is "$(grep -c -- "$RTC" "$ALLOC")" 0 "rm: no allocation left"

# 20 at once
pids=()
for i in $(seq 20); do
	rtc_name "p$i"
	"$NSTOP" run -d --name "$RTC_NAME" --net "bridge:$BR" -- sleep 300 >/dev/null 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
n=$(grep -- " $RTC-p" "$ALLOC" | awk '{ print $2 }' | sort -u | wc -l)
is "$n" 20 "20 concurrent launches, 20 distinct addresses"
is "$(ip -o link show master "$BR" | grep -c .)" 20 "20 veths on the bridge"
for i in $(seq 20); do "$NSTOP" rm -f "$RTC-p$i" >/dev/null 2>&1; done
is "$(grep -c -- "$RTC" "$ALLOC")" 0 "rm: every allocation freed"
is "$(ip -o link show master "$BR" | grep -c .)" 0 "rm: every veth gone"

done_testing
