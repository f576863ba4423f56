/*
 * The cache of cgroup namespace roots, and what one member's view tells of
 * its namespace's root (cgroup_namespaces(7)), on literal buffers.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "nstop/cgns.h"

/* ---- helpers ------------------------------------------------------------ */

static const char v2_mi[] =
	"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
	"23 1 0:22 / /sys rw - sysfs sysfs rw\n"
	"30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";

static const char hybrid_mi[] =
	"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
	"23 1 0:22 / /sys rw - sysfs sysfs rw\n"
	"31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
	"40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";

static int hier_of(const struct cg_layout *L, const char *mount)
{
	int i = index_of_mount(L, mount);

	if (i < 0)
		fail_msg("no hierarchy mounted at %s", mount);
	return i;
}

/* Numbers the hybrid layout as /proc/PID/cgroup does below. */
static void hybrid_layout(struct cg_layout *L)
{
	layout_of(hybrid_mi, L);
	L->h[hier_of(L, "/sys/fs/cgroup/cpu")].id = 1;
	L->h[hier_of(L, "/sys/fs/cgroup/memory")].id = 4;
	L->h[hier_of(L, "/sys/fs/cgroup/pids")].id = 8;
	L->h[hier_of(L, "/sys/fs/cgroup/systemd")].id = 9;
}

/* Feeds one member's /proc/PID/cgroup (as read inside) to e. */
static void learn(struct cgns_entry *e, const struct cg_layout *L,
		  const char *inside, const char *const host[CG_MAX_HIER])
{
	char *copy = strdup(inside);

	assert_non_null(copy);
	cgns_learn_from_cgroup(e, L, copy, host);
	free(copy);
}

static void learn_mounts(struct cgns_entry *e, const struct cg_layout *L,
			 const char *inside, const char *outside)
{
	char *in = strdup(inside), *out = strdup(outside);

	assert_non_null(in);
	assert_non_null(out);
	cgns_learn_from_mounts(e, L, in, out);
	free(in);
	free(out);
}

static void entry_free(struct cgns_entry *e)
{
	for (int h = 0; h < CG_MAX_HIER; h++)
		free(e->root[h]);
}

/* ---- the cache ---------------------------------------------------------- */

static void test_cache_add_and_get(void **state)
{
	struct cgns_cache c = { 0 };
	struct cgns_entry *e;

	assert_null(cgns_cache_get(&c, 4026531835));
	e = cgns_cache_add(&c, 4026531835);
	assert_non_null(e);
	assert_int_equal(e->inode, 4026531835);
	assert_false(e->seen);
	for (int h = 0; h < CG_MAX_HIER; h++)
		assert_null(e->root[h]);
	assert_ptr_equal(cgns_cache_get(&c, 4026531835), e);
	assert_null(cgns_cache_get(&c, 4026532500));
	cgns_cache_clear(&c);
	assert_int_equal(c.n, 0);
	assert_null(c.e);
}

static void test_cache_add_twice_returns_the_same_entry(void **state)
{
	struct cgns_cache c = { 0 };
	struct cgns_entry *e = cgns_cache_add(&c, 7);

	assert_non_null(e);
	e->root[0] = strdup("/kept");
	assert_ptr_equal(cgns_cache_add(&c, 7), e);
	assert_int_equal(c.n, 1);
	assert_string_equal(e->root[0], "/kept");
	cgns_cache_clear(&c);
}

static void test_cache_grows(void **state)
{
	struct cgns_cache c = { 0 };

	for (ino_t i = 1; i <= 100; i++) {
		struct cgns_entry *e = cgns_cache_add(&c, 1000 + i);
		assert_non_null(e);
		char root[32];
		snprintf(root, sizeof(root), "/ns%d", (int)i);
		e->root[1] = strdup(root);
	}
	assert_int_equal(c.n, 100);
	for (ino_t i = 1; i <= 100; i++) {
		char root[32];
		struct cgns_entry *e = cgns_cache_get(&c, 1000 + i);
		assert_non_null(e);
		snprintf(root, sizeof(root), "/ns%d", (int)i);
		assert_string_equal(e->root[1], root);
	}
	cgns_cache_clear(&c);
}

static void test_cache_prune_keeps_seen_and_clears_marks(void **state)
{
	struct cgns_cache c = { 0 };

	for (ino_t i = 1; i <= 5; i++) {
		struct cgns_entry *e = cgns_cache_add(&c, i);
		assert_non_null(e);
		e->root[0] = strdup("/x");
	}
	cgns_cache_get(&c, 2)->seen = true;
	cgns_cache_get(&c, 5)->seen = true;
	cgns_cache_prune(&c);
	assert_int_equal(c.n, 2);
	assert_null(cgns_cache_get(&c, 1));
	assert_null(cgns_cache_get(&c, 3));
	assert_null(cgns_cache_get(&c, 4));
	assert_non_null(cgns_cache_get(&c, 2));
	assert_non_null(cgns_cache_get(&c, 5));
	assert_false(cgns_cache_get(&c, 2)->seen);
	assert_false(cgns_cache_get(&c, 5)->seen);
	assert_string_equal(cgns_cache_get(&c, 5)->root[0], "/x");

	/* Nothing seen in the next scan: all go. */
	cgns_cache_prune(&c);
	assert_int_equal(c.n, 0);
	cgns_cache_clear(&c);
}

/* ---- learning from /proc/PID/cgroup --------------------------------------- */

static void test_learn_member_at_its_root(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *host[CG_MAX_HIER] = { [0] = "/sub" };

	layout_of(v2_mi, &L);
	learn(&e, &L, "0::/\n", host);
	assert_non_null(e.root[0]);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_learn_member_below_its_root(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *host[CG_MAX_HIER] = { [0] = "/sub/x" };

	layout_of(v2_mi, &L);
	learn(&e, &L, "0::/x\n", host);
	assert_non_null(e.root[0]);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_learn_member_that_left_its_root_then_another(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *moved[CG_MAX_HIER] = { [0] = "/other" };
	const char *stayed[CG_MAX_HIER] = { [0] = "/sub/y" };

	layout_of(v2_mi, &L);
	learn(&e, &L, "0::/../other\n", moved);
	assert_null(e.root[0]);
	learn(&e, &L, "0::/y\n", stayed);
	assert_non_null(e.root[0]);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_learn_keeps_what_it_knows(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *first[CG_MAX_HIER] = { [0] = "/sub" };
	const char *second[CG_MAX_HIER] = { [0] = "/elsewhere" };

	layout_of(v2_mi, &L);
	learn(&e, &L, "0::/\n", first);
	learn(&e, &L, "0::/\n", second);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_learn_nothing_without_host_path_or_on_mismatch(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *unknown[CG_MAX_HIER] = { 0 };
	const char *mismatch[CG_MAX_HIER] = { [0] = "/a/b" };

	layout_of(v2_mi, &L);
	learn(&e, &L, "0::/\n", unknown);
	assert_null(e.root[0]);
	learn(&e, &L, "0::/c\n", mismatch);
	assert_null(e.root[0]);
	learn(&e, &L, "garbage\n", mismatch);
	assert_null(e.root[0]);
	entry_free(&e);
}

static void test_learn_hybrid_several_hierarchies_at_once(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	const char *host[CG_MAX_HIER] = { 0 };
	int cpu, mem, pids, sd, uni;

	hybrid_layout(&L);
	cpu = hier_of(&L, "/sys/fs/cgroup/cpu");
	mem = hier_of(&L, "/sys/fs/cgroup/memory");
	pids = hier_of(&L, "/sys/fs/cgroup/pids");
	sd = hier_of(&L, "/sys/fs/cgroup/systemd");
	uni = hier_of(&L, "/sys/fs/cgroup/unified");
	host[cpu] = "/";
	host[mem] = "/docker/abc/app";
	host[pids] = "/docker/abc";
	host[sd] = "/system.slice/docker-abc.scope";
	host[uni] = "/system.slice/docker-abc.scope";

	learn(&e, &L,
	      "9:name=systemd:/\n"
	      "8:pids:/\n"
	      "4:memory:/app\n"
	      "1:cpu:/..\n"
	      "0::/\n", host);
	assert_null(e.root[cpu]);
	assert_string_equal(e.root[mem], "/docker/abc");
	assert_string_equal(e.root[pids], "/docker/abc");
	assert_string_equal(e.root[sd], "/system.slice/docker-abc.scope");
	assert_string_equal(e.root[uni], "/system.slice/docker-abc.scope");
	entry_free(&e);
}

/* ---- learning from mountinfo -------------------------------------------- */

static void test_mounts_own_cgroup2_mount(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };

	layout_of(v2_mi, &L);
	learn_mounts(&e, &L,
		     "200 199 0:60 / / rw - overlay overlay rw\n"
		     "210 200 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		     "200 199 0:60 / / rw - overlay overlay rw\n"
		     "210 200 0:26 /sub /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	assert_non_null(e.root[0]);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_mounts_own_mount_of_a_subtree(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };

	/* A bind of a cgroup below the namespace root tells the root too. */
	layout_of(v2_mi, &L);
	learn_mounts(&e, &L,
		     "210 200 0:26 /x /mnt rw - cgroup2 cgroup2 rw\n",
		     "210 200 0:26 /sub/x /mnt rw - cgroup2 cgroup2 rw\n");
	assert_non_null(e.root[0]);
	assert_string_equal(e.root[0], "/sub");
	entry_free(&e);
}

static void test_mounts_inherited_mount_tells_nothing(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };

	layout_of(v2_mi, &L);
	learn_mounts(&e, &L,
		     "150 149 0:26 /.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		     "150 149 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	assert_null(e.root[0]);
	entry_free(&e);
}

static void test_mounts_matched_by_mount_id(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };

	layout_of(v2_mi, &L);
	learn_mounts(&e, &L,
		     "210 200 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		     "211 200 0:26 /sub /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	assert_null(e.root[0]);
	entry_free(&e);
}

static void test_mounts_v1_by_controllers(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };
	int mem, pids;

	hybrid_layout(&L);
	mem = hier_of(&L, "/sys/fs/cgroup/memory");
	pids = hier_of(&L, "/sys/fs/cgroup/pids");
	learn_mounts(&e, &L,
		     "300 299 0:61 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		     "301 300 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		     "302 300 0:36 /.. /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n",
		     "300 299 0:61 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		     "301 300 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		     "302 300 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n");
	assert_non_null(e.root[mem]);
	assert_string_equal(e.root[mem], "/docker/abc");
	assert_null(e.root[pids]);
	entry_free(&e);
}

static void test_mounts_do_not_overwrite_a_known_root(void **state)
{
	struct cg_layout L;
	struct cgns_entry e = { .inode = 1 };

	layout_of(v2_mi, &L);
	e.root[0] = strdup("/from-cgroup-file");
	learn_mounts(&e, &L,
		     "210 200 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		     "210 200 0:26 /sub /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	assert_string_equal(e.root[0], "/from-cgroup-file");
	entry_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_add_and_get),
		cmocka_unit_test(test_cache_add_twice_returns_the_same_entry),
		cmocka_unit_test(test_cache_grows),
		cmocka_unit_test(test_cache_prune_keeps_seen_and_clears_marks),
		cmocka_unit_test(test_learn_member_at_its_root),
		cmocka_unit_test(test_learn_member_below_its_root),
		cmocka_unit_test(test_learn_member_that_left_its_root_then_another),
		cmocka_unit_test(test_learn_keeps_what_it_knows),
		cmocka_unit_test(test_learn_nothing_without_host_path_or_on_mismatch),
		cmocka_unit_test(test_learn_hybrid_several_hierarchies_at_once),
		cmocka_unit_test(test_mounts_own_cgroup2_mount),
		cmocka_unit_test(test_mounts_own_mount_of_a_subtree),
		cmocka_unit_test(test_mounts_inherited_mount_tells_nothing),
		cmocka_unit_test(test_mounts_matched_by_mount_id),
		cmocka_unit_test(test_mounts_v1_by_controllers),
		cmocka_unit_test(test_mounts_do_not_overwrite_a_known_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
