/*
 * The interfaces of a net namespace, read through netlink inside it: name,
 * kind, operational state, addresses, and for a veth the namespace and name
 * of its peer, which `ip link` in one namespace cannot show. Only read for
 * the namespaces a front end shows (JSON output today), one socket per
 * namespace (entered through a process in it, or with none through its
 * nsfs file: `ip netns add`'s bind mount, a held descriptor): two dumps, plus per veth whose peer lives elsewhere one
 * RTM_GETNSID per candidate namespace and one RTM_GETLINK there.
 *
 * What the kernel returns is its own data, yet names are copied bounded and
 * attributes validated before use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "nstop/grow.h"
#include "nstop/net.h"
#include "net-link.h"

#define TOPO_MAX_LINKS 1024
#define TOPO_MAX_ADDRS 16

struct topo_link {
	unsigned index;
	char name[IFNAMSIZ];
	char kind[32];
	unsigned char operstate;
	unsigned link;		/* IFLA_LINK: the peer's index, 0 none */
	int link_nsid;		/* IFLA_LINK_NETNSID, -1: the same namespace */
	char addrs[TOPO_MAX_ADDRS][INET6_ADDRSTRLEN + 4];
	size_t naddrs;
};

/* Grown as links come: a namespace has a handful, and an array of
 * TOPO_MAX_LINKS zeroed for each (880 KiB) was a tenth of a snapshot's
 * instructions and its page faults. */
struct topo {
	struct topo_link *v;
	size_t n, cap;
};

static int topo_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct topo *t = data;
	struct ifinfomsg *ifi = nl_mnl.nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct topo_link *l, *v;

	if (nlh->nlmsg_type != RTM_NEWLINK || t->n >= TOPO_MAX_LINKS)
		return MNL_CB_OK;
	if (!(v = nst_grow(t->v, t->n, &t->cap, sizeof(*v), 8)))
		return MNL_CB_ERROR;
	t->v = v;
	l = &t->v[t->n++];
	memset(l, 0, sizeof(*l));
	l->index = (unsigned)ifi->ifi_index;
	l->link_nsid = -1;
	nl_mnl.attr_parse(nlh, sizeof(*ifi), nl_attr_cb, &(struct nl_attrs){ tb, IFLA_MAX });
	nl_str(tb[IFLA_IFNAME], l->name, sizeof(l->name));
	if (tb[IFLA_OPERSTATE] && nl_mnl.attr_validate(tb[IFLA_OPERSTATE], MNL_TYPE_U8) == 0)
		l->operstate = nl_mnl.attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_LINK] && nl_mnl.attr_validate(tb[IFLA_LINK], MNL_TYPE_U32) == 0)
		l->link = nl_mnl.attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID] && nl_mnl.attr_validate(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32) == 0)
		l->link_nsid = (int)nl_mnl.attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *info[IFLA_MAX + 1] = { 0 };

		nl_mnl.attr_parse_nested(tb[IFLA_LINKINFO], nl_attr_cb,
				      &(struct nl_attrs){ info, IFLA_INFO_MAX });
		nl_str(info[IFLA_INFO_KIND], l->kind, sizeof(l->kind));
	}
	return MNL_CB_OK;
}

static int topo_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct topo *t = data;
	struct ifaddrmsg *ifa = nl_mnl.nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct nlattr *a;
	size_t want = ifa->ifa_family == AF_INET ? 4 : 16;
	char text[INET6_ADDRSTRLEN];

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	nl_mnl.attr_parse(nlh, sizeof(*ifa), nl_attr_cb, &(struct nl_attrs){ tb, IFA_MAX });
	/* the local address, as `ip addr` shows it (IFA_ADDRESS is the peer's
	 * on a point-to-point link) */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || nl_mnl.attr_get_payload_len(a) != want ||
	    !inet_ntop(ifa->ifa_family, nl_mnl.attr_get_payload(a), text, sizeof(text)))
		return MNL_CB_OK;
	for (size_t i = 0; i < t->n; i++) {
		struct topo_link *l = &t->v[i];

		if (l->index != ifa->ifa_index || l->naddrs >= TOPO_MAX_ADDRS)
			continue;
		snprintf(l->addrs[l->naddrs++], sizeof(l->addrs[0]), "%s/%u", text,
			 ifa->ifa_prefixlen);
		break;
	}
	return MNL_CB_OK;
}

/*
 * A descriptor of the net namespace ns, checked to be that inode: the pid
 * may have moved on since the scan, and a namespace with no process is
 * reached through its nsfs file, whose path is what a mount namespace (a
 * container's) says. Threat: a symlink on that path or a file mounted over
 * it leading to any file, and opening a FIFO or a device having effects: it
 * is opened O_PATH first and reopened for reading only when it is an nsfs
 * file of that inode (as the scan's hold_open does).
 */
static int topo_nsfd(const struct net_topo_ns *ns, struct nst_err *err)
{
	char path[PATH_MAX + 32];
	struct stat sb;
	struct statfs sfs;
	int pfd, fd;

	if (ns->pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->pid);
	else if (ns->at)
		snprintf(path, sizeof(path), "/proc/%s", ns->at);
	else
		return nst_err_set(err, ESRCH, "net namespace %lu: no way in", (unsigned long)ns->inode);
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return nst_err_sys(err, errno, "%s", path);
	if (fstat(pfd, &sb) < 0 || sb.st_ino != ns->inode || fstatfs(pfd, &sfs) < 0 ||
	    sfs.f_type != NSFS_MAGIC) {
		close(pfd);
		return nst_err_set(err, ESRCH, "%s: another namespace now", path);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(pfd);
	return fd < 0 ? nst_err_sys(err, errno, "net namespace %lu", (unsigned long)ns->inode) : fd;
}

/* A socket bound to the net namespace ns. */
static struct mnl_socket *topo_open(const struct net_topo_ns *ns, struct nst_err *err)
{
	struct mnl_socket *nl;
	int fd, saved;

	if ((fd = topo_nsfd(ns, err)) < 0)
		return NULL;
	if (net_ns_enter(fd, &saved, err) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	nl = nl_open(err);
	if (net_ns_leave(saved, err) < 0) {
		/* fail closed: a thread left in another namespace stops here */
		abort();
	}
	return nl;
}

static int topo_read(struct mnl_socket *nl, struct topo *t, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int rc;

	t->n = 0;
	nlh = nl_msg(buf, RTM_GETLINK, NLM_F_DUMP);
	nl_mnl.nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	if ((rc = nl_talk(nl, nlh, topo_link_cb, t)) < 0)
		return nst_err_sys(err, -rc, "links");
	nlh = nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	nl_mnl.nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg));
	if ((rc = nl_talk(nl, nlh, topo_addr_cb, t)) < 0)
		return nst_err_sys(err, -rc, "addresses");
	return 0;
}

struct nsid_get {
	int nsid;
};

static int topo_nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsid_get *g = data;
	const struct nlattr *tb[NETNSA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	nl_mnl.attr_parse(nlh, sizeof(struct rtgenmsg), nl_attr_cb,
		       &(struct nl_attrs){ tb, NETNSA_MAX });
	if (tb[NETNSA_NSID] && nl_mnl.attr_validate(tb[NETNSA_NSID], MNL_TYPE_U32) == 0)
		g->nsid = (int)nl_mnl.attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

/* The id the namespace of nl gives the namespace ns; -1 when none (ids
 * are only made when a link spans both, which is the case asked about). */
static int topo_nsid(struct mnl_socket *nl, const struct net_topo_ns *ns)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETNSID, 0);
	struct rtgenmsg *g;
	struct nsid_get got = { -1 };
	struct nst_err ignore;
	int fd;

	if ((fd = topo_nsfd(ns, &ignore)) < 0)
		return -1;
	g = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	nl_mnl.attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (nl_talk(nl, nlh, topo_nsid_cb, &got) < 0)
		got.nsid = -1;
	close(fd);
	return got.nsid;
}

static const char *topo_state(unsigned char s)
{
	static const char *const names[] = { "UNKNOWN", "NOTPRESENT", "DOWN",
		"LOWERLAYERDOWN", "TESTING", "DORMANT", "UP" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "UNKNOWN";
}

/* The peer of a veth whose other end is in another namespace: which one
 * (among the candidates), and its name there. */
static json_t *topo_peer_away(struct mnl_socket *nl, const struct topo_link *l,
			      const struct net_topo_ns *all, size_t nall, ino_t self, int **ids)
{
	/* the ids this namespace gives the others, asked once per namespace
	 * read, not once per veth */
	if (!*ids && nall && (*ids = malloc(nall * sizeof(**ids))))
		for (size_t i = 0; i < nall; i++)
			(*ids)[i] = all[i].inode == self ? -1 : topo_nsid(nl, &all[i]);
	for (size_t i = 0; *ids && i < nall; i++) {
		struct mnl_socket *there;
		struct topo t = { 0 };
		struct nst_err ignore;
		json_t *o = NULL;

		if ((*ids)[i] < 0 || (*ids)[i] != l->link_nsid)
			continue;
		if (!(there = topo_open(&all[i], &ignore)))
			return json_null();
		if (topo_read(there, &t, &ignore) == 0)
			for (size_t j = 0; j < t.n && !o; j++)
				if (t.v[j].index == l->link)
					o = json_pack("{s:I,s:s}", "netns", (json_int_t)all[i].inode,
						      "name", t.v[j].name);
		free(t.v);
		nl_close(there);
		return o ? o : json_null();
	}
	return json_null();
}

json_t *net_topo_json(const struct net_topo_ns *ns, const struct net_topo_ns *all, size_t nall)
{
	ino_t inode = ns->inode;
	struct mnl_socket *nl;
	struct nst_err err;
	struct topo t = { 0 };
	int *ids = NULL;
	json_t *arr;

	if (!(nl = topo_open(ns, &err)))
		return json_null();
	if (topo_read(nl, &t, &err) < 0) {
		free(t.v);
		nl_close(nl);
		return json_null();
	}
	arr = json_array();
	for (size_t i = 0; i < t.n; i++) {
		const struct topo_link *l = &t.v[i];
		json_t *addrs = json_array(), *peer = json_null();

		for (size_t k = 0; k < l->naddrs; k++)
			json_array_append_new(addrs, json_string(l->addrs[k]));
		if (strcmp(l->kind, "veth") == 0 && l->link) {
			if (l->link_nsid < 0) {
				for (size_t j = 0; j < t.n; j++)
					if (t.v[j].index == l->link) {
						json_decref(peer);
						peer = json_pack("{s:I,s:s}", "netns", (json_int_t)inode,
								 "name", t.v[j].name);
					}
			} else {
				json_decref(peer);
				peer = topo_peer_away(nl, l, all, nall, inode, &ids);
			}
		}
		json_array_append_new(arr, json_pack("{s:s,s:o,s:s,s:o,s:o}", "name", l->name,
			"kind", l->kind[0] ? json_string(l->kind) : json_null(),
			"state", topo_state(l->operstate), "addresses", addrs, "peer", peer));
	}
	free(ids);
	free(t.v);
	nl_close(nl);
	return arr;
}
