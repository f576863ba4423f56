/*
 * The snapshot document, byte for byte: `nstop -b -J` of each fixture tree
 * and of one made-up snapshot full of odd values (control characters,
 * quotes, invalid UTF-8, large and small reals, --view-from, containers)
 * against what the writer printed before it was rewritten as a stream
 * (tests/fixtures/json/NAME.json, recorded from that code).
 *
 * NSTOP_JSON_RECORD=1 writes the files instead of comparing (only to record
 * a deliberate change of the document, which nstop.1 must then say).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "nstop/engine.h"
#include "nstop/iso.h"
#include "nstop/output.h"
#include "nstop/scan.h"
#include "../../src/out/output-json.h"

static const struct scan_opts full_scan = { .cgroup_ns_paths = true, .cgroup_tree = true,
					    .cgroup_stats = true };

/* The document of s, with what depends on the machine or the moment fixed. */
static char *document(struct snapshot *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	s->time.tv_sec = 1700000000;
	s->time.tv_nsec = 123456789;
	s->ncpu = 2;
	s->privileged = false;
	s->loadavg[0] = 0.25;
	assert_int_equal(out_snapshot_json_write(s, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void compare(const char *name, const char *got, size_t len)
{
	const char *src = getenv("NSTOP_SRCDIR");
	char path[PATH_MAX];
	char *want = NULL;
	size_t wlen = 0;
	FILE *f;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/fixtures/json/%s.json", src, name);
	if (getenv("NSTOP_JSON_RECORD")) {
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(got, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		return;
	}
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open", path);
	want = malloc(1 << 20);
	assert_non_null(want);
	wlen = fread(want, 1, 1 << 20, f);
	fclose(f);
	for (size_t i = 0; i < len && i < wlen; i++)
		if (got[i] != want[i])
			fail_msg("%s: byte %zu differs: got \"%.60s\", want \"%.60s\"",
				 name, i, got + (i > 20 ? i - 20 : 0), want + (i > 20 ? i - 20 : 0));
	if (len != wlen)
		fail_msg("%s: %zu bytes, want %zu", name, len, wlen);
	free(want);
}

/* with_iso: each process's "isolation" too, as -J shows it. */
static void fixture_document(const char *name, bool with_iso)
{
	struct nst_err err = { 0 };
	struct iso_ctx *iso = NULL;
	char golden[64];
	struct nst_root root;
	struct scan_ctx *ctx = NULL;
	struct snapshot *s = NULL;
	size_t len, nctrs;
	char *doc;

	assert_int_equal(fixture_root_open(&root, name), 0);
	if (scan_ctx_new(&root, &ctx, &err) < 0 ||
	    scan_snapshot(ctx, &full_scan, &s, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	/* The containers are the live machine's, not the fixture's. */
	nctrs = s->nctrs;
	s->nctrs = 0;
	s->containers_known = false;
	for (size_t i = 0; i < s->nprocs; i++)
		s->procs[i].ctr = NULL;
	if (with_iso) {
		assert_int_equal(iso_ctx_new(&root, &iso, &err), 0);
		iso_ctx_begin(iso, 0);
		s->iso = iso;
	}
	doc = document(s, &len);
	snprintf(golden, sizeof(golden), "%s%s", name, with_iso ? "-iso" : "");
	compare(golden, doc, len);
	free(doc);
	iso_ctx_free(iso);
	s->nctrs = nctrs;
	snapshot_free(s);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
}

static void test_v1(void **state) { fixture_document("v1", false); }
static void test_v2(void **state) { fixture_document("v2", false); }
static void test_hybrid(void **state) { fixture_document("hybrid", false); }
static void test_captured(void **state) { fixture_document("captured-hybrid-split", false); }
static void test_v1_iso(void **state) { fixture_document("v1", true); }
static void test_hybrid_iso(void **state) { fixture_document("hybrid", true); }

/* The status facts the scan read are the ones the isolation report shows:
 * it does not read status a second time (nor its own answer over them). */
static void test_iso_takes_scan_status(void **state)
{
	struct nst_err err = { 0 };
	struct iso_ctx *iso = NULL;
	struct nst_root root;
	struct scan_ctx *ctx = NULL;
	struct snapshot *s = NULL;
	const struct iso_facts *f;
	struct scan_proc *p;

	(void)state;
	assert_int_equal(fixture_root_open(&root, "v1"), 0);
	if (scan_ctx_new(&root, &ctx, &err) < 0 ||
	    scan_snapshot(ctx, &full_scan, &s, &err) < 0)
		fail_msg("v1: %s", err.msg);
	assert_true(s->nprocs > 0);
	p = &s->procs[s->nprocs - 1];
	/* values no fixture's status file holds */
	p->status_known = true;
	p->status = (struct nst_status){ .cap_eff = 0x5, .cap_bnd = 0x7, .no_new_privs = 1,
					 .seccomp = 2, .seccomp_filters = 7 };
	assert_int_equal(iso_ctx_new(&root, &iso, &err), 0);
	iso_ctx_begin(iso, 0);
	f = iso_proc(iso, s, p);
	assert_non_null(f);
	assert_true(f->status_known);
	assert_int_equal(f->cap_eff, 0x5);
	assert_int_equal(f->cap_bnd, 0x7);
	assert_int_equal(f->no_new_privs, 1);
	assert_int_equal(f->seccomp, 2);
	assert_int_equal(f->seccomp_filters, 7);
	iso_ctx_free(iso);
	snapshot_free(s);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
}

/* Strings and numbers where a writer's escaping and rounding show. */
/* The writer leaves out a string jansson would refuse, by the one UTF-8
 * rule: overlong forms, surrogates and code points past U+10FFFF too. */
static void test_utf8_rule(void **state)
{
	(void)state;
	assert_true(out_js_utf8_ok("plain"));
	assert_true(out_js_utf8_ok("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
	assert_false(out_js_utf8_ok("\xc0\xaf"));		/* overlong '/' */
	assert_false(out_js_utf8_ok("\xe0\x80\xaf"));	/* overlong, 3 bytes */
	assert_false(out_js_utf8_ok("\xf0\x80\x80\xaf"));	/* overlong, 4 bytes */
	assert_false(out_js_utf8_ok("\xed\xa0\x80"));	/* a surrogate */
	assert_false(out_js_utf8_ok("\xf4\x90\x80\x80"));	/* past U+10FFFF */
	assert_false(out_js_utf8_ok("cut \xe2\x82"));		/* cut short */
}

static void test_odd_values(void **state)
{
	struct snapshot s = { 0 };
	struct scan_proc p[3] = { 0 };
	struct scan_cgref refs[3][2] = { 0 };
	ino_t nss[3][NS_NTYPES] = { { 0 } };
	struct scan_ns ns = { 0 };
	struct scan_cgroup cg[2] = { 0 };
	struct eng_ctr ctr = { 0 };
	pid_t pids[2] = { 7, 8 };
	char *view_root1 = "/view\"root";
	size_t len;
	char *doc;

	snprintf(s.hostname, sizeof(s.hostname), "h\"o\\st\t\x01\x1f\x7f/é");
	s.loadavg[1] = 1234567.891;
	s.loadavg[2] = 1e-7;
	s.layout.mode = CG_MODE_HYBRID;
	s.layout.n = 2;
	s.layout.h[0].id = 0;
	s.layout.h[0].v2 = true;
	snprintf(s.layout.h[0].controllers, sizeof(s.layout.h[0].controllers), "cpu memory");
	snprintf(s.layout.h[0].mount, sizeof(s.layout.h[0].mount), "/sys/fs/cgroup/unified");
	snprintf(s.layout.h[0].mnt_root, sizeof(s.layout.h[0].mnt_root), "/");
	s.layout.h[1].id = 4;
	snprintf(s.layout.h[1].controllers, sizeof(s.layout.h[1].controllers), "memory");
	snprintf(s.layout.h[1].mount, sizeof(s.layout.h[1].mount), "/sys/fs/cgroup/memory");
	snprintf(s.layout.h[1].mnt_root, sizeof(s.layout.h[1].mnt_root), "/a\nb");
	s.view_from = 7;
	s.view_cgns = 4026532500;
	s.view_root[1] = view_root1;

	for (int i = 0; i < 3; i++) {
		p[i].cg = refs[i];
		p[i].ns = nss[i];
	}
	p[0].pid = 7;
	p[0].ppid = 1;
	p[0].uid = 0;
	snprintf(p[0].user, sizeof(p[0].user), "root");
	snprintf(p[0].comm, sizeof(p[0].comm), "a \"b\"\\c");
	p[0].cmdline = "sh -c 'echo \x1b[31m\r\n\b\f'";
	p[0].state = 'S';
	p[0].rss_bytes = 123456789012LL;
	p[0].cpu_percent = 99.95;
	p[0].ns[NS_NET] = 4026531840;
	p[0].ns[NS_PID] = 4026532501;
	p[0].cg[0].path = "/x/y";
	p[0].cg[0].ns_path = "/";
	p[0].cg[0].view_path = "/y";
	p[0].cg[1].path = "/bad\xff\xfe";	/* jansson refuses: the key goes */
	p[0].ctr = &ctr;
	p[1].pid = 8;
	p[1].ppid = -1;
	p[1].uid = (uid_t)-1;
	p[1].state = '?';
	p[1].rss_bytes = -1;
	p[1].cpu_percent = -1;
	snprintf(p[1].comm, sizeof(p[1].comm), "kworker/0:1");
	p[1].cmdline = "bad \xc3\x28 utf8";
	p[2].pid = 9;
	p[2].ppid = 8;
	p[2].state = 'Z';
	p[2].cpu_percent = 0.04;
	p[2].rss_bytes = 0;
	snprintf(p[2].comm, sizeof(p[2].comm), "日本語");
	p[2].cmdline = "ok \xe2\x82\xac";
	s.nprocs = 3;
	s.procs = p;

	ns.type = NS_PID;
	ns.inode = 4026532501;
	ns.nprocs = 2;
	ns.pids = pids;
	ns.parent = 4026531836;
	ns.first = 7;
	s.nns = 1;
	s.ns = &ns;

	cg[0].hier = 0;
	cg[0].path = "/";
	cg[0].view_path = NULL;
	cg[0].nprocs = 3;
	cg[0].cpu_percent = 150.25;
	cg[0].st.cpu_usage_usec = 99;
	cg[0].st.cpu_quota_usec = CG_UNLIMITED;
	cg[0].st.cpu_period_usec = 100000;
	cg[0].st.cpu_weight = 100;
	cg[0].st.memory_bytes = 1;
	cg[0].st.memory_limit_bytes = 1LL << 40;
	cg[0].st.oom_kills = 0;
	cg[0].st.pids_current = 3;
	cg[0].st.pids_limit = CG_UNLIMITED;
	cg[0].st.frozen = 1;
	cg[0].st.psi.available = true;
	cg[0].st.psi.cpu_some_avg10 = 0.5;
	cg[0].st.psi.memory_some_avg10 = 12.345678;
	cg[0].st.psi.io_full_avg10 = 100;
	cg[1].hier = 1;
	cg[1].path = "/a\tb";
	cg[1].view_path = "/\x01";
	cg[1].cpu_percent = -1;
	cg_stats_clear(&cg[1].st);
	s.ncgroups = 2;
	s.cgroups = cg;

	ctr.kind = ENG_DOCKER;
	ctr.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	ctr.name = "we\"b";
	ctr.nprocs = 2;
	ctr.pids = pids;
	ctr.cgroup[0] = "/docker/0123";
	eng_usage_clear(&ctr.u);
	ctr.u.memory_limit = 67108864;
	ctr.u.cpu_quota_usec = 50000;
	ctr.u.cpu_period_usec = 100000;
	snprintf(ctr.u.cpuset, sizeof(ctr.u.cpuset), "0-1");
	ctr.cpu_percent = 33.333333;
	ctr.throttled_percent = -1;
	s.nctrs = 1;
	s.ctrs = &ctr;
	s.containers_known = true;

	doc = document(&s, &len);
	compare("odd", doc, len);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_hybrid),
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_v1_iso),
		cmocka_unit_test(test_hybrid_iso),
		cmocka_unit_test(test_iso_takes_scan_status),
		cmocka_unit_test(test_utf8_rule),
		cmocka_unit_test(test_odd_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
