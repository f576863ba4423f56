/*
 * A container's cgroups: RT_CGROUP_PARENT/NAME in every mounted hierarchy,
 * v1, v2 or both at once (hybrid), made, joined, frozen and destroyed (the
 * limits: rt-limits.c; one file's read or write: rt-cgfile.c). Nothing
 * outside RT_CGROUP_PARENT is ever written, except a v2 root's
 * subtree_control when a controller nstop needs is not yet enabled there.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt-internal.h"

/* How long destroy waits for killed processes to leave before rmdir gives
 * up; the kernel needs them reaped, which takes their parents a moment. */
#define RT_CG_RMDIR_TIMEOUT_MS 5000
#define RT_CG_DEPTH 32

static const char *const v2_wanted[] = { "memory", "cpu", "pids", "cpuset" };

/*
 * The nodes a container's minimal /dev holds, and nothing else: without
 * this list a process with CAP_MKNOD (or a node passed in) could reach the
 * host's disks, memory (/dev/mem) or kernel log. One table for both v1's
 * devices.allow and v2's device program.
 */
static const struct rt_dev_rule {
	unsigned major;
	int minor;		/* -1: any */
	const char *what;
} devices_allowed[] = {
	{ 1, 3, "null" }, { 1, 5, "zero" }, { 1, 7, "full" }, { 1, 8, "random" },
	{ 1, 9, "urandom" }, { 5, 0, "tty" }, { 5, 1, "console" }, { 5, 2, "ptmx" },
	{ 136, -1, "pts" },
};
#define N_DEVICES (sizeof(devices_allowed) / sizeof(devices_allowed[0]))
/* rt_devices_program: twelve instructions and one a rule */
_Static_assert(12 + N_DEVICES <= RT_DEVICES_PROGRAM_MAX, "RT_DEVICES_PROGRAM_MAX");

static void cg_init(struct rt_ctx *ctx, struct rt_cg *cg)
{
	memset(cg, 0, sizeof(*cg));
	cg->root = &ctx->root;
	cg->layout = &ctx->layout;
	for (int i = 0; i < CG_MAX_HIER; i++)
		cg->dirfd[i] = -1;
}

static int cg_begin(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
		    struct nst_err *err)
{
	int rc;

	cg_init(ctx, cg);
	rc = rt_name_check(name, err);
	if (rc < 0)
		return rc;
	snprintf(cg->path, sizeof(cg->path), "%s/%s", RT_CGROUP_PARENT, name);
	return 0;
}

void rt_cg_close(struct rt_cg *cg)
{
	for (int i = 0; i < CG_MAX_HIER; i++) {
		if (cg->dirfd[i] >= 0)
			close(cg->dirfd[i]);
		cg->dirfd[i] = -1;
	}
}

int rt_cg_open(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
	       struct nst_err *err)
{
	char dir[CG_PATH_MAX];
	int rc, found = 0;

	rc = cg_begin(ctx, name, cg, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < cg->layout->n; i++) {
		if (cg_dir_of(&cg->layout->h[i], cg->path, dir, sizeof(dir)) < 0)
			continue;
		cg->dirfd[i] = openat(cg->root->cg_fd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cg->dirfd[i] >= 0)
			found++;
	}
	if (!found) {
		rt_cg_close(cg);
		return nst_err_set(err, ENOENT, "container %s has no cgroup", name);
	}
	return 0;
}

/* v1 cpuset starts a new cgroup with no cpus and no memory nodes, and
 * refuses tasks until both are set: copy them from the parent. */
static int cpuset_inherit(int parent, int child, const char *where, struct nst_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char have[1024], buf[1024];
	long n;
	int rc;

	for (size_t k = 0; k < 2; k++) {
		if (rt_cg_read(child, files[k], have, sizeof(have)) > 0)
			continue;
		n = rt_cg_read(parent, files[k], buf, sizeof(buf));
		if (n < 0)
			return nst_err_sys(err, (int)-n, "%s/%s: read the parent's", where, files[k]);
		rc = rt_cg_write(child, files[k], buf);
		if (rc < 0)
			return nst_err_sys(err, -rc, "%s/%s", where, files[k]);
	}
	return 0;
}

/* v2 hands a controller to a child only when its parent enables it in
 * subtree_control; the writes go where it is missing, top down. */
static int v2_enable(int parent, const char *where, const char *available,
		     struct nst_err *err)
{
	char have[512], op[32];
	int rc;

	if (rt_cg_read(parent, "cgroup.subtree_control", have, sizeof(have)) < 0)
		have[0] = '\0';
	for (size_t k = 0; k < sizeof(v2_wanted) / sizeof(v2_wanted[0]); k++) {
		if (!cg_has_controller(available, v2_wanted[k]) ||
		    cg_has_controller(have, v2_wanted[k]))
			continue;
		snprintf(op, sizeof(op), "+%s", v2_wanted[k]);
		rc = rt_cg_write(parent, "cgroup.subtree_control", op);
		if (rc < 0)
			return nst_err_sys(err, -rc, "%s/cgroup.subtree_control: %s", where, op);
	}
	return 0;
}

/* The v1 devices allow-list: everything denied, then the nodes above. */
static int devices_restrict(int dirfd, const char *where, struct nst_err *err)
{
	char rule[64];
	int rc = rt_cg_write(dirfd, "devices.deny", "a"), fd;

	if (rc < 0)
		return nst_err_sys(err, -rc, "%s/devices.deny", where);
	/* one rule a write, all through one open file */
	fd = openat(dirfd, "devices.allow", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s/devices.allow", where);
	for (size_t k = 0; rc == 0 && k < N_DEVICES; k++) {
		const struct rt_dev_rule *d = &devices_allowed[k];

		if (d->minor < 0)
			snprintf(rule, sizeof(rule), "c %u:* rwm", d->major);
		else
			snprintf(rule, sizeof(rule), "c %u:%d rwm", d->major, d->minor);
		if ((rc = rt_cg_write_fd(fd, rule)) < 0)
			rc = nst_err_sys(err, -rc, "%s/devices.allow: %s", where, rule);
	}
	close(fd);
	return rc;
}

/* ---- v2: the same allow-list as a BPF_PROG_TYPE_CGROUP_DEVICE program ---- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), \
	.src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define AND_K(d, i) INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define LSH_K(d, i) INSN(BPF_ALU64 | BPF_LSH | BPF_K, d, 0, 0, i)
#define OR_X(d, s) INSN(BPF_ALU64 | BPF_OR | BPF_X, d, s, 0, 0)
#define JMP_K(op, d, i) INSN(BPF_JMP | (op) | BPF_K, d, 0, 0, i)
#define MOV_K(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* A rule's major and minor as one number, once the minor is known to be
 * below 256 (the program checks it first): exact, so no two devices meet. */
#define DEV_KEY(major, minor) (((int64_t)(major) << 8) | (minor))

/*
 * r2 = the device's type, r4 = major, r5 = minor. Not a char device:
 * denied. A major whose every minor is allowed (pts): allowed. A minor of
 * 256 or more: denied (no rule has one). Then r4 = major << 8 | minor is
 * compared with each rule's. Every test jumps to the end or falls through
 * with what it knew unchanged, so the verifier walks each instruction
 * about once: the earlier program, a chain of type, major and minor tests
 * per rule, made it explore each way through the chain, which cost a
 * launch a quarter of a millisecond of cpu on a cgroup2 host.
 */
size_t rt_devices_program(struct bpf_insn *p, size_t max)
{
	size_t n = 0, to_deny[2 + N_DEVICES], to_allow[N_DEVICES], nd = 0, na = 0;

	if (max < 12 + N_DEVICES)
		return 0;
	p[n++] = LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	p[n++] = AND_K(BPF_REG_2, 0xffff);
	to_deny[nd++] = n;
	p[n++] = JMP_K(BPF_JNE, BPF_REG_2, BPF_DEVCG_DEV_CHAR);
	p[n++] = LDX_W(BPF_REG_4, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major));
	p[n++] = LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor));
	for (size_t k = 0; k < N_DEVICES; k++)
		if (devices_allowed[k].minor < 0) {
			to_allow[na++] = n;
			p[n++] = JMP_K(BPF_JEQ, BPF_REG_4, (int32_t)devices_allowed[k].major);
		}
	to_deny[nd++] = n;
	p[n++] = JMP_K(BPF_JGT, BPF_REG_5, 0xff);
	p[n++] = LSH_K(BPF_REG_4, 8);
	p[n++] = OR_X(BPF_REG_4, BPF_REG_5);
	for (size_t k = 0; k < N_DEVICES; k++) {
		const struct rt_dev_rule *d = &devices_allowed[k];

		if (d->minor < 0)
			continue;
		/* a rule the key cannot hold is a rule the program would not
		 * keep: no program at all, the launch fails */
		if (d->minor > 0xff || DEV_KEY(d->major, d->minor) > INT32_MAX)
			return 0;
		to_allow[na++] = n;
		p[n++] = JMP_K(BPF_JEQ, BPF_REG_4, (int32_t)DEV_KEY(d->major, d->minor));
	}
	for (size_t i = 0; i < nd; i++)
		p[to_deny[i]].off = (int16_t)(n - to_deny[i] - 1);
	p[n++] = MOV_K(BPF_REG_0, 0);
	p[n++] = EXIT();
	for (size_t i = 0; i < na; i++)
		p[to_allow[i]].off = (int16_t)(n - to_allow[i] - 1);
	p[n++] = MOV_K(BPF_REG_0, 1);
	p[n++] = EXIT();
	return n;
}

/*
 * On a host with no v1 devices controller the kernel asks the cgroup's
 * device programs instead: without one, a container could open any node it
 * manages to make or is handed. Attached without BPF_F_ALLOW_OVERRIDE or
 * _MULTI, so nothing below the container's cgroup may replace it.
 */
static int devices_restrict_v2(struct rt_cg *cg, const char *dir, struct nst_err *err)
{
	struct bpf_insn prog[RT_DEVICES_PROGRAM_MAX];
	char log[1024] = "";
	union bpf_attr attr;
	int pfd, cfd, rc = 0;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = (uint32_t)rt_devices_program(prog, sizeof(prog) / sizeof(prog[0]));
	if (attr.insn_cnt == 0)
		return nst_err_set(err, EINVAL, "%s: the devices program does not hold the allow-list", dir);
	attr.license = (uint64_t)(uintptr_t)"GPL";
	pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (pfd < 0) {
		int e = errno;
		/* Again with the verifier's log, only to say why. */
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		if (syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)) >= 0)
			log[0] = '\0';
		for (char *q = log; *q; q++)
			if (*q == '\n')
				*q = ' ';
		return nst_err_sys(err, e, "%s: loading the devices program%s%.200s", dir,
				   log[0] ? ": " : "", log);
	}
	cfd = openat(cg->root->cg_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0) {
		rc = nst_err_sys(err, errno, "%s", dir);
		close(pfd);
		return rc;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cfd;
	attr.attach_bpf_fd = (uint32_t)pfd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
		rc = nst_err_sys(err, errno, "%s: attaching the devices program", dir);
	/* Attached, the program lives as long as the cgroup. */
	close(cfd);
	close(pfd);
	return rc;
}

static bool v1_devices(const struct cg_layout *L)
{
	for (int i = 0; i < L->n; i++)
		if (!L->h[i].v2 && cg_has_controller(L->h[i].controllers, "devices"))
			return true;
	return false;
}

/* Makes RT_CGROUP_PARENT and the container's cgroup in hierarchy i. */
static int cg_make_one(struct rt_cg *cg, int i, struct nst_err *err)
{
	const struct cg_hier *h = &cg->layout->h[i];
	char pdir[CG_PATH_MAX], dir[CG_PATH_MAX];
	int top = -1, parent = -1, rc = 0;
	bool cpus_cloned = false;

	if (cg_dir_of(h, RT_CGROUP_PARENT, pdir, sizeof(pdir)) < 0 ||
	    cg_dir_of(h, cg->path, dir, sizeof(dir)) < 0)
		return 0;	/* this mount does not show /: not ours to use */
	top = openat(cg->root->cg_fd, h->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return nst_err_sys(err, errno, "%s", h->mount);
	if (mkdirat(cg->root->cg_fd, pdir, 0755) < 0 && errno != EEXIST) {
		rc = nst_err_sys(err, errno, "%s%s", h->mount, RT_CGROUP_PARENT);
		goto out;
	}
	parent = openat(cg->root->cg_fd, pdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0) {
		rc = nst_err_sys(err, errno, "%s%s", h->mount, RT_CGROUP_PARENT);
		goto out;
	}
	if (h->v2) {
		rc = v2_enable(top, h->mount, h->controllers, err);
		if (rc == 0)
			rc = v2_enable(parent, pdir, h->controllers, err);
	} else if (cg_has_controller(h->controllers, "cpuset")) {
		rc = cpuset_inherit(top, parent, pdir, err);
		/* and the kernel copies them into each container's from here:
		 * cgroup.clone_children, in nstop's own parent only */
		if (rc == 0 && rt_cg_write(parent, "cgroup.clone_children", "1") == 0)
			cpus_cloned = true;
	}
	if (rc < 0)
		goto out;
	if (mkdirat(cg->root->cg_fd, dir, 0755) < 0) {
		if (errno == EEXIST)
			rc = nst_err_set(err, EEXIST, "cgroup %s exists already in %s",
					 cg->path, h->mount);
		else
			rc = nst_err_sys(err, errno, "%s%s", h->mount, cg->path);
		goto out;
	}
	cg->dirfd[i] = openat(cg->root->cg_fd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cg->dirfd[i] < 0) {
		rc = nst_err_sys(err, errno, "%s%s", h->mount, cg->path);
		unlinkat(cg->root->cg_fd, dir, AT_REMOVEDIR);
		goto out;
	}
	if (!h->v2 && !cpus_cloned && cg_has_controller(h->controllers, "cpuset"))
		rc = cpuset_inherit(parent, cg->dirfd[i], dir, err);
	if (rc == 0 && !h->v2 && cg_has_controller(h->controllers, "devices"))
		rc = devices_restrict(cg->dirfd[i], dir, err);
	/* (v2's device program: rt_cg_create_v1, after a launch's clone) */
out:
	if (parent >= 0)
		close(parent);
	close(top);
	return rc;
}

/*
 * The RT_CGROUP_PARENT cgroups are every container's: the last rm removes
 * them, and a run makes them again. Threat: an rm's rmdir of the parent
 * between a run's mkdir of the parent and of its own cgroup fails the run
 * (ENOENT), or a run's parent left behind half set up. So a run holds this
 * shared while it makes both and rm holds it exclusive while it removes the
 * parents: an flock on the first hierarchy's top directory, which leaves no
 * file behind. -1 when it cannot be taken (then nothing is removed).
 */
static int cg_parent_lock(struct rt_cg *cg, int op)
{
	int fd, rc;

	if (cg->layout->n < 1)
		return -1;
	fd = openat(cg->root->cg_fd, cg->layout->h[0].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((rc = flock(fd, op)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* After the last container: the empty parents go, in every hierarchy (a
 * parent another container still uses stays: rmdir says EBUSY/ENOTEMPTY). */
static void cg_parents_remove(struct rt_cg *cg)
{
	char pdir[CG_PATH_MAX];
	int lock = cg_parent_lock(cg, LOCK_EX);

	if (lock < 0)
		return;
	for (int i = 0; i < cg->layout->n; i++)
		if (cg_dir_of(&cg->layout->h[i], RT_CGROUP_PARENT, pdir, sizeof(pdir)) == 0)
			unlinkat(cg->root->cg_fd, pdir, AT_REMOVEDIR);
	close(lock);
}

/* Makes the container's cgroup in the v2 hierarchy (v2) or in every v1
 * one, and RT_CGROUP_PARENT where it is missing. On failure what was made
 * stays open in cg, for the caller to destroy. */
static int cg_make_some(struct rt_cg *cg, bool v2, struct nst_err *err)
{
	int rc = 0, lock = cg_parent_lock(cg, LOCK_SH);

	for (int i = 0; i < cg->layout->n && rc == 0; i++)
		if (cg->layout->h[i].v2 == v2)
			rc = cg_make_one(cg, i, err);
	/* released before a failure's destroy takes it exclusive */
	if (lock >= 0)
		close(lock);
	return rc;
}

int rt_cg_create_v2(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
		    struct nst_err *err)
{
	int rc = cg_begin(ctx, name, cg, err);

	return rc < 0 ? rc : cg_make_some(cg, true, err);
}

/* Where no v1 devices controller is mounted, the v2 cgroup's device
 * program. Loaded (the verifier, the JIT: a quarter of a millisecond) with
 * the v1 cgroups, after a launch's clone: the init is in the cgroup by then
 * but runs only nstop's code, and nothing of the payload before it is told
 * 'c', which comes after this. */
static int cg_devices_v2(struct rt_cg *cg, struct nst_err *err)
{
	char dir[CG_PATH_MAX];

	if (v1_devices(cg->layout))
		return 0;
	for (int i = 0; i < cg->layout->n; i++) {
		const struct cg_hier *h = &cg->layout->h[i];

		if (h->v2 && cg->dirfd[i] >= 0 && cg_dir_of(h, cg->path, dir, sizeof(dir)) == 0)
			return devices_restrict_v2(cg, dir, err);
	}
	return 0;
}

int rt_cg_create_v1(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err)
{
	int rc = cg_make_some(cg, false, err), made = 0;

	if (rc == 0)
		rc = cg_devices_v2(cg, err);
	for (int i = 0; i < cg->layout->n; i++)
		made += cg->dirfd[i] >= 0;
	if (rc == 0 && !made)
		rc = nst_err_set(err, ENOENT, "no cgroup hierarchy shows %s",
				 RT_CGROUP_PARENT);
	if (rc == 0 && l)
		rc = rt_cg_set_limits(cg, l, err);
	return rc;
}

int rt_cg_create(struct rt_ctx *ctx, const char *name, const struct rt_limits *l,
		 struct rt_cg *cg, struct nst_err *err)
{
	int rc = rt_cg_create_v2(ctx, name, cg, err);

	if (rc == 0)
		rc = rt_cg_create_v1(cg, l, err);
	if (rc < 0) {
		/* An -EEXIST is someone else's cgroup: only ours go. */
		struct nst_err ignore;
		rt_cg_destroy(cg, &ignore);
		rt_cg_close(cg);
	}
	return rc;
}

int rt_cg_attach(struct rt_cg *cg, pid_t pid, struct nst_err *err)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	for (int i = 0; i < cg->layout->n; i++) {
		if (cg->dirfd[i] < 0)
			continue;
		int rc = rt_cg_write(cg->dirfd[i], "cgroup.procs", val);
		if (rc == -ESRCH)
			return nst_err_set(err, ESRCH, "no process with pid %d", (int)pid);
		if (rc < 0)
			return nst_err_sys(err, -rc, "moving pid %d into %s%s", (int)pid,
					   cg->layout->h[i].mount, cg->path);
	}
	return 0;
}

bool rt_cg_frozen(struct rt_cg *cg)
{
	char buf[512];
	long long frozen;
	bool v2;
	int i = rt_cg_freezer(cg, &v2);

	if (i < 0)
		return false;
	if (!v2)
		return rt_cg_read(cg->dirfd[i], "freezer.state", buf, sizeof(buf)) > 0 &&
		       strcmp(buf, "FROZEN") == 0;
	if (rt_cg_read(cg->dirfd[i], "cgroup.events", buf, sizeof(buf)) <= 0)
		return false;
	return cg_parse_keyed(buf, "frozen", &frozen) == 0 && frozen == 1;
}

/* ---- destroy ---------------------------------------------------------- */

long long rt_cg_oom_kills(struct rt_cg *cg)
{
	char buf[1024];
	long long kills;
	int i = rt_cg_find(cg, "memory");

	if (i < 0 || cg->dirfd[i] < 0)
		return -1;
	if (rt_cg_read(cg->dirfd[i], cg->layout->h[i].v2 ? "memory.events" : "memory.oom_control",
		       buf, sizeof(buf)) < 0)
		return -1;
	return cg_parse_keyed(buf, "oom_kill", &kills) == 0 ? kills : -1;
}

/* Whether pid is listed in dirfd's cgroup.procs now. */
static bool procs_has(int dirfd, pid_t pid)
{
	char *procs = NULL, *save = NULL;
	bool found = false;

	if (nst_slurp_at(dirfd, "cgroup.procs", &procs) < 0)
		return false;
	for (char *t = strtok_r(procs, "\n", &save); t && !found; t = strtok_r(NULL, "\n", &save))
		found = atoi(t) == pid;
	free(procs);
	return found;
}

/*
 * Threat: a pid read from cgroup.procs that ends and is reused by a host
 * process before the kill. The pidfd is taken first; the pid still listed
 * in the cgroup after that is the pidfd's process (a pid is not reused
 * before its process is reaped, and then the pidfd's signal fails).
 */
static bool kill_if_in(int dirfd, pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool done = false;

	if (pidfd < 0)
		return false;
	if (procs_has(dirfd, pid))
		done = syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0;
	close(pidfd);
	return done;
}

/* SIGKILL to every process in the cgroup dir and below; how many. Each
 * cgroup is thawed first: one the container froze itself stays frozen when
 * its parent thaws, and would keep the signal pending. */
static int kill_tree(int dirfd, int depth)
{
	char *procs = NULL, *save = NULL;
	struct dirent *de;
	int killed = 0, fd;
	DIR *d;

	if (depth > 0) {
		rt_cg_write(dirfd, "freezer.state", "THAWED");
		rt_cg_write(dirfd, "cgroup.freeze", "0");
	}
	if (nst_slurp_at(dirfd, "cgroup.procs", &procs) >= 0) {
		for (char *t = strtok_r(procs, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
			pid_t pid = (pid_t)atoi(t);
			if (pid > 0 && kill_if_in(dirfd, pid))
				killed++;
		}
		free(procs);
	}
	if (depth >= RT_CG_DEPTH)
		return killed;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return killed;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		int sub = openat(dirfd, de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (sub >= 0) {
			killed += kill_tree(sub, depth + 1);
			close(sub);
		}
	}
	closedir(d);
	return killed;
}

/* rmdir of every cgroup below dirfd (the container may have made its own
 * inside its cgroup namespace), deepest first; -errno of the first that
 * stays. */
static int rmdir_below(int dirfd, int depth)
{
	struct dirent *de;
	int fd, rc = 0;
	DIR *d;

	if (depth >= RT_CG_DEPTH)
		return -ELOOP;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		int sub = openat(dirfd, de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		int r = rmdir_below(sub, depth + 1);
		close(sub);
		if (r == 0 && unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			r = -errno;
		if (r < 0 && rc == 0)
			rc = r;
	}
	closedir(d);
	return rc;
}

static void cg_thaw_all(struct rt_cg *cg)
{
	bool v2;
	int i = rt_cg_freezer(cg, &v2);

	/* A v1 SIGKILL stays pending while the cgroup is frozen: thaw first. */
	if (i >= 0)
		rt_cg_write(cg->dirfd[i], v2 ? "cgroup.freeze" : "freezer.state",
			    v2 ? "0" : "THAWED");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int rt_cg_destroy(struct rt_cg *cg, struct nst_err *err)
{
	long deadline = now_ms() + RT_CG_RMDIR_TIMEOUT_MS, pause = 1;
	char dir[CG_PATH_MAX];
	int rc = 0, first = 0, left;
	bool busy;

	cg_thaw_all(cg);
	for (;;) {
		left = 0;
		busy = false;
		first = 0;
		for (int i = 0; i < cg->layout->n; i++) {
			const struct cg_hier *h = &cg->layout->h[i];

			if (cg->dirfd[i] < 0)
				continue;
			/* Mostly the processes are gone already (the payload
			 * ended, --rm): then one rmdir is all it takes. */
			if (cg_dir_of(h, cg->path, dir, sizeof(dir)) == 0 &&
			    (unlinkat(cg->root->cg_fd, dir, AT_REMOVEDIR) == 0 || errno == ENOENT)) {
				close(cg->dirfd[i]);
				cg->dirfd[i] = -1;
				continue;
			}
			if (h->v2 && rt_cg_write(cg->dirfd[i], "cgroup.kill", "1") < 0)
				kill_tree(cg->dirfd[i], 0);
			else if (!h->v2)
				kill_tree(cg->dirfd[i], 0);
			rc = rmdir_below(cg->dirfd[i], 0);
			if (rc == 0 && cg_dir_of(h, cg->path, dir, sizeof(dir)) == 0 &&
			    unlinkat(cg->root->cg_fd, dir, AT_REMOVEDIR) < 0 && errno != ENOENT)
				rc = -errno;
			if (rc == 0) {
				close(cg->dirfd[i]);
				cg->dirfd[i] = -1;
			} else {
				left++;
				busy |= rc == -EBUSY;
				if (!first || first == -EBUSY)
					first = rc;
			}
		}
		if (!left) {
			cg_parents_remove(cg);
			return 0;
		}
		/* Only processes still on their way out are worth waiting for. */
		if (first != -EBUSY || !busy || now_ms() >= deadline)
			break;
		sleep_ms(pause);
		pause = pause < 10 ? pause * 2 : 10;
	}
	for (int i = 0; i < cg->layout->n; i++)
		if (cg->dirfd[i] >= 0)
			return nst_err_sys(err, -first, "removing %s%s%s", cg->layout->h[i].mount,
					   cg->path, first == -EBUSY ? " (its processes did not end)" : "");
	return nst_err_sys(err, -first, "removing %s", cg->path);
}
