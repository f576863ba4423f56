/*
 * Images: an OCI image layout (a directory or its tar) or a `docker save`
 * tarball (the legacy manifest.json shape and the OCI index shape), unpacked
 * once into a content-addressed store under IMG_STORE, each layer verified
 * against its digests before anything of it is used, then handed to the
 * runtime as overlay lower layers under a fresh writable layer.
 *
 * Everything an archive or its JSON says is untrusted: names, links, modes,
 * digests, the config. The store is IMG_STORE (0700, root's):
 *   layers/HEX/fs     a layer's tree, HEX its uncompressed digest (diff_id)
 *   layers/HEX/size   its size in bytes
 *   images/HEX.json   an image: HEX is its config's digest (the image id)
 *   tmp/              unpacking in progress; emptied under the lock
 *   lock              flock: one import or removal at a time
 */
#ifndef NSTOP_IMAGE_H
#define NSTOP_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "nstop/err.h"
#include "nstop/runtime.h"

#define IMG_STORE RT_DATA_DIR "/images"

/* What the image's config says to run; every pointer malloc'd or NULL. */
struct img_config {
	char **entrypoint;	/* NULL-terminated */
	char **cmd;
	char **env;		/* "NAME=VALUE" */
	char *workdir;
	char *user;		/* "name", "uid", "uid:gid", "name:group" */
};

struct img_image {
	char id[65];		/* the config's sha256, hex */
	size_t nlayers;
	char (*layers)[65];	/* diff_ids, bottom first */
	char rootfs[RT_PATH_MAX];	/* the layers' trees, top first, ':' */
	struct img_config config;
};

/* What --image PATH may name: a directory holding an OCI layout
 * (index.json) or docker save's manifest.json, or a regular file (their
 * tar). The command line and the launch form both call it. */
int img_check_path(const char *path, struct nst_err *err);

/*
 * Brings the image at path into the store (each layer once: one already
 * there is reused) and describes it in img. progress: a line on stderr per
 * layer while unpacking (the caller decides: a terminal). On failure
 * nothing of it is left in the store.
 */
int img_load(const char *path, bool progress, struct img_image *img, struct nst_err *err);
void img_image_free(struct img_image *img);

/* Strings img_apply makes for the spec, freed after rt_run. */
struct img_run {
	char **argv;
	char **env;
	char *workdir;
};

/*
 * Fills spec from img: rootfs (the layers) with overlay, argv as Docker
 * does (Entrypoint, then spec's argv or else Cmd), env (the image's, then
 * spec's), workdir, and the user resolved from the image's own /etc/passwd
 * and /etc/group. -EINVAL when nothing is left to run.
 */
int img_apply(const struct img_image *img, struct rt_spec *spec, struct img_run *keep,
	      struct nst_err *err);
void img_run_free(struct img_run *keep);

/* "nstop images": one object per image (id, source, layers, size_bytes,
 * created, last_used); a JSON array, new reference. */
int img_list(json_t **out, struct nst_err *err);
/* "nstop image rm REF": REF is an id (or a unique prefix of at least 4 hex
 * digits) or the path it was loaded from. -EBUSY when a container uses it. */
int img_remove(struct rt_ctx *rt, const char *ref, struct nst_err *err);

/* ---- the rules, for the unit tests ------------------------------------- */

/* An archive's entry name made relative and clean ("./a//b" -> "a/b"), or
 * -EINVAL for an absolute one, one with "..", or an empty one ("." -> ""). */
int img_entry_name(const char *raw, char *out, size_t size, struct nst_err *err);
/* What an OCI whiteout name means: 0 none, 1 ".wh.NAME" (NAME in *target),
 * 2 ".wh..wh..opq" (opaque parent), 3 other ".wh..wh." (aufs metadata, ignored). */
int img_whiteout_kind(const char *base, const char **target);
/* "sha256:HEX" with 64 lowercase hex digits; HEX copied to hex (65 bytes). */
int img_digest_parse(const char *s, char *hex, struct nst_err *err);

#endif
