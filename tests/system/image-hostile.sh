#!/bin/bash
# Hostile images (issue 18): a layer with a path climbing out, an absolute
# path, a symlink then a file through it, a hard link out, a device node, a
# wrong digest, a truncated layer, and an image archive with a path climbing
# out. Each is refused with one line on stderr and exit 1, and nothing is
# left: no file outside, no layer, nothing in the store's tmp/, no image
# record, no container.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/image-lib.sh"

require_root
require_cmd jq
require_cmd sha256sum
require_cmd gzip

STORE=/var/lib/nstop/images
T=$TEST_TMP
rtc_name hostile
N=$RTC_NAME
ESC=/tmp/nstop-test-escape-$$
register_path "$ESC" "$ESC.d" "/tmp/evil-$$"
CFG='{"Cmd":["true"]}'

# What the store holds now: the layers and records, and tmp/ must be empty.
store_state() {
	ls "$STORE/layers" "$STORE/images" 2>/dev/null | sort | sha256sum
	ls -A "$STORE/tmp" 2>/dev/null
}

# refused NAME WHAT PATH [GREP]: run --image PATH fails with one line (that
# matches GREP), and nothing is left of it.
refused() {
	local name=$1 what=$2 path=$3 want=${4:-} before
	before=$(store_state)
	run_nstop_quiet "$name" run --rm --name "$N" --image "$path" -- true
	is "$NSTOP_RC" 1 "$what: refused (exit 1)"
	ok "$what: one line on stderr" one_error_line "$TEST_TMP/$name.err"
	[ -z "$want" ] || grep -q -- "$want" "$TEST_TMP/$name.err" ||
		fail "$what: the line says '$want'" "$(cat "$TEST_TMP/$name.err")"
	is "$(store_state)" "$before" "$what: no layer, record or temporary directory left"
	ok "$what: nothing outside" test ! -e "$ESC" -a ! -e "$ESC.d/file" -a ! -e /tmp/evil-$$
	ok "$what: no container" test ! -e "/run/nstop/$N"
}

# oci_of NAME LAYER.tar: an OCI layout of one hostile layer.
oci_of() {
	img_oci "$T/$1" "$CFG" "$2"
	img_forget "$T/$1"
}

"$MKROOTFS" "$T/base" || cannot_run "mkrootfs.sh failed"
mkdir -p "$T/s1" "$T/s3" "$T/s2/lnk" "$T/s4" "$T/s5" "$T/s6"
echo x >"$T/s1/x"

# ../ climbing out of the layer
tar -P --transform "s,^x\$,../../../../../../tmp/evil-$$," -C "$T/s1" -cf "$T/trav.tar" x
oci_of trav "$T/trav.tar"
refused trav "a '..' path" "$T/trav" "'\.\.'"

# an absolute name
tar -P --transform "s,^x\$,$ESC," -C "$T/s1" -cf "$T/abs.tar" x
oci_of abs "$T/abs.tar"
refused abs "an absolute path" "$T/abs" "absolute"

# a symlink out, then a file through it
mkdir -p "$ESC.d"
ln -s "$ESC.d" "$T/s3/lnk"
tar -C "$T/s3" -cf "$T/sym.tar" lnk
echo y >"$T/s2/lnk/file"
tar -C "$T/s2" -rf "$T/sym.tar" lnk/file
oci_of sym "$T/sym.tar"
refused sym "a symlink then a file through it" "$T/sym" symlink

# a hard link to a file outside
echo a >"$T/s4/a"
ln "$T/s4/a" "$T/s4/b"
tar -P --transform 's,^a$,../../../../../../etc/hostname,RSh' -C "$T/s4" -cf "$T/hard.tar" a b
oci_of hard "$T/hard.tar"
refused hard "a hard link out" "$T/hard" "hard link"

# a device node
mknod "$T/s5/disk" b 8 0
tar -C "$T/s5" -cf "$T/dev.tar" disk
oci_of dev "$T/dev.tar"
refused dev "a block device" "$T/dev" "block device"

# a wrong digest: another layer's content under the good one's name
img_layer "$T/base" "$T/good.tar"
oci_of wrong "$T/good.tar"
blob=$(jq -r '.layers[0].digest' "$T/wrong/blobs/sha256/$(jq -r '.manifests[0].digest' "$T/wrong/index.json" | cut -d: -f2)" | cut -d: -f2)
gzip -n -c "$T/dev.tar" >"$T/wrong/blobs/sha256/$blob"
refused wrong "a wrong digest" "$T/wrong" digest

# a truncated layer, its digests made to match what is left
head -c 300000 "$T/good.tar" >"$T/trunc.tar"
oci_of trunc "$T/trunc.tar"
refused trunc "a truncated layer" "$T/trunc" "runcated"

# the image's own archive with a name climbing out
mkdir -p "$T/outer"
cp -r "$T/wrong/." "$T/outer/"
tar -P --transform "s,^\./oci-layout\$,../../../../../../tmp/evil-$$," -C "$T/outer" -cf "$T/outer.tar" .
img_forget "$T/outer.tar"
refused outer "an image archive with a '..' path" "$T/outer.tar" "'\.\.'"

# not an image at all
echo '{}' >"$T/junk.json"
mkdir -p "$T/junkdir"
refused junkdir "a directory without index.json or manifest.json" "$T/junkdir"

assert_gone "$N"
done_testing
