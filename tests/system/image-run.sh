#!/bin/bash
# nstop run --image (issue 18): an OCI layout (directory and tar) and a
# legacy docker save tarball, built here from the busybox the tests use: two
# layers, a file deleted in the second (a whiteout), an opaque directory.
# The deleted file is absent, the opaque directory shows only the upper
# layer, writes go to the container's own layer and the store's layers stay
# byte-identical; Entrypoint, Cmd, Env, WorkingDir and User apply, the
# command line overrides Cmd; nstop images lists them, nstop image rm
# refuses one a container uses and removes the rest. Also --rootfs A:B:C.
# Every image made here is removed from the store at exit.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/image-lib.sh"

require_root
require_cmd jq
require_cmd sha256sum
require_cmd gzip

STORE=/var/lib/nstop/images
T=$TEST_TMP
rtc_name img
N=$RTC_NAME

# ---- the layers ---------------------------------------------------------------
"$MKROOTFS" "$T/l1" || cannot_run "mkrootfs.sh failed"
echo doomed >"$T/l1/etc/del-me"
mkdir -p "$T/l1/opq" "$T/l1/keep"
echo lower >"$T/l1/opq/lower-a"
echo kept >"$T/l1/keep/k"
mkdir -p "$T/l2/etc" "$T/l2/opq" "$T/l2/home/nobody"
touch "$T/l2/etc/.wh.del-me" "$T/l2/opq/.wh..wh..opq"
echo upper >"$T/l2/opq/upper-c"
echo two >"$T/l2/etc/layer2"
chown 65534:65534 "$T/l2/home/nobody"
img_layer "$T/l1" "$T/l1.tar"
img_layer "$T/l2" "$T/l2.tar"

OCI_CFG='{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo uid=$(id -u) gid=$(id -g) pwd=$(pwd) var=$IMGVAR"],"Env":["PATH=/bin:/sbin","IMGVAR=fromimage"],"WorkingDir":"/work/dir","User":"nobody"}'
img_oci "$T/oci" "$OCI_CFG" "$T/l1.tar" "$T/l2.tar"
img_forget "$T/oci"
tar -C "$T/oci" -cf "$T/oci.tar" .
img_forget "$T/oci.tar"
img_legacy "$T/legacy.tar" '{"Cmd":["sh","-c","echo legacy-cmd"],"Env":["IMGVAR=legacy"]}' "$T/l1.tar" "$T/l2.tar"
img_forget "$T/legacy.tar"

# ---- the OCI layout: the config applies ----------------------------------------
run_nstop oci run --rm --name "$N" --image "$T/oci"
is "$NSTOP_RC" 0 "run --image OCI-layout exits 0"
is "$(cat "$(out oci)")" "uid=65534 gid=65534 pwd=/work/dir var=fromimage" \
	"Entrypoint+Cmd run as User nobody in WorkingDir with the image's Env"
run_nstop ocicmd run --rm --name "$N" -e IMGVAR=cli --image "$T/oci" -- 'echo over $IMGVAR'
is "$(cat "$(out ocicmd)")" "over cli" "the command line replaces Cmd (after the Entrypoint), -e overrides Env"

# ---- the layers as seen inside -------------------------------------------------------
run_nstop view run --rm --name "$N" --image "$T/legacy.tar" -- sh -c \
	'ls /opq; test -e /etc/del-me && echo del-me-there; cat /keep/k /etc/layer2 /etc/nstop-rootfs'
is "$NSTOP_RC" 0 "run --image docker-save-legacy.tar exits 0"
is "$(cat "$(out view)")" "upper-c
kept
two
nstop-mkrootfs" "whiteout hides del-me, the opaque dir shows only the upper layer, both layers' files are there"
run_nstop legcmd run --rm --name "$N" --image "$T/legacy.tar"
is "$(cat "$(out legcmd)")" legacy-cmd "the legacy archive's Cmd runs when no command is given"
run_nstop ocitar run --rm --name "$N" --image "$T/oci.tar" -- 'cat /opq/upper-c'
is "$(cat "$(out ocitar)")" upper "an OCI layout as a tar runs too"

ID=$(img_id "$T/oci")
LID=$(img_id "$T/legacy.tar")
ok "the OCI image is in the store" test -n "$ID"
ok "the legacy image is in the store" test -n "$LID"
LAYERS=$(jq -r --arg s "$(realpath "$T/oci")" '.images[] | select(.sources | index($s)) | .layers[]' <("$NSTOP" images -J))
is "$(echo "$LAYERS" | wc -l)" 2 "nstop images -J: two layers"
is "$(jq -r --arg s "$(realpath "$T/legacy.tar")" '.images[] | select(.sources | index($s)) | .layers | join(",")' <("$NSTOP" images -J))" \
	"$(echo "$LAYERS" | paste -sd,)" "the same layers in two images are stored once (by their diff_id)"
# The table shows the size as people read one (4.9M), -J the exact bytes
BYTES=$(jq -r --arg i "$ID" '.images[] | select(.id == $i) | .size_bytes' <("$NSTOP" images -J))
ROW=$("$NSTOP" images -r -n | awk -v i="${ID:0:12}" '$1 == i')
ok "nstop images: $ID's row ($ROW)" test -n "$ROW"
is "$(echo "$ROW" | awk '{ print $3 }')" \
	"$(awk -v b="$BYTES" 'BEGIN { u = "BKMGTP"; n = 1; while (b >= 1024 && n < 6) { b /= 1024; n++ }
		printf(n == 1 ? "%d%s" : (b < 10 ? "%.1f%s" : "%.0f%s"), b, n == 1 ? "" : substr(u, n, 1)) }')" \
	"  its SIZE in human units for $BYTES bytes"
for l in $LAYERS; do
	ok "layer $l is in the store, 0700" test "$(stat -c %a "$STORE/layers/$l")" = 700
done
is "$(stat -c %a "$STORE")" 700 "the store is 0700"
ok "the whiteout is a 0/0 character device in the layer" \
	test "$(stat -c '%F %t %T' "$STORE/layers/$(echo "$LAYERS" | tail -1)/fs/etc/del-me")" = "character special file 0 0"

# ---- writes go to the container's own layer -------------------------------------------
tree_sum() { (cd "$1" && find . -printf '%p %m %u %g %s %y\n' | sort; find . -type f -exec sha256sum {} + | sort) | sha256sum; }
before=""
for l in $LAYERS; do before="$before $(tree_sum "$STORE/layers/$l")"; done
run_nstop write run -d --name "$N" --image "$T/legacy.tar" -- sh -c \
	'echo new >/etc/layer2; echo added >/keep/added; rm /keep/k; rm -r /opq; sleep 1000'
is "$NSTOP_RC" 0 "run -d --image"
register_cmd "\"\$NSTOP\" rm -f $N"
sleep 0.5
run_nstop look exec "$N" -- sh -c 'cat /etc/layer2 /keep/added; ls /keep /opq 2>&1 | wc -l'
is "$(head -2 "$(out look)")" "new
added" "the container sees its own writes"
is "$(cat "/run/nstop/$N/upper/etc/layer2")" new "the write is in the container's upper layer"
after=""
for l in $LAYERS; do after="$after $(tree_sum "$STORE/layers/$l")"; done
is "$after" "$before" "the store's layers are byte-identical after the writes"

# ---- image rm refuses an image in use; then removes it all --------------------------------
run_nstop busy image rm "$LID"
is "$NSTOP_RC" 1 "image rm of an image a container uses exits 1"
ok "one line saying who uses it" one_error_line "$TEST_TMP/busy.err"
grep -q "$N" "$TEST_TMP/busy.err" || fail "the error names the container: $(cat "$TEST_TMP/busy.err")"
ok "the image is still there" test -f "$STORE/images/$LID.json"
run_nstop rmc rm -f "$N"
run_nstop rm1 image rm "$LID"
is "$NSTOP_RC" 0 "image rm once no container uses it"
ok "its record is gone" test ! -e "$STORE/images/$LID.json"
for l in $LAYERS; do
	ok "layer $l stays: the OCI image still has it" test -d "$STORE/layers/$l"
done
run_nstop rm2 image rm "$(realpath "$T/oci")"
is "$NSTOP_RC" 0 "image rm by the path it came from"
for l in $LAYERS; do
	if "$NSTOP" images -J | jq -e --arg l "$l" '[.images[].layers[]] | index($l)' >/dev/null; then
		pass "layer $l is still another image's"
	else
		ok "layer $l is gone with the last image that had it" test ! -e "$STORE/layers/$l"
	fi
done
run_nstop none image rm "$LID"
is "$NSTOP_RC" 1 "image rm of an image not there exits 1"

# ---- --rootfs A:B:C --------------------------------------------------------------------
mkdir -p "$T/top/etc"
echo top >"$T/top/etc/who"
echo l1 >"$T/l1/etc/who"
run_nstop stack run --rm --name "$N" --rootfs "$T/top:$T/l1" -- sh -c 'cat /etc/who /keep/k; echo x >/etc/w 2>/dev/null || echo ro'
is "$(cat "$(out stack)")" "top
kept
ro" "--rootfs A:B stacks A over B, read-only without --overlay"
run_nstop stackw run --rm --name "$N" --rootfs "$T/top:$T/l1" --overlay -- sh -c 'echo w >/etc/who; rm /keep/k; cat /etc/who'
is "$(cat "$(out stackw)")" w "--overlay: writable"
is "$(cat "$T/top/etc/who") $(cat "$T/l1/keep/k")" "top kept" "the layers' directories are untouched"
run_nstop stackbad run --rm --name "$N" --rootfs "$T/top:$T/nonexistent" -- true
is "$NSTOP_RC" 1 "a missing layer exits 1"
ok "one line" one_error_line "$TEST_TMP/stackbad.err"

assert_gone "$N"
done_testing
