/*
 * The image area's rules on literal input: entry names, whiteout names,
 * digests, and the unpacker on small archives written here with
 * libarchive (a symlink then a file through it, a hard link out, a device,
 * whiteouts), into a fresh directory.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "img-internal.h"

static void name_ok(const char *raw, const char *want)
{
	struct nst_err err;
	char out[256];

	nst_err_clear(&err);
	if (img_entry_name(raw, out, sizeof(out), &err) != 0 || strcmp(out, want) != 0)
		fail_msg("'%s': got '%s' (%s), want '%s'", raw, out, err.msg, want);
}

static void name_bad(const char *raw, const char *want)
{
	struct nst_err err;
	char out[256];

	nst_err_clear(&err);
	if (img_entry_name(raw, out, sizeof(out), &err) != -EINVAL || !strstr(err.msg, want))
		fail_msg("'%s': not refused with '%s' (%s)", raw, want, err.msg);
}

static void test_entry_names(void **state)
{
	(void)state;
	name_ok("a/b", "a/b");
	name_ok("./a//b/", "a/b");
	name_ok("./", "");
	name_ok(".", "");
	name_ok("a/./b", "a/b");
	name_ok("..a/b..", "..a/b..");
	name_bad("/etc/passwd", "absolute");
	name_bad("../x", "'..'");
	name_bad("a/../../x", "'..'");
	name_bad("a/..", "'..'");
	name_bad("./..", "'..'");
}

static void test_whiteout_names(void **state)
{
	const char *t = NULL;

	(void)state;
	assert_int_equal(img_whiteout_kind("file", &t), 0);
	assert_int_equal(img_whiteout_kind(".whx", &t), 0);
	assert_int_equal(img_whiteout_kind(".wh.gone", &t), 1);
	assert_string_equal(t, "gone");
	assert_int_equal(img_whiteout_kind(".wh..wh..opq", &t), 2);
	assert_int_equal(img_whiteout_kind(".wh..wh.plnk", &t), 3);
}

static void test_digests(void **state)
{
	const char *good = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct nst_err err;
	char hex[65];

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(img_digest_parse(good, hex, &err), 0);
	assert_string_equal(hex, good + 7);
	assert_int_equal(img_digest_parse("sha512:00", hex, &err), -EINVAL);
	assert_int_equal(img_digest_parse("sha256:../../../etc/passwd", hex, &err), -EINVAL);
	assert_int_equal(img_digest_parse("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", hex, &err), -EINVAL);
	assert_int_equal(img_digest_parse("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", hex, &err), -EINVAL);
	assert_int_equal(img_digest_parse(NULL, hex, &err), -EINVAL);
}

/* ---- the unpacker ------------------------------------------------------- */

struct ent {
	const char *name;
	mode_t type;
	const char *data;	/* file content, or link target */
	bool hard;
};

/* A tar of ents in a memfd, at offset 0. */
static int make_tar(const struct ent *e, size_t n)
{
	int fd = memfd_create("tar", MFD_CLOEXEC);
	struct archive *a = archive_write_new();

	assert_true(fd >= 0);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_fd(a, fd), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *en = archive_entry_new();
		archive_entry_set_pathname(en, e[i].name);
		archive_entry_set_perm(en, 0644);
		if (e[i].hard) {
			archive_entry_set_filetype(en, AE_IFREG);
			archive_entry_set_hardlink(en, e[i].data);
		} else {
			archive_entry_set_filetype(en, e[i].type);
			if (e[i].type == AE_IFLNK)
				archive_entry_set_symlink(en, e[i].data);
			if (e[i].type == AE_IFREG && e[i].data)
				archive_entry_set_size(en, (la_int64_t)strlen(e[i].data));
			if (e[i].type == AE_IFCHR || e[i].type == AE_IFBLK)
				archive_entry_set_rdev(en, makedev(8, 0));
		}
		archive_write_header(a, en);
		if (!e[i].hard && e[i].type == AE_IFREG && e[i].data)
			archive_write_data(a, e[i].data, strlen(e[i].data));
		archive_entry_free(en);
	}
	archive_write_close(a);
	archive_write_free(a);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static char tmpl[64];

static int unpack(const struct ent *e, size_t n, struct nst_err *err)
{
	struct img_unpack_opts o = { .outer = false };
	int fd = make_tar(e, n), dir, rc;

	snprintf(tmpl, sizeof(tmpl), "/tmp/nstop-test-unit-img.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	dir = open(tmpl, O_RDONLY | O_DIRECTORY);
	nst_err_clear(err);
	rc = img_unpack_fd(fd, dir, &o, err);
	close(dir);
	close(fd);
	return rc;
}

static void cleanup_tmp(void)
{
	struct nst_err err;
	char *slash = strrchr(tmpl, '/');
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);

	img_rm_tree(dir, slash + 1, &err);
	close(dir);
}

static void test_unpack_refusals(void **state)
{
	static const struct ent sym[] = {
		{ "lnk", AE_IFLNK, "/tmp", false }, { "lnk/file", AE_IFREG, "x", false },
	};
	static const struct ent dotdot_link[] = {
		{ "lnk", AE_IFLNK, "../../../tmp", false }, { "lnk/x/file", AE_IFREG, "x", false },
	};
	static const struct ent hard[] = {
		{ "a", AE_IFREG, "x", false }, { "b", AE_IFREG, "../../etc/passwd", true },
	};
	static const struct ent hard_sym[] = {
		{ "lnk", AE_IFLNK, "/etc", false }, { "b", AE_IFREG, "lnk/passwd", true },
	};
	static const struct ent dev[] = { { "sda", AE_IFBLK, NULL, false } };
	static const struct ent abs[] = { { "/tmp/nstop-test-unit-abs", AE_IFREG, "x", false } };
	struct nst_err err;

	(void)state;
	assert_int_equal(unpack(sym, 2, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "symlink"));
	cleanup_tmp();
	assert_int_equal(unpack(dotdot_link, 2, &err), -EINVAL);
	cleanup_tmp();
	assert_int_equal(unpack(hard, 2, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "hard link"));
	cleanup_tmp();
	assert_int_equal(unpack(hard_sym, 2, &err), -EINVAL);
	cleanup_tmp();
	assert_int_equal(unpack(dev, 1, &err), -EPERM);
	assert_non_null(strstr(err.msg, "block device"));
	cleanup_tmp();
	assert_int_equal(unpack(abs, 1, &err), -EINVAL);
	assert_int_equal(access("/tmp/nstop-test-unit-abs", F_OK), -1);
	cleanup_tmp();
}

static void test_unpack_whiteouts(void **state)
{
	static const struct ent wh[] = {
		{ "d", AE_IFDIR, NULL, false }, { "d/.wh.gone", AE_IFREG, NULL, false },
		{ "d/.wh..wh.plnk", AE_IFREG, NULL, false },
		{ "deep/er/file", AE_IFREG, "y", false }, { "a", AE_IFREG, "x", false },
		{ "h", AE_IFREG, "a", true },
	};
	struct nst_err err;
	char p[128];
	struct stat st;
	int rc;

	(void)state;
	rc = unpack(wh, sizeof(wh) / sizeof(wh[0]), &err);
	if (rc == -EPERM) {	/* mknod 0/0 needs a kernel of 5.8 or root */
		cleanup_tmp();
		skip();
	}
	assert_int_equal(rc, 0);
	snprintf(p, sizeof(p), "%s/d/gone", tmpl);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
	snprintf(p, sizeof(p), "%s/d/.wh.gone", tmpl);
	assert_int_equal(lstat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/d/.wh..wh.plnk", tmpl);
	assert_int_equal(lstat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/deep/er/file", tmpl);
	assert_int_equal(lstat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/h", tmpl);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_nlink, 2);
	cleanup_tmp();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_names),
		cmocka_unit_test(test_whiteout_names),
		cmocka_unit_test(test_digests),
		cmocka_unit_test(test_unpack_refusals),
		cmocka_unit_test(test_unpack_whiteouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
