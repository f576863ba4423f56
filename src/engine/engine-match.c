/*
 * Which engine's container a cgroup path lies in, from the way each engine
 * names its cgroups under the cgroupfs and the systemd drivers:
 *
 *   docker       /docker/ID                      .../docker-ID.scope
 *   kubernetes   /kubepods/QOS/podUID/ID         kubepods-QOS-podUID.slice/
 *                                                  {cri-containerd,crio,docker}-ID.scope
 *   containerd   cri-containerd-ID.scope outside kubepods
 *   podman       /libpod_parent/libpod-ID        .../libpod-ID.scope[/container]
 *   lxc          /lxc.payload.NAME, /lxc/NAME
 *   nspawn       /machine.slice/machine-NAME.scope (systemd-escaped)
 *   nstop        /nstop/NAME
 *
 * The innermost match wins, so a container inside another (Docker in LXC)
 * is the inner one. Monitors (lxc.monitor.*, libpod-conmon-*, crio-conmon-*)
 * are not containers. Pure string work: the unit tests feed it paths
 * captured from real hosts.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "nstop/engine.h"
#include "nstop/runtime.h"

#define MAX_COMP 64

static const char *const kind_names[ENG_NKINDS] = {
	"docker", "containerd", "kubernetes", "podman", "lxc", "nspawn",
	"runc", "crun", "nstop",
};

const char *eng_kind_name(enum eng_kind k)
{
	return k < ENG_NKINDS ? kind_names[k] : "?";
}

const char *eng_kind_label(enum eng_kind k)
{
	return k == ENG_KUBERNETES ? "k8s" : eng_kind_name(k);
}

bool eng_is_hex_id(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

bool eng_is_plain_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= ENG_ID_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.+-", s[i]))
			return false;
	return true;
}

bool eng_unescape_unit(const char *in, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)in[i];
		if (c == '\\' && i + 3 < len + 0 && in[i + 1] == 'x' &&
		    isxdigit((unsigned char)in[i + 2]) && isxdigit((unsigned char)in[i + 3])) {
			char hex[3] = { in[i + 2], in[i + 3], '\0' };
			c = (unsigned)strtoul(hex, NULL, 16);
			i += 3;
		}
		if (c < 0x20 || c == 0x7f || o + 1 >= size)
			return false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o > 0;
}

struct comp {
	const char *s;
	size_t len;
};

static bool comp_is(const struct comp *c, const char *lit)
{
	return c->len == strlen(lit) && memcmp(c->s, lit, c->len) == 0;
}

static bool comp_starts(const struct comp *c, const char *lit)
{
	size_t n = strlen(lit);
	return c->len >= n && memcmp(c->s, lit, n) == 0;
}

static bool comp_ends(const struct comp *c, const char *lit)
{
	size_t n = strlen(lit);
	return c->len >= n && memcmp(c->s + c->len - n, lit, n) == 0;
}

/* PREFIX<64 hex>SUFFIX: the id into m. */
static bool hex_between(const struct comp *c, const char *prefix,
			const char *suffix, struct eng_match *m)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (c->len < p + s || !comp_starts(c, prefix) || !comp_ends(c, suffix) ||
	    !eng_is_hex_id(c->s + p, c->len - p - s))
		return false;
	memcpy(m->id, c->s + p, c->len - p - s);
	m->id[c->len - p - s] = '\0';
	return true;
}

/* A pod's UID from "pod<uid>" (cgroupfs) or "kubepods-...-pod<uid>.slice"
 * (systemd, dashes escaped as underscores). */
static void pod_uid(const struct comp *c, char *out, size_t size)
{
	const char *p = NULL;
	size_t len = 0;

	if (comp_starts(c, "pod") && !comp_ends(c, ".slice")) {
		p = c->s + 3;
		len = c->len - 3;
	} else if (comp_starts(c, "kubepods") && comp_ends(c, ".slice")) {
		const char *q = memmem(c->s, c->len, "-pod", 4);
		if (q) {
			p = q + 4;
			len = (size_t)(c->s + c->len - 6 - p);
		}
	}
	if (!p || len == 0 || len >= size || len > 40)
		return;
	for (size_t i = 0; i < len; i++) {
		char ch = p[i] == '_' ? '-' : p[i];
		if (!isxdigit((unsigned char)ch) && ch != '-')
			return;
		out[i] = ch;
	}
	out[len] = '\0';
}

static bool copy_name(const struct comp *c, size_t skip, size_t cut,
		      struct eng_match *m)
{
	size_t n = c->len - skip - cut;

	if (c->len < skip + cut || n == 0 || n >= sizeof(m->id))
		return false;
	memcpy(m->id, c->s + skip, n);
	m->id[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)m->id[i] < 0x20 || m->id[i] == 0x7f)
			return false;
	return true;
}

/* Component i of v, with what lies above it. */
static bool match_one(const struct comp *v, int i, bool in_kubepods,
		      struct eng_match *m)
{
	const struct comp *c = &v[i];
	const struct comp *up = i > 0 ? &v[i - 1] : NULL;

	if (in_kubepods) {
		if (hex_between(c, "cri-containerd-", ".scope", m) ||
		    hex_between(c, "crio-", ".scope", m) ||
		    hex_between(c, "docker-", ".scope", m) ||
		    (up && comp_starts(up, "pod") && hex_between(c, "", "", m))) {
			m->kind = ENG_KUBERNETES;
			return true;
		}
		return false;
	}
	if (hex_between(c, "docker-", ".scope", m) ||
	    (up && comp_is(up, "docker") && hex_between(c, "", "", m))) {
		m->kind = ENG_DOCKER;
		return true;
	}
	if (hex_between(c, "cri-containerd-", ".scope", m)) {
		m->kind = ENG_CONTAINERD;
		return true;
	}
	if (hex_between(c, "libpod-", ".scope", m) ||
	    (up && comp_is(up, "libpod_parent") && hex_between(c, "libpod-", "", m))) {
		m->kind = ENG_PODMAN;
		return true;
	}
	if (comp_starts(c, "lxc.payload.") && copy_name(c, 12, 0, m)) {
		m->kind = ENG_LXC;
		return true;
	}
	if (i == 1 && comp_is(up, "lxc") && copy_name(c, 0, 0, m)) {
		m->kind = ENG_LXC;
		return true;
	}
	if (up && comp_is(up, "machine.slice") && comp_starts(c, "machine-") &&
	    comp_ends(c, ".scope") && !comp_starts(c, "machine-qemu") &&
	    !comp_starts(c, "machine-lxc") &&
	    eng_unescape_unit(c->s + 8, c->len - 14, m->id, sizeof(m->id))) {
		m->kind = ENG_NSPAWN;
		return true;
	}
	if (i == 1 && comp_is(up, &RT_CGROUP_PARENT[1]) && c->len <= RT_NAME_MAX &&
	    copy_name(c, 0, 0, m) && rt_name_check(m->id, NULL) == 0) {
		m->kind = ENG_NSTOP;
		return true;
	}
	return false;
}

bool eng_match_cgroup(const char *path, struct eng_match *m)
{
	struct comp v[MAX_COMP];
	int n = 0, kube = -1;

	memset(m, 0, sizeof(*m));
	if (!path || path[0] != '/')
		return false;
	for (const char *p = path; *p;) {
		size_t len;
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!len)
			break;
		if (n == MAX_COMP)
			return false;
		v[n].s = p;
		v[n].len = len;
		if (kube < 0 && comp_starts(&v[n], "kubepods"))
			kube = n;
		n++;
		p += len;
	}
	for (int i = n - 1; i >= 0; i--) {
		if (!match_one(v, i, kube >= 0 && kube < i, m))
			continue;
		m->len = (size_t)(v[i].s + v[i].len - path);
		if (m->kind == ENG_KUBERNETES)
			for (int j = i - 1; j > kube && !m->pod[0]; j--)
				pod_uid(&v[j], m->pod, sizeof(m->pod));
		return true;
	}
	memset(m, 0, sizeof(*m));
	return false;
}
