/*
 * img-oci: what an image's JSON says, read from its layout (a directory,
 * or the tar unpacked into the store's tmp/): the OCI shape (index.json, a
 * manifest, a config, blobs/sha256/HEX) or docker save's legacy shape
 * (manifest.json naming a config and layer tars). Every blob read is
 * checked against the digest that names it; every name is opened with
 * RESOLVE_IN_ROOT, so a link in the layout cannot lead out of it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "img-internal.h"

/* The largest JSON document of an image read (an index, a manifest, a
 * config): far above any real one, far below memory trouble. */
#define IMG_JSON_MAX (16 << 20)

int img_digest_parse(const char *s, char *hex, struct nst_err *err)
{
	if (!s || strncmp(s, "sha256:", 7) != 0)
		return nst_err_set(err, EINVAL, "digest '%s': not sha256:HEX", s ? s : "");
	s += 7;
	for (int i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return nst_err_set(err, EINVAL, "digest 'sha256:%s': not 64 lowercase hex digits", s);
	if (s[64])
		return nst_err_set(err, EINVAL, "digest 'sha256:%s': not 64 lowercase hex digits", s);
	memcpy(hex, s, 65);
	return 0;
}

int img_open_in(int srcfd, const char *rel, int flags, struct nst_err *err)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, srcfd, rel, &how, sizeof(how));

	if (fd < 0)
		return nst_err_sys(err, errno, "%s", rel);
	return (int)fd;
}

/* A whole regular file of at most max bytes, NUL-terminated. */
static long img_read_all(int fd, size_t max, char **out, struct nst_err *err)
{
	struct stat st;
	size_t len = 0;
	char *buf;

	if (fstat(fd, &st) < 0)
		return nst_err_sys(err, errno, "stat");
	if (!S_ISREG(st.st_mode))
		return nst_err_set(err, EINVAL, "not a regular file");
	if ((size_t)st.st_size > max)
		return nst_err_set(err, EFBIG, "larger than %zu bytes", max);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return nst_err_set(err, ENOMEM, "out of memory");
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return n < 0 ? nst_err_sys(err, errno, "reading") :
				       nst_err_set(err, EIO, "cut short");
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

/* A JSON document of the layout; with hex, only when its sha256 is hex. */
static json_t *img_json_at(int srcfd, const char *rel, const char *hex, char **text,
			   struct nst_err *err)
{
	char *buf = NULL;
	json_error_t je;
	json_t *j;
	long n;
	int fd = img_open_in(srcfd, rel, O_RDONLY, err);

	if (fd < 0)
		return NULL;
	n = img_read_all(fd, IMG_JSON_MAX, &buf, err);
	close(fd);
	if (n < 0) {
		nst_err_prefix(err, "%s", rel);
		return NULL;
	}
	if (hex) {
		struct img_sha *h = img_sha_new(err);
		char got[65];

		if (!h) {
			free(buf);
			return NULL;
		}
		img_sha_update(h, buf, (size_t)n);
		img_sha_hex(h, got);
		img_sha_free(h);
		if (strcmp(got, hex) != 0) {
			free(buf);
			nst_err_set(err, EINVAL, "%s: digest sha256:%.12s, expected sha256:%.12s",
				    rel, got, hex);
			return NULL;
		}
	}
	j = json_loadb(buf, (size_t)n, 0, &je);
	if (!j)
		nst_err_set(err, EINVAL, "%s: not JSON (%s, line %d)", rel, je.text, je.line);
	if (text && j)
		*text = buf;
	else
		free(buf);
	return j;
}

/* A blob by its digest "sha256:HEX", verified. */
static json_t *img_blob_json(int srcfd, const char *digest, char *hex, char **text,
			     struct nst_err *err)
{
	char rel[128];

	if (img_digest_parse(digest, hex, err) < 0)
		return NULL;
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex);
	return img_json_at(srcfd, rel, hex, text, err);
}

static const char *img_host_arch(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return "amd64";
	if (strcmp(u.machine, "x86_64") == 0)
		return "amd64";
	if (strcmp(u.machine, "aarch64") == 0)
		return "arm64";
	return "";
}

/* From an index's manifests[]: the one for this host's platform, else the
 * first one that is not an attestation. */
static json_t *img_index_pick(json_t *index)
{
	json_t *list = json_object_get(index, "manifests"), *m, *first = NULL;
	size_t i;

	json_array_foreach(list, i, m) {
		json_t *p = json_object_get(m, "platform");
		const char *os = json_string_value(json_object_get(p, "os"));
		const char *arch = json_string_value(json_object_get(p, "architecture"));

		if (os && strcmp(os, "unknown") == 0)
			continue;
		if (!first)
			first = m;
		if (os && arch && strcmp(os, "linux") == 0 && strcmp(arch, img_host_arch()) == 0)
			return m;
	}
	return first;
}

static char **img_strv(json_t *a)
{
	size_t n = json_array_size(a), i;
	char **v;
	json_t *s;

	if (!json_is_array(a))
		return NULL;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	json_array_foreach(a, i, s)
		v[i] = strdup(json_is_string(s) ? json_string_value(s) : "");
	return v;
}

static void img_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int img_config_from_json(json_t *cfg, struct img_config *c)
{
	const char *s;

	memset(c, 0, sizeof(*c));
	c->entrypoint = img_strv(json_object_get(cfg, "Entrypoint"));
	c->cmd = img_strv(json_object_get(cfg, "Cmd"));
	c->env = img_strv(json_object_get(cfg, "Env"));
	if ((s = json_string_value(json_object_get(cfg, "WorkingDir"))) && *s)
		c->workdir = strdup(s);
	if ((s = json_string_value(json_object_get(cfg, "User"))) && *s)
		c->user = strdup(s);
	return 0;
}

static json_t *img_strv_json(char **v)
{
	json_t *a;

	if (!v)
		return json_null();
	a = json_array();
	for (size_t i = 0; v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *img_config_to_json(const struct img_config *c)
{
	return json_pack("{s:o, s:o, s:o, s:s?, s:s?}",
			 "Entrypoint", img_strv_json(c->entrypoint),
			 "Cmd", img_strv_json(c->cmd), "Env", img_strv_json(c->env),
			 "WorkingDir", c->workdir, "User", c->user);
}

void img_config_free(struct img_config *c)
{
	img_strv_free(c->entrypoint);
	img_strv_free(c->cmd);
	img_strv_free(c->env);
	free(c->workdir);
	free(c->user);
	memset(c, 0, sizeof(*c));
}

void img_manifest_free(struct img_manifest *m)
{
	free(m->layers);
	img_config_free(&m->config);
	free(m->config_json);
	memset(m, 0, sizeof(*m));
}

/* The config: its process settings and, in rootfs.diff_ids, the digest of
 * each layer once decompressed, as many as the manifest names. */
static int img_config_read(json_t *cfg, struct img_manifest *m, struct nst_err *err)
{
	json_t *ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
	json_t *id;
	size_t i;

	if (json_array_size(ids) != m->nlayers)
		return nst_err_set(err, EINVAL,
				   "the config names %zu layer digests (rootfs.diff_ids), the manifest %zu layers",
				   json_array_size(ids), m->nlayers);
	json_array_foreach(ids, i, id)
		if (img_digest_parse(json_string_value(id), m->layers[i].diff_id, err) < 0) {
			nst_err_prefix(err, "config rootfs.diff_ids");
			return -EINVAL;
		}
	img_config_from_json(json_object_get(cfg, "config"), &m->config);
	return 0;
}

static int img_layers_alloc(struct img_manifest *m, size_t n, struct nst_err *err)
{
	if (n == 0)
		return nst_err_set(err, EINVAL, "the image has no layers");
	if (n > RT_MAX_LAYERS)
		return nst_err_set(err, E2BIG, "the image has %zu layers, at most %d", n,
				   RT_MAX_LAYERS);
	m->nlayers = n;
	m->layers = calloc(n, sizeof(*m->layers));
	return m->layers ? 0 : nst_err_set(err, ENOMEM, "out of memory");
}

/* index.json -> (index ->) manifest -> config and layers. */
static int img_read_oci(int srcfd, json_t *index, struct img_manifest *m, struct nst_err *err)
{
	json_t *doc = json_incref(index), *cfg = NULL, *layers, *l;
	char hex[65];
	size_t i;
	int rc, depth;

	for (depth = 0;; depth++) {
		json_t *pick = img_index_pick(doc), *next;
		const char *mt = json_string_value(json_object_get(doc, "mediaType"));

		if (!json_object_get(doc, "manifests") && !(mt && strstr(mt, "index")))
			break;		/* a manifest */
		if (!pick || depth == 4) {
			json_decref(doc);
			return nst_err_set(err, EINVAL, "index.json: no manifest in it");
		}
		next = img_blob_json(srcfd, json_string_value(json_object_get(pick, "digest")),
				     hex, NULL, err);
		json_decref(doc);
		if (!next)
			return -err->code;
		doc = next;
	}
	layers = json_object_get(doc, "layers");
	if ((rc = img_layers_alloc(m, json_array_size(layers), err)) < 0)
		goto out;
	json_array_foreach(layers, i, l) {
		const char *d = json_string_value(json_object_get(l, "digest"));
		if ((rc = img_digest_parse(d, m->layers[i].digest, err)) < 0)
			goto out;
		snprintf(m->layers[i].blob, sizeof(m->layers[i].blob), "blobs/sha256/%s",
			 m->layers[i].digest);
	}
	cfg = img_blob_json(srcfd, json_string_value(json_object_get(json_object_get(doc, "config"),
								     "digest")),
			    m->config_hex, &m->config_json, err);
	if (!cfg) {
		rc = -err->code;
		goto out;
	}
	rc = img_config_read(cfg, m, err);
out:
	json_decref(cfg);
	json_decref(doc);
	return rc;
}

/* The digest a legacy name carries: "HEX.json" or "blobs/sha256/HEX". */
static bool img_hex_of_name(const char *name, char *hex)
{
	const char *b = strrchr(name, '/');
	char d[80];
	struct nst_err e;

	b = b ? b + 1 : name;
	snprintf(d, sizeof(d), "sha256:%.*s", (int)strcspn(b, "."), b);
	return img_digest_parse(d, hex, &e) == 0;
}

/* manifest.json: [{"Config": NAME, "Layers": [NAME...]}] of docker save. */
static int img_read_legacy(int srcfd, json_t *doc, struct img_manifest *m, struct nst_err *err)
{
	json_t *first = json_array_get(doc, 0), *layers, *l, *cfg;
	const char *cname = json_string_value(json_object_get(first, "Config"));
	size_t i;
	int rc;

	if (json_array_size(doc) != 1)
		return nst_err_set(err, EINVAL,
				   "manifest.json: %zu images in it; save one image per archive",
				   json_array_size(doc));
	if (!cname || !img_hex_of_name(cname, m->config_hex))
		return nst_err_set(err, EINVAL, "manifest.json: its Config names no digest");
	layers = json_object_get(first, "Layers");
	if ((rc = img_layers_alloc(m, json_array_size(layers), err)) < 0)
		return rc;
	json_array_foreach(layers, i, l) {
		const char *name = json_string_value(l);
		if (!name || snprintf(m->layers[i].blob, sizeof(m->layers[i].blob), "%s", name) >=
				     (int)sizeof(m->layers[i].blob))
			return nst_err_set(err, EINVAL, "manifest.json: layer %zu has no name", i);
		/* old docker: ID/layer.tar, checked by its diff_id alone */
		if (strncmp(name, "blobs/sha256/", 13) == 0 &&
		    !img_hex_of_name(name, m->layers[i].digest))
			return nst_err_set(err, EINVAL, "manifest.json: layer '%s': a bad digest", name);
	}
	cfg = img_json_at(srcfd, cname, m->config_hex, &m->config_json, err);
	if (!cfg)
		return -err->code;
	rc = img_config_read(cfg, m, err);
	json_decref(cfg);
	return rc;
}

int img_manifest_read(int srcfd, struct img_manifest *m, struct nst_err *err)
{
	struct nst_err e;
	json_t *doc;
	int rc;

	memset(m, 0, sizeof(*m));
	nst_err_clear(&e);
	/* the OCI shape first: docker save writes both since Docker 25 */
	doc = img_json_at(srcfd, "index.json", NULL, NULL, &e);
	if (doc) {
		rc = img_read_oci(srcfd, doc, m, err);
	} else if (e.code != ENOENT) {
		*err = e;
		return -e.code;
	} else {
		doc = img_json_at(srcfd, "manifest.json", NULL, NULL, err);
		if (!doc) {
			if (err->code == ENOENT)
				return nst_err_set(err, EINVAL,
						   "neither an OCI layout (index.json) nor a docker save archive (manifest.json)");
			return -err->code;
		}
		rc = img_read_legacy(srcfd, doc, m, err);
	}
	json_decref(doc);
	if (rc < 0)
		img_manifest_free(m);
	return rc;
}
