/*
 * Networks of nstop's containers (src/net): joining a named or another
 * container's net namespace. Names given here are untrusted text: a netns
 * name is a single path component under /run/netns (rt_netns_name_check), a
 * bridge's an interface name (rt_bridge_name_check), a container's checked
 * as rt_name_check does: the rules are the runtime's (rt-check.c), which
 * parses --net without calling into src/net.
 */
#ifndef NSTOP_NET_H
#define NSTOP_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "nstop/err.h"

#define NET_NETNS_DIR "/run/netns"

/*
 * An O_RDONLY|O_CLOEXEC descriptor of the net namespace NET_NETNS_DIR/NAME,
 * checked to be an nsfs file of a net namespace; -errno ("no such network
 * namespace: NAME" for -ENOENT).
 */
int net_netns_open(const char *name, struct nst_err *err);

/*
 * The same for the net namespace of the running nstop container NAME, read
 * through its init whose start time matches the state (a recycled pid is
 * refused).
 */
struct rt_ctx;
int net_container_open(struct rt_ctx *ctx, const char *name, struct nst_err *err);

/* Moves the calling thread into the net namespace nsfd, keeping its own in
 * *saved (a descriptor) for net_ns_leave, which goes back and closes it.
 * Both fail closed: -errno. */
int net_ns_enter(int nsfd, int *saved, struct nst_err *err);
int net_ns_leave(int saved, struct nst_err *err);

/* ---- --net bridge[:NAME] (net-bridge.c) ---------------------------------- */

/*
 * Puts the container whose init is pid (a child of the caller, not yet
 * running its payload) on bridge br: the bridge made if need be, an address
 * allocated to name (in ctx's state directory, .net/), a veth pair with
 * eth0 inside (a bridge made is said on say_fd, the caller's stderr even
 * when a detached launch's is its log), the bridge's nftables table that
 * keeps every other bridge of nstop's out, with nat masquerading there too
 * (net-nat.c; the table goes with its last container). veth_out receives
 * the host side's name. On failure nothing of it is left.
 */
int net_bridge_attach(struct rt_ctx *ctx, const char *br, const char *name, pid_t pid,
		      bool nat, int say_fd, char *veth_out, size_t veth_size, struct nst_err *err);
/* Frees what name holds: its address, its host veth if still there. */
int net_bridge_release(struct rt_ctx *ctx, const char *name, struct nst_err *err);

struct in_addr;
void net_host_veth_name(unsigned bridge_index, struct in_addr addr, char *out, size_t size);

struct rt_spec;
/* For a launch: *fd the namespace spec->net joins (netns, container), or -1
 * when it makes or shares one (none, host). 0 or -errno. */
int net_join_open(struct rt_ctx *ctx, const struct rt_spec *spec, int *fd,
		  struct nst_err *err);

/* ---- topology (net-topo.c) ---------------------------------------------- */

/* A net namespace as the scan saw it: its inode, and how to enter it: a
 * pid in it, or with none its nsfs file (`ip netns add`'s bind mount, a
 * held descriptor) as a path under /proc, checked to be that namespace. */
struct net_topo_ns {
	ino_t inode;
	pid_t pid;		/* 0: none */
	const char *at;		/* "PID/root/PATH", "PID/fd/N"; NULL with a pid */
};

#include <jansson.h>
/* The interfaces of the net namespace ns: an array of {name, kind, state,
 * addresses[], peer: {netns, name}|null}, peers looked for among all[];
 * null when it cannot be read (not root, gone). */
json_t *net_topo_json(const struct net_topo_ns *ns, const struct net_topo_ns *all, size_t nall);

struct rt_state;
/* A container's {mode, name, addresses[], host_veth} (net-state.c). */
json_t *net_state_json(const struct rt_state *st);
/* The same as text: addresses comma-joined (no link-local), the veth; ""
 * for none. */
void net_state_text(const struct rt_state *st, char *addrs, size_t asize, char *veth,
		    size_t vsize);

#endif
