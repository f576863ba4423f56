/*
 * One snapshot (scan.h): every process with its namespaces and cgroups, the
 * namespaces and cgroup trees they form, and rates against the previous
 * snapshot, reading only what changed since (bounded staleness). This file
 * holds the context's life and the order of the steps; each step lives in
 * the file of its section (scan-internal.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "scan-proc2.h"

#include "nstop/engine-scan.h"
#include "nstop/runtime.h"
#include "nstop/thread.h"
#include "scan-internal.h"

/* layout: one found already (the runtime context's), or NULL to find it. */
static int ctx_new(const struct nst_root *root, const struct cg_layout *layout,
		   struct scan_ctx **out, struct nst_err *err)
{
	struct scan_ctx *ctx = calloc(1, sizeof(*ctx));
	int fd, rc;

	*out = NULL;
	if (!ctx)
		return nst_err_sys(err, ENOMEM, "scan");
	ctx->root = root;
	ctx->hz = sysconf(_SC_CLK_TCK);
	ctx->pagesize = sysconf(_SC_PAGESIZE);
	if (layout)
		ctx->layout = *layout;
	else if ((rc = cg_layout_discover(root, &ctx->layout, err)) < 0)
		goto fail;
	fd = openat(root->proc_fd, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = nst_err_sys(err, errno, "opening self in the proc root");
		goto fail;
	}
	ctx->own_cgns = ns_read(fd, NS_CGROUP);
	close(fd);
	/* nstop's own namespace shows paths as they are: its root is "/". */
	if (ctx->own_cgns) {
		struct cgns_entry *e = cgns_cache_add(&ctx->cgns, ctx->own_cgns);
		if (!e) {
			rc = nst_err_sys(err, ENOMEM, "scan");
			goto fail;
		}
		for (int h = 0; h < ctx->layout.n; h++)
			if (!(e->root[h] = strdup("/"))) {
				rc = nst_err_sys(err, ENOMEM, "scan");
				goto fail;
			}
	}
	/* libproc2 is loaded by the first scan that has a process for it */
	*out = ctx;
	return 0;
fail:
	scan_ctx_free(ctx);
	return rc;
}

int scan_ctx_new(const struct nst_root *root, struct scan_ctx **out,
		 struct nst_err *err)
{
	return ctx_new(root, NULL, out, err);
}

int scan_ctx_open_live(struct rt_ctx *rt, struct scan_ctx **out, struct nst_err *err)
{
	int rc = ctx_new(&rt->root, &rt->layout, out, err);

	if (rc == 0)
		(*out)->rt = rt;
	return rc;
}

/* The last snapshot, to compare the next one with, is kept, not copied: it
 * is immutable, and a front end that shows it holds it anyway. */
static void scan_prev_free(struct scan_ctx *ctx)
{
	snapshot_free(ctx->last);
	ctx->last = NULL;
}

static void scan_remember_procs(struct scan_ctx *ctx, struct snapshot *s)
{
	s->refs++;
	scan_prev_free(ctx);
	ctx->last = s;
}

void scan_ctx_free(struct scan_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->pids)
		scan_proc2.pids_unref(&ctx->pids);
	free(ctx->users);
	eng_state_free(ctx->eng);
	cgns_cache_clear(&ctx->cgns);
	scan_mnt_holds_free(ctx);
	scan_prev_free(ctx);
	for (size_t i = 0; i < ctx->nprev_cg; i++)
		free(ctx->prev_cg[i].path);
	free(ctx->prev_cg);
	for (size_t i = 0; i < ctx->nfds; i++) {
		if (ctx->fds[i].stat_fd >= 0)
			close(ctx->fds[i].stat_fd);
		if (ctx->fds[i].cg_fd >= 0)
			close(ctx->fds[i].cg_fd);
		if (ctx->fds[i].sched_fd >= 0)
			close(ctx->fds[i].sched_fd);
	}
	free(ctx->fds);
	free(ctx->new_fds);
	free(ctx->nsrel);
	for (int h = 0; h < CG_MAX_HIER; h++) {
		scan_str_unref(ctx->last_cg[h]);
		for (int k = 0; k < 2; k++) {
			scan_str_unref(ctx->last_rel[k][h].path);
			scan_str_unref(ctx->last_rel[k][h].root);
			scan_str_unref(ctx->last_rel[k][h].rel);
		}
	}
	scan_tree_clear(ctx);
	free(ctx);
}

const struct cg_layout *scan_ctx_layout(const struct scan_ctx *ctx)
{
	return &ctx->layout;
}

void snapshot_free(struct snapshot *snap)
{
	if (!snap)
		return;
	if (snap->refs > 1) {
		snap->refs--;
		return;
	}
	/* The cgroup entries are the block's (shared), not each process's. */
	for (size_t i = 0; i < snap->nprocs; i++)
		free(snap->procs[i].cmdline);
	free(snap->procs);
	scan_cgrefs_free(snap);
	for (size_t i = 0; i < snap->nns; i++) {
		free(snap->ns[i].pids);
		for (size_t k = 0; k < snap->ns[i].nnames; k++)
			free(snap->ns[i].names[k]);
		free(snap->ns[i].names);
		free(snap->ns[i].held_at);
	}
	free(snap->ns);
	for (size_t i = 0; i < snap->ncgroups; i++) {
		free(snap->cgroups[i].path);
		if (snap->cgroups[i].view_path != snap->cgroups[i].path)
			free(snap->cgroups[i].view_path);
	}
	free(snap->cgroups);
	free(snap->containers);
	eng_ctrs_free(snap->ctrs, snap->nctrs);
	for (int h = 0; h < CG_MAX_HIER; h++)
		free(snap->view_root[h]);
	free(snap);
}

/* ---- the snapshot ------------------------------------------------------- */

static double read_uptime(const struct nst_root *root)
{
	char buf[128];

	if (nst_read_at(root->proc_fd, "uptime", buf, sizeof(buf)) <= 0)
		return -1;
	return strtod(buf, NULL);
}

static bool has_sys_admin(void)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!caps)
		return false;
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

static void read_host(const struct scan_ctx *ctx, struct snapshot *s)
{
	char buf[256];

	if (nst_read_at(ctx->root->proc_fd, "sys/kernel/hostname", buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(s->hostname, sizeof(s->hostname), "%.64s", buf);
	}
	if (nst_read_at(ctx->root->proc_fd, "loadavg", buf, sizeof(buf)) > 0)
		sscanf(buf, "%lf %lf %lf", &s->loadavg[0], &s->loadavg[1], &s->loadavg[2]);
	s->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	s->privileged = geteuid() == 0 && has_sys_admin();
}

struct beside_job {
	const struct scan_beside *b;
	const struct snapshot *s;
	pthread_t thread;
	bool threaded;
};

static void *beside_run(void *arg)
{
	struct beside_job *j = arg;

	j->b->fn(j->s, j->b->arg);
	return NULL;
}

static void beside_start(struct beside_job *j, const struct scan_beside *b,
			 const struct snapshot *s)
{
	*j = (struct beside_job){ .b = b, .s = s };
	if (b && b->fn)
		j->threaded = nst_thread_start(&j->thread, beside_run, j);
}

/* Waits for it, or runs it here where no thread could start (once). */
static void beside_finish(struct beside_job *j)
{
	if (j->threaded)
		pthread_join(j->thread, NULL);
	else if (j->b && j->b->fn)
		beside_run(j);
	j->b = NULL;
	j->threaded = false;
}

int scan_snapshot(struct scan_ctx *ctx, const struct scan_opts *opts,
		  struct snapshot **out, struct nst_err *err)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	struct timespec mono;
	double uptime;
	struct scan_fd_walk *fds = NULL;
	struct scan_cgns *cgns = NULL;
	struct scan_cgtree *tree = NULL;
	struct beside_job beside = { 0 };
	int rc;

	*out = NULL;
	if (!s)
		return nst_err_sys(err, ENOMEM, "scan");
	s->refs = 1;
	clock_gettime(CLOCK_REALTIME, &s->time);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	s->monotonic = (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
	s->layout = ctx->layout;
	s->own_cgns = ctx->own_cgns;
	s->cgroup_stats_unread = !opts->cgroup_stats;
	read_host(ctx, s);
	uptime = read_uptime(ctx->root);

	ctx->incremental = opts->incremental;
	if (ctx->incremental && !ctx->fd_limit_set)
		scan_fds_limit_raise(ctx);
	if (!ctx->incremental && ctx->nfds)
		scan_fds_commit(ctx);	/* none are kept */
	if (opts->ns_held_fds)
		fds = scan_fd_walk_start(ctx);
	if (opts->cgroup_tree)
		tree = scan_cgtree_start(ctx, s, opts->cgroup_stats);
	if ((rc = scan_procs(ctx, s, uptime, fds, err)) < 0)
		goto fail;

	if (opts->view_from) {
		const struct scan_proc *v = snapshot_find_proc(s, opts->view_from);
		if (!v) {
			rc = nst_err_set(err, ESRCH, "--view-from %d: no such process",
					 (int)opts->view_from);
			goto fail;
		}
		if (!v->ns[NS_CGROUP]) {
			rc = nst_err_set(err, EACCES,
					 "--view-from %d: its cgroup namespace cannot be read",
					 (int)opts->view_from);
			goto fail;
		}
		s->view_from = v->pid;
		s->view_cgns = v->ns[NS_CGROUP];
	}
	/* The caller's work on the processes, and the helper that finds the
	 * cgroup namespaces' roots, go on while the namespaces are grouped
	 * and the held ones, the cgroup trees and the containers are read. */
	beside_start(&beside, opts->beside, s);
	if ((rc = scan_group_namespaces(ctx, s)) < 0 ||
	    (opts->cgroup_ns_paths && (rc = scan_cgns_start(ctx, s, &cgns)) < 0) ||
	    (rc = scan_held_namespaces(ctx, s, &fds)) < 0 ||
	    (opts->cgroup_tree && (rc = scan_build_cgroups(ctx, s, &tree)) < 0)) {
		rc = nst_err_sys(err, -rc, "scan");
		goto fail;
	}
	if (ctx->root->live) {
		if (ctx->rt)
			scan_containers(ctx->rt, s);
		if (ctx->eng || (ctx->eng = eng_state_new()))
			eng_scan(ctx->root, ctx->eng, s);
	}
	if ((rc = scan_cgns_finish(ctx, &cgns)) < 0 ||
	    (opts->cgroup_ns_paths && (rc = scan_relative_paths(ctx, s)) < 0) ||
	    (rc = scan_cgroup_view_paths(s)) < 0) {
		rc = nst_err_sys(err, -rc, "scan");
		goto fail;
	}
	/* (sharing moves each process's namespace and cgroup vectors) */
	beside_finish(&beside);
	scan_cgrefs_share(s);
	scan_remember_procs(ctx, s);
	if (opts->cgroup_stats)
		scan_remember_cgroups(ctx, s);
	else
		scan_remember_cgroups_none(ctx);
	if (opts->cgroup_stats)
		ctx->prev_cg_time = s->monotonic;
	ctx->prev_time = s->monotonic;
	ctx->have_prev = true;
	ctx->nsnap++;
	*out = s;
	return 0;
fail:
	if (beside.threaded)
		pthread_join(beside.thread, NULL);
	scan_cgtree_free(tree);
	scan_cgns_finish(ctx, &cgns);
	scan_fd_walk_free(fds);
	if (ctx->nnew_fds)
		scan_fds_commit(ctx);
	snapshot_free(s);
	return rc;
}
