/*
 * rtnetlink requests through libmnl: links, addresses, routes. Every request
 * asks for an ack and waits for it, so an error is the kernel's, at the step
 * that made it. What a dump returns is the kernel's own data, but attribute
 * lengths are still checked (mnl_attr_validate) before use.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>
#include <sys/time.h>

#define NL_REPLY_TIMEOUT 5

#include "nstop/dl.h"
#include "net-link.h"

struct nl_mnl nl_mnl;

static int nl_load(struct nst_err *err)
{
#define NL_MNL_SYM(fn) { "mnl_" #fn, (void **)&nl_mnl.fn }
	static const struct nst_dl_sym syms[] = {
		NL_MNL_SYM(attr_get_payload),
		NL_MNL_SYM(attr_get_payload_len),
		NL_MNL_SYM(attr_get_str),
		NL_MNL_SYM(attr_get_type),
		NL_MNL_SYM(attr_get_u32),
		NL_MNL_SYM(attr_get_u8),
		NL_MNL_SYM(attr_nest_end),
		NL_MNL_SYM(attr_nest_start),
		NL_MNL_SYM(attr_parse),
		NL_MNL_SYM(attr_parse_nested),
		NL_MNL_SYM(attr_put),
		NL_MNL_SYM(attr_put_strz),
		NL_MNL_SYM(attr_put_u32),
		NL_MNL_SYM(attr_type_valid),
		NL_MNL_SYM(attr_validate),
		NL_MNL_SYM(cb_run),
		NL_MNL_SYM(nlmsg_get_payload),
		NL_MNL_SYM(nlmsg_put_extra_header),
		NL_MNL_SYM(nlmsg_put_header),
		NL_MNL_SYM(socket_bind),
		NL_MNL_SYM(socket_close),
		NL_MNL_SYM(socket_get_fd),
		NL_MNL_SYM(socket_get_portid),
		NL_MNL_SYM(socket_open2),
		NL_MNL_SYM(socket_recvfrom),
		NL_MNL_SYM(socket_sendto),
	};
#undef NL_MNL_SYM

	if (nl_mnl.socket_open2)
		return 0;
	return nst_dl_load(NST_MNL_SONAME, "libmnl, netlink", syms, sizeof(syms) / sizeof(syms[0]),
			   err);
}

struct mnl_socket *nl_open(struct nst_err *err)
{
	struct mnl_socket *nl;

	if (nl_load(err) < 0)
		return NULL;
	nl = nl_mnl.socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl) {
		nst_err_sys(err, errno, "netlink");
		return NULL;
	}
	/* a reply the kernel never sends (a request built wrong) is an error
	 * after a few seconds, not a launch stuck holding its locks */
	struct timeval tv = { .tv_sec = NL_REPLY_TIMEOUT };

	if (setsockopt(nl_mnl.socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    nl_mnl.socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		nst_err_sys(err, errno, "netlink");
		nl_mnl.socket_close(nl);
		return NULL;
	}
	return nl;
}

void nl_close(struct mnl_socket *nl)
{
	if (nl)
		nl_mnl.socket_close(nl);
}

/* Sends nlh and runs cb over the answer until the ack or the dump's end:
 * 0 or -errno from the kernel. */
int nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[16384];
	unsigned portid = nl_mnl.socket_get_portid(nl);
	unsigned seq = (unsigned)time(NULL) ^ (unsigned)rand();
	int n, rc;

	nlh->nlmsg_seq = seq;
	/* NLM_F_DUMP is two bits, ROOT|MATCH, and MATCH is EXCL's value: a
	 * create with NLM_F_EXCL tested as `flags & NLM_F_DUMP` asked for no ack
	 * and waited forever for one (the bridge hang). Only a dump ends with
	 * NLMSG_DONE; everything else asks for the ack. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (nl_mnl.socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = (int)nl_mnl.socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		rc = nl_mnl.cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (rc < 0)
			return -errno;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

struct nlmsghdr *nl_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_mnl.nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

/* ---- links ---------------------------------------------------------------- */

int nl_attr_cb(const struct nlattr *a, void *data)
{
	const struct nl_attrs *t = data;

	if (nl_mnl.attr_type_valid(a, (uint16_t)t->max) < 0)
		return MNL_CB_OK;
	t->tb[nl_mnl.attr_get_type(a)] = a;
	return MNL_CB_OK;
}

void nl_str(const struct nlattr *a, char *out, size_t size)
{
	size_t n;

	out[0] = '\0';
	if (!a || nl_mnl.attr_validate(a, MNL_TYPE_STRING) < 0)
		return;
	n = strnlen(nl_mnl.attr_get_str(a), nl_mnl.attr_get_payload_len(a));
	if (n >= size)
		n = size - 1;
	memcpy(out, nl_mnl.attr_get_str(a), n);
	out[n] = '\0';
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *l = data;
	struct ifinfomsg *ifi = nl_mnl.nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };

	nl_mnl.attr_parse(nlh, sizeof(*ifi), nl_attr_cb, &(struct nl_attrs){ tb, IFLA_MAX });
	l->index = (unsigned)ifi->ifi_index;
	nl_str(tb[IFLA_IFALIAS], l->alias, sizeof(l->alias));
	if (tb[IFLA_MASTER] && nl_mnl.attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) == 0)
		l->master = nl_mnl.attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINKINFO]) {
		nl_mnl.attr_parse_nested(tb[IFLA_LINKINFO], nl_attr_cb,
				      &(struct nl_attrs){ info, IFLA_INFO_MAX });
		nl_str(info[IFLA_INFO_KIND], l->kind, sizeof(l->kind));
	}
	return MNL_CB_OK;
}

int nl_link_get(struct mnl_socket *nl, const char *name, struct nl_link *out,
		struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETLINK, 0);
	int rc;

	memset(out, 0, sizeof(*out));
	nl_mnl.nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	nl_mnl.attr_put_strz(nlh, IFLA_IFNAME, name);
	rc = nl_talk(nl, nlh, link_cb, out);
	if (rc == -ENODEV)
		return nst_err_set(err, ENODEV, "no link %s", name);
	if (rc < 0)
		return nst_err_sys(err, -rc, "link %s", name);
	return 0;
}

/* A request making the link name, which must not exist yet. */
static struct nlmsghdr *nl_link_new_msg(char *buf, const char *name)
{
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);

	nl_mnl.nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	nl_mnl.attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

int nl_bridge_add(struct mnl_socket *nl, const char *name, const char *alias,
		  struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_new_msg(buf, name);
	struct nlattr *li;
	int rc;

	nl_mnl.attr_put_strz(nlh, IFLA_IFALIAS, alias);
	li = nl_mnl.attr_nest_start(nlh, IFLA_LINKINFO);
	nl_mnl.attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	nl_mnl.attr_nest_end(nlh, li);
	if ((rc = nl_talk(nl, nlh, NULL, NULL)) < 0)
		return nst_err_sys(err, -rc, "making bridge %s", name);
	return 0;
}

int nl_veth_add(struct mnl_socket *nl, const char *name, unsigned master,
		const char *peer_name, int peer_nsfd, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_new_msg(buf, name);
	struct nlattr *li, *data, *peer;
	int rc;

	nl_mnl.attr_put_u32(nlh, IFLA_MASTER, master);
	li = nl_mnl.attr_nest_start(nlh, IFLA_LINKINFO);
	nl_mnl.attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = nl_mnl.attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = nl_mnl.attr_nest_start(nlh, VETH_INFO_PEER);
	nl_mnl.nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	nl_mnl.attr_put_strz(nlh, IFLA_IFNAME, peer_name);
	nl_mnl.attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
	nl_mnl.attr_nest_end(nlh, peer);
	nl_mnl.attr_nest_end(nlh, data);
	nl_mnl.attr_nest_end(nlh, li);
	if ((rc = nl_talk(nl, nlh, NULL, NULL)) < 0)
		return nst_err_sys(err, -rc, "making veth %s", name);
	return 0;
}

/* A request about the link index, its flags as change and flags say. */
static struct nlmsghdr *nl_link_msg(char *buf, uint16_t type, unsigned index, unsigned flags,
				    unsigned change)
{
	struct nlmsghdr *nlh = nl_msg(buf, type, 0);
	struct ifinfomsg *ifi = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = (int)index;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	return nlh;
}

int nl_link_del(struct mnl_socket *nl, unsigned index, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int rc = nl_talk(nl, nl_link_msg(buf, RTM_DELLINK, index, 0, 0), NULL, NULL);

	return rc < 0 ? nst_err_sys(err, -rc, "removing link %u", index) : 0;
}

/* The kernel ignores IFLA_IFALIAS in a create (rtnl_create_link does not
 * read it): the alias is set on the link once made. */
int nl_link_alias(struct mnl_socket *nl, unsigned index, const char *alias,
		  struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK, index, 0, 0);
	int rc;

	nl_mnl.attr_put_strz(nlh, IFLA_IFALIAS, alias);
	rc = nl_talk(nl, nlh, NULL, NULL);
	return rc < 0 ? nst_err_sys(err, -rc, "naming link %u", index) : 0;
}

int nl_link_up(struct mnl_socket *nl, unsigned index, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int rc = nl_talk(nl, nl_link_msg(buf, RTM_NEWLINK, index, IFF_UP, IFF_UP), NULL, NULL);

	return rc < 0 ? nst_err_sys(err, -rc, "setting link %u up", index) : 0;
}

/* ---- addresses and routes ------------------------------------------------- */

int nl_addr_add(struct mnl_socket *nl, unsigned index, struct in_addr addr,
		unsigned prefix, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], text[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa;
	int rc;

	ifa = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = index;
	nl_mnl.attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	nl_mnl.attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	if ((rc = nl_talk(nl, nlh, NULL, NULL)) < 0)
		return nst_err_sys(err, -rc, "address %s/%u",
				   inet_ntop(AF_INET, &addr, text, sizeof(text)), prefix);
	return 0;
}

struct addr_find {
	unsigned index;
	bool found;
	struct in_addr addr;
	unsigned prefix;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_find *f = data;
	struct ifaddrmsg *ifa = nl_mnl.nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };

	if (f->found || ifa->ifa_family != AF_INET || ifa->ifa_index != f->index)
		return MNL_CB_OK;
	nl_mnl.attr_parse(nlh, sizeof(*ifa), nl_attr_cb, &(struct nl_attrs){ tb, IFA_MAX });
	if (!tb[IFA_LOCAL] || nl_mnl.attr_get_payload_len(tb[IFA_LOCAL]) != 4)
		return MNL_CB_OK;
	memcpy(&f->addr, nl_mnl.attr_get_payload(tb[IFA_LOCAL]), 4);
	f->prefix = ifa->ifa_prefixlen;
	f->found = true;
	return MNL_CB_OK;
}

int nl_addr_get(struct mnl_socket *nl, unsigned index, struct in_addr *addr,
		unsigned *prefix, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa;
	struct addr_find f = { .index = index };
	int rc;

	ifa = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	if ((rc = nl_talk(nl, nlh, addr_cb, &f)) < 0)
		return nst_err_sys(err, -rc, "addresses");
	if (!f.found)
		return nst_err_set(err, ENOENT, "link %u has no IPv4 address", index);
	*addr = f.addr;
	*prefix = f.prefix;
	return 0;
}

int nl_route_default(struct mnl_socket *nl, struct in_addr gw, unsigned index,
		     struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm;
	int rc;

	rtm = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	nl_mnl.attr_put(nlh, RTA_GATEWAY, sizeof(gw), &gw);
	nl_mnl.attr_put_u32(nlh, RTA_OIF, index);
	if ((rc = nl_talk(nl, nlh, NULL, NULL)) < 0)
		return nst_err_sys(err, -rc, "default route");
	return 0;
}

struct overlap {
	uint32_t net, mask;	/* host order */
	bool hit;
};

static bool nets_overlap(uint32_t a, unsigned alen, uint32_t b, unsigned blen)
{
	unsigned len = alen < blen ? alen : blen;
	uint32_t mask = len ? ~0u << (32 - len) : 0;

	return (a & mask) == (b & mask);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct overlap *o = data;
	struct rtmsg *rtm = nl_mnl.nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	uint32_t dst = 0;
	unsigned olen = 0;

	for (unsigned m = o->mask; m; m <<= 1)
		olen++;
	if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len == 0)
		return MNL_CB_OK;	/* a default route overlaps everything */
	if (rtm->rtm_type != RTN_UNICAST && rtm->rtm_type != RTN_LOCAL &&
	    rtm->rtm_type != RTN_BLACKHOLE && rtm->rtm_type != RTN_UNREACHABLE &&
	    rtm->rtm_type != RTN_PROHIBIT)
		return MNL_CB_OK;
	nl_mnl.attr_parse(nlh, sizeof(*rtm), nl_attr_cb, &(struct nl_attrs){ tb, RTA_MAX });
	if (tb[RTA_DST] && nl_mnl.attr_get_payload_len(tb[RTA_DST]) == 4) {
		memcpy(&dst, nl_mnl.attr_get_payload(tb[RTA_DST]), 4);
		dst = ntohl(dst);
	}
	if (nets_overlap(dst, rtm->rtm_dst_len, o->net, olen))
		o->hit = true;
	return MNL_CB_OK;
}

int nl_route_overlaps(struct mnl_socket *nl, struct in_addr net, unsigned prefix,
		      bool *overlaps, struct nst_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm;
	struct overlap o;
	int rc;

	o.net = ntohl(net.s_addr);
	o.mask = prefix ? ~0u << (32 - prefix) : 0;
	o.hit = false;
	rtm = nl_mnl.nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;	/* every table: local ones hold the addresses */
	if ((rc = nl_talk(nl, nlh, route_cb, &o)) < 0)
		return nst_err_sys(err, -rc, "routes");
	*overlaps = o.hit;
	return 0;
}
