/* The roots of cgroup namespaces (cgns.h): learnt from a member's cgroup file
 * and mounts, or asked of a short-lived helper that setns()es into the
 * namespace, and cached by inode for the life of the scan. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nstop/cgns.h"
#include "nstop/grow.h"
#include "nstop/mountinfo.h"
#include "nstop/thread.h"

static void entry_clear(struct cgns_entry *e)
{
	for (int h = 0; h < CG_MAX_HIER; h++) {
		free(e->root[h]);
		e->root[h] = NULL;
	}
}

void cgns_cache_clear(struct cgns_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_clear(&c->e[i]);
	free(c->e);
	memset(c, 0, sizeof(*c));
}

struct cgns_entry *cgns_cache_get(struct cgns_cache *c, ino_t inode)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].inode == inode)
			return &c->e[i];
	return NULL;
}

struct cgns_entry *cgns_cache_add(struct cgns_cache *c, ino_t inode)
{
	struct cgns_entry *e = cgns_cache_get(c, inode);

	if (e)
		return e;
	if (!(e = nst_grow(c->e, c->n, &c->cap, sizeof(*e), 16)))
		return NULL;
	c->e = e;
	e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	e->inode = inode;
	return e;
}

void cgns_cache_prune(struct cgns_cache *c)
{
	size_t keep = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (!c->e[i].seen) {
			entry_clear(&c->e[i]);
			continue;
		}
		c->e[i].seen = false;
		c->e[keep++] = c->e[i];
	}
	c->n = keep;
}

struct learn_ctx {
	struct cgns_entry *e;
	const struct cg_layout *layout;
	const char *const *host;
};

static int learn_record(int id, const char *controllers, const char *path, void *arg)
{
	struct learn_ctx *l = arg;
	char root[CG_PATH_MAX];
	int h = cg_layout_find(l->layout, id, controllers);

	if (h < 0 || l->e->root[h] || !l->host[h])
		return 0;
	if (cg_root_from_views(l->host[h], path, root, sizeof(root)) == 0)
		l->e->root[h] = strdup(root);
	return 0;
}

void cgns_learn_from_cgroup(struct cgns_entry *e, const struct cg_layout *layout,
			    char *inside, const char *const host[CG_MAX_HIER])
{
	struct learn_ctx l = { e, layout, host };

	cg_parse_proc_cgroup(inside, learn_record, &l);
}

/* A cgroup mount as one viewer's mountinfo shows it. */
struct cg_mount {
	int id;
	int hier;
	char root[CG_PATH_MAX];
};

struct mount_list {
	const struct cg_layout *layout;
	size_t n;
	struct cg_mount m[64];
};

static int collect_cg_mount(const struct mi_entry *e, void *arg)
{
	struct mount_list *ml = arg;
	int hier;

	if (ml->n == sizeof(ml->m) / sizeof(ml->m[0]))
		return 1;
	if (strcmp(e->fstype, "cgroup2") == 0) {
		hier = cg_layout_find(ml->layout, 0, "");
	} else if (strcmp(e->fstype, "cgroup") == 0) {
		char ctl[256];
		cg_v1_controllers(e->superopts, ctl, sizeof(ctl));
		hier = cg_layout_find(ml->layout, -1, ctl);
	} else {
		return 0;
	}
	if (hier < 0)
		return 0;
	ml->m[ml->n].id = e->id;
	ml->m[ml->n].hier = hier;
	snprintf(ml->m[ml->n].root, sizeof(ml->m[0].root), "%s", e->root);
	ml->n++;
	return 0;
}

void cgns_learn_from_mounts(struct cgns_entry *e, const struct cg_layout *layout,
			    char *inside, char *outside)
{
	struct mount_list *in = calloc(1, sizeof(*in));
	struct mount_list *out = calloc(1, sizeof(*out));
	char root[CG_PATH_MAX];

	if (!in || !out)
		goto done;
	in->layout = out->layout = layout;
	mi_foreach(inside, collect_cg_mount, in);
	mi_foreach(outside, collect_cg_mount, out);
	/* A mount made inside the namespace shows its root there as "/" (or
	 * below), while the host sees the same mount id rooted at the
	 * namespace's root; an inherited host mount shows "/.." inside and
	 * tells nothing. */
	for (size_t i = 0; i < in->n; i++) {
		int h = in->m[i].hier;
		if (e->root[h])
			continue;
		for (size_t j = 0; j < out->n; j++) {
			if (out->m[j].id != in->m[i].id)
				continue;
			if (cg_root_from_views(out->m[j].root, in->m[i].root, root,
					       sizeof(root)) == 0)
				e->root[h] = strdup(root);
			break;
		}
	}
done:
	free(in);
	free(out);
}

/* Frames on the helper's pipe: "<kind> <query> <member> <len>\n" + bytes. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One file of a member as read inside the namespace, sent as a frame;
 * what was read is kept in *keep (NULL: freed) for the helper's own use. */
static void helper_send(int out, int proc_fd, char kind, size_t qi, int mi,
			pid_t pid, const char *file, char **keep)
{
	char path[64], hdr[64], *buf = NULL;
	long n;

	snprintf(path, sizeof(path), "%d/%s", (int)pid, file);
	n = nst_slurp_at(proc_fd, path, &buf);
	if (n < 0)
		return;
	int h = snprintf(hdr, sizeof(hdr), "%c %zu %d %ld\n", kind, qi, mi, n);
	if (write_all(out, hdr, (size_t)h) == 0)
		write_all(out, buf, (size_t)n);
	if (keep)
		*keep = buf;
	else
		free(buf);
}

/* The helper: it runs in a child so that nstop's own cgroup namespace never
 * changes. Reading /proc/PID/cgroup from inside a namespace is the only way
 * the kernel itself tells a path relative to that namespace's root. A
 * member's mountinfo (a few KB, costly for the kernel to make) is sent only
 * when the members' cgroup files left a hierarchy's root unknown: the
 * helper learns from them as the caller will (cgns_resolve_finish). */
static void helper_main(int out, int proc_fd, const int *nsfd, const struct cg_layout *layout,
			const struct cgns_query *q, size_t nq)
{
	for (size_t i = 0; i < nq; i++) {
		struct cgns_entry e = { 0 };
		bool missing = false;

		if (nsfd[i] < 0 || setns(nsfd[i], CLONE_NEWCGROUP) < 0)
			continue;
		for (int m = 0; m < q[i].nmembers; m++) {
			char *cg = NULL;

			helper_send(out, proc_fd, 'C', i, m, q[i].pid[m], "cgroup", &cg);
			if (cg)
				cgns_learn_from_cgroup(&e, layout, cg, q[i].host[m]);
			free(cg);
		}
		for (int h = 0; h < layout->n; h++)
			missing |= !e.root[h];
		entry_clear(&e);
		for (int m = 0; missing && m < q[i].nmembers; m++)
			helper_send(out, proc_fd, 'M', i, m, q[i].pid[m], "mountinfo", NULL);
	}
	_exit(0);
}

struct frame {
	char kind;
	size_t qi;
	int mi;
	char *data;
};

static int read_frames(int fd, struct frame **out, size_t *nout)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, nf = 0, capf = 0;
	struct frame *f = NULL;

	for (;;) {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 131072;
			char *nb = realloc(buf, cap);
			if (!nb)
				goto nomem;
			buf = nb;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	for (size_t pos = 0; pos < len;) {
		char kind;
		size_t qi;
		int mi, hl = 0;
		long dl;
		char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			break;
		*nl = '\0';
		if (sscanf(buf + pos, "%c %zu %d %ld%n", &kind, &qi, &mi, &dl, &hl) != 4 ||
		    dl < 0 || (size_t)dl > len - (size_t)(nl + 1 - buf))
			break;
		pos = (size_t)(nl + 1 - buf);
		if (nf == capf) {
			capf = capf ? capf * 2 : 64;
			struct frame *nfp = realloc(f, capf * sizeof(*f));
			if (!nfp)
				goto nomem;
			f = nfp;
		}
		f[nf].kind = kind;
		f[nf].qi = qi;
		f[nf].mi = mi;
		f[nf].data = strndup(buf + pos, (size_t)dl);
		if (!f[nf].data)
			goto nomem;
		nf++;
		pos += (size_t)dl;
	}
	free(buf);
	*out = f;
	*nout = nf;
	return 0;
nomem:
	for (size_t i = 0; i < nf; i++)
		free(f[i].data);
	free(f);
	free(buf);
	return -ENOMEM;
}

/*
 * The helper's frames are read by a thread of the caller while it goes on
 * with its scan: a pipe holds 64 KB, and a helper blocked on a full one
 * would do nothing while nobody reads.
 */
struct cgns_job {
	int rd;
	pid_t child;
	int *nsfd;
	size_t nq;
	pthread_t reader;
	bool threaded;
	struct frame *f;
	size_t nf;
	int rc;
};

static void *job_read(void *arg)
{
	struct cgns_job *j = arg;

	j->rc = read_frames(j->rd, &j->f, &j->nf);
	while (waitpid(j->child, NULL, 0) < 0 && errno == EINTR)
		;
	return NULL;
}

static void job_free(struct cgns_job *j)
{
	for (size_t i = 0; i < j->nf; i++)
		free(j->f[i].data);
	free(j->f);
	if (j->rd >= 0)
		close(j->rd);
	for (size_t i = 0; j->nsfd && i < j->nq; i++)
		if (j->nsfd[i] >= 0)
			close(j->nsfd[i]);
	free(j->nsfd);
	free(j);
}

int cgns_resolve_start(const struct nst_root *root, const struct cg_layout *layout,
		       struct cgns_cache *c, const struct cgns_query *q, size_t nq,
		       struct cgns_job **out)
{
	struct cgns_job *j;
	int pfd[2] = { -1, -1 }, rc;

	*out = NULL;
	for (size_t i = 0; i < nq; i++)
		if (!cgns_cache_add(c, q[i].inode))
			return -ENOMEM;
	if (!root->live || nq == 0)
		return 0;
	if (!(j = calloc(1, sizeof(*j))) || !(j->nsfd = malloc(nq * sizeof(*j->nsfd)))) {
		free(j);
		return -ENOMEM;
	}
	j->rd = -1;
	j->nq = nq;
	for (size_t i = 0; i < nq; i++) {
		j->nsfd[i] = -1;
		for (int m = 0; m < q[i].nmembers && j->nsfd[i] < 0; m++) {
			char path[48];
			snprintf(path, sizeof(path), "%d/ns/cgroup", (int)q[i].pid[m]);
			j->nsfd[i] = openat(root->proc_fd, path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = -errno;
		job_free(j);
		return rc;
	}
	j->child = fork();
	if (j->child < 0) {
		rc = -errno;
		close(pfd[0]);
		close(pfd[1]);
		job_free(j);
		return rc;
	}
	if (j->child == 0) {
		close(pfd[0]);
		helper_main(pfd[1], root->proc_fd, j->nsfd, layout, q, nq);
	}
	close(pfd[1]);
	j->rd = pfd[0];
	j->threaded = nst_thread_start(&j->reader, job_read, j);
	*out = j;
	return 0;
}

int cgns_resolve_finish(struct cgns_job *j, const struct nst_root *root,
			const struct cg_layout *layout, struct cgns_cache *c,
			const struct cgns_query *q, size_t nq)
{
	struct frame *f;
	int rc;

	if (!j)
		return 0;
	if (j->threaded)
		pthread_join(j->reader, NULL);
	else
		job_read(j);
	rc = j->rc;
	f = j->f;
	/* First what members show of their own cgroups, then mounts. */
	for (size_t i = 0; rc == 0 && i < j->nf; i++) {
		if (f[i].kind != 'C' || f[i].qi >= nq || f[i].mi >= q[f[i].qi].nmembers)
			continue;
		struct cgns_entry *e = cgns_cache_get(c, q[f[i].qi].inode);
		cgns_learn_from_cgroup(e, layout, f[i].data, q[f[i].qi].host[f[i].mi]);
	}
	for (size_t i = 0; rc == 0 && i < j->nf; i++) {
		if (f[i].kind != 'M' || f[i].qi >= nq || f[i].mi >= q[f[i].qi].nmembers)
			continue;
		struct cgns_entry *e = cgns_cache_get(c, q[f[i].qi].inode);
		bool missing = false;
		for (int h = 0; h < layout->n; h++)
			missing |= !e->root[h];
		if (!missing)
			continue;
		char path[48], *outside = NULL;
		snprintf(path, sizeof(path), "%d/mountinfo", (int)q[f[i].qi].pid[f[i].mi]);
		if (nst_slurp_at(root->proc_fd, path, &outside) >= 0)
			cgns_learn_from_mounts(e, layout, f[i].data, outside);
		free(outside);
	}
	job_free(j);
	return rc;
}

int cgns_resolve(const struct nst_root *root, const struct cg_layout *layout,
		 struct cgns_cache *c, const struct cgns_query *q, size_t nq)
{
	struct cgns_job *j;
	int rc = cgns_resolve_start(root, layout, c, q, nq, &j);

	return rc < 0 ? rc : cgns_resolve_finish(j, root, layout, c, q, nq);
}
