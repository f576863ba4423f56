/* rtnetlink through libmnl: the few requests src/net makes. Internal. */
#ifndef NSTOP_NET_LINK_H
#define NSTOP_NET_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <libmnl/libmnl.h>

#include "nstop/err.h"

/* libmnl through dlopen, loaded by nl_open: nl_mnl.attr_put() is
 * mnl_attr_put(), and so on. Linked, it was mapped by every start of nstop,
 * a container's launch twice; only a bridge's launch and the topology scan
 * talk netlink. Every other call takes the socket nl_open made. */
#define NL_MNL_FN(fn) __typeof__(mnl_##fn) *fn
struct nl_mnl {
	NL_MNL_FN(attr_get_payload);
	NL_MNL_FN(attr_get_payload_len);
	NL_MNL_FN(attr_get_str);
	NL_MNL_FN(attr_get_type);
	NL_MNL_FN(attr_get_u32);
	NL_MNL_FN(attr_get_u8);
	NL_MNL_FN(attr_nest_end);
	NL_MNL_FN(attr_nest_start);
	NL_MNL_FN(attr_parse);
	NL_MNL_FN(attr_parse_nested);
	NL_MNL_FN(attr_put);
	NL_MNL_FN(attr_put_strz);
	NL_MNL_FN(attr_put_u32);
	NL_MNL_FN(attr_type_valid);
	NL_MNL_FN(attr_validate);
	NL_MNL_FN(cb_run);
	NL_MNL_FN(nlmsg_get_payload);
	NL_MNL_FN(nlmsg_put_extra_header);
	NL_MNL_FN(nlmsg_put_header);
	NL_MNL_FN(socket_bind);
	NL_MNL_FN(socket_close);
	NL_MNL_FN(socket_get_fd);
	NL_MNL_FN(socket_get_portid);
	NL_MNL_FN(socket_open2);
	NL_MNL_FN(socket_recvfrom);
	NL_MNL_FN(socket_sendto);
};
extern struct nl_mnl nl_mnl;

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
