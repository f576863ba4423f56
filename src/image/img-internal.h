/* Between the image area's files (src/image); not for front ends. */
#ifndef NSTOP_IMG_INTERNAL_H
#define NSTOP_IMG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "nstop/image.h"

#define IMG_NAME_MAX 4096

/* img-unpack.c */
struct img_unpack_opts {
	bool outer;		/* the image's own archive, not a layer: only
				 * files, directories and symlinks, no owners */
	uint64_t *bytes;	/* adds the size of each file written */
	void (*progress)(void *arg, uint64_t consumed);	/* input bytes read */
	void *progress_arg;
};
int img_unpack_fd(int fd, int dirfd, const struct img_unpack_opts *o, struct nst_err *err);
int img_sha256_decompressed(int fd, char hex[65], struct nst_err *err);
/* Removes base (a directory or not) beneath dirfd, never following a
 * symlink: what an unpack replaces, and the store's half-made and removed
 * layers. */
int img_rm_tree(int dirfd, const char *base, struct nst_err *err);

/* img-sha.c: SHA-256 through OpenSSL's EVP interface (libcrypto, loaded by
 * the first img_sha_new: NULL with err filled when it cannot be, or out of
 * memory). img_sha_free takes NULL. */
struct img_sha;
struct img_sha *img_sha_new(struct nst_err *err);
void img_sha_update(struct img_sha *h, const void *buf, size_t n);
void img_sha_hex(struct img_sha *h, char hex[65]);
void img_sha_free(struct img_sha *h);
/* The digest of a whole file from its start. */
int img_sha256_fd(int fd, char hex[65], struct nst_err *err);

/* img-oci.c: the image's description, read from its unpacked layout. */
struct img_layer_ref {
	char blob[IMG_NAME_MAX];	/* path of the layer's archive in the layout */
	char digest[65];		/* the blob's digest; "" when not known (legacy) */
	char diff_id[65];		/* the uncompressed digest (config's rootfs) */
};
struct img_manifest {
	char config_hex[65];
	size_t nlayers;
	struct img_layer_ref *layers;	/* bottom first */
	struct img_config config;
	char *config_json;		/* the config, as read (verified) */
};
int img_manifest_read(int srcfd, struct img_manifest *m, struct nst_err *err);
void img_manifest_free(struct img_manifest *m);
void img_config_free(struct img_config *c);
int img_config_from_json(json_t *cfg, struct img_config *c);
json_t *img_config_to_json(const struct img_config *c);
/* Opens rel beneath the layout's directory, symlinks resolved inside it. */
int img_open_in(int srcfd, const char *rel, int flags, struct nst_err *err);

#endif
