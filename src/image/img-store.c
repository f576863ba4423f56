/*
 * img-store: the content-addressed store under IMG_STORE (image.h draws
 * it). A layer is unpacked into tmp/ and renamed to layers/HEX only once
 * it is complete and its digests matched, so a half-unpacked layer is
 * never used; the store's lock makes concurrent runs of one image unpack
 * it once, and lets what a crash left in tmp/ be removed safely.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "img-internal.h"
#include "nstop/root.h"
#include "nstop/size.h"

struct img_store {
	int fd;		/* IMG_STORE */
	int lock;
};

static void img_store_close(struct img_store *s)
{
	if (s->lock >= 0)
		close(s->lock);	/* and the flock with it */
	if (s->fd >= 0)
		close(s->fd);
	s->fd = s->lock = -1;
}

/*
 * Threat: a store another user can read or plant things in (a layer of
 * theirs used as a container's root, setuid files of images run from
 * there). It must be a directory, not a link, root's and closed to others;
 * it is made so when missing.
 */
static int img_store_check(int fd, struct nst_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return nst_err_sys(err, errno, "%s", IMG_STORE);
	if (st.st_uid != 0 || (st.st_mode & 077))
		return nst_err_set(err, EPERM,
				   "%s: not root's alone (owner %u, mode %04o): refused as the image store",
				   IMG_STORE, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Opens (create: makes) the store and takes its lock; -ENOENT when there
 * is none and create is false. A crashed import's tmp/ is emptied. */
static int img_store_open(struct img_store *s, bool create, struct nst_err *err)
{
	static const char *const dirs[] = { "layers", "images", "tmp" };
	int rc;

	s->fd = s->lock = -1;
	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "the image store needs root");
	if (create && ((mkdir(RT_DATA_DIR, 0755) < 0 && errno != EEXIST) ||
		       (mkdir(IMG_STORE, 0700) < 0 && errno != EEXIST)))
		return nst_err_sys(err, errno, "making %s", IMG_STORE);
	s->fd = open(IMG_STORE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->fd < 0)
		return errno == ENOENT ? -ENOENT : nst_err_sys(err, errno, "%s", IMG_STORE);
	if ((rc = img_store_check(s->fd, err)) < 0)
		goto fail;
	for (size_t i = 0; create && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(s->fd, dirs[i], 0700) < 0 && errno != EEXIST) {
			rc = nst_err_sys(err, errno, "making %s/%s", IMG_STORE, dirs[i]);
			goto fail;
		}
	s->lock = openat(s->fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s->lock < 0 || flock(s->lock, LOCK_EX) < 0) {
		rc = nst_err_sys(err, errno, "locking %s", IMG_STORE);
		goto fail;
	}
	if (create) {
		img_rm_tree(s->fd, "tmp", err);
		nst_err_clear(err);
		if (mkdirat(s->fd, "tmp", 0700) < 0 && errno != EEXIST) {
			rc = nst_err_sys(err, errno, "making %s/tmp", IMG_STORE);
			goto fail;
		}
	}
	return 0;
fail:
	img_store_close(s);
	return rc;
}

/* ---- loading ------------------------------------------------------------- */

struct img_progress {
	bool on;
	size_t i, n;
	const char *hex;
	uint64_t total;
	time_t last;
};

static void img_progress_line(void *arg, uint64_t done)
{
	struct img_progress *p = arg;
	time_t now = time(NULL);

	if (!p->on || (now == p->last && done < p->total))
		return;
	p->last = now;
	fprintf(stderr, "\rnstop: unpacking layer %zu/%zu sha256:%.12s: %3d%% of %.1f MiB",
		p->i + 1, p->n, p->hex,
		p->total ? (int)(done * 100 / p->total > 100 ? 100 : done * 100 / p->total) : 100,
		(double)p->total / (1 << 20));
}

/* A unique name in tmp/. */
static void img_tmp_name(char *buf, size_t size, const char *what)
{
	static unsigned seq;

	snprintf(buf, size, "tmp/%s-%d-%u", what, (int)getpid(), seq++);
}

/*
 * Threat: a layer that is not the one the image names (a wrong or tampered
 * blob): both its digests, the blob's and the uncompressed one the config
 * lists, must match before a byte of it is unpacked. A blob cut short
 * fails one of them, or libarchive says so while unpacking.
 */
static int img_layer_verify(int fd, const struct img_layer_ref *l, struct nst_err *err)
{
	char got[65];
	int rc;

	if (l->digest[0]) {
		if ((rc = img_sha256_fd(fd, got, err)) < 0)
			return rc;
		if (strcmp(got, l->digest) != 0)
			return nst_err_set(err, EINVAL, "digest sha256:%.12s, expected sha256:%.12s",
					   got, l->digest);
	}
	if ((rc = img_sha256_decompressed(fd, got, err)) < 0)
		return rc;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return nst_err_sys(err, errno, "seek");
	if (strcmp(got, l->diff_id) != 0)
		return nst_err_set(err, EINVAL,
				   "uncompressed digest sha256:%.12s, expected sha256:%.12s",
				   got, l->diff_id);
	return 0;
}

/* Writes text to rel beneath the store (rel.new, renamed over it). */
static int img_write_at(int dirfd, const char *rel, const char *text, struct nst_err *err)
{
	char tmp[256];
	size_t len = strlen(text);
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.new", rel);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s/%s", IMG_STORE, tmp);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int e = errno ? errno : EIO;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return nst_err_sys(err, e, "writing %s/%s", IMG_STORE, tmp);
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, rel) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return nst_err_sys(err, e, "%s/%s", IMG_STORE, rel);
	}
	return 0;
}

/* One layer into layers/HEX, unless it is there already. */
static int img_layer_get(struct img_store *s, int srcfd, const struct img_layer_ref *l,
			 struct img_progress *p, struct nst_err *err)
{
	char final[128], tmp[128] = "", fsrel[160], size[32];
	uint64_t bytes = 0;
	struct img_unpack_opts o = { .bytes = &bytes, .progress = img_progress_line,
				     .progress_arg = p };
	struct stat st;
	int fd, fsfd = -1, rc;

	snprintf(final, sizeof(final), "layers/%s", l->diff_id);
	if (fstatat(s->fd, final, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
		return 0;
	fd = img_open_in(srcfd, l->blob, O_RDONLY, err);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nst_err_set(err, EINVAL, "%s: not a regular file", l->blob);
	}
	if ((rc = img_layer_verify(fd, l, err)) < 0)
		goto out;
	img_tmp_name(tmp, sizeof(tmp), "layer");
	snprintf(fsrel, sizeof(fsrel), "%s/fs", tmp);
	if (mkdirat(s->fd, tmp, 0700) < 0 || mkdirat(s->fd, fsrel, 0755) < 0 ||
	    (fsfd = openat(s->fd, fsrel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = nst_err_sys(err, errno, "%s/%s", IMG_STORE, tmp);
		goto out;
	}
	p->hex = l->diff_id;
	p->total = (uint64_t)st.st_size;
	if ((rc = img_unpack_fd(fd, fsfd, &o, err)) < 0)
		goto out;
	if (p->on)
		fputc('\n', stderr);
	snprintf(fsrel, sizeof(fsrel), "%s/size", tmp);
	snprintf(size, sizeof(size), "%llu\n", (unsigned long long)bytes);
	if ((rc = img_write_at(s->fd, fsrel, size, err)) < 0)
		goto out;
	if (renameat(s->fd, tmp, s->fd, final) < 0)
		rc = nst_err_sys(err, errno, "%s/%s", IMG_STORE, final);
out:
	if (rc < 0) {
		struct nst_err e;
		if (p->on && p->total)
			fputc('\n', stderr);
		nst_err_clear(&e);
		nst_err_prefix(err, "layer sha256:%.12s", l->diff_id);
		if (fsfd >= 0 || tmp[0])
			img_rm_tree(s->fd, tmp, &e);
	}
	if (fsfd >= 0)
		close(fsfd);
	close(fd);
	return rc;
}

static json_t *img_json_load_at(int dirfd, const char *rel, json_error_t *je)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	json_t *j;

	if (fd < 0)
		return NULL;
	j = json_loadfd(fd, 0, je);
	close(fd);
	return j;
}

static uint64_t img_layer_size(int storefd, const char *hex)
{
	char rel[128], buf[32];
	long n;

	snprintf(rel, sizeof(rel), "layers/%s/size", hex);
	n = nst_read_at(storefd, rel, buf, sizeof(buf));
	return n > 0 ? strtoull(buf, NULL, 10) : 0;
}

/* images/ID.json: what `nstop images` lists and `image rm` removes. */
static int img_record_write(struct img_store *s, const char *source, const struct img_manifest *m,
			    struct nst_err *err)
{
	char rel[128], now[32];
	json_t *old, *doc, *layers = json_array(), *sources = json_array(), *o;
	json_error_t je;
	uint64_t size = 0;
	const char *created = NULL;
	char *text;
	size_t i;
	int rc;

	snprintf(rel, sizeof(rel), "images/%s.json", m->config_hex);
	nst_format_utc(time(NULL), -1, now, sizeof(now));
	old = img_json_load_at(s->fd, rel, &je);
	if (old)
		created = json_string_value(json_object_get(old, "created"));
	/* every path it was run from (the same image under two names: a
	 * layout and its tar), the latest first; image rm takes any */
	json_array_append_new(sources, json_string(source));
	json_array_foreach(json_object_get(old, "sources"), i, o)
		if (json_is_string(o) && strcmp(json_string_value(o), source) != 0 &&
		    json_array_size(sources) < 16)
			json_array_append(sources, o);
	for (i = 0; i < m->nlayers; i++) {
		json_array_append_new(layers, json_string(m->layers[i].diff_id));
		size += img_layer_size(s->fd, m->layers[i].diff_id);
	}
	doc = json_pack("{s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:o}", "id", m->config_hex,
			"source", source, "sources", sources, "layers", layers, "size_bytes", (json_int_t)size,
			"created", created ? created : now, "last_used", now,
			"config", img_config_to_json(&m->config));
	json_decref(old);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text)
		return nst_err_set(err, ENOMEM, "out of memory");
	rc = img_write_at(s->fd, rel, text, err);
	free(text);
	return rc;
}

void img_image_free(struct img_image *img)
{
	free(img->layers);
	img_config_free(&img->config);
	memset(img, 0, sizeof(*img));
}

/* The image's description for the runtime: the store's trees, top first. */
static int img_describe(const struct img_manifest *m, struct img_image *img,
			struct nst_err *err)
{
	size_t len = 0;

	snprintf(img->id, sizeof(img->id), "%s", m->config_hex);
	img->layers = calloc(m->nlayers, sizeof(*img->layers));
	if (!img->layers)
		return nst_err_set(err, ENOMEM, "out of memory");
	img->nlayers = m->nlayers;
	for (size_t i = 0; i < m->nlayers; i++) {
		const char *hex = m->layers[m->nlayers - 1 - i].diff_id;
		int n;

		memcpy(img->layers[i], m->layers[i].diff_id, 65);
		n = snprintf(img->rootfs + len, sizeof(img->rootfs) - len, "%s%s/layers/%s/fs",
			     len ? ":" : "", IMG_STORE, hex);
		if (n < 0 || (size_t)n >= sizeof(img->rootfs) - len)
			return nst_err_set(err, E2BIG, "the image has too many layers (%zu) to stack",
					   m->nlayers);
		len += (size_t)n;
	}
	img->config = m->config;
	return 0;
}

int img_load(const char *path, bool progress, struct img_image *img, struct nst_err *err)
{
	struct img_store s;
	struct img_manifest m;
	struct img_progress p = { .on = progress };
	char source[PATH_MAX], srctmp[128] = "";
	struct stat st;
	int srcfd = -1, rc;

	memset(img, 0, sizeof(*img));
	memset(&m, 0, sizeof(m));
	if ((rc = img_check_path(path, err)) < 0)
		return rc;
	if (!realpath(path, source))
		return nst_err_sys(err, errno, "image %s", path);
	if ((rc = img_store_open(&s, true, err)) < 0)
		return rc;
	if (stat(source, &st) == 0 && S_ISDIR(st.st_mode)) {
		srcfd = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (srcfd < 0)
			rc = nst_err_sys(err, errno, "image %s", path);
	} else {
		/* the archive's files beneath tmp/, its own rules applied */
		struct img_unpack_opts o = { .outer = true };
		int fd = open(source, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		img_tmp_name(srctmp, sizeof(srctmp), "image");
		if (fd < 0)
			rc = nst_err_sys(err, errno, "image %s", path);
		else if (mkdirat(s.fd, srctmp, 0700) < 0 ||
			 (srcfd = openat(s.fd, srctmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						       O_CLOEXEC)) < 0)
			rc = nst_err_sys(err, errno, "%s/%s", IMG_STORE, srctmp);
		else
			rc = img_unpack_fd(fd, srcfd, &o, err);
		if (fd >= 0)
			close(fd);
	}
	if (rc == 0)
		rc = img_manifest_read(srcfd, &m, err);
	p.n = m.nlayers;
	for (size_t i = 0; rc == 0 && i < m.nlayers; i++) {
		p.i = i;
		rc = img_layer_get(&s, srcfd, &m.layers[i], &p, err);
	}
	if (rc == 0)
		rc = img_record_write(&s, source, &m, err);
	if (rc == 0 && (rc = img_describe(&m, img, err)) == 0)
		memset(&m.config, 0, sizeof(m.config));	/* img owns it now */
	if (rc < 0) {
		nst_err_prefix(err, "image %s", path);
		img_image_free(img);
	}
	img_manifest_free(&m);
	if (srcfd >= 0)
		close(srcfd);
	if (srctmp[0]) {
		struct nst_err e;
		img_rm_tree(s.fd, srctmp, &e);
	}
	img_store_close(&s);
	return rc;
}

/* ---- listing and removing --------------------------------------------------- */

/* Every record, as JSON objects in *out (an array). */
static int img_records(struct img_store *s, json_t **out, struct nst_err *err)
{
	int fd = openat(s->fd, "images", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	json_t *all = json_array();
	struct dirent *d;
	DIR *dir;

	if (fd < 0 && errno == ENOENT) {
		*out = all;
		return 0;
	}
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		json_decref(all);
		return nst_err_sys(err, errno, "%s/images", IMG_STORE);
	}
	while ((d = readdir(dir))) {
		size_t len = strlen(d->d_name);
		json_error_t je;
		json_t *j;

		if (len != 69 || strcmp(d->d_name + 64, ".json") != 0)
			continue;
		j = img_json_load_at(dirfd(dir), d->d_name, &je);
		if (j && json_is_object(j))
			json_array_append_new(all, j);
		else
			json_decref(j);
	}
	closedir(dir);
	*out = all;
	return 0;
}

int img_list(json_t **out, struct nst_err *err)
{
	struct img_store s;
	int rc = img_store_open(&s, false, err);

	if (rc == -ENOENT) {
		*out = json_array();
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = img_records(&s, out, err);
	img_store_close(&s);
	return rc;
}

/* The record REF names: an id, a unique id prefix (4 hex digits or more,
 * "sha256:" allowed before it), or the path the image was loaded from. */
static json_t *img_find(json_t *all, const char *ref, struct nst_err *err)
{
	char real[PATH_MAX];
	const char *hex = strncmp(ref, "sha256:", 7) == 0 ? ref + 7 : ref;
	size_t len = strlen(hex), i;
	json_t *j, *found = NULL;

	if (!realpath(ref, real))
		real[0] = '\0';
	json_array_foreach(all, i, j) {
		const char *id = json_string_value(json_object_get(j, "id"));
		bool by_path = false;
		json_t *src;
		size_t k;

		if (!id)
			continue;
		json_array_foreach(json_object_get(j, "sources"), k, src)
			if (real[0] && json_is_string(src) && strcmp(json_string_value(src), real) == 0)
				by_path = true;
		if (by_path || (len >= 4 && strncmp(id, hex, len) == 0)) {
			if (found && found != j) {
				nst_err_set(err, EINVAL, "image %s: more than one image matches", ref);
				return NULL;
			}
			found = j;
		}
	}
	if (!found)
		nst_err_set(err, ENOENT, "image %s: no such image (nstop images lists them)", ref);
	return found;
}

/*
 * Threat: a running (or stopped, restartable) container's root pulled from
 * under it. A layer of the image in any container's rootfs refuses.
 */
static int img_in_use(struct rt_ctx *rt, json_t *rec, const char *ref, struct nst_err *err)
{
	struct rt_state *sts = NULL;
	json_t *layers = json_object_get(rec, "layers"), *l;
	size_t n = 0, i;
	int rc;

	if ((rc = rt_list(rt, &sts, &n, err)) < 0)
		return rc;
	for (size_t c = 0; c < n; c++)
		json_array_foreach(layers, i, l) {
			char needle[128];
			snprintf(needle, sizeof(needle), "%s/layers/%s/fs",
				 IMG_STORE, json_string_value(l) ? json_string_value(l) : "?");
			if (strstr(sts[c].rootfs, needle)) {
				rc = nst_err_set(err, EBUSY,
						 "image %s: container %s uses it (nstop rm it first)",
						 ref, sts[c].name);
				free(sts);
				return rc;
			}
		}
	free(sts);
	return 0;
}

int img_remove(struct rt_ctx *rt, const char *ref, struct nst_err *err)
{
	struct img_store s;
	json_t *all = NULL, *rec, *layers, *l, *j;
	char rel[128], id[65];
	size_t i, k;
	int rc = img_store_open(&s, false, err);

	if (rc == -ENOENT)
		return nst_err_set(err, ENOENT, "image %s: no such image (the store is empty)", ref);
	if (rc < 0)
		return rc;
	if ((rc = img_records(&s, &all, err)) < 0)
		goto out;
	if (!(rec = img_find(all, ref, err))) {
		rc = -err->code;
		goto out;
	}
	if ((rc = img_in_use(rt, rec, ref, err)) < 0)
		goto out;
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(rec, "id")));
	snprintf(rel, sizeof(rel), "images/%s.json", id);
	if (unlinkat(s.fd, rel, 0) < 0) {
		rc = nst_err_sys(err, errno, "%s/%s", IMG_STORE, rel);
		goto out;
	}
	/* its layers, but those another image still has */
	layers = json_object_get(rec, "layers");
	json_array_foreach(layers, i, l) {
		const char *hex = json_string_value(l);
		bool shared = false;
		struct nst_err e;
		char digest[80];

		snprintf(digest, sizeof(digest), "sha256:%s", hex ? hex : "");
		if (!hex || img_digest_parse(digest, id, &e) < 0)
			continue;	/* never a path made of what a record says */
		json_array_foreach(all, k, j) {
			json_t *o;
			size_t x;
			if (j == rec)
				continue;
			json_array_foreach(json_object_get(j, "layers"), x, o)
				if (json_string_value(o) && strcmp(json_string_value(o), hex) == 0)
					shared = true;
		}
		if (shared)
			continue;
		snprintf(rel, sizeof(rel), "layers/%s", id);
		if ((rc = img_rm_tree(s.fd, rel, err)) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(all);
	img_store_close(&s);
	return rc;
}
