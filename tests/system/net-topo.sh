#!/bin/bash
# The topology in `nstop -b -J`: for each net namespace, its interfaces
# (name, kind, state, addresses, a veth's peer namespace and name) as
# `ip -j -d link` and `ip -j addr` inside that namespace show them. All
# inside a network namespace of the test's own (net-lib.sh): four
# namespaces (the test's "host", red, blue, and green, which no process is
# in: `ip netns add` holds it by a bind mount alone) joined by veth pairs;
# then violet, which only an open descriptor holds.
. "$(dirname "$0")/net-lib.sh"
net_host_enter "$0" "$@"
. "$NSTOP_TESTLIB"

require_root
require_cmd ip jq unshare mount nsenter
net_host_setup || cannot_run "cannot make the test's own host namespaces"

ip netns attach host0 $$ && ip netns add red && ip netns add blue && ip netns add green ||
	fail "namespaces"
ip link add h-red type veth peer name r-host netns red &&
	ip -n red link add r-blue type veth peer name b-red netns blue &&
	ip link add br9 type bridge &&
	ip addr add 10.61.0.1/24 dev h-red && ip link set h-red up &&
	ip -n red addr add 10.61.0.2/24 dev r-host && ip -n red link set r-host up &&
	ip -n red addr add 10.62.0.1/30 dev r-blue && ip -n red link set r-blue up &&
	ip -n blue addr add 10.62.0.2/30 dev b-red && ip -n blue link set b-red up &&
	ip -n blue link set lo up &&
	ip link add h-green type veth peer name g-host netns green &&
	ip link set h-green up &&
	ip -n green addr add 10.63.0.2/24 dev g-host && ip -n green link set g-host up ||
	fail "links"
# a process in red and blue, so the scan sees them through it; none in green
for ns in red blue; do
	ip netns exec "$ns" sleep 300 &
	register_pid $!
done
sleep 2		# operstates settle (linkwatch)

NSS="host0 red blue green"
ino() { stat -L -c %i "/run/netns/$1"; }
# ip's view of namespace $1 in the shape of nstop's interfaces[]
ip_view() {
	local ns=$1 ids
	ids=$(ip -n "$ns" -j netns list-id | jq -c --argjson m "$(
		for n in $NSS; do printf '{"%s":%s}\n' "$n" "$(ino "$n")"; done | jq -s add
	)" 'map({key: (.nsid | tostring), value: $m[.name]}) | from_entries')
	local self; self=$(ino "$ns")
	local peers='{}'
	for other in $NSS; do
		peers=$(jq -c --arg n "$(ino "$other")" --argjson l "$(ip -n "$other" -j link)" \
			'. + {($n): ($l | map({key: (.ifindex | tostring), value: .ifname}) | from_entries)}' <<<"$peers")
	done
	jq -c --argjson addr "$(ip -n "$ns" -j addr)" --argjson ids "$ids" --argjson peers "$peers" \
	      --arg self "$self" '
		[ .[] | . as $l | {
			name: .ifname,
			kind: (.linkinfo.info_kind // null),
			state: .operstate,
			addresses: [ $addr[] | select(.ifindex == $l.ifindex) | .addr_info[] |
				     "\(.local)/\(.prefixlen)" ],
			peer: (if (.linkinfo.info_kind // "") != "veth" then null
			       elif .link_netnsid != null then
				 { netns: ($ids[.link_netnsid | tostring]),
				   name: $peers[($ids[.link_netnsid | tostring] | tostring)][.link_index | tostring] }
			       else { netns: ($self | tonumber), name: .link } end)
		} ] | sort_by(.name)' <<<"$(ip -n "$ns" -d -j link)"
}
"$NSTOP" -b -n1 -J >"$TEST_TMP/snap.json" 2>"$TEST_TMP/err" || fail "nstop -b -J" "$(cat "$TEST_TMP/err")"
for ns in $NSS; do
	want=$(ip_view "$ns")
	got=$(jq -c --argjson i "$(ino "$ns")" \
		'[.namespaces[] | select(.type == "net" and .inode == $i)][0].interfaces | sort_by(.name)' \
		"$TEST_TMP/snap.json")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "$ns: interfaces as ip shows them inside it"
	else
		fail "$ns: interfaces as ip shows them inside it" "nstop: $got
ip:    $want"
	fi
done
got=$(jq -c --argjson i "$(ino red)" \
	'[.namespaces[] | select(.type == "net" and .inode == $i)][0].interfaces[] | select(.name == "r-blue") | .peer' \
	"$TEST_TMP/snap.json")
is "$got" "{\"netns\":$(ino blue),\"name\":\"b-red\"}" "a veth's peer in another namespace, by inode and name"
got=$(jq -c '[.namespaces[] | select(.type == "net") | .interfaces | type] | unique' "$TEST_TMP/snap.json")
is "$got" '["array"]' "every net namespace has its interfaces read"
got=$(jq -c --argjson i "$(ino green)" \
	'[.namespaces[] | select(.type == "net" and .inode == $i)][0] | [.nprocs, .names]' \
	"$TEST_TMP/snap.json")
is "$got" '[0,["/run/netns/green"]]' "green: listed with no process, by where it is mounted"

# ---- violet: a net namespace only an open descriptor holds ------------------------
# No process in it and no bind mount: a process of ours in host0 holds it as
# its fd 3 after the one that made it has gone (as a runtime holds a sandbox's
# namespace between its processes). lsns lists such a namespace; -b -J lists
# it too, with its interfaces, and the veth into it names it as its peer's.
unshare -n sleep 300 &
X=$!
register_pid "$X"
self_net=$(stat -L -c %i /proc/self/ns/net)
for _ in $(seq 100); do
	[ "$(stat -L -c %i "/proc/$X/ns/net" 2>/dev/null)" != "$self_net" ] && break
	sleep 0.05
done
VI=$(stat -L -c %i "/proc/$X/ns/net")
ip link add h-violet type veth peer name v-host netns "$X" &&
	nsenter -t "$X" -n ip addr add 10.64.0.2/24 dev v-host &&
	nsenter -t "$X" -n ip link set v-host up && ip link set h-violet up ||
	fail "violet's links"
sleep 300 3<"/proc/$X/ns/net" &
Y=$!
register_pid "$Y"
for _ in $(seq 100); do [ -e "/proc/$Y/fd/3" ] && break; sleep 0.05; done
kill "$X"
wait "$X" 2>/dev/null
if [ ! -e "/proc/$X" ] && [ "$(stat -L -c %i "/proc/$Y/fd/3")" = "$VI" ]; then
	pass "violet: its maker has gone, fd 3 of $Y holds it"
else
	fail "violet: its maker has gone, fd 3 of $Y holds it"
fi
"$NSTOP" -b -n1 -J >"$TEST_TMP/held.json" 2>"$TEST_TMP/err" || fail "nstop -b -J" "$(cat "$TEST_TMP/err")"
got=$(jq -c --argjson i "$VI" \
	'[.namespaces[] | select(.type == "net" and .inode == $i)][0] |
	 [.nprocs, .names, (.interfaces | map(.name) | sort)]' "$TEST_TMP/held.json")
is "$got" '[0,[],["lo","v-host"]]' "violet: listed by -b -J with no process and no name, with its interfaces"
got=$(jq -c --argjson i "$VI" \
	'[.namespaces[] | select(.type == "net" and .inode == $i)][0].interfaces[] |
	 select(.name == "v-host") | [.kind, (.addresses | map(select(startswith("fe80:") | not))), .peer]' \
	"$TEST_TMP/held.json")
is "$got" "[\"veth\",[\"10.64.0.2/24\"],{\"netns\":$(ino host0),\"name\":\"h-violet\"}]" \
	"violet: v-host as ip shows it, its peer h-violet in host0"
got=$(jq -c --argjson i "$(ino host0)" \
	'[.namespaces[] | select(.type == "net" and .inode == $i)][0].interfaces[] |
	 select(.name == "h-violet") | .peer' "$TEST_TMP/held.json")
is "$got" "{\"netns\":$VI,\"name\":\"v-host\"}" "host0: h-violet's peer is in violet, a namespace listed"
got=$(nsenter --net="/proc/$Y/fd/3" ip -j link | jq -c 'map(.ifname) | sort')
is "$got" '["lo","v-host"]' "  (ip inside violet shows the same links)"
kill "$Y"
wait "$Y" 2>/dev/null

ip netns del red; ip netns del blue; ip netns del green; umount /run/netns/host0; rm -f /run/netns/host0
done_testing
