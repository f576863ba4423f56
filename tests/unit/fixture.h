/* Opening a fixture tree (made by tests/fixtures/mkfixtures.sh) as a root. */
#ifndef NSTOP_TEST_FIXTURE_H
#define NSTOP_TEST_FIXTURE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
