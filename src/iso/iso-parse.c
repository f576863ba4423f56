/*
 * Isolation: the parsers, on buffers (status, uid_map, mountinfo,
 * devices.list), and the naming of capability sets.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "nstop/iso.h"
#include "nstop/mountinfo.h"
#include "nstop/procstat.h"

int iso_parse_status(const char *buf, struct iso_facts *f)
{
	struct nst_status st;

	if (nst_status_parse(buf, &st) < 0)
		return -EINVAL;
	iso_status_set(f, &st);
	return 0;
}

void iso_status_set(struct iso_facts *f, const struct nst_status *st)
{
	f->cap_eff = st->cap_eff;
	f->cap_bnd = st->cap_bnd;
	f->no_new_privs = st->no_new_privs;
	f->seccomp = st->seccomp;
	f->seccomp_filters = st->seccomp_filters;
	f->status_known = true;
}

int iso_parse_uid_map(const char *buf, long long *out, bool *identity)
{
	const char *l = buf;
	int lines = 0, rc = -ENOENT;

	*identity = false;
	while (l && *l) {
		unsigned long long in, outside, count;
		if (sscanf(l, "%llu %llu %llu", &in, &outside, &count) == 3) {
			lines++;
			if (in == 0 && count > 0) {
				*out = (long long)outside;
				rc = 0;
				if (outside == 0 && count == 4294967295ULL)
					*identity = true;
			}
		}
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	if (lines != 1)
		*identity = false;
	return rc;
}

/* Is prefix a path prefix of path ("/" of all, "/proc" of "/proc/sys")? */
static bool path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strcmp(prefix, "/") == 0)
		return path[0] == '/';
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The first option of a per-mount list says rw or ro. */
static bool opts_rw(const char *opts)
{
	return strncmp(opts, "rw", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
}

static bool superopts_ro(const char *superopts)
{
	return strncmp(superopts, "ro", 2) == 0 && (superopts[2] == ',' || superopts[2] == '\0');
}

static const char *const socket_names[] = {
	"docker.sock", "containerd.sock", "podman.sock", "crio.sock",
	"cri-dockerd.sock", "dockershim.sock",
};

static bool engine_socket_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(socket_names) / sizeof(socket_names[0]); i++)
		if (strcmp(base, socket_names[i]) == 0)
			return true;
	return false;
}

struct mi_scan {
	const char *host_dev, *host_root;
	struct iso_mnt *m;
	size_t procsys_len, sys_len;	/* the covering mount's length so far */
};

/* The mount that covers path is the longest mount point above it, the last
 * one mounted on a point winning (it hides the ones before). */
static void cover(const struct mi_entry *e, const char *path, const char *fstype,
		  size_t *best, int *rw)
{
	size_t n = strlen(e->mount);

	if (!path_under(path, e->mount) || n < *best)
		return;
	*best = n;
	*rw = strcmp(e->fstype, fstype) == 0 ?
	      (opts_rw(e->opts) && !superopts_ro(e->superopts)) : 0;
}

static int mi_fact(const struct mi_entry *e, void *arg)
{
	struct mi_scan *sc = arg;
	struct iso_mnt *m = sc->m;

	if (!e->dev || !e->opts)
		return 0;
	if (strcmp(e->dev, sc->host_dev) == 0 && path_under(sc->host_root, e->root)) {
		bool rw = opts_rw(e->opts) && !superopts_ro(e->superopts);
		if (!m->host_root || (rw && !m->host_root_rw))
			snprintf(m->host_root_at, sizeof(m->host_root_at), "%s", e->mount);
		m->host_root = true;
		m->host_root_rw |= rw;
	}
	if (!m->socket[0] && (engine_socket_name(e->mount) || engine_socket_name(e->root)))
		snprintf(m->socket, sizeof(m->socket), "%s", e->mount);
	cover(e, "/proc/sys", "proc", &sc->procsys_len, &m->proc_sys_rw);
	cover(e, "/sys", "sysfs", &sc->sys_len, &m->sys_rw);
	return 0;
}

void iso_parse_mountinfo(char *buf, const char *host_dev, const char *host_root,
			 struct iso_mnt *m)
{
	struct mi_scan sc = { host_dev ? host_dev : "", host_root ? host_root : "/", m, 0, 0 };

	memset(m, 0, sizeof(*m));
	m->proc_sys_rw = 0;
	m->sys_rw = 0;
	mi_foreach(buf, mi_fact, &sc);
	m->known = true;
}

bool iso_parse_devices_list(const char *buf)
{
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, "a *:* rwm", 9) == 0 && (l[9] == '\n' || l[9] == '\0'))
			return true;
	return false;
}

/* ---- capabilities ------------------------------------------------------ */

/*
 * Every capability the kernel has, less those no process started on this
 * host can hold: the ones missing from our own bounding set (a machine
 * whose init dropped one from its bounding set, as some sandboxes do, gives
 * --privileged containers everything but that one).
 */
uint64_t iso_caps_all(void)
{
	static uint64_t all;
	int bits;

	if (all)
		return all;
	bits = cap_max_bits();
	if (bits <= 0 || bits > 64)
		bits = 41;
	all = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
	for (int b = 0; b < bits; b++)
		if (prctl(PR_CAPBSET_READ, b, 0, 0, 0) == 0)
			all &= ~(1ULL << b);
	return all;
}

uint64_t iso_caps_docker(void)
{
	/* moby's oci/caps/defaults.go */
	static const int caps[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD,
		CAP_NET_RAW, CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP,
		CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
	};
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		m |= 1ULL << caps[i];
	return m;
}

/* "sys_admin" for bit 21: libcap's name without "cap_". */
static void cap_short_name(int bit, char *buf, size_t size)
{
	char *name = cap_to_name((cap_value_t)bit);

	if (name && strncmp(name, "cap_", 4) == 0)
		snprintf(buf, size, "%s", name + 4);
	else if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%d", bit);
	cap_free(name);
}

void iso_caps_text(uint64_t caps, char *buf, size_t size)
{
	size_t len = 0;

	if (caps == 0) {
		snprintf(buf, size, "none");
		return;
	}
	if ((caps & iso_caps_all()) == iso_caps_all()) {
		snprintf(buf, size, "all");
		return;
	}
	if (caps == iso_caps_docker()) {
		snprintf(buf, size, "docker-default");
		return;
	}
	buf[0] = '\0';
	for (int b = 0; b < 64 && len + 1 < size; b++) {
		char name[32];
		if (!(caps & (1ULL << b)))
			continue;
		cap_short_name(b, name, sizeof(name));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", name);
	}
}

json_t *iso_caps_json(uint64_t caps)
{
	json_t *a = json_array();

	for (int b = 0; b < 64; b++) {
		char name[32];
		if (!(caps & (1ULL << b)))
			continue;
		cap_short_name(b, name, sizeof(name));
		json_array_append_new(a, json_string(name));
	}
	return a;
}
