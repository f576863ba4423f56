/*
 * The names engines keep for their containers, read from their records on
 * disk rather than asked of their API sockets: a socket may hang, belong to
 * a daemon that is wedged (the very moment an operator runs nstop), or not
 * be what it claims; the files are there whether the daemon answers or not
 * and reading them changes nothing. The records read:
 *
 *   docker      DATA_ROOT/containers/ID/config.v2.json  "Name"
 *   podman      /var/lib/containers/storage/overlay-containers/containers.json
 *               (containers/storage's list: "id", "names")
 *   kubernetes  the OCI bundle's config.json annotations, containerd's
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/NS/ID/ and
 *               CRI-O's /run/containers/storage/overlay-containers/ID/userdata/
 *   runc, crun  /run/runc/ID/state.json, /run/crun/ID/status (pid, start)
 *
 * All of it is untrusted: an id becomes a path component only once it has
 * the engine's id shape, no symlink is followed on the way to a record, a
 * record must be a regular file under a size cap, and a name found in one
 * is text to show, nothing else.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "nstop/engine.h"
#include "nstop/grow.h"

#define RECORD_CAP (1 << 20)		/* one container's record */
#define LIST_CAP (8 << 20)		/* containers/storage's list of all */

/*
 * Threat: a record path whose components an engine (or anyone who can write
 * where it keeps state) replaced with symlinks, to make nstop read and show
 * another file, or a FIFO that blocks the scan. Each component is opened
 * with O_NOFOLLOW; the last must be a regular file no larger than cap.
 */
long eng_read_file(int dirfd, const char *relpath, size_t cap, char **out)
{
	char part[256];
	const char *p = relpath;
	int fd = dup(dirfd);
	struct stat st;
	char *buf;
	long n = 0;

	*out = NULL;
	if (fd < 0)
		return -errno;
	while (*p) {
		size_t len;
		int next;
		bool last;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!len)
			break;
		if (len >= sizeof(part) || (len <= 2 && strncmp(p, "..", len) == 0)) {
			close(fd);
			return -EINVAL;
		}
		memcpy(part, p, len);
		part[len] = '\0';
		p += len;
		last = p[strspn(p, "/")] == '\0';
		next = openat(fd, part, last ? O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
					     : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > cap) {
		int e = !S_ISREG(st.st_mode) ? -EINVAL : -EFBIG;
		close(fd);
		return e;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while ((size_t)n <= cap) {
		ssize_t r = read(fd, buf + n, cap + 1 - (size_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	if ((size_t)n > cap) {
		free(buf);
		return -EFBIG;
	}
	buf[n] = '\0';
	*out = buf;
	return n;
}

static json_t *load_json(int dirfd, const char *path, size_t cap)
{
	char *buf;
	json_t *j;

	if (eng_read_file(dirfd, path, cap, &buf) < 0)
		return NULL;
	j = json_loads(buf, JSON_REJECT_DUPLICATES, NULL);
	free(buf);
	return j;
}

/* A name to show: printable, cut to size. */
static bool put_name(const char *s, char *name, size_t size)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; s[n] && n + 1 < size; n++) {
		unsigned char c = (unsigned char)s[n];
		name[n] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	name[n] = '\0';
	return true;
}

static bool docker_name(const struct eng_disk *d, const char *id, char *name,
			size_t size)
{
	for (size_t i = 0; i < d->ndocker_roots; i++) {
		char path[512];
		json_t *j;
		const char *n;
		bool ok;

		snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json",
			 d->docker_roots[i], id);
		if (!(j = load_json(d->host_fd, path, RECORD_CAP)))
			continue;
		/* The record must be the one asked for, not a copy elsewhere. */
		ok = json_is_string(json_object_get(j, "ID")) &&
		     strcmp(json_string_value(json_object_get(j, "ID")), id) == 0;
		n = json_string_value(json_object_get(j, "Name"));
		if (ok && n && *n == '/')
			n++;
		ok = ok && put_name(n, name, size);
		json_decref(j);
		if (ok)
			return true;
	}
	return false;
}

static bool podman_name(const struct eng_disk *d, const char *id, char *name,
			size_t size)
{
	json_t *j = load_json(d->host_fd,
			      "var/lib/containers/storage/overlay-containers/containers.json",
			      LIST_CAP);
	size_t i;
	json_t *c;
	bool ok = false;

	json_array_foreach(j, i, c) {
		const char *cid = json_string_value(json_object_get(c, "id"));
		if (cid && strcmp(cid, id) == 0) {
			ok = put_name(json_string_value(json_array_get(json_object_get(c, "names"), 0)),
				      name, size);
			break;
		}
	}
	json_decref(j);
	return ok;
}

/* Kubernetes' names in an OCI bundle's annotations (containerd's CRI plugin
 * or CRI-O's keys): "namespace/pod/container", "namespace/pod" for a
 * sandbox. */
static bool k8s_name_of(json_t *cfg, char *name, size_t size)
{
	json_t *a = json_object_get(cfg, "annotations");
	static const char *const keys[2][4] = {
		{ "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name",
		  "io.kubernetes.cri.container-name", "io.kubernetes.cri.container-type" },
		{ "io.kubernetes.pod.namespace", "io.kubernetes.pod.name",
		  "io.kubernetes.container.name", "io.kubernetes.cri-o.ContainerType" },
	};

	for (int k = 0; k < 2; k++) {
		const char *ns = json_string_value(json_object_get(a, keys[k][0]));
		const char *pod = json_string_value(json_object_get(a, keys[k][1]));
		const char *ctr = json_string_value(json_object_get(a, keys[k][2]));
		const char *type = json_string_value(json_object_get(a, keys[k][3]));
		char buf[ENG_NAME_MAX];
		if (!ns || !pod)
			continue;
		if (ctr && !(type && strcmp(type, "sandbox") == 0))
			snprintf(buf, sizeof(buf), "%s/%s/%s", ns, pod, ctr);
		else
			snprintf(buf, sizeof(buf), "%s/%s", ns, pod);
		return put_name(buf, name, size);
	}
	return false;
}

#define TASKS "run/containerd/io.containerd.runtime.v2.task"

/* containerd keeps one bundle per namespace/id; the namespaces are few. */
static bool containerd_name(const struct eng_disk *d, enum eng_kind kind,
			    const char *id, char *name, size_t size)
{
	char path[512];
	bool ok = false;
	int fd = -1;
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "run/containers/storage/overlay-containers/%s/userdata/config.json", id);
	if (kind == ENG_KUBERNETES) {
		json_t *j = load_json(d->host_fd, path, RECORD_CAP);
		ok = j && k8s_name_of(j, name, size);
		json_decref(j);
		if (ok)
			return true;
	}
	fd = openat(d->host_fd, TASKS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!ok && (e = readdir(dir))) {
		json_t *j;
		if (!eng_is_plain_id(e->d_name))
			continue;
		snprintf(path, sizeof(path), TASKS "/%s/%s/config.json", e->d_name, id);
		if (!(j = load_json(d->host_fd, path, RECORD_CAP)))
			continue;
		if (kind == ENG_KUBERNETES) {
			ok = k8s_name_of(j, name, size);
		} else {
			char buf[ENG_NAME_MAX];
			int len = snprintf(buf, sizeof(buf), "%s/%.12s", e->d_name, id);
			ok = len > 0 && (size_t)len < sizeof(buf) && put_name(buf, name, size);
		}
		json_decref(j);
	}
	closedir(dir);
	return ok;
}

bool eng_disk_name(const struct eng_disk *d, enum eng_kind kind,
		   const char *id, char *name, size_t size)
{
	if (kind != ENG_LXC && kind != ENG_NSPAWN && kind != ENG_NSTOP &&
	    kind != ENG_RUNC && kind != ENG_CRUN && !eng_is_hex_id(id, strlen(id)))
		return false;
	switch (kind) {
	case ENG_DOCKER:
		return docker_name(d, id, name, size);
	case ENG_PODMAN:
		return podman_name(d, id, name, size);
	case ENG_KUBERNETES:
	case ENG_CONTAINERD:
		return containerd_name(d, kind, id, name, size);
	default:
		/* The id is the name: LXC, nspawn, runc, crun and nstop name
		 * their cgroups and state directories after it. */
		return put_name(id, name, size);
	}
}

/* ---- runc and crun -------------------------------------------------------- */

static unsigned long long json_ull(json_t *v)
{
	if (json_is_integer(v) && json_integer_value(v) > 0)
		return (unsigned long long)json_integer_value(v);
	if (json_is_string(v))
		return strtoull(json_string_value(v), NULL, 10);
	return 0;
}

static bool parse_state(const char *buf, const char *pid_key,
			const char *start_key, struct eng_state_ent *e)
{
	json_t *j = json_loads(buf, 0, NULL);
	json_t *pid = json_object_get(j, pid_key);
	bool ok = json_is_integer(pid) && json_integer_value(pid) > 0 &&
		  json_integer_value(pid) < (1 << 22);

	if (ok) {
		e->pid = (pid_t)json_integer_value(pid);
		e->start_tics = json_ull(json_object_get(j, start_key));
	}
	json_decref(j);
	return ok;
}

bool eng_parse_runc_state(const char *buf, struct eng_state_ent *e)
{
	return parse_state(buf, "init_process_pid", "init_process_start", e);
}

bool eng_parse_crun_status(const char *buf, struct eng_state_ent *e)
{
	return parse_state(buf, "pid", "process-start-time", e);
}

static int list_dir(int host_fd, enum eng_kind kind, const char *dirpath,
		    const char *file, struct eng_state_ent **v, size_t *n,
		    size_t *cap)
{
	int fd = openat(host_fd, dirpath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir;
	struct dirent *de;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(dir))) {
		struct eng_state_ent e = { .kind = kind };
		char path[512], *buf;
		bool ok;

		if (!eng_is_plain_id(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dirpath, de->d_name, file);
		if (eng_read_file(host_fd, path, RECORD_CAP, &buf) < 0)
			continue;
		ok = kind == ENG_RUNC ? eng_parse_runc_state(buf, &e)
				      : eng_parse_crun_status(buf, &e);
		free(buf);
		if (!ok)
			continue;
		memcpy(e.id, de->d_name, strlen(de->d_name) + 1);
		struct eng_state_ent *nv = nst_grow(*v, *n, cap, sizeof(*nv), 16);
		if (!nv) {
			closedir(dir);
			return -ENOMEM;
		}
		*v = nv;
		(*v)[(*n)++] = e;
	}
	closedir(dir);
	return 0;
}

int eng_state_dirs(int host_fd, struct eng_state_ent **out, size_t *n)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = list_dir(host_fd, ENG_RUNC, "run/runc", "state.json", out, n, &cap);
	if (rc == 0)
		rc = list_dir(host_fd, ENG_CRUN, "run/crun", "status", out, n, &cap);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
