/*
 * Cgroup layouts from literal mountinfo, /proc/PID/cgroup records, and the
 * path arithmetic of cgroup_namespaces(7).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "nstop/cgroup.h"
#include "nstop/root.h"

/* ---- helpers ------------------------------------------------------------ */

#define BASE_MOUNTS \
	"1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" \
	"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n" \
	"23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"

/* This machine's systemd hybrid layout, as its mountinfo shows it. */
static const char hybrid_mi[] = BASE_MOUNTS
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	"34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
	"37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
	"38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
	"39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime shared:9 - cgroup cgroup rw,xattr,name=systemd\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

static const char v2_mi[] = BASE_MOUNTS
	"30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	"31 23 0:27 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:5 - pstore pstore rw\n";

static const char v1_mi[] = BASE_MOUNTS
	"30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755\n"
	"31 30 0:27 / /sys/fs/cgroup/systemd rw,nosuid shared:5 - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd\n"
	"32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:6 - cgroup cgroup rw,cpu,cpuacct\n"
	"33 30 0:29 / /sys/fs/cgroup/memory rw,nosuid shared:7 - cgroup cgroup rw,memory\n"
	"34 30 0:30 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:8 - cgroup cgroup rw,net_cls,net_prio\n"
	"35 30 0:31 / /sys/fs/cgroup/pids rw,nosuid shared:9 - cgroup cgroup rw,pids\n";

static const struct cg_hier *hier_at(const struct cg_layout *L, const char *mount)
{
	int i = index_of_mount(L, mount);

	if (i < 0)
		fail_msg("no hierarchy mounted at %s", mount);
	return &L->h[i];
}

static void assert_v1_hier(const struct cg_layout *L, const char *mount,
			   const char *controllers, const char *dir)
{
	const struct cg_hier *h = hier_at(L, mount);

	assert_false(h->v2);
	assert_int_equal(h->id, -1);	/* numbered only from /proc/self/cgroup */
	assert_string_equal(h->controllers, controllers);
	assert_string_equal(h->dir, dir);
	assert_string_equal(h->mnt_root, "/");
}

/* ---- layouts ------------------------------------------------------------ */

/* One check of a controller list for every reader: a v1 hierarchy's
 * "cpu,cpuacct", cgroup.controllers' "cpuset cpu io", a file's last newline. */
static void test_has_controller(void **state)
{
	(void)state;
	assert_true(cg_has_controller("cpu,cpuacct", "cpu"));
	assert_true(cg_has_controller("cpu,cpuacct", "cpuacct"));
	assert_false(cg_has_controller("cpuacct", "cpu"));
	assert_false(cg_has_controller("cpu,cpuacct", "cpuac"));
	assert_true(cg_has_controller("cpuset cpu io memory pids", "memory"));
	assert_true(cg_has_controller("cpuset cpu io\nmemory pids\n", "memory"));
	assert_true(cg_has_controller("cpu io memory\n", "memory"));
	assert_false(cg_has_controller("name=systemd", "systemd"));
	assert_false(cg_has_controller("", "cpu"));
}

static void test_layout_hybrid(void **state)
{
	struct cg_layout L;

	layout_of(hybrid_mi, &L);
	assert_int_equal(L.mode, CG_MODE_HYBRID);
	assert_int_equal(L.n, 10);
	assert_v1_hier(&L, "/sys/fs/cgroup/cpu", "cpu", "cpu");
	assert_v1_hier(&L, "/sys/fs/cgroup/cpuacct", "cpuacct", "cpuacct");
	assert_v1_hier(&L, "/sys/fs/cgroup/cpuset", "cpuset", "cpuset");
	assert_v1_hier(&L, "/sys/fs/cgroup/memory", "memory", "memory");
	assert_v1_hier(&L, "/sys/fs/cgroup/devices", "devices", "devices");
	assert_v1_hier(&L, "/sys/fs/cgroup/freezer", "freezer", "freezer");
	assert_v1_hier(&L, "/sys/fs/cgroup/blkio", "blkio", "blkio");
	assert_v1_hier(&L, "/sys/fs/cgroup/pids", "pids", "pids");
	assert_v1_hier(&L, "/sys/fs/cgroup/systemd", "name=systemd", "systemd");

	const struct cg_hier *u = hier_at(&L, "/sys/fs/cgroup/unified");
	assert_true(u->v2);
	assert_int_equal(u->id, 0);
	assert_string_equal(u->dir, "unified");
	assert_string_equal(u->mnt_root, "/");
}

static void test_layout_pure_v2(void **state)
{
	struct cg_layout L;

	layout_of(v2_mi, &L);
	assert_int_equal(L.mode, CG_MODE_V2);
	assert_int_equal(L.n, 1);
	assert_true(L.h[0].v2);
	assert_int_equal(L.h[0].id, 0);
	assert_string_equal(L.h[0].mount, "/sys/fs/cgroup");
	assert_string_equal(L.h[0].dir, ".");
	assert_string_equal(L.h[0].mnt_root, "/");
}

static void test_layout_pure_v1_co_mounted(void **state)
{
	struct cg_layout L;

	layout_of(v1_mi, &L);
	assert_int_equal(L.mode, CG_MODE_V1);
	assert_int_equal(L.n, 5);
	assert_v1_hier(&L, "/sys/fs/cgroup/systemd", "name=systemd", "systemd");
	assert_v1_hier(&L, "/sys/fs/cgroup/cpu,cpuacct", "cpu,cpuacct", "cpu,cpuacct");
	assert_v1_hier(&L, "/sys/fs/cgroup/memory", "memory", "memory");
	assert_v1_hier(&L, "/sys/fs/cgroup/net_cls,net_prio", "net_cls,net_prio",
		       "net_cls,net_prio");
	assert_v1_hier(&L, "/sys/fs/cgroup/pids", "pids", "pids");
}

static void test_layout_nothing_mounted(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS, &L);
	assert_int_equal(L.mode, CG_MODE_UNKNOWN);
	assert_int_equal(L.n, 0);
}

static void test_layout_ignores_cgroup_mounts_elsewhere(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		  "50 1 0:40 / /run/other-cg rw - cgroup cgroup rw,memory\n"
		  "51 23 0:41 / /sys/fs/cgroupx rw - cgroup cgroup rw,pids\n", &L);
	assert_int_equal(L.mode, CG_MODE_V2);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].mount, "/sys/fs/cgroup");
}

static void test_layout_v1_mount_without_controller_is_skipped(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/none rw - cgroup cgroup rw,xattr\n"
		  "32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", &L);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].controllers, "memory");
}

static void test_layout_later_mount_on_same_point_wins(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		  "32 30 0:28 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
		  "33 31 0:27 /sub /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		  "34 32 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,freezer\n", &L);
	assert_int_equal(L.mode, CG_MODE_V1);
	assert_int_equal(L.n, 2);
	assert_string_equal(hier_at(&L, "/sys/fs/cgroup/memory")->mnt_root, "/sub");
	assert_string_equal(hier_at(&L, "/sys/fs/cgroup/pids")->controllers, "freezer");
}

static void test_layout_non_cgroup_mount_on_a_point_hides_it(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		  "32 30 0:28 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
		  "33 31 0:30 / /sys/fs/cgroup/memory rw - tmpfs tmpfs rw\n", &L);
	assert_int_equal(L.n, 1);
	assert_int_equal(index_of_mount(&L, "/sys/fs/cgroup/memory"), -1);
	assert_string_equal(L.h[0].controllers, "pids");
}

static void test_layout_later_tmpfs_on_root_hides_everything_before(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		  "32 30 0:28 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
		  "40 30 0:50 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "41 40 0:51 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n", &L);
	assert_int_equal(L.mode, CG_MODE_V1);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].controllers, "pids");
}

static void test_layout_cgroup2_over_a_v1_layout(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		  "40 30 0:50 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n", &L);
	assert_int_equal(L.mode, CG_MODE_V2);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].dir, ".");
}

static void test_layout_later_mount_on_sys_hides_it_all(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		  "60 1 0:60 / /sys rw - sysfs sysfs rw\n", &L);
	assert_int_equal(L.mode, CG_MODE_UNKNOWN);
	assert_int_equal(L.n, 0);
}

static void test_layout_mount_below_a_hierarchy_keeps_it(void **state)
{
	struct cg_layout L;

	layout_of(BASE_MOUNTS
		  "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		  "31 30 0:27 / /sys/fs/cgroup/sub/dir rw - tmpfs tmpfs rw\n", &L);
	assert_int_equal(L.n, 1);
	assert_true(L.h[0].v2);
}

static void test_layout_container_own_and_inherited_roots(void **state)
{
	struct cg_layout L;

	/* A container that mounted cgroup2 itself sees its namespace root "/". */
	layout_of("100 99 0:50 / / rw - overlay overlay rw\n"
		  "101 100 0:51 / /sys rw - sysfs sysfs ro\n"
		  "102 101 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &L);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].mnt_root, "/");

	/* One that inherited the host's mount sees it above its root. */
	layout_of("100 99 0:50 / / rw - overlay overlay rw\n"
		  "101 100 0:51 / /sys rw - sysfs sysfs ro\n"
		  "102 101 0:26 /.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &L);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].mnt_root, "/..");

	/* And a v1 one bound from a subtree of the host's hierarchy. */
	layout_of("100 99 0:50 / / rw - overlay overlay rw\n"
		  "101 100 0:51 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		  "102 101 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", &L);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.h[0].mnt_root, "/docker/abc");
	assert_string_equal(L.h[0].dir, "memory");
}

static void test_layout_other_cgroup_root(void **state)
{
	char mi[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
		    "30 1 0:26 / /srv/cg rw - cgroup2 cgroup2 rw\n"
		    "31 1 0:27 / /sys/fs/cgroup rw - cgroup cgroup rw,memory\n";
	struct cg_layout L;

	assert_int_equal(cg_layout_from_mountinfo(mi, "/srv/cg", &L), 0);
	assert_int_equal(L.n, 1);
	assert_true(L.h[0].v2);
	assert_string_equal(L.h[0].dir, ".");
}

static void test_mode_names(void **state)
{
	assert_string_equal(cg_mode_name(CG_MODE_V1), "v1");
	assert_string_equal(cg_mode_name(CG_MODE_V2), "v2");
	assert_string_equal(cg_mode_name(CG_MODE_HYBRID), "hybrid");
	assert_string_equal(cg_mode_name(CG_MODE_UNKNOWN), "unknown");
}

static void test_is_controller_opt(void **state)
{
	static const char *const yes[] = {
		"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
		"pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc",
		"io", "name=systemd", "name=x",
	};
	static const char *const no[] = {
		"rw", "ro", "xattr", "nsdelegate", "memory_recursiveprot", "noprefix",
		"clone_children", "release_agent=/bin/x", "name=", "", "cpu_x", "cpus",
		"mem", "Memory",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!cg_is_controller_opt(yes[i]))
			fail_msg("\"%s\" is a controller option", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (cg_is_controller_opt(no[i]))
			fail_msg("\"%s\" is not a controller option", no[i]);
}

/* ---- cg_layout_find ----------------------------------------------------- */

static void test_find_v2_by_id_zero(void **state)
{
	struct cg_layout L;

	layout_of(hybrid_mi, &L);
	assert_int_equal(cg_layout_find(&L, 0, ""), index_of_mount(&L, "/sys/fs/cgroup/unified"));
	layout_of(v2_mi, &L);
	assert_int_equal(cg_layout_find(&L, 0, ""), 0);
	layout_of(v1_mi, &L);
	assert_int_equal(cg_layout_find(&L, 0, ""), -1);
}

static void test_find_by_controllers_in_any_order(void **state)
{
	struct cg_layout L;
	int cpu;

	layout_of(v1_mi, &L);
	cpu = index_of_mount(&L, "/sys/fs/cgroup/cpu,cpuacct");
	assert_int_equal(cg_layout_find(&L, -1, "cpu,cpuacct"), cpu);
	assert_int_equal(cg_layout_find(&L, -1, "cpuacct,cpu"), cpu);
	assert_int_equal(cg_layout_find(&L, -1, "net_prio,net_cls"),
			 index_of_mount(&L, "/sys/fs/cgroup/net_cls,net_prio"));
	assert_int_equal(cg_layout_find(&L, -1, "name=systemd"),
			 index_of_mount(&L, "/sys/fs/cgroup/systemd"));
	/* A subset or a superset is another hierarchy. */
	assert_int_equal(cg_layout_find(&L, -1, "cpu"), -1);
	assert_int_equal(cg_layout_find(&L, -1, "cpuacct"), -1);
	assert_int_equal(cg_layout_find(&L, -1, "cpu,cpuacct,memory"), -1);
	assert_int_equal(cg_layout_find(&L, -1, "freezer"), -1);
	assert_int_equal(cg_layout_find(&L, -1, ""), -1);
}

static void test_find_by_id(void **state)
{
	struct cg_layout L;
	int mem, pids;

	layout_of(v1_mi, &L);
	mem = index_of_mount(&L, "/sys/fs/cgroup/memory");
	pids = index_of_mount(&L, "/sys/fs/cgroup/pids");
	for (int i = 0; i < L.n; i++)
		L.h[i].id = 10 + i;
	assert_int_equal(cg_layout_find(&L, 10 + mem, "memory"), mem);
	assert_int_equal(cg_layout_find(&L, 10 + pids, "pids"), pids);
	/* Numbered hierarchies are matched by their number. */
	assert_int_equal(cg_layout_find(&L, 99, "memory"), -1);
	/* id -1 still asks by controllers. */
	assert_int_equal(cg_layout_find(&L, -1, "memory"), mem);
}

static void test_find_by_id_falls_back_to_controllers_when_unnumbered(void **state)
{
	struct cg_layout L;

	layout_of(v1_mi, &L);
	assert_int_equal(cg_layout_find(&L, 7, "memory"),
			 index_of_mount(&L, "/sys/fs/cgroup/memory"));
}

/* ---- cg_layout_discover on the fixture trees ----------------------------- */

static void open_fixture(struct nst_root *root, const char *name)
{
	if (fixture_root_open(root, name) < 0)
		fail_msg("cannot open the fixture %s", name);
}

static void test_discover_numbers_v1_hierarchies_from_self_cgroup(void **state)
{
	struct nst_root root;
	struct nst_err err = { 0 };
	struct cg_layout L;

	open_fixture(&root, "v1");
	assert_int_equal(cg_layout_discover(&root, &L, &err), 0);
	assert_int_equal(L.mode, CG_MODE_V1);
	assert_int_equal(L.n, 6);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/systemd")->id, 6);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/net_cls,net_prio")->id, 5);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/freezer")->id, 4);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/pids")->id, 3);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/memory")->id, 2);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/cpu,cpuacct")->id, 1);
	nst_root_clear(&root);
}

static void test_discover_reads_cgroup2_controllers(void **state)
{
	struct nst_root root;
	struct nst_err err = { 0 };
	struct cg_layout L;

	open_fixture(&root, "v2");
	assert_int_equal(cg_layout_discover(&root, &L, &err), 0);
	assert_int_equal(L.mode, CG_MODE_V2);
	assert_int_equal(L.n, 1);
	assert_int_equal(L.h[0].id, 0);
	assert_string_equal(L.h[0].controllers, "cpuset cpu io memory hugetlb pids rdma misc");
	nst_root_clear(&root);

	open_fixture(&root, "hybrid");
	assert_int_equal(cg_layout_discover(&root, &L, &err), 0);
	assert_int_equal(L.mode, CG_MODE_HYBRID);
	assert_int_equal(L.n, 10);
	assert_string_equal(hier_at(&L, "/sys/fs/cgroup/unified")->controllers, "");
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/memory")->id, 4);
	assert_int_equal(hier_at(&L, "/sys/fs/cgroup/systemd")->id, 9);
	nst_root_clear(&root);
}

static void test_discover_without_hierarchies_says_so(void **state)
{
	struct nst_root root;
	struct nst_err err = { 0 };
	struct cg_layout L;

	open_fixture(&root, "v2");
	/* Nothing in the fixture's mountinfo lies below this path. */
	snprintf(root.cg_path, sizeof(root.cg_path), "%s", "/srv/nothing");
	assert_int_equal(cg_layout_discover(&root, &L, &err), -ENOENT);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "/srv/nothing"));
	assert_null(strchr(err.msg, '\n'));
	nst_root_clear(&root);
}

/* ---- /proc/PID/cgroup --------------------------------------------------- */

struct records {
	int n;
	int id[16];
	char ctl[16][64];
	char path[16][128];
	int stop_after;
};

static int collect(int id, const char *controllers, const char *path, void *arg)
{
	struct records *r = arg;

	if (r->n < 16) {
		r->id[r->n] = id;
		snprintf(r->ctl[r->n], sizeof(r->ctl[0]), "%s", controllers);
		snprintf(r->path[r->n], sizeof(r->path[0]), "%s", path);
	}
	r->n++;
	return r->n == r->stop_after ? 42 : 0;
}

static int parse_cgroup(const char *text, struct records *r)
{
	char buf[1024];

	memset(r, 0, sizeof(*r));
	snprintf(buf, sizeof(buf), "%s", text);
	return cg_parse_proc_cgroup(buf, collect, r);
}

static void test_proc_cgroup_v2(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("0::/user.slice/user-1000.slice/session-2.scope\n", &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.id[0], 0);
	assert_string_equal(r.ctl[0], "");
	assert_string_equal(r.path[0], "/user.slice/user-1000.slice/session-2.scope");
}

static void test_proc_cgroup_v1(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("12:name=systemd:/init.scope\n"
				      "4:cpu,cpuacct:/\n"
				      "3:net_cls,net_prio:/docker/abc\n", &r), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.id[0], 12);
	assert_string_equal(r.ctl[0], "name=systemd");
	assert_string_equal(r.path[0], "/init.scope");
	assert_int_equal(r.id[1], 4);
	assert_string_equal(r.ctl[1], "cpu,cpuacct");
	assert_string_equal(r.path[1], "/");
	assert_int_equal(r.id[2], 3);
	assert_string_equal(r.path[2], "/docker/abc");
}

static void test_proc_cgroup_hybrid_without_final_newline(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("9:name=systemd:/\n"
				      "4:memory:/process_api/e885\n"
				      "0::/", &r), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.path[1], "/process_api/e885");
	assert_int_equal(r.id[2], 0);
	assert_string_equal(r.path[2], "/");
}

static void test_proc_cgroup_path_with_colons(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("0::/a:b/c::d\n1:name=x:/e:f\n", &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.path[0], "/a:b/c::d");
	assert_string_equal(r.ctl[1], "name=x");
	assert_string_equal(r.path[1], "/e:f");
}

static void test_proc_cgroup_path_outside_namespace_root(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("0::/../../sibling\n", &r), 0);
	assert_string_equal(r.path[0], "/../../sibling");
}

static void test_proc_cgroup_malformed(void **state)
{
	static const char *const bad[] = {
		"garbage\n", "0:/\n", "x:cpu:/\n", ":cpu:/\n", "-1:cpu:/\n",
		"1x:cpu:/\n", "0::/\nnot a record\n",
	};
	struct records r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_cgroup(bad[i], &r) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
}

static void test_proc_cgroup_empty_and_callback_stop(void **state)
{
	struct records r;

	assert_int_equal(parse_cgroup("", &r), 0);
	assert_int_equal(r.n, 0);

	memset(&r, 0, sizeof(r));
	char buf[] = "3:pids:/\n2:memory:/\n1:cpu:/\n";
	r.stop_after = 2;
	assert_int_equal(cg_parse_proc_cgroup(buf, collect, &r), 42);
	assert_int_equal(r.n, 2);
}

/* ---- cg_path_relative --------------------------------------------------- */

static void expect_relative(const char *path, const char *root, const char *want)
{
	char out[CG_PATH_MAX];
	int rc = cg_path_relative(path, root, out, sizeof(out));

	if (rc != 0)
		fail_msg("cg_path_relative(\"%s\", \"%s\") = %d", path, root, rc);
	if (strcmp(out, want) != 0)
		fail_msg("cg_path_relative(\"%s\", \"%s\") = \"%s\", want \"%s\"",
			 path, root, out, want);
}

static void test_relative_inside_root(void **state)
{
	expect_relative("/a/b", "/a", "/b");
	expect_relative("/a/b/c", "/a", "/b/c");
}

static void test_relative_equal_to_root(void **state)
{
	expect_relative("/a", "/a", "/");
	expect_relative("/", "/", "/");
}

static void test_relative_root_is_slash(void **state)
{
	expect_relative("/a/b", "/", "/a/b");
}

static void test_relative_sibling(void **state)
{
	expect_relative("/sub2", "/sub", "/../sub2");
}

static void test_relative_ancestor(void **state)
{
	expect_relative("/", "/sub", "/..");
	expect_relative("/a", "/a/b/c", "/../..");
}

static void test_relative_deep(void **state)
{
	expect_relative("/x", "/a/b", "/../../x");
	expect_relative("/a/x/y", "/a/b/c", "/../../x/y");
}

static void test_relative_prefix_not_at_component_boundary(void **state)
{
	expect_relative("/abc", "/ab", "/../abc");
	expect_relative("/ab", "/abc", "/../ab");
}

static void test_relative_trailing_and_double_slashes(void **state)
{
	expect_relative("/a/b/", "/a", "/b");
	expect_relative("/a//b", "/a/", "/b");
	expect_relative("//a///b//", "//a", "/b");
	expect_relative("/a/", "/a//", "/");
}

static void test_relative_out_too_small(void **state)
{
	char out[16];

	assert_int_equal(cg_path_relative("/x", "/a/b", out, 8), -ENAMETOOLONG);	/* "/../../x" */
	assert_int_equal(cg_path_relative("/x", "/a/b", out, 9), 0);
	assert_string_equal(out, "/../../x");
	assert_int_equal(cg_path_relative("/a/b", "/a", out, 2), -ENAMETOOLONG);
	assert_int_equal(cg_path_relative("/a", "/a", out, 1), -ENAMETOOLONG);
	assert_int_equal(cg_path_relative("/a", "/a", out, 2), 0);
	assert_string_equal(out, "/");
	assert_int_equal(cg_path_relative("/a", "/a", out, 0), -ENAMETOOLONG);
}

/* ---- cg_root_from_views ------------------------------------------------- */

static void expect_root(const char *host, const char *inside, const char *want)
{
	char out[CG_PATH_MAX];
	int rc = cg_root_from_views(host, inside, out, sizeof(out));

	if (rc != 0)
		fail_msg("cg_root_from_views(\"%s\", \"%s\") = %d", host, inside, rc);
	if (strcmp(out, want) != 0)
		fail_msg("cg_root_from_views(\"%s\", \"%s\") = \"%s\", want \"%s\"",
			 host, inside, out, want);
}

static void test_root_from_views(void **state)
{
	expect_root("/a/b/c", "/b/c", "/a");
	expect_root("/a", "/", "/a");
	expect_root("/a/b", "/a/b", "/");
	expect_root("/", "/", "/");
	expect_root("/a/b/", "/b", "/a");
}

static void test_root_from_views_member_outside_root(void **state)
{
	char out[64];

	assert_int_equal(cg_root_from_views("/other", "/..", out, sizeof(out)), -ENOENT);
	assert_int_equal(cg_root_from_views("/a/other", "/../other", out, sizeof(out)), -ENOENT);
}

static void test_root_from_views_mismatch(void **state)
{
	char out[64];

	assert_int_equal(cg_root_from_views("/a/b", "/c", out, sizeof(out)), -EINVAL);
	assert_int_equal(cg_root_from_views("/a", "/a/b", out, sizeof(out)), -EINVAL);
	assert_int_equal(cg_root_from_views("/a/bc", "/c", out, sizeof(out)), -EINVAL);
}

static void test_root_from_views_out_too_small(void **state)
{
	char out[8];

	assert_int_equal(cg_root_from_views("/abcdefgh/x", "/x", out, sizeof(out)), -ENAMETOOLONG);
}

/* ---- cg_dir_of ---------------------------------------------------------- */

static struct cg_hier hier(const char *dir, const char *mnt_root, bool v2)
{
	struct cg_hier h;

	memset(&h, 0, sizeof(h));
	h.id = v2 ? 0 : 3;
	h.v2 = v2;
	snprintf(h.dir, sizeof(h.dir), "%s", dir);
	snprintf(h.mnt_root, sizeof(h.mnt_root), "%s", mnt_root);
	return h;
}

static void expect_dir(const struct cg_hier *h, const char *path, const char *want)
{
	char out[CG_PATH_MAX];
	int rc = cg_dir_of(h, path, out, sizeof(out));

	if (rc != 0)
		fail_msg("cg_dir_of(%s, \"%s\") = %d", h->dir, path, rc);
	if (strcmp(out, want) != 0)
		fail_msg("cg_dir_of(%s, \"%s\") = \"%s\", want \"%s\"", h->dir, path, out, want);
}

static void test_dir_of_v1_mounted_at_root(void **state)
{
	struct cg_hier h = hier("memory", "/", false);

	expect_dir(&h, "/", "memory");
	expect_dir(&h, "/a/b", "memory/a/b");
}

static void test_dir_of_v2_at_the_cgroup_root(void **state)
{
	struct cg_hier h = hier(".", "/", true);

	expect_dir(&h, "/", ".");
	expect_dir(&h, "/a/b", "a/b");
}

static void test_dir_of_mount_showing_a_subtree(void **state)
{
	struct cg_hier h = hier("memory", "/sub", false);
	char out[64];

	expect_dir(&h, "/sub", "memory");
	expect_dir(&h, "/sub/x/y", "memory/x/y");
	assert_int_equal(cg_dir_of(&h, "/other", out, sizeof(out)), -ENOENT);
	assert_int_equal(cg_dir_of(&h, "/", out, sizeof(out)), -ENOENT);
	assert_int_equal(cg_dir_of(&h, "/subx", out, sizeof(out)), -ENOENT);
}

static void test_dir_of_out_too_small(void **state)
{
	struct cg_hier h = hier("memory", "/", false);
	char out[10];	/* "memory/ab" and its NUL */

	assert_int_equal(cg_dir_of(&h, "/abc", out, sizeof(out)), -ENAMETOOLONG);
	assert_int_equal(cg_dir_of(&h, "/ab", out, sizeof(out)), 0);
	assert_string_equal(out, "memory/ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has_controller),
		cmocka_unit_test(test_layout_hybrid),
		cmocka_unit_test(test_layout_pure_v2),
		cmocka_unit_test(test_layout_pure_v1_co_mounted),
		cmocka_unit_test(test_layout_nothing_mounted),
		cmocka_unit_test(test_layout_ignores_cgroup_mounts_elsewhere),
		cmocka_unit_test(test_layout_v1_mount_without_controller_is_skipped),
		cmocka_unit_test(test_layout_later_mount_on_same_point_wins),
		cmocka_unit_test(test_layout_non_cgroup_mount_on_a_point_hides_it),
		cmocka_unit_test(test_layout_later_tmpfs_on_root_hides_everything_before),
		cmocka_unit_test(test_layout_cgroup2_over_a_v1_layout),
		cmocka_unit_test(test_layout_later_mount_on_sys_hides_it_all),
		cmocka_unit_test(test_layout_mount_below_a_hierarchy_keeps_it),
		cmocka_unit_test(test_layout_container_own_and_inherited_roots),
		cmocka_unit_test(test_layout_other_cgroup_root),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test(test_is_controller_opt),
		cmocka_unit_test(test_find_v2_by_id_zero),
		cmocka_unit_test(test_find_by_controllers_in_any_order),
		cmocka_unit_test(test_find_by_id),
		cmocka_unit_test(test_find_by_id_falls_back_to_controllers_when_unnumbered),
		cmocka_unit_test(test_discover_numbers_v1_hierarchies_from_self_cgroup),
		cmocka_unit_test(test_discover_reads_cgroup2_controllers),
		cmocka_unit_test(test_discover_without_hierarchies_says_so),
		cmocka_unit_test(test_proc_cgroup_v2),
		cmocka_unit_test(test_proc_cgroup_v1),
		cmocka_unit_test(test_proc_cgroup_hybrid_without_final_newline),
		cmocka_unit_test(test_proc_cgroup_path_with_colons),
		cmocka_unit_test(test_proc_cgroup_path_outside_namespace_root),
		cmocka_unit_test(test_proc_cgroup_malformed),
		cmocka_unit_test(test_proc_cgroup_empty_and_callback_stop),
		cmocka_unit_test(test_relative_inside_root),
		cmocka_unit_test(test_relative_equal_to_root),
		cmocka_unit_test(test_relative_root_is_slash),
		cmocka_unit_test(test_relative_sibling),
		cmocka_unit_test(test_relative_ancestor),
		cmocka_unit_test(test_relative_deep),
		cmocka_unit_test(test_relative_prefix_not_at_component_boundary),
		cmocka_unit_test(test_relative_trailing_and_double_slashes),
		cmocka_unit_test(test_relative_out_too_small),
		cmocka_unit_test(test_root_from_views),
		cmocka_unit_test(test_root_from_views_member_outside_root),
		cmocka_unit_test(test_root_from_views_mismatch),
		cmocka_unit_test(test_root_from_views_out_too_small),
		cmocka_unit_test(test_dir_of_v1_mounted_at_root),
		cmocka_unit_test(test_dir_of_v2_at_the_cgroup_root),
		cmocka_unit_test(test_dir_of_mount_showing_a_subtree),
		cmocka_unit_test(test_dir_of_out_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
