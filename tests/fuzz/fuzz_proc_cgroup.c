/*
 * /proc/PID/cgroup ("ID:CONTROLLERS:PATH" lines, paths a container's root
 * may name as it likes) and the path arithmetic done on what it gives: the
 * hierarchy a record belongs to, the path relative to a namespace root, the
 * root found from two views, the directory below the cgroup mount, and
 * what a namespace's member teaches about the namespace's root.
 * Input: CGROUP-FILE [NUL HOST-PATH].
 */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"
#include "nstop/cgns.h"
#include "nstop/cgroup.h"

/* A hybrid host: cgroup2 beside v1 hierarchies, as systemd mounts them. */
static const char layout_mountinfo[] =
	"30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs ro,mode=755\n"
	"31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
	"32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
	"33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
	"34 30 0:30 /sub /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"35 30 0:31 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
	"36 30 0:32 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n";

static struct cg_layout layout;

struct visit {
	const char *host;
	char prev[CG_PATH_MAX];
	size_t sum;
};

static int visit(int id, const char *controllers, const char *path, void *arg)
{
	struct visit *v = arg;
	char out[CG_PATH_MAX], small[8];
	int h = cg_layout_find(&layout, id, controllers);

	v->sum += fuzz_touch(controllers) + fuzz_touch(path);
	if (h >= 0 && cg_dir_of(&layout.h[h], path, out, sizeof(out)) == 0)
		v->sum += fuzz_touch(out);
	if (cg_path_relative(path, v->host, out, sizeof(out)) == 0)
		v->sum += fuzz_touch(out);
	if (cg_path_relative(v->host, path, out, sizeof(out)) == 0)
		v->sum += fuzz_touch(out);
	if (cg_path_relative(path, v->prev, small, sizeof(small)) == 0)
		v->sum += fuzz_touch(small);
	if (cg_root_from_views(v->host, path, out, sizeof(out)) == 0)
		v->sum += fuzz_touch(out);
	if (cg_root_from_views(path, v->prev, small, sizeof(small)) == 0)
		v->sum += fuzz_touch(small);
	snprintf(v->prev, sizeof(v->prev), "%s", path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size;
	char *text = fuzz_part(&d, &n), *host = fuzz_part(&d, &n), *copy;
	struct visit v = { .host = host };
	const char *hosts[CG_MAX_HIER] = { 0 };
	struct cgns_entry e = { 0 };

	if (!layout.n) {
		char *mi = strdup(layout_mountinfo);
		if (!mi)
			abort();
		cg_layout_from_mountinfo(mi, "/sys/fs/cgroup", &layout);
		free(mi);
		for (int i = 0, id = 1; i < layout.n; i++)
			layout.h[i].id = layout.h[i].v2 ? 0 : id++;
	}
	if (!text || !host || !(copy = strdup(text)))
		goto out;
	cg_parse_proc_cgroup(copy, visit, &v);
	free(copy);
	/* The host's paths of a namespace member, one per hierarchy. */
	for (int i = 0; i < layout.n; i++)
		hosts[i] = i % 2 ? host : "/system.slice/docker-1.scope";
	cgns_learn_from_cgroup(&e, &layout, text, hosts);
	for (int i = 0; i < CG_MAX_HIER; i++) {
		v.sum += fuzz_touch(e.root[i]);
		free(e.root[i]);
	}
out:
	free(text);
	free(host);
	return v.sum == (size_t)-1;
}
