/*
 * The whole scan on trees copied from real hosts (tests/fixtures/captured/,
 * made by tests/fixtures/capture.sh and expanded by make check next to the
 * synthetic trees), held against what each host said when it was captured:
 * its cgroup mode, every process's parent, state, name, namespaces and
 * cgroups, and the cgroups of every hierarchy with their members.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/cgroup.h"
#include "nstop/root.h"
#include "nstop/scan.h"

static const struct scan_opts full_scan = { .cgroup_ns_paths = true, .cgroup_tree = true,
					    .cgroup_stats = true };

/* The scan_cgroup of a hierarchy-relative directory below sys/fs/cgroup. */
static const struct scan_cgroup *cgroup_at(const struct snapshot *s, const char *dir)
{
	char full[PATH_MAX];

	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *c = &s->cgroups[i];
		const char *mount = s->layout.h[c->hier].mount;

		snprintf(full, sizeof(full), "%s%s", mount,
			 strcmp(c->path, "/") == 0 ? "" : c->path);
		if (strcmp(full + 1, dir) == 0)
			return c;
	}
	return NULL;
}

static const struct scan_cgroup *cgroup_of(const struct snapshot *s, int hier, const char *path)
{
	for (size_t i = 0; i < s->ncgroups; i++)
		if (s->cgroups[i].hier == hier && strcmp(s->cgroups[i].path, path) == 0)
			return &s->cgroups[i];
	return NULL;
}

/* Holds one replayed tree's snapshot against its "expect" lines. */
static void check_tree(const char *dir)
{
	char proc[PATH_MAX], cg[PATH_MAX], path[PATH_MAX], line[4096];
	struct nst_err err = { 0 };
	struct nst_root root;
	struct scan_ctx *ctx = NULL;
	struct snapshot *s = NULL;
	size_t nprocs = 0, ncgdirs = 0;
	FILE *f;

	snprintf(proc, sizeof(proc), "%s/proc", dir);
	snprintf(cg, sizeof(cg), "%s/sys/fs/cgroup", dir);
	if (nst_root_open(&root, proc, cg, false, &err) < 0)
		fail_msg("%s: %s", dir, err.msg);
	snprintf(root.cg_path, sizeof(root.cg_path), "%s", NST_CGROUP_PATH);
	if (scan_ctx_new(&root, &ctx, &err) < 0 || scan_snapshot(ctx, &full_scan, &s, &err) < 0)
		fail_msg("%s: %s", dir, err.msg);
	snprintf(path, sizeof(path), "%s/expect", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char what[16], text[256], cpath[2048];
		int pid, ppid, id;
		char state;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "mode %15s", what) == 1) {
			if (strcmp(cg_mode_name(s->layout.mode), what) != 0)
				fail_msg("%s: mode %s, the host said %s", dir,
					 cg_mode_name(s->layout.mode), what);
		} else if (sscanf(line, "proc %d ppid %d state %c comm %255[^\n]", &pid, &ppid,
				  &state, text) == 4) {
			const struct scan_proc *p = snapshot_find_proc(s, pid);
			nprocs++;
			if (!p)
				fail_msg("%s: pid %d is missing", dir, pid);
			if (p->ppid != ppid || p->state != state || strcmp(p->comm, text) != 0)
				fail_msg("%s: pid %d: ppid %d state %c comm '%s', the host said %d %c '%s'",
					 dir, pid, (int)p->ppid, p->state, p->comm, ppid, state, text);
		} else if (sscanf(line, "ns %d %2047[^\n]", &pid, cpath) == 2) {
			const struct scan_proc *p = snapshot_find_proc(s, pid);
			char *save = NULL;
			assert_non_null(p);
			for (char *t = strtok_r(cpath, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
				char *colon = strchr(t, ':');
				int type;
				*colon = '\0';
				type = ns_type_parse(t);
				assert_true(type >= 0);
				if (p->ns[type] != (ino_t)strtoull(colon + 1, NULL, 10))
					fail_msg("%s: pid %d: %s namespace %lu, the host said %s", dir,
						 pid, t, (unsigned long)p->ns[type], colon + 1);
			}
		} else if (sscanf(line, "cg %d %d:%255[^:]:%2047[^\n]", &pid, &id, text, cpath) == 4 ||
			   (sscanf(line, "cg %d %d::%2047[^\n]", &pid, &id, cpath) == 3 &&
			    !(text[0] = '\0'))) {
			const struct scan_proc *p = snapshot_find_proc(s, pid);
			int h = cg_layout_find(&s->layout, id, text);
			assert_non_null(p);
			if (h < 0)
				fail_msg("%s: no hierarchy %d:%s", dir, id, text);
			if (!p->cg[h].path || strcmp(p->cg[h].path, cpath) != 0)
				fail_msg("%s: pid %d: %d:%s:%s, the host said %s", dir, pid, id, text,
					 p->cg[h].path ? p->cg[h].path : "(none)", cpath);
			if (!cgroup_of(s, h, cpath))
				fail_msg("%s: pid %d's cgroup %d:%s:%s was not walked", dir, pid, id,
					 text, cpath);
		} else if (sscanf(line, "cgdir %2047s", cpath) == 1) {
			ncgdirs++;
			if (!cgroup_at(s, cpath))
				fail_msg("%s: cgroup directory %s is missing", dir, cpath);
		}
	}
	fclose(f);
	if (nprocs == 0 || nprocs != s->nprocs)
		fail_msg("%s: %zu processes, the host gave %zu", dir, s->nprocs, nprocs);
	if (ncgdirs == 0 || ncgdirs != s->ncgroups)
		fail_msg("%s: %zu cgroups, the host gave %zu", dir, s->ncgroups, ncgdirs);
	/* every process is counted in the cgroup it is in, in each hierarchy */
	for (size_t i = 0; i < s->ncgroups; i++) {
		size_t members = 0;
		for (size_t k = 0; k < s->nprocs; k++) {
			const char *pp = s->procs[k].cg[s->cgroups[i].hier].path;
			members += pp && strcmp(pp, s->cgroups[i].path) == 0;
		}
		if (members != s->cgroups[i].nprocs)
			fail_msg("%s: %s in hierarchy %d: %zu members, %zu counted", dir,
				 s->cgroups[i].path, s->cgroups[i].hier, members, s->cgroups[i].nprocs);
	}
	snapshot_free(s);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
}

static void test_captured_hosts(void **state)
{
	const char *base = getenv("NSTOP_FIXTURES");
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)state;
	assert_non_null(base);
	d = opendir(base);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char dir[PATH_MAX / 2];
		if (strncmp(de->d_name, "captured-", 9) != 0)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", base, de->d_name);
		check_tree(dir);
		n++;
	}
	closedir(d);
	/* a replay of nothing would pass: at least the one in the tree */
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
