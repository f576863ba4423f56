#!/bin/bash
# Volumes: the seed article's -v /test (an anonymous volume, a directory of
# nstop's made for the container) and -v NAME:/DST (a named one, kept until
# nstop volume rm), beside -v /host:/dst. Data across run/rm/run, :ro, the
# state's mounts in list -J, volume ls|create|rm|inspect, a volume in use
# refused, bad names refused with nothing made, a container that plants
# symlinks (to /, to a host directory) in its volume leaving the host as it
# was through rm, volume rm, ls and the next mount, a store entry swapped
# for a link refused, and nothing left of a run that failed.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq awk

STORE=/var/lib/nstop/volumes
V=nstop-test-vol-$$
ROOTFS=$TEST_TMP/rootfs
"$MKROOTFS" "$ROOTFS" || fail "mkrootfs.sh makes a busybox root"

# Every volume this test makes is named $V-* or is an anonymous one of a
# container $RTC-*; both are removed on exit, also when nstop cannot.
reap_volumes() {
	local d
	for d in "$STORE/$V"-*; do
		[ -e "$d" ] || [ -L "$d" ] || continue
		if [ -L "$d" ]; then rm -f "$d"; else rm -rf --one-file-system "$d"; fi
	done
	for d in $(cat "$TEST_TMP/anon" 2>/dev/null); do
		case $d in ????????????????????????????????????????????????????????????????)
			rm -rf --one-file-system "${STORE:?}/$d" ;;
		esac
	done
}
register_cmd reap_volumes
: >"$TEST_TMP/anon"

# anon_of NAME: the anonymous volumes of container NAME (list -J), noted for
# the cleanup.
anon_of() {
	list_get "$1" '.mounts[] | select(.type == "anonymous") | .name' | tr -d '"' |
		tee -a "$TEST_TMP/anon"
}

store_list() { ls -A "$STORE" 2>/dev/null | grep -v '^\.lock$' | LC_ALL=C sort; }

# ---- anonymous: -v /DST --------------------------------------------------------
rtc_name anon
A=$RTC_NAME
run_nstop anon run --name "$A" -v /tmp/anon -- sh -c 'echo kept >/tmp/anon/f; grep -c " /tmp/anon " /proc/self/mountinfo'
is "$NSTOP_RC" 0 "run -v /tmp/anon exits 0"
is "$(cat "$(out anon)")" 1 "/tmp/anon is a mount of its own inside"
AV=$(anon_of "$A")
ok "list -J names one anonymous volume for $A ($AV)" test "$(echo "$AV" | grep -c .)" = 1
J=$(list_get "$A" '.mounts[0]')
diag "mounts[0]: $J"
is "$(jq -r '[.type, .destination, .ro, .source] | @tsv' <<<"$J")" \
	"$(printf 'anonymous\t/tmp/anon\tfalse\t%s/%s/_data' "$STORE" "$AV")" \
	"list -J: type anonymous, its destination, rw, its source in the store"
is "$(cat "$STORE/$AV/_data/f" 2>/dev/null)" kept "what it wrote is in $STORE/$AV/_data"
run_nstop vls volume ls -J
is "$(jq -r --arg n "$AV" '.volumes[] | select(.name == $n) | [.type, (.containers | join(","))] | @tsv' "$(out vls)")" \
	"$(printf 'anonymous\t%s' "$A")" "volume ls -J: anonymous, used by $A"
run_nstop arm rm "$A"
is "$NSTOP_RC" 0 "rm $A exits 0"
ok "its anonymous volume went with it" test ! -e "$STORE/$AV"
assert_gone "$A"

# --rm: the anonymous volume goes when the container ends
rtc_name anonrm
run_nstop anonrm run --rm --name "$RTC_NAME" -v /tmp/anon -- sh -c 'grep " /tmp/anon " /proc/self/mountinfo | cut -d" " -f4'
is "$NSTOP_RC" 0 "run --rm -v /tmp/anon exits 0"
AV2=$(sed -n 's|^/var/lib/nstop/volumes/\([0-9a-f]*\)/_data$|\1|p' "$(out anonrm)")
echo "$AV2" >>"$TEST_TMP/anon"
ok "it ran with an anonymous volume ($AV2)" test -n "$AV2"
ok "run --rm left no volume" test ! -e "$STORE/${AV2:-none}"

# rm --keep-volumes keeps it, listed with no container; volume rm removes it
rtc_name anonkeep
run_nstop keep run --name "$RTC_NAME" -v /tmp/anon:ro -- sh -c 'touch /tmp/anon/x 2>/dev/null; echo $?'
isnt "$(cat "$(out keep)")" 0 "-v /tmp/anon:ro is read-only inside"
AV3=$(anon_of "$RTC_NAME")
run_nstop keeprm rm --keep-volumes "$RTC_NAME"
is "$NSTOP_RC" 0 "rm --keep-volumes exits 0"
ok "the anonymous volume stays" test -d "$STORE/$AV3/_data"
run_nstop vls2 volume ls -J
is "$(jq -r --arg n "$AV3" '.volumes[] | select(.name == $n) | .containers | length' "$(out vls2)")" 0 \
	"volume ls: kept, used by no container"
run_nstop keepvrm volume rm "$AV3"
is "$NSTOP_RC" 0 "volume rm of the kept anonymous volume exits 0"
ok "and it is gone" test ! -e "$STORE/$AV3"

# ---- named: -v NAME:/DST, across run/rm/run -------------------------------------------
rtc_name named1
run_nstop n1 run --name "$RTC_NAME" -v "$V-data:/tmp/data" -- sh -c 'echo persisted >/tmp/data/f'
is "$NSTOP_RC" 0 "run -v $V-data:/tmp/data exits 0 (made on first use)"
J=$(list_get "$RTC_NAME" '.mounts[0]')
is "$(jq -r '[.type, .name, .destination, .ro] | @tsv' <<<"$J")" \
	"$(printf 'volume\t%s\t/tmp/data\tfalse' "$V-data")" "list -J: type volume, its name, destination, rw"
run_nstop n1rm rm "$RTC_NAME"
ok "rm keeps the named volume" test -d "$STORE/$V-data/_data"
rtc_name named2
N2=$RTC_NAME
run_nstop n2 run --name "$N2" --rootfs "$ROOTFS" -v "$V-data:/srv/data:ro" -- \
	sh -c 'cat /srv/data/f; touch /srv/data/g 2>/dev/null && echo wrote; true'
is "$NSTOP_RC" 0 "the next run (another root, a new target) exits 0"
is "$(cat "$(out n2)")" persisted "it reads what the first one wrote; :ro refuses its write"
ok "nothing written through :ro" test ! -e "$STORE/$V-data/_data/g"

# in use: while a container's state names it, running or exited
rtc_name user
U=$RTC_NAME
run_nstop idle run -d --name "$U" -v "$V-data:/tmp/data"
is "$NSTOP_RC" 0 "an idle container takes $V-data up"
run_nstop_quiet inuse volume rm "$V-data"
is "$NSTOP_RC" 1 "volume rm of a volume in use exits 1"
ok "one line says it is in use by $U" sh -c "grep -q 'in use by container .*$U' '$TEST_TMP/inuse.err' && [ \$(wc -l <'$TEST_TMP/inuse.err') -eq 1 ]"
ok "the volume is still there" test -f "$STORE/$V-data/_data/f"
run_nstop kill kill "$U" KILL
wait_state "$U" exited 10
run_nstop_quiet inuse2 volume rm "$V-data"
is "$NSTOP_RC" 1 "also while its user has exited (its state still names it)"
run_nstop inspect volume inspect -J "$V-data"
is "$(jq -r '.volumes[0] | [.type, (.containers | join(",")), (.size_bytes > 0)] | @tsv' "$(out inspect)")" \
	"$(printf 'named\t%s,%s\ttrue' "$N2" "$U")" "volume inspect -J: named, its users (exited too), a size"
run_nstop n2rm rm "$U"
run_nstop n2rm2 rm "$N2"
run_nstop vrm volume rm "$V-data"
is "$NSTOP_RC" 0 "volume rm once no container uses it exits 0"
ok "the named volume is gone" test ! -e "$STORE/$V-data"

# create: once, and again (as docker volume create: no error)
run_nstop vc volume create "$V-made"
is "$NSTOP_RC:$(cat "$(out vc)")" "0:$V-made" "volume create prints the name"
run_nstop vc2 volume create "$V-made"
is "$NSTOP_RC" 0 "volume create of an existing one exits 0"
is "$(stat -c '%U %a' "$STORE/$V-made" "$STORE" | tr '\n' ' ')" "root 700 root 700 " \
	"the volume and the store are root's, 0700"
run_nstop vrm2 volume rm "$V-made"

# ---- bad names: usage errors, nothing made ---------------------------------------
before=$(store_list)
for bad in "../$V-x" "$V/x" ".$V" "-$V" "$V x" "$(printf "%0129d" 0)"; do
	run_nstop_quiet badrun run --name "$RTC-bad" -v "$bad:/tmp/x" -- true
	is "$NSTOP_RC" 2 "run -v '$bad:/tmp/x' is a usage error"
	ok "... said in one line" one_error_line "$TEST_TMP/badrun.err"
	run_nstop_quiet badc volume create "$bad"
	is "$NSTOP_RC" 2 "volume create '$bad' is a usage error"
	run_nstop_quiet badr volume rm "$bad"
	is "$NSTOP_RC" 2 "volume rm '$bad' is a usage error"
done
run_nstop_quiet badrm volume rm ../../../etc
is "$NSTOP_RC" 2 "volume rm ../../../etc is a usage error"
ok "/etc is still there" test -f /etc/passwd
is "$(store_list)" "$before" "bad names made nothing in the store"
ok "and no container" test ! -e "$STATE_DIR/$RTC-bad"

# ---- symlinks planted in a volume -----------------------------------------------------
# The host directory the links aim at, and what must stay in it.
SENT=$TEST_TMP/sentinel
mkdir -p "$SENT/sub"
echo host >"$SENT/keep"
echo host >"$SENT/sub/keep"
ETC_BEFORE=$(ls -A /etc | cksum)
rtc_name plant
P=$RTC_NAME
run_nstop plant run --name "$P" -v "$V-evil:/tmp/v" -v /tmp/anon -- sh -c "
	for d in /tmp/v /tmp/anon; do
		ln -s / \$d/root; ln -s /etc \$d/etc; ln -s '$SENT' \$d/sent
		ln -s '$SENT/keep' \$d/keep; mkdir \$d/dir; ln -s '$SENT/sub' \$d/dir/sub
		mkfifo \$d/fifo
	done"
is "$NSTOP_RC" 0 "a container plants links to /, /etc and a host directory in its volumes"
PA=$(anon_of "$P")
ok "the links are in the store as links" test -L "$STORE/$V-evil/_data/root" -a -L "$STORE/$V-evil/_data/dir/sub"
run_nstop plsls volume ls -J
sz=$(jq -r --arg n "$V-evil" '.volumes[] | select(.name == $n) | .size_bytes' "$(out plsls)")
ok "volume ls measures it without following the links ($sz bytes)" test -n "$sz" -a "$sz" != null -a "${sz:-0}" -lt 1048576 2>/dev/null
rtc_name next
run_nstop next run --rm --name "$RTC_NAME" -v "$V-evil:/tmp/v" -- sh -c 'readlink /tmp/v/root; ls /tmp/v/sent 2>&1 | head -1'
is "$(head -1 "$(out next)")" / "the next container sees the link as a link"
ok "host's $SENT is untouched after the next mount" test -f "$SENT/keep" -a -f "$SENT/sub/keep"
run_nstop plrm rm "$P"
is "$NSTOP_RC" 0 "rm of the planting container exits 0"
ok "its anonymous volume is gone" test ! -e "$STORE/${PA:-none}"
run_nstop plvrm volume rm "$V-evil"
is "$NSTOP_RC" 0 "volume rm of the planted volume exits 0"
ok "the volume is gone" test ! -e "$STORE/$V-evil"
is "$(cat "$SENT/keep" "$SENT/sub/keep" 2>&1 | tr '\n' ' ')" "host host " \
	"the host directory the links aimed at is untouched"
is "$(ls -A /etc | cksum)" "$ETC_BEFORE" "/etc is untouched (every name in it still there)"

# A store entry swapped for a link (by someone on the host): never used,
# never removed through.
mkdir -p "$TEST_TMP/fake/_data"
echo host >"$TEST_TMP/fake/_data/keep"
echo '{"name":"'"$V-link"'","anonymous":false}' >"$TEST_TMP/fake/volume.json"
ln -s "$TEST_TMP/fake" "$STORE/$V-link"
rtc_name link
run_nstop_quiet lrun run --name "$RTC_NAME" -v "$V-link:/tmp/v" -- sh -c 'echo x >/tmp/v/planted'
is "$NSTOP_RC" 1 "run with a volume that is a link in the store fails"
ok "... in one line" one_error_line "$TEST_TMP/lrun.err"
ok "nothing was written through it" test ! -e "$TEST_TMP/fake/_data/planted"
assert_gone "$RTC_NAME"
run_nstop_quiet lrm volume rm "$V-link"
is "$NSTOP_RC" 1 "volume rm of a link in the store fails"
ok "the link's target is untouched" test -f "$TEST_TMP/fake/_data/keep"
rm -f "$STORE/$V-link"

# The store itself not root's alone: refused before use.
chmod 0777 "$STORE"
register_cmd "chmod 0700 '$STORE'"
rtc_name open
run_nstop_quiet open run --name "$RTC_NAME" -v "$V-open:/tmp/v" -- true
chmod 0700 "$STORE"
is "$NSTOP_RC" 1 "a store writable by others is refused"
ok "... saying so in one line" sh -c "grep -q 'not nstop' '$TEST_TMP/open.err' && [ \$(wc -l <'$TEST_TMP/open.err') -eq 1 ]"
ok "and no volume was made" test ! -e "$STORE/$V-open"

# ---- nothing half made: a run that fails after its volumes were made ---------------------
before=$(store_list)
rtc_name fails
# /bin/sh is a file in the root: the volume cannot be mounted there, which
# the init finds only once the volumes exist
run_nstop_quiet fail run --name "$RTC_NAME" --rootfs "$ROOTFS" -v "$V-new:/bin/sh" -v /bin/busybox -- true
is "$NSTOP_RC" 1 "a run whose volume target is a file fails"
ok "... in one line" one_error_line "$TEST_TMP/fail.err"
diag "$(cat "$TEST_TMP/fail.err")"
is "$(store_list)" "$before" "no volume is left of it (named or anonymous)"
assert_gone "$RTC_NAME"

# ---- a user namespace's root writes its anonymous volume -------------------------
rtc_name userns
run_nstop userns run --rm --name "$RTC_NAME" --userns 100000:100000 -v /tmp/anon -v "$V-u:/tmp/u" -- \
	sh -c 'echo ok >/tmp/anon/f && echo ok >/tmp/u/f && cat /tmp/u/f'
is "$NSTOP_RC:$(cat "$(out userns)")" "0:ok" "with --userns, its root writes the volumes it made"
run_nstop urm volume rm "$V-u"

done_testing
