/* Samples: the rings, and the store on literal snapshots (effective
 * limits, unknowns, dropped and reused series), plus its speed at the
 * TUI's scale. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nstop/sample.h"

#define assert_nan(x) assert_true(isnan(x))
#define assert_double(x, want) do { \
	double x_ = (x); \
	if (!(x_ == (want))) \
		fail_msg("%s = %g, want %g", #x, x_, (double)(want)); \
} while (0)

/* ---- rings --------------------------------------------------------------- */

static void test_ring_wraps(void **state)
{
	struct sample_ring r;

	assert_int_equal(sample_ring_init(&r, 0), -EINVAL);
	assert_int_equal(sample_ring_init(&r, 3), 0);
	assert_nan(sample_ring_last(&r));
	assert_nan(sample_ring_max(&r));
	for (int i = 1; i <= 5; i++)
		sample_ring_push(&r, i);
	assert_int_equal(r.len, 3);
	assert_double(sample_ring_at(&r, 0), 3);
	assert_double(sample_ring_at(&r, 1), 4);
	assert_double(sample_ring_at(&r, 2), 5);
	assert_nan(sample_ring_at(&r, 3));
	assert_double(sample_ring_last(&r), 5);
	assert_double(sample_ring_max(&r), 5);
	sample_ring_push(&r, NAN);
	sample_ring_push(&r, 1);
	/* [5, NAN, 1]: max skips the unknown; the newest two hold 1. */
	assert_double(sample_ring_max(&r), 5);
	assert_double(sample_ring_max_last(&r, 2), 1);
	assert_nan(sample_ring_max_last(&r, 0));
	sample_ring_clear(&r);
	assert_int_equal(r.len, 0);
	assert_null(r.v);
}

static void test_ring_grows_to_cap(void **state)
{
	struct sample_ring r;

	assert_int_equal(sample_ring_init(&r, 300), 0);
	sample_ring_push(&r, 0);
	assert_true(r.alloc < 300);
	for (int i = 1; i < 1000; i++) {
		sample_ring_push(&r, i);
		assert_double(sample_ring_last(&r), i);
		assert_double(sample_ring_at(&r, 0), i < 300 ? 0 : i - 299);
	}
	assert_int_equal(r.len, 300);
	assert_int_equal(r.alloc, 300);
	assert_double(sample_ring_at(&r, 0), 700);
	assert_double(sample_ring_at(&r, 299), 999);
	sample_ring_clear(&r);
}

/* All unknown costs nothing; the first known value keeps the unknowns
 * before it as gaps. */
static void test_ring_unknown_holds_no_storage(void **state)
{
	struct sample_ring r;

	sample_ring_init(&r, 4);
	for (int i = 0; i < 6; i++)
		sample_ring_push(&r, NAN);
	assert_int_equal(r.len, 4);
	assert_int_equal(r.alloc, 0);
	assert_null(r.v);
	assert_nan(sample_ring_at(&r, 0));
	sample_ring_push(&r, 7);
	assert_int_equal(r.len, 4);
	assert_nan(sample_ring_at(&r, 0));
	assert_nan(sample_ring_at(&r, 2));
	assert_double(sample_ring_at(&r, 3), 7);
	sample_ring_push(&r, 8);
	assert_double(sample_ring_at(&r, 2), 7);
	assert_double(sample_ring_at(&r, 3), 8);
	sample_ring_clear(&r);

	/* The same for any one value repeated: a sleeping process's 0%. */
	sample_ring_init(&r, 5);
	for (int i = 0; i < 9; i++)
		sample_ring_push(&r, 0);
	assert_int_equal(r.len, 5);
	assert_int_equal(r.alloc, 0);
	assert_double(sample_ring_at(&r, 0), 0);
	assert_double(sample_ring_last(&r), 0);
	assert_double(sample_ring_max(&r), 0);
	sample_ring_push(&r, 2.5);
	assert_int_equal(r.len, 5);
	assert_true(r.alloc > 0);
	assert_double(sample_ring_at(&r, 0), 0);
	assert_double(sample_ring_at(&r, 3), 0);
	assert_double(sample_ring_at(&r, 4), 2.5);
	sample_ring_clear(&r);

	sample_ring_init(&r, 100);
	for (int i = 0; i < 40; i++)
		sample_ring_push(&r, NAN);
	sample_ring_push(&r, 1);
	assert_int_equal(r.len, 41);
	assert_nan(sample_ring_at(&r, 39));
	assert_double(sample_ring_at(&r, 40), 1);
	for (int i = 0; i < 100; i++)
		sample_ring_push(&r, 2);
	assert_int_equal(r.len, 100);
	assert_double(sample_ring_at(&r, 0), 2);
	sample_ring_clear(&r);
}

/* ---- the store ----------------------------------------------------------- */

struct cgdef {
	int hier;
	const char *path;
	int depth;
	long long mem, limit;
	double cpu;
};

struct procdef {
	pid_t pid;
	unsigned long long start;
	long long rss;
	double cpu;
	const char *mem_path, *cpu_path;
};

/* Hierarchy 0 is v1 memory, 1 is v1 cpu,cpuacct; the snapshot's strings
 * point into the definitions. */
static void make_snap(struct snapshot *s, const struct cgdef *cg, size_t ncg,
		      const struct procdef *pd, size_t np)
{
	memset(s, 0, sizeof(*s));
	s->layout.mode = CG_MODE_V1;
	s->layout.n = 2;
	snprintf(s->layout.h[0].controllers, sizeof(s->layout.h[0].controllers),
		 "memory");
	s->layout.h[0].id = 4;
	snprintf(s->layout.h[1].controllers, sizeof(s->layout.h[1].controllers),
		 "cpu,cpuacct");
	s->layout.h[1].id = 3;
	s->ncgroups = ncg;
	s->cgroups = calloc(ncg ? ncg : 1, sizeof(*s->cgroups));
	for (size_t i = 0; i < ncg; i++) {
		struct scan_cgroup *c = &s->cgroups[i];

		c->hier = cg[i].hier;
		c->path = (char *)cg[i].path;
		c->depth = cg[i].depth;
		cg_stats_clear(&c->st);
		c->st.memory_bytes = cg[i].mem;
		c->st.memory_limit_bytes = cg[i].limit;
		c->cpu_percent = cg[i].cpu;
	}
	assert_int_equal(scan_effective_limits(s), 0);
	s->nprocs = np;
	s->procs = calloc(np ? np : 1, sizeof(*s->procs));
	s->cgrefs = calloc(np ? np * 2 : 1, sizeof(*s->cgrefs));
	for (size_t i = 0; i < np; i++) {
		struct scan_proc *p = &s->procs[i];

		p->cg = s->cgrefs + 2 * i;

		p->pid = pd[i].pid;
		p->start_tics = pd[i].start;
		p->rss_bytes = pd[i].rss;
		p->cpu_percent = pd[i].cpu;
		p->cg[0].path = (char *)pd[i].mem_path;
		p->cg[1].path = (char *)pd[i].cpu_path;
	}
}

static void free_snap(struct snapshot *s)
{
	free(s->cgroups);
	free(s->procs);
	free(s->cgrefs);
}

#define UNL CG_UNLIMITED
#define UNK CG_UNKNOWN

static const struct cgdef cgs[] = {
	{ 0, "/", 0, 1000, UNL, -1 },
	{ 0, "/a", 1, 600, 500, 3 },
	{ 0, "/a/b", 2, 400, 800, 2 },
	{ 0, "/a/b/c", 3, 100, UNL, 1 },
	{ 0, "/d", 1, 50, UNK, -1 },
	{ 0, "/d/e", 2, 20, 300, 0 },
	{ 1, "/", 0, UNK, UNK, 12.5 },
	{ 1, "/a", 1, UNK, UNK, -1 },
};

static const struct procdef procs[] = {
	{ 1, 100, 4096, 1.5, "/a/b/c", "/a" },
	{ 2, 150, -1, -1, NULL, "/" },
	{ 3, 160, 10, 0, "/d/e", "/" },
};

static void test_store_values_and_limits(void **state)
{
	struct sample_store *st;
	struct snapshot s;
	const struct sample_series *x;

	assert_int_equal(sample_store_new(0, &st), -EINVAL);
	assert_int_equal(sample_store_new(60, &st), 0);
	assert_int_equal(sample_store_count(st), 0);
	make_snap(&s, cgs, 8, procs, 3);
	assert_int_equal(sample_store_add(st, &s), 0);
	assert_int_equal(sample_store_count(st), 1);

	x = sample_store_cgroup(st, 0, "/");
	assert_non_null(x);
	assert_nan(sample_ring_last(&x->cpu_percent));
	assert_double(sample_ring_last(&x->memory_bytes), 1000);
	assert_nan(sample_ring_last(&x->memory_limit));
	assert_nan(sample_ring_last(&x->memory_limit_effective));

	x = sample_store_cgroup(st, 0, "/a/b");
	assert_double(sample_ring_last(&x->cpu_percent), 2);
	assert_double(sample_ring_last(&x->memory_limit), 800);
	/* The parent's 500 is the one that bites. */
	assert_double(sample_ring_last(&x->memory_limit_effective), 500);
	x = sample_store_cgroup(st, 0, "/a/b/c");
	assert_nan(sample_ring_last(&x->memory_limit));
	assert_double(sample_ring_last(&x->memory_limit_effective), 500);
	/* A sibling subtree does not inherit /a's limit. */
	x = sample_store_cgroup(st, 0, "/d");
	assert_nan(sample_ring_last(&x->memory_limit_effective));
	x = sample_store_cgroup(st, 0, "/d/e");
	assert_double(sample_ring_last(&x->memory_limit_effective), 300);
	x = sample_store_cgroup(st, 1, "/");
	assert_double(sample_ring_last(&x->cpu_percent), 12.5);
	assert_nan(sample_ring_last(&x->memory_bytes));
	/* Same path, other hierarchy: its own series. */
	x = sample_store_cgroup(st, 1, "/a");
	assert_nan(sample_ring_last(&x->cpu_percent));
	assert_null(sample_store_cgroup(st, 1, "/a/b"));
	assert_null(sample_store_cgroup(st, 0, "/zz"));
	assert_null(sample_store_cgroup(st, 0, NULL));

	/* Processes: their memory cgroup's limits. */
	x = sample_store_proc(st, 1);
	assert_double(sample_ring_last(&x->cpu_percent), 1.5);
	assert_double(sample_ring_last(&x->memory_bytes), 4096);
	assert_nan(sample_ring_last(&x->memory_limit));
	assert_double(sample_ring_last(&x->memory_limit_effective), 500);
	x = sample_store_proc(st, 2);
	assert_nan(sample_ring_last(&x->cpu_percent));
	assert_nan(sample_ring_last(&x->memory_bytes));
	assert_nan(sample_ring_last(&x->memory_limit_effective));
	x = sample_store_proc(st, 3);
	assert_double(sample_ring_last(&x->cpu_percent), 0);
	assert_double(sample_ring_last(&x->memory_limit), 300);
	assert_null(sample_store_proc(st, 4));

	free_snap(&s);
	sample_store_free(st);
}

/* A snapshot that read no cgroup files starts no cgroup's series (all its
 * values unknown); one already kept goes on, and processes are kept. */
static void test_store_unread_cgroups(void **state)
{
	struct sample_store *st;
	struct snapshot s;

	assert_int_equal(sample_store_new(60, &st), 0);
	make_snap(&s, cgs, 2, procs, 3);
	assert_int_equal(sample_store_add(st, &s), 0);
	free_snap(&s);
	make_snap(&s, cgs, 8, procs, 3);
	s.cgroup_stats_unread = true;
	for (size_t i = 0; i < s.ncgroups; i++) {
		cg_stats_clear(&s.cgroups[i].st);
		s.cgroups[i].cpu_percent = -1;
	}
	assert_int_equal(scan_effective_limits(&s), 0);
	assert_int_equal(sample_store_add(st, &s), 0);
	assert_null(sample_store_cgroup(st, 0, "/a/b"));
	assert_null(sample_store_cgroup(st, 1, "/"));
	assert_int_equal(sample_store_cgroup(st, 0, "/a")->memory_bytes.len, 2);
	assert_nan(sample_ring_last(&sample_store_cgroup(st, 0, "/a")->memory_bytes));
	assert_int_equal(sample_store_proc(st, 1)->memory_bytes.len, 2);
	assert_nan(sample_ring_last(&sample_store_proc(st, 1)->memory_limit_effective));
	free_snap(&s);
	sample_store_free(st);
}

static void test_store_drops_and_reuse(void **state)
{
	struct sample_store *st;
	struct snapshot s;
	struct procdef p2[2] = { procs[0], procs[2] };

	assert_int_equal(sample_store_new(60, &st), 0);
	make_snap(&s, cgs, 8, procs, 3);
	assert_int_equal(sample_store_add(st, &s), 0);
	assert_int_equal(sample_store_add(st, &s), 0);
	free_snap(&s);
	assert_int_equal(sample_store_proc(st, 1)->cpu_percent.len, 2);

	/* /d/e and pid 2 are gone; pid 1 is a new process with an old pid. */
	p2[0].start = 999;
	p2[0].cpu = 50;
	make_snap(&s, cgs, 5, p2, 2);
	assert_int_equal(sample_store_add(st, &s), 0);
	assert_null(sample_store_cgroup(st, 0, "/d/e"));
	assert_null(sample_store_cgroup(st, 1, "/"));
	assert_null(sample_store_proc(st, 2));
	assert_int_equal(sample_store_proc(st, 1)->cpu_percent.len, 1);
	assert_double(sample_ring_last(&sample_store_proc(st, 1)->cpu_percent), 50);
	assert_int_equal(sample_store_proc(st, 3)->cpu_percent.len, 3);
	assert_int_equal(sample_store_cgroup(st, 0, "/a")->cpu_percent.len, 3);
	assert_int_equal(sample_store_count(st), 3);
	free_snap(&s);
	sample_store_free(st);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sample_store *scale_st;
static struct snapshot scale_snap;

/* Frees what test_store_scale made, also when an assertion stopped it. */
static int scale_teardown(void **state)
{
	free_snap(&scale_snap);
	sample_store_free(scale_st);
	scale_st = NULL;
	return 0;
}

/* Valgrind runs everything many times slower: the time is only shown. */
static bool under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload");
}

/* The TUI's scale: 3,000 processes in 200 cgroups, a sample a second for
 * five minutes (the rings full); half the processes churn midway. */
static void test_store_scale(void **state)
{
	enum { NPROC = 3000, NCG = 200, ADDS = 300 };
	static char paths[NCG][32];
	static struct cgdef cg[NCG];
	static struct procdef pd[NPROC];
	struct sample_store *st;
	struct snapshot *sp = &scale_snap;
	double t0, t;
	size_t heap0 = mallinfo2().uordblks;

	for (int i = 0; i < NCG; i++) {
		snprintf(paths[i], sizeof(paths[i]), i ? "/s/c%d" : "/", i);
		cg[i] = (struct cgdef){ 0, paths[i], i ? 2 : 0, i * 1000LL,
					i % 3 ? UNL : 1LL << 30, i };
	}
	/* "/s" itself is left out: depth-first order still holds below "/". */
	for (int i = 0; i < NPROC; i++)
		pd[i] = (struct procdef){ i + 1, i, 4096, 0.5, paths[i % NCG],
					  NULL };
	make_snap(sp, cg, NCG, pd, NPROC);
	assert_int_equal(sample_store_new(300, &scale_st), 0);
	st = scale_st;
	t0 = now();
	for (int a = 0; a < ADDS; a++) {
		if (a == ADDS / 2)
			for (int i = 0; i < NPROC; i += 2)
				sp->procs[i].pid += NPROC;
		/* One in ten busy; the rest sleep at 0%. */
		for (int i = 0; i < NPROC; i++)
			sp->procs[i].cpu_percent = i % 10 == 1 ? a % 7 : 0;
		assert_int_equal(sample_store_add(st, sp), 0);
	}
	t = (now() - t0) / ADDS;
	print_message("# sample_store_add: %.3f ms for %d processes and %d cgroups; "
		      "%.1f MiB held with the rings full\n", t * 1e3, NPROC, NCG,
		      (double)(mallinfo2().uordblks - heap0) / (1 << 20));
	assert_int_equal(sample_store_proc(st, 2)->cpu_percent.len, 300);
	assert_int_equal(sample_store_proc(st, 1 + NPROC)->cpu_percent.len, ADDS / 2);
	assert_null(sample_store_proc(st, 1));
	/* Only the busy keep a cpu history, and only memory that changes. */
	assert_int_equal(sample_store_proc(st, 2)->cpu_percent.alloc, 300);
	assert_int_equal(sample_store_proc(st, 4)->cpu_percent.alloc, 0);
	assert_int_equal(sample_store_proc(st, 2)->memory_bytes.alloc, 0);
	/* A process in an unlimited cgroup keeps no limit history at all. */
	assert_int_equal(sample_store_proc(st, 2)->memory_limit.alloc, 0);
	/* A limit that never changed: no storage either. */
	assert_int_equal(sample_store_proc(st, 1 + NPROC)->memory_limit.alloc, 0);
	assert_double(sample_ring_last(&sample_store_proc(st, 1 + NPROC)->memory_limit),
		      1 << 30);
	/* Generous: a refresh is 1000 ms; this is well under 1% of it. */
	if (!under_valgrind())
		assert_true(t < 0.010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_wraps),
		cmocka_unit_test(test_ring_grows_to_cap),
		cmocka_unit_test(test_ring_unknown_holds_no_storage),
		cmocka_unit_test(test_store_values_and_limits),
		cmocka_unit_test(test_store_unread_cgroups),
		cmocka_unit_test(test_store_drops_and_reuse),
		cmocka_unit_test_teardown(test_store_scale, scale_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
