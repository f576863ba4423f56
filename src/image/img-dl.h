/* libarchive and libcrypto through dlopen (img-dl.c): the calls the image
 * code makes, typed from the libraries' own headers. */
#ifndef NSTOP_IMG_DL_H
#define NSTOP_IMG_DL_H

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "nstop/err.h"

#define IMG_DL_FN(lib, fn) __typeof__(lib##fn) *fn

/* libarchive: img_la.read_new() is archive_read_new(), and so on. */
struct img_la {
	IMG_DL_FN(archive_, read_new);
	IMG_DL_FN(archive_, read_free);
	IMG_DL_FN(archive_, read_support_format_tar);
	IMG_DL_FN(archive_, read_support_format_raw);
	IMG_DL_FN(archive_, read_support_filter_all);
	IMG_DL_FN(archive_, read_open_fd);
	IMG_DL_FN(archive_, read_next_header);
	IMG_DL_FN(archive_, read_data);
	IMG_DL_FN(archive_, read_data_block);
	IMG_DL_FN(archive_, error_string);
	IMG_DL_FN(archive_, filter_bytes);
	IMG_DL_FN(archive_, entry_filetype);
	IMG_DL_FN(archive_, entry_gid);
	IMG_DL_FN(archive_, entry_uid);
	IMG_DL_FN(archive_, entry_hardlink);
	IMG_DL_FN(archive_, entry_symlink);
	IMG_DL_FN(archive_, entry_mode);
	IMG_DL_FN(archive_, entry_perm);
	IMG_DL_FN(archive_, entry_mtime);
	IMG_DL_FN(archive_, entry_mtime_nsec);
	IMG_DL_FN(archive_, entry_pathname);
	IMG_DL_FN(archive_, entry_size);
};

/* libcrypto's EVP digest calls: img_evp.DigestInit_ex() is EVP_DigestInit_ex(). */
struct img_evp {
	IMG_DL_FN(EVP_, MD_CTX_new);
	IMG_DL_FN(EVP_, MD_CTX_free);
	IMG_DL_FN(EVP_, DigestInit_ex);
	IMG_DL_FN(EVP_, DigestUpdate);
	IMG_DL_FN(EVP_, DigestFinal_ex);
	IMG_DL_FN(EVP_, sha256);
};

/* Filled by the loaders; NULL pointers until they succeeded. */
extern struct img_la img_la;
extern struct img_evp img_evp;

/* Each loads its library once: 0, or -errno with err naming the soname. */
int img_la_load(struct nst_err *err);
int img_evp_load(struct nst_err *err);

#endif
