/*
 * --net bridge[:NAME]: a bridge made once (default nstop0, alias "nstop" so
 * that a later run knows it for its own), a subnet for it that no route of
 * the host's covers, and per container a veth pair: eth0 inside with the
 * next free address and a default route through the bridge's, the peer on
 * the bridge. The peer dies with the container's network namespace; the
 * address is released on rm.
 *
 * Addresses are handed out under one lock (STATE/.net/lock, STATE the
 * runtime context's state directory, RT_STATE_DIR) from one file
 * (STATE/.net/alloc): a line "BRIDGE ADDRESS NAME PID START" per
 * container. A line whose init (pid and start time) is gone is dropped at
 * the next allocation, so a crash leaks nothing for long. The file is
 * nstop's own, yet read as untrusted: a line that does not parse is dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "nstop/net.h"
#include "nstop/runtime.h"
#include "../rt/rt-internal.h"
#include "net-link.h"
#include "net-nat.h"

#define NET_ALLOC_MAX 4096
#define NET_ALIAS "nstop"

/* The subnets a new bridge may take, in order: 10.88.0.0/24 .. 10.99.255.0/24. */
#define NET_POOL_FIRST 0x0a580000u
#define NET_POOL_LAST 0x0a63ff00u
#define NET_PREFIX 24

struct net_entry {
	char bridge[IFNAMSIZ];
	struct in_addr addr;
	char name[RT_NAME_MAX + 1];
	pid_t pid;
	unsigned long long start;
};

struct net_table {
	struct net_entry *v;
	size_t n;
};

/* The allocation of one runtime context, open and locked for one change. */
struct net_alloc {
	char path[300];		/* STATE/.net: a name no container can have */
	int dir, lock;
	struct net_table t;
};

/* Threat: another user making STATE/.net (or a symlink there) to have
 * nstop write its allocation elsewhere. The directory is made 0700 and
 * must be a directory owned by root, not a symlink. */
static int net_dir_open(const struct rt_ctx *ctx, struct net_alloc *a, struct nst_err *err)
{
	struct stat sb;
	int fd;

	snprintf(a->path, sizeof(a->path), "%s/.net", ctx->state_dir);
	if (mkdir(ctx->state_dir, 0711) < 0 && errno != EEXIST)
		return nst_err_sys(err, errno, "%s", ctx->state_dir);
	if (mkdir(a->path, 0700) < 0 && errno != EEXIST)
		return nst_err_sys(err, errno, "%s", a->path);
	fd = open(a->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s", a->path);
	if (fstat(fd, &sb) < 0 || sb.st_uid != 0 || (sb.st_mode & 022)) {
		close(fd);
		return nst_err_set(err, EPERM, "%s: not root's own directory", a->path);
	}
	return fd;
}

/* The lock every allocation and release holds: fd, or -errno. */
static int net_lock(const struct net_alloc *a, struct nst_err *err)
{
	int fd = openat(a->dir, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return nst_err_sys(err, errno, "%s/lock", a->path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;

			close(fd);
			return nst_err_sys(err, e, "%s/lock", a->path);
		}
	}
	return fd;
}

static int net_table_read(struct net_alloc *a, struct nst_err *err)
{
	struct net_table *t = &a->t;
	char line[512];
	FILE *f;
	int fd;

	t->n = 0;
	if (!(t->v = calloc(NET_ALLOC_MAX, sizeof(*t->v))))
		return nst_err_set(err, ENOMEM, "out of memory");
	fd = openat(a->dir, "alloc", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : nst_err_sys(err, errno, "%s/alloc", a->path);
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return nst_err_sys(err, ENOMEM, "%s/alloc", a->path);
	}
	while (t->n < NET_ALLOC_MAX && fgets(line, sizeof(line), f)) {
		struct net_entry *e = &t->v[t->n];
		char br[32], addr[32], name[RT_NAME_MAX + 2];
		_Static_assert(RT_NAME_MAX + 1 == 64, "the %64s below");
		int pid;

		/* name holds RT_NAME_MAX + 1 characters: one too many for
		 * rt_name_check to pass, never more than the buffer */
		if (sscanf(line, "%31s %31s %64s %d %llu", br, addr, name, &pid, &e->start) != 5 ||
		    rt_bridge_name_check(br, NULL) < 0 || rt_name_check(name, NULL) < 0 ||
		    inet_pton(AF_INET, addr, &e->addr) != 1 || pid <= 0)
			continue;
		memcpy(e->bridge, br, strlen(br) + 1);	/* checked: < IFNAMSIZ */
		memcpy(e->name, name, strlen(name) + 1);	/* checked: <= RT_NAME_MAX */
		e->pid = pid;
		t->n++;
	}
	fclose(f);
	return 0;
}

/* Written whole to a new file renamed over the old: a crash leaves one or
 * the other, never half of one. */
static int net_table_write(const struct net_alloc *a, struct nst_err *err)
{
	const struct net_table *t = &a->t;
	char text[INET_ADDRSTRLEN];
	FILE *f;
	int fd;

	fd = openat(a->dir, "alloc.new", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s/alloc.new", a->path);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return nst_err_sys(err, ENOMEM, "%s/alloc", a->path);
	}
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "%s %s %s %d %llu\n", t->v[i].bridge,
			inet_ntop(AF_INET, &t->v[i].addr, text, sizeof(text)), t->v[i].name,
			(int)t->v[i].pid, t->v[i].start);
	if (fflush(f) != 0 || fsync(fd) < 0) {
		int e = errno;

		fclose(f);
		return nst_err_sys(err, e, "%s/alloc", a->path);
	}
	fclose(f);
	if (renameat(a->dir, "alloc.new", a->dir, "alloc") < 0)
		return nst_err_sys(err, errno, "%s/alloc", a->path);
	return 0;
}

/* Opens, locks and reads the allocation of ctx; on failure nothing is left
 * open. */
static int net_alloc_open(const struct rt_ctx *ctx, struct net_alloc *a, struct nst_err *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->lock = -1;
	if ((a->dir = net_dir_open(ctx, a, err)) < 0)
		return a->dir;
	if ((a->lock = net_lock(a, err)) < 0) {
		rc = a->lock;
		close(a->dir);
		return rc;
	}
	if ((rc = net_table_read(a, err)) < 0) {
		free(a->t.v);
		close(a->lock);
		close(a->dir);
	}
	return rc;
}

static void net_alloc_close(struct net_alloc *a)
{
	free(a->t.v);
	close(a->lock);
	close(a->dir);
}

/* Drops the lines of inits that are gone (crashes, exits) and of name. */
static void net_table_prune(struct net_table *t, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < t->n; i++) {
		if ((name && strcmp(t->v[i].name, name) == 0) ||
		    !rt_proc_alive(t->v[i].pid, t->v[i].start))
			continue;
		t->v[j++] = t->v[i];
	}
	t->n = j;
}

static bool net_bridge_used(const struct net_table *t, const char *br)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].bridge, br) == 0)
			return true;
	return false;
}

/* net_table_prune, then the NAT table of every other bridge left without
 * a container removed. On failure t is as it was. */
static int net_table_prune_nat(struct net_table *t, const char *name, struct nst_err *err)
{
	struct net_table was = *t;
	struct net_entry *copy = malloc((t->n ? t->n : 1) * sizeof(*copy));
	int rc = 0;

	if (!copy)
		return nst_err_set(err, ENOMEM, "out of memory");
	memcpy(copy, t->v, t->n * sizeof(*copy));
	net_table_prune(t, name);
	for (size_t i = 0; i < was.n && rc == 0; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(copy[j].bridge, copy[i].bridge) == 0;
		if (!seen && !net_bridge_used(t, copy[i].bridge))
			rc = net_nat_del(copy[i].bridge, err);
	}
	if (rc < 0) {
		memcpy(t->v, copy, was.n * sizeof(*copy));
		t->n = was.n;
	}
	free(copy);
	return rc;
}

/*
 * Threat: a bridge name is untrusted text, and a link of that name may be
 * the host's own (eth0, docker0, a bridge of another tool): enslaving a
 * container's veth to it or giving it an address would put the container on
 * that network. Only a bridge nstop made (kind bridge, alias "nstop") is
 * used; any other link of the name is refused. A new one takes a subnet no
 * route or address of the host covers.
 */
static int net_bridge_ensure(struct mnl_socket *nl, const char *br, unsigned *index,
			     struct in_addr *gw, unsigned *prefix, bool *made, int say_fd,
			     struct nst_err *err)
{
	struct nl_link l;
	uint32_t net;
	bool hit = true;
	int rc;

	rc = nl_link_get(nl, br, &l, err);
	if (rc == 0) {
		if (strcmp(l.kind, "bridge") != 0 || strcmp(l.alias, NET_ALIAS) != 0)
			return nst_err_set(err, EEXIST, "bridge %s: a link of that name exists and is not nstop's",
					   br);
		*index = l.index;
		if ((rc = nl_addr_get(nl, l.index, gw, prefix, err)) < 0)
			return rc;
		if (*prefix < 8 || *prefix > 30)
			return nst_err_set(err, EINVAL, "bridge %s: prefix /%u", br, *prefix);
		return nl_link_up(nl, l.index, err);
	}
	if (rc != -ENODEV)
		return rc;
	for (net = NET_POOL_FIRST; net <= NET_POOL_LAST; net += 1u << (32 - NET_PREFIX)) {
		struct in_addr a = { .s_addr = htonl(net) };

		if ((rc = nl_route_overlaps(nl, a, NET_PREFIX, &hit, err)) < 0)
			return rc;
		if (!hit)
			break;
	}
	if (hit)
		return nst_err_set(err, EADDRNOTAVAIL,
				   "bridge %s: every subnet of 10.88.0.0-10.99.255.0/24 overlaps a route", br);
	if ((rc = nl_bridge_add(nl, br, NET_ALIAS, err)) < 0)
		return rc;
	if ((rc = nl_link_get(nl, br, &l, err)) < 0)
		return rc;
	gw->s_addr = htonl(net + 1);
	*prefix = NET_PREFIX;
	*index = l.index;
	if ((rc = nl_link_alias(nl, l.index, NET_ALIAS, err)) < 0 ||
	    (rc = nl_addr_add(nl, l.index, *gw, NET_PREFIX, err)) < 0 ||
	    (rc = nl_link_up(nl, l.index, err)) < 0) {
		struct nst_err ignore;

		nl_link_del(nl, l.index, &ignore);
		return rc;
	}
	*made = true;
	if (say_fd >= 0) {
		char text[INET_ADDRSTRLEN];

		dprintf(say_fd, "nstop: made bridge %s, %s/%u\n", br,
			inet_ntop(AF_INET, gw, text, sizeof(text)), NET_PREFIX);
	}
	return 0;
}

void net_host_veth_name(unsigned bridge_index, struct in_addr addr, char *out, size_t size)
{
	snprintf(out, size, "nsv%ux%u", bridge_index & 0xffff, ntohl(addr.s_addr) & 0xffff);
}

/* The lowest free address of gw/prefix, not the network, gw or broadcast. */
static int net_pick(const struct net_table *t, const char *br, struct in_addr gw,
		    unsigned prefix, struct in_addr *out, struct nst_err *err)
{
	uint32_t mask = ~0u << (32 - prefix), net = ntohl(gw.s_addr) & mask;

	for (uint32_t h = net + 1; h < (net | ~mask); h++) {
		bool used = h == ntohl(gw.s_addr);

		for (size_t i = 0; !used && i < t->n; i++)
			used = strcmp(t->v[i].bridge, br) == 0 && ntohl(t->v[i].addr.s_addr) == h;
		if (!used) {
			out->s_addr = htonl(h);
			return 0;
		}
	}
	return nst_err_set(err, EADDRNOTAVAIL, "bridge %s: no free address left in its subnet", br);
}

/*
 * Threat: ping needs CAP_NET_RAW, which the sandbox drops; raw sockets would
 * let a container forge packets onto the bridge. ICMP echo sockets (no
 * forging) are allowed to every group instead, in the container's own
 * namespace only (a net sysctl written is the writer's namespace's), as
 * Docker does for its containers.
 */
static int net_ping_groups(struct nst_err *err)
{
	static const char range[] = "0 2147483647\n";
	int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return nst_err_sys(err, errno, "ping_group_range");
	if (write(fd, range, sizeof(range) - 1) != (ssize_t)sizeof(range) - 1) {
		int e = errno;

		close(fd);
		return nst_err_sys(err, e, "ping_group_range");
	}
	close(fd);
	return 0;
}

/*
 * Threat: the container's side is configured from here through a netlink
 * socket opened inside its namespace (a socket stays bound to the namespace
 * it was made in): nstop runs nothing in the container and trusts nothing
 * from it; the thread returns to its own namespace before any request.
 */
static int net_inside(pid_t pid, int *nsfd, struct mnl_socket **nl, struct nst_err *err)
{
	char path[64];
	int saved, rc;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	*nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (*nsfd < 0)
		return nst_err_sys(err, errno, "the container's network namespace");
	if ((rc = net_ns_enter(*nsfd, &saved, err)) < 0)
		return rc;
	*nl = nl_open(err);
	rc = *nl ? net_ping_groups(err) : -err->code;
	if (rc < 0) {
		struct nst_err ignore;

		net_ns_leave(saved, &ignore);
		return rc;
	}
	return net_ns_leave(saved, err);
}

/*
 * Threat: a bridge's table keeps out the subnets of the other bridges; a
 * subnet missing there (a bridge nstop did not make holds any, not one of
 * nstop's pool) would be reachable across. The list is every bridge that a
 * container of t is on, each subnet as the kernel has it on the bridge, and
 * every such bridge's table gets it whole, under the allocation's lock.
 * Each table alone keeps its bridge apart both ways: only own's (the
 * bridge being attached to, NULL for none) must succeed; the others are
 * renewed as well as they can be.
 */
static int net_isolate(struct mnl_socket *nl, const struct net_table *t, const char *own,
		       struct nst_err *err)
{
	char (*brs)[IFNAMSIZ] = calloc(t->n ? t->n : 1, sizeof(*brs));
	struct net_subnet *nets = calloc(t->n ? t->n : 1, sizeof(*nets));
	size_t nbrs = 0, nnets = 0;
	int rc;

	if (!brs || !nets) {
		free(brs);
		free(nets);
		return nst_err_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < t->n; i++) {
		struct nst_err ignore;
		struct nl_link l;
		struct in_addr gw;
		unsigned prefix;
		bool seen = false;

		for (size_t k = 0; k < nbrs && !seen; k++)
			seen = strcmp(brs[k], t->v[i].bridge) == 0;
		if (seen)
			continue;
		memcpy(brs[nbrs++], t->v[i].bridge, sizeof(brs[0]));
		if (nl_link_get(nl, t->v[i].bridge, &l, &ignore) < 0 ||
		    strcmp(l.alias, NET_ALIAS) != 0 ||
		    nl_addr_get(nl, l.index, &gw, &prefix, &ignore) < 0 || prefix < 1 || prefix > 32)
			continue;	/* gone: nothing routes to it */
		nets[nnets].net.s_addr = htonl(ntohl(gw.s_addr) & (~0u << (32 - prefix)));
		nets[nnets++].prefix = prefix;
	}
	rc = own ? net_nat_sync(own, nets, nnets, err) : 0;
	for (size_t k = 0; k < nbrs; k++) {
		struct nst_err ignore;

		if (!own || strcmp(brs[k], own) != 0)
			net_nat_sync(brs[k], nets, nnets, &ignore);
	}
	free(brs);
	free(nets);
	return rc;
}

int net_bridge_attach(struct rt_ctx *ctx, const char *br, const char *name, pid_t pid,
		      bool nat, int say_fd, char *veth_out, size_t veth_size, struct nst_err *err)
{
	struct net_alloc al;
	struct net_table *t = &al.t;
	struct net_entry *e;
	struct mnl_socket *nl = NULL, *in = NULL;
	struct in_addr gw = { 0 }, addr = { 0 };
	struct nl_link eth0;
	unsigned prefix = 0, bindex = 0;
	char veth[IFNAMSIZ] = "";
	int nsfd = -1, rc;
	bool listed = false, made = false;

	if ((rc = rt_bridge_name_check(br, err)) < 0)
		return rc;
	if ((rc = net_alloc_open(ctx, &al, err)) < 0)
		return rc;
	if (!(nl = nl_open(err))) {
		rc = -err->code;
		goto out;
	}
	if ((rc = net_bridge_ensure(nl, br, &bindex, &gw, &prefix, &made, say_fd, err)) < 0)
		goto out;
	{
		struct nst_err ignore;

		/* a crash's leftovers: their NAT table too when theirs was the
		 * last container on a bridge */
		net_table_prune_nat(t, name, &ignore);
	}
	if (t->n >= NET_ALLOC_MAX) {
		rc = nst_err_set(err, EADDRNOTAVAIL, "%s/alloc is full", al.path);
		goto out;
	}
	if ((rc = net_pick(t, br, gw, prefix, &addr, err)) < 0)
		goto out;
	e = &t->v[t->n++];
	snprintf(e->bridge, sizeof(e->bridge), "%s", br);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->addr = addr;
	e->pid = pid;
	if ((rc = rt_proc_start_time(pid, &e->start)) < 0) {
		nst_err_sys(err, -rc, "the container's init");
		goto out;
	}
	if ((rc = net_table_write(&al, err)) < 0)
		goto out;
	listed = true;
	if ((rc = net_inside(pid, &nsfd, &in, err)) < 0)
		goto out;
	net_host_veth_name(bindex, addr, veth, sizeof(veth));
	if ((rc = nl_veth_add(nl, veth, bindex, "eth0", nsfd, err)) < 0)
		goto out;
	{
		struct nl_link hv;

		if ((rc = nl_link_get(nl, veth, &hv, err)) < 0 ||
		    (rc = nl_link_up(nl, hv.index, err)) < 0)
			goto out;
	}
	if ((rc = nl_link_get(in, "eth0", &eth0, err)) < 0 ||
	    (rc = nl_addr_add(in, eth0.index, addr, prefix, err)) < 0 ||
	    (rc = nl_link_up(in, eth0.index, err)) < 0 ||
	    (rc = nl_route_default(in, gw, eth0.index, err)) < 0)
		goto out;
	{
		struct in_addr net = { .s_addr = htonl(ntohl(gw.s_addr) & (~0u << (32 - prefix))) };

		if ((rc = net_nat_add(br, net, prefix, nat, err)) < 0 ||
		    (rc = net_isolate(nl, t, br, err)) < 0)
			goto out;
	}
	if (veth_out)
		snprintf(veth_out, veth_size, "%s", veth);
	rc = 0;
out:
	if (rc < 0 && listed) {
		struct nst_err ignore;
		struct nl_link hv;

		net_table_prune(t, name);
		net_table_write(&al, &ignore);
		if (nl && nl_link_get(nl, veth, &hv, &ignore) == 0 && hv.master == bindex)
			nl_link_del(nl, hv.index, &ignore);
		if (!net_bridge_used(t, br))
			net_nat_del(br, &ignore);
		if (nl)
			net_isolate(nl, t, NULL, &ignore);
	}
	/* a bridge this failed launch made goes with it */
	if (rc < 0 && made && !net_bridge_used(t, br)) {
		struct nst_err ignore;

		nl_link_del(nl, bindex, &ignore);
	}
	if (rc < 0)
		nst_err_prefix(err, "--net bridge");
	if (nsfd >= 0)
		close(nsfd);
	nl_close(in);
	nl_close(nl);
	net_alloc_close(&al);
	return rc;
}

/*
 * Threat: the released name is the container's, checked; its host veth is
 * removed only when it is still on a bridge of nstop's (another container
 * that joined the namespace keeps it alive otherwise, with an address that
 * is about to be handed out again).
 */
int net_bridge_release(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	struct net_alloc al;
	struct mnl_socket *nl = NULL;
	struct nst_err ignore;
	char path[320];
	bool held = false;
	int rc;

	snprintf(path, sizeof(path), "%s/.net/alloc", ctx->state_dir);
	if (access(path, F_OK) < 0)
		return 0;
	if ((rc = net_alloc_open(ctx, &al, err)) < 0)
		return rc;
	for (size_t i = 0; i < al.t.n; i++) {
		struct nl_link br, hv;
		char veth[IFNAMSIZ];

		if (strcmp(al.t.v[i].name, name) != 0)
			continue;
		held = true;
		if (!nl && !(nl = nl_open(&ignore)))
			break;
		if (nl_link_get(nl, al.t.v[i].bridge, &br, &ignore) < 0 ||
		    strcmp(br.alias, NET_ALIAS) != 0)
			continue;
		net_host_veth_name(br.index, al.t.v[i].addr, veth, sizeof(veth));
		if (nl_link_get(nl, veth, &hv, &ignore) == 0 && hv.master == br.index)
			nl_link_del(nl, hv.index, &ignore);
	}
	/* a container that held no address (no bridge, or released before)
	 * changes nothing: the file is not rewritten, no rule is read */
	if (!held) {
		net_alloc_close(&al);
		return 0;
	}
	/* the last container on a bridge takes the bridge's NAT table; if
	 * that fails the allocation stays, for the next rm to retry */
	rc = net_table_prune_nat(&al.t, name, err);
	if (rc == 0)
		rc = net_table_write(&al, err);
	/* the others forget a bridge that went; they keep out too much, never
	 * too little, if this fails */
	if (rc == 0 && (nl || (nl = nl_open(&ignore))))
		net_isolate(nl, &al.t, NULL, &ignore);
	nl_close(nl);
	net_alloc_close(&al);
	return rc;
}
