/* --nat through libnftables (net-nat.c). Internal to src/net. */
#ifndef NSTOP_NET_NAT_H
#define NSTOP_NET_NAT_H

#include <stddef.h>
#include <netinet/in.h>

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
/* The table of br (if there is one) keeps nets[] out: the subnets of every
 * bridge of nstop's in use, replaced whole. */
int net_nat_sync(const char *br, const struct net_subnet *nets, size_t nnets,
		 struct nst_err *err);
/* Removes the table; 0 when it is not there. */
int net_nat_del(const char *br, struct nst_err *err);

#endif
