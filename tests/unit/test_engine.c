/*
 * Every engine's containers: the cgroup path patterns (cgroupfs and systemd
 * drivers, kubepods shapes, as captured on real hosts), the records on disk
 * (in a tree made here), their untrusted handling, and the usage and limits
 * of v1 and v2 cgroup directories.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/engine.h"
#include "nstop/engine-scan.h"
#include "nstop/root.h"

#define ID1 "229d5c3db5d01ca650360f6ae39f0eae442a8291c469bd50c26b274ce44fbffc"
#define ID2 "7d521464c8fb8dbec1d9dfc28e3a018b2896d0a79c2764f338528716a61d333e"
#define UID "6b8f0a4e-2c3d-4a5b-9c8d-1e2f3a4b5c6d"
#define UIDU "6b8f0a4e_2c3d_4a5b_9c8d_1e2f3a4b5c6d"

/* ---- cgroup path patterns ---------------------------------------------------- */

static const struct {
	const char *path;
	int kind;		/* -1: no container */
	const char *id;
	const char *cgroup;	/* the container's own cgroup */
	const char *pod;
} paths[] = {
	/* Docker, cgroupfs driver (v1, hybrid and v2 alike) */
	{ "/docker/" ID1, ENG_DOCKER, ID1, "/docker/" ID1, "" },
	/* Docker, systemd driver */
	{ "/system.slice/docker-" ID1 ".scope", ENG_DOCKER, ID1,
	  "/system.slice/docker-" ID1 ".scope", "" },
	/* Docker in Docker: the inner one */
	{ "/docker/" ID1 "/docker/" ID2, ENG_DOCKER, ID2, "/docker/" ID1 "/docker/" ID2, "" },
	/* Docker inside an LXC container: the inner one */
	{ "/lxc.payload.c1/system.slice/docker-" ID2 ".scope", ENG_DOCKER, ID2,
	  "/lxc.payload.c1/system.slice/docker-" ID2 ".scope", "" },
	/* Kubernetes, cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" ID1, ENG_KUBERNETES, ID1,
	  "/kubepods/burstable/pod" UID "/" ID1, UID },
	{ "/kubepods/pod" UID "/" ID2, ENG_KUBERNETES, ID2, "/kubepods/pod" UID "/" ID2, UID },
	/* Kubernetes, systemd driver: containerd, CRI-O, dockershim */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UIDU
	  ".slice/cri-containerd-" ID1 ".scope", ENG_KUBERNETES, ID1,
	  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UIDU
	  ".slice/cri-containerd-" ID1 ".scope", UID },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/crio-" ID2 ".scope", ENG_KUBERNETES, ID2,
	  "/kubepods.slice/kubepods-pod" UIDU ".slice/crio-" ID2 ".scope", UID },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UIDU
	  ".slice/docker-" ID1 ".scope", ENG_KUBERNETES, ID1,
	  "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UIDU
	  ".slice/docker-" ID1 ".scope", UID },
	/* the pod's own cgroup and CRI-O's monitor are no container */
	{ "/kubepods/besteffort/pod" UID, -1, NULL, NULL, NULL },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/crio-conmon-" ID2 ".scope", -1, NULL, NULL, NULL },
	/* containerd outside Kubernetes */
	{ "/system.slice/cri-containerd-" ID1 ".scope", ENG_CONTAINERD, ID1,
	  "/system.slice/cri-containerd-" ID1 ".scope", "" },
	{ "/system.slice/containerd.service", -1, NULL, NULL, NULL },
	/* podman: systemd (rootful, rootless with its inner cgroup), cgroupfs */
	{ "/machine.slice/libpod-" ID1 ".scope", ENG_PODMAN, ID1,
	  "/machine.slice/libpod-" ID1 ".scope", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID2
	  ".scope/container", ENG_PODMAN, ID2,
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID2 ".scope", "" },
	{ "/libpod_parent/libpod-" ID1, ENG_PODMAN, ID1, "/libpod_parent/libpod-" ID1, "" },
	{ "/machine.slice/libpod-conmon-" ID1 ".scope", -1, NULL, NULL, NULL },
	/* LXC 4+ and older; its monitor is no container */
	{ "/lxc.payload.c1", ENG_LXC, "c1", "/lxc.payload.c1", "" },
	{ "/lxc.payload.c1/init.scope", ENG_LXC, "c1", "/lxc.payload.c1", "" },
	{ "/lxc.monitor.c1", -1, NULL, NULL, NULL },
	{ "/lxc/c2", ENG_LXC, "c2", "/lxc/c2", "" },
	{ "/user.slice/lxc/c2", -1, NULL, NULL, NULL },
	/* systemd-nspawn, unit-escaped; libvirt's VMs are not containers */
	{ "/machine.slice/machine-web\\x2d1.scope", ENG_NSPAWN, "web-1",
	  "/machine.slice/machine-web\\x2d1.scope", "" },
	{ "/machine.slice/machine-web\\x2d1.scope/payload", ENG_NSPAWN, "web-1",
	  "/machine.slice/machine-web\\x2d1.scope", "" },
	{ "/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope", -1, NULL, NULL, NULL },
	{ "/machine.slice/machine-bad\\x0aname.scope", -1, NULL, NULL, NULL },
	/* nstop's own */
	{ "/nstop/demo", ENG_NSTOP, "demo", "/nstop/demo", "" },
	{ "/nstop/demo/inner", ENG_NSTOP, "demo", "/nstop/demo", "" },
	{ "/nstop", -1, NULL, NULL, NULL },
	/* not an id: short, upper case, wrong length */
	{ "/docker/229d5c3db5d0", -1, NULL, NULL, NULL },
	{ "/docker/229D5C3DB5D01CA650360F6AE39F0EAE442A8291C469BD50C26B274CE44FBFFC", -1, NULL, NULL, NULL },
	{ "/system.slice/docker-" ID1 "0.scope", -1, NULL, NULL, NULL },
	{ "/system.slice/docker.service", -1, NULL, NULL, NULL },
	{ "/user.slice/user-0.slice/session-1.scope", -1, NULL, NULL, NULL },
	{ "/", -1, NULL, NULL, NULL },
	{ "", -1, NULL, NULL, NULL },
};

static void test_patterns(void **state)
{
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct eng_match m;
		bool hit = eng_match_cgroup(paths[i].path, &m);
		if (paths[i].kind < 0) {
			if (hit)
				fail_msg("%s: matched %s %s, expected none", paths[i].path,
					 eng_kind_name(m.kind), m.id);
			continue;
		}
		if (!hit)
			fail_msg("%s: no match", paths[i].path);
		assert_string_equal(eng_kind_name(m.kind), eng_kind_name(paths[i].kind));
		assert_string_equal(m.id, paths[i].id);
		assert_int_equal(m.len, strlen(paths[i].cgroup));
		assert_memory_equal(paths[i].path, paths[i].cgroup, m.len);
		assert_string_equal(m.pod, paths[i].pod);
	}
}

static void test_unescape(void **state)
{
	char out[64];
	const char *ok = "web\\x2d1\\x2eb";

	assert_true(eng_unescape_unit(ok, strlen(ok), out, sizeof(out)));
	assert_string_equal(out, "web-1.b");
	assert_false(eng_unescape_unit("a\\x1bb", 6, out, sizeof(out)));
	assert_false(eng_unescape_unit("", 0, out, sizeof(out)));
	assert_false(eng_unescape_unit("abcdef", 6, out, 4));
}

static void test_ids(void **state)
{
	assert_true(eng_is_hex_id(ID1, 64));
	assert_false(eng_is_hex_id(ID1, 63));
	assert_true(eng_is_plain_id("nstop-test-runc.1"));
	assert_false(eng_is_plain_id("../etc"));
	assert_false(eng_is_plain_id(".hidden"));
	assert_false(eng_is_plain_id("a/b"));
	assert_false(eng_is_plain_id(""));
}

/*
 * The PID a container is shown with: its init, the top of its tree, not the
 * lowest member pid. Here the pids wrapped: a `docker exec` shell (pid 40,
 * started last) and its child (41) sit below the init (900), whose child is
 * 950; the shim (800) is not a member.
 */
static void test_ctr_top(void **state)
{
	struct scan_proc procs[] = {
		{ .pid = 40, .ppid = 800, .start_tics = 5000 },
		{ .pid = 41, .ppid = 40, .start_tics = 5001 },
		{ .pid = 800, .ppid = 1, .start_tics = 90 },
		{ .pid = 900, .ppid = 800, .start_tics = 100 },
		{ .pid = 950, .ppid = 900, .start_tics = 120 },
	};
	struct snapshot snap = { .nprocs = 5, .procs = procs };
	pid_t members[] = { 40, 41, 900, 950 };
	struct eng_ctr c = { .nprocs = 4, .pids = members };

	(void)state;
	assert_int_equal(eng_ctr_top(&snap, &c), 900);
	/* the init gone: of the tops left, the one started first (950, reparented) */
	pid_t rest[] = { 40, 41, 950 };
	struct eng_ctr d = { .nprocs = 3, .pids = rest };
	procs[4].ppid = 1;	/* 950 reparented to the host's init */
	assert_int_equal(eng_ctr_top(&snap, &d), 950);
	/* none in the snapshot */
	pid_t gone[] = { 7 };
	struct eng_ctr e = { .nprocs = 1, .pids = gone };
	assert_int_equal(eng_ctr_top(&snap, &e), 0);
}

static void test_labels_and_hints(void **state)
{
	struct eng_ctr c = { .kind = ENG_DOCKER, .id = ID1, .name = "web" };
	char buf[128];

	eng_ctr_label(&c, buf, sizeof(buf));
	assert_string_equal(buf, "docker:web");
	eng_ctr_hint(&c, "freeze", buf, sizeof(buf));
	assert_string_equal(buf, "docker pause web");
	eng_ctr_hint(&c, "rm", buf, sizeof(buf));
	assert_string_equal(buf, "docker rm -f web");
	c.kind = ENG_LXC;
	c.name = "c1";
	eng_ctr_hint(&c, "freeze", buf, sizeof(buf));
	assert_string_equal(buf, "lxc-freeze -n c1");
	c.kind = ENG_KUBERNETES;
	c.name = "default/web/nginx";
	eng_ctr_label(&c, buf, sizeof(buf));
	assert_string_equal(buf, "k8s:default/web/nginx");
	c.kind = ENG_RUNC;
	c.id = "r1";
	eng_ctr_hint(&c, "thaw", buf, sizeof(buf));
	assert_string_equal(buf, "runc resume r1");
}

/* ---- records on disk ------------------------------------------------------------ */

struct tree {
	char dir[64];
	int fd;
};

static void put(struct tree *t, const char *rel, const char *text)
{
	char path[512], *slash;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	for (slash = strchr(path + strlen(t->dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/nstop-unit-engine.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	t->fd = open(t->dir, O_PATH | O_DIRECTORY);
	*state = t;
	return t->fd < 0 ? -1 : 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	close(t->fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static struct eng_disk disk_of(const struct tree *t)
{
	struct eng_disk d = { .host_fd = t->fd, .ndocker_roots = 2 };

	snprintf(d.docker_roots[0], sizeof(d.docker_roots[0]), "srv/docker");
	snprintf(d.docker_roots[1], sizeof(d.docker_roots[1]), "var/lib/docker");
	return d;
}

static void test_docker_names(void **state)
{
	struct tree *t = *state;
	struct eng_disk d = disk_of(t);
	char name[ENG_NAME_MAX];

	put(t, "srv/docker/containers/" ID1 "/config.v2.json",
	    "{\"ID\":\"" ID1 "\",\"Name\":\"/web\",\"State\":{\"Running\":true}}");
	assert_true(eng_disk_name(&d, ENG_DOCKER, ID1, name, sizeof(name)));
	assert_string_equal(name, "web");
	/* the second root; a control character is shown as '?' */
	put(t, "var/lib/docker/containers/" ID2 "/config.v2.json",
	    "{\"ID\":\"" ID2 "\",\"Name\":\"/a\\u001b[2Jb\"}");
	assert_true(eng_disk_name(&d, ENG_DOCKER, ID2, name, sizeof(name)));
	assert_string_equal(name, "a?[2Jb");
}

static void test_docker_untrusted(void **state)
{
	struct tree *t = *state;
	struct eng_disk d = disk_of(t);
	char name[ENG_NAME_MAX], path[512];

	/* a record that claims another container's id */
	put(t, "srv/docker/containers/" ID1 "/config.v2.json",
	    "{\"ID\":\"" ID2 "\",\"Name\":\"/liar\"}");
	assert_false(eng_disk_name(&d, ENG_DOCKER, ID1, name, sizeof(name)));
	/* a symlinked record, and a symlinked directory on the way */
	put(t, "elsewhere/config.v2.json", "{\"ID\":\"" ID2 "\",\"Name\":\"/secret\"}");
	snprintf(path, sizeof(path), "%s/srv/docker/containers/" ID2, t->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/srv/docker/containers/" ID2 "/config.v2.json", t->dir);
	assert_int_equal(symlink("../../../../elsewhere/config.v2.json", path), 0);
	assert_false(eng_disk_name(&d, ENG_DOCKER, ID2, name, sizeof(name)));
	snprintf(path, sizeof(path), "%s/var", t->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", t->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/docker", t->dir);
	assert_int_equal(symlink("../../srv/docker", path), 0);
	assert_false(eng_disk_name(&d, ENG_DOCKER, ID2, name, sizeof(name)));
	/* not an id: never a path */
	assert_false(eng_disk_name(&d, ENG_DOCKER, "../../elsewhere", name, sizeof(name)));
}

static void test_read_file_limits(void **state)
{
	struct tree *t = *state;
	char path[512], *buf;

	put(t, "f", "12345");
	assert_int_equal(eng_read_file(t->fd, "f", 5, &buf), 5);
	assert_string_equal(buf, "12345");
	free(buf);
	assert_int_equal(eng_read_file(t->fd, "f", 4, &buf), -EFBIG);
	assert_null(buf);
	snprintf(path, sizeof(path), "%s/fifo", t->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(eng_read_file(t->fd, "fifo", 100, &buf), -EINVAL);
	snprintf(path, sizeof(path), "%s/link", t->dir);
	assert_int_equal(symlink("f", path), 0);
	assert_int_equal(eng_read_file(t->fd, "link", 100, &buf), -ELOOP);
	assert_int_equal(eng_read_file(t->fd, "../f", 100, &buf), -EINVAL);
}

static void test_podman_and_k8s_names(void **state)
{
	struct tree *t = *state;
	struct eng_disk d = disk_of(t);
	char name[ENG_NAME_MAX];

	put(t, "var/lib/containers/storage/overlay-containers/containers.json",
	    "[{\"id\":\"" ID2 "\",\"names\":[\"db\"]},{\"id\":\"" ID1 "\",\"names\":[\"web\",\"x\"]}]");
	assert_true(eng_disk_name(&d, ENG_PODMAN, ID1, name, sizeof(name)));
	assert_string_equal(name, "web");
	put(t, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
	    "\"io.kubernetes.cri.container-name\":\"nginx\","
	    "\"io.kubernetes.cri.sandbox-name\":\"web-0\","
	    "\"io.kubernetes.cri.sandbox-namespace\":\"prod\"}}");
	assert_true(eng_disk_name(&d, ENG_KUBERNETES, ID1, name, sizeof(name)));
	assert_string_equal(name, "prod/web-0/nginx");
	put(t, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID2 "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\","
	    "\"io.kubernetes.cri.sandbox-name\":\"web-0\","
	    "\"io.kubernetes.cri.sandbox-namespace\":\"prod\"}}");
	assert_true(eng_disk_name(&d, ENG_KUBERNETES, ID2, name, sizeof(name)));
	assert_string_equal(name, "prod/web-0");
	/* CRI-O's bundle */
	put(t, "run/containers/storage/overlay-containers/" ID1 "/userdata/config.json",
	    "{\"annotations\":{\"io.kubernetes.pod.namespace\":\"kube-system\","
	    "\"io.kubernetes.pod.name\":\"dns\",\"io.kubernetes.container.name\":\"coredns\"}}");
	assert_true(eng_disk_name(&d, ENG_KUBERNETES, ID1, name, sizeof(name)));
	assert_string_equal(name, "kube-system/dns/coredns");
	/* plain containerd: namespace/short id */
	put(t, "run/containerd/io.containerd.runtime.v2.task/default/" ID2 "/config.json", "{}");
	assert_true(eng_disk_name(&d, ENG_CONTAINERD, ID2, name, sizeof(name)));
	assert_true(strcmp(name, "default/7d521464c8fb") == 0 || strcmp(name, "k8s.io/7d521464c8fb") == 0);
}

static void test_state_dirs(void **state)
{
	struct tree *t = *state;
	struct eng_state_ent *v;
	size_t n;
	char path[512];

	put(t, "run/runc/r1/state.json", "{\"id\":\"r1\",\"init_process_pid\":4242,"
	    "\"init_process_start\":123456,\"cgroup_paths\":{}}");
	put(t, "run/crun/c1/status", "{\n\"pid\" : 777,\n\"process-start-time\" : 99,\n"
	    "\"cgroup-path\" : \"/c1\"\n}");
	put(t, "run/crun/bad/status", "{\"pid\": -1}");
	put(t, "run/runc/.hidden/state.json", "{\"init_process_pid\":1}");
	snprintf(path, sizeof(path), "%s/run/runc/evil", t->dir);
	assert_int_equal(symlink("r1", path), 0);
	assert_int_equal(eng_state_dirs(t->fd, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].kind, ENG_RUNC);
	assert_string_equal(v[0].id, "r1");
	assert_int_equal(v[0].pid, 4242);
	assert_int_equal(v[0].start_tics, 123456);
	assert_int_equal(v[1].kind, ENG_CRUN);
	assert_string_equal(v[1].id, "c1");
	assert_int_equal(v[1].pid, 777);
	assert_int_equal(v[1].start_tics, 99);
	free(v);
}

/* ---- usage and limits --------------------------------------------------------- */

static void test_usage_v2(void **state)
{
	struct tree *t = *state;
	struct nst_root root = { .cg_fd = t->fd };
	struct cg_hier h = { .v2 = true };
	struct eng_usage u;

	snprintf(h.controllers, sizeof(h.controllers), "cpuset cpu memory pids");
	put(t, "c/cpu.stat", "usage_usec 5000000\nuser_usec 1\nsystem_usec 2\nnr_periods 200\n"
	    "nr_throttled 50\nthrottled_usec 777000\n");
	put(t, "c/cpu.max", "50000 100000\n");
	put(t, "c/cpu.weight", "20\n");
	put(t, "c/memory.current", "1048576\n");
	put(t, "c/memory.peak", "2097152\n");
	put(t, "c/memory.max", "67108864\n");
	put(t, "c/memory.high", "max\n");
	put(t, "c/memory.swap.max", "max\n");
	put(t, "c/pids.current", "3\n");
	put(t, "c/pids.max", "50\n");
	put(t, "c/cpuset.cpus", "0\n");
	put(t, "c/cgroup.events", "populated 1\nfrozen 1\n");
	eng_usage_clear(&u);
	eng_usage_read(&root, &h, "c", &u);
	assert_int_equal(u.cpu_usage_usec, 5000000);
	assert_int_equal(u.nr_periods, 200);
	assert_int_equal(u.nr_throttled, 50);
	assert_int_equal(u.throttled_usec, 777000);
	assert_int_equal(u.cpu_quota_usec, 50000);
	assert_int_equal(u.cpu_period_usec, 100000);
	assert_int_equal(u.cpu_weight, 20);
	assert_int_equal(u.cpu_shares, CG_UNKNOWN);
	assert_int_equal(u.memory_bytes, 1048576);
	assert_int_equal(u.memory_peak_bytes, 2097152);
	assert_int_equal(u.memory_limit, 67108864);
	assert_int_equal(u.memory_high, CG_UNLIMITED);
	assert_int_equal(u.pids_limit, 50);
	assert_string_equal(u.cpuset, "0");
	assert_int_equal(u.frozen, 1);
	/* an empty cpuset.cpus inherits: not set */
	put(t, "d/cpuset.cpus", "\n");
	eng_usage_clear(&u);
	eng_usage_read(&root, &h, "d", &u);
	assert_string_equal(u.cpuset, "");
	assert_int_equal(u.memory_limit, CG_UNKNOWN);
	assert_int_equal(u.frozen, -1);
}

/* v1 as Debian 12's hybrid host mounts it: cpu and cpuacct apart. */
static void test_usage_v1(void **state)
{
	struct tree *t = *state;
	struct nst_root root = { .cg_fd = t->fd };
	struct cg_hier cpu = { 0 }, acct = { 0 }, mem = { 0 }, cpuset = { 0 }, frz = { 0 };
	struct eng_usage u;

	snprintf(cpu.controllers, sizeof(cpu.controllers), "cpu");
	snprintf(cpu.dir, sizeof(cpu.dir), "cpu");
	snprintf(acct.controllers, sizeof(acct.controllers), "cpuacct");
	snprintf(mem.controllers, sizeof(mem.controllers), "memory");
	snprintf(cpuset.controllers, sizeof(cpuset.controllers), "cpuset");
	snprintf(cpuset.dir, sizeof(cpuset.dir), "cpuset");
	snprintf(frz.controllers, sizeof(frz.controllers), "freezer");
	put(t, "cpu/x/cpu.cfs_quota_us", "-1\n");
	put(t, "cpu/x/cpu.cfs_period_us", "100000\n");
	put(t, "cpu/x/cpu.shares", "512\n");
	put(t, "cpu/x/cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 2000000\n");
	put(t, "cpuacct/x/cpuacct.usage", "3000000000\n");
	put(t, "memory/x/memory.usage_in_bytes", "4096\n");
	put(t, "memory/x/memory.max_usage_in_bytes", "8192\n");
	put(t, "memory/x/memory.limit_in_bytes", "9223372036854771712\n");
	put(t, "cpuset/cpuset.cpus", "0-1\n");
	put(t, "cpuset/x/cpuset.cpus", "0-1\n");
	put(t, "cpuset/y/cpuset.cpus", "1\n");
	put(t, "freezer/x/freezer.state", "THAWED\n");
	eng_usage_clear(&u);
	eng_usage_read(&root, &cpu, "cpu/x", &u);
	eng_usage_read(&root, &acct, "cpuacct/x", &u);
	eng_usage_read(&root, &mem, "memory/x", &u);
	eng_usage_read(&root, &cpuset, "cpuset/x", &u);
	eng_usage_read(&root, &frz, "freezer/x", &u);
	assert_int_equal(u.cpu_quota_usec, CG_UNLIMITED);
	assert_int_equal(u.cpu_period_usec, 100000);
	assert_int_equal(u.cpu_shares, 512);
	assert_int_equal(u.cpu_weight, CG_UNKNOWN);
	assert_int_equal(u.nr_periods, 10);
	assert_int_equal(u.nr_throttled, 4);
	assert_int_equal(u.throttled_usec, 2000);
	assert_int_equal(u.cpu_usage_usec, 3000000);
	assert_int_equal(u.memory_bytes, 4096);
	assert_int_equal(u.memory_peak_bytes, 8192);
	assert_int_equal(u.memory_limit, CG_UNLIMITED);
	/* copied from the root: not set; different: set */
	assert_string_equal(u.cpuset, "");
	assert_int_equal(u.frozen, 0);
	eng_usage_clear(&u);
	eng_usage_read(&root, &cpuset, "cpuset/y", &u);
	assert_string_equal(u.cpuset, "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_labels_and_hints),
		cmocka_unit_test(test_ctr_top),
		cmocka_unit_test_setup_teardown(test_docker_names, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_docker_untrusted, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_read_file_limits, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_podman_and_k8s_names, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_state_dirs, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_usage_v2, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_usage_v1, tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
