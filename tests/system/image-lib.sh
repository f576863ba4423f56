# Shared helpers of the image tests (image*.sh): sourced after lib.sh. They
# build images the way docker save and OCI tools lay them out, from staged
# directories, with nothing downloaded: tar, gzip, sha256sum and jq.

# img_sha FILE: its sha256, hex.
img_sha() { sha256sum "$1" | cut -d' ' -f1; }

# img_layer DIR OUT: DIR's tree as a layer tar, owners as they are on disk.
img_layer() {
	tar --numeric-owner --sort=name --mtime=@0 -C "$1" -cf "$2" .
}

# img_config CONFIG LAYER...: CONFIG (a JSON "config" object) into an image
# config on stdout, with the layers' diff_ids.
img_config() {
	local cfg=$1 ids="" l
	shift
	for l in "$@"; do ids="$ids\"sha256:$(img_sha "$l")\","; done
	jq -cn --argjson c "$cfg" --argjson ids "[${ids%,}]" \
		'{architecture: "amd64", os: "linux", config: $c, rootfs: {type: "layers", diff_ids: $ids}}'
}

# img_oci DIR CONFIG LAYER...: an OCI image layout in DIR, layers gzipped.
img_oci() {
	local dir=$1 cfg=$2 l z hex cfghex mhex layers=""
	shift 2
	mkdir -p "$dir/blobs/sha256"
	for l in "$@"; do
		z=$dir/blobs/sha256/tmp.gz
		gzip -n -c "$l" >"$z"
		hex=$(img_sha "$z")
		mv "$z" "$dir/blobs/sha256/$hex"
		layers="$layers{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$(stat -c %s "$dir/blobs/sha256/$hex")},"
	done
	img_config "$cfg" "$@" >"$dir/blobs/sha256/cfg"
	cfghex=$(img_sha "$dir/blobs/sha256/cfg")
	mv "$dir/blobs/sha256/cfg" "$dir/blobs/sha256/$cfghex"
	jq -cn --argjson l "[${layers%,}]" --arg c "sha256:$cfghex" --argjson s "$(stat -c %s "$dir/blobs/sha256/$cfghex")" \
		'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $s},
		  layers: $l}' >"$dir/blobs/sha256/m"
	mhex=$(img_sha "$dir/blobs/sha256/m")
	mv "$dir/blobs/sha256/m" "$dir/blobs/sha256/$mhex"
	jq -cn --arg m "sha256:$mhex" --argjson s "$(stat -c %s "$dir/blobs/sha256/$mhex")" \
		'{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
		  digest: $m, size: $s, platform: {os: "linux", architecture: "amd64"}}]}' >"$dir/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
}

# img_legacy OUT.tar CONFIG LAYER...: docker save's legacy archive (before
# Docker 25): manifest.json, HEX.json, ID/layer.tar.
img_legacy() {
	local out=$1 cfg=$2 st l n=0 hex names=""
	shift 2
	st=$(mktemp -d "$TEST_TMP/legacy.XXXXXX")
	for l in "$@"; do
		n=$((n + 1))
		mkdir "$st/layer$n"
		cp "$l" "$st/layer$n/layer.tar"
		echo 1.0 >"$st/layer$n/VERSION"
		names="$names\"layer$n/layer.tar\","
	done
	img_config "$cfg" "$@" >"$st/cfg"
	hex=$(img_sha "$st/cfg")
	mv "$st/cfg" "$st/$hex.json"
	jq -cn --arg c "$hex.json" --argjson l "[${names%,}]" \
		'[{Config: $c, RepoTags: ["nstop-test:latest"], Layers: $l}]' >"$st/manifest.json"
	tar -C "$st" -cf "$out" .
	rm -rf "$st"
}

# img_id PATH: the id nstop gives the image at PATH (after a run), or "".
img_id() {
	"$NSTOP" images -J | jq -r --arg s "$(realpath "$1")" '.images[] | select(.sources | index($s)) | .id'
}

# img_forget PATH: removes the image run from PATH from the store, at exit.
img_forget() { register_cmd "\"\$NSTOP\" image rm '$(realpath "$1")' >/dev/null 2>&1 || true"; }
