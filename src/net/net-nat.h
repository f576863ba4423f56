/* --nat through libnftables (net-nat.c). Internal to src/net. */
#ifndef NSTOP_NET_NAT_H
#define NSTOP_NET_NAT_H

#include <netinet/in.h>
#include <net/if.h>

#include "nstop/err.h"

#include <stdbool.h>

/* The table ip nstop_BR: no forwarding between net/prefix and other nstop
 * bridges' subnets; with masq, masquerade for net/prefix leaving by another
 * link than br, and ip_forward on. Made once, chains added as needed. */
int net_nat_add(const char *br, struct in_addr net, unsigned prefix, bool masq,
		struct nst_err *err);
/* A bridge's subnet, as its address and prefix say. */
struct net_subnet {
	struct in_addr net;
	unsigned prefix;
};
/* The tables of the bridges brs[] (those that exist) keep nets[] out: the
 * subnets of every bridge of nstop's in use, replaced whole. 0 or the first
 * failure (the other tables are still synced). */
int net_nat_sync(const char (*brs)[IFNAMSIZ], size_t nbrs, const struct net_subnet *nets,
		 size_t nnets, struct nst_err *err);
/* Removes the table; 0 when it is not there. */
int net_nat_del(const char *br, struct nst_err *err);

#endif
