/* Fixtures for the unit tests: trees made by tests/fixtures/mkfixtures.sh,
 * and layouts from literal mountinfo. Include after <cmocka.h>. */
#ifndef NSTOP_TEST_FIXTURE_H
#define NSTOP_TEST_FIXTURE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "nstop/cgroup.h"
#include "nstop/root.h"

/*
 * Opens $NSTOP_FIXTURES/NAME/proc and .../sys/fs/cgroup. The fixture's
 * mountinfo names the real mount points, so cg_path, the prefix matched
 * against them, is set to /sys/fs/cgroup while cg_fd stays on the fixture.
 * Returns 0, or -1 after saying why on stderr.
 */
static inline int fixture_root_open(struct nst_root *root, const char *name)
{
	const char *base = getenv("NSTOP_FIXTURES");
	char proc[PATH_MAX], cg[PATH_MAX];
	struct nst_err err = { 0 };

	if (!base) {
		fprintf(stderr, "NSTOP_FIXTURES is not set\n");
		return -1;
	}
	snprintf(proc, sizeof(proc), "%s/%s/proc", base, name);
	snprintf(cg, sizeof(cg), "%s/%s/sys/fs/cgroup", base, name);
	if (nst_root_open(root, proc, cg, false, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	snprintf(root->cg_path, sizeof(root->cg_path), "%s", NST_CGROUP_PATH);
	return 0;
}

/* cg_layout_from_mountinfo parses in place: feed it a copy. */
static inline void layout_of(const char *mi, struct cg_layout *L)
{
	char *copy = strdup(mi);

	assert_non_null(copy);
	assert_int_equal(cg_layout_from_mountinfo(copy, NST_CGROUP_PATH, L), 0);
	free(copy);
}

/* The index of the hierarchy mounted at mount, or -1. */
static inline int index_of_mount(const struct cg_layout *L, const char *mount)
{
	for (int i = 0; i < L->n; i++)
		if (strcmp(L->h[i].mount, mount) == 0)
			return i;
	return -1;
}

#endif
