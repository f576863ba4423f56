/*
 * The whole scan on the fixture trees (tests/fixtures/{v1,v2,hybrid}). Each
 * tree holds the same processes:
 *   1    init, host namespaces, in "/" of every hierarchy
 *   42   "my (odd) cmd", host namespaces, in "/a/b"
 *   100  sh, a container's namespaces (cgroup ns 4026532500), in "/a/c"
 *   101  sleep, child of 100, same namespaces and cgroups
 *   200  a zombie (its ns links and cgroup file are there, and meaningless)
 *   300  vanished: no cgroup file
 * and in every hierarchy the cgroups "/", "/a", "/a/b", "/a/c", "/z".
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "nstop/scan.h"
#include "../../src/scan/scan-internal.h"

#define HOST_CGNS 4026531835
#define CT_CGNS 4026532500

struct fixture {
	const char *name;
	enum cg_mode mode;
	int nhier;
	struct nst_root root;
	struct scan_ctx *ctx;
	struct snapshot *snap;
};

static const struct scan_opts full_scan = { .cgroup_ns_paths = true, .cgroup_tree = true,
					    .cgroup_stats = true };

/* ---- setup -------------------------------------------------------------- */

static int fixture_open(void **state, const char *name, enum cg_mode mode, int nhier)
{
	struct nst_err err = { 0 };
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_root_open(&f->root, name) < 0) {
		free(f);
		return -1;
	}
	f->name = name;
	f->mode = mode;
	f->nhier = nhier;
	if (scan_ctx_new(&f->root, &f->ctx, &err) < 0 ||
	    scan_snapshot(f->ctx, &full_scan, &f->snap, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, err.msg);
		scan_ctx_free(f->ctx);
		nst_root_clear(&f->root);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_v1(void **state) { return fixture_open(state, "v1", CG_MODE_V1, 6); }
static int setup_v2(void **state) { return fixture_open(state, "v2", CG_MODE_V2, 1); }
static int setup_hybrid(void **state) { return fixture_open(state, "hybrid", CG_MODE_HYBRID, 10); }

static int teardown(void **state)
{
	struct fixture *f = *state;

	snapshot_free(f->snap);
	scan_ctx_free(f->ctx);
	nst_root_clear(&f->root);
	free(f);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static const struct scan_proc *proc(const struct snapshot *s, pid_t pid)
{
	const struct scan_proc *p = snapshot_find_proc(s, pid);

	if (!p)
		fail_msg("pid %d is not in the snapshot", (int)pid);
	return p;
}

static int hier_at(const struct snapshot *s, const char *mount)
{
	for (int i = 0; i < s->layout.n; i++)
		if (strcmp(s->layout.h[i].mount, mount) == 0)
			return i;
	fail_msg("no hierarchy mounted at %s", mount);
	return -1;
}

static const struct scan_cgroup *cgroup(const struct snapshot *s, int hier, const char *path)
{
	for (size_t i = 0; i < s->ncgroups; i++)
		if (s->cgroups[i].hier == hier && strcmp(s->cgroups[i].path, path) == 0)
			return &s->cgroups[i];
	fail_msg("no cgroup %s in hierarchy %d", path, hier);
	return NULL;
}

static void assert_pids(const struct scan_ns *ns, size_t n, const pid_t *want)
{
	assert_int_equal(ns->nprocs, n);
	for (size_t i = 0; i < n; i++)
		if (ns->pids[i] != want[i])
			fail_msg("%s namespace %llu: pids[%zu] = %d, want %d",
				 ns_type_name(ns->type), (unsigned long long)ns->inode, i,
				 (int)ns->pids[i], (int)want[i]);
	assert_int_equal(ns->first, want[0]);
}

/* ---- the whole snapshot ------------------------------------------------- */

static void test_layout(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->snap->layout.mode, f->mode);
	assert_int_equal(f->snap->layout.n, f->nhier);
	assert_int_equal(scan_ctx_layout(f->ctx)->n, f->nhier);
	assert_int_equal(f->snap->own_cgns, HOST_CGNS);
}

static void test_host(void **state)
{
	struct fixture *f = *state;
	char want[64];

	snprintf(want, sizeof(want), "fixture-%s", f->name);
	assert_string_equal(f->snap->hostname, want);
	assert_float_equal(f->snap->loadavg[0], 0.50, 1e-6);
	assert_float_equal(f->snap->loadavg[1], 0.25, 1e-6);
	assert_float_equal(f->snap->loadavg[2], 0.10, 1e-6);
	assert_int_equal(f->snap->view_from, 0);
}

static void test_processes_from_stat_and_comm(void **state)
{
	static const struct { pid_t pid, ppid; char state; const char *comm; } want[] = {
		{ 1, 0, 'S', "init" },
		{ 42, 1, 'R', "my (odd) cmd" },
		{ 100, 1, 'S', "sh" },
		{ 101, 100, 'S', "sleep" },
		{ 200, 42, 'Z', "defunct" },
	};
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	assert_int_equal(s->nprocs, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		assert_int_equal(p->pid, want[i].pid);
		assert_int_equal(p->ppid, want[i].ppid);
		assert_int_equal(p->state, want[i].state);
		assert_string_equal(p->comm, want[i].comm);
		assert_null(p->cmdline);
		assert_int_equal(p->rss_bytes, -1);
	}
}

static void test_vanished_process_is_dropped(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	assert_null(snapshot_find_proc(s, 300));
}

static void test_zombie_kept_with_nothing_known(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;
	const struct scan_proc *z = proc(s, 200);

	assert_int_equal(z->state, 'Z');
	for (int t = 0; t < NS_NTYPES; t++)
		assert_int_equal(z->ns[t], 0);
	for (int h = 0; h < s->layout.n; h++) {
		assert_null(z->cg[h].path);
		assert_null(z->cg[h].ns_path);
		assert_null(z->cg[h].view_path);
	}
}

static void test_namespace_links(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	assert_int_equal(proc(s, 1)->ns[NS_NET], 4026531840);
	assert_int_equal(proc(s, 42)->ns[NS_NET], 4026531840);
	assert_int_equal(proc(s, 100)->ns[NS_NET], 4026532503);
	assert_int_equal(proc(s, 101)->ns[NS_CGROUP], CT_CGNS);
	assert_int_equal(proc(s, 101)->ns[NS_USER], 4026531837);
}

static void test_namespaces_grouped(void **state)
{
	static const pid_t host[] = { 1, 42 }, ct[] = { 100, 101 }, all[] = { 1, 42, 100, 101 };
	static const struct { enum ns_type t; ino_t host, ct; } split[] = {
		{ NS_CGROUP, 4026531835, 4026532500 }, { NS_IPC, 4026531839, 4026532501 },
		{ NS_MNT, 4026531841, 4026532502 }, { NS_NET, 4026531840, 4026532503 },
		{ NS_PID, 4026531836, 4026532504 }, { NS_UTS, 4026531838, 4026532505 },
	};
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	/* Six types split between host and container, time and user shared. */
	assert_int_equal(s->nns, 6 * 2 + 2);
	for (size_t i = 0; i < sizeof(split) / sizeof(split[0]); i++) {
		const struct scan_ns *h = snapshot_find_ns(s, split[i].t, split[i].host);
		const struct scan_ns *c = snapshot_find_ns(s, split[i].t, split[i].ct);
		assert_non_null(h);
		assert_non_null(c);
		assert_int_equal(h->type, split[i].t);
		assert_pids(h, 2, host);
		assert_pids(c, 2, ct);
	}
	assert_pids(snapshot_find_ns(s, NS_TIME, 4026531834), 4, all);
	assert_pids(snapshot_find_ns(s, NS_USER, 4026531837), 4, all);
	/* An inode of one type is not found as another. */
	assert_null(snapshot_find_ns(s, NS_NET, 4026531835));
	/* By type, then inode. */
	for (size_t i = 1; i < s->nns; i++) {
		const struct scan_ns *a = &s->ns[i - 1], *b = &s->ns[i];
		if (a->type > b->type || (a->type == b->type && a->inode >= b->inode))
			fail_msg("namespaces out of order at %zu", i);
	}
}

static void test_process_cgroup_paths(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	for (int h = 0; h < s->layout.n; h++) {
		assert_string_equal(proc(s, 1)->cg[h].path, "/");
		assert_string_equal(proc(s, 42)->cg[h].path, "/a/b");
		assert_string_equal(proc(s, 100)->cg[h].path, "/a/c");
		assert_string_equal(proc(s, 101)->cg[h].path, "/a/c");
	}
}

/* Processes with the same cgroups (as every namespace sees them) and the
 * same namespaces share one vector of each: one a group, not one a process
 * (scan-cgrefs.c). */
static void test_same_cgroups_share_entries(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	assert_ptr_equal(proc(s, 100)->cg, proc(s, 101)->cg);
	assert_ptr_equal(proc(s, 100)->ns, proc(s, 101)->ns);
	assert_int_equal(proc(s, 101)->ns[NS_CGROUP], CT_CGNS);
	assert_ptr_not_equal(proc(s, 1)->cg, proc(s, 42)->cg);
	assert_ptr_not_equal(proc(s, 42)->cg, proc(s, 100)->cg);
	assert_true(s->ncgvec < s->nprocs);
}

static void test_ns_path_in_own_namespace_is_the_path(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	for (int h = 0; h < s->layout.n; h++) {
		assert_non_null(proc(s, 1)->cg[h].ns_path);
		assert_string_equal(proc(s, 1)->cg[h].ns_path, "/");
		assert_non_null(proc(s, 42)->cg[h].ns_path);
		assert_string_equal(proc(s, 42)->cg[h].ns_path, "/a/b");
	}
}

static void test_ns_path_in_other_namespace_unknown_without_setns(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	/* A fixture root cannot setns() into namespace 4026532500. */
	for (int h = 0; h < s->layout.n; h++) {
		assert_null(proc(s, 100)->cg[h].ns_path);
		assert_null(proc(s, 101)->cg[h].ns_path);
		assert_null(proc(s, 100)->cg[h].view_path);
	}
}

static void test_cgroup_tree_depth_first_by_name(void **state)
{
	static const struct { const char *path; int depth; size_t nprocs; } want[] = {
		{ "/", 0, 1 }, { "/a", 1, 0 }, { "/a/b", 2, 1 }, { "/a/c", 2, 2 }, { "/z", 1, 0 },
	};
	const size_t per = sizeof(want) / sizeof(want[0]);
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	assert_int_equal(s->ncgroups, per * (size_t)s->layout.n);
	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *c = &s->cgroups[i];
		if (c->hier != (int)(i / per) || strcmp(c->path, want[i % per].path) != 0)
			fail_msg("cgroups[%zu] is %d:%s, want %d:%s", i, c->hier, c->path,
				 (int)(i / per), want[i % per].path);
		assert_int_equal(c->depth, want[i % per].depth);
		if (c->nprocs != want[i % per].nprocs)
			fail_msg("%d:%s has %zu processes, want %zu", c->hier, c->path,
				 c->nprocs, want[i % per].nprocs);
		assert_null(c->view_path);
		assert_true(c->cpu_percent < 0);	/* no previous snapshot */
	}
}

static void test_cgroup_without_files_is_unknown(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;

	for (int h = 0; h < s->layout.n; h++) {
		const struct cg_stats *st = &cgroup(s, h, "/z")->st;
		assert_int_equal(st->cpu_usage_usec, CG_UNKNOWN);
		assert_int_equal(st->memory_bytes, CG_UNKNOWN);
		assert_int_equal(st->memory_limit_bytes, CG_UNKNOWN);
		assert_int_equal(st->pids_current, CG_UNKNOWN);
		assert_int_equal(st->pids_limit, CG_UNKNOWN);
		assert_int_equal(st->frozen, -1);
		assert_false(st->psi.available);
	}
}

/* ---- stats, per tree ---------------------------------------------------- */

static void test_v2_stats(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;
	const struct cg_stats *c = &cgroup(s, 0, "/a/c")->st;
	const struct cg_stats *b = &cgroup(s, 0, "/a/b")->st;

	assert_int_equal(c->cpu_usage_usec, 5000000);
	assert_int_equal(c->cpu_quota_usec, 50000);
	assert_int_equal(c->cpu_period_usec, 100000);
	assert_int_equal(c->cpu_weight, 100);
	assert_int_equal(c->memory_bytes, 10485760);
	assert_int_equal(c->memory_limit_bytes, CG_UNLIMITED);
	assert_int_equal(c->oom_kills, 1);
	assert_int_equal(c->pids_current, 2);
	assert_int_equal(c->pids_limit, 64);
	assert_int_equal(c->frozen, 1);
	assert_true(c->psi.available);
	assert_float_equal(c->psi.memory_full_avg10, 0.25, 1e-6);

	assert_int_equal(b->memory_limit_bytes, 536870912);
	assert_int_equal(b->frozen, 0);
	assert_false(b->psi.available);

	assert_int_equal(cgroup(s, 0, "/")->st.cpu_usage_usec, 90000000);
	assert_int_equal(cgroup(s, 0, "/a")->st.memory_bytes, 20971520);
}

static void test_v1_stats(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;
	int cpu = hier_at(s, "/sys/fs/cgroup/cpu,cpuacct");
	int mem = hier_at(s, "/sys/fs/cgroup/memory");
	int pids = hier_at(s, "/sys/fs/cgroup/pids");
	int frz = hier_at(s, "/sys/fs/cgroup/freezer");

	assert_int_equal(s->layout.h[cpu].id, 1);
	assert_int_equal(cgroup(s, cpu, "/a/c")->st.cpu_usage_usec, 5000000);
	assert_int_equal(cgroup(s, cpu, "/a/c")->st.cpu_quota_usec, CG_UNLIMITED);
	assert_int_equal(cgroup(s, cpu, "/a/c")->st.cpu_weight, 1024);
	assert_int_equal(cgroup(s, cpu, "/a/b")->st.cpu_quota_usec, 20000);
	assert_int_equal(cgroup(s, mem, "/a/c")->st.memory_bytes, 10485760);
	assert_int_equal(cgroup(s, mem, "/a/c")->st.memory_limit_bytes, CG_UNLIMITED);
	assert_int_equal(cgroup(s, mem, "/a/c")->st.oom_kills, 3);
	assert_int_equal(cgroup(s, mem, "/a/c")->st.cpu_usage_usec, CG_UNKNOWN);
	assert_int_equal(cgroup(s, pids, "/a/c")->st.pids_current, 2);
	assert_int_equal(cgroup(s, pids, "/a/c")->st.pids_limit, CG_UNLIMITED);
	assert_int_equal(cgroup(s, frz, "/a/c")->st.frozen, 1);
	assert_int_equal(cgroup(s, frz, "/a/b")->st.frozen, 0);
}

static void test_hybrid_stats(void **state)
{
	const struct snapshot *s = ((struct fixture *)*state)->snap;
	int uni = hier_at(s, "/sys/fs/cgroup/unified");
	int cpu = hier_at(s, "/sys/fs/cgroup/cpu");
	int acct = hier_at(s, "/sys/fs/cgroup/cpuacct");
	int mem = hier_at(s, "/sys/fs/cgroup/memory");

	assert_int_equal(s->layout.h[uni].id, 0);
	assert_int_equal(s->layout.h[mem].id, 4);
	assert_int_equal(cgroup(s, uni, "/a/c")->st.cpu_usage_usec, 5000000);
	assert_int_equal(cgroup(s, uni, "/a/c")->st.memory_bytes, CG_UNKNOWN);
	assert_int_equal(cgroup(s, acct, "/a/c")->st.cpu_usage_usec, 6000000);
	assert_int_equal(cgroup(s, cpu, "/a/c")->st.cpu_quota_usec, 25000);
	assert_int_equal(cgroup(s, mem, "/a/c")->st.memory_limit_bytes, 268435456);
}

/* ---- options and --view-from ---------------------------------------------- */

static void test_without_cgroup_tree(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = { 0 };
	struct nst_err err = { 0 };
	struct snapshot *s;

	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), 0);
	assert_int_equal(s->ncgroups, 0);
	assert_int_equal(s->nprocs, 5);
	assert_string_equal(proc(s, 42)->cg[0].path, "/a/b");
	snapshot_free(s);
}

/* The context holds its last snapshot for the next one's comparison (no
 * copy of it): the caller's snapshot stays whole however the two are freed,
 * and the next snapshot takes the paths over from it. */
static void test_last_snapshot_held(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = { .cgroup_tree = true, .incremental = true };
	struct nst_err err = { 0 };
	struct snapshot *a, *b, *c;

	assert_int_equal(scan_snapshot(f->ctx, &opts, &a, &err), 0);
	assert_int_equal(a->refs, 2);		/* the caller's and the context's */
	assert_int_equal(scan_snapshot(f->ctx, &opts, &b, &err), 0);
	assert_int_equal(a->refs, 1);		/* the context moved on to b */
	assert_int_equal(b->refs, 2);
	assert_ptr_equal(proc(a, 42)->cg[0].path, proc(b, 42)->cg[0].path);
	assert_true(proc(b, 42)->cpu_percent >= 0);
	snapshot_free(b);			/* still the context's */
	assert_string_equal(proc(b, 42)->cg[0].path, "/a/b");
	assert_string_equal(proc(a, 42)->cg[0].path, "/a/b");
	snapshot_free(a);
	assert_int_equal(scan_snapshot(f->ctx, &opts, &c, &err), 0);
	assert_string_equal(proc(c, 42)->cg[0].path, "/a/b");
	snapshot_free(c);
}

static void test_tree_without_stats(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = { .cgroup_tree = true };
	struct nst_err err = { 0 };
	struct snapshot *s;

	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), 0);
	assert_int_equal(s->ncgroups, 5 * (size_t)s->layout.n);
	for (size_t i = 0; i < s->ncgroups; i++)
		assert_int_equal(s->cgroups[i].st.cpu_usage_usec, CG_UNKNOWN);
	snapshot_free(s);
}

static void test_second_snapshot_has_rates(void **state)
{
	struct fixture *f = *state;
	struct nst_err err = { 0 };
	struct snapshot *s;

	assert_int_equal(scan_snapshot(f->ctx, &full_scan, &s, &err), 0);
	assert_int_equal(s->nprocs, f->snap->nprocs);
	assert_int_equal(s->ncgroups, f->snap->ncgroups);
	/* The fixture's counters did not move: 0 %, not unknown. */
	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *c = &s->cgroups[i];
		if (c->st.cpu_usage_usec >= 0)
			assert_float_equal(c->cpu_percent, 0.0, 1e-9);
		else
			assert_true(c->cpu_percent < 0);
	}
	snapshot_free(s);
}

static void test_view_from_missing_pid(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = full_scan;
	struct nst_err err = { 0 };
	struct snapshot *s = (struct snapshot *)&err;	/* must be reset */

	opts.view_from = 999;
	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), -ESRCH);
	assert_null(s);
	assert_int_equal(err.code, ESRCH);
	assert_non_null(strstr(err.msg, "999"));
	assert_null(strchr(err.msg, '\n'));
}

static void test_view_from_zombie(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = full_scan;
	struct nst_err err = { 0 };
	struct snapshot *s;

	opts.view_from = 200;
	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), -EACCES);
	assert_null(s);
	assert_non_null(strstr(err.msg, "200"));
}

static void test_view_from_own_namespace(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = full_scan;
	struct nst_err err = { 0 };
	struct snapshot *s;

	opts.view_from = 42;
	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), 0);
	assert_int_equal(s->view_from, 42);
	assert_int_equal(s->view_cgns, HOST_CGNS);
	for (int h = 0; h < s->layout.n; h++) {
		assert_non_null(s->view_root[h]);
		assert_string_equal(s->view_root[h], "/");
		assert_string_equal(proc(s, 100)->cg[h].view_path, "/a/c");
		assert_null(proc(s, 200)->cg[h].view_path);
	}
	for (size_t i = 0; i < s->ncgroups; i++) {
		assert_non_null(s->cgroups[i].view_path);
		assert_string_equal(s->cgroups[i].view_path, s->cgroups[i].path);
	}
	snapshot_free(s);
}

static void test_view_from_other_namespace_unknown(void **state)
{
	struct fixture *f = *state;
	struct scan_opts opts = full_scan;
	struct nst_err err = { 0 };
	struct snapshot *s;

	opts.view_from = 101;
	assert_int_equal(scan_snapshot(f->ctx, &opts, &s, &err), 0);
	assert_int_equal(s->view_cgns, CT_CGNS);
	for (int h = 0; h < s->layout.n; h++) {
		assert_null(s->view_root[h]);
		assert_null(proc(s, 1)->cg[h].view_path);
	}
	for (size_t i = 0; i < s->ncgroups; i++)
		assert_null(s->cgroups[i].view_path);
	snapshot_free(s);
}

/* ---- a root that is not one ---------------------------------------------- */

/*
 * One /proc/PID/stat line on its own. The fuzzer (tests/fuzz) found an rss
 * (field 24, in pages) too large for bytes in a long long overflowing: it
 * is unknown (-1), never a wrapped number.
 */
static void test_stat_parse(void **state)
{
	char line[] = "42 (a) (b)) S 7 42 42 0 -1 4194560 1 2 3 4 50 60 0 0 20 0 3 0 "
		      "777 1000 25 0\n";
	char huge[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 26 0 "
		      "18446744073709551 0\n";
	char cut[] = "1 (init)";
	struct scan_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_true(scan_stat_parse(line, &p, 4096));
	assert_string_equal(p.comm, "a) (b)");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 7);
	assert_int_equal(p.tics, 110);
	assert_int_equal(p.nthreads, 3);
	assert_int_equal(p.start_tics, 777);
	assert_int_equal(p.rss_bytes, 25 * 4096);
	memset(&p, 0, sizeof(p));
	assert_true(scan_stat_parse(huge, &p, 4096));
	assert_int_equal(p.rss_bytes, -1);
	assert_false(scan_stat_parse(cut, &p, 4096));
}

static void test_ctx_new_without_hierarchies(void **state)
{
	const char *base = getenv("NSTOP_FIXTURES");
	char proc_path[PATH_MAX], cg[PATH_MAX];
	struct nst_root root;
	struct nst_err err = { 0 };
	struct scan_ctx *ctx = (struct scan_ctx *)&err;

	assert_non_null(base);
	snprintf(proc_path, sizeof(proc_path), "%s/v2/proc", base);
	snprintf(cg, sizeof(cg), "%s/v2/sys/fs/cgroup", base);
	assert_int_equal(nst_root_open(&root, proc_path, cg, false, &err), 0);
	/* Left as the fixture's own path, nothing in its mountinfo matches. */
	assert_int_equal(scan_ctx_new(&root, &ctx, &err), -ENOENT);
	assert_null(ctx);
	assert_int_not_equal(err.msg[0], '\0');
	nst_root_clear(&root);
}

/* Processes by pid whose namespaces interleave (A B A B A): each namespace
 * gets all of its pids, ascending, however its runs of neighbours fall. */
static void test_group_interleaved_runs(void **state)
{
	static const pid_t a_pids[] = { 1, 3, 5, 9 }, b_pids[] = { 2, 4, 7 };
	static const ino_t net[] = { 10, 20, 10, 20, 10, 20, 10 };
	static const pid_t pids[] = { 1, 2, 3, 4, 5, 7, 9 };
	struct nst_err err = { 0 };
	struct nst_root root;
	struct scan_ctx *ctx = NULL;
	struct snapshot *s = calloc(1, sizeof(*s));
	const struct scan_ns *a, *b;

	(void)state;
	assert_non_null(s);
	assert_int_equal(fixture_root_open(&root, "v1"), 0);
	assert_int_equal(scan_ctx_new(&root, &ctx, &err), 0);
	s->nprocs = sizeof(pids) / sizeof(pids[0]);
	s->procs = calloc(s->nprocs, sizeof(*s->procs));
	s->nsrefs = calloc(s->nprocs * NS_NTYPES, sizeof(*s->nsrefs));
	assert_non_null(s->procs);
	assert_non_null(s->nsrefs);
	for (size_t i = 0; i < s->nprocs; i++) {
		s->procs[i].ns = s->nsrefs + i * NS_NTYPES;
		s->procs[i].pid = pids[i];
		s->procs[i].ns[NS_NET] = net[i];
	}
	assert_int_equal(scan_group_namespaces(ctx, s), 0);
	assert_int_equal(s->nns, 2);
	a = snapshot_find_ns(s, NS_NET, 10);
	b = snapshot_find_ns(s, NS_NET, 20);
	assert_non_null(a);
	assert_non_null(b);
	assert_pids(a, 4, a_pids);
	assert_pids(b, 3, b_pids);
	assert_int_equal(a->first, 1);
	assert_int_equal(b->first, 2);
	snapshot_free(s);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
}

/* ---- a live host: the mount namespaces' nsfs mounts, kept and read again -- */

static bool names_hold(const struct scan_ns *ns, const char *path)
{
	for (size_t i = 0; ns && i < ns->nnames; i++)
		if (strcmp(ns->names[i], path) == 0)
			return true;
	return false;
}

/* A child that sleeps in a private mount namespace of its own with a tmpfs
 * at /mnt holding the empty file held; it says when it is ready. */
static pid_t sleeper_in_own_mounts(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("nstop-test", "/mnt", "tmpfs", 0, "size=64k") < 0 ||
		    close(open("/mnt/held", O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) < 0)
			_exit(1);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* Our net namespace's file bind-mounted onto /mnt/held in pid's mount
 * namespace, by a process that joins it, mounts and is gone. */
static int bind_in_mounts_of(pid_t pid)
{
	char path[64];
	int st;
	pid_t b;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	b = fork();
	if (b == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		_exit(fd < 0 || setns(fd, CLONE_NEWNS) < 0 ||
		      mount("/proc/self/ns/net", "/mnt/held", NULL, MS_BIND, NULL) < 0);
	}
	return b > 0 && waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/*
 * The view's incremental scan keeps a mount namespace's nsfs mounts while
 * none of its processes was read in full, and reads its mountinfo again on
 * its turn, at the latest every SCAN_FULL_EVERY snapshots: a bind mount
 * made, by a process that came and went, where the only process sleeps is
 * named from the first snapshot where the namespace's turn (or its
 * process's own) comes, not before, and not later. As root, on this host.
 */
static void test_mount_holds_kept_until_their_turn(void **state)
{
	struct nst_err err = { 0 };
	struct scan_opts opts = { .incremental = true };
	struct nst_root root;
	struct scan_ctx *ctx = NULL;
	struct snapshot *s;
	struct stat net, mnt;
	char path[64];
	pid_t a;
	unsigned long seen_at = 0;

	(void)state;
	if (geteuid() != 0) {
		if (getenv("NSTOP_TESTS_MUST_RUN"))
			fail_msg("needs root, and NSTOP_TESTS_MUST_RUN is set");
		printf("# not root: the mount namespaces cannot be made here\n");
		return;
	}
	assert_int_equal(stat("/proc/self/ns/net", &net), 0);
	a = sleeper_in_own_mounts();
	assert_true(a > 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)a);
	assert_int_equal(stat(path, &mnt), 0);
	assert_int_equal(nst_root_open_live(&root, &err), 0);
	assert_int_equal(scan_ctx_new(&root, &ctx, &err), 0);
	/* two before: a is new in the first, seen asleep (idle) in the
	 * second, and nothing is mounted yet */
	usleep(100000);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(scan_snapshot(ctx, &opts, &s, &err), 0);
		assert_false(names_hold(snapshot_find_ns(s, NS_NET, net.st_ino), "/mnt/held"));
		snapshot_free(s);
	}
	assert_int_equal(bind_in_mounts_of(a), 0);
	for (unsigned long n = ctx->nsnap; n < 2 * SCAN_FULL_EVERY && !seen_at; n++) {
		assert_int_equal(scan_snapshot(ctx, &opts, &s, &err), 0);
		if (names_hold(snapshot_find_ns(s, NS_NET, net.st_ino), "/mnt/held"))
			seen_at = n;
		snapshot_free(s);
	}
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
	/* its turn: the namespace's (every SCAN_FULL_EVERY snapshots), or its
	 * only process's, which is idle (every SCAN_IDLE_EVERY) */
	unsigned long want = 0;
	for (unsigned long n = 2; n < 2 * SCAN_FULL_EVERY && !want; n++)
		if (((unsigned long)mnt.st_ino + n) % SCAN_FULL_EVERY == 0 ||
		    ((unsigned long)a + n) % SCAN_IDLE_EVERY == 0)
			want = n;
	printf("# the bind mount named at snapshot %lu, its turn %lu\n", seen_at, want);
	assert_int_equal(seen_at, want);
}

#define ON(tree, fn) { #tree ": " #fn, fn, setup_##tree, teardown, NULL }
#define ON_ALL(fn) ON(v1, fn), ON(v2, fn), ON(hybrid, fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ON_ALL(test_layout),
		ON_ALL(test_host),
		ON_ALL(test_processes_from_stat_and_comm),
		ON_ALL(test_vanished_process_is_dropped),
		ON_ALL(test_zombie_kept_with_nothing_known),
		ON_ALL(test_namespace_links),
		ON_ALL(test_namespaces_grouped),
		ON_ALL(test_process_cgroup_paths),
		ON_ALL(test_same_cgroups_share_entries),
		ON_ALL(test_ns_path_in_own_namespace_is_the_path),
		ON_ALL(test_ns_path_in_other_namespace_unknown_without_setns),
		ON_ALL(test_cgroup_tree_depth_first_by_name),
		ON_ALL(test_cgroup_without_files_is_unknown),
		ON(v2, test_v2_stats),
		ON(v1, test_v1_stats),
		ON(hybrid, test_hybrid_stats),
		ON_ALL(test_without_cgroup_tree),
		ON_ALL(test_last_snapshot_held),
		ON_ALL(test_tree_without_stats),
		ON_ALL(test_second_snapshot_has_rates),
		ON_ALL(test_view_from_missing_pid),
		ON_ALL(test_view_from_zombie),
		ON_ALL(test_view_from_own_namespace),
		ON_ALL(test_view_from_other_namespace_unknown),
		cmocka_unit_test(test_ctx_new_without_hierarchies),
		cmocka_unit_test(test_stat_parse),
		cmocka_unit_test(test_group_interleaved_runs),
		cmocka_unit_test(test_mount_holds_kept_until_their_turn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
