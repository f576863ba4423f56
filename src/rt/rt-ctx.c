/*
 * The runtime context (runtime.h): the live root, the cgroup layout and the
 * state directory, found once per process. Every operation used to open
 * /proc and /sys/fs/cgroup and re-read self/mountinfo for itself, once per
 * container on every list and every snapshot.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "nstop/runtime.h"

int rt_ctx_open(struct rt_ctx *ctx, struct nst_err *err)
{
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	snprintf(ctx->state_dir, sizeof(ctx->state_dir), "%s", RT_STATE_DIR);
	rc = nst_root_open_live(&ctx->root, err);
	if (rc < 0)
		return rc;
	rc = cg_layout_discover(&ctx->root, &ctx->layout, err);
	if (rc < 0)
		nst_root_clear(&ctx->root);
	return rc;
}

void rt_ctx_close(struct rt_ctx *ctx)
{
	nst_root_clear(&ctx->root);
}
