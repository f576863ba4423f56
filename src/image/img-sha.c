/*
 * img-sha: SHA-256 for the digests images are addressed by, from OpenSSL's
 * libcrypto (EVP): the maintained, FIPS-validated implementation every
 * distribution ships, rather than a copy of the algorithm here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "img-dl.h"
#include "img-internal.h"

struct img_sha *img_sha_new(struct nst_err *err)
{
	EVP_MD_CTX *c;

	if (img_evp_load(err) < 0)
		return NULL;
	c = img_evp.MD_CTX_new();
	if (c && img_evp.DigestInit_ex(c, img_evp.sha256(), NULL) != 1) {
		img_evp.MD_CTX_free(c);
		c = NULL;
	}
	if (!c)
		nst_err_set(err, ENOMEM, "sha256: out of memory");
	return (struct img_sha *)c;
}

void img_sha_update(struct img_sha *h, const void *buf, size_t n)
{
	img_evp.DigestUpdate((EVP_MD_CTX *)h, buf, n);
}

void img_sha_hex(struct img_sha *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	img_evp.DigestFinal_ex((EVP_MD_CTX *)h, md, &n);
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

void img_sha_free(struct img_sha *h)
{
	if (h)
		img_evp.MD_CTX_free((EVP_MD_CTX *)h);
}

int img_sha256_fd(int fd, char hex[65], struct nst_err *err)
{
	struct img_sha *h = img_sha_new(err);
	char buf[1 << 16];
	off_t off = 0;

	if (!h)
		return -err->code;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			img_sha_free(h);
			return nst_err_sys(err, e, "reading");
		}
		if (n == 0)
			break;
		img_sha_update(h, buf, (size_t)n);
		off += n;
	}
	img_sha_hex(h, hex);
	img_sha_free(h);
	return 0;
}
