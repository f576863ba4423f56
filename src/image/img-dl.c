/*
 * libarchive and libcrypto, loaded where an image is unpacked or digested
 * (img-dl.h). Linked, they made every start of nstop map libxml2, ICU,
 * libstdc++, nettle and five compression libraries besides: a container's
 * launch starts nstop twice (the command and its sealed copy) and paid for
 * them each time, for libraries only `nstop image`/`run --image` call.
 */
#include "config.h"

#include "nstop/dl.h"
#include "img-dl.h"

struct img_la img_la;
struct img_evp img_evp;

#define IMG_DL_SYM(lib, s, fn) { #lib #fn, (void **)&(s).fn }

int img_la_load(struct nst_err *err)
{
	static const struct nst_dl_sym syms[] = {
		IMG_DL_SYM(archive_, img_la, read_new),
		IMG_DL_SYM(archive_, img_la, read_free),
		IMG_DL_SYM(archive_, img_la, read_support_format_tar),
		IMG_DL_SYM(archive_, img_la, read_support_format_raw),
		IMG_DL_SYM(archive_, img_la, read_support_filter_all),
		IMG_DL_SYM(archive_, img_la, read_open_fd),
		IMG_DL_SYM(archive_, img_la, read_next_header),
		IMG_DL_SYM(archive_, img_la, read_data),
		IMG_DL_SYM(archive_, img_la, read_data_block),
		IMG_DL_SYM(archive_, img_la, error_string),
		IMG_DL_SYM(archive_, img_la, filter_bytes),
		IMG_DL_SYM(archive_, img_la, entry_filetype),
		IMG_DL_SYM(archive_, img_la, entry_gid),
		IMG_DL_SYM(archive_, img_la, entry_uid),
		IMG_DL_SYM(archive_, img_la, entry_hardlink),
		IMG_DL_SYM(archive_, img_la, entry_symlink),
		IMG_DL_SYM(archive_, img_la, entry_mode),
		IMG_DL_SYM(archive_, img_la, entry_perm),
		IMG_DL_SYM(archive_, img_la, entry_mtime),
		IMG_DL_SYM(archive_, img_la, entry_mtime_nsec),
		IMG_DL_SYM(archive_, img_la, entry_pathname),
		IMG_DL_SYM(archive_, img_la, entry_size),
	};

	if (img_la.read_new)
		return 0;
	return nst_dl_load(NST_ARCHIVE_SONAME, "libarchive, image archives", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}

int img_evp_load(struct nst_err *err)
{
	static const struct nst_dl_sym syms[] = {
		IMG_DL_SYM(EVP_, img_evp, MD_CTX_new),
		IMG_DL_SYM(EVP_, img_evp, MD_CTX_free),
		IMG_DL_SYM(EVP_, img_evp, DigestInit_ex),
		IMG_DL_SYM(EVP_, img_evp, DigestUpdate),
		IMG_DL_SYM(EVP_, img_evp, DigestFinal_ex),
		IMG_DL_SYM(EVP_, img_evp, sha256),
	};

	if (img_evp.MD_CTX_new)
		return 0;
	return nst_dl_load(NST_CRYPTO_SONAME, "libcrypto, image digests", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}
