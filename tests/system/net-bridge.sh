#!/bin/bash
# --net bridge[:NAME] and --nat, inside a network namespace of the test's own
# (net-lib.sh): two containers on one bridge reach each other and the
# bridge's address, a third on another bridge reaches neither; --nat lets a
# container reach an "outside" namespace that has no route back to the
# subnet; rm leaves no veth, address, nftables table or allocation, and a
# run --rm without a bridge does not touch the allocation; 50
# concurrent launches get 50 distinct addresses; bad input (a link of the
# name that is not nstop's, --nat without a bridge, an exhausted subnet) gets
# one line and leaves nothing.
. "$(dirname "$0")/net-lib.sh"
net_host_enter "$0" "$@"
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd ip jq unshare mount perl nft timeout
net_host_setup || cannot_run "cannot make the test's own host namespaces"
ALLOC=$STATE_DIR/.net/alloc
BR=nst-t$$
BR2=nst-u$$
register_cmd "ip link del $BR"
register_cmd "ip link del $BR2"
# a launch that hangs (a netlink reply never read) fails here, not the run
T="timeout -s KILL 30"

rtc_name a; A=$RTC_NAME
rtc_name b; B=$RTC_NAME
rtc_name c; C=$RTC_NAME
$T "$NSTOP" run -d --name "$A" --net "bridge:$BR" -- sleep 300 >/dev/null 2>"$TEST_TMP/made" ||
	fail "a container on a new bridge" "$(cat "$TEST_TMP/made")"
grep -q "made bridge $BR, 10\.[0-9.]*/24" "$TEST_TMP/made" &&
	pass "nstop says which subnet the new bridge took" ||
	fail "nstop says which subnet the new bridge took" "$(cat "$TEST_TMP/made")"
$T "$NSTOP" run -d --name "$B" --net "bridge:$BR" -- sleep 300 >/dev/null 2>&1 || fail "a second one"
$T "$NSTOP" run -d --name "$C" --net "bridge:$BR2" -- sleep 300 >/dev/null 2>&1 || fail "a third on another bridge"
TABLE=nstop_$(printf %s "$BR" | tr .- __)
ok "the bridge's own nftables table keeps other bridges out" nft list chain ip "$TABLE" forward
if nft list chain ip "$TABLE" postrouting >/dev/null 2>&1; then fail "no masquerading without --nat"
else pass "no masquerading without --nat"; fi
addr_of() { awk -v n="$1" '$3 == n { print $2 }' "$ALLOC"; }
gw=$(ip -4 -o addr show dev "$BR" | awk '{ print $4 }' | cut -d/ -f1)
gw2=$(ip -4 -o addr show dev "$BR2" | awk '{ print $4 }' | cut -d/ -f1)
a=$(addr_of "$A"); b=$(addr_of "$B"); c=$(addr_of "$C")
diag "bridge $gw, a $a, b $b; bridge2 $gw2, c $c"
isnt "$a" "$b" "two containers, two addresses"
isnt "$gw" "$gw2" "two bridges, two subnets"
# A container without a bridge has no address to give back: its run --rm
# neither rewrites nor fsyncs the allocation (same inode, mtime, content).
alloc_stamp() { stat -c '%i %y' "$ALLOC"; md5sum <"$ALLOC"; }
before=$(alloc_stamp)
$T "$NSTOP" run --rm --name "$RTC-nobr" -- true >/dev/null 2>"$TEST_TMP/nobr.err" ||
	fail "run --rm without a bridge" "$(cat "$TEST_TMP/nobr.err")"
is "$(alloc_stamp)" "$before" "run --rm without --net bridge leaves $ALLOC untouched"
$T "$NSTOP" run -d --name "$RTC-nobr2" -- sleep 60 >/dev/null 2>"$TEST_TMP/nobr.err" ||
	fail "run -d without a bridge" "$(cat "$TEST_TMP/nobr.err")"
$T "$NSTOP" rm -f "$RTC-nobr2" 2>"$TEST_TMP/nobr.err" ||
	fail "rm -f of a container without a bridge" "$(cat "$TEST_TMP/nobr.err")"
is "$(alloc_stamp)" "$before" "rm -f of a container without --net bridge leaves $ALLOC untouched"
got=$($T "$NSTOP" run --rm --net container:"$A" -- ip -4 -o addr show dev eth0 2>&1)
case $got in *"$a/24"*) pass "eth0 inside holds the allocated address" ;;
*) fail "eth0 inside holds the allocated address" "$got" ;; esac
got=$($T "$NSTOP" run --rm --net container:"$A" -- ip route show default 2>&1)
case $got in "default via $gw dev eth0"*) pass "a default route through the bridge" ;;
*) fail "a default route through the bridge" "$got" ;; esac
got=$(jq -c '[.net, .net_name]' "$STATE_DIR/$A/state.json" 2>&1)
is "$got" "[\"bridge\",\"$BR\"]" "state.json records the bridge"
got=$("$NSTOP" list -J | jq -c --arg n "$A" '.containers[] | select(.name == $n) | .network | [.mode, .name, (.addresses | map(select(startswith("fe80") | not))), .host_veth]')
case $got in "[\"bridge\",\"$BR\",[\"$a/24\"],\"nsv"*) pass "list -J: network {mode, name, addresses, host_veth} ($got)" ;;
*) fail "list -J: network {mode, name, addresses, host_veth}" "$got" ;; esac
hv=$(jq -r '.[3]' <<<"$got")
ok "the host_veth is on the bridge" test "$(ip -j link show "$hv" | jq -r '.[0].master')" = "$BR"
got=$("$NSTOP" list | awk -v n="$A" '$1 == n { print $(NF - 1), $NF }')
is "$got" "$a/24 $hv" "nstop list: ADDRESSES and VETH"
# An ICMP echo from inside container $1 to $2 through an ICMP datagram
# socket (what iputils' ping uses without CAP_NET_RAW, which the sandbox
# drops; busybox's ping wants a raw socket): 0 when the reply comes.
PING_PL='use Socket;
socket(my $s, PF_INET, SOCK_DGRAM, 1) or die "socket: $!\n";
send($s, pack("CCnnn", 8, 0, 0, 0, 1) . "nstop", 0, pack_sockaddr_in(0, inet_aton($ARGV[0])))
	or die "send: $!\n";
my $in = ""; vec($in, fileno($s), 1) = 1;
select(my $r = $in, undef, undef, 2) > 0 or die "no reply\n";
recv($s, my $b, 1500, 0); exit(unpack("C", $b) == 0 ? 0 : 1);'
ping_from() { $T "$NSTOP" run --rm --net "container:$1" -- perl -e "$PING_PL" "$2" >/dev/null 2>"$TEST_TMP/ping.err"; }
ok "a reaches b" ping_from "$A" "$b" || diag "$(cat "$TEST_TMP/ping.err")"
ok "b reaches a" ping_from "$B" "$a"
ok "a reaches the bridge's address" ping_from "$A" "$gw"
if ping_from "$C" "$a"; then fail "c, on another bridge, does not reach a"
else pass "c, on another bridge, does not reach a"; fi
if ping_from "$A" "$c"; then fail "a does not reach c"
else pass "a does not reach c"; fi

# --nat: an outside namespace at 192.0.2.1 with no route to the subnets
OUT=nstop-test-out-$$
register_cmd "ip netns del $OUT"
ip netns add "$OUT" && ip link add nst-o$$ type veth peer name up0 netns "$OUT" &&
	ip addr add 192.0.2.2/24 dev nst-o$$ && ip link set nst-o$$ up &&
	ip -n "$OUT" addr add 192.0.2.1/24 dev up0 && ip -n "$OUT" link set up0 up &&
	ip -n "$OUT" link set lo up || fail "an outside namespace"
if ping_from "$A" 192.0.2.1; then fail "without --nat the outside is not reached"
else pass "without --nat the outside is not reached"; fi
rtc_name n; N=$RTC_NAME
$T "$NSTOP" run -d --name "$N" --net "bridge:$BR" --nat -- sleep 300 >/dev/null 2>"$TEST_TMP/nat.err" ||
	fail "--nat" "$(cat "$TEST_TMP/nat.err")"
ok "--nat: masquerading in the bridge's table" nft list chain ip "$TABLE" postrouting
ok "--nat: the outside is reached" ping_from "$N" 192.0.2.1
if ping_from "$N" "$c"; then fail "--nat: the other bridge's container is not reached"
else pass "--nat: the other bridge's container is not reached"; fi
$T "$NSTOP" rm -f "$N" >/dev/null 2>&1
ok "the table stays while containers remain on the bridge" nft list table ip "$TABLE"

# a link of that name that is not nstop's
ip link add nst-v$$ type veth peer name nst-w$$
register_cmd "ip link del nst-v$$"
err=$($T "$NSTOP" run --rm --name "$RTC-bad" --net "bridge:nst-v$$" -- true 2>&1 >/dev/null)
rc=$?
if [ $rc = 1 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && [ ! -e "$STATE_DIR/$RTC-bad" ] &&
   [ -z "$(ip -o link show master nst-v$$ 2>/dev/null)" ] && [ "$(grep -c -- "$RTC-bad" "$ALLOC")" = 0 ]; then
	pass "a link not nstop's is refused ($err)"
else
	fail "a link not nstop's is refused" "rc $rc: $err"
fi
err=$("$NSTOP" run --rm --net none --nat -- true 2>&1 >/dev/null)
is "$?" 2 "--nat without --net bridge: a usage error ($err)"

# every subnet of the pool overlaps a route: refused, no bridge made
ip route add blackhole 10.88.0.0/13 && ip route add blackhole 10.96.0.0/14 || fail "routes"
err=$($T "$NSTOP" run --rm --name "$RTC-ovl" --net "bridge:nst-o2$$" -- true 2>&1 >/dev/null)
rc=$?
if [ $rc = 1 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && [ ! -e "$STATE_DIR/$RTC-ovl" ] &&
   ! ip link show "nst-o2$$" >/dev/null 2>&1 && [ "$(grep -c -- "$RTC-ovl" "$ALLOC")" = 0 ]; then
	pass "every subnet overlapping a route is refused ($err)"
else
	fail "every subnet overlapping a route is refused" "rc $rc: $err"
fi
ip route del blackhole 10.88.0.0/13; ip route del blackhole 10.96.0.0/14

# rm: no veth, no address, no table, no allocation
is "$(ip -o link show master "$BR" | grep -c .)" 2 "two host veths on the bridge"
for n in "$A" "$B" "$C"; do $T "$NSTOP" rm -f "$n" >/dev/null 2>&1; done
is "$(ip -o link show master "$BR" | grep -c .)" 0 "rm: no veth left on the bridge"
is "$(ip -o link show master "$BR2" | grep -c .)" 0 "rm: no veth left on the other bridge"
is "$(grep -c -- "$RTC" "$ALLOC")" 0 "rm: no allocation left"
is "$(ip -4 -o addr show | grep -c 'nsv')" 0 "rm: no address on a host veth"
if nft list table ip "$TABLE" >/dev/null 2>&1; then fail "rm of the last container: the table is gone"
else pass "rm of the last container: the table is gone"; fi

# forwarding on in the test's host (as on a Docker host): still no way
# between the bridges
echo 1 >/proc/sys/net/ipv4/ip_forward
if ping_from "$C" "$a"; then fail "ip_forward on: c still does not reach a"
else pass "ip_forward on: c still does not reach a"; fi

# a crashed launch: an allocation whose init is dead is handed out again
echo "$BR 10.0.0.0 $RTC-ghost 999999999 1" >>"$ALLOC" 2>/dev/null
gw_net=${gw%.*}
echo "$BR $gw_net.2 $RTC-dead 2147483646 1" >>"$ALLOC"
rtc_name r; R=$RTC_NAME
$T "$NSTOP" run -d --name "$R" --net "bridge:$BR" -- sleep 300 >/dev/null 2>&1 || fail "after a crash"
is "$(addr_of "$R")" "$gw_net.2" "a dead init's address is reclaimed"
is "$(grep -c -- "$RTC-dead\|$RTC-ghost" "$ALLOC")" 0 "its line is dropped"
$T "$NSTOP" rm -f "$R" >/dev/null 2>&1

# 50 at once
pids=()
for i in $(seq 50); do
	rtc_name "p$i"
	$T "$NSTOP" run -d --name "$RTC_NAME" --net "bridge:$BR" -- sleep 300 >/dev/null 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
n=$(grep -- " $RTC-p" "$ALLOC" | awk '{ print $2 }' | sort -u | wc -l)
is "$n" 50 "50 concurrent launches, 50 distinct addresses"
is "$(ip -o link show master "$BR" | grep -c .)" 50 "50 veths on the bridge"
for i in $(seq 50); do $T "$NSTOP" rm -f "$RTC-p$i" >/dev/null 2>&1; done
is "$(grep -c -- "$RTC" "$ALLOC")" 0 "rm: every allocation freed"
is "$(ip -o link show master "$BR" | grep -c .)" 0 "rm: every veth gone"

# an exhausted subnet: a /29 bridge of nstop's has 5 addresses for containers
BR3=nst-x$$
register_cmd "ip link del $BR3"
ip link add "$BR3" type bridge && ip link set "$BR3" alias nstop &&
	ip addr add 10.77.0.1/29 dev "$BR3" && ip link set "$BR3" up || fail "a small bridge"
for i in 1 2 3 4 5; do
	rtc_name "s$i"
	$T "$NSTOP" run -d --name "$RTC_NAME" --net "bridge:$BR3" -- sleep 300 >/dev/null 2>&1 ||
		fail "address $i of 5"
done
rtc_name s6
err=$($T "$NSTOP" run -d --name "$RTC_NAME" --net "bridge:$BR3" -- sleep 300 2>&1 >/dev/null)
rc=$?
if [ $rc = 1 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && [ ! -e "$STATE_DIR/$RTC_NAME" ] &&
   [ "$(ip -o link show master "$BR3" | grep -c .)" = 5 ] && [ "$(grep -c -- "$RTC_NAME" "$ALLOC")" = 0 ]; then
	pass "an exhausted subnet is refused ($err)"
else
	fail "an exhausted subnet is refused" "rc $rc: $err"
fi
# isolation whatever the subnets: two bridges of nstop's outside its pool
# (10.77.0.0/29 above, 10.78.0.0/29 here), forwarding on: no way between them
BR4=nst-y$$
register_cmd "ip link del $BR4"
ip link add "$BR4" type bridge && ip link set "$BR4" alias nstop &&
	ip addr add 10.78.0.1/29 dev "$BR4" && ip link set "$BR4" up || fail "a bridge outside the pool"
rtc_name t1; T1=$RTC_NAME
$T "$NSTOP" run -d --name "$T1" --net "bridge:$BR4" -- sleep 300 >/dev/null 2>&1 ||
	fail "a container on a bridge outside the pool"
s1=$(addr_of "$RTC-s1"); t1=$(addr_of "$T1")
ok "on a bridge outside the pool, containers reach their bridge" ping_from "$T1" 10.78.0.1
if ping_from "$RTC-s1" "$t1"; then fail "bridges outside the pool: $s1 does not reach $t1"
else pass "bridges outside the pool: $s1 does not reach $t1"; fi
if ping_from "$T1" "$s1"; then fail "bridges outside the pool: $t1 does not reach $s1"
else pass "bridges outside the pool: $t1 does not reach $s1"; fi
$T "$NSTOP" rm -f "$T1" >/dev/null 2>&1
for i in 1 2 3 4 5; do $T "$NSTOP" rm -f "$RTC-s$i" >/dev/null 2>&1; done
is "$(grep -c -- "$RTC" "$ALLOC")" 0 "rm: the small bridge's allocations freed"
is "$(nft list tables | grep -c ' nstop_')" 0 "rm of every container: no table of nstop's left"

done_testing
