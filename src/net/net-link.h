/* rtnetlink through libmnl: the few requests src/net makes. Internal. */
#ifndef NSTOP_NET_LINK_H
#define NSTOP_NET_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "nstop/err.h"

struct mnl_socket;
struct nlmsghdr;

/* An attribute table of max + 1 slots for mnl_attr_parse(..., nl_attr_cb,
 * &(struct nl_attrs){ tb, MAX }): the last attribute of each type up to max;
 * types past it (a newer kernel's) are left out, never written past tb. */
struct nl_attrs {
	const struct nlattr **tb;
	unsigned max;
};
int nl_attr_cb(const struct nlattr *a, void *data);
/* A string attribute into out, cut to size; "" when absent or malformed. */
void nl_str(const struct nlattr *a, char *out, size_t size);

/* A request header in buf (MNL_SOCKET_BUFFER_SIZE bytes). */
struct nlmsghdr *nl_msg(char *buf, uint16_t type, uint16_t flags);
/* Sends nlh and runs cb (a mnl_cb_t) over the answer until the ack or the
 * dump's end: 0 or -errno from the kernel (-ETIMEDOUT: no answer). */
int nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh,
	    int (*cb)(const struct nlmsghdr *, void *), void *data);

/* A NETLINK_ROUTE socket of the calling thread's network namespace (it
 * stays bound to it whatever the thread does next). */
struct mnl_socket *nl_open(struct nst_err *err);
void nl_close(struct mnl_socket *nl);

struct nl_link {
	unsigned index;
	char kind[32];		/* IFLA_INFO_KIND, "" when none */
	char alias[64];		/* IFLA_IFALIAS */
	unsigned master;	/* IFLA_MASTER, 0 */
};
/* -ENODEV when there is no link of that name. */
int nl_link_get(struct mnl_socket *nl, const char *name, struct nl_link *out,
		struct nst_err *err);
/* A bridge named name with alias alias, down, no address. */
int nl_bridge_add(struct mnl_socket *nl, const char *name, const char *alias,
		  struct nst_err *err);
/* A veth pair: name here on master, peer named peer_name in the namespace
 * peer_nsfd. */
int nl_veth_add(struct mnl_socket *nl, const char *name, unsigned master,
		const char *peer_name, int peer_nsfd, struct nst_err *err);
int nl_link_del(struct mnl_socket *nl, unsigned index, struct nst_err *err);
int nl_link_alias(struct mnl_socket *nl, unsigned index, const char *alias,
		  struct nst_err *err);
int nl_link_up(struct mnl_socket *nl, unsigned index, struct nst_err *err);
int nl_addr_add(struct mnl_socket *nl, unsigned index, struct in_addr addr,
		unsigned prefix, struct nst_err *err);
/* The first IPv4 address of a link and its prefix; -ENOENT when none. */
int nl_addr_get(struct mnl_socket *nl, unsigned index, struct in_addr *addr,
		unsigned *prefix, struct nst_err *err);
int nl_route_default(struct mnl_socket *nl, struct in_addr gw, unsigned index,
		     struct nst_err *err);
/* True when net/prefix overlaps a route of the main table other than a
 * default route, or an address of the namespace. */
int nl_route_overlaps(struct mnl_socket *nl, struct in_addr net, unsigned prefix,
		      bool *overlaps, struct nst_err *err);

#endif
